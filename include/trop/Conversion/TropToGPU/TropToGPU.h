//===- TropToGPU.h - trop contractions to tiled GPU kernels -----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_TROPTOGPU_TROPTOGPU_H
#define TROP_CONVERSION_TROPTOGPU_TROPTOGPU_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith
namespace gpu {
class GPUDialect;
} // namespace gpu
namespace memref {
class MemRefDialect;
} // namespace memref
namespace nvgpu {
class NVGPUDialect;
} // namespace nvgpu
namespace scf {
class SCFDialect;
} // namespace scf
namespace vector {
class VectorDialect;
} // namespace vector

namespace trop {

#define GEN_PASS_DECL_CONVERTTROPTOGPU
#define GEN_PASS_DECL_GPUHOSTBUFFERS
#define GEN_PASS_DECL_GPUPARALLELLOOPS
#include "trop/Conversion/Passes.h.inc"

/// Replaces every trop.matmul, trop.batch_matmul and trop.dual_matmul on
/// memrefs under `root` by the tiled GPU kernel (a gpu.launch), or with
/// `emulate` by the same decomposition as host loops. Other ops, and these
/// ops on tensors, are left alone.
/// With `asyncCopy`, 32-bit elements are copied to shared memory with
/// cp.async (sm_80+).
void lowerTropContractionsToGPU(Operation *root, NaNMode nanMode, bool emulate,
                                bool asyncCopy = false);

/// Collapses each outermost scf.parallel under `root` (outside gpu.launch)
/// into one dimension tiled by `blockSize`: mapped to the GPU, blocks of
/// `blockSize` threads, one iteration each.
void tileParallelLoopsForGPU(Operation *root, int64_t blockSize = 256);

} // namespace trop
} // namespace mlir

#endif // TROP_CONVERSION_TROPTOGPU_TROPTOGPU_H
