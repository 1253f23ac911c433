"""Shared helpers of the Python package's tests.

The tests import the package from the source tree (python/), whether or not
PYTHONPATH is set, and use libTropCAPI.so from the build tree (see
python/trop/_capi.py for the search order; TROP_CAPI_LIBRARY overrides it).
"""

import importlib.util
import os
import sys

import numpy as np
import pytest

_PYTHON_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if _PYTHON_DIR not in sys.path:
    sys.path.insert(0, _PYTHON_DIR)

REPO_ROOT = os.path.dirname(_PYTHON_DIR)


def load_script(relative_path, name):
    """Imports a script of the repository (bench/, examples/) as a module
    ``name``, so that a test calls its functions and ``main`` directly."""
    path = os.path.join(REPO_ROOT, relative_path)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def assert_sgd_steps_equal(models, x, target, steps=4):
    """Runs `steps` SGD steps (lr 1/8, loss Σ model(x)·target) on each of the
    models, which start equal, and asserts their parameters stay bit for bit
    equal after every step (an eager model against a compiled one)."""
    import torch

    optimizers = [torch.optim.SGD(m.parameters(), lr=0.125) for m in models]
    for step in range(steps):
        for model, opt in zip(models, optimizers):
            opt.zero_grad()
            (model(x) * target).sum().backward()
            opt.step()
        for a, b in zip(models[0].parameters(), models[1].parameters()):
            assert torch.equal(a, b), f"step {step}"


def assert_tropical_equal(actual, expected):
    """Bit-for-bit equality, except that all NaNs are equal and +0 == -0
    (docs/semantics.md leaves the sign of a zero tie unspecified)."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    same = (actual == expected) | (np.isnan(actual) & np.isnan(expected))
    if not same.all():
        idx = tuple(np.argwhere(~same)[0])
        raise AssertionError(
            f"{(~same).sum()} of {same.size} elements differ; first at {idx}: "
            f"{actual[idx]!r} != {expected[idx]!r}")


def assert_float_close(actual, expected, rtol=1e-5):
    """Agreement within float32 rounding of linear layers: relative error
    rtol, with an absolute floor of rtol times the largest magnitude (sums
    that cancel to near zero have only absolute accuracy)."""
    actual = np.asarray(actual)
    expected = np.asarray(expected)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    scale = float(np.max(np.abs(expected[np.isfinite(expected)]), initial=1.0))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale)


@pytest.fixture(autouse=True)
def _seed():
    np.random.seed(0)
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(0)
