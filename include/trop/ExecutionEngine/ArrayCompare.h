//===- ArrayCompare.h - Exact comparison of HostArrays ----------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// How trop-run's --check decides that two pipelines agree: bitwise equality
// of every output element, with all NaNs equal. Exactness is the contract of
// every trop lowering, so there is no tolerance.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_ARRAYCOMPARE_H
#define TROP_EXECUTIONENGINE_ARRAYCOMPARE_H

#include "trop/ExecutionEngine/HostArray.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
namespace trop {

/// The first element where two arrays differ, for exact comparisons.
struct ArrayMismatch {
  /// Row-major index of the element.
  int64_t linearIndex;
};

/// Compares two arrays of the same kind and shape exactly: elements must be
/// bitwise equal, except that any two NaNs compare equal (whatever their sign
/// and payload). Returns the first differing element, or std::nullopt.
std::optional<ArrayMismatch> findFirstMismatch(const HostArray &lhs,
                                               const HostArray &rhs);

/// Where two lists of outputs first differ.
struct OutputMismatch {
  unsigned outputIndex;
  llvm::SmallVector<int64_t> index;
  std::string lhsValue;
  std::string rhsValue;
};

/// Compares two lists of outputs of the same function exactly (see
/// findFirstMismatch: bitwise, except that NaNs are all equal).
std::optional<OutputMismatch>
compareOutputsExactly(llvm::ArrayRef<HostArray> lhs,
                      llvm::ArrayRef<HostArray> rhs);

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_ARRAYCOMPARE_H
