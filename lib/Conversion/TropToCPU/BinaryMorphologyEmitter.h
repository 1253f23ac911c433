//===- BinaryMorphologyEmitter.h - Bit-packed morphology kernel -*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_BINARYMORPHOLOGYEMITTER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_BINARYMORPHOLOGYEMITTER_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <array>

namespace mlir {
namespace trop {

/// What the kernel of a trop.binary_morphology is specialised on.
struct BinaryMorphologySpec {
  bool dilation;
  bool replicate;
  int64_t channels;
  std::array<int64_t, 2> strides;
  std::array<int64_t, 2> dilations;
  std::array<int64_t, 4> padding;
  /// i64 words per vector operation.
  int64_t vectorLength;
};

/// Emits y = y ∨ ∨_S x (dilation) or y = y ∧ ∧_S x (erosion) on packed
/// words: `x` (N×H×W×Wd) and `y` (N×OH×OW×Wd) contiguous i64 memrefs, `s`
/// (KH×KW×Wd) any i64 memref. Rows (n, oh) run in parallel (scf.parallel).
void emitBinaryMorphology(ImplicitLocOpBuilder &b,
                          const BinaryMorphologySpec &spec, Value x, Value s,
                          Value y);

/// Emits trop.binary_dense: for each row of `x` (R×Kw) and each subset row
/// of `s` (N×Kw), one output bit of `y` (R×Nw), OR or AND by the bit of
/// `kinds` (Nw); `x`, `s`, `y` contiguous i64 memrefs. Rows run in parallel.
void emitBinaryDense(ImplicitLocOpBuilder &b, int64_t inFeatures,
                     int64_t outputs, int64_t vectorLength, Value x, Value s,
                     Value kinds, Value y);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_BINARYMORPHOLOGYEMITTER_H
