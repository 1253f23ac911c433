"""trop.export's tracing on ordinary research code: control flow on sizes,
len(), tuple results, optional forward arguments fixed by the caller,
custom autograd Functions, and errors that name the op and the user's
source line."""

import inspect

import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import trop  # noqa: E402
from conftest import assert_float_close, assert_tropical_equal  # noqa: E402


def compiled(model, x, **kw):
    model.eval()
    text = trop.export(model, x, **kw)
    return trop.compile(text), text


def _line_of(fn, needle):
    lines, start = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if needle in line:
            return start + i
    raise AssertionError(needle)


class SizeBranches(nn.Module):
    """Branches on static sizes, len() and an optional argument."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(6, 4)
        self.layers = nn.ModuleList([nn.Linear(4, 4), nn.Linear(4, 4)])

    def forward(self, x, dropout=None, scale=1.0):
        if x.size(-1) != 1:
            x = self.fc(x)
        for i in range(len(self.layers)):
            x = F.relu(self.layers[i](x))
        if dropout is not None:
            x = dropout(x)
        if len(x.shape) == 2 and x.shape[0] == len(x):
            x = x * scale
        return x


def test_control_flow_on_sizes_and_optional_arguments():
    model = SizeBranches()
    x = torch.randn(5, 6)
    mod, _ = compiled(model, x, kwargs={"dropout": None, "scale": 2.0})
    with torch.no_grad():
        ref = model(x, scale=2.0).numpy()
    assert_float_close(mod.forward(x.numpy()), ref)


def test_tensor_keyword_arguments_become_inputs():
    class M(nn.Module):
        def forward(self, x, bias=None):
            return x + bias if bias is not None else x

    x, b = torch.randn(3, 4), torch.randn(3, 4)
    mod, text = compiled(M(), x, kwargs={"bias": b})
    assert text.input_shapes == [(3, 4), (3, 4)]
    assert_tropical_equal(mod.forward(x.numpy(), b.numpy()), (x + b).numpy())


class _Shift(torch.autograd.Function):
    """A custom autograd Function written with torch ops."""

    @staticmethod
    def forward(ctx, x, w):
        ctx.save_for_backward(x, w)
        return torch.relu(x + w)

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class _Extension(torch.autograd.Function):
    """Stands for a Function around a compiled extension: its result comes
    from outside torch (numpy here), which no tracer can see."""

    @staticmethod
    def forward(ctx, x, w):
        return torch.from_numpy(x.numpy() + w.numpy())

    @staticmethod
    def backward(ctx, grad):
        return grad, grad


class UsesFunction(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.w = nn.Parameter(torch.randn(3, 4))

    def forward(self, x):
        return self.fn.apply(x, self.w)


def test_custom_autograd_function_runs_its_forward():
    model = UsesFunction(_Shift)
    x = torch.randn(3, 4)
    mod, _ = compiled(model, x)
    with torch.no_grad():
        assert_tropical_equal(mod.forward(x.numpy()), model(x).numpy())


def test_extension_function_needs_an_eager_forward():
    model = UsesFunction(_Extension)
    x = torch.randn(3, 4)
    with pytest.raises(trop.ExportError, match=r"custom autograd Function _Extension "
                                               r"\(called at .*test_export_trace\.py:\d+\)"):
        trop.export(model, x)
    mod, _ = compiled(model, x,
                      autograd_functions={_Extension: lambda x, w: x + w})
    with torch.no_grad():
        assert_tropical_equal(mod.forward(x.numpy()), model(x).numpy())


def test_unsupported_op_names_op_and_source_line():
    class M(nn.Module):
        def forward(self, x):
            y = x + 1.0
            return torch.erf(y)

    line = _line_of(M.forward, "torch.erf")
    with pytest.raises(trop.ExportError,
                       match=rf"unsupported function torch\.erf .* at "
                             rf".*test_export_trace\.py:{line}"):
        trop.export(M(), torch.randn(2, 3))


def test_unused_values_are_not_exported():
    class M(nn.Module):
        def forward(self, x):
            unused = torch.erf(x)  # noqa: F841 (never reaches the output)
            self.last = x
            return F.relu(x)

    x = torch.randn(2, 3)
    mod, _ = compiled(M(), x)
    assert_tropical_equal(mod.forward(x.numpy()), F.relu(x).numpy())


def test_tensors_built_from_shapes_are_constants():
    class M(nn.Module):
        def forward(self, x):
            zeros = torch.zeros_like(x)
            bias = x.new_full((x.size(1),), 0.5)
            return torch.maximum(x, zeros) + bias

    x = torch.randn(3, 4)
    mod, _ = compiled(M(), x)
    assert_tropical_equal(mod.forward(x.numpy()), (F.relu(x) + 0.5).numpy())


def test_what_cannot_be_traced_is_reported_with_its_line():
    class Indices(nn.Module):
        def forward(self, x):
            values, idx = torch.max(x, 1)
            return values + idx.float()

    class Assigns(nn.Module):
        def forward(self, x):
            y = x * 2
            y[:, 0] = 0.0
            return y

    class Item(nn.Module):
        def forward(self, x):
            return x * x.max().item()

    x = torch.randn(2, 3)
    line = _line_of(Indices.forward, "torch.max(x, 1)")
    with pytest.raises(trop.ExportError, match=rf"int64 tensor \(an index result such as "
                                               rf"torch.max's indices\).* at "
                                               rf".*test_export_trace\.py:{line}"):
        trop.export(Indices(), x)
    line = _line_of(Assigns.forward, "y[:, 0] = 0.0")
    with pytest.raises(trop.ExportError,
                       match=rf"indexed assignment .* at .*test_export_trace\.py:{line}"):
        trop.export(Assigns(), x)
    line = _line_of(Item.forward, ".item()")
    with pytest.raises(trop.ExportError,
                       match=rf"\.item\(\) reads the values .* at .*test_export_trace\.py:{line}"):
        trop.export(Item(), x)
