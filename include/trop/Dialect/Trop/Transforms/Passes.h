//===- Passes.h - trop dialect transforms -----------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_TRANSFORMS_PASSES_H
#define TROP_DIALECT_TROP_TRANSFORMS_PASSES_H

#include "trop/Dialect/Trop/IR/TropDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace trop {

#define GEN_PASS_DECL
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"

/// Adds the patterns of `--trop-raise`: linalg/arith forms of tropical
/// contractions, pooling and maxout become trop ops, exactly.
void populateTropRaisePatterns(RewritePatternSet &patterns);

/// Adds the patterns of `--trop-fold`: exact tropical algebra and structural
/// sparsity cleanups on constant weights; with `reassociate`, also the
/// rewrites that are exact in real arithmetic but change float rounding.
void populateTropFoldPatterns(RewritePatternSet &patterns,
                              bool reassociate = false);

#define GEN_PASS_REGISTRATION
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_TRANSFORMS_PASSES_H
