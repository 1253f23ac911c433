#!/usr/bin/env python3
"""Checks the examples of a Markdown document against reality.

Fenced blocks preceded by an HTML comment marker are checked:

  <!-- example: PATH -->   the block's lines must appear, consecutively and
                           verbatim (trailing blanks aside), in PATH (relative
                           to the source root): code shown is code tested.
  <!-- run -->             the block is run with bash (-e -o pipefail) in a
                           scratch directory where `build` links to the build
                           tree and every top-level entry of the source tree
                           is linked too, so that commands read exactly as a
                           user types them at the root of a checkout built
                           into build/. The commands of one document share
                           that directory, in order.
  <!-- output -->          (right after a run block) every non-blank line must
                           occur in the run's standard output, in order, as a
                           substring of a line.

Prints one line per checked block and a summary; exits with 1 on the first
failure.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys

MARKER = re.compile(r"^<!--\s*(example:\s*(?P<path>\S+)|run|output)\s*-->\s*$")
FENCE = re.compile(r"^(?P<indent>\s*)```")


def parse_blocks(lines):
    """Yields (marker, path, line number, block lines) for marked blocks."""
    i = 0
    while i < len(lines):
        match = MARKER.match(lines[i].strip())
        if not match:
            i += 1
            continue
        kind = match.group(1).split(":")[0].strip()
        path = match.group("path")
        start = i + 1
        # The fenced block follows the marker directly.
        if start >= len(lines) or not FENCE.match(lines[start]):
            sys.exit("line %d: marker not followed by a fenced block" % (i + 1))
        indent = len(FENCE.match(lines[start]).group("indent"))
        end = start + 1
        while end < len(lines) and not FENCE.match(lines[end]):
            end += 1
        if end == len(lines):
            sys.exit("line %d: unterminated fenced block" % (start + 1))
        block = [l[indent:] if l[:indent].strip() == "" else l
                 for l in lines[start + 1:end]]
        yield kind, path, start + 1, block
        i = end + 1


def contains_consecutively(haystack, needle):
    haystack = [l.rstrip() for l in haystack]
    needle = [l.rstrip() for l in needle]
    for i in range(len(haystack) - len(needle) + 1):
        if haystack[i:i + len(needle)] == needle:
            return True
    return False


def make_scratch(scratch, src_root, build_root):
    if os.path.exists(scratch):
        shutil.rmtree(scratch)
    os.makedirs(scratch)
    for entry in os.listdir(src_root):
        if entry.startswith(".") or entry.startswith("build"):
            continue
        os.symlink(os.path.join(src_root, entry), os.path.join(scratch, entry))
    os.symlink(build_root, os.path.join(scratch, "build"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("document")
    parser.add_argument("--src", required=True, help="the source root")
    parser.add_argument("--build", required=True, help="the build tree")
    parser.add_argument("--scratch", required=True,
                        help="a directory to (re)create and run commands in")
    args = parser.parse_args()

    with open(args.document) as f:
        lines = f.read().splitlines()
    make_scratch(os.path.abspath(args.scratch), os.path.abspath(args.src),
                 os.path.abspath(args.build))

    examples = runs = 0
    last_output = None
    for kind, path, line, block in parse_blocks(lines):
        where = "%s:%d" % (os.path.basename(args.document), line)
        if kind == "example":
            with open(os.path.join(args.src, path)) as f:
                source = f.read().splitlines()
            if not contains_consecutively(source, block):
                print("%s: FAIL: block is not in %s" % (where, path))
                return 1
            print("%s: example from %s: OK" % (where, path))
            examples += 1
        elif kind == "run":
            script = "set -e -o pipefail\n" + "\n".join(block) + "\n"
            result = subprocess.run(["bash", "-c", script],
                                    cwd=os.path.abspath(args.scratch),
                                    stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            if result.returncode != 0:
                print("%s: FAIL: exit code %d\n--- stdout\n%s--- stderr\n%s"
                      % (where, result.returncode, result.stdout,
                         result.stderr))
                return 1
            last_output = result.stdout.splitlines()
            print("%s: run: OK" % where)
            runs += 1
        else:  # output
            if last_output is None:
                print("%s: FAIL: output block without a run block" % where)
                return 1
            position = 0
            for expected in (l.strip() for l in block):
                if not expected:
                    continue
                while (position < len(last_output)
                       and expected not in last_output[position]):
                    position += 1
                if position == len(last_output):
                    print("%s: FAIL: '%s' not found in order in:\n%s"
                          % (where, expected, "\n".join(last_output)))
                    return 1
                position += 1
            print("%s: output: OK" % where)
            last_output = None
    print("%d examples, %d runs: all OK" % (examples, runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
