"""Smoke test of bench/networks.py's quick mode (issue 15, item 4): paper A's
CIFAR CNN (one head, unpruned and pruned with paper A's preset) and paper C's
MPM-ResNet-20, scaled down, exported, compiled on the CPU pipeline, checked
against PyTorch eager (or, pruned, trop's reference lowering) and timed with
a per-layer breakdown. Kept small (batch 2, one thread, 3 runs) so that it
runs in seconds; the full benchmark is `bench/networks.py` without --quick."""

import os

import pytest

from conftest import load_script

torch = pytest.importorskip("torch")


def _networks_module():
    return load_script(os.path.join("bench", "networks.py"), "bench_networks")


def test_networks_quick(capsys):
    networks = _networks_module()
    rc = networks.main(["--quick", "--batches", "2", "--networks",
                        "A-sparse-morph,C-mpm-resnet20", "--budget", "1"])
    out = capsys.readouterr().out
    assert rc == 0, out
    assert "CPU: " in out and "vector ISA: " in out
    for name in ("A-sparse-morph", "A-sparse-morph-pruned", "C-mpm-resnet20"):
        assert f"| {name} | 2 | 1 |" in out
    assert "Per-layer breakdown, A-sparse-morph" in out
    assert "Per-layer breakdown, C-mpm-resnet20" in out
    assert "| head.layers.morph | MaxPlus |" in out
    assert "| layers.stem.morph | MorphConv2d |" in out
    if "against the FMA probe" in out:  # where a C compiler builds the probe
        assert "| A-sparse-morph | features.conv2 |" in out
    assert "FAILED" not in out
