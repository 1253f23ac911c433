//===- DualConvLowering.h - Reference lowering of dual_conv_2d --*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOLINALG_DUALCONVLOWERING_H
#define TROP_LIB_CONVERSION_TROPTOLINALG_DUALCONVLOWERING_H

#include "trop/Dialect/Trop/IR/Semiring.h"

namespace mlir {
class RewritePatternSet;

namespace trop {

/// Adds the reference lowering of trop.dual_conv_2d to one linalg.generic
/// with two destinations, float max/min built per `nanMode`.
void populateDualConvToLinalgPatterns(RewritePatternSet &patterns,
                                      NaNMode nanMode);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOLINALG_DUALCONVLOWERING_H
