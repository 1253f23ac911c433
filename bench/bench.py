#!/usr/bin/env python3
"""trop CPU benchmark: PRODUCT.md section 6 (CPU rows), measured in one run.

Measures, on this machine and in this run only:
  * the ceiling of the max-plus instruction mix (../shared/tools/maxplus_ceiling.c),
    per element type, with 1 and 2 threads (best of 3 runs);
  * trop (`trop-run --pipeline cpu --bench R`) on GEMMs, awkward shapes, other
    element types and a 3x3 morphological convolution, with 1 and 2 threads in
    alternating rounds, each timed call followed by a ceiling run of its type
    and thread count (ratios divide measurements taken seconds apart);
    each workload is also checked bit for bit against the reference pipeline
    (`--check`) on a small variant of the same shape class;
  * baselines for fp32 max-plus GEMM: a naive i-k-j loop (clang-22 -O3
    -march=native), SuiteSparse:GraphBLAS GrB_mxm with GrB_MAX_PLUS_SEMIRING_FP32
    on full matrices, and numpy's broadcast-and-reduce form.

Every ratio in the table is computed from measurements of this run. Prints a
Markdown table on stdout (progress goes to stderr), writes it with the context
to docs/benchmarks.md and plots docs/benchmarks.png.

Usually run through bench/run.sh, which installs and builds first.
"""

import argparse
import datetime
import os
import platform
import re
import shlex
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from sparse import measure_sparse
import fusion  # the fusion rows (issue 4), kept in their own file
import remainders  # the remainder rows: shapes against their next multiple of the tile

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
CEILING_SRC = (ROOT / ".." / "shared" / "tools" / "maxplus_ceiling.c").resolve()
THREADS = (1, 2)
TYPES = ("f32", "f64", "i16", "i8", "f16")


def default_sparse_switch() -> float:
    """The CPU pipeline's default sparse-max-density, read from its header."""
    header = ROOT / "include" / "trop" / "Conversion" / "TropToCPU" / "TropToCPU.h"
    m = re.search(r"kDefaultSparseMaxDensity = ([0-9.]+);", header.read_text())
    return float(m[1]) if m else float("nan")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- workloads


@dataclass
class Workload:
    label: str                  # shown in the table
    dtype: str                  # element type
    kind: str                   # "matmul" or "conv"
    semiring: str               # "max_plus" / "min_plus"
    shape: Tuple[int, ...]      # matmul: (M, N, K); conv: (N, H, W, C, KH, KW, F)
    reps: int                   # --bench repetitions
    check_shape: Tuple[int, ...]  # small variant for --check
    baselines: bool = False     # measure naive / GraphBLAS / numpy at this shape
    # Integer inputs drawn from this range instead of trop-run's default [-100, 100]: the
    # i8/i16 kernel takes a plain add when every value is in the half range, else a
    # saturating one, so both paths get a row.
    values: Optional[Tuple[int, int]] = None

    @property
    def saturating(self) -> bool:
        """Whether trop's i8/i16 kernel runs its saturating add on these values."""
        if self.dtype not in ("i8", "i16"):
            return False
        lo, hi = self.values or (-100, 100)
        half = 1 << (6 if self.dtype == "i8" else 14)
        return lo < -half or hi > half - 1

    @property
    def key(self) -> str:
        return f"{self.label} {self.dtype}"

    @property
    def updates(self) -> int:
        if self.kind == "matmul":
            m, n, k = self.shape
            return m * n * k
        b, h, w, c, kh, kw, f = self.shape
        return b * h * w * f * kh * kw * c  # 'same' padding: output H x W


def x(*dims: int) -> str:
    return "×".join(str(d) for d in dims)


def gemm_label(semiring: str, shape: Tuple[int, int, int]) -> str:
    m, n, k = shape
    sr = semiring.replace("_", "-")
    size = f"{m}³" if m == n == k else f"{m}×{n}×{k} (M×N×K)"
    return f"{sr} GEMM {size}"


def workloads(quick: bool) -> List[Workload]:
    ws: List[Workload] = []

    def gemm(sr, shape, reps, check, dtype="f32", baselines=False, values=None):
        label = gemm_label(sr, shape) + (f", values in [{values[0]}, {values[1]}]"
                                         if values else "")
        ws.append(Workload(label, dtype, "matmul", sr, shape, reps, check, baselines, values))

    if quick:
        # Smoke run: small shapes, few repetitions, every code path once.
        gemm("max_plus", (512, 512, 512), 5, (128, 128, 128), baselines=True)
        gemm("min_plus", (512, 512, 512), 5, (128, 128, 128))
        gemm("max_plus", (500, 500, 500), 5, (125, 125, 125))
        gemm("max_plus", (513, 257, 1031), 5, (129, 65, 259))
        for t in ("f64", "i16", "i8", "f16"):
            gemm("max_plus", (256, 256, 256), 3, (64, 64, 64), dtype=t)
        conv = (2, 56, 56, 64, 3, 3, 64)
    else:
        for sr in ("max_plus", "min_plus"):
            gemm(sr, (1024, 1024, 1024), 10, (256, 256, 256), baselines=(sr == "max_plus"))
            gemm(sr, (2048, 2048, 2048), 2, (256, 256, 256))
            gemm(sr, (4096, 4096, 4096), 1, (256, 256, 256))
            gemm(sr, (1000, 1000, 1000), 10, (250, 250, 250), baselines=(sr == "max_plus"))
            gemm(sr, (513, 257, 1031), 10, (129, 65, 259))
        for t, reps in (("f64", 10), ("i16", 10), ("i8", 10), ("f16", 10)):
            gemm("max_plus", (1024, 1024, 1024), reps, (256, 256, 256), dtype=t)
        # The other i8/i16 path for each: full-range i16 (saturating add), half-range i8
        # (plain add).
        gemm("max_plus", (1024, 1024, 1024), 10, (256, 256, 256), dtype="i16",
             values=(-32767, 32767))
        gemm("max_plus", (1024, 1024, 1024), 10, (256, 256, 256), dtype="i8", values=(-64, 63))
        conv = (8, 56, 56, 64, 3, 3, 64)
    b, h, w, c, kh, kw, f = conv
    ws.append(Workload(f"max-plus conv {kh}×{kw}, NHWC {x(b, h, w, c)}, {f} filters", "f32",
                       "conv", "max_plus", conv, 10, (2, 10, 9, 64, 3, 3, 64)))
    return ws


def mlir_for(w: Workload, shape: Tuple[int, ...]) -> str:
    t = w.dtype
    if w.kind == "matmul":
        m, n, k = shape
        ta, tb, tc = f"tensor<{m}x{k}x{t}>", f"tensor<{k}x{n}x{t}>", f"tensor<{m}x{n}x{t}>"
        return (f"func.func @bench(%a: {ta}, %b: {tb}, %c: {tc}) -> {tc} {{\n"
                f"  %r = trop.matmul <{w.semiring}> ins(%a, %b : {ta}, {tb}) outs(%c : {tc}) -> {tc}\n"
                f"  return %r : {tc}\n}}\n")
    b, h, wd, c, kh, kw, f = shape
    ph, pw = kh // 2, kw // 2
    tx, tw, ty = (f"tensor<{b}x{h}x{wd}x{c}x{t}>", f"tensor<{kh}x{kw}x{c}x{f}x{t}>",
                  f"tensor<{b}x{h}x{wd}x{f}x{t}>")
    return (f"func.func @bench(%x: {tx}, %w: {tw}, %y: {ty}) -> {ty} {{\n"
            f"  %r = trop.conv_2d <{w.semiring}> {{padding = array<i64: {ph}, {ph}, {pw}, {pw}>}} "
            f"ins(%x, %w : {tx}, {tw}) outs(%y : {ty}) -> {ty}\n"
            f"  return %r : {ty}\n}}\n")


# --------------------------------------------------------------------------- helpers


@dataclass
class Failure:
    what: str
    command: str
    detail: str
    mlir: str = ""  # the input file's text, so that the report reproduces on its own


@dataclass
class Results:
    ceiling: Dict[Tuple[str, int], float] = field(default_factory=dict)  # (type, threads)
    ceiling_runs: Dict[Tuple[str, int], List[float]] = field(default_factory=dict)
    trop: Dict[Tuple[str, int], float] = field(default_factory=dict)     # (key, threads)
    trop_ms: Dict[Tuple[str, int], float] = field(default_factory=dict)
    # The ceiling of the workload's type measured right after each of its timed rounds
    # (best of those): the clock of this VM drifts between phases, so a ratio divides two
    # measurements taken minutes apart only at the cost of noise.
    local_ceiling: Dict[Tuple[str, int], float] = field(default_factory=dict)
    ceiling_exe: Optional[Path] = None
    # The same probe with saturating adds (i8, i16), built from a rewritten copy of it.
    sat_ceiling: Dict[Tuple[str, int], float] = field(default_factory=dict)
    sat_exe: Optional[Path] = None
    check: Dict[Tuple[str, int], str] = field(default_factory=dict)
    naive: Dict[str, float] = field(default_factory=dict)                # key -> gups (1 thread)
    graphblas: Dict[Tuple[str, int], float] = field(default_factory=dict)
    numpy: Dict[str, float] = field(default_factory=dict)                # key -> gups (1 thread)
    notes: List[str] = field(default_factory=list)
    failures: List[Failure] = field(default_factory=list)


def run(cmd: List[str], timeout: float, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def cmdline(cmd: List[str]) -> str:
    return " ".join(shlex.quote(str(c)) for c in cmd)


def tail(text: str, lines: int = 6) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def compile_c(cc: str, flags: List[str], src: Path, out: Path, libs: List[str],
              res: Results, what: str) -> bool:
    if shutil.which(cc) is None:
        res.notes.append(f"{what}: compiler `{cc}` not found, not measured.")
        return False
    cmd = [cc, *flags, str(src), "-o", str(out), *libs]
    p = run(cmd, timeout=300)
    if p.returncode != 0:
        res.notes.append(f"{what}: build failed (`{cmdline(cmd)}`): {tail(p.stderr, 3)}")
        return False
    return True


# --------------------------------------------------------------------------- measurements


CEILING_RE = re.compile(r"ceiling type=(\w+) threads=(\d+) gups=([0-9.]+)")


def run_ceiling(exe: Path, threads: int, res: Results) -> Dict[str, float]:
    """One run of the ceiling probe: G updates/s per element type."""
    try:
        p = run([str(exe), str(threads)], timeout=120)
    except subprocess.TimeoutExpired:
        res.failures.append(Failure("ceiling", f"{exe} {threads}", "timed out"))
        return {}
    return {m[1]: float(m[3]) for m in CEILING_RE.finditer(p.stdout) if int(m[2]) == threads}


def measure_ceiling(tmp: Path, runs: int, res: Results) -> None:
    if not CEILING_SRC.exists():
        res.notes.append(f"ceiling: {CEILING_SRC} is absent; the % of ceiling column is blank.")
        return
    exe = tmp / "maxplus_ceiling"
    if not compile_c("cc", ["-O2", "-march=native", "-pthread"], CEILING_SRC, exe, [], res,
                     "ceiling"):
        return
    res.ceiling_exe = exe
    # Exact i8/i16 ⊗ (PRODUCT.md §2: clamped sums) needs a saturating add; the probe's
    # wrapping add is not exact for operands whose sums overflow. Same probe, adds swapped.
    src = CEILING_SRC.read_text()
    sat_src = src
    for bits in ("8", "16"):
        sat_src = sat_src.replace(f"_mm512_add_epi{bits}, _mm512_max_epi{bits}",
                                  f"_mm512_adds_epi{bits}, _mm512_max_epi{bits}")
    if sat_src.count("_mm512_adds_epi") == 2:
        (tmp / "maxplus_ceiling_sat.c").write_text(sat_src)
        sat = tmp / "maxplus_ceiling_sat"
        if compile_c("cc", ["-O2", "-march=native", "-pthread"], tmp / "maxplus_ceiling_sat.c",
                     sat, [], res, "saturating ceiling"):
            res.sat_exe = sat
    else:
        res.notes.append("saturating ceiling: the probe's source changed shape; not measured.")
    for r in range(runs):
        for t in THREADS:
            log(f"  ceiling run {r + 1}/{runs}, {t} thread(s)")
            for ty, gups in run_ceiling(exe, t, res).items():
                res.ceiling_runs.setdefault((ty, t), []).append(gups)
    for k, v in res.ceiling_runs.items():
        res.ceiling[k] = max(v)
    missing = [t for t in TYPES if (t, 1) not in res.ceiling]
    if missing:
        res.notes.append(f"ceiling: no figure for {', '.join(missing)} on this CPU.")


BENCH_RE = re.compile(r"bench: (\d+) runs, median ([0-9.e+-]+) ms, min ([0-9.e+-]+) ms, "
                      r"([0-9.e+-]+) G updates/s \((\d+) updates per call\)")


def measure_trop(w: Workload, trop_run: Path, tmp: Path, res: Results, rounds: int) -> None:
    stem = re.sub(r"[^A-Za-z0-9]+", "_", w.key).strip("_")
    big, small = tmp / f"{stem}.mlir", tmp / f"{stem}_check.mlir"
    big.write_text(mlir_for(w, w.shape))
    small.write_text(mlir_for(w, w.check_shape))
    base = [str(trop_run), "--entry", "bench", "--random-inputs", "--pipeline", "cpu"]
    if w.values:
        base += [f"--random-min={w.values[0]}", f"--random-max={w.values[1]}"]
    for t in THREADS:
        # Correctness on the small variant (the reference pipeline is slow).
        cmd = [base[0], str(small), *base[1:], "--num-threads", str(t), "--check"]
        try:
            p = run(cmd, timeout=300)
            ok = p.returncode == 0 and "check: OK" in p.stdout
            res.check[(w.key, t)] = "ok" if ok else "FAIL"
            if not ok:
                res.failures.append(Failure(f"--check {w.key}, {t} thread(s), shape "
                                            f"{x(*w.check_shape)}", cmdline(cmd),
                                            tail(p.stdout + p.stderr), small.read_text()))
        except subprocess.TimeoutExpired:
            res.check[(w.key, t)] = "timeout"
            res.failures.append(Failure(f"--check {w.key}", cmdline(cmd), "timed out (300 s)",
                                        small.read_text()))
    # Speed on the real shape: rounds alternate 1 and 2 threads, each timed call followed by
    # a ceiling run with the same thread count, so that every ratio (to the ceiling, 2T/1T)
    # divides measurements taken seconds apart.
    for r in range(rounds):
        for t in THREADS:
            cmd = [base[0], str(big), *base[1:], "--num-threads", str(t), "--bench", str(w.reps)]
            log(f"  trop {w.key}, {t} thread(s), {w.reps} reps, round {r + 1}/{rounds}")
            try:
                p = run(cmd, timeout=600)
            except subprocess.TimeoutExpired:
                res.failures.append(Failure(f"bench {w.key}, {t} thread(s)", cmdline(cmd),
                                            "timed out (600 s)", big.read_text()))
                continue
            m = BENCH_RE.search(p.stdout)
            if p.returncode != 0 or not m:
                res.failures.append(Failure(f"bench {w.key}, {t} thread(s)", cmdline(cmd),
                                            f"exit {p.returncode}: {tail(p.stdout + p.stderr)}",
                                            big.read_text()))
                continue
            # The median call: a sustained rate, like the ceiling probe's ~0.1 s run (the
            # fastest of many calls would be a best case set against a typical ceiling).
            median_ms, upd = float(m[2]), int(m[5])
            if upd != w.updates:
                res.notes.append(f"{w.key}: trop-run counted {upd} updates per call, the "
                                 f"benchmark {w.updates}; the rate uses the benchmark's count.")
            gups = w.updates / (median_ms * 1e-3) / 1e9
            if gups > res.trop.get((w.key, t), 0.0):
                res.trop[(w.key, t)] = gups
                res.trop_ms[(w.key, t)] = median_ms
            if res.ceiling_exe:
                c = run_ceiling(res.ceiling_exe, t, res).get(w.dtype)
                if c and c > res.local_ceiling.get((w.key, t), 0.0):
                    res.local_ceiling[(w.key, t)] = c
            if res.sat_exe and w.saturating:
                c = run_ceiling(res.sat_exe, t, res).get(w.dtype)
                if c and c > res.sat_ceiling.get((w.key, t), 0.0):
                    res.sat_ceiling[(w.key, t)] = c


def measure_naive(w: Workload, exe: Path, reps: int, res: Results) -> None:
    m, n, k = w.shape
    cmd = [str(exe), str(m), str(n), str(k), str(reps)]
    log(f"  naive clang-22 {w.key}, {reps} reps")
    try:
        p = run(cmd, timeout=600)
    except subprocess.TimeoutExpired:
        res.failures.append(Failure(f"naive {w.key}", cmdline(cmd), "timed out"))
        return
    mm = re.search(r"median_ms=([0-9.]+)", p.stdout)
    if p.returncode != 0 or not mm:
        res.failures.append(Failure(f"naive {w.key}", cmdline(cmd), tail(p.stdout + p.stderr)))
        return
    res.naive[w.key] = w.updates / (float(mm[1]) * 1e-3) / 1e9


def measure_graphblas(w: Workload, exe: Path, reps: int, res: Results) -> None:
    m, n, k = w.shape
    for t in THREADS:
        cmd = [str(exe), str(m), str(n), str(k), str(reps), str(t)]
        log(f"  GraphBLAS {w.key}, {t} thread(s), {reps} reps")
        try:
            p = run(cmd, timeout=600)
        except subprocess.TimeoutExpired:
            res.failures.append(Failure(f"GraphBLAS {w.key}", cmdline(cmd), "timed out"))
            continue
        mm = re.search(r"median_ms=([0-9.]+) min_ms=[0-9.]+ gups=[0-9.]+ sparsity=(\d+)",
                       p.stdout)
        if p.returncode != 0 or not mm:
            res.failures.append(Failure(f"GraphBLAS {w.key}", cmdline(cmd),
                                        tail(p.stdout + p.stderr)))
            continue
        if mm[2] != "8":
            res.notes.append(f"GraphBLAS {w.key}: result held with sparsity status {mm[2]}, "
                             f"not full (8).")
        res.graphblas[(w.key, t)] = w.updates / (float(mm[1]) * 1e-3) / 1e9


def measure_numpy(w: Workload, reps: int, res: Results) -> None:
    try:
        import numpy as np
    except ImportError:
        res.notes.append("numpy: not importable, not measured.")
        return
    m, n, k = w.shape
    rng = np.random.default_rng(0)
    a = rng.uniform(-10, 10, (m, k)).astype(np.float32)
    b = rng.uniform(-10, 10, (k, n)).astype(np.float32)
    c = rng.uniform(-10, 10, (m, n)).astype(np.float32)
    # Rows per chunk: the (rows, K, N) temporary stays near 2 MiB (cache-sized; this was
    # the fastest chunking we found), at least one row.
    bs = max(1, (2 << 20) // (k * n * 4))

    def call() -> None:
        for i in range(0, m, bs):
            np.maximum(c[i:i + bs], (a[i:i + bs, :, None] + b[None]).max(axis=1),
                       out=c[i:i + bs])

    log(f"  numpy {w.key}, {reps} reps, {bs} row(s) per chunk")
    (a[:bs, :, None] + b[None]).max(axis=1)  # warm-up (allocator, page faults)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    res.numpy[w.key] = w.updates / statistics.median(times) / 1e9
    res.notes.append(f"numpy {w.key}: `np.maximum(C[i:i+bs], (A[i:i+bs,:,None] + "
                     f"B[None]).max(axis=1))` with bs = {bs}, median of {reps}.")


# --------------------------------------------------------------------------- report


def fmt_rate(v: Optional[float]) -> str:
    if v is None:
        return ""
    return f"{v:.3g}" if v < 100 else f"{v:.0f}"


def fmt_ratio(v: Optional[float]) -> str:
    if v is None:
        return ""
    return f"{v:.2f}×" if v < 10 else f"{v:.0f}×" if v >= 100 else f"{v:.1f}×"


def build_table(ws: List[Workload], res: Results) -> Tuple[str, List[dict]]:
    head = ["workload", "type", "threads", "trop G upd/s", "ceiling G upd/s", "% of ceiling",
            "× naive clang", "× GraphBLAS", "× numpy", "2T/1T", "ceiling 2T/1T", "check"]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(
        ["---", "---", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "---"]) + "|"]
    rows = []
    for w in ws:
        for t in THREADS:
            r = res.trop.get((w.key, t))
            ceil = res.local_ceiling.get((w.key, t)) or res.ceiling.get((w.dtype, t))
            pct = 100 * r / ceil if r is not None and ceil else None
            naive = res.naive.get(w.key) if t == 1 else None
            gb = res.graphblas.get((w.key, t))
            npy = res.numpy.get(w.key) if t == 1 else None
            r1 = res.trop.get((w.key, 1))
            speedup = r / r1 if t == 2 and r is not None and r1 else None
            c1 = res.local_ceiling.get((w.key, 1))
            c2 = res.local_ceiling.get((w.key, 2))
            ceil_speedup = c2 / c1 if t == 2 and c1 and c2 else None
            row = dict(workload=w.label, key=w.key, dtype=w.dtype, threads=t, rate=r, pct=pct,
                       naive=r / naive if r is not None and naive else None,
                       graphblas=r / gb if r is not None and gb else None,
                       numpy=r / npy if r is not None and npy else None, speedup=speedup)
            rows.append(row)
            cells = [w.label, w.dtype, str(t), fmt_rate(r) if r is not None else "error",
                     fmt_rate(ceil), f"{pct:.0f} %" if pct is not None else "", fmt_ratio(row["naive"]),
                     fmt_ratio(row["graphblas"]), fmt_ratio(row["numpy"]), fmt_ratio(speedup),
                     fmt_ratio(ceil_speedup),
                     res.check.get((w.key, t), "")]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines), rows


def ceiling_table(res: Results) -> str:
    if not res.ceiling:
        return "_not measured_"
    lines = ["| threads | " + " | ".join(TYPES) + " |", "|--:|" + "--:|" * len(TYPES)]
    for t in THREADS:
        lines.append(f"| {t} | " + " | ".join(fmt_rate(res.ceiling.get((ty, t)))
                                             for ty in TYPES) + " |")
    return "\n".join(lines)


def saturating_table(ws: List[Workload], res: Results) -> str:
    lines = ["| workload | type | threads | trop G upd/s | ceiling (wrapping add) | "
             "ceiling (saturating add) | % of saturating |", "|---|---|--:|--:|--:|--:|--:|"]
    any_row = False
    for w in ws:
        for t in THREADS:
            sat = res.sat_ceiling.get((w.key, t))
            r = res.trop.get((w.key, t))
            if not sat or r is None:
                continue
            any_row = True
            lines.append(f"| {w.label} | {w.dtype} | {t} | {fmt_rate(r)} | "
                         f"{fmt_rate(res.local_ceiling.get((w.key, t)))} | {fmt_rate(sat)} | "
                         f"{100 * r / sat:.0f} % |")
    return "\n".join(lines) if any_row else ""


def baseline_table(ws: List[Workload], res: Results) -> str:
    lines = ["| workload | threads | trop | naive clang-22 | GraphBLAS | numpy |",
             "|---|--:|--:|--:|--:|--:|"]
    any_row = False
    for w in ws:
        if not w.baselines:
            continue
        for t in THREADS:
            vals = [res.trop.get((w.key, t)), res.naive.get(w.key) if t == 1 else None,
                    res.graphblas.get((w.key, t)), res.numpy.get(w.key) if t == 1 else None]
            if all(v is None for v in vals[1:]):
                continue
            any_row = True
            lines.append(f"| {w.label} {w.dtype} | {t} | " +
                         " | ".join(fmt_rate(v) for v in vals) + " |")
    return "\n".join(lines) if any_row else "_no baseline measured_"


def cpu_ticks() -> Optional[Tuple[float, float]]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    try:
        with open("/proc/stat") as f:
            vals = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    hz = os.sysconf("SC_CLK_TCK")
    total = sum(vals[:8])  # user nice system idle iowait irq softirq steal
    return (total - vals[3] - vals[4]) / hz, total / hz


def own_cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def shown(p: Path) -> str:
    p = p.resolve()
    return str(p.relative_to(ROOT)) if ROOT in p.parents else str(p)


def machine() -> str:
    model, cpus, tpc = platform.processor() or "unknown CPU", str(os.cpu_count()), "?"
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True, timeout=10).stdout
        for line in out.splitlines():
            k, _, v = line.partition(":")
            v = v.strip()
            if k.strip() == "Model name":
                model = v
            elif k.strip() == "CPU(s)":
                cpus = v
            elif k.strip() == "Thread(s) per core":
                tpc = v
    except (OSError, subprocess.SubprocessError):
        pass
    return f"{model}, {cpus} logical CPU(s), {tpc} thread(s) per core, Linux {platform.release()}"


def git_rev() -> str:
    try:
        rev = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
        # The report and plot this script writes do not count as changes to what is measured.
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain",
                                "--untracked-files=no", "--", ".",
                                ":!docs/benchmarks.md", ":!docs/benchmarks.png"],
                               capture_output=True, text=True, timeout=30).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "") if rev else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def plot(rows: List[dict], ws: List[Workload], res: Results, path: Path) -> Optional[str]:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as e:
        return f"matplotlib not importable ({e}); no plot written."
    labels = [f"{w.label} {w.dtype}" for w in ws]
    pct = {(r["key"], r["threads"]): r["pct"] for r in rows}
    base_ws = [w for w in ws if w.baselines]
    ncols = 2 if base_ws else 1
    fig, axes = plt.subplots(1, ncols, figsize=(15 if base_ws else 10, 0.42 * len(ws) + 2.2),
                             gridspec_kw={"width_ratios": [3, 2]} if base_ws else None)
    ax = axes[0] if base_ws else axes
    ys = range(len(ws))
    h = 0.38
    for i, t in enumerate(THREADS):
        vals = [pct.get((w.key, t)) or 0 for w in ws]
        bars = ax.barh([y + (i - 0.5) * h for y in ys], vals, height=h, label=f"{t} thread(s)")
        for b, v in zip(bars, vals):
            ax.text(b.get_width() + 1, b.get_y() + b.get_height() / 2, f"{v:.0f}",
                    va="center", fontsize=7)
    ax.set_yticks(list(ys))
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.axvline(100, color="k", lw=0.8)
    ax.set_xlabel("% of the max-plus ceiling of the same type and thread count")
    ax.set_title("trop --pipeline cpu vs the instruction-mix ceiling")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)
    if base_ws:
        ax2 = axes[1]
        series = [("trop", lambda w, t: res.trop.get((w.key, t))),
                  ("naive clang-22 -O3", lambda w, t: res.naive.get(w.key) if t == 1 else None),
                  ("GraphBLAS 7.4", lambda w, t: res.graphblas.get((w.key, t))),
                  ("numpy broadcast", lambda w, t: res.numpy.get(w.key) if t == 1 else None),
                  ("ceiling", lambda w, t: res.ceiling.get((w.dtype, t)))]
        groups = [(w, t) for w in base_ws for t in THREADS]
        width = 0.8 / len(series)
        for si, (name, get) in enumerate(series):
            xs, vs = [], []
            for gi, (w, t) in enumerate(groups):
                v = get(w, t)
                if v:
                    xs.append(gi + (si - (len(series) - 1) / 2) * width)
                    vs.append(v)
            ax2.bar(xs, vs, width=width, label=name)
        ax2.set_yscale("log")
        ax2.set_xticks(range(len(groups)))
        ax2.set_xticklabels([f"{w.label.replace(' GEMM', chr(10) + 'GEMM')}\n{t} thr"
                             for w, t in groups], fontsize=7)
        ax2.set_ylabel("G updates/s (log)")
        ax2.set_title("fp32 max-plus GEMM vs baselines")
        ax2.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3)
        ax2.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return None


# --------------------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: small shapes, few repetitions, one ceiling run")
    ap.add_argument("--filter", action="append", default=[], metavar="SUBSTRING",
                    help="only workloads whose 'label type' contains SUBSTRING "
                         "(case-insensitive; repeatable, any match)")
    ap.add_argument("--build-dir", default=os.environ.get("TROP_BUILD_DIR", "build"),
                    help="trop build directory (default: $TROP_BUILD_DIR or build)")
    ap.add_argument("--md", default=str(ROOT / "docs" / "benchmarks.md"),
                    help="Markdown report (default: docs/benchmarks.md)")
    ap.add_argument("--png", default=str(ROOT / "docs" / "benchmarks.png"),
                    help="plot (default: docs/benchmarks.png)")
    ap.add_argument("--list", action="store_true", help="list the workloads and exit")
    ap.add_argument("--keep-tmp", action="store_true",
                    help="keep the generated MLIR files and binaries")
    args = ap.parse_args()

    ws = workloads(args.quick)
    fusion_keys = list(fusion.KEYS)
    if args.filter:
        ws = [w for w in ws if any(f.lower() in w.key.lower() for f in args.filter)]
        fusion_keys = [k for k in fusion_keys
                       if any(f.lower() in k.lower() for f in args.filter)]
    if args.list:
        for w in ws:
            print(f"{w.key}  ({w.updates} updates, {w.reps} reps"
                  f"{', baselines' if w.baselines else ''})")
        for k in fusion_keys:
            print(f"{k}  (fusion row: trop fused vs unfused vs PyTorch eager)")
        return 0
    # The sparse-weight rows (bench/sparse.py) run unless a filter leaves them out.
    run_sparse = not args.filter or any(f.lower() in "sparse" for f in args.filter)
    run_remainders = not args.filter or any(f.lower() in "remainders" for f in args.filter)
    if not ws and not run_sparse and not run_remainders and not fusion_keys:
        print("bench: no workload matches the filter", file=sys.stderr)
        return 2

    build = Path(args.build_dir)
    if not build.is_absolute():
        build = ROOT / build
    trop_run = build / "bin" / "trop-run"
    if not os.access(trop_run, os.X_OK):
        print(f"bench: {trop_run} not found; build first (scripts/build.sh)", file=sys.stderr)
        return 2

    command = os.environ.get("TROP_BENCH_COMMAND") or cmdline(
        [os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:])
    started = datetime.datetime.now().astimezone()
    load_start = os.getloadavg()
    ticks_start, own_start = cpu_ticks(), own_cpu()
    t_start = time.monotonic()
    res = Results()
    tmp = Path(tempfile.mkdtemp(prefix="trop-bench-"))

    log("== ceiling")
    measure_ceiling(tmp, 1 if args.quick else 3, res)

    log("== trop")
    for w in ws:
        measure_trop(w, trop_run, tmp, res, 1 if args.quick else 3)

    remainder_table = ""
    if run_remainders:
        log("== remainders")
        remainder_table, notes_r, problems_r = remainders.measure_remainders(
            trop_run, tmp, args.quick, log)
        res.notes.extend(notes_r)
        res.failures.extend(Failure("remainder rows", p, "") for p in problems_r)

    sparse_table = ""
    if run_sparse:
        log("== sparse")
        table_s, notes_s, problems_s = measure_sparse(trop_run, tmp, args.quick,
                                                      default_sparse_switch(), log)
        sparse_table = table_s
        res.notes.extend(notes_s)
        res.failures.extend(Failure("sparse rows", p, "") for p in problems_s)
    fusion_res = None
    if fusion_keys:
        log("== fusion")
        fusion_res = fusion.measure_fusion(trop_run, tmp, fusion_keys, THREADS,
                                           3 if args.quick else 20, args.quick, log)
        res.failures += [Failure(what, command, detail)
                         for what, command, detail in fusion_res.problems]

    base_ws = [w for w in ws if w.baselines]
    if base_ws:
        log("== baselines")
        naive = tmp / "naive_maxplus"
        have_naive = compile_c("clang-22", ["-O3", "-march=native"],
                               BENCH / "naive_maxplus.c", naive, ["-lm"], res, "naive baseline")
        gb = tmp / "graphblas_maxplus"
        header = next((p for p in (Path("/usr/include/suitesparse/GraphBLAS.h"),
                                   Path("/usr/include/GraphBLAS.h")) if p.exists()), None)
        if header is None:
            have_gb = False
            res.notes.append("GraphBLAS: GraphBLAS.h not found (bench/setup.sh installs "
                             "libgraphblas-dev); column left blank.")
        else:
            have_gb = compile_c("cc", ["-O2", "-march=native", f"-I{header.parent}"],
                                BENCH / "graphblas_maxplus.c", gb, ["-lgraphblas", "-lm"], res,
                                "GraphBLAS baseline")
        for w in base_ws:
            if have_naive:
                measure_naive(w, naive, 2 if args.quick else 3, res)
            if have_gb:
                measure_graphblas(w, gb, 1 if args.quick else 2, res)
            measure_numpy(w, 1 if args.quick else 3, res)
        if have_gb:
            try:
                ver = re.search(r"#define GxB_IMPLEMENTATION_MAJOR\s+(\d+).*?"
                                r"#define GxB_IMPLEMENTATION_MINOR\s+(\d+).*?"
                                r"#define GxB_IMPLEMENTATION_SUB\s+(\d+)",
                                header.read_text(errors="replace"), re.S)
                if ver:
                    res.notes.insert(0, f"GraphBLAS: SuiteSparse:GraphBLAS "
                                        f"{ver[1]}.{ver[2]}.{ver[3]} ({header}).")
            except OSError:
                pass

    elapsed = time.monotonic() - t_start
    load_end = os.getloadavg()
    ticks_end, own_end = cpu_ticks(), own_cpu()
    others = None  # share of the machine's CPU time used by other processes during the run
    if ticks_start and ticks_end and ticks_end[1] > ticks_start[1]:
        busy = ticks_end[0] - ticks_start[0] - (own_end - own_start)
        others = max(0.0, busy / (ticks_end[1] - ticks_start[1]))
        if others > 0.05:
            res.notes.insert(0, f"Other processes used {100 * others:.0f} % of this machine's "
                                f"CPU time during the run: rates (2-thread ones most) are lower "
                                f"and noisier than on an idle machine.")
    table, rows = build_table(ws, res)
    sat_table = saturating_table(ws, res)
    sat_md = ("\n## Integer ⊗: the saturating-add ceiling\n\n"
              "Exact i8/i16 ⊗ (PRODUCT.md §2: sums clamped to the type, 𝟘 absorbing) runs on a "
              "saturating add (`vpaddsb`/`vpaddsw`); the ceiling probe uses the wrapping add, which "
              "this CPU issues at a higher rate but which is not exact once sums overflow. This "
              "table divides trop's rate by the probe rebuilt with `_mm512_adds_epi8/16` in place "
              "of `_mm512_add_epi8/16`, run in the same rounds as trop's timed calls.\n\n" +
              sat_table + "\n") if sat_table else ""

    # ---- stdout
    print(table)
    print()
    if sat_table:
        print(sat_table)
        print()
    if remainder_table:
        print(remainder_table)
        print()
    if sparse_table:
        print(sparse_table)
        print()
    fusion_md = ""
    if fusion_res:
        print(fusion.fusion_table(fusion_res))
        print()
        for n in fusion_res.notes:
            print(f"note: {n}")
        fusion_md = ("\n## Fusion (`--trop-fuse`) vs unfused vs PyTorch eager\n\n" +
                     fusion.fusion_table(fusion_res) + "\n\n" + fusion.FUSION_LEGEND +
                     "\n" + "".join(f"- {n}\n" for n in fusion_res.notes))
    if res.ceiling:
        print("ceiling G upd/s (best of {} runs): ".format(1 if args.quick else 3) + "; ".join(
            f"{ty} {fmt_rate(res.ceiling.get((ty, 1)))} (1T) / "
            f"{fmt_rate(res.ceiling.get((ty, 2)))} (2T)" for ty in TYPES
            if (ty, 1) in res.ceiling))
    for n in res.notes:
        print(f"note: {n}")
    for f in res.failures:
        print(f"PROBLEM: {f.what}\n  reproduce: {f.command}\n  " +
              f.detail.replace("\n", "\n  "))
    busy_txt = f"{100 * others:.0f} %" if others is not None else "unknown"
    print(f"load average {load_start[0]:.2f} at start, {load_end[0]:.2f} at end; CPU time "
          f"used by other processes {busy_txt}; {elapsed:.0f} s")

    # ---- plot
    png = Path(args.png)
    why = plot(rows, ws, res, png)
    if why:
        res.notes.append(why)
        print(f"note: {why}")
    else:
        print(f"wrote {shown(png)}")

    # ---- markdown
    md = Path(args.md)
    md.parent.mkdir(parents=True, exist_ok=True)
    failures_md = ""
    if res.failures:
        failures_md = "\n## Problems seen in this run\n\n" + "\n".join(
            f"- {f.what}: `{f.command}`\n\n  ```\n  " + f.detail.replace("\n", "\n  ") +
            "\n  ```" + (("\n\n  with the file:\n\n  ```mlir\n  " +
                          f.mlir.rstrip().replace("\n", "\n  ") + "\n  ```") if f.mlir else "")
            for f in res.failures) + "\n"
    notes_md = "\n".join(f"- {n}" for n in res.notes) or "- none"
    png_md = ""
    if not why:
        rel = os.path.relpath(png, md.parent)
        png_md = f"\n![% of ceiling per workload, and fp32 max-plus vs baselines]({rel})\n"
    text = f"""# Benchmarks

Generated by `bench/bench.py`; do not edit by hand. Every number below was measured in
the one run described here, and every ratio divides two measurements of that run.

- Date: {started.strftime('%Y-%m-%d %H:%M %Z')}
- Machine: {machine()}
- trop revision: {git_rev()}
- Command: `{command}`{' (quick smoke run: small shapes, few repetitions)' if args.quick else ''}
- Load average (1 min) at start / end: {load_start[0]:.2f} / {load_end[0]:.2f}; share of the CPU
  time used by other processes during the run: {busy_txt}; measurement time {elapsed:.0f} s

## Ceiling (G updates/s)

`../shared/tools/maxplus_ceiling.c` built with `cc -O2 -march=native -pthread`, run with 1 and
2 threads, best of {1 if args.quick else 3} runs: the rate of the broadcast + add + max
instruction mix on L1-resident packed panels, per element type (all threads together).

{ceiling_table(res)}

## Results

{table}
{png_md}{sat_md}
## Remainders (f32 max-plus, 1 thread)

{remainder_table or "Not run (left out by --filter)."}

Per-update time of shapes that are not multiples of the register tile against the shape
rounded up to the next multiple (M to MR, N to NR, K to the vector length); the notes give
the tile. Edge tiles run the smallest kernel that covers them (rows in steps of 4, whole
vectors) on a 𝟘-padded copy of the tile.

## Sparse constant weights

{sparse_table or "Not run (left out by --filter)."}

## Baselines (G updates/s)

{baseline_table(ws, res)}
{fusion_md}
## Legend

- *G upd/s*: giga-updates per second; an M×N×K contraction is M·N·K updates
  `c = max(c, a + b)` (min for min-plus); the conv is N·H·W·F·KH·KW·C updates.
  trop: `trop-run FILE --entry bench --random-inputs --pipeline cpu --num-threads T --bench R`,
  rate at the median of R timed calls after one warm-up call, best of {1 if args.quick else 3}
  rounds that alternate 1 and 2 threads (inputs uniform in [-10, 10) for floats, [-100, 100]
  for integers unless the row names another range). i8/i16 take a plain add where every
  value of both packed panels is in the half range (−64…63, −16384…16383), else a
  saturating add: the default range gives i16 the first and i8 the second, and one row
  each with another range shows the other path.
- *ceiling G upd/s*: the ceiling probe (above) for the same element type and thread count,
  run right after each of those timed calls, best of the rounds. This VM's clock drifts by
  up to a third between phases of a few seconds; dividing by a ceiling measured minutes
  earlier gave ratios from 73 % to 124 % for the same kernel.
- *% of ceiling*: trop's rate over that ceiling (the best round of each, measured in the
  same seconds; each a sustained rate: trop's median call, the probe's ~0.1 s run). 8- and
  16-bit rows can pass 100 %: the probe broadcasts its values with `vpbroadcastb`/`w`, which
  also takes a shuffle-port µop, while trop broadcasts values packed replicated in 32-bit
  words with `vpbroadcastd`, a load alone (at most 5/4 of the probe's rate).
- *× naive clang*: over `bench/naive_maxplus.c` (the i-k-j loop with `fmaxf`, built with
  `clang-22 -O3 -march=native`, median of its timed calls), 1 thread.
- *× GraphBLAS*: over `bench/graphblas_maxplus.c` (`GrB_mxm` with `GrB_MAX_PLUS_SEMIRING_FP32`
  and accumulator `GrB_MAX_FP32` on full matrices, `GxB_NTHREADS` = T, mxm + wait timed,
  median call; its result is spot-checked), same thread count.
- *× numpy*: over numpy's broadcast form, chunked over rows, 1 thread.
- *2T/1T*: trop's 2-thread rate over its 1-thread rate (both best of the same alternating
  rounds). *ceiling 2T/1T*: the same ratio for the ceiling probe runs of those rounds: how
  much the machine itself gained from the second core at the time.
- *check*: `trop-run --check` (the CPU pipeline against the reference pipeline, bitwise) on a
  small variant of the workload (same type and semiring: GEMMs at ≤ 256³, the conv at
  2×10×9×64), with the same thread count.
- Blank: not measured for that row (baselines run at 1 thread, GraphBLAS at 1 and 2, and only
  for the workloads listed under Baselines).

## Notes

{notes_md}
{failures_md}"""
    md.write_text(keep_other_sections(text, md))
    print(f"wrote {shown(md)}")

    if res.failures or args.keep_tmp:
        print(f"generated files kept in {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if res.failures else 0


def keep_other_sections(text, md):
    """Appends to the generated report the sections of the existing `md` that
    this script does not write (bench/training.py, bench/networks.py,
    bench/dual_conv.py and bench/lse.py each own one), so that a run of
    bench.py does not drop them."""
    if not md.exists():
        return text

    def sections(s):
        out, current = {}, None
        for line in s.splitlines(keepends=True):
            if line.startswith("## "):
                current = line.strip()
                out[current] = []
            if current:
                out[current].append(line)
        return out

    ours = sections(text)
    kept = [b for h, b in sections(md.read_text()).items()
            if h not in ours and h != "## Problems seen in this run"]
    for block in kept:
        text = text.rstrip("\n") + "\n\n" + "".join(block).rstrip("\n") + "\n"
    return text


if __name__ == "__main__":
    sys.exit(main())
