//===- Semiring.h - What ⊕, ⊗, 𝟘 and 𝟙 are, per semiring and type -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The one place that decides, for a semiring and an element type, what the
// semiring's operations and constants are and how to build them as arith ops.
// Every lowering and rewrite asks this file rather than re-deciding, so the
// semantics of docs/semantics.md live in exactly one implementation.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_SEMIRING_H
#define TROP_DIALECT_TROP_IR_SEMIRING_H

#include "trop/Dialect/Trop/IR/TropAttrs.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/APFloat.h"

#include <optional>

namespace mlir {
namespace trop {

/// How float max/min treat NaN.
enum class NaNMode {
  /// IEEE 754-2019 maximum/minimum: a NaN operand gives NaN (arith.maximumf).
  Propagate,
  /// Inputs are promised NaN-free; max/min lower to one vmaxps-style
  /// instruction (a select of an ordered compare, which ignores a NaN second
  /// operand). NaN inputs then give unspecified (but non-trapping) results.
  AssumeNone,
};

/// Whether ⊕ of `kind` is max (else min).
bool isMaxSemiring(SemiringKind kind);

/// Whether ⊗ of `kind` is addition (max_plus, min_plus); else it is the
/// lattice operation opposite to ⊕ (min for max_min, max for min_max).
bool isPlusSemiring(SemiringKind kind);

/// The three binary operations a semiring's ⊕ and ⊗ are made of.
enum class SemiringOp { Max, Min, Plus };

/// ⊕ of `kind`, as a SemiringOp (Max or Min).
SemiringOp getAddOp(SemiringKind kind);

/// ⊗ of `kind`, as a SemiringOp.
SemiringOp getMulOp(SemiringKind kind);

/// The semiring whose ⊕ is `add` and whose ⊗ is `mul`, if there is one: the
/// inverse of getAddOp/getMulOp, for passes that recognise semirings in
/// other dialects' IR.
std::optional<SemiringKind> getSemiringKind(SemiringOp add, SemiringOp mul);

/// Whether `type` is an element type trop ops accept at all: f16, bf16, f32,
/// f64, i8, i16, i32, i64 or i1.
bool isSupportedElementType(Type type);

/// Whether `kind` is defined on `elementType`. Everything supported is,
/// except that `i1` only carries the lattice semirings max_min and min_max
/// (binary morphology): there is no addition on booleans.
bool isSemiringCompatible(SemiringKind kind, Type elementType);

/// The semiring's zero 𝟘 (identity of ⊕, absorbing for ⊗) as an attribute of
/// `elementType`: ∓∞ for floats, the type's min/max for integers, false/true
/// for i1.
TypedAttr getZeroAttr(SemiringKind kind, Type elementType);

/// The semiring's one 𝟙 (identity of ⊗).
TypedAttr getOneAttr(SemiringKind kind, Type elementType);

/// Whether the float `value` is 𝟘 of `kind` (−∞ for max_plus and max_min,
/// +∞ for min_plus and min_max). NaN is never 𝟘.
bool isZero(SemiringKind kind, const llvm::APFloat &value);

/// Whether the double `value` is 𝟘 of `kind`, for analyses that carry float
/// values of any width as doubles (every float 𝟘 converts to a double 𝟘).
bool isZero(SemiringKind kind, double value);

/// Whether `attr`, a FloatAttr or IntegerAttr (or a splat of one), is 𝟘 of
/// `kind` for its type.
bool isZero(SemiringKind kind, Attribute attr);

/// `lhs ⊕ rhs` folded on constants exactly as the lowering computes it at
/// run time in NaN-propagating mode: IEEE 754-2019 maximum/minimum.
llvm::APFloat foldAdd(SemiringKind kind, const llvm::APFloat &lhs,
                      const llvm::APFloat &rhs);

/// `lhs ⊗ rhs` folded on constants of one float semantics exactly as the
/// lowering computes it: one IEEE addition rounded to nearest even for the
/// `_plus` semirings, except that (−∞) ⊗ (+∞) is 𝟘 (𝟘 absorbs the top; a NaN
/// operand still gives NaN), an exact min/max otherwise.
llvm::APFloat foldMul(SemiringKind kind, llvm::APFloat lhs,
                      const llvm::APFloat &rhs);

/// `lhs ⊗ rhs` on two values of the float type `elementType` carried as
/// doubles: both are rounded to `elementType`, combined by foldMul, and the
/// result is returned as a double.
double foldMul(SemiringKind kind, FloatType elementType, double lhs,
               double rhs);

/// Materialises 𝟘 as an arith.constant of `type`, a scalar type or a vector
/// type (then a splat). The builders below likewise accept scalars or
/// vectors of a supported element type.
Value buildZero(OpBuilder &b, Location loc, SemiringKind kind, Type type);

/// Builds `lhs ⊕ rhs`. Pass the accumulator as `lhs` and the new term as
/// `rhs`: in assume-none mode a NaN `rhs` is ignored (the result is `lhs`),
/// which is what lets buildMulTerm skip 𝟘's absorbing of ±∞.
Value buildAdd(OpBuilder &b, Location loc, SemiringKind kind, Value lhs,
               Value rhs, NaNMode nanMode);

/// Builds `lhs ⊗ rhs`. On integers with a `_plus` semiring this is the exact
/// sum clamped to the type's range, with 𝟘 absorbing; on floats the IEEE sum,
/// except that +∞ met −∞ gives 𝟘 (not NaN). The reference lowering's ⊗.
Value buildMul(OpBuilder &b, Location loc, SemiringKind kind, Value lhs,
               Value rhs, NaNMode nanMode);

/// Builds `lhs ⊗ rhs` for use only as the `rhs` of buildAdd (never as an
/// accumulator, never reduced on its own): in assume-none mode on floats with
/// a `_plus` semiring, the bare IEEE sum, because buildAdd ignores the NaN
/// that +∞ met −∞ gives, exactly as it ignores 𝟘; elsewhere buildMul. The
/// fast kernels' ⊗: it costs nothing in the carrier case.
Value buildMulTerm(OpBuilder &b, Location loc, SemiringKind kind, Value lhs,
                   Value rhs, NaNMode nanMode);

/// Builds max(lhs, rhs) (or min when `isMax` is false) for any supported
/// element type: maxsi/minsi on integers, or/and on i1, maximumf/minimumf
/// (propagate) or select(cmpf ogt/olt(rhs, lhs), rhs, lhs) (assume-none: one
/// vmaxps/vminps that returns `lhs` where `rhs` is NaN) on floats.
Value buildMaxOrMin(OpBuilder &b, Location loc, bool isMax, Value lhs,
                    Value rhs, NaNMode nanMode);

/// Builds the max (or min when `isMax` is false) of the lanes of the vector
/// `vec`, combining lanes as buildMaxOrMin combines two values.
Value buildMaxOrMinReduction(OpBuilder &b, Location loc, bool isMax, Value vec,
                             NaNMode nanMode);

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_IR_SEMIRING_H
