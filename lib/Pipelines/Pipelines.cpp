//===- Pipelines.cpp - trop lowering pipelines ----------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Pipelines/Pipelines.h"
#include "BF16MemoryAsI16.h"
#include "PipelineSteps.h"
#include "trop/Conversion/SoftBF16/SoftBF16.h"
#include "trop/Conversion/TropToCPU/TropToCPU.h"
#include "trop/Conversion/TropToLinalg/TropToLinalg.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"

#include "mlir/Conversion/AffineToStandard/AffineToStandard.h"
#include "mlir/Conversion/BufferizationToMemRef/BufferizationToMemRef.h"
#include "mlir/Conversion/ConvertToLLVM/ToLLVMPass.h"
#include "mlir/Conversion/MemRefToLLVM/MemRefToLLVM.h"
#include "mlir/Conversion/ReconcileUnrealizedCasts/ReconcileUnrealizedCasts.h"
#include "mlir/Conversion/SCFToControlFlow/SCFToControlFlow.h"
#include "mlir/Conversion/SCFToOpenMP/SCFToOpenMP.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVMPass.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

#include <mutex>
#include <thread>

using namespace mlir;
using namespace mlir::trop;

void trop::buildLowerToLLVMPipeline(OpPassManager &pm) {
  pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  // Host-independent bf16 results (no flush-to-zero conversions).
  pm.addPass(createSoftBF16());
  // The vector conversion brings the transfer-op lowerings that the generic
  // convert-to-llvm lacks. Memrefs go before scf: OpenMP regions wrap their
  // bodies in memref.alloca_scope, which must be inlined while it still has
  // a single block.
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertToLLVMPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
  // No bf16 values left for LLVM's x86 back end to flush (see the pass).
  pm.addPass(createBF16MemoryAsI16Pass());
}

/// Bufferizes everything (function boundaries with identity layouts), moves
/// results to out-params if asked, and inserts deallocations.
static void buildBufferizationPipeline(OpPassManager &pm,
                                       bool resultsToOutParams) {
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  if (resultsToOutParams) {
    bufferization::BufferResultsToOutParamsPassOptions outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  }
  bufferization::buildBufferDeallocationPipeline(pm);
  pm.addPass(createConvertBufferizationToMemRefPass());
}

void trop::buildKernelPrologue(OpPassManager &pm, bool pairMaxMin,
                               bool resultsToOutParams) {
  pm.addPass(createCanonicalizerPass());
  // Exact: a max-plus/min-plus pair on the same operands becomes one
  // trop.dual_matmul (trop.dual_conv_2d for convolutions), whose kernel
  // computes each sum once.
  if (pairMaxMin) {
    TropFuseOptions fuse;
    fuse.pairMaxMin = true;
    fuse.tileRows = 0;
    pm.addPass(createTropFuse(fuse));
  }
  // trop ops bufferize in place of their destination, so the kernels see
  // the memref form.
  buildBufferizationPipeline(pm, resultsToOutParams);
}

void trop::buildKernelFallback(OpPassManager &pm, NaNMode nanMode) {
  // What has no fast kernel takes the reference lowering; deallocation has
  // already run, so its temporaries free themselves.
  ConvertTropToLinalgOptions toLinalg;
  toLinalg.nanMode = nanMode;
  toLinalg.deallocTemporaries = true;
  pm.addPass(createConvertTropToLinalg(toLinalg));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
}

void trop::buildReferencePipeline(OpPassManager &pm,
                                  const ReferencePipelineOptions &options) {
  ConvertTropToLinalgOptions toLinalg;
  toLinalg.nanMode = options.nanMode;
  pm.addPass(createConvertTropToLinalg(toLinalg));
  pm.addPass(createCanonicalizerPass());
  buildBufferizationPipeline(pm, options.resultsToOutParams);
  buildLowerToLLVMPipeline(pm);
}

void trop::buildCPUPipeline(OpPassManager &pm,
                            const CPUPipelineOptions &options) {
  int64_t threads = options.threads;
  if (threads <= 0)
    threads = std::max(1u, std::thread::hardware_concurrency());

  // Chains of elementwise ops on tensors (a BatchNorm then a ReLU, a sum then
  // a halving) become one linalg.generic before bufferization: one buffer
  // and one pass over memory instead of one per op, and a GEMM's fused
  // epilogue then takes the whole chain. Exact: each element still gets the
  // same ops in the same order. A producer with other users is not fused
  // (its work would be repeated).
  pm.addPass(createLinalgElementwiseOpFusionPass());
  buildKernelPrologue(pm, options.pairMaxMin, options.resultsToOutParams);

  ConvertTropToCPUOptions toCPU;
  toCPU.nanMode = options.nanMode;
  toCPU.numTasks = threads;
  toCPU.vectorBits = options.vectorBits;
  toCPU.vectorRegisters = options.vectorRegisters;
  toCPU.nativeF16 = options.nativeF16;
  toCPU.sparseMaxDensity = options.sparseMaxDensity;
  pm.addPass(createConvertTropToCPU(toCPU));
  buildKernelFallback(pm, options.nanMode);
  if (threads > 1) {
    ConvertSCFToOpenMPPassOptions openmp;
    openmp.numThreads = threads;
    pm.addPass(createConvertSCFToOpenMPPass(openmp));
  }
  pm.addPass(createConvertVectorToSCFPass());
  buildLowerToLLVMPipeline(pm);
}

void trop::registerTropPipelines() {
  // Once per process, whoever asks: trop-opt, both entry points of the
  // plugin and the C API all reach this, and a pipeline registered twice
  // fails an assertion in MLIR builds with assertions.
  static std::once_flag once;
  std::call_once(once, [] {
    PassPipelineRegistration<CPUPipelineOptions>(
        "trop-cpu-pipeline",
        "Lower trop ops to packed, register-tiled, vectorized and "
        "multi-threaded CPU kernels and everything to the LLVM dialect",
        buildCPUPipeline);
    PassPipelineRegistration<ReferencePipelineOptions>(
        "trop-reference-pipeline",
        "Lower trop ops through linalg.generic and loops to the LLVM dialect "
        "(the reference lowering every other pipeline is checked against)",
        buildReferencePipeline);
    PassPipelineRegistration<GPUPipelineOptions>(
        "trop-gpu-pipeline",
        "Lower trop ops to tiled NVIDIA GPU kernels (PTX or a cubin through "
        "NVVM) launched from LLVM-dialect host code; with emulate, run the "
        "kernels' blocks and threads as host loops instead",
        buildGPUPipeline);
    registerBF16MemoryAsI16Pass();
  });
}
