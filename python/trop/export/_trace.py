"""Tracing by execution: the model runs once, eagerly, on the example
inputs, under a ``torch.overrides.TorchFunctionMode`` that records every
torch function and tensor method applied to a tensor that depends on the
inputs (or, with ``params="arguments"``, on a parameter) into a
``torch.fx.Graph``.

Why this and not ``torch.fx.symbolic_trace`` or ``torch.jit.trace``:

* the model runs on real tensors, so Python control flow on sizes
  (``if x.size(-1) != 1:``), ``len(...)``, tuple results
  (``values, idx = torch.max(x, 2)``) and optional arguments fixed by the
  caller simply execute; only the tensor operations are recorded, each with
  the user's source line;
* the recorder sees the *outermost* call (``F.unfold``, ``F.pad(...,
  mode="replicate")``, ``F.softplus``), so the exporter translates what the
  user wrote rather than the dispatcher's decomposition (``torch.jit.trace``
  records ``aten::`` ops after decomposition and loses source lines on
  Debian's torch 1.13);
* anything computed from constants alone (parameters, buffers, tensors
  built in ``forward`` from them) is folded by PyTorch itself, exactly;
* a custom ``torch.autograd.Function`` runs its Python ``forward`` (or a
  replacement the caller gives), so its operations are recorded too.

Known limits: a branch on tensor *values* (``if x.sum() > 0:``) cannot be
traced and is reported with its line; a tensor that appears from an
operation the recorder cannot see (a compiled extension) is reported too.
"""

import operator
import os
import sys

import torch
import torch.fx
from torch.overrides import TorchFunctionMode

from .._errors import ExportError

_TORCH_DIR = os.path.dirname(torch.__file__)
_HERE = os.path.dirname(os.path.abspath(__file__))

#: Tensor methods that turn a tensor's *values* into Python values: on an
#: input-dependent tensor they mean data-dependent control flow.
_VALUE_READS = {"__bool__", "item", "tolist", "__int__", "__float__", "__index__",
                "numpy", "__array__", "__complex__", "__nonzero__"}

_DUNDER = {
    "__add__": operator.add, "__iadd__": operator.iadd, "__sub__": operator.sub,
    "__isub__": operator.isub, "__mul__": operator.mul, "__imul__": operator.imul,
    "__truediv__": operator.truediv, "__itruediv__": operator.itruediv,
    "__div__": operator.truediv, "__neg__": operator.neg, "__getitem__": operator.getitem,
    "__gt__": operator.gt, "__ge__": operator.ge, "__lt__": operator.lt,
    "__le__": operator.le, "__eq__": operator.eq, "__ne__": operator.ne,
    "__pow__": operator.pow, "__matmul__": operator.matmul, "__and__": operator.and_,
    "__or__": operator.or_, "__invert__": operator.invert,
}
_REFLECTED = {"__radd__": operator.add, "__rsub__": operator.sub,
              "__rmul__": operator.mul, "__rtruediv__": operator.truediv,
              "__rdiv__": operator.truediv, "__rpow__": operator.pow,
              "__rmatmul__": operator.matmul}


#: Operations whose result depends only on their operand's shape and dtype:
#: on a recorded tensor they still give a constant.
_SHAPE_ONLY = {"new_zeros", "new_ones", "new_full", "new_empty", "new_tensor",
               "zeros_like", "ones_like", "full_like", "empty_like"}


def _name_of(target):
    return target if isinstance(target, str) else getattr(target, "__name__", "")


def _tensors(value):
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from _tensors(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _tensors(v)


def user_location():
    """'file:line' of the innermost frame outside torch and this package:
    the line of the user's code that called the operation."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if not (name.startswith(_TORCH_DIR) or name.startswith(_HERE)
                or name.startswith("<")):
            return f"{name}:{frame.f_lineno}"
        frame = frame.f_back
    return "<unknown>"


def _canonical(func):
    """(fx op, target, swap) for a torch function or tensor method."""
    qual = getattr(func, "__qualname__", "") or ""
    name = getattr(func, "__name__", "") or ""
    if qual.startswith("getset_descriptor.") or name == "__get__":
        owner = getattr(func, "__self__", None)
        return "call_method", getattr(owner, "__name__", "__get__"), False
    if qual.startswith(("_TensorBase.", "Tensor.")):
        if name in _DUNDER:
            return "call_function", _DUNDER[name], False
        if name in _REFLECTED:
            return "call_function", _REFLECTED[name], True
        return "call_method", name, False
    return "call_function", func, False


class _Ctx:
    """A stand-in for autograd's ``ctx`` when a Function's forward is run
    for export: what it saves for backward is not needed."""

    def save_for_backward(self, *tensors):
        self.saved_tensors = tensors

    def mark_dirty(self, *args):
        pass

    def mark_non_differentiable(self, *args):
        pass

    def set_materialize_grads(self, value):
        pass

    needs_input_grad = ()


class Recording:
    """What tracing produced: the graph, every node's shape/dtype or static
    value (``meta``), the tensors behind get_attr nodes (``attrs``, with
    ``param_targets`` naming those that are model parameters), the leaf
    modules by target, and the outputs."""

    def __init__(self, model, params_mode, autograd_functions):
        self.graph = torch.fx.Graph()
        self.meta = {}
        self.attrs = {}
        self.param_targets = set()
        self.modules = {}
        self.params_mode = params_mode
        self.autograd_functions = dict(autograd_functions or {})
        self.paused = 0
        self.tracked = {}       # id(tensor) -> (node, tensor): recorded values
        self.dependent = set()  # ids of tracked tensors that depend on the inputs
        self.constants = {}     # id(tensor) -> tensor: known constants
        self.const_nodes = {}   # id(tensor) -> get_attr node
        self.names = {}         # id(parameter/buffer) -> qualified name
        self.module_stack = []  # (qualname, module) of modules traced through
        self.counter = 0
        for name, t in list(model.named_parameters()) + list(model.named_buffers()):
            self.names.setdefault(id(t), name)
            self.constants[id(t)] = t
        for m in model.modules():  # plain tensor attributes are constants too
            for v in list(vars(m).values()):
                if isinstance(v, torch.Tensor):
                    self.constants.setdefault(id(v), v)

    # -- nodes ---------------------------------------------------------------

    def _set_meta(self, node, value):
        if isinstance(value, torch.Tensor):
            self.meta[node] = ("tensor", tuple(value.shape), value.dtype)
        elif any(True for _ in _tensors(value)):
            self.meta[node] = ("value", None, True)
        else:
            self.meta[node] = ("value", value, False)

    def _track(self, tensor, node, dependent):
        self.tracked[id(tensor)] = (node, tensor)
        if dependent:
            self.dependent.add(id(tensor))
        else:
            self.dependent.discard(id(tensor))

    def placeholder(self, name, tensor):
        node = self.graph.placeholder(name)
        self._set_meta(node, tensor)
        self._track(tensor, node, True)
        return node

    def const_node(self, t):
        if id(t) in self.const_nodes:
            return self.const_nodes[id(t)]
        target = self.names.get(id(t))
        if target is None:
            self.counter += 1
            target = f"_constant{self.counter}"
        else:
            self.param_targets.add(target)
        self.attrs[target] = t
        node = self.graph.get_attr(target)
        self._set_meta(node, t)
        node.meta["source"] = user_location()
        self.const_nodes[id(t)] = node
        return node

    def _arg(self, value):
        if isinstance(value, torch.Tensor):
            if id(value) in self.tracked:
                return self.tracked[id(value)][0]
            return self.const_node(value)
        if isinstance(value, torch.Size):
            return tuple(int(s) for s in value)
        if isinstance(value, (tuple, list)):
            return type(value)(self._arg(v) for v in value) \
                if not hasattr(value, "_fields") else tuple(self._arg(v) for v in value)
        if isinstance(value, dict):
            return {k: self._arg(v) for k, v in value.items()}
        return value

    # -- recording -----------------------------------------------------------

    def record(self, op, target, args, kwargs, result, what):
        """Adds the call that produced ``result`` from ``args``/``kwargs``
        (unless it is constant, then ``result`` is a folded constant)."""
        inputs = list(_tensors((args, kwargs)))
        outputs = list(_tensors(result))
        loc = user_location()
        if not outputs:
            if op == "call_method" and target in _VALUE_READS and \
                    any(id(t) in self.dependent for t in inputs):
                raise ExportError(
                    f"{what} reads the values of a tensor that depends on the model's "
                    f"inputs (data-dependent control flow or a conversion to a Python "
                    f"number) at {loc}: trop.export traces with the example input and "
                    f"can only follow branches on shapes")
            return
        if _name_of(target) in _SHAPE_ONLY:  # depends on shapes, not values
            inputs = []
        if not any(id(t) in self.tracked for t in inputs):
            unknown = [t for t in inputs if id(t) not in self.constants]
            if unknown:
                raise ExportError(
                    f"{what} at {loc} uses a tensor of shape {tuple(unknown[0].shape)} "
                    f"computed by an operation trop.export cannot see (indexing with a "
                    f"tensor, or a compiled extension: give a custom autograd "
                    f"Function's forward with trop.export(..., "
                    f"autograd_functions={{Function: eager_forward}}))")
            for t in outputs:  # folded by PyTorch: a constant
                self.constants[id(t)] = t
            return
        node = self.graph.create_node(op, target, self._arg(tuple(args)),
                                      self._arg(dict(kwargs)))
        node.meta["source"] = loc
        node.meta["what"] = what
        if self.module_stack:
            node.meta["module"] = self.module_stack[-1]
        self._set_meta(node, result)
        dependent = any(id(t) in self.dependent for t in inputs)
        if isinstance(result, torch.Tensor):
            self._track(result, node, dependent)
        else:
            for i, element in enumerate(result):
                if isinstance(element, torch.Tensor):
                    item = self.graph.call_function(operator.getitem, (node, i))
                    item.meta["source"] = loc
                    self._set_meta(item, element)
                    self._track(element, item, dependent)

    def call(self, func, args, kwargs):
        op, target, swap = _canonical(func)
        result = func(*args, **kwargs)
        if swap:
            args = (args[1], args[0]) + tuple(args[2:])
        what = _describe(op, target)
        self.record(op, target, args, kwargs, result, what)
        return result


def _describe(op, target):
    if op == "call_method":
        return f"tensor method .{target}()"
    mod = getattr(target, "__module__", None) or ""
    if mod in ("_operator", "operator"):
        return f"operator.{target.__name__}"
    if mod.startswith("torch._C._nn"):
        mod = "F"
    elif mod == "torch.nn.functional":
        mod = "F"
    elif mod.startswith("torch"):
        mod = "torch"
    return f"{mod}.{getattr(target, '__name__', repr(target))}"


class _Mode(TorchFunctionMode):
    def __init__(self, recording):
        super().__init__()
        self.recording = recording

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        if self.recording.paused:
            return func(*args, **kwargs)
        return self.recording.call(func, args, kwargs)


def _wrap_module(rec, qualname, module, is_leaf):
    orig = module.forward

    def forward(*args, **kwargs):
        if rec.paused:
            return orig(*args, **kwargs)
        if not is_leaf:
            rec.module_stack.append((qualname, module))
            try:
                return orig(*args, **kwargs)
            finally:
                rec.module_stack.pop()
        rec.paused += 1
        try:
            result = orig(*args, **kwargs)
        finally:
            rec.paused -= 1
        rec.record("call_module", qualname, args, kwargs, result,
                   f"module '{qualname}'")
        return result

    module.forward = forward


def _patched_apply(rec):
    """Function.apply during export: the registered replacement, or the
    Function's own Python forward with a stand-in ctx."""

    def apply(cls, *args):
        impl = rec.autograd_functions.get(cls)
        where = user_location()
        hint = (f"custom autograd Function {cls.__qualname__} (called at {where}) "
                f"computes its result with an operation trop.export cannot see (a "
                f"compiled extension?); pass an eager forward written with torch "
                f"operations: trop.export(..., autograd_functions="
                f"{{{cls.__name__}: forward}})")
        try:
            if impl is None or impl == "forward":
                result = cls.forward(_Ctx(), *args)
            else:
                result = impl(*args)
        except ExportError as exc:
            raise ExportError(f"{hint}: {exc}") from None
        for t in _tensors(result):
            if id(t) not in rec.tracked and id(t) not in rec.constants:
                raise ExportError(hint)
        return result
    return classmethod(apply)


_GETITEM = torch._C._TensorBase.__getitem__
_SETITEM = torch._C._TensorBase.__setitem__


def _patched_getitem(rec):
    """Tensor.__getitem__ during export: torch 1.13 does not pass indexing
    with a single int or slice (``x[:4]``) to a TorchFunctionMode, so it is
    recorded here."""

    def getitem(self, index):
        if rec.paused:
            return _GETITEM(self, index)
        rec.paused += 1
        try:
            result = _GETITEM(self, index)
        finally:
            rec.paused -= 1
        rec.record("call_function", operator.getitem, (self, index), {}, result,
                   "indexing")
        return result
    return getitem


def _patched_setitem(rec):
    def setitem(self, index, value):
        if not rec.paused and any(id(t) in rec.tracked for t in _tensors((self, value))):
            raise ExportError(f"indexed assignment (x[...] = v) into a recorded tensor "
                              f"at {user_location()} is not supported: write it with "
                              f"torch.where or torch.cat")
        rec.paused += 1
        try:
            return _SETITEM(self, index, value)
        finally:
            rec.paused -= 1
    return setitem


def trace(model, inputs, kwargs, params_mode, autograd_functions, module_rule):
    """Runs ``model(*inputs, **kwargs)`` under the recorder; returns the
    :class:`Recording` (with ``outputs``: nodes, or a tuple of nodes)."""
    rec = Recording(model, params_mode, autograd_functions)
    root_is_leaf = module_rule(model) is not None
    for qualname, m in model.named_modules():
        is_leaf = module_rule(m) is not None
        name = qualname or (type(m).__name__ if root_is_leaf else "")
        if is_leaf:
            rec.modules[name] = m
        _wrap_module(rec, name, m, is_leaf)
    inputs = [t.detach().clone() for t in inputs]
    for i, t in enumerate(inputs):
        rec.placeholder(f"input{i}" if len(inputs) > 1 else "x", t)
    call_kwargs = {}
    for k, v in (kwargs or {}).items():
        if isinstance(v, torch.Tensor):
            v = v.detach().clone()
            rec.placeholder(k, v)
        call_kwargs[k] = v
    if params_mode == "arguments":  # parameters: recorded values, not folded
        for t in list(model.parameters()):
            rec.constants.pop(id(t), None)
            rec._track(t, rec.const_node(t), False)
    saved_items = {k: vars(torch.Tensor).get(k) for k in ("__getitem__", "__setitem__")}
    torch.Tensor.__getitem__ = _patched_getitem(rec)
    torch.Tensor.__setitem__ = _patched_setitem(rec)
    had_apply = "apply" in vars(torch.autograd.Function)
    saved_apply = vars(torch.autograd.Function).get("apply")
    torch.autograd.Function.apply = _patched_apply(rec)
    try:
        with torch.no_grad(), _Mode(rec):
            result = model(*inputs, **call_kwargs)
    finally:
        for k, v in saved_items.items():
            if v is None:
                delattr(torch.Tensor, k)
            else:
                setattr(torch.Tensor, k, v)
        if had_apply:
            torch.autograd.Function.apply = saved_apply
        else:
            del torch.autograd.Function.apply
    if isinstance(result, dict):
        raise ExportError("the model must return a tensor or a tuple of tensors, "
                          "got a dict")
    results = result if isinstance(result, (tuple, list)) else (result,)
    outs = []
    for r in results:
        if not isinstance(r, torch.Tensor):
            raise ExportError(f"the model must return a tensor or a tuple of tensors, "
                              f"got {type(r).__name__}")
        outs.append(rec._arg(r))
    rec.outputs = tuple(outs) if isinstance(result, (tuple, list)) else outs[0]
    rec.graph.output(rec.outputs)
    return rec


def location_of(exc):
    """'file:line' of the user's frame where ``exc`` was raised."""
    tb = exc.__traceback__
    best = "<unknown>"
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if not (name.startswith(_TORCH_DIR) or name.startswith(_HERE)):
            best = f"{name}:{tb.tb_lineno}"
        tb = tb.tb_next
    return best
