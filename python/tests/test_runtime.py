"""trop.compile and compiled functions: numpy in, numpy out, errors as
TropError (never a crash)."""

import os
import subprocess
import sys

import numpy as np
import pytest

import trop
from conftest import REPO_ROOT, assert_tropical_equal

MAXPLUS = """
// y = max(b, x (max,+) w): paper A's max-plus layer, weights as arguments.
#row = affine_map<(b, i) -> (i)>
#id = affine_map<(b, i) -> (b, i)>
func.func @forward(%x: tensor<4x8xf32>, %w: tensor<8x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b : tensor<3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %unused: f32):
    linalg.yield %v : f32
  } -> tensor<4x3xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<4x8xf32>, tensor<8x3xf32>)
                              outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

func.func @erode(%x: tensor<4x8xf32>, %w: tensor<8x3xf32>, %c: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %y = trop.matmul <min_plus> ins(%x, %w : tensor<4x8xf32>, tensor<8x3xf32>)
                              outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

func.func private @helper(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  return %x : tensor<4x8xf32>
}
"""


def maxplus_ref(x, w, init):
    return np.maximum(init, (x[:, :, None] + w[None, :, :]).max(axis=1))


def minplus_ref(x, w, init):
    return np.minimum(init, (x[:, :, None] + w[None, :, :]).min(axis=1))


@pytest.fixture(scope="module")
def mod():
    return trop.compile(MAXPLUS)


def rand(*shape, dtype=np.float32):
    return np.random.standard_normal(shape).astype(dtype)


def test_library_is_found():
    path = trop.library_path()
    assert os.path.basename(path) == "libTropCAPI.so"


@pytest.mark.parametrize("pipeline", ["cpu", "reference"])
def test_call_by_attribute_and_name(pipeline):
    m = trop.compile(MAXPLUS, pipeline=pipeline)
    x, w, b = rand(4, 8), rand(8, 3), rand(3)
    y = m.forward(x, w, b)
    assert isinstance(y, np.ndarray) and y.dtype == np.float32
    assert_tropical_equal(y, maxplus_ref(x, w, np.broadcast_to(b, (4, 3))))
    assert_tropical_equal(m["forward"](x, w, b), y)
    c = rand(4, 3)
    assert_tropical_equal(m.erode(x, w, c), minplus_ref(x, w, c))


def test_functions_and_signature(mod):
    assert set(mod.functions) == {"forward", "erode"}  # @helper is private
    assert "forward" in mod and "helper" not in mod
    f = mod.forward
    assert f.name == "forward"
    assert [t.type for t in f.inputs] == ["tensor<4x8xf32>", "tensor<8x3xf32>",
                                          "tensor<3xf32>"]
    assert [t.shape for t in f.inputs] == [(4, 8), (8, 3), (3,)]
    assert all(t.dtype == np.float32 and t.element_type == "f32" for t in f.inputs)
    assert f.outputs[0].shape == (4, 3) and f.outputs[0].argument_index is None
    assert f.num_updates == 4 * 8 * 3
    assert "forward(tensor<4x8xf32>" in repr(f)


def test_arguments_are_not_modified(mod):
    x, w, c = rand(4, 8), rand(8, 3), rand(4, 3)
    c0 = c.copy()
    mod.erode(x, w, c)
    assert_tropical_equal(c, c0)


def test_non_contiguous_and_torch_inputs(mod):
    torch = pytest.importorskip("torch")
    x, w, b = rand(8, 4).T, rand(3, 8).T, rand(3)
    assert not x.flags.c_contiguous
    expected = maxplus_ref(x, w, np.broadcast_to(b, (4, 3)))
    assert_tropical_equal(mod.forward(x, w, b), expected)
    assert_tropical_equal(mod.forward(torch.from_numpy(np.ascontiguousarray(x)),
                                      torch.from_numpy(w.copy()), torch.from_numpy(b)),
                          expected)


def test_wrong_shape(mod):
    with pytest.raises(trop.TropError, match=r"forward: argument 0 \(tensor<4x8xf32>\) "
                       r"expects a float32 array of shape \(4, 8\), got a float32 "
                       r"array of shape \(4, 9\)"):
        mod.forward(rand(4, 9), rand(8, 3), rand(3))


def test_wrong_dtype(mod):
    with pytest.raises(trop.TropError, match=r"argument 1 \(tensor<8x3xf32>\) expects "
                       r"a float32 array of shape \(8, 3\), got a float64 array"):
        mod.forward(rand(4, 8), rand(8, 3, dtype=np.float64), rand(3))


def test_wrong_argument_count(mod):
    with pytest.raises(trop.TropError, match=r"forward takes 3 arguments .* got 2"):
        mod.forward(rand(4, 8), rand(8, 3))


def test_lists_are_converted(mod):
    b = [0.5, -1.0, 2.0]
    x, w = rand(4, 8), rand(8, 3)
    expected = maxplus_ref(x, w, np.broadcast_to(np.array(b, np.float32), (4, 3)))
    assert_tropical_equal(mod.forward(x, w, b), expected)
    with pytest.raises(trop.TropError, match="argument 2"):
        mod.forward(x, w, [1.0, 2.0])


SCALAR = """
func.func @shift(%x: tensor<f32>, %c: tensor<2xi8>) -> (tensor<f32>, tensor<2xi8>) {
  return %x, %c : tensor<f32>, tensor<2xi8>
}
"""


def test_nothing_is_converted_silently():
    """None, strings, booleans, complex numbers, out-of-range or fractional
    integers, and masks are refused, never turned into values."""
    f = trop.compile(SCALAR).shift
    c = np.array([1, -2], np.int8)
    x, y = f(2.5, [1, -2])
    assert x == np.float32(2.5) and np.array_equal(y, c)
    for bad_x in (None, "1.5", b"1.5", True, 1 + 2j, [None]):
        with pytest.raises(trop.TropError, match=r"argument 0 \(tensor<f32>\)"):
            f(bad_x, c)
    for bad_c in ([1.5, 2], [1, 300], [-129, 0], ["1", "2"], [True, False]):
        with pytest.raises(trop.TropError, match=r"argument 1 \(tensor<2xi8>\)"):
            f(1.0, bad_c)


def test_masked_arrays(mod):
    x, w = rand(4, 8), rand(8, 3)
    b = np.ma.masked_array(np.array([0.5, -1.0, 2.0], np.float32), mask=[0, 1, 0])
    with pytest.raises(trop.TropError, match="masked elements"):
        mod.forward(x, w, b)
    # Without a masked element the data is used as it is.
    b.mask = np.ma.nomask
    expected = maxplus_ref(x, w, np.broadcast_to(b.data, (4, 3)))
    assert_tropical_equal(mod.forward(x, w, b), expected)


def test_unknown_function(mod):
    with pytest.raises(trop.TropError, match="nope"):
        mod["nope"]
    with pytest.raises(AttributeError, match="nope"):
        mod.nope


def test_parse_error_is_a_trop_error():
    with pytest.raises(trop.TropError) as info:
        trop.compile("func.func @forward(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
                     "  return %y : tensor<2xf32>\n}\n")
    assert "use of undeclared SSA value name" in str(info.value)


def test_verifier_error_carries_the_mlir_message():
    bad = """
func.func @forward(%a: tensor<4x8xf32>, %b: tensor<7x3xf32>, %c: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %y = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<7x3xf32>)
                              outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}
"""
    with pytest.raises(trop.TropError) as info:
        trop.compile(bad)
    message = str(info.value)
    assert "'trop.matmul' op" in message
    assert "8" in message and "7" in message


def test_garbage_and_empty_modules():
    with pytest.raises(trop.TropError):
        trop.compile("this is not MLIR")
    with pytest.raises(trop.TropError, match="no public func.func"):
        trop.compile("module {}")


PARSER_HAZARDS = [
    ("func.func @f() attributes {a = array<index: 1>} {\n  return\n}\n",
     "array<index: ...> is not supported"),
    ("func.func @f(%a: tensor<4xf32>, %b: tensor<4x8xf32>) {\n"
     "  %r = linalg.broadcast ins(%a : tensor<4xf32>) outs(%b : tensor<4x8xf32>)"
     " dimensions = [1\n  return\n}\n",
     "expected 'dimensions = [' integers ']'"),
    ("func.func @f() {\n" + "scf.execute_region {\n" * 5000 + "scf.yield\n"
     + "}\nscf.yield\n" * 4999 + "}\nreturn\n}\n",
     "brackets nested deeper than 256 levels"),
]


def test_parser_hazards_are_trop_errors():
    """Input on which MLIR 22's parser crashes (an index dense array, a bad
    `dimensions`, regions nested 5,000 deep) is a TropError, and the process
    lives on. In a child process, so that a crash fails this test only."""
    code = ("import trop, test_runtime as h\n"
            "for source, expected in h.PARSER_HAZARDS:\n"
            "    try:\n"
            "        trop.compile(source)\n"
            "        print('COMPILED')\n"
            "    except trop.TropError as e:\n"
            "        print('TROPERROR', expected in str(e))\n"
            "print(trop.compile('func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> "
            "{ return %x : tensor<2xf32> }').f([1.0, 2.0]))\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.join(REPO_ROOT, "python"), os.path.dirname(__file__)]))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split("\n") == ["TROPERROR True"] * 3 + ["[1. 2.]", ""], out.stdout


def test_a_function_that_cannot_compile_fails_on_use():
    # (A dynamically shaped function compiles since dynamic sizes are bound
    # at call time: test_dynamic_shapes.py; a scalar argument still cannot.)
    src = """
func.func @good(%x: tensor<2xf32>) -> tensor<2xf32> { return %x : tensor<2xf32> }
func.func @scalar(%x: f32) -> f32 { return %x : f32 }
"""
    m = trop.compile(src)
    assert list(m.functions) == ["good"]
    np.testing.assert_array_equal(m.good([1.0, 2.0]), [1.0, 2.0])
    with pytest.raises(trop.TropError, match="not a ranked tensor or memref"):
        m["scalar"]
    with pytest.raises(trop.TropError, match="not a ranked tensor or memref"):
        trop.compile(src.split("\n", 2)[2])  # only the scalar one: compile fails


def test_generic_form():
    src = """
"func.func"() <{function_type = (tensor<2xf32>) -> tensor<2xf32>, sym_name = "ident"}> ({
^bb0(%arg0: tensor<2xf32>):
  "func.return"(%arg0) : (tensor<2xf32>) -> ()
}) : () -> ()
"""
    m = trop.compile(src)
    np.testing.assert_array_equal(m.ident(np.array([3.0, 4.0], np.float32)), [3.0, 4.0])


def test_bad_options():
    with pytest.raises(trop.TropError):
        trop.compile(MAXPLUS, pipeline="no-such-pipeline")
    with pytest.raises(ValueError):
        trop.compile(MAXPLUS, nan_mode="sometimes")
    with pytest.raises(TypeError):
        trop.compile(42)


@pytest.mark.parametrize("threads", [-1, trop.MAX_THREADS + 1, 100000, 2**62, 2**64])
def test_thread_counts_are_bounded(threads):
    """Checked before ctypes (2**64 became 0 there) and before OpenMP (which
    aborted the process on 100000)."""
    with pytest.raises(ValueError, match=r"threads must be between 0 and 1024"):
        trop.compile(MAXPLUS, threads=threads)


def test_thread_count_types():
    with pytest.raises(TypeError, match="threads must be an integer"):
        trop.compile(MAXPLUS, threads=1.5)
    assert trop.compile(MAXPLUS, threads=np.int64(2)).threads == 2


@pytest.mark.parametrize("runs", [0, trop.MAX_BENCHMARK_RUNS + 1, 2**32 - 1, 2**64])
def test_benchmark_runs_are_bounded(mod, runs):
    x, w, b = rand(4, 8), rand(8, 3), rand(3)
    with pytest.raises(trop.TropError, match=r"runs must be between 1 and 1000000"):
        mod.forward.benchmark(x, w, b, runs=runs)


def test_nan_modes_agree_on_nan_free_inputs():
    x, w, c = rand(4, 8), rand(8, 3), rand(4, 3)
    results = [trop.compile(MAXPLUS, pipeline=p, nan_mode=n, threads=t).erode(x, w, c)
               for p, n, t in [("cpu", None, 1), ("cpu", "propagate", 2),
                               ("reference", "assume-none", 0)]]
    for r in results[1:]:
        assert_tropical_equal(r, results[0])


def test_nan_propagates_with_propagate():
    m = trop.compile(MAXPLUS, pipeline="reference", nan_mode="propagate")
    x, w, b = rand(4, 8), rand(8, 3), rand(3)
    x[1, 2] = np.nan
    y = m.forward(x, w, b)
    assert np.isnan(y[1]).all() and not np.isnan(np.delete(y, 1, axis=0)).any()


def test_infinities():
    m = trop.compile(MAXPLUS)
    x, w, b = rand(4, 8), rand(8, 3), np.full(3, -np.inf, np.float32)
    w[:, 1] = -np.inf  # a neuron with no connections and a -inf bias
    y = m.forward(x, w, b)
    assert (y[:, 1] == -np.inf).all()
    assert_tropical_equal(y, maxplus_ref(x, w, np.broadcast_to(b, (4, 3))))


def test_opposite_infinities_meet():
    """+inf meets -inf in ⊗: 𝟘 absorbs the top (docs/semantics.md), so the
    product is -inf in max-plus and never wins ⊕, in every pipeline and NaN
    mode, Python's default (cpu, assume-none) included."""
    x = np.full((4, 8), np.inf, np.float32)
    x[:, 0] = 2.0
    w = np.full((8, 3), -np.inf, np.float32)
    w[0, 0] = 1.0
    b = np.array([-np.inf, 5.0, -np.inf], np.float32)
    expected = np.broadcast_to(np.array([3.0, 5.0, -np.inf], np.float32), (4, 3))
    for p, n in [("cpu", None), ("cpu", "propagate"), ("reference", None),
                 ("reference", "assume-none")]:
        y = trop.compile(MAXPLUS, pipeline=p, nan_mode=n).forward(x, w, b)
        np.testing.assert_array_equal(y, expected)


BF16 = """
func.func @forward(%a: tensor<2x3xbf16>, %b: tensor<3x2xbf16>, %c: tensor<2x2xbf16>) -> tensor<2x2xbf16> {
  %y = trop.matmul <max_plus> ins(%a, %b : tensor<2x3xbf16>, tensor<3x2xbf16>)
                              outs(%c : tensor<2x2xbf16>) -> tensor<2x2xbf16>
  return %y : tensor<2x2xbf16>
}
"""


def test_bf16_as_uint16_bits():
    m = trop.compile(BF16)
    assert m.forward.inputs[0].dtype == np.uint16
    assert m.forward.inputs[0].element_type == "bf16"
    a = np.array([[1, 2, 3], [-4, 0.5, 8]], np.float32)
    b = np.array([[0, 1], [1, 0], [-1, -2]], np.float32)
    c = np.full((2, 2), -np.inf, np.float32)
    y = m.forward(trop.to_bf16(a), trop.to_bf16(b), trop.to_bf16(c))
    assert y.dtype == np.uint16
    assert_tropical_equal(trop.from_bf16(y), maxplus_ref(a, b, c))
    with pytest.raises(trop.TropError, match="bf16 arguments take the bit patterns"):
        m.forward(a, b, c)


def test_bf16_rounding_helpers():
    v = np.array([1.0, 1.00390625, 1.01171875, -3.5, np.inf, -np.inf], np.float32)
    back = trop.from_bf16(trop.to_bf16(v))
    # 1 + 2^-8 is a tie: rounds to even (1.0); 1 + 3·2^-8 rounds up.
    np.testing.assert_array_equal(back, [1.0, 1.0, 1.015625, -3.5, np.inf, -np.inf])
    assert np.isnan(trop.from_bf16(trop.to_bf16(np.array([np.nan], np.float32))))[0]


MEMREF = """
func.func @update(%a: memref<2x3xi32>, %b: memref<3x2xi32>, %c: memref<2x2xi32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<2x3xi32>, memref<3x2xi32>)
                         outs(%c : memref<2x2xi32>)
  return
}
"""


def test_memref_function_returns_the_argument_it_writes():
    m = trop.compile(MEMREF)
    f = m.update
    assert len(f.outputs) == 1 and f.outputs[0].argument_index == 2
    a = np.array([[1, 2, 3], [4, 5, 6]], np.int32)
    b = np.array([[0, 10], [5, -1], [2, 2]], np.int32)
    c = np.zeros((2, 2), np.int32)
    y = f(a, b, c)
    np.testing.assert_array_equal(y, maxplus_ref(a, b, c))
    np.testing.assert_array_equal(c, 0)  # the caller's array is untouched


def test_several_results_and_benchmark():
    src = """
func.func @two(%x: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
  return %x, %x : tensor<3xf64>, tensor<3xf64>
}
"""
    m = trop.compile(src)
    x = np.array([1.0, -2.0, 3.5])
    a, b = m.two(x)
    np.testing.assert_array_equal(a, x)
    np.testing.assert_array_equal(b, x)
    times = m.two.benchmark(x, runs=3)
    assert len(times) == 3 and all(t >= 0 for t in times)


def test_missing_library_is_an_import_error(tmp_path):
    code = ("import trop\n"
            "try:\n"
            "    trop.compile('func.func @f() { return }')\n"
            "except ImportError as e:\n"
            "    print('IMPORTERROR', type(e).__name__, e)\n")
    env = dict(os.environ, TROP_CAPI_LIBRARY=str(tmp_path / "libTropCAPI.so"),
               PYTHONPATH=os.path.join(REPO_ROOT, "python"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=60)
    assert "IMPORTERROR LibraryNotFoundError" in out.stdout, out.stderr
    assert "TROP_CAPI_LIBRARY" in out.stdout


def test_import_trop_does_not_import_torch():
    code = "import sys, trop; print('torch' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO_ROOT, "python"))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


I64_MATMUL = """
func.func @f(%a: tensor<5x9xi64>, %b: tensor<9x7xi64>, %c: tensor<5x7xi64>) -> tensor<5x7xi64> {
  %r = trop.matmul <{semiring}> ins(%a, %b : tensor<5x9xi64>, tensor<9x7xi64>) outs(%c : tensor<5x7xi64>) -> tensor<5x7xi64>
  return %r : tensor<5x7xi64>
}
"""


@pytest.mark.parametrize("semiring", ["max_plus", "min_plus"])
@pytest.mark.parametrize("pipeline", ["reference", "cpu"])
def test_i64_saturates_and_zero_absorbs(semiring, pipeline):
    """i64 `_plus` contractions: the exact sum clamped to int64's range, 𝟘
    absorbing (docs/semantics.md), computed here with Python's unbounded
    integers."""
    info = np.iinfo(np.int64)
    zero = info.min if semiring == "max_plus" else info.max
    rng = np.random.default_rng(64)
    near = [info.min + 1, info.max, info.max - 3, info.min + 5, 0, -1, 1, zero]
    a = rng.choice(near + list(rng.integers(-2**62, 2**62, 8)), size=(5, 9))
    b = rng.choice(near + list(rng.integers(-2**62, 2**62, 8)), size=(9, 7))
    c = rng.choice([zero, 7, -7], size=(5, 7))
    a, b, c = (x.astype(np.int64) for x in (a, b, c))
    pick = max if semiring == "max_plus" else min
    expected = np.empty_like(c)
    for i in range(5):
        for j in range(7):
            acc = int(c[i, j])
            for k in range(9):
                x, y = int(a[i, k]), int(b[k, j])
                p = zero if zero in (x, y) else min(max(x + y, info.min), info.max)
                acc = pick(acc, p)
            expected[i, j] = acc
    f = trop.compile(I64_MATMUL.replace("{semiring}", semiring), pipeline=pipeline).f
    assert np.array_equal(f(a, b, c), expected)
