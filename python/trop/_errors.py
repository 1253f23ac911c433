"""Exceptions of the trop package."""


class TropError(Exception):
    """A failure reported by trop: IR that does not parse or verify, a pass or
    JIT failure, an unknown function, or arrays that do not match a compiled
    function's signature. ``str(error)`` is the full message, including every
    MLIR diagnostic (with its location) that the failure produced."""


class ExportError(TropError):
    """``trop.export`` met something it cannot translate to trop IR: a module,
    function or method it does not support, or an unsupported configuration
    of a supported one (the message names it and, for modules, its path in
    the model)."""


class LibraryNotFoundError(TropError, ImportError):
    """``libTropCAPI.so`` could not be found or loaded (the message lists
    every place that was tried and how to fix it)."""


class OnnxImportError(TropError):
    """``trop.import_onnx`` met something it cannot translate: an op it does
    not handle, an attribute value or element type it does not support, or a
    shape operand that is not a constant. The message names the node (its
    name, or its index and outputs) and its op type."""


class PassError(TropError):
    """``trop.passes.run`` failed: the module does not parse or verify, the
    pipeline does not parse, or a pass failed. ``str(error)`` holds every
    MLIR diagnostic with its location and source line."""
