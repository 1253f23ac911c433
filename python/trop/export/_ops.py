"""Lowering rules for the operations researchers' code uses beyond the
layers of ``_core``: broadcasting arithmetic, reductions (with the tropical
broadcast-and-reduce form recognised), shape manipulation, elementwise
functions, comparisons and selection, pooling, unfold and padding.

Each rule takes the exporter and the recorded ``torch.fx`` node and returns
a ``_Val`` (or a tuple of them for a tuple-valued op such as ``torch.max``
with ``dim``, whose indices are ``None``: not translated).

The tropical form ``reduce_max(x.unsqueeze(i) + W.unsqueeze(j), k)`` (and
min, and ``-``, in any operand order, with a bias ``torch.cat``-ed along the
reduced dimension) is recognised here: a broadcasting add/sub is *deferred*
(``_Deferred``) and a max/min reduction of it becomes ``trop.matmul`` (or, if
its dimensions do not form a matrix product, one fused ``linalg.generic``
that ``--trop-raise`` recognises), so the batch×out×in sum is never
materialised."""

import math
import operator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .._errors import ExportError
from . import _core, _windows
from ._core import (_FUNCTION_RULES, _METHOD_RULES, _MODULE_RULES, SUPPORTED, _Val, _arg,
                    _float_bits, _map, _pair, _ttype)

# ---------------------------------------------------------------------------
# IR helpers
# ---------------------------------------------------------------------------


class _Body:
    """Emits the ops of a linalg.generic body with fresh SSA names."""

    def __init__(self, emit, elt):
        self.emit, self.elt, self.n = emit, elt, 0

    def op(self, text, elt=None):
        self.n += 1
        name = f"%b{self.n}"
        self.emit(f"{name} = {text} : {elt or self.elt}")
        return name

    def const(self, value, elt=None):
        elt = elt or self.elt
        if elt == "i1":
            return self.op(f"arith.constant {'true' if value else 'false'}", "i1")
        return self.op(f"arith.constant {_float_bits(float(value), elt)}", elt)


def gen(ex, n_loops, ins, out_shape, out_elt, out_exprs, body, reductions=(),
        init=None, comment=None):
    """``_Builder.generic_full`` with a body written with a :class:`_Body`:
    ``body(args, b)`` gets the block arguments (inputs, then the output)."""
    return ex.b.generic_full(n_loops, ins, out_shape, out_elt, out_exprs,
                             lambda args, emit: body(args, _Body(emit, ex.elt)),
                             reductions, init, comment)


def _bshape(*shapes):
    try:
        return tuple(int(s) for s in np.broadcast_shapes(*shapes))
    except ValueError as exc:
        raise ExportError(f"shapes {shapes} do not broadcast") from exc


def _bexprs(shape, out_shape):
    """The indexing map results reading a value of ``shape`` broadcast to
    ``out_shape`` (numpy rules: aligned on the right, size 1 repeated)."""
    off = len(out_shape) - len(shape)
    return [("0" if s == 1 and out_shape[off + j] != 1 else f"d{off + j}")
            for j, s in enumerate(shape)]


def ew(ex, operands, fn, out_elt=None, comment=None):
    """Elementwise ``fn`` over _Vals and Python numbers, with broadcasting.
    Operands of one shape keep the first one's storage order (a residual add
    of NHWC convolutions stays NHWC)."""
    vals = [o for o in operands if isinstance(o, _Val)]
    out_elt = out_elt or ex.elt
    shape = _bshape(*[v.shape for v in vals])
    same = all(v.shape == shape for v in vals)
    perm = vals[0].perm if same else tuple(range(len(shape)))
    phys = tuple(shape[p] for p in perm)
    ins, slots = [], []
    for o in operands:
        if isinstance(o, _Val):
            if same:
                v = ex.to_perm(o, perm)
                exprs = [f"d{d}" for d in range(len(phys))]
            else:
                v = ex.logical(o)
                exprs = _bexprs(v.shape, shape)
            slots.append(len(ins))
            ins.append((v.name, v.type, v.elt, exprs))
        else:
            slots.append(o)

    def body(args, b):
        xs = [args[s] if isinstance(s, int) and not isinstance(s, bool)
              and s < len(ins) and isinstance(operands[i], _Val) else b.const(s)
              for i, s in enumerate(slots)]
        return fn(xs, b)

    name = gen(ex, len(phys), ins, phys, out_elt, [f"d{d}" for d in range(len(phys))],
               body, comment=comment)
    return _Val(name, shape, out_elt, perm)


def bool_constant(ex, array, label):
    """An i1 constant (a mask computed from constants)."""
    array = np.asarray(array, dtype=bool)
    name = ex.b.fresh("mask")
    ty = _ttype(array.shape, "i1")
    if array.size and (array == array.flat[0]).all():
        attr = f"dense<{'true' if array.flat[0] else 'false'}>"
    else:
        packed = ", ".join("true" if v else "false" for v in array.reshape(-1))
        attr = f"dense<[{packed}]>" if array.ndim == 1 else None
        if attr is None:
            attr = ("dense<" + repr(array.astype(int).tolist()).replace("1", "true")
                    .replace("0", "false") + ">")
    ex.b.emit(f"// {label}")
    ex.b.emit(f"{name} = arith.constant {attr} : {ty}")
    return _Val(name, tuple(array.shape), "i1")


def constant(ex, array, label):
    array = np.asarray(array, dtype=_core._DTYPES[ex.dtype][1])
    return _Val(ex.b.tensor_constant(array, ex.elt, label, is_param=False),
                tuple(array.shape), ex.elt, None, array)


def _tensor_arg(ex, node, arg, what):
    """A tensor operand, or a Python number."""
    if isinstance(arg, torch.fx.Node):
        return ex.val(arg, what)
    if isinstance(arg, bool) or not isinstance(arg, (int, float)):
        raise ExportError(f"{what}: unsupported operand {arg!r}")
    return float(arg)


def _dim(d, rank):
    d = int(d)
    if not -max(rank, 1) <= d < max(rank, 1):
        raise ExportError(f"dimension {d} is out of range for rank {rank}")
    return d % max(rank, 1)


# ---------------------------------------------------------------------------
# Deferred broadcasting add/sub: the tropical form
# ---------------------------------------------------------------------------

class _Deferred:
    """``a op b`` (op: addf or subf) with an outer broadcast, kept symbolic
    until something other than a max/min reduction needs its values."""

    def __init__(self, op, a, b, shape, what):
        self.op, self.a, self.b, self.shape, self.what = op, a, b, shape, what

    def materialize(self, ex):
        return ew(ex, [self.a, self.b], lambda x, b: b.op(f"arith.{self.op} {x[0]}, "
                                                          f"{x[1]}"), comment=self.what)


class _DeferredCat:
    """``torch.cat(parts, dim)`` where a part is deferred."""

    def __init__(self, parts, dim, shape, what):
        self.parts, self.dim, self.shape, self.what = parts, dim, shape, what

    def materialize(self, ex):
        parts = [p.materialize(ex) if isinstance(p, _Deferred) else p for p in self.parts]
        return _cat_vals(ex, parts, self.dim)


def _padded(ex, v, rank):
    """v reshaped to ``rank`` dims with leading 1s."""
    if len(v.shape) == rank:
        return v
    return ex.reshape(v, (1,) * (rank - len(v.shape)) + v.shape)


def _tropical_reduce(ex, d, dim, kind, keepdim, init=None):
    """reduce_kind(d.a op d.b, dim): trop.matmul when the non-reduced
    dimensions of a and b are disjoint, else one fused generic. ``init``:
    a value of the result's shape to start from (a concatenated bias)."""
    shape = d.shape
    n = len(shape)
    a, b = _padded(ex, d.a, n), _padded(ex, d.b, n)
    if d.op == "subf":  # a - b == a + (-b) exactly
        b = _neg(ex, b)
    conv = _unfold_conv(ex, d.a, b, dim, kind, keepdim, init, d.what)
    if conv is not None:
        return conv
    out_logical = [i for i in range(n) if i != dim or keepdim]
    out_shape = tuple(1 if i == dim else shape[i] for i in out_logical)
    semiring = "max_plus" if kind == "max" else "min_plus"
    zero = -math.inf if kind == "max" else math.inf
    a_dims = [i for i in range(n) if i != dim and a.shape[i] > 1]
    b_dims = [i for i in range(n) if i != dim and b.shape[i] > 1]
    K = shape[dim]
    if a.shape[dim] != K or b.shape[dim] != K:
        return _fused_reduce(ex, a, b, shape, dim, kind, keepdim, out_shape, init)
    shared = [i for i in a_dims if i in b_dims]  # batch dimensions
    a_dims = [i for i in a_dims if i not in shared]
    b_dims = [i for i in b_dims if i not in shared]
    rest = [i for i in range(n) if i != dim and i not in a_dims + b_dims + shared]

    def size(dims):
        return int(np.prod([shape[i] for i in dims])) if dims else 1
    Bt, M, N = size(shared), size(a_dims), size(b_dims)
    lead = (Bt,) if shared else ()
    a_phys = ex.to_perm(a, shared + a_dims + [i for i in range(n) if i != dim and i not in
                                              shared + a_dims] + [dim])
    b_phys = ex.to_perm(b, shared + [dim] + b_dims + [i for i in range(n) if i != dim and
                                                      i not in shared + b_dims])
    a2 = ex.reshape(_Val(a_phys.name, a_phys.phys, a.elt, None, _phys_const(a_phys)),
                    lead + (M, K))
    b2 = ex.reshape(_Val(b_phys.name, b_phys.phys, b.elt, None, _phys_const(b_phys)),
                    lead + (K, N))
    phys_dims = shared + a_dims + b_dims + rest + ([dim] if keepdim else [])
    phys_shape = tuple(1 if i == dim else shape[i] for i in phys_dims)
    perm = tuple(out_logical.index(i) for i in phys_dims)
    cshape = lead + (M, N)
    if init is None:
        c = ex.b.fill(zero, cshape, ex.elt)
    else:
        iv = ex.to_perm(init, perm)
        c = ex.reshape(_Val(iv.name, iv.phys, iv.elt, None, _phys_const(iv)), cshape).name
    ty = _ttype(cshape, ex.elt)
    name = ex.b.fresh("trop")
    op = "batch_matmul" if shared else "matmul"
    ex.b.emit(f"// {d.what}, reduced with {kind} over dim {dim}: {semiring} {op}")
    ex.b.emit(f"{name} = trop.{op} <{semiring}> ins({a2.name}, {b2.name} : {a2.type}, "
              f"{b2.type}) outs({c} : {ty}) -> {ty}")
    r = ex.reshape(_Val(name, cshape, ex.elt), phys_shape)
    return _Val(r.name, out_shape, ex.elt, perm)


def _phys_const(v):
    return None if v.const is None else np.transpose(v.const, v.perm)


def _fused_reduce(ex, a, b, shape, dim, kind, keepdim, out_shape, init):
    n = len(shape)
    a, b = ex.logical(a), ex.logical(b)
    zero = -math.inf if kind == "max" else math.inf
    red = "maximumf" if kind == "max" else "minimumf"
    if init is None:
        init_name = ex.b.fill(zero, out_shape, ex.elt)
    else:
        init_name = ex.logical(init).name
    out_exprs = [("0" if i == dim else f"d{i}") for i in range(n) if i != dim or keepdim]

    def body(x, bb):
        s = bb.op(f"arith.addf {x[0]}, {x[1]}")
        return bb.op(f"arith.{red} {s}, {x[2]}")

    def operand(v):
        # broadcast dims dropped, so that the maps are projected
        # permutations (what --trop-raise's contraction matcher reads)
        kept = [i for i in range(n) if v.shape[i] == shape[i]]
        v = ex.reshape(v, tuple(shape[i] for i in kept))
        return (v.name, v.type, v.elt, [f"d{i}" for i in kept])
    name = gen(ex, n, [operand(a), operand(b)],
               out_shape, ex.elt, out_exprs, body, reductions=(dim,), init=init_name,
               comment=f"{kind}-plus contraction over dim {dim} (fused, not materialised)")
    return _Val(name, out_shape, ex.elt)


# ---------------------------------------------------------------------------
# Arithmetic
# ---------------------------------------------------------------------------

_ARITH = {"add": "addf", "sub": "subf", "mul": "mulf", "div": "divf",
          "maximum": "maximumf", "minimum": "minimumf"}


def _binary(op):
    def rule(ex, node):
        what = f"'{node.name}' ({op})"
        if ex.concrete(node.kwargs.get("alpha", 1)) != 1:
            raise ExportError(f"{what}: alpha != 1 is not supported")
        if op == "div" and node.kwargs.get("rounding_mode") is not None:
            raise ExportError(f"{what}: rounding_mode is not supported")
        lhs = _tensor_arg(ex, node, node.args[0], what)
        rhs = _tensor_arg(ex, node, node.args[1], what)
        if isinstance(lhs, _Val) and isinstance(rhs, _Val) and op in ("add", "sub"):
            shape = _bshape(lhs.shape, rhs.shape)
            size = int(np.prod(shape))
            if size > max(int(np.prod(lhs.shape)), int(np.prod(rhs.shape))):
                return _Deferred(_ARITH[op], lhs, rhs, shape, what)
        return ew(ex, [lhs, rhs],
                  lambda x, b: b.op(f"arith.{_ARITH[op]} {x[0]}, {x[1]}"), comment=what)
    return rule


def _neg(ex, v):
    if v.const is not None:
        return constant(ex, -v.const, "negated constant")
    return ew(ex, [v], lambda x, b: b.op(f"arith.negf {x[0]}"), comment="negation")


def _fn_neg(ex, node):
    return _neg(ex, ex.val(node.args[0], node.name))


def _fn_rsub(ex, node):  # torch.rsub(x, c) = c - x
    what = f"'{node.name}' (rsub)"
    x = ex.val(node.args[0], what)
    c = _tensor_arg(ex, node, node.args[1], what)
    return ew(ex, [c, x], lambda a, b: b.op(f"arith.subf {a[0]}, {a[1]}"), comment=what)


def _unary(make, label):
    def rule(ex, node):
        x = ex.val(node.args[0], node.name)
        return ew(ex, [x], lambda a, b: make(a[0], b), comment=f"'{node.name}': {label}")
    return rule


def _sigmoid(x, b):
    # 1 / (1 + exp(-x)), as PyTorch's CPU kernel computes it.
    e = b.op(f"math.exp {b.op(f'arith.negf {x}')}")
    return b.op(f"arith.divf {b.const(1.0)}, {b.op(f'arith.addf {b.const(1.0)}, {e}')}")


def _fn_softplus(ex, node):
    what = f"'{node.name}' (softplus)"
    x = ex.val(node.args[0], what)
    beta = float(ex.concrete(_arg(node, 1, "beta", 1)))
    threshold = float(ex.concrete(_arg(node, 2, "threshold", 20)))

    def body(a, b):
        # x * beta > threshold ? x : log1p(exp(x * beta)) / beta
        xb = b.op(f"arith.mulf {a[0]}, {b.const(beta)}")
        big = b.op(f"arith.cmpf ogt, {xb}, {b.const(threshold)}")
        e = b.op(f"math.exp {xb}")
        lp = b.op(f"math.log1p {e}")
        soft = b.op(f"arith.divf {lp}, {b.const(beta)}")
        return b.op(f"arith.select {big}, {a[0]}, {soft}")
    return ew(ex, [x], body, comment=what)


def _fn_clamp(ex, node):
    what = f"'{node.name}' (clamp)"
    x = ex.val(node.args[0], what)
    lo = _arg(node, 1, "min")
    hi = _arg(node, 2, "max")
    ops = [x]
    kinds = []
    for bound, fn in ((lo, "maximumf"), (hi, "minimumf")):
        if bound is not None:
            ops.append(_tensor_arg(ex, node, bound, what))
            kinds.append(fn)

    def body(a, b):
        r = a[0]
        for i, fn in enumerate(kinds):
            r = b.op(f"arith.{fn} {r}, {a[i + 1]}")
        return r
    return ew(ex, ops, body, comment=what)


_CMP = {"gt": "ogt", "ge": "oge", "lt": "olt", "le": "ole", "eq": "oeq", "ne": "une"}


def _compare(kind):
    def rule(ex, node):
        what = f"'{node.name}' ({kind})"
        lhs = _tensor_arg(ex, node, node.args[0], what)
        rhs = _tensor_arg(ex, node, node.args[1], what)
        return ew(ex, [lhs, rhs],
                  lambda x, b: b.op(f"arith.cmpf {_CMP[kind]}, {x[0]}, {x[1]}"),
                  out_elt="i1", comment=what)
    return rule


def _fn_where(ex, node):
    what = f"'{node.name}' (where)"
    cond = _tensor_arg(ex, node, node.args[0], what)
    a = _tensor_arg(ex, node, node.args[1], what)
    b_ = _tensor_arg(ex, node, node.args[2], what)
    return ew(ex, [cond, a, b_], lambda x, b: b.op(f"arith.select {x[0]}, {x[1]}, {x[2]}"),
              comment=what)


def _fn_identity(ex, node):
    x = ex.val(node.args[0], node.name)
    if isinstance(x, tuple):
        raise ExportError(f"'{node.name}': unsupported use of a tuple")
    return x


def _fn_t(ex, node):
    x = ex.val(node.args[0], node.name)
    if len(x.shape) < 2:
        return x
    r = len(x.shape)
    p = list(range(r))[::-1]
    return _Val(x.name, tuple(x.shape[k] for k in p), x.elt,
                tuple(p.index(q) for q in x.perm), None if x.const is None else x.const.T)


def _fn_to(ex, node):
    kind, _, dtype = ex.meta[node]
    x = ex.val(node.args[0], node.name)
    if isinstance(x, _Val) and x.elt == "i1" and dtype == ex.dtype:
        return ew(ex, [x], lambda a, b: b.op(f"arith.uitofp {a[0]}", f"i1 to {ex.elt}"),
                  comment=f"'{node.name}': bool to {ex.elt}")
    if dtype != ex.dtype:
        raise ExportError(f"'{node.name}': conversion to {dtype} is not supported")
    return _fn_identity(ex, node)


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------

def _reduce(ex, x, dims, kind, keepdim, what):
    """A generic reduction of x over ``dims`` (max, min or sum)."""
    x = ex.logical(x)
    n = len(x.shape)
    zero = {"max": -math.inf, "min": math.inf, "sum": 0.0}[kind]
    fn = {"max": "maximumf", "min": "minimumf", "sum": "addf"}[kind]
    out_shape = tuple(1 if i in dims else x.shape[i] for i in range(n)
                      if i not in dims or keepdim)
    init = ex.b.fill(zero, out_shape, ex.elt)
    out_exprs = [("0" if i in dims else f"d{i}") for i in range(n)
                 if i not in dims or keepdim]
    name = gen(ex, n, [(x.name, x.type, x.elt, [f"d{i}" for i in range(n)])], out_shape,
               ex.elt, out_exprs, lambda a, b: b.op(f"arith.{fn} {a[0]}, {a[1]}"),
               reductions=tuple(dims), init=init, comment=what)
    return _Val(name, out_shape, ex.elt)


def _maxmin_reduce(ex, node, src, dims, kind, keepdim, what):
    """max/min over ``dims`` of the node ``src``: the tropical forms first."""
    value = ex.vals.get(src)
    if len(dims) == 1:
        dim = dims[0]
        if isinstance(value, _Deferred):
            return _tropical_reduce(ex, value, dim, kind, keepdim)
        if isinstance(value, _DeferredCat) and value.dim == dim:
            main = [p for p in value.parts if isinstance(p, _Deferred)]
            if len(main) == 1:
                others = [p for p in value.parts if p is not main[0]]
                init = None
                for p in others:
                    r = _maxmin_reduce_val(ex, p, dim, kind, keepdim, what)
                    init = r if init is None else ew(
                        ex, [init, r], lambda x, b: b.op(
                            f"arith.{'maximumf' if kind == 'max' else 'minimumf'} "
                            f"{x[0]}, {x[1]}"))
                return _tropical_reduce(ex, main[0], dim, kind, keepdim, init)
    if len(dims) == 1 and not keepdim and isinstance(src, torch.fx.Node) and \
            src.target in (torch.stack, "stack"):
        tensors, sdim = _tensors_and_dim(ex, src)
        # A max over stacked pieces is their elementwise max, except along the
        # last dimension, where trop.maxout reads the stack directly.
        if sdim == dims[0] and sdim != len(ex.out_shape(src)) - 1:
            fn = "maximumf" if kind == "max" else "minimumf"
            acc = ex.val(tensors[0], what)
            for t in tensors[1:]:
                acc = ew(ex, [acc, ex.val(t, what)],
                         lambda x, b: b.op(f"arith.{fn} {x[0]}, {x[1]}"), comment=what)
            return acc
    x = ex.val(src, what)
    pooled = _windows.reduce(ex, x, dims, kind, keepdim, what)
    if pooled is not None:  # a max/min over unfold windows: pooling
        return pooled
    if len(dims) == 1:
        return _maxmin_reduce_val(ex, x, dims[0], kind, keepdim, what)
    if kind == "max" and len(x.shape) == 4 and dims == (2, 3):
        # a global max pool: max-plus morphology with a flat window
        pooled = _core._adaptive_max_pool(ex, x, 1, what)
        return ex.reshape(pooled, x.shape[:2] + ((1, 1) if keepdim else ()))
    return _reduce(ex, x, dims, kind, keepdim, what)


def _maxmin_reduce_val(ex, x, dim, kind, keepdim, what):
    n = len(x.shape)
    if kind == "max" and n >= 2 and dim == n - 1 and x.shape[-1] > 1 and not keepdim:
        # A max over the last dimension is maxout of the collapsed view.
        k = x.shape[-1]
        flat = ex.reshape(x, x.shape[:-2] + (x.shape[-2] * k,))
        return _core.maxout(ex, flat, k, f"{what}: max over the last dimension, as maxout")
    if x.shape[dim] == 1:
        return ex.reshape(x, tuple(s for i, s in enumerate(x.shape)
                                   if i != dim or keepdim))
    return _reduce(ex, x, (dim,), kind, keepdim, what)


def _dims_arg(ex, node, index, name, rank):
    d = ex.concrete(_arg(node, index, name))
    if d is None or d == () or d == []:
        return tuple(range(rank))
    if isinstance(d, (tuple, list)):
        return tuple(sorted(_dim(i, rank) for i in d))
    return (_dim(d, rank),)


def _maxmin(kind):
    """torch.max/min: full reduction, over a dim (values, indices), or
    elementwise with a second tensor."""
    def rule(ex, node):
        what = f"'{node.name}' ({kind})"
        src = node.args[0]
        other = _arg(node, 1, "dim")
        if isinstance(other, torch.fx.Node) and ex.meta[other][0] == "tensor":
            y = ex.val(other, what)
            return ew(ex, [ex.val(src, what), y],
                      lambda a, b: b.op(f"arith.{_ARITH['maximum' if kind == 'max' else 'minimum']}"
                                        f" {a[0]}, {a[1]}"), comment=what)
        rank = len(ex.meta[src][1])
        keepdim = bool(ex.concrete(_arg(node, 2, "keepdim", False)))
        if other is None:
            return _maxmin_reduce(ex, node, src, tuple(range(rank)), kind, False, what)
        dim = _dim(ex.concrete(other), rank)
        return (_maxmin_reduce(ex, node, src, (dim,), kind, keepdim, what), None)
    return rule


def _amaxmin(kind):
    def rule(ex, node):
        what = f"'{node.name}' (a{kind})"
        src = node.args[0]
        rank = len(ex.meta[src][1])
        dims = _dims_arg(ex, node, 1, "dim", rank)
        keepdim = bool(ex.concrete(_arg(node, 2, "keepdim", False)))
        return _maxmin_reduce(ex, node, src, dims, kind, keepdim, what)
    return rule


def _sum_mean(mean):
    def rule(ex, node):
        what = f"'{node.name}' ({'mean' if mean else 'sum'})"
        x = ex.val(node.args[0], what)
        dims = _dims_arg(ex, node, 1, "dim", len(x.shape))
        keepdim = bool(ex.concrete(_arg(node, 2, "keepdim", False)))
        r = _reduce(ex, x, dims, "sum", keepdim, what)
        if not mean:
            return r
        count = float(np.prod([x.shape[d] for d in dims]))
        return ew(ex, [r, count], lambda a, b: b.op(f"arith.divf {a[0]}, {a[1]}"),
                  comment=f"{what}: / {int(count)}")
    return rule


def _fn_kthvalue(ex, node):
    """The k-th smallest along a dim, exactly: element i is chosen where
    #{j: x_j < x_i} < k <= #{j: x_j <= x_i} (ties give equal values)."""
    what = f"'{node.name}' (kthvalue)"
    x = ex.logical(ex.val(node.args[0], what))
    k = int(ex.concrete(_arg(node, 1, "k")))
    n = len(x.shape)
    dim = _dim(ex.concrete(_arg(node, 2, "dim", -1)), n)
    keepdim = bool(ex.concrete(_arg(node, 3, "keepdim", False)))
    # counts[..., i] (loops: n + 1, the last is j, reduced)
    cshape = x.shape
    outs = []
    for pred in ("olt", "ole"):
        init = ex.b.fill(0.0, cshape, ex.elt)
        j_exprs = [f"d{n}" if i == dim else f"d{i}" for i in range(n)]

        def body(a, b, pred=pred):
            c = b.op(f"arith.cmpf {pred}, {a[1]}, {a[0]}", ex.elt)
            return b.op(f"arith.addf {a[2]}, "
                        f"{b.op(f'arith.select {c}, {b.const(1.0)}, {b.const(0.0)}')}")
        name = gen(ex, n + 1, [(x.name, x.type, x.elt, [f"d{i}" for i in range(n)]),
                               (x.name, x.type, x.elt, j_exprs)],
                   cshape, ex.elt, [f"d{i}" for i in range(n)], body, reductions=(n,),
                   init=init, comment=f"{what}: counts ({pred})")
        outs.append(_Val(name, cshape, ex.elt))
    lt, le = outs

    def select(a, b):
        ok1 = b.op(f"arith.cmpf olt, {a[1]}, {b.const(float(k))}", ex.elt)
        ok2 = b.op(f"arith.cmpf oge, {a[2]}, {b.const(float(k))}", ex.elt)
        ok = b.op(f"arith.andi {ok1}, {ok2}", "i1")
        return b.op(f"arith.select {ok}, {a[0]}, {b.const(-math.inf)}")
    chosen = ew(ex, [x, lt, le], select, comment=what)
    return (_reduce(ex, chosen, (dim,), "max", keepdim, what), None)


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------

def _fn_unsqueeze(ex, node):
    x = ex.val(node.args[0], node.name)
    r = ex.reshape(x, ex.out_shape(node))
    if x.name in ex.unfolds:  # still F.unfold's patches, for _unfold_conv
        ex.unfolds[r.name] = ex.unfolds[x.name]
    return r


def _fn_expand(ex, node):
    what = f"'{node.name}' (expand)"
    x = ex.val(node.args[0], what)
    shape = tuple(ex.out_shape(node))
    if x.shape == shape:
        return x
    if x.const is not None:
        return constant(ex, np.broadcast_to(x.const, shape), what)
    return _broadcast_to(ex, x, shape, what)


def _broadcast_to(ex, x, shape, what):
    x = ex.logical(x)
    n = len(shape)
    name = gen(ex, n, [(x.name, x.type, x.elt, _bexprs(x.shape, shape))], shape, x.elt,
               [f"d{i}" for i in range(n)], lambda a, b: a[0], comment=what)
    return _Val(name, shape, x.elt)


def _fn_repeat(ex, node):
    what = f"'{node.name}' (repeat)"
    x = ex.val(node.args[0], what)
    reps = node.args[1:] if len(node.args) > 2 else node.args[1]
    reps = ex.concrete(reps)
    reps = tuple(int(r) for r in (reps if isinstance(reps, (tuple, list)) else [reps]))
    shape = (1,) * (len(reps) - len(x.shape)) + x.shape
    if x.const is not None:
        return constant(ex, np.tile(x.const, reps), what)
    # tile = broadcast to (r0, s0, r1, s1, ...) then collapse pairs
    x = ex.reshape(x, tuple(v for s in shape for v in (1, s)))
    inter = tuple(v for r, s in zip(reps, shape) for v in (r, s))
    b = _broadcast_to(ex, x, inter, what)
    return ex.reshape(b, tuple(r * s for r, s in zip(reps, shape)))


def _cat_vals(ex, parts, dim):
    shape = list(parts[0].shape)
    shape[dim] = sum(p.shape[dim] for p in parts)
    shape = tuple(shape)
    if all(p.const is not None for p in parts):
        return constant(ex, np.concatenate([p.const for p in parts], dim), "cat")
    acc = ex.b.empty(shape, ex.elt)
    ty = _ttype(shape, ex.elt)
    off = 0
    for p in parts:
        p = ex.logical(p)
        offs = ", ".join(str(off if i == dim else 0) for i in range(len(shape)))
        sizes = ", ".join(str(s) for s in p.shape)
        ones = ", ".join("1" for _ in shape)
        name = ex.b.fresh("cat")
        ex.b.emit(f"{name} = tensor.insert_slice {p.name} into {acc}[{offs}] [{sizes}] "
                  f"[{ones}] : {p.type} into {ty}")
        acc = name
        off += p.shape[dim]
    return _Val(acc, shape, ex.elt)


def _tensors_and_dim(ex, node):
    rank = len(ex.out_shape(node))
    return _arg(node, 0, "tensors"), _dim(ex.concrete(_arg(node, 1, "dim", 0)), rank)


def _fn_cat(ex, node):
    what = f"'{node.name}' (cat)"
    tensors, dim = _tensors_and_dim(ex, node)
    parts = []
    for t in tensors:
        v = ex.vals.get(t) if isinstance(t, torch.fx.Node) else None
        parts.append(v if isinstance(v, _Deferred) else ex.val(t, what))
    if any(isinstance(p, _Deferred) for p in parts):
        return _DeferredCat(parts, dim, tuple(ex.out_shape(node)), what)
    return _cat_vals(ex, parts, dim)


def _fn_stack(ex, node):
    return _DeferredStack(node)


class _DeferredStack:
    """``torch.stack``: built only if something but a max/min over the
    stacked dimension (an elementwise max of the pieces) needs it."""

    def __init__(self, node):
        self.node = node

    def materialize(self, ex):
        what = f"'{self.node.name}' (stack)"
        tensors, dim = _tensors_and_dim(ex, self.node)
        parts = []
        for t in tensors:
            v = ex.val(t, what)
            parts.append(ex.reshape(v, v.shape[:dim] + (1,) + v.shape[dim:]))
        return _cat_vals(ex, parts, dim)


def _fn_squeeze(ex, node):
    return ex.reshape(ex.val(node.args[0], node.name), tuple(ex.out_shape(node)))


def _index(ex, node):
    """x[...]: ints, slices (with steps), None and Ellipsis."""
    what = f"'{node.name}' (indexing)"
    x = ex.logical(ex.val(node.args[0], what))
    idx = ex.concrete(node.args[1])
    idx = idx if isinstance(idx, tuple) else (idx,)
    if any(isinstance(i, torch.fx.Node) or not isinstance(i, (int, slice, type(None),
                                                              type(Ellipsis)))
           for i in idx):
        raise ExportError(f"{what}: only ints, slices, None and ... are supported")
    n_real = sum(1 for i in idx if i is not None and i is not Ellipsis)
    if Ellipsis in idx:
        e = idx.index(Ellipsis)
        idx = idx[:e] + (slice(None),) * (len(x.shape) - n_real) + idx[e + 1:]
    idx = idx + (slice(None),) * (len(x.shape) - sum(1 for i in idx if i is not None))
    offs, sizes, strides, keep = [], [], [], []
    d = 0
    for i in idx:
        if i is None:
            continue
        s = x.shape[d]
        if isinstance(i, int):
            offs.append(i % s)
            sizes.append(1)
            strides.append(1)
        else:
            start, stop, step = i.indices(s)
            offs.append(start)
            sizes.append(max(0, (stop - start + step - 1) // step))
            strides.append(step)
            keep.append(d)
        d += 1
    out = tuple(ex.out_shape(node))
    if x.const is not None:
        c = x.const[tuple(slice(o, o + sz * st, st) for o, sz, st in
                          zip(offs, sizes, strides))]
        return constant(ex, c.reshape(out), what)
    if tuple(sizes) == x.shape:
        sliced = x
    else:
        name = ex.b.fresh("slice")
        sty = _ttype(tuple(sizes), x.elt)
        ex.b.emit(f"{name} = tensor.extract_slice {x.name}[{', '.join(map(str, offs))}] "
                  f"[{', '.join(map(str, sizes))}] [{', '.join(map(str, strides))}] : "
                  f"{x.type} to {sty}")
        sliced = _Val(name, tuple(sizes), x.elt)
    return ex.reshape(sliced, out)


_core._index = _index


def _fn_diag_embed(ex, node):
    what = f"'{node.name}' (diag_embed)"
    x = ex.logical(ex.val(node.args[0], what))
    if ex.concrete(_arg(node, 1, "offset", 0)) != 0 or len(node.args) > 2:
        raise ExportError(f"{what}: only offset=0 and the last two dims are supported")
    n = len(x.shape)
    shape = x.shape + (x.shape[-1],)
    return _diag_matrix(ex, x, shape, n, what)


def _diag_matrix(ex, x, shape, n, what):
    def body(a, b):
        i = b.op(f"linalg.index {n - 1}", "index")
        j = b.op(f"linalg.index {n}", "index")
        eq = b.op(f"arith.cmpi eq, {i}, {j}", "index")
        return b.op(f"arith.select {eq}, {a[0]}, {b.const(0.0)}")
    name = gen(ex, n + 1, [(x.name, x.type, x.elt, [f"d{i}" for i in range(n)])],
               shape, ex.elt, [f"d{i}" for i in range(n + 1)], body,
               comment=what)
    return _Val(name, shape, ex.elt)


def _fn_diag(ex, node):
    what = f"'{node.name}' (diag)"
    x = ex.logical(ex.val(node.args[0], what))
    if ex.concrete(_arg(node, 1, "diagonal", 0)) != 0:
        raise ExportError(f"{what}: only diagonal=0 is supported")
    if len(x.shape) == 1:
        return _diag_matrix(ex, x, x.shape * 2, 1, what)
    m = min(x.shape)
    name = gen(ex, 1, [(x.name, x.type, x.elt, ["d0", "d0"])], (m,), ex.elt, ["d0"],
               lambda a, b: a[0], comment=what)
    return _Val(name, (m,), ex.elt)


# ---------------------------------------------------------------------------
# Matrix products
# ---------------------------------------------------------------------------

def _fn_matmul(ex, node):
    what = f"'{node.name}' (matmul)"
    a = ex.val(node.args[0], what)
    b = ex.val(node.args[1], what)
    if len(b.shape) != 2 or len(a.shape) < 1:
        raise ExportError(f"{what}: only x @ W with a 2-D W is supported")
    x2, back = ex.rows(a, what)
    k, n = b.shape
    init = ex.b.fill(0.0, (x2.shape[0], n), ex.elt)
    y = ex.matmul(x2, ex.logical(b).name, n, init, "linear", what)
    return back(y, n)


# ---------------------------------------------------------------------------
# Pooling, unfold, padding
# ---------------------------------------------------------------------------

def _window_sum(ex, x, kernel, stride, padding, what):
    """Sum over windows of an NCHW value (NHWC storage), zeros padding."""
    n, c, h, w = x.shape
    kh, kw = kernel
    pads, oh, ow = ex.conv_geometry(x, kernel, stride, padding, (1, 1), what)
    xin = ex.nhwc(x, what)
    if any(pads):
        xin = _core.pad_nhwc(ex, xin, pads, 0.0)
    init = ex.b.fill(0.0, (n, oh, ow, c), ex.elt)
    window = ex.b.empty((kh, kw), ex.elt)  # gives the window loops their sizes
    name = gen(ex, 6, [(xin.name, xin.type, xin.elt,
                        ["d0", f"d1 * {stride[0]} + d4", f"d2 * {stride[1]} + d5", "d3"]),
                       (window, _ttype((kh, kw), ex.elt), ex.elt, ["d4", "d5"])],
               (n, oh, ow, c), ex.elt, ["d0", "d1", "d2", "d3"],
               lambda a, b: b.op(f"arith.addf {a[2]}, {a[0]}"), reductions=(4, 5),
               init=init, comment=f"{what}: window sums")
    return _Val(name, (n, c, oh, ow), ex.elt, (0, 2, 3, 1))


def _avg_pool(ex, x, kernel, stride, padding, ceil_mode, count_include_pad, divisor, what,
              expected=None):
    kernel = _pair(kernel)
    stride = _pair(stride) if stride not in (None, (), []) else kernel
    padding = _pair(padding)
    if len(x.shape) != 4:
        raise ExportError(f"{what}: expects a 4-D NCHW input")
    s = _window_sum(ex, x, kernel, stride, padding, what)
    if expected is not None and tuple(expected[2:]) != s.shape[2:]:
        raise ExportError(f"{what}: ceil_mode=True with a partial last window is not "
                          f"supported")
    if any(padding) and not count_include_pad and divisor is None:
        raise ExportError(f"{what}: count_include_pad=False with padding is not "
                          f"supported")
    d = float(divisor or kernel[0] * kernel[1])
    return ew(ex, [s, d], lambda a, b: b.op(f"arith.divf {a[0]}, {a[1]}"),
              comment=f"{what}: / {d:g}")


def _fn_avg_pool2d(ex, node):
    c = ex.concrete
    return _avg_pool(ex, ex.val(node.args[0], node.name), c(_arg(node, 1, "kernel_size")),
                     c(_arg(node, 2, "stride", None)), c(_arg(node, 3, "padding", 0)),
                     c(_arg(node, 4, "ceil_mode", False)),
                     c(_arg(node, 5, "count_include_pad", True)),
                     c(_arg(node, 6, "divisor_override", None)),
                     f"avg_pool2d at '{node.name}'", ex.out_shape(node))


def _fn_adaptive_avg_pool2d(ex, node):
    what = f"adaptive_avg_pool2d at '{node.name}'"
    x = ex.val(node.args[0], what)
    k = _core.adaptive_window(x, ex.concrete(_arg(node, 1, "output_size")), what)
    return _avg_pool(ex, x, k, k, 0, False, True, None, what)


def _fn_unfold(ex, node):
    """F.unfold (im2col): (N, C·kh·kw, L), channel-major as PyTorch."""
    what = f"F.unfold at '{node.name}'"
    c = ex.concrete
    x = ex.val(node.args[0], what)
    kernel = _pair(c(_arg(node, 1, "kernel_size")))
    dilation = _pair(c(_arg(node, 2, "dilation", 1)))
    padding = _pair(c(_arg(node, 3, "padding", 0)))
    stride = _pair(c(_arg(node, 4, "stride", 1)))
    n, ch = x.shape[0], x.shape[1]
    pads, oh, ow = ex.conv_geometry(x, kernel, stride, padding, dilation, what)
    xin = ex.nhwc(x, what)
    if any(pads):
        xin = _core.pad_nhwc(ex, xin, pads, 0.0)
    shape = (n, ch, kernel[0], kernel[1], oh, ow)
    name = gen(ex, 6, [(xin.name, xin.type, xin.elt,
                        ["d0", f"d4 * {stride[0]} + d2 * {dilation[0]}",
                         f"d5 * {stride[1]} + d3 * {dilation[1]}", "d1"])],
               shape, ex.elt, [f"d{i}" for i in range(6)], lambda a, b: a[0],
               comment=f"{what}: patches")
    r = ex.reshape(_Val(name, shape, ex.elt), ex.out_shape(node))
    ex.unfolds[r.name] = (x, kernel, dilation, pads, stride, oh, ow)
    # Also a window view of xin, for a max/min over its patches (pooling).
    window = _windows.Window(
        (xin.name, xin.type, xin.elt), shape,
        [{0: 1}, {4: stride[0], 2: dilation[0]}, {5: stride[1], 3: dilation[1]}, {1: 1}],
        [[i] for i in range(6)]).regroup(r.shape)
    if window is not None:
        _windows.record(ex, r, window)
    return r


def _unfold_conv(ex, a, b, dim, kind, keepdim, init, what):
    """``reduce(F.unfold(x).unsqueeze(1) + W.view(Cout, -1, 1), 2)``, paper
    C's unfold convolution, as one trop.conv_2d on x (None if it is not
    that form)."""
    info = ex.unfolds.get(a.name)
    if info is None or dim != 2 or keepdim or b.const is None or len(a.shape) != 4:
        return None
    x, kernel, dilation, pads, stride, oh, ow = info
    n, c = x.shape[0], x.shape[1]
    p = c * kernel[0] * kernel[1]
    if a.shape != (n, 1, p, oh * ow) or b.shape[0] != 1 or b.shape[2:] != (p, 1):
        return None
    cout = b.shape[1]
    xin = ex.nhwc(x, what)
    if any(pads):  # F.unfold pads with zeros, not with the semiring's zero
        xin = _core.pad_nhwc(ex, xin, pads, 0.0)
    filt = b.const.reshape(cout, c, kernel[0], kernel[1]).transpose(2, 3, 1, 0)
    fname = ex.b.tensor_constant(np.ascontiguousarray(filt), ex.elt,
                                 f"{what}: filter (KH x KW x C x F)", is_param=False)
    out_phys = (n, oh, ow, cout)
    if init is None:
        c_init = ex.b.fill(-math.inf if kind == "max" else math.inf, out_phys, ex.elt)
    else:
        iv = ex.to_perm(init, (0, 2, 1))
        c_init = ex.reshape(_Val(iv.name, iv.phys, iv.elt, None, _phys_const(iv)),
                            out_phys).name
    name = _core._trop_conv(ex, xin, "max_plus" if kind == "max" else "min_plus", fname,
                            _ttype(filt.shape, ex.elt), c_init, [0, 0, 0, 0], stride,
                            dilation, out_phys, f"{what}: unfold convolution", False)
    flat = ex.reshape(_Val(name, out_phys, ex.elt), (n, oh * ow, cout))
    return _Val(flat.name, (n, cout, oh * ow), ex.elt, (0, 2, 1))


def _replicate_pad(ex, x, pads_lr, what):
    """Replicate padding of the last len(pads_lr)//2 dims (F.pad order: last
    dim first), by concatenating broadcast edge slices."""
    x = ex.logical(x)
    n = len(x.shape)
    for i in range(len(pads_lr) // 2):
        dim = n - 1 - i
        lo, hi = pads_lr[2 * i], pads_lr[2 * i + 1]
        if lo < 0 or hi < 0:
            raise ExportError(f"{what}: negative padding is not supported")
        parts = []
        for amount, at in ((lo, 0), (None, None), (hi, x.shape[dim] - 1)):
            if amount is None:
                parts.append(x)
                continue
            if amount == 0:
                continue
            edge = _slice(ex, x, dim, at, 1)
            shape = tuple(amount if j == dim else s for j, s in enumerate(x.shape))
            parts.append(_broadcast_to(ex, edge, shape, f"{what}: edge"))
        x = _cat_vals(ex, parts, dim) if len(parts) > 1 else x
    return x


def _slice(ex, x, dim, start, size):
    sizes = tuple(size if j == dim else s for j, s in enumerate(x.shape))
    offs = ", ".join(str(start if j == dim else 0) for j in range(len(x.shape)))
    name = ex.b.fresh("slice")
    sty = _ttype(sizes, x.elt)
    ex.b.emit(f"{name} = tensor.extract_slice {x.name}[{offs}] "
              f"[{', '.join(map(str, sizes))}] [{', '.join('1' for _ in sizes)}] : "
              f"{x.type} to {sty}")
    return _Val(name, sizes, x.elt)


def _fn_pad(ex, node):
    what = f"F.pad at '{node.name}'"
    x = ex.val(node.args[0], what)
    pads = [int(p) for p in ex.concrete(_arg(node, 1, "pad"))]
    mode = ex.concrete(_arg(node, 2, "mode", "constant"))
    value = ex.concrete(_arg(node, 3, "value", None)) or 0.0
    if mode == "replicate":
        return _replicate_pad(ex, x, pads, what)
    if mode != "constant":
        raise ExportError(f"{what}: mode {mode!r} is not supported")
    x = ex.logical(x)
    n = len(x.shape)
    low, high = [0] * n, [0] * n
    for i in range(len(pads) // 2):
        low[n - 1 - i], high[n - 1 - i] = pads[2 * i], pads[2 * i + 1]
    out = tuple(ex.out_shape(node))
    name = ex.b.fresh("pad")
    ex.b.emit(f"{name} = tensor.pad {x.name} low[{', '.join(map(str, low))}] "
              f"high[{', '.join(map(str, high))}] {{")
    ex.b.lines.append("  ^bb0(" + ", ".join(f"%i{i}: index" for i in range(n)) + "):")
    ex.b.lines.append(f"    %z = arith.constant {_float_bits(float(value), x.elt)} : "
                      f"{x.elt}")
    ex.b.lines.append(f"    tensor.yield %z : {x.elt}")
    ex.b.emit(f"}} : {x.type} to {_ttype(out, x.elt)}")
    return _Val(name, out, x.elt)


# ---------------------------------------------------------------------------
# Convolutions beyond _core's: padding modes and groups
# ---------------------------------------------------------------------------

def _lower_conv2d(ex, node, m):
    """nn.Conv2d with any padding mode but 'reflect'/'circular', and any
    groups: replicate padding is applied first; a grouped convolution that
    is not depthwise is one convolution per group, concatenated."""
    what = f"nn.Conv2d at '{node.target}'"
    x = ex.val(node.args[0], node.target)
    depthwise = m.groups == m.in_channels == m.out_channels and m.groups > 1
    if m.padding_mode == "zeros" and (m.groups == 1 or depthwise):
        return _core._lower_conv2d(ex, node, m)
    if m.padding_mode not in ("zeros", "replicate"):
        raise ExportError(f"{what}: padding_mode {m.padding_mode!r} is not supported "
                          f"('zeros' and 'replicate' are)")
    padding = m.padding
    if m.padding_mode == "replicate":
        pads, _, _ = ex.conv_geometry(x, m.kernel_size, m.stride, m.padding, m.dilation,
                                      what)
        if any(pads):
            x = _replicate_pad(ex, x, [pads[1], pads[3], pads[0], pads[2]], what)
        padding = (0, 0)
    groups = [(m.weight, m.bias)]
    if m.groups > 1 and not depthwise:
        ci, co = m.in_channels // m.groups, m.out_channels // m.groups
        groups = [(m.weight[g * co:(g + 1) * co],
                   None if m.bias is None else m.bias[g * co:(g + 1) * co])
                  for g in range(m.groups)]
        xs = [_slice(ex, ex.logical(x), 1, g * ci, ci) for g in range(m.groups)]
    else:
        xs = [x]
    outs = []
    for g, ((w, bias), xg) in enumerate(zip(groups, xs)):
        sub = nn.Conv2d(w.shape[1] * (m.groups if depthwise else 1), w.shape[0],
                        m.kernel_size, m.stride, padding, m.dilation,
                        m.groups if depthwise else 1, bias is not None)
        with torch.no_grad():
            sub.weight.copy_(w)
            if bias is not None:
                sub.bias.copy_(bias)
        fake = torch.fx.Graph().placeholder("x")
        ex.vals[fake] = xg
        fake.target = f"{node.target}" + (f"[group {g}]" if len(groups) > 1 else "")
        fake.args = (fake,)
        outs.append(_core._lower_conv2d(ex, fake, sub))
        del ex.vals[fake]
    return outs[0] if len(outs) == 1 else _cat_vals(ex, outs, 1)


def _fn_conv2d(ex, node):
    """F.conv2d with a constant weight (a parameter, or a weight computed
    from parameters in forward, e.g. ``diag_embed`` or ``softplus``)."""
    what = f"F.conv2d at '{node.name}'"
    c = ex.concrete
    wnode, bnode = _arg(node, 1, "weight"), _arg(node, 2, "bias")
    wv = ex.val(wnode, what)
    bv = ex.val(bnode, what) if isinstance(bnode, torch.fx.Node) else None
    if wv.const is None or (bv is not None and bv.const is None):
        raise ExportError(f"{what}: the weight and bias must be constants (export with "
                          f"params='constants')")
    w = torch.from_numpy(wv.const.copy())
    stride, padding = _pair(c(_arg(node, 3, "stride", 1))), c(_arg(node, 4, "padding", 0))
    padding = padding if isinstance(padding, str) else _pair(padding)
    dilation, groups = _pair(c(_arg(node, 5, "dilation", 1))), int(c(_arg(node, 6, "groups", 1)))
    conv = nn.Conv2d(w.shape[1] * groups, w.shape[0], tuple(w.shape[2:]), stride, padding,
                     dilation, groups, bv is not None)
    with torch.no_grad():
        conv.weight.copy_(w)
        if bv is not None:
            conv.bias.copy_(torch.from_numpy(bv.const.copy()))
    fake = torch.fx.Graph().placeholder("x")
    ex.vals[fake] = ex.val(node.args[0], what)
    fake.target = node.name
    fake.args = (fake,)
    try:
        return _lower_conv2d(ex, fake, conv)
    finally:
        del ex.vals[fake]


# ---------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------

_EXP = _unary(lambda x, b: b.op(f"math.exp {x}"), "exp")
_LOG = _unary(lambda x, b: b.op(f"math.log {x}"), "log")
_TANH = _unary(lambda x, b: b.op(f"math.tanh {x}"), "tanh")
_SIGMOID = _unary(_sigmoid, "sigmoid")
_ABS = _unary(lambda x, b: b.op(f"math.absf {x}"), "abs")
_SQRT = _unary(lambda x, b: b.op(f"math.sqrt {x}"), "sqrt")

_BOTH = {  # torch.<name> and Tensor.<name>
    "add": _binary("add"), "sub": _binary("sub"), "mul": _binary("mul"),
    "div": _binary("div"), "true_divide": _binary("div"),
    "maximum": _binary("maximum"), "minimum": _binary("minimum"),
    "neg": _fn_neg, "exp": _EXP, "log": _LOG, "tanh": _TANH, "sigmoid": _SIGMOID,
    "abs": _ABS, "sqrt": _SQRT, "clamp": _fn_clamp, "clip": _fn_clamp,
    "gt": _compare("gt"), "ge": _compare("ge"), "lt": _compare("lt"),
    "le": _compare("le"), "eq": _compare("eq"), "ne": _compare("ne"),
    "greater": _compare("gt"), "less": _compare("lt"),
    "where": _fn_where, "max": _maxmin("max"), "min": _maxmin("min"),
    "amax": _amaxmin("max"), "amin": _amaxmin("min"), "sum": _sum_mean(False),
    "mean": _sum_mean(True), "kthvalue": _fn_kthvalue, "unsqueeze": _fn_unsqueeze,
    "squeeze": _fn_squeeze, "cat": _fn_cat, "concat": _fn_cat, "stack": _fn_stack,
    "diag": _fn_diag, "diag_embed": _fn_diag_embed, "matmul": _fn_matmul,
    "mm": _fn_matmul, "clone": _fn_identity, "detach": _fn_identity,
    "flatten": _core._fn_reshape, "reshape": _core._fn_reshape,
}
_METHOD_ONLY = {
    "expand": _fn_expand, "expand_as": _fn_expand, "repeat": _fn_repeat,
    "view": _core._fn_reshape, "view_as": _core._fn_reshape,
    "reshape_as": _core._fn_reshape, "contiguous": _fn_identity, "float": _fn_to,
    "double": _fn_to, "to": _fn_to, "type_as": _fn_to, "t": _fn_t, "T": _fn_t,
    "add_": _binary("add"), "sub_": _binary("sub"), "mul_": _binary("mul"),
    "div_": _binary("div"), "clamp_": _fn_clamp, "clamp_min": _fn_clamp,
    "relu_": _core._fn_relu,
}
for _name, _rule in _BOTH.items():
    _METHOD_RULES[_name] = _rule
    if hasattr(torch, _name):
        _FUNCTION_RULES[getattr(torch, _name)] = _rule
_METHOD_RULES.update(_METHOD_ONLY)
_FUNCTION_RULES.update({
    operator.add: _binary("add"), operator.iadd: _binary("add"),
    operator.sub: _binary("sub"), operator.isub: _binary("sub"),
    operator.mul: _binary("mul"), operator.imul: _binary("mul"),
    operator.truediv: _binary("div"), operator.itruediv: _binary("div"),
    operator.neg: _fn_neg, operator.gt: _compare("gt"), operator.ge: _compare("ge"),
    operator.lt: _compare("lt"), operator.le: _compare("le"),
    operator.eq: _compare("eq"), operator.ne: _compare("ne"),
    operator.matmul: _fn_matmul, torch.rsub: _fn_rsub,
    F.softplus: _fn_softplus, F.sigmoid: _SIGMOID, F.tanh: _TANH,
    torch.clamp_min: _fn_clamp,
    F.avg_pool2d: _fn_avg_pool2d, F.adaptive_avg_pool2d: _fn_adaptive_avg_pool2d,
    F.unfold: _fn_unfold, F.pad: _fn_pad, F.conv2d: _fn_conv2d,
})
_METHOD_RULES["softplus"] = _fn_softplus
_windows.register(_FUNCTION_RULES, torch)


def _getitem(ex, node):
    src, index = node.args[0], node.args[1]
    value = ex.vals.get(src)
    if isinstance(value, tuple):
        item = value[index]
        if item is None:
            raise ExportError(f"element {index} of '{src.name}' (its indices) is used; "
                              f"trop.export translates only the values")
        return item
    return _index(ex, node)


_FUNCTION_RULES[operator.getitem] = _getitem
_METHOD_RULES["__getitem__"] = _getitem
for _i, (_cls, _fn) in enumerate(_MODULE_RULES):
    if _cls is nn.Conv2d:
        _MODULE_RULES[_i] = (nn.Conv2d, _lower_conv2d)

SUPPORTED["functions"] += [
    "broadcasting +, -, *, / (torch.add/sub/mul/div, torch.maximum/minimum)",
    "torch.max/min (full, over a dim: values, or of two tensors)", "torch.amax/amin",
    "torch.sum/mean", "torch.kthvalue (values)", "torch.exp/log/tanh/sigmoid/abs/sqrt",
    "F.softplus", "torch.clamp/clip", "comparisons (> >= < <= == !=)", "torch.where",
    "torch.cat/stack", "torch.unsqueeze/squeeze", "torch.diag/diag_embed",
    "torch.matmul/mm (@)", "F.avg_pool2d", "F.adaptive_avg_pool2d", "F.unfold",
    "F.pad (constant, replicate)", "F.conv2d (constant weights)", "indexing with ints/slices/None/...",
]
SUPPORTED["methods"] += [
    "expand", "expand_as", "repeat", "view_as", "unsqueeze", "squeeze", "max", "min",
    "amax", "amin", "sum", "mean", "kthvalue", "exp", "log", "sigmoid", "tanh", "clamp",
    "float", "to (same dtype)",
]


# ---------------------------------------------------------------------------
# Paper C: DEP in one sweep and the empty-row rule (docs/paper-c.md)
# ---------------------------------------------------------------------------

def combine_max_min(ex, hi, lo, empty_rows, comment, lam=None, half=False):
    """The elementwise combination of a max branch ``hi`` and a min branch
    ``lo`` (_Vals of one logical shape): ``hi + lo`` (then ``/ 2`` with
    ``half``), or, with ``lam = (λ, 1 − λ, dim)`` (two vectors along logical
    dimension ``dim``), ``λ·hi + (1 − λ)·lo``, each op rounded once in
    trop.nn's order; under ``empty_rows == "zero"`` (paper C's rule), 0
    where ``hi`` is −∞ and ``lo`` is +∞."""
    elt = hi.elt
    lo = ex.to_perm(lo, hi.perm)
    rank = len(hi.phys)
    inputs = [(hi.name, hi.type, range(rank)), (lo.name, lo.type, range(rank))]
    if lam is not None:
        pdim = hi.perm.index(lam[2]) if hi.perm else lam[2]
        vty = _ttype((hi.shape[lam[2]],), elt)
        inputs += [(lam[0], vty, [pdim]), (lam[1], vty, [pdim])]

    def body(a, emit):
        if lam is not None:
            emit(f"%hi = arith.mulf {a[2]}, {a[0]} : {elt}")
            emit(f"%lo = arith.mulf {a[3]}, {a[1]} : {elt}")
            emit(f"%y = arith.addf %hi, %lo : {elt}")
        else:
            emit(f"%y = arith.addf {a[0]}, {a[1]} : {elt}")
        y = "%y"
        if half:
            emit(f"%two = arith.constant {_float_bits(2.0, elt)} : {elt}")
            emit(f"%half = arith.divf %y, %two : {elt}")
            y = "%half"
        if empty_rows == "nan":
            return y
        emit(f"%ninf = arith.constant {_float_bits(-math.inf, elt)} : {elt}")
        emit(f"%pinf = arith.constant {_float_bits(math.inf, elt)} : {elt}")
        emit(f"%max_empty = arith.cmpf oeq, {a[0]}, %ninf : {elt}")
        emit(f"%min_empty = arith.cmpf oeq, {a[1]}, %pinf : {elt}")
        emit("%invalid = arith.andi %max_empty, %min_empty : i1")
        emit(f"%zero = arith.constant {_float_bits(0.0, elt)} : {elt}")
        emit(f"%r = arith.select %invalid, %zero, {y} : {elt}")
        return "%r"

    name = ex.b.generic(inputs, hi.phys, elt, body, comment)
    return _Val(name, hi.shape, elt, hi.perm)


def lower_dep(ex, node, m):
    """trop.nn.DEP / DEPConv2d: one trop.dual_conv_2d with the two weights
    (a dense layer on its rows viewed as N×1×1×K images, 1×1 filters), the
    biases (or 𝟘) as its destinations, then the λ-combine."""
    from .. import nn as tnn
    conv = isinstance(m, tnn.DEPConv2d)
    what = f"{type(m).__name__} at '{node.target}'"
    x = ex.val(node.args[0], node.target)
    if conv:
        pads, oh, ow = ex.conv_geometry(x, m.kernel_size, m.stride, m.padding,
                                        m.dilation, what)
        xin = ex.nhwc(x, what)
        n, c, f = x.shape[0], x.shape[1], m.out_channels
        kernel, stride, dilation = m.kernel_size, m.stride, m.dilation
        shape, perm, lam_dim = (n, f, oh, ow), (0, 2, 3, 1), 1

        def layout(w):
            return w.permute(2, 3, 1, 0).contiguous()
    else:
        x2, back = ex.rows(x, what)
        n, c = x2.shape
        f = m.out_features
        xin = ex.reshape(x2, (n, 1, 1, c))
        pads, oh, ow = [0, 0, 0, 0], 1, 1
        kernel = stride = dilation = (1, 1)
        shape, perm, lam_dim = (n, 1, 1, f), None, 3

        def layout(w):
            return w.t().reshape(1, 1, c, f).contiguous()
    out_phys = (n, oh, ow, f)
    w1 = ex.param(m.weight, f"{node.target}.weight (as KH x KW x C x F)", layout)
    w2 = ex.param(m.weight2, f"{node.target}.weight2 (as KH x KW x C x F)", layout)
    hi_init = ex.bias_or_fill(m.bias, out_phys, 3, -math.inf, f"{node.target}.bias")
    lo_init = ex.bias_or_fill(m.bias2, out_phys, 3, math.inf, f"{node.target}.bias2")
    fty, oty = _ttype((kernel[0], kernel[1], c, f), x.elt), _ttype(out_phys, x.elt)
    name = ex.b.fresh("dep")
    ex.b.emit(f"// {node.target}: {type(m).__name__}, max and min branches in one sweep")
    ex.b.emit(f"{name}:2 = trop.dual_conv_2d {{dilations = array<i64: {dilation[0]}, "
              f"{dilation[1]}>, padding = array<i64: {', '.join(map(str, pads))}>, "
              f"strides = array<i64: {stride[0]}, {stride[1]}>}} "
              f"ins({xin.name}, {w1}, {w2} : {xin.type}, {fty}, {fty}) "
              f"outs({hi_init}, {lo_init} : {oty}, {oty}) -> {oty}, {oty}")
    lam = ex.param(m.lam, f"{node.target}.lam, clamped to [0, 1]",
                   lambda t: t.clamp(0, 1))
    one_minus = ex.param(m.lam, f"{node.target}: 1 - clamp(lam, 0, 1)",
                         lambda t: 1 - t.clamp(0, 1))
    y = combine_max_min(ex, _Val(f"{name}#0", shape, x.elt, perm),
                        _Val(f"{name}#1", shape, x.elt, perm), m.empty_rows,
                        f"{node.target}: lam * max + (1 - lam) * min",
                        lam=(lam, one_minus, lam_dim))
    if conv:
        return y
    return back(ex.reshape(y, (n, f)).name, f)


SUPPORTED["modules"] += ["trop.nn.DEP", "trop.nn.DEPConv2d"]
