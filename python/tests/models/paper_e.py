"""Paper E style: a bipolar morphological (BM) layer converted from a
trained linear layer: ln on the way in, four max-plus terms, exp out."""

import torch
from torch import nn


class BMLinear(nn.Module):
    def __init__(self, linear, input_shift=0.1):
        super().__init__()
        w = linear.weight.detach()
        self.v_pos = nn.Parameter(torch.log(torch.clamp(w, min=1e-6)))
        self.v_neg = nn.Parameter(torch.log(torch.clamp(-w, min=1e-6)))
        self.bias = nn.Parameter(linear.bias.detach().clone())
        self.input_shift = input_shift

    @staticmethod
    def max_plus(a, v):
        return torch.max(a.unsqueeze(1) + v.unsqueeze(0), dim=2)[0]

    def forward(self, x):
        x_pos = torch.log(torch.clamp(x, min=self.input_shift))
        x_neg = torch.log(torch.clamp(-x, min=self.input_shift))
        y = torch.exp(self.max_plus(x_pos, self.v_pos)) \
            - torch.exp(self.max_plus(x_pos, self.v_neg)) \
            - torch.exp(self.max_plus(x_neg, self.v_pos)) \
            + torch.exp(self.max_plus(x_neg, self.v_neg))
        return y + self.bias


class BMNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(10, 16)
        self.bm = BMLinear(nn.Linear(16, 12))
        self.fc2 = nn.Linear(12, 3)

    def forward(self, x):
        return self.fc2(torch.relu(self.bm(torch.relu(self.fc1(x)))))


class _Pole(nn.Module):
    """One max-plus term of the BM layer, on log-domain input."""

    def __init__(self, bm):
        super().__init__()
        self.bm = bm

    def forward(self, a):
        return BMLinear.max_plus(a, self.bm.v_neg)


CASES = [
    ("E-bm", BMNet, lambda: torch.randn(5, 10), {},
     ["trop.matmul <max_plus>"], [(lambda m: _Pole(m.bm), lambda: torch.randn(5, 16))]),
]
