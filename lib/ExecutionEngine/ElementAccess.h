//===- ElementAccess.h - Loading and rounding elements ----------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The element-level helpers that storage (HostArray.cpp), formatting
// (ArrayFormat.cpp) and random fill (RandomFill.cpp) share: unaligned loads,
// and the conversions between 16-bit float bit patterns and doubles.
// Private to lib/ExecutionEngine.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_EXECUTIONENGINE_ELEMENTACCESS_H
#define TROP_LIB_EXECUTIONENGINE_ELEMENTACCESS_H

#include "trop/ExecutionEngine/HostArray.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"

#include <cstdint>
#include <cstring>

namespace mlir {
namespace trop {

/// Reads a `T` from possibly unaligned memory.
template <typename T>
inline T loadUnaligned(const void *ptr) {
  T value;
  std::memcpy(&value, ptr, sizeof(T));
  return value;
}

/// The APFloat semantics of a 16-bit float kind.
inline const llvm::fltSemantics &getHalfSemantics(ElementKind kind) {
  return kind == ElementKind::F16 ? llvm::APFloat::IEEEhalf()
                                  : llvm::APFloat::BFloat();
}

inline double halfBitsToDouble(ElementKind kind, uint16_t bits) {
  return llvm::APFloat(getHalfSemantics(kind), llvm::APInt(16, bits))
      .convertToDouble();
}

/// Rounds `value` to nearest-even in a 16-bit float kind.
inline llvm::APFloat roundToHalf(ElementKind kind, double value) {
  llvm::APFloat result(value);
  bool losesInfo;
  result.convert(getHalfSemantics(kind), llvm::APFloat::rmNearestTiesToEven,
                 &losesInfo);
  return result;
}

inline uint16_t getHalfBits(const llvm::APFloat &value) {
  return static_cast<uint16_t>(value.bitcastToAPInt().getZExtValue());
}

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_EXECUTIONENGINE_ELEMENTACCESS_H
