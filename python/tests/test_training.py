"""Compiled training of trop.nn's MaxPlus/MinPlus (trop.training): forward
values and gradients equal PyTorch autograd of the eager formulation on
tie-free data, bit for bit, on both pipelines; training trajectories match."""

import numpy as np
import pytest
import torch

import trop
from trop import nn as tnn
from trop.training import compile_training, tropical_dense
from conftest import assert_sgd_steps_equal


def integer_grad(shape, seed):
    """Output gradients with small integer values: every sum of them is exact
    in floating point, whatever order autograd and the kernels add in."""
    g = torch.Generator().manual_seed(seed)
    return torch.randint(-8, 9, shape, generator=g)


@pytest.mark.parametrize("pipeline", ["reference", "cpu"])
@pytest.mark.parametrize("layer_class", [tnn.MaxPlus, tnn.MinPlus])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_gradients_equal_autograd_of_the_eager_layer(pipeline, layer_class, bias, dtype):
    torch.manual_seed(0)
    layer = layer_class(37, 19, bias=bias).to(dtype)
    if bias:
        # Some biases large enough to win for some inputs.
        with torch.no_grad():
            layer.bias[::3] += 3.0 if layer_class is tnn.MaxPlus else -3.0
    x = torch.randn(2, 11, 37, dtype=dtype)  # leading dims are flattened
    g = integer_grad((2, 11, 19), 1).to(dtype)

    x_eager = x.clone().requires_grad_()
    y_eager = layer(x_eager)
    y_eager.backward(g)
    eager = [x_eager.grad] + [p.grad.clone() for p in layer.parameters()]
    layer.zero_grad()

    assert compile_training(layer, pipeline=pipeline) == 1
    x_comp = x.clone().requires_grad_()
    y_comp = layer(x_comp)
    y_comp.backward(g)
    compiled = [x_comp.grad] + [p.grad.clone() for p in layer.parameters()]

    assert torch.equal(y_comp, y_eager)
    for e, c in zip(eager, compiled):
        assert torch.equal(e, c)
    if bias:
        # The bias wins somewhere, and products win elsewhere: both routes ran.
        assert layer.bias.grad.abs().sum() > 0 and compiled[0].abs().sum() > 0


def test_sparse_layer_routes_only_to_finite_weights():
    torch.manual_seed(2)
    layer = tnn.MaxPlus(64, 8, init="sparse", density=0.1)
    compile_training(layer, pipeline="cpu")
    x = torch.randn(5, 64, requires_grad=True)
    layer(x).backward(integer_grad((5, 8), 3).float())
    pruned = torch.isinf(layer.weight)
    assert torch.all(layer.weight.grad[pruned] == 0)


def test_training_trajectories_match():
    """A few SGD steps of a small network, eager and compiled, from the same
    start: the same parameters at every step."""
    def make():
        torch.manual_seed(4)
        return torch.nn.Sequential(torch.nn.Linear(6, 20, dtype=torch.float64),
                                   tnn.MaxPlus(20, 12).double(),
                                   tnn.MinPlus(12, 3).double())
    x = torch.randn(16, 6, dtype=torch.float64)
    target = integer_grad((16, 3), 5).double()
    models = [make(), make()]
    assert compile_training(models[1]) == 2
    assert_sgd_steps_equal(models, x, target)


def test_switch_back_to_eager():
    layer = tnn.MaxPlus(4, 3)
    compile_training(layer)
    assert layer.compiled
    assert compile_training(layer, enabled=False) == 1
    assert layer.compiled is None


def test_unsupported_dtype_and_semiring():
    x = torch.randn(2, 4, dtype=torch.float16)
    w = torch.randn(3, 4, dtype=torch.float16)
    with pytest.raises(TypeError, match="float32 and float64"):
        tropical_dense(x, w, None, "max_plus")
    with pytest.raises(ValueError, match="semiring"):
        tropical_dense(x.float(), w.float(), None, "max_min")


ROUTE = """
func.func @route(%g: tensor<{m}x{n}xf32>, %w: tensor<{m}x{n}xi64>, %da: tensor<{m}x{k}xf32>, %db: tensor<{k}x{n}xf32>) -> (tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) {{
  %x, %y = trop.route_to_winners ins(%g, %w : tensor<{m}x{n}xf32>, tensor<{m}x{n}xi64>) outs(%da, %db : tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>) -> tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>
  return %x, %y : tensor<{m}x{k}xf32>, tensor<{k}x{n}xf32>
}}
"""


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (7, 33, 17), (33, 7, 1000), (1031, 5, 3)])
def test_route_to_winners_cpu_kernel(m, k, n, threads):
    """The CPU pipeline's routing kernel (by destination, no atomics) against
    the definition computed here, in order, with winners out of range (the
    bias's -1, and K) that route nowhere, and non-zero initial gradients."""
    rng = np.random.default_rng(m * 1000 + n)
    g = rng.standard_normal((m, n)).astype(np.float32)
    w = rng.integers(-1, k + 1, size=(m, n)).astype(np.int64)
    da0 = rng.standard_normal((m, k)).astype(np.float32)
    db0 = rng.standard_normal((k, n)).astype(np.float32)
    da, db = da0.copy(), db0.copy()
    for i in range(m):
        for j in range(n):
            if 0 <= w[i, j] < k:
                da[i, w[i, j]] = np.float32(da[i, w[i, j]] + g[i, j])
    for j in range(n):
        for i in range(m):
            if 0 <= w[i, j] < k:
                db[w[i, j], j] = np.float32(db[w[i, j], j] + g[i, j])
    source = ROUTE.format(m=m, k=k, n=n)
    for pipeline in ("cpu", "reference"):
        f = trop.compile(source, pipeline=pipeline, threads=threads).route
        got_a, got_b = f(g, w, da0, db0)
        assert np.array_equal(got_a, da) and np.array_equal(got_b, db), pipeline


def _ddp_worker(rank, world, port, x, target, state, queue):
    """One DDP process: its half of the batch through the compiled layers;
    DDP averages the gradients over the processes."""
    import torch.distributed as dist
    from torch.nn.parallel import DistributedDataParallel
    dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}",
                            rank=rank, world_size=world)
    try:
        model = _ddp_model()
        model.load_state_dict(state)
        compile_training(model, pipeline="cpu")
        ddp = DistributedDataParallel(model)
        half = x.shape[0] // world
        rows = slice(rank * half, (rank + 1) * half)
        (ddp(x[rows]) * target[rows]).sum().backward()
        # numpy arrays travel by value (tensors would travel as shared
        # memory that this process frees when it exits).
        queue.put((rank, [p.grad.numpy().copy() for p in model.parameters()]))
    finally:
        dist.destroy_process_group()


def _ddp_model():
    return torch.nn.Sequential(torch.nn.Linear(5, 16, dtype=torch.float64),
                               tnn.MaxPlus(16, 8).double(), tnn.MinPlus(8, 2).double())


def test_distributed_data_parallel():
    """Two processes (gloo) training the compiled layers under PyTorch's
    DistributedDataParallel get the gradients of one eager process on the
    whole batch, halved (DDP sums the two halves' gradients and divides by
    2): equal bit for bit."""
    import socket
    import torch.multiprocessing as mp
    torch.manual_seed(6)
    model = _ddp_model()
    # Integer inputs and output gradients: every gradient sum is exact in
    # float64, in whatever order the processes and BLAS add.
    x = integer_grad((12, 5), 8).double()
    target = integer_grad((12, 2), 7).double()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    state = {k: v.clone() for k, v in model.state_dict().items()}
    procs = [ctx.Process(target=_ddp_worker, args=(r, 2, port, x, target, state, queue))
             for r in range(2)]
    for p in procs:
        p.start()
    results = dict(queue.get(timeout=300) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    # One process, the whole batch, eager: the reference gradients, halved
    # as DDP averages the sums of two halves.
    (model(x) * target).sum().backward()
    expected = [p.grad / 2 for p in model.parameters()]
    for rank in (0, 1):
        for e, g in zip(expected, results[rank]):
            assert torch.equal(e, torch.from_numpy(g))


@pytest.mark.parametrize("layer_class", [tnn.MaxPlus, tnn.MinPlus])
def test_nan_input_propagates_like_the_eager_layer(layer_class):
    """NaN-free operands run the assume-none kernel; a NaN selects the
    propagate kernel, so the NaN reaches exactly the outputs it reaches in
    eager PyTorch, and the other outputs are equal."""
    torch.manual_seed(0)
    layer = layer_class(20, 7)
    x = torch.randn(5, 20)
    x[1, 3] = float("nan")
    eager = layer(x)
    compile_training(layer)
    compiled = layer(x)
    assert torch.isnan(compiled).sum() == 7
    assert torch.equal(torch.isnan(eager), torch.isnan(compiled))
    assert torch.equal(eager.nan_to_num(), compiled.nan_to_num())


def _first_rule_eager(x, weight, bias, semiring):
    """torch.max(..., dim) (torch.min) over the bias column and then the
    products: autograd routes each output's gradient to the returned (first)
    index, so the bias wins its ties."""
    s = x.unsqueeze(-2) + weight
    if bias is not None:
        s = torch.cat([bias.expand(*s.shape[:-1]).unsqueeze(-1), s], dim=-1)
    reduce = torch.max if semiring == "max_plus" else torch.min
    return reduce(s, dim=-1)[0]


@pytest.mark.parametrize("tie", ["first", "split"])
@pytest.mark.parametrize("layer_class", [tnn.MaxPlus, tnn.MinPlus])
@pytest.mark.parametrize("bias", [True, False])
def test_tie_rules_equal_autograd_of_their_formulation(tie, layer_class, bias):
    """Small integer inputs, weights and biases: most outputs tie between
    products, many with the bias. tie="first" against torch.max(..., dim)
    over [bias, products] (bit for bit: every gradient is a sum of integer
    output gradients); tie="split" against the eager layer (amax, then
    torch.maximum/minimum), whose shares g/count are summed in another order
    (equal to 1e-12)."""
    torch.manual_seed(5)
    semiring = "max_plus" if layer_class is tnn.MaxPlus else "min_plus"
    layer = layer_class(23, 13, bias=bias).double()
    g = torch.Generator().manual_seed(9)
    with torch.no_grad():
        layer.weight.copy_(torch.randint(-2, 3, layer.weight.shape, generator=g))
        if bias:
            layer.bias.copy_(torch.randint(0, 4, layer.bias.shape, generator=g)
                             * (1 if semiring == "max_plus" else -1))
    x = torch.randint(-2, 3, (3, 7, 23), generator=g).double()
    dy = integer_grad((3, 7, 13), 2).double()

    x_eager = x.clone().requires_grad_()
    if tie == "first":
        y_eager = _first_rule_eager(x_eager, layer.weight, layer.bias, semiring)
    else:
        y_eager = layer(x_eager)
    y_eager.backward(dy)
    eager = [x_eager.grad] + [p.grad.clone() for p in layer.parameters()]
    layer.zero_grad()

    compile_training(layer, pipeline="cpu", tie=tie)
    x_comp = x.clone().requires_grad_()
    y_comp = layer(x_comp)
    y_comp.backward(dy)
    compiled = [x_comp.grad] + [p.grad.clone() for p in layer.parameters()]

    assert torch.equal(y_comp, y_eager)
    for e, c in zip(eager, compiled):
        if tie == "first":
            assert torch.equal(e, c)
        else:
            torch.testing.assert_close(c, e, rtol=1e-12, atol=1e-12)
    # The data does tie: the two rules give different gradients.
    s = x.unsqueeze(-2) + layer.weight
    best = s.amax(-1) if semiring == "max_plus" else s.amin(-1)
    assert ((s == best.unsqueeze(-1)).sum(-1) > 1).float().mean() > 0.3
    if bias:
        assert (best == layer.bias).any()


def test_tie_rule_is_checked():
    with pytest.raises(ValueError, match="tie"):
        compile_training(tnn.MaxPlus(3, 2), tie="amax")
    with pytest.raises(ValueError, match="tie"):
        tropical_dense(torch.zeros(1, 3), torch.zeros(2, 3), None, "max_plus", tie="last")
