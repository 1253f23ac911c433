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

__all__ = ["TIE_RULES", "compile_training", "tropical_dense"]

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


def compile_training(model, enabled=True, pipeline="cpu", threads=1, tie="first"):
    """Switches every trop.nn.MaxPlus / MinPlus in ``model`` (itself
    included) to compiled forward and backward kernels, or back to the eager
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
    return count
