//===- SplitMix64.h - A small reproducible random generator ------*- C++
//-*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// splitmix64 (Steele, Lea and Flood): tiny, fast, and the same sequence on
// every platform (std::uniform_*_distribution is not), so that random inputs
// (`trop-run --random-inputs --seed N`) and randomised compression
// (`--trop-tropnnc`) are reproducible across builds and machines.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_SUPPORT_SPLITMIX64_H
#define TROP_SUPPORT_SPLITMIX64_H

#include <cassert>
#include <cstdint>

namespace mlir {
namespace trop {

class SplitMix64 {
public:
  explicit SplitMix64(uint64_t seed) : state(seed) {}

  uint64_t next() {
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  /// Uniform in [0, 1) with 53 random bits.
  double nextUnitDouble() {
    return static_cast<double>(next() >> 11) * 0x1.0p-53;
  }

  /// Uniform in [0, bound) (bound > 0), by Lemire's multiply-shift.
  uint64_t nextBelow(uint64_t bound) {
    assert(bound > 0 && "empty range");
    return static_cast<uint64_t>(
        (static_cast<unsigned __int128>(next()) * bound) >> 64);
  }

private:
  uint64_t state;
};

} // namespace trop
} // namespace mlir

#endif // TROP_SUPPORT_SPLITMIX64_H
