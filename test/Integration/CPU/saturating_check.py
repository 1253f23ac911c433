#!/usr/bin/env python3
"""Runs i8, i16 and i64 max_plus/min_plus contractions through the CPU pipeline,
whose GEMM computes them in their own width with a saturating add, and
requires bit-identical results with the reference lowering (trop-run --check)
and that the saturating kernel was used (`llvm.intr.sadd.sat` in the lowered
module).

The saturating add does not absorb 𝟘 by itself: the micro-kernel masks the
𝟘 lanes in panel pairs where packing met a 𝟘 and skips the masks elsewhere.
The inputs are laid out so that every variant runs whatever the register
tile (12 or 6 rows, 64 to 256 columns): 𝟘 only in the first rows of A and in
the first columns of B, and values over the whole range so that sums
saturate at both ends. C's init holds 𝟘 too. A short reduction and a mostly-𝟘 init make a
product that failed to absorb its 𝟘 visible. Convolutions put 𝟘 in A through
their padding.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

INFO = {"i8": np.int8, "i16": np.int16, "i64": np.int64}


def operands(ty, semiring, m, k, n, a_zero_rows, b_zero_cols, rng, half=False):
    dt = INFO[ty]
    lo, hi = np.iinfo(dt).min, np.iinfo(dt).max
    zero = lo if semiring == "max_plus" else hi
    if half:
        return half_range_operands(dt, zero, m, k, n, a_zero_rows, b_zero_cols, rng)
    def draw(shape):
        # Avoid 𝟘 except where placed; half the values near the extremes.
        x = rng.integers(lo + 1, hi, size=shape, endpoint=True)
        near = rng.random(shape) < 0.5
        x[near] = np.clip(np.sign(x[near]) * (hi - rng.integers(0, 8, size=near.sum())),
                          lo + 1, hi)
        x[x == zero] = 0
        return x.astype(dt)
    a, b, c = draw((m, k)), draw((k, n)), draw((m, n))
    # Dense 𝟘 and a mostly-𝟘 init: with a short reduction, a product that
    # failed to absorb its 𝟘 would often be the largest (smallest) term.
    a[:a_zero_rows][rng.random((min(a_zero_rows, m), k)) < 0.6] = zero
    b[:, :b_zero_cols][rng.random((k, min(b_zero_cols, n))) < 0.6] = zero
    c[rng.random((m, n)) < 0.8] = zero
    return a, b, c


def half_range_operands(dt, zero, m, k, n, a_rows, b_cols, rng):
    """Values in the half range [MIN/2, MAX/2] (the wrapping-add kernel), except
    in the first rows of A and columns of B: values beyond it whose sums
    overflow (no 𝟘 in the first half of those, 𝟘 too in the second)."""
    lo, hi = np.iinfo(dt).min, np.iinfo(dt).max
    q = (hi + 1) // 2
    a = rng.integers(-q, q, size=(m, k))
    b = rng.integers(-q, q, size=(k, n))
    c = rng.integers(lo, hi, size=(m, n), endpoint=True)
    def widen(x, mask, with_zero):
        x[mask] = np.where(rng.random(mask.sum()) < 0.5, hi - rng.integers(0, 4, mask.sum()),
                           lo + 1 + rng.integers(0, 4, mask.sum()))
        if with_zero:
            x[mask & (rng.random(x.shape) < 0.3)] = zero
    ra, rb = np.zeros((m, k), bool), np.zeros((k, n), bool)
    ra[:a_rows] = rng.random((min(a_rows, m), k)) < 0.4
    rb[:, :b_cols] = rng.random((k, min(b_cols, n))) < 0.4
    half_a, half_b = np.zeros_like(ra), np.zeros_like(rb)
    half_a[: a_rows // 2] = True
    half_b[:, : b_cols // 2] = True
    widen(a, ra & half_a, False)
    widen(a, ra & ~half_a, True)
    widen(b, rb & half_b, False)
    widen(b, rb & ~half_b, True)
    c[rng.random((m, n)) < 0.5] = zero
    return a.astype(dt), b.astype(dt), c.astype(dt)


def matmul_module(ty, semiring, m, k, n):
    at, bt, ct = (f"tensor<{m}x{k}x{ty}>", f"tensor<{k}x{n}x{ty}>",
                  f"tensor<{m}x{n}x{ty}>")
    return (f"func.func @f(%a: {at}, %b: {bt}, %c: {ct}) -> {ct} {{\n"
            f"  %r = trop.matmul <{semiring}> ins(%a, %b : {at}, {bt}) "
            f"outs(%c : {ct}) -> {ct}\n  return %r : {ct}\n}}\n")


def conv_module(ty, semiring, x, f, y):
    xt = "tensor<{}x{}>".format("x".join(map(str, x)), ty)
    ft = "tensor<{}x{}>".format("x".join(map(str, f)), ty)
    yt = "tensor<{}x{}>".format("x".join(map(str, y)), ty)
    return (f"func.func @f(%x: {xt}, %w: {ft}, %y: {yt}) -> {yt} {{\n"
            f"  %r = trop.conv_2d <{semiring}> {{padding = array<i64: 1, 1, 1, 1>}} "
            f"ins(%x, %w : {xt}, {ft}) outs(%y : {yt}) -> {yt}\n"
            f"  return %r : {yt}\n}}\n")


def cases():
    # (op, type, semiring, (m, k, n), rows of A with 𝟘, columns of B with 𝟘,
    #  values in the half range elsewhere)
    for ty in ("i8", "i16", "i64"):
        for semiring in ("max_plus", "min_plus"):
            yield ("matmul", ty, semiring, (40, 70, 300), 6, 64, False)
            yield ("matmul", ty, semiring, (40, 5, 300), 6, 64, False)
            yield ("matmul", ty, semiring, (25, 600, 140), 0, 0, False)
            yield ("matmul", ty, semiring, (13, 33, 7), 13, 7, False)
            # Half-range panels (wrapping add) next to panels with values
            # beyond it, with and without 𝟘.
            yield ("matmul", ty, semiring, (48, 40, 300), 12, 128, True)
            yield ("matmul", ty, semiring, (30, 600, 70), 0, 0, True)
    for ty in ("i8", "i16", "i64"):
        yield ("conv", ty, "max_plus", ((2, 7, 6, 64), (3, 3, 64, 70)), 0, 0, False)
        # Half-range values: the padding is the only 𝟘, and it must keep its
        # panels off the wrapping-add kernel.
        yield ("conv", ty, "min_plus", ((2, 7, 6, 64), (3, 3, 64, 70)), 0, 0, True)


def run(runner, tmp, index, case):
    op, ty, semiring, shape, a_rows, b_cols, half = case
    rng = np.random.default_rng(index)
    if op == "matmul":
        m, k, n = shape
        a, b, c = operands(ty, semiring, m, k, n, a_rows, b_cols, rng, half)
        text = matmul_module(ty, semiring, m, k, n)
    else:
        (nb, h, w, ch), (kh, kw, _, f) = shape
        x2, w2, y2 = operands(ty, semiring, nb * h * w, ch, f, 0, 0, rng, half)
        a = x2.reshape(nb, h, w, ch)
        b = rng.permutation(np.resize(w2, (kh, kw, ch, f)).ravel()).reshape(kh, kw, ch, f)
        c = np.resize(y2, (nb, h, w, f))
        text = conv_module(ty, semiring, a.shape, b.shape, c.shape)
    path = os.path.join(tmp, f"case{index}.mlir")
    with open(path, "w") as fh:
        fh.write(text)
    cmd = [runner, path, "--entry", "f", "--pipeline", "cpu", "--check",
           "--num-threads", str(1 + index % 2), "--dump-lowered"]
    for name, arr in (("a", a), ("b", b), ("c", c)):
        p = os.path.join(tmp, f"case{index}_{name}.npy")
        np.save(p, arr)
        cmd += ["--input", p]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    ok = proc.returncode == 0 and "check: OK" in proc.stdout
    label = (f"{op} {semiring} {ty} {shape} zero rows/cols {a_rows}/{b_cols}"
             f"{' half range' if half else ''}")
    if ok and "llvm.intr.sadd.sat" not in proc.stderr:
        return False, label, "the saturating kernel was not used"
    return ok, label, (proc.stdout + proc.stderr[-2000:]).strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runner", required=True, help="the trop-run executable")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="trop-saturating-")
    failures = 0
    all_cases = list(cases())
    for index, case in enumerate(all_cases):
        ok, label, out = run(args.runner, tmp, index, case)
        if not ok:
            failures += 1
            print(f"MISMATCH {label}\n{out}")
    print(f"saturating kernels: {len(all_cases)} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
