"""trop.compile(..., progress=...): the stages of a long compilation, from
the C API's tropSetProgressCallback (trop-c/Progress.h)."""

import pytest

import trop

SOURCE = """
func.func @forward(%x: tensor<4x8xf32>, %w: tensor<8x3xf32>, %c: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x8xf32>, tensor<8x3xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}
func.func @other(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %r = trop.matmul <min_plus> ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
"""


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
def test_callable_sees_every_stage(pipeline):
    seen = []
    trop.compile(SOURCE, pipeline=pipeline,
                 progress=lambda fn, stage, s: seen.append((fn, stage, s)))
    for fn in ("forward", "other"):
        stages = [(stage, s) for f, stage, s in seen if f == fn]
        names = [stage for stage, _ in stages]
        # The passes of the pipeline in order, then the JIT, then the total.
        assert "one-shot-bufferize" in names
        assert "convert-to-llvm" in names
        assert names.index("one-shot-bufferize") < names.index("convert-to-llvm")
        assert names[-2:] == ["llvm-jit", "total"]
        assert all(s >= 0 for _, s in stages)
        total = stages[-1][1]
        assert sum(s for _, s in stages[:-1]) == pytest.approx(total, rel=1e-6)
    if pipeline == "cpu":
        assert any(stage == "trop-to-cpu" for _, stage, _ in seen)
    else:
        assert any(stage == "trop-to-linalg" for _, stage, _ in seen)


def test_true_prints_to_stderr(capsys):
    trop.compile(SOURCE, pipeline="reference", progress=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert "trop.compile: forward: one-shot-bufferize" in captured.err
    assert any(line.startswith("trop.compile: other: total ") and
               line.endswith(" s") for line in lines)


def test_quiet_by_default_and_after(capsys):
    seen = []
    trop.compile(SOURCE, pipeline="reference",
                 progress=lambda *a: seen.append(a))
    count = len(seen)
    assert count > 0
    # The callback is removed after the compile: later compiles are quiet.
    trop.compile(SOURCE, pipeline="reference")
    trop.compile(SOURCE, pipeline="reference", progress=False)
    assert len(seen) == count
    assert capsys.readouterr().err == ""


def test_failing_callback_does_not_break_the_compile(capsys):
    def boom(fn, stage, seconds):
        raise RuntimeError("boom")
    module = trop.compile(SOURCE, pipeline="reference", progress=boom)
    assert "forward" in module and "other" in module
    err = capsys.readouterr().err
    assert "trop.compile: progress callback failed: RuntimeError('boom')" in err


def test_bad_progress():
    with pytest.raises(TypeError, match="progress must be"):
        trop.compile(SOURCE, progress="yes")
