"""Paper C style: morphological layers (max-plus-min with two biases, DEP),
linear activations, residual blocks, an optional argument, and a
morphological convolution behind a custom autograd Function whose forward
calls a "compiled extension" (numpy here: no tracer can see it), exported
with an eager forward written with F.unfold."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class _Extension:
    """Stands for the CUDA extension: computes outside torch."""

    @staticmethod
    def morph_conv(x, w, b, mode):
        xs, ws = x.detach().numpy(), w.detach().numpy()
        n, c, h, wd = xs.shape
        co, _, k, _ = ws.shape
        oh, ow = h - k + 1, wd - k + 1
        win = np.lib.stride_tricks.sliding_window_view(xs, (k, k), axis=(2, 3))
        z = win[:, None] + ws[None, :, :, None, None]  # n, co, c, oh, ow, k, k
        z = z.transpose(0, 1, 3, 4, 2, 5, 6).reshape(n, co, oh, ow, -1)
        red = z.max(-1) if mode == "max" else z.min(-1)
        bb = b.detach().numpy()[None, :, None, None]
        out = np.maximum(red, bb) if mode == "max" else np.minimum(red, bb)
        return torch.from_numpy(np.ascontiguousarray(out, dtype=np.float32))


class MorphConv2dFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, mode):
        out = _Extension.morph_conv(x, weight, bias, mode)
        ctx.save_for_backward(x, weight)
        return out

    @staticmethod
    def backward(ctx, grad):
        raise NotImplementedError


def morph_conv_unfold(x, weight, bias, mode):
    """The eager CPU forward given to trop.export for the Function."""
    b, _, h, w = x.shape
    c_out, _, k, _ = weight.shape
    patches = F.unfold(x, k)                               # B, C*k*k, L
    z = patches.unsqueeze(1) + weight.view(c_out, -1, 1)   # B, Cout, P, L
    bias = bias.view(1, -1, 1, 1).expand(b, -1, 1, z.size(3))
    z = torch.cat([z, bias], dim=2)
    y = z.max(dim=2)[0] if mode == "max" else z.min(dim=2)[0]
    return y.view(b, c_out, h - k + 1, w - k + 1)


class ConvLinAct(nn.Module):
    """Depthwise 3x3 'linear activation' as a full conv with diag_embed."""

    def __init__(self, c):
        super().__init__()
        a = torch.zeros(3, 3, c)
        a[1, 1] = 1.0
        self.a = nn.Parameter(a + 0.1 * torch.randn(3, 3, c))

    def forward(self, x):
        weight = torch.diag_embed(self.a).permute(2, 3, 0, 1)
        return F.conv2d(x, weight, padding=1)


class MPMConvBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(c, c, 3, 3) - 1)
        self.bias = nn.Parameter(torch.randn(c))
        self.bias2 = nn.Parameter(torch.randn(c))
        self.act = ConvLinAct(c)

    def forward(self, x):
        xp = F.pad(x, (1, 1, 1, 1), mode="replicate")
        hi = MorphConv2dFunction.apply(xp, self.weight, self.bias, "max")
        lo = MorphConv2dFunction.apply(xp, self.weight, self.bias2, "min")
        return x + self.act((hi + lo) / 2)


class MorphConvNet(nn.Module):
    def __init__(self, c=4, n_out=5):
        super().__init__()
        self.stem = nn.Conv2d(1, c, 3, padding=1)
        self.blocks = nn.Sequential(MPMConvBlock(c), nn.MaxPool2d(2), MPMConvBlock(c))
        self.fc = nn.Linear(c, n_out)

    def forward(self, x):
        x = self.blocks(self.stem(x))
        x = F.adaptive_avg_pool2d(x, 1).view(x.size(0), -1)
        return self.fc(x)


class MorphologicalLayer(nn.Module):
    """'max', 'min', 'max-plus-min' (shared W, two biases) or 'dep'."""

    def __init__(self, n_in, n_out, method="max-plus-min", alpha=1.0, beta=0.0):
        super().__init__()
        self.method = method
        self.weight = nn.Parameter(torch.randn(n_out, n_in) * alpha - beta)
        self.bias = nn.Parameter(torch.randn(n_out))
        self.bias2 = nn.Parameter(torch.randn(n_out))
        if method == "dep":
            self.weight2 = nn.Parameter(torch.randn(n_out, n_in))
            self.lam = nn.Parameter(torch.rand(n_out) * 1.4 - 0.2)

    def _branch(self, x, weight, bias, kind):
        z = x.unsqueeze(-2) + weight                      # B, out, in
        if bias is not None:
            z = torch.cat([z, bias.view(1, -1, 1).expand(len(x), -1, 1)], dim=-1)
        return torch.max(z, -1)[0] if kind == "max" else torch.min(z, -1)[0]

    def forward(self, x, dropout_p=None):
        weight = self.weight
        if dropout_p is not None and self.training:  # weight dropout
            weight = weight.masked_fill(torch.rand_like(weight) < dropout_p, -1e9)
        if self.method == "max":
            return self._branch(x, weight, self.bias, "max")
        if self.method == "min":
            return self._branch(x, weight, self.bias, "min")
        if self.method == "dep":
            lam = torch.clamp(self.lam, 0, 1)
            return lam * self._branch(x, weight, None, "max") + \
                (1 - lam) * self._branch(x, self.weight2, None, "min")
        return self._branch(x, weight, self.bias, "max") + \
            self._branch(x, weight, self.bias2, "min")


class LinAct(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.a = nn.Parameter(torch.randn(n) / 3.46)

    def forward(self, x):
        return x * self.a


class RMPM(nn.Module):
    """MPM -> LinAct -> residual [MPM -> LinAct] blocks -> DEP -> MPM."""

    def __init__(self, n_in=12, width=16, n_out=4, n_layers=2):
        super().__init__()
        self.first = MorphologicalLayer(n_in, width, alpha=0.0, beta=1.0)
        self.act = LinAct(width)
        self.hidden = nn.ModuleList(MorphologicalLayer(width, width, alpha=3, beta=5)
                                    for _ in range(n_layers))
        self.acts = nn.ModuleList(LinAct(width) for _ in range(n_layers))
        self.dep = MorphologicalLayer(width, width, method="dep")
        self.last = MorphologicalLayer(width, n_out)

    def forward(self, x, dropout_p=None):
        if x.size(-1) != 1 and x.dim() > 2:
            x = x.flatten(1)
        x = self.act(self.first(x, dropout_p))
        for layer, act in zip(self.hidden, self.acts):
            x = x + act(layer(x, dropout_p))
        x = self.dep(x)
        return self.last(x, dropout_p)


class _Conv(nn.Module):
    """The Function alone (its tropical part)."""

    def __init__(self, block):
        super().__init__()
        self.block = block

    def forward(self, x):
        return MorphConv2dFunction.apply(x, self.block.weight, self.block.bias, "max")


_HOOK = {"autograd_functions": {MorphConv2dFunction: morph_conv_unfold}}

CASES = [
    ("C-rmpm", RMPM, lambda: torch.randn(6, 3, 4), {"kwargs": {"dropout_p": None}},
     ["trop.matmul <max_plus>", "trop.matmul <min_plus>"],
     [(lambda m: m.first, lambda: torch.randn(6, 12)),
      (lambda m: m.dep, lambda: torch.randn(6, 16))]),
    ("C-mpm-conv-net", MorphConvNet, lambda: torch.randn(2, 1, 8, 8), _HOOK,
     ["trop.conv_2d <max_plus>", "trop.conv_2d <min_plus>"],
     [(lambda m: _Conv(m.blocks[0]), lambda: torch.randn(2, 4, 6, 6))]),
]
