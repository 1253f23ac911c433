#!/usr/bin/env python3
"""JIT test of trop.lse_matmul (the log-sum-exp semiring with temperature
beta) against numpy, to float tolerance.

Cases: random A, B and C (some rows of A and entries of C at -inf, one row
all -inf), f32 and f64, several beta; beta = 1 on A = ln x, B = ln w from
C = -inf, where exp(result) must be the ordinary product x @ w; a large beta,
where the result must lie within [max-plus, max-plus + ln(K + 1)/beta].

With --kernel-bound (the CPU pipeline's kernel, an FMA GEMM of exponentials
with a polynomial exp, docs/bipolar.md), the tolerance adds that kernel's
documented error bound, (K + 2(2 ln K + ln(1/tau)) + 16) u / beta, and a
larger shape and a partly underflowing one (outputs computed by the
definition) are added. With --edge, operands holding NaN or +inf (A, B or C)
run with --check only: every output then takes the definition,
bit-identical to the reference lowering.

Prints "lse: N cases, M elements, K mismatches"; exits 1 when K > 0.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def lse_numpy(a, b, c, beta):
    z = np.concatenate([c[:, None, :], a[:, :, None] + b[None, :, :]], axis=1)
    m = np.max(z, axis=1)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.sum(np.exp(beta * (z - safe[:, None, :])), axis=1)
        return np.where(np.isfinite(m), safe + np.log(s) / beta, m)


def tensor(shape, ty):
    return "tensor<" + "x".join(map(str, shape)) + "x" + ty + ">"


def run_case(args, work, a, b, c, ty, beta):
    m, k = a.shape
    n = b.shape[1]
    ta, tb, tc = tensor((m, k), ty), tensor((k, n), ty), tensor((m, n), ty)
    src = (f"func.func @f(%a: {ta}, %b: {tb}, %c: {tc}) -> {tc} {{\n"
           f"  %r = trop.lse_matmul {{beta = {beta!r} : f64}} ins(%a, %b : "
           f"{ta}, {tb}) outs(%c : {tc}) -> {tc}\n  return %r : {tc}\n}}\n")
    path = os.path.join(work, "lse.mlir")
    with open(path, "w") as f:
        f.write(src)
    files = []
    for name, array in (("a", a), ("b", b), ("c", c)):
        files.append(os.path.join(work, name + ".npy"))
        np.save(files[-1], array)
    out = os.path.join(work, "out.npy")
    cmd = [args.runner, path, "--entry", "f", "--pipeline", args.pipeline,
           "--output", out] + [f"--input={p}" for p in files]
    if args.check:
        cmd.append("--check")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        sys.exit(1)
    return np.load(out).astype(np.float64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", default="trop-run")
    parser.add_argument("--pipeline", default="reference")
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--kernel-bound", action="store_true")
    parser.add_argument("--edge", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(3)
    cases = elements = bad = 0

    def report(what, ok, got):
        nonlocal cases, elements, bad
        cases += 1
        elements += got.size
        if not ok.all():
            idx = tuple(np.argwhere(~ok)[0])
            print(f"differ: {what} at {idx}: got {got[idx]!r}")
            bad += int((~ok).sum())

    def kernel_tol(dtype, k, beta):
        if not args.kernel_bound:
            return 0.0
        u = np.finfo(dtype).eps / 2
        tau_log = 64 if dtype == np.float32 else 512  # ln(1/tau) / ln 2
        return (k + 2 * (2 * np.log(k) + tau_log * np.log(2)) + 16) * u / beta

    if args.edge:
        if not args.check:
            sys.exit("--edge needs --check")
        with tempfile.TemporaryDirectory() as work:
            for ty, dtype in (("f32", np.float32), ("f64", np.float64)):
                for where, value in (("a", np.inf), ("b", np.nan),
                                     ("a", np.nan), ("b", np.inf)):
                    a = rng.normal(0, 2, (6, 70)).astype(dtype)
                    b = rng.normal(0, 2, (70, 20)).astype(dtype)
                    c = rng.normal(0, 2, (6, 20)).astype(dtype)
                    {"a": a, "b": b, "c": c}[where][1, 3] = value
                    # trop-run --check fails (and run_case exits) on any
                    # difference from the reference lowering.
                    got = run_case(args, work, a, b, c, ty, 2.0)
                    report(f"{ty} {where}={value}", np.ones(got.shape, bool),
                           got)
        print(f"lse edge: {cases} cases, {elements} elements, {bad} "
              f"mismatches")
        return 1 if bad else 0

    shapes = [(1, 1, 1), (5, 9, 4), (17, 40, 13)]
    if args.kernel_bound:
        shapes.append((40, 300, 37))
    with tempfile.TemporaryDirectory() as work:
        for ty, dtype in (("f32", np.float32), ("f64", np.float64)):
            eps = np.finfo(dtype).eps
            for (m, k, n) in shapes:
                for beta in (0.5, 1.0, 8.0):
                    a = rng.normal(0, 2, (m, k)).astype(dtype)
                    b = rng.normal(0, 2, (k, n)).astype(dtype)
                    c = rng.normal(0, 2, (m, n)).astype(dtype)
                    a[rng.random((m, k)) < 0.2] = -np.inf
                    c[rng.random((m, n)) < 0.3] = -np.inf
                    if m > 1:
                        a[0, :] = -np.inf  # row 0: only C counts
                        c[0, 0] = -np.inf  # ... and (0, 0) stays -inf
                    got = run_case(args, work, a, b, c, ty, beta)
                    want = lse_numpy(a.astype(np.float64), b.astype(np.float64),
                                     c.astype(np.float64), beta)
                    fin = np.isfinite(want)
                    with np.errstate(invalid="ignore"):  # -inf - -inf
                        ok = np.where(fin, np.abs(got - want) <= 64 * eps *
                                      (1 + np.abs(want)) * max(1.0, 1 / beta)
                                      + kernel_tol(dtype, k, beta),
                                      got == want)
                    report(f"{ty} {m}x{k}x{n} beta={beta}", ok, got)
            if args.kernel_bound:
                # Rows 0-2 of A peak where B is tiny: their S underflows
                # (e^{-8 * 40}), and the definition computes them.
                a = rng.normal(0, 1, (9, 50)).astype(dtype)
                b = rng.normal(0, 1, (50, 11)).astype(dtype)
                c = np.full((9, 11), -np.inf, dtype)
                c[5, 5] = np.inf  # by the definition too: +inf
                c[6, :] = rng.normal(0, 1, 11)
                a[:3, 0] = 20
                b[0, :] = -20
                got = run_case(args, work, a, b, c, ty, 8.0)
                want = lse_numpy(a.astype(np.float64), b.astype(np.float64),
                                 c.astype(np.float64), 8.0)
                with np.errstate(invalid="ignore"):  # inf - inf
                    ok = np.where(np.isfinite(want), np.abs(got - want) <=
                                  64 * eps * (1 + np.abs(want)) +
                                  kernel_tol(dtype, 50, 8.0), got == want)
                report(f"{ty} underflowing rows", ok, got)
            # beta = 1: exp(LSE_1(ln x + ln w)) is the product sum.
            x = rng.uniform(0.1, 2, (6, 11)).astype(dtype)
            w = rng.uniform(0.1, 2, (11, 5)).astype(dtype)
            got = run_case(args, work, np.log(x), np.log(w),
                           np.full((6, 5), -np.inf, dtype), ty, 1.0)
            prod = x.astype(np.float64) @ w.astype(np.float64)
            report(f"{ty} beta=1 product sum",
                   np.abs(np.exp(got) - prod) <=
                   (64 * eps + 2 * kernel_tol(dtype, 11, 1.0)) * prod, got)
            # Large beta: within ln(K + 1)/beta above max-plus.
            a = rng.normal(0, 2, (7, 30)).astype(dtype)
            b = rng.normal(0, 2, (30, 6)).astype(dtype)
            c = np.full((7, 6), -np.inf, dtype)
            beta = 1e3
            got = run_case(args, work, a, b, c, ty, beta)
            mp = np.max(a.astype(np.float64)[:, :, None] + b[None], axis=1)
            tol = 64 * eps * (1 + np.abs(mp)) + kernel_tol(dtype, 30, beta)
            report(f"{ty} beta=1e3 tends to max-plus",
                   (got >= mp - tol) & (got <= mp + np.log(31) / beta + tol),
                   got)
    print(f"lse: {cases} cases, {elements} elements, {bad} mismatches")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
