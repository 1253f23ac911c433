"""Sliding windows as views: ``F.unfold`` patches and ``Tensor.unfold``
views, and a max/min over their window dimensions as one windowed
reduction, which ``--trop-raise`` turns into pooling (trop's depthwise
morphology with a structuring element of 𝟙).

Paper code writes max pooling as ``F.unfold(x, k, stride=s).view(N, C,
k*k, L).max(2)`` or ``x.unfold(2, k, s).unfold(3, k, s).amax((-1, -2))``.
Each unfold is materialised as it always was (a copy ``linalg.generic``,
which other uses read), and the exporter also records it as a *window
view*: the tensor it reads, and for each of that tensor's dimensions the
index it reads as a sum of the view's inner loops (``o * step + k`` for an
unfolded dimension). A reshape that only groups or splits inner loops keeps
the record. A max/min reduction whose reduced dimensions are exactly inner
loops of the view is then emitted as one ``linalg.generic`` that reads the
tensor through those indices, reduces the window loops (sized by an empty
window operand) and writes the others; the copy becomes dead and
canonicalisation drops it. The values are the same: the same max/min of the
same elements.
"""

import numpy as np

from .._errors import ExportError
from . import _core
from ._core import _METHOD_RULES, _arg, _ttype


class Window:
    """A view of ``source`` (name, type) with inner loops of sizes
    ``inner``: source dim j is read at ``sum(c * d_i for i, c in
    index[j].items())``; the view's (public) dims are ``groups`` of
    consecutive inner loops, row-major."""

    def __init__(self, source, inner, index, groups):
        self.source, self.inner, self.index, self.groups = source, inner, index, groups

    def regroup(self, shape):
        """The same view with public shape ``shape``, or None when a
        dimension of ``shape`` is not a run of whole inner loops."""
        groups, i = [], 0
        for size in shape:
            group, product = [], 1
            while i < len(self.inner) and (product < size or self.inner[i] == 1) and \
                    product * self.inner[i] <= size:
                product *= self.inner[i]
                group.append(i)
                i += 1
                if product == size and (i == len(self.inner) or self.inner[i] != 1):
                    break
            if product != size:
                return None
            groups.append(group)
        if i != len(self.inner):
            return None
        return Window(self.source, self.inner, self.index, groups)


def _expr(terms):
    parts = [f"d{i}" if c == 1 else f"d{i} * {c}" for i, c in sorted(terms.items())]
    return " + ".join(parts) if parts else "0"


def record(ex, val, window):
    """Records that the (materialised) ``val`` is ``window``."""
    ex.windows[val.name] = window


def lookup(ex, val):
    """The window view ``val`` is, if it is one (stored row-major)."""
    if val.perm != tuple(range(len(val.shape))):
        return None
    return ex.windows.get(val.name)


def materialize(ex, window, shape, what):
    """The values of ``window``: a copy generic over its inner loops,
    reshaped to ``shape``."""
    name, type_, elt = window.source
    n = len(window.inner)
    out = _core._Val(
        ex.b.generic_full(n, [(name, type_, elt, [_expr(t) for t in window.index])],
                          window.inner, elt, [f"d{i}" for i in range(n)],
                          lambda args, emit: args[0], comment=f"{what}: windows"),
        window.inner, elt)
    return ex.reshape(out, shape)


def unfold_view(ex, x, dim, size, step, what):
    """``x.unfold(dim, size, step)`` as a window view of x (or of the view x
    already is), materialised and recorded."""
    rank = len(x.shape)
    dim %= max(rank, 1)
    if size <= 0 or step <= 0 or size > x.shape[dim]:
        raise ExportError(f"{what}: unfold({dim}, {size}, {step}) of a dimension of "
                          f"size {x.shape[dim]}")
    base = lookup(ex, x)
    if base is None or len(base.groups[dim]) != 1:
        # x itself: physical dim p is logical dim perm[p]
        base = Window((x.name, x.type, x.elt), x.shape,
                      [{p: 1} for p in x.perm], [[i] for i in range(rank)])
    j = base.groups[dim][0]
    count = (x.shape[dim] - size) // step + 1
    k = len(base.inner)  # the new window loop, last
    inner = tuple(count if i == j else s for i, s in enumerate(base.inner)) + (size,)
    index = []
    for terms in base.index:
        terms = dict(terms)
        c = terms.pop(j, 0)
        if c:
            terms[j] = c * step
            terms[k] = terms.get(k, 0) + c
        index.append(terms)
    window = Window(base.source, inner, index, base.groups + [[k]])
    shape = tuple(count if i == dim else s for i, s in enumerate(x.shape)) + (size,)
    val = materialize(ex, window, shape, what)
    record(ex, val, window)
    return val


def reduce(ex, x, dims, kind, keepdim, what):
    """max/min of the window view ``x`` over ``dims`` as one windowed
    reduction generic; None if x is not a view or the dims are not whole
    inner loops that the source reads."""
    window = lookup(ex, x)
    if window is None or kind not in ("max", "min"):
        return None
    reduced = sorted(i for d in dims for i in window.groups[d])
    read = {i for terms in window.index for i in terms}
    if not reduced or not set(reduced) <= read:
        return None
    kept = [i for i in range(len(window.inner)) if i not in reduced]
    name, type_, elt = window.source
    inf = float("inf")
    init = ex.b.fill(-inf if kind == "max" else inf, tuple(window.inner[i] for i in kept), elt)
    sizes = tuple(window.inner[i] for i in reduced)
    fn = "maximumf" if kind == "max" else "minimumf"
    out = ex.b.generic_full(
        len(window.inner),
        [(name, type_, elt, [_expr(t) for t in window.index]),
         (ex.b.empty(sizes, elt), _ttype(sizes, elt), elt, [f"d{i}" for i in reduced])],
        tuple(window.inner[i] for i in kept), elt, [f"d{i}" for i in kept],
        lambda args, emit: _op(emit, fn, args[0], args[2], elt),
        reductions=tuple(reduced), init=init, comment=f"{what}: {kind} over windows")
    val = _core._Val(out, tuple(window.inner[i] for i in kept), elt)
    shape = tuple(1 if d in dims else int(np.prod([window.inner[i] for i in g]))
                  for d, g in enumerate(window.groups) if d not in dims or keepdim)
    return ex.reshape(val, shape)


def _op(emit, fn, a, b, elt):
    emit(f"%w = arith.{fn} {a}, {b} : {elt}")
    return "%w"


def regrouped(ex, x, r):
    """Records the reshape ``r`` of ``x`` when x is a window view and r's
    shape groups its inner loops."""
    window = lookup(ex, x)
    if window is not None and r.perm == tuple(range(len(r.shape))):
        view = window.regroup(r.shape)
        if view is not None:
            record(ex, r, view)
    return r


def _fn_reshape(ex, node):
    x = ex.val(node.args[0], node.name)
    return regrouped(ex, x, ex.reshape(x, ex.out_shape(node)))


def _fn_tensor_unfold(ex, node):
    what = f"Tensor.unfold at '{node.name}'"
    c = ex.concrete
    return unfold_view(ex, ex.val(node.args[0], what), int(c(_arg(node, 1, "dimension"))),
                       int(c(_arg(node, 2, "size"))), int(c(_arg(node, 3, "step"))), what)


def register(function_rules, torch):
    """Adds Tensor.unfold and the window-keeping reshapes."""
    _METHOD_RULES["unfold"] = _fn_tensor_unfold
    for name in ("view", "reshape", "flatten"):
        _METHOD_RULES[name] = _fn_reshape
    function_rules[torch.reshape] = _fn_reshape
    function_rules[torch.flatten] = _fn_reshape
