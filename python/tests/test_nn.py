"""trop.nn: each module's eager forward is the formula of the seed papers,
and each module exported and compiled computes exactly what PyTorch does."""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import trop  # noqa: E402
import trop.nn as tnn  # noqa: E402
from conftest import assert_float_close, assert_tropical_equal  # noqa: E402


def compiled(model, *inputs, pipeline="cpu", **kw):
    model.eval()
    mod = trop.compile(trop.export(model, inputs if len(inputs) > 1 else inputs[0], **kw),
                       pipeline=pipeline)
    return mod.forward


def eager(model, *inputs):
    with torch.no_grad():
        return model(*inputs).numpy()


# ---------------------------------------------------------------------------
# Eager semantics (independent numpy formulas)
# ---------------------------------------------------------------------------

def test_maxplus_formula():
    m = tnn.MaxPlus(5, 3)
    x = torch.randn(2, 5)
    W, b, xn = m.weight.detach().numpy(), m.bias.detach().numpy(), x.numpy()
    expected = np.array([[max(b[i], max(xn[n, j] + W[i, j] for j in range(5)))
                          for i in range(3)] for n in range(2)], np.float32)
    assert_tropical_equal(eager(m, x), expected)


def test_minplus_formula_uses_plus_w():
    m = tnn.MinPlus(5, 3, bias=False)
    x = torch.randn(2, 5)
    W, xn = m.weight.detach().numpy(), x.numpy()
    expected = (xn[:, None, :] + W[None, :, :]).min(axis=2)
    assert_tropical_equal(eager(m, x), expected)


def test_max_plus_min_formula():
    m = tnn.MaxPlusMin(6, 4)
    x = torch.randn(3, 6)
    W, xn = m.weight.detach().numpy(), x.numpy()
    b, b2 = m.bias.detach().numpy(), m.bias2.detach().numpy()
    s = xn[:, None, :] + W[None, :, :]
    expected = np.maximum(b, s.max(axis=2)) + np.minimum(b2, s.min(axis=2))
    assert_tropical_equal(eager(m, x), expected)


def test_max_plus_min_first_layer_init():
    m = tnn.MaxPlusMin(4, 2, alpha=0.0)  # paper C: W initialised to 0
    assert (m.weight == 0).all()


def test_sparse_init():
    m = tnn.MaxPlus(512, 512, init="sparse")
    finite = torch.isfinite(m.weight)
    assert (m.weight[~finite] == -math.inf).all()
    # Paper A: keep probability 2/512, i.e. about 2 finite weights per neuron.
    assert abs(finite.sum().item() / 512 - 2.0) < 0.3
    assert m.density == pytest.approx(2 / 512)
    e = tnn.MinPlus(100, 10, init="sparse", density=0.25)
    assert (e.weight[~torch.isfinite(e.weight)] == math.inf).all()
    assert 0.15 < torch.isfinite(e.weight).float().mean().item() < 0.35
    with pytest.raises(ValueError):
        tnn.MaxPlus(4, 4, init="weird")


def test_maxout_groups_consecutive_channels():
    m = tnn.Maxout(3)
    x = torch.randn(2, 4, 6)
    xn = x.numpy()
    expected = np.stack([xn[..., 0:3].max(-1), xn[..., 3:6].max(-1)], axis=-1)
    assert_tropical_equal(eager(m, x), expected)
    with pytest.raises(ValueError):
        m(torch.randn(2, 4))


def test_linact_simple_and_svd():
    a = tnn.LinAct(5)
    x = torch.randn(3, 5)
    assert_tropical_equal(eager(a, x), (x * a.weight).detach().numpy())
    s = tnn.LinAct(5, method="svd")
    U, V = s.u.double(), s.vh.double().t()
    assert torch.allclose(U.t() @ U, torch.eye(5, dtype=torch.float64), atol=1e-5)
    assert not s.u.requires_grad and s.weight.requires_grad
    expected = (U @ torch.diag(s.weight.double()) @ V.t() @ x.double().t()).t()
    assert_float_close(eager(s, x), expected.float().detach().numpy())


def test_morph_conv_formula():
    m = tnn.MorphConv2d(2, 3, (2, 3), stride=(1, 2), padding=1, dilation=(2, 1))
    x = torch.randn(1, 2, 5, 6)
    xn, W = x.numpy(), m.weight.detach().numpy()
    xp = np.pad(xn, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    y = eager(m, x)
    for f in range(3):
        for i in range(y.shape[2]):
            for j in range(y.shape[3]):
                v = max(xp[0, c, i + 2 * u, 2 * j + v] + W[f, c, u, v]
                        for c in range(2) for u in range(2) for v in range(3))
                assert y[0, f, i, j] == np.float32(v)


def test_dilation_erosion_formula():
    x = torch.randn(2, 3, 6, 6)
    xn = x.numpy()
    d = tnn.Dilation2d(3, 3, padding=1)
    e = tnn.Erosion2d(3, 3, padding=1)
    S = d.weight.detach().numpy()
    T = e.weight.detach().numpy()
    xp = np.pad(xn, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=-np.inf)
    xq = np.pad(xn, ((0, 0), (0, 0), (1, 1), (1, 1)), constant_values=np.inf)
    dil = np.full_like(xn, -np.inf)
    ero = np.full_like(xn, np.inf)
    for u in range(3):
        for v in range(3):
            dil = np.maximum(dil, xp[:, :, u:u + 6, v:v + 6] + S[None, :, u, v, None, None])
            ero = np.minimum(ero, xq[:, :, u:u + 6, v:v + 6] + T[None, :, u, v, None, None])
    assert_tropical_equal(eager(d, x), dil)
    assert_tropical_equal(eager(e, x), ero)


def test_flat_dilation_is_max_pooling():
    d = tnn.Dilation2d(4, 2, stride=2)
    with torch.no_grad():
        d.weight.zero_()
    x = torch.randn(2, 4, 6, 8)
    assert_tropical_equal(eager(d, x), torch.nn.functional.max_pool2d(x, 2).numpy())


# ---------------------------------------------------------------------------
# Export + compile == eager
# ---------------------------------------------------------------------------

TROPICAL_DENSE = [
    ("maxplus", lambda: tnn.MaxPlus(16, 12)),
    ("maxplus-nobias", lambda: tnn.MaxPlus(16, 12, bias=False)),
    ("maxplus-sparse", lambda: tnn.MaxPlus(16, 12, init="sparse")),
    ("minplus", lambda: tnn.MinPlus(16, 12)),
    ("minplus-sparse-nobias", lambda: tnn.MinPlus(16, 12, bias=False, init="sparse",
                                                  density=0.3)),
    ("maxplusmin", lambda: tnn.MaxPlusMin(16, 12)),
    ("maxplusmin-nobias", lambda: tnn.MaxPlusMin(16, 12, bias=False)),
    ("maxout", lambda: tnn.Maxout(4)),
    ("linact", lambda: tnn.LinAct(16)),
]


@pytest.mark.parametrize("name,make", TROPICAL_DENSE, ids=[n for n, _ in TROPICAL_DENSE])
def test_dense_layers_compile_exactly(name, make):
    m = make()
    x = torch.randn(8, 16)
    assert_tropical_equal(compiled(m, x)(x.numpy()), eager(m, x))


def test_sparse_maxplus_with_empty_rows():
    m = tnn.MaxPlus(8, 6, init="sparse", density=0.2)
    with torch.no_grad():
        m.weight[2] = -math.inf          # a neuron with no connection: outputs b_2
        m.bias[4] = -math.inf            # and one without a bias
    x = torch.randn(5, 8)
    y = compiled(m, x)(x.numpy())
    assert_tropical_equal(y, eager(m, x))
    assert (y[:, 2] == m.bias[2].item()).all()


def test_tropical_layers_on_3d_inputs():
    m = torch.nn.Sequential(tnn.MaxPlus(6, 5), tnn.Maxout(5))
    x = torch.randn(2, 3, 6)
    assert_tropical_equal(compiled(m, x)(x.numpy()), eager(m, x))


def test_float64():
    m = tnn.MaxPlusMin(7, 3).double()
    x = torch.randn(4, 7, dtype=torch.float64)
    y = compiled(m, x)(x.numpy())
    assert y.dtype == np.float64
    assert_tropical_equal(y, eager(m, x))


def test_linact_svd_compiles():
    m = tnn.LinAct(16, method="svd")
    x = torch.randn(8, 16)
    assert_float_close(compiled(m, x)(x.numpy()), eager(m, x))


CONVS = [
    ("morph-max", lambda: tnn.MorphConv2d(3, 5, 3, padding=1)),
    ("morph-min-bias", lambda: tnn.MorphConv2d(3, 5, (2, 3), stride=2, semiring="min_plus",
                                               bias=True)),
    ("morph-mpm", lambda: tnn.MorphConv2d(3, 4, 3, dilation=2, padding=2,
                                          semiring="max_plus_min")),
    ("morph-mpm-bias", lambda: tnn.MorphConv2d(3, 4, 3, semiring="max_plus_min", bias=True)),
    ("dilation", lambda: tnn.Dilation2d(3, 3, padding=1)),
    ("erosion", lambda: tnn.Erosion2d(3, (3, 2), stride=(2, 1), dilation=(1, 2))),
]


@pytest.mark.parametrize("name,make", CONVS, ids=[n for n, _ in CONVS])
def test_morphological_convolutions_compile_exactly(name, make):
    m = make()
    x = torch.randn(2, 3, 9, 10)
    assert_tropical_equal(compiled(m, x)(x.numpy()), eager(m, x))


@pytest.mark.parametrize("pipeline", ["reference", "cpu"])
def test_pipelines_agree(pipeline):
    m = torch.nn.Sequential(tnn.MaxPlus(12, 8, init="sparse", density=0.5),
                            tnn.MinPlus(8, 8), tnn.Maxout(2))
    x = torch.randn(6, 12)
    assert_tropical_equal(compiled(m, x, pipeline=pipeline)(x.numpy()), eager(m, x))


@pytest.mark.parametrize("pipeline", ["reference", "cpu"])
def test_two_sparse_layers(pipeline):
    """Two sparse layers in one model: the CPU pipeline gives each its own
    gather-kernel globals (issue 17 item 1: "redefinition of symbol named
    '__trop_sparse_values'")."""
    torch.manual_seed(0)
    m = torch.nn.Sequential(tnn.MaxPlus(16, 12, init="sparse"),
                            tnn.MaxPlus(12, 8, init="sparse"))
    x = torch.randn(5, 16)
    assert_tropical_equal(compiled(m, x, pipeline=pipeline)(x.numpy()), eager(m, x))
