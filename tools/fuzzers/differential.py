#!/usr/bin/python3
"""Differential fuzzer: random valid trop modules through every pipeline.

Draws modules from a structure-aware generator (chains of one to four trop
ops on tensors: matmul, batch_matmul, dual_matmul, conv_2d, depthwise_conv_2d,
dual_conv_2d and maxout, with random semirings valid for a random element type, random
shapes including sizes 1 and odd ones, random strides, dilations and
padding), draws inputs for them, and runs

    trop-run MODULE --entry f --input ... --pipeline cpu --nan-mode M \
        --num-threads T --check

which compiles the module with the CPU pipeline and with the reference
lowering (the oracle, docs/semantics.md) and compares every output bit for bit
(all NaNs equal). A disagreement, a crash, a sanitizer report or a timeout is
a finding: its module and inputs are kept in --keep (default: a temporary
directory, printed).

Inputs (--values):
  finite    uniform in a random range (the carrier case);
  specials  finite values mixed with ±∞, ±0, the largest finite values,
            subnormals, integer extremes and 𝟘 (no NaN: both NaN modes);
  nan       specials plus NaN (nan-mode propagate only: assume-none promises
            NaN-free inputs).

Usage:
    differential.py --runner build/bin/trop-run --modules 200 --seed 1

Ends with "differential: N modules, K outputs compared, D disagreements,
C crashes" and exits with 1 when D or C is not zero.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

FLOAT_TYPES = ["f32", "f64", "f16", "bf16"]
INT_TYPES = ["i8", "i16", "i32", "i64"]
DTYPE = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
         "bf16": np.float32, "i8": np.int8, "i16": np.int16, "i32": np.int32,
         "i64": np.int64,
         "i1": np.bool_}
SANITIZER_EXIT_CODE = 86
SIGNED_ZERO_TIE = re.compile(r"got -?0, the reference pipeline gives -?0$", re.M)


def semirings_for(elt):
    if elt == "i1":
        return ["max_min", "min_max"]
    return ["max_plus", "min_plus", "max_min", "min_max"]


def ttype(shape, elt):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + elt + ">"


class Module:
    """Builds one function `f` whose every input (inits included) is an
    argument, so that trop-run draws or reads all of them."""

    def __init__(self, elt):
        self.elt = elt
        self.args = []      # (name, shape)
        self.lines = []
        self.results = []   # (name, shape)
        self.count = 0

    def arg(self, shape):
        name = f"%a{len(self.args)}"
        self.args.append((name, shape))
        return name

    def value(self):
        self.count += 1
        return f"%v{self.count}"

    def text(self):
        sig = ", ".join(f"{n}: {ttype(s, self.elt)}" for n, s in self.args)
        res = ", ".join(ttype(s, self.elt) for _, s in self.results)
        ret = ", ".join(n for n, _ in self.results)
        body = "\n".join("  " + line for line in self.lines)
        return (f"func.func @f({sig}) -> ({res}) {{\n{body}\n"
                f"  return {ret} : {res}\n}}\n")


def dim(rng):
    return rng.choice([1, 2, 3, 5, 7, 8, 9, 16, 17, 31, 33])


def gen_matrix_chain(rng, m, elt):
    """matmul / dual_matmul / maxout on 2-D values."""
    rows, cols = dim(rng), dim(rng)
    x = m.arg((rows, cols))
    shape = (rows, cols)
    for _ in range(rng.randint(1, 3)):
        op = rng.choice(["matmul", "matmul", "dual_matmul", "maxout"])
        if op == "maxout":
            groups = [g for g in (2, 3, 4) if shape[1] % g == 0]
            if not groups:
                op = "matmul"
            else:
                g = rng.choice(groups)
                out = (shape[0], shape[1] // g)
                init = m.arg(out)
                v = m.value()
                m.lines.append(f"{v} = trop.maxout group_size = {g} ins({x} : "
                               f"{ttype(shape, elt)}) outs({init} : "
                               f"{ttype(out, elt)}) -> {ttype(out, elt)}")
                x, shape = v, out
                continue
        n = dim(rng)
        w = m.arg((shape[1], n))
        out = (shape[0], n)
        if op == "dual_matmul" and elt in FLOAT_TYPES:
            c, d = m.arg(out), m.arg(out)
            v = m.value()
            m.lines.append(
                f"{v}:2 = trop.dual_matmul ins({x}, {w} : {ttype(shape, elt)}, "
                f"{ttype((shape[1], n), elt)}) outs({c}, {d} : {ttype(out, elt)}, "
                f"{ttype(out, elt)}) -> {ttype(out, elt)}, {ttype(out, elt)}")
            m.results.append((f"{v}#1", out))
            x = f"{v}#0"
        else:
            sr = rng.choice(semirings_for(elt))
            c = m.arg(out)
            v = m.value()
            m.lines.append(
                f"{v} = trop.matmul <{sr}> ins({x}, {w} : {ttype(shape, elt)}, "
                f"{ttype((shape[1], n), elt)}) outs({c} : {ttype(out, elt)}) -> "
                f"{ttype(out, elt)}")
            x = v
        shape = out
    m.results.append((x, shape))


def gen_batch(rng, m, elt):
    b, rows, k, n = rng.choice([1, 2, 3]), dim(rng), dim(rng), dim(rng)
    x, w, c = m.arg((b, rows, k)), m.arg((b, k, n)), m.arg((b, rows, n))
    sr = rng.choice(semirings_for(elt))
    v = m.value()
    m.lines.append(
        f"{v} = trop.batch_matmul <{sr}> ins({x}, {w} : {ttype((b, rows, k), elt)}, "
        f"{ttype((b, k, n), elt)}) outs({c} : {ttype((b, rows, n), elt)}) -> "
        f"{ttype((b, rows, n), elt)}")
    m.results.append((v, (b, rows, n)))


def window_attrs(rng):
    s = [rng.choice([1, 1, 2, 3]) for _ in range(2)]
    d = [rng.choice([1, 1, 2]) for _ in range(2)]
    p = [rng.choice([0, 0, 1, 2]) for _ in range(4)]
    return s, d, p


def out_size(size, k, s, d, lo, hi):
    return (size + lo + hi - d * (k - 1) - 1) // s + 1


def gen_conv_chain(rng, m, elt):
    n, h, w, c = rng.choice([1, 2]), rng.randint(3, 12), rng.randint(3, 12), dim(rng)
    x = m.arg((n, h, w, c))
    shape = (n, h, w, c)
    for _ in range(rng.randint(1, 2)):
        op = rng.choice(["conv_2d", "depthwise_conv_2d", "dual_conv_2d"])
        if op == "dual_conv_2d" and elt not in FLOAT_TYPES:
            op = "conv_2d"  # the max-plus-min conv is defined on floats
        kh, kw = rng.randint(1, 3), rng.randint(1, 3)
        s, d, p = window_attrs(rng)
        # padding is [top, left, bottom, right].
        oh = out_size(shape[1], kh, s[0], d[0], p[0], p[2])
        ow = out_size(shape[2], kw, s[1], d[1], p[1], p[3])
        if oh < 1 or ow < 1:
            continue
        f = shape[3] if op == "depthwise_conv_2d" else dim(rng)
        wshape = ((kh, kw, shape[3]) if op == "depthwise_conv_2d"
                  else (kh, kw, shape[3], f))
        out = (shape[0], oh, ow, f)
        wt, init = m.arg(wshape), m.arg(out)
        sr = rng.choice(semirings_for(elt))
        v = m.value()
        attrs = (f"{{strides = array<i64: {s[0]}, {s[1]}>, dilations = "
                 f"array<i64: {d[0]}, {d[1]}>, padding = array<i64: "
                 f"{', '.join(map(str, p))}>}}")
        if op == "dual_conv_2d":
            # One filter for both halves (paper C's conv) or two (DEP's).
            wmin = wt if rng.random() < 0.5 else m.arg(wshape)
            init2 = m.arg(out)
            o, w = ttype(out, elt), ttype(wshape, elt)
            m.lines.append(
                f"{v}:2 = trop.dual_conv_2d {attrs} ins({x}, {wt}, {wmin} : "
                f"{ttype(shape, elt)}, {w}, {w}) outs({init}, {init2} : {o}, "
                f"{o}) -> {o}, {o}")
            m.results.append((f"{v}#1", out))
            x, shape = f"{v}#0", out
            continue
        m.lines.append(
            f"{v} = trop.{op} <{sr}> {attrs} ins({x}, {wt} : {ttype(shape, elt)}, "
            f"{ttype(wshape, elt)}) outs({init} : {ttype(out, elt)}) -> "
            f"{ttype(out, elt)}")
        x, shape = v, out
    m.results.append((x, shape))


def generate(rng):
    elt = rng.choice(FLOAT_TYPES * 3 + INT_TYPES * 2 + ["i1"])
    m = Module(elt)
    kind = rng.choice(["matrix", "matrix", "batch", "conv"])
    if kind == "matrix" and elt == "i1":
        kind = "conv"  # dual_matmul and max_plus need a numeric type
    {"matrix": gen_matrix_chain, "batch": gen_batch,
     "conv": gen_conv_chain}[kind](rng, m, elt)
    if not m.results:
        return generate(rng)
    return m


def specials(elt, nan):
    if elt == "i1":
        return np.array([0, 1])
    if elt in INT_TYPES:
        info = np.iinfo(DTYPE[elt])
        return np.array([info.min, info.max, info.min + 1, info.max - 1, 0, -1, 1])
    finfo = np.finfo(np.float16 if elt == "f16" else DTYPE[elt])
    vals = [np.inf, -np.inf, 0.0, -0.0, float(finfo.max), -float(finfo.max),
            float(finfo.tiny) / 4, 1.0, -1.0]
    if elt == "bf16":
        vals += [3.3895313892515355e38, 9.2e-41]
    if nan:
        vals.append(np.nan)
    return np.array(vals)


def to_bf16_bits(a):
    bits = np.asarray(a, np.float32).view(np.uint32).astype(np.uint64)
    nan = np.isnan(np.asarray(a, np.float32))
    rounded = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    rounded[nan] = 0x7FC0
    return rounded


def draw(rng, shape, elt, values):
    nrng = np.random.default_rng(rng.randrange(1 << 63))
    if elt == "i1":
        a = nrng.integers(0, 2, size=shape).astype(np.bool_)
    elif elt in INT_TYPES:
        lo, hi = sorted(nrng.integers(-300, 300, size=2))
        a = nrng.integers(lo, hi + 1, size=shape)
        info = np.iinfo(DTYPE[elt])
        a = np.clip(a, info.min, info.max)
    else:
        scale = 10.0 ** nrng.integers(-3, 5)
        a = nrng.uniform(-scale, scale, size=shape)
    if values != "finite" and a.size:
        mask = nrng.random(shape) < nrng.choice([0.05, 0.2, 0.5])
        pool = specials(elt, values == "nan")
        a = np.where(mask, nrng.choice(pool, size=shape), a)
    if elt == "bf16":
        return to_bf16_bits(a)
    return np.asarray(a).astype(DTYPE[elt])


def run_one(args, rng, index, workdir):
    m = generate(rng)
    nan_mode = "propagate" if args.values == "nan" else rng.choice(
        ["assume-none", "propagate"])
    threads = rng.choice([1, 2])
    path = os.path.join(workdir, f"m{index}.mlir")
    with open(path, "w") as f:
        f.write(m.text())
    cmd = [args.runner, path, "--entry", "f", "--pipeline", "cpu",
           "--nan-mode", nan_mode, "--num-threads", str(threads), "--check"]
    for i, (_, shape) in enumerate(m.args):
        npy = os.path.join(workdir, f"m{index}.in{i}.npy")
        np.save(npy, draw(rng, shape, m.elt, args.values))
        cmd += ["--input", npy]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=args.timeout, errors="replace")
    except subprocess.TimeoutExpired:
        return "crash", "timed out", cmd, len(m.results)
    out = proc.stdout + proc.stderr
    if proc.returncode == 0 and "check: OK" in out:
        return "ok", "", cmd, len(m.results)
    if proc.returncode == 1 and "differs from the reference" in out:
        # docs/semantics.md leaves the sign of a zero tie unspecified.
        if SIGNED_ZERO_TIE.search(out):
            return "ok", "", cmd, len(m.results)
        return "disagreement", out.strip()[-600:], cmd, len(m.results)
    what = ("sanitizer report" if proc.returncode == SANITIZER_EXIT_CODE
            else f"exit code {proc.returncode}")
    return "crash", f"{what}: {out.strip()[-600:]}", cmd, len(m.results)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runner", required=True, help="path to trop-run")
    p.add_argument("--modules", type=int, default=100)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--values", choices=["finite", "specials", "nan"],
                   default="finite")
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument("--keep", help="directory for the files of each finding")
    args = p.parse_args()

    rng = random.Random(args.seed)
    workdir = tempfile.mkdtemp(prefix="trop-differential-")
    counts = {"ok": 0, "disagreement": 0, "crash": 0}
    outputs = 0
    for i in range(args.modules):
        status, why, cmd, n = run_one(args, rng, i, workdir)
        counts[status] += 1
        if status == "ok":
            outputs += n
            continue
        keep = args.keep or workdir
        os.makedirs(keep, exist_ok=True)
        for arg in cmd:
            if arg.startswith(workdir) and keep != workdir:
                shutil.copy(arg, keep)
        print(f"{status.upper()}: module {i}: {' '.join(cmd)}\n  {why}")
    if not (counts["disagreement"] or counts["crash"]) and not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"differential: {args.modules} modules, {outputs} outputs compared, "
          f"{counts['disagreement']} disagreements, {counts['crash']} crashes")
    return 1 if counts["disagreement"] or counts["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
