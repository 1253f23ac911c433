#!/usr/bin/env bash
# Runs trop's libFuzzer harnesses for a bounded time each, on seed corpora
# made from the test suite, then the differential fuzzer on a bounded number
# of random modules. Needs a build configured with
#   -DTROP_BUILD_FUZZERS=ON -DTROP_SANITIZERS="address;undefined"
# (scripts/test.sh makes one in build-san/; docs/reliability.md).
#
# Usage: scripts/fuzz.sh [BUILD_DIR]     (default: build-san)
#   TROP_FUZZ_SECONDS   seconds per harness (default 60)
#   TROP_DIFF_MODULES   modules for the differential fuzzer (default 100)
#   TROP_DIFF_BUILD_DIR build whose trop-run the differential fuzzer runs
#                       (default: BUILD_DIR; CI uses the faster plain build)
# Prints one line per harness, "fuzz: <harness>: N runs in S s, 0 crashes",
# writes BUILD_DIR/fuzz/summary.txt ("N passed, N failed", one per harness)
# and exits with 1 on any crash, hang, sanitizer report or disagreement; the
# reproducers are in BUILD_DIR/fuzz/artifacts/.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="$(realpath "${1:-build-san}")"
SECONDS_EACH="${TROP_FUZZ_SECONDS:-60}"
DIFF_MODULES="${TROP_DIFF_MODULES:-100}"
WORK="$BUILD_DIR/fuzz"
mkdir -p "$WORK/artifacts"

# Seeds: every .mlir of the test suite and examples, split where lit splits
# (the parse and pass harnesses).
/usr/bin/python3 - "$WORK" <<'PY'
import pathlib, shutil, sys
work = pathlib.Path(sys.argv[1])
parse, passes = work / "corpus-parse", work / "corpus-pass"
for d in (parse, passes):  # afresh: each run starts from the same seeds
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
n = 0
for root in ("test", "examples"):
    for path in sorted(pathlib.Path(root).rglob("*.mlir")):
        for chunk in path.read_text(errors="replace").split("// -----"):
            data = chunk.encode()
            (parse / f"seed{n}").write_bytes(data)
            # The pass harness reads its pipeline from the first byte. Large
            # modules through the CPU pipeline take tens of seconds under
            # ASan; small ones cover the same passes.
            if len(data) <= 4096:
                (passes / f"seed{n}").write_bytes(bytes([n % 251]) + data)
            n += 1
print(f"fuzz: {n} seeds from the test suite")

# The .npy reader's seeds: an array of every element kind trop reads, in
# both header versions and both orders, and an empty one; the C API
# harness's: a few byte strings (it reads its actions from the bytes).
import numpy as np
npy, capi = work / "corpus-npy", work / "corpus-capi"
for d in (npy, capi):
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
rng = np.random.default_rng(0)
kinds = ["<f2", "<f4", "<f8", "|i1", "<i2", "<i4", "<i8", "|b1", "<u2"]
for i, dt in enumerate(kinds):
    a = (rng.standard_normal((2, 3)) * 50).astype(dt)
    for j, (version, order) in enumerate([((1, 0), "C"), ((2, 0), "F")]):
        with open(npy / f"seed{i}-{j}", "wb") as f:
            np.lib.format.write_array(f, np.asarray(a, order=order), version=version)
with open(npy / "empty", "wb") as f:
    np.lib.format.write_array(f, np.zeros((0, 4), np.float32))
for i in range(8):
    (capi / f"seed{i}").write_bytes(bytes([i % 4]) + rng.bytes(64 + 16 * i))
PY

status=0
passed=0
failed=0
# libFuzzer links ahead of the shared ASan runtime; the order is harmless
# here (the other options: scripts/sanitizer-options.sh).
. scripts/sanitizer-options.sh
export ASAN_OPTIONS="$TROP_ASAN_OPTIONS:detect_leaks=1:verify_asan_link_order=0"
export UBSAN_OPTIONS="$TROP_UBSAN_OPTIONS"
for harness in parse pass npy capi; do
  log="$WORK/$harness.log"
  "$BUILD_DIR/bin/trop-$harness-fuzzer" "$WORK/corpus-$harness" \
    -max_total_time="$SECONDS_EACH" -timeout=120 -rss_limit_mb=4096 \
    -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$WORK/artifacts/$harness-" >"$log" 2>&1
  rc=$?
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$')
  if [ "$rc" -eq 0 ]; then
    echo "fuzz: trop-$harness-fuzzer: ${runs:-?} runs in ${SECONDS_EACH} s, 0 crashes"
    passed=$((passed + 1))
  else
    echo "fuzz: trop-$harness-fuzzer: FAILED (exit $rc) after ${runs:-?} runs; see $log"
    grep -m5 -E "ERROR|runtime error|Test unit written" "$log" | sed 's/^/  /'
    status=1
    failed=$((failed + 1))
  fi
done

DIFF_BUILD_DIR="$(realpath "${TROP_DIFF_BUILD_DIR:-$BUILD_DIR}")"
if /usr/bin/python3 tools/fuzzers/differential.py \
    --runner "$DIFF_BUILD_DIR/bin/trop-run" --modules "$DIFF_MODULES" \
    --seed "${TROP_DIFF_SEED:-1}" --keep "$WORK/artifacts/differential"; then
  passed=$((passed + 1))
else
  status=1
  failed=$((failed + 1))
fi
echo "$passed passed, $failed failed" | tee "$WORK/summary.txt"
exit $status
