#!/usr/bin/env bash
# Runs every test of a built tree: the lit suite, then the Python package's
# pytest suite, and ends with one line "N passed, N failed" counting both.
# `ninja check-trop` runs this script; so does scripts/test.sh.
#
# Usage: scripts/check.sh [BUILD_DIR]   (default: $TROP_BUILD_DIR or build/)
# Extra lit arguments may be given in LIT_OPTS (lit reads it itself).
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR="$(realpath "${1:-${TROP_BUILD_DIR:-build}}")"
results="$BUILD_DIR/test-results.xml"
py_results="$BUILD_DIR/python-test-results.xml"
rm -f "$results" "$py_results"
status=0
/usr/lib/llvm-22/bin/lit -sv --xunit-xml-output="$results" "$BUILD_DIR/test" || status=$?

# The Python package (python/tests, docs/python.md): it loads
# $BUILD_DIR/lib/libTropCAPI.so unless TROP_CAPI_LIBRARY says otherwise.
# In a sanitizer build (TROP_SANITIZERS), python3 is not instrumented: it
# preloads the sanitizer runtime libTropCAPI.so links against. Leaks are
# checked by the lit suite's instrumented tools, not in the interpreter, whose
# own allocations at exit would drown them.
py_env=()
if [ -f "$BUILD_DIR/sanitizer-preload.txt" ]; then
  . scripts/sanitizer-options.sh
  py_env=(LD_PRELOAD="$(cat "$BUILD_DIR/sanitizer-preload.txt")"
          ASAN_OPTIONS="$TROP_ASAN_OPTIONS:detect_leaks=0"
          UBSAN_OPTIONS="$TROP_UBSAN_OPTIONS")
fi
py_status=0
env "${py_env[@]}" \
TROP_BUILD_DIR="$BUILD_DIR" PYTHONPATH="$PWD/python${PYTHONPATH:+:$PYTHONPATH}" \
  /usr/bin/python3 -m pytest -q -p no:cacheprovider --junitxml="$py_results" \
  python/tests || py_status=$?
if [ "$py_status" -ne 0 ]; then
  status=1
fi

/usr/bin/python3 - "$results" "$py_results" "$BUILD_DIR/test-summary.txt" <<'PY'
import os
import sys
import xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in sys.argv[1:3]:
    if not os.path.exists(path):
        print(f"check.sh: {path} was not written", file=sys.stderr)
        failed += 1
        continue
    root = ET.parse(path).getroot()
    for case in root.iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        elif case.find("skipped") is not None:
            skipped += 1
        else:
            passed += 1
line = f"{passed} passed, {failed} failed"
if skipped:
    line += f", {skipped} skipped"
print(line)
with open(sys.argv[3], "w") as summary:
    summary.write(line + "\n")
PY
exit $status
