#!/usr/bin/env python3
"""Differential test of trop ops against an independent numpy model.

For one op, draws random problems (shapes with awkward sizes, convolution
strides, dilations and padding, maxout group sizes), writes each as an MLIR
function in tensor form with every input (inits included) as an argument,
writes the inputs as .npy files, runs

    trop-run trial.mlir --entry trial --input ... --output out.npy

and compares every output with numpy BIT FOR BIT (any two NaNs are equal).
Every element type is covered in turn (f32, f64, f16, bf16, i8, i16, i32,
i1), each with every semiring valid for it, one op per semiring in the same
function. Every other round of types mixes in special values: infinities,
NaN, signed zeros, the largest finite values, subnormals (bf16 ones too:
the pipelines round bf16 in software, see --trop-soft-bf16), integer
extremes and 𝟘.

The numpy model follows docs/semantics.md literally:
  * ⊗ of max_plus/min_plus on floats is one IEEE addition in the element type
    (f16: in float32, rounded to f16; bf16: in float32, rounded to nearest
    even on the bit pattern, since numpy has no bfloat16), except that +inf
    met -inf gives 𝟘 (𝟘 absorbs the top; a NaN operand still gives NaN);
  * ⊗ of the _plus semirings on integers is the exact sum clamped to the
    type's range, except that 𝟘 (the type's min for max_*, max for min_*)
    absorbs;
  * max/min are IEEE 754-2019 maximum/minimum (NaN propagates, -0 < +0),
    OR/AND on i1;
  * convolutions pad the input with 𝟘.

Usage:
    compare.py --op matmul --trials 16 --seed 1 --runner path/to/trop-run

Prints one line per failing output and a summary line
    "<op>: N trials, M outputs compared, K mismatches"
and exits with 1 when K > 0 or a trop-run call fails. The files of a failing
trial are kept (their directory is printed) to reproduce it.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

FLOAT_TYPES = ["f32", "f64", "f16", "bf16"]
INT_TYPES = ["i8", "i16", "i32"]
ALL_TYPES = ["f32", "f64", "f16", "bf16", "i8", "i16", "i32", "i1"]
SEMIRINGS = ["max_plus", "min_plus", "max_min", "min_max"]

# numpy dtype that holds each type's values while computing ("carrier"; bf16
# values live in float32 arrays and are rounded to bf16 after every op), and
# the dtype of its .npy files.
CARRIER = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
           "bf16": np.float32, "i8": np.int64, "i16": np.int64,
           "i32": np.int64, "i1": np.bool_}
FILE_DTYPE = {"f32": np.float32, "f64": np.float64, "f16": np.float16,
              "bf16": np.uint16, "i8": np.int8, "i16": np.int16,
              "i32": np.int32, "i1": np.bool_}
BITS_DTYPE = {"f32": np.uint32, "f64": np.uint64, "f16": np.uint16,
              "bf16": np.uint16}


def is_float(ty):
    return ty in FLOAT_TYPES


def int_range(ty):
    bits = int(ty[1:])
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def semirings_for(ty):
    return ["max_min", "min_max"] if ty == "i1" else SEMIRINGS


def is_max(semiring):
    return semiring.startswith("max")


def zero_of(ty, semiring):
    """𝟘 of `semiring` on `ty`, as a carrier scalar."""
    top = not is_max(semiring)
    if is_float(ty):
        return CARRIER[ty](np.inf if top else -np.inf)
    if ty == "i1":
        return np.bool_(top)
    lo, hi = int_range(ty)
    return np.int64(hi if top else lo)


# ---------------------------------------------------------------------------
# Rounding to bf16 and files
# ---------------------------------------------------------------------------


def bf16_bits(x):
    """Rounds float32 values to bf16 (nearest even) and returns the bits."""
    x = np.asarray(x, dtype=np.float32)
    bits = x.view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    rounded = rounded.astype(np.uint16)
    return np.where(np.isnan(x), np.uint16(0x7FC0), rounded)


def round_bf16(x):
    """Rounds float32 values to the nearest bf16, kept as float32."""
    return (bf16_bits(x).astype(np.uint32) << 16).view(np.float32)


def round_to(ty, x):
    """Rounds a float64/float32 array to the carrier of float type `ty`."""
    if ty == "bf16":
        return round_bf16(np.asarray(x, dtype=np.float32))
    return np.asarray(x).astype(CARRIER[ty])


def to_file(ty, x):
    if ty == "bf16":
        return bf16_bits(x)
    return np.asarray(x).astype(FILE_DTYPE[ty])


def bits_of(ty, x):
    """Comparable bit patterns of carrier values (or values read from file)."""
    if ty == "bf16":
        return bf16_bits(x) if x.dtype == np.float32 else x
    if is_float(ty):
        return np.ascontiguousarray(x).view(BITS_DTYPE[ty])
    return x.astype(np.int64)


def display(ty, value):
    """Text of one element (bf16 bits or carrier value) for messages."""
    value = np.asarray(value)
    if ty == "bf16" and value.dtype == np.uint16:
        value = (value.reshape(1).astype(np.uint32) << 16).view(np.float32)[0]
    elif ty == "bf16":
        value = value.reshape(1)[0]
    if is_float(ty):
        return repr(float(value))
    return repr(value.item())


def is_nan(ty, x):
    if ty == "bf16" and x.dtype == np.uint16:
        return ((x & 0x7F80) == 0x7F80) & ((x & 0x7F) != 0)
    return np.isnan(x) if is_float(ty) else np.zeros(x.shape, dtype=bool)


# ---------------------------------------------------------------------------
# The semiring model
# ---------------------------------------------------------------------------


def ieee_max_min(ty, x, y, take_max):
    """IEEE 754-2019 maximum/minimum (NaN propagates, -0 < +0), or signed
    max/min on integers, OR/AND on i1."""
    if ty == "i1":
        return (x | y) if take_max else (x & y)
    if not is_float(ty):
        return np.maximum(x, y) if take_max else np.minimum(x, y)
    x, y = np.broadcast_arrays(x, y)
    result = np.maximum(x, y) if take_max else np.minimum(x, y)
    both_zero = (x == 0) & (y == 0)
    if take_max:
        zero = np.where(np.signbit(x) & np.signbit(y), -0.0, 0.0)
    else:
        zero = np.where(np.signbit(x) | np.signbit(y), -0.0, 0.0)
    return np.where(both_zero, zero.astype(result.dtype), result)


def reduce_max_min(ty, x, axis, take_max, zero):
    """⊕-reduction of `x` along `axis` (𝟘 for an empty axis)."""
    if x.shape[axis] == 0:
        shape = x.shape[:axis] + x.shape[axis + 1:]
        return np.full(shape, zero, dtype=x.dtype)
    if ty == "i1":
        return x.any(axis=axis) if take_max else x.all(axis=axis)
    result = x.max(axis=axis) if take_max else x.min(axis=axis)
    if not is_float(ty):
        return result
    # max/min of NaN-free values is exact; fix the sign of zero results.
    has_pos_zero = ((x == 0) & ~np.signbit(x)).any(axis=axis)
    has_neg_zero = ((x == 0) & np.signbit(x)).any(axis=axis)
    if take_max:
        zero_result = np.where(has_pos_zero, 0.0, -0.0)
    else:
        zero_result = np.where(has_neg_zero, -0.0, 0.0)
    return np.where(result == 0, zero_result.astype(result.dtype), result)


def semiring_mul(ty, semiring, a, b):
    """a ⊗ b, elementwise with broadcasting."""
    if semiring == "max_min":
        return ieee_max_min(ty, a, b, take_max=False)
    if semiring == "min_max":
        return ieee_max_min(ty, a, b, take_max=True)
    # _plus semirings.
    if is_float(ty):
        if ty == "f16":
            total = (a.astype(np.float32) + b.astype(np.float32)).astype(
                np.float16)
        elif ty == "bf16":
            total = round_bf16(a + b)
        else:
            total = a + b
        # +inf met -inf: 𝟘 absorbs the top (a NaN operand still gives NaN).
        met = np.isnan(total) & ~np.isnan(a) & ~np.isnan(b)
        return np.where(met, zero_of(ty, semiring), total)
    lo, hi = int_range(ty)
    zero = zero_of(ty, semiring)
    total = np.clip(a + b, lo, hi)
    return np.where((a == zero) | (b == zero), zero, total)


def semiring_add(ty, semiring, a, b):
    return ieee_max_min(ty, a, b, take_max=is_max(semiring))


def semiring_reduce(ty, semiring, x, axis):
    return reduce_max_min(ty, x, axis, is_max(semiring),
                          zero_of(ty, semiring))


# ---------------------------------------------------------------------------
# Reference implementations of the ops
# ---------------------------------------------------------------------------


def ref_matmul(ty, semiring, a, b, c):
    products = semiring_mul(ty, semiring, a[:, :, None], b[None, :, :])
    return semiring_add(ty, semiring, c,
                        semiring_reduce(ty, semiring, products, axis=1))


def ref_batch_matmul(ty, semiring, a, b, c):
    products = semiring_mul(ty, semiring, a[:, :, :, None], b[:, None, :, :])
    return semiring_add(ty, semiring, c,
                        semiring_reduce(ty, semiring, products, axis=2))


def padded(ty, semiring, x, padding):
    top, left, bottom, right = padding
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)),
                  constant_values=zero_of(ty, semiring))


def window(xp, kh, kw, attrs, out_h, out_w):
    sh, sw = attrs["strides"]
    dh, dw = attrs["dilations"]
    h0, w0 = kh * dh, kw * dw
    return xp[:, h0:h0 + sh * (out_h - 1) + 1:sh,
              w0:w0 + sw * (out_w - 1) + 1:sw, :]


def ref_conv_2d(ty, semiring, x, f, y, attrs):
    xp = padded(ty, semiring, x, attrs["padding"])
    acc = y
    for kh in range(f.shape[0]):
        for kw in range(f.shape[1]):
            xs = window(xp, kh, kw, attrs, y.shape[1], y.shape[2])
            products = semiring_mul(ty, semiring, xs[..., :, None],
                                    f[kh, kw][None, None, None, :, :])
            acc = semiring_add(ty, semiring, acc,
                               semiring_reduce(ty, semiring, products, 3))
    return acc


def ref_depthwise_conv_2d(ty, semiring, x, s, y, attrs):
    xp = padded(ty, semiring, x, attrs["padding"])
    acc = y
    for kh in range(s.shape[0]):
        for kw in range(s.shape[1]):
            xs = window(xp, kh, kw, attrs, y.shape[1], y.shape[2])
            acc = semiring_add(ty, semiring, acc,
                               semiring_mul(ty, semiring, xs, s[kh, kw]))
    return acc


def ref_maxout(ty, x, y, group_size):
    groups = x.reshape(x.shape[:-1] + (y.shape[-1], group_size))
    # maxout is max whatever the type; 𝟘 of max_min is the bottom.
    reduced = reduce_max_min(ty, groups, groups.ndim - 1, True,
                             zero_of(ty, "max_min"))
    return ieee_max_min(ty, y, reduced, take_max=True)


# ---------------------------------------------------------------------------
# Random problems
# ---------------------------------------------------------------------------

AWKWARD_SIZES = [1, 1, 2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 40]


def draw_size(rng, limit, sizes=AWKWARD_SIZES):
    choices = [s for s in sizes if s <= limit]
    if rng.random() < 0.5:
        return int(rng.choice(choices))
    return int(rng.integers(1, limit + 1))


def special_values(ty, semiring_zeros, bf16_subnormals):
    if ty == "i1":
        return [False, True]
    if is_float(ty):
        big, tiny = {
            "f16": (65504.0, 2.0 ** -24),
            "f32": (float(np.finfo(np.float32).max), 1.401298464324817e-45),
            "f64": (float(np.finfo(np.float64).max), 5e-324),
            # The smallest normal unless asked for subnormals: see --help.
            "bf16": (3.3895313892515355e38, 9.183549615799121e-41
                     if bf16_subnormals else 1.1754943508222875e-38)}[ty]
        return [np.inf, -np.inf, np.nan, 0.0, -0.0, big, -big, tiny, -tiny,
                1.0, -1.0] + list(semiring_zeros)
    lo, hi = int_range(ty)
    return [lo, hi, lo + 1, hi - 1, 0, -1, 1, hi // 2, lo // 2] + list(
        semiring_zeros)


def draw_values(rng, ty, shape, special, semirings, bf16_subnormals=False):
    """Random carrier values of `ty`; with `special`, some are replaced by
    special values (and 𝟘 of the given semirings)."""
    shape = tuple(shape)
    if ty == "i1":
        values = rng.random(shape) < rng.uniform(0.2, 0.8)
        return values.astype(np.bool_)
    if is_float(ty):
        mode = rng.integers(4)
        if mode == 0:
            values = rng.uniform(-10, 10, shape)
        elif mode == 1:
            values = rng.integers(-8, 9, shape).astype(np.float64)  # ties
        elif mode == 2:
            values = rng.uniform(-1e4, 1e4, shape)
        else:
            # Wide magnitudes: sums overflow to ±inf.
            big = {"f16": 6e4, "bf16": 3e38, "f32": 3e38, "f64": 1e308}[ty]
            values = rng.uniform(-1, 1, shape) * big
        values = round_to(ty, values)
    else:
        lo, hi = int_range(ty)
        mode = rng.integers(3)
        if mode == 0:
            values = rng.integers(-20, 21, shape)
        elif mode == 1:
            values = rng.integers(lo, hi + 1, shape, dtype=np.int64)
        else:
            # Near half the range: sums often clamp.
            values = rng.integers(hi // 2 - 10, hi // 2 + 10, shape) * \
                rng.choice([-1, 1], shape)
        values = np.clip(values, lo, hi).astype(np.int64)
    if special and values.size:
        zeros = [zero_of(ty, s) for s in semirings]
        pool = special_values(ty, zeros, bf16_subnormals)
        # From a sprinkle to nearly all: dense specials make 𝟘 absorption,
        # signed zeros and saturation decide the result often.
        mask = rng.random(shape) < rng.uniform(0.05, 0.9)
        picks = rng.integers(0, len(pool), shape)
        replacement = np.array([pool[i] for i in picks.ravel()],
                               dtype=np.float64 if is_float(ty) else object)
        replacement = replacement.reshape(shape)
        if is_float(ty):
            replacement = round_to(ty, replacement)
        else:
            replacement = replacement.astype(np.int64)
        values = np.where(mask, replacement, values)
    return values


def draw_conv_geometry(rng, depthwise):
    """(N, H, W, C, F, KH, KW, attrs, OH, OW) with a window that fits."""
    while True:
        n = int(rng.integers(1, 3))
        c = int(rng.integers(1, 5))
        f = c if depthwise else int(rng.integers(1, 5))
        kh, kw = (int(rng.integers(1, 4)) for _ in range(2))
        sh, sw = (int(rng.integers(1, 4)) for _ in range(2))
        dh, dw = (int(rng.integers(1, 4)) for _ in range(2))
        pad = [int(rng.integers(0, 3)) for _ in range(4)]
        h, w = (draw_size(rng, 13) for _ in range(2))
        top, left, bottom, right = pad
        eff_h, eff_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
        if eff_h > h + top + bottom or eff_w > w + left + right:
            continue
        oh = (h + top + bottom - eff_h) // sh + 1
        ow = (w + left + right - eff_w) // sw + 1
        attrs = {"strides": (sh, sw), "dilations": (dh, dw), "padding": pad}
        return n, h, w, c, f, kh, kw, attrs, oh, ow


# ---------------------------------------------------------------------------
# MLIR text
# ---------------------------------------------------------------------------


def tensor_type(shape, ty):
    dims = "x".join(str(d) for d in shape)
    return f"tensor<{dims}x{ty}>" if shape else f"tensor<{ty}>"


def attr_dict(attrs):
    sh, sw = attrs["strides"]
    dh, dw = attrs["dilations"]
    pad = ", ".join(str(p) for p in attrs["padding"])
    return (f"{{strides = array<i64: {sh}, {sw}>, "
            f"dilations = array<i64: {dh}, {dw}>, "
            f"padding = array<i64: {pad}>}}")


def make_function(op, ty, arg_shapes, result_shape, semirings, attrs,
                  group_size):
    """One function computing `op` once per semiring; its arguments are the
    two inputs (one for maxout) then one init per semiring."""
    num_inputs = 1 if op == "maxout" else 2
    args = [f"%arg{i}: {tensor_type(s, ty)}" for i, s in enumerate(arg_shapes)]
    result_type = tensor_type(result_shape, ty)
    in_types = ", ".join(tensor_type(s, ty) for s in arg_shapes[:num_inputs])
    ins = ", ".join(f"%arg{i}" for i in range(num_inputs))
    body = []
    for index, semiring in enumerate(semirings):
        init = f"%arg{num_inputs + index}"
        if op == "maxout":
            head = f"trop.maxout group_size = {group_size}"
        elif op in ("conv_2d", "depthwise_conv_2d"):
            head = f"trop.{op} <{semiring}> {attr_dict(attrs)}"
        else:
            head = f"trop.{op} <{semiring}>"
        body.append(f"  %r{index} = {head} ins({ins} : {in_types}) "
                    f"outs({init} : {result_type}) -> {result_type}")
    results = ", ".join(f"%r{i}" for i in range(len(semirings)))
    result_types = ", ".join([result_type] * len(semirings))
    return (f"func.func @trial({', '.join(args)}) -> ({result_types}) {{\n" +
            "\n".join(body) + f"\n  return {results} : {result_types}\n}}\n")


# ---------------------------------------------------------------------------
# Trials
# ---------------------------------------------------------------------------


def make_problem(rng, op, ty, special, bf16_subnormals):
    """Returns (inputs, inits, semirings, attrs, group_size, reference)."""
    semirings = semirings_for(ty)
    attrs, group_size = None, None
    # Special values decide more results when the reductions are short.
    reduction_limit = 3 if special and rng.random() < 0.5 else 40
    if op == "matmul":
        m, n = draw_size(rng, 40), draw_size(rng, 40)
        k = draw_size(rng, reduction_limit)
        # Now and then an empty reduction (C is returned unchanged) or an
        # empty result.
        if rng.random() < 0.08:
            if rng.random() < 0.5:
                k = 0
            else:
                m = 0
        shapes = [(m, k), (k, n)]
        result_shape = (m, n)
    elif op == "batch_matmul":
        b = int(rng.integers(1, 5))
        m, n = draw_size(rng, 17), draw_size(rng, 17)
        k = draw_size(rng, min(17, reduction_limit))
        shapes = [(b, m, k), (b, k, n)]
        result_shape = (b, m, n)
    elif op in ("conv_2d", "depthwise_conv_2d"):
        depthwise = op == "depthwise_conv_2d"
        n, h, w, c, f, kh, kw, attrs, oh, ow = draw_conv_geometry(rng,
                                                                  depthwise)
        shapes = [(n, h, w, c), (kh, kw, c) if depthwise else (kh, kw, c, f)]
        result_shape = (n, oh, ow, f)
    elif op == "maxout":
        semirings = ["max_min"]  # only names the init's 𝟘
        group_size = int(rng.integers(1, 6))
        groups = int(rng.integers(1, 7))
        lead = tuple(int(rng.integers(1, 6))
                     for _ in range(int(rng.integers(0, 3))))
        shapes = [lead + (groups * group_size,)]
        result_shape = lead + (groups,)
    else:
        raise ValueError(op)

    inputs = [draw_values(rng, ty, s, special, semirings, bf16_subnormals)
              for s in shapes]
    inits = []
    for semiring in semirings:
        if rng.random() < 0.25:
            # The plain product: C filled with 𝟘.
            inits.append(np.full(result_shape, zero_of(ty, semiring),
                                 dtype=CARRIER[ty]))
        else:
            inits.append(draw_values(rng, ty, result_shape, special,
                                     [semiring], bf16_subnormals))

    expected = []
    with np.errstate(all="ignore"):
        for semiring, init in zip(semirings, inits):
            if op == "matmul":
                expected.append(ref_matmul(ty, semiring, *inputs, init))
            elif op == "batch_matmul":
                expected.append(ref_batch_matmul(ty, semiring, *inputs, init))
            elif op == "conv_2d":
                expected.append(ref_conv_2d(ty, semiring, *inputs, init,
                                            attrs))
            elif op == "depthwise_conv_2d":
                expected.append(ref_depthwise_conv_2d(ty, semiring, *inputs,
                                                      init, attrs))
            else:
                expected.append(ref_maxout(ty, *inputs, init, group_size))
    return shapes, result_shape, inputs, inits, semirings, attrs, group_size, \
        expected


def describe(op, ty, shapes, attrs, group_size):
    text = f"{op} {ty} " + " ".join("x".join(map(str, s)) or "scalar"
                                    for s in shapes)
    if attrs:
        text += (f" strides={attrs['strides']} dilations={attrs['dilations']}"
                 f" padding={attrs['padding']}")
    if group_size:
        text += f" group_size={group_size}"
    return text


def run_trial(args, trial, work_dir):
    """Returns (outputs compared, mismatches, ok to delete the files)."""
    rng = np.random.default_rng([args.seed, trial])
    types = args.types.split(",") if args.types else ALL_TYPES
    # Every type in turn; every other round of types with special values.
    ty = types[(args.seed + trial) % len(types)]
    special = (trial // len(types)) % 2 == 1
    shapes, result_shape, inputs, inits, semirings, attrs, group_size, \
        expected = make_problem(rng, args.op, ty, special,
                                args.bf16_subnormals)
    what = describe(args.op, ty, shapes, attrs, group_size)
    if special:
        what += " (special values)"

    if args.verbose:
        print(f"trial {trial}: {what}")
    os.makedirs(work_dir, exist_ok=True)
    mlir = make_function(args.op, ty, shapes + [result_shape] * len(inits),
                         result_shape, semirings, attrs, group_size)
    with open(os.path.join(work_dir, "trial.mlir"), "w") as f:
        f.write(mlir)
    command = [args.runner, os.path.join(work_dir, "trial.mlir"),
               "--entry", "trial"]
    for index, value in enumerate(inputs + inits):
        path = os.path.join(work_dir, f"arg{index}.npy")
        np.save(path, to_file(ty, value))
        command += ["--input", path]
    out = os.path.join(work_dir, "out.npy")
    command += ["--output", out] + args.trop_run_arg
    run = subprocess.run(command, capture_output=True, text=True)
    if run.returncode != 0:
        print(f"trial {trial}: {what}: trop-run failed (exit code "
              f"{run.returncode}):\n{run.stderr.strip()}\n"
              f"  reproduce: {' '.join(command)}")
        return len(semirings), len(semirings), False

    mismatches = 0
    for index, (semiring, want) in enumerate(zip(semirings, expected)):
        path = out if len(semirings) == 1 else \
            os.path.join(work_dir, f"out.{index}.npy")
        got = np.load(path)
        label = semiring if args.op != "maxout" else "maxout"
        if got.shape != tuple(result_shape) or \
                got.dtype != np.dtype(FILE_DTYPE[ty]):
            print(f"trial {trial}: {what} {label}: trop-run wrote "
                  f"{got.dtype} {got.shape}, expected "
                  f"{np.dtype(FILE_DTYPE[ty])} {tuple(result_shape)}")
            mismatches += 1
            continue
        got_bits, want_bits = bits_of(ty, got), bits_of(ty, want)
        same = (got_bits == want_bits) | (is_nan(ty, got) &
                                          is_nan(ty, np.asarray(want)))
        if same.all():
            continue
        mismatches += 1
        bad = np.argwhere(~same)
        first = tuple(int(i) for i in bad[0])
        print(f"trial {trial}: {what} {label}: {len(bad)} of {same.size} "
              f"elements differ; first at {list(first)}: trop-run "
              f"{display(ty, got[first])}, numpy "
              f"{display(ty, np.asarray(want)[first])}\n  files: {work_dir}")
    return len(semirings), mismatches, mismatches == 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--op", required=True,
                        choices=["matmul", "batch_matmul", "conv_2d",
                                 "depthwise_conv_2d", "maxout"])
    parser.add_argument("--trials", type=int, default=16)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runner", default="trop-run",
                        help="the trop-run executable")
    parser.add_argument("--trop-run-arg", action="append", default=[],
                        metavar="ARG",
                        help="extra argument for trop-run, e.g. "
                             "--trop-run-arg=--pipeline=NAME (repeatable)")
    parser.add_argument("--types",
                        help="comma-separated element types (default: all)")
    parser.add_argument(
        "--no-bf16-subnormals", dest="bf16_subnormals", action="store_false",
        help="do not draw bf16 subnormals (a host's bf16 conversion "
             "instruction may flush them; the trop pipelines avoid it with "
             "--trop-soft-bf16)")
    parser.add_argument("--verbose", action="store_true",
                        help="print every trial's problem")
    parser.add_argument("--only-trial", type=int,
                        help="run only this trial (to reproduce a failure)")
    parser.add_argument("--work-dir",
                        help="where to put the files (default: a temporary "
                             "directory, removed unless a trial fails)")
    args = parser.parse_args()

    root = args.work_dir or tempfile.mkdtemp(prefix=f"trop-{args.op}-")
    os.makedirs(root, exist_ok=True)
    trials = [args.only_trial] if args.only_trial is not None else \
        range(args.trials)
    compared = mismatches = 0
    keep = False
    for trial in trials:
        work_dir = os.path.join(root, f"trial{trial}")
        count, bad, clean = run_trial(args, trial, work_dir)
        compared += count
        mismatches += bad
        if clean:
            shutil.rmtree(work_dir, ignore_errors=True)
        else:
            keep = True
    if not keep and not args.work_dir:
        shutil.rmtree(root, ignore_errors=True)
    print(f"{args.op}: {len(trials)} trials, {compared} outputs compared, "
          f"{mismatches} mismatches")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
