//===- FoldUtils.h - Constant-weight analysis for --trop-fold ---*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// What `--trop-fold` needs to know about constant weights and to change about
// the layers around them: reading a constant matrix (also through a
// linalg.transpose), recognising a bias broadcast over the batch, selecting
// rows and columns of constants, and shrinking the producer chain of a value
// to a subset of its columns (the structural part of the sparsity cleanups).
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_TRANSFORMS_FOLDUTILS_H
#define TROP_DIALECT_TROP_TRANSFORMS_FOLDUTILS_H

#include "trop/Dialect/Trop/IR/TropAttrs.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace trop {

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

#endif // TROP_DIALECT_TROP_TRANSFORMS_FOLDUTILS_H
