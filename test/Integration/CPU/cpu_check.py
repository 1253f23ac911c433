#!/usr/bin/env python3
"""Runs every trop op through the CPU pipeline on awkward and empty shapes and
requires bit-identical results with the reference lowering (trop-run --check).

Each case is one function in its own module; shapes are chosen so that every
remainder path of the packed kernels (partial register tiles in rows and
columns, partial reduction blocks, tiles crossing task boundaries) and every
empty dimension is exercised, in tensor and memref form, with 1 and 2 threads.
"""

import argparse
import concurrent.futures
import itertools
import os
import subprocess
import sys
import tempfile

PLUS = ["max_plus", "min_plus"]
LATTICE = ["max_min", "min_max"]


def tensor(shape, ty):
    return "tensor<" + "".join(f"{d}x" for d in shape) + ty + ">"


def memref(shape, ty):
    return "memref<" + "".join(f"{d}x" for d in shape) + ty + ">"


def contraction(op, semiring, shapes, ty, form, attrs=""):
    """A function applying `op` to arguments of the given shapes."""
    kind = tensor if form == "tensor" else memref
    types = [kind(s, ty) for s in shapes]
    args = ", ".join(f"%a{i}: {t}" for i, t in enumerate(types))
    ins = ", ".join(f"%a{i}" for i in range(len(types) - 1))
    ins_types = ", ".join(types[:-1])
    out = f"%a{len(types) - 1}"
    if op == "linalg.matmul":
        head = "linalg.matmul"
    else:
        head = f"trop.{op} <{semiring}>" if semiring else f"trop.{op} {attrs}"
    if semiring and attrs:
        head += f" {attrs}"
    body = f"{head} ins({ins} : {ins_types}) outs({out} : {types[-1]})"
    if form == "tensor":
        return (f"func.func @f({args}) -> {types[-1]} {{\n"
                f"  %r = {body} -> {types[-1]}\n  return %r : {types[-1]}\n}}\n")
    return f"func.func @f({args}) {{\n  {body}\n  return\n}}\n"


def cases():
    # matmul: (M, N, K) around the 12x32 (AVX-512) and 6x16 tiles.
    shapes = [(1, 1, 1), (7, 17, 33), (33, 7, 17), (13, 64, 5), (1000, 17, 7),
              (17, 1031, 5), (5, 33, 1031), (25, 65, 600), (13, 0, 5), (0, 5, 7),
              (4, 5, 0)]
    for (m, n, k), ty in itertools.product(shapes, ["f32"]):
        for semiring in PLUS:
            yield ("matmul", semiring, [(m, k), (k, n), (m, n)], ty, "tensor", "")
    for ty, semirings in [("f64", PLUS), ("f16", PLUS), ("bf16", PLUS),
                          ("f32", LATTICE), ("i8", PLUS), ("i16", ["min_plus"]),
                          ("i32", ["max_plus"]), ("i1", LATTICE)]:
        for semiring in semirings:
            for m, n, k in [(7, 17, 33), (29, 70, 300)]:
                yield ("matmul", semiring, [(m, k), (k, n), (m, n)], ty,
                       "tensor", "")
    # f64 with 12-row tiles (AVX-512) blocks its reduction in KC = 256 and
    # its columns in NC = 512: several blocks of each, partial ones, one row
    # or column; consecutive cases alternate 1 and 2 threads.
    for m, n, k in [(1, 1031, 257), (7, 1031, 600), (33, 17, 1031),
                    (1000, 33, 300), (17, 1000, 1031)]:
        for semiring, form in zip(PLUS, ["tensor", "memref"]):
            yield ("matmul", semiring, [(m, k), (k, n), (m, n)], "f64", form,
                   "")
    yield ("matmul", "max_plus", [(37, 41), (41, 67), (37, 67)], "f32", "memref", "")
    yield ("batch_matmul", "max_plus", [(3, 17, 33), (3, 33, 7), (3, 17, 7)],
           "f32", "tensor", "")
    yield ("batch_matmul", "min_plus", [(2, 13, 5), (2, 5, 40), (2, 13, 40)],
           "f16", "memref", "")
    yield ("batch_matmul", "max_plus", [(0, 3, 4), (0, 4, 5), (0, 3, 5)],
           "f32", "tensor", "")
    # conv_2d: (N, H, W, C), (KH, KW, F), strides, dilations, padding.
    for (n, h, w, c), (kh, kw, f), s, d, p, ty in [
            ((1, 8, 8, 3), (3, 3, 16), (1, 1), (1, 1), (1, 1, 1, 1), "f32"),
            ((2, 9, 7, 17), (3, 2, 33), (2, 1), (1, 2), (0, 1, 2, 0), "f32"),
            ((1, 11, 11, 5), (1, 1, 7), (3, 3), (1, 1), (0, 0, 0, 0), "f32"),
            ((1, 6, 6, 64), (3, 3, 64), (1, 1), (1, 1), (1, 1, 1, 1), "bf16"),
            ((1, 5, 5, 2), (5, 5, 3), (1, 1), (1, 1), (2, 2, 2, 2), "f16"),
            ((1, 7, 7, 4), (3, 3, 5), (1, 1), (1, 1), (1, 1, 1, 1), "i16"),
            # Channels a multiple of the vector length: one GEMM with a
            # reduction group per window position (strided and dilated, in
            # several reduction blocks, and on widened i8).
            ((2, 9, 7, 32), (3, 2, 33), (2, 1), (1, 2), (0, 1, 2, 0), "f32"),
            ((1, 6, 6, 112), (5, 5, 19), (1, 1), (1, 1), (2, 2, 2, 2), "f32"),
            ((2, 5, 6, 64), (3, 3, 7), (1, 2), (2, 1), (1, 0, 1, 2), "i8")]:
        oh = (h + p[0] + p[2] - d[0] * (kh - 1) - 1) // s[0] + 1
        ow = (w + p[1] + p[3] - d[1] * (kw - 1) - 1) // s[1] + 1
        attrs = (f"{{strides = array<i64: {s[0]}, {s[1]}>, dilations = array<i64: "
                 f"{d[0]}, {d[1]}>, padding = array<i64: {p[0]}, {p[1]}, {p[2]}, {p[3]}>}}")
        for semiring, form in [("max_plus", "tensor"), ("min_plus", "memref")]:
            yield ("conv_2d", semiring, [(n, h, w, c), (kh, kw, c, f), (n, oh, ow, f)],
                   ty, form, attrs)
    for (n, h, w, c), (kh, kw), s, p, ty, semirings in [
            ((1, 9, 9, 17), (3, 3), (1, 1), (1, 1, 1, 1), "f32", PLUS),
            ((2, 8, 7, 33), (2, 3), (2, 1), (0, 1, 1, 0), "f32", PLUS),
            ((1, 6, 6, 1), (3, 3), (1, 1), (1, 1, 1, 1), "f16", PLUS),
            ((1, 6, 6, 40), (3, 3), (1, 1), (1, 1, 1, 1), "bf16", PLUS),
            ((1, 8, 8, 3), (3, 3), (1, 1), (1, 1, 1, 1), "i1", LATTICE)]:
        oh = (h + p[0] + p[2] - kh) // s[0] + 1
        ow = (w + p[1] + p[3] - kw) // s[1] + 1
        attrs = (f"{{strides = array<i64: {s[0]}, {s[1]}>, padding = array<i64: "
                 f"{p[0]}, {p[1]}, {p[2]}, {p[3]}>}}")
        for semiring, form in zip(semirings, ["tensor", "memref"]):
            yield ("depthwise_conv_2d", semiring, [(n, h, w, c), (kh, kw, c), (n, oh, ow, c)],
                   ty, form, attrs)
    yield ("maxout", None, [(7, 24), (7, 6)], "f32", "tensor", "group_size = 4")
    # Linear layers next to tropical ones run on the same kernels with (+, x),
    # in the same summation order as linalg's loops.
    for (m, n, k), ty, form in [((7, 17, 33), "f32", "tensor"),
                                ((25, 65, 600), "f64", "tensor"),
                                ((1000, 10, 37), "f32", "memref"),
                                ((3, 5, 0), "f32", "tensor")]:
        yield ("linalg.matmul", None, [(m, k), (k, n), (m, n)], ty, form, "")
    yield ("maxout", None, [(2, 3, 10), (2, 3, 5)], "i8", "memref", "group_size = 2")
    # maxout: shuffled groups (k <= 8: a tree for powers of two, a
    # deinterleave otherwise) with a remainder of groups narrower than a
    # vector, large groups (whole vectors and a masked tail), every type,
    # ranks 1 to 4, empty rows and channels.
    for in_shape, k, ty, form in [
            ((5, 136), 4, "f32", "memref"), ((3, 5, 7, 48), 8, "f32", "tensor"),
            ((7, 120), 40, "f32", "memref"), ((96,), 3, "f32", "tensor"),
            ((9, 70), 2, "f64", "memref"), ((6, 66), 2, "f16", "tensor"),
            ((4, 100), 5, "bf16", "memref"), ((3, 260), 2, "i8", "tensor"),
            ((5, 160), 4, "i16", "memref"), ((2, 272), 16, "i32", "tensor"),
            ((11, 40), 1, "f32", "memref"), ((7, 24), 8, "i1", "memref"),
            ((2, 3, 4, 400), 4, "i1", "tensor"), ((0, 8), 4, "f32", "tensor"),
            ((5, 0), 2, "i1", "memref"),
            # Large enough to be split over threads (one of the two gets 2).
            ((130, 520), 4, "f32", "memref"), ((129, 528), 2, "f32", "tensor")]:
        out_shape = in_shape[:-1] + (in_shape[-1] // k,)
        yield ("maxout", None, [in_shape, out_shape], ty, form, f"group_size = {k}")
    # i1 (binary morphology) runs on byte copies: partial i8 tiles (12 x 128
    # with AVX-512), reductions past one block, empty dimensions.
    for semiring in LATTICE:
        for m, n, k in [(1, 1, 1), (25, 130, 70), (13, 257, 600), (0, 5, 7),
                        (4, 5, 0)]:
            yield ("matmul", semiring, [(m, k), (k, n), (m, n)], "i1",
                   "memref" if semiring == "max_min" else "tensor", "")
    yield ("batch_matmul", "min_max", [(2, 13, 70), (2, 70, 9), (2, 13, 9)],
           "i1", "memref", "")
    for semiring, form in [("max_min", "tensor"), ("min_max", "memref")]:
        yield ("conv_2d", semiring, [(1, 7, 7, 4), (3, 3, 4, 5), (1, 7, 7, 5)],
               "i1", form, "{padding = array<i64: 1, 1, 1, 1>}")
        yield ("depthwise_conv_2d", semiring,
               [(1, 6, 5, 70), (3, 2, 70), (1, 4, 4, 70)], "i1", form, "")


def run(runner, tmpdir, index, case):
    op, semiring, shapes, ty, form, attrs = case
    path = os.path.join(tmpdir, f"case{index}.mlir")
    with open(path, "w") as f:
        f.write(contraction(op, semiring, shapes, ty, form, attrs))
    threads = 1 + index % 2
    cmd = [runner, path, "--entry", "f", "--random-inputs", "--seed", str(index),
           "--pipeline", "cpu", "--num-threads", str(threads), "--check"]
    # maxout and i1 contractions had no fast kernel before: require that the
    # lowered code is vector code (the reference lowering of these ops has
    # none). maxout on i1 stays on the reference lowering.
    # Statically empty ops are folded away instead.
    needs_vectors = ((op == "maxout") != (ty == "i1")) and all(
        d > 0 for shape in shapes for d in shape)
    if needs_vectors:
        cmd.append("--dump-lowered")
    proc = subprocess.run(cmd, capture_output=True, text=True)
    ok = proc.returncode == 0 and "check: OK" in proc.stdout
    if ok and needs_vectors and "vector<" not in proc.stderr:
        ok = False
        proc.stdout += "\nno vector code: the fast kernel was not used"
    proc.stderr = "" if ok else proc.stderr[-2000:]
    label = f"{op} {semiring or ''} {ty} {form} {shapes} threads={threads}"
    return ok, label, (proc.stdout + proc.stderr).strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runner", required=True, help="the trop-run executable")
    args = parser.parse_args()
    all_cases = list(cases())
    tmpdir = tempfile.mkdtemp(prefix="trop-cpu-check-")
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        results = list(pool.map(lambda ic: run(args.runner, tmpdir, *ic),
                                enumerate(all_cases)))
    failures = [(label, out) for ok, label, out in results if not ok]
    for label, out in failures:
        print(f"MISMATCH: {label}\n{out}\n")
    print(f"cpu pipeline: {len(all_cases)} cases, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
