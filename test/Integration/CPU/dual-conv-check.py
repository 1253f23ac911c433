#!/usr/bin/env python3
"""trop.dual_conv_2d is exact: a trop.conv_2d <max_plus> and a <min_plus>
reading the same input with the same window (one shared filter: paper C's
max-plus-min MorphConv2d; two filters: the convolutional DEP), fused by
--trop-fuse into trop.dual_conv_2d and lowered by the CPU pipeline (direct
dual kernel) and by the reference pipeline, give bit-identical results to
the two separate ops through the reference lowering (trop-run --check), on
awkward shapes (pixels and channels that fill no register tile, strides,
dilations, asymmetric padding wider than the window, 1×1 dense rows), every
float type, 1 and 2 threads. Each case also confirms that the pass fused
the pair. Cases with ±∞ filter entries meeting the padding run the CPU
pipeline in nan-mode=propagate, where they are defined; the memref form of
the op is checked directly (CPU kernel against its reference lowering).
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile


def ty(shape, elem, kind="tensor"):
    return f"{kind}<" + "x".join(str(d) for d in shape) + "x" + elem + ">"


def out_size(size, pad_lo, pad_hi, window, stride, dilation):
    return (size + pad_lo + pad_hi - dilation * (window - 1) - 1) // stride + 1


def geometry(case):
    n, h, w, c, f, kh, kw, stride, dilation, pad = case["shape"]
    oh = out_size(h, pad[0], pad[2], kh, stride[0], dilation[0])
    ow = out_size(w, pad[1], pad[3], kw, stride[1], dilation[1])
    attrs = (f"{{dilations = array<i64: {dilation[0]}, {dilation[1]}>, "
             f"padding = array<i64: {', '.join(map(str, pad))}>, "
             f"strides = array<i64: {stride[0]}, {stride[1]}>}}")
    return (n, h, w, c), (kh, kw, c, f), (n, oh, ow, f), attrs


def pair(case):
    xs, fs, ys, attrs = geometry(case)
    e = case["elem"]
    x, fty, y = ty(xs, e), ty(fs, e), ty(ys, e)
    two = case["two_filters"]
    args = f"%x: {x}, %w: {fty}, " + (f"%w2: {fty}, " if two else "") + f"%b: {y}, %b2: {y}"
    body = []
    w_max, w_min = "%w", "%w2" if two else "%w"
    if case["infinities"]:
        # +∞ in the max filter and −∞ in the min filter meet the padding
        # (where each half reads its 𝟘) and real inputs.
        body += [f"  %pinf = arith.constant 0x7F800000 : {e}" if e == "f32" else
                 f"  %pinf = arith.constant 0x7FF0000000000000 : {e}",
                 f"  %ninf = arith.constant 0xFF800000 : {e}" if e == "f32" else
                 f"  %ninf = arith.constant 0xFFF0000000000000 : {e}",
                 "  %c0 = arith.constant 0 : index", "  %c1 = arith.constant 1 : index",
                 f"  %wi = tensor.insert %pinf into %w[%c0, %c0, %c0, %c0] : {fty}",
                 f"  %wj = tensor.insert %ninf into %wi[%c1, %c0, %c0, %c0] : {fty}"]
        w_max = "%wj"
        w_min = "%wj" if not two else "%w2"
    ops = [f"  %mx = trop.conv_2d <max_plus> {attrs} ins(%x, {w_max} : {x}, {fty}) "
           f"outs(%b : {y}) -> {y}",
           f"  %mn = trop.conv_2d <min_plus> {attrs} ins(%x, {w_min} : {x}, {fty}) "
           f"outs(%b2 : {y}) -> {y}"]
    if case["min_first"]:
        ops.reverse()
    body += ops
    return (f"func.func @f({args}) -> ({y}, {y}) {{\n" + "\n".join(body) +
            f"\n  return %mx, %mn : {y}, {y}\n}}\n")


def dual_memref(case):
    xs, fs, ys, attrs = geometry(case)
    e = case["elem"]
    x, fty, y = (ty(xs, e, "memref"), ty(fs, e, "memref"), ty(ys, e, "memref"))
    return (f"func.func @f(%x: {x}, %w: {fty}, %w2: {fty}, %b: {y}, %b2: {y}) {{\n"
            f"  trop.dual_conv_2d {attrs} ins(%x, %w, %w2 : {x}, {fty}, {fty}) "
            f"outs(%b, %b2 : {y}, {y})\n  return\n}}\n")


def cases():
    # (n, h, w, c, f, kh, kw, strides, dilations, padding [t, l, b, r])
    shapes = [
        (1, 5, 5, 1, 1, 3, 3, (1, 1), (1, 1), (0, 0, 0, 0)),
        (2, 9, 11, 3, 17, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),
        (1, 13, 7, 5, 33, 3, 2, (2, 1), (1, 2), (2, 0, 1, 3)),
        (3, 8, 8, 16, 16, 3, 3, (1, 1), (1, 1), (1, 1, 1, 1)),
        (1, 6, 10, 4, 9, 5, 5, (1, 2), (1, 1), (4, 4, 4, 4)),
        (2, 4, 4, 2, 7, 1, 1, (1, 1), (1, 1), (0, 0, 0, 0)),
        (37, 1, 1, 29, 19, 1, 1, (1, 1), (1, 1), (0, 0, 0, 0)),
        (1, 15, 17, 8, 40, 3, 3, (2, 2), (2, 2), (3, 2, 1, 0)),
        (1, 3, 3, 2, 5, 3, 3, (1, 1), (1, 1), (2, 2, 2, 2)),
    ]
    for i, shape in enumerate(shapes):
        for two in (False, True):
            yield {"form": "pair", "shape": shape, "elem": "f32", "two_filters": two,
                   "min_first": i % 2 == 1, "infinities": False}
    for elem in ["f64", "f16", "bf16"]:
        for shape in (shapes[1], shapes[2]):
            yield {"form": "pair", "shape": shape, "elem": elem, "two_filters": False,
                   "min_first": False, "infinities": False}
    for elem in ["f32", "f64"]:
        for two in (False, True):
            yield {"form": "pair", "shape": shapes[8], "elem": elem, "two_filters": two,
                   "min_first": False, "infinities": True}
    for shape in (shapes[2], shapes[4]):
        yield {"form": "memref", "shape": shape, "elem": "f32", "two_filters": True,
               "min_first": False, "infinities": False}


def trop_run(runner, path, index, pipeline, threads):
    """Runs the case through `pipeline` against the reference (--check)."""
    proc = subprocess.run(
        [runner, path, "--entry", "f", "--random-inputs", "--seed", str(index),
         "--pipeline", pipeline, "--num-threads", str(threads), "--check"],
        capture_output=True, text=True)
    return (proc.returncode == 0 and "check: OK" in proc.stdout,
            (proc.stdout + proc.stderr).strip())


def run(opt, runner, tmpdir, index, case):
    path = os.path.join(tmpdir, f"case{index}.mlir")
    with open(path, "w") as f:
        f.write(pair(case) if case["form"] == "pair" else dual_memref(case))
    threads = 1 + index % 2
    label = (f"{case['form']} {case['elem']} {case['shape']} two_filters="
             f"{case['two_filters']} infinities={case['infinities']} threads={threads}")
    if case["form"] == "memref":
        return (label,) + trop_run(runner, path, index, "cpu", threads)
    fused = subprocess.run([opt, path, "--trop-fuse"], capture_output=True, text=True)
    if fused.returncode != 0 or "trop.dual_conv_2d" not in fused.stdout:
        return label, False, "not fused: " + fused.stdout + fused.stderr
    nan = "nan-mode=propagate " if case["infinities"] else ""
    cpu = trop_run(runner, path, index,
                   f"builtin.module(trop-fuse,trop-cpu-pipeline{{{nan}"
                   f"results-to-out-params=1 threads={threads}}})", threads)
    ref = trop_run(runner, path, index,
                   "builtin.module(trop-fuse,trop-reference-pipeline"
                   "{results-to-out-params=1})", threads)
    return label, cpu[0] and ref[0], cpu[1] + "\n" + ref[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--opt", required=True, help="the trop-opt executable")
    parser.add_argument("--runner", required=True, help="the trop-run executable")
    args = parser.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="trop-dual-conv-check-")
    todo = list(enumerate(cases()))
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        for label, ok, out in pool.map(
                lambda case: run(args.opt, args.runner, tmpdir, *case), todo):
            if not ok:
                failures += 1
                print(f"MISMATCH: {label}\n{out}\n")
    print(f"dual_conv_2d: {len(todo)} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
