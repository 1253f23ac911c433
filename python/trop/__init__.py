"""trop: compile tropical (max-plus / min-plus) and morphological networks.

    import trop
    mod = trop.compile(mlir_text)            # JIT through libTropCAPI.so
    y = mod.forward(x, w)                     # numpy arrays in and out

    import trop.nn                            # PyTorch modules (needs torch)
    mod = trop.compile(trop.export(model, x)) # PyTorch model -> trop IR -> JIT

    mod = trop.compile(trop.import_onnx("model.onnx"))   # ONNX -> trop IR (needs onnx)
    text, report, notes = trop.passes.run(mlir_text, "trop-raise,canonicalize")

``import trop`` needs only numpy; ``trop.nn`` and ``trop.export`` import
PyTorch on first use, ``trop.import_onnx`` the onnx package. See
docs/python.md and docs/onnx.md.
"""

from ._errors import ExportError, LibraryNotFoundError, OnnxImportError, PassError, TropError
from .runtime import (MAX_BENCHMARK_RUNS, MAX_THREADS, ArrayType, Function, Module,
                      compile, from_bf16, to_bf16)

__all__ = [
    "TropError", "ExportError", "LibraryNotFoundError", "OnnxImportError", "PassError",
    "compile", "Module", "Function", "ArrayType", "to_bf16", "from_bf16",
    "export", "Exported", "nn", "import_onnx", "passes", "library_path", "MAX_THREADS",
    "MAX_BENCHMARK_RUNS",
]

__version__ = "0.1.0"


def library_path():
    """Path of the loaded libTropCAPI.so (loading it if needed)."""
    from . import _capi
    return _capi.library_path()


def __getattr__(name):
    # PyTorch is imported only when the PyTorch side is used.
    if name in ("export", "Exported"):
        import importlib
        module = importlib.import_module(".export", __name__)
        # Importing the submodule bound `trop.export` to it; bind the
        # function instead (the submodule is callable too, for code that
        # imported it explicitly).
        globals()["export"] = module.export
        globals()["Exported"] = module.Exported
        return globals()[name]
    if name == "import_onnx":
        # onnx (python3-onnx) is imported only when the importer is used.
        from .onnx_import import import_onnx
        globals()["import_onnx"] = import_onnx
        return import_onnx
    if name in ("nn", "passes"):
        import importlib
        return importlib.import_module("." + name, __name__)
    raise AttributeError(f"module 'trop' has no attribute '{name}'")
