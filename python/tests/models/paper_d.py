"""Paper D style: BiSE neurons (softplus weights, replicate-padded conv,
tanh threshold with a learned scale), a LUI (1x1 conv) and a DenseLUI."""

import torch
import torch.nn.functional as F
from torch import nn


class BiSE(nn.Module):
    def __init__(self, channels, kernel_size=3, offset=0.5):
        super().__init__()
        self.channels, self.k, self.offset = channels, kernel_size, offset
        self.weights_param = nn.Parameter(torch.randn(channels, 1, kernel_size, kernel_size))
        self.bias_param = nn.Parameter(torch.randn(channels))
        self.activation_P = nn.Parameter(torch.full((channels,), 2.0))

    @property
    def weight(self):
        return F.softplus(self.weights_param)

    @property
    def bias(self):
        return -F.softplus(self.bias_param) - self.offset

    def forward(self, x):
        p = self.k // 2
        y = F.conv2d(F.pad(x, (p, p, p, p), mode="replicate"), self.weight, self.bias,
                     groups=self.channels)
        return (torch.tanh(self.activation_P.view(1, -1, 1, 1) * y) + 1) / 2


class LUI(nn.Module):
    def __init__(self, c_in, c_out):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 1)

    def forward(self, x):
        w = F.softplus(self.conv.weight)
        return torch.sigmoid(F.conv2d(x, w, self.conv.bias))


class BimonnNet(nn.Module):
    def __init__(self, c=3, n_out=4):
        super().__init__()
        self.bise = BiSE(c)
        self.bise2 = nn.Conv2d(c, c, 3, padding=1, padding_mode="replicate", groups=c)
        self.lui = LUI(c, 2)
        self.dense_w = nn.Parameter(torch.randn(n_out, 2 * 4 * 4))
        self.dense_b = nn.Parameter(torch.randn(n_out))

    def forward(self, x):
        x = self.bise(x)
        x = torch.sigmoid(self.bise2(x))
        x = F.max_pool2d(self.lui(x), 2)
        x = torch.flatten(x, 1)
        return torch.sigmoid(F.linear(x, F.softplus(self.dense_w), self.dense_b))


CASES = [
    ("D-bimonn", BimonnNet, lambda: (torch.rand(3, 3, 8, 8) > 0.5).float(), {},
     ["trop.depthwise_conv_2d <max_plus>"], []),
]
