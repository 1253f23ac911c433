"""Runs ONNX's backend node tests (Debian's libonnx-testdata) through
trop.import_onnx -> trop.compile -> run, for the ops the importer claims.

Used by test_onnx_conformance.py, and as a script it prints the per-op
table of docs/onnx.md (-v: and the skipped tests with the reason;
--write-doc: and writes it, with the importer's op table, into
docs/onnx.md):

    TROP_BUILD_DIR=$PWD/build PYTHONPATH=python \\
        /usr/bin/python3 python/tests/onnx_node_tests.py [-v] [--write-doc]
"""

import glob
import os
import sys
from pathlib import Path

import numpy as np

NODE_TEST_DIR = Path(os.environ.get("TROP_ONNX_NODE_TESTS",
                                    "/usr/share/libonnx-testdata/data/node"))
#: ONNX's backend test runner's tolerances (onnx/backend/test/runner).
RTOL, ATOL = 1e-3, 1e-7
PIPELINES = ("reference", "cpu")


class Skip(Exception):
    """The importer rejects the test's model (an attribute, type or form it
    does not claim)."""


def node_tests():
    """(test name, op type) of every node test whose graph is a single node
    of an op the importer claims."""
    import onnx

    from trop.onnx_import import OPS
    out = []
    for model_path in sorted(glob.glob(str(NODE_TEST_DIR / "*" / "model.onnx"))):
        model = onnx.load(model_path)
        ops = {n.op_type for n in model.graph.node}
        if len(ops) == 1 and next(iter(ops)) in OPS:
            out.append((Path(model_path).parent.name, next(iter(ops))))
    return out


def coverage():
    """A line saying how much of libonnx-testdata's single-node tests the
    importer's op set covers (op types and tests)."""
    import onnx

    from trop.onnx_import import OPS
    tests = {}
    for model_path in sorted(glob.glob(str(NODE_TEST_DIR / "*" / "model.onnx"))):
        ops = {n.op_type for n in onnx.load(model_path).graph.node}
        if len(ops) == 1:
            op = next(iter(ops))
            tests[op] = tests.get(op, 0) + 1
    claimed = [op for op in tests if op in OPS]
    return (f"The importer claims {len(claimed)} of the {len(tests)} op types that have "
            f"single-node tests in libonnx-testdata ({sum(tests[op] for op in claimed)} "
            f"of their {sum(tests.values())} tests).\n")


def _read_tensors(folder, prefix):
    import onnx
    from onnx import numpy_helper
    arrays = []
    for path in sorted(glob.glob(str(folder / f"{prefix}_*.pb")),
                       key=lambda p: int(Path(p).stem.split("_")[1])):
        t = onnx.TensorProto()
        with open(path, "rb") as f:
            t.ParseFromString(f.read())
        arrays.append(numpy_helper.to_array(t))
    return arrays


def load(name):
    """(model, [(inputs, outputs)]) of a node test."""
    import onnx
    folder = NODE_TEST_DIR / name
    model = onnx.load(str(folder / "model.onnx"))
    sets = []
    for ds in sorted(folder.glob("test_data_set_*")):
        sets.append((_read_tensors(ds, "input"), _read_tensors(ds, "output")))
    return model, sets


def compile_test(name, pipeline, cache=None):
    """Imports and compiles a node test's model once per pipeline. Returns
    (function, [(inputs, outputs)], bound input indices). Raises Skip when
    the importer rejects the model."""
    import trop
    from trop.onnx_import import static_operands
    key = (name, pipeline)
    if cache is not None and key in cache:
        return cache[key]
    import onnx
    model = onnx.load(str(NODE_TEST_DIR / name / "model.onnx"))
    for info in list(model.graph.input) + list(model.graph.output):
        if not info.type.HasField("tensor_type"):
            raise Skip(f"'{info.name}' is not a tensor (optional or sequence types)")
    model, sets = load(name)
    graph_inputs = [i.name for i in model.graph.input
                    if i.name not in {t.name for t in model.graph.initializer}]
    static = static_operands(model)
    # The shape operands take the first data set's values (the node tests'
    # data sets all share them).
    bound = {n: sets[0][0][graph_inputs.index(n)] for n in static}
    try:
        text = trop.import_onnx(model, static_inputs=bound)
    except trop.OnnxImportError as exc:
        raise Skip(str(exc)) from None
    for inputs, _ in sets:
        for n in static:
            if not np.array_equal(inputs[graph_inputs.index(n)], bound[n]):
                raise Skip(f"data sets differ in the static operand '{n}'")
        if any(inputs[i].size == 0 for i, n in enumerate(graph_inputs) if n not in static):
            raise Skip("tensors with no elements are not supported")
    module = trop.compile(text, pipeline=pipeline, nan_mode="propagate")
    fn = module.forward
    kept = [i for i, n in enumerate(graph_inputs) if n not in static]
    result = (fn, sets, kept)
    if cache is not None:
        cache[key] = result
    return result


def run_test(name, pipeline, cache=None):
    """Runs every data set; raises AssertionError on a mismatch."""
    fn, sets, kept = compile_test(name, pipeline, cache)
    for inputs, expected in sets:
        got = fn(*[inputs[i] for i in kept])
        if not isinstance(got, tuple):
            got = (got,)
        assert len(got) == len(expected), f"{len(got)} outputs, expected {len(expected)}"
        for g, e in zip(got, expected):
            assert g.shape == e.shape, f"shape {g.shape}, expected {e.shape}"
            assert g.dtype == e.dtype, f"dtype {g.dtype}, expected {e.dtype}"
            np.testing.assert_allclose(g, e, rtol=RTOL, atol=ATOL)


def table(results):
    """The markdown table of per-op counts: {op: {status: count}}."""
    rows = ["| ONNX op | node tests | pass (reference) | pass (cpu) | skipped |",
            "|---|---|---|---|---|"]
    for op in sorted(results):
        r = results[op]
        rows.append(f"| {op} | {r['tests']} | {r['reference']} | {r['cpu']} | {r['skipped']} |")
    total = {k: sum(r[k] for r in results.values())
             for k in ("tests", "reference", "cpu", "skipped")}
    rows.append(f"| **all** | {total['tests']} | {total['reference']} | {total['cpu']} | "
                f"{total['skipped']} |")
    return "\n".join(rows) + "\n"


def _replace_section(text, name, body):
    begin, end = f"<!-- {name}: begin -->\n", f"<!-- {name}: end -->"
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    return head + begin + body + end + tail


def write_doc(counts):
    """Writes the op table and the per-op counts into docs/onnx.md."""
    from trop.onnx_import import op_table
    doc = Path(__file__).resolve().parents[2] / "docs" / "onnx.md"
    text = doc.read_text(encoding="utf-8")
    text = _replace_section(text, "ops", op_table())
    text = _replace_section(text, "counts", counts)
    doc.write_text(text, encoding="utf-8")


def main():
    results = {}
    failures = []
    skips = []
    for name, op in node_tests():
        r = results.setdefault(op, {"tests": 0, "reference": 0, "cpu": 0, "skipped": 0})
        r["tests"] += 1
        for pipeline in PIPELINES:
            try:
                run_test(name, pipeline)
                r[pipeline] += 1
            except Skip as exc:
                r["skipped"] += 1
                skips.append(f"{name}: {exc}")
                break
            except Exception as exc:  # noqa: BLE001 - reported, counted
                failures.append(f"{name} [{pipeline}]: {type(exc).__name__}: "
                                f"{str(exc).splitlines()[0] if str(exc) else ''}")
    counts = table(results) + "\n" + coverage()
    print(counts, end="")
    if "--write-doc" in sys.argv:
        write_doc(counts)
    if "-v" in sys.argv:
        print("\nskipped:\n  " + "\n  ".join(skips))
    if failures:
        print("\nfailed:\n  " + "\n  ".join(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.exit(main())
