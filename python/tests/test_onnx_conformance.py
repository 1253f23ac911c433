"""ONNX's backend node tests (Debian's libonnx-testdata) for every op type
trop.import_onnx claims: import -> compile (reference and cpu pipelines) ->
run every data set, compared with ONNX's tolerances (rtol 1e-3, atol 1e-7).

A test whose model the importer rejects (unsigned element types, training
mode, a second MaxPool output, ...) is skipped with the importer's message;
python/tests/onnx_node_tests.py prints the per-op counts of docs/onnx.md."""

import pytest

pytest.importorskip("onnx")

import onnx_node_tests as nt  # noqa: E402

if not nt.NODE_TEST_DIR.is_dir():
    pytest.skip(f"no ONNX node tests in {nt.NODE_TEST_DIR} (apt-get install libonnx-testdata)",
                allow_module_level=True)

_CACHE = {}
_TESTS = nt.node_tests()


def test_every_claimed_op_has_node_tests():
    from trop.onnx_import import OPS
    tested = {op for _, op in _TESTS}
    assert set(OPS) - tested == set(), "claimed ops without ONNX node tests"


@pytest.mark.parametrize("pipeline", nt.PIPELINES)
@pytest.mark.parametrize("name,op", _TESTS, ids=[n for n, _ in _TESTS])
def test_node(name, op, pipeline):
    try:
        nt.run_test(name, pipeline, _CACHE)
    except nt.Skip as exc:
        pytest.skip(f"{op}: {exc}")
