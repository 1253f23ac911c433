//===- MaxoutEmitter.cpp - Vectorized maxout over channel groups ----------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// For each row r (rows split over tasks):
//
//   if k ≤ kMaxShuffledGroupSize:                     (VL groups per step)
//     for g0 in 0 .. ⌊G/VL⌋·VL step VL:
//       acc = load y[r, g0 : g0+VL]
//       k a power of two: v_0 .. v_{k-1} = the k vectors of x[r, g0·k ...];
//         log2(k) levels of max(shuffle(v_2i, v_2i+1, evens),
//                               shuffle(v_2i, v_2i+1, odds))
//       otherwise: w = load x[r, g0·k : (g0+VL)·k] (one wide load),
//         for j < k: acc = max(acc, shuffle(w, [j, j+k, ..., j+(VL−1)k]))
//       store acc → y[r, g0 : g0+VL]                   full vector, in bounds
//     then the same with VL/2, VL/4, ... lanes for what is left
//   for each remaining group g (at most one, or all when k is larger):
//     acc = 𝟘; for whole vectors v of the group: acc = max(acc, v)
//     the group's last partial vector: a masked load with 𝟘 in the other lanes
//     y[r, g] = max(y[r, g], reduce_max(acc))          scalar store
//
// Stores are whole in-bounds vectors or scalars, never masked (LLVM 22
// miscompiles some single-lane masked stores of truncated vectors); only
// loads are masked. Exact: max never rounds, so the order in which the
// kernel combines a group does not matter (the reduction kind matches the
// NaN mode: `maximumf` propagates NaN like `arith.maximumf`, `maxnumf` with
// `nnan` is the assume-none promise). Half-precision values are compared in
// their compute domain (f32 without native f16), which represents them
// exactly, and narrowed back unchanged.
//
//===----------------------------------------------------------------------===//

#include "MaxoutEmitter.h"
#include "KernelBuilder.h"

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

struct MaxoutEmitter : KernelBuilder {
  const ComputeDomain &dom;
  Value x, y;
  int64_t k, vl;

  Value max(Value lhs, Value rhs) {
    return buildAdd(b, b.getLoc(), dom.kind, lhs, rhs, dom.nanMode);
  }
  VectorType elementVector(int64_t lanes) {
    return VectorType::get({lanes}, dom.elementType);
  }

  /// The maximum of the lanes of a compute-domain vector, as ⊕ would give.
  Value reduce(Value vec) {
    return buildMaxOrMinReduction(b, b.getLoc(), /*isMax=*/true, vec,
                                  dom.nanMode);
  }

  void emitShuffledGroups(Value r, Value g0, int64_t lanes);
  void emitGroup(Value r, Value g);
  void emitRow(Value r);
};

} // namespace

/// `vl` consecutive groups g0 .. g0+vl−1 of row r, all in bounds.
void MaxoutEmitter::emitShuffledGroups(Value r, Value g0, int64_t vl) {
  Value c0 = arith::MulIOp::create(b, g0, idx(k));
  Value acc = dom.widen(
      b, vector::LoadOp::create(b, elementVector(vl), y, ValueRange{r, g0}));
  if (llvm::isPowerOf2_64(k)) {
    // A tree: k vectors of VL channels; each level pairs neighbouring
    // vectors and takes the max of their even and odd lanes (two two-source
    // shuffles, one vpermt2ps each on AVX-512), which halves the number of
    // vectors and merges neighbouring channels, so after log2(k) levels lane
    // l holds the max of group g0 + l. k − 1 maxima and 2(k − 1) shuffles
    // per VL groups.
    SmallVector<Value> level;
    for (int64_t v = 0; v < k; ++v) {
      Value col = arith::AddIOp::create(b, c0, idx(v * vl));
      level.push_back(
          dom.widen(b, vector::LoadOp::create(b, elementVector(vl), x,
                                              ValueRange{r, col})));
    }
    SmallVector<int64_t> evens, odds;
    for (int64_t l = 0; l < vl; ++l) {
      evens.push_back(2 * l);
      odds.push_back(2 * l + 1);
    }
    while (level.size() > 1) {
      SmallVector<Value> next;
      for (size_t i = 0; i + 1 < level.size(); i += 2) {
        Value even =
            vector::ShuffleOp::create(b, level[i], level[i + 1], evens);
        Value odd = vector::ShuffleOp::create(b, level[i], level[i + 1], odds);
        next.push_back(max(even, odd));
      }
      level = std::move(next);
    }
    acc = max(acc, level.front());
  } else {
    // Deinterleave: one wide load whose k strided lane sets (j, j+k, ...)
    // are picked out by shuffles.
    Value wide =
        vector::LoadOp::create(b, elementVector(vl * k), x, ValueRange{r, c0});
    for (int64_t j = 0; j < k; ++j) {
      SmallVector<int64_t> mask;
      for (int64_t l = 0; l < vl; ++l)
        mask.push_back(j + l * k);
      acc = max(acc,
                dom.widen(b, vector::ShuffleOp::create(b, wide, wide, mask)));
    }
  }
  vector::StoreOp::create(b, dom.narrow(b, acc), y, ValueRange{r, g0});
}

/// One group g of row r, in whole vectors and a masked last one.
void MaxoutEmitter::emitGroup(Value r, Value g) {
  Value base = arith::MulIOp::create(b, g, idx(k));
  // Groups smaller than a register use the smallest power-of-two vector
  // that holds them.
  int64_t vl = std::min<int64_t>(this->vl, llvm::PowerOf2Ceil(k));
  VectorType vecType = dom.vectorType(vl);
  Value acc = dom.zero(b, vecType);
  int64_t whole = k / vl, rest = k % vl;
  auto step = [&](Value acc, Value j) {
    Value col = arith::AddIOp::create(b, base, j);
    return max(acc, dom.widen(b, vector::LoadOp::create(b, elementVector(vl), x,
                                                        ValueRange{r, col})));
  };
  if (whole <= 4) {
    for (int64_t v = 0; v < whole; ++v)
      acc = step(acc, idx(v * vl));
  } else {
    auto loop = forLoop(idx(0), idx(whole * vl), idx(vl), ValueRange{acc},
                        [&](Value j, ValueRange carried) {
                          return SmallVector<Value>{step(carried[0], j)};
                        });
    acc = loop.getResult(0);
  }
  if (rest != 0) {
    // The group's tail: lanes past it read 𝟘, the identity of max.
    Value mask =
        vector::ConstantMaskOp::create(b, VectorType::get({vl}, b.getI1Type()),
                                       b.getDenseI64ArrayAttr({rest}));
    Value pad = arith::ConstantOp::create(
        b, SplatElementsAttr::get(elementVector(vl),
                                  getZeroAttr(dom.kind, dom.elementType)));
    Value col = arith::AddIOp::create(b, base, idx(whole * vl));
    Value tail = vector::MaskedLoadOp::create(b, elementVector(vl), x,
                                              ValueRange{r, col}, mask, pad);
    acc = max(acc, dom.widen(b, tail));
  }
  Value old = dom.widen(b, memref::LoadOp::create(b, y, ValueRange{r, g}));
  memref::StoreOp::create(b, dom.narrow(b, max(old, reduce(acc))), y,
                          ValueRange{r, g});
}

void MaxoutEmitter::emitRow(Value r) {
  Value groups = dim(y, 1);
  Value start = idx(0);
  if (k <= kMaxShuffledGroupSize) {
    // Whole registers of groups, then halves, quarters, ... of one (at most
    // one step each), so that at most one group per row is left over.
    for (int64_t lanes = vl; lanes >= 2; lanes /= 2) {
      Value left = arith::SubIOp::create(b, groups, start);
      Value end = arith::AddIOp::create(
          b, start,
          arith::MulIOp::create(b, arith::DivUIOp::create(b, left, idx(lanes)),
                                idx(lanes)));
      forLoop(start, end, lanes,
              [&](Value g0) { emitShuffledGroups(r, g0, lanes); });
      start = end;
    }
  }
  forLoop(start, groups, 1, [&](Value g) { emitGroup(r, g); });
}

void trop::emitMaxout(ImplicitLocOpBuilder &b, const ComputeDomain &domain,
                      Value x, Value y, int64_t groupSize, int64_t vectorLength,
                      int64_t numTasks) {
  assert(isMaxSemiring(domain.kind) && "maxout's ⊕ is max");
  MaxoutEmitter e{{b}, domain, x, y, groupSize, vectorLength};
  Value rows = e.dim(y, 0);
  if (numTasks <= 1) {
    e.forLoop(e.idx(0), rows, 1, [&](Value r) { e.emitRow(r); });
    return;
  }
  // Small inputs run sequentially: a maxout streams its input once, and
  // below a few tens of thousands of channels the fork and join of the
  // threads costs more than the work (docs/cpu-pipeline.md, Maxout).
  Value channels = e.dim(x, 1);
  Value large = arith::CmpIOp::create(b, arith::CmpIPredicate::uge,
                                      arith::MulIOp::create(b, rows, channels),
                                      e.idx(numTasks * kMinChannelsPerTask));
  auto ifOp = scf::IfOp::create(b, large, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.elseBlock());
  e.forLoop(e.idx(0), rows, 1, [&](Value r) { e.emitRow(r); });
  b.setInsertionPointToStart(ifOp.thenBlock());
  // Contiguous row ranges, one per task.
  Value chunk = arith::DivUIOp::create(
      b, arith::AddIOp::create(b, rows, e.idx(numTasks - 1)), e.idx(numTasks));
  auto par = scf::ParallelOp::create(b, ValueRange{e.idx(0)},
                                     ValueRange{e.idx(numTasks)},
                                     ValueRange{e.idx(1)});
  b.setInsertionPointToStart(par.getBody());
  Value task = par.getInductionVars()[0];
  Value r0 =
      arith::MinUIOp::create(b, arith::MulIOp::create(b, task, chunk), rows);
  Value r1 =
      arith::MinUIOp::create(b, arith::AddIOp::create(b, r0, chunk), rows);
  e.forLoop(r0, r1, 1, [&](Value r) { e.emitRow(r); });
}

/// A 2-D view (rows × channels) of a maxout operand: rank 1 is one row,
/// higher ranks collapse their leading dimensions, which needs them to be
/// contiguous with one another (null otherwise).
Value trop::rowView(ImplicitLocOpBuilder &b, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return memref;
  if (rank == 1) {
    OpFoldResult channels =
        type.isDynamicDim(0) ? OpFoldResult(dim(b, memref, 0))
                             : OpFoldResult(b.getIndexAttr(type.getDimSize(0)));
    SmallVector<OpFoldResult> shape = {b.getIndexAttr(1), channels};
    return memref::ExpandShapeOp::create(b, {1, type.getDimSize(0)}, memref,
                                         ArrayRef<ReassociationIndices>{{0, 1}},
                                         shape);
  }
  ReassociationIndices leading =
      llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  SmallVector<ReassociationIndices> reassociation = {leading, {rank - 1}};
  if (!memref::CollapseShapeOp::isGuaranteedCollapsible(type, reassociation))
    return Value();
  return memref::CollapseShapeOp::create(b, memref, reassociation);
}

/// Whether rowView can view `value` as rows × channels.
bool trop::hasRowView(Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() <= 2)
    return true;
  ReassociationIndices leading =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank() - 1));
  return memref::CollapseShapeOp::isGuaranteedCollapsible(
      type, {leading, {type.getRank() - 1}});
}
