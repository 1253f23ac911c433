//===- BipolarEmitter.cpp - The bipolar (BM) layer kernel -----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Two kernels. The SIGN-SPLIT kernel (the fast one) uses what the op's
// definition guarantees about its input poles: for every input x, one pole
// is c = ln(input_shift) and the other a = ln(max(|x|, input_shift)) >= c
// (x > s: L⁺ = a, L⁻ = c; x < −s: L⁺ = c, L⁻ = a; |x| <= s: both c). Since a
// rounded sum is monotone in each operand, c + V <= a + V, and
// max_k (c + V[k, j]) = c + max_k V[k, j], so, exactly,
//
//   max_k (L_σ[i, k] + V_t[k, j]) =
//       max(c + max_k V_t[k, j],  max over k in S_σ(i) of (a[i, k] + V_t[k,
//       j]))
//
// with S₊(i) = {k : x[i, k] > s}, S₋(i) = {k : −x[i, k] > s}, disjoint. The
// kernel lists S₊ and S₋ of every row (per reduction block, with the values
// a), and for each row sweeps only its own lists: every listed k updates two
// accumulators (V⁺ and V⁻) of its pole, so the layer costs 2·|S|·N updates
// instead of the 4·K·N of four contractions. The register tile is one row by
// NV vectors of columns with two accumulator sets (the list is walked two
// entries at a time), reading packed KC × (V⁺, V⁻) × NR panels of the weight
// poles that stay in L1; threads take ranges of rows, in tiles of MT rows
// whose lists and accumulators are the thread's (no buffer grows with M).
// The column maxima seed the accumulators.
//
// The identities need operands without NaN, without +∞ in the weight poles
// and with finite inputs (a NaN or an infinity would meet −∞ or +∞ where the
// reference lowering's absorbing ⊗ decides), and a >= c (a monotone ln). A
// tile whose inputs fail the check is computed by the reference lowering's
// own loops (its ⊗ and ⊕, Semiring.h); weight poles that fail it send the
// whole op to the INTERLEAVED kernel: the four contractions as ONE max-plus
// GEMM of twice the rows and columns,
//
//   P (2M×K):  P[2i] = L⁺[i],  P[2i + 1] = L⁻[i]
//   W (K×2N):  W[:, 2j] = V⁺[:, j],  W[:, 2j + 1] = V⁻[:, j]
//
// on the packed GEMM of GemmEmitter. Both take the logarithms once per input
// and the exponentials once per output with the reference lowering's
// (TropToLinalg) scalar math.log and math.exp, and max is exact, so both are
// bit-identical to it.
//
//===----------------------------------------------------------------------===//

#include "BipolarEmitter.h"
#include "KernelBuilder.h"
#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::trop;

/// for i in [0, ub) in parallel (OpenMP when the pipeline has threads), for
/// j in [0, inner): body(i, j).
static void forRowsAndColumns(ImplicitLocOpBuilder &b, Value ub, Value inner,
                              function_ref<void(Value, Value)> body) {
  KernelBuilder k{b};
  Value zero = k.idx(0), one = k.idx(1);
  auto rows = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{ub},
                                      ValueRange{one});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(rows.getBody());
  Value i = rows.getInductionVars()[0];
  k.forLoop(zero, inner, 1, [&](Value j) { body(i, j); });
}

/// The general kernel, for operands the sign-split kernel does not take:
/// the four contractions as one interleaved max-plus GEMM.
static void emitInterleaved(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                            Value x, Value vPos, Value vNeg, Value y,
                            double inputShift) {
  KernelBuilder k{b};
  auto elementType =
      cast<FloatType>(cast<MemRefType>(y.getType()).getElementType());
  Value m = k.dim(x, 0), kk = k.dim(x, 1), n = k.dim(y, 1);
  Value two = k.idx(2), one = k.idx(1);
  Value m2 = k.mul(m, two), n2 = k.mul(n, two);
  auto matrix = MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                                elementType);
  Value poles = memref::AllocOp::create(b, matrix, ValueRange{m2, kk});
  Value weights = memref::AllocOp::create(b, matrix, ValueRange{kk, n2});
  Value maxima = memref::AllocOp::create(b, matrix, ValueRange{m2, n2});

  // P[2i] = ln(max(x, s)), P[2i + 1] = ln(max(−x, s)).
  Value shift = arith::ConstantOp::create(
      b, elementType, b.getFloatAttr(elementType, inputShift));
  forRowsAndColumns(b, m, kk, [&](Value i, Value c) {
    Value v = memref::LoadOp::create(b, x, ValueRange{i, c});
    Value neg = arith::NegFOp::create(b, v);
    Value row = k.mul(i, two);
    memref::StoreOp::create(
        b, math::LogOp::create(b, arith::MaximumFOp::create(b, v, shift)),
        poles, ValueRange{row, c});
    memref::StoreOp::create(
        b, math::LogOp::create(b, arith::MaximumFOp::create(b, neg, shift)),
        poles, ValueRange{k.add(row, one), c});
  });
  // W[:, 2j] = V⁺[:, j], W[:, 2j + 1] = V⁻[:, j].
  forRowsAndColumns(b, kk, n, [&](Value r, Value j) {
    Value col = k.mul(j, two);
    memref::StoreOp::create(b,
                            memref::LoadOp::create(b, vPos, ValueRange{r, j}),
                            weights, ValueRange{r, col});
    memref::StoreOp::create(b,
                            memref::LoadOp::create(b, vNeg, ValueRange{r, j}),
                            weights, ValueRange{r, k.add(col, one)});
  });

  // The four contractions in one GEMM, each from 𝟘 = −∞.
  SemiringKind kind = SemiringKind::MaxPlus;
  Value zero = buildZero(b, b.getLoc(), kind, elementType);
  forRowsAndColumns(b, m2, n2, [&](Value r, Value c) {
    memref::StoreOp::create(b, zero, maxima, ValueRange{r, c});
  });
  emitMatmul(b, cfg, cfg.domain(kind, elementType), poles, weights, maxima);

  // y + e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻), in the op's order.
  forRowsAndColumns(b, m, n, [&](Value i, Value j) {
    Value acc = memref::LoadOp::create(b, y, ValueRange{i, j});
    Value row = k.mul(i, two), col = k.mul(j, two);
    for (int t = 0; t < 4; ++t) {
      Value r = t < 2 ? row : k.add(row, one);
      Value c = t % 2 == 0 ? col : k.add(col, one);
      Value e = math::ExpOp::create(
          b, memref::LoadOp::create(b, maxima, ValueRange{r, c}));
      if (t == 1 || t == 2)
        acc = arith::SubFOp::create(b, acc, e);
      else
        acc = arith::AddFOp::create(b, acc, e);
    }
    memref::StoreOp::create(b, acc, y, ValueRange{i, j});
  });
  for (Value temporary : {poles, weights, maxima})
    memref::DeallocOp::create(b, temporary);
}

/// max(acc, v) as one vmaxps: the sign-split kernel sees no NaN.
static Value maxOf(ImplicitLocOpBuilder &b, Value acc, Value v) {
  return buildMaxOrMin(b, b.getLoc(), /*isMax=*/true, acc, v,
                       NaNMode::AssumeNone);
}

namespace {
/// The sign-split kernel: `prepare` checks the weight poles and takes their
/// column maxima, `emitKernel` runs the sweep tile by tile where the check
/// passed. Threads take ranges of rows, and each range goes in tiles of MT
/// rows whose lists, accumulators and weight panel live in buffers of the
/// thread (a few hundred KiB, allocated once per call and thread): nothing
/// scales with M·K or M·N, so a call does not page-fault its way through
/// fresh megabytes (it did: a quarter of its time, docs/bipolar.md).
struct SignSplit : KernelBuilder {
  const CPUPattern &cfg;
  Value x, vPos, vNeg, y;
  FloatType et;
  int64_t vl, nv = 2, nr, kc, mt = 32;
  VectorType vt;
  Value m, kk, n, nb, npad, shift, c, negInf;
  Value colmax, colBad;
  /// The thread's buffers (emitKernel).
  Value listA, listK, counts, scratch, vp, logs;

  SignSplit(ImplicitLocOpBuilder &b, const CPUPattern &cfg, Value x, Value vPos,
            Value vNeg, Value y, double inputShift)
      : KernelBuilder{b}, cfg(cfg), x(x), vPos(vPos), vNeg(vNeg), y(y) {
    et = cast<FloatType>(cast<MemRefType>(y.getType()).getElementType());
    int64_t bytes = et.getWidth() / 8;
    vl = std::max<int64_t>(1, cfg.target.vectorBits / et.getWidth());
    nr = nv * vl;
    // A KC × 2 × NR panel of both weight poles in 32 KiB of L1; even, so
    // that the lists (padded to even lengths) fit KC + 1 entries.
    kc = std::clamp<int64_t>(32768 / (2 * nr * bytes), 16, 512) & ~int64_t(1);
    vt = VectorType::get({vl}, et);
    shift = constant(inputShift);
    // 𝟘 of the max-plus contractions the poles run (Semiring.h).
    negInf = buildZero(b, b.getLoc(), SemiringKind::MaxPlus, et);
  }

  SmallVector<Value, 2> poles() const { return {vPos, vNeg}; }
  Value constant(double v) {
    return arith::ConstantOp::create(b, et, b.getFloatAttr(et, v));
  }
  Value splat(Value scalar) {
    return vector::BroadcastOp::create(b, vt, scalar);
  }
  Value alloc(ArrayRef<int64_t> shape, Type type, ValueRange sizes) {
    return memref::AllocOp::create(b, MemRefType::get(shape, type), sizes,
                                   b.getI64IntegerAttr(64));
  }
  Value prepare();
  Value listRow(Value i, Value il);
  void emitKernel();
  void sweepTile(Value t0, Value t1);
  void sweepRow(Value il, Value blk, Value j0, Value first);
  void emitReference(Value t0, Value t1);
  void release() {
    for (Value buffer : {colmax, colBad})
      memref::DeallocOp::create(b, buffer);
  }
};
} // namespace

Value SignSplit::prepare() {
  m = dim(x, 0), kk = dim(x, 1), n = dim(y, 1);
  nb = ceilDiv(kk, kc);
  npad = roundUp(n, nr);
  c = math::LogOp::create(b, shift);
  colmax = alloc({2, ShapedType::kDynamic}, et, {npad});
  Value chunks = ceilDiv(npad, vl);
  colBad = alloc({ShapedType::kDynamic}, b.getI1Type(), {chunks});

  // Column maxima of both weight poles (−∞ past N), NaN or +∞ flagged.
  parallelLoop(chunks, [&](Value q) {
    Value j = mul(q, idx(vl));
    Value bad = arith::ConstantIntOp::create(b, b.getI1Type(), 0);
    SmallVector<Value, 2> both = poles();
    for (auto [t, poleValue] : llvm::enumerate(both)) {
      // A named copy: lambdas cannot capture structured bindings in C++17.
      Value pole = poleValue;
      auto maskType = VectorType::get({vl}, b.getI1Type());
      Value noBad =
          arith::ConstantOp::create(b, DenseElementsAttr::get(maskType, false));
      auto loop = forLoop(
          idx(0), kk, idx(1), ValueRange{splat(negInf), noBad},
          [&](Value k, ValueRange acc) -> SmallVector<Value> {
            Value w = vector::TransferReadOp::create(
                b, vt, pole, ValueRange{k, j}, negInf, ArrayRef<bool>{false});
            Value flag = isNaNOrInfinite(w, /*bothSigns=*/false);
            return {maxOf(b, acc[0], w), arith::OrIOp::create(b, acc[1], flag)};
          });
      vector::StoreOp::create(b, loop.getResult(0), colmax,
                              ValueRange{idx(t), j});
      bad = arith::OrIOp::create(
          b, bad,
          vector::ReductionOp::create(b, vector::CombiningKind::OR,
                                      loop.getResult(1)));
    }
    memref::StoreOp::create(b, bad, colBad, ValueRange{q});
  });
  Value empty = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, kk, idx(0));
  Value refused = arith::OrIOp::create(b, anyOf(colBad, chunks), empty);
  return arith::XOrIOp::create(
      b, refused, arith::ConstantIntOp::create(b, b.getI1Type(), 1));
}

/// Lists S₊ and S₋ of row i (tile row il) per reduction block: a =
/// ln(max(|x|, s)) and the column within the block, each list padded to an
/// even length with (−∞, 0), which changes no maximum. Returns whether an
/// input is not finite or a listed a falls below c (the tile then takes the
/// reference loops).
Value SignSplit::listRow(Value i, Value il) {
  Value no = arith::ConstantIntOp::create(b, b.getI1Type(), 0);
  auto blocks = forLoop(
      idx(0), nb, idx(1), ValueRange{no},
      [&](Value blk, ValueRange carried) -> SmallVector<Value> {
        Value k0 = mul(blk, idx(kc));
        Value kend = min(add(k0, idx(kc)), kk);
        auto lists = forLoop(
            k0, kend, idx(1), ValueRange{idx(0), idx(0), carried[0]},
            [&](Value k, ValueRange st) -> SmallVector<Value> {
              Value v = memref::LoadOp::create(b, x, ValueRange{i, k});
              Value mag = math::AbsFOp::create(b, v);
              // The reference lowering's ln(max(±x, s)) where ±x > s.
              Value a = math::LogOp::create(
                  b, arith::MaximumFOp::create(b, mag, shift));
              Value local =
                  arith::IndexCastOp::create(b, b.getI32Type(), sub(k, k0));
              Value pos =
                  arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, v, shift);
              Value neg =
                  arith::CmpFOp::create(b, arith::CmpFPredicate::OGT,
                                        arith::NegFOp::create(b, v), shift);
              SmallVector<Value> next;
              SmallVector<Value, 2> sides = {pos, neg};
              for (auto [side, in] : llvm::enumerate(sides)) {
                Value at = st[side];
                memref::StoreOp::create(b, a, listA,
                                        ValueRange{il, blk, idx(side), at});
                memref::StoreOp::create(b, local, listK,
                                        ValueRange{il, blk, idx(side), at});
                next.push_back(
                    add(at, arith::SelectOp::create(b, in, idx(1), idx(0))));
              }
              Value listed = arith::OrIOp::create(b, pos, neg);
              Value below =
                  arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, a, c);
              Value bad = arith::OrIOp::create(
                  b, isNaNOrInfinite(v, /*bothSigns=*/true),
                  arith::AndIOp::create(b, listed, below));
              next.push_back(arith::OrIOp::create(b, st[2], bad));
              return next;
            });
        Value zeroI32 = arith::ConstantIntOp::create(b, b.getI32Type(), 0);
        for (int64_t side = 0; side < 2; ++side) {
          Value count = lists.getResult(side);
          memref::StoreOp::create(b, negInf, listA,
                                  ValueRange{il, blk, idx(side), count});
          memref::StoreOp::create(b, zeroI32, listK,
                                  ValueRange{il, blk, idx(side), count});
          memref::StoreOp::create(b, roundUp(count, 2), counts,
                                  ValueRange{il, blk, idx(side)});
        }
        return {lists.getResult(2)};
      });
  return blocks.getResult(0);
}

/// Tile row il's sweep of a block over the packed panel (columns j0 +
/// [0, NR)): the accumulators start from c + the column maxima in the first
/// block and from the scratch otherwise, and go back to the scratch.
void SignSplit::sweepRow(Value il, Value blk, Value j0, Value first) {
  SmallVector<Value> acc;
  Value cv = splat(c);
  for (int64_t st = 0; st < 4; ++st)
    for (int64_t v = 0; v < nv; ++v) {
      Value col = add(j0, idx(v * vl));
      Value seed = arith::AddFOp::create(
          b, cv,
          vector::LoadOp::create(b, vt, colmax, ValueRange{idx(st % 2), col}));
      Value old = vector::LoadOp::create(b, vt, scratch,
                                         ValueRange{idx(st), il, idx(v * vl)});
      acc.push_back(arith::SelectOp::create(b, first, seed, old));
    }
  int64_t set = 2 * nv; // accumulators of one pole: V⁺ and V⁻ by NV
  for (int64_t side = 0; side < 2; ++side) {
    Value count =
        memref::LoadOp::create(b, counts, ValueRange{il, blk, idx(side)});
    SmallVector<Value> init(acc.begin() + side * set,
                            acc.begin() + (side + 1) * set);
    init.append(set, splat(negInf));
    auto loop = forLoop(
        idx(0), count, idx(2), init,
        [&](Value p, ValueRange carried) -> SmallVector<Value> {
          SmallVector<Value> next(carried.begin(), carried.end());
          for (int64_t u = 0; u < 2; ++u) {
            SmallVector<Value, 4> at = {il, blk, idx(side), add(p, idx(u))};
            Value r = arith::IndexCastOp::create(
                b, b.getIndexType(), memref::LoadOp::create(b, listK, at));
            Value a = splat(memref::LoadOp::create(b, listA, at));
            for (int64_t t = 0; t < 2; ++t)
              for (int64_t v = 0; v < nv; ++v) {
                Value w = vector::LoadOp::create(
                    b, vt, vp, ValueRange{r, idx(t), idx(v * vl)});
                int64_t e = u * set + t * nv + v;
                next[e] = maxOf(b, next[e], arith::AddFOp::create(b, a, w));
              }
          }
          return next;
        });
    for (int64_t e = 0; e < set; ++e)
      acc[side * set + e] =
          maxOf(b, loop.getResult(e), loop.getResult(set + e));
  }
  for (int64_t st = 0; st < 4; ++st)
    for (int64_t v = 0; v < nv; ++v)
      vector::StoreOp::create(b, acc[st * nv + v], scratch,
                              ValueRange{idx(st), il, idx(v * vl)});
}

/// y += e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻) for row i and column j from
/// the four maxima, in the op's order.
static void emitSignedSum(ImplicitLocOpBuilder &b, Value y, Value i, Value j,
                          ArrayRef<Value> maxima) {
  Value acc = memref::LoadOp::create(b, y, ValueRange{i, j});
  for (int64_t st = 0; st < 4; ++st) {
    Value e = math::ExpOp::create(b, maxima[st]);
    if (st == 1 || st == 2)
      acc = arith::SubFOp::create(b, acc, e);
    else
      acc = arith::AddFOp::create(b, acc, e);
  }
  memref::StoreOp::create(b, acc, y, ValueRange{i, j});
}

/// Rows [t0, t1), listed: for each panel of NR columns, every block's panel
/// packed once for the tile's rows, then the exponentials of the panel.
void SignSplit::sweepTile(Value t0, Value t1) {
  Value rows = sub(t1, t0);
  forLoop(idx(0), ceilDiv(npad, nr), idx(1), [&](Value jp) {
    Value j0 = mul(jp, idx(nr));
    forLoop(idx(0), nb, idx(1), [&](Value blk) {
      Value k0 = mul(blk, idx(kc));
      Value kcv = min(idx(kc), sub(kk, k0));
      Value first =
          arith::CmpIOp::create(b, arith::CmpIPredicate::eq, blk, idx(0));
      // Pack V⁺ and V⁻ [k0 + r, j0 :][: NR], −∞ past N.
      SmallVector<Value, 2> both = poles();
      forLoop(idx(0), kcv, idx(1), [&](Value r) {
        for (auto [t, pole] : llvm::enumerate(both))
          for (int64_t v = 0; v < nv; ++v) {
            Value w = vector::TransferReadOp::create(
                b, vt, pole, ValueRange{add(k0, r), add(j0, idx(v * vl))},
                negInf, ArrayRef<bool>{false});
            vector::StoreOp::create(b, w, vp,
                                    ValueRange{r, idx(t), idx(v * vl)});
          }
      });
      forLoop(idx(0), rows, idx(1),
              [&](Value il) { sweepRow(il, blk, j0, first); });
    });
    Value jn = sub(min(add(j0, idx(nr)), n), j0);
    forLoop(idx(0), rows, idx(1), [&](Value il) {
      forLoop(idx(0), jn, idx(1), [&](Value jl) {
        SmallVector<Value, 4> maxima;
        for (int64_t st = 0; st < 4; ++st)
          maxima.push_back(
              memref::LoadOp::create(b, scratch, ValueRange{idx(st), il, jl}));
        emitSignedSum(b, y, add(t0, il), add(j0, jl), maxima);
      });
    });
  });
}

/// Rows [t0, t1) by the reference lowering's loops (its ⊗ and ⊕ in the
/// pipeline's NaN mode, from 𝟘), for tiles with inputs the sweep refuses.
void SignSplit::emitReference(Value t0, Value t1) {
  SemiringKind kind = SemiringKind::MaxPlus;
  forLoop(t0, t1, idx(1), [&](Value i) {
    forLoop(idx(0), kk, idx(1), [&](Value k) {
      Value v = memref::LoadOp::create(b, x, ValueRange{i, k});
      Value neg = arith::NegFOp::create(b, v);
      memref::StoreOp::create(
          b, math::LogOp::create(b, arith::MaximumFOp::create(b, v, shift)),
          logs, ValueRange{idx(0), k});
      memref::StoreOp::create(
          b, math::LogOp::create(b, arith::MaximumFOp::create(b, neg, shift)),
          logs, ValueRange{idx(1), k});
    });
    forLoop(idx(0), n, idx(1), [&](Value j) {
      SmallVector<Value> init(4, negInf);
      auto loop = forLoop(
          idx(0), kk, idx(1), init,
          [&](Value k, ValueRange acc) -> SmallVector<Value> {
            SmallVector<Value> next;
            for (int64_t t = 0; t < 4; ++t) {
              Value l =
                  memref::LoadOp::create(b, logs, ValueRange{idx(t / 2), k});
              Value w = memref::LoadOp::create(b, t % 2 ? vNeg : vPos,
                                               ValueRange{k, j});
              Value term = buildMul(b, b.getLoc(), kind, l, w, cfg.nanMode);
              next.push_back(
                  buildAdd(b, b.getLoc(), kind, acc[t], term, cfg.nanMode));
            }
            return next;
          });
      SmallVector<Value, 4> maxima(loop.getResults());
      emitSignedSum(b, y, i, j, maxima);
    });
  });
}

void SignSplit::emitKernel() {
  int64_t numTasks = std::max<int64_t>(1, cfg.numTasks);
  Value chunk = ceilDiv(m, numTasks);
  int64_t dyn = ShapedType::kDynamic;
  parallelLoop(idx(numTasks), [&](Value task) {
    Value m0 = min(mul(task, chunk), m);
    Value m1 = min(add(m0, chunk), m);
    listA = alloc({mt, dyn, 2, kc + 1}, et, {nb});
    listK = alloc({mt, dyn, 2, kc + 1}, b.getI32Type(), {nb});
    counts = alloc({mt, dyn, 2}, b.getIndexType(), {nb});
    scratch = alloc({4, mt, nr}, et, {});
    vp = alloc({kc, 2, nr}, et, {});
    logs = alloc({2, dyn}, et, {kk});
    forLoop(m0, m1, idx(mt), [&](Value t0) {
      Value t1 = min(add(t0, idx(mt)), m1);
      Value no = arith::ConstantIntOp::create(b, b.getI1Type(), 0);
      Value bad = forLoop(t0, t1, idx(1), ValueRange{no},
                          [&](Value i, ValueRange acc) -> SmallVector<Value> {
                            Value rowBad = listRow(i, sub(i, t0));
                            return {arith::OrIOp::create(b, acc[0], rowBad)};
                          })
                      .getResult(0);
      auto ifBad = scf::IfOp::create(b, bad, /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifBad.thenBlock());
      emitReference(t0, t1);
      b.setInsertionPointToStart(ifBad.elseBlock());
      sweepTile(t0, t1);
    });
    for (Value buffer : {listA, listK, counts, scratch, vp, logs})
      memref::DeallocOp::create(b, buffer);
  });
}

void trop::emitBipolarMatmul(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                             Value x, Value vPos, Value vNeg, Value y,
                             double inputShift) {
  SignSplit kernel(b, cfg, x, vPos, vNeg, y, inputShift);
  Value ok = kernel.prepare();
  auto ifOk = scf::IfOp::create(b, ok, /*withElseRegion=*/true);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifOk.thenBlock());
    kernel.emitKernel();
    b.setInsertionPointToStart(ifOk.elseBlock());
    emitInterleaved(b, cfg, x, vPos, vNeg, y, inputShift);
  }
  kernel.release();
}
