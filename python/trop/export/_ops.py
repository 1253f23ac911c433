"""Lowering rules for the operations researchers' code uses beyond the
layers of ``_core``: broadcasting arithmetic, reductions (with the tropical
broadcast-and-reduce form recognised), shape manipulation, elementwise
functions, comparisons and selection, pooling, unfold and padding.

Each rule takes the exporter and the recorded ``torch.fx`` node and returns
a ``_Val`` (or a tuple of them for a tuple-valued op such as ``torch.max``
with ``dim``)."""

import operator

from .._errors import ExportError
from . import _core
from ._core import _FUNCTION_RULES, _METHOD_RULES


def _getitem(ex, node):
    src, index = node.args[0], node.args[1]
    value = ex.vals.get(src)
    if isinstance(value, tuple):
        item = value[index]
        if item is None:
            raise ExportError(f"element {index} of '{src.name}' (its indices) is used; "
                              f"trop.export translates only the values")
        return item
    return _core._index(ex, node)


_FUNCTION_RULES[operator.getitem] = _getitem
