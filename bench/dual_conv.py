#!/usr/bin/env python3
"""Benchmark of paper C's max-plus-min convolution in one sweep, one run.

A 3x3 MorphConv2d (max-plus-min, one shared filter, padding 1) on NHWC
f32 inputs, two ways, with 1 and 2 threads in alternating rounds:

  * two trop.conv_2d (<max_plus> and <min_plus> on the same input and
    filter), each on the packed implicit-im2col GEMM of conv_2d:
    trop-run FILE --entry bench --random-inputs --num-threads T --bench R
      --pipeline 'builtin.module(trop-cpu-pipeline{results-to-out-params=1
                  threads=T pair-max-min=0})'
  * the same module with --trop-fuse's pairing (the pipeline's default,
    pair-max-min=1): one trop.dual_conv_2d, whose direct kernel reads each
    input window once and computes each sum once for both results.

Both also run `trop-run --check` (bitwise against the reference pipeline).
Prints a Markdown table (median ms, and the ratio of this run).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

SHAPES = [(8, 32, 32, 32, 32), (8, 16, 16, 64, 64)]  # N, H, W, C, F


def t(shape):
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def module(n, h, w, c, f):
    x, k, y = t((n, h, w, c)), t((3, 3, c, f)), t((n, h, w, f))
    attrs = "{padding = array<i64: 1, 1, 1, 1>}"
    return (f"func.func @bench(%x: {x}, %w: {k}, %b: {y}, %b2: {y}) -> ({y}, {y}) {{\n"
            f"  %mx = trop.conv_2d <max_plus> {attrs} ins(%x, %w : {x}, {k}) outs(%b : {y}) -> {y}\n"
            f"  %mn = trop.conv_2d <min_plus> {attrs} ins(%x, %w : {x}, {k}) outs(%b2 : {y}) -> {y}\n"
            f"  return %mx, %mn : {y}, {y}\n}}\n")


def trop_ms(runner, path, threads, reps, pair):
    pipeline = (f"builtin.module(trop-cpu-pipeline{{results-to-out-params=1 "
                f"threads={threads} pair-max-min={int(pair)}}})")
    out = subprocess.run(
        [runner, path, "--entry", "bench", "--random-inputs", "--pipeline",
         pipeline, "--num-threads", str(threads), "--bench", str(reps)],
        check=True, capture_output=True, text=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def checked(runner, path, pair):
    pipeline = (f"builtin.module(trop-cpu-pipeline{{results-to-out-params=1 "
                f"pair-max-min={int(pair)}}})")
    proc = subprocess.run(
        [runner, path, "--entry", "bench", "--random-inputs", "--pipeline",
         pipeline, "--check"], capture_output=True, text=True)
    return "ok" if proc.returncode == 0 and "check: OK" in proc.stdout else "FAIL"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runner", default="trop-run")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="trop-bench-dual-conv-")
    print("| workload | T | two trop.conv_2d ms | one trop.dual_conv_2d ms | "
          "ratio (two / one) | check |")
    print("|---|---|---|---|---|---|")
    for shape in SHAPES:
        path = os.path.join(tmp, "x".join(map(str, shape)) + ".mlir")
        with open(path, "w") as f:
            f.write(module(*shape))
        check = f"{checked(args.runner, path, False)}/{checked(args.runner, path, True)}"
        best = {}
        for _ in range(args.rounds):
            for threads in (1, 2):
                for pair in (False, True):
                    ms = trop_ms(args.runner, path, threads, args.reps, pair)
                    key = (threads, pair)
                    best[key] = min(best.get(key, ms), ms)
        n, h, w, c, f = shape
        for threads in (1, 2):
            two, one = best[(threads, False)], best[(threads, True)]
            print(f"| MPM conv 3x3 {n}x{h}x{w}x{c} -> {f} f32 | {threads} | "
                  f"{two:.2f} | {one:.2f} | {two / one:.2f}x | {check} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
