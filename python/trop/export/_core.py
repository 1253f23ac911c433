"""The exporter's core: the IR builder and the lowering rules (see
``trop/export/__init__.py``)."""

import copy
import math
import operator
import re
import sys
import types

import numpy as np
import torch
import torch.fx
import torch.nn.functional as F
from torch import nn

from .. import nn as tnn
from .._errors import ExportError
from .._reshape import reassociation as _reassociation
from . import _dynamic
from . import _trace

__all__ = ["export", "Exported", "SUPPORTED"]

#: What the exporter translates, for error messages and the docs.
SUPPORTED = {
    "modules": [
        "trop.nn.MaxPlus", "trop.nn.MinPlus", "trop.nn.MaxPlusMin",
        "trop.nn.Maxout", "trop.nn.LinAct", "trop.nn.MorphConv2d",
        "trop.nn.Dilation2d", "trop.nn.Erosion2d",
        "nn.Linear", "nn.Conv2d", "nn.BatchNorm1d", "nn.BatchNorm2d",
        "nn.ReLU", "nn.MaxPool2d", "nn.AdaptiveMaxPool2d", "nn.Flatten",
        "nn.Dropout", "nn.Identity", "nn.Sequential (traced through)",
    ],
    "functions": [
        "F.relu", "torch.relu", "F.max_pool2d", "F.adaptive_max_pool2d",
        "torch.flatten", "torch.reshape", "torch.permute", "torch.transpose",
        "operator.add/sub/mul (+, -, *)", "torch.add", "torch.sub", "torch.mul",
        "F.dropout", "F.linear",
    ],
    "methods": [
        "relu", "view", "reshape", "flatten", "permute", "transpose",
        "contiguous", "add", "sub", "mul", "size", "dim",
    ],
}

_DTYPES = {torch.float32: ("f32", "<f4", 32), torch.float64: ("f64", "<f8", 64)}


class Exported(str):
    """The exported module: a ``str`` holding the MLIR text (pass it to
    ``trop.compile`` or write it to a file), with:

    ``function_name``  the name of the function (``"forward"``)
    ``input_shapes``   the shapes of the model's inputs (None for a dynamic
                       batch)
    ``parameters``     with ``params="arguments"``: the numpy arrays to pass
                       after the inputs, in order, already in the layout the
                       function takes (e.g. linear weights transposed to
                       in×out); empty with constants
    ``parameter_names`` where each comes from (``"fc1.weight (transposed)"``)
    """

    def __new__(cls, text, function_name, input_shapes, parameters, names):
        obj = super().__new__(cls, text)
        obj.function_name = function_name
        obj.input_shapes = input_shapes
        obj.parameters = parameters
        obj.parameter_names = names
        return obj

    @property
    def text(self):
        """The MLIR text as a plain str."""
        return str.__str__(self)


# ---------------------------------------------------------------------------
# IR building
# ---------------------------------------------------------------------------

class _Val:
    """A tensor value of the function being built. ``shape`` is the
    PyTorch (logical) shape; ``perm`` says how it is stored: physical
    dimension j is logical dimension perm[j]."""

    __slots__ = ("name", "shape", "elt", "perm", "const")

    def __init__(self, name, shape, elt, perm=None, const=None):
        self.const = const  # the value (logical layout) of a folded constant
        self.name = name
        self.shape = tuple(int(s) for s in shape)
        self.elt = elt
        self.perm = tuple(perm) if perm is not None else tuple(range(len(self.shape)))

    @property
    def phys(self):
        return tuple(self.shape[p] for p in self.perm)

    @property
    def type(self):
        return _ttype(self.phys, self.elt)


def _ttype(shape, elt):
    if not shape:
        return f"tensor<{elt}>"
    return "tensor<" + "x".join(str(int(s)) for s in shape) + f"x{elt}>"


def _float_bits(value, elt):
    if elt == "f32":
        return "0x%08X" % np.array([value], dtype="<f4").view("<u4")[0]
    return "0x%016X" % np.array([value], dtype="<f8").view("<u8")[0]


def _dims(n):
    return ", ".join(f"d{i}" for i in range(n))


def _map(n, results):
    return f"affine_map<({_dims(n)}) -> ({', '.join(results)})>"


class _Builder:
    def __init__(self, params_mode):
        self.lines = []
        self.counter = 0
        self.args = []          # (name, type) of the function's arguments
        self.params_mode = params_mode
        self.param_arrays = []
        self.param_names = []
        self.consts = {}        # cache of constant tensors, by object identity

    def fresh(self, hint="v"):
        self.counter += 1
        return f"%{hint}{self.counter}"

    def emit(self, line):
        self.lines.append("  " + line)

    # -- constants and parameters --------------------------------------------

    def tensor_constant(self, array, elt, label, is_param=True):
        """A tensor from a numpy array: an exact constant, or a function
        argument with params="arguments" (only for model parameters)."""
        dtype = "<f4" if elt == "f32" else "<f8"
        array = np.ascontiguousarray(np.asarray(array, dtype=dtype))
        ty = _ttype(array.shape, elt)
        if is_param and self.params_mode == "arguments":
            name = f"%p{len(self.param_arrays)}"
            self.args.append((name, ty))
            self.param_arrays.append(array)
            self.param_names.append(label)
            return name
        name = self.fresh("cst")
        flat = array.reshape(-1)
        if flat.size and np.all(flat.view(flat.dtype.str.replace("f", "u")) ==
                                flat[:1].view(flat.dtype.str.replace("f", "u"))):
            attr = f"dense<{_float_bits(flat[0], elt)}>"
        else:
            attr = f'dense<"0x{array.tobytes().hex().upper()}">'
        self.emit(f"// {label}")
        self.emit(f"{name} = arith.constant {attr} : {ty}")
        return name

    def scalar(self, value, elt):
        name = self.fresh("c")
        self.emit(f"{name} = arith.constant {_float_bits(value, elt)} : {elt}")
        return name

    def empty(self, shape, elt):
        name = self.fresh("e")
        self.emit(f"{name} = tensor.empty() : {_ttype(shape, elt)}")
        return name

    def fill(self, value, shape, elt):
        c = self.scalar(value, elt)
        e = self.empty(shape, elt)
        name = self.fresh("fill")
        ty = _ttype(shape, elt)
        self.emit(f"{name} = linalg.fill ins({c} : {elt}) outs({e} : {ty}) -> {ty}")
        return name

    def generic(self, inputs, out_shape, elt, body, comment=None):
        """A parallel linalg.generic. ``inputs``: (name, type, result dims of
        its indexing map) triples; ``body(args, emit)`` gets the block
        argument names and returns the yielded value's name."""
        n = len(out_shape)
        ins = [(name, ty, elt, [f"d{d}" for d in dims]) for name, ty, dims in inputs]
        return self.generic_full(n, ins, out_shape, elt, [f"d{d}" for d in range(n)],
                                 lambda args, emit: body(args[:-1], emit), comment=comment)

    def generic_full(self, n_loops, ins, out_shape, out_elt, out_exprs, body,
                     reductions=(), init=None, comment=None):
        """A linalg.generic over ``n_loops`` loops. ``ins``: (name, type, elt,
        result exprs of its map); the output has ``out_exprs``;
        ``reductions``: the reduction loops; ``init``: the initial value
        (tensor.empty if None). ``body(args, emit)`` gets the block arguments
        (inputs, then the output) and returns the yielded value."""
        oty = _ttype(out_shape, out_elt)
        if init is None:
            init = self.empty(out_shape, out_elt)
        maps = [_map(n_loops, exprs) for _, _, _, exprs in ins]
        maps.append(_map(n_loops, out_exprs))
        iters = ", ".join('"reduction"' if d in reductions else '"parallel"'
                          for d in range(n_loops))
        name = self.fresh()
        if comment:
            self.emit(f"// {comment}")
        ins_text = ""
        if ins:
            ins_text = (" ins(" + ", ".join(i[0] for i in ins) + " : " +
                        ", ".join(i[1] for i in ins) + ")")
        self.emit(f"{name} = linalg.generic {{indexing_maps = [{', '.join(maps)}], "
                  f"iterator_types = [{iters}]}}{ins_text} outs({init} : {oty}) {{")
        args = [f"%a{i}" for i in range(len(ins))] + ["%out"]
        elts = [i[2] for i in ins] + [out_elt]
        self.lines.append("  ^bb0(" + ", ".join(f"{a}: {e}" for a, e in zip(args, elts))
                          + "):")
        lines = []
        result = body(args, lines.append)
        for line in lines:
            self.lines.append("    " + line)
        self.lines.append(f"    linalg.yield {result} : {out_elt}")
        self.emit(f"}} -> {oty}")
        return name

    def broadcast(self, vec_name, vec_len, out_shape, dim, elt, comment=None):
        """A (len,) vector broadcast along every dimension but ``dim``."""
        return self.generic([(vec_name, _ttype((vec_len,), elt), [dim])],
                            out_shape, elt, lambda a, emit: a[0], comment)

    def transpose(self, name, shape, permutation, elt):
        out_shape = tuple(shape[p] for p in permutation)
        e = self.empty(out_shape, elt)
        res = self.fresh("t")
        self.emit(f"{res} = linalg.transpose ins({name} : {_ttype(shape, elt)}) "
                  f"outs({e} : {_ttype(out_shape, elt)}) "
                  f"permutation = [{', '.join(str(p) for p in permutation)}]")
        return res


# ---------------------------------------------------------------------------
# The exporter
# ---------------------------------------------------------------------------

_TROP_LEAVES = (tnn.MaxPlus, tnn.MinPlus, tnn.MaxPlusMin, tnn.Maxout, tnn.LinAct,
                tnn.MorphConv2d, tnn.Dilation2d, tnn.Erosion2d)


def _contains_tensor(value):
    if isinstance(value, torch.Tensor):
        return True
    if isinstance(value, (tuple, list)):
        return any(_contains_tensor(v) for v in value)
    if isinstance(value, dict):
        return any(_contains_tensor(v) for v in value.values())
    return False


def _module_kind(m):
    cls = type(m)
    mod = cls.__module__
    if mod.startswith("torch.nn"):
        return f"nn.{cls.__name__}"
    return f"{mod}.{cls.__qualname__}"


def _fn_name(target):
    if isinstance(target, str):
        return target
    mod = getattr(target, "__module__", None) or ""
    name = getattr(target, "__name__", repr(target))
    if mod == "_operator":
        mod = "operator"
    return f"{mod}.{name}" if mod else name


class _Exporter:
    def __init__(self, rec, params_mode):
        self.rec = rec
        self.meta = rec.meta
        self.b = _Builder(params_mode)
        self.vals = {}
        self.transposed = {}
        self.unfolds = {}  # SSA name -> F.unfold's geometry (_ops)
        self.windows = {}  # SSA name -> the window view it is (_windows)
        self.modules = rec.modules

    # -- values --------------------------------------------------------------

    def val(self, node, what):
        v = self.vals.get(node)
        if v is not None and not isinstance(v, (_Val, tuple)):
            v = self.vals[node] = v.materialize(self)  # a deferred value
        if node not in self.vals:
            raise ExportError(f"{what}: its input '{node.name}' is not a tensor "
                              f"the exporter produced")
        return self.vals[node]

    def concrete(self, arg):
        """An argument with nodes replaced by their (static) values."""
        if isinstance(arg, torch.fx.Node):
            kind, value, has_tensor = self.meta[arg]
            if kind == "tensor" or has_tensor:
                raise ExportError(f"a tensor ('{arg.name}') is used where a "
                                  f"static value is expected")
            return value
        if isinstance(arg, (list, tuple)):
            return type(arg)(self.concrete(a) for a in arg)
        return arg

    def to_perm(self, v, perm):
        perm = tuple(perm)
        if v.perm == perm:
            return v
        key = (v.name, v.perm, perm)
        if key not in self.transposed and v.const is not None:
            # A constant is laid out by numpy, not transposed at run time.
            name = self.b.tensor_constant(np.transpose(v.const, perm), v.elt,
                                          "constant, transposed", is_param=False)
            self.transposed[key] = _Val(name, v.shape, v.elt, perm, v.const)
        if key not in self.transposed:  # SSA values never change: reuse
            permutation = [v.perm.index(p) for p in perm]
            name = self.b.transpose(v.name, v.phys, permutation, v.elt)
            self.transposed[key] = _Val(name, v.shape, v.elt, perm)
        return self.transposed[key]

    def logical(self, v):
        return self.to_perm(v, range(len(v.shape)))

    def nhwc(self, v, what):
        if len(v.shape) != 4:
            raise ExportError(f"{what} expects a 4-D NCHW input, got shape {v.shape}")
        return self.to_perm(v, (0, 2, 3, 1))

    def out_shape(self, node):
        kind, shape, dtype = self.meta[node]
        return shape

    def attr(self, node):
        """A parameter, buffer or folded constant used by a recorded op."""
        t = self.rec.attrs[node.target]
        is_param = node.target in self.rec.param_targets
        if t.dtype == torch.bool:
            return _ops_bool_constant(self, t.detach().cpu().numpy(), node.target)
        if not t.is_floating_point():
            raise ExportError(f"constant '{node.target}' is a {t.dtype} tensor, "
                              f"which trop.export does not translate")
        folded = None
        if not (is_param and self.b.params_mode == "arguments"):
            folded = t.detach().cpu().numpy().astype(_DTYPES[self.dtype][1])
        return _Val(self.param(t, node.target, is_param=is_param), tuple(t.shape),
                    self.elt, None, folded)

    def param(self, tensor, label, transform=None, is_param=True):
        a = tensor.detach().cpu()
        if transform is not None:
            a = transform(a)
        return self.b.tensor_constant(a.numpy(), self.elt, label, is_param)

    # -- driver --------------------------------------------------------------

    def run(self, function_name):
        graph = self.rec.graph
        live = _live_nodes(graph)
        outputs = None
        for node in graph.nodes:
            if node.op == "placeholder":
                kind, shape, dtype = self.meta[node]
                if kind != "tensor":
                    raise ExportError(f"input '{node.target}' is not a tensor")
                if dtype not in _DTYPES:
                    raise ExportError(f"input '{node.target}' has dtype {dtype}; "
                                      f"the exporter supports float32 and float64")
                elt = _DTYPES[dtype][0]
                if self.elt != elt:
                    raise ExportError("all inputs must have the same dtype")
                name = f"%arg_{_sanitize(node.target)}"
                self.b.args.append((name, _ttype(shape, elt)))
                self.vals[node] = _Val(name, shape, elt)
            elif node.op == "output":
                outputs = node.args[0]
            elif node in live:
                try:
                    self.lower_checked(node)
                except ExportError as exc:
                    raise _located(exc, node) from None
        results = outputs if isinstance(outputs, (tuple, list)) else (outputs,)
        ret = []
        for r in results:
            if not isinstance(r, torch.fx.Node) or r not in self.vals or \
                    isinstance(self.val(r, "result"), tuple):
                raise ExportError("the model must return a tensor or a tuple of "
                                  f"tensors, got {outputs!r}")
            ret.append(self.logical(self.val(r, "result")))
        args = ", ".join(f"{n}: {t}" for n, t in self.b.args)
        rtypes = ", ".join(v.type for v in ret)
        header = f"func.func @{function_name}({args}) -> ({rtypes}) {{"
        body = "\n".join(_drop_unused_constants(self.b.lines))
        retline = f"  return {', '.join(v.name for v in ret)} : {rtypes}"
        return "\n".join([header, body, retline, "}"]) + "\n", ret

    def lower_checked(self, node):
        kind, _, dtype = self.meta[node]
        if kind == "tensor" and dtype not in (self.dtype, torch.bool) \
                and node.op != "get_attr":
            self.check_supported(node)
            if node.op == "call_function" and node.target is operator.getitem:
                raise ExportError(f"'{node.name}' is a {dtype} tensor (an index "
                                  f"result such as torch.max's indices), which "
                                  f"trop.export does not translate")
            raise ExportError(f"'{node.name}' computes a {dtype} tensor; the model "
                              f"must compute in {self.dtype}")
        self.vals[node] = self.lower(node)

    def check_supported(self, node):
        """Raises the 'unsupported ...' error for a node no rule handles."""
        known = ((node.op == "call_module"
                  and _module_rule(self.modules[node.target]) is not None)
                 or node.op == "get_attr"
                 or (node.op == "call_function" and node.target in _FUNCTION_RULES)
                 or (node.op == "call_method" and node.target in _METHOD_RULES))
        if not known:
            self.lower(node)

    def lower(self, node):
        if node.op == "call_module":
            m = self.modules[node.target]
            fn = _module_rule(m)
            if fn is not None:
                return fn(self, node, m)
            raise ExportError(
                f"unsupported module {_module_kind(m)} at '{node.target}' "
                f"(trop.export supports: {', '.join(SUPPORTED['modules'])})")
        if node.op == "call_function":
            fn = _FUNCTION_RULES.get(node.target)
            if fn is None:
                raise ExportError(
                    f"unsupported function {_fn_name(node.target)} (node "
                    f"'{node.name}'; trop.export supports: "
                    f"{', '.join(SUPPORTED['functions'])})")
            return fn(self, node)
        if node.op == "call_method":
            fn = _METHOD_RULES.get(node.target)
            if fn is None:
                raise ExportError(
                    f"unsupported tensor method .{node.target}() (node "
                    f"'{node.name}'; trop.export supports: "
                    f"{', '.join(SUPPORTED['methods'])})")
            return fn(self, node)
        if node.op == "get_attr":
            return self.attr(node)
        raise ExportError(f"unsupported graph node {node.op} '{node.name}'")

    # -- building blocks -----------------------------------------------------

    def elementwise(self, v, fn, comment=None):
        """A unary elementwise op on v, in v's storage order."""
        name = self.b.generic([(v.name, v.type, range(len(v.phys)))], v.phys,
                              v.elt, fn, comment)
        return _Val(name, v.shape, v.elt, v.perm)

    def channel_affine(self, v, scale, shift, dim, comment):
        """v * scale[c] + shift[c] along logical dimension ``dim`` (either
        may be None)."""
        pdim = v.perm.index(dim)
        n = len(v.phys)
        inputs = [(v.name, v.type, range(n))]
        for vec in (scale, shift):
            if vec is not None:
                inputs.append((vec, _ttype((v.shape[dim],), v.elt), [pdim]))

        def body(a, emit):
            x = a[0]
            k = 1
            if scale is not None:
                emit(f"%mul = arith.mulf {x}, {a[k]} : {v.elt}")
                x, k = "%mul", k + 1
            if shift is not None:
                emit(f"%add = arith.addf {x}, {a[k]} : {v.elt}")
                x = "%add"
            return x

        name = self.b.generic(inputs, v.phys, v.elt, body, comment)
        return _Val(name, v.shape, v.elt, v.perm)

    def binary(self, x, y, op, comment=None):
        """x op y elementwise; y is a _Val of x's shape or a Python number."""
        elt = x.elt
        if isinstance(y, _Val):
            if y.shape != x.shape:
                raise ExportError(f"{comment}: broadcasting between shapes {x.shape} "
                                  f"and {y.shape} is not supported")
            y = self.to_perm(y, x.perm)
            inputs = [(x.name, x.type, range(len(x.phys))),
                      (y.name, y.type, range(len(y.phys)))]
            name = self.b.generic(inputs, x.phys, elt,
                                  lambda a, emit: _emit_op(emit, op, a[0], a[1], elt),
                                  comment)
        else:
            def body(a, emit):
                emit(f"%s = arith.constant {_float_bits(float(y), elt)} : {elt}")
                return _emit_op(emit, op, a[0], "%s", elt)
            name = self.b.generic([(x.name, x.type, range(len(x.phys)))], x.phys,
                                  elt, body, comment)
        return _Val(name, x.shape, elt, x.perm)

    def rows(self, v, what):
        """v as a 2-D (rows, features) value in logical order, and a function
        that puts a (rows, n) result back into v's leading shape."""
        v = self.logical(v)
        if len(v.shape) < 1:
            raise ExportError(f"{what} needs an input of rank >= 1")
        lead = v.shape[:-1]
        rows = int(np.prod(lead)) if lead else 1
        flat = self.reshape(v, (rows, v.shape[-1]))

        def back(name, n):
            r = _Val(name, (rows, n), v.elt)
            return self.reshape(r, lead + (n,))
        return flat, back

    def reshape(self, v, shape):
        shape = tuple(int(s) for s in shape)
        if v.shape == shape:
            return self.logical(v)
        if v.const is not None:
            c = v.const.reshape(shape)
            return _Val(self.b.tensor_constant(c, v.elt, "constant, reshaped",
                                               is_param=False), shape, v.elt, None, c)
        v = self.logical(v)
        src, dst = v.shape, shape
        if len(dst) < len(src) and (g := _reassociation(src, dst)) is not None:
            return self._collapse(v, g, dst)
        if len(dst) > len(src) and (g := _reassociation(dst, src)) is not None:
            return self._expand(v, g, dst)
        flat = self._collapse(v, [list(range(len(src)))], (int(np.prod(src)),)) \
            if len(src) != 1 else v
        if len(dst) == 1:
            return flat
        return self._expand(flat, [list(range(len(dst)))], dst)

    def _collapse(self, v, groups, dst):
        name = self.b.fresh("r")
        self.b.emit(f"{name} = tensor.collapse_shape {v.name} {_groups(groups)} : "
                    f"{v.type} into {_ttype(dst, v.elt)}")
        return _Val(name, dst, v.elt)

    def _expand(self, v, groups, dst):
        name = self.b.fresh("r")
        self.b.emit(f"{name} = tensor.expand_shape {v.name} {_groups(groups)} "
                    f"output_shape [{', '.join(str(d) for d in dst)}] : "
                    f"{v.type} into {_ttype(dst, v.elt)}")
        return _Val(name, dst, v.elt)

    def matmul(self, x2, b_name, n_out, init, op, comment):
        """op(x2 : MxK, B : KxN) accumulated into init (MxN)."""
        m, k = x2.shape
        a_ty = _ttype((m, k), x2.elt)
        b_ty = _ttype((k, n_out), x2.elt)
        c_ty = _ttype((m, n_out), x2.elt)
        name = self.b.fresh("mm")
        self.b.emit(f"// {comment}")
        if op == "linear":
            self.b.emit(f"{name} = linalg.matmul ins({x2.name}, {b_name} : {a_ty}, {b_ty}) "
                        f"outs({init} : {c_ty}) -> {c_ty}")
        else:
            self.b.emit(f"{name} = trop.matmul <{op}> ins({x2.name}, {b_name} : {a_ty}, "
                        f"{b_ty}) outs({init} : {c_ty}) -> {c_ty}")
        return name

    def bias_or_fill(self, bias, shape, dim, fill_value, label):
        if bias is None:
            return self.b.fill(fill_value, shape, self.elt)
        vec = self.param(bias, label)
        return self.b.broadcast(vec, bias.shape[0], shape, dim, self.elt,
                                f"{label} broadcast")

    def conv_geometry(self, x, kernel, stride, padding, dilation, what):
        """Padding [top, left, bottom, right] and output size for an NCHW
        input, with PyTorch's (symmetric, 'same' or 'valid') padding."""
        h, w = x.shape[2], x.shape[3]
        kh, kw = kernel
        if isinstance(padding, str):
            if padding == "valid":
                pads = [0, 0, 0, 0]
            elif padding == "same":
                th, tw = dilation[0] * (kh - 1), dilation[1] * (kw - 1)
                pads = [th // 2, tw // 2, th - th // 2, tw - tw // 2]
            else:
                raise ExportError(f"{what}: padding {padding!r} is not supported")
        else:
            ph, pw = padding
            pads = [ph, pw, ph, pw]
        oh = (h + pads[0] + pads[2] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
        ow = (w + pads[1] + pads[3] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
        return pads, oh, ow


def _emit_op(emit, op, a, b, elt):
    emit(f"%r = arith.{op} {a}, {b} : {elt}")
    return "%r"


def _groups(groups):
    return "[" + ", ".join("[" + ", ".join(str(i) for i in g) + "]" for g in groups) + "]"


def _sanitize(name):
    s = "".join(c if c.isalnum() or c == "_" else "_" for c in str(name))
    return s if s and not s[0].isdigit() else "in_" + s


def _drop_unused_constants(lines):
    """The body without the constants nothing reads (a folded constant that
    was only used reshaped or transposed, which numpy did): they would be
    parsed for nothing, and weights are megabytes of text."""
    uses = {}
    for line in lines:
        for name in re.findall(r"%cst\d+\b", line):
            uses[name] = uses.get(name, 0) + 1
    out = []
    for line in lines:
        m = re.match(r"\s*(%cst\d+) = arith\.constant", line)
        if m and uses[m.group(1)] == 1:
            if out and out[-1].lstrip().startswith("//"):
                out.pop()  # its label
            continue
        out.append(line)
    return out


def _live_nodes(graph):
    """The nodes the outputs depend on (a recorded value nothing uses, such
    as the indices of ``values, idx = torch.max(...)``, is not emitted)."""
    live = set()
    work = [n for n in graph.nodes if n.op == "output"]
    while work:
        n = work.pop()
        if n in live:
            continue
        live.add(n)
        work.extend(n.all_input_nodes)
    return live


def _located(exc, node):
    """The error with the user's source line (and the torch.nn module it
    happened in) appended."""
    msg = str(exc)
    module = node.meta.get("module")
    if module is not None and "unsupported" in msg and \
            type(module[1]).__module__.startswith("torch.nn"):
        msg = (f"unsupported module {_module_kind(module[1])} at '{module[0]}' "
               f"({msg})")
    src = node.meta.get("source")
    if src and " at " + src not in msg:
        msg = f"{msg} at {src}"
    return ExportError(msg)


# ---------------------------------------------------------------------------
# Lowering rules
# ---------------------------------------------------------------------------

def _lower_linear(ex, node, m):
    x = ex.val(node.args[0], node.target)
    x2, back = ex.rows(x, f"nn.Linear at '{node.target}'")
    rows = x2.shape[0]
    wt = ex.param(m.weight, f"{node.target}.weight (transposed: in x out)",
                  lambda w: w.t().contiguous())
    init = ex.bias_or_fill(m.bias, (rows, m.out_features), 1, 0.0,
                           f"{node.target}.bias")
    y = ex.matmul(x2, wt, m.out_features, init, "linear",
                  f"{node.target}: nn.Linear({m.in_features}, {m.out_features})")
    return back(y, m.out_features)


def _lower_tropical_dense(ex, node, m):
    op = "max_plus" if isinstance(m, tnn.MaxPlus) else "min_plus"
    zero = -math.inf if op == "max_plus" else math.inf
    x = ex.val(node.args[0], node.target)
    x2, back = ex.rows(x, f"{type(m).__name__} at '{node.target}'")
    rows = x2.shape[0]
    wt = ex.param(m.weight, f"{node.target}.weight (transposed: in x out)",
                  lambda w: w.t().contiguous())
    init = ex.bias_or_fill(m.bias, (rows, m.out_features), 1, zero,
                           f"{node.target}.bias")
    y = ex.matmul(x2, wt, m.out_features, init, op,
                  f"{node.target}: {type(m).__name__}({m.in_features}, {m.out_features})")
    return back(y, m.out_features)


def _lower_max_plus_min(ex, node, m):
    x = ex.val(node.args[0], node.target)
    x2, back = ex.rows(x, f"MaxPlusMin at '{node.target}'")
    rows = x2.shape[0]
    shape = (rows, m.out_features)
    wt = ex.param(m.weight, f"{node.target}.weight (transposed: in x out)",
                  lambda w: w.t().contiguous())
    hi_init = ex.bias_or_fill(m.bias, shape, 1, -math.inf, f"{node.target}.bias")
    hi = ex.matmul(x2, wt, m.out_features, hi_init, "max_plus",
                   f"{node.target}: MaxPlusMin, max-plus branch")
    lo_init = ex.bias_or_fill(m.bias2, shape, 1, math.inf, f"{node.target}.bias2")
    lo = ex.matmul(x2, wt, m.out_features, lo_init, "min_plus",
                   f"{node.target}: MaxPlusMin, min-plus branch")
    if getattr(m, "empty_rows", "nan") != "nan":  # paper C's rule (_ops)
        from ._ops import combine_max_min
        s = combine_max_min(ex, _Val(hi, shape, ex.elt), _Val(lo, shape, ex.elt),
                            m.empty_rows, f"{node.target}: max + min, empty rows 0")
        return back(s.name, m.out_features)
    s = ex.binary(_Val(hi, shape, ex.elt), _Val(lo, shape, ex.elt), "addf",
                  f"{node.target}: max branch + min branch")
    return back(s.name, m.out_features)


def _lower_maxout(ex, node, m):
    x = ex.logical(ex.val(node.args[0], node.target))
    c = x.shape[-1]
    k = m.group_size
    if c % k:
        raise ExportError(f"Maxout at '{node.target}': {c} channels are not a "
                          f"multiple of group_size {k}")
    return maxout(ex, x, k, f"{node.target}: Maxout({k})")


def maxout(ex, x, k, comment):
    """trop.maxout of x (logical order) with groups of k along the last dim."""
    out_shape = x.shape[:-1] + (x.shape[-1] // k,)
    init = ex.b.fill(-math.inf, out_shape, x.elt)
    name = ex.b.fresh("maxout")
    oty = _ttype(out_shape, x.elt)
    ex.b.emit(f"// {comment}")
    ex.b.emit(f"{name} = trop.maxout group_size = {k} ins({x.name} : {x.type}) "
              f"outs({init} : {oty}) -> {oty}")
    return _Val(name, out_shape, x.elt)


def _lower_linact(ex, node, m):
    x = ex.val(node.args[0], node.target)
    if m.method == "simple":
        a = ex.param(m.weight, f"{node.target}.weight")
        return ex.channel_affine(x, a, None, len(x.shape) - 1,
                                 f"{node.target}: LinAct (simple), x * a")
    x2, back = ex.rows(x, f"LinAct at '{node.target}'")
    rows, n = x2.shape
    v = ex.param(m.vh, f"{node.target}.vh (transposed: V)", lambda t: t.t().contiguous())
    t1 = ex.matmul(x2, v, n, ex.b.fill(0.0, (rows, n), ex.elt), "linear",
                   f"{node.target}: LinAct (svd), x V")
    a = ex.param(m.weight, f"{node.target}.weight")
    t2 = ex.channel_affine(_Val(t1, (rows, n), ex.elt), a, None, 1,
                           f"{node.target}: LinAct (svd), * a")
    u = ex.param(m.u, f"{node.target}.u (transposed: U^T)", lambda t: t.t().contiguous())
    y = ex.matmul(t2, u, n, ex.b.fill(0.0, (rows, n), ex.elt), "linear",
                  f"{node.target}: LinAct (svd), (.) U^T")
    return back(y, n)


def _lower_batchnorm(ex, node, m):
    x = ex.val(node.args[0], node.target)
    what = f"{_module_kind(m)} at '{node.target}'"
    ranks = (4,) if isinstance(m, nn.BatchNorm2d) else (2, 3)
    if len(x.shape) not in ranks:
        raise ExportError(f"{what}: unexpected input shape {x.shape}")
    if m.running_mean is None or m.running_var is None:
        raise ExportError(f"{what}: needs running statistics "
                          f"(track_running_stats=True) to be exported")
    with torch.no_grad():
        invstd = 1.0 / torch.sqrt(m.running_var + m.eps)
        scale = invstd * m.weight if m.affine else invstd
        shift = (m.bias if m.affine else 0) - m.running_mean * scale
    s = ex.param(scale, f"{node.target}: BatchNorm scale = weight / sqrt(running_var + eps)")
    t = ex.param(shift, f"{node.target}: BatchNorm shift = bias - running_mean * scale")
    return ex.channel_affine(x, s, t, 1, f"{node.target}: {_module_kind(m)} (eval)")


def _relu(ex, v, what):
    def body(a, emit):
        emit(f"%zero = arith.constant {_float_bits(0.0, v.elt)} : {v.elt}")
        emit(f"%max = arith.maximumf {a[0]}, %zero : {v.elt}")
        return "%max"
    return ex.elementwise(v, body, f"{what}: ReLU")


def _lower_relu(ex, node, m):
    return _relu(ex, ex.val(node.args[0], node.target), node.target)


def _lower_identity(ex, node, m):
    return ex.val(node.args[0], node.target)


def _lower_flatten_module(ex, node, m):
    return ex.reshape(ex.val(node.args[0], node.target), ex.out_shape(node))


def _lower_conv2d(ex, node, m):
    what = f"nn.Conv2d at '{node.target}'"
    x = ex.val(node.args[0], node.target)
    if m.padding_mode != "zeros":
        raise ExportError(f"{what}: padding_mode {m.padding_mode!r} is not supported "
                          f"(only 'zeros')")
    depthwise = m.groups == m.in_channels == m.out_channels and m.groups > 1
    if m.groups != 1 and not depthwise:
        raise ExportError(f"{what}: groups={m.groups} is not supported (only 1, or "
                          f"depthwise with out_channels == in_channels)")
    pads, oh, ow = ex.conv_geometry(x, m.kernel_size, m.stride, m.padding,
                                    m.dilation, what)
    xin = ex.nhwc(x, what)
    n, c = x.shape[0], x.shape[1]
    if any(pads):
        padded = pad_nhwc(ex, xin, pads, 0.0)
        xin_name, xin_type = padded.name, padded.type
    else:
        xin_name, xin_type = xin.name, xin.type
    f = m.out_channels
    out_phys = (n, oh, ow, f)
    init = ex.bias_or_fill(m.bias, out_phys, 3, 0.0, f"{node.target}.bias")
    oty = _ttype(out_phys, x.elt)
    attrs = (f"{{dilations = dense<[{m.dilation[0]}, {m.dilation[1]}]> : tensor<2xi64>, "
             f"strides = dense<[{m.stride[0]}, {m.stride[1]}]> : tensor<2xi64>}}")
    name = ex.b.fresh("conv")
    if depthwise:
        filt = ex.param(m.weight, f"{node.target}.weight (as KH x KW x C)",
                        lambda w: w[:, 0].permute(1, 2, 0).contiguous())
        fty = _ttype((m.kernel_size[0], m.kernel_size[1], c), x.elt)
        ex.b.emit(f"// {node.target}: depthwise nn.Conv2d, NHWC")
        ex.b.emit(f"{name} = linalg.depthwise_conv_2d_nhwc_hwc {attrs} "
                  f"ins({xin_name}, {filt} : {xin_type}, {fty}) outs({init} : {oty}) -> {oty}")
    else:
        filt = ex.param(m.weight, f"{node.target}.weight (as KH x KW x C x F)",
                        lambda w: w.permute(2, 3, 1, 0).contiguous())
        fty = _ttype((m.kernel_size[0], m.kernel_size[1], c, f), x.elt)
        ex.b.emit(f"// {node.target}: nn.Conv2d, NHWC x HWCF")
        ex.b.emit(f"{name} = linalg.conv_2d_nhwc_hwcf {attrs} "
                  f"ins({xin_name}, {filt} : {xin_type}, {fty}) outs({init} : {oty}) -> {oty}")
    return _Val(name, (n, f, oh, ow), x.elt, (0, 2, 3, 1))


def pad_nhwc(ex, xin, pads, value):
    """An NHWC value padded by [top, left, bottom, right] with ``value``."""
    n, h, w, c = xin.phys
    hp, wp = h + pads[0] + pads[2], w + pads[1] + pads[3]
    name = ex.b.fresh("pad")
    pty = _ttype((n, hp, wp, c), xin.elt)
    ex.b.emit(f"{name} = tensor.pad {xin.name} low[0, {pads[0]}, {pads[1]}, 0] "
              f"high[0, {pads[2]}, {pads[3]}, 0] {{")
    ex.b.lines.append("  ^bb0(%i0: index, %i1: index, %i2: index, %i3: index):")
    ex.b.lines.append(f"    %z = arith.constant {_float_bits(value, xin.elt)} : {xin.elt}")
    ex.b.lines.append(f"    tensor.yield %z : {xin.elt}")
    ex.b.emit(f"}} : {xin.type} to {pty}")
    return _Val(name, (n, xin.shape[1], hp, wp), xin.elt, (0, 2, 3, 1))


def _trop_conv(ex, x, op, filt, fty, init, pads, stride, dilation, out_phys, comment,
               depthwise):
    name = ex.b.fresh("conv")
    oty = _ttype(out_phys, x.elt)
    opname = "depthwise_conv_2d" if depthwise else "conv_2d"
    ex.b.emit(f"// {comment}")
    ex.b.emit(f"{name} = trop.{opname} <{op}> {{dilations = array<i64: {dilation[0]}, "
              f"{dilation[1]}>, padding = array<i64: {', '.join(str(p) for p in pads)}>, "
              f"strides = array<i64: {stride[0]}, {stride[1]}>}} "
              f"ins({x.name}, {filt} : {x.type}, {fty}) outs({init} : {oty}) -> {oty}")
    return name


def _lower_morph_conv(ex, node, m):
    what = f"MorphConv2d at '{node.target}'"
    x = ex.val(node.args[0], node.target)
    pads, oh, ow = ex.conv_geometry(x, m.kernel_size, m.stride, m.padding,
                                    m.dilation, what)
    xin = ex.nhwc(x, what)
    n, c, f = x.shape[0], x.shape[1], m.out_channels
    out_phys = (n, oh, ow, f)
    filt = ex.param(m.weight, f"{node.target}.weight (as KH x KW x C x F)",
                    lambda w: w.permute(2, 3, 1, 0).contiguous())
    fty = _ttype((m.kernel_size[0], m.kernel_size[1], c, f), x.elt)
    branches = []
    ops = {"max_plus": ["max_plus"], "min_plus": ["min_plus"],
           "max_plus_min": ["max_plus", "min_plus"]}[m.semiring]
    for op, bias, label in zip(ops, (m.bias, m.bias2), ("bias", "bias2")):
        zero = -math.inf if op == "max_plus" else math.inf
        init = ex.bias_or_fill(bias, out_phys, 3, zero, f"{node.target}.{label}")
        branches.append(_trop_conv(ex, xin, op, filt, fty, init, pads, m.stride,
                                   m.dilation, out_phys,
                                   f"{node.target}: MorphConv2d, {op}", False))
    shape = (n, f, oh, ow)
    perm = (0, 2, 3, 1)
    if len(branches) == 1:
        return _Val(branches[0], shape, x.elt, perm)
    if getattr(m, "empty_rows", "nan") != "nan":  # paper C's rule (_ops)
        from ._ops import combine_max_min
        return combine_max_min(ex, _Val(branches[0], shape, x.elt, perm),
                               _Val(branches[1], shape, x.elt, perm), m.empty_rows,
                               f"{node.target}: (max + min) / 2, empty rows 0",
                               half=True)
    total = ex.binary(_Val(branches[0], shape, x.elt, perm),
                      _Val(branches[1], shape, x.elt, perm), "addf",
                      f"{node.target}: max branch + min branch")
    return ex.binary(total, 2.0, "divf", f"{node.target}: (max + min) / 2")


def _lower_morph2d(ex, node, m):
    what = f"{type(m).__name__} at '{node.target}'"
    x = ex.val(node.args[0], node.target)
    pads, oh, ow = ex.conv_geometry(x, m.kernel_size, m.stride, m.padding,
                                    m.dilation, what)
    xin = ex.nhwc(x, what)
    n, c = x.shape[0], x.shape[1]
    op = "max_plus" if isinstance(m, tnn.Dilation2d) else "min_plus"
    out_phys = (n, oh, ow, c)
    init = ex.b.fill(-math.inf if op == "max_plus" else math.inf, out_phys, x.elt)
    filt = ex.param(m.weight, f"{node.target}.weight (as KH x KW x C)",
                    lambda w: w.permute(1, 2, 0).contiguous())
    fty = _ttype((m.kernel_size[0], m.kernel_size[1], c), x.elt)
    name = _trop_conv(ex, xin, op, filt, fty, init, pads, m.stride, m.dilation,
                      out_phys, f"{node.target}: {type(m).__name__}", True)
    return _Val(name, (n, c, oh, ow), x.elt, (0, 2, 3, 1))


def _max_pool(ex, x, kernel, stride, padding, dilation, ceil_mode, what, expected=None):
    """Max pooling as a max-plus depthwise convolution with a −0.0
    structuring element (x + (−0) = x exactly) and 𝟘 padding."""
    kernel = _pair(kernel)
    stride = _pair(stride) if stride not in (None, ()) and stride != [] else kernel
    padding = _pair(padding)
    dilation = _pair(dilation)
    if len(x.shape) != 4:
        raise ExportError(f"{what}: expects a 4-D NCHW input, got shape {x.shape}")
    pads, oh, ow = ex.conv_geometry(x, kernel, stride, padding, dilation, what)
    if expected is not None and tuple(expected[2:]) != (oh, ow):
        raise ExportError(f"{what}: ceil_mode=True with a partial last window is not "
                          f"supported (output {tuple(expected[2:])}, without ceil_mode "
                          f"{(oh, ow)})")
    xin = ex.nhwc(x, what)
    n, c = x.shape[0], x.shape[1]
    out_phys = (n, oh, ow, c)
    init = ex.b.fill(-math.inf, out_phys, x.elt)
    filt = ex.b.tensor_constant(np.full((kernel[0], kernel[1], c), -0.0), x.elt,
                                f"{what}: flat structuring element (-0.0)", is_param=False)
    fty = _ttype((kernel[0], kernel[1], c), x.elt)
    name = _trop_conv(ex, xin, "max_plus", filt, fty, init, pads, stride, dilation,
                      out_phys, f"{what}: max pooling", True)
    return _Val(name, (n, c, oh, ow), x.elt, (0, 2, 3, 1))


def _pair(v):
    if isinstance(v, int):
        return (v, v)
    v = tuple(int(e) for e in v)
    return v if len(v) == 2 else (v[0], v[0])


def _lower_maxpool_module(ex, node, m):
    what = f"nn.MaxPool2d at '{node.target}'"
    if m.return_indices:
        raise ExportError(f"{what}: return_indices=True is not supported")
    return _max_pool(ex, ex.val(node.args[0], node.target), m.kernel_size, m.stride,
                     m.padding, m.dilation, m.ceil_mode, what, ex.out_shape(node))


def _adaptive_max_pool(ex, x, output_size, what):
    k = adaptive_window(x, output_size, what)
    return _max_pool(ex, x, k, k, 0, 1, False, what)


def adaptive_window(x, output_size, what):
    """The window (= stride) of an adaptive pooling to ``output_size``."""
    if len(x.shape) != 4:
        raise ExportError(f"{what}: expects a 4-D NCHW input, got shape {x.shape}")
    h, w = x.shape[2], x.shape[3]
    if isinstance(output_size, int) or output_size is None:
        output_size = (output_size, output_size)
    oh = h if output_size[0] is None else output_size[0]
    ow = w if output_size[1] is None else output_size[1]
    if h % oh or w % ow:
        raise ExportError(f"{what}: output size {(oh, ow)} does not divide the input "
                          f"size {(h, w)} (only evenly divided windows are supported)")
    return (h // oh, w // ow)


def _lower_adaptive_module(ex, node, m):
    what = f"nn.AdaptiveMaxPool2d at '{node.target}'"
    if m.return_indices:
        raise ExportError(f"{what}: return_indices=True is not supported")
    return _adaptive_max_pool(ex, ex.val(node.args[0], node.target), m.output_size, what)


_MODULE_RULES = [
    (nn.Linear, _lower_linear),
    (nn.Conv2d, _lower_conv2d),
    (nn.BatchNorm1d, _lower_batchnorm),
    (nn.BatchNorm2d, _lower_batchnorm),
    (nn.ReLU, _lower_relu),
    (nn.MaxPool2d, _lower_maxpool_module),
    (nn.AdaptiveMaxPool2d, _lower_adaptive_module),
    (nn.Flatten, _lower_flatten_module),
    (nn.Dropout, _lower_identity),
    (nn.Identity, _lower_identity),
    (tnn.MaxPlus, _lower_tropical_dense),
    (tnn.MinPlus, _lower_tropical_dense),
    (tnn.MaxPlusMin, _lower_max_plus_min),
    (tnn.Maxout, _lower_maxout),
    (tnn.LinAct, _lower_linact),
    (tnn.MorphConv2d, _lower_morph_conv),
    (tnn.Dilation2d, _lower_morph2d),
    (tnn.Erosion2d, _lower_morph2d),
]


def _module_rule(m):
    """The lowering of module ``m``: PyTorch's modules by exact type (a
    subclass may compute something else), trop.nn's also for subclasses."""
    for cls, fn in _MODULE_RULES:
        if type(m) is cls or (cls in _TROP_LEAVES and isinstance(m, cls)):
            return fn
    if hasattr(m, "_trop_lower"):
        return lambda ex, node, module: module._trop_lower(ex, node)
    return None


def _arg(node, index, name, default=None):
    if len(node.args) > index:
        return node.args[index]
    return node.kwargs.get(name, default)


def _fn_relu(ex, node):
    return _relu(ex, ex.val(node.args[0], node.name), node.name)


def _fn_identity(ex, node):
    return ex.val(node.args[0], node.name)


def _fn_dropout(ex, node):
    if ex.concrete(_arg(node, 2, "training", True)):
        raise ExportError(f"F.dropout at '{node.name}' with training=True is random; "
                          f"pass training=self.training")
    return ex.val(node.args[0], node.name)


def _fn_max_pool2d(ex, node):
    a = ex.concrete
    if a(_arg(node, 6, "return_indices", False)):
        raise ExportError(f"F.max_pool2d at '{node.name}': return_indices=True is not "
                          f"supported")
    return _max_pool(ex, ex.val(node.args[0], node.name), a(_arg(node, 1, "kernel_size")),
                     a(_arg(node, 2, "stride", None)), a(_arg(node, 3, "padding", 0)),
                     a(_arg(node, 4, "dilation", 1)), a(_arg(node, 5, "ceil_mode", False)),
                     f"F.max_pool2d at '{node.name}'", ex.out_shape(node))


def _fn_adaptive_max_pool2d(ex, node):
    a = ex.concrete
    if a(_arg(node, 2, "return_indices", False)):
        raise ExportError(f"F.adaptive_max_pool2d at '{node.name}': return_indices=True "
                          f"is not supported")
    return _adaptive_max_pool(ex, ex.val(node.args[0], node.name),
                              a(_arg(node, 1, "output_size")),
                              f"F.adaptive_max_pool2d at '{node.name}'")


def _fn_reshape(ex, node):
    return ex.reshape(ex.val(node.args[0], node.name), ex.out_shape(node))


def _fn_permute(ex, node):
    x = ex.val(node.args[0], node.name)
    r = len(x.shape)
    is_permute = node.target in ("permute", torch.permute)
    if is_permute:
        if "dims" in node.kwargs:
            dims = node.kwargs["dims"]
        elif len(node.args) == 2:
            dims = node.args[1]
        else:
            dims = list(node.args[1:])
        dims = ex.concrete(dims)
        if isinstance(dims, int):
            dims = [dims]
        p = [int(d) % r for d in dims]
    else:  # transpose(dim0, dim1)
        d0 = int(ex.concrete(_arg(node, 1, "dim0"))) % r
        d1 = int(ex.concrete(_arg(node, 2, "dim1"))) % r
        p = list(range(r))
        p[d0], p[d1] = p[d1], p[d0]
    if sorted(p) != list(range(r)):
        raise ExportError(f"'{node.name}': {p} is not a permutation")
    # New logical dim i is old logical dim p[i]; the storage does not move.
    pinv = [p.index(k) for k in range(r)]
    return _Val(x.name, tuple(x.shape[k] for k in p), x.elt,
                tuple(pinv[q] for q in x.perm))


def _fn_linear(ex, node):
    """F.linear(x, weight, bias) on tensors the graph computes (weights read
    with get_attr in a module that is traced through)."""
    what = f"F.linear at '{node.name}'"
    x = ex.val(node.args[0], what)
    w = ex.val(_arg(node, 1, "weight"), what)
    b = _arg(node, 2, "bias")
    if len(w.shape) != 2:
        raise ExportError(f"{what}: the weight must be 2-D")
    out_f, in_f = w.shape
    wt = ex.logical(_Val(w.name, (in_f, out_f), w.elt, tuple(1 - q for q in w.perm)))
    x2, back = ex.rows(x, what)
    rows = x2.shape[0]
    if b is None:
        init = ex.b.fill(0.0, (rows, out_f), ex.elt)
    else:
        bv = ex.logical(ex.val(b, what))
        init = ex.b.broadcast(bv.name, out_f, (rows, out_f), 1, ex.elt, f"{what}: bias")
    y = ex.matmul(x2, wt.name, out_f, init, "linear", what)
    return back(y, out_f)


def _binary_rule(op):
    def rule(ex, node):
        lhs, rhs = node.args[0], node.args[1]
        alpha = node.kwargs.get("alpha", 1)
        if alpha != 1:
            raise ExportError(f"'{node.name}': alpha={alpha} is not supported")
        what = f"'{node.name}' ({op})"
        l_is = isinstance(lhs, torch.fx.Node) and lhs in ex.vals
        r_is = isinstance(rhs, torch.fx.Node) and rhs in ex.vals
        if l_is and r_is:
            return ex.binary(ex.val(lhs, what), ex.val(rhs, what), op, what)
        if l_is:
            c = ex.concrete(rhs)
            if not isinstance(c, (int, float)):
                raise ExportError(f"{what}: unsupported operand {c!r}")
            return ex.binary(ex.val(lhs, what), float(c), op, what)
        if r_is:
            c = ex.concrete(lhs)
            if not isinstance(c, (int, float)):
                raise ExportError(f"{what}: unsupported operand {c!r}")
            if op == "subf":  # c - x = (x * -1) + c is not exact; do it directly
                x = ex.val(rhs, what)

                def body(a, emit):
                    emit(f"%s = arith.constant {_float_bits(float(c), x.elt)} : {x.elt}")
                    return _emit_op(emit, "subf", "%s", a[0], x.elt)
                return ex.elementwise(x, body, what)
            return ex.binary(ex.val(rhs, what), float(c), op, what)
        raise ExportError(f"{what}: no tensor operand")
    return rule


_FUNCTION_RULES = {
    F.relu: _fn_relu,
    torch.relu: _fn_relu,
    F.linear: _fn_linear,
    F.dropout: _fn_dropout,
    F.max_pool2d: _fn_max_pool2d,
    F.adaptive_max_pool2d: _fn_adaptive_max_pool2d,
    torch.flatten: _fn_reshape,
    torch.reshape: _fn_reshape,
    torch.permute: _fn_permute,
    torch.transpose: _fn_permute,
    operator.add: _binary_rule("addf"),
    operator.iadd: _binary_rule("addf"),
    torch.add: _binary_rule("addf"),
    operator.sub: _binary_rule("subf"),
    operator.isub: _binary_rule("subf"),
    torch.sub: _binary_rule("subf"),
    operator.mul: _binary_rule("mulf"),
    operator.imul: _binary_rule("mulf"),
    torch.mul: _binary_rule("mulf"),
}
# F.max_pool2d is a dispatcher around these two; tracing records either.
for _name in ("max_pool2d_with_indices", "_max_pool2d"):
    if hasattr(F, _name):
        _FUNCTION_RULES.setdefault(getattr(F, _name), _fn_max_pool2d)
for _name in ("adaptive_max_pool2d_with_indices", "_adaptive_max_pool2d"):
    if hasattr(F, _name):
        _FUNCTION_RULES.setdefault(getattr(F, _name), _fn_adaptive_max_pool2d)

_METHOD_RULES = {
    "relu": _fn_relu,
    "view": _fn_reshape,
    "reshape": _fn_reshape,
    "flatten": _fn_reshape,
    "permute": _fn_permute,
    "transpose": _fn_permute,
    "contiguous": _fn_identity,
    "add": _binary_rule("addf"),
    "add_": _binary_rule("addf"),
    "sub": _binary_rule("subf"),
    "mul": _binary_rule("mulf"),
}


# ---------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------

def export(model, example_input, *, params="constants", function_name="forward",
           kwargs=None, autograd_functions=None, dynamic_batch=False):
    """Translates ``model`` to trop IR (textual MLIR) for inputs shaped like
    ``example_input`` (a tensor, or a tuple of tensors for a model with
    several inputs; float32 or float64).

    ``params="constants"`` (default): parameters become exact constants and
    the function takes only the inputs. ``params="arguments"``: parameters
    become trailing arguments, listed in ``result.parameters``.

    ``kwargs``: keyword arguments for ``forward``, fixed for the export
    (``{"dropout": None}``); tensors among them become function inputs after
    the positional ones. ``autograd_functions``: ``{Function: impl}`` for
    custom ``torch.autograd.Function`` classes; ``impl`` is a callable taking
    ``apply``'s arguments (an eager CPU forward written with torch ops) or
    ``"forward"`` (the default for any Function: run its own ``forward``).

    ``dynamic_batch=True``: the first dimension of every tensor input is the
    batch, and the function takes any batch size: it is ``?`` in the types
    of the inputs, the results and every value derived from them (see
    ``trop/export/_dynamic.py``; the model runs a second time, on the example
    with one more row, to tell which sizes follow the batch).

    The model runs once on the example under a recorder (see
    ``trop/export/_trace.py``). Returns an :class:`Exported` (a str). Raises
    :class:`trop.ExportError` naming the first operation it cannot translate
    and the user's source line."""
    if params not in ("constants", "arguments"):
        raise ValueError("params must be 'constants' or 'arguments'")
    if not isinstance(model, nn.Module):
        raise ExportError(f"trop.export expects a torch.nn.Module, got "
                          f"{type(model).__name__}")
    inputs = example_input if isinstance(example_input, (tuple, list)) else (example_input,)
    for i, t in enumerate(inputs):
        if not isinstance(t, torch.Tensor):
            raise ExportError(f"example input {i} is a {type(t).__name__}, not a tensor "
                              f"(fix non-tensor arguments with kwargs=...)")
    tensors = list(inputs) + [v for v in (kwargs or {}).values()
                              if isinstance(v, torch.Tensor)]
    dtype = tensors[0].dtype if tensors else torch.float32
    if dtype not in _DTYPES:
        raise ExportError(f"the example input has dtype {dtype}; the exporter "
                          f"supports float32 and float64")
    text, ex = _export_once(model, inputs, kwargs, params, autograd_functions,
                            dtype, function_name)
    if dynamic_batch:
        batch = _example_batch(tensors)
        grown = [torch.cat([t, t[:1]]) for t in inputs]
        grown_kwargs = {k: torch.cat([v, v[:1]]) if isinstance(v, torch.Tensor) else v
                        for k, v in (kwargs or {}).items()} if kwargs else kwargs
        text2, _ = _export_once(model, grown, grown_kwargs, params,
                                autograd_functions, dtype, function_name)
        text = _dynamic.generalise_batch(text, text2, batch, function_name)
    shapes = ", ".join(str(("?",) + tuple(t.shape)[1:] if dynamic_batch else tuple(t.shape))
                       .replace("'", "") for t in tensors)
    header = (f"// Exported by trop.export from {type(model).__name__} "
              f"(inputs {shapes}, parameters as {params}).\n")
    return Exported(header + text, function_name,
                    [(None,) + tuple(t.shape)[1:] if dynamic_batch else tuple(t.shape)
                     for t in tensors], ex.b.param_arrays, ex.b.param_names)


def _example_batch(tensors):
    """The batch size of the example: the common first size of its tensors."""
    sizes = {int(t.shape[0]) for t in tensors if t.dim() > 0}
    if any(t.dim() == 0 for t in tensors) or len(sizes) != 1 or 0 in sizes:
        raise ExportError(
            f"dynamic_batch: every input must have the batch as its first "
            f"dimension, the same non-zero size in each; the example's shapes "
            f"are {', '.join(str(tuple(t.shape)) for t in tensors)}")
    return sizes.pop()


def _export_once(model, inputs, kwargs, params, autograd_functions, dtype,
                 function_name):
    """Traces a private copy of `model` on `inputs` and returns the text of
    the function and the exporter."""
    user_model = model
    model = _private_copy(model)
    restore = None
    if model is user_model:
        restore = _snapshot(model)
    model.eval()
    try:
        try:
            rec = _trace.trace(model, inputs, kwargs, params, autograd_functions,
                               _module_rule)
        except ExportError:
            raise
        except Exception as exc:
            raise ExportError(f"running {type(model).__name__} on the example "
                              f"input failed: {type(exc).__name__}: {exc} at "
                              f"{_trace.location_of(exc)}") from exc
        ex = _Exporter(rec, params)
        ex.dtype = dtype
        ex.elt = _DTYPES[dtype][0]
        text, _ = ex.run(function_name)
    finally:
        if restore is not None:
            restore()
    return text, ex


def _private_copy(model):
    """A deep copy to trace, so that nothing the export does (eval mode,
    attributes that ``forward`` assigns, tracing proxies) reaches the
    user's model; the model itself when it cannot be copied."""
    try:
        return copy.deepcopy(model)
    except Exception:  # e.g. a submodule holding a lock or a file handle
        return model


def _snapshot(model):
    """For a model that cannot be deep-copied: records every submodule's
    attributes (its training flag among them) and returns a function that
    puts them back, dropping attributes added since."""
    saved = []
    for m in model.modules():
        saved.append((m, dict(m.__dict__),
                      {k: dict(v) for k, v in m.__dict__.items()
                       if k in ("_parameters", "_buffers", "_modules")}))

    def restore():
        for m, attrs, registries in saved:
            m.__dict__.clear()
            m.__dict__.update(attrs)
            for name, entries in registries.items():
                registry = attrs[name]
                registry.clear()
                registry.update(entries)
    return restore


def _ops_bool_constant(ex, array, label):
    from ._ops import bool_constant
    return bool_constant(ex, array, label)
