#!/usr/bin/env python3
"""Measures what --trop-fold removes from paper A's Sparse-Morph head.

    PYTHONPATH=python /usr/bin/python3 scripts/measure-fold.py [--seeds 20] [--width 512]

For each seed: builds paper A's CIFAR-10 head (Linear(256... here width ->
width, no bias), BatchNorm1d, trop.nn.MaxPlus(width, width, init="sparse"),
i.e. density 2/width = 1/256 at 512, Linear(width, 10)) at initialisation,
exports it with trop.export, folds it with `trop-opt --trop-fold` (and with
reassociate=true), and reads the layer widths off the folded IR. It also
counts, from the PyTorch weights, the max-plus inputs no neuron reads and
the neurons without a connection, and checks that the folded module gives
bit-identical results to the original (reference pipeline, one random
batch).
"""

import argparse
import os
import re
import subprocess
import sys

import numpy as np
import torch
from torch import nn

import trop
import trop.nn as tnn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TROP_OPT = os.path.join(ROOT, os.environ.get("TROP_BUILD_DIR", "build"),
                        "bin", "trop-opt")


def fold(mlir, options=""):
    flag = "--trop-fold" + (f"={options}" if options else "")
    return subprocess.run([TROP_OPT, flag], input=mlir, text=True,
                          capture_output=True, check=True).stdout


def widths(mlir):
    """(linear1 out, max-plus K, max-plus N, linear2 K) read off the IR."""
    mm = re.findall(r"linalg\.matmul ins\(%\S+, %\S+ : tensor<\d+x(\d+)xf32>, "
                    r"tensor<\d+x(\d+)xf32>\)", mlir)
    tm = re.findall(r"trop\.matmul <max_plus> ins\(%\S+, %\S+ : "
                    r"tensor<\d+x(\d+)xf32>, tensor<\d+x(\d+)xf32>\)", mlir)
    if len(mm) != 2 or len(tm) != 1:
        sys.exit(f"unexpected folded IR:\n{mlir}")
    return int(mm[0][1]), int(tm[0][0]), int(tm[0][1]), int(mm[1][0])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--width", type=int, default=512)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    n = args.width
    fold_pipeline = ("builtin.module(trop-fold,"
                     "trop-reference-pipeline{results-to-out-params=1})")
    rows = []
    for seed in range(args.seeds):
        torch.manual_seed(seed)
        maxplus = tnn.MaxPlus(n, n, init="sparse")
        model = nn.Sequential(nn.Linear(n, n, bias=False), nn.BatchNorm1d(n),
                              maxplus, nn.Linear(n, 10))
        model.eval()
        x = torch.randn(args.batch, n)
        mlir = trop.export(model, x)
        finite = torch.isfinite(maxplus.weight.detach())          # out x in
        unread = int((~finite.any(dim=0)).sum())
        unconnected = int((~finite.any(dim=1)).sum())
        single = int((finite.sum(dim=1) == 1).sum())
        exact = widths(fold(mlir))
        reassoc = widths(fold(mlir, "reassociate=true"))
        original = trop.compile(mlir, pipeline="reference").forward(x.numpy())
        folded = trop.compile(mlir, pipeline=fold_pipeline).forward(x.numpy())
        identical = original.tobytes() == folded.tobytes()
        rows.append((seed, unread, unconnected, single, exact, reassoc,
                     identical))
        print(f"seed {seed:2d}: unread inputs {unread:3d}, neurons without "
              f"connection {unconnected:3d}, with one {single:3d}; folded "
              f"linear1 {n}->{exact[0]}, max-plus {exact[1]}x{exact[2]}; "
              f"reassociate: max-plus {reassoc[1]}x{reassoc[2]}, linear2 "
              f"{reassoc[3]}->10; bit-identical {identical}", flush=True)
    removed = np.array([n - r[4][0] for r in rows])
    dead = np.array([n - r[5][2] for r in rows])
    print(f"linear1 neurons deleted (exact): mean {removed.mean():.1f} of {n} "
          f"({100 * removed.mean() / n:.2f} %), min {removed.min()}, "
          f"max {removed.max()}; (1 - 2/{n})^{n} = "
          f"{100 * (1 - 2 / n) ** n:.2f} %")
    print(f"max-plus neurons folded into linear2's bias (reassociate): mean "
          f"{dead.mean():.1f} of {n} ({100 * dead.mean() / n:.2f} %)")
    print(f"all folded outputs bit-identical: {all(r[6] for r in rows)}")


if __name__ == "__main__":
    main()
