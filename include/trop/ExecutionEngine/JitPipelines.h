//===- JitPipelines.h - The pipelines trop-run knows by name ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The lowerings a JitFunction can be compiled with: a small table of named
// pipelines (`reference`, `cpu`) and the resolution of what a user writes for
// `--pipeline` (a name or a textual pass pipeline). Kept apart from
// JitRunner.h so that the table, which builds trop's pipelines, and the
// runner, which only calls a JitPipelineBuilder, do not include each other.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_JITPIPELINES_H
#define TROP_EXECUTIONENGINE_JITPIPELINES_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace mlir {
namespace trop {

/// Options that trop-run forwards to every named pipeline.
struct JitPipelineOptions {
  /// NaN handling; unset: the pipeline's own default (the reference pipeline
  /// propagates NaN, the CPU pipeline assumes none).
  std::optional<NaNMode> nanMode;
  /// Threads of pipelines that parallelise; 0: one per hardware thread. At
  /// most kMaxJitThreads.
  int64_t threads = 0;
  /// Whether results become caller-allocated out-parameters (the runners'
  /// convention); unset for entries with a dynamically sized result, whose
  /// size the caller cannot know before the call (see EntrySignature).
  bool resultsToOutParams = true;
  /// The GPU the gpu pipeline compiles for (`sm_80`, `sm_90`, ...); empty:
  /// the GPU pipeline's default, sm_90.
  std::string gpuChip;
};

/// The help of trop-run's and trop-compile's `--gpu-chip` (gpuChip).
constexpr const char *kGpuChipHelp =
    "The GPU the gpu pipeline compiles for (sm_80, sm_90, ...; default "
    "sm_90). The PTX runs on devices of that compute capability or newer";

/// The most threads a JIT-compiled function may ask for. OpenMP aborts the
/// process when it cannot start the threads it is asked for (100,000 did),
/// so trop-run, the C API and Python refuse more (TROP_MAX_THREADS in
/// trop-c/Runner.h and trop.MAX_THREADS say the same).
constexpr int64_t kMaxJitThreads = 1024;

/// Appends to `pm` (anchored on builtin.module) a lowering of trop ops, in
/// tensor or memref form, to the LLVM dialect. Contract with the runner:
/// every tensor or memref result of a public function must become a trailing
/// identity-layout memref out-parameter that the caller allocates (as
/// `ReferencePipelineOptions::resultsToOutParams` does) when
/// `JitPipelineOptions::resultsToOutParams` is set, and stay identity-layout
/// memref results otherwise, and functions
/// carrying `llvm.emit_c_interface` must get their C interface wrapper (as
/// the func-to-LLVM conversion does).
using JitPipelineBuilder =
    std::function<void(OpPassManager &pm, const JitPipelineOptions &options)>;

/// A pipeline trop-run knows by name.
struct NamedJitPipeline {
  llvm::StringRef name;
  llvm::StringRef description;
  void (*build)(OpPassManager &pm, const JitPipelineOptions &options);
  /// Whether the lowered code calls trop's CUDA runtime (libTropCudaRuntime):
  /// JitFunction then loads it, checks for a driver and a device first, and
  /// reports the runtime's errors as the calls' errors.
  bool usesCudaRuntime = false;
};

/// The named pipelines, the default (`reference`) first. To add one, add a
/// row to the table in lib/ExecutionEngine/JitPipelines.cpp.
llvm::ArrayRef<NamedJitPipeline> getNamedJitPipelines();

/// The named pipeline called `name`, or null.
const NamedJitPipeline *lookupNamedJitPipeline(llvm::StringRef name);

/// The reference pipeline, as a builder.
JitPipelineBuilder getReferenceJitPipeline();

/// Resolves what a user wrote for a pipeline: the name of a named pipeline,
/// or a textual pass pipeline anchored on the module (`builtin.module(...)`),
/// which must then honour the JitPipelineBuilder contract itself and ignores
/// JitPipelineOptions. Textual pipelines can only use passes registered with
/// the global pass registry. Fails with a message listing the known names
/// when `spec` is neither.
llvm::Expected<JitPipelineBuilder> resolveJitPipeline(llvm::StringRef spec);

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_JITPIPELINES_H
