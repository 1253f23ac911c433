"""Paper A style: a conv backbone with a hybrid head (maxout, dense or
sparse max-plus between two linear layers)."""

import torch
import torch.nn.functional as F
from torch import nn


class MaxPlus(nn.Module):
    """y_i = max(b_i, max_j x_j + W_ij), written as broadcast + cat + max."""

    def __init__(self, in_features, out_features, bias=True, init=None):
        super().__init__()
        weight = torch.randn(out_features, in_features)
        if init is not None:  # sparse: about `init` finite weights in all
            keep = torch.rand(out_features, in_features) < init / weight.numel()
            weight = weight - 1e9 * (~keep).float()
        self.weight = nn.Parameter(weight)
        self.bias = nn.Parameter(torch.randn(out_features)) if bias else None

    def forward(self, x):
        x = x.unsqueeze(1) + self.weight
        if self.bias is not None:
            b = self.bias.unsqueeze(0).unsqueeze(2).repeat(x.size(0), 1, 1)
            x = torch.cat([x, b], dim=2)
        values, indices = torch.max(x, dim=2)
        return values


class Maxout(nn.Module):
    """k linear pieces, a BatchNorm each, max over the pieces."""

    def __init__(self, in_features, out_features, pool_size=2):
        super().__init__()
        self.out_features, self.pool_size = out_features, pool_size
        self.lin = nn.Linear(in_features, out_features * pool_size)
        self.bns = nn.ModuleList([nn.BatchNorm1d(out_features) for _ in range(pool_size)])

    def forward(self, x):
        z = self.lin(x).view(x.size(0), self.out_features, self.pool_size)
        pieces = [self.bns[i](z[:, :, i]) for i in range(len(self.bns))]
        return torch.stack(pieces, dim=2).max(dim=2)[0]


class Head(nn.Module):
    def __init__(self, method, n_in, n_hid, n_out):
        super().__init__()
        self.method = method
        if method == "maxout":
            self.dense1 = Maxout(n_in, n_hid)
            self.bn = None
        else:
            self.dense1 = nn.Linear(n_in, n_hid, bias=False)
            self.bn = nn.BatchNorm1d(n_hid)
        self.morph = None
        if method == "lmpl":
            self.morph = MaxPlus(n_hid, n_hid)
        elif method == "lmpl2":
            self.morph = MaxPlus(n_hid, n_hid, init=2 * n_hid)
        self.dropout = nn.Dropout(0.5)
        self.dense2 = nn.Linear(n_hid, n_out)

    def forward(self, x):
        x = self.dense1(x)
        if self.bn is not None:
            x = self.bn(x)
        if self.morph is not None:
            x = self.morph(x)
        elif self.method == "relu":
            x = F.relu(x)
        x = self.dropout(x)
        return self.dense2(x)


class CifarNet(nn.Module):
    """Blocks of conv3x3 -> BN -> ReLU -> maxpool2, global max pool, head."""

    def __init__(self, method="lmpl2", channels=(8, 8, 16), n_hid=32, n_out=10):
        super().__init__()
        layers, c_in = [], 3
        for c in channels:
            layers += [nn.Conv2d(c_in, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(),
                       nn.MaxPool2d(2)]
            c_in = c
        self.features = nn.Sequential(*layers)
        self.head = Head(method, c_in, n_hid, n_out)

    def forward(self, x):
        x = self.features(x)
        x = torch.amax(x, dim=(2, 3))  # global max pool
        if len(x.shape) != 2:
            x = x.view(x.size(0), -1)
        return self.head(x)


def _trained(model):
    """Non-trivial BatchNorm statistics, as after training."""
    norms = [m for m in model.modules() if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d))]
    with torch.no_grad():
        for m in norms:
            m.running_var.uniform_(0.5, 2.0)
            for t in (m.running_mean, m.weight, m.bias):
                t.normal_()
    return model


CASES = [
    ("A-cifar-sparse-morph", lambda: _trained(CifarNet("lmpl2")),
     lambda: torch.randn(4, 3, 16, 16), {}, ["trop.matmul <max_plus>", "trop.depthwise_conv_2d"],
     [(lambda m: m.head.morph, lambda: torch.randn(4, 32))]),
    ("A-cifar-dense-morph", lambda: _trained(CifarNet("lmpl")),
     lambda: torch.randn(2, 3, 16, 16), {}, ["trop.matmul <max_plus>"],
     [(lambda m: m.head.morph, lambda: torch.randn(2, 32))]),
    ("A-head-maxout", lambda: _trained(Head("maxout", 16, 12, 5)),
     lambda: torch.randn(6, 16), {}, ["trop.maxout group_size = 2"], []),
]
