"""Dynamic sizes: one compilation, called with arrays of any batch size, the
sizes bound at call time (docs/python.md, "Dynamic shapes")."""

import numpy as np
import pytest

import trop
from conftest import assert_tropical_equal

LAYER = """
// y = max(b, x (max,+) w) on a batch of any size.
#row = affine_map<(b, i) -> (i)>
#id = affine_map<(b, i) -> (b, i)>
func.func @forward(%x: tensor<BATCHx512xf32>, %w: tensor<512x64xf32>, %b: tensor<64xf32>) -> tensor<BATCHx64xf32> {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %x, %c0 : tensor<BATCHx512xf32>
  %e = tensor.empty(DIMS) : tensor<BATCHx64xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b : tensor<64xf32>) outs(%e : tensor<BATCHx64xf32>) {
  ^bb0(%v: f32, %unused: f32):
    linalg.yield %v : f32
  } -> tensor<BATCHx64xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<BATCHx512xf32>, tensor<512x64xf32>)
                              outs(%init : tensor<BATCHx64xf32>) -> tensor<BATCHx64xf32>
  return %y : tensor<BATCHx64xf32>
}
"""


def layer(batch=None):
    """The layer with a dynamic batch (None) or a static one."""
    if batch is None:
        return LAYER.replace("BATCH", "?").replace("DIMS", "%n")
    return LAYER.replace("BATCH", str(batch)).replace("DIMS", "")


def reference(x, w, b):
    return np.maximum(b, (x[:, :, None] + w[None, :, :]).max(axis=1))


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
def test_one_compile_many_batch_sizes(pipeline):
    rng = np.random.default_rng(0)
    w = rng.standard_normal((512, 64)).astype(np.float32)
    b = rng.standard_normal(64).astype(np.float32)
    fn = trop.compile(layer(), pipeline=pipeline).forward
    assert fn.has_dynamic_shapes
    assert fn.inputs[0].shape == (None, 512)
    assert fn.outputs[0].shape == (None, 64)
    assert fn.inputs[0].describe() == "float32 array of shape (?, 512)"
    for batch in (1, 7, 64, 1031):
        x = rng.standard_normal((batch, 512)).astype(np.float32)
        y = fn(x, w, b)
        assert y.shape == (batch, 64)
        assert_tropical_equal(y, reference(x, w, b))
        static = trop.compile(layer(batch), pipeline=pipeline).forward
        assert not static.has_dynamic_shapes
        assert_tropical_equal(y, static(x, w, b))
    # A batch of zero rows is a batch too.
    assert fn(np.zeros((0, 512), np.float32), w, b).shape == (0, 64)
    # Benchmarks bind the sizes the same way (and free each call's result).
    seconds = fn.benchmark(x, w, b, runs=3)
    assert len(seconds) == 3 and all(s >= 0 for s in seconds)


def test_static_sizes_are_still_checked():
    fn = trop.compile(layer()).forward
    w = np.zeros((512, 64), np.float32)
    b = np.zeros(64, np.float32)
    with pytest.raises(trop.TropError,
                       match=r"argument 0 \(tensor<\?x512xf32>\) expects a "
                             r"float32 array of shape \(\?, 512\), got a "
                             r"float32 array of shape \(3, 511\)"):
        fn(np.zeros((3, 511), np.float32), w, b)
    with pytest.raises(trop.TropError, match=r"shape \(\?, 512\), got a float32 "
                                             r"array of shape \(512,\)"):
        fn(np.zeros(512, np.float32), w, b)


DESTINATION = """
func.func @dst(%a: tensor<?x2xf32>, %b: tensor<2x3xf32>, %c: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x2xf32>, tensor<2x3xf32>)
                              outs(%c : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
"""


def test_sizes_the_ops_tie_must_agree():
    fn = trop.compile(DESTINATION).dst
    a = np.arange(6, dtype=np.float32).reshape(3, 2)
    b = np.ones((2, 3), np.float32)
    c = np.full((3, 3), -np.inf, np.float32)
    assert_tropical_equal(fn(a, b, c), reference(a, b, c))
    # Rows of the destination and of the input differ: the compiled loops
    # would go out of bounds, so the call is refused.
    with pytest.raises(trop.TropError,
                       match=r"disagree on a dynamic size of 'tensor<\?x3xf32>': "
                             r"dimension 0 of argument 2 \(input 2\) is 4 but "
                             r"dimension 0 of argument 0 \(input 0\) is 3"):
        fn(a, b, np.zeros((4, 3), np.float32))


SEVERAL = """
func.func @two(%a: tensor<?x?xf32>) -> (tensor<?x?xf32>, tensor<?x?xf32>, tensor<2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %a, %c0 : tensor<?x?xf32>
  %n = tensor.dim %a, %c1 : tensor<?x?xf32>
  %e = tensor.empty(%n, %m) : tensor<?x?xf32>
  %t = linalg.transpose ins(%a : tensor<?x?xf32>) outs(%e : tensor<?x?xf32>)
                        permutation = [1, 0]
  %k = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %a, %t, %k : tensor<?x?xf32>, tensor<?x?xf32>, tensor<2xf32>
}

func.func @double(%m: memref<?xi32>) {
  linalg.map { arith.addi } ins(%m, %m : memref<?xi32>, memref<?xi32>)
                            outs(%m : memref<?xi32>)
  return
}
"""


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
def test_several_dynamic_results_and_written_memrefs(pipeline):
    mod = trop.compile(SEVERAL, pipeline=pipeline)
    for shape in [(3, 5), (1, 1), (0, 4)]:
        a = np.arange(np.prod(shape), dtype=np.float32).reshape(shape)
        same, transposed, constant = mod.two(a)
        assert_tropical_equal(same, a)
        assert_tropical_equal(transposed, a.T)
        assert_tropical_equal(constant, np.array([1, 2], np.float32))
    for n in (1, 17):
        m = np.arange(n, dtype=np.int32)
        out = mod.double(m)
        np.testing.assert_array_equal(out, 2 * m)
        np.testing.assert_array_equal(m, np.arange(n))  # never modified
