//===- BF16MemoryAsI16.h - Keep bf16 values out of the LLVM IR --*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_PIPELINES_BF16MEMORYASI16_H
#define TROP_LIB_PIPELINES_BF16MEMORYASI16_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mlir {
namespace trop {

/// On the LLVM dialect: loads of bf16 (scalars or vectors) used only through
/// bitcasts to i16 load i16, and stores of a bitcast from i16 to bf16 store
/// the i16. After --trop-soft-bf16 that leaves no bf16 value in the IR.
std::unique_ptr<Pass> createBF16MemoryAsI16Pass();

/// Registers it as `--trop-bf16-memory-as-i16`, so that the pipelines'
/// printed form parses back.
void registerBF16MemoryAsI16Pass();

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_PIPELINES_BF16MEMORYASI16_H
