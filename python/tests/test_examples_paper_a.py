"""examples/paper_a_prunability.py --quick (issue 16, item 4): paper A's
four heads trained on scikit-learn's digits with trop's compiled max-plus
kernels, pruned with --trop-prune preset=paper-a and run compiled. The
test checks properties of what the run produced, never accuracies written
down in advance: every head learns (well above chance), the compiled export
agrees with PyTorch, a ratio of 0 changes nothing where the preset has
nothing to pay for, and every pruned module really holds the parameter
budget of a ReLU head pruned at (r1, r2), counted from the pruned IR's
constants and computed here from paper A's formula."""

import csv
import json
import math
import os

import numpy as np
import pytest

from conftest import REPO_ROOT, load_script

torch = pytest.importorskip("torch")
pytest.importorskip("sklearn")
pytest.importorskip("matplotlib")


def _example():
    return load_script(os.path.join("examples", "paper_a_prunability.py"),
                       "paper_a_prunability")


@pytest.fixture(scope="module", params=["pixels", "cnn"])
def quick_run(request, tmp_path_factory):
    """The quick run on the pixels (64 -> 128 -> 10 heads) and on the CNN's
    features (paper A's 256 -> 512 -> 10 head)."""
    example = _example()
    out = tmp_path_factory.mktemp("paper_a")
    result, rows = example.main(["--quick", "--features", request.param, "--out", str(out)],
                                log=lambda *_: None)
    return example, out, result, rows


def _base(out, result):
    suffix = "" if result["features"] == "pixels" else "-" + result["features"]
    return out / f"paper-a-prunability{suffix}"


def test_writes_every_head_and_ratio(quick_run):
    example, out, result, rows = quick_run
    base = _base(out, result)
    for ext in ("csv", "json", "png"):
        assert base.with_suffix(f".{ext}").stat().st_size > 0
    with open(base.with_suffix(".csv"), newline="") as f:
        written = list(csv.DictReader(f))
    assert len(written) == len(rows)
    seen = {(row["head"], float(row["r1"])) for row in written}
    assert seen == {(h, r) for h in example.HEADS for r in result["ratios"]}
    assert len(written) == len(example.HEADS) * len(result["ratios"]) * result["seeds"]
    with open(base.with_suffix(".png"), "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_every_head_learns_and_the_export_agrees(quick_run):
    example, _, result, _ = quick_run
    n_test = result["split"]["test"]
    assert len(result["models"]) == len(example.HEADS)
    for model in result["models"]:
        # Chance is 10 %; every head is far above it after the quick run.
        assert model["compiled_accuracy"] > 0.5, model
        assert model["best_val_accuracy"] > 0.5, model
        # The compiled export computes PyTorch's model: float rounding of
        # the linear layers only, at most one test prediction apart.
        assert model["compiled_vs_pytorch_max_abs_diff"] < 1e-3, model
        assert abs(model["compiled_accuracy"] - model["pytorch_accuracy"]) <= 1 / n_test


def _layers(row):
    weights = [int(v) for v in row["layer_weights"].split(";")]
    pruned = [int(v) for v in row["layer_pruned"].split(";")]
    return weights, pruned


def test_pruned_models_hold_the_relu_baselines_budget(quick_run):
    example, _, result, rows = quick_run
    n_in, n_hid, n_cls = result["sizes"]
    unpruned = {m["head"]: m for m in result["models"]}
    for row in rows:
        head, r1, r2 = row["head"], row["r1"], row["r2"]
        weights, pruned = _layers(row)
        # Paper A's ReLU baseline (n_in x n_hid + n_hid biases, n_hid x c + c
        # biases), each layer pruned by int(r * numel) weights.
        base1 = n_in * n_hid - math.floor(r1 * n_in * n_hid)
        base2 = n_hid * n_cls - math.floor(r2 * n_hid * n_cls)
        baseline = base1 + n_hid + base2 + n_cls
        assert row["baseline_params"] == baseline
        # What the pruned IR's constants hold agrees with the pass's report.
        kept = sum(w - p for w, p in zip(weights, pruned))
        assert kept == row["weights_kept"], row
        # The last layer is pruned at r2 in every head.
        assert pruned[-1] == math.floor(r2 * n_hid * n_cls), row
        if head == "relu":
            assert pruned[0] == math.floor(r1 * n_in * n_hid), row
        if head == "maxout":
            # k = 2: twice the baseline's first-layer weights, of which it
            # keeps the baseline's less n_hid, paying for n_hid more biases.
            assert row["biases"] == 2 * n_hid + n_cls
            assert pruned[0] == weights[0] - (base1 - n_hid), row
        if head == "dense-morph":
            # Both the first layer and the max-plus layer keep the same
            # fraction of their weights (to rounding).
            frac = [1 - p / w for w, p in zip(weights[:2], pruned[:2])]
            assert abs(frac[0] - frac[1]) < 2 / min(weights[:2]), row
        if head == "sparse-morph":
            # The sparse max-plus layer is left as trained (its 𝟘 weights
            # from the init), and its finite weights are paid for by the
            # first layer.
            live = weights[1] - pruned[1]
            assert pruned[1] == unpruned[head]["unpruned_counts"][1][1]
            assert 0 < live < weights[1] // 8
            if base1 >= live:
                assert pruned[0] == n_in * n_hid - (base1 - live), row
            else:  # beyond the budget: the whole first layer goes
                assert pruned[0] == n_in * n_hid, row
        if head != "sparse-morph" or base1 >= weights[1] - pruned[1]:
            assert row["params_kept"] == baseline, row


def test_ratio_zero_prunes_only_what_the_parameter_match_pays_for(quick_run):
    example, _, result, rows = quick_run
    unpruned = {m["head"]: m for m in result["models"]}
    n_in, n_hid, _ = result["sizes"]
    zero_rows = [row for row in rows if row["r1"] == 0 and row["r2"] == 0]
    assert {row["head"] for row in zero_rows} == set(example.HEADS)
    for row in zero_rows:
        weights, pruned = _layers(row)
        before = [p for _, p in unpruned[row["head"]]["unpruned_counts"]]
        if row["head"] == "relu":
            # The baseline itself: the pruned module is the unpruned one.
            assert pruned == before == [0, 0], row
            assert row["max_abs_diff_vs_unpruned"] == 0, row
            assert row["accuracy"] == unpruned["relu"]["compiled_accuracy"]
        elif row["head"] == "maxout":
            # Half of its doubled first layer, and n_hid weights for its
            # extra biases.
            assert pruned == [weights[0] // 2 + n_hid, 0], row
        elif row["head"] == "dense-morph":
            # The baseline's n_in x n_hid weights, shared by two layers.
            assert weights[0] + weights[1] - pruned[0] - pruned[1] == n_in * n_hid, row
            assert pruned[2] == 0, row
        else:  # sparse-morph: exactly its live max-plus weights
            assert pruned[0] == weights[1] - pruned[1], row
            assert pruned[1:] == before[1:], row
        if row["head"] != "relu":
            assert row["max_abs_diff_vs_unpruned"] > 0, row


def test_weight_matrices_reads_hex_splat_and_list_constants():
    example = _example()
    a = np.array([[1.5, -0.0], [np.inf, -2.0]], dtype=np.float32)
    hex_ir = (f'%c = arith.constant dense<"0x{a.astype("<f4").tobytes().hex().upper()}"> '
              f': tensor<2x2xf32>')
    splat = "%d = arith.constant dense<0xFF800000> : tensor<3x2xf32>"
    listed = ("%e = arith.constant dense<[[0.000000e+00, 2.500000e+00]]> "
              ": tensor<1x2xf32>\n%v = arith.constant dense<1.0> : tensor<4xf32>")
    got = example.weight_matrices("\n".join([hex_ir, splat, listed]))
    assert len(got) == 3
    np.testing.assert_array_equal(got[0], a)
    assert got[1].shape == (3, 2) and np.isneginf(got[1]).all()
    np.testing.assert_array_equal(got[2], [[0.0, 2.5]])


@pytest.mark.parametrize("name", ["paper-a-prunability", "paper-a-prunability-cnn"])
def test_committed_results_match_the_doc(name):
    """docs/paper-a-prunability.md shows the tables of the committed full
    runs (docs/paper-a-prunability{,-cnn}.json and .csv) as the example
    prints them, and the committed CSVs hold every head x seed x sweep x
    ratio."""
    example = _example()
    docs = os.path.join(REPO_ROOT, "docs")
    with open(os.path.join(docs, name + ".json"), encoding="utf-8") as f:
        result = json.load(f)
    with open(os.path.join(docs, "paper-a-prunability.md"), encoding="utf-8") as f:
        doc = f.read()
    for table in example.markdown_tables(result):
        assert table in doc
    assert f"{result['seeds']} seeds" in doc and f"{result['epochs']} epochs" in doc
    with open(os.path.join(docs, name + ".csv"), newline="") as f:
        written = list(csv.DictReader(f))
    seen = {(row["head"], int(row["seed"]), row["sweep"], float(row["r1"])) for row in written}
    assert len(seen) == len(written) == (len(result["heads"]) * result["seeds"] *
                                         len(result["sweeps"]) * len(result["ratios"]))
    for table in example.paired_tables(written, result):
        assert table in doc
