#!/usr/bin/env python3
"""--trop-fuse's max/min pairs are exact: a trop.matmul <max_plus> and a
trop.matmul <min_plus> on the same operands, fused into trop.dual_matmul and
lowered by the CPU pipeline (dual-accumulator kernel) and by the reference
pipeline, give bit-identical results to the two separate ops run through the
reference lowering (trop-run --check), on awkward and empty shapes, every
float type, 1 and 2 threads. Each case also confirms that the pass did fuse
the pair, and the memref form of the op is checked directly.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile


def ty(shape, elem, kind="tensor"):
    return f"{kind}<" + "".join(f"{d}x" for d in shape) + elem + ">"


def pair(m, n, k, elem, min_first):
    x, w, c = ty((m, k), elem), ty((k, n), elem), ty((m, n), elem)
    ops = [f"  %mx = trop.matmul <max_plus> ins(%x, %w : {x}, {w}) outs(%b : {c}) -> {c}",
           f"  %mn = trop.matmul <min_plus> ins(%x, %w : {x}, {w}) outs(%b2 : {c}) -> {c}"]
    if min_first:
        ops.reverse()
    body = "\n".join(ops)
    return (f"func.func @f(%x: {x}, %w: {w}, %b: {c}, %b2: {c}) -> ({c}, {c}) {{\n"
            f"{body}\n  return %mx, %mn : {c}, {c}\n}}\n")


def dual_memref(m, n, k, elem):
    x, w, c = (ty((m, k), elem, "memref"), ty((k, n), elem, "memref"),
               ty((m, n), elem, "memref"))
    return (f"func.func @f(%x: {x}, %w: {w}, %b: {c}, %b2: {c}) {{\n"
            f"  trop.dual_matmul ins(%x, %w : {x}, {w}) outs(%b, %b2 : {c}, {c})\n"
            f"  return\n}}\n")


def cases():
    shapes = [(1, 1, 1), (7, 17, 33), (33, 7, 17), (13, 64, 5), (1000, 17, 7),
              (17, 1031, 5), (5, 33, 1031), (25, 65, 600), (6, 32, 3),
              (13, 0, 5), (0, 5, 7), (4, 5, 0)]
    for i, shape in enumerate(shapes):
        yield ("pair", shape, "f32", i % 2 == 1)
    for elem in ["f64", "f16", "bf16"]:
        for shape in [(7, 17, 33), (29, 70, 300)]:
            yield ("pair", shape, elem, False)
    yield ("memref", (37, 41, 67), "f32", False)
    yield ("memref", (9, 100, 20), "f64", False)


def run(opt, runner, tmpdir, index, case):
    form, (m, n, k), elem, min_first = case
    path = os.path.join(tmpdir, f"case{index}.mlir")
    with open(path, "w") as f:
        f.write(pair(m, n, k, elem, min_first) if form == "pair"
                else dual_memref(m, n, k, elem))
    threads = 1 + index % 2
    outputs = []
    ok = True
    if form == "pair":
        fused = subprocess.run([opt, path, "--trop-fuse"], capture_output=True,
                               text=True)
        ok = fused.returncode == 0 and "trop.dual_matmul" in fused.stdout
        outputs.append("fused: " + ("yes" if ok else fused.stderr))
        pipelines = [
            f"builtin.module(trop-fuse,trop-cpu-pipeline{{results-to-out-params=1 threads={threads}}})",
            "builtin.module(trop-fuse,trop-reference-pipeline{results-to-out-params=1})"]
    else:
        pipelines = ["cpu"]
    for pipeline in pipelines:
        cmd = [runner, path, "--entry", "f", "--random-inputs", "--seed", str(index),
               "--pipeline", pipeline, "--num-threads", str(threads), "--check"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        ok = ok and proc.returncode == 0 and "check: OK" in proc.stdout
        outputs.append((proc.stdout + proc.stderr).strip())
    label = f"{form} {elem} {(m, n, k)} min_first={min_first} threads={threads}"
    return ok, label, "\n".join(outputs)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opt", required=True, help="the trop-opt executable")
    parser.add_argument("--runner", required=True, help="the trop-run executable")
    args = parser.parse_args()
    all_cases = list(cases())
    tmpdir = tempfile.mkdtemp(prefix="trop-dual-check-")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda ic: run(args.opt, args.runner, tmpdir, *ic),
                                enumerate(all_cases)))
    failures = [(label, out) for ok, label, out in results if not ok]
    for label, out in failures:
        print(f"MISMATCH: {label}\n{out}\n")
    print(f"dual_matmul: {len(all_cases)} cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
