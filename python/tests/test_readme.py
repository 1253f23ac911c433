"""README.md's five-line quick start (PyTorch model -> trop.export ->
trop.compile -> call) runs as written and computes what PyTorch does."""

import os
import re

import numpy as np
import pytest

from conftest import REPO_ROOT

torch = pytest.importorskip("torch")

README = os.path.join(REPO_ROOT, "README.md")


def quick_start_blocks():
    """The ```python blocks that follow a '<!-- test: quick start -->' line
    inside the README's "## Quick start" section."""
    text = open(README, encoding="utf-8").read()
    section = re.search(r"^## Quick start\n(.*?)^## ", text, re.S | re.M)
    assert section, "README.md has no '## Quick start' section"
    return re.findall(r"<!-- test: quick start -->\s*```python\n(.*?)```",
                      section.group(1), re.S)


def test_quick_start_is_five_lines():
    (code,) = quick_start_blocks()
    lines = [line for line in code.splitlines() if line.strip()]
    assert len(lines) == 5, code


def test_quick_start_runs(capsys):
    (code,) = quick_start_blocks()
    scope = {"__name__": "__readme_quick_start__"}
    exec(compile(code, README + ":quick start", "exec"), scope)
    model, x, y = scope["model"], scope["x"], scope["y"]
    with torch.no_grad():
        expected = model(x).numpy()
    # The linear layer's sums may round differently from PyTorch's; the
    # max-plus layer and the ReLU are exact.
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-5)
    # The tropical layer was compiled as a trop op, not as linalg.
    assert "trop.matmul <max_plus>" in str(trop_export(model, x))
    # progress=True printed the stages, ending with the total.
    err = capsys.readouterr().err
    assert "trop.compile: forward: llvm-jit" in err
    assert "trop.compile: forward: total" in err


def trop_export(model, x):
    import trop
    return trop.export(model, x)
