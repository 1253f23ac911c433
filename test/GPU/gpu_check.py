#!/usr/bin/env python3
"""Checks the tiled GPU kernels on the CPU: runs every contraction through
--trop-gpu-pipeline{emulate=1} (the kernels' blocks and threads as host
loops, each phase between barriers a loop over the block's threads) on
awkward and empty shapes, and requires bit-identical results with the
reference lowering (trop-run --check).

--ptxas instead compiles one module per kernel kind and element type through
the real GPU pipeline and assembles its PTX with ptxas for sm_80 and sm_90.
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Integration",
                                "CPU"))
sys.path.insert(0, os.path.dirname(__file__))
from cpu_check import contraction, memref  # noqa: E402
from extract_ptx import BINARY, unescape  # noqa: E402

PLUS = ["max_plus", "min_plus"]
LATTICE = ["max_min", "min_max"]
EMULATE = ("builtin.module(trop-gpu-pipeline{emulate=1 "
           "results-to-out-params=1 nan-mode=%s})")


def dual(shapes, ty):
    """A trop.dual_matmul on memrefs."""
    a, b, c = (memref(s, ty) for s in shapes)
    return (f"func.func @f(%a: {a}, %b: {b}, %x: {c}, %n: {c}) {{\n"
            f"  trop.dual_matmul ins(%a, %b : {a}, {b}) outs(%x, %n : {c}, {c})\n"
            f"  return\n}}\n")


def mm(m, n, k):
    return [(m, k), (k, n), (m, n)]


def emulation_cases():
    """(module text, label): the tile is 128 x 128 x 8, so 1, 7, 33, 127,
    1000 and 1031 give single partial tiles, several tiles with a partial
    last one and partial reduction slices; then empty dimensions."""
    shapes = [(1, 1, 1), (7, 7, 7), (33, 127, 1031), (1000, 7, 33),
              (7, 1031, 127), (127, 33, 1000), (1031, 1, 7), (129, 130, 9),
              (0, 7, 33), (7, 0, 33), (7, 33, 0)]
    for m, n, k in shapes:
        for semiring in PLUS:
            for form in ["memref", "tensor"]:
                yield contraction("matmul", semiring, mm(m, n, k), "f32",
                                  form), f"matmul {semiring} f32 {form} {m}x{n}x{k}"
    for ty, semirings in [("f64", PLUS), ("f16", PLUS), ("bf16", PLUS),
                          ("f32", LATTICE), ("i8", PLUS), ("i16", PLUS),
                          ("i32", PLUS), ("i1", LATTICE)]:
        for semiring in semirings:
            for m, n, k in [(33, 127, 33), (7, 1031, 7), (130, 1, 17)]:
                yield (contraction("matmul", semiring, mm(m, n, k), ty, "memref"),
                       f"matmul {semiring} {ty} {m}x{n}x{k}")
    for bsz, m, n, k, ty in [(3, 33, 127, 7, "f32"), (2, 7, 1, 1031, "f16"),
                             (0, 3, 4, 5, "f32"), (2, 129, 3, 9, "i32")]:
        shapes = [(bsz, m, k), (bsz, k, n), (bsz, m, n)]
        for semiring in PLUS:
            yield (contraction("batch_matmul", semiring, shapes, ty, "memref"),
                   f"batch_matmul {semiring} {ty} {bsz}x{m}x{n}x{k}")
    for m, n, k in [(1, 1, 1), (33, 127, 1031), (1000, 7, 33), (7, 7, 0)]:
        for ty in ["f32", "f64", "f16"]:
            yield dual(mm(m, n, k), ty), f"dual_matmul {ty} {m}x{n}x{k}"
    yield from conv_cases()
    # NaN-propagating ⊕ and the ±∞-absorbing ⊗, where the padding of a
    # partial slice (−∞ for A, +∞ for B in a dual_matmul) meets itself.
    for m, n, k in [(33, 127, 1031), (7, 130, 9)]:
        for ty in ["f32", "f16"]:
            yield (dual(mm(m, n, k), ty),
                   f"dual_matmul {ty} {m}x{n}x{k} nan-mode=propagate")
            for semiring in PLUS:
                yield (contraction("matmul", semiring, mm(m, n, k), ty, "memref"),
                       f"matmul {semiring} {ty} {m}x{n}x{k} nan-mode=propagate")


def window(strides=(1, 1), dilations=(1, 1), padding=(0, 0, 0, 0)):
    def arr(v):
        return "array<i64: " + ", ".join(map(str, v)) + ">"
    return (f"{{strides = {arr(strides)}, dilations = {arr(dilations)}, "
            f"padding = {arr(padding)}}}")


def conv_shapes(x, kh, kw, f, strides, dilations, padding):
    """(input, filter, output) shapes of a conv_2d."""
    n, h, w, c = x
    oh = (h + padding[0] + padding[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (w + padding[1] + padding[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    return [x, (kh, kw, c, f), (n, oh, ow, f)]


def dual_conv(shapes, ty, attrs, same_filter):
    """A trop.dual_conv_2d on memrefs, with one filter or two."""
    x, w, y = (memref(s, ty) for s in shapes)
    filters = "%w, %w" if same_filter else "%w, %v"
    return (f"func.func @f(%x: {x}, %w: {w}, %v: {w}, %a: {y}, %b: {y}) {{\n"
            f"  trop.dual_conv_2d {attrs} ins(%x, {filters} : {x}, {w}, {w})"
            f" outs(%a, %b : {y}, {y})\n  return\n}}\n")


def conv_cases():
    """conv_2d and dual_conv_2d as implicit GEMMs (M = N·OH·OW output
    pixels, K = KH·KW·C window taps, im2col addressing in the copy of A):
    strides, dilations, padding on one side only, partial tiles and slices,
    an input with no rows (every window in the padding), empty batch or
    filters; then depthwise_conv_2d and maxout (blocks of 256 threads over
    the reference's loops)."""
    geometries = [
        ((1, 1, 1, 1), 1, 1, 1, (1, 1), (1, 1), (0, 0, 0, 0)),
        ((1, 7, 9, 3), 3, 3, 5, (1, 1), (1, 1), (1, 1, 1, 1)),
        ((2, 13, 11, 33), 3, 2, 130, (2, 1), (1, 2), (2, 0, 1, 3)),
        ((2, 20, 20, 9), 5, 5, 7, (1, 1), (1, 1), (2, 2, 2, 2)),
        ((3, 9, 8, 2), 2, 3, 129, (3, 2), (2, 1), (0, 1, 0, 0)),
        ((1, 0, 4, 2), 1, 1, 3, (1, 1), (1, 1), (1, 0, 1, 0)),
        ((0, 5, 5, 2), 3, 3, 4, (1, 1), (1, 1), (1, 1, 1, 1)),
        ((1, 5, 5, 2), 3, 3, 0, (1, 1), (1, 1), (0, 0, 0, 0)),
    ]
    for x, kh, kw, f, st, dl, pad in geometries:
        shapes = conv_shapes(x, kh, kw, f, st, dl, pad)
        attrs = window(st, dl, pad)
        label = f"{x} {kh}x{kw}x{f} s{st} d{dl} p{pad}"
        for semiring in PLUS:
            yield (contraction("conv_2d", semiring, shapes, "f32", "memref",
                               attrs), f"conv_2d {semiring} f32 {label}")
        for same in [True, False]:
            yield (dual_conv(shapes, "f32", attrs, same),
                   f"dual_conv_2d f32 {'one' if same else 'two'} filters {label}")
    x, kh, kw, f, st, dl, pad = geometries[2]
    shapes = conv_shapes(x, kh, kw, f, st, dl, pad)
    for ty, semirings in [("f64", PLUS), ("f16", PLUS), ("bf16", PLUS),
                          ("f32", LATTICE), ("i8", PLUS), ("i16", PLUS),
                          ("i32", PLUS), ("i1", LATTICE)]:
        for semiring in semirings:
            yield (contraction("conv_2d", semiring, shapes, ty, "tensor",
                               window(st, dl, pad)),
                   f"conv_2d {semiring} {ty} tensor {x}")
    for ty in ["f16", "f64"]:
        yield (dual_conv(conv_shapes((1, 9, 9, 5), 3, 3, 33, (1, 1), (1, 1),
                                     (0, 0, 0, 0)), ty, window(), True),
               f"dual_conv_2d {ty} one filter")
    for ty, semiring in [("f32", "max_plus"), ("f32", "min_plus"),
                         ("f16", "max_plus"), ("i8", "min_plus"),
                         ("i1", "max_min")]:
        for x, k, st, pad in [((2, 17, 19, 3), (3, 3), (1, 1), (1, 1, 1, 1)),
                              ((1, 9, 300, 7), (2, 5), (2, 3), (0, 2, 1, 0))]:
            n, h, w, c = x
            oh = (h + pad[0] + pad[2] - k[0]) // st[0] + 1
            ow = (w + pad[1] + pad[3] - k[1]) // st[1] + 1
            yield (contraction("depthwise_conv_2d", semiring,
                               [x, (k[0], k[1], c), (n, oh, ow, c)], ty,
                               "memref", window(st, (1, 1), pad)),
                   f"depthwise_conv_2d {semiring} {ty} {x}")
    for ty in ["f32", "f16", "i32", "i1"]:
        for shape, g in [((7, 24), 4), ((3, 5, 1000), 5), ((1031,), 1031)]:
            out = shape[:-1] + (shape[-1] // g,)
            yield (contraction("maxout", None, [shape, out], ty, "memref",
                               f"group_size = {g}"),
                   f"maxout {ty} {shape} group {g}")


def run_emulation(runner, tmpdir, index, case):
    text, label = case
    nan_mode = "propagate" if "nan-mode=propagate" in label else "assume-none"
    path = os.path.join(tmpdir, f"case{index}.mlir")
    with open(path, "w") as f:
        f.write(text)
    cmd = [runner, path, "--entry", "f", "--random-inputs", "--seed", str(index),
           "--pipeline", EMULATE % nan_mode, "--check"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    ok = proc.returncode == 0 and "check: OK" in proc.stdout
    return ok, label, "" if ok else (proc.stdout + proc.stderr)[-2000:]


def ptxas_cases():
    """One module per kernel kind and element type."""
    conv = ("{strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>, "
            "padding = array<i64: 1, 1, 1, 1>}")
    for ty in ["f32", "f64", "f16", "bf16", "i8", "i16", "i32", "i1"]:
        semiring = "max_min" if ty == "i1" else "max_plus"
        yield f"matmul-{ty}", contraction("matmul", semiring, mm(70, 90, 33), ty,
                                          "memref")
        yield f"batch_matmul-{ty}", contraction(
            "batch_matmul", semiring, [(2, 7, 9), (2, 9, 5), (2, 7, 5)], ty,
            "memref")
        yield f"conv_2d-{ty}", contraction(
            "conv_2d", semiring, [(1, 8, 8, 3), (3, 3, 3, 4), (1, 8, 8, 4)], ty,
            "memref", conv)
        yield f"depthwise_conv_2d-{ty}", contraction(
            "depthwise_conv_2d", semiring, [(1, 8, 8, 3), (3, 3, 3), (1, 6, 6, 3)],
            ty, "memref", "")
        yield f"maxout-{ty}", contraction("maxout", None, [(7, 24), (7, 6)], ty,
                                          "memref", "group_size = 4")
        if ty in ["f32", "f64", "f16", "bf16"]:
            yield f"dual_matmul-{ty}", dual(mm(70, 90, 33), ty)
            # One kernel (one filter, no padding) and two (padding).
            shapes = conv_shapes((1, 8, 8, 3), 3, 3, 4, (1, 1), (1, 1),
                                 (0, 0, 0, 0))
            yield f"dual_conv_2d-{ty}", dual_conv(shapes, ty, window(), True)
            shapes = conv_shapes((1, 8, 8, 3), 3, 3, 4, (1, 1), (1, 1),
                                 (1, 1, 1, 1))
            yield f"dual_conv_2d-padded-{ty}", dual_conv(
                shapes, ty, window(padding=(1, 1, 1, 1)), False)


def run_ptxas(opt, ptxas, tmpdir, index, case):
    name, text = case
    path = os.path.join(tmpdir, f"{name}.mlir")
    with open(path, "w") as f:
        f.write(text)
    out = []
    for chip in ["sm_80", "sm_90"]:
        proc = subprocess.run(
            [opt, path, f"--trop-gpu-pipeline=chip={chip}"],
            capture_output=True, text=True)
        if proc.returncode != 0:
            return False, f"{name} {chip}", proc.stderr[-2000:]
        kernels = BINARY.findall(proc.stdout)
        if not kernels:
            return False, f"{name} {chip}", "no gpu.binary"
        for kernel, escaped in kernels:
            ptx = os.path.join(tmpdir, f"{name}-{chip}-{kernel}.ptx")
            with open(ptx, "w") as f:
                f.write(unescape(escaped))
            asm = subprocess.run([ptxas, f"-arch={chip}", ptx, "-o",
                                  ptx + ".cubin"], capture_output=True, text=True)
            if asm.returncode != 0:
                return False, f"{name} {chip} {kernel}", asm.stderr[-2000:]
            out.append(f"{chip}:{kernel}")
    return True, name, " ".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runner", help="trop-run (emulation check)")
    parser.add_argument("--opt", help="trop-opt (with --ptxas)")
    parser.add_argument("--ptxas", help="ptxas: assemble every kernel instead")
    args = parser.parse_args()
    tmpdir = tempfile.mkdtemp(prefix="trop-gpu-check-")
    if args.ptxas:
        all_cases = list(ptxas_cases())
        work = lambda ic: run_ptxas(args.opt, args.ptxas, tmpdir, *ic)
        title = "ptxas"
    else:
        all_cases = list(emulation_cases())
        work = lambda ic: run_emulation(args.runner, tmpdir, *ic)
        title = "gpu emulation"
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(work, enumerate(all_cases)))
    failures = [(label, out) for ok, label, out in results if not ok]
    for ok, label, out in results:
        if ok and args.ptxas:
            print(f"assembled: {label}: {out}")
    for label, out in failures:
        print(f"MISMATCH: {label}\n{out}\n")
    print(f"{title}: {len(all_cases)} cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
