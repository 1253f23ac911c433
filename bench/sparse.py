"""The sparse rows of the benchmark (issue: sparse kernels): one layer with a
constant weight at several densities, run by trop's sparse gather kernel and by
its dense packed kernel in the same run, 1 and 2 threads.

- max-plus: paper A's head layer, batch 256, 512 -> 512, weight density 1/256
  (paper A's sparse init: about 2 finite entries per neuron), 1/16 and 1/4, and
  1/2 (above the switch point);
- linear (`linalg.matmul`): the same shape pruned to 70 %, 90 % and 95 % zeros.

Both kernels are forced through the CPU pipeline option `sparse-max-density`
(1: always sparse, 0: never); the *default* column says which one the default
switch point picks. Every row is also checked bitwise against the reference
pipeline (`trop-run --check`) with the sparse kernel.
"""

import re
import subprocess
from pathlib import Path
from typing import Callable, List, Optional, Tuple

import numpy as np

BENCH_RE = re.compile(r"bench: (\d+) runs, median ([0-9.e+-]+) ms")
M, K, N = 256, 512, 512


def _module(kind: str, density: float, seed: int) -> Tuple[str, float]:
    rng = np.random.default_rng(seed)
    w = rng.uniform(-1, 1, size=(K, N)).astype(np.float32)
    skipped = rng.random((K, N)) >= density
    w[skipped] = 0.0 if kind == "linear" else -np.inf
    t_a, t_w, t_c = (f"tensor<{M}x{K}xf32>", f"tensor<{K}x{N}xf32>",
                     f"tensor<{M}x{N}xf32>")
    if kind == "linear":
        op = f"linalg.matmul ins(%a, %w : {t_a}, {t_w}) outs(%c : {t_c}) -> {t_c}"
    else:
        op = f"trop.matmul <max_plus> ins(%a, %w : {t_a}, {t_w}) outs(%c : {t_c}) -> {t_c}"
    text = (f"func.func @bench(%a: {t_a}, %c: {t_c}) -> {t_c} {{\n"
            f'  %w = arith.constant dense<"0x{w.tobytes().hex().upper()}"> : {t_w}\n'
            f"  %r = {op}\n  return %r : {t_c}\n}}\n")
    return text, float((~skipped).mean())


def _pipeline(threads: int, density: Optional[float]) -> str:
    opt = "" if density is None else f" sparse-max-density={density}"
    return (f"builtin.module(trop-cpu-pipeline{{results-to-out-params=1 "
            f"threads={threads}{opt}}})")


def measure_sparse(trop_run: Path, tmp: Path, quick: bool, default_switch: float,
                   log: Callable[[str], None]) -> Tuple[str, List[str], List[str]]:
    """Returns (Markdown table, notes, problems)."""
    rows = [("max-plus", "max_plus", d, label) for d, label in
            ((1 / 256, "1/256"), (1 / 16, "1/16"), (1 / 4, "1/4"), (1 / 2, "1/2"))]
    rows += [("linear", "linear", 1 - p, f"pruned {int(p * 100)} %")
             for p in (0.70, 0.90, 0.95)]
    reps_sparse, reps_dense = (20, 5) if quick else (200, 20)
    problems: List[str] = []
    lines = ["| layer (256 × 512 → 512, f32) | weight density | threads | dense kernel ms | "
             "sparse kernel ms | dense / sparse | default picks | check |",
             "|---|---|---:|---:|---:|---:|---|---|"]
    for i, (name, kind, density, label) in enumerate(rows):
        text, realized = _module(kind, density, seed=i)
        path = tmp / f"sparse_{kind}_{i}.mlir"
        path.write_text(text)
        base = [str(trop_run), str(path), "--entry", "bench", "--random-inputs"]

        check = "–"
        p = subprocess.run(base + ["--pipeline", _pipeline(1, 1.0), "--check"],
                           capture_output=True, text=True, timeout=600)
        check = "ok" if p.returncode == 0 and "check: OK" in p.stdout else "FAIL"
        if check != "ok":
            problems.append(f"--check {name} {label}: {(p.stdout + p.stderr)[-500:]}")

        for threads in (1, 2):
            ms = {}
            for which, forced, reps in (("dense", 0.0, reps_dense), ("sparse", 1.0, reps_sparse)):
                log(f"  sparse rows: {name} {label}, {which} kernel, {threads} thread(s)")
                cmd = base + ["--pipeline", _pipeline(threads, forced), "--bench", str(reps)]
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
                m = BENCH_RE.search(p.stdout)
                if p.returncode != 0 or not m:
                    problems.append(f"{' '.join(cmd)}: exit {p.returncode}: "
                                    f"{(p.stdout + p.stderr)[-500:]}")
                    continue
                ms[which] = float(m[2])
            ratio = (f"{ms['dense'] / ms['sparse']:.1f}×" if len(ms) == 2 else "–")
            picks = "sparse" if realized <= default_switch else "dense"
            fmt = lambda v: f"{v:.3f}" if v is not None else "–"
            lines.append(f"| {name}, {label} | {realized:.4f} | {threads} | "
                         f"{fmt(ms.get('dense'))} | {fmt(ms.get('sparse'))} | {ratio} | "
                         f"{picks} | {check} |")
    notes = [f"Sparse rows: the default switch point is density ≤ {default_switch} "
             f"(`sparse-max-density`, chosen from measurements like these: see "
             f"docs/cpu-pipeline.md); both kernels are forced in the table."]
    return "\n".join(lines), notes, problems
