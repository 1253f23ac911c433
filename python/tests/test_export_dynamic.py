"""trop.export(..., dynamic_batch=True): the batch is '?' in the function's
types, and one compilation runs on any batch size."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import trop  # noqa: E402
from conftest import assert_float_close, assert_tropical_equal  # noqa: E402


class Doubler(nn.Module):
    """Sizes that are multiples of the batch (cat along it, then a view that
    reads the batch from the input), a parameter broadcast over the batch,
    and a tropical layer."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(torch.randn(6, 5))
        self.bias = nn.Parameter(torch.randn(1, 6))

    def forward(self, x):
        b = x.size(0)
        y = torch.cat([x, -x], dim=0)                      # 2b x 6
        y = y + self.bias.expand(2 * b, 6)
        z = (y.unsqueeze(-1) + self.w.unsqueeze(0)).amax(dim=1)   # 2b x 5
        return z.view(b, 2, 5).reshape(b, 10)


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
def test_multiples_of_the_batch(pipeline):
    torch.manual_seed(0)
    model = Doubler().eval()
    text = trop.export(model, torch.randn(3, 6), dynamic_batch=True)
    assert "func.func @forward(%arg_x: tensor<?x6xf32>) -> (tensor<?x10xf32>)" in text
    assert text.input_shapes == [(None, 6)]
    fn = trop.compile(text, pipeline=pipeline).forward
    for n in (1, 4, 33):
        x = torch.randn(n, 6)
        with torch.no_grad():
            ref = model(x).numpy()
        assert_tropical_equal(fn(x.numpy()), ref)


class Conv(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.head = nn.Linear(4 * 4 * 4, 3)

    def forward(self, x):
        y = F.max_pool2d(torch.relu(self.conv(x)), 2)
        return self.head(y.flatten(1))


def test_conv_and_linear_layers():
    torch.manual_seed(1)
    model = Conv().eval()
    text = trop.export(model, torch.randn(2, 3, 8, 8), dynamic_batch=True)
    fn = trop.compile(text).forward
    for n in (1, 5):
        x = torch.randn(n, 3, 8, 8)
        with torch.no_grad():
            assert_float_close(fn(x.numpy()), model(x).numpy())


class AllButLast(nn.Module):
    def forward(self, x):
        return x[:-1] * 2


def test_what_cannot_follow_the_batch_is_an_error():
    with pytest.raises(trop.ExportError, match="not a multiple"):
        trop.export(AllButLast(), torch.randn(3, 4), dynamic_batch=True)
    with pytest.raises(trop.ExportError, match="the same non-zero size"):
        trop.export(Conv(), torch.randn(0, 3, 8, 8), dynamic_batch=True)
    # Without dynamic_batch, the same model exports for its example's shape.
    text = trop.export(AllButLast(), torch.randn(3, 4))
    np.testing.assert_array_equal(trop.compile(text).forward(np.ones((3, 4), np.float32)),
                                  np.full((2, 4), 2, np.float32))
