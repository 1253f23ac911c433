"""--trop-differentiate: the emitted `<name>_backward`, lowered by the
reference and the CPU pipelines, returns the gradients PyTorch's autograd
gives for the eager formulation of the same network, bit for bit, on
tie-free data (continuous inputs) with integer output gradients (so that
every sum is exact in any order): a two-layer max-plus/min-plus MLP with a
broadcast bias, and a convolutional chain (depthwise dilation with a
per-channel bias, a min-plus convolution with padding, maxout). No window
is all padding: there every product is 𝟘 and trop routes the gradient
nowhere, where autograd spreads it over the 𝟘 terms (docs/training.md)."""

import numpy as np
import pytest

import trop
import trop.passes

torch = pytest.importorskip("torch")

MLP = """
func.func @mlp(%x: tensor<{b}x{i}xf64>, %w1: tensor<{i}x{h}xf64>, %b1: tensor<{h}xf64>, %w2: tensor<{h}x{o}xf64>) -> tensor<{b}x{o}xf64> {{
  %e = tensor.empty() : tensor<{b}x{h}xf64>
  %bb = linalg.broadcast ins(%b1 : tensor<{h}xf64>) outs(%e : tensor<{b}x{h}xf64>) dimensions = [0]
  %h = trop.matmul <max_plus> ins(%x, %w1 : tensor<{b}x{i}xf64>, tensor<{i}x{h}xf64>) outs(%bb : tensor<{b}x{h}xf64>) -> tensor<{b}x{h}xf64>
  %inf = arith.constant 0x7FF0000000000000 : f64
  %e2 = tensor.empty() : tensor<{b}x{o}xf64>
  %z = linalg.fill ins(%inf : f64) outs(%e2 : tensor<{b}x{o}xf64>) -> tensor<{b}x{o}xf64>
  %y = trop.matmul <min_plus> ins(%h, %w2 : tensor<{b}x{h}xf64>, tensor<{h}x{o}xf64>) outs(%z : tensor<{b}x{o}xf64>) -> tensor<{b}x{o}xf64>
  %s = linalg.add ins(%y, %y : tensor<{b}x{o}xf64>, tensor<{b}x{o}xf64>) outs(%e2 : tensor<{b}x{o}xf64>) -> tensor<{b}x{o}xf64>
  return %s : tensor<{b}x{o}xf64>
}}
"""


def backward_module(source):
    text = trop.passes.run(source, "trop-differentiate").text
    assert "_backward(" in text and "trop.route_" in text
    return [trop.compile(text, pipeline=p, **kw)
            for p, kw in (("reference", {}), ("cpu", {"threads": 2}))]


def test_mlp_gradients_equal_autograd():
    b, i, h, o = 16, 12, 10, 6
    rng = np.random.default_rng(0)
    args = [rng.standard_normal(s) for s in ((b, i), (i, h), (h,), (h, o))]
    args[2] += 2.5  # the bias wins some outputs
    dy = rng.integers(-3, 4, (b, o)).astype(np.float64)
    t = [torch.tensor(a, requires_grad=True) for a in args]
    x, w1, b1, w2 = t
    hid = torch.maximum(b1, (x[:, :, None] + w1[None]).amax(1))
    y = (hid[:, :, None] + w2[None]).amin(1)
    (y + y).backward(torch.tensor(dy))
    # The bias must win some outputs for its gradient to be tested.
    assert (b1.grad != 0).any() and (w1.grad != 0).any()
    for mod in backward_module(MLP.format(b=b, i=i, h=h, o=o)):
        grads = mod.mlp_backward(*args, dy)
        for got, want in zip(grads, t):
            assert np.array_equal(got, want.grad.numpy())


CONV = """
func.func @net(%x: tensor<2x7x6x3xf64>, %s: tensor<3x2x3xf64>, %bias: tensor<3xf64>, %f: tensor<2x3x3x4xf64>) -> tensor<2x6x5x2xf64> {{
  %e = tensor.empty() : tensor<2x5x5x3xf64>
  %bb = linalg.broadcast ins(%bias : tensor<3xf64>) outs(%e : tensor<2x5x5x3xf64>) dimensions = [0, 1, 2]
  %d = trop.depthwise_conv_2d <max_plus> ins(%x, %s : tensor<2x7x6x3xf64>, tensor<3x2x3xf64>) outs(%bb : tensor<2x5x5x3xf64>) -> tensor<2x5x5x3xf64>
  %inf = arith.constant 0x7FF0000000000000 : f64
  %e2 = tensor.empty() : tensor<2x6x5x4xf64>
  %z = linalg.fill ins(%inf : f64) outs(%e2 : tensor<2x6x5x4xf64>) -> tensor<2x6x5x4xf64>
  %c = trop.conv_2d <min_plus> {{padding = array<i64: 1, 1, 1, 1>}} ins(%d, %f : tensor<2x5x5x3xf64>, tensor<2x3x3x4xf64>) outs(%z : tensor<2x6x5x4xf64>) -> tensor<2x6x5x4xf64>
  %ninf = arith.constant 0xFFF0000000000000 : f64
  %e3 = tensor.empty() : tensor<2x6x5x2xf64>
  %m0 = linalg.fill ins(%ninf : f64) outs(%e3 : tensor<2x6x5x2xf64>) -> tensor<2x6x5x2xf64>
  %m = trop.maxout group_size = 2 ins(%c : tensor<2x6x5x4xf64>) outs(%m0 : tensor<2x6x5x2xf64>) -> tensor<2x6x5x2xf64>
  return %m : tensor<2x6x5x2xf64>
}}
"""


def windows(xp, kh, kw, oh, ow):
    """xp's windows, (N, OH, OW, KH, KW, C), stride and dilation 1."""
    return torch.stack([torch.stack([xp[:, a:a + oh, b:b + ow, :] for b in range(kw)], 3)
                        for a in range(kh)], 3)


def test_conv_chain_gradients_equal_autograd():
    rng = np.random.default_rng(1)
    shapes = [(2, 7, 6, 3), (3, 2, 3), (3,), (2, 3, 3, 4)]
    args = [rng.standard_normal(s) for s in shapes]
    args[2] += 1.5  # the bias wins some outputs
    dy = rng.integers(-3, 4, (2, 6, 5, 2)).astype(np.float64)
    t = [torch.tensor(a, requires_grad=True) for a in args]
    x, s, bias, f = t
    d = torch.maximum(bias, (windows(x, 3, 2, 5, 5) + s).amax((3, 4)))
    dp = torch.nn.functional.pad(d, (0, 0, 1, 1, 1, 1), value=float("inf"))
    patches = windows(dp, 2, 3, 6, 5).reshape(2, 6, 5, 18)
    c = (patches[..., None] + f.reshape(18, 4)).amin(3)
    m = c.reshape(2, 6, 5, 2, 2).amax(4)
    m.backward(torch.tensor(dy))
    assert (bias.grad != 0).any()
    for mod in backward_module(CONV.format()):
        grads = mod.net_backward(*args, dy)
        for got, want in zip(grads, t):
            assert np.array_equal(got, want.grad.numpy())


def test_unsupported_op_is_an_error():
    source = """
func.func @f(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %n = linalg.negf ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = trop.matmul <max_plus> ins(%n, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}"""
    with pytest.raises(trop.TropError, match="cannot differentiate through this op"):
        trop.passes.run(source, "trop-differentiate")
