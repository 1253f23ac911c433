"""Export PyTorch models to trop IR (textual MLIR).

``trop.export(model, example_input)`` runs the model once on the
example under a recorder (``_trace.py``: why, and what it handles), and emits one
``func.func @forward`` on statically shaped tensors:

* tropical layers of ``trop.nn`` become trop ops (``trop.matmul``,
  ``trop.maxout``, ``trop.conv_2d``, ``trop.depthwise_conv_2d``),
* linear layers become ``linalg.matmul`` / ``linalg.conv_2d_nhwc_hwcf`` whose
  init is the bias broadcast with a ``linalg.generic``,
* everything elementwise (ReLU, BatchNorm in eval mode, adds, scalings)
  becomes a ``linalg.generic``.

Parameters are constants (``arith.constant dense<"0x...">``, exact bit
patterns) by default, so the function takes just the model's inputs; with
``params="arguments"`` they become trailing function arguments instead and
the returned :class:`Exported` lists them in order (``exported.parameters``).

Layout: PyTorch's tensors are NCHW; trop's and linalg's convolutions are
NHWC (filters HWCF / HWC). The exporter keeps track, for every value, of the
order its dimensions are stored in: a convolution or pooling transposes its
input to NHWC once, and elementwise layers, BatchNorm and further
convolutions work on that storage directly; a value goes back to PyTorch's
order (one ``linalg.transpose``) only where something needs it (flatten,
view, a linear layer, a function result). The function's inputs and results
have exactly PyTorch's shapes and layout.

The exported function is specialised to the example's shapes (the batch
size included, unless ``dynamic_batch=True``: see ``_dynamic.py``); export
again for other shapes. The model is exported in
eval mode (BatchNorm uses its running statistics, Dropout is the identity)
on a private deep copy, so that the user's model is never modified: not its
submodules' training flags, nor attributes that ``forward`` assigns, on
success or on failure. (A model that cannot be deep-copied is traced in
place and every submodule's attributes are put back afterwards.)
"""

import sys
import types

from . import _ops  # noqa: F401  (registers the lowering rules of _ops)
from ._core import SUPPORTED, Exported, export

__all__ = ["export", "Exported", "SUPPORTED"]


class _CallableModule(types.ModuleType):
    """Lets ``trop.export(...)`` work even where ``trop.export`` is bound to
    this package (after an explicit ``import trop.export``)."""

    def __call__(self, *args, **kwargs):
        return export(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
