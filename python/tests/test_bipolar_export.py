"""Paper E's BM layers beyond BipolarLinear at beta = inf: BipolarConv2d
(eager = BipolarLinear on F.unfold's windows; export = im2col +
trop.bipolar_matmul), and a finite LSE temperature beta, which exports to
four trop.lse_matmul (the classical -> BM homotopy trains in PyTorch and
compiles at every beta). Compiled results are compared with PyTorch eager to
the tolerance documented in docs/bipolar.md ("Finite β")."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import trop  # noqa: E402
import trop.nn as tnn  # noqa: E402

INF = float("inf")
CONVERT = ("builtin.module(trop-linear-to-bipolar,"
           "trop-cpu-pipeline{results-to-out-params=1})")


def compiled(model, x, pipeline):
    text = trop.export(model, x)
    return text, trop.compile(text, pipeline=pipeline).forward(x)


def eager(model, x):
    with torch.no_grad():
        return model(x).numpy()


def assert_close_to_eager(got, want, beta, dtype=np.float32):
    """docs/bipolar.md: the compiled layer and PyTorch differ by their
    log/exp/logsumexp roundings, a relative error of a few hundred ulps of
    the largest output (the LSE's error, K·u/beta in the log domain, is a
    relative error of each exponential; 1/beta amplifies it)."""
    eps = np.finfo(dtype).eps
    tol = 256 * eps * max(1.0, 1.0 / beta) * max(1.0, np.abs(want).max())
    assert got.shape == want.shape
    assert np.abs(got - want).max() <= tol, (np.abs(got - want).max(), tol)


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
@pytest.mark.parametrize("beta", [0.5, 1.0, 4.0, 32.0])
def test_finite_beta_linear_exports_to_lse_matmul(beta, pipeline):
    torch.manual_seed(0)
    model = torch.nn.Sequential(tnn.BipolarLinear(24, 16, beta=beta),
                                torch.nn.ReLU(),
                                tnn.BipolarLinear(16, 5, beta=beta,
                                                  input_shift=0.25))
    x = torch.rand(9, 24) * 4 - 2
    x[0, :6] = 0.05  # below input_shift on both poles
    text, got = compiled(model, x, pipeline)
    assert text.count("trop.lse_matmul") == 8
    assert "trop.bipolar_matmul" not in text
    assert f"beta = {beta!r} : f64" in text
    assert_close_to_eager(got, eager(model, x), beta)


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
def test_beta_one_exports_the_linear_layer(pipeline):
    """beta = 1 with input_shift = 0 is the classical layer x·Wᵀ + b
    (exp(LSE₁(ln x + ln w)) is the product sum), compiled, in f64."""
    torch.manual_seed(2)
    lin = torch.nn.Linear(10, 4).double()
    bm = tnn.BipolarLinear.from_linear(lin, floor=1e-300, input_shift=0.0,
                                       beta=1.0)
    x = (torch.rand(6, 10) * 4 - 2).double()
    _, got = compiled(bm, x, pipeline)
    np.testing.assert_allclose(got, eager(lin, x), rtol=1e-10, atol=1e-10)


def test_homotopy_trains_and_compiles():
    """Anneal beta from 1 to inf while training; every stage compiles to
    what PyTorch computes."""
    torch.manual_seed(3)
    x = torch.rand(64, 6) * 2 - 1
    target = x[:, :3].sum(1, keepdim=True) - x[:, 3:].sum(1, keepdim=True)
    model = tnn.BipolarLinear(6, 1, beta=1.0)
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for beta in (1.0, 4.0, 16.0, INF):
        model.beta = beta
        for _ in range(20):
            opt.zero_grad()
            loss = ((model(x) - target) ** 2).mean()
            loss.backward()
            opt.step()
        assert torch.isfinite(loss)
        text, got = compiled(model, x, "cpu")
        assert ("trop.bipolar_matmul" in text) == (beta == INF)
        assert_close_to_eager(got, eager(model, x), beta)


CONVS = [  # (in, out, kernel, stride, padding, dilation, hw)
    (3, 4, 3, 1, 1, 1, (7, 6)),
    (2, 5, (3, 2), (2, 1), (1, 0), (1, 2), (9, 8)),
    (4, 3, 1, 1, 0, 1, (3, 3)),
]


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
@pytest.mark.parametrize("beta", [INF, 2.0])
@pytest.mark.parametrize("conv", CONVS)
def test_bipolar_conv2d_export_matches_eager(conv, beta, pipeline):
    cin, cout, k, s, p, d, hw = conv
    torch.manual_seed(4)
    m = tnn.BipolarConv2d(cin, cout, k, stride=s, padding=p, dilation=d,
                          beta=beta)
    x = torch.rand(2, cin, *hw) * 4 - 2
    text, got = compiled(m, x, pipeline)
    assert text.count("trop.bipolar_matmul") == (beta == INF)
    assert text.count("trop.lse_matmul") == (0 if beta == INF else 4)
    assert_close_to_eager(got, eager(m, x), beta)


def test_bipolar_conv2d_eager_is_bipolar_linear_on_windows():
    """Every output pixel of BipolarConv2d is BipolarLinear on its window
    (C, KH, KW order), written out with explicit slicing."""
    torch.manual_seed(5)
    m = tnn.BipolarConv2d(2, 3, 3, stride=2, padding=1)
    x = torch.rand(1, 2, 6, 5) * 4 - 2
    xp = torch.nn.functional.pad(x, (1, 1, 1, 1))
    y = eager(m, x)
    for i in range(y.shape[2]):
        for j in range(y.shape[3]):
            window = xp[:, :, 2 * i:2 * i + 3, 2 * j:2 * j + 3].reshape(1, -1)
            np.testing.assert_allclose(y[:, :, i, j], eager(m.linear, window),
                                       rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("conv", CONVS)
def test_compiler_conv_conversion_matches_from_conv(conv):
    """export(nn.Conv2d) converted by --trop-linear-to-bipolar (im2col +
    trop.bipolar_matmul) computes what BipolarConv2d.from_conv computes."""
    cin, cout, k, s, p, d, hw = conv
    torch.manual_seed(6)
    c = torch.nn.Conv2d(cin, cout, k, stride=s, padding=p, dilation=d)
    x = torch.rand(2, cin, *hw) * 4 - 2
    _, got = compiled(c, x, CONVERT)
    assert_close_to_eager(got, eager(tnn.BipolarConv2d.from_conv(c), x), INF)


def test_from_conv_rejects_groups():
    with pytest.raises(ValueError, match="groups=1"):
        tnn.BipolarConv2d.from_conv(torch.nn.Conv2d(4, 4, 3, groups=2))
