//===- ArrayCompare.cpp - Exact comparison of HostArrays ------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/ArrayCompare.h"
#include "trop/ExecutionEngine/ArrayFormat.h"

#include "llvm/ADT/STLExtras.h"

#include <cassert>
#include <cstring>

using namespace mlir;
using namespace mlir::trop;

std::optional<ArrayMismatch> trop::findFirstMismatch(const HostArray &lhs,
                                                     const HostArray &rhs) {
  assert(lhs.getElementKind() == rhs.getElementKind() &&
         lhs.getShape() == rhs.getShape() && "comparing unlike arrays");
  size_t width = lhs.getElementByteWidth();
  const auto *lhsBytes = static_cast<const uint8_t *>(lhs.getData());
  const auto *rhsBytes = static_cast<const uint8_t *>(rhs.getData());
  // Fast path: identical storage.
  if (std::memcmp(lhsBytes, rhsBytes, lhs.getSizeInBytes()) == 0)
    return std::nullopt;
  bool isFloat = isFloatKind(lhs.getElementKind());
  for (int64_t i = 0, e = lhs.getNumElements(); i < e; ++i) {
    if (std::memcmp(lhsBytes + i * width, rhsBytes + i * width, width) == 0)
      continue;
    if (isFloat && lhs.isNaN(i) && rhs.isNaN(i))
      continue;
    return ArrayMismatch{i};
  }
  return std::nullopt;
}

std::optional<OutputMismatch>
trop::compareOutputsExactly(llvm::ArrayRef<HostArray> lhs,
                            llvm::ArrayRef<HostArray> rhs) {
  assert(lhs.size() == rhs.size() && "comparing unlike output lists");
  for (auto [index, pair] : llvm::enumerate(llvm::zip_equal(lhs, rhs))) {
    const HostArray &left = std::get<0>(pair);
    const HostArray &right = std::get<1>(pair);
    std::optional<ArrayMismatch> mismatch = findFirstMismatch(left, right);
    if (!mismatch)
      continue;
    return OutputMismatch{static_cast<unsigned>(index),
                          delinearize(mismatch->linearIndex, left.getShape()),
                          formatElement(left, mismatch->linearIndex),
                          formatElement(right, mismatch->linearIndex)};
  }
  return std::nullopt;
}
