//===- ArrayFormat.h - HostArrays as numpy prints them ----------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Text for HostArrays and their shapes and indices, the way numpy and Python
// print them, so that trop-run's output reads like a numpy session's and
// values can be pasted into Python unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_ARRAYFORMAT_H
#define TROP_EXECUTIONENGINE_ARRAYFORMAT_H

#include "trop/ExecutionEngine/HostArray.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <string>

namespace mlir {
namespace trop {

/// "(4, 8)", "(5,)" or "()": a shape the way numpy prints it.
std::string formatNumpyShape(llvm::ArrayRef<int64_t> shape);

/// "[1, 2]": a multi-index.
std::string formatIndex(llvm::ArrayRef<int64_t> index);

/// The multi-index of row-major element `linearIndex` in `shape`.
llvm::SmallVector<int64_t> delinearize(int64_t linearIndex,
                                       llvm::ArrayRef<int64_t> shape);

/// Formats one element. Floats are printed with the fewest significant digits
/// that read back (rounding to nearest, in the element's own type) to the
/// same value, Python-repr style: positional notation for decimal exponents in
/// [-4, 16), else scientific (`1e+20`, `2.5e-07`), without a trailing `.0`
/// (`8`, `-0`); non-finite values are `inf`, `-inf` and `nan`. f16 and bf16
/// are printed with the shortest digits that identify them among f16 (bf16)
/// values. Integers are printed in decimal, i1 as `true` or `false`.
std::string formatElement(const HostArray &array, int64_t linearIndex);

/// Prints `array` numpy-style: nested brackets, elements separated by ", ",
/// the rows of the innermost two dimensions on separate lines indented to
/// their nesting depth, blocks of higher dimensions separated by blank lines,
/// no summarisation and no column alignment. A rank-0 array is just its
/// element. No trailing newline.
///
///   [[8, 9],
///    [11.5, 12.5]]
void printHostArray(llvm::raw_ostream &os, const HostArray &array);

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_ARRAYFORMAT_H
