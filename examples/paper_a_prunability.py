#!/usr/bin/env python3
"""Paper A's prunability claim, reproduced in kind on scikit-learn's digits.

Paper A (Fotopoulos, Garoufis, Maragos 2025; ../shared/research/
seeds-methods.md §1) claims that a morphological layer between the two
linear layers of a classification head makes the head more prunable under
one-shot L1 magnitude pruning than a ReLU head, and that its sparsely
initialised max-plus layer (Sparse-Morph) does so best. This script:

1. trains paper A's four heads (``relu``, ``maxout``, ``dense-morph``,
   ``sparse-morph``; bench/models/paper_a.py's ``Head``, scaled from the
   paper's 256 → 512 → 10 to digits' 64 pixels: 64 → 128 → 10) on
   ``sklearn.datasets.load_digits()`` with a fixed split, paper A's
   training (Adam, lr 1e-3, batch 64, the best epoch on an 80/20
   train/validation split), the max-plus layers on trop's compiled forward
   and backward kernels (``trop.training.compile_training``), for several
   seeds;
2. exports each trained head (``trop.export``, parameters as constants),
   prunes it with paper A's parameter-matched protocol through the compiler
   (``--trop-prune preset=paper-a``, docs/pruning.md) at a range of ratios,
   compiles the pruned module with the CPU pipeline and measures its test
   accuracy;
3. writes the results (CSV and JSON) and a plot of accuracy against the
   pruning ratio per head (PNG), by default into docs/.

Two inputs (``--features``):

- ``pixels`` (the default): the head alone on digits' 64 pixels. Paper A
  prunes only the head, on features of a trained CNN; digits' 8 × 8 images
  are already a 64-number feature vector on which a head alone reaches
  about 97 %, so every accuracy change comes from pruning the head, and the
  full run costs under 3 minutes of one core. The price: a 64 → 128 → 10
  head, in which Sparse-Morph's finite max-plus weights take a 4× larger
  share of the pruned budget than in the paper's.
- ``cnn``: paper A's CNN (bench/models/paper_a.py's ``CifarCNN`` with three
  [conv 3×3 → BN → ReLU → max pool 2] blocks of 32, 64 and 256 channels
  for the 8 × 8 × 1 images, a global max pool) trained end to end with
  each head, which is then paper A's own 256 → 512 → 10; only the head is
  pruned and compiled, on the backbone's test-set features (computed once
  by PyTorch), as in the paper. About 9 minutes of one core with
  ``--epochs 20``.

docs/paper-a-prunability.md states the results and what they do and do not
show.

    /usr/bin/python3 examples/paper_a_prunability.py            # full run
    /usr/bin/python3 examples/paper_a_prunability.py --features cnn --epochs 20
    /usr/bin/python3 examples/paper_a_prunability.py --quick    # a smoke run

Needs trop's build (TROP_BUILD_DIR or build/), scikit-learn and matplotlib.
"""

import argparse
import csv
import json
import os
import re
import sys
import time

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
for _path in (ROOT, os.path.join(ROOT, "python")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

import trop  # noqa: E402
import trop.passes  # noqa: E402
import trop.training  # noqa: E402
from bench.models.paper_a import HEADS, CifarCNN, Head  # noqa: E402

#: The heads' sizes (n_in, n_hid, classes) by input: on digits' 64 pixels,
#: paper A's 256 → 512 scaled by the same factor 2; on the features of a
#: small CNN (``cnn``), paper A's own head.
SIZES = {"pixels": (64, 128, 10), "cnn": (256, 512, 10)}
#: The CNN for ``--features cnn``: paper A's CIFAR-10 network
#: (bench/models/paper_a.py's CifarCNN: [conv 3×3 → BN → ReLU → max pool 2]
#: blocks, a global max pool, the head), with three blocks for 8 × 8 × 1
#: digits instead of five for 32 × 32 × 3 images.
CNN_CHANNELS = (32, 64, 256)
N_CLASSES = 10
#: The ratios r of the sweeps (the full run; --quick uses two of them).
RATIOS = (0.0, 0.5, 0.7, 0.8, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99)
#: Two sweeps: both linear layers of the ReLU baseline at r (r1 = r2 = r),
#: and the first at r with the last at 0.7, the first column of paper A's
#: CIFAR-10 table (r1 varies, r2 = 0.7).
SWEEPS = {"r1=r2": lambda r: (r, r), "r2=0.7": lambda r: (r, 0.7)}


def layer_shapes(method, n_in, n_hid, n_cls):
    """The head's weight shapes (in × out, as exported), in order."""
    if method == "maxout":
        return [(n_in, 2 * n_hid), (n_hid, n_cls)]
    if method == "relu":
        return [(n_in, n_hid), (n_hid, n_cls)]
    return [(n_in, n_hid), (n_hid, n_hid), (n_hid, n_cls)]


def build_model(method, features):
    """Paper A's head on the pixels, or paper A's CNN with that head."""
    n_in, n_hid, n_cls = SIZES[features]
    if features == "pixels":
        return Head(method, n_in, n_hid, n_cls)
    return CifarCNN(method, CNN_CHANNELS, n_hid, n_cls, in_channels=1)


def as_input(x, features):
    """The model's input: the 64 pixels, or the 1 × 8 × 8 image."""
    x = torch.from_numpy(x)
    return x if features == "pixels" else x.view(-1, 1, 8, 8)


def load_data():
    """Digits, split once: 25 % test (stratified, random_state 0), the rest
    80/20 into train and validation (paper A's split); pixels standardised
    with the training set's statistics."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x = digits.data.astype(np.float32)
    y = digits.target.astype(np.int64)
    x_rest, x_test, y_rest, y_test = train_test_split(
        x, y, test_size=0.25, stratify=y, random_state=0)
    x_train, x_val, y_train, y_val = train_test_split(
        x_rest, y_rest, test_size=0.2, stratify=y_rest, random_state=0)
    mean = x_train.mean(0)
    std = x_train.std(0)
    std[std == 0] = 1.0
    def norm(a):
        return ((a - mean) / std).astype(np.float32)
    return {"train": (norm(x_train), y_train), "val": (norm(x_val), y_val),
            "test": (norm(x_test), y_test)}


def accuracy(logits, labels):
    return float((np.asarray(logits).argmax(1) == labels).mean())


def train_head(method, seed, data, epochs, features="pixels", batch=64, lr=1e-3):
    """Paper A's training of one head: Adam, cross-entropy, batch 64 (the
    last partial batch dropped, so the compiled kernels see one shape),
    keeping the epoch with the best validation accuracy. The max-plus layers
    and the maxout run on trop's compiled kernels. Returns the model (eval mode) and the
    best validation accuracy."""
    torch.manual_seed(seed)
    model = build_model(method, features)
    switched = trop.training.compile_training(model, pipeline="cpu", threads=1)
    # compile_training switches trop.nn's MaxPlus (the morph heads) and
    # Maxout (tie rule "first") layers.
    assert switched == (0 if method == "relu" else 1)
    x_train = as_input(data["train"][0], features)
    y_train = torch.from_numpy(data["train"][1])
    x_val, y_val = as_input(data["val"][0], features), data["val"][1]
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    gen = torch.Generator().manual_seed(seed)
    best, best_state = -1.0, None
    for _ in range(epochs):
        model.train()
        order = torch.randperm(len(x_train), generator=gen)
        for start in range(0, len(order) - batch + 1, batch):
            idx = order[start:start + batch]
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = accuracy(model(x_val).numpy(), y_val)
        if acc > best:
            best = acc
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    return model.eval(), best


_CONSTANT = re.compile(r"arith\.constant dense<([^>]*)> : tensor<(\d+)x(\d+)xf32>")


def weight_matrices(ir):
    """The 2-D f32 constants of a module, as numpy arrays: the heads' weight
    matrices (biases and BatchNorm parameters are 1-D). Read from the text
    independently of the pass's report, to check what it says."""
    out = []
    for body, rows, cols in _CONSTANT.findall(ir):
        shape = (int(rows), int(cols))
        if body.startswith('"0x'):
            raw = bytes.fromhex(body[3:-1])
            a = np.frombuffer(raw, dtype="<f4")
        elif body.startswith("0x"):  # a splat's bit pattern
            a = np.array([int(body, 16)], dtype="<u4").view("<f4")
        else:
            a = np.array([float(v) for v in re.findall(r"[-+0-9.eEinfINF]+", body)],
                         dtype=np.float32)
        out.append(np.broadcast_to(a, shape[0] * shape[1]).reshape(shape)
                   if a.size == 1 else a.reshape(shape))
    return out


def pruned_counts(ir, method, sizes):
    """Per layer (in program order): (weights, weights at 𝟘/0). Linear
    layers count 0, max-plus layers −∞."""
    shapes = layer_shapes(method, *sizes)
    mats = weight_matrices(ir)
    by_shape = {m.shape: m for m in mats}
    counts = []
    for i, shape in enumerate(shapes):
        m = by_shape[shape]
        tropical = "morph" in method and i == 1
        zero = np.isneginf(m) if tropical else (m == 0)
        counts.append((int(m.size), int(zero.sum())))
    return counts


_RESULT = re.compile(r"preset result: (\d+) weights \+ (\d+) biases = (\d+) parameters kept "
                     r"\(ReLU baseline: (\d+)\)")


def prune(ir, method, r1, r2):
    """``--trop-prune preset=paper-a`` at (r1, r2): the pruned module's text
    and the pass's (weights, biases, params, baseline params) kept."""
    result = trop.passes.run(
        ir, f"trop-prune{{preset=paper-a head={method} ratios={r1:g},{r2:g} report=-}}")
    match = _RESULT.search(result.report)
    if not match:
        raise RuntimeError(f"no preset result in the report:\n{result.report}")
    return result.text, tuple(int(v) for v in match.groups())


def evaluate_pruning(model, method, seed, data, ratios, sweeps, log, features="pixels"):
    """Exports the trained head, compiles it unpruned, then prunes it at
    every (sweep, ratio) and runs the compiled pruned module on the test
    set. With a CNN, only the head is exported, pruned and compiled (paper
    A prunes only the head); the backbone's features of the test set are
    computed once by PyTorch. Returns the summary of the unpruned model and
    the rows."""
    x_test, y_test = data["test"]
    sizes = SIZES[features]
    with torch.no_grad():
        eager = model(as_input(x_test, features)).numpy()
        head, head_input = model, torch.from_numpy(x_test)
        if features == "cnn":
            head, head_input = model.head, model.features(as_input(x_test, features))
    # trop.export traces the eager formulation (the compiled training kernels
    # are opaque to its recorder); the pruned module is compiled anyway.
    trop.training.compile_training(model, enabled=False)
    ir = trop.export(head, head_input)
    head_input = head_input.numpy()
    base_logits = trop.compile(ir, threads=1).forward(head_input)
    summary = {"head": method, "seed": seed,
               "pytorch_accuracy": accuracy(eager, y_test),
               "compiled_accuracy": accuracy(base_logits, y_test),
               "compiled_vs_pytorch_max_abs_diff": float(np.abs(base_logits - eager).max()),
               "unpruned_counts": pruned_counts(ir, method, sizes)}
    rows = []
    for sweep in sweeps:
        for r in ratios:
            r1, r2 = SWEEPS[sweep](r)
            text, (weights, biases, params, baseline) = prune(ir, method, r1, r2)
            logits = trop.compile(text, threads=1).forward(head_input)
            counts = pruned_counts(text, method, sizes)
            rows.append({
                "head": method, "seed": seed, "sweep": sweep, "r1": r1, "r2": r2,
                "accuracy": accuracy(logits, y_test),
                "max_abs_diff_vs_unpruned": float(np.abs(logits - base_logits).max()),
                "weights_kept": weights, "biases": biases, "params_kept": params,
                "baseline_params": baseline,
                "layer_weights": ";".join(str(n) for n, _ in counts),
                "layer_pruned": ";".join(str(z) for _, z in counts),
            })
        log(f"  {method} seed {seed} {sweep}: " + " ".join(
            f"{row['r1']:g}:{100 * row['accuracy']:.1f}" for row in rows
            if row["sweep"] == sweep))
    return summary, rows


def aggregate(rows):
    """Mean and population std (paper A's np.std) of the accuracy over seeds,
    per (sweep, head, r1, r2)."""
    groups = {}
    for row in rows:
        groups.setdefault((row["sweep"], row["head"], row["r1"], row["r2"]),
                          []).append(row["accuracy"])
    return {key: (float(np.mean(v)), float(np.std(v)), len(v))
            for key, v in groups.items()}


def unpruned_stats(models):
    """Mean and population std of the unpruned compiled models' test
    accuracy, per head."""
    acc = {}
    for m in models:
        acc.setdefault(m["head"], []).append(m["compiled_accuracy"])
    return {h: (float(np.mean(v)), float(np.std(v)), len(v)) for h, v in acc.items()}


def plot(result, path):
    """Accuracy (mean ± std over seeds) against the ratio, one panel per
    sweep, one line per head; the first point ("none") is the unpruned
    model, since the preset prunes every head but ReLU already at 0 (the
    parameter match: their extra weights or biases are paid for)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stats = {(e["sweep"], e["head"], e["r1"], e["r2"]): (e["mean"], e["std"])
             for e in result["mean_std"]}
    base = unpruned_stats(result["models"])
    heads, ratios, sweeps = result["heads"], result["ratios"], result["sweeps"]
    fig, axes = plt.subplots(1, len(sweeps), figsize=(6.5 * len(sweeps), 4.6), squeeze=False)
    pos = np.arange(len(ratios) + 1)
    for ax, sweep in zip(axes[0], sweeps):
        for method in heads:
            points = [base[method][:2]] + [stats[(sweep, method) + SWEEPS[sweep](r)]
                                           for r in ratios]
            mean = np.array([100 * m for m, _ in points])
            std = np.array([100 * s for _, s in points])
            line, = ax.plot(pos, mean, marker="o", label=method)
            ax.fill_between(pos, mean - std, mean + std, color=line.get_color(), alpha=0.2)
        ax.axhline(100 / N_CLASSES, color="gray", linestyle=":", label="chance")
        ax.axvline(0.5, color="gray", linewidth=0.8)
        ax.set_xticks(pos)
        ax.set_xticklabels(["none"] + [f"{r:g}" for r in ratios])
        ax.set_xlabel("r1: the ReLU baseline's first-layer pruning ratio" +
                      (" (r2 = r1)" if sweep == "r1=r2" else " (r2 = 0.7)"))
        ax.set_ylabel("test accuracy (%)")
        ax.set_ylim(0, 100)
        ax.grid(alpha=0.3)
        ax.set_title(f"{sweep}: mean ± std over {result['seeds']} seeds", fontsize=9)
        ax.legend(fontsize=8, loc="lower left")
    n_in, n_hid, n_cls = result["sizes"]
    on = "pixels" if result.get("features", "pixels") == "pixels" else "a CNN's features"
    fig.suptitle(f"digits, heads {n_in} → {n_hid} → {n_cls} on {on}, trained on trop's "
                 "compiled kernels,\npruned by "
                 "--trop-prune preset=paper-a (one-shot, no fine-tuning)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def markdown_tables(result):
    """The results as Markdown tables, one per sweep: test accuracy (%) as
    mean ± std over the seeds per head and ratio, with the parameter budget
    every head keeps (the ReLU baseline's); docs/paper-a-prunability.md
    holds them as printed here from the committed JSON (a test checks)."""
    stats = {(e["sweep"], e["head"], e["r1"], e["r2"]): (e["mean"], e["std"])
             for e in result["mean_std"]}
    base = unpruned_stats(result["models"])
    n_in, n_hid, n_cls = result["sizes"]
    heads = result["heads"]
    def cell(mean, std):
        return f"{100 * mean:.1f} ± {100 * std:.1f}"
    tables = []
    for sweep in result["sweeps"]:
        lines = ["| r1 | r2 | params kept | " + " | ".join(heads) + " |",
                 "|---|---|---|" + "---|" * len(heads),
                 "| none | none | – | " + " | ".join(cell(*base[h][:2]) for h in heads) + " |"]
        for r in result["ratios"]:
            r1, r2 = SWEEPS[sweep](r)
            params = (n_in * n_hid - int(r1 * n_in * n_hid) + n_hid +
                      n_hid * n_cls - int(r2 * n_hid * n_cls) + n_cls)
            lines.append(f"| {r1:g} | {r2:g} | {params} | " +
                         " | ".join(cell(*stats[(sweep, h, r1, r2)]) for h in heads) + " |")
        tables.append("\n".join(lines))
    return tables


def paired_tables(rows, result):
    """Per sweep, each head against the ReLU head trained with the same seed
    at the same budget: the mean difference of test accuracy in percentage
    points and on how many seeds the head is more accurate (ties count as
    not more accurate). ``rows`` are the CSV's (strings or numbers)."""
    acc = {(r["sweep"], r["head"], int(r["seed"]), float(r["r1"])): float(r["accuracy"])
           for r in rows}
    others = [h for h in result["heads"] if h != "relu"]
    tables = []
    for sweep in result["sweeps"]:
        lines = ["| r1 | r2 | " + " | ".join(f"{h} − relu" for h in others) + " |",
                 "|---|---|" + "---|" * len(others)]
        for r in result["ratios"]:
            r1, r2 = SWEEPS[sweep](r)
            cells = []
            for h in others:
                diff = [acc[(sweep, h, s, r1)] - acc[(sweep, "relu", s, r1)]
                        for s in range(result["seeds"])]
                better = sum(d > 0 for d in diff)
                mean = round(100 * float(np.mean(diff)), 1) + 0.0  # no "-0.0"
                cells.append(f"{mean:+.1f} ({better}/{len(diff)})")
            lines.append(f"| {r1:g} | {r2:g} | " + " | ".join(cells) + " |")
        tables.append("\n".join(lines))
    return tables


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seeds", type=int, default=5,
                   help="models per head (paper A: 5); seeds 0 .. N-1")
    p.add_argument("--epochs", type=int, default=40, help="training epochs (default 40)")
    p.add_argument("--quick", action="store_true",
                   help="1 seed, 6 epochs, ratios 0 and 0.9, the r1=r2 sweep only")
    p.add_argument("--out", default=os.path.join(ROOT, "docs"),
                   help="folder for paper-a-prunability.{csv,json,png}")
    p.add_argument("--ratios", type=lambda v: tuple(float(r) for r in v.split(",")),
                   default=RATIOS, help="the sweeps' ratios r, comma-separated "
                   "(default: " + ",".join(f"{r:g}" for r in RATIOS) + ")")
    p.add_argument("--features", choices=tuple(SIZES), default="pixels",
                   help="the heads' input: the 64 pixels, or paper A's CNN (3 blocks) "
                        "trained with each head, whose 256 features feed a "
                        "256 → 512 → 10 head (output files get a -cnn suffix)")
    p.add_argument("--no-plot", action="store_true")
    p.add_argument("--replot", action="store_true",
                   help="only redraw the PNG from the JSON in --out and print "
                        "the Markdown tables")
    args = p.parse_args(argv)
    if args.quick:
        args.seeds, args.epochs = 1, 6
    return args


def main(argv=None, log=print):
    args = parse_args(argv)
    base = os.path.join(args.out, "paper-a-prunability" +
                        ("" if args.features == "pixels" else "-" + args.features))
    if args.replot:
        with open(base + ".json") as f:
            result = json.load(f)
        plot(result, base + ".png")
        with open(base + ".csv", newline="") as f:
            rows = list(csv.DictReader(f))
        print("\n\n".join(markdown_tables(result) + paired_tables(rows, result)))
        return result, rows
    ratios = (0.0, 0.9) if args.quick else args.ratios
    sweeps = ("r1=r2",) if args.quick else tuple(SWEEPS)
    torch.set_num_threads(1)
    data = load_data()
    started, cpu_started = time.time(), time.process_time()
    summaries, rows = [], []
    for seed in range(args.seeds):
        for method in HEADS:
            t0 = time.time()
            model, val = train_head(method, seed, data, args.epochs, args.features)
            summary, head_rows = evaluate_pruning(model, method, seed, data, ratios, sweeps,
                                                  log, args.features)
            summary["best_val_accuracy"] = val
            summaries.append(summary)
            rows += head_rows
            log(f"{method} seed {seed}: val {100 * val:.1f} %, test "
                f"{100 * summary['compiled_accuracy']:.1f} % ({time.time() - t0:.1f} s)")
    stats = aggregate(rows)
    os.makedirs(args.out, exist_ok=True)
    with open(base + ".csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = {
        "dataset": "sklearn.datasets.load_digits (1797 images, 8x8)",
        "split": {k: len(v[1]) for k, v in data.items()},
        "features": args.features, "cnn_channels": list(CNN_CHANNELS),
        "sizes": list(SIZES[args.features]), "heads": list(HEADS),
        "seeds": args.seeds, "epochs": args.epochs, "ratios": list(ratios),
        "sweeps": list(sweeps), "seconds": round(time.time() - started, 1),
        "cpu_seconds": round(time.process_time() - cpu_started, 1),
        "models": summaries,
        "mean_std": [{"sweep": k[0], "head": k[1], "r1": k[2], "r2": k[3],
                      "mean": m, "std": s, "n": n} for k, (m, s, n) in sorted(stats.items())],
    }
    with open(base + ".json", "w") as f:
        json.dump(result, f, indent=1)
    if not args.no_plot:
        plot(result, base + ".png")
    log(f"wrote {base}.csv, .json" + ("" if args.no_plot else ", .png") +
        f" in {result['seconds']} s ({result['cpu_seconds']} s of CPU)")
    return result, rows


if __name__ == "__main__":
    main()
