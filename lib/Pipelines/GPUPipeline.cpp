//===- GPUPipeline.cpp - The trop GPU pipeline ----------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop ops -> tiled kernels (contractions) or parallel loops mapped to the
// grid (the other ops) -> gpu.launch -> upstream's NVVM lowering, which
// outlines the kernels, serializes them (PTX by default: no CUDA toolkit is
// needed to compile) and lowers the host side to calls of the mgpu* runtime.
//
//===----------------------------------------------------------------------===//

#include "PipelineSteps.h"
#include "trop/Conversion/TropToGPU/TropToGPU.h"
#include "trop/Pipelines/Pipelines.h"

#include "mlir/Conversion/SCFToGPU/SCFToGPUPass.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/Pipelines/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::trop;

void trop::buildGPUPipeline(OpPassManager &pm,
                            const GPUPipelineOptions &options) {
  buildKernelPrologue(pm, options.pairMaxMin, options.resultsToOutParams);
  ConvertTropToGPUOptions toGPU;
  toGPU.nanMode = options.nanMode;
  toGPU.emulate = options.emulate;
  // cp.async exists from sm_80 (Ampere) on; the emulation checks its form.
  llvm::StringRef chip = options.chip.getValue();
  unsigned smVersion = 0;
  toGPU.asyncCopy =
      chip.consume_front("sm_") &&
      !chip.take_while(llvm::isDigit).getAsInteger(10, smVersion) &&
      smVersion >= 80;
  pm.addPass(createConvertTropToGPU(toGPU));
  // The other ops (convolutions, maxout) take the reference lowering; on
  // the GPU its loops become a grid (below).
  buildKernelFallback(pm, options.nanMode);
  // Their loops as blocks of 256 threads (emulated: the same loops on the
  // CPU, which checks the reshaping).
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createGPUParallelLoops());
  if (options.emulate) {
    buildLowerToLLVMPipeline(pm);
    return;
  }
  pm.addNestedPass<func::FuncOp>(createGpuMapParallelLoopsPass());
  pm.addNestedPass<func::FuncOp>(createConvertParallelLoopToGpuPass());
  if (options.hostBuffers) {
    pm.addNestedPass<func::FuncOp>(createGPUHostBuffers());
    // gpu-async-region orders launch_funcs, not launches: outline first
    // (the NVVM pipeline's own outlining then finds nothing left).
    pm.addPass(createGpuKernelOutliningPass());
    // One stream per function: copies in, kernels, copies out in order, and
    // the host waits for them before it returns.
    pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  }
  gpu::GPUToNVVMPipelineOptions nvvm;
  nvvm.cubinChip = options.chip;
  nvvm.cubinFeatures = options.features;
  nvvm.cubinFormat = options.format;
  nvvm.optLevel = options.optLevel;
  gpu::buildLowerToNVVMPassPipeline(pm, nvvm);
}
