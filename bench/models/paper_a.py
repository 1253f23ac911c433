"""Paper A's CIFAR-10 CNN (seeds-methods.md §1.2): five blocks of
[conv 3×3 → BatchNorm2d → ReLU → MaxPool2d(2)] with 128, 128, 256, 256, 256
channels on 32 × 32 × 3 inputs, a global max pool, then one of the heads
(forward: dense1 → bn → activation slot → dropout → dense2, 256 → 512 → 10):

=================  =========================================================
``relu``           Linear(bias) → BN1d → ReLU → Dropout(0.5) → Linear
``maxout``         Maxout(k=2: Linear(256 → 2·512) → BN per piece → max)
                   → Dropout(0.5) → Linear
``dense-morph``    Linear(no bias) → BN1d → MaxPlus(512 → 512, N(0,1))
                   → Linear  (paper A's ``lmpl``/``lmplbn`` on CIFAR)
``sparse-morph``   Linear(no bias) → BN1d → MaxPlus(512 → 512, about
                   2 finite weights per neuron) → Linear  (``lmpl2``)
=================  =========================================================

The morphological layers are trop.nn's (``MaxPlus``, ``Maxout``), whose
eager forward is paper A's broadcast-and-max. The sparse init keeps each
weight with probability 2/512 (K = 2·n_hid = 1024 over 512 × 512) and sets the
others to −∞ (paper A used −1e9 as −∞). BatchNorm statistics are random
(as after training) so that BN is not the identity. `scale` divides the
channel counts and `size` sets the input's side (the quick mode's small
network); the defaults are the paper's.
"""

from collections import OrderedDict

import torch
from torch import nn

import trop.nn as tnn

HEADS = ("relu", "maxout", "dense-morph", "sparse-morph")


class Head(nn.Module):
    def __init__(self, method, n_in=256, n_hid=512, n_out=10):
        super().__init__()
        if method not in HEADS:
            raise ValueError(f"head must be one of {HEADS}, got {method!r}")
        self.method = method
        layers = []
        if method == "maxout":
            # k = 2 pieces per unit, one BatchNorm per piece: one BN1d over
            # the 2·n_hid channels, pieces of unit i in channels 2i, 2i+1.
            layers += [("dense1", nn.Linear(n_in, 2 * n_hid)),
                       ("bn", nn.BatchNorm1d(2 * n_hid)),
                       ("maxout", tnn.Maxout(2))]
        else:
            layers += [("dense1", nn.Linear(n_in, n_hid, bias=method == "relu")),
                       ("bn", nn.BatchNorm1d(n_hid))]
            if method == "relu":
                layers.append(("relu", nn.ReLU()))
            else:
                init = "sparse" if method == "sparse-morph" else "dense"
                layers.append(("morph", tnn.MaxPlus(n_hid, n_hid, init=init)))
        if method in ("relu", "maxout"):
            layers.append(("dropout", nn.Dropout(0.5)))
        layers.append(("dense2", nn.Linear(n_hid, n_out)))
        self.layers = nn.Sequential(OrderedDict(layers))

    def forward(self, x):
        return self.layers(x)


class GlobalMaxPool(nn.Module):
    def forward(self, x):
        return torch.amax(x, dim=(2, 3))


class CifarCNN(nn.Module):
    def __init__(self, head="relu", channels=(128, 128, 256, 256, 256),
                 n_hid=512, n_out=10, in_channels=3):
        super().__init__()
        layers, c_in = [], in_channels
        for i, c in enumerate(channels, 1):
            layers += [(f"conv{i}", nn.Conv2d(c_in, c, 3, padding=1)),
                       (f"bn{i}", nn.BatchNorm2d(c)), (f"relu{i}", nn.ReLU()),
                       (f"pool{i}", nn.MaxPool2d(2))]
            c_in = c
        layers.append(("gmp", GlobalMaxPool()))
        self.features = nn.Sequential(OrderedDict(layers))
        self.head = Head(head, c_in, n_hid, n_out)

    def forward(self, x):
        return self.head(self.features(x))


def randomize_batchnorm(model):
    """Running statistics and affine parameters as after training, so that
    BatchNorm is not the identity."""
    gen = torch.Generator().manual_seed(1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
                n = m.num_features
                m.running_var.copy_(torch.rand(n, generator=gen) * 1.5 + 0.5)
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                m.weight.copy_(torch.rand(n, generator=gen) + 0.5)
                m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
    return model


def cifar_cnn(head, scale=1, n_hid=512):
    """Paper A's network with `head`, channels divided by `scale`."""
    channels = tuple(c // scale for c in (128, 128, 256, 256, 256))
    return randomize_batchnorm(CifarCNN(head, channels, n_hid // scale)).eval()
