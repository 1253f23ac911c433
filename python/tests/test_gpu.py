"""trop.compile(..., pipeline="gpu") without a GPU: the error paths (no
CUDA driver, no device, a failed launch) raise TropError with the runtime's
message, and with test/GPU/Inputs/host_libcuda.c (a driver whose "device"
memory is host memory and whose kernels do nothing) a call stages its
arguments on the "device" and back, so C comes back unchanged.

libTropCudaRuntime reads TROP_CUDA_DRIVER once per process, so each case runs
in a child process."""

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO_ROOT

GPU_INPUTS = os.path.join(REPO_ROOT, "test", "GPU", "Inputs")
CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")

CHILD = """
import sys
import numpy as np
import trop
source = open(sys.argv[1]).read()
try:
    module = trop.compile(source, pipeline="gpu")
    rng = np.random.default_rng(0)
    a = rng.uniform(-10, 10, (33, 7)).astype(np.float32)
    b = rng.uniform(-10, 10, (7, 5)).astype(np.float32)
    c = rng.uniform(-10, 10, (33, 5)).astype(np.float32)
    out = module.mm(a, b, c)
    print("RAN", bool((out == c).all()))
except trop.TropError as error:
    print("TROPERROR", error)
"""


@pytest.fixture(scope="module")
def drivers(tmp_path_factory):
    if CC is None:
        pytest.skip("no C compiler to build the stub drivers")
    directory = tmp_path_factory.mktemp("drivers")
    built = {}
    for name in ["stub_libcuda", "host_libcuda"]:
        path = str(directory / (name + ".so"))
        subprocess.run([CC, "-shared", "-fPIC", os.path.join(GPU_INPUTS, name + ".c"),
                        "-o", path], check=True)
        built[name] = path
    built["missing"] = str(directory / "missing" / "libcuda.so.1")
    return built


def run_child(driver, **extra_env):
    env = dict(os.environ, TROP_CUDA_DRIVER=driver,
               PYTHONPATH=os.path.join(REPO_ROOT, "python"), **extra_env)
    out = subprocess.run([sys.executable, "-c", CHILD,
                          os.path.join(GPU_INPUTS, "matmul.mlir")],
                         env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_no_driver_raises(drivers):
    out = run_child(drivers["missing"])
    assert out.startswith("TROPERROR"), out
    assert "no CUDA driver (libcuda.so.1) found" in out


def test_no_device_raises(drivers):
    out = run_child(drivers["stub_libcuda"])
    assert out.startswith("TROPERROR"), out
    assert "no CUDA device" in out and "CUDA_ERROR_NO_DEVICE" in out


def test_failed_launch_raises(drivers):
    out = run_child(drivers["host_libcuda"], STUB_LAUNCH_RESULT="719")
    assert out.startswith("TROPERROR"), out
    assert "cuLaunchKernel failed: CUDA_ERROR_LAUNCH_FAILED (719)" in out


def test_arguments_go_to_the_device_and_back(drivers):
    # The kernels do not run here: C comes back as it went.
    assert run_child(drivers["host_libcuda"]) == "RAN True\n"
