"""trop.nn.BipolarLinear (paper E): the eager forward is the BM formula (and
its log-sum-exp homotopy), and the exported layer (trop.bipolar_matmul)
compiled by both pipelines reproduces it to float tolerance (PyTorch's log
and exp are not libm's); the compiler's own conversion of an nn.Linear
(--trop-linear-to-bipolar) agrees with BipolarLinear.from_linear."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import trop  # noqa: E402
import trop.nn as tnn  # noqa: E402


def bm_numpy(x, vp, vn, b, shift):
    """Paper E's formula, written independently (float64)."""
    with np.errstate(divide="ignore"):
        lp = np.log(np.maximum(x, shift))
        ln = np.log(np.maximum(-x, shift))

    def e(l, v):  # exp(max_j (l[n, j] + v[i, j]))
        return np.exp(np.max(l[:, None, :] + v[None, :, :], axis=2))

    return e(lp, vp) - e(lp, vn) - e(ln, vp) + e(ln, vn) + b


def params(m):
    return (m.weight_pos.detach().double().numpy(),
            m.weight_neg.detach().double().numpy(),
            m.bias.detach().double().numpy())


def inputs(rows, k):
    x = torch.rand(rows, k) * 4 - 2
    x[0, : k // 2] = 0.05  # below input_shift on both poles
    x[1, 0] = 0.0
    return x


@pytest.mark.parametrize("shift", [0.1, 0.0, 0.5])
def test_eager_is_the_bm_formula(shift):
    m = tnn.BipolarLinear(7, 5, input_shift=shift)
    x = inputs(4, 7)
    vp, vn, b = params(m)
    want = bm_numpy(x.double().numpy(), vp, vn, b, shift)
    with torch.no_grad():
        got = m(x).double().numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_beta_one_is_the_linear_layer():
    """exp(LSE_1(ln x + ln w)) = sum x w: at beta = 1 and input_shift 0 the
    BM layer converted from nn.Linear is nn.Linear (up to the floor)."""
    lin = torch.nn.Linear(9, 4).double()
    m = tnn.BipolarLinear.from_linear(lin, floor=1e-300, input_shift=0.0,
                                      beta=1.0)
    x = inputs(6, 9).double()
    with torch.no_grad():
        np.testing.assert_allclose(m(x).numpy(), lin(x).numpy(), rtol=1e-10,
                                   atol=1e-12)


def test_large_beta_tends_to_bm():
    """max z <= LSE_beta(z) <= max z + ln(K)/beta, so each term's log is
    within ln(K)/beta of the BM layer's."""
    m = tnn.BipolarLinear(16, 3)
    x = inputs(5, 16)
    with torch.no_grad():
        bm = m(x)
        for beta in (10.0, 1e3):
            m.beta = beta
            lp = torch.log(torch.clamp(x, min=0.1))
            hard = tnn._pole_contraction(lp, m.weight_pos, math.inf)
            soft = tnn._pole_contraction(lp, m.weight_pos, beta)
            assert torch.all(soft >= hard - 1e-5)
            assert torch.all(soft <= hard + math.log(16) / beta + 1e-5)
        assert torch.allclose(m(x), bm, rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
def test_export_compiles_to_bipolar_matmul(pipeline):
    torch.manual_seed(0)
    model = torch.nn.Sequential(tnn.BipolarLinear(12, 8), torch.nn.ReLU(),
                                tnn.BipolarLinear(8, 3, input_shift=0.25))
    x = inputs(6, 12)
    text = trop.export(model, x)
    assert text.count("trop.bipolar_matmul") == 2
    assert "input_shift = 0.25 : f64" in text
    got = trop.compile(text, pipeline=pipeline).forward(x)
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_compiler_conversion_matches_from_linear():
    """export(nn.Linear) converted by --trop-linear-to-bipolar in the
    pipeline computes what BipolarLinear.from_linear computes in eager."""
    torch.manual_seed(1)
    lin = torch.nn.Linear(10, 6)
    x = inputs(5, 10)
    pipeline = ("builtin.module(trop-linear-to-bipolar,"
                "trop-cpu-pipeline{results-to-out-params=1})")
    got = trop.compile(trop.export(lin, x), pipeline=pipeline).forward(x)
    with torch.no_grad():
        want = tnn.BipolarLinear.from_linear(lin)(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_doc_example_runs(capsys):
    """docs/bipolar.md's worked example runs as written, and the compiled
    networks agree with PyTorch's BM forward to float tolerance."""
    import os
    import re
    from conftest import REPO_ROOT
    doc = os.path.join(REPO_ROOT, "docs", "bipolar.md")
    text = open(doc, encoding="utf-8").read()
    (code,) = re.findall(r"<!-- test: bipolar-example -->\s*```python\n(.*?)```",
                         text, re.S)
    exec(compile(code, doc + ":example", "exec"), {"__name__": "__doc__"})
    out = capsys.readouterr().out
    assert re.search(r"accuracy: linear 1\.000, BM 0\.\d+", out)
    diffs = [float(d) for d in re.findall(r"vs PyTorch(?: BM:)? ([0-9.e+-]+)",
                                          out)]
    assert len(diffs) == 2 and max(diffs) < 1e-4, out
