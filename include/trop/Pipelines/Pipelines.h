//===- Pipelines.h - trop lowering pipelines --------------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Pipelines are plain C++ functions over an OpPassManager so that a host
// compiler can call them without going through textual pipelines; each is
// also registered for trop-opt under the same option names.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_PIPELINES_PIPELINES_H
#define TROP_PIPELINES_PIPELINES_H

#include "trop/Conversion/TropToCPU/TropToCPU.h"
#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassOptions.h"

#include <string>

namespace mlir {
namespace trop {

/// The values of every `nan-mode` option (`propagate`, `assume-none`), with
/// their help: the pipelines' and trop-run's, spelled where the conversion
/// passes' are (trop/Conversion/NaNModeValues.def).
inline llvm::cl::ValuesClass nanModeValues() {
  return
#include "trop/Conversion/NaNModeValues.def"
      ;
}

/// Options of the reference pipeline (`--trop-reference-pipeline`).
struct ReferencePipelineOptions
    : public PassPipelineOptions<ReferencePipelineOptions> {
  PassOptions::Option<NaNMode> nanMode{
      *this, "nan-mode", llvm::cl::desc("How float max/min treat NaN"),
      llvm::cl::init(NaNMode::Propagate), nanModeValues()};
  PassOptions::Option<bool> resultsToOutParams{
      *this, "results-to-out-params",
      llvm::cl::desc("Turn memref results of functions into trailing out "
                     "parameters allocated by the caller (what trop-run and "
                     "the C API use)"),
      llvm::cl::init(false)};
};

/// Options of the CPU pipeline (`--trop-cpu-pipeline`).
struct CPUPipelineOptions : public PassPipelineOptions<CPUPipelineOptions> {
  PassOptions::Option<NaNMode> nanMode{
      *this, "nan-mode", llvm::cl::desc("How float max/min treat NaN"),
      llvm::cl::init(NaNMode::AssumeNone), nanModeValues()};
  PassOptions::Option<int64_t> threads{
      *this, "threads",
      llvm::cl::desc("Threads per op (OpenMP); 0: one per hardware thread"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> vectorBits{
      *this, "vector-bits",
      llvm::cl::desc("Vector register width in bits (0: the host's)"),
      llvm::cl::init(0)};
  PassOptions::Option<int64_t> vectorRegisters{
      *this, "vector-registers",
      llvm::cl::desc("Number of vector registers (0: the host's)"),
      llvm::cl::init(0)};
  PassOptions::Option<NativeF16> nativeF16{
      *this, "native-f16",
      llvm::cl::desc("f16 arithmetic in f16 registers: auto, on, off"),
      llvm::cl::init(NativeF16::Auto), nativeF16OptionValues()};
  PassOptions::Option<bool> pairMaxMin{
      *this, "pair-max-min",
      llvm::cl::desc("Run a trop.matmul <max_plus> and <min_plus> on the same "
                     "operands as one trop.dual_matmul, and such trop.conv_2d "
                     "pairs as one trop.dual_conv_2d (--trop-fuse's exact "
                     "pairing)"),
      llvm::cl::init(true)};
  PassOptions::Option<double> sparseMaxDensity{
      *this, "sparse-max-density",
      llvm::cl::desc("Constant weights with at most this density of entries "
                     "other than 𝟘 (0 for linalg.matmul) run on the sparse "
                     "gather kernel (0: never)"),
      llvm::cl::init(kDefaultSparseMaxDensity)};
  PassOptions::Option<bool> resultsToOutParams{
      *this, "results-to-out-params",
      llvm::cl::desc("Turn memref results of functions into trailing out "
                     "parameters allocated by the caller"),
      llvm::cl::init(false)};
};

/// trop (tensors or memrefs) -> bufferized trop ops -> packed, register-tiled
/// vector kernels split over OpenMP threads (ops without a fast kernel: the
/// reference lowering) -> LLVM dialect. Needs libomp at run time when
/// `threads` is not 1.
void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options);

/// trop (tensors or memrefs) -> linalg.generic -> bufferized loops -> LLVM
/// dialect, with every buffer freed. Functions keep their signatures (with
/// tensors bufferized to identity-layout memrefs) unless
/// `resultsToOutParams` is set. The result is ready for mlir-translate or the
/// ExecutionEngine.
void buildReferencePipeline(OpPassManager &pm,
                            const ReferencePipelineOptions &options);

/// The lowering from bufferized loops and memrefs to the LLVM dialect that
/// every trop pipeline ends with.
void buildLowerToLLVMPipeline(OpPassManager &pm);

/// Options of the GPU pipeline (`--trop-gpu-pipeline`).
struct GPUPipelineOptions : public PassPipelineOptions<GPUPipelineOptions> {
  PassOptions::Option<NaNMode> nanMode{
      *this, "nan-mode", llvm::cl::desc("How float max/min treat NaN"),
      llvm::cl::init(NaNMode::AssumeNone), nanModeValues()};
  PassOptions::Option<std::string> chip{
      *this, "chip", llvm::cl::desc("The NVIDIA GPU to compile for (sm_NN)"),
      llvm::cl::init("sm_90")};
  PassOptions::Option<std::string> features{
      *this, "features",
      llvm::cl::desc("NVPTX target features (the PTX ISA version)"),
      llvm::cl::init("+ptx80")};
  PassOptions::Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What the GPU modules become: isa (PTX text, no CUDA "
                     "toolkit needed), bin (a cubin) or fatbin (these two "
                     "run ptxas, found on PATH or in CUDA_ROOT)"),
      llvm::cl::init("isa")};
  PassOptions::Option<int64_t> optLevel{
      *this, "opt-level",
      llvm::cl::desc("LLVM optimisation level of the NVPTX back end"),
      llvm::cl::init(3)};
  PassOptions::Option<bool> pairMaxMin{
      *this, "pair-max-min",
      llvm::cl::desc("Run a trop.matmul <max_plus> and <min_plus> on the same "
                     "operands as one trop.dual_matmul, and such trop.conv_2d "
                     "pairs as one trop.dual_conv_2d (--trop-fuse's exact "
                     "pairing)"),
      llvm::cl::init(true)};
  PassOptions::Option<bool> emulate{
      *this, "emulate",
      llvm::cl::desc("Emit the tiled kernels' blocks and threads as host "
                     "loops and lower everything for the CPU (the CPU check "
                     "of the GPU kernels; no GPU code)"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> resultsToOutParams{
      *this, "results-to-out-params",
      llvm::cl::desc("Turn memref results of functions into trailing out "
                     "parameters allocated by the caller"),
      llvm::cl::init(false)};
  PassOptions::Option<bool> hostBuffers{
      *this, "host-buffers",
      llvm::cl::desc("The functions take host memory: stage their memref "
                     "arguments in device memory on entry and copy them back "
                     "on return (--trop-gpu-host-buffers); without it they "
                     "must be given device-accessible memory"),
      llvm::cl::init(false)};
};

/// trop (tensors or memrefs) -> bufferized trop ops -> contractions as tiled
/// kernels in gpu.launch (--trop-to-gpu), other ops as parallel loops mapped
/// to blocks and threads -> outlined gpu.modules lowered through NVVM to
/// PTX (or a cubin) and host code calling the mgpu* runtime (lib/Runtime).
/// Memrefs passed to the functions must be device-accessible, unless
/// `hostBuffers` stages them in device memory. With
/// `emulate`, the same kernels run as host loops and everything lowers like
/// the CPU pipeline's output (for checking the kernels on a machine without
/// a GPU).
void buildGPUPipeline(OpPassManager &pm, const GPUPipelineOptions &options);

/// Registers the pipelines with the global pass registry, for trop-opt, the
/// plugin and the C API. Registers once per process: later calls (from any
/// thread) do nothing.
void registerTropPipelines();

} // namespace trop
} // namespace mlir

#endif // TROP_PIPELINES_PIPELINES_H
