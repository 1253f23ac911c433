"""Paper C's MPM-ResNet-20 (seeds-methods.md §3.2): ResNet-20's 3 × 3
layout (a stem, then 3 stages of 3 basic blocks with 16, 32, 64 channels on
32 × 32 × 3 inputs) where every convolution is a morphological
``MorphConv2d`` (max-plus-min: the average of the max-plus and the min-plus
branch with one shared kernel, no bias) followed by a ``ConvLinAct`` (a
depthwise 3 × 3 linear convolution, initialised to the identity); a
residual add closes each block; no BatchNorm, no ReLU; MaxPool2d(2) between
the stages instead of strided convolutions; a global average pool; then
Linear(64 → 10).

Where §3.2 is silent, the choices are ResNet-20's (He et al. 2016, CIFAR
variant): the stem is a convolution like the others (MPM + ConvLinAct,
3 → 16 channels), and the first block of a stage that widens the channels
has the "option A" shortcut: the input padded with zero channels. The
MorphConv2d padding is 1 with the tropical zero of each branch (trop.nn's
MorphConv2d), so padding never wins a max or a min.

``ConvLinAct`` is written as the depthwise convolution it is
(``groups=channels``); paper C's code builds the same map as a full
convolution whose weight is ``diag_embed`` of the taps, which costs
``channels`` times the work in PyTorch eager: the depthwise form is the
fair baseline.
"""

from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

import trop.nn as tnn


class ConvLinAct(nn.Module):
    """y[n, c] = Σ_{u,v} a[c, u, v] · xp[n, c, i+u, j+v] (zero padding 1)."""

    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1, groups=channels,
                              bias=False)
        with torch.no_grad():
            self.conv.weight.normal_(0.0, 0.1)
            self.conv.weight[:, 0, 1, 1] += 1.0  # identity at the centre tap

    def forward(self, x):
        return self.conv(x)


class MPMConv(nn.Module):
    """MorphConv2d (max-plus-min average, 3 × 3, padding 1) → ConvLinAct."""

    def __init__(self, c_in, c_out):
        super().__init__()
        self.morph = tnn.MorphConv2d(c_in, c_out, 3, padding=1,
                                     semiring="max_plus_min")
        self.act = ConvLinAct(c_out)

    def forward(self, x):
        return self.act(self.morph(x))


class BasicBlock(nn.Module):
    """x + MPMConv(MPMConv(x)); a widening block pads x with zero channels."""

    def __init__(self, c_in, c_out):
        super().__init__()
        self.c_in, self.c_out = c_in, c_out
        self.conv1 = MPMConv(c_in, c_out)
        self.conv2 = MPMConv(c_out, c_out)

    def forward(self, x):
        y = self.conv2(self.conv1(x))
        if self.c_out != self.c_in:
            x = F.pad(x, (0, 0, 0, 0, 0, self.c_out - self.c_in))
        return x + y


class GlobalAvgPool(nn.Module):
    def forward(self, x):
        return F.adaptive_avg_pool2d(x, 1).flatten(1)


class MPMResNet20(nn.Module):
    def __init__(self, widths=(16, 32, 64), blocks=3, n_out=10):
        super().__init__()
        layers = [("stem", MPMConv(3, widths[0]))]
        c = widths[0]
        for s, w in enumerate(widths, 1):
            if s > 1:
                layers.append((f"pool{s - 1}", nn.MaxPool2d(2)))
            for b in range(1, blocks + 1):
                layers.append((f"stage{s}_block{b}", BasicBlock(c, w)))
                c = w
        layers.append(("gap", GlobalAvgPool()))
        layers.append(("fc", nn.Linear(c, n_out)))
        self.layers = nn.Sequential(OrderedDict(layers))

    def forward(self, x):
        return self.layers(x)


def mpm_resnet20(scale=1, blocks=3):
    """The network with widths divided by `scale` and `blocks` per stage."""
    torch.manual_seed(0)
    return MPMResNet20(tuple(w // scale for w in (16, 32, 64)), blocks).eval()
