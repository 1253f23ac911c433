# The sanitizer runtime options of trop's tests, spelled once; sourced by
# scripts/check.sh and scripts/fuzz.sh, read by test/lit.cfg.py.
#
# A report ends the process with exit code 86, never 1, so that a test that
# expects a diagnostic (exit code 1) cannot take a report for one. Debian's
# LLVM and MLIR are not instrumented: LLVM's headers poison the slabs of a
# BumpPtrAllocator in trop's instrumented code and MLIR's own copies of that
# inline code allocate from them without unpoisoning (allow_user_poisoning=0);
# std::vector's container annotations have the same mismatch
# (detect_container_overflow=0). Both gave false reports only.
TROP_SANITIZER_EXIT_CODE=86
TROP_ASAN_OPTIONS="exitcode=86:allow_user_poisoning=0:detect_container_overflow=0"
TROP_UBSAN_OPTIONS="halt_on_error=1:exitcode=86:print_stacktrace=1"
