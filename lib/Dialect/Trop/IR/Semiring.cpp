//===- Semiring.cpp - What ⊕, ⊗, 𝟘 and 𝟙 are, per semiring and type -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
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

bool trop::isPlusSemiring(SemiringKind kind) {
  return kind == SemiringKind::MaxPlus || kind == SemiringKind::MinPlus;
}

SemiringOp trop::getAddOp(SemiringKind kind) {
  return isMaxSemiring(kind) ? SemiringOp::Max : SemiringOp::Min;
}

SemiringOp trop::getMulOp(SemiringKind kind) {
  if (isPlusSemiring(kind))
    return SemiringOp::Plus;
  // The lattice semirings pair ⊕ with the opposite lattice operation.
  return isMaxSemiring(kind) ? SemiringOp::Min : SemiringOp::Max;
}

std::optional<SemiringKind> trop::getSemiringKind(SemiringOp add,
                                                  SemiringOp mul) {
  for (SemiringKind kind : {SemiringKind::MaxPlus, SemiringKind::MinPlus,
                            SemiringKind::MaxMin, SemiringKind::MinMax})
    if (getAddOp(kind) == add && getMulOp(kind) == mul)
      return kind;
  return std::nullopt;
}

bool trop::isSupportedElementType(Type type) {
  if (isa<Float16Type, BFloat16Type, Float32Type, Float64Type>(type))
    return true;
  auto intType = dyn_cast<IntegerType>(type);
  if (!intType || !intType.isSignless())
    return false;
  unsigned width = intType.getWidth();
  return width == 1 || width == 8 || width == 16 || width == 32 || width == 64;
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

bool trop::isZero(SemiringKind kind, const APFloat &value) {
  // 𝟘 is −∞ when ⊕ is max, +∞ when it is min.
  return value.isInfinity() && value.isNegative() == isMaxSemiring(kind);
}

bool trop::isZero(SemiringKind kind, double value) {
  return isZero(kind, APFloat(value));
}

bool trop::isZero(SemiringKind kind, Attribute attr) {
  if (auto splat = dyn_cast_or_null<SplatElementsAttr>(attr))
    attr = splat.getSplatValue<Attribute>();
  auto typed = dyn_cast_or_null<TypedAttr>(attr);
  if (!typed)
    return false;
  TypedAttr zero = getZeroAttr(kind, typed.getType());
  return zero && zero == typed;
}

APFloat trop::foldAdd(SemiringKind kind, const APFloat &lhs,
                      const APFloat &rhs) {
  return isMaxSemiring(kind) ? llvm::maximum(lhs, rhs)
                             : llvm::minimum(lhs, rhs);
}

APFloat trop::foldMul(SemiringKind kind, APFloat lhs, const APFloat &rhs) {
  switch (getMulOp(kind)) {
  case SemiringOp::Plus: {
    bool operandIsNaN = lhs.isNaN() || rhs.isNaN();
    lhs.add(rhs, APFloat::rmNearestTiesToEven);
    // +∞ met −∞: 𝟘 absorbs the top (docs/semantics.md).
    if (lhs.isNaN() && !operandIsNaN)
      return APFloat::getInf(lhs.getSemantics(), isMaxSemiring(kind));
    return lhs;
  }
  case SemiringOp::Min:
    return llvm::minimum(lhs, rhs);
  case SemiringOp::Max:
    return llvm::maximum(lhs, rhs);
  }
  llvm_unreachable("unknown semiring operation");
}

/// `value` rounded to nearest even in `semantics`.
static APFloat roundTo(double value, const llvm::fltSemantics &semantics) {
  APFloat result(value);
  bool lossy;
  result.convert(semantics, APFloat::rmNearestTiesToEven, &lossy);
  return result;
}

double trop::foldMul(SemiringKind kind, FloatType elementType, double lhs,
                     double rhs) {
  const llvm::fltSemantics &semantics = elementType.getFloatSemantics();
  APFloat product =
      foldMul(kind, roundTo(lhs, semantics), roundTo(rhs, semantics));
  // Widening to double is exact for every float type trop supports.
  bool lossy;
  product.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lossy);
  return product.convertToDouble();
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
    // select(rhs > lhs, rhs, lhs) (`<` for min) is exactly x86's
    // `vmaxps rhs, lhs` (`vminps`): one instruction, like maxnumf with nnan
    // (perf-anchors §4.4), but defined where `rhs` is NaN: it returns `lhs`.
    // So a product that is NaN because +∞ met −∞ is ignored by ⊕ at no cost
    // (docs/semantics.md), where maxnumf nnan would make it poison.
    Value better = arith::CmpFOp::create(
        b, loc, isMax ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
        rhs, lhs);
    return arith::SelectOp::create(b, loc, better, rhs, lhs);
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

Value trop::buildMaxOrMinReduction(OpBuilder &b, Location loc, bool isMax,
                                   Value vec, NaNMode nanMode) {
  Type type = getElementTypeOrSelf(vec.getType());
  using vector::CombiningKind;
  if (isa<FloatType>(type)) {
    if (nanMode == NaNMode::Propagate)
      return vector::ReductionOp::create(
          b, loc, isMax ? CombiningKind::MAXIMUMF : CombiningKind::MINIMUMF,
          vec);
    return vector::ReductionOp::create(
        b, loc, isMax ? CombiningKind::MAXNUMF : CombiningKind::MINNUMF, vec,
        arith::FastMathFlags::nnan);
  }
  if (type.isInteger(1))
    return vector::ReductionOp::create(
        b, loc, isMax ? CombiningKind::OR : CombiningKind::AND, vec);
  return vector::ReductionOp::create(
      b, loc, isMax ? CombiningKind::MAXSI : CombiningKind::MINSI, vec);
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

/// Float ⊗ of the `_plus` semirings: the IEEE sum, except that where it is
/// NaN although neither operand is (+∞ met −∞) it is 𝟘: 𝟘 absorbs the top.
static Value buildInfinityAbsorbingPlus(OpBuilder &b, Location loc,
                                        SemiringKind kind, Value lhs,
                                        Value rhs) {
  Value sum = arith::AddFOp::create(b, loc, lhs, rhs);
  Value sumIsNaN =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNO, sum, sum);
  Value operandsOrdered =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::ORD, lhs, rhs);
  Value infinitiesMet =
      arith::AndIOp::create(b, loc, sumIsNaN, operandsOrdered);
  return arith::SelectOp::create(b, loc, infinitiesMet,
                                 buildZero(b, loc, kind, sum.getType()), sum);
}

Value trop::buildMul(OpBuilder &b, Location loc, SemiringKind kind, Value lhs,
                     Value rhs, NaNMode nanMode) {
  switch (kind) {
  case SemiringKind::MaxPlus:
  case SemiringKind::MinPlus:
    if (isa<FloatType>(getElementTypeOrSelf(lhs.getType())))
      return buildInfinityAbsorbingPlus(b, loc, kind, lhs, rhs);
    return buildSaturatingPlus(b, loc, kind, lhs, rhs);
  case SemiringKind::MaxMin:
    return buildMaxOrMin(b, loc, /*isMax=*/false, lhs, rhs, nanMode);
  case SemiringKind::MinMax:
    return buildMaxOrMin(b, loc, /*isMax=*/true, lhs, rhs, nanMode);
  }
  llvm_unreachable("unknown semiring");
}

Value trop::buildMulTerm(OpBuilder &b, Location loc, SemiringKind kind,
                         Value lhs, Value rhs, NaNMode nanMode) {
  // In assume-none mode buildAdd ignores a NaN term, and with NaN-free
  // inputs the only NaN sum is +∞ met −∞, whose product 𝟘 ⊕ ignores too.
  if (nanMode == NaNMode::AssumeNone && isPlusSemiring(kind) &&
      isa<FloatType>(getElementTypeOrSelf(lhs.getType())))
    return arith::AddFOp::create(b, loc, lhs, rhs);
  return buildMul(b, loc, kind, lhs, rhs, nanMode);
}
