#!/usr/bin/env python3
"""Runs a tool on mutated copies of the project's own test files and fails if
any run crashes (dies from a signal, exits with a code other than 0 or 1, or
prints a sanitizer report).

Mutations are deterministic (seeded): truncation at a random byte, deletion or
duplication of a line, swapping two tokens, replacing a number with an
extreme, and replacing a type with another. Each mutant is run with the
options of the RUN lines of the file it came from, so every pass the tests
exercise also sees malformed and unusual input.
"""

import argparse
import concurrent.futures
import os
import random
import re
import shlex
import subprocess
import sys
import tempfile

NUMBERS = ["0", "-1", "1", "2", "3", "7", "9223372036854775807", "-9223372036854775808",
           "4294967296", "65536", "0x7FC00000", "0xFF800000", "1.0e39", "-0.0"]
TYPES = ["f32", "f16", "bf16", "f64", "i1", "i8", "i16", "i32", "i64", "index", "si8",
         "?", "0", "tensor<*xf32>", "memref<?xf32>", "vector<4xf32>", "complex<f32>"]
SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak|Memory|Thread)Sanitizer|"
                              r"runtime error: |UndefinedBehaviorSanitizer")
TOKEN = re.compile(r"%[\w.]+|#[\w.]+|@[\w.]+|\w+|[^\s\w]")


def mutate(text, rng):
    kind = rng.randrange(7)
    lines = text.split("\n")
    if kind == 0:  # truncate
        return text[: rng.randrange(len(text) + 1)]
    if kind == 1 and lines:  # delete a line
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if kind == 2 and lines:  # duplicate a line
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
        return "\n".join(lines)
    tokens = [m for m in TOKEN.finditer(text)]
    if not tokens:
        return text
    if kind == 3:  # swap two tokens
        a, b = sorted(rng.sample(range(len(tokens)), 2)) if len(tokens) > 1 else (0, 0)
        ta, tb = tokens[a], tokens[b]
        return (text[: ta.start()] + tb.group() + text[ta.end(): tb.start()] + ta.group()
                + text[tb.end():])
    if kind == 4:  # replace a number
        nums = [m for m in re.finditer(r"-?\b\d+\b", text)]
        if nums:
            m = rng.choice(nums)
            return text[: m.start()] + rng.choice(NUMBERS) + text[m.end():]
    if kind == 5:  # replace an element type or a dimension
        cands = [m for m in re.finditer(r"\b(f16|bf16|f32|f64|i1|i8|i16|i32)\b|\b\d+x", text)]
        if cands:
            m = rng.choice(cands)
            repl = rng.choice(TYPES)
            if m.group().endswith("x"):
                repl = rng.choice(["0x", "?x", "1x", "3x", "100000x"])
            return text[: m.start()] + repl + text[m.end():]
    # replace a random token by another token of the file
    t = rng.choice(tokens)
    return text[: t.start()] + rng.choice(tokens).group() + text[t.end():]


def run_lines(text, tool):
    """The argument lists of the file's RUN lines that invoke `tool`."""
    result = []
    for line in text.splitlines():
        m = re.search(r"RUN:\s*(.*)", line)
        if not m:
            continue
        for stage in m.group(1).split("|"):
            words = shlex.split(stage.replace("%s", "INPUT"))
            if words and words[0] == tool:
                result.append([w for w in words[1:] if w != "INPUT"])
    return result or [[]]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tool", required=True, help="path of the tool to run")
    parser.add_argument("--tool-name", default=None, help="name used in RUN lines")
    parser.add_argument("--mutants", type=int, default=8, help="mutants per file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument(
        "--run-entries", action="store_true",
        help="run each mutant as `TOOL FILE --entry F ARGS` for a function F "
             "of the original file instead of with its RUN-line options "
             "(for trop-run); ARGS come from --extra")
    parser.add_argument("--extra", action="append", default=[],
                        help="an argument list (one string) to draw from "
                             "for --run-entries; repeatable")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    name = args.tool_name or os.path.basename(args.tool)

    jobs = []
    rng = random.Random(args.seed)
    for path in sorted(args.files):
        with open(path, encoding="utf-8") as f:
            text = f.read()
        if args.run_entries:
            entries = re.findall(r"func\.func @([\w.]+)", text) or ["main"]
            extras = [shlex.split(e) for e in args.extra] or [[]]
            options = [["--entry", e] + x for e in entries for x in extras]
        else:
            options = run_lines(text, name)
        for i in range(args.mutants):
            jobs.append((path, i, mutate(text, rng), rng.choice(options)))

    tmpdir = tempfile.mkdtemp(prefix="trop-mutants-")

    def run(job):
        path, i, text, options = job
        mutant = os.path.join(tmpdir, f"{os.path.basename(path)}.{i}.mlir")
        # Files a RUN line writes (report=%t.x) go to the scratch directory.
        options = [o.replace("%t", mutant + ".t") for o in options]
        with open(mutant, "w", encoding="utf-8") as f:
            f.write(text)
        try:
            proc = subprocess.run([args.tool, mutant] + options, capture_output=True,
                                  timeout=args.timeout, text=True, errors="replace")
        except subprocess.TimeoutExpired:
            return (path, i, mutant, options, "timed out")
        report = SANITIZER_REPORT.search(proc.stderr)
        if report or proc.returncode not in (0, 1):
            # test/lit.cfg.py makes sanitizers exit with 86; the text check
            # catches a report even where a runtime kept exit code 0 or 1.
            what = "sanitizer report" if report else f"exit code {proc.returncode}"
            return (path, i, mutant, options,
                    f"{what}: {proc.stderr.strip()[-400:]}")
        return None

    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        failures = [r for r in pool.map(run, jobs) if r]

    for path, i, mutant, options, why in failures:
        print(f"CRASH: {path} mutant {i} ({mutant}) with {' '.join(options)}: {why}")
    print(f"mutants: {len(jobs)}, crashes: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
