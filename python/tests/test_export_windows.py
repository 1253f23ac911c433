"""The raise forms of PyTorch code shapes (issue 14, "Raising what front ends
emit"): max/min pooling written with windows (``F.unfold`` patches or
``Tensor.unfold`` views reduced by max/min), maxout as ``view`` + ``max(-1)``,
a ``F.pad`` with the semiring's 𝟘 before a tropical convolution, and paper
BM's ln → max-plus → exp. Each is exported unchanged, compared with eager
PyTorch bit for bit (cpu and reference pipelines), and ``--trop-raise``
must leave the tropical part as a trop op."""

import pytest

torch = pytest.importorskip("torch")

import torch.nn.functional as F  # noqa: E402

import trop  # noqa: E402
from conftest import assert_float_close, assert_tropical_equal  # noqa: E402
from test_export_ops import Fn  # noqa: E402


def exported(fn, x, exact=True, **params):
    model = Fn(fn, **params).eval()
    text = trop.export(model, x)
    with torch.no_grad():
        ref = model(x).numpy()
    for pipeline in ("cpu", "reference"):
        out = trop.compile(text, pipeline=pipeline).forward(x.numpy())
        (assert_tropical_equal if exact else assert_float_close)(out, ref)
    return trop.passes.run(text, "builtin.module(trop-raise,canonicalize,cse)").text


def _unfold_max(m, x):  # paper code: patches, one row per window, max
    n, c, h, w = x.shape
    patches = F.unfold(x, 2, stride=2).view(n, c, 4, -1)
    return patches.max(2)[0].view(n, c, h // 2, w // 2)


def _unfold_max_padded(m, x):  # F.unfold pads with 0: part of the values
    n, c, h, w = x.shape
    patches = F.unfold(x, 3, padding=1, stride=2).view(n, c, 9, -1)
    return torch.amax(patches, dim=2).view(n, c, (h + 1) // 2, (w + 1) // 2)


def _views_amax(m, x):  # Tensor.unfold views, amax over both windows
    return x.unfold(2, 3, 2).unfold(3, 3, 2).amax(dim=(-1, -2))


def _views_min_flat(m, x):  # windows flattened, a tuple min over the last dim
    values, _ = x.unfold(2, 2, 2).unfold(3, 2, 2).flatten(-2).min(-1)
    return values


def _views_dilated(m, x):  # a dilated window: unfold with size 3, keep 0::2
    return x.unfold(3, 2, 1).unfold(2, 2, 1).amax((4, 5), keepdim=False)


POOLS = {"unfold_max": (_unfold_max, "max_min"),
         "unfold_max_padded": (_unfold_max_padded, "max_min"),
         "views_amax": (_views_amax, "max_min"),
         "views_min_flat": (_views_min_flat, "min_max"),
         "views_w_then_h": (_views_dilated, "max_min")}


@pytest.mark.parametrize("name", sorted(POOLS))
def test_window_pooling_becomes_morphology(name):
    fn, semiring = POOLS[name]
    raised = exported(fn, torch.randn(2, 3, 8, 8))
    assert f"trop.depthwise_conv_2d <{semiring}>" in raised
    assert '"reduction"' not in raised  # no windowed reduction left


def test_window_views_other_uses_still_materialise():
    """A view used for something else than a window max keeps its values."""
    def f(m, x):
        v = x.unfold(2, 2, 2)
        return v.sum(-1) + v.amax(-1)
    exported(f, torch.randn(2, 3, 6, 4), exact=False)


def test_maxout_as_view_and_max():
    def f(m, x):
        y = F.linear(x, m.w, m.b)
        return y.view(x.shape[0], 4, 3).max(-1)[0]
    raised = exported(f, torch.randn(5, 6), exact=False, w=torch.randn(12, 6),
                      b=torch.randn(12))
    assert "trop.maxout group_size = 3" in raised


def _unfold_conv(pad_value):
    def f(m, x):
        b = x.shape[0]
        xp = F.pad(x, (1, 1, 1, 1), value=pad_value)
        z = F.unfold(xp, 3).unsqueeze(1) + m.w.view(4, -1, 1)
        return torch.max(z, 2)[0].view(b, 4, 5, 5)
    return f


def test_neg_inf_pad_folds_into_the_convolution():
    """F.pad with −∞ (max-plus's 𝟘) before an unfold dilation becomes the
    convolution's own padding; F.pad's default 0 is not 𝟘 and stays."""
    x = torch.randn(2, 3, 5, 5)
    raised = exported(_unfold_conv(float("-inf")), x, w=torch.randn(4, 3, 3, 3))
    assert "trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>}" in raised
    assert "tensor.pad" not in raised
    raised = exported(_unfold_conv(0.0), x, w=torch.randn(4, 3, 3, 3))
    assert "tensor.pad" in raised and "padding = array" not in raised


def test_bm_log_max_plus_exp():
    """Paper BM's layer y = exp(max_j(ln x_j + W_ij)): ln and exp stay (they
    round), the max-plus core is a trop.matmul."""
    def f(m, x):
        return torch.exp(torch.max(torch.log(x).unsqueeze(1) + m.w.unsqueeze(0), -1)[0])
    raised = exported(f, torch.rand(4, 6) + 0.1, exact=False, w=torch.randn(3, 6))
    assert "trop.matmul <max_plus>" in raised
    assert "math.log" in raised and "math.exp" in raised
