#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, runs every test
# and ends with one line "N passed, N failed" counting all of them:
#   1. build/: the lit suite, then the Python tests (`ninja check-trop`,
#      scripts/check.sh);
#   2. build-san/ (ASan+UBSan and the libFuzzer harnesses; see
#      docs/reliability.md): the same suites under the sanitizers, then each
#      fuzz harness for TROP_FUZZ_SECONDS (default 60) and the differential
#      fuzzer on TROP_DIFF_MODULES random modules (default 100; scripts/fuzz.sh).
# TROP_SKIP_SANITIZERS=1 skips stage 2 (a quicker local run).
set -euo pipefail
cd "$(dirname "$0")/.."

SANITIZE=1
if [ "${TROP_SKIP_SANITIZERS:-0}" = 1 ]; then
  SANITIZE=0
fi

./scripts/setup.sh
if [ "$SANITIZE" = 1 ]; then
  ./scripts/setup.sh libclang-rt-22-dev
fi
./scripts/build.sh

BUILD_DIR="${TROP_BUILD_DIR:-build}"
SAN_DIR="${TROP_SAN_BUILD_DIR:-build-san}"
rm -f "$BUILD_DIR/test-summary.txt" "$SAN_DIR/test-summary.txt" \
  "$SAN_DIR/fuzz/summary.txt"
status=0
# Each stage's wall time, printed at the end (docs/reliability.md gives CI's).
stage_start=0
times=()
stage_done() {
  times+=("$1: $((SECONDS - stage_start)) s")
  stage_start=$SECONDS
}
stage_done "setup and build"
./scripts/build.sh check-trop || status=$?
stage_done "tests ($BUILD_DIR)"

summaries=("$BUILD_DIR/test-summary.txt")

if [ "$SANITIZE" = 1 ]; then
  echo "test.sh: the sanitizer build ($SAN_DIR)"
  TROP_BUILD_DIR="$SAN_DIR" \
  TROP_CMAKE_ARGS="${TROP_CMAKE_ARGS:-} -DTROP_SANITIZERS=address;undefined -DTROP_BUILD_FUZZERS=ON" \
    ./scripts/build.sh || status=1
  stage_done "sanitizer build ($SAN_DIR)"
  ./scripts/check.sh "$SAN_DIR" || status=1
  stage_done "tests under the sanitizers"
  TROP_DIFF_BUILD_DIR="$BUILD_DIR" ./scripts/fuzz.sh "$SAN_DIR" || status=1
  stage_done "fuzz harnesses and differential fuzzer"
  summaries+=("$SAN_DIR/test-summary.txt" "$SAN_DIR/fuzz/summary.txt")
fi

echo "test.sh: stage times: ${times[*]/%/;}"

# One closing line over every stage; a stage that wrote no summary counts as
# one failure.
/usr/bin/python3 - "${summaries[@]}" <<'PY'
import re
import sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        with open(path) as f:
            line = f.read()
    except OSError:
        failed += 1
        continue
    m = re.match(r"(\d+) passed, (\d+) failed(?:, (\d+) skipped)?", line)
    if not m:
        failed += 1
        continue
    passed += int(m.group(1))
    failed += int(m.group(2))
    skipped += int(m.group(3) or 0)
print(f"{passed} passed, {failed} failed"
      + (f", {skipped} skipped" if skipped else ""))
PY
exit $status
