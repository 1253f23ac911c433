"""Export of paper D's layers (``trop.nn.BiSE``, ``LUI``, ``DenseLUI``,
``LevelSets``; ``BiSEL`` is traced through as a BiSE, a channel regrouping
and a LUI).

A BiSE layer becomes one ``trop.bise`` op whose operands are the values the
layer computes from its parameters: W = softplus(Θ) (transposed to
O×KH×KW×C/G), the bias of its ``bias_mode`` and the scale P, all constants,
so that ``--trop-binarize`` finds in one op everything the paper's
activation inequalities need. One op rather than a chain of a replicate pad,
a convolution and elementwise generics: the pass then cannot mistake a
zero-padded or otherwise changed chain for a BiSE (docs/paper-d.md). A
DenseLUI is the same op on an N×1×1×K view of its input. ``LevelSets``
becomes ``trop.level_sets`` and a conversion of its bits to 0/1 floats.
"""

from .._errors import ExportError
from ._core import _Val, _ttype


def _check_float(m, what):
    if m.binary:
        raise ExportError(f"{what}: the layer is in binary mode (binarize() was "
                          f"called); export the float layer and binarize it "
                          f"with --trop-binarize")


def _bise_op(ex, xin, m, out_channels, what):
    """``trop.bise`` on the NHWC (physical) value ``xin``; returns the
    result's SSA name and physical shape."""
    weight = m.weight.detach().cpu().permute(0, 2, 3, 1).contiguous()
    w = ex.b.tensor_constant(weight.numpy(), ex.elt, f"{what}: W = softplus(Θ), "
                             f"O x KH x KW x C/G", is_param=False)
    b = ex.b.tensor_constant(m.bias.detach().cpu().numpy(), ex.elt,
                             f"{what}: bias ({m.bias_mode})", is_param=False)
    p = ex.b.tensor_constant(m.scale.detach().cpu().numpy(), ex.elt,
                             f"{what}: scale P", is_param=False)
    n, h, wd, _ = xin.phys
    out_phys = (n, h, wd, out_channels)
    oty = _ttype(out_phys, ex.elt)
    init = ex.b.empty(out_phys, ex.elt)
    name = ex.b.fresh("bise")
    vec = _ttype((out_channels,), ex.elt)
    ex.b.emit(f"// {what}")
    ex.b.emit(f"{name} = trop.bise <{m.threshold}> groups = {m.groups} "
              f"ins({xin.name}, {w}, {b}, {p} : {xin.type}, "
              f"{_ttype(tuple(weight.shape), ex.elt)}, {vec}, {vec}) "
              f"outs({init} : {oty}) -> {oty}")
    return name, out_phys


def lower_bise(ex, node, m):
    """BiSE and LUI (NCHW in and out)."""
    what = f"{type(m).__name__} at '{node.target}'"
    _check_float(m, what)
    x = ex.val(node.args[0], what)
    xin = ex.nhwc(x, what)
    name, (n, h, w, o) = _bise_op(ex, xin, m, m.out_channels, what)
    return _Val(name, (n, o, h, w), ex.elt, (0, 2, 3, 1))


def lower_dense_lui(ex, node, m):
    """DenseLUI (N×K in, N×O out): trop.bise on an N×1×1×K view."""
    what = f"DenseLUI at '{node.target}'"
    _check_float(m, what)
    x = ex.val(node.args[0], what)
    if len(x.shape) != 2:
        raise ExportError(f"{what} expects an N x {m.in_features} input, got "
                          f"shape {x.shape}")
    n, k = x.shape
    image = ex.reshape(x, (n, 1, 1, k))
    name, out_phys = _bise_op(ex, image, m, m.out_features, what)
    return ex.reshape(_Val(name, out_phys, ex.elt), (n, m.out_features))


def lower_level_sets(ex, node, m):
    """LevelSets (NCHW): trop.level_sets on NHWC, then the bits as 0/1."""
    what = f"LevelSets at '{node.target}'"
    x = ex.val(node.args[0], what)
    xin = ex.nhwc(x, what)
    thresholds = [float(t) for t in m.thresholds.detach().cpu().double()]
    n, h, w, c = xin.phys
    count = len(thresholds)
    out_phys = (n, h, w, c * count)
    bty = _ttype(out_phys, "i1")
    init = ex.b.empty(out_phys, "i1")
    bits = ex.b.fresh("levels")
    ex.b.emit(f"// {what}")
    ex.b.emit(f"{bits} = trop.level_sets thresholds = "
              f"[{', '.join(repr(t) for t in thresholds)}] ins({xin.name} : "
              f"{xin.type}) outs({init} : {bty}) -> {bty}")

    def body(args, emit):
        emit(f"%f = arith.uitofp {args[0]} : i1 to {ex.elt}")
        return "%f"
    name = ex.b.generic_full(4, [(bits, bty, "i1", ["d0", "d1", "d2", "d3"])],
                             out_phys, ex.elt, ["d0", "d1", "d2", "d3"], body,
                             comment=f"{what}: bits as 0/1")
    return _Val(name, (n, c * count, h, w), ex.elt, (0, 2, 3, 1))


__all__ = ["lower_bise", "lower_dense_lui", "lower_level_sets"]
