#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test
# (`ninja check-trop`: the lit suite, then the Python tests; scripts/check.sh)
# and ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/setup.sh
./scripts/build.sh

BUILD_DIR="${TROP_BUILD_DIR:-build}"
rm -f "$BUILD_DIR/test-summary.txt"
status=0
./scripts/build.sh check-trop || status=$?
# ninja reports a failed check after the suite's own summary line; repeat
# the summary so that it stays the last line.
if [ "$status" -ne 0 ] && [ -f "$BUILD_DIR/test-summary.txt" ]; then
  cat "$BUILD_DIR/test-summary.txt"
fi
exit $status
