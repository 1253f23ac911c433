"""trop.export on whole models: paper A's heads, paper C's networks, a CNN,
the IR it emits, and its errors."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402
from torch import nn  # noqa: E402

import trop  # noqa: E402
import trop.nn as tnn  # noqa: E402
from conftest import assert_float_close, assert_tropical_equal  # noqa: E402


def run_both(model, x, **kw):
    """(compiled result, eager result) for model in eval mode."""
    model.eval()
    text = trop.export(model, x, **kw)
    mod = trop.compile(text)
    args = [x.numpy()] + list(getattr(text, "parameters", []))
    y = mod.forward(*args)
    with torch.no_grad():
        ref = model(x).numpy()
    return y, ref, text


def randomize_bn(model):
    """Non-trivial running statistics, as after training."""
    for m in model.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.running_mean.normal_()
                m.running_var.uniform_(0.5, 2.0)
                m.weight.normal_()
                m.bias.normal_()
    return model


# ---------------------------------------------------------------------------
# Paper A: hybrid linear-morphological heads (seeds-methods §1.2)
# ---------------------------------------------------------------------------

def paper_a_head(method, n_in=64, n_hid=64, n_out=10):
    if method == "relu":
        return nn.Sequential(nn.Linear(n_in, n_hid), nn.BatchNorm1d(n_hid), nn.ReLU(),
                             nn.Dropout(0.5), nn.Linear(n_hid, n_out))
    if method == "maxout":
        return nn.Sequential(nn.Linear(n_in, 2 * n_hid), nn.BatchNorm1d(2 * n_hid),
                             tnn.Maxout(2), nn.Dropout(0.5), nn.Linear(n_hid, n_out))
    if method == "dense-morph":
        return nn.Sequential(nn.Linear(n_in, n_hid, bias=False), nn.BatchNorm1d(n_hid),
                             tnn.MaxPlus(n_hid, n_hid), nn.Linear(n_hid, n_out))
    if method == "sparse-morph":
        return nn.Sequential(nn.Linear(n_in, n_hid, bias=False), nn.BatchNorm1d(n_hid),
                             tnn.MaxPlus(n_hid, n_hid, init="sparse"),
                             nn.Linear(n_hid, n_out))
    if method == "zhang":
        return nn.Sequential(nn.Linear(n_in, n_hid, bias=False), nn.ReLU(),
                             nn.Dropout(0.5), tnn.MaxPlus(n_hid, n_out))
    raise ValueError(method)


@pytest.mark.parametrize("method", ["relu", "maxout", "dense-morph", "sparse-morph",
                                    "zhang"])
def test_paper_a_heads(method):
    model = randomize_bn(paper_a_head(method))
    x = torch.randn(32, 64)
    y, ref, _ = run_both(model, x)
    assert_float_close(y, ref)


def test_paper_a_head_tropical_part_is_exact():
    """The max-plus layer of the head, fed the same hidden activations, is
    reproduced bit for bit. (The full-size head, linear 512 -> 512, sparse
    max-plus 512 -> 512, linear 512 -> 10, is docs/python.md's example, which
    test_docs.py runs.)"""
    model = paper_a_head("sparse-morph")
    model.eval()
    with torch.no_grad():
        h = model[1](model[0](torch.randn(32, 64)))
    y, ref, _ = run_both(model[2], h)
    assert_tropical_equal(y, ref)


# ---------------------------------------------------------------------------
# Paper C: max-plus-min networks (seeds-methods §3.2)
# ---------------------------------------------------------------------------

class HybridMLP(nn.Module):
    """Linear -> MPM -> k x [Linear -> MPM] -> Linear."""

    def __init__(self, n_in=48, width=32, n_out=10, blocks=2):
        super().__init__()
        self.inp = nn.Linear(n_in, width)
        self.mpm = tnn.MaxPlusMin(width, width)
        self.blocks = nn.ModuleList(
            nn.Sequential(nn.Linear(width, width), tnn.MaxPlusMin(width, width))
            for _ in range(blocks))
        self.out = nn.Linear(width, n_out)

    def forward(self, x):
        x = self.mpm(self.inp(x))
        for block in self.blocks:
            x = block(x)
        return self.out(x)


class RMPM(nn.Module):
    """MPM -> LinAct -> k x residual [MPM -> LinAct] -> MPM (paper C's RMPM)."""

    def __init__(self, n_in=48, width=24, n_out=10, blocks=2, method="simple"):
        super().__init__()
        self.first = tnn.MaxPlusMin(n_in, width, alpha=0.0)
        self.act = tnn.LinAct(width, method=method)
        self.hidden = nn.ModuleList(tnn.MaxPlusMin(width, width) for _ in range(blocks))
        self.acts = nn.ModuleList(tnn.LinAct(width, method=method) for _ in range(blocks))
        self.last = tnn.MaxPlusMin(width, n_out)

    def forward(self, x):
        x = self.act(self.first(x))
        for mpm, act in zip(self.hidden, self.acts):
            x = x + act(mpm(x))
        return self.last(x)


def test_paper_c_hybrid_mlp():
    model = HybridMLP()
    x = torch.randn(16, 48)
    y, ref, text = run_both(model, x)
    assert_float_close(y, ref)
    assert text.count("trop.matmul <max_plus>") == 3
    assert text.count("trop.matmul <min_plus>") == 3
    assert text.count("linalg.matmul") == 4


def test_paper_c_rmpm_is_exact():
    # Only tropical layers, elementwise scalings and residual adds: each
    # operation rounds once, in the same order, so the result is exact.
    model = RMPM()
    x = torch.randn(16, 48)
    y, ref, _ = run_both(model, x)
    assert_tropical_equal(y, ref)


def test_paper_c_rmpm_svd():
    model = RMPM(method="svd")
    x = torch.randn(16, 48)
    y, ref, _ = run_both(model, x)
    assert_float_close(y, ref, rtol=1e-4)


# ---------------------------------------------------------------------------
# Convolutional models
# ---------------------------------------------------------------------------

class SmallCNN(nn.Module):
    """Paper A's CIFAR backbone in miniature: [conv3x3 -> BN -> ReLU ->
    maxpool2] x 2, global max pool, then a sparse max-plus head."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding="same"), nn.BatchNorm2d(16), nn.ReLU(),
            nn.MaxPool2d(2))
        self.pool = nn.AdaptiveMaxPool2d(1)
        self.head = nn.Sequential(nn.Linear(16, 32, bias=False), nn.BatchNorm1d(32),
                                  tnn.MaxPlus(32, 32, init="sparse"), nn.Linear(32, 10))

    def forward(self, x):
        x = self.pool(self.features(x))
        return self.head(torch.flatten(x, 1))


def test_cnn_with_max_plus_head():
    model = randomize_bn(SmallCNN())
    x = torch.randn(4, 3, 16, 16)
    y, ref, text = run_both(model, x)
    assert_float_close(y, ref)
    # One transpose into NHWC for the whole backbone, one back before the head.
    assert text.count("linalg.transpose") == 2
    assert "trop.depthwise_conv_2d <max_plus>" in text  # the max pooling


class MorphResBlock(nn.Module):
    """Paper C's MPM-ResNet block: MorphConv2d (max-plus-min, averaged) ->
    depthwise 3x3 linear conv (ConvLinAct) -> residual add, then a pool."""

    def __init__(self, c=4):
        super().__init__()
        self.conv = tnn.MorphConv2d(c, c, 3, padding=1, semiring="max_plus_min")
        self.act = nn.Conv2d(c, c, 3, padding=1, groups=c, bias=False)

    def forward(self, x):
        y = x + self.act(self.conv(x))
        return F.max_pool2d(y, kernel_size=2, stride=2)


def test_morphological_resnet_block():
    model = MorphResBlock()
    x = torch.randn(2, 4, 8, 8)
    y, ref, _ = run_both(model, x)
    assert_float_close(y, ref)


def test_strided_dilated_conv_and_functional_forms():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 6, (3, 2), stride=(2, 1), padding=(1, 0),
                                  dilation=(1, 2))

        def forward(self, x):
            y = F.relu(self.conv(x))
            y = F.max_pool2d(y, 3, stride=1, padding=1)
            y = y.view(y.size(0), -1)
            return torch.relu(y) * 2.0 - 1.0

    model = M()
    x = torch.randn(2, 3, 9, 7)
    y, ref, _ = run_both(model, x)
    assert_float_close(y, ref)


def test_permute_and_transpose_are_free():
    class M(nn.Module):
        def forward(self, x):
            return x.permute(0, 2, 3, 1).transpose(1, 2).reshape(2, -1) + 1.0

    x = torch.randn(2, 3, 4, 5)
    y, ref, text = run_both(M(), x)
    assert_tropical_equal(y, ref)
    assert text.count("linalg.transpose") == 1


# ---------------------------------------------------------------------------
# Parameters as arguments, the Exported object
# ---------------------------------------------------------------------------

def test_parameters_as_arguments():
    model = paper_a_head("sparse-morph", 16, 16, 4)
    x = torch.randn(8, 16)
    y, ref, text = run_both(model, x, params="arguments")
    assert_float_close(y, ref)
    assert isinstance(text, str) and text.function_name == "forward"
    assert "arith.constant dense<\"0x" not in text
    assert len(text.parameters) == len(text.parameter_names) == 7
    assert text.parameter_names[0] == "0.weight (transposed: in x out)"
    assert text.parameters[0].shape == (16, 16)
    mod = trop.compile(text)
    assert len(mod.forward.inputs) == 8


def test_exported_text_is_reusable(tmp_path):
    model = tnn.MaxPlus(4, 3).eval()
    x = torch.randn(2, 4)
    text = trop.export(model, x)
    assert text.startswith("// Exported by trop.export from MaxPlus")
    assert "trop.matmul <max_plus>" in text
    path = tmp_path / "model.mlir"
    path.write_text(text)
    mod = trop.compile(path.read_text(), pipeline="reference")
    with torch.no_grad():
        assert_tropical_equal(mod.forward(x.numpy()), model(x).numpy())


def test_training_flag_is_restored():
    model = paper_a_head("relu", 8, 8, 2)
    model.train()
    trop.export(model, torch.randn(4, 8))
    assert model.training and model[1].training
    assert model[1].num_batches_tracked.item() == 0  # running stats untouched


class _Remembers(nn.Module):
    """Assigns an attribute in forward, as research code often does."""

    def __init__(self, fail=False):
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.fail = fail

    def forward(self, x):
        self.last_input = x
        y = self.lin(x)
        return torch.erf(y) if self.fail else y


@pytest.mark.parametrize("fail", [False, True])
def test_export_does_not_modify_the_model(fail):
    model = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), _Remembers(fail))
    model.train()
    model[1].eval()  # a frozen BatchNorm inside a model in training mode
    before = {k: v.clone() for k, v in model.state_dict().items()}
    if fail:
        with pytest.raises(trop.ExportError, match="torch.erf"):
            trop.export(model, torch.randn(2, 4))
    else:
        trop.export(model, torch.randn(2, 4))
    assert [m.training for m in model.modules()] == [True, True, False, True, True]
    assert not hasattr(model[2], "last_input")
    after = model.state_dict()
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)


def test_export_of_a_model_that_cannot_be_copied():
    class Uncopyable(_Remembers):
        def __deepcopy__(self, memo):
            raise TypeError("cannot copy")

    model = nn.Sequential(nn.BatchNorm1d(4), Uncopyable())
    model.train()
    model[0].eval()
    trop.export(model, torch.randn(2, 4))
    assert [m.training for m in model.modules()] == [True, False, True, True]
    assert not hasattr(model[1], "last_input")


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------

def test_unsupported_module_is_named():
    model = nn.Sequential(nn.Linear(4, 4), nn.GELU())
    with pytest.raises(trop.ExportError, match=r"unsupported module nn\.GELU at '1'"):
        trop.export(model, torch.randn(2, 4))


def test_unsupported_module_inside_a_submodule():
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.norm = nn.LayerNorm(4)

        def forward(self, x):
            return self.norm(x)

    model = nn.Sequential(tnn.MaxPlus(4, 4), Block())
    with pytest.raises(trop.ExportError, match=r"nn\.LayerNorm at '1\.norm'"):
        trop.export(model, torch.randn(2, 4))


def test_unsupported_function_is_named():
    class M(nn.Module):
        def forward(self, x):
            return torch.erf(x)

    with pytest.raises(trop.ExportError, match=r"unsupported function torch\.erf"):
        trop.export(M(), torch.randn(2, 4))


def test_unsupported_method_is_named():
    class M(nn.Module):
        def forward(self, x):
            return x.erf()

    with pytest.raises(trop.ExportError, match=r"unsupported tensor method \.erf\(\)"):
        trop.export(M(), torch.randn(2, 4))


def test_untraceable_model():
    class M(nn.Module):
        def forward(self, x):
            if x.sum() > 0:
                return x
            return -x

    # Tracing runs the model on the example: a branch on tensor values is
    # reported with its line (torch.fx's message named neither).
    with pytest.raises(trop.ExportError, match=r"\.__bool__\(\) reads the values of a "
                                               r"tensor .* at .*test_export\.py:\d+"):
        trop.export(M(), torch.randn(2, 4))


def test_unsupported_configurations():
    with pytest.raises(trop.ExportError, match="padding_mode 'reflect'"):
        trop.export(nn.Conv2d(4, 6, 3, padding=1, padding_mode="reflect"),
                    torch.randn(1, 4, 5, 5))
    with pytest.raises(trop.ExportError, match="ceil_mode"):
        trop.export(nn.MaxPool2d(2, ceil_mode=True), torch.randn(1, 2, 5, 5))
    with pytest.raises(trop.ExportError, match="float32 and float64"):
        trop.export(tnn.Maxout(2), torch.zeros(2, 4, dtype=torch.int32))

    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.offset = nn.Parameter(torch.randn(4))

        def forward(self, x):
            return x[torch.tensor([0, 2])] + self.offset

    with pytest.raises(trop.ExportError, match="torch.int64 tensor"):
        trop.export(M(), torch.randn(3, 4))


def test_compiled_model_rejects_wrong_inputs():
    model = tnn.MaxPlus(8, 4).eval()
    mod = trop.compile(trop.export(model, torch.randn(5, 8)))
    with pytest.raises(trop.TropError, match=r"expects a float32 array of shape \(5, 8\), "
                                             r"got a float32 array of shape \(6, 8\)"):
        mod.forward(np.zeros((6, 8), np.float32))
    with pytest.raises(trop.TropError, match="got a float64 array"):
        mod.forward(np.zeros((5, 8)))
