//===- ConstantWeights.h - Layers with constant weights ---------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// What the passes that rewrite constant weights (--trop-fold, --trop-prune,
// --trop-prune-dominated, --trop-tropnnc) need to know about them and to
// change about the layers around them: recognising a layer with constant
// weights, reading a constant matrix (also through a linalg.transpose) and a
// bias broadcast over the batch, converting float constants to and from
// doubles, counting and marking pruned weights, selecting rows and columns
// of constants, and shrinking the producer chain of a value to a subset of
// its columns (the structural part of the sparsity cleanups).
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_UTILS_CONSTANTWEIGHTS_H
#define TROP_DIALECT_TROP_UTILS_CONSTANTWEIGHTS_H

#include "trop/Dialect/Trop/IR/TropAttrs.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/APFloat.h"

#include <optional>

namespace mlir {
namespace trop {
class MatmulOp;

//===----------------------------------------------------------------------===//
// Layers with constant weights
//===----------------------------------------------------------------------===//

/// A contraction whose right operand is a K×N constant weight matrix: a
/// `trop.matmul` (tropical: a pruned weight is 𝟘 of its semiring) or a
/// `linalg.matmul` (linear: a pruned weight is 0).
struct WeightLayer {
  Operation *op;
  /// The semiring of a tropical layer; none for a linear one.
  std::optional<SemiringKind> semiring;
  /// The operand that carries the weights.
  OpOperand *weightOperand;
  /// The weights, K×N, in the order the layer reads them.
  DenseElementsAttr weights;
  /// Rows of the result (ShapedType::kDynamic when not static), inputs (K)
  /// and outputs (N).
  int64_t m, k, n;

  bool isTropical() const { return semiring.has_value(); }
  /// The semiring of a tropical layer.
  SemiringKind kind() const {
    assert(semiring && "a linear layer has no semiring");
    return *semiring;
  }
  /// "linear" or the semiring's name, for reports.
  StringRef kindName() const;
};

/// A `trop.matmul` on static rank-2 tensors whose weights are a constant
/// matrix (matchConstantMatrix), as --trop-fold rewrites it.
std::optional<WeightLayer> matchTropicalLayer(MatmulOp op);

/// A `trop.matmul` or `linalg.matmul` whose weights operand is itself a
/// float `arith.constant`, as the pruning passes replace it. Nothing for
/// any other op.
std::optional<WeightLayer> matchPrunableLayer(Operation *op);

/// Makes `operand`, read from an `arith.constant`, read `values` instead: a
/// new constant built just before the operand's owner; the old one is erased
/// when nothing else reads it.
void replaceConstantOperand(OpOperand &operand, DenseElementsAttr values);

//===----------------------------------------------------------------------===//
// Float constants as doubles
//===----------------------------------------------------------------------===//

/// `value` as a double: exact for every float type trop supports.
double toDouble(llvm::APFloat value);

/// `value` rounded to `semantics` in `mode`.
llvm::APFloat
fromDouble(double value, const llvm::fltSemantics &semantics,
           llvm::RoundingMode mode = llvm::RoundingMode::NearestTiesToEven);

/// The elements of the float attribute `attr`, row-major.
SmallVector<llvm::APFloat> floatsOf(DenseElementsAttr attr);

/// The elements of the float attribute `attr` as doubles, row-major.
SmallVector<double> doublesOf(DenseElementsAttr attr);

/// A rank-1 tensor attribute of `elementType` holding `values`.
DenseElementsAttr floatVector(Type elementType, ArrayRef<llvm::APFloat> values);

/// 𝟘 of `kind` as a value of the float type `type`.
llvm::APFloat getFloatZero(SemiringKind kind, FloatType type);

/// How many of the float `values` are already pruned: 0 (of either sign)
/// for a linear layer (no `semiring`), 𝟘 of `semiring` for a tropical one.
int64_t countPruned(DenseElementsAttr values,
                    std::optional<SemiringKind> semiring);

//===----------------------------------------------------------------------===//
// Constant matrices and the layers around them
//===----------------------------------------------------------------------===//

/// The K×N constant `value` holds: an `arith.constant` of a rank-2 dense
/// attribute, or a `linalg.transpose` (permutation [1, 0]) of one, read in
/// the transposed order. Null for anything else.
DenseElementsAttr matchConstantMatrix(Value value);

/// The row vector `b` (rank 1, N elements) when `value` is an M×N tensor
/// whose every row is `b`, by construction: `linalg.fill` of a constant
/// scalar, a splat `arith.constant`, `linalg.broadcast` (dimensions = [0])
/// of a constant vector, or a `linalg.generic` that copies a constant vector
/// read through `(d0, d1) -> (d1)` (the exporter's bias broadcast). Null
/// for anything else.
DenseElementsAttr matchBroadcastRow(Value value);

/// For every element of `values`, whether it is the semiring's 𝟘 (∓∞ for
/// floats, the type's min/max for integers).
SmallVector<bool> zeroMask(DenseElementsAttr values, SemiringKind kind);

/// The rows `rows` (in that order) of the rank-2 `matrix`.
DenseElementsAttr selectRows(DenseElementsAttr matrix, ArrayRef<int64_t> rows);

/// The columns `columns` (in that order) of the rank-2 `matrix`, or the
/// elements `columns` of a rank-1 vector.
DenseElementsAttr selectColumns(DenseElementsAttr matrix,
                                ArrayRef<int64_t> columns);

/// Builds `row` broadcast to `rows`×N: a `linalg.broadcast` of an
/// `arith.constant` into a `tensor.empty`.
Value buildBroadcastRow(OpBuilder &builder, Location loc, DenseElementsAttr row,
                        int64_t rows);

/// Whether shrinkColumns(`value`, ...) would succeed: every op between
/// `value` and the leaves of its column-wise producer chain computes column
/// n of its result from column n of its operands only, or from a constant.
/// Recognised: `arith.constant`, `tensor.empty`, `linalg.fill`,
/// `linalg.broadcast`, elementwise `linalg.generic` (no `linalg.index`;
/// operands read as (d0, d1), (d1) from a constant, (d0) or ()),
/// `linalg.matmul` and `trop.matmul` with a constant right operand. Ops that
/// do work must have no other use, so that shrinking never duplicates work
/// (or changes what another user reads).
bool canShrinkColumns(Value value);

/// A value equal to the columns `keep` of `value`, built by rebuilding its
/// producer chain on those columns only (a linear layer loses the rows of
/// its weight, read as out×in, and the bias entries; a max-plus layer loses
/// output neurons). Exact: every rebuilt op computes the kept columns as
/// before, in the same order. Requires canShrinkColumns(`value`).
Value shrinkColumns(RewriterBase &rewriter, Value value,
                    ArrayRef<int64_t> keep);

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_UTILS_CONSTANTWEIGHTS_H
