"""Paper D's bit-packed ops (trop.pack_bits, trop.unpack_bits,
trop.binary_morphology, trop.level_sets) against an independent numpy model,
on the reference pipeline and on the CPU pipeline with 1 and 2 threads, and
against the byte-per-pixel i1 path (trop.depthwise_conv_2d on i1).

The numpy model works on booleans only (np.pad, slicing, &, |); the packed
words it compares with are built by its own packing. Trailing bits (channels
c >= C of the last word) of the inputs are random, so tests also check that
the ops ignore them, and that a binary_morphology result keeps those of its
destination."""

import itertools

import numpy as np
import pytest

import trop
from conftest import assert_tropical_equal

PIPELINES = [("reference", 0), ("cpu", 1), ("cpu", 2)]
RNG = np.random.default_rng(13)


def words_of(channels):
    return (channels + 63) // 64


def np_pack(bits):
    """bit c % 64 of word c // 64; trailing bits 0."""
    c = bits.shape[-1]
    padded = np.zeros(bits.shape[:-1] + (words_of(c) * 64,), dtype=np.uint64)
    padded[..., :c] = bits
    split = padded.reshape(bits.shape[:-1] + (words_of(c), 64))
    words = np.bitwise_or.reduce(split << np.arange(64, dtype=np.uint64), axis=-1)
    return words.astype(np.uint64).view(np.int64)


def np_unpack(words, channels):
    w = words.view(np.uint64)[..., None] >> np.arange(64, dtype=np.uint64)
    bits = (w & np.uint64(1)).astype(bool)
    return bits.reshape(words.shape[:-1] + (words.shape[-1] * 64,))[..., :channels]


def channel_mask(channels):
    """Per word, the bits that hold channels."""
    mask = np.full(words_of(channels), -1, dtype=np.int64)
    if channels % 64:
        mask[-1] = np.int64((1 << (channels % 64)) - 1)
    return mask


def np_morphology(x, s, y, kind, padding, mode, strides, dilations):
    """Booleans in (N×H×W×C, KH×KW×C, N×OH×OW×C), booleans out."""
    top, left, bottom, right = padding
    pad = ((0, 0), (top, bottom), (left, right), (0, 0))
    if mode == "replicate":
        xp = np.pad(x, pad, mode="edge")
    else:
        xp = np.pad(x, pad, constant_values=(kind == "erosion"))
    (sh, sw), (dh, dw) = strides, dilations
    oh, ow = y.shape[1], y.shape[2]
    out = y.copy()
    for kh, kw in itertools.product(range(s.shape[0]), range(s.shape[1])):
        win = xp[:, kh * dh: kh * dh + sh * (oh - 1) + 1: sh,
                 kw * dw: kw * dw + sw * (ow - 1) + 1: sw, :]
        if kind == "dilation":
            out |= win & s[kh, kw]
        else:
            out &= win | ~s[kh, kw]
    return out


def random_words(shape):
    return RNG.integers(-2**63, 2**63 - 1, size=shape, dtype=np.int64,
                        endpoint=True)


def ty(shape, elem):
    return "tensor<" + "".join(f"{d}x" for d in shape) + elem + ">"


def morphology_source(kind, channels, mode, xs, ss, ys, strides, dilations,
                      padding):
    attrs = (f"{{strides = array<i64: {strides[0]}, {strides[1]}>, "
             f"dilations = array<i64: {dilations[0]}, {dilations[1]}>, "
             f"padding = array<i64: {', '.join(map(str, padding))}>}}")
    tx, ts, tyy = ty(xs, "i64"), ty(ss, "i64"), ty(ys, "i64")
    return (f"func.func @f(%x: {tx}, %s: {ts}, %y: {tyy}) -> {tyy} {{\n"
            f"  %r = trop.binary_morphology <{kind}> channels = {channels} "
            f"padding_mode = <{mode}> {attrs} ins(%x, %s : {tx}, {ts}) "
            f"outs(%y : {tyy}) -> {tyy}\n  return %r : {tyy}\n}}\n")


def out_size(size, k, stride, dilation, before, after):
    return (size + before + after - dilation * (k - 1) - 1) // stride + 1


def run_morphology(kind, mode, n, h, w, c, k, strides, dilations, padding,
                   pipeline, threads):
    kh, kw = k
    oh = out_size(h, kh, strides[0], dilations[0], padding[0], padding[2])
    ow = out_size(w, kw, strides[1], dilations[1], padding[1], padding[3])
    wd = words_of(c)
    xs, ss, ys = (n, h, w, wd), (kh, kw, wd), (n, oh, ow, wd)
    x, s, y = random_words(xs), random_words(ss), random_words(ys)
    # Sparse structuring elements and images exercise more than all-ones.
    s &= random_words(ss)
    source = morphology_source(kind, c, mode, xs, ss, ys, strides, dilations,
                               padding)
    got = trop.compile(source, pipeline=pipeline, threads=threads).f(x, s, y)
    bits = np_morphology(np_unpack(x, c), np_unpack(s, c), np_unpack(y, c),
                         kind, padding, mode, strides, dilations)
    mask = channel_mask(c)
    expected = (np_pack(bits) & mask) | (y & ~mask)
    assert_tropical_equal(got, expected)


SHAPES = [
    # n, h, w, c, (kh, kw), strides, dilations, padding
    (1, 7, 7, 1, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1)),
    (2, 1, 7, 63, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1)),
    (1, 7, 1, 64, (3, 1), (1, 1), (1, 1), (1, 0, 1, 0)),
    (1, 33, 7, 65, (3, 3), (2, 1), (1, 2), (1, 2, 1, 2)),
    (2, 7, 33, 130, (2, 3), (1, 2), (2, 1), (1, 1, 0, 1)),
    (1, 33, 33, 3, (5, 5), (1, 1), (1, 1), (2, 2, 2, 2)),
    (1, 9, 9, 64, (3, 3), (1, 1), (1, 1), (0, 0, 0, 0)),
    (1, 1, 1, 2, (3, 3), (1, 1), (1, 1), (1, 1, 1, 1)),
]


@pytest.mark.parametrize("pipeline,threads", PIPELINES)
@pytest.mark.parametrize("kind", ["dilation", "erosion"])
@pytest.mark.parametrize("mode", ["zero", "replicate"])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: "x".join(map(str, s[:4])))
def test_binary_morphology_matches_numpy(pipeline, threads, kind, mode, shape):
    n, h, w, c, k, strides, dilations, padding = shape
    run_morphology(kind, mode, n, h, w, c, k, strides, dilations, padding,
                   pipeline, threads)


PACK = """
func.func @pack(%x: {bits}, %w: {words}) -> {words} {{
  %p = trop.pack_bits ins(%x : {bits}) outs(%w : {words}) -> {words}
  return %p : {words}
}}
func.func @unpack(%w: {words}, %x: {bits}) -> {bits} {{
  %u = trop.unpack_bits ins(%w : {words}) outs(%x : {bits}) -> {bits}
  return %u : {bits}
}}
"""


@pytest.mark.parametrize("pipeline,threads", PIPELINES)
@pytest.mark.parametrize("shape", [(1,), (63,), (3, 64), (2, 5, 65), (2, 3, 1, 130)])
def test_pack_unpack_match_numpy(pipeline, threads, shape):
    c = shape[-1]
    wshape = shape[:-1] + (words_of(c),)
    mod = trop.compile(PACK.format(bits=ty(shape, "i1"), words=ty(wshape, "i64")),
                       pipeline=pipeline, threads=threads)
    bits = RNG.random(shape) < 0.5
    packed = mod.pack(bits, random_words(wshape))
    assert_tropical_equal(packed, np_pack(bits))
    words = random_words(wshape)  # trailing bits are ignored
    assert_tropical_equal(mod.unpack(words, RNG.random(shape) < 0.5),
                          np_unpack(words, c))


I1_PATH = """
func.func @packed(%x: {xb}, %s: {sb}, %xw: {xw}, %sw: {sw}, %y: {xw}) -> {xb} {{
  %px = trop.pack_bits ins(%x : {xb}) outs(%xw : {xw}) -> {xw}
  %ps = trop.pack_bits ins(%s : {sb}) outs(%sw : {sw}) -> {sw}
  %r = trop.binary_morphology <{kind}> channels = {c} padding_mode = <zero> {{padding = array<i64: 1, 1, 1, 1>}}
         ins(%px, %ps : {xw}, {sw}) outs(%y : {xw}) -> {xw}
  %u = trop.unpack_bits ins(%r : {xw}) outs(%x : {xb}) -> {xb}
  return %u : {xb}
}}
func.func @bytes(%x: {xb}, %s: {sb}, %y: {xb}) -> {xb} {{
  %r = trop.depthwise_conv_2d <{semiring}> {{padding = array<i64: 1, 1, 1, 1>}}
         ins(%x, %s : {xb}, {sb}) outs(%y : {xb}) -> {xb}
  return %r : {xb}
}}
"""


@pytest.mark.parametrize("pipeline,threads", PIPELINES)
@pytest.mark.parametrize("kind", ["dilation", "erosion"])
@pytest.mark.parametrize("c", [1, 65])
def test_packed_path_matches_i1_depthwise(pipeline, threads, kind, c):
    """Zero padding is 𝟘 padding: the packed op is depthwise_conv_2d on i1
    (max_min for dilation; min_max for erosion, whose structuring element
    marks a pixel 'in' with false, the 𝟙 of min_max)."""
    n, h, w = 2, 9, 11
    xb, sb = ty((n, h, w, c), "i1"), ty((3, 3, c), "i1")
    xw, sw = ty((n, h, w, words_of(c)), "i64"), ty((3, 3, words_of(c)), "i64")
    semiring = "max_min" if kind == "dilation" else "min_max"
    mod = trop.compile(I1_PATH.format(xb=xb, sb=sb, xw=xw, sw=sw, c=c, kind=kind,
                                      semiring=semiring),
                       pipeline=pipeline, threads=threads)
    x = RNG.random((n, h, w, c)) < 0.4
    s = RNG.random((3, 3, c)) < 0.5
    fill = kind == "erosion"
    y_words = np.broadcast_to(np_pack(np.full((n, h, w, c), fill)),
                              (n, h, w, words_of(c))).copy()
    packed = mod.packed(x, s, random_words(x.shape[:-1] + (words_of(c),)),
                        random_words((3, 3, words_of(c))), y_words)
    element = s if kind == "dilation" else ~s
    bytes_ = mod.bytes(x, element, np.full((n, h, w, c), fill))
    assert_tropical_equal(packed, bytes_)


LEVEL_SETS = """
func.func @f(%x: {xt}, %y: {yt}) -> {yt} {{
  %r = trop.level_sets thresholds = [{thresholds}] ins(%x : {xt}) outs(%y : {yt}) -> {yt}
  return %r : {yt}
}}
"""


@pytest.mark.parametrize("pipeline,threads", PIPELINES)
@pytest.mark.parametrize("elem,dtype", [("f32", np.float32), ("f64", np.float64),
                                        ("f16", np.float16)])
def test_level_sets_match_numpy(pipeline, threads, elem, dtype):
    thresholds = [0.25, 0.5, 0.75, 0.1]
    shape = (2, 5, 7, 3)
    yshape = shape[:-1] + (shape[-1] * len(thresholds),)
    mod = trop.compile(LEVEL_SETS.format(
        xt=ty(shape, elem), yt=ty(yshape, "i1"),
        thresholds=", ".join(map(repr, thresholds))),
        pipeline=pipeline, threads=threads)
    x = RNG.random(shape).astype(dtype)
    x.flat[:4] = np.array([0.25, 0.5, np.nan, 0.1], dtype=dtype)  # ties, NaN
    got = mod.f(x, np.zeros(yshape, dtype=bool))
    expected = (x.astype(np.float64)[..., None] >= np.array(thresholds))
    assert_tropical_equal(got, expected.reshape(yshape))


DENSE = """
func.func @f(%x: {xt}, %s: {st}, %e: {et}, %y: {yt}) -> {yt} {{
  %r = trop.binary_dense in_features = {k} ins(%x, %s, %e : {xt}, {st}, {et}) outs(%y : {yt}) -> {yt}
  return %r : {yt}
}}
"""


@pytest.mark.parametrize("pipeline,threads", PIPELINES)
@pytest.mark.parametrize("rows,k,n", [(1, 1, 1), (3, 63, 65), (5, 64, 64),
                                      (2, 65, 3), (4, 130, 130), (3, 600, 70),
                                      (2, 0, 5)])
def test_binary_dense_matches_numpy(pipeline, threads, rows, k, n):
    """LUI / DenseLUI: per output, OR (dilation) or AND (erosion) of the
    inputs in its subset; random trailing bits everywhere."""
    kw, nw = words_of(k), words_of(n)
    xt, st = ty((rows, kw), "i64"), ty((n, kw), "i64")
    et, yt = ty((nw,), "i64"), ty((rows, nw), "i64")
    mod = trop.compile(DENSE.format(xt=xt, st=st, et=et, yt=yt, k=k),
                       pipeline=pipeline, threads=threads)
    x, e, y = random_words((rows, kw)), random_words((nw,)), random_words((rows, nw))
    # Sparse subsets, and a few empty or full ones.
    s = random_words((n, kw)) & random_words((n, kw)) & random_words((n, kw))
    s[0] = 0
    if n > 2:
        s[1] = -1
    got = mod.f(x, s, e, y)
    xb, sb = np_unpack(x, k), np_unpack(s, k)
    eb, yb = np_unpack(e, n), np_unpack(y, n)
    dil = (xb[:, None, :] & sb[None, :, :]).any(axis=2)
    ero = (xb[:, None, :] | ~sb[None, :, :]).all(axis=2)
    bits = np.where(eb[None, :], yb & ero, yb | dil)
    mask = channel_mask(n)
    assert_tropical_equal(got, (np_pack(bits) & mask) | (y & ~mask))
