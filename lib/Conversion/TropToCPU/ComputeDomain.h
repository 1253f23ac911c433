//===- ComputeDomain.h - How CPU kernels hold values in registers -*- C++
//-*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The CPU kernels do not always compute in the element type: half-precision
// floats are widened to f32 where the target lacks f16 arithmetic (bf16
// always), and i32 `_plus` semirings are widened to i64 with 𝟘 mapped to a
// sentinel, so that the inner loop is one plain add and one max/min per
// update with no saturation logic. i8, i16 and i64 `_plus` semirings stay in
// their own width with a saturating add (one instruction on x86 for i8/i16;
// i64 has no wider type for a sentinel, and LLVM expands its saturating add
// into an add, an overflow test and a select), which is
// exact for operands other than 𝟘; the GEMM masks the 𝟘 operands (or skips
// the masks where packing found none, and uses a plain add where packing
// found only values in the half range). This file is the one place that
// says how values enter and leave that domain, and why it is exact.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_COMPUTEDOMAIN_H
#define TROP_LIB_CONVERSION_TROPTOCPU_COMPUTEDOMAIN_H

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace trop {

struct ComputeDomain {
  SemiringKind kind;
  NaNMode nanMode;
  Type elementType;
  Type computeType;
  /// Ordinary (+, ×) arithmetic instead of the semiring: the linear layers
  /// around tropical ones run on the same kernels. Only for f32 and f64, and
  /// exact with respect to linalg's loops because every output element is
  /// still accumulated in increasing k order with one rounding per op.
  bool linear = false;
  /// i8/i16/i64 with max_plus/min_plus: ⊗ is the saturating add, whose result
  /// is the exact sum clamped to the type's range, and only 𝟘 operands need
  /// care (𝟘 absorbs, a saturating add does not).
  bool saturating = false;
  /// Linear only: `acc + lhs · rhs` is one fused multiply-add (vector.fma),
  /// one instruction instead of two but rounded once instead of twice, so
  /// results differ from linalg's loops within the bound of
  /// docs/cpu-pipeline.md ("Linear layers").
  bool fused = false;

  /// The domain for `elementType` (f16 stays f16 when `nativeF16`).
  static ComputeDomain get(SemiringKind kind, NaNMode nanMode, Type elementType,
                           bool nativeF16);
  /// The (+, ×) domain of an f32 or f64 matmul.
  static ComputeDomain getLinear(Type elementType, bool fused = false);

  /// The value that pads operands in the element type: 𝟘 (0 for linear).
  TypedAttr paddingAttr() const;

  /// Converts a scalar or vector of the element type into the domain.
  Value widen(ImplicitLocOpBuilder &b, Value value) const;
  /// Converts a scalar or vector of the domain back to the element type.
  Value narrow(ImplicitLocOpBuilder &b, Value value) const;
  /// 𝟘 in the domain, as a scalar or (for a vector `type`) a splat.
  Value zero(ImplicitLocOpBuilder &b, Type type) const;
  /// `acc ⊕ (lhs ⊗ rhs)` on domain values.
  Value multiplyAccumulate(ImplicitLocOpBuilder &b, Value acc, Value lhs,
                           Value rhs) const {
    if (fused)
      return fusedMultiplyAdd(b, acc, lhs, rhs);
    return accumulate(b, acc, multiply(b, lhs, rhs));
  }
  /// `lhs ⊗ rhs` on domain values, for use only as the `product` of
  /// accumulate: in assume-none mode the float sum of ±∞ is left NaN, which
  /// accumulate ignores (buildMulTerm).
  Value multiply(ImplicitLocOpBuilder &b, Value lhs, Value rhs) const;
  /// `lhs ⊗ rhs` for operands known to differ from 𝟘 (only meaningful for
  /// `saturating` domains, where it is one saturating add; elsewhere the
  /// same as `multiply`).
  Value multiplyNonZero(ImplicitLocOpBuilder &b, Value lhs, Value rhs) const;
  /// An i1 (vector) that is true where `value` is not 𝟘.
  Value isNonZero(ImplicitLocOpBuilder &b, Value value) const;
  /// Whether multiply's result depends on the semiring's ⊕ and not only on
  /// the operands: float ⊗ of a `_plus` semiring in propagate mode, where +∞
  /// met −∞ gives this semiring's 𝟘 (in assume-none mode the sum stays NaN,
  /// which both max and min ignore). The dual GEMM shares one product
  /// between its max and min accumulators unless this holds.
  bool termDependsOnKind() const {
    return !linear && isa<FloatType>(computeType) && isPlusSemiring(kind) &&
           nanMode == NaNMode::Propagate;
  }
  /// `acc ⊕ product` on domain values.
  Value accumulate(ImplicitLocOpBuilder &b, Value acc, Value product) const;
  /// The vector type of `lanes` domain values.
  VectorType vectorType(int64_t lanes) const {
    return VectorType::get({lanes}, computeType);
  }

private:
  bool sentinelInts() const;
  Value fusedMultiplyAdd(ImplicitLocOpBuilder &b, Value acc, Value lhs,
                         Value rhs) const;
};

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_COMPUTEDOMAIN_H
