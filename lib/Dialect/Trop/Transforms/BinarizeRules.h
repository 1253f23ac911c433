//===- BinarizeRules.h - Paper D's structuring element rules ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The one C++ copy of paper D's decision (python/trop/binary_morphology.py's
// find_structuring_element): whether a BiSE neuron is a dilation or an
// erosion by S, and the projections of a neuron that is not activated.
// Private to --trop-binarize.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_DIALECT_TROP_TRANSFORMS_BINARIZERULES_H
#define TROP_LIB_DIALECT_TROP_TRANSFORMS_BINARIZERULES_H

#include "trop/Dialect/Trop/Transforms/Transforms.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

namespace mlir {
namespace trop {

/// How one BiSE neuron (one output channel) binarizes.
struct NeuronBinarization {
  enum class Kind { None, Dilation, Erosion };
  /// None: not activated and no projection asked for.
  Kind kind = Kind::None;
  /// S, one flag per weight (in the order of `weights`).
  SmallVector<bool> selem;
  /// The activation inequalities hold: the binary form is exact.
  bool exact = false;
  /// 0 when exact; the squared distance Σw² − (Σ_{k∈S} w)²/|S| from the
  /// weights to the constant set of S when projected; NaN when None.
  double distance = 0.0;
};

/// Paper D's rule for the neuron with `weights` (any order: the sums do not
/// depend on it, the constant projection's ties keep it) and `bias` b, for
/// inputs in [0, v1] ∪ [v2, 1] (`options`): β = −b; a dilation if
/// β ≤ Σw/2, else an erosion; S = {w ≥ β/v2} or {w ≥ (Σw − β)/(1 − v1)};
/// exact when the strict activation inequalities hold, else projected as
/// `options.projection` asks, else None.
NeuronBinarization findStructuringElement(ArrayRef<double> weights, double bias,
                                          const BinarizeOptions &options);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_DIALECT_TROP_TRANSFORMS_BINARIZERULES_H
