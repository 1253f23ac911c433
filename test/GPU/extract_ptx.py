#!/usr/bin/env python3
"""Prints the PTX of every gpu.binary in an MLIR file (--trop-gpu-pipeline's
output with format=isa), one file per kernel with --out-dir.

MLIR prints the `assembly` string with non-printable bytes, quotes and
backslashes as \\XX hex escapes; this undoes them.
"""

import argparse
import pathlib
import re
import sys

BINARY = re.compile(r'gpu\.binary @(\w+).*?assembly = "((?:[^"\\]|\\[0-9A-Fa-f]{2})*)"',
                    re.S)


def unescape(text):
    return re.sub(r"\\([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)),
                  text)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("input")
    parser.add_argument("--out-dir", help="write NAME.ptx files here")
    args = parser.parse_args()
    text = pathlib.Path(args.input).read_text()
    found = BINARY.findall(text)
    if not found:
        sys.exit("extract_ptx.py: no gpu.binary with an assembly string")
    for name, escaped in found:
        ptx = unescape(escaped)
        if args.out_dir:
            pathlib.Path(args.out_dir, name + ".ptx").write_text(ptx)
        else:
            sys.stdout.write(f"// kernel {name}\n{ptx}")


if __name__ == "__main__":
    main()
