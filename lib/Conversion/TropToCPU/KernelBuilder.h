//===- KernelBuilder.h - Index arithmetic and loops for kernels -*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The loop bounds, offsets and block counts of the CPU kernels are index
// values computed at run time, and every kernel is a nest of scf.for loops;
// these one-liners, shared by all the emitters, keep them readable.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_KERNELBUILDER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_KERNELBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/TypeUtilities.h"

#include <limits>

namespace mlir {
namespace trop {

/// The size of dimension `d` of `memref`, at `b`'s insertion point.
inline Value dim(ImplicitLocOpBuilder &b, Value memref, int64_t d) {
  return memref::DimOp::create(b, memref, d);
}

/// The 2-D view memref[leading..., :, :] of the last two dimensions of
/// `memref` at the indices `leading` of the others (a rank-reducing subview
/// with dynamic sizes).
inline Value matrixView(ImplicitLocOpBuilder &b, Value memref,
                        ValueRange leading) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> offsets(leading.begin(), leading.end());
  offsets.append(2, b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes(leading.size(), b.getIndexAttr(1));
  sizes.push_back(dim(b, memref, rank - 2));
  sizes.push_back(dim(b, memref, rank - 1));
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  auto viewType = memref::SubViewOp::inferRankReducedResultType(
      {ShapedType::kDynamic, ShapedType::kDynamic}, type, offsets, sizes,
      strides);
  return memref::SubViewOp::create(b, cast<MemRefType>(viewType), memref,
                                   offsets, sizes, strides);
}

/// Index arithmetic and loops at `b`'s insertion point. All operands are
/// non-negative, so divisions may be unsigned.
struct KernelBuilder {
  ImplicitLocOpBuilder &b;

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value ceilDiv(Value x, int64_t d) {
    return arith::DivUIOp::create(b, add(x, idx(d - 1)), idx(d));
  }
  Value roundUp(Value x, int64_t d) { return mul(ceilDiv(x, d), idx(d)); }
  Value dim(Value memref, int64_t d) { return trop::dim(b, memref, d); }

  /// for (iv = lb; iv < ub; iv += step) body(iv); the insertion point is
  /// back after the loop when it returns.
  void forLoop(Value lb, Value ub, Value step, function_ref<void(Value)> body) {
    auto loop = scf::ForOp::create(b, lb, ub, step);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVar());
  }
  void forLoop(Value lb, Value ub, int64_t step,
               function_ref<void(Value)> body) {
    forLoop(lb, ub, idx(step), body);
  }

  /// for iv in [0, ub) in parallel (OpenMP when the pipeline has threads):
  /// body(iv).
  void parallelLoop(Value ub, function_ref<void(Value)> body) {
    auto loop = scf::ParallelOp::create(b, ValueRange{idx(0)}, ValueRange{ub},
                                        ValueRange{idx(1)});
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    body(loop.getInductionVars()[0]);
  }

  /// Whether any of `flags[0 .. size)` (a memref of i1) holds.
  Value anyOf(Value flags, Value size) {
    Value none = arith::ConstantIntOp::create(b, b.getI1Type(), 0);
    return forLoop(idx(0), size, idx(1), ValueRange{none},
                   [&](Value i, ValueRange acc) -> SmallVector<Value> {
                     Value f = memref::LoadOp::create(b, flags, ValueRange{i});
                     return {arith::OrIOp::create(b, acc[0], f)};
                   })
        .getResult(0);
  }

  /// Whether the float `v` (scalar or vector) is NaN or +∞, or also −∞
  /// with `bothSigns`.
  Value isNaNOrInfinite(Value v, bool bothSigns) {
    Type type = getElementTypeOrSelf(v.getType());
    Value posInf = arith::ConstantOp::create(
        b, type, b.getFloatAttr(type, std::numeric_limits<double>::infinity()));
    if (auto vectorType = dyn_cast<VectorType>(v.getType()))
      posInf = vector::BroadcastOp::create(b, vectorType, posInf);
    Value nan = arith::CmpFOp::create(b, arith::CmpFPredicate::UNO, v, v);
    Value mag = bothSigns ? math::AbsFOp::create(b, v).getResult() : v;
    Value inf =
        arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, mag, posInf);
    return arith::OrIOp::create(b, nan, inf);
  }

  /// The same loop carrying the values `init` from one iteration to the
  /// next: body(iv, carried) returns the values of the next iteration, and
  /// the loop's results are those of the last one.
  scf::ForOp forLoop(Value lb, Value ub, Value step, ValueRange init,
                     function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    return scf::ForOp::create(
        b, lb, ub, step, init,
        [&](OpBuilder &nested, Location loc, Value iv, ValueRange carried) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nested.getInsertionBlock(),
                              nested.getInsertionPoint());
          scf::YieldOp::create(b, body(iv, carried));
        });
  }
};

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_KERNELBUILDER_H
