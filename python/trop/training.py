"""Training trop.nn's tropical layers through compiled kernels.

``compile_training(model)`` switches every ``MaxPlus``/``MinPlus`` layer of a
model from its eager broadcast-and-reduce formulation (which materialises a
batch × out × in tensor) to a ``torch.autograd.Function`` whose forward is a
compiled ``trop.matmul_winners`` (the layer's value and each output's
winning input) and whose backward is a compiled ``trop.route_to_winners``
(each output gradient routed to its winner's input and weight), JIT-compiled
once per shape and cached. ``compile_training(model, enabled=False)``
switches back.

Two tie rules (``tie=``): ``"first"`` (the default), the gradients of
``torch.max(..., dim)`` over the bias and then the products: each output's
gradient goes to the first input index that attains it, or to the bias when
the bias is at least as good; ``"split"``, the gradients of the eager layer
(``amax``, then ``torch.maximum`` with the bias), which share a tied
output's gradient evenly. On data without ties the two agree, and equal
PyTorch's autograd of the eager formulation exactly (docs/training.md).
The bias gradient is a masked sum done by PyTorch; the operand gradients
and the forward are the compiled kernels (and, with ``"split"``, the even
shares of the tied outputs, gathered by PyTorch).
"""

import threading

import numpy as np
import torch

from . import runtime

__all__ = ["TIE_RULES", "compile_training", "tropical_dense", "tropical_max_plus_min",
           "tropical_maxout"]

_DTYPES = {torch.float32: "f32", torch.float64: "f64"}
#: The gradients' tie rules: torch.max(..., dim)'s first index, or amax's
#: even split (docs/training.md).
TIE_RULES = ("first", "split")
_kernels = {}
_lock = threading.Lock()


def _two_by_two(name, op, types):
    """A func.func @name applying ``op`` (its mnemonic and attributes) to two
    inputs and two destinations of ``types``, returning both results."""
    i0, i1, o0, o1 = types
    return (f"func.func @{name}(%i0: {i0}, %i1: {i1}, %o0: {o0}, %o1: {o1}) -> ({o0}, {o1}) {{\n"
            f"  %r0, %r1 = {op} ins(%i0, %i1 : {i0}, {i1}) "
            f"outs(%o0, %o1 : {o0}, {o1}) -> {o0}, {o1}\n"
            f"  return %r0, %r1 : {o0}, {o1}\n}}\n")


def _forward_source(semiring, ty, m, k, n):
    return _two_by_two("forward", f"trop.matmul_winners <{semiring}>",
                       (f"tensor<{m}x{k}x{ty}>", f"tensor<{k}x{n}x{ty}>",
                        f"tensor<{m}x{n}x{ty}>", f"tensor<{m}x{n}xi64>"))


def _backward_source(ty, m, k, n):
    return _two_by_two("backward", "trop.route_to_winners",
                       (f"tensor<{m}x{n}x{ty}>", f"tensor<{m}x{n}xi64>",
                        f"tensor<{m}x{k}x{ty}>", f"tensor<{k}x{n}x{ty}>"))


def _kernel(name, source, pipeline, threads, nan_mode="propagate"):
    key = (source, pipeline, threads, nan_mode)
    with _lock:
        module = _kernels.get(key)
        if module is None:
            module = runtime.compile(source, pipeline=pipeline, nan_mode=nan_mode,
                                     threads=threads)
            _kernels[key] = module
    return getattr(module, name)


def _nan_mode(*tensors):
    """``assume-none`` (max/min one instruction each) when no operand holds a
    NaN, which an O(size) scan decides against the O(M·N·K) product; the
    two modes give the same values and winners on NaN-free operands
    (docs/semantics.md), and ``propagate`` keeps PyTorch's NaN propagation
    otherwise."""
    if any(t is not None and torch.isnan(t).any() for t in tensors):
        return "propagate"
    return "assume-none"


def _as_numpy(t):
    return np.ascontiguousarray(t.detach().cpu().numpy())


def _winners(semiring, x, weight_t, init, pipeline, threads, nan_mode):
    """The compiled forward: the layer's values and first winners."""
    m, k = x.shape
    n = weight_t.shape[1]
    forward = _kernel("forward", _forward_source(semiring, _DTYPES[x.dtype], m, k, n),
                      pipeline, threads, nan_mode)
    y, winners = forward(_as_numpy(x), _as_numpy(weight_t), _as_numpy(init),
                         np.full((m, n), -1, np.int64))
    return torch.from_numpy(y), torch.from_numpy(winners)


def _route(grad, winners, k, pipeline, threads):
    """The compiled backward: grad routed to the winners' inputs and weights
    (winners -1 route nowhere); returns d x and d weight."""
    m, n = grad.shape
    ty = _DTYPES[grad.dtype]
    backward = _kernel("backward", _backward_source(ty, m, k, n), pipeline, threads)
    np_dtype = np.float32 if ty == "f32" else np.float64
    grad_x, grad_wt = backward(_as_numpy(grad), _as_numpy(winners),
                               np.zeros((m, k), np_dtype), np.zeros((k, n), np_dtype))
    return torch.from_numpy(grad_x), torch.from_numpy(grad_wt).t()


class _TropicalDenseFunction(torch.autograd.Function):
    """Forward and backward on compiled kernels. ``tie="first"``: each
    output's gradient goes to its first winner (the bias when it is at least
    as good as every product). ``tie="split"``: the gradients of PyTorch's
    ``amax`` then ``torch.maximum`` with the bias (trop.nn's eager layer):
    the bias takes the gradient where it is strictly better, half of it
    where it ties with the best product, and the rest is shared evenly
    among the tied best products."""

    @staticmethod
    def forward(ctx, x, weight, bias, semiring, pipeline, threads, tie):
        m, k = x.shape
        n = weight.shape[0]
        zero = float("-inf") if semiring == "max_plus" else float("inf")
        empty = torch.full((m, n), zero, dtype=x.dtype)
        nan_mode = _nan_mode(x, weight, bias)
        ctx.config = (k, bias is not None, pipeline, threads, tie, semiring)
        if tie == "first":
            init = bias.detach().expand(m, n) if bias is not None else empty
            y, winners = _winners(semiring, x, weight.t(), init, pipeline, threads, nan_mode)
            ctx.save_for_backward(winners)
            return y
        # The best product with its first and (from the reversed reduction)
        # last winner: they differ exactly where products tie.
        best, first = _winners(semiring, x, weight.t(), empty, pipeline, threads, nan_mode)
        _, last = _winners(semiring, x.flip(1), weight.t().flip(0), empty, pipeline,
                           threads, nan_mode)
        last = torch.where(last >= 0, k - 1 - last, last)
        y = best
        if bias is not None:
            y = (torch.maximum if semiring == "max_plus" else torch.minimum)(best, bias.detach())
        ctx.save_for_backward(first, last, best, x.detach(), weight.detach(),
                              bias.detach() if bias is not None else None)
        return y

    @staticmethod
    def backward(ctx, grad):
        k, has_bias, pipeline, threads, tie, semiring = ctx.config
        if tie == "first":
            (winners,) = ctx.saved_tensors
            grad_x, grad_w = _route(grad, winners, k, pipeline, threads)
            grad_bias = None
            if has_bias:
                grad_bias = torch.where(winners == -1, grad, torch.zeros_like(grad)).sum(0)
            return grad_x, grad_w, grad_bias, None, None, None, None
        first, last, best, x, weight, bias = ctx.saved_tensors
        share, grad_bias = grad, None
        if has_bias:
            # torch.maximum's backward (torch.minimum's alike).
            bias_better = bias > best if semiring == "max_plus" else bias < best
            product_better = best > bias if semiring == "max_plus" else best < bias
            halved = torch.where(best == bias, grad / 2, grad)
            share = halved.masked_fill(bias_better, 0)
            grad_bias = halved.masked_fill(product_better, 0).sum(0)
        # One winner: routed by the compiled kernel; ties: amax's backward,
        # the share divided by the number of tied products, on those outputs.
        tied = first != last
        grad_x, grad_w = _route(share, torch.where(tied, -1, first), k, pipeline, threads)
        rows, cols = tied.nonzero(as_tuple=True)
        if rows.numel():
            hits = (x[rows] + weight[cols]) == best[rows, cols].unsqueeze(1)
            split = (share[rows, cols] / hits.sum(1)).unsqueeze(1) * hits
            grad_x.index_add_(0, rows, split)
            grad_w.index_add_(0, cols, split)
        return grad_x, grad_w, grad_bias, None, None, None, None


def tropical_dense(x, weight, bias, semiring, pipeline="cpu", threads=1, tie="first"):
    """``y_i = max(b_i, max_j (x_j + W_ij))`` (``semiring="max_plus"``) or the
    min-plus dual, for x of shape (..., in_features), on compiled kernels that
    autograd differentiates (see the module docstring). ``tie`` is the tie
    rule of the gradients: ``"first"`` (``torch.max(..., dim)``'s returned
    index) or ``"split"`` (``amax`` and ``torch.maximum``: shared evenly;
    one more forward pass, see docs/training.md)."""
    if semiring not in ("max_plus", "min_plus"):
        raise ValueError(f"semiring must be 'max_plus' or 'min_plus', got {semiring!r}")
    if tie not in TIE_RULES:
        raise ValueError(f"tie must be one of {TIE_RULES}, got {tie!r}")
    if x.dtype not in _DTYPES or weight.dtype != x.dtype:
        raise TypeError(f"compiled training supports float32 and float64, got {x.dtype} "
                        f"inputs and {weight.dtype} weights")
    if bias is not None and bias.dtype != x.dtype:
        raise TypeError(f"bias dtype {bias.dtype} differs from the input's {x.dtype}")
    lead = x.shape[:-1]
    x2 = x.reshape(-1, x.shape[-1])
    y = _TropicalDenseFunction.apply(x2, weight, bias, semiring, pipeline, threads, tie)
    return y.reshape(*lead, weight.shape[0])


# ---------------------------------------------------------------------------
# Maxout and paper C's max-plus-min layer (tie rule "first")
# ---------------------------------------------------------------------------

def _np_dtype(ty):
    return np.float32 if ty == "f32" else np.float64


def _maxout_sources(ty, m, c, k):
    x, y, w = f"tensor<{m}x{c}x{ty}>", f"tensor<{m}x{c // k}x{ty}>", f"tensor<{m}x{c // k}xi64>"
    return (f"func.func @forward(%x: {x}, %y: {y}, %w: {w}) -> ({y}, {w}) {{\n"
            f"  %r0, %r1 = trop.maxout_winners group_size = {k} ins(%x : {x}) "
            f"outs(%y, %w : {y}, {w}) -> {y}, {w}\n  return %r0, %r1 : {y}, {w}\n}}\n"
            f"func.func @backward(%g: {y}, %w: {w}, %d: {x}) -> {x} {{\n"
            f"  %r = trop.route_maxout_to_winners group_size = {k} ins(%g, %w : {y}, {w}) "
            f"outs(%d : {x}) -> {x}\n  return %r : {x}\n}}\n")


class _MaxoutFunction(torch.autograd.Function):
    """trop.maxout_winners forward, trop.route_maxout_to_winners backward:
    each output's gradient goes to the first maximal input of its group."""

    @staticmethod
    def forward(ctx, x, group_size, pipeline, threads):
        m, c = x.shape
        ty = _DTYPES[x.dtype]
        source = _maxout_sources(ty, m, c, group_size)
        forward = _kernel("forward", source, pipeline, threads, _nan_mode(x))
        y, winners = forward(_as_numpy(x), np.full((m, c // group_size), -np.inf, _np_dtype(ty)),
                             np.full((m, c // group_size), -1, np.int64))
        ctx.config = (source, pipeline, threads, m, c, ty)
        winners = torch.from_numpy(winners)
        ctx.save_for_backward(winners)
        return torch.from_numpy(y)

    @staticmethod
    def backward(ctx, grad):
        source, pipeline, threads, m, c, ty = ctx.config
        (winners,) = ctx.saved_tensors
        backward = _kernel("backward", source, pipeline, threads)
        grad_x = backward(_as_numpy(grad), _as_numpy(winners), np.zeros((m, c), _np_dtype(ty)))
        return torch.from_numpy(grad_x), None, None, None


def tropical_maxout(x, group_size, pipeline="cpu", threads=1):
    """trop.nn.Maxout on compiled kernels that autograd differentiates (tie
    rule ``"first"``), for x of shape (..., C), float32 or float64."""
    if x.dtype not in _DTYPES:
        raise TypeError(f"compiled training supports float32 and float64, got {x.dtype}")
    c = x.shape[-1]
    if c % group_size:
        raise ValueError(f"Maxout: {c} channels are not a multiple of group_size {group_size}")
    y = _MaxoutFunction.apply(x.reshape(-1, c), group_size, pipeline, threads)
    return y.reshape(*x.shape[:-1], c // group_size)


def _dual_source(ty, m, k, n):
    a, b, o, w = (f"tensor<{m}x{k}x{ty}>", f"tensor<{k}x{n}x{ty}>", f"tensor<{m}x{n}x{ty}>",
                  f"tensor<{m}x{n}xi64>")
    return (f"func.func @forward(%a: {a}, %b: {b}, %c: {o}, %d: {o}, %u: {w}, %v: {w}) "
            f"-> ({o}, {o}, {w}, {w}) {{\n"
            f"  %r:4 = trop.dual_matmul_winners ins(%a, %b : {a}, {b}) "
            f"outs(%c, %d, %u, %v : {o}, {o}, {w}, {w}) -> {o}, {o}, {w}, {w}\n"
            f"  return %r#0, %r#1, %r#2, %r#3 : {o}, {o}, {w}, {w}\n}}\n")


class _MaxPlusMinFunction(torch.autograd.Function):
    """Paper C's max-plus-min layer on trop.dual_matmul_winners: the output
    gradient goes, through each branch, to that branch's first winner (or
    its bias); two compiled trop.route_to_winners route it."""

    @staticmethod
    def forward(ctx, x, weight, bias, bias2, pipeline, threads):
        m, k = x.shape
        n = weight.shape[0]
        ty = _DTYPES[x.dtype]
        inits = [b.detach().expand(m, n) if b is not None else
                 torch.full((m, n), z, dtype=x.dtype)
                 for b, z in ((bias, float("-inf")), (bias2, float("inf")))]
        forward = _kernel("forward", _dual_source(ty, m, k, n), pipeline, threads,
                          _nan_mode(x, weight, bias, bias2))
        minus_one = np.full((m, n), -1, np.int64)
        hi, lo, w_max, w_min = forward(_as_numpy(x), _as_numpy(weight.t()), _as_numpy(inits[0]),
                                       _as_numpy(inits[1]), minus_one, minus_one)
        ctx.config = (k, bias is not None, bias2 is not None, pipeline, threads)
        ctx.save_for_backward(torch.from_numpy(w_max), torch.from_numpy(w_min))
        return torch.from_numpy(hi) + torch.from_numpy(lo)

    @staticmethod
    def backward(ctx, grad):
        k, has_bias, has_bias2, pipeline, threads = ctx.config
        w_max, w_min = ctx.saved_tensors
        grad_x, grad_w = _route(grad, w_max, k, pipeline, threads)
        grad_x2, grad_w2 = _route(grad, w_min, k, pipeline, threads)
        zeros = torch.zeros_like(grad)
        grad_bias = torch.where(w_max == -1, grad, zeros).sum(0) if has_bias else None
        grad_bias2 = torch.where(w_min == -1, grad, zeros).sum(0) if has_bias2 else None
        return grad_x + grad_x2, grad_w + grad_w2, grad_bias, grad_bias2, None, None


def tropical_max_plus_min(x, weight, bias, bias2, pipeline="cpu", threads=1):
    """trop.nn.MaxPlusMin (``empty_rows="nan"``) on compiled kernels that
    autograd differentiates (tie rule ``"first"``)."""
    if x.dtype not in _DTYPES or weight.dtype != x.dtype:
        raise TypeError(f"compiled training supports float32 and float64, got {x.dtype} "
                        f"inputs and {weight.dtype} weights")
    x2 = x.reshape(-1, x.shape[-1])
    y = _MaxPlusMinFunction.apply(x2, weight, bias, bias2, pipeline, threads)
    return y.reshape(*x.shape[:-1], weight.shape[0])


def compile_training(model, enabled=True, pipeline="cpu", threads=1, tie="first"):
    """Switches every trop.nn.MaxPlus / MinPlus in ``model`` (itself
    included), and with ``tie="first"`` every Maxout and MaxPlusMin (with
    ``empty_rows="nan"``), to compiled forward and backward kernels, or back to the eager
    formulation with ``enabled=False``. Returns the number of layers
    switched. ``pipeline`` and ``threads`` are those of trop.compile;
    ``tie`` the gradients' tie rule (tropical_dense)."""
    if tie not in TIE_RULES:
        raise ValueError(f"tie must be one of {TIE_RULES}, got {tie!r}")
    from . import nn as tnn
    count = 0
    for module in model.modules():
        if isinstance(module, (tnn.MaxPlus, tnn.MinPlus)):
            module.compiled = ({"pipeline": pipeline, "threads": threads, "tie": tie}
                               if enabled else None)
            count += 1
        elif isinstance(module, (tnn.Maxout, tnn.MaxPlusMin)) and tie == "first":
            # Their compiled kernels route by the first winner only; with
            # "split" they keep the eager formulation, whose amax/amin split.
            module.compiled = ({"pipeline": pipeline, "threads": threads}
                               if enabled else None)
            count += 1
    return count
