#!/usr/bin/env python3
"""Benchmark of paper E's bipolar morphological (BM) layer, one run.

A 512 -> 512 BM layer on a batch of 256 (f32), three ways, with 1 and 2
threads in alternating rounds:

  * trop.bipolar_matmul through the CPU pipeline (poles, the four max-plus
    contractions as one packed GEMM sweep, exp and signed sum):
    trop-run FILE --entry bench --random-inputs --pipeline cpu
             --num-threads T --bench R
  * four separate trop.matmul <max_plus> (the four contractions alone, on
    given poles, from -inf; no log or exp: the baseline is spared that work),
    same command;
  * the paper's TensorFlow-style formulation in PyTorch eager: ln of the
    clamped input poles, broadcast (B, K, 1) + (1, K, N), amax over K, exp,
    signed sum, bias (torch.set_num_threads(T)), median of R calls.

Prints a Markdown table (median ms, and the ratios of this run).
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

B, K, N = 256, 512, 512


def t(shape):
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


BIPOLAR = f"""func.func @bench(%x: {t((B, K))}, %vp: {t((K, N))}, %vn: {t((K, N))}, %b: {t((B, N))}) -> {t((B, N))} {{
  %r = trop.bipolar_matmul ins(%x, %vp, %vn : {t((B, K))}, {t((K, N))}, {t((K, N))}) outs(%b : {t((B, N))}) -> {t((B, N))}
  return %r : {t((B, N))}
}}
"""

FOUR = f"""func.func @bench(%lp: {t((B, K))}, %ln: {t((B, K))}, %vp: {t((K, N))}, %vn: {t((K, N))}) -> ({t((B, N))}, {t((B, N))}, {t((B, N))}, {t((B, N))}) {{
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : {t((B, N))}
  %z = linalg.fill ins(%ninf : f32) outs(%e : {t((B, N))}) -> {t((B, N))}
""" + "".join(
    f"  %r{i} = trop.matmul <max_plus> ins(%{a}, %{w} : {t((B, K))}, {t((K, N))}) outs(%z : {t((B, N))}) -> {t((B, N))}\n"
    for i, (a, w) in enumerate([("lp", "vp"), ("lp", "vn"), ("ln", "vp"),
                                ("ln", "vn")])) + f"""  return %r0, %r1, %r2, %r3 : {t((B, N))}, {t((B, N))}, {t((B, N))}, {t((B, N))}
}}
"""


def trop_ms(runner, path, threads, reps):
    out = subprocess.run(
        [runner, path, "--entry", "bench", "--random-inputs", "--pipeline",
         "cpu", "--num-threads", str(threads), "--bench", str(reps)],
        check=True, capture_output=True, text=True).stdout
    return float(re.search(r"median ([0-9.]+) ms", out).group(1))


def time_rounds(runner, sources, rounds, reps, extra=None):
    """Times each MLIR source of `sources` (name -> text) with trop-run, and
    `extra(threads)` if given (under the name "extra"), with 1 and 2 threads
    in alternating rounds; returns {(name, threads): [ms per round]}."""
    rows = {}
    with tempfile.TemporaryDirectory() as work:
        paths = {}
        for name, src in sources.items():
            paths[name] = os.path.join(work, name + ".mlir")
            with open(paths[name], "w") as f:
                f.write(src)
        for _ in range(rounds):
            for threads in (1, 2):
                for name, path in paths.items():
                    rows.setdefault((name, threads), []).append(
                        trop_ms(runner, path, threads, reps))
                if extra:
                    rows.setdefault(("extra", threads), []).append(
                        extra(threads))
                print(f"round done: {threads} threads", file=sys.stderr)
    return rows


def print_table(header, row):
    """A Markdown table: `header` (column names) and row(threads) per thread
    count (the cells after the thread count)."""
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for threads in (1, 2):
        print("| " + " | ".join([str(threads)] + row(threads)) + " |")


def torch_ms(threads, reps):
    import torch
    torch.set_num_threads(threads)
    g = torch.Generator().manual_seed(0)
    x = torch.rand(B, K, generator=g) * 4 - 2
    w = torch.randn(K, N, generator=g) * 0.1
    bias = torch.randn(N, generator=g)
    vp = torch.log(torch.clamp(w, min=1e-6))
    vn = torch.log(torch.clamp(-w, min=1e-6))

    def layer(x):
        lp = torch.log(torch.clamp(x, min=0.1))
        ln = torch.log(torch.clamp(-x, min=0.1))
        y11 = torch.exp(torch.amax(lp[:, :, None] + vp[None], dim=1))
        y12 = torch.exp(torch.amax(lp[:, :, None] + vn[None], dim=1))
        y21 = torch.exp(torch.amax(ln[:, :, None] + vp[None], dim=1))
        y22 = torch.exp(torch.amax(ln[:, :, None] + vn[None], dim=1))
        return y11 - y12 - y21 + y22 + bias

    with torch.no_grad():
        layer(x)
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            layer(x)
            times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", default="build/bin/trop-run")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--torch-reps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    rows = time_rounds(args.runner, {"bipolar": BIPOLAR, "four": FOUR},
                       args.rounds, args.reps,
                       lambda threads: torch_ms(threads, args.torch_reps))

    def row(threads):
        bm = min(rows[("bipolar", threads)])
        four = min(rows[("four", threads)])
        tor = min(rows[("extra", threads)])
        return [f"{bm:.2f}", f"{four:.2f}", f"{tor:.1f}", f"{four / bm:.2f}",
                f"{tor / bm:.1f}"]
    print_table(["threads", "trop.bipolar_matmul (ms)",
                 "4 x trop.matmul max_plus (ms)", "PyTorch eager BM (ms)",
                 "x 4 GEMMs", "x PyTorch"], row)


if __name__ == "__main__":
    main()
