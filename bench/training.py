#!/usr/bin/env python3
"""One training step (forward + backward + SGD update) of tropical layers:
trop's compiled kernels (trop.training) against the papers' eager PyTorch
code, with the time of a step and its peak memory; and the rate of the
forward (trop.matmul_winners) and backward (trop.route_to_winners) kernels
against the plain trop.matmul kernel.

Workloads, batch 256, float32, 1 and 2 threads (torch.set_num_threads and
trop's threads alike):
  * maxplus 512->512: one max-plus layer with bias, loss sum((y - t)^2);
  * paper A head: paper A's Dense-Morph head (Linear 512->512 without bias,
    BatchNorm1d, max-plus 512->512, Linear 512->10), cross-entropy.
The eager max-plus layer is paper A's code: broadcast x.unsqueeze(1) + W to
batch x out x in, concatenate the bias column, torch.max over the last
dimension (autograd routes to the returned index). trop's is
trop.nn.MaxPlus after trop.training.compile_training.

Each configuration runs in its own subprocess. Time: the fastest of --steps
steps after two warm-up steps (the first compiles trop's kernels). Peak
memory: after the warm-up the process's peak resident set (VmHWM) is reset
to its current size by writing 5 to /proc/self/clear_refs, then the steps
run, and the peak is VmHWM minus the resident size before them, i.e. the
most memory the training steps held at once beyond the resting state
(parameters, inputs, compiled code). MALLOC_MMAP_THRESHOLD_ is fixed at
128 KiB so that large tensors are mapped and unmapped rather than kept in
the heap, where a freed block would hide from the measure. OMP_WAIT_POLICY
is passive in every process: PyTorch's OpenMP runtime and trop's would
otherwise keep idle workers spinning and take the cores from each other.

With --md FILE, the report also replaces the "## Training" section of FILE
(appended when it has none), e.g. docs/benchmarks.md, whose other sections
bench/bench.py writes.

Usage: /usr/bin/python3 bench/training.py [--build build] [--steps 10] [--quick]
                                          [--md docs/benchmarks.md]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from cpuinfo import cpu_name  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BATCH, WIDTH, CLASSES = 256, 512, 10


def _status_kib(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field)


def _paper_a_maxplus():
    """Paper A's max-plus layer as its code computes it."""
    import torch

    class PaperAMaxPlus(torch.nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.randn(n_out, n_in))
            self.bias = torch.nn.Parameter(torch.randn(n_out))

        def forward(self, x):
            s = x.unsqueeze(1) + self.weight
            b = self.bias.view(1, -1, 1).expand(x.shape[0], -1, 1)
            return torch.max(torch.cat([s, b], dim=2), dim=2)[0]

    return PaperAMaxPlus(WIDTH, WIDTH)


def _model(workload, impl, threads):
    import torch
    from trop import nn as tnn
    from trop.training import compile_training
    torch.manual_seed(0)
    if impl == "eager":
        layer = _paper_a_maxplus()
    else:
        layer = tnn.MaxPlus(WIDTH, WIDTH)
        compile_training(layer, pipeline="cpu", threads=threads)
    if workload == "maxplus":
        return layer
    return torch.nn.Sequential(torch.nn.Linear(WIDTH, WIDTH, bias=False),
                               torch.nn.BatchNorm1d(WIDTH), layer,
                               torch.nn.Linear(WIDTH, CLASSES))


def child_step(workload, impl, threads, steps):
    import torch
    torch.set_num_threads(threads)
    model = _model(workload, impl, threads)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(1)
    x = torch.randn(BATCH, WIDTH, generator=g)
    if workload == "maxplus":
        target = torch.randn(BATCH, WIDTH, generator=g)

        def loss_fn(y):
            return (y - target).square().sum()
    else:
        labels = torch.randint(0, CLASSES, (BATCH,), generator=g)

        def loss_fn(y):
            return torch.nn.functional.cross_entropy(y, labels)

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x)).backward()
        opt.step()

    for _ in range(2):
        step()
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    base = _status_kib("VmRSS")
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    peak = _status_kib("VmHWM") - base
    return {"step_s": min(times), "peak_mib": peak / 1024}


def child_kernels(threads, runs):
    """Forward, backward and plain matmul kernels of the 512->512 layer at
    batch 256, called as trop.training calls them, interleaved."""
    import numpy as np
    from trop import training
    m, k, n = BATCH, WIDTH, WIDTH
    rng = np.random.default_rng(0)
    x = rng.standard_normal((m, k)).astype(np.float32)
    wt = rng.standard_normal((k, n)).astype(np.float32)
    init = np.broadcast_to(rng.standard_normal(n).astype(np.float32), (m, n)).copy()
    minus_one = np.full((m, n), -1, np.int64)
    fwd = training._kernel("forward", training._forward_source("max_plus", "f32", m, k, n),
                           "cpu", threads, "assume-none")
    bwd = training._kernel("backward", training._backward_source("f32", m, k, n),
                           "cpu", threads)
    plain_src = (f"func.func @f(%a: tensor<{m}x{k}xf32>, %b: tensor<{k}x{n}xf32>, "
                 f"%c: tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32> {{\n"
                 f"  %y = trop.matmul <max_plus> ins(%a, %b : tensor<{m}x{k}xf32>, "
                 f"tensor<{k}x{n}xf32>) outs(%c : tensor<{m}x{n}xf32>) -> tensor<{m}x{n}xf32>\n"
                 f"  return %y : tensor<{m}x{n}xf32>\n}}\n")
    plain = training._kernel("f", plain_src, "cpu", threads, "assume-none")
    y, winners = fwd(x, wt, init, minus_one)
    grad = rng.standard_normal((m, n)).astype(np.float32)
    zero_x, zero_w = np.zeros((m, k), np.float32), np.zeros((k, n), np.float32)
    calls = {"matmul": lambda: plain(x, wt, init),
             "forward": lambda: fwd(x, wt, init, minus_one),
             "backward": lambda: bwd(grad, winners, zero_x, zero_w)}
    best = {name: float("inf") for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            t0 = time.perf_counter()
            call()
            best[name] = min(best[name], time.perf_counter() - t0)
    return {name: m * n * k / t / 1e9 for name, t in best.items()}


def run_child(args, extra):
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072", OMP_WAIT_POLICY="passive",
               TROP_BUILD_DIR=str(Path(args.build).resolve()),
               PYTHONPATH=str(ROOT / "python"))
    out = subprocess.run([sys.executable, __file__, "--child", *extra,
                          "--steps", str(args.steps)],
                         env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])




def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--quick", action="store_true",
                        help="one thread count and 3 steps (a smoke run)")
    parser.add_argument("--md", help="also write the report as the \"## Training\" "
                        "section of this Markdown file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "step":
            result = child_step(rest[0], rest[1], int(rest[2]), args.steps)
        else:
            result = child_kernels(int(rest[0]), args.steps)
        print(json.dumps(result))
        return
    if args.quick:
        args.steps = 3
    report = measure(args)
    print("\n".join(report))
    if args.md:
        write_section(Path(args.md), report, args)


def measure(args):
    """Runs every configuration; returns the report's Markdown lines."""
    thread_counts = [1] if args.quick else [1, 2]
    load = os.getloadavg()
    lines = ["| workload | threads | eager step | trop step | speed-up | "
             "eager peak | trop peak | less memory |",
             "|---|--:|--:|--:|--:|--:|--:|--:|"]
    for workload, label in (("maxplus", "max-plus 512→512"),
                            ("head", "paper A Dense-Morph head")):
        for threads in thread_counts:
            r = {impl: run_child(args, ["step", workload, impl, str(threads)])
                 for impl in ("eager", "trop")}
            e, t = r["eager"], r["trop"]
            lines.append(
                f"| {label} | {threads} | {e['step_s'] * 1e3:.1f} ms | "
                f"{t['step_s'] * 1e3:.2f} ms | {e['step_s'] / t['step_s']:.1f}× | "
                f"{e['peak_mib']:.0f} MiB | {t['peak_mib']:.1f} MiB | "
                f"{e['peak_mib'] / max(t['peak_mib'], 1e-3):.0f}× |")
    lines += ["", "| threads | trop.matmul | forward (matmul_winners) | backward "
              "(route_to_winners) | forward / matmul | backward / forward |",
              "|--:|--:|--:|--:|--:|--:|"]
    for threads in thread_counts:
        r = run_child(args, ["kernels", str(threads)])
        lines.append(f"| {threads} | {r['matmul']:.2f} | {r['forward']:.2f} | "
                     f"{r['backward']:.1f} | {r['forward'] / r['matmul']:.0%} | "
                     f"{r['backward'] / r['forward']:.0%} |")
    end = os.getloadavg()
    lines += ["", f"- CPU: {cpu_name()}, {os.cpu_count()} logical CPU(s); load average "
              f"(1 min) at start / end: {load[0]:.1f} / {end[0]:.1f}."]
    return lines


def write_section(path, report, args):
    """Replaces (or appends) the "## Training" section of `path`."""
    command = "/usr/bin/python3 bench/training.py --steps " + str(args.steps)
    body = ["## Training", "",
            f"Written by `{command} --md {path.name}` (bench/training.py; "
            "bench/bench.py rewrites the sections it generates and keeps "
            "this one). One training step (forward, "
            "backward, SGD update), batch 256, float32: trop's compiled "
            "kernels (`trop.training.compile_training`) against the papers' "
            "eager PyTorch code (`x.unsqueeze(1) + W`, the bias column "
            "concatenated, `torch.max(dim=2)`); the fastest of "
            f"{args.steps} steps after two warm-up steps, each configuration "
            "in its own process. *Peak*: the most resident memory the steps "
            "held beyond the process's state before them (VmHWM after "
            "resetting it through /proc/self/clear_refs, minus VmRSS; "
            "MALLOC_MMAP_THRESHOLD_=131072 so that freed tensors leave the "
            "resident set). OMP_WAIT_POLICY=passive in every process: PyTorch's and "
            "trop's OpenMP runtimes otherwise keep their idle workers spinning, "
            "which on a small shared machine takes the cores from each other "
            "(2-thread trop steps measured 4-6× slower). Kernel rates: G updates/s, the layer's "
            "256·512·512 updates over each kernel's fastest call (the "
            "backward does O(M·N) work, so its rate is relative to the same "
            "nominal work), called as trop.training calls them.", ""]
    body += report + [""]
    text = path.read_text() if path.exists() else ""
    start = text.find("\n## Training\n")
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + "\n".join(body)
    else:
        nxt = text.find("\n## ", start + 1)
        rest = text[nxt:] if nxt >= 0 else "\n"
        text = text[:start + 1] + "\n".join(body) + rest
    path.write_text(text.rstrip("\n") + "\n")

if __name__ == "__main__":
    main()
