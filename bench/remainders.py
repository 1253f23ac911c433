"""Remainder rows of the benchmark: the per-update cost of shapes that are not
multiples of the kernel's tile, against the next multiple (issue: no shape may
run more than 25 % slower per update than its next multiple of the tile size).

The register tile of an f32 GEMM is MR × NR = 12 × 32 with AVX-512 (6 × 16
with AVX2), and packed rows of A are copied in vectors of VL = 16 (8) along
K; the "next multiple" rounds M up to MR, N up to NR and K up to VL. Each pair
is timed in alternating rounds (best of 5), 1 thread, with trop-run --bench.
"""

import re
import subprocess
from pathlib import Path
from typing import Callable, List, Tuple

BENCH_RE = re.compile(r"bench: (\d+) runs, median ([0-9.e+-]+) ms, min ([0-9.e+-]+) ms")

SHAPES = [(1000, 1000, 1000), (513, 257, 1031), (1031, 1031, 1031), (257, 100, 300),
          (100, 70, 300)]
QUICK_SHAPES = [(100, 70, 300)]


def _avx512() -> bool:
    try:
        return " avx512f" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


def _round_up(x: int, d: int) -> int:
    return -(-x // d) * d


def _module(m: int, n: int, k: int) -> str:
    ta, tb, tc = f"tensor<{m}x{k}xf32>", f"tensor<{k}x{n}xf32>", f"tensor<{m}x{n}xf32>"
    return (f"func.func @bench(%a: {ta}, %b: {tb}, %c: {tc}) -> {tc} {{\n"
            f"  %r = trop.matmul <max_plus> ins(%a, %b : {ta}, {tb}) outs(%c : {tc}) -> {tc}\n"
            f"  return %r : {tc}\n}}\n")


def _reps(m: int, n: int, k: int) -> int:
    # About 0.3 s of timed calls at ~30 G updates/s, at least 5.
    return max(5, min(200, int(1e10 / (m * n * k))))


def measure_remainders(trop_run: Path, tmp: Path, quick: bool,
                       log: Callable[[str], None]) -> Tuple[str, List[str], List[str]]:
    mr, nr, vl = (12, 32, 16) if _avx512() else (6, 16, 8)
    rounds = 1 if quick else 5
    problems: List[str] = []
    lines = ["| shape (M×N×K) | next multiple | ns per 1000 updates | next multiple's | "
             "slower by |", "|---|---|--:|--:|--:|"]
    worst = None
    for shape in (QUICK_SHAPES if quick else SHAPES):
        m, n, k = shape
        nxt = (_round_up(m, mr), _round_up(n, nr), _round_up(k, vl))
        best = {}
        for r in range(rounds):
            for s in (shape, nxt):
                path = tmp / f"remainder_{'x'.join(map(str, s))}.mlir"
                path.write_text(_module(*s))
                upd = s[0] * s[1] * s[2]
                cmd = [str(trop_run), str(path), "--entry", "bench", "--random-inputs",
                       "--pipeline", "cpu", "--num-threads", "1", "--bench", str(_reps(*s))]
                log(f"  remainder {'x'.join(map(str, s))}, round {r + 1}/{rounds}")
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
                mm = BENCH_RE.search(p.stdout)
                if p.returncode != 0 or not mm:
                    problems.append(f"{' '.join(cmd)}: exit {p.returncode}: "
                                    f"{(p.stdout + p.stderr)[-400:]}")
                    continue
                per = float(mm[3]) * 1e6 / upd * 1000  # ns per 1000 updates, fastest call
                best[s] = min(best.get(s, per), per)
        if shape not in best or nxt not in best:
            continue
        slower = best[shape] / best[nxt] - 1
        worst = slower if worst is None else max(worst, slower)
        lines.append(f"| {m}×{n}×{k} | {nxt[0]}×{nxt[1]}×{nxt[2]} | {best[shape]:.1f} | "
                     f"{best[nxt]:.1f} | {100 * slower:+.0f} % |")
    notes = [f"Remainders: tile {mr} × {nr}, K in vectors of {vl} (f32 max-plus, 1 thread, "
             f"fastest call, best of {rounds} alternating rounds); worst shape "
             + (f"{100 * worst:+.0f} % per update against its next multiple."
                if worst is not None else "not measured.")]
    return "\n".join(lines), notes, problems
