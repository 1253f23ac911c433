//===- TropToLinalg.h - Reference lowering of trop to linalg ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_TROPTOLINALG_TROPTOLINALG_H
#define TROP_CONVERSION_TROPTOLINALG_TROPTOLINALG_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;

namespace arith {
class ArithDialect;
} // namespace arith
namespace linalg {
class LinalgDialect;
} // namespace linalg
namespace memref {
class MemRefDialect;
} // namespace memref
namespace tensor {
class TensorDialect;
} // namespace tensor

namespace trop {

#define GEN_PASS_DECL_CONVERTTROPTOLINALG
#include "trop/Conversion/Passes.h.inc"

/// Adds patterns that rewrite every trop op into one linalg.generic (plus the
/// padding of convolutions), with float max/min built per `nanMode`. With
/// `deallocTemporaries`, padded copies of memref inputs are freed after use.
void populateTropToLinalgConversionPatterns(RewritePatternSet &patterns,
                                            NaNMode nanMode,
                                            bool deallocTemporaries = false);

/// The reference lowering of the training ops (trop.matmul_winners,
/// trop.route_to_winners); part of populateTropToLinalgConversionPatterns.
void populateTrainingToLinalgConversionPatterns(RewritePatternSet &patterns,
                                                NaNMode nanMode);

} // namespace trop
} // namespace mlir

#endif // TROP_CONVERSION_TROPTOLINALG_TROPTOLINALG_H
