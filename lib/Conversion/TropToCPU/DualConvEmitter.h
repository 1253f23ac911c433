//===- DualConvEmitter.h - dual_conv_2d kernel ------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Emits trop.dual_conv_2d (paper C's max-plus-min convolution, the
// convolutional DEP) as a direct convolution that reads each input window
// once for both results.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_DUALCONVEMITTER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_DUALCONVEMITTER_H

#include "ComputeDomain.h"
#include "ConvEmitter.h"
#include "GemmEmitter.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace trop {

/// The operands of a dual convolution on memrefs: NHWC `input`, HWCF
/// filters (the same value for a shared filter) and NHWC destinations.
struct DualConvOperands {
  Value input, filterMax, filterMin, initMax, initMin;
};

/// Emits the dual convolution at the builder's insertion point: output rows
/// (n, oh) in parallel; in each, register tiles of `tiling.mr` output pixels
/// × `tiling.nv` vectors of output channels, one max and one min accumulator
/// per lane, run over the window. `maxDomain` is the max_plus domain of the
/// element type (the min accumulators use its min_plus twin).
void emitDualConv2D(ImplicitLocOpBuilder &b, const ComputeDomain &maxDomain,
                    const GemmTiling &tiling, const ConvWindow &window,
                    const DualConvOperands &operands);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_DUALCONVEMITTER_H
