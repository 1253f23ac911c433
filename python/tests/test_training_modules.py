"""trop.nn.Maxout and trop.nn.MaxPlusMin train through compiled kernels
(trop.maxout_winners / route_maxout_to_winners, trop.dual_matmul_winners /
two route_to_winners) after compile_training: forward values and every
gradient equal PyTorch's autograd of the eager layers, bit for bit, on
tie-free data with integer output gradients, on both pipelines; and SGD
steps of a network using both give the eager parameters."""

import pytest

torch = pytest.importorskip("torch")

import trop.nn as tnn  # noqa: E402
from trop.training import compile_training  # noqa: E402
from conftest import assert_sgd_steps_equal  # noqa: E402


def integer_grad(shape, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.randint(-3, 4, shape, generator=g)


@pytest.mark.parametrize("pipeline", ["reference", "cpu"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_maxout_gradients_equal_eager(pipeline, dtype):
    torch.manual_seed(0)
    x = torch.randn(5, 3, 12, dtype=dtype)
    dy = integer_grad((5, 3, 4), 1).to(dtype)
    grads = []
    for compiled in (False, True):
        layer = tnn.Maxout(3)
        if compiled:
            assert compile_training(layer, pipeline=pipeline) == 1
        xi = x.clone().requires_grad_()
        y = layer(xi)
        y.backward(dy)
        grads.append((y.detach(), xi.grad))
    assert torch.equal(grads[0][0], grads[1][0])
    assert torch.equal(grads[0][1], grads[1][1])


@pytest.mark.parametrize("pipeline", ["reference", "cpu"])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_max_plus_min_gradients_equal_eager(pipeline, dtype):
    x = torch.randn(9, 7, dtype=dtype, generator=torch.Generator().manual_seed(2))
    dy = integer_grad((9, 5), 3).to(dtype)
    results = []
    for compiled in (False, True):
        torch.manual_seed(5)
        layer = tnn.MaxPlusMin(7, 5, dtype=dtype)
        with torch.no_grad():
            layer.bias += 1.0  # the biases win some outputs
            layer.bias2 -= 1.0
        if compiled:
            assert compile_training(layer, pipeline=pipeline) == 1
        xi = x.clone().requires_grad_()
        y = layer(xi)
        y.backward(dy)
        results.append([y.detach(), xi.grad, layer.weight.grad, layer.bias.grad,
                        layer.bias2.grad])
    assert (results[0][3] != 0).any() and (results[0][4] != 0).any()
    for eager, got in zip(*results):
        assert torch.equal(eager, got)


def test_switching_and_split_rule():
    model = torch.nn.Sequential(tnn.MaxPlus(4, 6), tnn.Maxout(2), tnn.MaxPlusMin(3, 2))
    assert compile_training(model) == 3
    assert model[1].compiled and model[2].compiled
    assert compile_training(model, enabled=False) == 3
    assert model[1].compiled is None
    # The split rule is amax's: Maxout and MaxPlusMin keep their eager form.
    assert compile_training(model, tie="split") == 1
    assert model[1].compiled is None and model[2].compiled is None


def test_training_trajectories_match():
    def make():
        torch.manual_seed(7)
        return torch.nn.Sequential(torch.nn.Linear(6, 16, dtype=torch.float64),
                                   tnn.Maxout(2),
                                   tnn.MaxPlusMin(8, 3, dtype=torch.float64))
    x = torch.randn(12, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(8))
    target = integer_grad((12, 3), 9).double()
    models = [make(), make()]
    assert compile_training(models[1], pipeline="cpu") == 2
    assert_sgd_steps_equal(models, x, target)
