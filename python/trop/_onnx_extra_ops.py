"""ONNX import rules for what ``torch.onnx.export`` writes for comparisons,
masks and shape arithmetic (``x > 0``, ``torch.where``, ``.float()`` of a
mask, ``.repeat``, ``.expand`` with ``-1``, slices, ``x.size(i)``):
Greater/Less/GreaterOrEqual/LessOrEqual/Equal, Not/And/Or/Xor, Cast, Tile,
Slice, Gather, Shape and ConstantOfShape. Registered into
``trop.onnx_import.OPS`` when that module is imported.

Shapes are static, so Shape is a constant, and every rule whose operands are
all constants folds to a constant with numpy (exactly what ONNX computes:
``torch.onnx`` exports size arithmetic as such chains of constants).
"""

import numpy as np

from .onnx_import import (_ELEMENT_TYPES, _NUMPY_TO_MLIR, OnnxImportError, _is_float, _op,
                          _ttype, _Val)


def _consts(im, node):
    """The values of all the node's operands if they are all constants."""
    names = [n for n in node.input if n]
    if names and all(n in im.consts for n in names):
        return [im.consts[n] for n in names]
    return None


_COMPARE = {  # ONNX op: (numpy, cmpf predicate, cmpi predicate)
    "Greater": (np.greater, "ogt", "sgt"), "Less": (np.less, "olt", "slt"),
    "GreaterOrEqual": (np.greater_equal, "oge", "sge"),
    "LessOrEqual": (np.less_equal, "ole", "sle"), "Equal": (np.equal, "oeq", "eq"),
}


def _compare(op_type):
    fn, fpred, ipred = _COMPARE[op_type]

    def rule(im, node, attrs):
        consts = _consts(im, node)
        if consts is not None:
            return np.asarray(fn(consts[0], consts[1]))
        a, b = im.inputs(node, 2)
        if a.elt != b.elt:
            raise OnnxImportError(f"operands of types {a.elt} and {b.elt}")
        if a.elt == "i1" and op_type != "Equal":
            raise OnnxImportError(f"{op_type} of booleans is not supported")
        pred = f"arith.cmpf {fpred}" if _is_float(a.elt) else f"arith.cmpi {ipred}"
        return im.elementwise([a, b], lambda args, op: op(f"{pred}, {args[0]}, {args[1]}",
                                                           a.elt), elt="i1")
    return rule


for _name, (_, _f, _i) in _COMPARE.items():
    _op(_name, ir=f"`linalg.generic` (`arith.cmpf {_f}`, `arith.cmpi {_i}` on integers) "
        f"to i1, numpy broadcasting; constants folded")(_compare(_name))


@_op("Not", ir="`linalg.generic` (`arith.xori` with true) on i1")
def _not(im, node, attrs):
    consts = _consts(im, node)
    if consts is not None:
        return np.logical_not(consts[0])
    (x,) = im.inputs(node, 1)
    if x.elt != "i1":
        raise OnnxImportError(f"Not takes booleans, not {x.elt}")
    return im.elementwise([x], lambda args, op: op(
        f"arith.xori {args[0]}, {op.const(True, 'i1')}", "i1"))


def _logic(kind, fn):
    def rule(im, node, attrs):
        consts = _consts(im, node)
        if consts is not None:
            return np.asarray(fn(consts[0], consts[1]))
        a, b = im.inputs(node, 2)
        if a.elt != "i1" or b.elt != "i1":
            raise OnnxImportError(f"takes booleans, not {a.elt} and {b.elt}")
        return im.elementwise([a, b], lambda args, op: op(
            f"arith.{kind} {args[0]}, {args[1]}", "i1"))
    return rule


for _name, _kind, _fn in (("And", "andi", np.logical_and), ("Or", "ori", np.logical_or),
                          ("Xor", "xori", np.logical_xor)):
    _op(_name, ir=f"`linalg.generic` (`arith.{_kind}`) on i1, numpy broadcasting")(
        _logic(_kind, _fn))


def _bits(elt):
    return {"f16": 16, "f32": 32, "f64": 64, "i1": 1, "i8": 8, "i16": 16, "i32": 32,
            "i64": 64}[elt]


def _cast_op(src, dst):
    """The arith op text (before the operand) converting src to dst, or
    None when the conversion is not one trop supports."""
    if _is_float(src) and _is_float(dst):
        return "arith.extf" if _bits(dst) > _bits(src) else "arith.truncf"
    if _is_float(dst):
        return "arith.uitofp" if src == "i1" else "arith.sitofp"
    if _is_float(src):
        return None if dst == "i1" else "arith.fptosi"
    if src == "i1":
        return "arith.extui"
    if dst == "i1":
        return None
    return "arith.extsi" if _bits(dst) > _bits(src) else "arith.trunci"


@_op("Cast", ir="`linalg.generic` (`arith.uitofp` of i1, `arith.sitofp`, `arith.fptosi`, "
     "`arith.extf`/`truncf`, `arith.extsi`/`extui`/`trunci`; to i1: `arith.cmpf une`/"
     "`cmpi ne` with 0); constants folded")
def _cast(im, node, attrs):
    to = attrs.get("to")
    if to not in _ELEMENT_TYPES:
        raise OnnxImportError(f"cast to ONNX type {to} is not supported")
    dst, dtype = _ELEMENT_TYPES[to]
    consts = _consts(im, node)
    if consts is not None:
        return np.asarray(consts[0]).astype(dtype)
    (x,) = im.inputs(node, 1)
    if x.elt == dst:
        return x
    if dst == "i1":  # nonzero (NaN included, as numpy's astype(bool))
        pred = "arith.cmpf une" if _is_float(x.elt) else "arith.cmpi ne"
        return im.elementwise([x], lambda args, op: op(
            f"{pred}, {args[0]}, {op.const(0, x.elt)}", x.elt), elt="i1")
    text = _cast_op(x.elt, dst)
    return im.elementwise([x], lambda args, op: op(f"{text} {args[0]}", f"{x.elt} to {dst}"),
                          elt=dst)


@_op("Shape", ir="a constant (shapes are static)")
def _shape(im, node, attrs):
    name = node.input[0]
    shape = im.consts[name].shape if name in im.consts else im.value(name).shape
    start, end = attrs.get("start", 0), attrs.get("end", None)
    return np.array(shape[start:end], dtype=np.int64)


@_op("ConstantOfShape", ir="a constant (`arith.constant dense<...>`)", static=(0,))
def _constant_of_shape(im, node, attrs):
    shape = [int(s) for s in im.const(node.input[0], "the shape")]
    value = attrs.get("value", None)
    if value is None:
        return np.zeros(shape, np.float32)
    from onnx import numpy_helper
    fill = numpy_helper.to_array(value).reshape(-1)
    if fill.dtype not in _NUMPY_TO_MLIR:
        raise OnnxImportError(f"value of type {fill.dtype} is not supported")
    return np.full(shape, fill[0], fill.dtype)


@_op("Tile", ir="a broadcasting `linalg.generic` (repeats × dims) + "
     "`tensor.collapse_shape`; constants folded", static=(1,))
def _tile(im, node, attrs):
    repeats = [int(r) for r in im.const(node.input[1], "the repeats")]
    consts = _consts(im, node)
    if consts is not None:
        return np.tile(consts[0], repeats)
    x = im.value(node.input[0])
    n = len(x.shape)
    if len(repeats) != n or any(r < 1 for r in repeats):
        raise OnnxImportError(f"repeats {repeats} for a rank-{n} input")
    # out[r_0, i_0, r_1, i_1, ...] = x[i_0, i_1, ...], then (r_k, i_k) merged.
    wide = [s for pair in zip(repeats, x.shape) for s in pair]
    init = im.b.empty(wide, x.elt)
    out = im.b.generic([(x, [f"d{2 * k + 1}" for k in range(n)])], init, 2 * n,
                       [f"d{i}" for i in range(2 * n)], ["parallel"] * (2 * n),
                       lambda args, o, op: args[0])
    return im.b.reshape(out, [r * s for r, s in zip(repeats, x.shape)]) \
        if n else out


def _slice_spec(im, node, attrs):
    """(starts, ends, axes, steps) of a Slice with constant operands
    (opset ≥ 10) or attributes (opset 1)."""
    if attrs.has("starts"):
        starts, ends = list(attrs.get("starts")), list(attrs.get("ends"))
        axes = list(attrs.get("axes", range(len(starts))))
        steps = [1] * len(starts)
    else:
        operand = [im.const(node.input[i], w) if len(node.input) > i and node.input[i]
                   else None for i, w in ((1, "starts"), (2, "ends"), (3, "axes"),
                                          (4, "steps"))]
        starts, ends = [int(s) for s in operand[0]], [int(e) for e in operand[1]]
        axes = [int(a) for a in operand[2]] if operand[2] is not None else \
            list(range(len(starts)))
        steps = [int(s) for s in operand[3]] if operand[3] is not None else \
            [1] * len(starts)
    return starts, ends, axes, steps


def _numpy_slices(im, node, attrs, n):
    """The Slice as a tuple of Python slices (numpy's semantics are ONNX's:
    clamped bounds, any nonzero step)."""
    out = [slice(None)] * n
    for start, end, axis, step in zip(*_slice_spec(im, node, attrs)):
        if not -n <= axis < n:
            raise OnnxImportError(f"axis {axis} is out of range for rank {n}")
        out[axis % n] = slice(start, end, step)
    return tuple(out)


def _slice_params(im, node, attrs, shape):
    """(offsets, sizes, strides) per dimension of a Slice with positive
    steps."""
    n = len(shape)
    offsets, sizes, strides = [0] * n, list(shape), [1] * n
    for start, end, axis, step in zip(*_slice_spec(im, node, attrs)):
        if not -n <= axis < n:
            raise OnnxImportError(f"axis {axis} is out of range for rank {n}")
        axis %= n
        if step <= 0:
            raise OnnxImportError(f"step {step}: only positive steps are supported")
        begin, stop, _ = slice(start, end, step).indices(shape[axis])
        count = len(range(begin, stop, step))
        if count == 0:
            raise OnnxImportError("tensors with no elements are not supported")
        offsets[axis], sizes[axis], strides[axis] = begin, count, step
    return offsets, sizes, strides


@_op("Slice", ir="`tensor.extract_slice` (positive steps as strides); constants folded "
     "(any step)", static=(1, 2, 3, 4))
def _slice(im, node, attrs):
    consts = im.consts.get(node.input[0])
    if consts is not None:
        return consts[_numpy_slices(im, node, attrs, consts.ndim)]
    x = im.value(node.input[0])
    offsets, sizes, strides = _slice_params(im, node, attrs, x.shape)
    if strides == [1] * len(strides):
        return im.b.extract_slice(x, offsets, sizes)
    name = im.b.fresh("x")
    im.b.emit(f"{name} = tensor.extract_slice {x.name}[{', '.join(map(str, offsets))}] "
              f"[{', '.join(map(str, sizes))}] [{', '.join(map(str, strides))}] : "
              f"{x.type} to {_ttype(sizes, x.elt)}")
    return _Val(name, tuple(sizes), x.elt)


@_op("Gather", ir="constants folded; of a computed tensor (constant indices): one "
     "`tensor.extract_slice` per index, `tensor.insert_slice`d into a `tensor.empty`",
     static=(1,))
def _gather(im, node, attrs):
    axis = attrs.get("axis", 0)
    indices = np.asarray(im.const(node.input[1], "the indices"))
    data = im.consts.get(node.input[0])
    if data is not None:
        return np.take(data, indices, axis=axis)
    x = im.value(node.input[0])
    n = len(x.shape)
    if not -n <= axis < n:
        raise OnnxImportError(f"axis {axis} is out of range for rank {n}")
    axis %= n
    size = x.shape[axis]
    if indices.size > _MAX_GATHER or indices.size == 0:
        raise OnnxImportError(f"{indices.size} indices (at most {_MAX_GATHER}, at least 1)")
    if ((indices < -size) | (indices >= size)).any():
        raise OnnxImportError(f"an index is out of range for size {size}")
    before, after = list(x.shape[:axis]), list(x.shape[axis + 1:])
    out_shape = before + list(indices.shape) + after
    piece = before + [1] * indices.ndim + after
    out = im.b.empty(out_shape, x.elt)
    for pos in np.ndindex(*indices.shape):
        index = int(indices[pos]) % size
        part = im.b.extract_slice(x, [0] * axis + [index] + [0] * len(after),
                                  before + [1] + after)
        if not indices.ndim:
            return im.b.reshape(part, out_shape)
        out = im.b.insert_slice(im.b.reshape(part, piece), out,
                                [0] * axis + list(pos) + [0] * len(after))
    return out


# Gather of a computed tensor emits a slice per index.
_MAX_GATHER = 4096


def _int_div(a, b):  # ONNX's integer Div truncates toward zero
    q = np.abs(a) // np.abs(b)
    return (q * np.sign(a) * np.sign(b)).astype(np.result_type(a, b))


def _axes(node, attrs, arrays, rank):
    axes = list(attrs.get("axes")) if attrs.has("axes") else \
        [int(a) for a in arrays[1].reshape(-1)]
    return [a % rank for a in axes]


def _unsqueeze(node, attrs, arrays):
    x = arrays[0]
    rank = x.ndim + (len(attrs.get("axes")) if attrs.has("axes") else arrays[1].size)
    for axis in sorted(_axes(node, attrs, arrays, rank)):
        x = np.expand_dims(x, axis)
    return x


_FOLD = {
    "Add": lambda node, attrs, a: a[0] + a[1],
    "Sub": lambda node, attrs, a: a[0] - a[1],
    "Mul": lambda node, attrs, a: a[0] * a[1],
    "Div": lambda node, attrs, a: _int_div(a[0], a[1]),
    "Neg": lambda node, attrs, a: -a[0],
    "Max": lambda node, attrs, a: np.maximum.reduce(np.broadcast_arrays(*a)),
    "Min": lambda node, attrs, a: np.minimum.reduce(np.broadcast_arrays(*a)),
    "Where": lambda node, attrs, a: np.where(a[0], a[1], a[2]),
    "Concat": lambda node, attrs, a: np.concatenate(a, axis=attrs.get("axis")),
    "Unsqueeze": _unsqueeze,
    "Squeeze": lambda node, attrs, a: np.squeeze(a[0], axis=tuple(
        _axes(node, attrs, a, a[0].ndim))) if attrs.has("axes") or len(a) > 1
    else np.squeeze(a[0]),
    "Range": lambda node, attrs, a: np.arange(a[0], a[1], a[2], dtype=a[0].dtype),
    "Identity": lambda node, attrs, a: a[0],
    "Transpose": lambda node, attrs, a: np.transpose(
        a[0], list(attrs.get("perm")) if attrs.has("perm") else None),
    "Reshape": lambda node, attrs, a: a[0].reshape(
        [a[0].shape[i] if s == 0 else s for i, s in enumerate(a[1].tolist())]),
}


def fold(im, node, attrs):
    """The node's result when every operand is an integer or boolean constant
    (the shape arithmetic ``torch.onnx`` exports), computed with numpy;
    None otherwise. Float constants are left to the rules (their arithmetic
    stays in the IR, as written)."""
    fn = _FOLD.get(node.op_type)
    consts = _consts(im, node) if fn else None
    if consts is None or not all(c.dtype.kind in "biu" for c in consts):
        return None
    return np.asarray(fn(node, attrs, [np.asarray(c) for c in consts]))
