#!/usr/bin/env python3
"""JIT comparison of a function before and after --trop-tropnnc.

Runs the entry of the original module and of the module after

    trop-opt FILE --trop-tropnnc=OPTIONS

with trop-run on the same seeded random inputs (uniform in
[--random-min, --random-max)) and compares the float32 results:

  --mode exact: the pass only removed dead neurons, merged positive
    multiples and folded batch norm, which is exact in real arithmetic;
    float results differ only by rounding (merged columns Σ t_j c_j are
    rounded once, sums are re-associated, batch norm is folded), so
    |a - b| <= 1e-5 * (max|a| + 1) is required.
  --mode bound: the pass clustered; |a_i - b_i| <= bounds[i] + the same
    rounding allowance, with bounds[i] the per-output bound recorded on the
    consumer (valid for inputs in the ball the options name).

Prints 'ENTRY: N runs, max |a-b| = X, max |a-b|/bound = Y, OK' or the first
failure and exits 1.
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"command failed: {' '.join(cmd)}\n{out.stderr}")
    return out.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("--opt", required=True)
    ap.add_argument("--runner", required=True)
    ap.add_argument("--entry", required=True)
    ap.add_argument("--options", default="")
    ap.add_argument("--mode", choices=["exact", "bound"], required=True)
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--random-min", default="-1")
    ap.add_argument("--random-max", default="1")
    ap.add_argument("--work-dir", required=True)
    args = ap.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)

    compressed = os.path.join(args.work_dir, f"{args.entry}.mlir")
    run([args.opt, args.file, f"--trop-tropnnc={args.options}", "-o", compressed])
    text = open(compressed).read()
    body = text[text.index(f"func.func @{args.entry}("):]
    body = body[:body.index("\n  }\n")]
    attr = re.search(r"trop\.tropnnc = \{(.*?)\}\}", body).group(1)
    bounds = np.array([float(v) for v in re.search(
        r"bounds = array<f64: ([^>]*)>", attr).group(1).split(",")])
    exact = "exact = true" in attr
    if (args.mode == "exact") != exact:
        sys.exit(f"{args.entry}: expected exact = {args.mode == 'exact'}: {attr}")

    worst_diff = worst_ratio = 0.0
    for seed in range(args.seeds):
        outs = []
        for src, tag in ((args.file, "a"), (compressed, "b")):
            path = os.path.join(args.work_dir, f"{args.entry}.{tag}.{seed}.npy")
            run([args.runner, src, "--entry", args.entry, "--random-inputs",
                 "--seed", str(seed), f"--random-min={args.random_min}",
                 f"--random-max={args.random_max}", "--output", path])
            outs.append(np.load(path).astype(np.float64))
        a, b = outs
        diff = np.abs(a - b)
        tol = 1e-5 * (np.abs(a).max() + 1.0)
        allowed = tol + (bounds if args.mode == "bound" else 0.0)
        if (diff > allowed).any():
            i = np.unravel_index(np.argmax(diff - allowed), diff.shape)
            sys.exit(f"{args.entry} seed {seed}: |a-b| = {diff[i]:.6g} at {i} > allowed {np.broadcast_to(allowed, diff.shape)[i]:.6g}")
        worst_diff = max(worst_diff, float(diff.max()))
        if args.mode == "bound":
            worst_ratio = max(worst_ratio, float((diff / bounds).max()))
    print(f"{args.entry}: {args.seeds} runs, max |a-b| = {worst_diff:.3g}, "
          f"max |a-b|/bound = {worst_ratio:.3g}, OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
