//===- PipelineSteps.h - Steps the kernel pipelines share -------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The CPU and GPU pipelines both start from trop ops on tensors, bufferize
// them for their kernels, and send what has no kernel to the reference
// lowering; these are those steps, spelled once.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_PIPELINES_PIPELINESTEPS_H
#define TROP_LIB_PIPELINES_PIPELINESTEPS_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Pass/PassManager.h"

namespace mlir {
namespace trop {

/// Canonicalizes, pairs max-plus/min-plus matmuls into trop.dual_matmul if
/// asked, and bufferizes (with deallocations), so that the kernel passes
/// see trop ops on memrefs.
void buildKernelPrologue(OpPassManager &pm, bool pairMaxMin,
                         bool resultsToOutParams);

/// Lowers the trop ops a kernel pass left alone through the reference
/// lowering (freeing its temporaries), then canonicalizes and CSEs.
void buildKernelFallback(OpPassManager &pm, NaNMode nanMode);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_PIPELINES_PIPELINESTEPS_H
