#!/usr/bin/env python3
"""Benchmark of trop.lse_matmul (the log-sum-exp semiring), one run.

A 1024 x 1024 x 1024 f32 product, beta = 1, against trop.matmul <max_plus>
of the same shape (the f32 max-plus rate), both through the CPU pipeline,
with 1 and 2 threads in alternating rounds:

  trop-run FILE --entry bench --random-inputs --pipeline cpu
           --num-threads T --bench R

(random inputs in [-10, 10): lse_matmul's rows are dominated by a few terms,
which its kernel's GEMM of exponentials handles without falling back).
Prints a Markdown table: the median of each round, the minimum over rounds,
in ms and in G updates/s (M·N·K / time), and lse_matmul's rate as a fraction
of max-plus's in this run.
"""

import argparse

from bipolar import print_table, time_rounds

N = 1024


def source(op):
    t = f"tensor<{N}x{N}xf32>"
    return (f"func.func @bench(%a: {t}, %b: {t}, %c: {t}) -> {t} {{\n"
            f"  %r = {op} ins(%a, %b : {t}, {t}) outs(%c : {t}) -> {t}\n"
            f"  return %r : {t}\n}}\n")


OPS = {"lse": "trop.lse_matmul {beta = 1.0 : f64}",
       "maxplus": "trop.matmul <max_plus>"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", default="build/bin/trop-run")
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    rows = time_rounds(args.runner,
                       {name: source(op) for name, op in OPS.items()},
                       args.rounds, args.reps)
    giga = N ** 3 / 1e9

    def row(threads):
        lse = min(rows[("lse", threads)])
        mp = min(rows[("maxplus", threads)])
        return [f"{lse:.1f}", f"{giga / lse * 1e3:.1f}", f"{mp:.1f}",
                f"{giga / mp * 1e3:.1f}", f"{mp / lse:.2f}"]
    print_table(["threads", "lse_matmul (ms)", "G upd/s",
                 "matmul max_plus (ms)", "G upd/s",
                 "LSE rate / max-plus rate"], row)


if __name__ == "__main__":
    main()
