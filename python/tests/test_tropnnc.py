"""--trop-tropnnc on what trop.export emits for PyTorch ReLU blocks.

The exported IR (bias broadcasts as matmul/conv inits, batch norm as a
`x·s + t` generic, ReLU as a maximumf generic) is what the pass must match;
these tests export real nn.Sequential blocks, compress them with trop-opt,
and compare the compiled compressed model with PyTorch.
"""

import os
import re
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import trop  # noqa: E402

from conftest import REPO_ROOT, assert_float_close  # noqa: E402


def trop_opt():
    build = os.environ.get("TROP_BUILD_DIR", "build")
    path = os.path.join(REPO_ROOT, build, "bin", "trop-opt")
    if not os.path.exists(path):
        pytest.skip(f"{path} not built")
    return path


def compress(text, options=""):
    out = subprocess.run([trop_opt(), f"--trop-tropnnc={options}"], input=text,
                         capture_output=True, text=True, check=True)
    return out.stdout


def attribute(text):
    attr = re.search(r"trop\.tropnnc = \{(.*?)\}\}", text)
    assert attr, "the block was not matched"
    fields = dict(re.findall(r"(\w+) = ([^,]+?)(?: : \w+)?(?:,|$)", attr.group(1)))
    bounds = re.search(r"bounds = array<f64: ([^>]*)>", attr.group(1)).group(1)
    fields["bounds"] = np.array([float(v) for v in bounds.split(",")])
    return fields


def with_multiples(weight, bias, copies):
    """Rows copies[j] = (i, t): row j becomes t times row i (t > 0)."""
    with torch.no_grad():
        for j, (i, t) in copies.items():
            weight[j] = t * weight[i]
            bias[j] = t * bias[i]


def test_linear_batch_norm_block_merges_multiples_exactly():
    model = torch.nn.Sequential(torch.nn.Linear(6, 10), torch.nn.BatchNorm1d(10),
                                torch.nn.ReLU(), torch.nn.Linear(10, 3))
    lin = model[0]
    with_multiples(lin.weight, lin.bias, {5: (0, 2.0), 6: (1, 0.5), 7: (2, 1.0), 8: (0, 4.0)})
    with torch.no_grad():
        # Batch norm with shift 0 keeps multiples multiples (any positive scale).
        model[1].weight.copy_(torch.rand(10) + 0.5)
        model[1].bias.zero_()
    model.eval()
    x = torch.randn(16, 6)
    compressed = compress(trop.export(model, x))
    info = attribute(compressed)
    assert info["original"] == "10" and info["kept"] == "6", info
    assert info["exact"] == "true"
    assert "arith.mulf" not in compressed  # batch norm folded
    mod = trop.compile(compressed, pipeline="reference")
    with torch.no_grad():
        assert_float_close(mod.forward(x.numpy()), model(x).numpy())


def test_conv_block_merges_duplicated_channels_exactly():
    model = torch.nn.Sequential(torch.nn.Conv2d(2, 6, 3), torch.nn.BatchNorm2d(6),
                                torch.nn.ReLU(), torch.nn.Conv2d(6, 3, 2))
    conv = model[0]
    with_multiples(conv.weight, conv.bias, {3: (0, 1.0), 4: (1, 3.0)})
    model.eval()
    x = torch.randn(2, 2, 7, 7)
    compressed = compress(trop.export(model, x))
    info = attribute(compressed)
    assert info["original"] == "6" and info["kept"] == "4", info
    mod = trop.compile(compressed, pipeline="reference")
    with torch.no_grad():
        assert_float_close(mod.forward(x.numpy()), model(x).numpy())


def test_clustered_linear_block_stays_within_its_bound():
    model = torch.nn.Sequential(torch.nn.Linear(4, 12), torch.nn.ReLU(),
                                torch.nn.Linear(12, 2)).eval()
    radius = 2.0
    x = torch.randn(64, 4)
    x = x / x.norm(dim=1, keepdim=True) * radius * torch.rand(64, 1)
    compressed = compress(trop.export(model, x),
                          f"keep-ratio=0.5 seed=1 input-radius={radius}")
    info = attribute(compressed)
    assert info["kept"] == "6" and info["exact"] == "false", info
    mod = trop.compile(compressed, pipeline="reference")
    with torch.no_grad():
        expected = model(x).numpy()
    err = np.abs(mod.forward(x.numpy()) - expected)
    assert (err <= info["bounds"] + 1e-5 * (np.abs(expected).max() + 1)).all()
