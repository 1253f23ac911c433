"""docs/python.md's end-to-end example runs as written."""

import os
import re

import pytest

from conftest import REPO_ROOT

pytest.importorskip("torch")

DOC = os.path.join(REPO_ROOT, "docs", "python.md")


def example_blocks():
    """The ```python blocks that follow a '<!-- test: example -->' line."""
    text = open(DOC, encoding="utf-8").read()
    return re.findall(r"<!-- test: example -->\s*```python\n(.*?)```", text, re.S)


def test_doc_has_the_example():
    assert len(example_blocks()) == 1


def test_doc_example_runs(capsys):
    (code,) = example_blocks()
    exec(compile(code, DOC + ":example", "exec"), {"__name__": "__doc_example__"})
    out = capsys.readouterr().out
    assert "<trop.Function forward(tensor<64x512xf32>) -> (tensor<64x10xf32>)>" in out
    assert "largest difference:" in out
