//===- DimGroups.h - Argument sizes an entry needs equal --------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Private to TropExecutionEngine (describeEntry is its one user).
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_EXECUTIONENGINE_DIMGROUPS_H
#define TROP_LIB_EXECUTIONENGINE_DIMGROUPS_H

#include "trop/ExecutionEngine/EntryLowering.h"

namespace mlir {
namespace trop {

/// The groups of `func`'s dynamic argument sizes that its ops need equal (or
/// equal to a static size), as far as its reference lowering shows them.
llvm::SmallVector<DimGroup> findDimGroups(func::FuncOp func);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_EXECUTIONENGINE_DIMGROUPS_H
