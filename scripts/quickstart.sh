#!/usr/bin/env bash
# The README's first command: installs what is missing, builds, then compiles
# and runs the example network (paper A's hybrid head) with trop-run,
# checks its result against the reference lowering and prints its time.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
./scripts/build.sh

BUILD_DIR="${TROP_BUILD_DIR:-build}"
echo
echo "== examples/hybrid_head.mlir: linear 512->512, max-plus 512->512, linear 512->10, batch 256 =="
# The CPU pipeline (packed, register-tiled vector kernels on OpenMP threads)
# is run and compared bit for bit with the reference lowering on the same
# random inputs; then it is timed.
"$BUILD_DIR/bin/trop-run" examples/hybrid_head.mlir --entry forward \
  --random-inputs --seed 0 --pipeline cpu --check --bench 5
