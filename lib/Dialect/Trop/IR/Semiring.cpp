//===- Semiring.cpp - What ⊕, ⊗, 𝟘 and 𝟙 are, per semiring and type -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"

using namespace mlir;
using namespace mlir::trop;

bool trop::isMaxSemiring(SemiringKind kind) {
  return kind == SemiringKind::MaxPlus || kind == SemiringKind::MaxMin;
}

/// Whether ⊗ is addition (else it is the lattice operation min or max).
static bool isPlusSemiring(SemiringKind kind) {
  return kind == SemiringKind::MaxPlus || kind == SemiringKind::MinPlus;
}

bool trop::isSupportedElementType(Type type) {
  if (isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(type))
    return true;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType || !intType.isSignless())
    return false;
  unsigned width = intType.getWidth();
  return width == 1 || width == 8 || width == 16 || width == 32;
}

bool trop::isSemiringCompatible(SemiringKind kind, Type elementType) {
  if (!isSupportedElementType(elementType))
    return false;
  if (elementType.isInteger(1))
    return !isPlusSemiring(kind);
  return true;
}

/// The bottom (isMax = false) or top (isMax = true) of `type`'s order.
static TypedAttr getExtremeAttr(Type type, bool top) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return FloatAttr::get(floatType,
                          APFloat::getInf(floatType.getFloatSemantics(), !top));
  auto intType = cast<IntegerType>(type);
  unsigned width = intType.getWidth();
  // On i1 the order is false < true (unsigned); elsewhere it is signed.
  APInt value = width == 1 ? (top ? APInt(1, 1) : APInt(1, 0))
                           : (top ? APInt::getSignedMaxValue(width)
                                  : APInt::getSignedMinValue(width));
  return IntegerAttr::get(intType, value);
}

TypedAttr trop::getZeroAttr(SemiringKind kind, Type elementType) {
  if (!isSemiringCompatible(kind, elementType))
    return {};
  // 𝟘 is the identity of ⊕: the bottom for max, the top for min.
  return getExtremeAttr(elementType, /*top=*/!isMaxSemiring(kind));
}

TypedAttr trop::getOneAttr(SemiringKind kind, Type elementType) {
  if (!isSemiringCompatible(kind, elementType))
    return {};
  switch (kind) {
  case SemiringKind::MaxPlus:
  case SemiringKind::MinPlus:
    if (isa<FloatType>(elementType))
      return FloatAttr::get(elementType, 0.0);
    return IntegerAttr::get(elementType, 0);
  case SemiringKind::MaxMin:
    // ⊗ = min: its identity is the top.
    return getExtremeAttr(elementType, /*top=*/true);
  case SemiringKind::MinMax:
    return getExtremeAttr(elementType, /*top=*/false);
  }
  llvm_unreachable("unknown semiring");
}

/// A constant of `type` (a scalar or a vector) whose elements are `scalar`.
static Value buildConstant(OpBuilder &b, Location loc, Type type,
                           TypedAttr scalar) {
  if (auto vectorType = dyn_cast<VectorType>(type))
    return arith::ConstantOp::create(
        b, loc, SplatElementsAttr::get(vectorType, scalar));
  return arith::ConstantOp::create(b, loc, scalar);
}

Value trop::buildZero(OpBuilder &b, Location loc, SemiringKind kind,
                      Type type) {
  return buildConstant(b, loc, type,
                       getZeroAttr(kind, getElementTypeOrSelf(type)));
}

Value trop::buildMaxOrMin(OpBuilder &b, Location loc, bool isMax, Value lhs,
                          Value rhs, NaNMode nanMode) {
  Type type = getElementTypeOrSelf(lhs.getType());
  if (isa<FloatType>(type)) {
    if (nanMode == NaNMode::Propagate) {
      if (isMax)
        return arith::MaximumFOp::create(b, loc, lhs, rhs);
      return arith::MinimumFOp::create(b, loc, lhs, rhs);
    }
    // maxnumf with nnan is what lowers to a single vmaxps/vminps: without
    // the flag LLVM adds a NaN check and a blend (perf-anchors §4.4).
    auto nnan = arith::FastMathFlagsAttr::get(b.getContext(),
                                              arith::FastMathFlags::nnan);
    if (isMax)
      return arith::MaxNumFOp::create(b, loc, lhs, rhs, nnan);
    return arith::MinNumFOp::create(b, loc, lhs, rhs, nnan);
  }
  if (type.isInteger(1)) {
    if (isMax)
      return arith::OrIOp::create(b, loc, lhs, rhs);
    return arith::AndIOp::create(b, loc, lhs, rhs);
  }
  if (isMax)
    return arith::MaxSIOp::create(b, loc, lhs, rhs);
  return arith::MinSIOp::create(b, loc, lhs, rhs);
}

Value trop::buildAdd(OpBuilder &b, Location loc, SemiringKind kind, Value lhs,
                     Value rhs, NaNMode nanMode) {
  return buildMaxOrMin(b, loc, isMaxSemiring(kind), lhs, rhs, nanMode);
}

/// Integer ⊗ of the `_plus` semirings: the exact sum clamped to the type's
/// range, except that 𝟘 absorbs (𝟘 stands for ∓∞, not for a number).
static Value buildSaturatingPlus(OpBuilder &b, Location loc, SemiringKind kind,
                                 Value lhs, Value rhs) {
  Type type = lhs.getType();
  auto intType = cast<IntegerType>(getElementTypeOrSelf(type));
  unsigned width = intType.getWidth();
  auto wideElementType = b.getIntegerType(2 * width);
  Type wideType = wideElementType;
  if (auto vectorType = dyn_cast<VectorType>(type))
    wideType = vectorType.clone(wideElementType);
  Value wideLhs = arith::ExtSIOp::create(b, loc, wideType, lhs);
  Value wideRhs = arith::ExtSIOp::create(b, loc, wideType, rhs);
  Value sum = arith::AddIOp::create(b, loc, wideLhs, wideRhs);
  Value lo = buildConstant(
      b, loc, wideType,
      IntegerAttr::get(wideElementType,
                       APInt::getSignedMinValue(width).sext(2 * width)));
  Value hi = buildConstant(
      b, loc, wideType,
      IntegerAttr::get(wideElementType,
                       APInt::getSignedMaxValue(width).sext(2 * width)));
  sum = arith::MaxSIOp::create(b, loc, sum, lo);
  sum = arith::MinSIOp::create(b, loc, sum, hi);
  Value clamped = arith::TruncIOp::create(b, loc, type, sum);

  Value zero = buildZero(b, loc, kind, type);
  Value lhsIsZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, lhs, zero);
  Value rhsIsZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, zero);
  Value anyZero = arith::OrIOp::create(b, loc, lhsIsZero, rhsIsZero);
  return arith::SelectOp::create(b, loc, anyZero, zero, clamped);
}

Value trop::buildMul(OpBuilder &b, Location loc, SemiringKind kind, Value lhs,
                     Value rhs, NaNMode nanMode) {
  switch (kind) {
  case SemiringKind::MaxPlus:
  case SemiringKind::MinPlus:
    if (isa<FloatType>(getElementTypeOrSelf(lhs.getType())))
      return arith::AddFOp::create(b, loc, lhs, rhs);
    return buildSaturatingPlus(b, loc, kind, lhs, rhs);
  case SemiringKind::MaxMin:
    return buildMaxOrMin(b, loc, /*isMax=*/false, lhs, rhs, nanMode);
  case SemiringKind::MinMax:
    return buildMaxOrMin(b, loc, /*isMax=*/true, lhs, rhs, nanMode);
  }
  llvm_unreachable("unknown semiring");
}
