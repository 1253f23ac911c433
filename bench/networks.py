#!/usr/bin/env python3
"""Whole networks on trop's CPU pipeline against PyTorch eager (issue 15,
item 4): paper A's CIFAR-10 CNN with each head (relu, maxout, dense-morph,
sparse-morph, and each pruned with `--trop-prune{preset=paper-a}`) and paper
C's MPM-ResNet-20, the PyTorch models of bench/models/ (written from
../shared/research/seeds-methods.md §1.2 and §3.2).

For each network, batch size and thread count:
  * export: trop.export(model, x) (parameters as constants), then, for the
    pruned rows, trop.passes.run(ir, "trop-prune{preset=paper-a
    ratios=R1,R2}");
  * compile: trop.compile(ir, pipeline="cpu", threads=T);
  * check: the compiled result against PyTorch eager on the same input
    (float64 error relative to the output's largest magnitude at most
    --tolerance: the linear layers use fused multiply-adds and another
    summation order, so they are not bit-identical; the tropical layers are
    exact). A pruned network has no PyTorch twin: it is checked against
    trop's reference lowering of the same pruned IR instead;
  * time: trop's Function.benchmark (the C API's timed calls, arguments
    copied once) and PyTorch eager under torch.inference_mode() with
    torch.set_num_threads(T) on the same NCHW input; the fastest call of
    --runs after one warm-up call (on a shared machine the fastest call is the
    one least disturbed by other processes). The pruned rows' PyTorch time is
    the unpruned network's: eager's dense kernels take the same time whatever
    the weights' values.

Per-layer breakdown (--breakdown, on by default for batch 64 and 1 thread
or as given by --breakdown-batch/--breakdown-threads): every layer (leaf
module, or a paper C MPMConv's MorphConv2d and ConvLinAct) is exported and
compiled on its own, on the input it receives inside the network (captured
with a forward hook), and timed like the whole network; PyTorch eager times
the same module on the same input. 4-D tensors cross the boundary of a
layer's own trop function in NHWC (the layout trop keeps between layers),
so that a layer's time holds no layout transpose the whole network would
not do. The whole network's time minus the layers' sum is "rest": what no
layer holds (residual adds, the zero-channel padding of widening shortcuts,
the input and output transposes) and what fusion across layers saves
(negative then).

Linear 3 × 3 convolutions (paper A's conv1..conv5) in the breakdown are
also given in G multiply-adds/s and as a fraction of the FMA ceiling probe
(bench/fma_ceiling.c, built with cc -march=native, best of 3 runs after the
layers, same thread count).

Prints one Markdown table naming the CPU (lscpu's model name), the vector
ISA of the host and the load average.

Usage: /usr/bin/python3 bench/networks.py [--build build] [--runs 10]
           [--quick] [--networks NAME,...] [--batches 1,64] [--threads 1,2]
"""

import argparse
import importlib
import importlib.util
import os
import re
import subprocess
import sys
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "python"))

import torch  # noqa: E402
from torch import nn  # noqa: E402

import trop  # noqa: E402
import trop.passes  # noqa: E402


def _load_models():
    """bench/models/ under a name of its own: python/tests has a `models`
    package too, which pytest may have imported first."""
    name, where = "trop_bench_models", ROOT / "bench" / "models"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            name, where / "__init__.py", submodule_search_locations=[str(where)])
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    return (importlib.import_module(f"{name}.paper_a"),
            importlib.import_module(f"{name}.paper_c"))


paper_a, paper_c = _load_models()

#: Paper A's head pruning ratios (r1, r2) for the pruned rows: a row of paper
#: A's CIFAR table (seeds-methods.md §1.4) where Sparse-Morph keeps 66 %.
PRUNE_RATIOS = (0.8, 0.7)


def cpu_model():
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    m = re.search(r"Model name:\s*(.+)", out)
    return m.group(1).strip() if m else "unknown CPU"


def vector_isa():
    """The widest x86 vector ISA of the host (what trop's kernels target)."""
    try:
        flags = set(re.search(r"^flags\s*:(.*)$", Path("/proc/cpuinfo").read_text(),
                              re.M).group(1).split())
    except (OSError, AttributeError):
        return "unknown"
    if "avx512f" in flags:
        return "AVX-512 (32 × 512-bit registers)"
    if "avx2" in flags:
        return "AVX2 (16 × 256-bit registers)"
    if "avx" in flags:
        return "AVX (16 × 256-bit registers)"
    return "SSE (128-bit registers)"


class Network:
    """A benchmark network: a name, a model factory and its input shape."""

    def __init__(self, name, make, shape, prune=None):
        self.name, self.make, self.shape, self.prune = name, make, shape, prune


def networks(quick):
    """The networks, full size or (quick) small enough for a smoke test."""
    if quick:
        a = dict(scale=16, n_hid=64)
        a_shape, c_scale, c_blocks, c_shape = (3, 32, 32), 4, 1, (3, 16, 16)
    else:
        a = dict(scale=1, n_hid=512)
        a_shape, c_scale, c_blocks, c_shape = (3, 32, 32), 1, 3, (3, 32, 32)
    out = []
    for head in paper_a.HEADS:
        def make(head=head):
            torch.manual_seed(0)
            return paper_a.cifar_cnn(head, **a)
        out.append(Network(f"A-{head}", make, a_shape))
        out.append(Network(f"A-{head}-pruned", make, a_shape, prune=head))
    out.append(Network("C-mpm-resnet20",
                       lambda: paper_c.mpm_resnet20(c_scale, c_blocks), c_shape))
    return out


def prune_ir(ir, head):
    ratios = ",".join(str(r) for r in PRUNE_RATIOS)
    return trop.passes.run(ir, f"trop-prune{{preset=paper-a ratios={ratios} "
                               f"head={head}}}").text


def relative_error(actual, expected):
    """max |actual − expected| over the largest |expected| (float64)."""
    actual = np.asarray(actual, np.float64)
    expected = np.asarray(expected, np.float64)
    if actual.shape != expected.shape:
        return float("inf")
    scale = max(float(np.max(np.abs(expected), initial=0.0)), 1e-30)
    return float(np.max(np.abs(actual - expected), initial=0.0)) / scale


def torch_ms(fn, x, threads, runs):
    """The fastest of `runs` eager calls after one warm-up, in ms."""
    torch.set_num_threads(threads)
    with torch.inference_mode():
        fn(x)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            fn(x)
            times.append(time.perf_counter() - t0)
    return min(times) * 1e3


def trop_ms(fn, args, runs):
    return min(fn.benchmark(*args, runs=runs)) * 1e3


def runs_for(seconds_per_call, runs, budget):
    """Fewer calls for slow functions: at most `budget` seconds, at least 3."""
    return max(3, min(runs, int(budget / max(seconds_per_call, 1e-9))))


# -- per-layer breakdown ------------------------------------------------------

class NHWC(nn.Module):
    """`module` with 4-D inputs and outputs in NHWC, as trop stores them."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        if x.dim() == 4:
            x = x.permute(0, 3, 1, 2)
        y = self.module(x)
        return y.permute(0, 2, 3, 1) if y.dim() == 4 else y


def breakdown_layers(model):
    """(name, module) of the layers timed one by one, in forward order."""
    layers = []
    for name, m in model.named_modules():
        if isinstance(m, (paper_c.MPMConv,)):
            continue
        if isinstance(m, (paper_c.ConvLinAct, nn.Conv2d, nn.Linear, nn.BatchNorm1d,
                          nn.BatchNorm2d, nn.ReLU, nn.MaxPool2d, nn.Dropout,
                          paper_a.GlobalMaxPool, paper_c.GlobalAvgPool,
                          trop.nn.MaxPlus, trop.nn.Maxout, trop.nn.MorphConv2d)):
            if any(name.startswith(p + ".") for p, _ in layers):
                continue  # inside a layer already listed (ConvLinAct's conv)
            layers.append((name, m))
    return layers


def capture_inputs(model, layers, x):
    """The input each layer receives in the network's forward."""
    seen = OrderedDict()

    def hook(name):
        def record(module, inputs, output):
            seen.setdefault(name, inputs[0].detach().clone())  # returns None
        return record
    hooks = [m.register_forward_hook(hook(name)) for name, m in layers]
    with torch.inference_mode():
        model(x)
    for h in hooks:
        h.remove()
    return seen


def breakdown(model, x, threads, runs, budget, tolerance):
    """Per-layer (name, kind, trop ms, torch ms) and the worst error."""
    layers = breakdown_layers(model)
    inputs = capture_inputs(model, layers, x)
    rows, worst = [], 0.0
    for name, m in layers:
        xin = inputs[name]
        if isinstance(m, nn.Dropout):
            continue  # the identity in eval mode: exported as nothing
        wrapped = NHWC(m).eval()
        xt = xin.permute(0, 2, 3, 1).contiguous() if xin.dim() == 4 else xin
        fn = trop.compile(trop.export(wrapped, xt), threads=threads).forward
        with torch.inference_mode():
            expected = wrapped(xt).numpy()
        worst = max(worst, relative_error(fn(xt.numpy()), expected))
        first = trop_ms(fn, [xt.numpy()], 1) / 1e3
        t = trop_ms(fn, [xt.numpy()], runs_for(first, runs, budget))
        first = torch_ms(m, xin, threads, 1) / 1e3
        e = torch_ms(m, xin, threads, runs_for(first, runs, budget))
        rows.append((name, type(m).__name__, t, e, conv_fmas(m, xin)))
    return rows, worst


def conv_fmas(m, x):
    """Multiply-adds of a linear full convolution (nn.Conv2d, groups 1) on
    input x, else 0."""
    if not isinstance(m, nn.Conv2d) or m.groups != 1:
        return 0
    with torch.inference_mode():
        out = m(x)
    kh, kw = m.kernel_size
    return out.numel() * m.in_channels * kh * kw


def fma_probe(threads, tries=3):
    """The best f32 rate (G multiply-adds/s) of bench/fma_ceiling.c, built
    for this host, over `tries` runs, and its ISA; None where no C compiler
    or no x86 vector ISA."""
    import tempfile
    exe = Path(tempfile.mkdtemp(prefix="trop-networks-")) / "fma_ceiling"
    try:
        subprocess.run(["cc", "-O2", "-march=native", "-pthread",
                        str(ROOT / "bench" / "fma_ceiling.c"), "-o", str(exe)],
                       check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    best, isa = 0.0, "?"
    for _ in range(tries):
        out = subprocess.run([str(exe), str(threads)], capture_output=True,
                             text=True, check=True).stdout
        isa = re.search(r"isa=(\w+)", out).group(1)
        best = max(best, float(re.search(r"type=f32 threads=\d+ gups=([0-9.]+)",
                                         out).group(1)))
    return best, isa


# -- whole networks -----------------------------------------------------------

def measure(net, batch, threads, runs, budget, tolerance, cache):
    """One row: (network, batch, threads, trop ms, torch ms, error, checked
    against)."""
    key = (net.name, batch)
    if key not in cache:
        model = net.make()
        gen = torch.Generator().manual_seed(batch)
        x = torch.randn(batch, *net.shape, generator=gen)
        ir = trop.export(model, x)
        if net.prune:
            ir = prune_ir(ir, net.prune)
        cache[key] = (model, x, ir, {})
    model, x, ir, compiled = cache[key]
    if threads not in compiled:
        compiled[threads] = trop.compile(ir, threads=threads).forward
    fn = compiled[threads]
    y = fn(x.numpy())
    if net.prune:
        against = "trop reference"
        expected = trop.compile(ir, pipeline="reference").forward(x.numpy())
    else:
        against = "PyTorch eager"
        with torch.inference_mode():
            expected = model(x).numpy()
    err = relative_error(y, expected)
    first = trop_ms(fn, [x.numpy()], 1) / 1e3
    t = trop_ms(fn, [x.numpy()], runs_for(first, runs, budget))
    eager_key = (net.name.replace("-pruned", ""), batch, threads)
    if eager_key not in cache:
        first = torch_ms(model, x, threads, 1) / 1e3
        cache[eager_key] = torch_ms(model, x, threads, runs_for(first, runs, budget))
    return (net.name, batch, threads, t, cache[eager_key], err, against)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default=None,
                        help="build tree whose libTropCAPI.so to use (default: "
                             "$TROP_BUILD_DIR or build/)")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds of timed calls per measurement at most "
                             "(slow functions get fewer than --runs calls, at least 3)")
    parser.add_argument("--quick", action="store_true",
                        help="small networks, batch 1 and 2, 1 thread, 3 runs")
    parser.add_argument("--networks", default="",
                        help="comma-separated names (prefixes) to run")
    parser.add_argument("--batches", default=None)
    parser.add_argument("--threads", default=None)
    parser.add_argument("--breakdown", default="all",
                        help="networks (prefixes) with a per-layer breakdown, "
                             "'all' or 'none'")
    parser.add_argument("--breakdown-batch", type=int, default=None)
    parser.add_argument("--breakdown-threads", type=int, default=1)
    parser.add_argument("--tolerance", type=float, default=1e-4,
                        help="largest error allowed, relative to the largest "
                             "output magnitude")
    args = parser.parse_args(argv)
    if args.build:
        os.environ["TROP_BUILD_DIR"] = str(Path(args.build).resolve())
    batches = [int(b) for b in (args.batches or ("1,2" if args.quick else "1,64")).split(",")]
    threads = [int(t) for t in (args.threads or ("1" if args.quick else "1,2")).split(",")]
    runs = 3 if args.quick else args.runs
    bd_batch = args.breakdown_batch or max(batches)
    selected = [n for n in networks(args.quick)
                if not args.networks or any(n.name.startswith(p)
                                            for p in args.networks.split(","))]
    torch.manual_seed(0)
    started = time.time()
    rows, failures, cache = [], [], {}
    for net in selected:
        for batch in batches:
            for t in threads:
                row = measure(net, batch, t, runs, args.budget, args.tolerance, cache)
                rows.append(row)
                if not row[5] <= args.tolerance:
                    failures.append(f"{row[0]} batch {batch} threads {t}: error "
                                    f"{row[5]:.2e} against {row[6]}")
                print(f"# {row[0]} batch {batch} threads {t}: trop {row[3]:.3f} ms, "
                      f"torch {row[4]:.3f} ms, error {row[5]:.1e}", file=sys.stderr)
            cache.pop((net.name, batch), None)
    breakdowns = []
    for net in selected:
        if net.prune or args.breakdown == "none" or (
                args.breakdown != "all"
                and not any(net.name.startswith(p) for p in args.breakdown.split(","))):
            continue
        model = net.make()
        x = torch.randn(bd_batch, *net.shape, generator=torch.Generator().manual_seed(7))
        layer_rows, err = breakdown(model, x, args.breakdown_threads, runs, args.budget,
                                    args.tolerance)
        if not err <= args.tolerance:
            failures.append(f"{net.name} layers: error {err:.2e}")
        whole = next((r for r in rows if r[0] == net.name and r[1] == bd_batch
                      and r[2] == args.breakdown_threads), None)
        breakdowns.append((net.name, layer_rows, whole))

    load = os.getloadavg()[0]
    print(f"CPU: {cpu_model()}; vector ISA: {vector_isa()}; {os.cpu_count()} logical "
          f"CPUs; load average at the end: {load:.1f}; {time.time() - started:.0f} s. "
          f"trop: CPU pipeline (JIT); PyTorch {torch.__version__} eager "
          f"(oneDNN: {torch.backends.mkldnn.is_available()}). Fastest of up to {runs} "
          f"calls after a warm-up.\n")
    print("| network | batch | threads | trop ms | PyTorch eager ms | eager / trop "
          "| error | checked against |")
    print("|---|--:|--:|--:|--:|--:|--:|---|")
    for name, batch, t, tt, te, err, against in rows:
        print(f"| {name} | {batch} | {t} | {tt:.3f} | {te:.3f} | {te / tt:.2f}× "
              f"| {err:.1e} | {against} |")
    for name, layer_rows, whole in breakdowns:
        print(f"\nPer-layer breakdown, {name}, batch {bd_batch}, "
              f"{args.breakdown_threads} thread(s) (each layer compiled alone):\n")
        print("| layer | kind | trop ms | PyTorch eager ms | eager / trop |")
        print("|---|---|--:|--:|--:|")
        for lname, kind, t, e, _ in layer_rows:
            print(f"| {lname} | {kind} | {t:.4f} | {e:.4f} | {e / t:.2f}× |")
        st = sum(r[2] for r in layer_rows)
        se = sum(r[3] for r in layer_rows)
        print(f"| sum of layers | | {st:.4f} | {se:.4f} | {se / st:.2f}× |")
        if whole:
            print(f"| rest (whole − sum) | | {whole[3] - st:.4f} | {whole[4] - se:.4f} | |")
    convs = [(name, r) for name, layer_rows, _ in breakdowns for r in layer_rows if r[4]]
    probe = fma_probe(args.breakdown_threads) if convs else None
    if probe:
        print(f"\nLinear convolutions against the FMA probe (bench/fma_ceiling.c, "
              f"isa={probe[1]}, best of 3 runs right after the layers: "
              f"{probe[0]:.1f} G FMA/s on {args.breakdown_threads} thread(s)); the "
              f"layer's time includes its zero padding (a tensor.pad copy):\n")
        print("| network | layer | M FMA | trop G FMA/s | % of probe |")
        print("|---|---|--:|--:|--:|")
        for name, (lname, _, t, _, fmas) in convs:
            rate = fmas / t / 1e6
            print(f"| {name} | {lname} | {fmas / 1e6:.1f} | {rate:.1f} "
                  f"| {100 * rate / probe[0]:.0f} % |")
    if failures:
        print("\nFAILED checks:\n" + "\n".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
