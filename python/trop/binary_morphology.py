"""Exact binarized morphological layers (paper D): BiSE, LUI, BiSEL, DenseLUI.

A BiSE ("binary structuring element") neuron is a convolution with
non-negative weights followed by a smooth threshold::

    y = ξ(P · ((W ⊛ x) + b)),   W = softplus(Θ) ≥ 0,   ξ(t) = (tanh t + 1) / 2

(``⊛`` is cross-correlation with 'same' replicate padding, ``P`` a learnable
per-channel scale). On binary inputs, when its weights and bias satisfy the
paper's *activation* inequalities, the neuron thresholded at 1/2 **is** a
binary dilation (OR over a structuring element S) or erosion (AND over S)::

    dilation by S  ⇔  Σ_{k∉S} w_k  <  β  <  min_{k∈S} w_k          (β = −b)
    erosion  by S  ⇔  Σ_k w_k − min_{k∈S} w_k  <  β  <  Σ_{k∈S} w_k

and binarization replaces it exactly by ``1[P · (S ⊛ x + b_op) > 0]`` with
``b_dil = −1/2`` and ``b_ero = −|S| + 1/2`` (a negative P complements).
:func:`find_structuring_element` decides this per output channel, for binary
inputs or for "almost binary" inputs in ``[0, v1] ∪ [v2, 1]``. A neuron that
is not activated has no exact binary form; on request it is *projected*
(approximate by name): onto the nearest constant set ``{θ·1_S}`` or by the
Ternary-Weight-Network thresholds, and the projection distance is reported.

Layers (../shared/research/seeds-methods.md §4.2):

==================  =========================================================
``BiSE``            the neuron above, as a (grouped) convolution
``LUI``             a BiSE with a 1×1 kernel across channels: a learnable
                    union (OR) or intersection (AND) of a subset of channels
``BiSEL``           depthwise BiSEs (C_in · C_out maps), then a LUI per
                    output channel merging its C_in maps
``DenseLUI``        a LUI on a flattened vector (a fully connected binary
                    threshold layer)
``LevelSets``       grayscale → binary channels ``x ≥ t`` at given thresholds
==================  =========================================================

Each layer computes its float (training) forward by default and its binary
(inference) forward once ``binary = True`` (or through ``forward_binary``).
Choices where the paper's code leaves room are in docs/binary-morphology.md.
"""

import math
from typing import NamedTuple

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "BiSE", "LUI", "BiSEL", "DenseLUI", "LevelSets", "Binarization",
    "find_structuring_element", "THRESHOLD_FUNCTIONS", "PROJECTIONS",
]

#: ξ: the smooth thresholds the paper's code offers, each mapping 0 to 1/2.
THRESHOLD_FUNCTIONS = {
    "tanh": lambda t: (torch.tanh(t) + 1) / 2,
    "sigmoid": torch.sigmoid,
    "arctan": lambda t: torch.atan(t) / math.pi + 0.5,
    "erf": lambda t: (torch.erf(t) + 1) / 2,
}

#: What to do with a neuron that is not activated: leave it without a binary
#: form (``None``), or project it (approximate).
PROJECTIONS = (None, "constant", "twn-uniform", "twn-normal")

_BIAS_MODES = ("positive", "raw", "reparametrized")


class Binarization(NamedTuple):
    """How one BiSE output channel binarizes.

    operation  ``"dilation"`` (OR over S) or ``"erosion"`` (AND over S), or
               ``None`` when the neuron is not activated and no projection
               was asked for.
    selem      boolean tensor of the weight's shape: the structuring element
               S (None with ``operation``).
    exact      True when the activation inequalities hold: the binary layer
               then computes exactly the thresholded float layer on every
               input in the given bounds.
    distance   0 when exact; for a projection, the squared distance from W
               to the constant set of S, Σ w² − (Σ_{k∈S} w)² / |S|.
    """
    operation: object
    selem: object
    exact: bool
    distance: float


def _activated(w, beta, selem, operation, v1, v2):
    """The paper's inequalities (weights of either sign, inputs in
    [0, v1] ∪ [v2, 1]); strict, as in the paper."""
    pos = w > 0
    in_s = selem
    min_s = w[in_s].min().item() if in_s.any() else math.inf
    sum_neg = w[~pos].sum().item()
    if operation == "dilation":
        lo = w[~in_s & pos].sum().item() + v1 * w[in_s & pos].sum().item()
        hi = v2 * min_s + sum_neg
    else:
        lo = w[pos].sum().item() - (1 - v1) * min_s
        hi = v2 * w[in_s & pos].sum().item() + sum_neg
    return lo < beta < hi


def _constant_set_distance(w, selem):
    """Squared distance from w to {θ·1_S, θ > 0} (S non-empty)."""
    n = int(selem.sum())
    if n == 0:
        return float((w * w).sum())
    return float((w * w).sum() - w[selem].sum() ** 2 / n)


def _project(w, projection):
    flat = w.flatten()
    if projection == "constant":
        # The best S of each size j holds the j largest weights; the best j
        # maximises (Σ_{i≤j} w_(i)) / √j (paper D, §4.2 (a)).
        order = torch.argsort(flat, descending=True, stable=True)
        scores = torch.cumsum(flat[order], 0) / torch.sqrt(
            torch.arange(1, flat.numel() + 1, dtype=flat.dtype))
        j = int(torch.argmax(scores)) + 1
        selem = torch.zeros_like(flat, dtype=torch.bool)
        selem[order[:j]] = True
    else:
        factor = 2 / 3 if projection == "twn-uniform" else 3 / 4
        selem = flat >= factor * flat.mean()
    return selem.reshape(w.shape)


def find_structuring_element(weight, bias, *, v1=0.0, v2=1.0, projection=None):
    """Decides whether one BiSE output channel (``weight`` of any shape, the
    scalar ``bias`` b) is a dilation or an erosion, and by which S.

    The operation is a dilation when β = −b ≤ Σw / 2, else an erosion; S is
    {w ≥ β / v2} or {w ≥ (Σw − β) / (1 − v1)}, then the activation
    inequalities are checked. ``v1``/``v2`` bound "almost binary" inputs
    (``[0, v1] ∪ [v2, 1]``; 0 and 1 for binary inputs). ``projection``
    (one of :data:`PROJECTIONS`) says what to do when they fail.
    """
    if projection not in PROJECTIONS:
        raise ValueError(f"projection must be one of {PROJECTIONS}, got {projection!r}")
    if not (0.0 <= v1 < v2 <= 1.0):
        raise ValueError(f"expected 0 <= v1 < v2 <= 1, got v1={v1}, v2={v2}")
    w = torch.as_tensor(weight, dtype=torch.float64).detach()
    beta = -float(bias)
    total = float(w.sum())
    operation = "dilation" if beta <= total / 2 else "erosion"
    if operation == "dilation":
        selem = w >= beta / v2
    else:
        selem = w >= (total - beta) / (1 - v1)
    if _activated(w, beta, selem, operation, v1, v2):
        return Binarization(operation, selem, True, 0.0)
    if projection is None:
        return Binarization(None, None, False, math.nan)
    selem = _project(w, projection)
    return Binarization(operation, selem, False, _constant_set_distance(w, selem))


def _same_replicate_padding(kh, kw):
    """F.pad's (left, right, top, bottom) for a 'same' output, as PyTorch's
    padding='same' splits an even kernel's padding (the extra row/column
    after)."""
    top, left = (kh - 1) // 2, (kw - 1) // 2
    return (left, kw - 1 - left, top, kh - 1 - top)


class BiSE(nn.Module):
    """BiSE neurons as a (grouped) convolution: ``out_channels`` neurons,
    each over ``in_channels / groups`` input channels and a ``kernel_size``
    window, 'same' output size with replicate padding.

    threshold   ξ, a key of :data:`THRESHOLD_FUNCTIONS` (default ``"tanh"``).
    bias_mode   ``"positive"``: b = −softplus(θ) − offset (default, offset
                0.5; the paper's MNIST configs use 0); ``"raw"``: b = θ;
                ``"reparametrized"``: b = −clamp(softplus(θ), b_min, b_max)
                with b_min = (w_min + w_2nd-min) / 2 and b_max = Σw − w_min / 2
                per neuron.
    binary      when True, ``forward`` is the binary inference forward
                (set by :meth:`binarize`).
    """

    def __init__(self, in_channels, out_channels, kernel_size, *, groups=1,
                 threshold="tanh", bias_mode="positive", offset=0.5,
                 init_scale=1.0):
        super().__init__()
        if threshold not in THRESHOLD_FUNCTIONS:
            raise ValueError(f"threshold must be one of {sorted(THRESHOLD_FUNCTIONS)}, "
                             f"got {threshold!r}")
        if bias_mode not in _BIAS_MODES:
            raise ValueError(f"bias_mode must be one of {_BIAS_MODES}, got {bias_mode!r}")
        if in_channels % groups or out_channels % groups:
            raise ValueError(f"in_channels ({in_channels}) and out_channels "
                             f"({out_channels}) must be multiples of groups ({groups})")
        kh, kw = (kernel_size, kernel_size) if isinstance(kernel_size, int) else kernel_size
        self.in_channels, self.out_channels, self.groups = in_channels, out_channels, groups
        self.kernel_size = (kh, kw)
        self.threshold, self.bias_mode, self.offset = threshold, bias_mode, offset
        self.weight_param = nn.Parameter(
            torch.randn(out_channels, in_channels // groups, kh, kw) * 0.5)
        self.bias_param = nn.Parameter(torch.zeros(out_channels))
        self.scale = nn.Parameter(torch.full((out_channels,), float(init_scale)))
        self.binary = False
        self.binarizations = None

    @property
    def weight(self):
        """W = softplus(Θ) ≥ 0, shape (out, in / groups, kh, kw)."""
        return F.softplus(self.weight_param)

    @property
    def bias(self):
        """b, one per neuron, by ``bias_mode``."""
        theta = self.bias_param
        if self.bias_mode == "raw":
            return theta
        if self.bias_mode == "positive":
            return -F.softplus(theta) - self.offset
        w = self.weight.flatten(1)
        smallest = torch.topk(w, min(2, w.shape[1]), dim=1, largest=False).values
        b_min = smallest.mean(dim=1) if w.shape[1] > 1 else smallest[:, 0] / 2
        b_max = w.sum(dim=1) - smallest[:, 0] / 2
        return -torch.minimum(torch.maximum(F.softplus(theta), b_min), b_max)

    def _pad(self, x):
        return F.pad(x, _same_replicate_padding(*self.kernel_size), mode="replicate")

    def preactivation(self, x):
        """P · ((W ⊛ x) + b): the value ξ is applied to."""
        z = F.conv2d(self._pad(x), self.weight, groups=self.groups)
        z = z + self.bias.view(1, -1, 1, 1)
        return self.scale.view(1, -1, 1, 1) * z

    def forward_float(self, x):
        return THRESHOLD_FUNCTIONS[self.threshold](self.preactivation(x))

    def forward(self, x):
        return self.forward_binary(x) if self.binary else self.forward_float(x)

    def binarize(self, *, v1=0.0, v2=1.0, projection=None):
        """Finds each neuron's operation and S (see
        :func:`find_structuring_element`), switches to the binary forward, and
        returns the list of :class:`Binarization`, one per output channel.
        Raises ValueError if a neuron has no binary form (not activated and
        no ``projection``)."""
        weight, bias = self.weight.detach(), self.bias.detach()
        result = [find_structuring_element(weight[o], bias[o], v1=v1, v2=v2,
                                           projection=projection)
                  for o in range(self.out_channels)]
        left = [o for o, r in enumerate(result) if r.operation is None]
        if left:
            raise ValueError(f"{type(self).__name__}: neurons {left} are not activated; "
                             f"pass projection= to binarize them approximately")
        self.binarizations = result
        self.binary = True
        return result

    def _binary_operands(self, device, dtype):
        selems = torch.stack([r.selem for r in self.binarizations]).to(device, dtype)
        # b_dil = −1/2: some element of S is 1; b_ero = −|S| + 1/2: all are.
        b_op = torch.tensor([-0.5 if r.operation == "dilation" else 0.5 - float(r.selem.sum())
                             for r in self.binarizations], device=device, dtype=dtype)
        return selems, b_op

    def forward_binary(self, x):
        """1[P · (S ⊛ x + b_op) > 0] per neuron, as 0/1 floats; for binary x
        this is the dilation (OR) or erosion (AND) by S, complemented where
        P < 0."""
        if self.binarizations is None:
            raise RuntimeError(f"{type(self).__name__}.binarize() has not been called")
        selems, b_op = self._binary_operands(x.device, x.dtype)
        counts = F.conv2d(self._pad(x), selems, groups=self.groups)
        z = self.scale.detach().view(1, -1, 1, 1) * (counts + b_op.view(1, -1, 1, 1))
        return (z > 0).to(x.dtype)

    def _trop_lower(self, ex, node):
        """Export hook (trop.export): one ``trop.bise`` op."""
        from .export import _paper_d
        return _paper_d.lower_bise(ex, node, self)


class LUI(BiSE):
    """Learnable union/intersection of channels: a BiSE with a 1×1 kernel.
    ``groups`` splits the channels as in ``nn.Conv2d``."""

    def __init__(self, in_channels, out_channels, *, groups=1, **kwargs):
        super().__init__(in_channels, out_channels, 1, groups=groups, **kwargs)


class BiSEL(nn.Module):
    """BiSE layer, C_in → C_out: C_in · C_out depthwise BiSEs (input channel
    i, output o), then per output channel a LUI over its C_in maps:
    y_o = LUI_o({BiSE_{i,o}(x_i)}_i)."""

    def __init__(self, in_channels, out_channels, kernel_size, **kwargs):
        super().__init__()
        self.in_channels, self.out_channels = in_channels, out_channels
        self.bises = BiSE(in_channels, in_channels * out_channels, kernel_size,
                          groups=in_channels, **kwargs)
        self.lui = LUI(in_channels * out_channels, out_channels,
                       groups=out_channels, **kwargs)

    def _regroup(self, z):
        # The depthwise BiSEs give channel i·C_out + o; each LUI group
        # wants its C_in inputs together: channel o·C_in + i.
        n, _, h, w = z.shape
        return (z.view(n, self.in_channels, self.out_channels, h, w)
                .transpose(1, 2).reshape(n, -1, h, w))

    @property
    def binary(self):
        return self.bises.binary and self.lui.binary

    def forward(self, x):
        return self.lui(self._regroup(self.bises(x)))

    def binarize(self, **kwargs):
        """Binarizes the BiSEs and the LUI (see :meth:`BiSE.binarize`);
        returns ``{"bises": [...], "lui": [...]}``."""
        return {"bises": self.bises.binarize(**kwargs), "lui": self.lui.binarize(**kwargs)}


class DenseLUI(BiSE):
    """A LUI on a flattened vector: y_o = ξ(P_o · (Σ_i W_oi x_i + b_o)); in
    binary form 1[Σ_{i∈S_o} x_i ≥ 1] (OR) or 1[Σ_{i∈S_o} x_i ≥ |S_o|] (AND)."""

    def __init__(self, in_features, out_features, **kwargs):
        super().__init__(in_features, out_features, 1, **kwargs)
        self.in_features, self.out_features = in_features, out_features

    def preactivation(self, x):
        z = x @ self.weight.flatten(1).t() + self.bias
        return self.scale * z

    def forward_binary(self, x):
        if self.binarizations is None:
            raise RuntimeError("DenseLUI.binarize() has not been called")
        selems, b_op = self._binary_operands(x.device, x.dtype)
        z = self.scale.detach() * (x @ selems.flatten(1).t() + b_op)
        return (z > 0).to(x.dtype)

    def _trop_lower(self, ex, node):
        """Export hook (trop.export): ``trop.bise`` on an N×1×1×K view."""
        from .export import _paper_d
        return _paper_d.lower_dense_lui(ex, node, self)


class LevelSets(nn.Module):
    """Grayscale to binary channels: channel ``c · T + t`` of the output is
    ``1[x_c ≥ thresholds[t]]`` (paper D's level-set inputs), as 0/1 floats."""

    def __init__(self, thresholds):
        super().__init__()
        t = torch.as_tensor(thresholds, dtype=torch.float32).flatten()
        if t.numel() == 0:
            raise ValueError("LevelSets needs at least one threshold")
        self.register_buffer("thresholds", t)

    def forward(self, x):
        n, c, h, w = x.shape
        t = self.thresholds.to(x.dtype).view(1, 1, -1, 1, 1)
        return (x.unsqueeze(2) >= t).to(x.dtype).reshape(n, c * t.shape[2], h, w)

    def _trop_lower(self, ex, node):
        """Export hook (trop.export): ``trop.level_sets``, bits as 0/1."""
        from .export import _paper_d
        return _paper_d.lower_level_sets(ex, node, self)
