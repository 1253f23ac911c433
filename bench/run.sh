#!/usr/bin/env bash
# The benchmark, in one command: installs what is missing, builds trop, installs the
# benchmark's own packages (GraphBLAS, matplotlib), then measures and reports.
#   bench/run.sh [--quick] [--filter SUBSTRING] ...   (options: bench/bench.py --help)
# Prints a Markdown table; writes docs/benchmarks.md and docs/benchmarks.png.
# TROP_BENCH_NO_BUILD=1 skips scripts/setup.sh and scripts/build.sh (use the existing build).
set -euo pipefail
cd "$(dirname "$0")/.."

export TROP_BENCH_COMMAND="bench/run.sh${*:+ $*}"
if [ "${TROP_BENCH_NO_BUILD:-0}" != 1 ]; then
  ./scripts/setup.sh
  ./scripts/build.sh
else
  TROP_BENCH_COMMAND="TROP_BENCH_NO_BUILD=1 $TROP_BENCH_COMMAND"
fi
./bench/setup.sh
exec /usr/bin/python3 bench/bench.py "$@"
