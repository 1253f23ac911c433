#!/usr/bin/env python3
"""Runs the linear layers (linalg.conv_2d_nhwc_hwcf, a tensor.pad before it,
linalg.depthwise_conv_2d_nhwc_hwc, linalg.batch_matmul) through the CPU
pipeline and compares them with a float64 (long double for f64) reference
under the bound of docs/cpu-pipeline.md ("Linear layers").

Their kernels use one fused multiply-add per update, which rounds once where
linalg's loops round twice, so they are not bit-identical to the reference
lowering. Every computed element y must satisfy

    |y - ref| <= (gamma(K + 1, u) + gamma(K + 1, u_ref)) * (|init| + sum |x w|)

with gamma(n, u) = n u / (1 - n u), K the number of products summed into
the element, u the unit roundoff of the element type and u_ref that of the
reference (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed.,
eq. 3.5: a dot product in any order, fused or not, is within gamma(n) of the
exact value). Shapes cover the remainder paths of the kernels (1, 7, 17, 33,
1000, 1031, empty), tensors and memrefs, 1 and 2 threads, and both register
files (32 registers of 512 bits, 16 of 256: the AVX2 shape).
"""

import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

import numpy as np

NP = {"f32": np.float32, "f64": np.float64}
ROUNDOFF = {"f32": 2.0 ** -24, "f64": 2.0 ** -53}
REF = {"f32": np.float64, "f64": np.longdouble}
REF_ROUNDOFF = {"f32": 2.0 ** -53, "f64": float(np.finfo(np.longdouble).eps) / 2}


def ty(kind, shape, elem):
    return f"{kind}<" + "".join(f"{d}x" for d in shape) + elem + ">"


def conv_out(h, w, kh, kw, s, d, p=(0, 0, 0, 0)):
    return ((h + p[0] + p[2] - d[0] * (kh - 1) - 1) // s[0] + 1,
            (w + p[1] + p[3] - d[1] * (kw - 1) - 1) // s[1] + 1)


def module(op, shapes, elem, form, attrs, pad=None, bias_relu=False):
    """A function @f applying linalg `op`; with `pad`, the first operand of a
    tensor function is padded with zeros by a tensor.pad first; with
    `bias_relu` (tensors), a bias (the last argument) and a ReLU follow, which
    the CPU pipeline fuses into the conv's GEMM."""
    kind = "tensor" if form == "tensor" else "memref"
    types = [ty(kind, s, elem) for s in shapes]
    if bias_relu:
        return epilogue_module(op, shapes, elem, attrs, types)
    args = ", ".join(f"%a{i}: {t}" for i, t in enumerate(types))
    x = "%a0"
    lines = []
    in_types = types[:-1]
    if pad:
        n, h, w, c = shapes[0]
        padded = ty("tensor", (n, h + pad[0] + pad[2], w + pad[1] + pad[3], c), elem)
        lines.append(f"  %zero = arith.constant 0.0 : {elem}")
        lines.append(f"  %p = tensor.pad %a0 low[0, {pad[0]}, {pad[1]}, 0] "
                     f"high[0, {pad[2]}, {pad[3]}, 0] {{\n"
                     f"  ^bb0(%i: index, %j: index, %k: index, %l: index):\n"
                     f"    tensor.yield %zero : {elem}\n  }} : {types[0]} to {padded}")
        x = "%p"
        in_types = [padded] + types[1:-1]
    ins = ", ".join([x] + [f"%a{i}" for i in range(1, len(types) - 1)])
    body = (f"linalg.{op} {attrs} ins({ins} : {', '.join(in_types)}) "
            f"outs(%a{len(types) - 1} : {types[-1]})")
    if form == "tensor":
        lines.append(f"  %r = {body} -> {types[-1]}")
        lines.append(f"  return %r : {types[-1]}")
        return f"func.func @f({args}) -> {types[-1]} {{\n" + "\n".join(lines) + "\n}\n"
    lines.append(f"  {body}\n  return")
    return f"func.func @f({args}) {{\n" + "\n".join(lines) + "\n}\n"


def epilogue_module(op, shapes, elem, attrs, types):
    """The conv or depthwise conv (stride and dilation 1) into a fresh
    zero-filled tensor, then bias and ReLU."""
    (n, h, w, c), (kh, kw) = shapes[0], shapes[1][:2]
    f = shapes[1][3] if op == "conv_2d_nhwc_hwcf" else c
    oh, ow = conv_out(h, w, kh, kw, (1, 1), (1, 1))
    out = ty("tensor", (n, oh, ow, f), elem)
    bias = types[2]
    return (f"#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>\n"
            f"#ch = affine_map<(d0, d1, d2, d3) -> (d3)>\n"
            f"func.func @f(%a0: {types[0]}, %a1: {types[1]}, %bias: {bias}) -> {out} {{\n"
            f"  %zero = arith.constant 0.0 : {elem}\n"
            f"  %e = tensor.empty() : {out}\n"
            f"  %init = linalg.fill ins(%zero : {elem}) outs(%e : {out}) -> {out}\n"
            f"  %c = linalg.{op} {attrs} ins(%a0, %a1 : {types[0]}, {types[1]}) "
            f"outs(%init : {out}) -> {out}\n"
            f"  %y = linalg.generic {{indexing_maps = [#id, #ch, #id], iterator_types = "
            f"[\"parallel\", \"parallel\", \"parallel\", \"parallel\"]}} "
            f"ins(%c, %bias : {out}, {bias}) outs(%e : {out}) {{\n"
            f"  ^bb0(%v: {elem}, %b: {elem}, %o: {elem}):\n"
            f"    %s = arith.addf %v, %b : {elem}\n"
            f"    %r = arith.maximumf %s, %zero : {elem}\n"
            f"    linalg.yield %r : {elem}\n  }} -> {out}\n"
            f"  return %y : {out}\n}}\n")


def windows(x, kh, kw, s, d, oh, ow):
    """For each window position, the input pixels it reads: (N, OH, OW, C)."""
    for i in range(kh):
        for j in range(kw):
            yield i, j, x[:, i * d[0]: i * d[0] + s[0] * (oh - 1) + 1: s[0],
                          j * d[1]: j * d[1] + s[1] * (ow - 1) + 1: s[1], :]


def reference(op, arrays, geometry, rt):
    """The exact-ish result and the sum of magnitudes, in type `rt`."""
    arrays = [a.astype(rt) for a in arrays]
    if op in ("conv_bias_relu", "depthwise_bias_relu"):
        x, w, bias = arrays
        _, s, d = geometry
        oh, ow = conv_out(x.shape[1], x.shape[2], w.shape[0], w.shape[1], s, d)
        zero = np.zeros((x.shape[0], oh, ow, w.shape[-1]), dtype=rt)
        inner = ("conv_2d_nhwc_hwcf" if op == "conv_bias_relu"
                 else "depthwise_conv_2d_nhwc_hwc")
        ref, mag = reference(inner, [x, w, zero], geometry, rt)
        # ReLU does not increase distances; the bias is one more term.
        return np.maximum(ref + bias, 0), mag + np.abs(bias)
    init = arrays[-1]
    ref, mag = init.copy(), np.abs(init)
    if op == "batch_matmul":
        a, b = arrays[0], arrays[1]
        return (ref + np.einsum("bmk,bkn->bmn", a, b),
                mag + np.einsum("bmk,bkn->bmn", np.abs(a), np.abs(b)))
    x, w = arrays[0], arrays[1]
    pad, s, d = geometry
    if pad:
        x = np.pad(x, [(0, 0), (pad[0], pad[2]), (pad[1], pad[3]), (0, 0)])
    oh, ow = init.shape[1], init.shape[2]
    if oh == 0 or ow == 0:
        return ref, mag
    for i, j, xs in windows(x, w.shape[0], w.shape[1], s, d, oh, ow):
        if op == "conv_2d_nhwc_hwcf":
            ref = ref + np.einsum("nhwc,cf->nhwf", xs, w[i, j])
            mag = mag + np.einsum("nhwc,cf->nhwf", np.abs(xs), np.abs(w[i, j]))
        else:
            ref = ref + xs * w[i, j]
            mag = mag + np.abs(xs * w[i, j])
    return ref, mag


def cases():
    """(op, shapes, elem, form, attrs, products per element, geometry)."""
    def conv_attrs(s, d):
        return (f"{{strides = dense<[{s[0]}, {s[1]}]> : tensor<2xi64>, "
                f"dilations = dense<[{d[0]}, {d[1]}]> : tensor<2xi64>}}")
    for (n, h, w, c), (kh, kw, f), s, d, elem, form, pad in [
            ((1, 3, 3, 1), (3, 3, 1), (1, 1), (1, 1), "f32", "tensor", None),
            ((2, 9, 7, 17), (3, 2, 33), (2, 1), (1, 2), "f32", "memref", None),
            ((1, 11, 11, 32), (3, 3, 7), (1, 1), (1, 1), "f32", "tensor", None),
            ((1, 10, 10, 64), (3, 3, 64), (1, 1), (1, 1), "f32", "memref", None),
            ((2, 8, 8, 16), (3, 3, 17), (1, 1), (1, 1), "f32", "tensor", (1, 1, 1, 1)),
            ((1, 7, 6, 33), (3, 3, 16), (2, 2), (1, 1), "f32", "tensor", (1, 0, 1, 2)),
            ((1, 5, 5, 3), (1, 1, 1031), (1, 1), (1, 1), "f32", "memref", None),
            ((1, 1, 1000, 7), (1, 3, 17), (1, 1), (1, 1), "f32", "tensor", None),
            ((1, 9, 9, 8), (3, 3, 9), (1, 1), (2, 2), "f64", "tensor", None),
            ((1, 6, 6, 16), (3, 3, 20), (1, 1), (1, 1), "f64", "memref", None),
            ((0, 5, 5, 3), (3, 3, 4), (1, 1), (1, 1), "f32", "tensor", None),
            ((1, 5, 5, 3), (3, 3, 0), (1, 1), (1, 1), "f32", "memref", None),
            ((1, 5, 5, 0), (3, 3, 4), (1, 1), (1, 1), "f32", "memref", None),
            # Few channels, K = KH·KW·C in one reduction block: the window
            # rows packed straight into the GEMM's panel (im2col), with
            # strides and a height dilation; K = 540 > 512 falls back to one
            # GEMM per window position.
            ((2, 17, 17, 3), (3, 3, 33), (1, 1), (1, 1), "f32", "tensor", (1, 1, 1, 1)),
            ((1, 13, 12, 5), (3, 3, 17), (2, 2), (2, 1), "f32", "memref", None),
            ((1, 8, 9, 3), (3, 3, 20), (1, 1), (1, 1), "f64", "tensor", (1, 1, 1, 1)),
            ((1, 1, 33, 1), (1, 7, 1), (1, 3), (1, 1), "f32", "memref", None),
            ((1, 6, 6, 60), (3, 3, 7), (1, 1), (1, 1), "f32", "tensor", None)]:
        p = pad or (0, 0, 0, 0)
        oh, ow = conv_out(h, w, kh, kw, s, d, p)
        yield ("conv_2d_nhwc_hwcf", [(n, h, w, c), (kh, kw, c, f), (n, oh, ow, f)],
               elem, form, conv_attrs(s, d), kh * kw * c, (pad, s, d))
    # A bias and a ReLU fused into the conv's GEMM (32 channels: in
    # registers; 7 and 3: in registers of the one GEMM with K = 9·C; 60:
    # after the last window position's GEMM, since K = 540 exceeds a block).
    for (n, h, w, c), (kh, kw, f), elem in [((2, 9, 9, 32), (3, 3, 37), "f32"),
                                            ((1, 8, 7, 7), (3, 3, 17), "f32"),
                                            ((2, 10, 10, 3), (3, 3, 128), "f32"),
                                            ((1, 6, 6, 60), (3, 3, 9), "f32"),
                                            ((1, 6, 6, 16), (3, 3, 9), "f64")]:
        oh, ow = conv_out(h, w, kh, kw, (1, 1), (1, 1))
        yield ("conv_bias_relu", [(n, h, w, c), (kh, kw, c, f), (f,)], elem, "tensor",
               "{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}",
               kh * kw * c + 1, (None, (1, 1), (1, 1)))
    for (n, h, w, c), (kh, kw), s, d, elem, form in [
            ((1, 9, 9, 17), (3, 3), (1, 1), (1, 1), "f32", "tensor"),
            ((2, 8, 7, 33), (2, 3), (2, 1), (1, 2), "f32", "memref"),
            ((1, 6, 6, 1), (3, 3), (1, 1), (1, 1), "f32", "tensor"),
            ((1, 4, 4, 1031), (3, 3), (1, 1), (1, 1), "f32", "memref"),
            ((1, 7, 7, 12), (3, 3), (1, 1), (1, 1), "f64", "tensor"),
            ((1, 4, 4, 0), (3, 3), (1, 1), (1, 1), "f32", "memref"),
            # Rows of 17 and 33 output pixels: blocks of 8 and a remainder.
            ((2, 6, 19, 16), (3, 3), (1, 1), (1, 1), "f32", "memref"),
            ((1, 5, 35, 3), (3, 3), (1, 1), (1, 1), "f32", "tensor"),
            ((1, 3, 35, 9), (1, 3), (1, 2), (1, 1), "f64", "memref")]:
        oh, ow = conv_out(h, w, kh, kw, s, d)
        yield ("depthwise_conv_2d_nhwc_hwc",
               [(n, h, w, c), (kh, kw, c), (n, oh, ow, c)], elem, form,
               conv_attrs(s, d), kh * kw, (None, s, d))
    # The depthwise kernel applies a bias and a ReLU to its accumulators.
    for (n, h, w, c), elem in [((2, 10, 10, 32), "f32"), ((1, 5, 21, 17), "f32"),
                               ((1, 6, 6, 12), "f64")]:
        yield ("depthwise_bias_relu", [(n, h, w, c), (3, 3, c), (c,)], elem, "tensor",
               "{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}",
               9 + 1, (None, (1, 1), (1, 1)))
    for (bt, m, n, k), elem, form in [
            ((3, 17, 7, 33), "f32", "tensor"), ((2, 1000, 7, 17), "f32", "memref"),
            ((1, 7, 17, 1031), "f32", "tensor"), ((2, 33, 65, 600), "f64", "memref"),
            ((1, 1, 1, 1), "f32", "memref"), ((0, 3, 4, 5), "f32", "tensor"),
            ((2, 5, 3, 0), "f32", "memref")]:
        yield ("batch_matmul", [(bt, m, k), (bt, k, n), (bt, m, n)], elem, form,
               "", k, None)


def run(runner, tmpdir, index, case, target):
    op, shapes, elem, form, attrs, products, geometry = case
    base = os.path.join(tmpdir, f"case{index}_{target}")
    pad = geometry[0] if geometry else None
    with open(base + ".mlir", "w") as f:
        if op in ("conv_bias_relu", "depthwise_bias_relu"):
            inner = ("conv_2d_nhwc_hwcf" if op == "conv_bias_relu"
                     else "depthwise_conv_2d_nhwc_hwc")
            f.write(module(inner, shapes, elem, form, attrs, bias_relu=True))
        else:
            f.write(module(op, shapes, elem, form, attrs, pad))
    rng = np.random.default_rng(index)
    arrays = [rng.uniform(-1, 1, size=s).astype(NP[elem]) for s in shapes]
    inputs = []
    for i, a in enumerate(arrays):
        np.save(f"{base}.in{i}.npy", a)
        inputs += ["--input", f"{base}.in{i}.npy"]
    threads = 1 + index % 2
    shape = ("vector-bits=512 vector-registers=32" if target == "avx512"
             else "vector-bits=256 vector-registers=16")
    pipeline = (f"builtin.module(trop-cpu-pipeline{{threads={threads} {shape} "
                f"results-to-out-params=1}})")
    cmd = [runner, base + ".mlir", "--entry", "f", *inputs, "--pipeline",
           pipeline, "--output", base + ".out.npy", "--dump-lowered"]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    label = f"{op} {elem} {form} {shapes} threads={threads} {target}"
    if proc.returncode != 0:
        return False, label, proc.stderr[-2000:]
    nonempty = all(dim > 0 for s in shapes for dim in s)
    # The reference lowering has no fused multiply-add: its presence shows
    # that the fast kernel ran.
    if nonempty and "llvm.intr.fmuladd" not in proc.stderr:
        return False, label, "no fused multiply-add: the fast kernel was not used"
    got = np.load(base + ".out.npy")
    ref, mag = reference(op, arrays, geometry, REF[elem])
    n = products + 1
    gamma = lambda u: n * u / (1 - n * u)
    bound = (gamma(ROUNDOFF[elem]) + gamma(REF_ROUNDOFF[elem])) * mag
    err = np.abs(got.astype(REF[elem]) - ref)
    if got.shape != ref.shape or not np.all(err <= bound):
        worst = np.unravel_index(np.argmax(err - bound), err.shape) if err.size else ()
        return False, label, (f"shape {got.shape} vs {ref.shape}; worst at {worst}: "
                              f"error {err[worst]} > bound {bound[worst]}")
    return True, label, ""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runner", required=True, help="the trop-run executable")
    runner = parser.parse_args().runner
    # Every case with the register shapes of AVX-512 and of AVX2.
    jobs = [(i, c, t) for i, c in enumerate(cases()) for t in ["avx512", "avx2"]]
    tmpdir = tempfile.mkdtemp(prefix="trop-linear-check-")
    workers = os.cpu_count() or 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
        failed = [r for r in pool.map(lambda j: run(runner, tmpdir, *j), jobs)
                  if not r[0]]
    print("".join(f"MISMATCH: {label}\n{out}\n\n" for _, label, out in failed), end="")
    print(f"linear layers: {len(jobs)} cases, {len(failed)} failures")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
