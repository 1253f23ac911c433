"""Fusion rows of the benchmark (issue 4, item 4): --trop-fuse against the plain
CPU pipeline and the papers' PyTorch eager formulation, measured in one run.

Rows:
  * paper A's head at batch 256: linear 512 -> 512 + bias, max-plus 512 -> 512
    (dense) with bias, linear 512 -> 10 + bias;
  * paper C's MaxPlusMin layer 256 x 512 -> 512: a max-plus and a min-plus
    product of the same weights plus their sum.
Each is compiled by trop without fusion (`trop-cpu-pipeline{pair-max-min=0}`,
which also turns off the pipeline's own max/min pairing) and with it
(`trop-fuse,trop-cpu-pipeline`: row tiling of the head's chain, one dual
max/min kernel for MaxPlusMin), both checked bit for bit against the reference
pipeline (`trop-run --check`), and run in PyTorch eager mode as the papers write
it, `(x.unsqueeze(1) + W).max(2)`, with torch.set_num_threads(T). All inputs
are the same .npy files; trop's output is compared with PyTorch's (not
bitwise: the linear layers sum in a different order).

Kept apart from bench.py's GEMM rows; bench.py calls `measure_fusion` and
prints the table it returns.
"""

import re
import statistics
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

BENCH_RE = re.compile(r"bench: (\d+) runs, median ([0-9.e+-]+) ms")

# Workload keys, matched by bench.py's --filter like the GEMM rows.
HEAD_KEY = "paperA-head f32"
MAXPLUSMIN_KEY = "maxplusmin f32"
KEYS = (HEAD_KEY, MAXPLUSMIN_KEY)

HEAD = """#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
func.func @bench(%x: tensor<{B}x{D}xf32>, %w1: tensor<{D}x{D}xf32>, %b1: tensor<{D}xf32>,
                 %w2: tensor<{D}x{D}xf32>, %b2: tensor<{D}xf32>,
                 %w3: tensor<{D}x{C}xf32>, %b3: tensor<{C}xf32>) -> tensor<{B}x{C}xf32> {{
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<{B}x{D}xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<{B}x{D}xf32>) -> tensor<{B}x{D}xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<{B}x{D}xf32>, tensor<{D}x{D}xf32>) outs(%f1 : tensor<{B}x{D}xf32>) -> tensor<{B}x{D}xf32>
  %h1 = linalg.generic {{indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}}
      ins(%m1, %b1 : tensor<{B}x{D}xf32>, tensor<{D}xf32>) outs(%e1 : tensor<{B}x{D}xf32>) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }} -> tensor<{B}x{D}xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<{D}xf32>) outs(%e1 : tensor<{B}x{D}xf32>) dimensions = [0]
  %h2 = trop.matmul <max_plus> ins(%h1, %w2 : tensor<{B}x{D}xf32>, tensor<{D}x{D}xf32>) outs(%i2 : tensor<{B}x{D}xf32>) -> tensor<{B}x{D}xf32>
  %e3 = tensor.empty() : tensor<{B}x{C}xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<{B}x{C}xf32>) -> tensor<{B}x{C}xf32>
  %m3 = linalg.matmul ins(%h2, %w3 : tensor<{B}x{D}xf32>, tensor<{D}x{C}xf32>) outs(%f3 : tensor<{B}x{C}xf32>) -> tensor<{B}x{C}xf32>
  %y = linalg.generic {{indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]}}
      ins(%m3, %b3 : tensor<{B}x{C}xf32>, tensor<{C}xf32>) outs(%e3 : tensor<{B}x{C}xf32>) {{
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  }} -> tensor<{B}x{C}xf32>
  return %y : tensor<{B}x{C}xf32>
}}
"""

MAXPLUSMIN = """#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>
func.func @bench(%x: tensor<{B}x{D}xf32>, %wt: tensor<{D}x{N}xf32>, %b: tensor<{N}xf32>,
                 %b2: tensor<{N}xf32>) -> tensor<{B}x{N}xf32> {{
  %e = tensor.empty() : tensor<{B}x{N}xf32>
  %i1 = linalg.broadcast ins(%b : tensor<{N}xf32>) outs(%e : tensor<{B}x{N}xf32>) dimensions = [0]
  %i2 = linalg.broadcast ins(%b2 : tensor<{N}xf32>) outs(%e : tensor<{B}x{N}xf32>) dimensions = [0]
  %mx = trop.matmul <max_plus> ins(%x, %wt : tensor<{B}x{D}xf32>, tensor<{D}x{N}xf32>) outs(%i1 : tensor<{B}x{N}xf32>) -> tensor<{B}x{N}xf32>
  %mn = trop.matmul <min_plus> ins(%x, %wt : tensor<{B}x{D}xf32>, tensor<{D}x{N}xf32>) outs(%i2 : tensor<{B}x{N}xf32>) -> tensor<{B}x{N}xf32>
  %y = linalg.generic {{indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}}
      ins(%mx, %mn : tensor<{B}x{N}xf32>, tensor<{B}x{N}xf32>) outs(%e : tensor<{B}x{N}xf32>) {{
  ^bb0(%p: f32, %q: f32, %o: f32):
    %s = arith.addf %p, %q : f32
    linalg.yield %s : f32
  }} -> tensor<{B}x{N}xf32>
  return %y : tensor<{B}x{N}xf32>
}}
"""


@dataclass
class FusionRow:
    key: str
    threads: int
    unfused_ms: Optional[float] = None
    fused_ms: Optional[float] = None
    eager_ms: Optional[float] = None
    check: str = ""
    max_abs_diff: Optional[float] = None


@dataclass
class FusionResults:
    rows: List[FusionRow] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)
    problems: List[Tuple[str, str, str]] = field(default_factory=list)  # what, command, detail


def _pipeline(fused: bool, threads: int) -> str:
    # Unfused: also without the CPU pipeline's own max/min pairing.
    cpu = (f"trop-cpu-pipeline{{results-to-out-params=1 threads={threads}"
           f"{'' if fused else ' pair-max-min=0'}}}")
    return f"builtin.module({'trop-fuse,' if fused else ''}{cpu})"


def _inputs(key: str, tmp: Path, quick: bool):
    """The workload's MLIR, its inputs (numpy arrays saved as .npy, uniform in
    [-1, 1) so that the linear layers stay in range) and its PyTorch eager form."""
    import numpy as np
    rng = np.random.default_rng(0)
    batch, dim = (64, 128) if quick else (256, 512)

    def arr(*shape):
        return rng.uniform(-1, 1, size=shape).astype(np.float32)

    if key == HEAD_KEY:
        classes = 10
        mlir = HEAD.format(B=batch, D=dim, C=classes)
        # PyTorch layout: nn.Linear weights are out x in; trop takes in x out.
        x, w1, b1, w2, b2, w3, b3 = (arr(batch, dim), arr(dim, dim), arr(dim), arr(dim, dim),
                                     arr(dim), arr(classes, dim), arr(classes))
        args = [x, w1.T.copy(), b1, w2.T.copy(), b2, w3.T.copy(), b3]

        def eager(torch, t):
            tx, tw1, tb1, tw2, tb2, tw3, tb3 = (torch.from_numpy(a) for a in
                                                (x, w1, b1, w2, b2, w3, b3))

            def f():
                h = torch.nn.functional.linear(tx, tw1, tb1)
                # Paper A's max-plus layer: max(b, max_j (x_j + W_ij)).
                h = torch.maximum((h.unsqueeze(1) + tw2).max(2).values, tb2)
                return torch.nn.functional.linear(h, tw3, tb3)
            return f
        updates = batch * dim * dim
    else:
        mlir = MAXPLUSMIN.format(B=batch, D=dim, N=dim)
        x, w, b, b2 = arr(batch, dim), arr(dim, dim), arr(dim), arr(dim)
        args = [x, w.T.copy(), b, b2]

        def eager(torch, t):
            tx, tw, tb, tb2 = (torch.from_numpy(a) for a in (x, w, b, b2))

            def f():
                # Paper C's MaxPlusMin: the sum tensor once, then both reductions.
                s = tx.unsqueeze(1) + tw
                return (torch.maximum(s.max(2).values, tb) +
                        torch.minimum(s.min(2).values, tb2))
            return f
        updates = 2 * batch * dim * dim
    stem = key.split()[0]
    path = tmp / f"fusion_{stem}.mlir"
    path.write_text(mlir)
    files = []
    for i, a in enumerate(args):
        p = tmp / f"fusion_{stem}_arg{i}.npy"
        np.save(p, a)
        files.append(p)
    return path, files, eager, updates


def _trop(trop_run: Path, path: Path, files: List[Path], pipeline: str, extra: List[str],
          timeout: float) -> Tuple[List[str], subprocess.CompletedProcess]:
    cmd = [str(trop_run), str(path), "--entry", "bench", "--pipeline", pipeline]
    for f in files:
        cmd += ["--input", str(f)]
    cmd += extra
    return cmd, subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)


def measure_fusion(trop_run: Path, tmp: Path, keys: List[str], threads: Tuple[int, ...],
                   reps: int, quick: bool, log: Callable[[str], None]) -> FusionResults:
    import numpy as np
    res = FusionResults()
    try:
        import torch
        res.notes.append(f"PyTorch eager: torch {torch.__version__} (python3-torch), "
                         f"float32, median of {reps} calls after one warm-up.")
    except ImportError:
        torch = None
        res.notes.append("PyTorch eager: torch not importable (scripts/setup.sh installs "
                         "python3-torch); column left blank.")
    for key in keys:
        path, files, eager, updates = _inputs(key, tmp, quick)
        reference = None
        for t in threads:
            row = FusionRow(key, t)
            res.rows.append(row)
            for fused in (False, True):
                label = f"{key}, {'fused' if fused else 'unfused'}, {t} thread(s)"
                # Bitwise against the reference pipeline, and trop's output for the
                # comparison with PyTorch.
                out = tmp / f"fusion_{key.split()[0]}_{int(fused)}_{t}.npy"
                cmd, p = _trop(trop_run, path, files, _pipeline(fused, t),
                               ["--check", "--output", str(out)], 900)
                ok = p.returncode == 0 and "check: OK" in p.stdout
                row.check = (row.check + "/" if row.check else "") + ("ok" if ok else "FAIL")
                if not ok:
                    res.problems.append((f"--check {label}", " ".join(cmd),
                                         (p.stdout + p.stderr)[-2000:]))
                elif reference is None:
                    reference = np.load(out)
                log(f"  trop {label}, {reps} reps")
                cmd, p = _trop(trop_run, path, files, _pipeline(fused, t),
                               ["--num-threads", str(t), "--bench", str(reps)], 900)
                m = BENCH_RE.search(p.stdout)
                if p.returncode != 0 or not m:
                    res.problems.append((f"bench {label}", " ".join(cmd),
                                         (p.stdout + p.stderr)[-2000:]))
                    continue
                if fused:
                    row.fused_ms = float(m[2])
                else:
                    row.unfused_ms = float(m[2])
            if torch is None:
                continue
            log(f"  torch eager {key}, {t} thread(s), {reps} reps")
            torch.set_num_threads(t)
            with torch.no_grad():
                f = eager(torch, t)
                result = f()
                times = []
                for _ in range(reps):
                    start = time.perf_counter()
                    f()
                    times.append((time.perf_counter() - start) * 1e3)
            row.eager_ms = statistics.median(times)
            if reference is not None:
                row.max_abs_diff = float(np.max(np.abs(result.numpy() - reference)))
        del updates
    return res


def _fmt(v: Optional[float], spec: str) -> str:
    return "" if v is None else format(v, spec)


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return a / b if a is not None and b else None


def fusion_table(res: FusionResults) -> str:
    lines = ["| workload | T | trop unfused ms | trop fused ms | fused speedup "
             "(unfused / fused) | PyTorch eager ms | fused vs eager (eager / fused) | "
             "check | max abs diff vs PyTorch |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in res.rows:
        speedup = _ratio(r.unfused_ms, r.fused_ms)
        vs_eager = _ratio(r.eager_ms, r.fused_ms)
        lines.append(f"| {r.key} | {r.threads} | {_fmt(r.unfused_ms, '.2f')} | "
                     f"{_fmt(r.fused_ms, '.2f')} | {_fmt(speedup, '.2f') + '×' if speedup else ''} | "
                     f"{_fmt(r.eager_ms, '.1f')} | {_fmt(vs_eager, '.1f') + '×' if vs_eager else ''} | "
                     f"{r.check} | {_fmt(r.max_abs_diff, '.2g')} |")
    return "\n".join(lines)


FUSION_LEGEND = """- *trop unfused*: `trop-run FILE --entry bench --input ... --pipeline
  'builtin.module(trop-cpu-pipeline{results-to-out-params=1 threads=T pair-max-min=0})' --num-threads T --bench R`;
  *trop fused*: the same with `trop-fuse,` first in the pipeline (paper A's head: the
  linear → max-plus → linear chain tiled by 96 rows, each tile through the whole chain;
  MaxPlusMin: the max-plus/min-plus pair as one `trop.dual_matmul` kernel). Median ms.
- *PyTorch eager*: the papers' formulation, `(x.unsqueeze(1) + W).max(2)` for the tropical
  layer (MaxPlusMin: the sum tensor once, then `.max(2)` and `.min(2)`), `F.linear` for the
  linear ones, `torch.set_num_threads(T)`, median ms.
- *check*: `trop-run --check` (bitwise against the reference pipeline) for unfused/fused.
- *max abs diff vs PyTorch*: trop's output against PyTorch's on the same inputs (uniform in
  [-1, 1)); not zero because the linear layers sum in another order."""
