#!/usr/bin/env python3
"""Bit-packed binary morphology rows of the benchmark (issue 13, item 3).

Two layers, each measured three ways in one run. First a 3×3 binary
dilation ('same' zero padding) of an 8×256×256×64 image,
  * bit-packed: trop.binary_morphology on i64 words (64 channels a word);
  * i1: trop.depthwise_conv_2d <max_min> on i1 (one byte a pixel-channel);
  * f32: trop.depthwise_conv_2d <max_min> on f32 0/1 values (the float path);
then a DenseLUI 4096 → 4096 (every output the OR of a random subset of the
inputs) at batch 64:
  * bit-packed: trop.binary_dense on i64 words;
  * i1: trop.matmul <max_min> on i1;
  * f32: trop.matmul <max_min> on f32 (−∞ for 0, 1 for 1; +∞/−∞ weights);
each through the CPU pipeline with 1 and 2 threads. The three outputs are
compared (exactly) before any timing is printed. Medians of --runs calls
after one warm-up call (trop's Function.benchmark).

Usage: TROP_BUILD_DIR=build PYTHONPATH=python /usr/bin/python3 bench/binary.py
"""

import argparse
import statistics
import sys

import numpy as np

import trop
from cpuinfo import cpu_name  # noqa: E402

PACKED = """
func.func @f(%x: tensor<{N}x{H}x{W}x{WD}xi64>, %s: tensor<3x3x{WD}xi64>,
             %y: tensor<{N}x{H}x{W}x{WD}xi64>) -> tensor<{N}x{H}x{W}x{WD}xi64> {{
  %r = trop.binary_morphology <dilation> channels = {C} padding_mode = <zero>
         {{padding = array<i64: 1, 1, 1, 1>}}
         ins(%x, %s : tensor<{N}x{H}x{W}x{WD}xi64>, tensor<3x3x{WD}xi64>)
         outs(%y : tensor<{N}x{H}x{W}x{WD}xi64>) -> tensor<{N}x{H}x{W}x{WD}xi64>
  return %r : tensor<{N}x{H}x{W}x{WD}xi64>
}}
"""

DEPTHWISE = """
func.func @f(%x: tensor<{N}x{H}x{W}x{C}x{T}>, %s: tensor<3x3x{C}x{T}>,
             %y: tensor<{N}x{H}x{W}x{C}x{T}>) -> tensor<{N}x{H}x{W}x{C}x{T}> {{
  %r = trop.depthwise_conv_2d <max_min> {{padding = array<i64: 1, 1, 1, 1>}}
         ins(%x, %s : tensor<{N}x{H}x{W}x{C}x{T}>, tensor<3x3x{C}x{T}>)
         outs(%y : tensor<{N}x{H}x{W}x{C}x{T}>) -> tensor<{N}x{H}x{W}x{C}x{T}>
  return %r : tensor<{N}x{H}x{W}x{C}x{T}>
}}
"""


DENSE_PACKED = """
func.func @f(%x: tensor<{B}x{KW}xi64>, %s: tensor<{N}x{KW}xi64>, %e: tensor<{NW}xi64>,
             %y: tensor<{B}x{NW}xi64>) -> tensor<{B}x{NW}xi64> {{
  %r = trop.binary_dense in_features = {K}
         ins(%x, %s, %e : tensor<{B}x{KW}xi64>, tensor<{N}x{KW}xi64>, tensor<{NW}xi64>)
         outs(%y : tensor<{B}x{NW}xi64>) -> tensor<{B}x{NW}xi64>
  return %r : tensor<{B}x{NW}xi64>
}}
"""

DENSE_MATMUL = """
func.func @f(%x: tensor<{B}x{K}x{T}>, %w: tensor<{K}x{N}x{T}>,
             %y: tensor<{B}x{N}x{T}>) -> tensor<{B}x{N}x{T}> {{
  %r = trop.matmul <max_min> ins(%x, %w : tensor<{B}x{K}x{T}>, tensor<{K}x{N}x{T}>)
         outs(%y : tensor<{B}x{N}x{T}>) -> tensor<{B}x{N}x{T}>
  return %r : tensor<{B}x{N}x{T}>
}}
"""


def pack(bits):
    c = bits.shape[-1]
    wd = (c + 63) // 64
    padded = np.zeros(bits.shape[:-1] + (wd * 64,), dtype=np.uint64)
    padded[..., :c] = bits
    split = padded.reshape(bits.shape[:-1] + (wd, 64))
    return np.bitwise_or.reduce(split << np.arange(64, dtype=np.uint64),
                                axis=-1).view(np.int64)


def unpack(words, c):
    w = words.view(np.uint64)[..., None] >> np.arange(64, dtype=np.uint64)
    bits = (w & np.uint64(1)).astype(bool)
    return bits.reshape(words.shape[:-1] + (-1,))[..., :c]




def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", default="8,256,256,64", help="N,H,W,C")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--dense", default="64,4096,4096",
                        help="batch,in,out of the DenseLUI row")
    args = parser.parse_args()
    n, h, w, c = map(int, args.shape.split(","))
    wd = (c + 63) // 64
    rng = np.random.default_rng(0)
    x = rng.random((n, h, w, c)) < 0.3
    s = rng.random((3, 3, c)) < 0.5
    shape = dict(N=n, H=h, W=w, C=c, WD=wd)

    inputs = {
        "packed": (PACKED.format(**shape),
                   (pack(x), pack(s), np.zeros((n, h, w, wd), np.int64))),
        "i1": (DEPTHWISE.format(T="i1", **shape),
               (x, s, np.zeros(x.shape, bool))),
        "f32": (DEPTHWISE.format(T="f32", **shape),
                (np.where(x, 1.0, -np.inf).astype(np.float32),
                 np.where(s, np.inf, -np.inf).astype(np.float32),
                 np.full(x.shape, -np.inf, np.float32))),
    }
    print(f"CPU: {cpu_name()}")
    print("(machine shared with other jobs: ratios are measured in one run)")
    print(f"binary dilation 3x3, {n}x{h}x{w}x{c}")
    measure(inputs, args, lambda r: unpack(r, c))

    b, k, m = map(int, args.dense.split(","))
    kw, mw = (k + 63) // 64, (m + 63) // 64
    xd = rng.random((b, k)) < 0.5
    sd = rng.random((m, k)) < 4.0 / k  # about 4 inputs per output
    dims = dict(B=b, K=k, N=m, KW=kw, NW=mw)
    dense = {
        "packed": (DENSE_PACKED.format(**dims),
                   (pack(xd), pack(sd), np.zeros(mw, np.int64),
                    np.zeros((b, mw), np.int64))),
        "i1": (DENSE_MATMUL.format(T="i1", **dims),
               (xd, np.ascontiguousarray(sd.T), np.zeros((b, m), bool))),
        "f32": (DENSE_MATMUL.format(T="f32", **dims),
                (np.where(xd, 1.0, -np.inf).astype(np.float32),
                 np.where(sd.T, np.inf, -np.inf).astype(np.float32),
                 np.full((b, m), -np.inf, np.float32))),
    }
    print(f"DenseLUI (OR over subsets) {k} -> {m}, batch {b}")
    measure(dense, args, lambda r: unpack(r, m))


def measure(inputs, args, unpack_packed):
    """Times each path with each thread count; exits if outputs differ."""
    for threads in map(int, args.threads.split(",")):
        times, results = {}, {}
        for name, (source, operands) in inputs.items():
            fn = trop.compile(source, pipeline="cpu", threads=threads).f
            results[name] = fn(*operands)
            times[name] = statistics.median(fn.benchmark(*operands,
                                                         runs=args.runs))
        packed_bits = unpack_packed(results["packed"])
        if not (np.array_equal(packed_bits, results["i1"]) and
                np.array_equal(packed_bits, results["f32"] == 1.0)):
            sys.exit("outputs differ between the three paths")
        for name in inputs:
            print(f"threads={threads} {name:7s} {times[name] * 1e3:9.3f} ms")
        print(f"threads={threads} packed vs f32: "
              f"{times['f32'] / times['packed']:.1f}x, packed vs i1: "
              f"{times['i1'] / times['packed']:.1f}x")


if __name__ == "__main__":
    main()
