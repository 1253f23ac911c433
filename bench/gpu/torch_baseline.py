#!/usr/bin/env python3
"""PyTorch on the GPU, for context in the GPU benchmark (run.sh): the
broadcast form of a max-plus product, (A[:, :, None] + B[None]).amax(1) in
row chunks that fit in memory, and cuBLAS SGEMM (torch.matmul) at the same
shape. Times are CUDA-event device times, the median of a few calls.

Usage: torch_baseline.py N [N ...]  -> one line per measurement:
  torch maxplus_broadcast n=N ms=X gups=Y
  torch sgemm n=N ms=X tflops=Y"""

import sys

import torch


def timed(fn, runs):
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    fn()
    times = []
    for _ in range(runs):
        start.record()
        fn()
        end.record()
        torch.cuda.synchronize()
        times.append(start.elapsed_time(end))
    return sorted(times)[len(times) // 2]


def main():
    for n in map(int, sys.argv[1:]):
        a = torch.rand(n, n, device="cuda") * 20 - 10
        b = torch.rand(n, n, device="cuda") * 20 - 10
        c = torch.empty(n, n, device="cuda")
        # Rows per chunk: a chunk's broadcast temporary is rows x n x n floats,
        # kept at 1 GiB.
        rows = max(1, (1 << 28) // (n * n))

        def broadcast():
            for i in range(0, n, rows):
                c[i:i + rows] = (a[i:i + rows, :, None] + b[None]).amax(1)

        ms = timed(broadcast, 2)
        print(f"torch maxplus_broadcast n={n} ms={ms:.6g} gups={n ** 3 / ms / 1e6:.6g}")
        ms = timed(lambda: torch.matmul(a, b, out=c), 5)
        print(f"torch sgemm n={n} ms={ms:.6g} tflops={2 * n ** 3 / ms / 1e9:.6g}")


if __name__ == "__main__":
    main()
