#!/usr/bin/env python3
"""Property test of --trop-tropnnc's recorded error bound.

Draws random Linear → (batch norm) → ReLU → Linear and Conv → (batch norm) →
ReLU → Conv blocks with f32 or f64 constant weights, some with duplicated,
positively scaled, negatively scaled and dead neurons, writes them as one
module in the form trop.export emits, and runs

    trop-opt --trop-tropnnc="keep-ratio=K seed=S input-radius=R"

for several keep ratios, seeds and radii. For every compressed block it
reads the emitted constants and the attribute trop.tropnnc back from the IR,
evaluates the original and the compressed block in float64 with numpy (the
bound is a statement in real arithmetic about the emitted constants) on
random inputs in the ball ||x||_2 <= R (inside it and on its sphere; for a
conv the whole input tensor, which bounds every receptive field), and checks

    |y_i(x) - y~_i(x)| <= bounds[i] * (1 + 1e-9) + 1e-12 * scale

for every output i (scale: the magnitude of the terms, for float64
evaluation rounding). Prints one line per violation and a summary with the
largest error/bound ratio among clustered blocks.

Usage: property.py --opt path/to/trop-opt --work-dir DIR [--networks N]
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np


def fmt(values, dtype):
    """An MLIR dense literal of `values` (exact: repr of the typed value)."""
    values = np.asarray(values, dtype=dtype)
    if values.ndim == 0:
        return repr(float(values))
    return "[" + ", ".join(fmt(v, dtype) for v in values) + "]"


def tensor(shape, ty):
    return "tensor<" + "x".join(str(s) for s in shape) + "x" + ty + ">"


def structured_rows(rng, n, d, kind):
    """n neuron rows of length d (+1 bias handled by the caller) with
    duplicates, positive/negative multiples and dead neurons mixed in."""
    rows = rng.standard_normal((n, d + 1))
    for j in range(1, n):
        u = rng.random()
        if u < 0.15:
            rows[j] = rows[rng.integers(0, j)]  # duplicate
        elif u < 0.3:
            rows[j] = rows[rng.integers(0, j)] * rng.uniform(0.1, 4.0)
        elif u < 0.4:
            rows[j] = -rows[rng.integers(0, j)] * rng.uniform(0.1, 4.0)
        elif u < 0.45:
            rows[j] = 0.0
    return rows


def make_linear(rng, name, dtype, ty):
    b = int(rng.integers(1, 4))
    d = int(rng.integers(1, 6))
    n = int(rng.integers(2, 14))
    m = int(rng.integers(1, 4))
    rows = structured_rows(rng, n, d, "linear").astype(dtype)
    w1 = rows[:, :d].T.copy()  # d x n (in x out)
    b1 = rows[:, d].copy()
    w2 = rng.standard_normal((n, m)).astype(dtype)
    w2[rng.random(n) < 0.1] = 0.0  # dead by their output
    b2 = rng.standard_normal(m).astype(dtype)
    bn = None
    if rng.random() < 0.4:
        bn = (rng.uniform(0.2, 3.0, n).astype(dtype),
              rng.standard_normal(n).astype(dtype))
    net = dict(kind="linear", name=name, w1=w1, b1=b1, w2=w2, b2=b2, bn=bn,
               xshape=(b, d), dtype=dtype)
    h = (b, n)
    y = (b, m)
    lines = [f"func.func @{name}(%x: {tensor((b, d), ty)}) -> {tensor(y, ty)} {{"]
    lines.append(f"  %w1 = arith.constant dense<{fmt(w1, dtype)}> : {tensor(w1.shape, ty)}")
    lines.append(f"  %b1 = arith.constant dense<{fmt(b1, dtype)}> : {tensor((n,), ty)}")
    lines += bias_broadcast("%bb1", "%b1", h, ty)
    lines.append(f"  %z = linalg.matmul ins(%x, %w1 : {tensor((b, d), ty)}, {tensor(w1.shape, ty)}) outs(%bb1 : {tensor(h, ty)}) -> {tensor(h, ty)}")
    lines += affine_relu_tail(net, h, ty, dtype)
    lines.append(f"  %w2 = arith.constant dense<{fmt(w2, dtype)}> : {tensor(w2.shape, ty)}")
    lines.append(f"  %b2 = arith.constant dense<{fmt(b2, dtype)}> : {tensor((m,), ty)}")
    lines += bias_broadcast("%bb2", "%b2", y, ty)
    lines.append(f"  %y = linalg.matmul ins(%h, %w2 : {tensor(h, ty)}, {tensor(w2.shape, ty)}) outs(%bb2 : {tensor(y, ty)}) -> {tensor(y, ty)}")
    lines.append(f"  return %y : {tensor(y, ty)}")
    lines.append("}")
    return net, "\n".join(lines)


def make_conv(rng, name, dtype, ty):
    c = int(rng.integers(1, 3))
    k1 = int(rng.integers(1, 3))
    k2 = int(rng.integers(1, 3))
    f = int(rng.integers(2, 9))
    o = int(rng.integers(1, 3))
    hw = int(rng.integers(k1 + k2 - 1, 6))
    d = k1 * k1 * c
    rows = structured_rows(rng, f, d, "conv").astype(dtype)
    w1 = rows[:, :d].T.reshape(k1, k1, c, f).copy()
    b1 = rows[:, d].copy()
    w2 = rng.standard_normal((k2, k2, f, o)).astype(dtype)
    b2 = rng.standard_normal(o).astype(dtype)
    bn = None
    if rng.random() < 0.4:
        bn = (rng.uniform(0.2, 3.0, f).astype(dtype),
              rng.standard_normal(f).astype(dtype))
    net = dict(kind="conv", name=name, w1=w1, b1=b1, w2=w2, b2=b2, bn=bn,
               xshape=(1, hw, hw, c), dtype=dtype)
    h = (1, hw - k1 + 1, hw - k1 + 1, f)
    y = (1, h[1] - k2 + 1, h[2] - k2 + 1, o)
    conv = "linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}"
    xs = tensor(net["xshape"], ty)
    lines = [f"func.func @{name}(%x: {xs}) -> {tensor(y, ty)} {{"]
    lines.append(f"  %w1 = arith.constant dense<{fmt(w1, dtype)}> : {tensor(w1.shape, ty)}")
    lines.append(f"  %b1 = arith.constant dense<{fmt(b1, dtype)}> : {tensor((f,), ty)}")
    lines += bias_broadcast("%bb1", "%b1", h, ty)
    lines.append(f"  %z = {conv} ins(%x, %w1 : {xs}, {tensor(w1.shape, ty)}) outs(%bb1 : {tensor(h, ty)}) -> {tensor(h, ty)}")
    lines += affine_relu_tail(net, h, ty, dtype)
    lines.append(f"  %w2 = arith.constant dense<{fmt(w2, dtype)}> : {tensor(w2.shape, ty)}")
    lines.append(f"  %b2 = arith.constant dense<{fmt(b2, dtype)}> : {tensor((o,), ty)}")
    lines += bias_broadcast("%bb2", "%b2", y, ty)
    lines.append(f"  %y = {conv} ins(%h, %w2 : {tensor(h, ty)}, {tensor(w2.shape, ty)}) outs(%bb2 : {tensor(y, ty)}) -> {tensor(y, ty)}")
    lines.append(f"  return %y : {tensor(y, ty)}")
    lines.append("}")
    return net, "\n".join(lines)


def maps(rank):
    dims = ", ".join(f"d{i}" for i in range(rank))
    ident = f"affine_map<({dims}) -> ({dims})>"
    chan = f"affine_map<({dims}) -> (d{rank - 1})>"
    par = ", ".join(['"parallel"'] * rank)
    return ident, chan, par


def bias_broadcast(res, src, shape, ty):
    ident, chan, par = maps(len(shape))
    t = tensor(shape, ty)
    return [f"  {res}_e = tensor.empty() : {t}",
            f"  {res} = linalg.generic {{indexing_maps = [{chan}, {ident}], iterator_types = [{par}]}} ins({src} : {tensor((shape[-1],), ty)}) outs({res}_e : {t}) {{",
            f"  ^bb0(%a: {ty}, %o: {ty}):",
            f"    linalg.yield %a : {ty}",
            f"  }} -> {t}"]


def affine_relu_tail(net, h, ty, dtype):
    ident, chan, par = maps(len(h))
    t = tensor(h, ty)
    ct = tensor((h[-1],), ty)
    lines = []
    src = "%z"
    if net["bn"] is not None:
        s, sh = net["bn"]
        lines += [f"  %bns = arith.constant dense<{fmt(s, dtype)}> : {ct}",
                  f"  %bnt = arith.constant dense<{fmt(sh, dtype)}> : {ct}",
                  f"  %bne = tensor.empty() : {t}",
                  f"  %bn = linalg.generic {{indexing_maps = [{ident}, {chan}, {chan}, {ident}], iterator_types = [{par}]}} ins(%z, %bns, %bnt : {t}, {ct}, {ct}) outs(%bne : {t}) {{",
                  f"  ^bb0(%a: {ty}, %sc: {ty}, %sf: {ty}, %o: {ty}):",
                  f"    %mul = arith.mulf %a, %sc : {ty}",
                  f"    %add = arith.addf %mul, %sf : {ty}",
                  f"    linalg.yield %add : {ty}",
                  f"  }} -> {t}"]
        src = "%bn"
    lines += [f"  %he = tensor.empty() : {t}",
              f"  %h = linalg.generic {{indexing_maps = [{ident}, {ident}], iterator_types = [{par}]}} ins({src} : {t}) outs(%he : {t}) {{",
              f"  ^bb0(%a: {ty}, %o: {ty}):",
              f"    %zero = arith.constant 0.0 : {ty}",
              f"    %m = arith.maximumf %a, %zero : {ty}",
              f"    linalg.yield %m : {ty}",
              f"  }} -> {t}"]
    return lines


def conv(x, w):
    """NHWC × HWCF, stride 1, no padding, in float64."""
    n, hh, ww, c = x.shape
    kh, kw, _, f = w.shape
    oh, ow = hh - kh + 1, ww - kw + 1
    out = np.zeros((n, oh, ow, f))
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,cf->nhwf", x[:, i:i + oh, j:j + ow, :], w[i, j])
    return out


def evaluate(kind, x, w1, b1, w2, b2, bn):
    """The block in float64; also the sum of magnitudes for the tolerance."""
    lin = (lambda a, w: a @ w) if kind == "linear" else conv
    z = lin(x, w1) + b1
    if bn is not None:
        z = z * bn[0] + bn[1]
    h = np.maximum(z, 0.0)
    y = lin(h, w2) + b2
    scale = lin(np.abs(h), np.abs(w2)) + np.abs(b2) + 1.0
    return y, scale


DENSE = re.compile(r"(%[\w]+) = arith\.constant dense<(.*?)> : tensor<([^>]*)>")


def parse_dense(text, shape_spec):
    parts = shape_spec.split("x")
    ty = parts[-1]
    shape = tuple(int(p) for p in parts[:-1])
    dtype = np.float32 if ty == "f32" else np.float64
    if text.startswith('"0x'):
        data = np.frombuffer(bytes.fromhex(text[3:-1]), dtype=dtype).astype(np.float64)
        return data.reshape(shape) if data.size > 1 else np.full(shape, data[0])
    vals = [float(v) for v in re.findall(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|inf|nan)", text)]
    # Printed with the fewest digits that read back to the same value in the
    # element type: read as that type, then widen.
    arr = np.array(vals, dtype=dtype).astype(np.float64)
    if arr.size == 1:
        return np.full(shape, arr[0])
    return arr.reshape(shape)


def parse_function(body):
    consts = {}
    for m in DENSE.finditer(body):
        consts[m.group(1)] = parse_dense(m.group(2), m.group(3))
    ops = re.findall(r"(linalg\.(?:matmul|conv_2d_nhwc_hwcf)\b.*)", body)
    first = re.search(r"ins\(%\w+, (%\w+)", ops[0]).group(1)
    init1 = re.search(r"outs\((%\w+)", ops[0]).group(1)
    bias_src = re.search(re.escape(init1) + r" = linalg\.(?:broadcast ins|generic .*? ins)\((%\w+)", body).group(1)
    second = re.search(r"ins\(%\w+, (%\w+)", ops[1]).group(1)
    attr = re.search(r"trop\.tropnnc = \{(.*?)\}\}", body).group(1)
    bound = float(re.search(r"bound = ([-+0-9.e]+)", attr).group(1))
    bounds = [float(v) for v in re.search(r"bounds = array<f64: ([^>]*)>", attr).group(1).split(",")]
    exact = "exact = true" in attr
    kept = int(re.search(r"kept = (\d+)", attr).group(1))
    has_bn = "arith.mulf" in body
    return dict(w1=consts[first], b1=consts[bias_src], w2=consts[second],
                bound=bound, bounds=np.array(bounds), exact=exact, kept=kept,
                has_bn=has_bn)


def ball_points(rng, shape, radius, count):
    size = int(np.prod(shape[1:]))
    pts = rng.standard_normal((count, size))
    pts /= np.linalg.norm(pts, axis=1, keepdims=True)
    r = radius * np.where(rng.random((count, 1)) < 0.5, 1.0,
                          rng.random((count, 1)) ** (1.0 / size))
    return (pts * r).reshape((count,) + tuple(shape[1:]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--opt", required=True)
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--networks", type=int, default=50)
    ap.add_argument("--points", type=int, default=400)
    args = ap.parse_args()
    os.makedirs(args.work_dir, exist_ok=True)

    rng = np.random.default_rng(20241)
    nets, funcs = [], []
    for i in range(args.networks):
        dtype, ty = (np.float64, "f64") if rng.random() < 0.2 else (np.float32, "f32")
        make = make_conv if i % 3 == 2 else make_linear
        net, text = make(rng, f"net{i}", dtype, ty)
        nets.append(net)
        funcs.append(text)
    src = os.path.join(args.work_dir, "nets.mlir")
    with open(src, "w") as f:
        f.write("\n\n".join(funcs) + "\n")

    configs = [(k, s, r) for k in (1.0, 0.75, 0.5, 0.25)
               for (s, r) in ((0, 1.0), (1, 4.0))]
    checked = violations = clustered = exact_blocks = 0
    worst = 0.0
    ratios = []
    for keep, seed, radius in configs:
        opts = f"keep-ratio={keep} seed={seed} input-radius={radius}"
        out = subprocess.run([args.opt, src, f"--trop-tropnnc={opts}"],
                             capture_output=True, text=True)
        if out.returncode != 0:
            print(f"trop-opt failed ({opts}):\n{out.stderr}")
            return 1
        pieces = re.split(r"\n  func\.func @", out.stdout)
        bodies = {}
        for p in pieces[1:]:
            name = re.match(r"(\w+)", p).group(1)
            bodies[name] = p
        for net in nets:
            body = bodies[net["name"]]
            got = parse_function(body)
            n = net["w1"].shape[-1]
            expected_kept = max(1, int(np.ceil(keep * n - 1e-9)))
            if got["kept"] > expected_kept:
                print(f"{net['name']} ({opts}): kept {got['kept']} > {expected_kept}")
                violations += 1
            if got["has_bn"]:
                print(f"{net['name']} ({opts}): batch norm not folded")
                violations += 1
            x = ball_points(rng, net["xshape"], radius, args.points)
            if net["kind"] == "linear":
                x = x.reshape(-1, net["xshape"][1])
            f64 = lambda a: np.asarray(a, dtype=np.float64)
            bn = None if net["bn"] is None else (f64(net["bn"][0]), f64(net["bn"][1]))
            y, scale = evaluate(net["kind"], x, f64(net["w1"]), f64(net["b1"]),
                                f64(net["w2"]), f64(net["b2"]), bn)
            yc, scale_c = evaluate(net["kind"], x, got["w1"], got["b1"],
                                   got["w2"], f64(net["b2"]), None)
            err = np.abs(y - yc)
            allowed = got["bounds"] * (1 + 1e-9) + 1e-12 * (scale + scale_c)
            checked += 1
            if (err > allowed).any():
                i = np.unravel_index(np.argmax(err - allowed), err.shape)
                print(f"{net['name']} ({opts}): error {err[i]:.6g} > bound {allowed[i]:.6g}")
                violations += 1
            if got["exact"]:
                exact_blocks += 1
            elif got["bound"] > 0:
                clustered += 1
                ratio = float((err / np.where(got["bounds"] > 0, got["bounds"], np.inf)).max())
                worst = max(worst, ratio)
                ratios.append(ratio)
    print(f"tropnnc property: {checked} blocks checked, {clustered} clustered, "
          f"{exact_blocks} exact, max error/bound (clustered) {worst:.4f}, "
          f"median {float(np.median(ratios)) if ratios else 0.0:.4f}, "
          f"violations: {violations}")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
