#!/usr/bin/env python3
"""A trop GEMM against the ceiling probe in CPU time (for tuning on a shared
machine).

bench/bench.py divides wall times, which on a machine shared with other work
measure the load as much as the kernel. This script compiles the GEMM with
`trop-compile` (a memref function, updated in place: no copies), links it
with bench/gemm_cputime.c and the probe (../shared/tools/maxplus_ceiling.c,
its clock switched to CLOCK_THREAD_CPUTIME_ID), and prints the best of
alternating rounds of each, in G updates per CPU second:

  bench/gemm_cputime.py --shape 1024,1024,1024 --type f32 --semiring max_plus
  cputime 1024x1024x1024 threads=1 trop=39.33 probe=43.71 ratio=90.0%

With more than one thread the kernel's time is the process's CPU time (so
OpenMP's waiting counts) and the rate is multiplied by the thread count.
Environment: TROP_BIN (default build/bin), CC (default cc), TROP_CEILING_SRC
(the probe's source, default ../shared/tools/maxplus_ceiling.c).
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The probe beside the checkout, as bench/bench.py finds it, or TROP_CEILING_SRC.
PROBE = Path(os.environ.get("TROP_CEILING_SRC",
                            ROOT / ".." / "shared" / "tools" / "maxplus_ceiling.c")).resolve()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shape", default="1024,1024,1024", help="M,N,K")
    ap.add_argument("--type", default="f32", choices=["f32", "f64"])
    ap.add_argument("--semiring", default="max_plus")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=8)
    args = ap.parse_args()
    m, n, k = (int(v) for v in args.shape.split(","))
    ty = args.type
    bindir = Path(os.environ.get("TROP_BIN", ROOT / "build" / "bin"))
    if not PROBE.exists():
        print(f"gemm_cputime: {PROBE} is absent", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="trop-cputime-") as tmp:
        tmp = Path(tmp)
        src = (f"func.func @bench(%a: memref<{m}x{k}x{ty}>, %b: memref<{k}x{n}x{ty}>, "
               f"%c: memref<{m}x{n}x{ty}>) {{\n"
               f"  trop.matmul <{args.semiring}> ins(%a, %b : memref<{m}x{k}x{ty}>, "
               f"memref<{k}x{n}x{ty}>) outs(%c : memref<{m}x{n}x{ty}>)\n  return\n}}\n")
        (tmp / "kern.mlir").write_text(src)
        subprocess.run([str(bindir / "trop-compile"), str(tmp / "kern.mlir"), "--entry",
                        "bench", "--num-threads", str(args.threads), "-o",
                        str(tmp / "kern.o"), "--header", str(tmp / "kern.h")], check=True)
        probe = PROBE.read_text().replace("CLOCK_MONOTONIC", "CLOCK_THREAD_CPUTIME_ID")
        (tmp / "probe_cputime.c").write_text(probe)
        ctype, fn = ("float", "run_f32") if ty == "f32" else ("double", "run_f64")
        cmd = [os.environ.get("CC", "cc"), "-O2", "-march=native", "-pthread", f"-I{tmp}",
               '-DKERNEL_HEADER="kern.h"', f"-DT={ctype}", f"-DPROBE={fn}", f"-DMM={m}",
               f"-DNN={n}", f"-DKK={k}", str(ROOT / "bench" / "gemm_cputime.c"),
               str(tmp / "kern.o"), "-o", str(tmp / "run")]
        if args.threads != 1:
            cmd += ["-L/usr/lib/llvm-22/lib", "-lomp", "-Wl,-rpath,/usr/lib/llvm-22/lib"]
        subprocess.run(cmd, check=True)
        out = subprocess.run([str(tmp / "run"), str(args.rounds), str(args.threads)],
                             check=True, capture_output=True, text=True).stdout
        print(f"{args.semiring} {ty} " + out.strip(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
