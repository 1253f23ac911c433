"""The GPU benchmark's workloads (bench/gpu/run.sh): what is timed on the
device and the small, awkward-shaped variants whose results are checked
against the reference pipeline's (computed on the CPU by prepare.py).

Each workload is one function @NAME of a module: its MLIR text, its argument
and result shapes and element types, and its tropical updates per call (the
max-plus/min-plus part only, for the paper A head)."""

import os
import sys
from dataclasses import dataclass
from typing import List, Tuple

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import fusion  # noqa: E402  (paper A's head, as the CPU benchmark runs it)

NP_TYPES = {"f32": "float32", "f16": "float16", "i32": "int32"}
C_TYPES = {"f32": "float", "f16": "uint16_t", "i32": "int32_t"}


@dataclass
class Workload:
    name: str
    label: str              # the table's row
    mlir: str
    inputs: List[Tuple[Tuple[int, ...], str]]
    result: Tuple[Tuple[int, ...], str]
    updates: int
    probe_type: str         # the ceiling probe's type that is its yardstick
                            # ("-": none, the workload is memory-bound)
    torch: str = ""         # "maxplus M N K" etc.: the PyTorch baselines' shape


def _t(shape, ty):
    return "tensor<" + "x".join(map(str, shape)) + "x" + ty + ">"


def matmul(name, semiring, m, n, k, ty, torch=""):
    a, b, c = _t((m, k), ty), _t((k, n), ty), _t((m, n), ty)
    text = (f"func.func @{name}(%a: {a}, %b: {b}, %c: {c}) -> {c} {{\n"
            f"  %r = trop.matmul <{semiring}> ins(%a, %b : {a}, {b}) outs(%c : {c}) -> {c}\n"
            f"  return %r : {c}\n}}\n")
    label = f"{semiring} {ty} {m}x{n}x{k}"
    probe = ty  # the probe prints f32, f16 (half2) and i32
    return Workload(name, label, text, [((m, k), ty), ((k, n), ty), ((m, n), ty)],
                    ((m, n), ty), m * n * k, probe, torch)


def conv3x3(name, b, h, w, c, f):
    """PRODUCT.md §6's 3x3 morphological conv (NHWC, 'same' padding)."""
    tx, tw, ty = _t((b, h, w, c), "f32"), _t((3, 3, c, f), "f32"), _t((b, h, w, f), "f32")
    text = (f"func.func @{name}(%x: {tx}, %w: {tw}, %y: {ty}) -> {ty} {{\n"
            f"  %r = trop.conv_2d <max_plus> {{padding = array<i64: 1, 1, 1, 1>}} "
            f"ins(%x, %w : {tx}, {tw}) outs(%y : {ty}) -> {ty}\n"
            f"  return %r : {ty}\n}}\n")
    return Workload(name, f"conv 3x3 f32 {b}x{h}x{w}x{c}->{f}", text,
                    [((b, h, w, c), "f32"), ((3, 3, c, f), "f32"), ((b, h, w, f), "f32")],
                    ((b, h, w, f), "f32"), b * h * w * f * 9 * c, "f32")


def depthwise3x3(name, b, h, w, c):
    """A 3x3 grayscale dilation per channel (NHWC, 'same' padding): the
    reference's loops as 256-thread blocks, memory-bound."""
    tx, tw = _t((b, h, w, c), "f32"), _t((3, 3, c), "f32")
    text = (f"func.func @{name}(%x: {tx}, %w: {tw}, %y: {tx}) -> {tx} {{\n"
            f"  %r = trop.depthwise_conv_2d <max_plus> {{padding = array<i64: 1, 1, 1, 1>}} "
            f"ins(%x, %w : {tx}, {tw}) outs(%y : {tx}) -> {tx}\n"
            f"  return %r : {tx}\n}}\n")
    return Workload(name, f"depthwise 3x3 f32 {b}x{h}x{w}x{c}", text,
                    [((b, h, w, c), "f32"), ((3, 3, c), "f32"), ((b, h, w, c), "f32")],
                    ((b, h, w, c), "f32"), b * h * w * c * 9, "-")


def maxout(name, rows, channels, group):
    """Maxout over groups of `group` channels (memory-bound); its updates
    are the input's elements."""
    tx, ty = _t((rows, channels), "f32"), _t((rows, channels // group), "f32")
    text = (f"func.func @{name}(%x: {tx}, %y: {ty}) -> {ty} {{\n"
            f"  %r = trop.maxout group_size = {group} ins(%x : {tx}) outs(%y : {ty}) -> {ty}\n"
            f"  return %r : {ty}\n}}\n")
    return Workload(name, f"maxout f32 {rows}x{channels}/{group}", text,
                    [((rows, channels), "f32"), ((rows, channels // group), "f32")],
                    ((rows, channels // group), "f32"), rows * channels, "-")


def head(name, batch, d, classes):
    """Paper A's head: linear d->d, dense max-plus d->d with bias, linear
    d->classes (bench/fusion.py's module)."""
    text = fusion.HEAD.format(B=batch, D=d, C=classes).replace("@bench", "@" + name)
    inputs = [((batch, d), "f32"), ((d, d), "f32"), ((d,), "f32"), ((d, d), "f32"),
              ((d,), "f32"), ((d, classes), "f32"), ((classes,), "f32")]
    return Workload(name, f"paper A head f32 batch {batch}", text, inputs,
                    ((batch, classes), "f32"), batch * d * d, "f32")


def bench_workloads(small=False):
    """What run.sh times; `small` (the CI dry run) shrinks every shape."""
    s = 16 if small else 1
    n4, n8 = 4096 // s, 8192 // s
    return [
        matmul("maxplus_f32_4096", "max_plus", n4, n4, n4, "f32", torch=f"{n4}"),
        matmul("minplus_f32_4096", "min_plus", n4, n4, n4, "f32"),
        matmul("maxplus_f32_8192", "max_plus", n8, n8, n8, "f32", torch=f"{n8}"),
        matmul("minplus_f32_8192", "min_plus", n8, n8, n8, "f32"),
        matmul("maxplus_f16_8192", "max_plus", n8, n8, n8, "f16"),
        matmul("maxplus_i32_4096", "max_plus", n4, n4, n4, "i32"),
        conv3x3("conv3x3_f32", 8, 56 // (4 if small else 1), 56 // (4 if small else 1), 64, 64),
        depthwise3x3("depthwise3x3_f32", 8, 56 // (4 if small else 1),
                     56 // (4 if small else 1), 64),
        maxout("maxout_f32", 4096 // s, 4096 // s, 4),
        head("head_f32", 256, 512 // (8 if small else 1), 10),
    ]


def check_workloads():
    """Small awkward shapes (partial tiles and slices) checked exactly."""
    return [
        matmul("check_maxplus_f32", "max_plus", 1031, 1000, 127, "f32"),
        matmul("check_minplus_f32", "min_plus", 127, 33, 1031, "f32"),
        matmul("check_maxplus_f16", "max_plus", 257, 129, 65, "f16"),
        matmul("check_maxplus_i32", "max_plus", 129, 130, 9, "i32"),
        conv3x3("check_conv3x3", 2, 9, 11, 8, 5),
        depthwise3x3("check_depthwise3x3", 2, 9, 11, 7),
        maxout("check_maxout", 33, 1000, 5),
        head("check_head", 7, 33, 10),
    ]
