"""trop.import_onnx: the IR it emits (trop ops for the tropical forms), its
errors, its command line, models exported by torch.onnx, and docs/onnx.md.

The ONNX backend node tests run in test_onnx_conformance.py."""

import io
import os
import re
import subprocess
import sys

import numpy as np
import pytest

from conftest import REPO_ROOT, assert_float_close, assert_tropical_equal

onnx = pytest.importorskip("onnx")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

import trop  # noqa: E402
from trop import onnx_import  # noqa: E402

DOC = os.path.join(REPO_ROOT, "docs", "onnx.md")


def _model(nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in outputs],
        initializer=[numpy_helper.from_array(a, n) for n, a in initializers])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _tropical_model(op="Add", reduce="ReduceMax", keepdims=0, x_axis=1, w_axis=0,
                    reduce_axis=2):
    """x [4, 6] and W [5, 6] unsqueezed to broadcast against each other and
    reduced over the shared axis: the papers' `(x.unsqueeze(1) +
    W.unsqueeze(0)).max(-1)` in any axis order."""
    rng = np.random.default_rng(0)
    w = rng.standard_normal((5, 6)).astype(np.float32)
    nodes = [
        helper.make_node("Constant", [], ["ax"], value=numpy_helper.from_array(
            np.array([x_axis], np.int64))),
        helper.make_node("Constant", [], ["aw"], value=numpy_helper.from_array(
            np.array([w_axis], np.int64))),
        helper.make_node("Unsqueeze", ["x", "ax"], ["xu"]),
        helper.make_node("Unsqueeze", ["w", "aw"], ["wu"]),
        helper.make_node(op, ["xu", "wu"], ["s"]),
        helper.make_node(reduce, ["s"], ["y"], axes=[reduce_axis], keepdims=keepdims),
    ]
    return _model(nodes, [("x", [4, 6])], [("y", None)], [("w", w)]), w


@pytest.mark.parametrize("op,reduce,keepdims", [("Add", "ReduceMax", 0), ("Sub", "ReduceMin", 1),
                                                ("Add", "ReduceMin", 0)])
def test_tropical_form_becomes_trop_matmul(op, reduce, keepdims):
    model, w = _tropical_model(op, reduce, keepdims)
    text = trop.import_onnx(model)
    kind = "max_plus" if reduce == "ReduceMax" else "min_plus"
    assert f"trop.matmul <{kind}>" in text
    # The 4x5x6 broadcast is never materialised.
    assert "4x5x6" not in text
    x = np.random.default_rng(1).standard_normal((4, 6)).astype(np.float32)
    s = x[:, None, :] + w[None] if op == "Add" else x[:, None, :] - w[None]
    expected = s.max(axis=2, keepdims=bool(keepdims)) if reduce == "ReduceMax" else \
        s.min(axis=2, keepdims=bool(keepdims))
    for pipeline in ("reference", "cpu"):
        got = trop.compile(text, pipeline=pipeline).forward(x)
        assert_tropical_equal(got, expected)


def test_tropical_form_in_other_axis_orders():
    # x [4, 6] at axes (0, 1), W [6, 5] at axes (1, 2), reduced over axis 1:
    # y[i, j] = max_k x[i, k] + W[k, j], with the Add's operands swapped.
    rng = np.random.default_rng(2)
    w = rng.standard_normal((6, 5)).astype(np.float32)
    nodes = [
        helper.make_node("Unsqueeze", ["x", "a2"], ["xu"]),
        helper.make_node("Unsqueeze", ["w", "a0"], ["wu"]),
        helper.make_node("Add", ["wu", "xu"], ["s"]),          # operands swapped
        helper.make_node("ReduceMax", ["s"], ["y"], axes=[1], keepdims=0),
    ]
    model = _model(nodes, [("x", [4, 6])], [("y", None)],
                   [("w", w), ("a2", np.array([2], np.int64)), ("a0", np.array([0], np.int64))])
    text = trop.import_onnx(model)
    assert "trop.matmul <max_plus>" in text
    x = rng.standard_normal((4, 6)).astype(np.float32)
    expected = (x[:, :, None] + w[None]).max(axis=1)
    assert_tropical_equal(trop.compile(text).forward(x), expected)


@pytest.mark.parametrize("keepdims", [0, 1])
def test_tropical_form_with_several_axes_of_each_kind(keepdims):
    # x [2, 3, 1, 4, 6] spans axes 0, 1 (M), 3, 4 (K); W [5, 1, 1, 4, 6]
    # spans axis 0 (N) and the K axes: max over K of x + W is a max-plus
    # product of x as 6×24 and W as 24×5, whatever the axis order.
    rng = np.random.default_rng(3)
    w = rng.standard_normal((5, 1, 1, 4, 6)).astype(np.float32)
    x = rng.standard_normal((1, 2, 3, 4, 6)).astype(np.float32)
    nodes = [helper.make_node("Add", ["x", "w"], ["s"]),
             helper.make_node("ReduceMax", ["s"], ["y"], axes=[4, -2], keepdims=keepdims)]
    model = _model(nodes, [("x", list(x.shape))], [("y", None)], [("w", w)])
    text = trop.import_onnx(model)
    assert "trop.matmul <max_plus> ins(%" in text
    assert "tensor<6x24xf32>, tensor<24x5xf32>" in text
    expected = (x + w).max(axis=(3, 4), keepdims=bool(keepdims))
    for pipeline in ("reference", "cpu"):
        assert_tropical_equal(trop.compile(text, pipeline=pipeline).forward(x), expected)


def test_batched_form_stays_a_reduction():
    # An axis both operands span and that is not reduced: not one product.
    nodes = [helper.make_node("Add", ["x", "w"], ["s"]),
             helper.make_node("ReduceMax", ["s"], ["y"], axes=[2], keepdims=0)]
    w = np.ones((3, 1, 4), np.float32)
    model = _model(nodes, [("x", [3, 2, 4])], [("y", None)], [("w", w)])
    text = trop.import_onnx(model)
    assert "trop.matmul" not in text
    x = np.random.default_rng(4).standard_normal((3, 2, 4)).astype(np.float32)
    assert_tropical_equal(trop.compile(text).forward(x), (x + w).max(axis=2))


def test_add_with_other_users_stays_elementwise():
    model, _ = _tropical_model()
    model.graph.output.append(helper.make_tensor_value_info("s", TensorProto.FLOAT, None))
    text = trop.import_onnx(model)
    assert "trop.matmul" not in text
    assert "arith.maximumf" in text


def test_unsupported_op_names_node_and_type():
    model = _model([helper.make_node("Cos", ["x"], ["y"], name="my_cos")],
                   [("x", [2])], [("y", [2])])
    with pytest.raises(trop.OnnxImportError, match=r"node 0 'my_cos' \(Cos.*op type Cos is "
                       r"not supported"):
        trop.import_onnx(model)


def test_unsupported_attribute_names_it():
    model = _model([helper.make_node("Relu", ["x"], ["y"], frobnicate=1)],
                   [("x", [2])], [("y", [2])])
    with pytest.raises(trop.OnnxImportError, match=r"\(Relu.*attribute frobnicate is not "
                       r"supported"):
        trop.import_onnx(model)


def test_unsupported_attribute_value():
    model = _model([helper.make_node("Pad", ["x", "p"], ["y"], mode="wrap")],
                   [("x", [2, 3])], [("y", None)], [("p", np.array([1, 1, 1, 1], np.int64))])
    with pytest.raises(trop.OnnxImportError, match=r"\(Pad.*mode 'wrap' is not supported"):
        trop.import_onnx(model)


def test_malformed_node_names_node_and_type():
    model = _model([helper.make_node("Gemm", ["a", "b"], ["y"], name="fc", alpha="big")],
                   [("a", [2, 3]), ("b", [3, 4])], [("y", None)])
    with pytest.raises(trop.OnnxImportError, match=r"node 0 'fc' \(Gemm.*malformed node "
                       r"\(ValueError"):
        trop.import_onnx(model)
    model = _model([helper.make_node("Add", ["a"], ["y"])], [("a", [2])], [("y", None)])
    with pytest.raises(trop.OnnxImportError, match=r"\(Add.*expects at least 2 operand"):
        trop.import_onnx(model)


def test_error_in_a_deferred_node_is_named_once():
    # The Add feeding a ReduceMax is lowered when the reduction needs it; its
    # error names the Add, once.
    model = _model([helper.make_node("Add", ["x", "y"], ["s"], name="bad_add"),
                    helper.make_node("ReduceMax", ["s"], ["r"], axes=[0])],
                   [("x", [2, 3]), ("y", [4, 3])], [("r", None)])
    with pytest.raises(trop.OnnxImportError) as info:
        trop.import_onnx(model)
    assert str(info.value).count("node ") == 1
    assert "'bad_add' (Add" in str(info.value) and "do not broadcast" in str(info.value)


def test_shape_operand_must_be_constant():
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("shape", TensorProto.INT64, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    assert onnx_import.static_operands(model) == ["shape"]
    with pytest.raises(trop.OnnxImportError, match="the shape .*must be a constant"):
        trop.import_onnx(model)
    text = trop.import_onnx(model, static_inputs={"shape": np.array([3, -1], np.int64)})
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_array_equal(trop.compile(text).forward(x), x.reshape(3, 2))


def test_dynamic_dimension_needs_a_shape():
    # A symbolic leading dimension is a dynamic batch (below); any other
    # symbolic dimension, or a batch with dynamic_batch=False, needs a shape.
    model = _model([helper.make_node("Relu", ["x"], ["y"])], [("x", [3, "n"])],
                   [("y", [3, "n"])])
    with pytest.raises(trop.OnnxImportError, match="dynamic dimension 'n'"):
        trop.import_onnx(model)
    model = _model([helper.make_node("Relu", ["x"], ["y"])], [("x", ["batch", 3])],
                   [("y", ["batch", 3])])
    with pytest.raises(trop.OnnxImportError, match="dynamic dimension 'batch'"):
        trop.import_onnx(model, dynamic_batch=False)
    text = trop.import_onnx(model, shapes={"x": (5, 3)})
    assert "tensor<5x3xf32>" in text


def test_symbolic_batch_imports_as_dynamic():
    model = _model([helper.make_node("Relu", ["x"], ["y"])], [("x", ["batch", 3])],
                   [("y", ["batch", 3])])
    text = trop.import_onnx(model)
    assert "func.func @forward(%arg0: tensor<?x3xf32>) -> (tensor<?x3xf32>)" in text
    module = trop.compile(text)
    for batch in (1, 4, 9):
        x = np.random.default_rng(batch).standard_normal((batch, 3)).astype(np.float32)
        np.testing.assert_array_equal(module.forward(x), np.maximum(x, 0))


def test_torch_dynamic_axes_model_runs_on_any_batch():
    """torch.onnx.export with dynamic_axes={0: 'batch'}: a conv net (Conv,
    Relu, MaxPool, Flatten, Gemm) imports once and runs on every batch."""
    torch = pytest.importorskip("torch")
    from test_aot_dynamic import Net, onnx_text

    torch.manual_seed(0)
    net = Net().eval()
    text = onnx_text(net)
    assert "tensor<?x3x8x8xf32>" in text and "tensor<?x5xf32>" in text
    for pipeline in ("cpu", "reference"):
        module = trop.compile(text, pipeline=pipeline)
        for batch in (1, 3, 8):
            x = torch.randn(batch, 3, 8, 8)
            with torch.no_grad():
                want = net(x).numpy()
            np.testing.assert_allclose(module.forward(x.numpy()), want, rtol=1e-5,
                                       atol=1e-5)


def test_command_line(tmp_path):
    model, _ = _tropical_model()
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    out = tmp_path / "m.mlir"
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO_ROOT, "python"))
    subprocess.run([sys.executable, "-m", "trop.onnx_import", str(path), "-o", str(out)],
                   check=True, env=env)
    assert "trop.matmul <max_plus>" in out.read_text()
    bad = tmp_path / "bad.onnx"
    onnx.save(_model([helper.make_node("Cos", ["x"], ["y"])], [("x", [2])], [("y", [2])]),
              str(bad))
    r = subprocess.run([sys.executable, "-m", "trop.onnx_import", str(bad)],
                       env=env, capture_output=True, text=True)
    assert r.returncode == 1
    assert "op type Cos is not supported" in r.stderr


def test_command_line_shape_option(tmp_path, capsys):
    model = _model([helper.make_node("Relu", ["x"], ["y"])], [("x", ["batch", 3])],
                   [("y", ["batch", 3])])
    path = tmp_path / "dyn.onnx"
    onnx.save(model, str(path))
    assert onnx_import.main([str(path), "--shape", "x=8x3", "--function-name", "relu"]) == 0
    out = capsys.readouterr().out
    assert "func.func @relu(%arg0: tensor<8x3xf32>) -> (tensor<8x3xf32>)" in out
    assert onnx_import.main([str(path)]) == 0
    assert "func.func @forward(%arg0: tensor<?x3xf32>)" in capsys.readouterr().out
    assert onnx_import.main([str(path), "--static-batch"]) == 1
    assert "dynamic dimension 'batch'" in capsys.readouterr().err


def test_doc_op_table_is_current():
    text = open(DOC, encoding="utf-8").read()
    m = re.search(r"<!-- ops: begin -->\n(.*?)<!-- ops: end -->", text, re.S)
    assert m, "docs/onnx.md has no '<!-- ops: begin -->' section"
    assert m.group(1) == onnx_import.op_table(), \
        "docs/onnx.md's op table is stale: regenerate it with " \
        "`python3 -m trop.onnx_import --list-ops`"


# ---------------------------------------------------------------------------
# Models exported by torch.onnx
# ---------------------------------------------------------------------------

def _torch_roundtrip(tmp_path, model, x):
    torch = pytest.importorskip("torch")
    path = tmp_path / "m.onnx"
    model.eval()
    torch.onnx.export(model, (x,), str(path), opset_version=13)
    text = trop.import_onnx(str(path))
    with torch.no_grad():
        expected = model(x).numpy()
    return text, expected


def test_torch_paper_style_max_plus_layer(tmp_path):
    torch = pytest.importorskip("torch")

    class MaxPlusLayer(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.randn(7, 9))

        def forward(self, x):
            y, _ = torch.max(x.unsqueeze(1) + self.w.unsqueeze(0), dim=2)
            return y

    torch.manual_seed(0)
    x = torch.randn(3, 9)
    text, expected = _torch_roundtrip(tmp_path, MaxPlusLayer(), x)
    assert "trop.matmul <max_plus>" in text
    for pipeline in ("reference", "cpu"):
        assert_tropical_equal(trop.compile(text, pipeline=pipeline).forward(x.numpy()),
                              expected)


def test_torch_small_cnn(tmp_path):
    torch = pytest.importorskip("torch")
    from torch import nn
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.MaxPool2d(2), nn.Conv2d(8, 8, 3, groups=2, padding=1), nn.Sigmoid(),
        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 4), nn.Tanh())
    with torch.no_grad():
        model[1].running_mean.uniform_(-1, 1)
        model[1].running_var.uniform_(0.5, 2)
    x = torch.randn(2, 3, 8, 8)
    text, expected = _torch_roundtrip(tmp_path, model, x)
    for pipeline in ("reference", "cpu"):
        assert_float_close(trop.compile(text, pipeline=pipeline).forward(x.numpy()), expected)


def _torch_onnx_ops():
    """Issue 14's op list as torch.onnx exports it (opset 13); diag,
    diag_embed and kthvalue have no ONNX export in torch 1.13, F.unfold
    exports as Shape/Range/Gather on computed indices (not imported)."""
    torch = pytest.importorskip("torch")
    nn, F = torch.nn, torch.nn.functional
    return {
        "repeat": lambda x: x.repeat(2, 3),
        "expand": lambda x: x[:, :1].expand(4, 6) + x[:1].expand(4, -1),
        "cat_stack": lambda x: torch.cat([x, torch.stack([x, x], 1).flatten(1)], 1),
        "exp_log": lambda x: torch.exp(x) + torch.log(x.abs() + 1),
        "where_cmp": lambda x: torch.where(x > 0.1, x, -x) + (x <= 0).float()
        + (x < 0).float() + (x >= 0.5).float(),
        "eq_ne": lambda x: (x == x[0]).float() - (x != 0).float(),
        "clamp": lambda x: torch.clamp(x, -0.5, 0.5),
        "sigmoid_tanh_softplus": lambda x: torch.sigmoid(x) * torch.tanh(x) + F.softplus(x),
        "avg_pool": lambda x: F.avg_pool2d(x.view(1, 2, 2, 6), 2),
        "adaptive_avg": nn.AdaptiveAvgPool2d(1),
        "replicate_pad": lambda x: F.pad(x.view(1, 1, 4, 6), (1, 2, 2, 1), mode="replicate"),
        "linear": nn.Linear(6, 3),
        "conv_groups_pad": nn.Sequential(
            nn.Conv2d(2, 4, 3, padding=1, groups=2),
            nn.Conv2d(4, 4, 3, padding=1, padding_mode="replicate"), nn.BatchNorm2d(4),
            nn.Dropout(0.5), nn.MaxPool2d(2), nn.Flatten()),
        "reductions": lambda x: x.sum(1) + x.mean(0).sum() + x.amax(1) + x.max(1)[0]
        - x.min(1)[0] - x.amin(1),
    }


@pytest.mark.parametrize("name", sorted(["repeat", "expand", "cat_stack", "exp_log",
                                         "where_cmp", "eq_ne", "clamp",
                                         "sigmoid_tanh_softplus", "avg_pool", "adaptive_avg",
                                         "replicate_pad", "linear", "conv_groups_pad",
                                         "reductions"]))
def test_torch_onnx_export_of_issue_ops(name):
    """Each op of issue 14's list that torch.onnx exports: exported by
    torch.onnx, imported, compiled (cpu and reference) and compared with
    eager PyTorch (within 1e-5: some ops round)."""
    torch = pytest.importorskip("torch")
    torch.manual_seed(0)
    fn = _torch_onnx_ops()[name]
    model = fn if isinstance(fn, torch.nn.Module) else type(
        "F", (torch.nn.Module,), {"forward": lambda self, x: fn(x)})()
    model.eval()
    x = torch.randn(2, 2, 6, 6) if name in ("adaptive_avg", "conv_groups_pad") \
        else torch.randn(4, 6)
    if name == "conv_groups_pad":
        with torch.no_grad():
            model[2].running_mean.uniform_(-1, 1)
            model[2].running_var.uniform_(0.5, 2)
    buf = io.BytesIO()
    torch.onnx.export(model, x, buf, opset_version=13, input_names=["x"])
    text = trop.import_onnx(buf.getvalue())
    with torch.no_grad():
        want = model(x).numpy()
    for pipeline in ("cpu", "reference"):
        got = trop.compile(text, pipeline=pipeline).forward(x.numpy())
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_torch_onnx_maxout_raises_to_trop_maxout():
    """view(B, G, k) + max(-1), exported by torch.onnx as Reshape + ReduceMax:
    the reshape is one tensor.expand_shape, which --trop-raise's maxout
    pattern reads."""
    torch = pytest.importorskip("torch")

    class Maxout(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = torch.nn.Linear(6, 12)

        def forward(self, x):
            return self.fc(x).view(x.shape[0], 4, 3).max(-1)[0]

    torch.manual_seed(0)
    model = Maxout().eval()
    buf = io.BytesIO()
    x = torch.randn(5, 6)
    torch.onnx.export(model, x, buf, opset_version=13)
    text = trop.import_onnx(buf.getvalue())
    assert "tensor.expand_shape %" in text and "[[0], [1, 2]]" in text
    raised = trop.passes.run(text, "builtin.module(trop-raise)").text
    assert "trop.maxout group_size = 3" in raised
    with torch.no_grad():
        want = model(x).numpy()
    np.testing.assert_allclose(trop.compile(text).forward(x.numpy()), want, rtol=1e-5,
                               atol=1e-6)
