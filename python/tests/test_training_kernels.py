"""The CPU pipeline's packed winners kernel (trop.matmul_winners in the
packed GEMM's winners mode): values and winners equal to the reference
lowering's, bit for bit, on awkward shapes (edge tiles, several reduction
blocks, empty), both semirings, f32 and f64, both NaN modes, 1 and 2
threads, on data full of ties and with infinities."""

import numpy as np
import pytest

import trop

WINNERS = """
func.func @f(%a: tensor<{m}x{k}x{t}>, %b: tensor<{k}x{n}x{t}>, %c: tensor<{m}x{n}x{t}>, %w: tensor<{m}x{n}xi64>) -> (tensor<{m}x{n}x{t}>, tensor<{m}x{n}xi64>) {{
  %y, %v = trop.matmul_winners <{s}> ins(%a, %b : tensor<{m}x{k}x{t}>, tensor<{k}x{n}x{t}>) outs(%c, %w : tensor<{m}x{n}x{t}>, tensor<{m}x{n}xi64>) -> tensor<{m}x{n}x{t}>, tensor<{m}x{n}xi64>
  return %y, %v : tensor<{m}x{n}x{t}>, tensor<{m}x{n}xi64>
}}
"""

DTYPES = {"f32": np.float32, "f64": np.float64}


def tied(rng, shape, dtype, specials=False):
    """Small integers: most outputs have several equal best products (and
    an initial value equal to some of them), so the tie rule decides."""
    x = rng.integers(-3, 4, shape).astype(dtype)
    if specials and x.size:
        flat = x.reshape(-1)
        picks = rng.choice(flat.size, size=max(1, flat.size // 50))
        flat[picks] = rng.choice([np.inf, -np.inf, np.nan], size=picks.size)
    return x


def run_both(m, k, n, t, semiring, nan_mode, threads, specials=False, seed=0):
    rng = np.random.default_rng(seed + m * 7919 + k * 31 + n)
    dtype = DTYPES[t]
    a, b = tied(rng, (m, k), dtype, specials), tied(rng, (k, n), dtype, specials)
    c = tied(rng, (m, n), dtype)
    w = rng.integers(-1, 2, (m, n)).astype(np.int64)  # kept where c wins
    source = WINNERS.format(m=m, k=k, n=n, t=t, s=semiring)
    ref = trop.compile(source, pipeline="reference", nan_mode=nan_mode).f(a, b, c, w)
    got = trop.compile(source, pipeline="cpu", nan_mode=nan_mode, threads=threads).f(a, b, c, w)
    return ref, got


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("t", ["f32", "f64"])
@pytest.mark.parametrize("m,k,n", [(1, 1, 1), (7, 17, 33), (33, 1031, 7), (17, 1000, 33),
                                   (40, 600, 70), (0, 5, 3), (3, 0, 4), (5, 3, 0)])
def test_winners_kernel_equals_reference(m, k, n, t, threads):
    for semiring in ("max_plus", "min_plus"):
        ref, got = run_both(m, k, n, t, semiring, "assume-none", threads)
        assert np.array_equal(ref[0], got[0]), semiring
        assert np.array_equal(ref[1], got[1]), semiring


@pytest.mark.parametrize("semiring", ["max_plus", "min_plus"])
@pytest.mark.parametrize("t", ["f32", "f64"])
def test_winners_kernel_propagate_with_infinities_and_nan(semiring, t):
    """NaN never wins (the compare is ordered) but propagates into the value;
    +∞ met −∞ is 𝟘 and never wins either."""
    ref, got = run_both(29, 530, 37, t, semiring, "propagate", 2, specials=True)
    assert np.array_equal(ref[0], got[0], equal_nan=True)
    assert np.array_equal(ref[1], got[1])
    assert np.isnan(ref[0]).any() and np.isinf(ref[0]).any()


def test_winners_kernel_other_types_take_the_reference_lowering():
    """f16 compares products rounded to f16, which the f32 registers of the
    packed kernel would not: it keeps the reference lowering, still exact."""
    m, k, n = 9, 20, 18
    rng = np.random.default_rng(3)
    a = tied(rng, (m, k), np.float16)
    b = tied(rng, (k, n), np.float16)
    c = np.full((m, n), -np.inf, np.float16)
    w = np.full((m, n), -1, np.int64)
    source = WINNERS.format(m=m, k=k, n=n, t="f16", s="max_plus")
    ref = trop.compile(source, pipeline="reference").f(a, b, c, w)
    got = trop.compile(source, pipeline="cpu", threads=2).f(a, b, c, w)
    assert np.array_equal(ref[0], got[0]) and np.array_equal(ref[1], got[1])
