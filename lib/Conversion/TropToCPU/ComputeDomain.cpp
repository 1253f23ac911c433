//===- ComputeDomain.cpp - How CPU kernels hold values in registers -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Why the widened domains are exact:
//
// * f16/bf16 in f32: every f32 sum of two half-precision values rounds to the
//   same half-precision value as the exact sum (f32 has more than 2p + 2
//   significand bits), and rounding is monotone, so it commutes with max and
//   min: rounding the f32 result once when it is stored gives the result of
//   computing in the element type.
//
// * i8/i16/i64 with max_plus/min_plus in their own width: for a, b other
//   than 𝟘 the saturating add gives clamp(a + b) to [MIN, MAX], the semantics
//   of ⊗ in docs/semantics.md (a sum clamped onto 𝟘's end of the range is 𝟘,
//   also by definition). `multiply` selects 𝟘 where an operand is 𝟘; the
//   GEMM micro-kernel instead masks the ⊕ with the operands' non-𝟘 lanes
//   (a masked-out lane keeps its accumulator, i.e. ⊕ 𝟘), and skips the masks
//   for a panel pair in which packing met no 𝟘.
//
// * i32 with max_plus/min_plus in i64: 𝟘 becomes the sentinel S = ∓2^(2N-2).
//   Sums of two non-𝟘 values are exact in i2N. A sum involving S stays beyond
//   the element range on 𝟘's side (|S| − 2^(N-1) > 2^(N-1)), and S + S =
//   ∓2^(2N-1) still fits, so no add can wrap. Narrowing clamps to [MIN, MAX]: a
//   result on 𝟘's side of the range becomes 𝟘, which is exactly the saturating,
//   𝟘-absorbing ⊗ of docs/semantics.md (clamping is monotone, so it commutes
//   with the max/min reduction).
//
//===----------------------------------------------------------------------===//

#include "ComputeDomain.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

ComputeDomain ComputeDomain::get(SemiringKind kind, NaNMode nanMode,
                                 Type elementType, bool nativeF16) {
  MLIRContext *ctx = elementType.getContext();
  Type computeType = elementType;
  bool saturating = false;
  if (isa<BFloat16Type>(elementType) ||
      (isa<Float16Type>(elementType) && !nativeF16))
    computeType = Float32Type::get(ctx);
  else if (auto intType = dyn_cast<IntegerType>(elementType);
           intType && isPlusSemiring(kind)) {
    // i64 has no wider type to hold a sentinel: it saturates like i8/i16.
    if (intType.getWidth() <= 16 || intType.getWidth() == 64)
      saturating = true;
    else
      computeType = IntegerType::get(ctx, 2 * intType.getWidth());
  }
  return {kind,        nanMode,          elementType,
          computeType, /*linear=*/false, saturating};
}

ComputeDomain ComputeDomain::getLinear(Type elementType, bool fused) {
  return {SemiringKind::MaxPlus, NaNMode::Propagate,   elementType, elementType,
          /*linear=*/true,       /*saturating=*/false, fused};
}

TypedAttr ComputeDomain::paddingAttr() const {
  if (linear)
    return FloatAttr::get(elementType, 0.0);
  return getZeroAttr(kind, elementType);
}

bool ComputeDomain::sentinelInts() const {
  return isa<IntegerType>(elementType) && computeType != elementType;
}

/// The type with `elementType`'s shape (scalar or vector) and element `to`.
static Type withElement(Type type, Type to) {
  if (auto vectorType = dyn_cast<VectorType>(type))
    return vectorType.clone(to);
  return to;
}

static Value splat(ImplicitLocOpBuilder &b, Type type, TypedAttr scalar) {
  if (auto vectorType = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, SplatElementsAttr::get(vectorType, scalar));
  return arith::ConstantOp::create(b, scalar);
}

Value ComputeDomain::zero(ImplicitLocOpBuilder &b, Type type) const {
  if (linear)
    return splat(b, type, FloatAttr::get(computeType, 0.0));
  if (!sentinelInts())
    return splat(b, type, getZeroAttr(kind, computeType));
  unsigned width = computeType.getIntOrFloatBitWidth();
  APInt magnitude = APInt::getOneBitSet(width, width - 2);
  APInt sentinel = isMaxSemiring(kind) ? -magnitude : magnitude - 1;
  return splat(b, type, IntegerAttr::get(computeType, sentinel));
}

Value ComputeDomain::widen(ImplicitLocOpBuilder &b, Value value) const {
  if (computeType == elementType)
    return value;
  Type target = withElement(value.getType(), computeType);
  if (isa<FloatType>(computeType))
    return arith::ExtFOp::create(b, target, value);
  Value wide = arith::ExtSIOp::create(b, target, value);
  Value isZero = arith::CmpIOp::create(
      b, arith::CmpIPredicate::eq, value,
      splat(b, value.getType(), getZeroAttr(kind, elementType)));
  return arith::SelectOp::create(b, isZero, zero(b, target), wide);
}

Value ComputeDomain::narrow(ImplicitLocOpBuilder &b, Value value) const {
  if (computeType == elementType)
    return value;
  Type target = withElement(value.getType(), elementType);
  if (isa<FloatType>(computeType))
    return arith::TruncFOp::create(b, target, value);
  unsigned narrowWidth = elementType.getIntOrFloatBitWidth();
  unsigned width = computeType.getIntOrFloatBitWidth();
  Value lo = splat(
      b, value.getType(),
      IntegerAttr::get(computeType,
                       APInt::getSignedMinValue(narrowWidth).sext(width)));
  Value hi = splat(
      b, value.getType(),
      IntegerAttr::get(computeType,
                       APInt::getSignedMaxValue(narrowWidth).sext(width)));
  Value clamped =
      arith::MinSIOp::create(b, arith::MaxSIOp::create(b, value, lo), hi);
  return arith::TruncIOp::create(b, target, clamped);
}

Value ComputeDomain::isNonZero(ImplicitLocOpBuilder &b, Value value) const {
  if (isa<FloatType>(computeType))
    return arith::CmpFOp::create(b, arith::CmpFPredicate::ONE, value,
                                 zero(b, value.getType()));
  return arith::CmpIOp::create(b, arith::CmpIPredicate::ne, value,
                               zero(b, value.getType()));
}

Value ComputeDomain::multiplyNonZero(ImplicitLocOpBuilder &b, Value lhs,
                                     Value rhs) const {
  if (saturating)
    return LLVM::SAddSat::create(b, lhs, rhs);
  return multiply(b, lhs, rhs);
}

Value ComputeDomain::multiply(ImplicitLocOpBuilder &b, Value lhs,
                              Value rhs) const {
  if (saturating) {
    Value both = arith::AndIOp::create(b, isNonZero(b, lhs), isNonZero(b, rhs));
    return arith::SelectOp::create(b, both, multiplyNonZero(b, lhs, rhs),
                                   zero(b, lhs.getType()));
  }
  if (linear)
    return arith::MulFOp::create(b, lhs, rhs);
  if (sentinelInts())
    // No overflow is possible in the widened domain (see the file comment).
    return arith::AddIOp::create(b, lhs, rhs);
  return buildMulTerm(b, b.getLoc(), kind, lhs, rhs, nanMode);
}

Value ComputeDomain::accumulate(ImplicitLocOpBuilder &b, Value acc,
                                Value product) const {
  if (linear)
    return arith::AddFOp::create(b, acc, product);
  return buildAdd(b, b.getLoc(), kind, acc, product, nanMode);
}

Value ComputeDomain::fusedMultiplyAdd(ImplicitLocOpBuilder &b, Value acc,
                                      Value lhs, Value rhs) const {
  // The kernels hold values in vectors (vector<1xT> for remainders).
  return vector::FMAOp::create(b, lhs, rhs, acc);
}
