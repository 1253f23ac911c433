#!/usr/bin/env python3
"""Static versus dynamic M (issue 14, item 4): the same kernels, compiled once
with every size static and once with the batch (M, or N of a convolution)
written '?', timed in the same run on the same arrays.

Rows: trop.matmul <max_plus> f32 256x512x512 (M x K x N) and a 3x3
trop.conv_2d <max_plus> f32 (N=8, 32x32x32 -> 32 channels, 'valid'), each
with 1 and 2 threads; medians of --runs calls after one warm-up call
(trop's Function.benchmark), the two variants alternated --rounds times;
the best median and the fastest call of each are kept (on a shared machine
the fastest call is the steadier figure). The outputs of the two variants
are compared exactly first. Prints a Markdown table; the CPU is named.

    PYTHONPATH=python TROP_BUILD_DIR=build /usr/bin/python3 bench/dynamic.py
"""

import argparse
import statistics

import numpy as np

import trop
from cpuinfo import cpu_name  # noqa: E402

MATMUL = """
func.func @f(%a: tensor<MxKxf32>, %b: tensor<KxNxf32>) -> tensor<MxNxf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<MxKxf32>
  %e = tensor.empty(DIMS) : tensor<MxNxf32>
  %ninf = arith.constant 0xFF800000 : f32
  %i = linalg.fill ins(%ninf : f32) outs(%e : tensor<MxNxf32>) -> tensor<MxNxf32>
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<MxKxf32>, tensor<KxNxf32>)
                              outs(%i : tensor<MxNxf32>) -> tensor<MxNxf32>
  return %r : tensor<MxNxf32>
}
"""

CONV = """
func.func @f(%x: tensor<MxHxWxCxf32>, %k: tensor<3x3xCxFxf32>) -> tensor<MxOxOxFxf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %x, %c0 : tensor<MxHxWxCxf32>
  %e = tensor.empty(DIMS) : tensor<MxOxOxFxf32>
  %ninf = arith.constant 0xFF800000 : f32
  %i = linalg.fill ins(%ninf : f32) outs(%e : tensor<MxOxOxFxf32>) -> tensor<MxOxOxFxf32>
  %r = trop.conv_2d <max_plus> ins(%x, %k : tensor<MxHxWxCxf32>, tensor<3x3xCxFxf32>)
                               outs(%i : tensor<MxOxOxFxf32>) -> tensor<MxOxOxFxf32>
  return %r : tensor<MxOxOxFxf32>
}
"""


def source(template, batch, sizes):
    """`template` with M = `batch` (None: '?') and the other sizes."""
    text = template
    for key, value in sizes.items():
        text = text.replace(f"x{key}x", f"x{value}x").replace(f"<{key}x", f"<{value}x")
        text = text.replace(f"x{key}x", f"x{value}x")
    text = text.replace("<Mx", "<?x" if batch is None else f"<{batch}x")
    return text.replace("DIMS", "%m" if batch is None else "")




def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    rows = [
        ("matmul max_plus f32 256x512x512", MATMUL, 256,
         {"K": 512, "N": 512},
         lambda: [rng.uniform(-10, 10, (256, 512)).astype(np.float32),
                  rng.uniform(-10, 10, (512, 512)).astype(np.float32)]),
        ("conv_2d max_plus f32 3x3, 8x34x34x32 -> 8x32x32x32", CONV, 8,
         {"H": 34, "W": 34, "C": 32, "F": 32, "O": 32},
         lambda: [rng.uniform(-10, 10, (8, 34, 34, 32)).astype(np.float32),
                  rng.uniform(-10, 10, (3, 3, 32, 32)).astype(np.float32)]),
    ]
    print(f"CPU: {cpu_name()} (machine shared with other jobs: timings are noisy)\n")
    print("| workload | threads | static M: median, min (ms) | dynamic M: median, "
          "min (ms) | dynamic / static: median, min |")
    print("|---|---|---|---|---|")
    for name, template, batch, sizes, make in rows:
        arrays = make()
        for threads in (1, 2):
            static = trop.compile(source(template, batch, sizes), threads=threads).f
            dynamic = trop.compile(source(template, None, sizes), threads=threads).f
            assert dynamic.has_dynamic_shapes and not static.has_dynamic_shapes
            a, b = static(*arrays), dynamic(*arrays)
            assert a.shape == b.shape and np.array_equal(a, b), "outputs differ"
            med = {"static": float("inf"), "dynamic": float("inf")}
            low = dict(med)
            for _ in range(args.rounds):
                for key, fn in (("static", static), ("dynamic", dynamic)):
                    seconds = fn.benchmark(*arrays, runs=args.runs)
                    med[key] = min(med[key], statistics.median(seconds))
                    low[key] = min(low[key], min(seconds))
            print(f"| {name} | {threads} | {med['static'] * 1e3:.3f}, "
                  f"{low['static'] * 1e3:.3f} | {med['dynamic'] * 1e3:.3f}, "
                  f"{low['dynamic'] * 1e3:.3f} | "
                  f"{med['dynamic'] / med['static']:.2f}, "
                  f"{low['dynamic'] / low['static']:.2f} |", flush=True)


if __name__ == "__main__":
    main()
