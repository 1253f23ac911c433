"""Bundles libTropCAPI.so into the package when one is built.

pyproject.toml holds the package's metadata; this file only adds the C API
library to the built package, so that an installed `trop` finds it next to
itself (python/trop/_capi.py looks in the package directory). The library is
taken from, in order: $TROP_CAPI_LIBRARY (a file, or a directory holding
it), $TROP_BUILD_DIR/lib, build/lib of this checkout. TROP_BUNDLE_LIBRARY=0
leaves it out (the package then finds the library as _capi.py describes:
$TROP_CAPI_LIBRARY, an installed prefix, or the dynamic loader).

setuptools' own scratch directories go to a temporary directory rather than
build/, which is CMake's build tree here.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
LIBRARY = "libTropCAPI.so"


def _library():
    if os.environ.get("TROP_BUNDLE_LIBRARY", "1") == "0":
        return None
    candidates = []
    env = os.environ.get("TROP_CAPI_LIBRARY")
    if env:
        path = Path(env)
        candidates.append(path / LIBRARY if path.is_dir() else path)
    build_dir = os.environ.get("TROP_BUILD_DIR")
    if build_dir:
        base = Path(build_dir)
        candidates.append((base if base.is_absolute() else ROOT / base) / "lib" / LIBRARY)
    candidates.append(ROOT / "build" / "lib" / LIBRARY)
    for path in candidates:
        if path.is_file():
            return path.resolve()
    return None


class BuildPyWithLibrary(build_py):
    def run(self):
        super().run()
        library = _library()
        if library is None:
            print("trop: no libTropCAPI.so found to bundle; the installed package will "
                  "look for it at run time (see python/trop/_capi.py)")
            return
        target = Path(self.build_lib) / "trop" / LIBRARY
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, target)
        os.chmod(target, 0o755)
        print(f"trop: bundling {library}")


_SCRATCH = tempfile.mkdtemp(prefix="trop-setuptools-")
atexit.register(shutil.rmtree, _SCRATCH, True)

setup(
    cmdclass={"build_py": BuildPyWithLibrary},
    options={"build": {"build_base": os.path.join(_SCRATCH, "build")},
             "egg_info": {"egg_base": _SCRATCH}},
)
