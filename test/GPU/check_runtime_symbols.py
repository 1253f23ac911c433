#!/usr/bin/env python3
"""Checks that libTropCudaRuntime defines every mgpu* function that the LLVM
IR of the GPU pipeline's host code declares (mlir-translate's output)."""

import ctypes
import re
import sys


def main():
    ir_path, library = sys.argv[1], sys.argv[2]
    text = open(ir_path).read()
    declared = sorted(set(re.findall(r"^declare [^@]*@(mgpu\w+)\(", text, re.M)))
    if not declared:
        sys.exit("check_runtime_symbols.py: no mgpu* declarations in " + ir_path)
    runtime = ctypes.CDLL(library)
    missing = [name for name in declared if not hasattr(runtime, name)]
    for name in declared:
        print(("missing: " if name in missing else "defined: ") + name)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
