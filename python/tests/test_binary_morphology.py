"""Paper D's layers (trop.nn.BiSE, LUI, BiSEL, DenseLUI, LevelSets): the float
forward against the paper's formula, and exact binarization checked against
the thresholded float layer on every binary input pattern."""

import itertools
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from trop import nn as tnn
from trop.binary_morphology import find_structuring_element


def all_patches(k):
    """Every binary k×k pattern, as (2^(k²), 1, k, k) 0/1 floats."""
    bits = torch.tensor(list(itertools.product([0.0, 1.0], repeat=k * k)), dtype=torch.float64)
    return bits.view(-1, 1, k, k)


def activated_weights(rng, n, operation):
    """Non-negative weights and a bias that satisfy the activation
    inequalities for `operation` by construction: S gets large weights, the
    rest small ones, and β lies strictly inside the interval."""
    while True:
        selem = rng.random(n) < 0.5
        if selem.any():
            break
    w = np.where(selem, rng.uniform(1.0, 2.0, n), rng.uniform(0.0, 1.0 / n, n))
    if operation == "dilation":
        lo, hi = w[~selem].sum(), w[selem].min()
    else:
        lo, hi = w.sum() - w[selem].min(), w[selem].sum()
    beta = lo + (hi - lo) * rng.uniform(0.1, 0.9)
    return torch.tensor(w), -beta, torch.tensor(selem)


@pytest.mark.parametrize("operation", ["dilation", "erosion"])
def test_activated_neuron_binarizes_exactly(operation):
    """On every binary 3×3 pattern, the thresholded float neuron and the
    binary operation by the S found agree (the paper's exactness claim)."""
    rng = np.random.default_rng(4)
    x = all_patches(3)
    for trial in range(20):
        w, b, selem = activated_weights(rng, 9, operation)
        found = find_structuring_element(w.view(1, 3, 3), b)
        assert found.exact and found.distance == 0.0
        # A one-element S is a dilation and an erosion at once.
        if selem.sum() > 1:
            assert found.operation == operation
            assert torch.equal(found.selem.flatten(), selem)
        float_out = (F.conv2d(x, w.view(1, 1, 3, 3)) + b > 0).flatten()
        for op, s in [(operation, selem), (found.operation, found.selem.flatten())]:
            window = x.flatten(1)[:, s]
            expected = window.amax(1) if op == "dilation" else window.amin(1)
            assert torch.equal(float_out, expected > 0), f"trial {trial}"


def test_almost_binary_bounds():
    """With inputs in [0, v1] ∪ [v2, 1] the bounds-aware inequalities still
    give an exact binarization: checked on patterns whose 0s and 1s are
    replaced by random values in those ranges."""
    rng = np.random.default_rng(5)
    v1, v2 = 0.1, 0.9
    x = all_patches(2)
    checked = 0
    for _ in range(200):
        w = torch.tensor(rng.uniform(0.0, 2.0, 4))
        b = -rng.uniform(0.0, float(w.sum()))
        found = find_structuring_element(w.view(1, 2, 2), b, v1=v1, v2=v2)
        if not found.exact:
            continue
        checked += 1
        noisy = torch.where(x > 0, torch.tensor(rng.uniform(v2, 1.0, x.shape)),
                            torch.tensor(rng.uniform(0.0, v1, x.shape)))
        float_out = (F.conv2d(noisy, w.view(1, 1, 2, 2)) + b > 0).flatten()
        window = x.flatten(1)[:, found.selem.flatten()]
        expected = window.amax(1) if found.operation == "dilation" else window.amin(1)
        assert torch.equal(float_out, expected > 0)
    assert checked >= 10


def test_not_activated_is_left_or_projected():
    w = torch.tensor([1.0, 1.0, 1.0, 1.0])
    # β = 2 is neither a dilation (needs β < min_S w = 1 with S = all) nor an
    # erosion by any S: no exact form.
    found = find_structuring_element(w, -2.0)
    assert found.operation is None and not found.exact
    projected = find_structuring_element(w, -2.0, projection="constant")
    assert not projected.exact and projected.operation == "dilation"
    assert projected.distance == pytest.approx(0.0)  # W is constant on S = all


def test_constant_set_projection_is_the_nearest():
    """The sorted-prefix rule finds the S minimising the distance to the
    constant set, checked against every non-empty subset."""
    rng = np.random.default_rng(6)
    for _ in range(20):
        w = torch.tensor(rng.uniform(0.0, 3.0, 6))
        found = find_structuring_element(w, -100.0, projection="constant")
        best = min(
            float((w * w).sum() - w[list(s)].sum() ** 2 / len(s))
            for r in range(1, 7) for s in itertools.combinations(range(6), r))
        assert found.distance == pytest.approx(best)


def test_twn_thresholds():
    w = torch.tensor([0.0, 0.5, 1.0, 2.0, 4.0])  # mean 1.5
    uniform = find_structuring_element(w, -100.0, projection="twn-uniform")
    normal = find_structuring_element(w, -100.0, projection="twn-normal")
    assert uniform.selem.tolist() == [False, False, True, True, True]   # ≥ 1.0
    assert normal.selem.tolist() == [False, False, False, True, True]   # ≥ 1.125


def test_bise_float_forward_is_the_formula():
    torch.manual_seed(0)
    for threshold, xi in [("tanh", lambda t: (torch.tanh(t) + 1) / 2),
                          ("sigmoid", torch.sigmoid),
                          ("arctan", lambda t: torch.atan(t) / math.pi + 0.5),
                          ("erf", lambda t: (torch.erf(t) + 1) / 2)]:
        layer = tnn.BiSE(2, 3, 3, threshold=threshold)
        x = torch.rand(2, 2, 6, 5)
        w = F.softplus(layer.weight_param)
        b = -F.softplus(layer.bias_param) - 0.5
        xp = F.pad(x, (1, 1, 1, 1), mode="replicate")
        expected = xi(layer.scale.view(1, -1, 1, 1) * (F.conv2d(xp, w) + b.view(1, -1, 1, 1)))
        assert torch.allclose(layer(x), expected)
    # An even kernel pads like PyTorch's padding="same" (the extra row after).
    layer = tnn.BiSE(1, 1, 2, bias_mode="raw")
    x = torch.rand(1, 1, 4, 4)
    z = F.conv2d(F.pad(x, (0, 1, 0, 1), mode="replicate"), layer.weight) + layer.bias_param
    assert torch.allclose(layer.preactivation(x), layer.scale * z)


def test_reparametrized_bias_is_clamped():
    layer = tnn.BiSE(1, 2, 2, bias_mode="reparametrized")
    with torch.no_grad():
        layer.bias_param.copy_(torch.tensor([-20.0, 20.0]))
    w = layer.weight.flatten(1)
    s = w.sort(dim=1).values
    b_min, b_max = (s[:, 0] + s[:, 1]) / 2, w.sum(1) - s[:, 0] / 2
    assert torch.allclose(layer.bias, torch.stack([-b_min[0], -b_max[1]]))


def set_activated(layer, operations, rng):
    """Gives each neuron of a BiSE weights and a bias activated for the
    chosen operation (Θ = softplus⁻¹(w), raw bias)."""
    n = layer.weight_param[0].numel()
    with torch.no_grad():
        for o, op in enumerate(operations):
            w, b, _ = activated_weights(rng, n, op)
            w = w.clamp_min(1e-6)
            layer.weight_param[o] = torch.log(torch.expm1(w)).view_as(layer.weight_param[o])
            layer.bias_param[o] = b


def test_bise_binary_forward_on_images():
    """The binarized layer on binary images equals the thresholded float
    layer (replicate padding included), and is the OR/AND over S."""
    rng = np.random.default_rng(7)
    layer = tnn.BiSE(2, 4, 3, bias_mode="raw").double()
    set_activated(layer, ["dilation", "erosion", "dilation", "erosion"], rng)
    with torch.no_grad():
        layer.scale.copy_(torch.tensor([1.0, 2.0, -1.0, 0.5]))
    x = torch.tensor(rng.random((3, 2, 9, 7)) < 0.4, dtype=torch.float64)
    expected = (layer.preactivation(x) > 0).double()
    report = layer.binarize()
    assert [r.operation for r in report] == ["dilation", "erosion", "dilation", "erosion"]
    assert all(r.exact for r in report)
    assert torch.equal(layer(x), expected)
    # Channel 2 has P < 0: the complement of a dilation.
    xp = F.pad(x, (1, 1, 1, 1), mode="replicate")
    windows = F.unfold(xp, 3).view(3, 2 * 9, 9, 7)
    s = report[2].selem.flatten()
    assert torch.equal(layer(x)[:, 2], 1 - windows[:, s].amax(1))


def test_binarize_refuses_unactivated_neurons():
    layer = tnn.BiSE(1, 1, 2, bias_mode="raw")
    with torch.no_grad():
        layer.weight_param.fill_(math.log(math.expm1(1.0)))
        layer.bias_param.fill_(-2.0)
    with pytest.raises(ValueError, match="not activated"):
        layer.binarize()
    report = layer.binarize(projection="constant")
    assert not report[0].exact and layer.binary


def test_bisel_and_lui():
    """BiSEL: depthwise BiSEs then a LUI per output channel; binarized, it
    equals its thresholded float layers on binary inputs."""
    rng = np.random.default_rng(8)
    layer = tnn.BiSEL(2, 3, 3, bias_mode="raw").double()
    set_activated(layer.bises, ["dilation", "erosion"] * 3, rng)
    set_activated(layer.lui, ["dilation", "erosion", "erosion"], rng)
    x = torch.tensor(rng.random((2, 2, 6, 6)) < 0.5, dtype=torch.float64)
    maps = (layer.bises.preactivation(x) > 0).double()
    expected = (layer.lui.preactivation(layer._regroup(maps)) > 0).double()
    report = layer.binarize()
    assert all(r.exact for r in report["bises"] + report["lui"])
    assert torch.equal(layer(x), expected)
    # The LUI's channel o reads the BiSE maps (i, o) for every i.
    s = report["lui"][1].selem.flatten()
    bise_maps = layer.bises(x)
    inputs = torch.stack([bise_maps[:, i * 3 + 1] for i in range(2)], 1)
    assert torch.equal(layer(x)[:, 1], inputs[:, s].amin(1))


def test_dense_lui():
    rng = np.random.default_rng(9)
    layer = tnn.DenseLUI(10, 4, bias_mode="raw").double()
    set_activated(layer, ["dilation", "erosion", "erosion", "dilation"], rng)
    x = torch.tensor(rng.random((50, 10)) < 0.5, dtype=torch.float64)
    expected = (layer.preactivation(x) > 0).double()
    report = layer.binarize()
    assert torch.equal(layer(x), expected)
    for o, r in enumerate(report):
        count = x[:, r.selem.flatten()].sum(1)
        need = 1 if r.operation == "dilation" else int(r.selem.sum())
        assert torch.equal(layer(x)[:, o], (count >= need).double())


def test_level_sets():
    x = torch.tensor([[[[0.0, 0.3], [0.6, 1.0]]]])
    y = tnn.LevelSets([0.25, 0.75])(x)
    assert y.shape == (1, 2, 2, 2)
    assert y[0, 0].tolist() == [[0.0, 1.0], [1.0, 1.0]]
    assert y[0, 1].tolist() == [[0.0, 0.0], [0.0, 1.0]]


def test_bad_arguments():
    with pytest.raises(ValueError, match="threshold"):
        tnn.BiSE(1, 1, 3, threshold="relu")
    with pytest.raises(ValueError, match="bias_mode"):
        tnn.BiSE(1, 1, 3, bias_mode="projected")
    with pytest.raises(ValueError, match="groups"):
        tnn.BiSE(3, 2, 3, groups=2)
    with pytest.raises(ValueError, match="v1"):
        find_structuring_element(torch.ones(3), -1.0, v1=0.9, v2=0.1)
    with pytest.raises(RuntimeError, match="binarize"):
        tnn.BiSE(1, 1, 3).forward_binary(torch.zeros(1, 1, 3, 3))
