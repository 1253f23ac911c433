//===- RandomFill.h - Random HostArray contents -----------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Reproducible random inputs for trop-run (--random-inputs): a seeded
// SplitMix64 stream drawn into an array of any element kind, rounded in the
// element's own type so that the same seed gives the same array on every host.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_RANDOMFILL_H
#define TROP_EXECUTIONENGINE_RANDOMFILL_H

#include "trop/ExecutionEngine/HostArray.h"
#include "trop/Support/SplitMix64.h"

#include "llvm/Support/Error.h"

#include <optional>

namespace mlir {
namespace trop {

/// Range of random values; unset bounds take the defaults documented on
/// `fillRandom`.
struct RandomRange {
  std::optional<double> min;
  std::optional<double> max;
};

/// Fills `array` in row-major order with values drawn from `rng`:
///   floats    uniform in [min, max) (default [-10, 10)), rounded to
///             nearest-even in the element type and kept below max;
///   integers  uniform in [ceil(min), floor(max)] (default [-100, 100])
///             intersected with the type's range;
///   i1        0 or 1 with equal probability (the range is ignored).
/// Fails when the range is empty or not finite.
llvm::Error fillRandom(HostArray &array, SplitMix64 &rng,
                       const RandomRange &range);

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_RANDOMFILL_H
