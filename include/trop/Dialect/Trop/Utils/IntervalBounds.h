//===- IntervalBounds.h - Interval bounds of tensor values ------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Sound interval bounds for the float tensors of a feed-forward network, kept
// per index of the last dimension (a column of a matmul's input or output).
// `--trop-prune-dominated` uses them to prove that a tropical weight never
// wins; any claim made here must hold for the values the kernels compute,
// rounding included. (Not to be confused with upstream MLIR's
// ValueBoundsOpInterface, which bounds index and shape values.)
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_UTILS_INTERVALBOUNDS_H
#define TROP_DIALECT_TROP_UTILS_INTERVALBOUNDS_H

#include "trop/Dialect/Trop/IR/TropAttrs.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir {
namespace linalg {
class GenericOp;
class MatmulOp;
} // namespace linalg

namespace trop {
class MatmulOp;

/// A closed interval of values of some float type, held as doubles (every
/// f16, bf16, f32 and f64 value is one).
struct Interval {
  double lo;
  double hi;
};

/// Bounds of a tensor, one interval per index of its last dimension (shared
/// by all other indices), or a single interval for every element.
struct ColumnBounds {
  llvm::SmallVector<Interval> columns;

  const Interval &at(int64_t i) const {
    return columns.size() == 1 ? columns.front() : columns[i];
  }
  /// Whether there is one interval per index of a last dimension of `size`
  /// (or one for all).
  bool fits(int64_t size) const {
    return columns.size() == 1 || static_cast<int64_t>(columns.size()) == size;
  }
};

using BoundsMap = llvm::DenseMap<Value, ColumnBounds>;

/// `lhs ⊕ rhs` of `kind` on float values carried as doubles: Semiring.h's
/// foldAdd, which never rounds (the double counterpart of its foldMul).
double foldAdd(SemiringKind kind, double lhs, double rhs);

/// Narrows `[lo, hi]` to the values of `elementType` inside it (lo rounded
/// up, hi down); nothing when the bounds are not finite, lo > hi, or no such
/// value exists.
std::optional<Interval> narrowToType(FloatType elementType, double lo,
                                     double hi);

/// Bounds of the initial value of a contraction with `numCols` output
/// columns: a bounded value, an `arith.constant`, a `linalg.fill` of a
/// constant, or a row broadcast of either (`linalg.generic`,
/// `linalg.broadcast`).
std::optional<ColumnBounds> boundsOfInit(Value init, int64_t numCols,
                                         const BoundsMap &known);

/// Bounds of a `trop.matmul`'s result from its input bounds and constant
/// weights: exact, since ⊕ never rounds and ⊗ rounds monotonically. Nothing
/// when the initial value is not bounded, a weight is NaN, or a bound is not
/// finite.
std::optional<ColumnBounds> tropicalMatmulBounds(MatmulOp op,
                                                 const ColumnBounds &input,
                                                 DenseElementsAttr weights,
                                                 const BoundsMap &known);

/// Bounds of a `linalg.matmul`'s result: interval arithmetic on the exact
/// dot products, widened by the worst-case rounding error of any summation
/// order and rounded outwards.
std::optional<ColumnBounds> linearMatmulBounds(linalg::MatmulOp op,
                                               const ColumnBounds &input,
                                               DenseElementsAttr weights,
                                               const BoundsMap &known);

/// Bounds of an elementwise, all-parallel 2-D `linalg.generic` (bias adds,
/// BatchNorm in eval mode, ReLU, as front ends emit them): its body is
/// evaluated on intervals, column by column. Inputs are read at (i, j) or
/// broadcast from a vector at (j), and must be bounded or constant; the body
/// may use float constants, addf, subf, mulf, divf, negf and max/min (no
/// fastmath flags). Every op rounds monotonically, so the interval of a
/// result is spanned by the op on its operands' corners, rounded as the
/// kernel rounds: sound with no margin.
std::optional<ColumnBounds> elementwiseBounds(linalg::GenericOp op,
                                              const BoundsMap &known);

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_UTILS_INTERVALBOUNDS_H
