//===- Elementwise.h - Elementwise linalg bodies on vectors -----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// What the vector loops of elementwise linalg ops (LinalgElementwise.cpp) and
// the epilogues fused into the GEMM (Epilogue.cpp) share: which ops qualify,
// and the body of one cloned on vectors.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_ELEMENTWISE_H
#define TROP_LIB_CONVERSION_TROPTOCPU_ELEMENTWISE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace trop {

/// Whether `op` is an all-parallel linalg op on memrefs whose body only holds
/// elementwise arith/math ops and scalar constants, whose operands are
/// indexed by projected permutations, and whose operands that the innermost
/// loop indexes are indexed by it in their contiguous last dimension.
bool isVectorizableElementwise(linalg::LinalgOp op);

/// Clones the ops of a linalg `body` on vectors of `lanes` elements, its
/// arguments mapped to vectors in `mapping`; scalar constants become splats
/// and scalars from outside the body broadcasts. Returns the vectors it
/// yields. Each element gets the ops of the scalar body, in the same order.
SmallVector<Value> cloneBodyOnVectors(ImplicitLocOpBuilder &b, Block *body,
                                      IRMapping &mapping, int64_t lanes);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_ELEMENTWISE_H
