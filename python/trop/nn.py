"""PyTorch modules for the seed layers of trop.

Each module is a plain ``torch.nn.Module`` whose eager forward computes
exactly what the trop dialect computes for it, so that a model can be
trained in PyTorch and compiled with ``trop.compile(trop.export(model, x))``
(docs/python.md). The tropical layers compute every output element as one
rounded sum ``x + w`` (or a bias) selected by max/min, like the dialect, so
the compiled model reproduces them bit for bit.

Weights follow ``torch.nn.Linear`` / ``torch.nn.Conv2d``: a dense layer's
weight is ``W`` of shape ``(out_features, in_features)``, and a convolution's
``(out_channels, in_channels, kh, kw)``, inputs are ``(..., in_features)``
and NCHW. The tropical zero (𝟘) is ``-inf`` for max branches and ``+inf`` for
min branches; a pruned or masked weight is 𝟘, never 0.

Layers (papers A and C of ../shared/research/seeds-methods.md):

=================  ==========================================================
``MaxPlus``        y_i = max(b_i, max_j (x_j + W_ij))      (dilation, paper A)
``MinPlus``        y_i = min(b_i, min_j (x_j + W_ij))      (erosion, +W)
``MaxPlusMin``     y_i = max(b_i, max_j (x_j + W_ij))
                       + min(b2_i, min_j (x_j + W_ij))     (paper C's MPM)
``Maxout``         y[..., g] = max_{r<k} x[..., g·k + r]   (papers A, C)
``LinAct``         y = a ⊙ x ("simple") or y = U diag(a) Vᵀ x ("svd")
                   (paper C's "linear activations")
``MorphConv2d``    full morphological convolution (paper C's MorphConv2d):
                   max-plus, min-plus, or their average (max-plus-min)
``Dilation2d``     per-channel grayscale dilation  max_{kh,kw} x + S
``Erosion2d``      per-channel grayscale erosion   min_{kh,kw} x + S
=================  ==========================================================

Paper D's binarized layers (``BiSE``, ``LUI``, ``BiSEL``, ``DenseLUI``,
``LevelSets``) are defined in :mod:`trop.binary_morphology` and exported
here too (docs/binary-morphology.md).
"""

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "MaxPlus", "MinPlus", "MaxPlusMin", "Maxout", "LinAct",
    "MorphConv2d", "Dilation2d", "Erosion2d",
    "max_plus", "min_plus", "max_plus_min",
]

_NEG_INF = float("-inf")
_POS_INF = float("inf")


# ---------------------------------------------------------------------------
# Functional forms (what the modules' forward calls)
# ---------------------------------------------------------------------------

def max_plus(x, weight, bias=None):
    """``y[..., i] = max(bias[i], max_j (x[..., j] + weight[i, j]))``; without
    a bias the plain max (−∞ for a row of −∞ weights)."""
    y = (x.unsqueeze(-2) + weight).amax(dim=-1)
    if bias is not None:
        y = torch.maximum(y, bias)
    return y


def min_plus(x, weight, bias=None):
    """``y[..., i] = min(bias[i], min_j (x[..., j] + weight[i, j]))`` (with
    +weight, as in paper C's code)."""
    y = (x.unsqueeze(-2) + weight).amin(dim=-1)
    if bias is not None:
        y = torch.minimum(y, bias)
    return y


def max_plus_min(x, weight, bias=None, bias2=None):
    """Paper C's max-plus-min layer with one shared weight:
    ``max(bias, max_j (x_j + W_ij)) + min(bias2, min_j (x_j + W_ij))``."""
    s = x.unsqueeze(-2) + weight
    hi = s.amax(dim=-1)
    lo = s.amin(dim=-1)
    if bias is not None:
        hi = torch.maximum(hi, bias)
    if bias2 is not None:
        lo = torch.minimum(lo, bias2)
    return hi + lo


def _pair(v, name):
    if isinstance(v, int):
        return (v, v)
    v = tuple(int(e) for e in v)
    if len(v) != 2:
        raise ValueError(f"{name} must be an int or a pair, got {v}")
    return v


def _morph_windows(x, kernel_size, stride, padding, dilation, fill):
    """The windows of a 2-D morphological operation: ``x`` (N, C, H, W)
    padded with ``fill`` (the tropical zero of the branch), as
    (N, C, KH·KW, OH·OW), and the output size (OH, OW)."""
    kh, kw = kernel_size
    ph, pw = padding
    if ph or pw:
        x = F.pad(x, (pw, pw, ph, ph), value=fill)
    n, c, h, w = x.shape
    oh = (h - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (w - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    if oh < 1 or ow < 1:
        raise ValueError(f"the {kh}x{kw} window (dilation {dilation}) does not "
                         f"fit the padded {h}x{w} input")
    cols = F.unfold(x, (kh, kw), dilation=dilation, stride=stride)
    return cols.view(n, c, kh * kw, oh * ow), (oh, ow)


def _init_weight(weight, init, density, zero, alpha, beta):
    with torch.no_grad():
        if alpha == 0:
            weight.fill_(-beta)
        else:
            weight.normal_()
            if alpha != 1:
                weight.mul_(alpha)
            if beta:
                weight.sub_(beta)
        if init == "sparse":
            keep = torch.rand(weight.shape, device=weight.device) < density
            weight.masked_fill_(~keep, zero)


#: Paper C's rule for outputs whose max and min branches are both empty.
EMPTY_ROWS = ("nan", "zero")


def _check_empty_rows(empty_rows):
    if empty_rows not in EMPTY_ROWS:
        raise ValueError(f"empty_rows must be one of {EMPTY_ROWS}, got {empty_rows!r}")
    return empty_rows


def _empty_rows(hi, lo, y, empty_rows):
    """``y`` (a combination of the max branch ``hi`` and the min branch
    ``lo``) with paper C's empty-row rule: under ``"zero"``, 0 where
    ``hi`` is −∞ and ``lo`` is +∞ (both rows empty: "invalid")."""
    if empty_rows == "nan":
        return y
    invalid = (hi == _NEG_INF) & (lo == _POS_INF)
    return torch.where(invalid, torch.zeros_like(y), y)


def _morph_conv(x, weight, bias, use_max, kernel_size, stride, padding,
                dilation):
    """One branch of a full morphological convolution (NCHW, weight
    (F, C, KH, KW)), x padded with the branch's tropical zero."""
    n, f = x.shape[0], weight.shape[0]
    cols, (oh, ow) = _morph_windows(x, kernel_size, stride, padding, dilation,
                                    _NEG_INF if use_max else _POS_INF)
    cols = cols.reshape(n, 1, -1, oh * ow)              # (N, 1, C·KH·KW, L)
    s = cols + weight.reshape(f, -1, 1)                 # (N, F, C·KH·KW, L)
    y = s.amax(dim=2) if use_max else s.amin(dim=2)
    if bias is not None:
        b = bias.view(1, -1, 1)
        y = torch.maximum(y, b) if use_max else torch.minimum(y, b)
    return y.view(n, f, oh, ow)


# ---------------------------------------------------------------------------
# Dense tropical layers
# ---------------------------------------------------------------------------

class _TropicalDense(nn.Module):
    _zero = _NEG_INF
    #: Set by trop.training.compile_training: the options of the compiled
    #: kernels that forward and backward then run on (None: eager).
    compiled = None

    def _forward(self, x, semiring, eager):
        if self.compiled:
            from .training import tropical_dense
            return tropical_dense(x, self.weight, self.bias, semiring, **self.compiled)
        return eager(x, self.weight, self.bias)

    def __init__(self, in_features, out_features, bias=True, init="dense",
                 density=None, alpha=1.0, beta=0.0, device=None, dtype=None):
        super().__init__()
        if in_features < 1 or out_features < 1:
            raise ValueError("in_features and out_features must be positive")
        if init not in ("dense", "sparse"):
            raise ValueError(f"init must be 'dense' or 'sparse', got {init!r}")
        if density is None:
            density = min(1.0, 2.0 / in_features)
        if not 0.0 < density <= 1.0:
            raise ValueError(f"density must be in (0, 1], got {density}")
        factory = {"device": device, "dtype": dtype}
        self.in_features = in_features
        self.out_features = out_features
        self.init = init
        self.density = density
        self.alpha = alpha
        self.beta = beta
        self.weight = nn.Parameter(torch.empty(out_features, in_features, **factory))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features, **factory))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        """Paper A: W ~ N(0,1) (times alpha, minus beta: paper C's
        ``randn·alpha − beta``), b ~ N(0,1); the sparse init then keeps each
        weight with probability ``density`` and sets the others to the
        tropical zero."""
        _init_weight(self.weight, self.init, self.density, self._zero,
                     self.alpha, self.beta)
        if self.bias is not None:
            with torch.no_grad():
                self.bias.normal_()

    def extra_repr(self):
        s = (f"in_features={self.in_features}, out_features={self.out_features}, "
             f"bias={self.bias is not None}, init={self.init!r}")
        if self.init == "sparse":
            s += f", density={self.density:g}"
        return s


class MaxPlus(_TropicalDense):
    """Paper A's max-plus (dilation) layer:
    ``y_i = max(b_i, max_j (x_j + W_ij))`` for x of shape (..., in_features).

    ``init="dense"``: W ~ N(0,1), b ~ N(0,1) (paper A). ``init="sparse"``
    (paper A's Sparse-Morph): each weight is kept with probability
    ``density`` (default ``2/in_features``, i.e. 2 finite weights per output
    on average, paper A's 1/256 for 512 inputs) and set to −∞ otherwise
    (paper A's code used −1e9 as a stand-in for −∞). ``alpha``/``beta``
    scale and shift the normal init (paper C: ``randn·alpha − beta``).

    Compiles to ``trop.matmul <max_plus>`` with B = Wᵀ and the bias,
    broadcast over the batch, as its init (−∞ without a bias)."""

    _zero = _NEG_INF

    def forward(self, x):
        return self._forward(x, "max_plus", max_plus)


class MinPlus(_TropicalDense):
    """The dual (erosion) layer, with +W as in paper C's code:
    ``y_i = min(b_i, min_j (x_j + W_ij))``. The sparse init sets the
    dropped weights to +∞. Compiles to ``trop.matmul <min_plus>``."""

    _zero = _POS_INF

    def forward(self, x):
        return self._forward(x, "min_plus", min_plus)


class MaxPlusMin(nn.Module):
    """Paper C's max-plus-min ("MPM") layer: one shared weight W, two biases,

        y_i = max(b_i, max_j (x_j + W_ij)) + min(b2_i, min_j (x_j + W_ij))

    (seeds-methods §3.2). Init: W = randn·alpha − beta (paper C's first layer
    uses ``alpha=0``, i.e. W = −beta), b, b2 ~ N(0,1). There is no sparse
    init: a shared weight cannot be −∞ in one branch and +∞ in the other.

    Compiles to a ``trop.matmul <max_plus>`` and a ``trop.matmul <min_plus>``
    on the same Wᵀ and an elementwise add.

    ``empty_rows`` is paper C's rule for empty rows (docs/semantics.md):
    ``"nan"`` (default) adds the two branches as IEEE floats, so an output
    whose max branch is empty (−∞) and whose min branch is empty (+∞) is
    NaN; ``"zero"`` makes such an "invalid" output 0, so that a residual
    ``x + LinAct(MPM(x))`` adds 0 there instead of NaN."""

    def __init__(self, in_features, out_features, bias=True, alpha=1.0,
                 beta=0.0, empty_rows="nan", device=None, dtype=None):
        super().__init__()
        self.empty_rows = _check_empty_rows(empty_rows)
        if in_features < 1 or out_features < 1:
            raise ValueError("in_features and out_features must be positive")
        factory = {"device": device, "dtype": dtype}
        self.in_features = in_features
        self.out_features = out_features
        self.alpha = alpha
        self.beta = beta
        self.weight = nn.Parameter(torch.empty(out_features, in_features, **factory))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_features, **factory))
            self.bias2 = nn.Parameter(torch.empty(out_features, **factory))
        else:
            self.register_parameter("bias", None)
            self.register_parameter("bias2", None)
        self.reset_parameters()

    def reset_parameters(self):
        _init_weight(self.weight, "dense", 1.0, 0.0, self.alpha, self.beta)
        if self.bias is not None:
            with torch.no_grad():
                self.bias.normal_()
                self.bias2.normal_()

    #: Set by trop.training.compile_training (None: eager).
    compiled = None

    def forward(self, x):
        if self.compiled and self.empty_rows == "nan":
            from .training import tropical_max_plus_min
            return tropical_max_plus_min(x, self.weight, self.bias, self.bias2,
                                         **self.compiled)
        if self.empty_rows == "nan":
            return max_plus_min(x, self.weight, self.bias, self.bias2)
        hi = max_plus(x, self.weight, self.bias)
        lo = min_plus(x, self.weight, self.bias2)
        return _empty_rows(hi, lo, hi + lo, self.empty_rows)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Maxout(nn.Module):
    """Maxout over groups of ``group_size`` consecutive channels of the last
    dimension: ``y[..., g] = max_{r < k} x[..., g·k + r]`` (``trop.maxout``).

    Paper A's maxout unit with k pieces, ``max_r BN_r(W_r x + c_r)``, is
    ``nn.Linear(n, k·m) → nn.BatchNorm1d(k·m) → Maxout(k)`` with the pieces
    of output i in rows i·k .. i·k+k−1 of the linear layer (a BatchNorm per
    piece is one BatchNorm1d over all k·m channels)."""

    def __init__(self, group_size):
        super().__init__()
        if int(group_size) < 1:
            raise ValueError("group_size must be positive")
        self.group_size = int(group_size)

    #: Set by trop.training.compile_training (None: eager).
    compiled = None

    def forward(self, x):
        if self.compiled:
            from .training import tropical_maxout
            return tropical_maxout(x, self.group_size, **self.compiled)
        c = x.shape[-1]
        k = self.group_size
        if c % k:
            raise ValueError(f"Maxout: {c} channels are not a multiple of "
                             f"group_size {k}")
        return x.reshape(*x.shape[:-1], c // k, k).amax(dim=-1)

    def extra_repr(self):
        return f"group_size={self.group_size}"


class LinAct(nn.Module):
    """Paper C's "linear activation" on the last dimension (N features).

    ``method="simple"`` (architecture 1): ``y_i = a_i · x_i``, with
    a ~ N(0,1)/3.46.

    ``method="svd"`` (architecture 2): ``y = U diag(a) Vᵀ x``, where U and V
    are fixed (buffers, not trained) orthogonal factors of the SVD of a
    randomly initialised ``nn.Linear(N, N)`` weight (buffers ``u`` = U and
    ``vh`` = Vᵀ) and a (the parameter ``weight``) starts at its singular
    values. On a batch of rows this is ``((x V) ⊙ a) Uᵀ``: the export lowers
    it to two ``linalg.matmul`` and a scaling."""

    def __init__(self, num_features, method="simple", device=None, dtype=None):
        super().__init__()
        if method not in ("simple", "svd"):
            raise ValueError(f"method must be 'simple' or 'svd', got {method!r}")
        factory = {"device": device, "dtype": dtype}
        self.num_features = num_features
        self.method = method
        self.weight = nn.Parameter(torch.empty(num_features, **factory))
        if method == "svd":
            self.register_buffer("u", torch.empty(num_features, num_features, **factory))
            self.register_buffer("vh", torch.empty(num_features, num_features, **factory))
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            if self.method == "simple":
                self.weight.normal_().div_(3.46)
            else:
                lin = nn.Linear(self.num_features, self.num_features,
                                device=self.weight.device)
                u, s, vh = torch.linalg.svd(lin.weight.detach().double())
                self.u.copy_(u)
                self.vh.copy_(vh)
                self.weight.copy_(s)

    def forward(self, x):
        if self.method == "simple":
            return x * self.weight
        return ((x @ self.vh.t()) * self.weight) @ self.u.t()

    def extra_repr(self):
        return f"num_features={self.num_features}, method={self.method!r}"


# ---------------------------------------------------------------------------
# Morphological convolutions (NCHW, like torch.nn.Conv2d)
# ---------------------------------------------------------------------------

class MorphConv2d(nn.Module):
    """Paper C's full morphological convolution on NCHW inputs, with a weight
    of shape (out_channels, in_channels, kh, kw) like ``nn.Conv2d``:

        max_plus:  y[n,f,i,j] = max(b_f, max_{c,u,v} xp[n,c,i·s+u·d, j·s+v·d] + W[f,c,u,v])
        min_plus:  the same with min (and +W)
        max_plus_min: (max_plus + min_plus) / 2 with one shared W (paper C's
                   ResNet MorphConv2d; two biases b, b2 when ``bias=True``)

    ``xp`` is x padded with the branch's tropical zero (−∞ for max, +∞ for
    min), so padding never wins. The window is applied as written
    (cross-correlation indexing, not reflected). Paper C's convolutions have
    no bias (``bias=False``, the default). Compiles to ``trop.conv_2d``; the
    two of max_plus_min run as one ``trop.dual_conv_2d`` (``--trop-fuse``,
    on by default in the CPU pipeline). ``empty_rows`` (max_plus_min only):
    see :class:`MaxPlusMin`."""

    SEMIRINGS = ("max_plus", "min_plus", "max_plus_min")

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, dilation=1, semiring="max_plus", bias=False,
                 empty_rows="nan", device=None, dtype=None):
        super().__init__()
        if semiring not in self.SEMIRINGS:
            raise ValueError(f"semiring must be one of {self.SEMIRINGS}, got {semiring!r}")
        self.empty_rows = _check_empty_rows(empty_rows)
        factory = {"device": device, "dtype": dtype}
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding")
        self.dilation = _pair(dilation, "dilation")
        self.semiring = semiring
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels,
                                               *self.kernel_size, **factory))
        if bias:
            self.bias = nn.Parameter(torch.empty(out_channels, **factory))
            if semiring == "max_plus_min":
                self.bias2 = nn.Parameter(torch.empty(out_channels, **factory))
            else:
                self.register_parameter("bias2", None)
        else:
            self.register_parameter("bias", None)
            self.register_parameter("bias2", None)
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            self.weight.normal_()
            for b in (self.bias, self.bias2):
                if b is not None:
                    b.normal_()

    def _branch(self, x, use_max, bias):
        return _morph_conv(x, self.weight, bias, use_max, self.kernel_size,
                           self.stride, self.padding, self.dilation)

    def forward(self, x):
        if self.semiring == "max_plus":
            return self._branch(x, True, self.bias)
        if self.semiring == "min_plus":
            return self._branch(x, False, self.bias)
        hi = self._branch(x, True, self.bias)
        lo = self._branch(x, False, self.bias2)
        return _empty_rows(hi, lo, (hi + lo) / 2, self.empty_rows)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}, "
                f"semiring={self.semiring!r}, bias={self.bias is not None}")


class _Morph2d(nn.Module):
    _max = True

    def __init__(self, channels, kernel_size, stride=1, padding=0, dilation=1,
                 device=None, dtype=None):
        super().__init__()
        self.channels = channels
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding")
        self.dilation = _pair(dilation, "dilation")
        self.weight = nn.Parameter(torch.empty(channels, *self.kernel_size,
                                               device=device, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            self.weight.normal_()

    def forward(self, x):
        n, c = x.shape[:2]
        cols, (oh, ow) = _morph_windows(
            x, self.kernel_size, self.stride, self.padding, self.dilation,
            _NEG_INF if self._max else _POS_INF)
        s = cols + self.weight.reshape(1, c, -1, 1)          # (N, C, KH·KW, L)
        y = s.amax(dim=2) if self._max else s.amin(dim=2)
        return y.view(n, c, oh, ow)

    def extra_repr(self):
        return (f"{self.channels}, kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation}")


class Dilation2d(_Morph2d):
    """Grayscale dilation with one structuring element per channel, NCHW:
    ``y[n,c,i,j] = max_{u,v} xp[n,c,i·s+u·d, j·s+v·d] + S[c,u,v]``, x padded
    with −∞; ``weight`` is S of shape (channels, kh, kw), applied as written
    (not reflected). A zero S is max pooling. Compiles to
    ``trop.depthwise_conv_2d <max_plus>``."""

    _max = True


class Erosion2d(_Morph2d):
    """Grayscale erosion per channel, NCHW, with +S (the dialect's and paper
    C's sign convention; classic erosion uses −S):
    ``y[n,c,i,j] = min_{u,v} xp[n,c,i·s+u·d, j·s+v·d] + S[c,u,v]``, x padded
    with +∞. Compiles to ``trop.depthwise_conv_2d <min_plus>``."""

    _max = False


# Paper D's binarized morphological layers live in their own module; they are
# trop.nn layers too.
from .binary_morphology import BiSE, BiSEL, DenseLUI, LevelSets, LUI  # noqa: E402

__all__ += ["BiSE", "LUI", "BiSEL", "DenseLUI", "LevelSets"]


# ---------------------------------------------------------------------------
# Paper E: bipolar morphological (BM) layers (docs/bipolar.md)
# ---------------------------------------------------------------------------

__all__ += ["BipolarLinear", "BipolarConv2d", "bipolar_linear"]


def _pole_contraction(lhs, v, beta):
    """``max_j (lhs[..., j] + v[i, j])`` (beta = inf), else its smooth form
    ``LSE_beta = (1/beta) ln sum_j exp(beta (lhs_j + v_ij))``, computed
    stably by torch.logsumexp (running max and rescaled sum)."""
    z = lhs.unsqueeze(-2) + v
    if beta == _POS_INF:
        return z.amax(dim=-1)
    return torch.logsumexp(beta * z, dim=-1) / beta


def bipolar_linear(x, weight_pos, weight_neg, bias=None, input_shift=0.1,
                   beta=_POS_INF):
    """Paper E's BM neuron on log-weight poles ``weight_pos`` = V⁺ and
    ``weight_neg`` = V⁻ (shape ``(out, in)``)::

        L± = ln(max(±x, input_shift))
        y = e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻) (+ bias)

    where ``e(LV)_i = exp(max_j (L_j + V_ij))``, or with a finite
    temperature ``beta`` the log-sum-exp in place of the max: ``beta = 1``
    with ``input_shift = 0`` is the classical ``x · Wᵀ`` for
    ``W = exp(V⁺) − exp(V⁻)``, and ``beta → inf`` is the BM layer.
    """
    lp = torch.log(torch.clamp(x, min=input_shift))
    ln = torch.log(torch.clamp(-x, min=input_shift))
    y = torch.exp(_pole_contraction(lp, weight_pos, beta))
    y = y - torch.exp(_pole_contraction(lp, weight_neg, beta))
    y = y - torch.exp(_pole_contraction(ln, weight_pos, beta))
    y = y + torch.exp(_pole_contraction(ln, weight_neg, beta))
    if bias is not None:
        y = y + bias
    return y


class BipolarLinear(nn.Module):
    """Bipolar morphological dense layer (paper E, Limonova et al.).

    Parameters are the two log-weight poles ``weight_pos`` = V⁺ and
    ``weight_neg`` = V⁻ of shape ``(out_features, in_features)`` (the
    paper's ``k1``, ``k2``, trained directly) and a bias. ``beta`` is the
    LSE temperature of the homotopy from the classical neuron (``beta = 1``
    with ``input_shift = 0``) to the BM neuron (``beta = inf``, the default);
    set ``self.beta`` during training to anneal it. ``beta = inf`` exports
    to ``trop.bipolar_matmul``, a finite ``beta`` to four
    ``trop.lse_matmul`` (the log-sum-exp semiring), so that every point of
    the homotopy compiles.

    ``BipolarLinear.from_linear(linear)`` converts a trained
    ``torch.nn.Linear`` as the paper's code and ``--trop-linear-to-bipolar``
    do: ``V± = ln(max(±W, floor))``, the bias copied.
    """

    def __init__(self, in_features, out_features, bias=True, input_shift=0.1,
                 beta=_POS_INF, device=None, dtype=None):
        super().__init__()
        if not input_shift >= 0:
            raise ValueError(f"input_shift must be >= 0, got {input_shift}")
        if not beta > 0:
            raise ValueError(f"beta must be > 0, got {beta}")
        kw = {"device": device, "dtype": dtype}
        self.in_features = in_features
        self.out_features = out_features
        self.input_shift = float(input_shift)
        self.beta = float(beta)
        self.weight_pos = nn.Parameter(torch.empty(out_features, in_features, **kw))
        self.weight_neg = nn.Parameter(torch.empty(out_features, in_features, **kw))
        self.bias = nn.Parameter(torch.empty(out_features, **kw)) if bias else None
        self.reset_parameters()

    def reset_parameters(self):
        # The poles of nn.Linear's default initialisation.
        w = torch.empty_like(self.weight_pos)
        nn.init.kaiming_uniform_(w, a=5 ** 0.5)
        with torch.no_grad():
            self.weight_pos.copy_(torch.log(torch.clamp(w, min=1e-6)))
            self.weight_neg.copy_(torch.log(torch.clamp(-w, min=1e-6)))
            if self.bias is not None:
                bound = 1 / self.in_features ** 0.5
                self.bias.uniform_(-bound, bound)

    @classmethod
    def from_linear(cls, linear, floor=1e-6, input_shift=0.1, beta=_POS_INF):
        """Paper E's conversion of a trained ``torch.nn.Linear``."""
        w = linear.weight.detach()
        m = cls(linear.in_features, linear.out_features,
                bias=linear.bias is not None, input_shift=input_shift,
                beta=beta, device=w.device, dtype=w.dtype)
        with torch.no_grad():
            m.weight_pos.copy_(torch.log(torch.clamp(w, min=floor)))
            m.weight_neg.copy_(torch.log(torch.clamp(-w, min=floor)))
            if linear.bias is not None:
                m.bias.copy_(linear.bias.detach())
        return m

    def forward(self, x):
        return bipolar_linear(x, self.weight_pos, self.weight_neg, self.bias,
                              self.input_shift, self.beta)

    def _trop_lower(self, ex, node):
        """Export hook (trop.export): the BM layer (``_lower_bipolar``) on
        the poles transposed to in × out, the bias broadcast as the
        destination."""
        x = ex.val(node.args[0], node.target)
        x2, back = ex.rows(x, f"BipolarLinear at '{node.target}'")
        vp = ex.param(self.weight_pos, f"{node.target}.weight_pos (transposed)",
                      lambda t: t.t().contiguous())
        vn = ex.param(self.weight_neg, f"{node.target}.weight_neg (transposed)",
                      lambda t: t.t().contiguous())
        init = ex.bias_or_fill(self.bias, (x2.shape[0], self.out_features), 1,
                               0.0, f"{node.target}.bias")
        name = _lower_bipolar(ex, x2, vp, vn, init, self.out_features,
                              self.input_shift, self.beta,
                              f"{node.target}: BipolarLinear({x2.shape[1]}, "
                              f"{self.out_features})")
        return back(name, self.out_features)

    def extra_repr(self):
        return (f"in_features={self.in_features}, "
                f"out_features={self.out_features}, "
                f"bias={self.bias is not None}, "
                f"input_shift={self.input_shift}, beta={self.beta}")


def _lower_bipolar(ex, x2, vp, vn, init, n, input_shift, beta, comment):
    """Emits the BM layer on the (rows, K) export value ``x2``, the K × n
    pole constants ``vp``, ``vn`` and the destination ``init`` (the bias);
    returns the (rows, n) result's name. ``beta = inf``: one
    ``trop.bipolar_matmul``. Finite ``beta``: the poles of the input
    (``ln(max(±x, input_shift))``, one linalg.generic each), four
    ``trop.lse_matmul {beta}`` from −∞ and ``init + e₁ − e₂ − e₃ + e₄``
    (docs/bipolar.md, "Finite β")."""
    from .export._core import _float_bits, _ttype
    rows, k = x2.shape
    elt = x2.elt
    a_ty, w_ty, c_ty = (_ttype((rows, k), elt), _ttype((k, n), elt),
                        _ttype((rows, n), elt))
    ex.b.emit(f"// {comment}" + ("" if beta == _POS_INF else
                                 f", log-sum-exp beta = {beta!r}"))
    if beta == _POS_INF:
        name = ex.b.fresh("bm")
        ex.b.emit(f"{name} = trop.bipolar_matmul {{input_shift = "
                  f"{input_shift!r} : f64}} ins({x2.name}, {vp}, {vn} : "
                  f"{a_ty}, {w_ty}, {w_ty}) outs({init} : {c_ty}) -> {c_ty}")
        return name

    def pole(sign):
        def body(a, emit):
            emit(f"%bp_s = arith.constant {_float_bits(input_shift, elt)} : {elt}")
            v = a[0]
            if sign < 0:
                emit(f"%bp_n = arith.negf {v} : {elt}")
                v = "%bp_n"
            emit(f"%bp_m = arith.maximumf {v}, %bp_s : {elt}")
            emit(f"%bp_l = math.log %bp_m : {elt}")
            return "%bp_l"
        return ex.b.generic([(x2.name, a_ty, [0, 1])], (rows, k), elt, body,
                            f"L{'+' if sign > 0 else '-'} = "
                            f"ln(max({'+' if sign > 0 else '-'}x, "
                            f"{input_shift!r}))")

    lp, ln = pole(1), pole(-1)
    terms = []
    for lhs, rhs in ((lp, vp), (lp, vn), (ln, vp), (ln, vn)):
        fill = ex.b.fill(float("-inf"), (rows, n), elt)
        name = ex.b.fresh("lse")
        ex.b.emit(f"{name} = trop.lse_matmul {{beta = {beta!r} : f64}} "
                  f"ins({lhs}, {rhs} : {a_ty}, {w_ty}) outs({fill} : {c_ty}) "
                  f"-> {c_ty}")
        terms.append((name, c_ty, [0, 1]))

    def combine(a, emit):
        for i in range(1, 5):
            emit(f"%bp_e{i} = math.exp {a[i]} : {elt}")
        # PyTorch's order: ((e1 - e2) - e3) + e4, then the bias.
        emit(f"%bp_t1 = arith.subf %bp_e1, %bp_e2 : {elt}")
        emit(f"%bp_t2 = arith.subf %bp_t1, %bp_e3 : {elt}")
        emit(f"%bp_t3 = arith.addf %bp_t2, %bp_e4 : {elt}")
        emit(f"%bp_y = arith.addf %bp_t3, {a[0]} : {elt}")
        return "%bp_y"
    return ex.b.generic([(init, c_ty, [0, 1])] + terms, (rows, n), elt,
                        combine, "e1 - e2 - e3 + e4 + bias")


class BipolarConv2d(nn.Module):
    """Bipolar morphological 2-D convolution (paper E): ``BipolarLinear`` on
    the input's windows (``F.unfold``: zero padding, strides, dilations).

    Parameters: the log-weight poles ``weight_pos`` = V⁺ and ``weight_neg``
    = V⁻ of shape ``(out_channels, in_channels, kh, kw)`` and a bias;
    ``input_shift`` and the LSE temperature ``beta`` as in ``BipolarLinear``.
    ``BipolarConv2d.from_conv(conv)`` converts a trained ``nn.Conv2d``
    (``groups = 1``, zero padding) as ``--trop-linear-to-bipolar`` does.
    Exports as im2col + ``trop.bipolar_matmul`` (``beta = inf``) or the
    four ``trop.lse_matmul`` of a finite ``beta``."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, dilation=1, bias=True, input_shift=0.1,
                 beta=_POS_INF, device=None, dtype=None):
        super().__init__()
        pair = nn.modules.utils._pair
        self.in_channels, self.out_channels = in_channels, out_channels
        self.kernel_size, self.stride = pair(kernel_size), pair(stride)
        self.padding, self.dilation = pair(padding), pair(dilation)
        k = in_channels * self.kernel_size[0] * self.kernel_size[1]
        self.linear = BipolarLinear(k, out_channels, bias, input_shift, beta,
                                    device, dtype)

    @property
    def beta(self):
        return self.linear.beta

    @beta.setter
    def beta(self, value):
        self.linear.beta = float(value)

    @classmethod
    def from_conv(cls, conv, floor=1e-6, input_shift=0.1, beta=_POS_INF):
        """Paper E's conversion of a trained ``torch.nn.Conv2d``."""
        if conv.groups != 1 or conv.padding_mode != "zeros" or \
                isinstance(conv.padding, str):
            raise ValueError("BipolarConv2d.from_conv needs groups=1, "
                             "padding_mode='zeros' and numeric padding")
        w = conv.weight.detach()
        m = cls(conv.in_channels, conv.out_channels, conv.kernel_size,
                conv.stride, conv.padding, conv.dilation,
                conv.bias is not None, input_shift, beta, w.device, w.dtype)
        lin = nn.Linear(m.linear.in_features, conv.out_channels,
                        bias=conv.bias is not None, device=w.device,
                        dtype=w.dtype)
        with torch.no_grad():
            lin.weight.copy_(w.reshape(conv.out_channels, -1))
            if conv.bias is not None:
                lin.bias.copy_(conv.bias.detach())
        m.linear = BipolarLinear.from_linear(lin, floor, input_shift, beta)
        return m

    def forward(self, x):
        n, _, h, w = x.shape
        kh, kw = self.kernel_size
        oh = (h + 2 * self.padding[0] - self.dilation[0] * (kh - 1) - 1) \
            // self.stride[0] + 1
        ow = (w + 2 * self.padding[1] - self.dilation[1] * (kw - 1) - 1) \
            // self.stride[1] + 1
        cols = F.unfold(x, self.kernel_size, self.dilation, self.padding,
                        self.stride).transpose(1, 2)
        y = self.linear(cols)  # (N, OH·OW, F)
        return y.transpose(1, 2).reshape(n, self.out_channels, oh, ow)

    def _trop_lower(self, ex, node):
        """Export hook: zero padding (tensor.pad), im2col (a linalg.generic
        copying the windows in NHWC order, collapsed to (N·OH·OW) ×
        (KH·KW·C)), the BM layer on the poles read as (KH·KW·C) × F, and the
        result expanded to N × OH × OW × F (NHWC)."""
        from .export._core import _Val, _ttype, pad_nhwc
        what = f"BipolarConv2d at '{node.target}'"
        x = ex.val(node.args[0], node.target)
        pads, oh, ow = ex.conv_geometry(x, self.kernel_size, self.stride,
                                        self.padding, self.dilation, what)
        xin = ex.nhwc(x, what)
        if any(pads):
            xin = pad_nhwc(ex, xin, pads, 0.0)
        n, c = x.shape[0], x.shape[1]
        (kh, kw), (sh, sw) = self.kernel_size, self.stride
        dh, dw = self.dilation
        elt, f = x.elt, self.out_channels
        win = (n, oh, ow, kh, kw, c)
        name = ex.b.generic_full(
            6, [(xin.name, xin.type, elt,
                 ["d0", f"d1 * {sh} + d3 * {dh}", f"d2 * {sw} + d4 * {dw}",
                  "d5"])], win, elt, [f"d{i}" for i in range(6)],
            lambda a, emit: a[0], comment=f"{node.target}: im2col")
        cols = ex._collapse(_Val(name, win, elt), [[0, 1, 2], [3, 4, 5]],
                            (n * oh * ow, kh * kw * c))

        def poles(t):  # (F, C, KH, KW) -> (KH·KW·C, F)
            return t.permute(2, 3, 1, 0).reshape(kh * kw * c, f).contiguous()
        lin = self.linear
        vp = ex.param(lin.weight_pos, f"{node.target}.weight_pos "
                      f"(as KH·KW·C x F)", lambda t: poles(t.reshape(
                          f, c, kh, kw)))
        vn = ex.param(lin.weight_neg, f"{node.target}.weight_neg "
                      f"(as KH·KW·C x F)", lambda t: poles(t.reshape(
                          f, c, kh, kw)))
        init = ex.bias_or_fill(lin.bias, (n * oh * ow, f), 1, 0.0,
                               f"{node.target}.bias")
        y = _lower_bipolar(ex, cols, vp, vn, init, f, lin.input_shift,
                           lin.beta, f"{node.target}: BipolarConv2d({c}, {f}, "
                           f"{self.kernel_size})")
        out = ex._expand(_Val(y, (n * oh * ow, f), elt), [[0, 1, 2], [3]],
                         (n, oh, ow, f))
        return _Val(out.name, (n, f, oh, ow), elt, (0, 2, 3, 1))

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, "
                f"kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation}, "
                f"input_shift={self.linear.input_shift}, beta={self.beta}")


# ---------------------------------------------------------------------------
# Paper C, completed: the dilation–erosion perceptron (docs/paper-c.md)
# ---------------------------------------------------------------------------

__all__ += ["DEP", "DEPConv2d", "dep_combine"]


def dep_combine(hi, lo, lam, empty_rows="nan"):
    """Paper C's DEP combination ``λ·hi + (1 − λ)·lo`` with
    ``λ = clamp(lam, 0, 1)`` per output feature (the last dimension of
    ``hi`` and ``lo``, or dimension 1 of NCHW outputs when ``lam`` is
    shaped (F, 1, 1)), each product and the sum rounded once, in this order
    (what the compiled layer computes). ``empty_rows``: see
    :class:`MaxPlusMin` (λ·(−∞) + (1 − λ)·(+∞) is NaN too)."""
    lam = lam.clamp(0, 1)
    return _empty_rows(hi, lo, lam * hi + (1 - lam) * lo, empty_rows)


class _DEPBase(nn.Module):
    """What DEP and DEPConv2d share: the two weights' biases, λ and the
    empty-row rule."""

    def _init_dep(self, weight_shape, out, bias, lam, learn_lambda, empty_rows,
                  factory):
        self.empty_rows = _check_empty_rows(empty_rows)
        self.weight = nn.Parameter(torch.empty(*weight_shape, **factory))
        self.weight2 = nn.Parameter(torch.empty(*weight_shape, **factory))
        if bias:
            self.bias = nn.Parameter(torch.empty(out, **factory))
            self.bias2 = nn.Parameter(torch.empty(out, **factory))
        else:
            self.register_parameter("bias", None)
            self.register_parameter("bias2", None)
        init = torch.full((out,), float(lam), **factory)
        if learn_lambda:
            self.lam = nn.Parameter(init)
        else:
            self.register_buffer("lam", init)
        self.reset_parameters()

    def reset_parameters(self):
        with torch.no_grad():
            for p in (self.weight, self.weight2, self.bias, self.bias2):
                if p is not None:
                    p.normal_()


class DEP(_DEPBase):
    """Paper C's dilation–erosion perceptron (seeds-methods §3.2), two
    weights W, W2 of shape (out_features, in_features):

        y_i = λ_i · max(b_i, max_j (x_j + W_ij))
              + (1 − λ_i) · min(b2_i, min_j (x_j + W2_ij)),  λ_i = clamp(l_i, 0, 1)

    ``l`` starts at ``lam`` and is learned (``learn_lambda=True``) or fixed
    (paper C's 1/2, 3/4). Paper C's DEP has no bias (``bias=False``, the
    default). Compiles to one ``trop.dual_conv_2d`` with two filters on the
    rows viewed as 1×1 images (the input is read once for both branches)
    and an elementwise λ-combine."""

    def __init__(self, in_features, out_features, bias=False, lam=0.5,
                 learn_lambda=True, empty_rows="nan", device=None, dtype=None):
        super().__init__()
        if in_features < 1 or out_features < 1:
            raise ValueError("in_features and out_features must be positive")
        self.in_features = in_features
        self.out_features = out_features
        self._init_dep((out_features, in_features), out_features, bias, lam,
                       learn_lambda, empty_rows,
                       {"device": device, "dtype": dtype})

    def forward(self, x):
        hi = max_plus(x, self.weight, self.bias)
        lo = min_plus(x, self.weight2, self.bias2)
        return dep_combine(hi, lo, self.lam, self.empty_rows)

    def _trop_lower(self, ex, node):
        from .export._ops import lower_dep
        return lower_dep(ex, node, self)

    def extra_repr(self):
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}, empty_rows={self.empty_rows!r}")


class DEPConv2d(_DEPBase):
    """The convolutional DEP: ``λ·MorphConv2d_max(x; W) + (1 − λ)·
    MorphConv2d_min(x; W2)`` per output channel (NCHW, weights (F, C, KH,
    KW), each branch padded with its tropical zero; see
    :class:`MorphConv2d`). Compiles to one ``trop.dual_conv_2d`` with two
    filters and an elementwise λ-combine."""

    def __init__(self, in_channels, out_channels, kernel_size, stride=1,
                 padding=0, dilation=1, bias=False, lam=0.5, learn_lambda=True,
                 empty_rows="nan", device=None, dtype=None):
        super().__init__()
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.stride = _pair(stride, "stride")
        self.padding = _pair(padding, "padding")
        self.dilation = _pair(dilation, "dilation")
        self._init_dep((out_channels, in_channels, *self.kernel_size),
                       out_channels, bias, lam, learn_lambda, empty_rows,
                       {"device": device, "dtype": dtype})

    def forward(self, x):
        window = (self.kernel_size, self.stride, self.padding, self.dilation)
        hi = _morph_conv(x, self.weight, self.bias, True, *window)
        lo = _morph_conv(x, self.weight2, self.bias2, False, *window)
        return dep_combine(hi, lo, self.lam.view(-1, 1, 1), self.empty_rows)

    def _trop_lower(self, ex, node):
        from .export._ops import lower_dep
        return lower_dep(ex, node, self)

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={self.padding}, dilation={self.dilation}, "
                f"bias={self.bias is not None}, empty_rows={self.empty_rows!r}")
