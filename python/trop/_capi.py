"""ctypes bindings of trop's C API (``include/trop-c/Runner.h``).

The shared library ``libTropCAPI.so`` is looked up, on first use, in this
order:

1. ``$TROP_CAPI_LIBRARY``: the path of the library file (or of a directory
   holding ``libTropCAPI.so``). When it is set, nothing else is tried.
2. The build tree of the repository this package lives in:
   ``<repo>/$TROP_BUILD_DIR/lib`` when ``TROP_BUILD_DIR`` is set (relative to
   the repository root unless absolute), then ``<repo>/build/lib``.
3. Installed locations next to the package: the package directory itself,
   ``<prefix>/lib`` for a package installed as ``<prefix>/python/trop`` or as
   ``<prefix>/lib/python3/dist-packages/trop``.
4. The dynamic loader's own search (``LD_LIBRARY_PATH``, ``ldconfig``).

Only this module knows about ctypes; everything else uses :func:`library`.
"""

import ctypes
import ctypes.util
import os
import threading
from pathlib import Path

from ._errors import LibraryNotFoundError, TropError

LIBRARY_NAME = "libTropCAPI.so"

# TropElementType values (stable, see Runner.h) -> (MLIR name, numpy dtype).
ELEMENT_TYPES = {
    0: ("f16", "<f2"),
    1: ("bf16", "<u2"),
    2: ("f32", "<f4"),
    3: ("f64", "<f8"),
    4: ("i8", "|i1"),
    5: ("i16", "<i2"),
    6: ("i32", "<i4"),
    7: ("i64", "<i8"),
    8: ("i1", "|b1"),
}

NAN_MODES = {None: -1, "default": -1, "propagate": 0, "assume-none": 1}

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_ROOT = _PACKAGE_DIR.parent.parent


def candidate_paths():
    """The places searched for the library, in order (steps 2 and 3 of the
    module docstring; step 1 replaces them, step 4 follows them)."""
    candidates = []
    build_dir = os.environ.get("TROP_BUILD_DIR")
    if build_dir:
        base = Path(build_dir)
        if not base.is_absolute():
            base = _REPO_ROOT / base
        candidates.append(base / "lib" / LIBRARY_NAME)
    candidates.append(_REPO_ROOT / "build" / "lib" / LIBRARY_NAME)
    candidates.append(_PACKAGE_DIR / LIBRARY_NAME)
    candidates.append(_PACKAGE_DIR.parent.parent / "lib" / LIBRARY_NAME)
    candidates.append(_PACKAGE_DIR.parent.parent.parent / LIBRARY_NAME)
    seen = set()
    unique = []
    for path in candidates:
        if path not in seen:
            seen.add(path)
            unique.append(path)
    return unique


# trop-c/Progress.h: void (*)(const char *stage, double seconds, void *user).
PROGRESS_CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_double,
                                     ctypes.c_void_p)


def _declare(lib):
    """Sets argument and result types of every C API function."""
    c_fn = ctypes.c_void_p
    err = ctypes.POINTER(ctypes.c_void_p)
    idx = ctypes.c_ssize_t  # intptr_t

    def sig(name, restype, *argtypes):
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = list(argtypes)

    sig("tropJitCompile", c_fn, ctypes.c_char_p, ctypes.c_size_t,
        ctypes.c_char_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int64, err)
    sig("tropJitDestroy", None, c_fn)
    sig("tropSetProgressCallback", None, PROGRESS_CALLBACK, ctypes.c_void_p)
    sig("tropFreeString", None, ctypes.c_void_p)
    sig("tropJitGetName", ctypes.c_char_p, c_fn)
    sig("tropJitGetNumInputs", idx, c_fn)
    sig("tropJitGetNumOutputs", idx, c_fn)
    for side in ("Input", "Output"):
        sig(f"tropJitGet{side}ElementType", ctypes.c_int, c_fn, idx)
        sig(f"tropJitGet{side}Rank", idx, c_fn, idx)
        sig(f"tropJitGet{side}Shape", ctypes.POINTER(ctypes.c_int64), c_fn, idx)
        sig(f"tropJitGet{side}SizeInBytes", ctypes.c_int64, c_fn, idx)
        sig(f"tropJitGet{side}TypeString", ctypes.c_char_p, c_fn, idx)
    sig("tropJitGetOutputArgumentIndex", idx, c_fn, idx)
    sig("tropJitGetNumUpdates", ctypes.c_int64, c_fn)
    sig("tropJitInvoke", ctypes.c_int, c_fn,
        ctypes.POINTER(ctypes.c_void_p), ctypes.POINTER(ctypes.c_void_p), err)
    # char * results are c_void_p: their memory is freed with tropFreeString.
    sig("tropRunPassPipeline", ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t,
        ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p), err)
    sig("tropJitBenchmark", ctypes.c_int, c_fn,
        ctypes.POINTER(ctypes.c_void_p), ctypes.c_int64,
        ctypes.POINTER(ctypes.c_double), err)
    shapes = ctypes.POINTER(ctypes.POINTER(ctypes.c_int64))
    sig("tropJitHasDynamicShapes", ctypes.c_int, c_fn)
    sig("tropJitInvokeShaped", ctypes.c_int, c_fn,
        ctypes.POINTER(ctypes.c_void_p), shapes,
        ctypes.POINTER(ctypes.c_void_p), shapes, err)
    sig("tropFreeBuffer", None, ctypes.c_void_p)
    sig("tropJitBenchmarkShaped", ctypes.c_int, c_fn,
        ctypes.POINTER(ctypes.c_void_p), shapes, ctypes.c_int64,
        ctypes.POINTER(ctypes.c_double), err)


_lock = threading.Lock()
_library = None
_library_path = None


def _load(path):
    lib = ctypes.CDLL(str(path))
    try:
        _declare(lib)
    except AttributeError as exc:
        raise LibraryNotFoundError(
            f"{path} is not trop's C API library (or an incompatible version "
            f"of it): {exc}") from None
    return lib


def library():
    """The loaded C API library (loaded on first call).

    Raises LibraryNotFoundError (an ImportError) listing the places tried."""
    global _library, _library_path
    if _library is not None:
        return _library
    with _lock:
        if _library is not None:
            return _library
        tried = []
        env = os.environ.get("TROP_CAPI_LIBRARY")
        if env:
            path = Path(env)
            if path.is_dir():
                path = path / LIBRARY_NAME
            if not path.exists():
                raise LibraryNotFoundError(
                    f"TROP_CAPI_LIBRARY is set to '{env}', but {path} does "
                    f"not exist")
            try:
                _library = _load(path)
            except OSError as exc:
                raise LibraryNotFoundError(
                    f"cannot load {path} (from TROP_CAPI_LIBRARY): {exc}") from None
            _library_path = str(path)
            return _library
        for path in candidate_paths():
            if path.exists():
                try:
                    _library = _load(path)
                except OSError as exc:
                    tried.append(f"{path} (exists but cannot be loaded: {exc})")
                    continue
                _library_path = str(path)
                return _library
            tried.append(str(path))
        found = ctypes.util.find_library("TropCAPI")
        try:
            _library = _load(found or LIBRARY_NAME)
            _library_path = found or LIBRARY_NAME
            return _library
        except OSError:
            tried.append("the dynamic loader's search path (LD_LIBRARY_PATH, ldconfig)")
        raise LibraryNotFoundError(
            "trop: cannot find the C API library libTropCAPI.so. Build it "
            "(./scripts/build.sh, which builds build/lib/libTropCAPI.so) or set "
            "TROP_CAPI_LIBRARY to its path. Tried:\n  " + "\n  ".join(tried))


def library_path():
    """The path the C API library was loaded from (loading it if needed)."""
    library()
    return _library_path


def take_string(pointer):
    """The text of a malloc'ed `char *` from the C API, freeing it."""
    if not pointer:
        return ""
    text = ctypes.string_at(pointer).decode("utf-8", "replace")
    library().tropFreeString(pointer)
    return text


def take_error(err, what, error_type=TropError):
    """A TropError (or `error_type`) from a `char **error` out-parameter,
    freeing the message."""
    lib = library()
    if err.value:
        message = ctypes.string_at(err.value).decode("utf-8", "replace")
        lib.tropFreeString(err.value)
        err.value = None
    else:
        message = f"{what} failed (the C API gave no message)"
    return error_type(message)
