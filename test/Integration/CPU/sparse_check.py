#!/usr/bin/env python3
"""Runs contractions with sparse constant weights through the CPU pipeline and
requires bit-identical results with the reference lowering (trop-run --check),
and that the sparse gather kernel was really used (its globals appear in the
lowered module).

Weights are random with a given density of entries other than 𝟘 (+∞ for
min semirings, −∞ for max ones, 0 for linalg.matmul), embedded as constants;
shapes cover partial row and column blocks, columns without entries, long
columns, empty dimensions (folded away before kernels are chosen), and 1 and 2
threads.
"""

import argparse
import concurrent.futures
import itertools
import os
import subprocess
import sys
import tempfile

import numpy as np

KINDS = ["max_plus", "min_plus", "max_min", "min_max", "linear"]
SHAPES = [(1, 1, 1), (7, 17, 33), (33, 1031, 17), (17, 5, 1031), (0, 5, 7),
          (5, 0, 7), (40, 64, 48), (100, 300, 70)]
DENSITIES = [0.0, 0.02, 0.15]  # at most the default switch point, 0.25


def module(kind, ty, m, k, n, density, seed):
    rng = np.random.default_rng(seed)
    dt = np.float32 if ty == "f32" else np.float64
    w = rng.uniform(-5, 5, size=(k, n)).astype(dt)
    skipped = rng.random((k, n)) >= density
    if kind == "linear":
        w[skipped] = 0.0
    else:
        w[skipped] = -np.inf if kind.startswith("max") else np.inf
    wt, at, ct = (f"tensor<{k}x{n}x{ty}>", f"tensor<{m}x{k}x{ty}>",
                  f"tensor<{m}x{n}x{ty}>")
    if kind == "linear":
        op = f"linalg.matmul ins(%a, %w : {at}, {wt}) outs(%c : {ct}) -> {ct}"
    else:
        op = (f"trop.matmul <{kind}> ins(%a, %w : {at}, {wt}) "
              f"outs(%c : {ct}) -> {ct}")
    data = w.tobytes().hex().upper()
    weight = f'dense<"0x{data}">' if data else "dense<0.0>"
    realized = float((~skipped).mean()) if skipped.size else 0.0
    return realized, (f"func.func @main(%a: {at}, %c: {ct}) -> {ct} {{\n"
            f"  %w = arith.constant {weight} : {wt}\n"
            f"  %r = {op}\n"
            f"  return %r : {ct}\n}}\n")


def cases():
    """(kind, type, shape, density, threads, seed, threaded): `threaded` cases
    are big enough for the kernel to split over OpenMP threads (small ones
    run sequentially whatever the thread count)."""
    i = 0
    for i, (kind, ty, shape) in enumerate(
            itertools.product(KINDS, ["f32", "f64"], SHAPES)):
        yield kind, ty, shape, DENSITIES[i % len(DENSITIES)], 1 + i % 2, i, False
    for j, kind in enumerate(KINDS):
        yield kind, "f32", (300, 200, 300), 0.15, 2, i + 1 + j, True


def run(runner, tmp, case):
    kind, ty, (m, k, n), density, threads, seed, threaded = case
    path = os.path.join(tmp, f"case{seed}.mlir")
    with open(path, "w") as f:
        realized, text = module(kind, ty, m, k, n, density, seed)
        f.write(text)
    proc = subprocess.run(
        [runner, path, "--entry", "main", "--pipeline", "cpu",
         f"--num-threads={threads}", "--random-inputs", f"--seed={seed}",
         "--check", "--dump-lowered"], capture_output=True, text=True)
    name = f"{kind} {ty} {m}x{k}x{n} density={density} threads={threads}"
    if proc.returncode != 0 or "check: OK" not in proc.stdout:
        return f"MISMATCH {name}: {proc.stdout.strip()} {proc.stderr[-2000:]}"
    # An empty iteration space is folded away before any kernel is chosen; a
    # tiny weight may come out denser than asked (1x1: density 0 or 1).
    expect_sparse = m * k * n > 0 and realized <= 0.25
    if threaded and "omp.parallel" not in proc.stderr:
        return f"MISMATCH {name}: the sparse kernel did not use threads"
    if expect_sparse != ("@__trop_sparse_blockptr" in proc.stderr):
        return f"MISMATCH {name}: the sparse kernel was not used"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runner", default="trop-run")
    args = parser.parse_args()
    all_cases = list(cases())
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
            for error in pool.map(lambda c: run(args.runner, tmp, c), all_cases):
                if error:
                    failures += 1
                    print(error)
    print(f"sparse kernels: {len(all_cases)} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
