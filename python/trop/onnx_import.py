"""Import ONNX models as trop IR (textual MLIR).

``trop.import_onnx(model)`` reads an ONNX model (a path, bytes or an
``onnx.ModelProto``; Debian's ``python3-onnx``) and emits one
``func.func @forward`` on statically shaped tensors, the same kind of IR
``trop.export`` emits:

* the tropical form a front end writes for a max-plus or min-plus layer,
  ``ReduceMax``/``ReduceMin`` over one axis of an ``Add`` (or ``Sub``) of two
  broadcast operands, becomes a ``trop.matmul`` (``<max_plus>`` /
  ``<min_plus>``; with ``Sub`` the right operand is negated first);
* ``MatMul`` and ``Gemm`` on matrices become ``linalg.matmul`` (Gemm's bias
  broadcast as its init), batched ``MatMul`` a ``linalg.generic``;
* convolutions and pooling are ``linalg.generic`` windows over a
  ``tensor.pad``-ed input (NCHW, as ONNX stores them);
* everything elementwise, with numpy broadcasting, is one ``linalg.generic``
  (``arith`` and ``math`` ops in its body), reductions a ``linalg.generic``
  with reduction loops, shape changes ``tensor.collapse_shape`` /
  ``tensor.expand_shape`` / ``linalg.transpose`` / ``tensor.insert_slice``.

Shapes are static but for a batch: an input whose only symbolic dimension
is its leading one imports with ``?`` there (imported twice, with batches 2
and 3, and generalised as ``trop.export(dynamic_batch=True)`` does), any
other symbolic dimension needs a shape in ``shapes``; the operands that decide a shape (``Reshape``'s shape, ``Expand``'s shape,
``Squeeze``/``Unsqueeze``/``Reduce*`` axes, ``Pad``'s pads) must be
initializers, ``Constant`` nodes or graph inputs bound with
``static_inputs``. Anything else (an op not in :data:`OPS`, an attribute
value or element type the importer does not handle) raises
:class:`trop.OnnxImportError` naming the node and its op type.

Command line: ``python3 -m trop.onnx_import model.onnx -o model.mlir`` (the
``trop-import-onnx`` script of the installed package).
"""

import argparse
import math
import sys

import numpy as np

from ._errors import ExportError, OnnxImportError
from ._reshape import reassociation

__all__ = ["import_onnx", "OPS", "static_operands", "OnnxImportError", "main"]

# ---------------------------------------------------------------------------
# Types and constants
# ---------------------------------------------------------------------------

#: ONNX TensorProto element types the importer handles -> (MLIR, numpy).
_ELEMENT_TYPES = {
    1: ("f32", np.float32), 11: ("f64", np.float64), 10: ("f16", np.float16),
    3: ("i8", np.int8), 5: ("i16", np.int16), 6: ("i32", np.int32),
    7: ("i64", np.int64), 9: ("i1", np.bool_),
}
_ONNX_TYPE_NAMES = {2: "uint8", 4: "uint16", 12: "uint32", 13: "uint64",
                    8: "string", 14: "complex64", 15: "complex128",
                    16: "bfloat16"}
_NUMPY_TO_MLIR = {np.dtype(np.float32): "f32", np.dtype(np.float64): "f64",
                  np.dtype(np.float16): "f16", np.dtype(np.int8): "i8",
                  np.dtype(np.int16): "i16", np.dtype(np.int32): "i32",
                  np.dtype(np.int64): "i64", np.dtype(np.bool_): "i1"}
_NUMPY_OF = {v: k for k, v in _NUMPY_TO_MLIR.items()}


def _is_float(elt):
    return elt in ("f16", "f32", "f64")


def _ttype(shape, elt):
    if not shape:
        return f"tensor<{elt}>"
    return "tensor<" + "x".join(str(int(s)) for s in shape) + f"x{elt}>"


def _scalar_literal(value, elt):
    """An arith.constant literal: floats as their exact bits, ints in decimal."""
    if _is_float(elt):
        bits = np.array([value], dtype=_NUMPY_OF[elt]).view(
            {"f16": "<u2", "f32": "<u4", "f64": "<u8"}[elt])[0]
        width = {"f16": 4, "f32": 8, "f64": 16}[elt]
        return "0x%0*X" % (width, int(bits))
    if elt == "i1":  # `arith.constant true : i1` does not parse; `1 : i1` does
        return "1" if value else "0"
    return str(int(value))


def _dims(n):
    return ", ".join(f"d{i}" for i in range(n))


def _map(nloops, results):
    return f"affine_map<({_dims(nloops)}) -> ({', '.join(results)})>"


class _Val:
    """A tensor value of the function being built."""

    __slots__ = ("name", "shape", "elt")

    def __init__(self, name, shape, elt):
        self.name = name
        self.shape = tuple(int(s) for s in shape)
        self.elt = elt

    @property
    def type(self):
        return _ttype(self.shape, self.elt)


# ---------------------------------------------------------------------------
# The IR builder
# ---------------------------------------------------------------------------

class _Builder:
    """Emits the body of one func.func, one SSA value per line."""

    def __init__(self):
        self.lines = []
        self.counter = 0

    def fresh(self, hint="v"):
        self.counter += 1
        return f"%{hint}{self.counter}"

    def emit(self, line):
        self.lines.append("  " + line)

    def constant(self, array):
        """A dense tensor constant holding `array`'s exact bits."""
        array = np.asarray(array)
        elt = _NUMPY_TO_MLIR.get(array.dtype)
        if elt is None:
            raise OnnxImportError(f"constants of numpy type {array.dtype} are not supported")
        name = self.fresh("cst")
        ty = _ttype(array.shape, elt)
        if elt == "i1":
            body = str(array.tolist()).replace("True", "true").replace("False", "false")
            if array.ndim == 0:
                body = body
        else:
            data = np.ascontiguousarray(array, dtype=array.dtype.newbyteorder("<"))
            body = '"0x' + data.tobytes().hex().upper() + '"'
        self.emit(f"{name} = arith.constant dense<{body}> : {ty}")
        return _Val(name, array.shape, elt)

    def scalar(self, value, elt):
        name = self.fresh("c")
        self.emit(f"{name} = arith.constant {_scalar_literal(value, elt)} : {elt}")
        return name

    def empty(self, shape, elt):
        name = self.fresh("e")
        self.emit(f"{name} = tensor.empty() : {_ttype(shape, elt)}")
        return _Val(name, shape, elt)

    def fill(self, value, shape, elt):
        c = self.scalar(value, elt)
        e = self.empty(shape, elt)
        name = self.fresh("f")
        self.emit(f"{name} = linalg.fill ins({c} : {elt}) outs({e.name} : {e.type}) "
                  f"-> {e.type}")
        return _Val(name, shape, elt)

    def generic(self, ins, init, nloops, out_results, iterators, body):
        """One linalg.generic. `ins`: [(value, [affine result strings])];
        `init`: the output's init value, or a list of them (several outputs
        with the same map); `out_results`: the output map's results;
        `body(args, out_arg, emit) -> result` emits the region's ops on
        scalar SSA names and returns the yielded one (with several outputs,
        `out_arg` and the result are lists)."""
        inits = init if isinstance(init, list) else [init]
        maps = [_map(nloops, r) for _, r in ins] + [_map(nloops, out_results)] * len(inits)
        its = ", ".join(f'"{i}"' for i in iterators)
        name = self.fresh("g")
        ins_part = ""
        if ins:
            ins_part = ("ins(" + ", ".join(v.name for v, _ in ins) + " : "
                        + ", ".join(v.type for v, _ in ins) + ") ")
        outs = ", ".join(i.name for i in inits) + " : " + ", ".join(i.type for i in inits)
        lhs = name if len(inits) == 1 else f"{name}:{len(inits)}"
        self.emit(f"{lhs} = linalg.generic {{indexing_maps = [{', '.join(maps)}], "
                  f"iterator_types = [{its}]}} {ins_part}outs({outs}) {{")
        args = [self.fresh("a") for _ in ins]
        out_args = [self.fresh("o") for _ in inits]
        sig = ", ".join([f"{a}: {v.elt}" for a, (v, _) in zip(args, ins)]
                        + [f"{o}: {i.elt}" for o, i in zip(out_args, inits)])
        self.emit(f"^bb0({sig}):")
        result = body(args, out_args[0] if len(inits) == 1 else out_args,
                      self._body_emitter())
        results = result if isinstance(result, list) else [result]
        self.emit(f"  linalg.yield {', '.join(results)} : "
                  f"{', '.join(i.elt for i in inits)}")
        types = ", ".join(i.type for i in inits)
        self.emit(f"}} -> {types if len(inits) == 1 else '(' + types + ')'}")
        if len(inits) == 1:
            return _Val(name, init.shape, init.elt)
        return [_Val(f"{name}#{k}", i.shape, i.elt) for k, i in enumerate(inits)]

    def _body_emitter(self):
        def op(text, ty):
            """Emits `%n = <text> : <ty>` (text is e.g. 'arith.addf %a, %b')."""
            name = self.fresh("s")
            self.emit(f"  {name} = {text} : {ty}")
            return name

        def const(value, elt):
            name = self.fresh("k")
            self.emit(f"  {name} = arith.constant {_scalar_literal(value, elt)} : {elt}")
            return name
        op.const = const
        return op

    def transpose(self, v, perm):
        if list(perm) == list(range(len(perm))):
            return v
        shape = [v.shape[p] for p in perm]
        e = self.empty(shape, v.elt)
        name = self.fresh("t")
        self.emit(f"{name} = linalg.transpose ins({v.name} : {v.type}) outs({e.name} : "
                  f"{e.type}) permutation = [{', '.join(str(p) for p in perm)}]")
        return _Val(name, shape, v.elt)

    def reshape(self, v, shape):
        """Any reshape with the same number of elements: collapse to one
        dimension (or none), then expand."""
        shape = tuple(int(s) for s in shape)
        if shape == v.shape:
            return v
        if int(np.prod(shape)) != int(np.prod(v.shape)):
            raise OnnxImportError(f"cannot reshape {v.shape} to {shape}")
        if 0 in shape:
            raise OnnxImportError("tensors with no elements are not supported")
        # One collapse or one expand when the reshape only groups adjacent
        # dimensions (what --trop-raise's maxout pattern reads).
        for src, dst, op in ((v.shape, shape, "collapse"), (shape, v.shape, "expand")):
            groups = reassociation(src, dst)
            if groups is None:
                continue
            text = "[" + ", ".join("[" + ", ".join(map(str, g)) + "]" for g in groups) + "]"
            name = self.fresh("r")
            if op == "collapse":
                self.emit(f"{name} = tensor.collapse_shape {v.name} {text} : {v.type} "
                          f"into {_ttype(shape, v.elt)}")
            else:
                self.emit(f"{name} = tensor.expand_shape {v.name} {text} output_shape "
                          f"[{', '.join(str(s) for s in shape)}] : {v.type} into "
                          f"{_ttype(shape, v.elt)}")
            return _Val(name, shape, v.elt)
        cur = v
        if len(cur.shape) > 1 or (len(cur.shape) == 1 and len(shape) == 0):
            dst = (int(np.prod(cur.shape)),) if shape else ()
            groups = f"[[{', '.join(str(i) for i in range(len(cur.shape)))}]]" if dst else "[]"
            name = self.fresh("r")
            self.emit(f"{name} = tensor.collapse_shape {cur.name} {groups} : {cur.type} "
                      f"into {_ttype(dst, v.elt)}")
            cur = _Val(name, dst, v.elt)
        if cur.shape == shape:
            return cur
        groups = f"[[{', '.join(str(i) for i in range(len(shape)))}]]" if cur.shape else "[]"
        name = self.fresh("r")
        self.emit(f"{name} = tensor.expand_shape {cur.name} {groups} output_shape "
                  f"[{', '.join(str(s) for s in shape)}] : {cur.type} into {_ttype(shape, v.elt)}")
        return _Val(name, shape, v.elt)

    def pad(self, v, low, high, value):
        if not any(low) and not any(high):
            return v
        shape = [s + lo + hi for s, lo, hi in zip(v.shape, low, high)]
        c = self.scalar(value, v.elt)
        name = self.fresh("p")
        idx = ", ".join(f"%i{k}: index" for k in range(len(shape)))
        self.emit(f"{name} = tensor.pad {v.name} low[{', '.join(map(str, low))}] "
                  f"high[{', '.join(map(str, high))}] {{")
        self.emit(f"^bb0({idx}):")
        self.emit(f"  tensor.yield {c} : {v.elt}")
        self.emit(f"}} : {v.type} to {_ttype(shape, v.elt)}")
        return _Val(name, shape, v.elt)

    @staticmethod
    def _slice(offsets, sizes):
        """'[offsets] [sizes] [1, ...]' of a unit-stride slice."""
        return (f"[{', '.join(map(str, offsets))}] [{', '.join(map(str, sizes))}] "
                f"[{', '.join('1' for _ in sizes)}]")

    def extract_slice(self, v, offsets, sizes):
        name = self.fresh("x")
        self.emit(f"{name} = tensor.extract_slice {v.name}{self._slice(offsets, sizes)} : "
                  f"{v.type} to {_ttype(sizes, v.elt)}")
        return _Val(name, sizes, v.elt)

    def insert_slice(self, src, dst, offsets):
        name = self.fresh("i")
        self.emit(f"{name} = tensor.insert_slice {src.name} into "
                  f"{dst.name}{self._slice(offsets, src.shape)} : {src.type} into {dst.type}")
        return _Val(name, dst.shape, dst.elt)


# ---------------------------------------------------------------------------
# Scalar ops by element type
# ---------------------------------------------------------------------------

def _arith(kind, elt):
    f = _is_float(elt)
    table = {
        "add": ("arith.addf", "arith.addi"), "sub": ("arith.subf", "arith.subi"),
        "mul": ("arith.mulf", "arith.muli"), "div": ("arith.divf", "arith.divsi"),
        "max": ("arith.maximumf", "arith.maxsi"), "min": ("arith.minimumf", "arith.minsi"),
    }
    return table[kind][0 if f else 1]


def _lowest(elt):
    if _is_float(elt):
        return -math.inf
    return int(np.iinfo(_NUMPY_OF[elt]).min)


def _highest(elt):
    if _is_float(elt):
        return math.inf
    return int(np.iinfo(_NUMPY_OF[elt]).max)


# ---------------------------------------------------------------------------
# The op registry
# ---------------------------------------------------------------------------

class _Rule:
    __slots__ = ("fn", "ir", "static")

    def __init__(self, fn, ir, static):
        self.fn = fn
        self.ir = ir
        self.static = static


#: op type -> rule (the handler, the IR it emits, for docs/onnx.md, and the
#: indices of operands that must be known at import time).
OPS = {}


def _op(*names, ir, static=()):
    def register(fn):
        for name in names:
            OPS[name] = _Rule(fn, ir, static)
        return fn
    return register


class _Attrs:
    """A node's attributes; the ones no handler read are reported as
    unsupported after the node is lowered."""

    def __init__(self, node):
        from onnx import helper
        self._values = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        self._read = set()

    def get(self, name, default=None):
        self._read.add(name)
        value = self._values.get(name, default)
        if isinstance(value, bytes):
            value = value.decode()
        return value

    def has(self, name):
        return name in self._values

    def unread(self):
        return sorted(set(self._values) - self._read)


class _Importer:
    def __init__(self, graph, static_inputs, shapes, function_name, opset=17):
        from onnx import numpy_helper
        self.numpy_helper = numpy_helper
        self.graph = graph
        self.function_name = function_name
        self.opset = opset
        self.b = _Builder()
        self.values = {}
        self.consts = {}
        self.deferred = {}
        self.args = []
        for init in graph.initializer:
            self.consts[init.name] = numpy_helper.to_array(init)
        static_inputs = dict(static_inputs or {})
        shapes = dict(shapes or {})
        for inp in graph.input:
            if inp.name in self.consts:
                continue
            if inp.name in static_inputs:
                self.consts[inp.name] = np.asarray(static_inputs.pop(inp.name))
                continue
            elt, shape = self.value_type(inp, shapes.pop(inp.name, None))
            name = f"%arg{len(self.args)}"
            val = _Val(name, shape, elt)
            self.args.append(val)
            self.values[inp.name] = val
        for leftover in list(static_inputs) + list(shapes):
            raise OnnxImportError(f"'{leftover}' is not an input of the graph")
        self.consumers = {}
        for node in graph.node:
            for name in node.input:
                self.consumers[name] = self.consumers.get(name, 0) + 1
        self.outputs = {o.name for o in graph.output}

    @staticmethod
    def value_type(info, shape_override):
        tt = info.type.tensor_type
        if not info.type.HasField("tensor_type"):
            raise OnnxImportError(f"input '{info.name}' is not a tensor")
        if tt.elem_type not in _ELEMENT_TYPES:
            name = _ONNX_TYPE_NAMES.get(tt.elem_type, str(tt.elem_type))
            raise OnnxImportError(f"input '{info.name}': element type {name} is not supported")
        elt = _ELEMENT_TYPES[tt.elem_type][0]
        if shape_override is not None:
            return elt, tuple(int(s) for s in shape_override)
        shape = []
        for d in tt.shape.dim:
            if not d.HasField("dim_value"):
                raise OnnxImportError(
                    f"input '{info.name}' has a dynamic dimension "
                    f"'{d.dim_param or '?'}': give its shape with shapes={{'{info.name}': ...}}")
            shape.append(d.dim_value)
        return elt, tuple(shape)

    # -- values -------------------------------------------------------------

    def value(self, name):
        if name in self.values:
            return self.values[name]
        if name in self.deferred:
            self.lower(*self.deferred.pop(name))
            return self.values[name]
        if name in self.consts:
            array = self.consts[name]
            if array.dtype not in _NUMPY_TO_MLIR:
                raise OnnxImportError(f"'{name}': element type {array.dtype} is not supported")
            if 0 in array.shape:
                raise OnnxImportError(f"'{name}': tensors with no elements are not supported")
            val = self.b.constant(array)
            self.values[name] = val
            return val
        raise OnnxImportError(f"value '{name}' is not defined")

    def const(self, name, what):
        """The known value of operand `name` (an initializer, a Constant
        node or a bound input)."""
        if name not in self.consts:
            raise OnnxImportError(
                f"{what} ('{name}') must be a constant: an initializer, a Constant node "
                f"or an input bound with static_inputs")
        return self.consts[name]

    # -- nodes --------------------------------------------------------------

    def run(self):
        for index, node in enumerate(self.graph.node):
            where = f"node {index}" + (f" '{node.name}'" if node.name else "") + \
                f" ({node.op_type}, outputs {', '.join(node.output)})"
            if node.domain not in ("", "ai.onnx"):
                raise OnnxImportError(f"{where}: domain '{node.domain}' is not supported")
            rule = OPS.get(node.op_type)
            if rule is None:
                raise OnnxImportError(f"{where}: op type {node.op_type} is not supported "
                                      f"(supported: {', '.join(sorted(OPS))})")
            if node.op_type in ("Add", "Sub") and self.feeds_tropical_reduce(node):
                self.deferred[node.output[0]] = (node, rule, where)
                continue
            self.lower(node, rule, where)
        results = []
        for out in self.graph.output:
            try:
                results.append(self.value(out.name))
            except OnnxImportError as exc:
                raise OnnxImportError(f"graph output '{out.name}': {exc}") from None
        return self.text(results)

    def lower(self, node, rule, where):
        attrs = _Attrs(node)
        try:
            outs = _onnx_extra_ops.fold(self, node, attrs)
            if outs is None:
                outs = rule.fn(self, node, attrs)
            unread = attrs.unread()
            if unread:
                raise OnnxImportError(f"attribute {', '.join(unread)} is not supported")
        except OnnxImportError as exc:
            if getattr(exc, "located", False):
                raise  # from a node lowered on demand inside this one
            raise _located(f"{where}: {exc}") from None
        except (ValueError, TypeError, IndexError, KeyError, ZeroDivisionError) as exc:
            # A node the ONNX checker would reject (attribute of the wrong
            # type, missing operand): still named, never a bare traceback.
            raise _located(f"{where}: malformed node ({type(exc).__name__}: {exc})") from None
        if isinstance(outs, (_Val, np.ndarray)):
            outs = [outs]
        produced = [o for o in node.output if o]
        if len(outs) < len(produced):
            raise OnnxImportError(f"{where}: only the first {len(outs)} output(s) are supported")
        for name, val in zip(produced, outs):
            if isinstance(val, np.ndarray):
                self.consts[name] = val
            else:
                self.values[name] = val

    def feeds_tropical_reduce(self, node):
        out = node.output[0]
        if self.consumers.get(out) != 1 or out in self.outputs:
            return False
        for consumer in self.graph.node:
            if out in consumer.input:
                return consumer.op_type in ("ReduceMax", "ReduceMin") and consumer.input[0] == out
        return False

    def text(self, results):
        args = ", ".join(f"{a.name}: {a.type}" for a in self.args)
        rtypes = ", ".join(r.type for r in results)
        lines = [f"func.func @{self.function_name}({args}) -> ({rtypes}) {{"]
        lines += self.b.lines
        lines.append(f"  return {', '.join(r.name for r in results)} : {rtypes}")
        lines.append("}")
        return "\n".join(lines) + "\n"

    # -- helpers used by the rules -----------------------------------------

    def inputs(self, node, count=None, required=None):
        """The node's operands (None for an omitted optional one); with
        `count`, exactly that many, padded with None. The first `required`
        (default: all `count`, else 1) must be given."""
        names = list(node.input)[:count]
        if count is not None:
            names += [""] * (count - len(names))
        required = required if required is not None else (count or 1)
        if not all(names[:required]) or len(names) < required:
            raise OnnxImportError(f"expects at least {required} operand(s), "
                                  f"got {len([n for n in node.input if n])}")
        return [self.value(n) if n else None for n in names]

    def elementwise(self, inputs, body, elt=None, shape=()):
        """One linalg.generic over the broadcast shape of `inputs` (numpy /
        ONNX multidirectional broadcasting)."""
        try:
            out = tuple(np.broadcast_shapes(*[v.shape for v in inputs], tuple(shape)))
        except ValueError:
            raise OnnxImportError("shapes " + ", ".join(str(v.shape) for v in inputs)
                                  + " do not broadcast") from None
        n = len(out)
        ins = []
        for v in inputs:
            off = n - len(v.shape)
            ins.append((v, ["0" if s == 1 and out[j + off] != 1 else f"d{j + off}"
                            for j, s in enumerate(v.shape)]))
        init = self.b.empty(out, elt or inputs[0].elt)
        return self.b.generic(ins, init, n, [f"d{i}" for i in range(n)],
                              ["parallel"] * n, lambda args, o, op: body(args, op))

    def reduce(self, v, axes, combine, identity, pre=None, extra=()):
        """Reduces `v` over `axes` (dropped from the result). `pre(args, op)`
        maps the element first; `extra` are values shaped like the result,
        passed to `pre` after the element."""
        n = len(v.shape)
        keep = [i for i in range(n) if i not in axes]
        out_shape = [v.shape[i] for i in keep]
        init = self.b.fill(identity, out_shape, v.elt)
        out_map = [f"d{i}" for i in keep]
        ins = [(v, [f"d{i}" for i in range(n)])] + [(e, out_map) for e in extra]
        its = ["reduction" if i in axes else "parallel" for i in range(n)]

        def body(args, o, op):
            x = pre(args, op) if pre else args[0]
            return op(f"{combine} {o}, {x}", v.elt)
        return self.b.generic(ins, init, n, out_map, its, body)

    def axes_operand(self, node, attrs, index, rank, what="axes"):
        """Axes from an attribute (older opsets) or an operand (newer), made
        non-negative; None when neither gives any."""
        if attrs.has("axes"):
            axes = list(attrs.get("axes"))
        elif len(node.input) > index and node.input[index]:
            axes = [int(a) for a in self.const(node.input[index], what).reshape(-1)]
        else:
            attrs.get("axes")
            return None
        out = []
        for a in axes:
            if not -rank <= a < rank:
                raise OnnxImportError(f"axis {a} is out of range for rank {rank}")
            out.append(a % rank)
        if len(set(out)) != len(out):
            raise OnnxImportError(f"repeated axes {axes}")
        return out


def _located(message):
    """An OnnxImportError whose message already names its node."""
    error = OnnxImportError(message)
    error.located = True
    return error


def _check_float(v, what):
    if not _is_float(v.elt):
        raise OnnxImportError(f"{what} takes floats, not {v.elt}")


# ---------------------------------------------------------------------------
# Elementwise rules
# ---------------------------------------------------------------------------

def _binary(kind):
    def rule(im, node, attrs):
        a, b = im.inputs(node, 2)
        if a.elt != b.elt:
            raise OnnxImportError(f"operands of types {a.elt} and {b.elt}")
        if attrs.has("broadcast") or attrs.has("axis"):
            raise OnnxImportError("legacy broadcast attributes are not supported")
        return im.elementwise([a, b], lambda args, op: op(
            f"{_arith(kind, a.elt)} {args[0]}, {args[1]}", a.elt))
    return rule


for _name, _kind in (("Add", "add"), ("Sub", "sub"), ("Mul", "mul"), ("Div", "div")):
    _op(_name, ir=f"`linalg.generic` (`{_arith(_kind, 'f32')}`, "
        f"`{_arith(_kind, 'i32')}` on integers), numpy broadcasting")(_binary(_kind))


def _variadic(kind):
    def rule(im, node, attrs):
        vals = im.inputs(node)
        if any(v.elt != vals[0].elt for v in vals):
            raise OnnxImportError("operands of different element types")
        elt = vals[0].elt

        def body(args, op):
            acc = args[0]
            for x in args[1:]:
                acc = op(f"{_arith(kind, elt)} {acc}, {x}", elt)
            return acc
        return im.elementwise(vals, body)
    return rule


_op("Max", ir="`linalg.generic` (`arith.maximumf`, NaN-propagating; `arith.maxsi`), "
    "any number of operands")(_variadic("max"))
_op("Min", ir="`linalg.generic` (`arith.minimumf`, NaN-propagating; `arith.minsi`), "
    "any number of operands")(_variadic("min"))


def _unary(body, floats_only=True):
    def rule(im, node, attrs):
        (x,) = im.inputs(node, 1)
        if floats_only:
            _check_float(x, node.op_type)
        return im.elementwise([x], lambda args, op: body(args[0], op, x.elt))
    return rule


def _relu(x, op, elt):
    zero = op.const(0, elt)
    return op(f"{_arith('max', elt)} {x}, {zero}", elt)


def _chain(op, elt, x, *ops):
    """Applies unary ops one after the other: _chain(op, elt, x, "a", "b")
    is b(a(x))."""
    for name in ops:
        x = op(f"{name} {x}", elt)
    return x


def _sigmoid(x, op, elt):
    one = op.const(1.0, elt)
    e = _chain(op, elt, x, "arith.negf", "math.exp")
    return op(f"arith.divf {one}, {op(f'arith.addf {one}, {e}', elt)}", elt)


def _softplus(x, op, elt):
    # max(x, 0) + log1p(exp(-|x|)): log(exp(x) + 1) without overflow.
    pos = op(f"arith.maximumf {x}, {op.const(0.0, elt)}", elt)
    tail = _chain(op, elt, x, "math.absf", "arith.negf", "math.exp", "math.log1p")
    return op(f"arith.addf {pos}, {tail}", elt)


_op("Relu", ir="`linalg.generic` (`arith.maximumf` with 0)")(_unary(_relu, False))
_op("Sigmoid", ir="`linalg.generic`: 1 / (1 + `math.exp`(−x))")(_unary(_sigmoid))
_op("Tanh", ir="`linalg.generic` (`math.tanh`)")(
    _unary(lambda x, op, elt: op(f"math.tanh {x}", elt)))
_op("Softplus", ir="`linalg.generic`: max(x, 0) + `math.log1p`(`math.exp`(−|x|))")(
    _unary(_softplus))
_op("Exp", ir="`linalg.generic` (`math.exp`)")(
    _unary(lambda x, op, elt: op(f"math.exp {x}", elt)))
_op("Log", ir="`linalg.generic` (`math.log`)")(
    _unary(lambda x, op, elt: op(f"math.log {x}", elt)))
_op("Sqrt", ir="`linalg.generic` (`math.sqrt`)")(
    _unary(lambda x, op, elt: op(f"math.sqrt {x}", elt)))
_op("Neg", ir="`linalg.generic` (`arith.negf`)")(
    _unary(lambda x, op, elt: op(f"arith.negf {x}", elt)))
_op("Abs", ir="`linalg.generic` (`math.absf`)")(
    _unary(lambda x, op, elt: op(f"math.absf {x}", elt)))


@_op("Identity", ir="nothing (the operand itself)")
def _identity(im, node, attrs):
    return im.inputs(node, 1)[0]


@_op("Clip", ir="`linalg.generic`: `arith.maximumf` with min, then `arith.minimumf` with max "
     "(bounds may be runtime scalars)")
def _clip(im, node, attrs):
    x, lo, hi = im.inputs(node, 3, required=1)
    bounds = []
    for v, attr in ((lo, "min"), (hi, "max")):
        if attrs.has(attr):
            v = im.b.constant(np.array(attrs.get(attr), _NUMPY_OF[x.elt]))
        if v is not None and v.shape not in ((), (1,)):
            raise OnnxImportError(f"{attr} must be a scalar, not {v.shape}")
        if v is not None and v.elt != x.elt:
            raise OnnxImportError(f"{attr} has type {v.elt}, the input {x.elt}")
        bounds.append(v)
    ins = [x] + [v for v in bounds if v is not None]
    if len(ins) == 1:
        return x

    def body(args, op):
        y = args[0]
        k = 1
        if bounds[0] is not None:
            y = op(f"{_arith('max', x.elt)} {y}, {args[k]}", x.elt)
            k += 1
        if bounds[1] is not None:
            y = op(f"{_arith('min', x.elt)} {y}, {args[k]}", x.elt)
        return y
    scalars = [im.b.reshape(v, ()) for v in ins[1:]]
    return im.elementwise([x] + scalars, body)


@_op("Where", ir="`linalg.generic` (`arith.select`), numpy broadcasting")
def _where(im, node, attrs):
    c, a, b = im.inputs(node, 3)
    if c.elt != "i1":
        raise OnnxImportError(f"the condition has type {c.elt}, not bool")
    if a.elt != b.elt:
        raise OnnxImportError(f"operands of types {a.elt} and {b.elt}")
    return im.elementwise([c, a, b], lambda args, op: op(
        f"arith.select {args[0]}, {args[1]}, {args[2]}", a.elt), elt=a.elt)


@_op("BatchNormalization", ir="`linalg.generic`: (x − mean) / `math.sqrt`(var + ε) · scale + B "
     "per channel (inference mode)")
def _batchnorm(im, node, attrs):
    x, scale, bias, mean, var = im.inputs(node, 5)
    _check_float(x, "BatchNormalization")
    eps = float(attrs.get("epsilon", 1e-5))
    attrs.get("momentum")
    if attrs.get("training_mode", 0):
        raise OnnxImportError("training_mode=1 is not supported (inference only)")
    if attrs.get("spatial", 1) != 1:
        raise OnnxImportError("spatial=0 is not supported")
    if len([o for o in node.output if o]) > 1:
        raise OnnxImportError("only the first output (inference mode) is supported")
    if len(x.shape) < 2:
        raise OnnxImportError("the input must have a channel dimension")
    c = x.shape[1]
    shape = (c,) + (1,) * (len(x.shape) - 2)
    vecs = []
    for v, what in ((scale, "scale"), (bias, "B"), (mean, "mean"), (var, "var")):
        if v.shape != (c,):
            raise OnnxImportError(f"{what} has shape {v.shape}, expected ({c},)")
        vecs.append(im.b.reshape(v, shape))
    elt = x.elt

    def body(args, op):
        xv, s, b, m, va = args
        e = op.const(eps, elt)
        centered = op(f"arith.subf {xv}, {m}", elt)
        ve = op(f"arith.addf {va}, {e}", elt)
        sd = op(f"math.sqrt {ve}", elt)
        n = op(f"arith.divf {centered}, {sd}", elt)
        scaled = op(f"arith.mulf {n}, {s}", elt)
        return op(f"arith.addf {scaled}, {b}", elt)
    return im.elementwise([x] + vecs, body)


@_op("Constant", ir="`arith.constant dense<...>` where used (exact bits)")
def _constant(im, node, attrs):
    from onnx import numpy_helper
    if attrs.has("value"):
        return numpy_helper.to_array(attrs.get("value"))
    for name, dtype in (("value_float", np.float32), ("value_int", np.int64)):
        if attrs.has(name):
            return np.array(attrs.get(name), dtype)
    for name, dtype in (("value_floats", np.float32), ("value_ints", np.int64)):
        if attrs.has(name):
            return np.array(list(attrs.get(name)), dtype)
    raise OnnxImportError("only value, value_float(s) and value_int(s) are supported")


# ---------------------------------------------------------------------------
# Shape rules
# ---------------------------------------------------------------------------

@_op("Reshape", ir="`tensor.collapse_shape` + `tensor.expand_shape`", static=(1,))
def _reshape(im, node, attrs):
    x = im.value(node.input[0])
    if attrs.has("shape"):
        spec = list(attrs.get("shape"))
    else:
        spec = [int(s) for s in im.const(node.input[1], "the shape")]
    allowzero = attrs.get("allowzero", 0)
    shape = []
    for i, s in enumerate(spec):
        if s == 0 and not allowzero:
            if i >= len(x.shape):
                raise OnnxImportError(f"shape {spec}: 0 at {i} copies a missing dimension")
            s = x.shape[i]
        shape.append(s)
    if shape.count(-1) > 1:
        raise OnnxImportError(f"shape {spec} has more than one -1")
    if -1 in shape:
        known = int(np.prod([s for s in shape if s != -1]))
        if known == 0:
            raise OnnxImportError("tensors with no elements are not supported")
        shape[shape.index(-1)] = int(np.prod(x.shape)) // known
    return im.b.reshape(x, shape)


@_op("Flatten", ir="`tensor.collapse_shape` (to 2-D)")
def _flatten(im, node, attrs):
    x = im.value(node.input[0])
    r = len(x.shape)
    axis = attrs.get("axis", 1)
    if not -r <= axis <= r:
        raise OnnxImportError(f"axis {axis} is out of range for rank {r}")
    axis %= r + 1 if axis >= 0 else r
    return im.b.reshape(x, (int(np.prod(x.shape[:axis])), int(np.prod(x.shape[axis:]))))


@_op("Squeeze", ir="`tensor.collapse_shape`", static=(1,))
def _squeeze(im, node, attrs):
    x = im.value(node.input[0])
    axes = im.axes_operand(node, attrs, 1, len(x.shape))
    if axes is None:
        axes = [i for i, s in enumerate(x.shape) if s == 1]
    for a in axes:
        if x.shape[a] != 1:
            raise OnnxImportError(f"dimension {a} has size {x.shape[a]}, not 1")
    return im.b.reshape(x, [s for i, s in enumerate(x.shape) if i not in axes])


@_op("Unsqueeze", ir="`tensor.expand_shape`", static=(1,))
def _unsqueeze(im, node, attrs):
    x = im.value(node.input[0])
    rank = len(x.shape) + len(list(attrs.get("axes", [])) if attrs.has("axes") else
                              im.const(node.input[1], "axes").reshape(-1))
    axes = im.axes_operand(node, attrs, 1, rank)
    shape = list(x.shape)
    for a in sorted(axes):
        shape.insert(a, 1)
    return im.b.reshape(x, shape)


@_op("Transpose", ir="`linalg.transpose`")
def _transpose(im, node, attrs):
    x = im.value(node.input[0])
    perm = attrs.get("perm")
    perm = list(perm) if perm is not None else list(reversed(range(len(x.shape))))
    if sorted(perm) != list(range(len(x.shape))):
        raise OnnxImportError(f"perm {perm} is not a permutation of the {len(x.shape)} dimensions")
    return im.b.transpose(x, perm)


@_op("Concat", ir="`tensor.insert_slice` of each operand into a `tensor.empty`")
def _concat(im, node, attrs):
    vals = im.inputs(node)
    r = len(vals[0].shape)
    axis = attrs.get("axis")
    if axis is None or not -r <= axis < r:
        raise OnnxImportError(f"axis {axis} is missing or out of range for rank {r}")
    axis %= r
    for v in vals:
        if v.elt != vals[0].elt or len(v.shape) != r or any(
                s != t for i, (s, t) in enumerate(zip(v.shape, vals[0].shape)) if i != axis):
            raise OnnxImportError("operands " + ", ".join(v.type for v in vals)
                                  + f" do not concatenate along axis {axis}")
    vals = [v for v in vals if v.shape[axis] != 0]
    if len(vals) == 1:
        return vals[0]
    shape = list(vals[0].shape)
    shape[axis] = sum(v.shape[axis] for v in vals)
    acc = im.b.empty(shape, vals[0].elt)
    offset = 0
    for v in vals:
        offsets = [0] * r
        offsets[axis] = offset
        acc = im.b.insert_slice(v, acc, offsets)
        offset += v.shape[axis]
    return acc


@_op("Expand", ir="`linalg.generic` copying with broadcast maps", static=(1,))
def _expand(im, node, attrs):
    x = im.value(node.input[0])
    shape = [int(s) for s in im.const(node.input[1], "the shape")]
    try:
        out = tuple(np.broadcast_shapes(x.shape, tuple(shape)))
    except ValueError:
        raise OnnxImportError(f"{x.shape} does not broadcast to {shape}") from None
    if out == x.shape:
        return x
    return im.elementwise([x], lambda args, op: args[0], shape=out)


@_op("Pad", ir="`tensor.pad` (constant mode); `tensor.extract_slice`/`tensor.insert_slice` "
     "(edge, reflect)", static=(1, 2, 3))
def _pad(im, node, attrs):
    x = im.value(node.input[0])
    r = len(x.shape)
    mode = attrs.get("mode", "constant")
    if attrs.has("pads"):
        pads = list(attrs.get("pads"))
    else:
        pads = [int(p) for p in im.const(node.input[1], "pads")]
    value = attrs.get("value", 0.0)
    if len(node.input) > 2 and node.input[2]:
        value = im.const(node.input[2], "the constant value").reshape(-1)
        value = value[0].item() if value.size else 0
    if len(node.input) > 3 and node.input[3]:
        raise OnnxImportError("the axes operand is not supported")
    if len(pads) != 2 * r:
        raise OnnxImportError(f"{len(pads)} pads for rank {r}")
    low, high = pads[:r], pads[r:]
    if min(pads) < 0:
        raise OnnxImportError(f"negative pads {pads} are not supported")
    if mode == "constant":
        return im.b.pad(x, low, high, value)
    if mode not in ("edge", "reflect"):
        raise OnnxImportError(f"mode '{mode}' is not supported")
    cur = x
    for axis in range(r):
        lo, hi, n = low[axis], high[axis], cur.shape[axis]
        if not lo and not hi:
            continue
        if mode == "reflect" and max(lo, hi) >= n:
            raise OnnxImportError(f"reflect pads {lo}, {hi} need more than {n} elements")
        shape = list(cur.shape)
        shape[axis] += lo + hi
        acc = im.b.empty(shape, x.elt)
        offs = [0] * r
        offs[axis] = lo
        acc = im.b.insert_slice(cur, acc, offs)
        sources = [(i, 0 if mode == "edge" else lo - i) for i in range(lo)]
        sources += [(lo + n + i, n - 1 if mode == "edge" else n - 2 - i) for i in range(hi)]
        size = list(cur.shape)
        size[axis] = 1
        for dst, src in sources:
            so = [0] * r
            so[axis] = src
            piece = im.b.extract_slice(cur, so, size)
            do = [0] * r
            do[axis] = dst
            acc = im.b.insert_slice(piece, acc, do)
        cur = acc
    return cur


# ---------------------------------------------------------------------------
# Reductions
# ---------------------------------------------------------------------------

def _reduce_axes(im, node, attrs, x):
    axes = im.axes_operand(node, attrs, 1, len(x.shape))
    noop = attrs.get("noop_with_empty_axes", 0)
    if not axes:
        if noop:
            return None
        axes = list(range(len(x.shape)))
    return sorted(axes)


def _keep(im, x, reduced, axes, keepdims):
    if not keepdims:
        return reduced
    return im.b.reshape(reduced, [1 if i in axes else s for i, s in enumerate(x.shape)])


def _reduction(kind):
    def rule(im, node, attrs):
        keepdims = attrs.get("keepdims", 1)
        if kind in ("max", "min"):
            deferred = im.deferred.get(node.input[0])
            if deferred is not None:
                fused = _tropical(im, node, attrs, deferred[0], keepdims)
                if fused is not None:
                    del im.deferred[node.input[0]]
                    return fused
        x = im.value(node.input[0])
        axes = _reduce_axes(im, node, attrs, x)
        if axes is None:
            return x
        elt = x.elt
        if kind == "max":
            r = im.reduce(x, axes, _arith("max", elt), _lowest(elt))
        elif kind == "min":
            r = im.reduce(x, axes, _arith("min", elt), _highest(elt))
        elif kind == "sum":
            r = im.reduce(x, axes, _arith("add", elt), 0)
        elif kind == "mean":
            _check_float(x, "ReduceMean")
            r = _mean_of_sum(im, im.reduce(x, axes, "arith.addf", 0),
                             int(np.prod([x.shape[a] for a in axes])))
        else:
            _check_float(x, "ReduceLogSumExp")
            r = _log_sum_exp(im, x, axes)
        return _keep(im, x, r, axes, keepdims)
    return rule


def _mean_of_sum(im, total, count):
    n = im.b.constant(np.array(count, _NUMPY_OF[total.elt]))
    return im.elementwise([total, n], lambda args, op: op(
        f"arith.divf {args[0]}, {args[1]}", total.elt))


def _log_sum_exp(im, x, axes):
    """m + log(sum(exp(x - m))) with m the maximum (0 where it is infinite),
    so that large inputs do not overflow."""
    elt = x.elt
    m = im.reduce(x, axes, "arith.maximumf", -math.inf)

    def shift(args, op):
        mv = args[0]
        inf = op.const(math.inf, elt)
        zero = op.const(0.0, elt)
        a = op(f"math.absf {mv}", elt)
        finite = op(f"arith.cmpf olt, {a}, {inf}", elt)
        return op(f"arith.select {finite}, {mv}, {zero}", elt)
    ms = im.elementwise([m], shift)

    def pre(args, op):
        d = op(f"arith.subf {args[0]}, {args[1]}", elt)
        return op(f"math.exp {d}", elt)
    s = im.reduce(x, axes, "arith.addf", 0, pre=pre, extra=(ms,))
    return im.elementwise([s, ms], lambda args, op: op(
        f"arith.addf {op(f'math.log {args[0]}', elt)}, {args[1]}", elt))


for _name, _kind in (("ReduceMax", "max"), ("ReduceMin", "min"), ("ReduceSum", "sum"),
                     ("ReduceMean", "mean"), ("ReduceLogSumExp", "lse")):
    _ir = {"max": "`linalg.generic` max reduction; over an `Add`/`Sub` of broadcast "
                  "operands: `trop.matmul <max_plus>`",
           "min": "`linalg.generic` min reduction; over an `Add`/`Sub` of broadcast "
                  "operands: `trop.matmul <min_plus>`",
           "sum": "`linalg.generic` sum reduction",
           "mean": "`linalg.generic` sum reduction, then a division",
           "lse": "max reduction, sum of `math.exp`(x − max), `math.log` + max"}[_kind]
    _op(_name, ir=_ir, static=(1,))(_reduction(_kind))


def _tropical(im, node, attrs, add, keepdims):
    """ReduceMax/ReduceMin of x ± w over axes both operands span, where
    every other axis is spanned by x only (M axes) or by w only (N axes):
    x [M, 1, K] + w [1, N, K] in any order of the axes and the operands, with
    any number of axes of each kind. That is trop.matmul <max_plus> /
    <min_plus> of x as M×K and w as K×N (axes of each kind collapsed into
    one). None when the node is not of that form (e.g. an axis both operands
    span that is not reduced: a batched product)."""
    a, b = im.value(add.input[0]), im.value(add.input[1])
    if not _is_float(a.elt) or a.elt != b.elt:
        return None
    try:
        shape = tuple(np.broadcast_shapes(a.shape, b.shape))
    except ValueError:
        return None
    r = len(shape)
    axes = im.axes_operand(node, attrs, 1, r)
    attrs.get("noop_with_empty_axes")
    if not axes:
        return None
    sa = (1,) * (r - len(a.shape)) + a.shape
    sb = (1,) * (r - len(b.shape)) + b.shape
    ks = sorted(axes)
    if any(sa[k] != shape[k] or sb[k] != shape[k] for k in ks):
        return None
    ms, ns = [], []
    for i in range(r):
        if i in ks:
            continue
        if sb[i] == 1:
            ms.append(i)            # x's axis (or 1 in both)
        elif sa[i] == 1:
            ns.append(i)            # w's axis
        else:
            return None             # spanned by both: a batch axis
    elt = a.elt

    def size(v_shape, dims):
        return int(np.prod([v_shape[i] for i in dims]))

    def operand(v, s, first, second):
        """v as a prod(first) × prod(second) matrix (its other axes are 1)."""
        keep = sorted(first + second)
        v = im.b.reshape(v, [s[i] for i in keep])
        v = im.b.transpose(v, [keep.index(i) for i in first + second])
        return im.b.reshape(v, [size(s, first), size(s, second)])
    lhs = operand(a, sa, ms, ks)
    rhs = operand(b, sb, ks, ns)
    if add.op_type == "Sub":
        rhs = im.elementwise([rhs], lambda args, op: op(f"arith.negf {args[0]}", elt))
    kind = "max_plus" if node.op_type == "ReduceMax" else "min_plus"
    mm, nn = size(shape, ms), size(shape, ns)
    init = im.b.fill(-math.inf if kind == "max_plus" else math.inf, (mm, nn), elt)
    name = im.b.fresh("trop")
    im.b.emit(f"{name} = trop.matmul <{kind}> ins({lhs.name}, {rhs.name} : {lhs.type}, "
              f"{rhs.type}) outs({init.name} : {init.type}) -> {init.type}")
    y = im.b.reshape(_Val(name, (mm, nn), elt), [shape[i] for i in ms + ns])
    kept = sorted(ms + ns)
    y = im.b.transpose(y, [(ms + ns).index(i) for i in kept])
    return im.b.reshape(y, [1 if i in ks else shape[i] for i in range(r)] if keepdims
                        else [shape[i] for i in kept])


# ---------------------------------------------------------------------------
# Matrix products
# ---------------------------------------------------------------------------

def _matmul2d(im, a, b, init):
    name = im.b.fresh("mm")
    im.b.emit(f"{name} = linalg.matmul ins({a.name}, {b.name} : {a.type}, {b.type}) "
              f"outs({init.name} : {init.type}) -> {init.type}")
    return _Val(name, init.shape, init.elt)


@_op("MatMul", ir="`linalg.matmul` (2-D), a batched `linalg.generic` (with broadcasting) "
     "otherwise")
def _matmul(im, node, attrs):
    a, b = im.inputs(node, 2)
    if a.elt != b.elt:
        raise OnnxImportError(f"operands of types {a.elt} and {b.elt}")
    if not a.shape or not b.shape:
        raise OnnxImportError("scalar operands are not supported")
    elt = a.elt
    a2 = im.b.reshape(a, (1,) + a.shape) if len(a.shape) == 1 else a
    b2 = im.b.reshape(b, b.shape + (1,)) if len(b.shape) == 1 else b
    if a2.shape[-1] != b2.shape[-2]:
        raise OnnxImportError(f"{a.type} and {b.type} do not multiply")
    try:
        batch = tuple(np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]))
    except ValueError:
        raise OnnxImportError(f"batch dimensions of {a.type} and {b.type} do not "
                              f"broadcast") from None
    m, n = a2.shape[-2], b2.shape[-1]
    out = batch + (m, n)
    init = im.b.fill(0, out, elt)
    if not batch:
        y = _matmul2d(im, a2, b2, init)
    else:
        nb = len(batch)

        def bmap(v):
            off = nb - (len(v.shape) - 2)
            return ["0" if s == 1 and batch[j + off] != 1 else f"d{j + off}"
                    for j, s in enumerate(v.shape[:-2])]
        dm, dn, dk = f"d{nb}", f"d{nb + 1}", f"d{nb + 2}"
        ins = [(a2, bmap(a2) + [dm, dk]), (b2, bmap(b2) + [dk, dn])]

        def body(args, o, op):
            p = op(f"{_arith('mul', elt)} {args[0]}, {args[1]}", elt)
            return op(f"{_arith('add', elt)} {o}, {p}", elt)
        y = im.b.generic(ins, init, nb + 3, [f"d{i}" for i in range(nb + 2)],
                         ["parallel"] * (nb + 2) + ["reduction"], body)
    final = list(out)
    if len(b.shape) == 1:
        final.pop(-1)
    if len(a.shape) == 1:
        final.pop(-2 if len(b.shape) != 1 else -1)
    return im.b.reshape(y, final)


@_op("Gemm", ir="`linalg.matmul` whose init is β·C broadcast (α·AB + β·C), "
     "`linalg.transpose` for transA/transB")
def _gemm(im, node, attrs):
    a, b, c = im.inputs(node, 3, required=2)
    alpha = float(attrs.get("alpha", 1.0))
    beta = float(attrs.get("beta", 1.0))
    if attrs.get("broadcast", 1) != 1:
        raise OnnxImportError("broadcast=0 is not supported")
    if len(a.shape) != 2 or len(b.shape) != 2:
        raise OnnxImportError("A and B must be matrices")
    _check_float(a, "Gemm")
    elt = a.elt
    if attrs.get("transA", 0):
        a = im.b.transpose(a, [1, 0])
    if attrs.get("transB", 0):
        b = im.b.transpose(b, [1, 0])
    if a.shape[1] != b.shape[0]:
        raise OnnxImportError(f"{a.type} and {b.type} do not multiply")
    out = (a.shape[0], b.shape[1])
    if alpha != 1.0:
        av = im.b.constant(np.array(alpha, _NUMPY_OF[elt]))
        a = im.elementwise([a, av], lambda args, op: op(f"arith.mulf {args[0]}, {args[1]}", elt))
    if c is None or beta == 0.0:
        init = im.b.fill(0, out, elt)
    elif beta == 1.0:
        init = im.elementwise([c], lambda args, op: args[0], shape=out)
    else:
        bv = im.b.constant(np.array(beta, _NUMPY_OF[elt]))
        init = im.elementwise([c, bv], lambda args, op: op(
            f"arith.mulf {args[0]}, {args[1]}", elt), shape=out)
    if init.shape != out:
        raise OnnxImportError(f"C of shape {c.shape} does not broadcast to {out}")
    return _matmul2d(im, a, b, init)


# ---------------------------------------------------------------------------
# Convolution and pooling (NCHW, any number of spatial dimensions)
# ---------------------------------------------------------------------------

def _window_geometry(attrs, in_spatial, kernel, pool):
    """(pads_low, pads_high, strides, dilations, output sizes, extra high
    padding that ceil_mode needs) from the ONNX attributes."""
    d = len(in_spatial)
    strides = list(attrs.get("strides", [1] * d))
    dilations = list(attrs.get("dilations", [1] * d))
    auto_pad = attrs.get("auto_pad", "NOTSET")
    ceil_mode = attrs.get("ceil_mode", 0) if pool else 0
    pads = list(attrs.get("pads", [0] * (2 * d)))
    if len(strides) != d or len(dilations) != d or len(pads) != 2 * d:
        raise OnnxImportError("strides, dilations or pads do not match the kernel's rank")
    if min(strides) < 1 or min(dilations) < 1 or min(pads) < 0:
        raise OnnxImportError("strides and dilations must be positive, pads non-negative")
    span = [(k - 1) * dl + 1 for k, dl in zip(kernel, dilations)]
    if auto_pad in ("SAME_UPPER", "SAME_LOWER"):
        out = [-(-n // s) for n, s in zip(in_spatial, strides)]
        low, high = [], []
        for n, s, o, w in zip(in_spatial, strides, out, span):
            total = max(0, (o - 1) * s + w - n)
            small, big = total // 2, total - total // 2
            low.append(small if auto_pad == "SAME_UPPER" else big)
            high.append(big if auto_pad == "SAME_UPPER" else small)
    elif auto_pad in ("NOTSET", "VALID"):
        low, high = (pads[:d], pads[d:]) if auto_pad == "NOTSET" else ([0] * d, [0] * d)
        out = []
        for n, lo, hi, w, s in zip(in_spatial, low, high, span, strides):
            room = n + lo + hi - w
            if room < 0:
                raise OnnxImportError(f"the window ({w}) is larger than the padded input")
            out.append((-(-room // s) if ceil_mode else room // s) + 1)
    else:
        raise OnnxImportError(f"auto_pad '{auto_pad}' is not supported")
    extra = [max(0, (o - 1) * s + w - (n + lo + hi))
             for o, s, w, n, lo, hi in zip(out, strides, span, in_spatial, low, high)]
    return low, high, strides, dilations, out, extra


def _window_maps(d, first_out, first_win, strides, dilations):
    """Affine results o_i * s_i + k_i * dl_i for loops o (from first_out) and
    k (from first_win)."""
    res = []
    for i in range(d):
        o, k = f"d{first_out + i}", f"d{first_win + i}"
        o = o if strides[i] == 1 else f"{o} * {strides[i]}"
        k = k if dilations[i] == 1 else f"{k} * {dilations[i]}"
        res.append(f"{o} + {k}")
    return res


@_op("Conv", ir="`tensor.pad` + a `linalg.generic` convolution (groups as a separate loop), "
     "bias broadcast as its init")
def _conv(im, node, attrs):
    x, w, bias = im.inputs(node, 3, required=2)
    _check_float(x, "Conv")
    if len(x.shape) < 3 or len(w.shape) != len(x.shape):
        raise OnnxImportError(f"input {x.type} and weight {w.type}: expected N×C×spatial")
    d = len(x.shape) - 2
    kernel = list(w.shape[2:])
    if attrs.has("kernel_shape") and list(attrs.get("kernel_shape")) != kernel:
        raise OnnxImportError("kernel_shape does not match the weight")
    group = attrs.get("group", 1)
    n, c = x.shape[:2]
    f, cg = w.shape[:2]
    if c % group or f % group or c // group != cg:
        raise OnnxImportError(f"group={group} does not fit {c} input and {f} output channels "
                              f"({cg} per group in the weight)")
    low, high, strides, dil, out, _ = _window_geometry(attrs, x.shape[2:], kernel, False)
    xp = im.b.pad(x, [0, 0] + low, [0, 0] + high, 0.0)
    fg = f // group
    xg = im.b.reshape(xp, (n, group, cg) + xp.shape[2:])
    wg = im.b.reshape(w, (group, fg, cg) + tuple(kernel))
    out_shape = (n, group, fg) + tuple(out)
    if bias is not None:
        if bias.shape != (f,):
            raise OnnxImportError(f"bias of shape {bias.shape}, expected ({f},)")
        b3 = im.b.reshape(bias, (group, fg) + (1,) * d)
        init = im.elementwise([b3], lambda args, op: args[0], shape=out_shape)
    else:
        init = im.b.fill(0.0, out_shape, x.elt)
    # Loops: n, g, f, o_1..o_d, c, k_1..k_d.
    nl = 3 + d + 1 + d
    cdim, kfirst = f"d{3 + d}", 4 + d
    ins = [(xg, ["d0", "d1", cdim] + _window_maps(d, 3, kfirst, strides, dil)),
           (wg, ["d1", "d2", cdim] + [f"d{kfirst + i}" for i in range(d)])]
    elt = x.elt

    def body(args, o, op):
        p = op(f"arith.mulf {args[0]}, {args[1]}", elt)
        return op(f"arith.addf {o}, {p}", elt)
    y = im.b.generic(ins, init, nl, [f"d{i}" for i in range(3 + d)],
                     ["parallel"] * (3 + d) + ["reduction"] * (1 + d), body)
    return im.b.reshape(y, (n, f) + tuple(out))


def _pool(im, node, attrs, x, kernel, combine, identity, pad_value):
    d = len(x.shape) - 2
    low, high, strides, dil, out, extra = _window_geometry(attrs, x.shape[2:], kernel, True)
    xp = im.b.pad(x, [0, 0] + low, [0, 0] + [h + e for h, e in zip(high, extra)], pad_value)
    window = im.b.empty(kernel, x.elt)
    n, c = x.shape[:2]
    init = im.b.fill(identity, (n, c) + tuple(out), x.elt)
    kfirst = 2 + d
    ins = [(xp, ["d0", "d1"] + _window_maps(d, 2, kfirst, strides, dil)),
           (window, [f"d{kfirst + i}" for i in range(d)])]
    y = im.b.generic(ins, init, 2 + 2 * d, [f"d{i}" for i in range(2 + d)],
                     ["parallel"] * (2 + d) + ["reduction"] * d,
                     lambda args, o, op: op(f"{combine} {o}, {args[0]}", x.elt))
    return y, (low, high, strides, dil, out, extra)


def _pool_input(im, node, attrs):
    x = im.value(node.input[0])
    if len(x.shape) < 3:
        raise OnnxImportError(f"input {x.type}: expected N×C×spatial")
    kernel = attrs.get("kernel_shape")
    if kernel is None or len(kernel) != len(x.shape) - 2:
        raise OnnxImportError("kernel_shape is missing or does not match the input's rank")
    return x, list(kernel)


@_op("MaxPool", ir="`tensor.pad` with −∞ + a `linalg.generic` window max; with the Indices "
     "output, the same generic also keeps the first maximum's flat index (`linalg.index`)")
def _maxpool(im, node, attrs):
    x, kernel = _pool_input(im, node, attrs)
    storage_order = attrs.get("storage_order", 0)
    if storage_order not in (0, 1):
        raise OnnxImportError("storage_order must be 0 or 1")
    if len(node.output) > 1 and node.output[1]:
        return _maxpool_with_indices(im, attrs, x, kernel, storage_order)
    y, _ = _pool(im, node, attrs, x, kernel, _arith("max", x.elt), _lowest(x.elt),
                 _lowest(x.elt))
    return y


def _maxpool_with_indices(im, attrs, x, kernel, storage_order):
    """MaxPool's two outputs from one generic: the maximum and the index of
    its first occurrence in the window, flattened over the input (N, C and
    the spatial dimensions row-major, or with storage_order=1 the spatial
    ones column-major), as ONNX defines it."""
    _check_float(x, "MaxPool with indices")
    d = len(x.shape) - 2
    low, high, strides, dil, out, extra = _window_geometry(attrs, x.shape[2:], kernel, True)
    xp = im.b.pad(x, [0, 0] + low, [0, 0] + [h + e for h, e in zip(high, extra)],
                  _lowest(x.elt))
    window = im.b.empty(kernel, x.elt)
    n, c = x.shape[:2]
    spatial = x.shape[2:]
    inits = [im.b.fill(_lowest(x.elt), (n, c) + tuple(out), x.elt),
             im.b.fill(0, (n, c) + tuple(out), "i64")]
    kfirst = 2 + d
    ins = [(xp, ["d0", "d1"] + _window_maps(d, 2, kfirst, strides, dil)),
           (window, [f"d{kfirst + i}" for i in range(d)])]

    def body(args, outs, op):
        def index(i):
            return op(f"linalg.index {i}", "index")

        def affine(a, scale, b):
            """a * scale + b on index values (scale a Python int)."""
            k = op.const(scale, "index")
            product = op(f"arith.muli {a}, {k}", "index")
            return op(f"arith.addi {product}, {b}", "index")
        flat = affine(index(0), c, index(1))
        coords = []
        for i in range(d):
            dilation, pad = op.const(dil[i], "index"), op.const(low[i], "index")
            offset = op(f"arith.muli {index(kfirst + i)}, {dilation}", "index")
            padded = affine(index(2 + i), strides[i], offset)
            coords.append(op(f"arith.subi {padded}, {pad}", "index"))
        order = range(d) if storage_order == 0 else reversed(range(d))
        for i in order:
            flat = affine(flat, spatial[i], coords[i])
        flat64 = op(f"arith.index_cast {flat}", "index to i64")
        acc, idx = outs
        better = op(f"arith.cmpf ogt, {args[0]}, {acc}", x.elt)
        return [op(f"arith.select {better}, {args[0]}, {acc}", x.elt),
                op(f"arith.select {better}, {flat64}, {idx}", "i64")]
    return im.b.generic(ins, inits, 2 + 2 * d, [f"d{i}" for i in range(2 + d)],
                        ["parallel"] * (2 + d) + ["reduction"] * d, body)


@_op("AveragePool", ir="`tensor.pad` with 0 + a `linalg.generic` window sum, divided by a "
     "constant of the window counts")
def _avgpool(im, node, attrs):
    x, kernel = _pool_input(im, node, attrs)
    _check_float(x, "AveragePool")
    include_pad = attrs.get("count_include_pad", 0)
    y, (low, high, strides, dil, out, _) = _pool(im, node, attrs, x, kernel, "arith.addf",
                                                 0.0, 0.0)
    # How many window elements each output averages: those in the input, or
    # with count_include_pad those in the explicitly padded input.
    counts = np.ones((), np.int64)
    for n, lo, hi, s, dl, k, o in zip(x.shape[2:], low, high, strides, dil, kernel, out):
        first, last = (-lo, n + hi) if include_pad else (0, n)
        pos = np.arange(o)[:, None] * s - lo + np.arange(k)[None, :] * dl
        per_axis = ((pos >= first) & (pos < last)).sum(axis=1)
        counts = np.multiply.outer(counts, per_axis)
    divisor = im.b.constant(counts.astype(_NUMPY_OF[x.elt]))
    return im.elementwise([y, divisor], lambda args, op: op(
        f"arith.divf {args[0]}, {args[1]}", x.elt))


@_op("GlobalAveragePool", ir="`linalg.generic` sum over the spatial dimensions, then a division")
def _global_avgpool(im, node, attrs):
    x = im.value(node.input[0])
    _check_float(x, "GlobalAveragePool")
    axes = list(range(2, len(x.shape)))
    s = im.reduce(x, axes, "arith.addf", 0.0)
    m = _mean_of_sum(im, s, int(np.prod(x.shape[2:])))
    return _keep(im, x, m, axes, True)


@_op("GlobalMaxPool", ir="`linalg.generic` max over the spatial dimensions")
def _global_maxpool(im, node, attrs):
    x = im.value(node.input[0])
    axes = list(range(2, len(x.shape)))
    return _keep(im, x, im.reduce(x, axes, _arith("max", x.elt), _lowest(x.elt)), axes, True)


# ---------------------------------------------------------------------------
# Softmax, dropout
# ---------------------------------------------------------------------------

def _softmax(log):
    def rule(im, node, attrs):
        x = im.value(node.input[0])
        _check_float(x, node.op_type)
        r = len(x.shape)
        axis = attrs.get("axis", -1 if im.opset >= 13 else 1)
        if not -r <= axis < r:
            raise OnnxImportError(f"axis {axis} is out of range for rank {r}")
        axis %= r
        if im.opset < 13:
            # Before opset 13 the input is coerced to 2-D at `axis`.
            flat = im.b.reshape(x, (int(np.prod(x.shape[:axis])), int(np.prod(x.shape[axis:]))))
            return im.b.reshape(_softmax_on(im, flat, 1, log), x.shape)
        return _softmax_on(im, x, axis, log)
    return rule


def _softmax_on(im, x, axis, log):
    """exp(x - max) / sum(exp(x - max)) over `axis` (log: x - max -
    log(sum(...)))."""
    elt = x.elt
    m = _keep(im, x, im.reduce(x, [axis], "arith.maximumf", -math.inf), [axis], True)
    shifted = im.elementwise([x, m], lambda args, op: op(f"arith.subf {args[0]}, {args[1]}",
                                                         elt))
    e = im.elementwise([shifted], lambda args, op: op(f"math.exp {args[0]}", elt))
    total = _keep(im, x, im.reduce(e, [axis], "arith.addf", 0.0), [axis], True)
    if log:
        return im.elementwise([shifted, total], lambda args, op: op(
            f"arith.subf {args[0]}, {op(f'math.log {args[1]}', elt)}", elt))
    return im.elementwise([e, total], lambda args, op: op(
        f"arith.divf {args[0]}, {args[1]}", elt))


_op("Softmax", ir="max reduction, `math.exp`(x − max), sum reduction, division "
    "(opset < 13: on the input coerced to 2-D)")(_softmax(False))
_op("LogSoftmax", ir="max reduction, x − max − `math.log`(sum of `math.exp`(x − max))")(
    _softmax(True))


@_op("Dropout", ir="nothing: the identity (inference); the mask output and training mode "
     "are not supported", static=(2,))
def _dropout(im, node, attrs):
    x = im.value(node.input[0])
    attrs.get("seed")
    attrs.get("ratio")
    if attrs.get("is_test", 1) == 0:
        raise OnnxImportError("is_test=0 (training) is not supported")
    if len(node.input) > 2 and node.input[2]:
        if bool(np.asarray(im.const(node.input[2], "training_mode")).reshape(-1)[0]):
            raise OnnxImportError("training_mode=true is not supported (inference only)")
    if len(node.output) > 1 and node.output[1]:
        raise OnnxImportError("the mask output is not supported")
    return x


@_op("LeakyRelu", ir="`linalg.generic`: x < 0 ? α·x : x (`arith.select`)")
def _leaky_relu(im, node, attrs):
    (x,) = im.inputs(node, 1)
    _check_float(x, "LeakyRelu")
    alpha = float(attrs.get("alpha", 0.01))

    def body(args, op):
        zero = op.const(0.0, x.elt)
        negative = op(f"arith.cmpf olt, {args[0]}, {zero}", x.elt)
        scaled = op(f"arith.mulf {args[0]}, {op.const(alpha, x.elt)}", x.elt)
        return op(f"arith.select {negative}, {scaled}, {args[0]}", x.elt)
    return im.elementwise([x], body)


# Comparisons, masks, casts and shape arithmetic (registers into OPS).
from . import _onnx_extra_ops  # noqa: E402,F401

# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

# The batch of the first of the two imports of a dynamic-batch model.
_TRACE_BATCH = 2


def _load(model):
    import onnx
    if isinstance(model, onnx.ModelProto):
        return model
    if isinstance(model, (bytes, bytearray)):
        return onnx.load_from_string(bytes(model))
    return onnx.load(str(model))


def static_operands(model):
    """Names of the graph inputs that the importer needs as constants
    (operands that decide a shape: Reshape's shape, axes, pads), to bind
    with ``import_onnx(..., static_inputs={...})``."""
    model = _load(model)
    inputs = {i.name for i in model.graph.input} - {t.name for t in model.graph.initializer}
    names = []
    for node in model.graph.node:
        rule = OPS.get(node.op_type)
        for index in (rule.static if rule else ()):
            if index < len(node.input) and node.input[index] in inputs \
                    and node.input[index] not in names:
                names.append(node.input[index])
    return names


def _batch_inputs(graph, static_inputs, shapes):
    """Names of the graph inputs whose leading dimension is symbolic (and
    no other), which a dynamic-batch import binds to the batch."""
    skip = {t.name for t in graph.initializer} | set(static_inputs or {}) | set(shapes or {})
    names = []
    for inp in graph.input:
        if inp.name in skip or not inp.type.HasField("tensor_type"):
            continue
        dims = list(inp.type.tensor_type.shape.dim)
        if dims and not dims[0].HasField("dim_value") and \
                all(d.HasField("dim_value") for d in dims[1:]):
            names.append(inp.name)
    return names


def _with_batch(graph, names, shapes, batch):
    shapes = dict(shapes or {})
    for inp in graph.input:
        if inp.name in names:
            dims = inp.type.tensor_type.shape.dim
            shapes[inp.name] = (batch,) + tuple(d.dim_value for d in dims[1:])
    return shapes


def import_onnx(model, *, static_inputs=None, shapes=None, function_name="forward",
                dynamic_batch=True):
    """Translates an ONNX model to trop IR (textual MLIR).

    model          a path to an .onnx file, its bytes, or an onnx.ModelProto
    static_inputs  {input name: array}: graph inputs to treat as constants
                   (needed for inputs that decide shapes, see static_operands)
    shapes         {input name: shape}: static shapes for inputs whose ONNX
                   shape has symbolic (dynamic) dimensions
    function_name  the name of the func.func (its arguments are the graph's
                   remaining inputs in order, its results the graph outputs)
    dynamic_batch  inputs whose only symbolic dimension is the leading one
                   (a batch) import with a dynamic ``?`` there, bound at call
                   time; False: such inputs need a static shape in `shapes`

    Returns the MLIR text (a str) for ``trop.compile``. Raises
    OnnxImportError naming the node and op type it cannot translate."""
    model = _load(model)
    opset = max([o.version for o in model.opset_import if o.domain in ("", "ai.onnx")],
                default=17)
    names = _batch_inputs(model.graph, static_inputs, shapes) if dynamic_batch else []
    if not names:
        return _Importer(model.graph, static_inputs, shapes, function_name, opset).run()
    # As trop.export(dynamic_batch=True): two imports, with batch B and B + 1,
    # whose differences are the sizes the batch flows into (_dynamic.py).
    from .export._dynamic import generalise_batch
    texts = [_Importer(model.graph, static_inputs, _with_batch(model.graph, names, shapes, b),
                       function_name, opset).run() for b in (_TRACE_BATCH, _TRACE_BATCH + 1)]
    try:
        return generalise_batch(texts[0], texts[1], _TRACE_BATCH, function_name)
    except ExportError as exc:
        raise OnnxImportError(f"a dynamic batch for inputs {', '.join(names)}: {exc} "
                              f"(give static shapes with shapes={{...}})") from None


def op_table():
    """The markdown table of docs/onnx.md: every op type and its IR."""
    rows = ["| ONNX op | trop IR |", "|---|---|"]
    for name in sorted(OPS):
        rows.append(f"| {name} | {OPS[name].ir} |")
    return "\n".join(rows) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="trop-import-onnx",
        description="Translate an ONNX model to trop IR (textual MLIR).")
    parser.add_argument("model", nargs="?", help="the .onnx file")
    parser.add_argument("-o", "--output", default="-", help="output file (default: stdout)")
    parser.add_argument("--function-name", default="forward")
    parser.add_argument("--shape", action="append", default=[], metavar="NAME=D0xD1x...",
                        help="static shape of an input with dynamic dimensions")
    parser.add_argument("--static-batch", action="store_true",
                        help="refuse a symbolic batch dimension instead of importing it "
                             "as a dynamic '?' (then give --shape)")
    parser.add_argument("--list-ops", action="store_true",
                        help="print the supported op types and exit")
    args = parser.parse_args(argv)
    if args.list_ops:
        print(op_table(), end="")
        return 0
    if args.model is None:
        parser.error("the model is required")
    shapes = {}
    for spec in args.shape:
        name, _, dims = spec.partition("=")
        shapes[name] = [int(s) for s in dims.split("x")] if dims else []
    try:
        text = import_onnx(args.model, shapes=shapes, function_name=args.function_name,
                           dynamic_batch=not args.static_batch)
    except OnnxImportError as exc:
        print(f"trop-import-onnx: error: {exc}", file=sys.stderr)
        return 1
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
