//===- SparseEmitter.h - Gather kernels for sparse constant weights -*- C++
//-*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A contraction C = C ⊕ A ⊗ B whose right operand B is a compile-time
// constant with few entries other than 𝟘 (a pruned or sparsely initialised
// layer) is better computed from the finite entries alone: B is stored by
// column (CSC: column pointers, row indices and values, as constant globals)
// and each output column is a gather-⊕ over its entries, vectorized over
// rows of A. Skipping 𝟘 entries is exact: 𝟘 ⊗ a = 𝟘 is the identity of ⊕
// for every a in the semiring's carrier, and ⊕ (max/min) is exact in any
// order; for (+, ×) entries of 0 are skipped and each output is still
// accumulated in increasing k order, so results agree with the dense loops
// up to the sign of a zero.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_SPARSEEMITTER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_SPARSEEMITTER_H

#include "ComputeDomain.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <optional>

namespace mlir {
namespace trop {

/// The entries of a constant K × N weight that are not the semiring's 𝟘 (0
/// for (+, ×)), by column, in increasing row order.
struct SparseWeights {
  int64_t rows = 0, cols = 0;
  SmallVector<int32_t> colPtr; ///< N + 1 offsets into rowIdx/values
  SmallVector<int32_t> rowIdx;
  SmallVector<APFloat> values;
  int64_t nnz() const { return static_cast<int64_t>(rowIdx.size()); }
  double density() const {
    return rows * cols == 0 ? 1.0 : static_cast<double>(nnz()) / (rows * cols);
  }
};

/// The initial value of the constant global that `memref` reads
/// (`memref.get_global` of a constant `memref.global` with dense f32/f64
/// contents), or null.
DenseElementsAttr getConstantWeight(Value memref);

/// Extracts the non-𝟘 entries of `weight` (rank 2, f32 or f64) for `domain`.
SparseWeights collectSparseWeights(DenseElementsAttr weight,
                                   const ComputeDomain &domain);

/// Emits C = C ⊕ A ⊗ B at the builder's insertion point for the sparse
/// constant B: A is an M × K memref, C an M × N memref with unit inner
/// stride. The CSC arrays become private constant globals inserted into
/// `module`. Rows of A are packed transposed in blocks of `vectorLength`
/// rows, so that the entries of one column of B update a whole vector of
/// outputs; `numTasks` > 1 splits row (or, for short A, column) blocks over
/// an scf.parallel loop.
void emitSparseMatmul(ImplicitLocOpBuilder &b, ModuleOp module,
                      const ComputeDomain &domain, const SparseWeights &weights,
                      Value a, Value c, int64_t vectorLength, int64_t numTasks);

/// Lowers the VL × VL register transposes that emitSparseMatmul builds
/// (every vector.transpose under `root`) to shuffle networks: the AVX-512
/// unpack/shuffle sequence for 16 × 16 of 32-bit elements, one-dimensional
/// shuffles otherwise, not vector-to-llvm's element-by-element default. Only
/// those ops and what they become are rewritten: no folding or CSE elsewhere.
LogicalResult lowerSparseTransposes(Operation *root);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_SPARSEEMITTER_H
