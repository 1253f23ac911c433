#!/usr/bin/env python3
"""A/B of two trop builds on the linear conv layers of paper A's CNN and the
depthwise convs of MPM-ResNet-20, for tuning on a shared machine.

Each build's libTropCAPI.so runs the same layer (linalg conv on an already
padded NHWC input into a zero-filled fresh output, 1 thread) in a child
process; the figure is the CPU time of the calling thread (with 1 thread the
kernel runs in it, so time spent waiting for a core is not counted; page
faults of the fresh output are), min over --runs calls, and the wall time
beside it. Builds alternate over ROUNDS rounds, so both sides see the same
load. Compare with the `ceiling-cpu` line of bench/fma_ceiling.c.

Usage: ROUNDS=3 RUNS=10 /usr/bin/python3 bench/linear_ab.py \
           base=/path/to/build,new=build ["A conv1 3->128 32x32 b64,..."]
"""
import json, os, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = r'''
import json, sys, time, numpy as np, trop
text, shapes, runs = json.loads(sys.argv[1])
fn = trop.compile(text, threads=1).f
rng = np.random.default_rng(0)
args = [rng.uniform(-1, 1, s).astype(np.float32) for s in shapes]
fn(*args)
cpu, wall = [], []
for _ in range(runs):
    t0, c0 = time.perf_counter(), time.thread_time()
    fn(*args)
    cpu.append(time.thread_time() - c0); wall.append(time.perf_counter() - t0)
print(json.dumps([min(cpu) * 1e3, min(wall) * 1e3]))
'''
ATTR = "{dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}"
def conv(n, h, w, c, f):
    xt = f"tensor<{n}x{h+2}x{w+2}x{c}xf32>"; wt = f"tensor<3x3x{c}x{f}xf32>"; yt = f"tensor<{n}x{h}x{w}x{f}xf32>"
    return (f"func.func @f(%x: {xt}, %w: {wt}) -> {yt} {{\n %z = arith.constant 0.0 : f32\n"
            f" %e = tensor.empty() : {yt}\n %y0 = linalg.fill ins(%z : f32) outs(%e : {yt}) -> {yt}\n"
            f" %y = linalg.conv_2d_nhwc_hwcf {ATTR} ins(%x, %w : {xt}, {wt}) outs(%y0 : {yt}) -> {yt}\n"
            f" return %y : {yt}\n}}\n"), [(n, h+2, w+2, c), (3, 3, c, f)], n*h*w*f*9*c
def dw(n, h, w, c):
    xt = f"tensor<{n}x{h+2}x{w+2}x{c}xf32>"; wt = f"tensor<3x3x{c}xf32>"; yt = f"tensor<{n}x{h}x{w}x{c}xf32>"
    return (f"func.func @f(%x: {xt}, %w: {wt}) -> {yt} {{\n %z = arith.constant 0.0 : f32\n"
            f" %e = tensor.empty() : {yt}\n %y0 = linalg.fill ins(%z : f32) outs(%e : {yt}) -> {yt}\n"
            f" %y = linalg.depthwise_conv_2d_nhwc_hwc {ATTR} ins(%x, %w : {xt}, {wt}) outs(%y0 : {yt}) -> {yt}\n"
            f" return %y : {yt}\n}}\n"), [(n, h+2, w+2, c), (3, 3, c)], n*h*w*c*9
LAYERS = {
 "A conv1 3->128 32x32 b64": lambda: conv(64, 32, 32, 3, 128),
 "A conv1 3->128 32x32 b1": lambda: conv(1, 32, 32, 3, 128),
 "A conv2 128->128 16x16 b64": lambda: conv(64, 16, 16, 128, 128),
 "A conv3 128->256 8x8 b64": lambda: conv(64, 8, 8, 128, 256),
 "C dw 16ch 32x32 b64": lambda: dw(64, 32, 32, 16),
 "C dw 32ch 16x16 b64": lambda: dw(64, 16, 16, 32),
 "C dw 64ch 8x8 b64": lambda: dw(64, 8, 8, 64),
 "C dw 16ch 32x32 b1": lambda: dw(1, 32, 32, 16),
}
builds = dict(b.split("=") for b in sys.argv[1].split(","))
names = sys.argv[2].split(",") if len(sys.argv) > 2 else list(LAYERS)
rounds = int(os.environ.get("ROUNDS", 3)); runs = int(os.environ.get("RUNS", 10))
for name in names:
    text, shapes, fmas = LAYERS[name]()
    best = {b: [1e9, 1e9] for b in builds}
    for r in range(rounds):
        for b, d in builds.items():
            env = dict(os.environ, TROP_BUILD_DIR=d, PYTHONPATH=str(ROOT / "python"))
            out = subprocess.run(["/usr/bin/python3", "-c", CHILD, json.dumps([text, shapes, runs])],
                                 env=env, capture_output=True, text=True)
            if out.returncode: print(out.stderr[-1500:]); sys.exit(1)
            c, w = json.loads(out.stdout.strip().splitlines()[-1])
            best[b] = [min(best[b][0], c), min(best[b][1], w)]
    cells = "  ".join(f"{b}: cpu {v[0]:.3f} ms ({fmas/v[0]/1e6:.1f} GFMA/s cpu) wall {v[1]:.3f}" for b, v in best.items())
    print(f"{name}: {cells}  load {os.getloadavg()[0]:.1f}", flush=True)
