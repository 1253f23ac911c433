"""Training trop.nn's tropical layers through compiled kernels.

``compile_training(model)`` switches every ``MaxPlus``/``MinPlus`` layer of a
model from its eager broadcast-and-reduce formulation (which materialises a
batch × out × in tensor) to a ``torch.autograd.Function`` whose forward is a
compiled ``trop.matmul_winners`` (the layer's value and each output's
winning input) and whose backward is a compiled ``trop.route_to_winners``
(each output gradient routed to its winner's input and weight), JIT-compiled
once per shape and cached. ``compile_training(model, enabled=False)``
switches back.

Gradients are those of ``torch.max(..., dim)``: each output's gradient goes
to the first input index that attains it; an output the bias wins sends its
gradient to the bias. On data without ties this is exactly what PyTorch's
autograd gives for the eager formulation (``amax`` splits ties evenly;
docs/training.md). The bias gradient is a masked sum done by PyTorch; the
operand gradients and the forward are the compiled kernels.
"""

import threading

import numpy as np
import torch

from . import runtime

__all__ = ["compile_training", "tropical_dense"]

_DTYPES = {torch.float32: "f32", torch.float64: "f64"}
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


class _TropicalDenseFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, semiring, pipeline, threads):
        m, k = x.shape
        n = weight.shape[0]
        ty = _DTYPES[x.dtype]
        zero = float("-inf") if semiring == "max_plus" else float("inf")
        init = (bias.detach().expand(m, n) if bias is not None
                else torch.full((m, n), zero, dtype=x.dtype))
        forward = _kernel("forward", _forward_source(semiring, ty, m, k, n),
                          pipeline, threads, _nan_mode(x, weight, bias))
        y, winners = forward(_as_numpy(x), _as_numpy(weight.t()), _as_numpy(init),
                             np.full((m, n), -1, np.int64))
        winners = torch.from_numpy(winners)
        ctx.save_for_backward(winners)
        ctx.config = (ty, m, k, n, bias is not None, pipeline, threads, x.dtype)
        return torch.from_numpy(y)

    @staticmethod
    def backward(ctx, grad):
        (winners,) = ctx.saved_tensors
        ty, m, k, n, has_bias, pipeline, threads, dtype = ctx.config
        backward = _kernel("backward", _backward_source(ty, m, k, n), pipeline, threads)
        np_dtype = np.float32 if ty == "f32" else np.float64
        grad_x, grad_wt = backward(_as_numpy(grad), winners.numpy(),
                                   np.zeros((m, k), np_dtype), np.zeros((k, n), np_dtype))
        grad_bias = None
        if has_bias:
            grad_bias = torch.where(winners == -1, grad, torch.zeros_like(grad)).sum(0)
        return (torch.from_numpy(grad_x), torch.from_numpy(grad_wt).t(), grad_bias,
                None, None, None)


def tropical_dense(x, weight, bias, semiring, pipeline="cpu", threads=1):
    """``y_i = max(b_i, max_j (x_j + W_ij))`` (``semiring="max_plus"``) or the
    min-plus dual, for x of shape (..., in_features), on compiled kernels that
    autograd differentiates (see the module docstring)."""
    if semiring not in ("max_plus", "min_plus"):
        raise ValueError(f"semiring must be 'max_plus' or 'min_plus', got {semiring!r}")
    if x.dtype not in _DTYPES or weight.dtype != x.dtype:
        raise TypeError(f"compiled training supports float32 and float64, got {x.dtype} "
                        f"inputs and {weight.dtype} weights")
    if bias is not None and bias.dtype != x.dtype:
        raise TypeError(f"bias dtype {bias.dtype} differs from the input's {x.dtype}")
    lead = x.shape[:-1]
    x2 = x.reshape(-1, x.shape[-1])
    y = _TropicalDenseFunction.apply(x2, weight, bias, semiring, pipeline, threads)
    return y.reshape(*lead, weight.shape[0])


def compile_training(model, enabled=True, pipeline="cpu", threads=1):
    """Switches every trop.nn.MaxPlus / MinPlus in ``model`` (itself
    included) to compiled forward and backward kernels, or back to the eager
    formulation with ``enabled=False``. Returns the number of layers
    switched. ``pipeline`` and ``threads`` are those of trop.compile."""
    from . import nn as tnn
    count = 0
    for module in model.modules():
        if isinstance(module, (tnn.MaxPlus, tnn.MinPlus)):
            module.compiled = {"pipeline": pipeline, "threads": threads} if enabled else None
            count += 1
    return count
