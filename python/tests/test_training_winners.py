"""Winners and routing of batch_matmul, dual_matmul, conv_2d,
depthwise_conv_2d and maxout (TropTrainingOps.td): values, winners and
routed gradients of the reference and CPU pipelines equal a direct NumPy
transcription of the definitions (docs/semantics.md, "Ties in training"),
bit for bit, on small-integer data where most outputs tie, with strides,
dilations and padding, and winners out of range (the initial value won)."""

import itertools

import numpy as np
import pytest

import trop

PIPELINES = [("reference", {}), ("cpu", {"threads": 2})]
T = {np.float32: "f32", np.float64: "f64"}


def ty(shape, t):
    return "tensor<" + "x".join(str(d) for d in shape) + "x" + t + ">"


def tied(rng, shape, dtype):
    return rng.integers(-3, 4, shape).astype(dtype)


def first_winner(terms, init, w0, is_max):
    """trop's winner: the first term strictly better than the running
    accumulator; with no NaN, the first best term if it beats `init`."""
    acc, w = init, w0
    for index, term in enumerate(terms):
        if (term > acc) if is_max else (term < acc):
            acc, w = term, index
    return acc, w


def route(grad, winners, dests, where):
    """The definition: every output in row-major order adds its gradient
    to the destinations where(out, w) names (None: outside)."""
    dests = [d.copy() for d in dests]
    for out in itertools.product(*map(range, grad.shape)):
        w = int(winners[out])
        for dst, at in zip(dests, where(out, w)):
            if at is not None:
                dst[at] = dst[at] + grad[out]  # in the destination's type
    return dests


def compile_all(source):
    return [trop.compile(source, pipeline=p, **kw) for p, kw in PIPELINES]


def assert_same(got, want):
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape
        assert np.array_equal(g, w)


def batched_operands(rng, nb, m, k, n, dtype):
    """A, B and the initial values of a batch_matmul (full of ties), the
    winners' initial -1s and an output gradient."""
    a, b = tied(rng, (nb, m, k), dtype), tied(rng, (nb, k, n), dtype)
    c = tied(rng, (nb, m, n), dtype)
    w0 = np.full((nb, m, n), -1, np.int64)
    dy = rng.standard_normal((nb, m, n)).astype(dtype)
    return a, b, c, w0, dy


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("semiring", ["max_plus", "min_plus"])
def test_batch_matmul(dtype, semiring):
    rng = np.random.default_rng(1)
    nb, m, k, n = 3, 5, 7, 4
    t = T[dtype]
    a, b, c, w0, dy = batched_operands(rng, nb, m, k, n, dtype)
    src = f"""
func.func @f(%a: {ty((nb, m, k), t)}, %b: {ty((nb, k, n), t)}, %c: {ty((nb, m, n), t)}, %w: {ty((nb, m, n), 'i64')}, %dy: {ty((nb, m, n), t)}, %za: {ty((nb, m, k), t)}, %zb: {ty((nb, k, n), t)}) -> ({ty((nb, m, n), t)}, {ty((nb, m, n), 'i64')}, {ty((nb, m, k), t)}, {ty((nb, k, n), t)}) {{
  %y, %i = trop.batch_matmul_winners <{semiring}> ins(%a, %b : {ty((nb, m, k), t)}, {ty((nb, k, n), t)}) outs(%c, %w : {ty((nb, m, n), t)}, {ty((nb, m, n), 'i64')}) -> {ty((nb, m, n), t)}, {ty((nb, m, n), 'i64')}
  %da, %db = trop.route_batch_matmul_to_winners ins(%dy, %i : {ty((nb, m, n), t)}, {ty((nb, m, n), 'i64')}) outs(%za, %zb : {ty((nb, m, k), t)}, {ty((nb, k, n), t)}) -> {ty((nb, m, k), t)}, {ty((nb, k, n), t)}
  return %y, %i, %da, %db : {ty((nb, m, n), t)}, {ty((nb, m, n), 'i64')}, {ty((nb, m, k), t)}, {ty((nb, k, n), t)}
}}"""
    y, wins = c.copy(), w0.copy()
    for q, i, j in itertools.product(range(nb), range(m), range(n)):
        y[q, i, j], wins[q, i, j] = first_winner(
            a[q, i, :] + b[q, :, j], c[q, i, j], -1, semiring == "max_plus")
    za = rng.standard_normal((nb, m, k)).astype(dtype)
    zb = np.zeros((nb, k, n), dtype)
    da, db = route(dy, wins, [za, zb], lambda o, w: [(o[0], o[1], w), (o[0], w, o[2])]
                   if 0 <= w < k else [None, None])
    assert (wins == -1).any() and (wins >= 0).any()
    for mod in compile_all(src):
        assert_same(mod.f(a, b, c, w0, dy, za, zb), [y, wins, da, db])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dual_matmul(dtype):
    rng = np.random.default_rng(2)
    m, k, n = 5, 9, 6
    t = T[dtype]
    a, b = tied(rng, (m, k), dtype), tied(rng, (k, n), dtype)
    c1, c2 = tied(rng, (m, n), dtype), tied(rng, (m, n), dtype)
    w0 = np.full((m, n), -1, np.int64)
    o, oi = ty((m, n), t), ty((m, n), "i64")
    src = f"""
func.func @f(%a: {ty((m, k), t)}, %b: {ty((k, n), t)}, %c1: {o}, %c2: {o}, %w1: {oi}, %w2: {oi}) -> ({o}, {o}, {oi}, {oi}) {{
  %x, %y, %u, %v = trop.dual_matmul_winners ins(%a, %b : {ty((m, k), t)}, {ty((k, n), t)}) outs(%c1, %c2, %w1, %w2 : {o}, {o}, {oi}, {oi}) -> {o}, {o}, {oi}, {oi}
  return %x, %y, %u, %v : {o}, {o}, {oi}, {oi}
}}"""
    want = [c1.copy(), c2.copy(), w0.copy(), w0.copy()]
    for i, j in itertools.product(range(m), range(n)):
        terms = a[i, :] + b[:, j]
        want[0][i, j], want[2][i, j] = first_winner(terms, c1[i, j], -1, True)
        want[1][i, j], want[3][i, j] = first_winner(terms, c2[i, j], -1, False)
    for mod in compile_all(src):
        assert_same(mod.f(a, b, c1, c2, w0, w0), want)


def window_case(depthwise, dtype, semiring, seed):
    rng = np.random.default_rng(seed)
    nb, h, wd, ch, kh, kw, f = 2, 6, 5, 3, 3, 2, 4
    strides, dil, pad = (2, 1), (1, 2), (1, 0, 1, 1)
    oh = (h + pad[0] + pad[2] - dil[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pad[1] + pad[3] - dil[1] * (kw - 1) - 1) // strides[1] + 1
    fshape = (kh, kw, ch) if depthwise else (kh, kw, ch, f)
    oshape = (nb, oh, ow, ch if depthwise else f)
    x, flt = tied(rng, (nb, h, wd, ch), dtype), tied(rng, fshape, dtype)
    zero = -np.inf if semiring == "max_plus" else np.inf
    c = tied(rng, oshape, dtype)
    c[0, 0, 0, 0] = zero  # a padded-only window must not win against 𝟘
    w0 = np.full(oshape, -1, np.int64)
    xp = np.full((nb, h + pad[0] + pad[2], wd + pad[1] + pad[3], ch), zero, dtype)
    xp[:, pad[0]:pad[0] + h, pad[1]:pad[1] + wd, :] = x
    y, wins = c.copy(), w0.copy()
    for out in itertools.product(*map(range, oshape)):
        n_, i, j, q = out
        terms = []
        for a, b_ in itertools.product(range(kh), range(kw)):
            row = xp[n_, i * strides[0] + a * dil[0], j * strides[1] + b_ * dil[1]]
            if depthwise:
                terms.append(row[q] + flt[a, b_, q])
            else:
                terms.extend(row[cc] + flt[a, b_, cc, q] for cc in range(ch))
        y[out], wins[out] = first_winner(terms, c[out], -1, semiring == "max_plus")
    limit = kh * kw * (1 if depthwise else ch)

    def where(out, w):
        if not 0 <= w < limit:
            return [None, None]
        n_, i, j, q = out
        cc, pos = (q, w) if depthwise else (w % ch, w // ch)
        a, b_ = divmod(pos, kw)
        r, s = i * strides[0] + a * dil[0] - pad[0], j * strides[1] + b_ * dil[1] - pad[1]
        inside = 0 <= r < h and 0 <= s < wd
        return [(n_, r, s, cc) if inside else None,
                (a, b_, cc) if depthwise else (a, b_, cc, q)]

    attrs = (f"{{strides = array<i64: {strides[0]}, {strides[1]}>, "
             f"dilations = array<i64: {dil[0]}, {dil[1]}>, "
             f"padding = array<i64: {', '.join(map(str, pad))}>}}")
    return dict(x=x, flt=flt, c=c, w0=w0, y=y, wins=wins, where=where, limit=limit,
                attrs=attrs, oshape=oshape, fshape=fshape, rng=rng)


@pytest.mark.parametrize("depthwise", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("semiring", ["max_plus", "min_plus"])
def test_window(depthwise, dtype, semiring):
    case = window_case(depthwise, dtype, semiring, 3)
    t, name = T[dtype], "depthwise_conv_2d" if depthwise else "conv_2d"
    xs, fs, os_, oi = (ty(case["x"].shape, t), ty(case["fshape"], t),
                       ty(case["oshape"], t), ty(case["oshape"], "i64"))
    src = f"""
func.func @f(%x: {xs}, %f: {fs}, %c: {os_}, %w: {oi}) -> ({os_}, {oi}) {{
  %y, %i = trop.{name}_winners <{semiring}> {case['attrs']} ins(%x, %f : {xs}, {fs}) outs(%c, %w : {os_}, {oi}) -> {os_}, {oi}
  return %y, %i : {os_}, {oi}
}}
func.func @g(%dy: {os_}, %w: {oi}, %zx: {xs}, %zf: {fs}) -> ({xs}, {fs}) {{
  %dx, %df = trop.route_{name}_to_winners {case['attrs']} ins(%dy, %w : {os_}, {oi}) outs(%zx, %zf : {xs}, {fs}) -> {xs}, {fs}
  return %dx, %df : {xs}, {fs}
}}"""
    rng = case["rng"]
    wins = case["wins"]
    assert (wins == -1).any() and (wins >= 0).any()
    # Routing from the forward's winners and from arbitrary ones (out of
    # range on both sides included).
    other = rng.integers(-1, case["limit"] + 1, wins.shape).astype(np.int64)
    dy = rng.standard_normal(wins.shape).astype(dtype)
    zx = rng.standard_normal(case["x"].shape).astype(dtype)
    zf = np.zeros(case["fshape"], dtype)
    for mod in compile_all(src):
        assert_same(mod.f(case["x"], case["flt"], case["c"], case["w0"]),
                    [case["y"], wins])
        for ws in (wins, other):
            assert_same(mod.g(dy, ws, zx, zf), route(dy, ws, [zx, zf], case["where"]))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_maxout(dtype):
    rng = np.random.default_rng(4)
    shape, k = (3, 4, 12), 3
    oshape = (3, 4, 4)
    t = T[dtype]
    x = tied(rng, shape, dtype)
    c = np.full(oshape, -np.inf, dtype)
    c[0, 0, :] = 5  # the initial value wins these
    w0 = np.full(oshape, -1, np.int64)
    y, wins = c.copy(), w0.copy()
    for out in itertools.product(*map(range, oshape)):
        g = out[-1]
        y[out], wins[out] = first_winner(x[out[:-1]][g * k:(g + 1) * k], c[out], -1, True)
    xs, os_, oi = ty(shape, t), ty(oshape, t), ty(oshape, "i64")
    src = f"""
func.func @f(%x: {xs}, %c: {os_}, %w: {oi}, %dy: {os_}, %zx: {xs}) -> ({os_}, {oi}, {xs}) {{
  %y, %i = trop.maxout_winners group_size = {k} ins(%x : {xs}) outs(%c, %w : {os_}, {oi}) -> {os_}, {oi}
  %dx = trop.route_maxout_to_winners group_size = {k} ins(%dy, %i : {os_}, {oi}) outs(%zx : {xs}) -> {xs}
  return %y, %i, %dx : {os_}, {oi}, {xs}
}}"""
    dy = rng.standard_normal(oshape).astype(dtype)
    zx = rng.standard_normal(shape).astype(dtype)
    (dx,) = route(dy, wins, [zx], lambda o, w: [o[:-1] + (o[-1] * k + w,)]
                  if 0 <= w < k else [None])
    assert (wins == -1).any() and (wins >= 0).any()
    for mod in compile_all(src):
        assert_same(mod.f(x, c, w0, dy, zx), [y, wins, dx])


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_packed_kernels_equal_reference_on_larger_shapes(dtype, threads):
    """batch_matmul_winners and dual_matmul_winners on the packed GEMM's
    winners mode (edge tiles, several reduction blocks), and the batched
    routing by destination, against the reference lowering."""
    rng = np.random.default_rng(5)
    nb, m, k, n = 2, 37, 530, 33
    t = T[dtype]
    a, b, c, w0, dy = batched_operands(rng, nb, m, k, n, dtype)
    A, B, O, OI = ty((nb, m, k), t), ty((nb, k, n), t), ty((nb, m, n), t), ty((nb, m, n), "i64")
    a2, b2, o2, oi2 = ty((m, k), t), ty((k, n), t), ty((m, n), t), ty((m, n), "i64")
    src = f"""
func.func @f(%a: {A}, %b: {B}, %c: {O}, %w: {OI}, %dy: {O}, %za: {A}, %zb: {B}) -> ({O}, {OI}, {A}, {B}) {{
  %y, %i = trop.batch_matmul_winners <min_plus> ins(%a, %b : {A}, {B}) outs(%c, %w : {O}, {OI}) -> {O}, {OI}
  %da, %db = trop.route_batch_matmul_to_winners ins(%dy, %i : {O}, {OI}) outs(%za, %zb : {A}, {B}) -> {A}, {B}
  return %y, %i, %da, %db : {O}, {OI}, {A}, {B}
}}
func.func @g(%a: {a2}, %b: {b2}, %c: {o2}, %w: {oi2}) -> ({o2}, {o2}, {oi2}, {oi2}) {{
  %x, %y, %u, %v = trop.dual_matmul_winners ins(%a, %b : {a2}, {b2}) outs(%c, %c, %w, %w : {o2}, {o2}, {oi2}, {oi2}) -> {o2}, {o2}, {oi2}, {oi2}
  return %x, %y, %u, %v : {o2}, {o2}, {oi2}, {oi2}
}}"""
    ref = trop.compile(src, pipeline="reference")
    cpu = trop.compile(src, pipeline="cpu", threads=threads)
    za = rng.standard_normal((nb, m, k)).astype(dtype)
    zb = np.zeros((nb, k, n), dtype)
    assert_same(cpu.f(a, b, c, w0, dy, za, zb), ref.f(a, b, c, w0, dy, za, zb))
    assert_same(cpu.g(a[0], b[0], c[0], w0[0]), ref.g(a[0], b[0], c[0], w0[0]))


@pytest.mark.parametrize("nan_mode", ["assume-none", "propagate"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_conv_im2col_kernel_equals_reference(dtype, nan_mode):
    """conv_2d_winners on the CPU (im2col, then the packed GEMM in winners
    mode) against the reference lowering, with padding and ±∞ filters."""
    rng = np.random.default_rng(6)
    x = tied(rng, (2, 12, 11, 8), dtype)
    f = tied(rng, (3, 3, 8, 40), dtype)
    f[0, 0, :2, :3] = np.inf  # +∞ met the padding's −∞ is 𝟘
    f[1, 2, 3, 5] = -np.inf
    c = np.full((2, 12, 11, 40), -np.inf, dtype)
    c[0] = 7  # beats every finite product: the initial value wins
    w = np.full(c.shape, -1, np.int64)
    t = T[dtype]
    xs, fs, os_, oi = ty(x.shape, t), ty(f.shape, t), ty(c.shape, t), ty(c.shape, "i64")
    src = f"""
func.func @f(%x: {xs}, %f: {fs}, %c: {os_}, %w: {oi}) -> ({os_}, {oi}) {{
  %y, %i = trop.conv_2d_winners <max_plus> {{padding = array<i64: 1, 1, 1, 1>}} ins(%x, %f : {xs}, {fs}) outs(%c, %w : {os_}, {oi}) -> {os_}, {oi}
  return %y, %i : {os_}, {oi}
}}"""
    ref = trop.compile(src, pipeline="reference", nan_mode=nan_mode).f(x, f, c, w)
    for threads in (1, 2):
        got = trop.compile(src, pipeline="cpu", nan_mode=nan_mode, threads=threads).f(x, f, c, w)
        assert_same(got, ref)
    assert (ref[1] == -1).any() and (ref[1] > 8 * 8).any()
