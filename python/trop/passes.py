"""Running MLIR pass pipelines on trop IR from Python.

    import trop.passes
    result = trop.passes.run(mlir_text, "trop-raise,canonicalize")
    result.text          # the transformed module
    result.report        # what the passes' report=- options wrote
    result.diagnostics   # warnings and remarks the passes emitted

This is ``tropRunPassPipeline`` of the C API (``include/trop-c/Passes.h``):
the module is parsed with the same guards as ``trop.compile``, every upstream
and trop pass and pipeline can be named, and the IR is verified after each
pass. A failure raises :class:`trop.PassError` carrying MLIR's diagnostics.
"""

import ctypes
import os
import re
import shutil
import tempfile
from typing import NamedTuple

from . import _capi
from ._errors import PassError

__all__ = ["run", "PassResult", "PassError"]

#: A pass option `report=-` (trop-tropnnc, trop-prune, ... write their report
#: to stderr with it); run() captures it instead.
_REPORT_TO_STDERR = re.compile(r"(?<![\w-])report=-(?=[\s,}])")


class PassResult(NamedTuple):
    """What :func:`run` returns (a tuple: ``text, report, diagnostics = ...``)."""

    #: The module after the pipeline, as MLIR text.
    text: str
    #: The reports the pipeline's passes were asked to write with
    #: ``report=-``, in pipeline order, concatenated ("" when none).
    report: str
    #: The warnings and remarks the passes emitted, with their locations
    #: ("" when none).
    diagnostics: str


def run(module, pipeline):
    """Runs the textual pass pipeline `pipeline` on `module` (MLIR text, str
    or bytes) and returns a :class:`PassResult`.

    `pipeline` is anchored on the module ("builtin.module(trop-raise,cse)")
    or a bare list of passes ("trop-raise,cse"). A pass option
    ``report=-`` (e.g. "trop-tropnnc{report=-}") sends that pass's report
    to ``result.report`` instead of stderr; ``report=<file>`` writes the
    file as on the command line.

    Raises :class:`trop.PassError` (a ``trop.TropError``) when the module
    does not parse or verify, the pipeline does not parse or a pass fails;
    its message holds every diagnostic."""
    if isinstance(module, str):
        module = module.encode("utf-8")
    if not isinstance(module, (bytes, bytearray)):
        raise TypeError(f"trop.passes.run: the module must be MLIR text (str or bytes), "
                        f"not {type(module).__name__}")
    if not isinstance(pipeline, str):
        raise TypeError(f"trop.passes.run: the pipeline must be a str, "
                        f"not {type(pipeline).__name__}")
    scratch = None
    reports = []
    if _REPORT_TO_STDERR.search(pipeline):
        scratch = tempfile.mkdtemp(prefix="trop-report-")

        def to_file(match):
            reports.append(os.path.join(scratch, f"report{len(reports)}.txt"))
            return "report=" + reports[-1]
        pipeline = _REPORT_TO_STDERR.sub(to_file, pipeline)
    try:
        lib = _capi.library()
        err = ctypes.c_void_p()
        diagnostics = ctypes.c_void_p()
        result = lib.tropRunPassPipeline(bytes(module), len(module), pipeline.encode("utf-8"),
                                         ctypes.byref(diagnostics), ctypes.byref(err))
        if not result:
            raise _capi.take_error(err, "running the pass pipeline", PassError)
        text = _capi.take_string(result)
        notes = _capi.take_string(diagnostics.value)
        report = ""
        for path in reports:
            if os.path.exists(path):
                with open(path, encoding="utf-8") as f:
                    report += f.read()
        return PassResult(text, report, notes)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
