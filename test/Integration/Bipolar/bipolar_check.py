#!/usr/bin/env python3
"""JIT tests of paper E's bipolar morphological (BM) layer against numpy.

Two modes:

  --mode op: trop.bipolar_matmul on random inputs (values around and below
      input_shift, both signs, exact zeros) and random log-weight poles, run
      with the given pipeline; every output is compared with the numpy model
      of the op's definition (TropOps.td) to float tolerance (numpy's log and
      exp are not libm's, so not bit for bit).
  --mode edge: trop.bipolar_matmul with non-finite operands (NaN, +inf or
      -inf inputs, whose row tile the CPU pipeline's sign-split kernel
      computes by the reference loops, and NaN or +inf weight poles, which
      send the op to its interleaved kernel), -inf weight poles and rows
      entirely below the shift (which the sweep takes); only with --check,
      every output bit-identical to the reference lowering.
  --mode pass: a linalg.matmul (+ bias) layer with constant weights, converted
      by trop-opt --trop-linear-to-bipolar, then run; compared with numpy's
      implementation of the paper's formula (v± = ln(max(±w, floor)),
      ln(max(±x, input_shift)), four maxima, exp, signed sum, bias).
  --mode conv: a linalg.conv_2d_nhwc_hwcf (+ bias) with a constant filter,
      strides and dilations, converted by --trop-linear-to-bipolar (im2col +
      trop.bipolar_matmul), then run; compared with the same formula on
      numpy's im2col of the input.

With --check, trop-run also runs the reference pipeline on the same inputs
and requires bit-identical outputs (the CPU kernel against the reference
lowering).

Prints "bipolar <mode>: N cases, M elements, K mismatches" and exits 1 when
K > 0 or a tool fails.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def poles_np(x, shift):
    # With input_shift 0 the inactive pole is ln 0 = −∞, as in the op.
    with np.errstate(divide="ignore"):
            return (np.log(np.maximum(x, shift)),
                np.log(np.maximum(-x, shift)))


def bipolar_np(x, vp, vn, bias, shift):
    """The op's definition: four max-plus contractions, exp, signed sum."""
    lp, ln = poles_np(x, shift)

    def mp(a, b):
        return np.max(a[:, :, None] + b[None, :, :], axis=1)

    terms = [np.exp(mp(lp, vp)), np.exp(mp(lp, vn)), np.exp(mp(ln, vp)),
             np.exp(mp(ln, vn))]
    y = bias + terms[0] - terms[1] - terms[2] + terms[3]
    scale = np.abs(bias) + sum(np.abs(t) for t in terms)
    return y, scale


def run(cmd):
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + proc.stdout + proc.stderr)
        sys.exit(1)
    return proc.stdout


def tensor(shape, ty):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + ty + ">"


def dense(array, ty):
    def nest(a):
        if a.ndim == 0:
            return repr(float(a))
        return "[" + ", ".join(nest(row) for row in a) + "]"
    return f"dense<{nest(array)}> : {tensor(array.shape, ty)}"


def draw_input(rng, m, k, dtype):
    x = rng.uniform(-2.0, 2.0, size=(m, k))
    # Magnitudes below input_shift, exact zeros, both signs.
    small = rng.random((m, k)) < 0.2
    x[small] = rng.uniform(-0.1, 0.1, size=small.sum())
    x[rng.random((m, k)) < 0.05] = 0.0
    return x.astype(dtype)


EDGES = ["x nan", "x +inf", "x -inf", "vp +inf", "vn nan", "v -inf",
         "rows below shift"]


def edge_operands(rng, edge, x, vp, vn, shift):
    """Injects `edge` into the operands (in place)."""
    m, k = x.shape
    i, j = rng.integers(0, m), rng.integers(0, k)
    if edge.startswith("x "):
        x[i, j] = {"nan": np.nan, "+inf": np.inf, "-inf": -np.inf}[edge[2:]]
    elif edge == "vp +inf":
        vp[rng.integers(0, k), rng.integers(0, vp.shape[1])] = np.inf
    elif edge == "vn nan":
        vn[rng.integers(0, k), rng.integers(0, vn.shape[1])] = np.nan
    elif edge == "v -inf":
        vp[rng.random(vp.shape) < 0.3] = -np.inf
        vn[:, 0] = -np.inf
    else:
        x[: m // 2] = rng.uniform(-shift, shift, size=(m // 2, k))


def op_case(args, work, rng, m, k, n, ty, shift, edge=None):
    dtype = np.float32 if ty == "f32" else np.float64
    x = draw_input(rng, m, k, dtype)
    w = rng.normal(0.0, 0.5, size=(k, n))
    w[rng.random((k, n)) < 0.1] = 0.0
    vp = np.log(np.maximum(w, 1e-6)).astype(dtype)
    vn = np.log(np.maximum(-w, 1e-6)).astype(dtype)
    b = rng.normal(0.0, 1.0, size=(m, n)).astype(dtype)
    if edge:
        edge_operands(rng, edge, x, vp, vn, shift)
    types = [tensor((m, k), ty), tensor((k, n), ty), tensor((k, n), ty),
             tensor((m, n), ty)]
    src = (
        f"func.func @f(%x: {types[0]}, %vp: {types[1]}, %vn: {types[2]}, "
        f"%b: {types[3]}) -> {types[3]} {{\n"
        f"  %r = trop.bipolar_matmul {{input_shift = {shift!r} : f64}} "
        f"ins(%x, %vp, %vn : {types[0]}, {types[1]}, {types[2]}) "
        f"outs(%b : {types[3]}) -> {types[3]}\n"
        f"  return %r : {types[3]}\n}}\n")
    paths = []
    for name, array in (("x", x), ("vp", vp), ("vn", vn), ("b", b)):
        path = os.path.join(work, name + ".npy")
        np.save(path, array)
        paths.append(path)
    mlir = os.path.join(work, "case.mlir")
    with open(mlir, "w") as f:
        f.write(src)
    out = os.path.join(work, "out.npy")
    cmd = [args.runner, mlir, "--entry", "f", "--pipeline", args.pipeline,
           "--output", out, "--num-threads", str(args.threads)]
    cmd += [f"--input={p}" for p in paths]
    if args.check:
        cmd.append("--check")
    if edge and "nan" in edge:
        # The CPU pipeline assumes NaN-free inputs unless told otherwise.
        cmd.append("--nan-mode=propagate")
    run(cmd)
    if edge:
        return np.load(out), None, None, dtype
    want, scale = bipolar_np(x.astype(np.float64), vp.astype(np.float64),
                             vn.astype(np.float64), b.astype(np.float64),
                             float(dtype(shift)))
    return np.load(out), want, scale, dtype


def convert_and_run(args, work, src, x, shift):
    """Converts the layer `src` by trop-opt --trop-linear-to-bipolar and runs
    it on `x` (with --check: against the reference pipeline too)."""
    mlir = os.path.join(work, "layer.mlir")
    with open(mlir, "w") as f:
        f.write(src)
    converted = os.path.join(work, "converted.mlir")
    run([args.opt, mlir, f"--trop-linear-to-bipolar=input-shift={shift!r}",
         "-o", converted])
    xin = os.path.join(work, "x.npy")
    np.save(xin, x)
    out = os.path.join(work, "out.npy")
    cmd = [args.runner, converted, "--entry", "f", "--pipeline",
           args.pipeline, "--output", out, f"--input={xin}",
           "--num-threads", str(args.threads)]
    if args.check:
        cmd.append("--check")
    run(cmd)
    return np.load(out)


def weight_poles(w):
    """The pass's poles of the K×N f32 weights: in double, rounded to f32."""
    wd = w.astype(np.float64)
    return (np.log(np.maximum(wd, 1e-6)).astype(np.float32).astype(np.float64),
            np.log(np.maximum(-wd, 1e-6)).astype(np.float32).astype(np.float64))


def pass_case(args, work, rng, m, k, n, ty, shift):
    dtype = np.float32
    x = draw_input(rng, m, k, dtype)
    w = rng.normal(0.0, 0.5, size=(k, n)).astype(dtype)
    w[rng.random((k, n)) < 0.1] = 0.0
    bias = rng.normal(0.0, 1.0, size=(n,)).astype(dtype)
    tx, tw, ty_ = tensor((m, k), "f32"), tensor((k, n), "f32"), \
        tensor((m, n), "f32")
    src = (
        "#map = affine_map<(d0, d1) -> (d1)>\n"
        "#id = affine_map<(d0, d1) -> (d0, d1)>\n"
        f"func.func @f(%x: {tx}) -> {ty_} {{\n"
        f"  %w = arith.constant {dense(w, 'f32')}\n"
        f"  %bias = arith.constant {dense(bias, 'f32')}\n"
        f"  %e = tensor.empty() : {ty_}\n"
        f"  %bb = linalg.generic {{indexing_maps = [#map, #id], "
        f"iterator_types = [\"parallel\", \"parallel\"]}} "
        f"ins(%bias : {tensor((n,), 'f32')}) outs(%e : {ty_}) {{\n"
        f"  ^bb0(%in: f32, %out: f32):\n    linalg.yield %in : f32\n"
        f"  }} -> {ty_}\n"
        f"  %r = linalg.matmul ins(%x, %w : {tx}, {tw}) "
        f"outs(%bb : {ty_}) -> {ty_}\n"
        f"  return %r : {ty_}\n}}\n")
    got = convert_and_run(args, work, src, x, shift)
    vp, vn = weight_poles(w)
    want, scale = bipolar_np(x.astype(np.float64), vp, vn,
                             np.broadcast_to(bias, (m, n)).astype(np.float64),
                             float(np.float32(shift)))
    return got, want, scale, dtype


def im2col_np(x, kh, kw, stride, dilation, oh, ow):
    """The (N·OH·OW)×(KH·KW·C) windows of the NHWC `x`."""
    n, _, _, c = x.shape
    cols = np.empty((n, oh, ow, kh, kw, c), x.dtype)
    for i in range(kh):
        for j in range(kw):
            h0, w0 = i * dilation[0], j * dilation[1]
            cols[:, :, :, i, j, :] = x[:, h0:h0 + stride[0] * (oh - 1) + 1:
                                       stride[0],
                                       w0:w0 + stride[1] * (ow - 1) + 1:
                                       stride[1], :]
    return cols.reshape(n * oh * ow, kh * kw * c)


CONV_SHAPES = [  # (n, h, w, c, kh, kw, f, stride, dilation)
    (1, 3, 3, 1, 1, 1, 1, (1, 1), (1, 1)),
    (2, 7, 6, 3, 3, 3, 5, (1, 1), (1, 1)),
    (1, 9, 8, 4, 3, 2, 7, (2, 1), (1, 2)),
    (3, 12, 11, 16, 3, 3, 33, (2, 2), (2, 1)),
]


def conv_case(args, work, rng, shape, shift):
    n, h, w_, c, kh, kw, f, stride, dilation = shape
    oh = (h - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (w_ - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    dtype = np.float32
    x = draw_input(rng, n * h * w_, c, dtype).reshape(n, h, w_, c)
    w = rng.normal(0.0, 0.5, size=(kh, kw, c, f)).astype(dtype)
    w[rng.random(w.shape) < 0.1] = 0.0
    bias = rng.normal(0.0, 1.0, size=(f,)).astype(dtype)
    tx, tw = tensor((n, h, w_, c), "f32"), tensor((kh, kw, c, f), "f32")
    to = tensor((n, oh, ow, f), "f32")
    src = (
        "#map = affine_map<(d0, d1, d2, d3) -> (d3)>\n"
        "#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>\n"
        f"func.func @f(%x: {tx}) -> {to} {{\n"
        f"  %w = arith.constant {dense(w, 'f32')}\n"
        f"  %bias = arith.constant {dense(bias, 'f32')}\n"
        f"  %e = tensor.empty() : {to}\n"
        f"  %bb = linalg.generic {{indexing_maps = [#map, #id], "
        f"iterator_types = [\"parallel\", \"parallel\", \"parallel\", "
        f"\"parallel\"]}} ins(%bias : {tensor((f,), 'f32')}) "
        f"outs(%e : {to}) {{\n"
        f"  ^bb0(%in: f32, %out: f32):\n    linalg.yield %in : f32\n"
        f"  }} -> {to}\n"
        f"  %r = linalg.conv_2d_nhwc_hwcf {{dilations = dense<[{dilation[0]}, "
        f"{dilation[1]}]> : tensor<2xi64>, strides = dense<[{stride[0]}, "
        f"{stride[1]}]> : tensor<2xi64>}} ins(%x, %w : {tx}, {tw}) "
        f"outs(%bb : {to}) -> {to}\n"
        f"  return %r : {to}\n}}\n")
    got = convert_and_run(args, work, src, x, shift).reshape(-1, f)
    vp, vn = weight_poles(w.reshape(kh * kw * c, f))
    cols = im2col_np(x.astype(np.float64), kh, kw, stride, dilation, oh, ow)
    want, scale = bipolar_np(cols, vp, vn,
                             np.broadcast_to(bias, (cols.shape[0], f)),
                             float(np.float32(shift)))
    return got, want, scale, dtype


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runner", default="trop-run")
    parser.add_argument("--opt", default="trop-opt")
    parser.add_argument("--mode", choices=["op", "pass", "edge", "conv"],
                        default="op")
    parser.add_argument("--pipeline", default="reference")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    # The last crosses a reduction block (512) and partial register tiles.
    shapes = [(1, 1, 1), (3, 7, 5), (17, 33, 9), (8, 64, 24), (33, 100, 17),
              (37, 600, 70)]
    cases = elements = mismatches = 0
    if args.mode == "edge":
        if not args.check:
            sys.exit("--mode edge needs --check")
        with tempfile.TemporaryDirectory() as work:
            # 300 crosses a reduction block of the sign-split kernel, 40 a
            # panel of its columns.
            for (m, k, n) in [(6, 300, 40)]:
                for ty in ("f32", "f64"):
                    for shift in (0.1, 0.0):
                        for edge in EDGES:
                            got, _, _, _ = op_case(args, work, rng, m, k, n,
                                                   ty, shift, edge)
                            cases += 1
                            elements += got.size
            # 70 rows: tiles of 32 rows (one refused, by a non-finite
            # input, next to ones the sweep takes) in each thread's range.
            for edge in ("x nan", "x +inf"):
                got, _, _, _ = op_case(args, work, rng, 70, 40, 24, "f32",
                                       0.1, edge)
                cases += 1
                elements += got.size
        # trop-run --check exits 1 (and run() with it) on any difference.
        print(f"bipolar edge: {cases} cases, {elements} elements, "
              f"0 mismatches")
        return 0
    with tempfile.TemporaryDirectory() as work:
        shapes = CONV_SHAPES if args.mode == "conv" else shapes
        for shape in shapes:
            for ty in (["f32", "f64"] if args.mode == "op" else ["f32"]):
                for shift in (0.1, 0.0, 0.5):
                    if args.mode == "conv":
                        got, want, scale, dtype = conv_case(args, work, rng,
                                                            shape, shift)
                    else:
                        case = op_case if args.mode == "op" else pass_case
                        got, want, scale, dtype = case(args, work, rng,
                                                       *shape, ty, shift)
                    eps = np.finfo(dtype).eps
                    # A few roundings in the log, the sum, the exp and the
                    # signed sum, each relative to the terms' magnitude.
                    tol = 16 * eps * scale + np.finfo(dtype).tiny
                    bad = np.abs(got.astype(np.float64) - want) > tol
                    cases += 1
                    elements += got.size
                    if bad.any():
                        idx = tuple(np.argwhere(bad)[0])
                        print(f"differ: {ty} {shape} shift={shift} at "
                              f"{idx}: got {got[idx]!r} want {want[idx]!r}")
                        mismatches += int(bad.sum())
    print(f"bipolar {args.mode}: {cases} cases, {elements} elements, "
          f"{mismatches} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
