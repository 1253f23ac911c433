"""Paper D in the compiler: the export of trop.nn's BiSE layers (trop.bise,
trop.level_sets) against PyTorch eager, and --trop-binarize: the C++ copy of
find_structuring_element agrees with the Python one neuron by neuron, and a
binarized layer or network computes exactly what PyTorch's binary forward
computes (the float layer thresholded at 1/2), on the reference and the CPU
pipelines."""

import math
import re

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import trop  # noqa: E402
import trop.passes  # noqa: E402
import trop.nn as tnn  # noqa: E402
from trop import ExportError  # noqa: E402
from trop.binary_morphology import find_structuring_element  # noqa: E402

PIPELINES = {"reference": "trop-reference-pipeline{results-to-out-params=1}",
             "cpu": "trop-cpu-pipeline{results-to-out-params=1}"}


def binarize(text, options=""):
    """(binarized IR, report) of --trop-binarize."""
    result = trop.passes.run(text, f"trop-binarize{{report=- {options}}}")
    return result.text, result.report


def run(text, x, pipeline):
    return trop.compile(text, pipeline=f"builtin.module({PIPELINES[pipeline]})").forward(x)


# ---------------------------------------------------------------------------
# Export: the float forward against PyTorch eager
# ---------------------------------------------------------------------------

def _randomize(m, seed):
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn(p.shape, generator=g))
    return m


FLOAT_LAYERS = [
    ("bise-tanh", lambda: tnn.BiSE(2, 3, 3), (2, 2, 7, 6)),
    ("bise-sigmoid-raw", lambda: tnn.BiSE(1, 2, (3, 2), threshold="sigmoid",
                                          bias_mode="raw"), (2, 1, 5, 5)),
    ("bise-arctan-even", lambda: tnn.BiSE(2, 2, 4, threshold="arctan"), (1, 2, 6, 9)),
    ("bise-erf-reparam", lambda: tnn.BiSE(3, 6, 3, groups=3, threshold="erf",
                                          bias_mode="reparametrized"), (2, 3, 5, 4)),
    ("bise-1x1-image", lambda: tnn.BiSE(2, 2, 3), (1, 2, 1, 1)),
    ("lui-groups", lambda: tnn.LUI(6, 2, groups=2), (2, 6, 4, 4)),
    ("bisel", lambda: tnn.BiSEL(2, 3, 3), (2, 2, 6, 5)),
    ("dense-lui", lambda: tnn.DenseLUI(10, 4), (5, 10)),
]


@pytest.mark.parametrize("pipeline", sorted(PIPELINES))
@pytest.mark.parametrize("name,make,shape", FLOAT_LAYERS, ids=[n for n, _, _ in FLOAT_LAYERS])
def test_export_matches_eager(name, make, shape, pipeline):
    m = _randomize(make(), hash(name) % 1000)
    x = torch.rand(shape)
    text = trop.export(m, x)
    assert "trop.bise" in text
    got = run(text, x, pipeline)
    with torch.no_grad():
        want = m(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=2e-6)


@pytest.mark.parametrize("pipeline", sorted(PIPELINES))
def test_export_network_matches_eager(pipeline):
    torch.manual_seed(3)
    model = torch.nn.Sequential(tnn.LevelSets([0.25, 0.5, 0.75]), tnn.BiSEL(3, 2, 3),
                                torch.nn.Flatten(), tnn.DenseLUI(2 * 5 * 5, 3))
    _randomize(model, 4)
    x = torch.rand(3, 1, 5, 5).double()
    model = model.double()
    text = trop.export(model, x)
    assert "trop.level_sets" in text and text.count("trop.bise") == 3
    got = run(text, x, pipeline)
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_binary_mode_does_not_export():
    m = tnn.LUI(3, 1)
    with torch.no_grad():
        m.weight_param.fill_(2.0)
        m.bias_param.fill_(0.0)
    m.binarize()
    with pytest.raises(ExportError, match="binary mode"):
        trop.export(m, torch.rand(1, 3, 2, 2))


# ---------------------------------------------------------------------------
# The C++ decision equals the Python one
# ---------------------------------------------------------------------------

def _layer_with_mixed_neurons(seed, out_channels, in_per_group, k):
    """A BiSE whose neurons are activated dilations, activated erosions, or
    random (mostly not activated), with a random bias_mode-free raw bias."""
    g = torch.Generator().manual_seed(seed)
    m = tnn.BiSE(in_per_group, out_channels, k, bias_mode="raw")
    n = in_per_group * k * k
    with torch.no_grad():
        for o in range(out_channels):
            kind = o % 3
            s = torch.rand(n, generator=g) < 0.5
            s[int(torch.randint(n, (1,), generator=g))] = True
            big = 2.0 + torch.rand(n, generator=g)
            small = 0.05 * torch.rand(n, generator=g) / n
            w = torch.where(s, big, small) if kind < 2 else 3 * torch.rand(n, generator=g)
            m.weight_param[o] = torch.log(torch.expm1(w)).view(in_per_group, k, k)
            w = m.weight[o].flatten().double()
            if kind == 0:   # dilation: beta between sum outside S and min over S
                lo, hi = w[~s].sum(), w[s].min()
            elif kind == 1:  # erosion: sum - min_S < beta < sum over S
                lo, hi = w.sum() - w[s].min(), w[s].sum()
            else:
                lo, hi = 0.0, float(w.sum())
            t = float(torch.rand(1, generator=g))
            m.bias_param[o] = -(lo + (hi - lo) * t)
    return m


def _cpp_neurons(report):
    neurons = []
    for line in report.splitlines():
        match = re.match(r"  neuron (\d+): (.*)", line)
        if match:
            neurons.append(match.group(2))
    return neurons


def _python_neuron(r):
    if r.operation is None:
        return "not activated"
    s = "".join("1" if b else "0" for b in r.selem.flatten().tolist())
    state = "exact" if r.exact else f"projected distance {r.distance!r}"
    return f"{r.operation} {state} S={s}"


@pytest.mark.parametrize("options", [
    {}, {"v1": 0.1, "v2": 0.85}, {"projection": "constant"},
    {"projection": "twn-uniform", "v1": 0.05, "v2": 0.9}, {"projection": "twn-normal"},
])
def test_python_and_cpp_agree(options):
    """Many random neurons (activated by construction, or not): the same
    operation, exactness and S; projected distances to 1e-9 relative."""
    compared = 0
    for seed in range(6):
        k = 3 if seed % 2 else 1  # a window needs one channel per neuron
        m = _layer_with_mixed_neurons(seed, 12, 1 if k > 1 else 1 + seed % 3, k)
        m = m.double()
        x = torch.rand(1, m.in_channels, 4, 4, dtype=torch.float64)
        text = trop.export(m, x)
        cli = " ".join(f"{k}={v}" for k, v in options.items())
        _, report = binarize(text, cli + " verbose=1")
        cpp = _cpp_neurons(report)
        w, b = m.weight.detach(), m.bias.detach()
        assert len(cpp) == m.out_channels
        for o, line in enumerate(cpp):
            r = find_structuring_element(w[o], b[o], **options)
            want = _python_neuron(r)
            if r.operation is not None and not r.exact:
                head, dist = line.rsplit(" distance ", 1)[0], line.split(" distance ")[1]
                got_d = float(dist.split()[0])
                assert math.isclose(got_d, r.distance, rel_tol=1e-9, abs_tol=1e-12)
                line = f"{head} distance {r.distance!r} {dist.split(' ', 1)[1]}"
            assert line == want, (seed, o)
            compared += 1
    assert compared == 6 * 12


# ---------------------------------------------------------------------------
# Binarized layers and networks, exact against PyTorch's binary forward
# ---------------------------------------------------------------------------

def _activated(make, seed, **kw):
    """A layer whose every neuron is activated (built as above)."""
    m = make()
    g = torch.Generator().manual_seed(seed)
    w_shape = m.weight_param.shape
    n = int(np.prod(w_shape[1:]))
    with torch.no_grad():
        m.bias_mode = "raw"
        for o in range(w_shape[0]):
            s = torch.rand(n, generator=g) < 0.4
            s[int(torch.randint(n, (1,), generator=g))] = True
            w = torch.where(s, 2.0 + torch.rand(n, generator=g),
                            0.05 * torch.rand(n, generator=g) / n)
            m.weight_param[o] = torch.log(torch.expm1(w)).view(w_shape[1:])
            wd = m.weight[o].flatten().double()
            if o % 2:
                lo, hi = wd.sum() - wd[s].min(), wd[s].sum()
            else:
                lo, hi = wd[~s].sum(), wd[s].min()
            m.bias_param[o] = -(lo + (hi - lo) * (0.3 + 0.4 * float(torch.rand(1, generator=g))))
        m.scale.copy_(torch.where(torch.rand(w_shape[0], generator=g) < 0.25,
                                  -1.0, 1.5))
    return m


BINARY_LAYERS = [
    ("lui", lambda: tnn.LUI(5, 4), (2, 5, 3, 3)),
    ("lui-groups", lambda: tnn.LUI(6, 4, groups=2), (2, 6, 3, 2)),
    ("dense-lui-130", lambda: tnn.DenseLUI(130, 70), (3, 130)),
    ("depthwise-3x3", lambda: tnn.BiSE(3, 3, 3, groups=3), (2, 3, 7, 6)),
    ("depthwise-mult-2x3", lambda: tnn.BiSE(2, 6, (2, 3), groups=2), (2, 2, 5, 5)),
    ("depthwise-5x5-65ch", lambda: tnn.BiSE(65, 65, 5, groups=65), (1, 65, 6, 6)),
]


@pytest.mark.parametrize("pipeline", sorted(PIPELINES))
@pytest.mark.parametrize("name,make,shape", BINARY_LAYERS, ids=[n for n, _, _ in BINARY_LAYERS])
def test_binarized_layer_is_exact(name, make, shape, pipeline):
    m = _activated(make, len(name))
    torch.manual_seed(len(name))
    x = (torch.rand(shape) < 0.5).float()
    text = trop.export(m, x)
    with torch.no_grad():
        thresholded = (m(x) > 0.5).float().numpy()
    binary, report = binarize(text)
    assert "trop.bise" not in binary, report
    assert "exact ->" in report and "left 0 of 1" in report
    got = run(binary, x, pipeline)
    m.binarize()
    with torch.no_grad():
        want = m(x).numpy()
    np.testing.assert_array_equal(want, thresholded)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("pipeline", sorted(PIPELINES))
def test_almost_binary_inputs(pipeline):
    """With v1, v2 the layer is exact on inputs in [0, v1] ∪ [v2, 1]."""
    m = _activated(lambda: tnn.BiSE(2, 2, 3, groups=2), 7)
    torch.manual_seed(0)
    bits = torch.rand(4, 2, 6, 6) < 0.5
    noise = torch.rand(bits.shape) * 0.02
    x = torch.where(bits, 1 - noise, noise)
    text = trop.export(m, x)
    r = [find_structuring_element(m.weight[o].detach(), m.bias[o].detach(), v1=0.02, v2=0.98)
         for o in range(2)]
    if not all(n.exact for n in r):
        pytest.skip("the constructed layer is not activated for these bounds")
    binary, report = binarize(text, "v1=0.02 v2=0.98")
    assert "left 0 of 1" in report, report
    got = run(binary, x, pipeline)
    with torch.no_grad():
        want = (m(x) > 0.5).float().numpy()
    np.testing.assert_array_equal(got, want)


def test_not_activated_is_left_or_projected():
    m = tnn.LUI(3, 2, bias_mode="raw")
    with torch.no_grad():
        m.weight_param.copy_(torch.log(torch.expm1(torch.tensor(
            [[2.0, 1.0, 1.0], [1.0, 1.0, 1.0]]))).view(2, 3, 1, 1))
        m.bias_param.copy_(torch.tensor([-2.0, -0.5]))
    text = trop.export(m, torch.rand(1, 3, 2, 2))
    left, report = binarize(text)
    assert "left (1 of 2 neurons not activated)" in report
    assert "trop.bise" in left
    projected, report = binarize(text, "projection=constant")
    assert "projected (max distance 0.666667)" in report
    assert "trop.bise" not in projected


@pytest.mark.parametrize("pipeline", sorted(PIPELINES))
def test_binarized_network_equals_binary_forward(pipeline):
    """LevelSets → BiSEL → DenseLUI with every neuron activated: the
    binarized network is PyTorch's binary network, bit for bit."""
    torch.manual_seed(5)
    bisel = tnn.BiSEL(2, 3, 3)
    bisel.bises = _activated(lambda: tnn.BiSE(2, 6, 3, groups=2), 11)
    bisel.lui = _activated(lambda: tnn.LUI(6, 3, groups=3), 12)
    dense = _activated(lambda: tnn.DenseLUI(3 * 6 * 6, 5), 13)
    model = torch.nn.Sequential(tnn.LevelSets([0.3, 0.6]), bisel, torch.nn.Flatten(), dense)
    x = torch.rand(4, 1, 6, 6)
    text = trop.export(model, x)
    binary, report = binarize(text)
    assert "binarized 3 exactly, 0 projected, left 0 of 3" in report, report
    got = run(binary, x, pipeline)
    bisel.binarize()
    dense.binarize()
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_array_equal(got, want)


def test_doc_example_runs(capsys):
    """docs/paper-d.md's worked example runs as written: the report lists
    both layers, and the compiled bit-packed network is PyTorch's binary
    forward bit for bit."""
    pytest.importorskip("sklearn")
    import os
    from conftest import REPO_ROOT
    doc = os.path.join(REPO_ROOT, "docs", "paper-d.md")
    text = open(doc, encoding="utf-8").read()
    (code,) = re.findall(r"<!-- test: paper-d-example -->\s*```python\n(.*?)```", text, re.S)
    exec(compile(code, doc + ":example", "exec"), {"__name__": "__doc_example__"})
    out = capsys.readouterr().out
    assert "compiled bit-packed network == PyTorch's binary forward: True" in out
    assert re.search(r"binarized \d exactly, \d projected, left 0 of 3 BiSE layers", out)
    assert "0 trop.bise left" in out
    assert re.search(r"test accuracy: float 0\.\d+ \(argmax\)", out)
