"""Compiling MLIR modules and calling their functions on numpy arrays.

This is a thin layer over the C API (``include/trop-c/Runner.h``) through
ctypes: :func:`compile` hands the source text to ``tropJitCompile`` once per
public function, and a :class:`Function` call checks the arrays against the
function's signature, allocates the outputs and calls ``tropJitInvoke`` (or,
for a function with dynamic sizes, ``tropJitInvokeShaped``, which binds them
from the arrays and returns outputs of the sizes the function computed).
"""

import ctypes
import re
import sys
import threading
import time
import weakref
from typing import NamedTuple, Optional, Tuple

import numpy as np

from . import _capi
from ._errors import TropError

__all__ = ["compile", "Module", "Function", "ArrayType", "MAX_THREADS",
           "MAX_BENCHMARK_RUNS"]

#: The most threads :func:`compile` takes (TROP_MAX_THREADS of the C API):
#: OpenMP aborts the process when it cannot start the threads it is asked for.
MAX_THREADS = 1024
#: The most runs :meth:`Function.benchmark` takes (TROP_MAX_BENCHMARK_RUNS).
MAX_BENCHMARK_RUNS = 1000000


def _count(where, name, value, low, high, error=ValueError):
    """`value` as an int in [low, high], checked before it reaches ctypes
    (which would wrap 2**64 to 0)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{where}: {name} must be an integer, got {value!r}")
    if not low <= value <= high:
        raise error(f"{where}: {name} must be between {low} and {high}, "
                    f"got {value}")
    return int(value)


class ArrayType(NamedTuple):
    """The type of an argument or output of a compiled function."""

    #: The MLIR type as printed, e.g. ``"tensor<2x3xf32>"``.
    type: str
    #: The MLIR element type: ``"f16"``, ``"bf16"``, ``"f32"``, ``"f64"``,
    #: ``"i8"``, ``"i16"``, ``"i32"``, ``"i64"`` or ``"i1"``.
    element_type: str
    #: The numpy dtype of arrays of this type (``uint16`` for bf16: numpy has
    #: no bfloat16, the bits are passed as they are; ``bool`` for i1).
    dtype: np.dtype
    #: The shape; a dynamic size (``?`` in the type, bound at each call from
    #: the arrays passed) is None.
    shape: Tuple[Optional[int], ...]
    #: For outputs of a function without results: the argument the output is
    #: the final value of (a memref it writes). None otherwise.
    argument_index: Optional[int] = None

    def describe(self):
        """'float32 array of shape (2, 3)' (or 'uint16 (bf16 bits) ...')."""
        return _describe(self.dtype, self.shape,
                         bf16=self.element_type == "bf16")


def _describe(dtype, shape, bf16=False):
    name = np.dtype(dtype).name
    if bf16:
        name += " (bf16 bits)"
    dims = ", ".join("?" if d is None else str(d) for d in shape)
    if len(shape) == 1:
        dims += ","
    return f"{name} array of shape ({dims})"


def _decode(value):
    return value.decode("utf-8", "replace") if value is not None else None


def _convert_array_like(value, info, where):
    """Converts a list or scalar to the argument's dtype, refusing what would
    change a value: None, strings, booleans or floats for an integer argument,
    complex numbers, and integers out of the type's range."""
    try:
        probe = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TropError(f"{where} expects a {info.describe()}, got "
                        f"{type(value).__name__} ({exc})") from None
    target = info.dtype.kind
    kind = probe.dtype.kind
    numeric = "iu" if target in "iu" else "iuf" if target == "f" else target
    if info.element_type == "bf16":
        numeric = "iu"  # bit patterns, never float values
    if kind not in numeric:
        what = ("None" if value is None else
                f"{type(value).__name__} of {probe.dtype}"
                if kind not in "OSUV" else f"{type(value).__name__} of "
                f"{'objects' if kind == 'O' else 'strings'}")
        raise TropError(f"{where} expects a {info.describe()}, got {what}: "
                        f"values are never converted silently")
    arr = probe.astype(info.dtype)
    if target in "iu" and not np.array_equal(arr.astype(probe.dtype), probe):
        raise TropError(f"{where} expects a {info.describe()}, got values out "
                        f"of its range")
    return arr


class Function:
    """One JIT-compiled function of a module. Call it with one array per
    argument; it returns the single output as an ndarray, or a tuple of
    ndarrays when the function has several outputs (an empty tuple when it
    has none). Arguments are never modified.

    Arguments may be numpy arrays (of exactly the argument's dtype and
    shape; bf16 takes uint16 bit patterns), PyTorch tensors on the CPU
    (converted without copy where possible; bfloat16 tensors are accepted for
    bf16 arguments), or Python lists and scalars of numbers, converted to the
    argument's dtype (integers or floats for a float argument, integers in
    range for an integer or bf16 one). Anything else (None, strings,
    booleans for a number, a masked array with masked elements), or an array
    of another dtype or shape, raises TropError: nothing is converted
    silently."""

    def __init__(self, handle, lib):
        self._handle = handle
        self._lib = lib
        self._finalizer = weakref.finalize(self, lib.tropJitDestroy, handle)
        self._finalizer.atexit = False
        self.name = _decode(lib.tropJitGetName(handle))
        self.inputs = tuple(self._array_type("Input", i)
                            for i in range(lib.tropJitGetNumInputs(handle)))
        self.outputs = tuple(self._array_type("Output", i)
                             for i in range(lib.tropJitGetNumOutputs(handle)))
        updates = lib.tropJitGetNumUpdates(handle)
        #: Tropical updates (semiring multiply-accumulates) of one call in the
        #: entry's own trop ops, or None when not statically known.
        self.num_updates = None if updates < 0 else int(updates)
        #: Whether some argument or output has a dynamic size.
        self.has_dynamic_shapes = bool(lib.tropJitHasDynamicShapes(handle))

    def _array_type(self, side, index):
        lib, h = self._lib, self._handle
        kind = getattr(lib, f"tropJitGet{side}ElementType")(h, index)
        if kind not in _capi.ELEMENT_TYPES:
            raise TropError(f"{self.name}: {side.lower()} {index} has an element "
                            f"type the Python package does not know ({kind})")
        name, dtype = _capi.ELEMENT_TYPES[kind]
        rank = getattr(lib, f"tropJitGet{side}Rank")(h, index)
        dims = getattr(lib, f"tropJitGet{side}Shape")(h, index)
        shape = tuple(None if dims[d] < 0 else int(dims[d])
                      for d in range(rank)) if rank > 0 else ()
        type_string = _decode(getattr(lib, f"tropJitGet{side}TypeString")(h, index))
        arg = None
        if side == "Output":
            k = lib.tropJitGetOutputArgumentIndex(h, index)
            arg = None if k < 0 else int(k)
        return ArrayType(type_string, name, np.dtype(dtype), shape, arg)

    def __repr__(self):
        ins = ", ".join(t.type for t in self.inputs)
        outs = ", ".join(t.type for t in self.outputs)
        return f"<trop.Function {self.name}({ins}) -> ({outs})>"

    # -- arguments ---------------------------------------------------------

    def _convert(self, index, value):
        info = self.inputs[index]
        where = f"{self.name}: argument {index} ({info.type})"
        if type(value).__module__.split(".")[0] == "torch":
            value = _torch_to_numpy(value, info, where)
        if isinstance(value, np.ma.MaskedArray):
            # The kernels cannot skip elements: a mask would be ignored.
            if np.ma.is_masked(value):
                raise TropError(f"{where} got a masked array with masked elements; "
                                f"fill them first (e.g. with .filled(value))")
            value = np.ma.getdata(value)
        if isinstance(value, np.ndarray):
            arr = value
            if arr.dtype != info.dtype:
                if (arr.dtype.kind == info.dtype.kind
                        and arr.dtype.itemsize == info.dtype.itemsize
                        and arr.dtype.newbyteorder("=") == info.dtype.newbyteorder("=")):
                    arr = arr.astype(info.dtype)  # other byte order only
                else:
                    hint = ""
                    if info.element_type == "bf16":
                        hint = (" (bf16 arguments take the bit patterns as "
                                "uint16, e.g. from trop.to_bf16)")
                    raise TropError(
                        f"{where} expects a {info.describe()}, got a "
                        f"{_describe(arr.dtype, arr.shape)}{hint}")
        else:
            arr = _convert_array_like(value, info, where)
        if len(arr.shape) != len(info.shape) or any(
                d is not None and d != a for a, d in zip(arr.shape, info.shape)):
            raise TropError(f"{where} expects a {info.describe()}, got a "
                            f"{_describe(arr.dtype, arr.shape)}")
        return np.ascontiguousarray(arr)

    def _prepare(self, args):
        if len(args) != len(self.inputs):
            sig = ", ".join(t.type for t in self.inputs)
            raise TropError(f"{self.name} takes {len(self.inputs)} argument"
                            f"{'s' if len(self.inputs) != 1 else ''} ({sig}), "
                            f"got {len(args)}")
        arrays = [self._convert(i, a) for i, a in enumerate(args)]
        ptrs = (ctypes.c_void_p * max(1, len(arrays)))(
            *[a.ctypes.data for a in arrays])
        return arrays, ptrs

    @staticmethod
    def _shapes(arrays):
        """A ctypes `const int64_t *const *` over the arrays' shapes (and the
        buffers that keep it alive)."""
        dims = [(ctypes.c_int64 * max(1, a.ndim))(*a.shape) for a in arrays]
        ptrs = (ctypes.POINTER(ctypes.c_int64) * max(1, len(dims)))(
            *[ctypes.cast(d, ctypes.POINTER(ctypes.c_int64)) for d in dims])
        return dims, ptrs

    def _call_shaped(self, arrays, in_ptrs):
        """A call through tropJitInvokeShaped: outputs of runtime sizes."""
        lib = self._lib
        n = len(self.outputs)
        out_ptrs = (ctypes.c_void_p * max(1, n))()
        out_dims = [(ctypes.c_int64 * max(1, len(t.shape)))() for t in self.outputs]
        out_shapes = (ctypes.POINTER(ctypes.c_int64) * max(1, n))(
            *[ctypes.cast(d, ctypes.POINTER(ctypes.c_int64)) for d in out_dims])
        in_dims, in_shapes = self._shapes(arrays)
        err = ctypes.c_void_p()
        rc = lib.tropJitInvokeShaped(self._handle, in_ptrs, in_shapes, out_ptrs,
                                     out_shapes, ctypes.byref(err))
        del in_dims
        if rc != 0:
            raise _capi.take_error(err, f"calling {self.name}")
        outputs = []
        try:
            for i, t in enumerate(self.outputs):
                shape = tuple(int(out_dims[i][d]) for d in range(len(t.shape)))
                out = np.empty(shape, dtype=t.dtype)
                if out.nbytes:
                    ctypes.memmove(out.ctypes.data, out_ptrs[i], out.nbytes)
                outputs.append(out)
        finally:
            for i in range(n):
                lib.tropFreeBuffer(out_ptrs[i])
        return outputs

    # -- calls ---------------------------------------------------------------

    def __call__(self, *args):
        arrays, in_ptrs = self._prepare(args)
        if self.has_dynamic_shapes:
            outputs = self._call_shaped(arrays, in_ptrs)
            return outputs[0] if len(outputs) == 1 else tuple(outputs)
        outputs = [np.empty(t.shape, dtype=t.dtype) for t in self.outputs]
        out_ptrs = (ctypes.c_void_p * max(1, len(outputs)))(
            *[o.ctypes.data for o in outputs])
        err = ctypes.c_void_p()
        rc = self._lib.tropJitInvoke(self._handle, in_ptrs, out_ptrs,
                                     ctypes.byref(err))
        del arrays  # kept alive until the call returned
        if rc != 0:
            raise _capi.take_error(err, f"calling {self.name}")
        if len(outputs) == 1:
            return outputs[0]
        return tuple(outputs)

    def benchmark(self, *args, runs=10):
        """Calls the function once to warm up, then ``runs`` times on one set
        of copies of the arguments, and returns the wall-clock seconds of each
        of the ``runs`` calls (a list of floats)."""
        runs = _count("benchmark", "runs", runs, 1, MAX_BENCHMARK_RUNS, TropError)
        arrays, in_ptrs = self._prepare(args)
        seconds = (ctypes.c_double * runs)()
        err = ctypes.c_void_p()
        dims, shapes = self._shapes(arrays)
        rc = self._lib.tropJitBenchmarkShaped(self._handle, in_ptrs, shapes,
                                              runs, seconds, ctypes.byref(err))
        del arrays, dims
        if rc != 0:
            raise _capi.take_error(err, f"benchmarking {self.name}")
        return list(seconds)


def _torch_to_numpy(tensor, info, where):
    """A CPU torch tensor as an ndarray (bfloat16 as its uint16 bits)."""
    import torch  # only reached with a torch tensor in hand

    t = tensor.detach()
    if t.device.type != "cpu":
        raise TropError(f"{where}: the tensor is on {t.device}; move it to the "
                        f"CPU first")
    if t.dtype == torch.bfloat16:
        if info.element_type != "bf16":
            raise TropError(f"{where} expects a {info.describe()}, got a "
                            f"torch.bfloat16 tensor of shape {tuple(t.shape)}")
        return t.contiguous().view(torch.int16).numpy().view(np.uint16)
    try:
        return t.numpy()
    except (TypeError, RuntimeError) as exc:
        raise TropError(f"{where}: cannot convert the {t.dtype} tensor to "
                        f"numpy ({exc})") from None


# Function names that may follow `func.func`: a bare identifier or a string.
_FUNC_RE = re.compile(
    r'\bfunc\.func\s+(?:(public|private|nested)\s+)?@(?:"((?:[^"\\]|\\.)*)"|([A-Za-z_.$][\w.$-]*))')
_COMMENT_RE = re.compile(r'//[^\n]*')
_SYM_NAME_RE = re.compile(r'\bsym_name\s*=\s*"((?:[^"\\]|\\.)*)"')
_STRING_RE = re.compile(r'"(?:[^"\\\n]|\\.)*"')


def public_function_names(source):
    """Names of the public ``func.func``s defined in ``source``, in order
    (found textually: comments are ignored, and so are private functions)."""
    # Blank out strings that are not function names (dense<"0x...">) so that
    # a '//' inside them does not start a comment, then drop comments.
    names = []
    text = _COMMENT_RE.sub("", _STRING_RE.sub(
        lambda m: m.group(0) if m.start() > 0 and source[m.start() - 1] == "@"
        else '""', source))
    for m in _FUNC_RE.finditer(text):
        if m.group(1) == "private":
            continue
        name = m.group(2) if m.group(2) is not None else m.group(3)
        if name not in names:
            names.append(name)
    return names


class Module:
    """A compiled MLIR module: one :class:`Function` per public
    ``func.func``, reached as an attribute (``mod.forward``) or by name
    (``mod["forward"]``; use this form for a function whose name is also an
    attribute of Module, such as ``source``).

    Every public function is compiled by :func:`compile`. If some compile
    and others do not (a function with a scalar or unranked argument,
    say), the module is still created and using a failed function
    raises its error; if none compiles, :func:`compile` raises the first
    error."""

    def __init__(self, source, pipeline="cpu", nan_mode=None, threads=0,
                 progress=None):
        if isinstance(source, bytes):
            source_bytes = source
            source = source.decode("utf-8", "replace")
        elif isinstance(source, str):
            source_bytes = source.encode("utf-8")
        else:
            raise TypeError(f"trop.compile: source must be MLIR text (str or "
                            f"bytes), got {type(source).__name__}")
        if pipeline is None:
            pipeline = "reference"
        if not isinstance(pipeline, str):
            raise TypeError("trop.compile: pipeline must be a string")
        if nan_mode not in _capi.NAN_MODES:
            raise ValueError(f"trop.compile: nan_mode must be None, 'propagate' "
                             f"or 'assume-none', got {nan_mode!r}")
        threads = _count("trop.compile", "threads", threads, 0, MAX_THREADS)
        self.source = source
        self.pipeline = pipeline
        self.nan_mode = nan_mode
        self.threads = threads
        self._progress = _progress_reporter(progress)
        self._source_bytes = source_bytes
        self._lib = _capi.library()
        self._functions = {}
        self._errors = {}
        self._lock = threading.Lock()
        names = public_function_names(source)
        if not names:
            # The generic form ("func.func"() <{sym_name = "f", ...}>): try
            # every symbol name; those that are not functions fail below.
            names = list(dict.fromkeys(_SYM_NAME_RE.findall(source)))
        if not names:
            # Still ask the C API, so that unparsable text gets its diagnostic.
            self._compile("main", missing_ok=True)
            raise TropError("trop.compile: the module defines no public "
                            "func.func to call")
        for name in names:
            try:
                self._functions[name] = self._compile(name)
            except TropError as error:
                self._errors[name] = error
        if not self._functions:
            # Nothing compiles: the module does not parse or verify, or its
            # only function cannot be called; report the first failure.
            raise self._errors[names[0]]

    def _compile(self, entry, missing_ok=False):
        err = ctypes.c_void_p()
        with _ProgressScope(self._lib, self._progress, entry):
            handle = self._lib.tropJitCompile(
                self._source_bytes, len(self._source_bytes),
                entry.encode("utf-8"), self.pipeline.encode("utf-8"),
                _capi.NAN_MODES[self.nan_mode], self.threads,
                ctypes.byref(err))
        if not handle:
            error = _capi.take_error(err, f"compiling {entry}")
            if missing_ok and "has no function" in str(error):
                return None
            raise error
        return Function(handle, self._lib)

    @property
    def functions(self):
        """The compiled functions by name (a copy of the mapping)."""
        return dict(self._functions)

    def __getitem__(self, name):
        fn = self._functions.get(name)
        if fn is None and name in self._errors:
            # A function that failed to compile while others did (e.g. one
            # with a scalar argument): its error, on use.
            raise TropError(str(self._errors[name]))
        if fn is None:
            # Not found textually (an unusual spelling): ask the C API.
            with self._lock:
                fn = self._functions.get(name)
                if fn is None:
                    fn = self._compile(name)
                    self._functions[name] = fn
        return fn

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self[name]
        except TropError as exc:
            raise AttributeError(f"the module has no function '{name}' "
                                 f"({exc})") from None

    def __contains__(self, name):
        return name in self._functions

    def __iter__(self):
        return iter(self._functions)

    def __dir__(self):
        return list(super().__dir__()) + list(self._functions)

    def __repr__(self):
        return (f"<trop.Module pipeline={self.pipeline!r} functions="
                f"{list(self._functions)}>")


def _print_progress(entry, stage, seconds):
    """progress=True: one line per stage on standard error, as it ends."""
    print(f"trop.compile: {entry}: {stage} {seconds:.3f} s", file=sys.stderr,
          flush=True)


def _progress_reporter(progress):
    """The callable(entry, stage, seconds) that `progress` asks for, or
    None."""
    if progress is None or progress is False:
        return None
    if progress is True:
        return _print_progress
    if callable(progress):
        return progress
    raise TypeError("trop.compile: progress must be None, a bool or a "
                    "callable(function, stage, seconds)")


class _ProgressScope:
    """Reports the stages of one tropJitCompile call to `report`: each pass
    of the lowering as the C API announces it (trop-c/Progress.h), then
    "llvm-jit" (translation to LLVM IR and machine code, the rest of the
    call) and "total". Nothing without a reporter."""

    def __init__(self, lib, report, entry):
        self._lib = lib
        self._report = report
        self._entry = entry
        self._stages = 0.0
        self._callback = None

    def _call(self, stage, seconds):
        # A failing callback never fails the compile (inside the C call,
        # ctypes could only print and drop the exception anyway).
        try:
            self._report(self._entry, stage, seconds)
        except Exception as exc:
            print(f"trop.compile: progress callback failed: {exc!r}",
                  file=sys.stderr)

    def _on_stage(self, stage, seconds, _user):
        self._stages += seconds
        self._call(stage.decode("utf-8", "replace"), seconds)

    def __enter__(self):
        if self._report is not None:
            self._callback = _capi.PROGRESS_CALLBACK(self._on_stage)
            self._lib.tropSetProgressCallback(self._callback, None)
            self._start = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._report is None:
            return False
        self._lib.tropSetProgressCallback(
            ctypes.cast(None, _capi.PROGRESS_CALLBACK), None)
        total = time.perf_counter() - self._start
        if exc_type is None:
            self._call("llvm-jit", max(0.0, total - self._stages))
            self._call("total", total)
        return False


def compile(source, pipeline="cpu", nan_mode=None, threads=0, progress=None):
    """JIT-compiles every public function of an MLIR module.

    source    the module as MLIR text (str or bytes), e.g. from trop.export.
    pipeline  "cpu" (packed vector kernels on OpenMP threads), "reference"
              (trop -> linalg -> loops: the semantics), "gpu" (tiled NVIDIA
              GPU kernels, docs/gpu.md; arrays are copied to the device and
              back on each call; raises TropError when there is no CUDA
              driver or device), or a textual pass
              pipeline "builtin.module(...)" that turns results into
              out-parameters (see Runner.h).
    nan_mode  None (the pipeline's default: "assume-none" for cpu,
              "propagate" for reference), "propagate" or "assume-none".
    threads   threads of the cpu pipeline, 0 to MAX_THREADS (1024; 0: one per
              hardware thread).
    progress  None/False (quiet), True (one line per stage on standard
              error as it ends: "trop.compile: forward: trop-to-cpu 0.002 s"),
              or a callable(function, stage, seconds) called the same way.
              The stages of each function are the passes of its pipeline
              (a nested pipeline, e.g. per-function passes, is one stage),
              then "llvm-jit" (LLVM IR and machine code) and "total". An
              exception from the callable is printed, not raised.

    Returns a :class:`Module`. Raises TropError, with every MLIR diagnostic,
    when the text does not parse or verify or a function fails to lower."""
    return Module(source, pipeline=pipeline, nan_mode=nan_mode, threads=threads,
                  progress=progress)


def to_bf16(array):
    """bfloat16 bit patterns (uint16) of a float array, rounded to nearest
    even, for bf16 arguments. NaNs stay NaNs."""
    a = np.ascontiguousarray(array, dtype=np.float32)
    bits = a.view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    out = rounded.astype(np.uint16)
    nan = np.isnan(a)
    out[nan] = ((bits[nan] >> 16) | 0x40).astype(np.uint16)
    return out


def from_bf16(bits):
    """float32 values of bfloat16 bit patterns (a uint16 array)."""
    b = np.ascontiguousarray(bits, dtype=np.uint16)
    return (b.astype(np.uint32) << 16).view(np.float32)
