"""The package installs without network: `pip install` from the repository
(with the C API library bundled, or found at run time) and `cmake --install`,
each imported from the install location in a fresh interpreter."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO_ROOT

import trop

MODULE = """
func.func @f(%a: tensor<4xf32>) -> tensor<4xf32> {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
                       iterator_types = ["parallel"]}
      ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %y = arith.addf %x, %x : f32
    linalg.yield %y : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}
"""

CHECK = f"""
import numpy as np, sys, trop
print(trop.__file__)
print(trop.library_path())
y = trop.compile({MODULE!r}).f(np.arange(4, dtype=np.float32))
assert y.tolist() == [0.0, 2.0, 4.0, 6.0], y
"""


def _clean_env(**extra):
    """The environment without anything that points at the checkout."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "TROP_BUILD_DIR", "TROP_CAPI_LIBRARY")}
    env.update(extra)
    return env


def _run_check(cwd, pythonpath, **extra):
    r = subprocess.run([sys.executable, "-c", CHECK], cwd=cwd, capture_output=True,
                       text=True, env=_clean_env(PYTHONPATH=str(pythonpath), **extra))
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout.split("\n")[:2]


def _pip_install(target, **extra):
    cmd = [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-deps",
           "--no-index", "--disable-pip-version-check", "--target", str(target), REPO_ROOT]
    env = dict(os.environ, PIP_NO_CACHE_DIR="1", **extra)
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


@pytest.fixture(scope="module")
def library():
    return trop.library_path()


def test_pip_install_bundles_the_library(tmp_path, library):
    target = tmp_path / "site"
    out = _pip_install(target, TROP_CAPI_LIBRARY=library)
    assert (target / "trop" / "libTropCAPI.so").is_file(), out
    package, loaded = _run_check(tmp_path, target)
    assert Path(package) == target / "trop" / "__init__.py"
    assert Path(loaded) == target / "trop" / "libTropCAPI.so"
    # The console script of pyproject.toml.
    r = subprocess.run([str(target / "bin" / "trop-import-onnx"), "--list-ops"],
                       capture_output=True, text=True, env=_clean_env(PYTHONPATH=str(target)))
    assert r.returncode == 0, r.stderr
    assert "| MatMul |" in r.stdout
    # Nothing was written into the checkout (setuptools' scratch directories
    # go elsewhere).
    assert not list(Path(REPO_ROOT, "python").glob("*.egg-info"))


def test_pip_install_without_the_library(tmp_path, library):
    target = tmp_path / "site"
    _pip_install(target, TROP_BUNDLE_LIBRARY="0")
    assert not (target / "trop" / "libTropCAPI.so").exists()
    _, loaded = _run_check(tmp_path, target, TROP_CAPI_LIBRARY=library)
    assert Path(loaded) == Path(library)


def test_cmake_install_installs_the_package(tmp_path):
    build = Path(os.environ.get("TROP_BUILD_DIR", Path(REPO_ROOT) / "build"))
    if not build.is_absolute():
        build = Path(REPO_ROOT) / build
    prefix = tmp_path / "prefix"
    r = subprocess.run(["cmake", "--install", str(build), "--prefix", str(prefix)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    site = prefix / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}" / "dist-packages"
    assert (site / "trop" / "onnx_import.py").is_file(), r.stdout
    package, loaded = _run_check(tmp_path, site)
    assert Path(package) == site / "trop" / "__init__.py"
    assert Path(loaded) == prefix / "lib" / "libTropCAPI.so"
    # The command, which finds the package under its own prefix.
    r = subprocess.run([str(prefix / "bin" / "trop-import-onnx"), "--list-ops"],
                       capture_output=True, text=True, env=_clean_env(), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "| MatMul |" in r.stdout
