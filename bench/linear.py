#!/usr/bin/env python3
"""Linear 3x3 convolutions (the linear layers of paper A's CIFAR CNN and of
paper C's MPM-ResNet-20) on trop's CPU pipeline, against the FMA ceiling probe
(bench/fma_ceiling.c) and PyTorch eager (oneDNN) on the same input.

For each layer (NHWC input N x H x W x C, 3 x 3 x C x F filter, stride 1,
padding 1), with 1 and 2 threads:
  * trop conv: linalg.conv_2d_nhwc_hwcf on the already padded input (the
    kernel alone), in G multiply-adds/s and as % of the probe's rate for the
    same thread count (the probe is run right after, in the same process
    order, so both see the same machine load);
  * trop pad+conv: tensor.pad then the conv, the same work as PyTorch's
    conv2d(padding=1), timed on the same input;
  * torch: torch.nn.functional.conv2d (NCHW, the layout its oneDNN path is
    tuned for; the transpose is not timed) on that input;
and the ratio torch / trop pad+conv (> 1: trop is faster). The fastest of
--runs calls after a warm-up, and the best of 3 probe runs: on a shared
machine the minimum is the figure least disturbed by other processes. Prints a Markdown table naming the CPU (lscpu)
and the vector ISA of the probe, and the load average, since a shared
machine makes every figure noisy.

Usage: /usr/bin/python3 bench/linear.py [--build build] [--runs 20] [--quick]
       [--layers SUBSTRING,...] [--threads 1,2]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent

# (label, N, H, W, C, F); F = 0: a depthwise 3 x 3 conv over the C channels
# (paper C's ConvLinAct).
LAYERS = [
    ("paper A conv1 (32x32, 3->128)", 1, 32, 32, 3, 128),
    ("paper A conv1, batch 64", 64, 32, 32, 3, 128),
    ("MPM-ResNet-20 depthwise (32x32, 16 ch)", 1, 32, 32, 16, 0),
    ("MPM-ResNet-20 depthwise (32x32, 16 ch), batch 64", 64, 32, 32, 16, 0),
    ("MPM-ResNet-20 depthwise (8x8, 64 ch), batch 64", 64, 8, 8, 64, 0),
    ("paper A conv2 (16x16, 128->128)", 1, 16, 16, 128, 128),
    ("paper A conv3 (8x8, 128->256)", 1, 8, 8, 128, 256),
    ("ResNet-20 stage 1 (32x32, 16->16)", 1, 32, 32, 16, 16),
    ("ResNet-20 stage 3 (8x8, 64->64)", 1, 8, 8, 64, 64),
    ("paper A conv2, batch 64", 64, 16, 16, 128, 128),
    ("ResNet-20 stage 1, batch 64", 64, 32, 32, 16, 16),
]


def cpu_model():
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    m = re.search(r"Model name:\s*(.+)", out)
    return m.group(1).strip() if m else "unknown CPU"


def conv_module(n, h, w, c, f, pad):
    """@f: the conv on a padded input (pad=False) or tensor.pad then the conv
    (f = 0: the depthwise conv)."""
    xt = f"tensor<{n}x{h}x{w}x{c}xf32>"
    pt = f"tensor<{n}x{h + 2}x{w + 2}x{c}xf32>"
    wt = f"tensor<3x3x{c}x{f}xf32>" if f else f"tensor<3x3x{c}xf32>"
    yt = f"tensor<{n}x{h}x{w}x{f or c}xf32>"
    op = "conv_2d_nhwc_hwcf" if f else "depthwise_conv_2d_nhwc_hwc"
    attrs = ("{dilations = dense<1> : tensor<2xi64>, "
             "strides = dense<1> : tensor<2xi64>}")
    if pad:
        head = (f"func.func @f(%x: {xt}, %w: {wt}) -> {yt} {{\n"
                f"  %z = arith.constant 0.0 : f32\n"
                f"  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {{\n"
                f"  ^bb0(%i: index, %j: index, %k: index, %l: index):\n"
                f"    tensor.yield %z : f32\n  }} : {xt} to {pt}\n")
    else:
        head = f"func.func @f(%p: {pt}, %w: {wt}) -> {yt} {{\n  %z = arith.constant 0.0 : f32\n"
    return (head + f"  %e = tensor.empty() : {yt}\n"
            f"  %y0 = linalg.fill ins(%z : f32) outs(%e : {yt}) -> {yt}\n"
            f"  %y = linalg.{op} {attrs} ins(%p, %w : {pt}, {wt}) "
            f"outs(%y0 : {yt}) -> {yt}\n  return %y : {yt}\n}}\n")


def trop_ms(trop_run, tmp, name, text, inputs, threads, runs):
    path = tmp / f"{name}.mlir"
    path.write_text(text)
    args = [str(trop_run), str(path), "--entry", "f", "--pipeline", "cpu",
            "--num-threads", str(threads), "--bench", str(runs)]
    for i, a in enumerate(inputs):
        p = tmp / f"{name}.in{i}.npy"
        np.save(p, a)
        args += ["--input", str(p)]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return float(re.search(r"min ([0-9.]+) ms", out).group(1))


def torch_ms(x, w, threads, runs):
    import torch
    torch.set_num_threads(threads)
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 3, 1, 2)))
    if w.ndim == 3:  # depthwise: (C, 1, 3, 3) with groups = C
        wt = torch.from_numpy(np.ascontiguousarray(w.transpose(2, 0, 1)[:, None]))
        groups = w.shape[2]
    else:
        wt = torch.from_numpy(np.ascontiguousarray(w.transpose(3, 2, 0, 1)))
        groups = 1
    with torch.no_grad():
        torch.nn.functional.conv2d(xt, wt, padding=1, groups=groups)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            torch.nn.functional.conv2d(xt, wt, padding=1, groups=groups)
            times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def probe(exe, threads, tries=3):
    """The probe's ISA and its best f32 rate of `tries` runs."""
    best, isa = 0.0, "?"
    for _ in range(tries):
        out = subprocess.run([str(exe), str(threads)], capture_output=True,
                             text=True, check=True).stdout
        isa = re.search(r"isa=(\w+)", out).group(1)
        rate = float(re.search(r"type=f32 threads=\d+ gups=([0-9.]+)", out).group(1))
        best = max(best, rate)
    return isa, best


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--quick", action="store_true", help="batch 1 layers only")
    parser.add_argument("--layers", default="",
                        help="comma-separated substrings: only the layers whose label has one")
    parser.add_argument("--threads", default="1,2")
    args = parser.parse_args()
    trop_run = Path(args.build) / "bin" / "trop-run"
    tmp = Path(tempfile.mkdtemp(prefix="trop-linear-bench-"))
    exe = tmp / "fma_ceiling"
    subprocess.run(["cc", "-O2", "-march=native", "-pthread",
                    str(ROOT / "bench" / "fma_ceiling.c"), "-o", str(exe)], check=True)
    rng = np.random.default_rng(0)
    rows = []
    isa = "?"
    for label, n, h, w, c, f in LAYERS:
        if args.quick and n > 1:
            continue
        if args.layers and not any(p in label for p in args.layers.split(",")):
            continue
        x = rng.uniform(-1, 1, (n, h, w, c)).astype(np.float32)
        filt = rng.uniform(-1, 1, (3, 3, c, f) if f else (3, 3, c)).astype(np.float32)
        xp = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)])
        fmas = n * h * w * (f or 1) * 9 * c
        for threads in [int(t) for t in args.threads.split(",")]:
            kernel = trop_ms(trop_run, tmp, "conv", conv_module(n, h, w, c, f, False),
                             [xp, filt], threads, args.runs)
            isa, ceiling = probe(exe, threads)
            padded = trop_ms(trop_run, tmp, "padconv", conv_module(n, h, w, c, f, True),
                             [x, filt], threads, args.runs)
            torch_t = torch_ms(x, filt, threads, args.runs)
            rate = fmas / kernel / 1e6
            rows.append((label, threads, kernel, rate, ceiling, 100 * rate / ceiling,
                         padded, torch_t, torch_t / padded))
    print(f"CPU: {cpu_model()}; probe ISA: {isa}; load average at the end: "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (a shared machine "
          f"makes every figure noisy; each ratio compares runs taken one after "
          f"the other)\n")
    print("| layer | threads | trop conv ms | G FMA/s | probe G FMA/s | % of probe "
          "| trop pad+conv ms | torch ms | torch / trop |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]:.3f} | {r[3]:.1f} | {r[4]:.1f} | {r[5]:.0f} % "
              f"| {r[6]:.3f} | {r[7]:.3f} | {r[8]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
