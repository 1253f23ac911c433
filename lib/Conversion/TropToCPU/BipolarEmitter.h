//===- BipolarEmitter.h - The bipolar (BM) layer kernel ---------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The CPU kernel of trop.bipolar_matmul (paper E): the four max-plus
// contractions of two input and two weight poles in one sweep of the packed
// GEMM, between the logarithms on the way in and the signed sum of
// exponentials on the way out.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_BIPOLAREMITTER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_BIPOLAREMITTER_H

#include "PatternUtils.h"

namespace mlir {
namespace trop {

/// Emits y = y + e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻) for the 2-D memrefs
/// `x` (M×K), `vPos`, `vNeg` (K×N) and `y` (M×N) of f32 or f64, with
/// L± = ln(max(±x, inputShift)) and e(·) the exponential of a max-plus
/// contraction, rounding exactly as the reference lowering does.
void emitBipolarMatmul(ImplicitLocOpBuilder &b, const CPUPattern &cfg, Value x,
                       Value vPos, Value vNeg, Value y, double inputShift);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_BIPOLAREMITTER_H
