#!/usr/bin/env python3
"""+∞ meets −∞ in ⊗: the CPU pipeline agrees with the reference bit for bit.

docs/semantics.md: where +∞ meets −∞ in the ⊗ of max_plus/min_plus, 𝟘
absorbs the top, so the product is 𝟘 (ignored by ⊕), in every NaN mode and
every pipeline. For every float type (f32, f64, f16, bf16) and both NaN modes
this builds one function holding every op whose ⊗ is + (matmul, batch_matmul,
dual_matmul, conv_2d with padding, on the direct and the grouped kernel,
depthwise_conv_2d with padding) for both `_plus` semirings, draws inputs made
mostly of ±∞ (with rows of A and columns of B that are all +∞ or all −∞, and
inits that are 𝟘, so that some outputs are made of nothing but ±∞ pairs),
and runs

    trop-run case.mlir --entry f --pipeline cpu --nan-mode M --check ...

Prints one line per case and "infinities: N cases, F failures".
"""

import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

TYPES = ["f32", "f64", "f16", "bf16"]
DTYPE = {"f32": np.float32, "f64": np.float64, "f16": np.float16}
PLUS = ["max_plus", "min_plus"]


def tensor(shape, ty):
    return "tensor<" + "".join(f"{d}x" for d in shape) + ty + ">"


class Case:
    """One function `f` whose every input is an argument."""

    def __init__(self, ty, rng):
        self.ty, self.rng = ty, rng
        self.args, self.lines, self.results = [], [], []

    def arg(self, shape, kind="any"):
        self.args.append((shape, kind))
        return f"%a{len(self.args) - 1}"

    def op(self, text, shape, count=1):
        name = f"%r{len(self.lines)}"
        self.lines.append(f"{name}{':2' if count == 2 else ''} = {text}")
        t = tensor(shape, self.ty)
        self.results += ([(f"{name}#0", t), (f"{name}#1", t)]
                         if count == 2 else [(name, t)])

    def contraction(self, op, semiring, shapes, attrs=""):
        ty = self.ty
        names = [self.arg(s, k) for s, k in shapes]
        types = [tensor(s, ty) for s, _ in shapes]
        self.op(f"trop.{op} <{semiring}> {attrs} ins({names[0]}, {names[1]} : "
                f"{types[0]}, {types[1]}) outs({names[2]} : {types[2]}) -> "
                f"{types[2]}", shapes[2][0])

    def text(self):
        sig = ", ".join(f"%a{i}: {tensor(s, self.ty)}"
                        for i, (s, _) in enumerate(self.args))
        res = ", ".join(t for _, t in self.results)
        ret = ", ".join(n for n, _ in self.results)
        body = "\n".join("  " + line for line in self.lines)
        return (f"func.func @f({sig}) -> ({res}) {{\n{body}\n"
                f"  return {ret} : {res}\n}}\n")

    def draw(self, shape, kind):
        """Mostly ±∞; `lhs`/`rhs` get whole rows/columns of one infinity,
        `init` is half 𝟘 (of either semiring: ±∞)."""
        rng = self.rng
        a = rng.choice([np.inf, -np.inf, -2.0, -1.0, 0.0, 1.5, 3.0],
                       p=[0.3, 0.3, 0.08, 0.08, 0.08, 0.08, 0.08], size=shape)
        if kind == "lhs":
            a[..., 0, :], a[..., 1, :] = np.inf, -np.inf
        elif kind == "rhs":
            a[..., 0], a[..., 1] = -np.inf, np.inf
        elif kind == "init":
            a[..., :2, :] = rng.choice([np.inf, -np.inf])
        if self.ty == "bf16":
            # Every value drawn is exact in bf16: keep the top half.
            return (a.astype(np.float32).view(np.uint32) >> 16).astype(
                np.uint16)
        return a.astype(DTYPE[self.ty])


def build(ty, rng):
    case = Case(ty, rng)
    m, k, n = 13, 9, 35
    for semiring in PLUS:
        case.contraction("matmul", semiring, [((m, k), "lhs"), ((k, n), "rhs"),
                                              ((m, n), "init")])
        case.contraction("batch_matmul", semiring,
                         [((2, 5, k), "lhs"), ((2, k, 17), "rhs"),
                          ((2, 5, 17), "init")])
        pad = "{padding = array<i64: 1, 1, 1, 1>}"
        for channels in (3, 32):
            case.contraction("conv_2d", semiring,
                             [((1, 6, 6, channels), "any"),
                              ((3, 3, channels, 4), "any"),
                              ((1, 6, 6, 4), "init")], pad)
        case.contraction("depthwise_conv_2d", semiring,
                         [((1, 6, 6, 20), "any"), ((3, 3, 20), "any"),
                          ((1, 6, 6, 20), "init")], pad)
    names = [case.arg(s, kind) for s, kind in
             [((m, k), "lhs"), ((k, n), "rhs"), ((m, n), "init"),
              ((m, n), "init")]]
    t = [tensor(s, ty) for s in [(m, k), (k, n), (m, n)]]
    case.op(f"trop.dual_matmul ins({names[0]}, {names[1]} : {t[0]}, {t[1]}) "
            f"outs({names[2]}, {names[3]} : {t[2]}, {t[2]}) -> {t[2]}, {t[2]}",
            (m, n), count=2)
    return case


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runner", required=True)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    failures = cases = 0
    with tempfile.TemporaryDirectory() as work:
        for index, ty in enumerate(TYPES):
            for mode, threads in (("assume-none", 1 + index % 2),
                                  ("propagate", 2 - index % 2)):
                case = build(ty, rng)
                path = os.path.join(work, f"{ty}-{mode}.mlir")
                with open(path, "w") as f:
                    f.write(case.text())
                cmd = [args.runner, path, "--entry", "f", "--pipeline", "cpu",
                       "--nan-mode", mode, "--num-threads", str(threads),
                       "--check"]
                for i, (shape, kind) in enumerate(case.args):
                    npy = os.path.join(work, f"{ty}-{mode}.{i}.npy")
                    np.save(npy, case.draw(shape, kind))
                    cmd += ["--input", npy]
                proc = subprocess.run(cmd, capture_output=True, text=True)
                out = (proc.stdout + proc.stderr).strip()
                ok = proc.returncode == 0 and "check: OK" in out
                cases += 1
                failures += not ok
                print(f"{ty} {mode}: {'ok' if ok else 'MISMATCH ' + out}")
    print(f"infinities: {cases} cases, {failures} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
