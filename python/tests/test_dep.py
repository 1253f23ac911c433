"""Paper C completed (issue 13 items 7, 8): trop.nn.DEP and DEPConv2d, the
dilation–erosion perceptron, export to one trop.dual_conv_2d (the input read
once for both branches) and an elementwise λ-combine; compiled by both
pipelines they reproduce PyTorch eager bit for bit (the tropical parts are
exact, the combine is the same float ops in the same order). Paper C's
empty-row rule (empty_rows="zero") turns (−∞) + (+∞) into 0 instead of NaN,
in eager and in both pipelines, so that a residual adds 0."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import trop  # noqa: E402
import trop.nn as tnn  # noqa: E402

PIPELINES = ["cpu", "reference"]


def run(model, x, pipeline):
    text = trop.export(model, x)
    got = trop.compile(text, pipeline=pipeline).forward(x)
    with torch.no_grad():
        want = model(x).numpy()
    return text, np.asarray(got), want


def set_lambda(m, values):
    with torch.no_grad():
        m.lam.copy_(torch.tensor(values, dtype=m.lam.dtype))


def test_eager_is_the_formula():
    """λ·max(b, max(x + W)) + (1 − λ)·min(b2, min(x + W2)), λ clamped."""
    torch.manual_seed(1)
    m = tnn.DEP(6, 4, bias=True)
    set_lambda(m, [-1.0, 0.25, 0.75, 2.0])
    x = torch.randn(3, 6, dtype=torch.float64).float()
    xd, w, w2 = x.double(), m.weight.double(), m.weight2.double()
    hi = torch.maximum((xd[:, None, :] + w).amax(-1), m.bias.double())
    lo = torch.minimum((xd[:, None, :] + w2).amin(-1), m.bias2.double())
    lam = torch.tensor([0.0, 0.25, 0.75, 1.0], dtype=torch.float64)
    want = lam * hi + (1 - lam) * lo
    torch.testing.assert_close(m(x).double(), want, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("bias", [False, True])
def test_dense_export_is_exact(pipeline, bias):
    torch.manual_seed(2)
    m = tnn.DEP(19, 13, bias=bias)
    set_lambda(m, np.linspace(-0.5, 1.5, 13))
    x = torch.randn(2, 7, 19)
    text, got, want = run(m, x, pipeline)
    assert text.count("trop.dual_conv_2d") == 1
    assert "trop.matmul" not in text and "trop.conv_2d" not in text
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("geometry", [
    dict(kernel_size=3, padding=1),
    dict(kernel_size=(2, 3), stride=(2, 1), padding=(0, 2), dilation=(1, 2)),
])
def test_conv_export_is_exact(pipeline, geometry):
    torch.manual_seed(3)
    m = tnn.DEPConv2d(3, 10, bias=True, **geometry)
    set_lambda(m, np.linspace(-0.25, 1.25, 10))
    x = torch.randn(2, 3, 9, 11)
    text, got, want = run(m, x, pipeline)
    assert text.count("trop.dual_conv_2d") == 1
    np.testing.assert_array_equal(got, want)


def test_fixed_lambda_is_a_buffer():
    m = tnn.DEP(4, 3, lam=0.75, learn_lambda=False)
    assert "lam" not in dict(m.named_parameters())
    assert torch.equal(m.lam, torch.full((3,), 0.75))


def test_lambda_learns_within_its_clamp():
    """λ gets gradients where it is inside (0, 1) and none where clamped."""
    torch.manual_seed(4)
    m = tnn.DEP(5, 3)
    set_lambda(m, [0.5, 1.5, -0.5])
    m(torch.randn(8, 5)).sum().backward()
    assert m.lam.grad[0] != 0 and m.lam.grad[1] == 0 and m.lam.grad[2] == 0


class Residual(torch.nn.Module):
    """Paper C's residual block shape, x + layer(x)."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return x + self.layer(x)


def empty_first_rows(m):
    """Output 0's max row all 𝟘 (−∞) and its min row all 𝟘 (+∞): pruned."""
    with torch.no_grad():
        m.weight[0] = -math.inf
        m.weight2[0] = math.inf


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("empty_rows", ["nan", "zero"])
def test_empty_rows_dense(pipeline, empty_rows):
    torch.manual_seed(5)
    dep = tnn.DEP(6, 6, empty_rows=empty_rows)
    empty_first_rows(dep)
    model = Residual(dep)
    x = torch.randn(4, 6)
    text, got, want = run(model, x, pipeline)
    if empty_rows == "nan":
        assert np.isnan(want[:, 0]).all()
    else:
        # The residual adds 0: the input passes through unchanged.
        np.testing.assert_array_equal(want[:, 0], x[:, 0].numpy())
        assert "arith.select %invalid" in text
    assert not np.isnan(want[:, 1:]).any()
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("empty_rows", ["nan", "zero"])
def test_empty_rows_morph_conv(pipeline, empty_rows):
    """Paper C's max-plus-min MorphConv2d: a border pixel whose window lies
    in the padding has an empty max (−∞) and an empty min (+∞)."""
    torch.manual_seed(6)
    m = tnn.MorphConv2d(2, 3, 1, padding=1, semiring="max_plus_min",
                        empty_rows=empty_rows)
    x = torch.randn(1, 2, 4, 4)
    text, got, want = run(m, x, pipeline)
    border = want[:, :, 0, :]
    assert (np.isnan(border).all() if empty_rows == "nan"
            else (border == 0).all())
    assert not np.isnan(want[:, :, 1:-1, 1:-1]).any()
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("pipeline", PIPELINES)
def test_empty_rows_max_plus_min(pipeline):
    """The rule on MaxPlusMin changes nothing where rows are not empty and
    compiles exactly."""
    torch.manual_seed(7)
    m = tnn.MaxPlusMin(9, 5, empty_rows="zero")
    x = torch.randn(6, 9)
    text, got, want = run(m, x, pipeline)
    assert "arith.select %invalid" in text
    with torch.no_grad():
        plain = tnn.max_plus_min(x, m.weight, m.bias, m.bias2).numpy()
    np.testing.assert_array_equal(want, plain)
    np.testing.assert_array_equal(got, want)


def test_bad_empty_rows():
    with pytest.raises(ValueError, match="empty_rows"):
        tnn.DEP(2, 2, empty_rows="ignore")


def test_doc_example_runs(capsys):
    """docs/paper-c.md's worked example runs as written: the trained network
    compiles to two trop.dual_conv_2d (after --trop-fuse), both pipelines are
    bit-identical to PyTorch, and the empty-row rule makes the residual pass
    its input through."""
    import os
    import re
    from conftest import REPO_ROOT
    doc = os.path.join(REPO_ROOT, "docs", "paper-c.md")
    text = open(doc, encoding="utf-8").read()
    (code,) = re.findall(r"<!-- test: paper-c-example -->\s*```python\n(.*?)```",
                         text, re.S)
    exec(compile(code, doc + ":example", "exec"), {"__name__": "__doc__"})
    out = capsys.readouterr().out
    assert "after --trop-fuse: 0 trop.conv_2d, 2 trop.dual_conv_2d" in out
    assert out.count("bit-identical to PyTorch: True") == 2
    assert re.search(r"accuracy after 60 steps: (0\.9|1\.0)", out), out
    nan_line, zero_line = re.findall(r"empty_rows='(?:nan|zero)': (.*)", out)
    assert "nan nan nan" in nan_line
    got, want = re.match(r"output 0 = (\[.*\]), input 0 = (\[.*\])", zero_line).groups()
    assert got == want
