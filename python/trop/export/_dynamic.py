"""A dynamic batch dimension for an exported function.

``trop.export(..., dynamic_batch=True)`` traces the model twice, on the
example (batch B) and on the example with one more row (batch B + 1), and
compares the two texts line by line. Both runs emit the same ops in the same
order (the recorder sees the same program), so every integer that differs
between them is a size or an offset that the batch flows into; each must be
``k * batch`` for a whole ``k`` (``k * B`` in one text, ``k * (B + 1)`` in
the other). In a tensor type such a size becomes ``?``; elsewhere (the
sizes of ``tensor.expand_shape``, ``tensor.extract_slice`` and
``tensor.insert_slice``) it becomes an SSA value, ``tensor.dim`` of the
first batched argument times ``k``; a ``tensor.empty`` gets an operand per
``?``. This covers every op the exporter emits, whichever rule emitted it,
without a second, symbolic notion of shape in each rule.

What cannot be made dynamic fails with an ExportError: a constant whose
shape or value depends on the batch (``torch.zeros(x.size(0), ...)`` with
parameters as constants), a size that is not a multiple of the batch
(``x[:2]``), or a program that changes with the batch size.
"""

import re

from .._errors import ExportError

# Tensor types, quoted strings, and integers that stand alone (not part of a
# name such as %v12, f32 or d0, nor of a float literal).
_TOKEN_RE = re.compile(
    r'(tensor<[^<>]*>|"[^"]*"|(?<![\w%#@^.$+-])-?\d+(?![\w.]))')
_BATCH = "%trop_batch"


def _factor(a, b, batch, where):
    """The k of a size that is k * batch in one trace and k * (batch + 1) in
    the other."""
    k = b - a
    if k <= 0 or a != k * batch:
        raise ExportError(
            f"dynamic_batch: a size depends on the batch but is not a multiple "
            f"of it ({a} for a batch of {batch}, {b} for {batch + 1}) in: "
            f"{where.strip()}")
    return k


def _size_name(k):
    return _BATCH if k == 1 else f"{_BATCH}_x{k}"


def _generalise_type(t1, t2, batch, where):
    """The type with '?' for the sizes that follow the batch, and their k."""
    body1, body2 = t1[len("tensor<"):-1], t2[len("tensor<"):-1]
    dims1, dims2 = body1.split("x"), body2.split("x")
    if len(dims1) != len(dims2) or dims1[-1] != dims2[-1]:
        raise ExportError(f"dynamic_batch: the program changes with the batch "
                          f"size ({t1} vs {t2}) in: {where.strip()}")
    out, factors = [], []
    for d1, d2 in zip(dims1[:-1], dims2[:-1]):
        if d1 == d2:
            out.append(d1)
            continue
        factors.append(_factor(int(d1), int(d2), batch, where))
        out.append("?")
    return "tensor<" + "x".join(out + [dims1[-1]]) + ">", factors


_CONSTANT_RE = re.compile(
    r'^(\s*)(%[\w$.-]+) = arith.constant dense<"0x([0-9A-F]*)"> : '
    r'tensor<(\d+)x([^<>]*)>$')


def _broadcast_constant(l1, l2, batch, used):
    """A constant of k * batch equal rows (a parameter the model broadcast
    over the batch), as its row broadcast to the dynamic size; None if `l1`
    is not one."""
    m1, m2 = _CONSTANT_RE.match(l1), _CONSTANT_RE.match(l2)
    if not m1 or not m2 or m1.group(5) != m2.group(5):
        return None
    indent, name, hex1, rows, rest = m1.groups()
    rows, rows2 = int(rows), int(m2.group(4))
    if rows2 - rows <= 0 or rows != (rows2 - rows) * batch or len(hex1) % rows:
        return None
    row = hex1[:len(hex1) // rows]
    if row * rows != hex1 or row * rows2 != m2.group(3):
        return None
    k = rows2 - rows
    used.add(k)
    row_type, out_type = f"tensor<{rest}>", f"tensor<?x{rest}>"
    return "\n".join([
        f'{indent}{name}_row = arith.constant dense<"0x{row}"> : {row_type}',
        f"{indent}{name}_init = tensor.empty({_size_name(k)}) : {out_type}",
        f"{indent}{name} = linalg.broadcast ins({name}_row : {row_type}) "
        f"outs({name}_init : {out_type}) dimensions = [0]"])


def _generalise_line(l1, l2, batch, used):
    """`l1` with the batch made dynamic, given its twin `l2` from the trace
    of batch + 1; records every k it uses in `used`."""
    broadcast = _broadcast_constant(l1, l2, batch, used)
    if broadcast is not None:
        return broadcast
    p1, p2 = _TOKEN_RE.split(l1), _TOKEN_RE.split(l2)
    if len(p1) != len(p2) or p1[0::2] != p2[0::2]:
        raise ExportError(f"dynamic_batch: the program changes with the batch "
                          f"size at: {l1.strip()}")
    out, empty_factors, typed = [], [], False
    for i, (a, b) in enumerate(zip(p1, p2)):
        if i % 2 == 0 or a == b:
            out.append(a)
            continue
        if a.startswith("tensor<"):
            t, factors = _generalise_type(a, b, batch, l1)
            out.append(t)
            empty_factors.extend(factors)
            used.update(factors)
            typed = True
        elif a.startswith('"'):
            raise ExportError(f"dynamic_batch: a constant depends on the batch "
                              f"size (make it a function of the input or export "
                              f"with dynamic_batch=False): {l1.strip()}")
        else:
            k = _factor(int(a), int(b), batch, l1)
            used.add(k)
            out.append(_size_name(k))
    line = "".join(out)
    if typed and "arith.constant" in line:
        raise ExportError(f"dynamic_batch: a constant has the batch size in its "
                          f"shape (make it a function of the input or export "
                          f"with dynamic_batch=False): {l1.strip()}")
    if "= tensor.empty() :" in line and empty_factors:
        operands = ", ".join(_size_name(k) for k in empty_factors)
        line = line.replace("tensor.empty()", f"tensor.empty({operands})", 1)
    return line


def generalise_batch(text1, text2, batch, function_name):
    """`text1` (traced with batch `batch`) with the batch made dynamic, from
    `text2` (traced with `batch + 1`)."""
    lines1, lines2 = text1.split("\n"), text2.split("\n")
    if len(lines1) != len(lines2):
        raise ExportError("dynamic_batch: the model emits a different program "
                          "for another batch size (control flow on the batch "
                          "size?); export with dynamic_batch=False")
    used = set()
    out = []
    for l1, l2 in zip(lines1, lines2):
        if l1 == l2 or l1.lstrip().startswith("//"):
            out.append(l1)
        else:
            out.append(_generalise_line(l1, l2, batch, used))
    # The batch, read from the first argument whose leading size is it.
    head = f"func.func @{function_name}("
    at = next(i for i, line in enumerate(out) if line.startswith(head))
    match = re.search(r"(%[\w$.-]+): (tensor<\?x[^<>]*>)", out[at])
    if not match:
        raise ExportError("dynamic_batch: no input has the batch as its first "
                          "dimension")
    arg, arg_type = match.groups()
    defs = ["  %trop_c0 = arith.constant 0 : index",
            f"  {_BATCH} = tensor.dim {arg}, %trop_c0 : {arg_type}"]
    for k in sorted(used - {1}):
        defs.append(f"  %trop_c{k} = arith.constant {k} : index")
        defs.append(f"  {_size_name(k)} = arith.muli {_BATCH}, %trop_c{k} : index")
    return "\n".join(out[:at + 1] + defs + out[at + 1:])
