"""trop.passes.run: pass pipelines over the C API (tropRunPassPipeline), the
IR, reports and diagnostics returned, failures as trop.PassError."""

import os
import re

import numpy as np
import pytest

from conftest import REPO_ROOT

import trop
import trop.passes

TROPNNC_TEST = os.path.join(REPO_ROOT, "test", "Transforms", "tropnnc.mlir")

MATMUL = """
func.func @mp(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %c = linalg.fill ins(%ninf : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %unused = arith.addf %ninf, %ninf : f32
  %y = trop.matmul <max_plus> ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>)
                             outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
"""


def _split(name):
    """The split of lit test tropnnc.mlir holding `func.func @name`."""
    text = open(TROPNNC_TEST, encoding="utf-8").read()
    (chunk,) = [c for c in text.split("// -----") if f"func.func @{name}(" in c]
    return chunk


@pytest.mark.parametrize("pipeline", ["canonicalize,cse", "builtin.module(canonicalize,cse)"])
def test_run_returns_the_transformed_module(pipeline):
    result = trop.passes.run(MATMUL, pipeline)
    text, report, diagnostics = result
    assert "trop.matmul <max_plus>" in text
    assert "arith.addf" not in text          # canonicalize removed the dead add
    assert report == "" and diagnostics == ""
    # The result is a module that compiles and computes the same.
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_array_equal(trop.compile(text).mp(a, b), trop.compile(MATMUL).mp(a, b))


def test_lowering_pipeline_from_python():
    text = trop.passes.run(MATMUL, "trop-to-linalg").text
    assert "trop.matmul" not in text and "linalg.generic" in text
    lowered = trop.passes.run(MATMUL, "trop-reference-pipeline").text
    assert "llvm.func @mp" in lowered


def test_report_is_returned():
    result = trop.passes.run(_split("exact_merges"), "trop-tropnnc{report=-}")
    assert result.report.startswith("trop-tropnnc: keep-ratio=1 input-radius=1 seed=0")
    assert re.search(r"block 0 linear at .*: 4 -> 2 neurons \(1 dead, 2 directions, exact\)",
                     result.report)
    assert "trop.tropnnc = {bound = 0.000000e+00" in result.text


def test_report_to_a_file_is_left_alone(tmp_path):
    path = tmp_path / "r.txt"
    result = trop.passes.run(_split("exact_merges"), f"trop-tropnnc{{report={path}}}")
    assert result.report == ""
    assert "block 0 linear" in path.read_text()


def test_warnings_are_returned():
    result = trop.passes.run(_split("non_finite"), "trop-tropnnc")
    assert "warning: trop-tropnnc: non-finite weights, block left unchanged" in \
        result.diagnostics


def test_failing_pass_raises_with_the_diagnostic():
    with pytest.raises(trop.PassError, match=r"(?s)the pass pipeline .* failed.*"
                       r"error: trop-tropnnc: keep-ratio must be in \(0, 1\]"):
        trop.passes.run(_split("exact_merges"), "trop-tropnnc{keep-ratio=0}")


def test_unknown_pass_raises():
    with pytest.raises(trop.PassError, match="'no-such-pass' does not refer to a registered "
                       "pass or pass pipeline"):
        trop.passes.run(MATMUL, "no-such-pass")


def test_bad_module_raises_with_its_location():
    bad = MATMUL.replace("ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>)",
                         "ins(%a, %a : tensor<2x3xf32>, tensor<2x3xf32>)")
    assert bad != MATMUL
    with pytest.raises(trop.PassError) as info:
        trop.passes.run(bad, "cse")
    assert isinstance(info.value, trop.TropError)
    assert "the module does not verify" in str(info.value)
    assert "<source>:7:" in str(info.value) and "reduction size K" in str(info.value)


def test_parser_crash_guard_applies():
    # MLIR 22's parser crashes on brackets nested this deep; the guard of
    # trop.compile reports it instead.
    deep = "func.func @f() { %0 = arith.constant dense<" + "[" * 300 + "1" + "]" * 300 + \
        "> : tensor<1xf32> return }"
    with pytest.raises(trop.PassError, match="nested"):
        trop.passes.run(deep, "cse")


def test_arguments_are_checked():
    with pytest.raises(TypeError):
        trop.passes.run(None, "cse")
    with pytest.raises(TypeError):
        trop.passes.run(MATMUL, ["cse"])
    with pytest.raises(trop.PassError, match="no pass pipeline"):
        trop.passes.run(MATMUL, " ")
