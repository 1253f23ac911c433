//===- RandomFill.cpp - Random HostArray contents -------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/RandomFill.h"
#include "ElementAccess.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MathExtras.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;
using namespace mlir::trop;

/// Stores the integer `value` (in range for the kind) at `ptr`.
static void storeInteger(ElementKind kind, void *ptr, int64_t value) {
  switch (kind) {
  case ElementKind::I8: {
    int8_t v = static_cast<int8_t>(value);
    std::memcpy(ptr, &v, 1);
    return;
  }
  case ElementKind::I16: {
    int16_t v = static_cast<int16_t>(value);
    std::memcpy(ptr, &v, 2);
    return;
  }
  case ElementKind::I32: {
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(ptr, &v, 4);
    return;
  }
  case ElementKind::I64:
    std::memcpy(ptr, &value, 8);
    return;
  default:
    llvm_unreachable("not an integer kind");
  }
}

static llvm::Error fillRandomFloats(HostArray &array, SplitMix64 &rng,
                                    double min, double max) {
  ElementKind kind = array.getElementKind();
  if (!std::isfinite(min) || !std::isfinite(max) || !(min < max))
    return llvm::createStringError(
        "random range [%g, %g) of a %s array is empty or not finite", min, max,
        getElementKindName(kind).str().c_str());
  for (int64_t i = 0, e = array.getNumElements(); i < e; ++i) {
    double u = rng.nextUnitDouble();
    // Interpolating this way cannot overflow for any finite bounds.
    double value = min * (1.0 - u) + max * u;
    void *ptr = array.getElementPointer(i);
    switch (kind) {
    case ElementKind::F64: {
      value = std::clamp(value, min, std::nextafter(max, min));
      std::memcpy(ptr, &value, 8);
      break;
    }
    case ElementKind::F32: {
      float rounded = static_cast<float>(value);
      if (rounded >= max)
        rounded = std::nextafter(rounded, -std::numeric_limits<float>::max());
      if (rounded < min)
        rounded = std::nextafter(rounded, std::numeric_limits<float>::max());
      if (!(rounded >= min && rounded < max))
        return llvm::createStringError(
            "random range [%g, %g) contains no f32 value", min, max);
      std::memcpy(ptr, &rounded, 4);
      break;
    }
    case ElementKind::F16:
    case ElementKind::BF16: {
      llvm::APFloat rounded = roundToHalf(kind, value);
      if (rounded.convertToDouble() >= max)
        rounded.next(/*nextDown=*/true);
      if (rounded.convertToDouble() < min)
        rounded.next(/*nextDown=*/false);
      double check = rounded.convertToDouble();
      if (!(check >= min && check < max))
        return llvm::createStringError(
            "random range [%g, %g) contains no %s value", min, max,
            getElementKindName(kind).str().c_str());
      uint16_t bits = getHalfBits(rounded);
      std::memcpy(ptr, &bits, 2);
      break;
    }
    default:
      llvm_unreachable("not a float kind");
    }
  }
  return llvm::Error::success();
}

static llvm::Error fillRandomIntegers(HostArray &array, SplitMix64 &rng,
                                      double min, double max) {
  ElementKind kind = array.getElementKind();
  unsigned bits = 8 * array.getElementByteWidth();
  int64_t typeMin = llvm::minIntN(bits), typeMax = llvm::maxIntN(bits);
  if (std::isnan(min) || std::isnan(max))
    return llvm::createStringError("random range bounds must not be NaN");
  double lowBound = std::ceil(min), highBound = std::floor(max);
  // Compare in double before converting: out-of-range conversions are UB.
  int64_t low = lowBound <= static_cast<double>(typeMin)
                    ? typeMin
                    : static_cast<int64_t>(
                          std::min(lowBound, static_cast<double>(typeMax)));
  int64_t high = highBound >= static_cast<double>(typeMax)
                     ? typeMax
                     : static_cast<int64_t>(
                           std::max(highBound, static_cast<double>(typeMin)));
  if (lowBound > highBound || low > high ||
      lowBound > static_cast<double>(typeMax) ||
      highBound < static_cast<double>(typeMin))
    return llvm::createStringError("random range [%g, %g] contains no %s value",
                                   min, max,
                                   getElementKindName(kind).str().c_str());
  // Width of the range, which wraps to 0 for the full i64 range.
  uint64_t width = static_cast<uint64_t>(high) - static_cast<uint64_t>(low) + 1;
  for (int64_t i = 0, e = array.getNumElements(); i < e; ++i) {
    uint64_t offset = width == 0 ? rng.next() : rng.nextBelow(width);
    int64_t value = static_cast<int64_t>(static_cast<uint64_t>(low) + offset);
    storeInteger(kind, array.getElementPointer(i), value);
  }
  return llvm::Error::success();
}

llvm::Error trop::fillRandom(HostArray &array, SplitMix64 &rng,
                             const RandomRange &range) {
  ElementKind kind = array.getElementKind();
  if (kind == ElementKind::I1) {
    auto *bytes = static_cast<uint8_t *>(array.getData());
    for (int64_t i = 0, e = array.getNumElements(); i < e; ++i)
      bytes[i] = static_cast<uint8_t>(rng.nextBelow(2));
    return llvm::Error::success();
  }
  if (isFloatKind(kind))
    return fillRandomFloats(array, rng, range.min.value_or(-10.0),
                            range.max.value_or(10.0));
  return fillRandomIntegers(array, rng, range.min.value_or(-100.0),
                            range.max.value_or(100.0));
}
