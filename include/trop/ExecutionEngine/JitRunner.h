//===- JitRunner.h - JIT-compile and run trop functions ---------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Compiles one function of an MLIR module with a lowering pipeline, JITs it
// with MLIR's ExecutionEngine, and runs it on HostArrays. This is the engine
// of trop-run; it is kept free of command-line concerns so that a C API or a
// Python package can drive it too.
//
// Calling convention. The entry gets the `llvm.emit_c_interface` attribute
// before lowering, and every pipeline must turn its results into trailing
// out-parameters (see JitPipelineBuilder), so the JIT-compiled
// `_mlir_ciface_<entry>` takes one pointer to a memref descriptor per
// argument, then one per result, and returns nothing. The caller allocates
// every buffer, so nothing crosses the boundary that the caller must free.
//
// Dynamic sizes. Argument sizes written `?` are bound at each call from the
// arrays passed (checked against the static sizes and against each other
// where the ops tie them, see DimGroup). A result with a dynamic size cannot
// be allocated by the caller: such an entry keeps its results, and its C
// interface takes first a pointer to where the callee stores their
// descriptors; the runner copies each into a HostArray of its runtime shape
// and frees the callee's buffer (the caller owns returned buffers).
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_JITRUNNER_H
#define TROP_EXECUTIONENGINE_JITRUNNER_H

#include "trop/ExecutionEngine/EntryLowering.h"
#include "trop/ExecutionEngine/HostArray.h"
#include "trop/ExecutionEngine/JitPipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm {
class SourceMgr;
class TargetMachine;
} // namespace llvm

namespace mlir {
class DialectRegistry;
class ExecutionEngine;
namespace func {
class FuncOp;
} // namespace func

namespace trop {

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

/// Registers what parsing and compiling trop modules needs: every upstream
/// dialect and extension (as trop-opt does), the trop dialect, and the
/// translations of the builtin and LLVM dialects to LLVM IR.
void registerJitDialects(DialectRegistry &registry);

/// The shared libraries loaded into the JIT by default: MLIR's
/// libmlir_c_runner_utils (memrefCopy, used by the out-parameter copies) and
/// libmlir_runner_utils, from the LLVM installation trop was configured
/// against.
std::vector<std::string> getDefaultJitSharedLibs();

/// The most calls JitFunction::benchmark times: its timings are kept in
/// memory, and a bound keeps a mistyped count an error rather than an
/// out-of-memory abort.
constexpr unsigned kMaxBenchmarkRuns = 1000000;

/// Parses the module in the main buffer of `sourceMgr` (user text, for
/// JitFunction::compile), without verifying it: the caller decides when.
/// The text first goes through the parser guard (trop/Support/ParserGuard.h),
/// so that an input MLIR 22's parser would crash on is an error diagnostic at
/// its location, reported through the context's diagnostic handlers like any
/// parse error, and the host process lives on. Returns null on any error.
OwningOpRef<ModuleOp> parseJitModule(llvm::SourceMgr &sourceMgr,
                                     MLIRContext *context);

/// How a compiled function is built.
struct JitCompileOptions {
  /// The lowering; the reference pipeline when empty.
  JitPipelineBuilder pipeline;
  /// What the pipeline is called in messages.
  std::string pipelineName = "reference";
  JitPipelineOptions pipelineOptions;
  /// Libraries whose symbols the JIT-compiled code may call.
  std::vector<std::string> sharedLibPaths = getDefaultJitSharedLibs();
  /// LLVM optimisation level of the JIT (0 to 3).
  unsigned optLevel = 3;
  /// If set, called with the lowered module (LLVM dialect) just before it is
  /// translated to LLVM IR, e.g. to print it.
  std::function<void(ModuleOp)> loweredModuleCallback;
};

/// A function of a module, JIT-compiled and ready to run.
class JitFunction {
public:
  /// Lowers a copy of `module`, reduced to `entry` and the symbols it
  /// references (transitively), with `options.pipeline` and JIT-compiles it,
  /// then prepares `entry` for calls. `module` itself is not modified. MLIR
  /// diagnostics (verifier and pass failures) go to the context's diagnostic
  /// handlers; the returned error summarises what failed.
  static llvm::Expected<std::unique_ptr<JitFunction>>
  compile(ModuleOp module, llvm::StringRef entry,
          const JitCompileOptions &options = {});

  ~JitFunction();

  llvm::StringRef getName() const { return name; }

  /// The function's arguments, in order.
  llvm::ArrayRef<ArrayInfo> getInputs() const { return inputs; }

  /// What a call produces: the function's results if it has any, else the
  /// memref arguments it may write (an argument is written when some op has
  /// a write effect on it or on a view or cast of it, or when an op uses it
  /// in a way whose effects are unknown).
  llvm::ArrayRef<ArrayInfo> getOutputs() const { return outputs; }

  /// Tropical updates one call performs: the sum of getNumUpdates() over the
  /// trop ops in the entry's own body (ops in callees are not counted; an op
  /// inside a loop counts once). std::nullopt when the entry has no trop op
  /// or some count is not static.
  std::optional<int64_t> getNumUpdates() const { return numUpdates; }

  /// Checks that `array` can be argument `index` (its dynamic sizes are
  /// free); `source` names where the array came from in the message
  /// ("argument 1 expects tensor<4x8xf32> but b.npy holds float64 array of
  /// shape (4, 8)").
  llvm::Error checkInput(unsigned index, const HostArray &array,
                         llvm::StringRef source) const;

  /// Checks the number of inputs, each of them, and that they agree on the
  /// dynamic sizes the function's ops need equal; `source(i)` names array
  /// `i` in messages ("input 1" when not given).
  llvm::Error
  checkInputs(llvm::ArrayRef<HostArray> arrays,
              llvm::function_ref<std::string(unsigned)> source = nullptr) const;

  /// The dynamic argument sizes the function's ops need equal.
  llvm::ArrayRef<DimGroup> getDimGroups() const { return dimGroups; }

  /// Whether some argument or output has a dynamic size.
  bool hasDynamicShapes() const;

  /// Calls the function on copies of `arguments` (so that they are never
  /// modified) and returns its outputs.
  llvm::Expected<llvm::SmallVector<HostArray>>
  run(llvm::ArrayRef<HostArray> arguments) const;

  /// Calls the function once to warm up, then `runs` times, on one set of
  /// copies of `arguments` (functions that update their arguments then see
  /// their previous outputs), and returns the wall-clock time of each of the
  /// `runs` calls in seconds, measured around the call only. `runs` is at
  /// most kMaxBenchmarkRuns.
  /// With a GPU pipeline and `kernelSeconds`, also returns there the device
  /// time of each call's kernels (CUDA events around each launch, summed per
  /// call; the copies to and from the device are not counted).
  llvm::Expected<std::vector<double>>
  benchmark(llvm::ArrayRef<HostArray> arguments, unsigned runs,
            std::vector<double> *kernelSeconds = nullptr) const;

  /// Whether the function runs on a GPU through trop's CUDA runtime.
  bool usesCudaRuntime() const { return cudaRuntime.loaded; }

private:
  JitFunction() = default;

  /// The steps of compile(), after the entry has been described and
  /// lowered: JIT-compile the lowered module; find the C interface of the
  /// entry in the engine.
  llvm::Error createEngine(ModuleOp lowered, const JitCompileOptions &options);
  llvm::Error lookupEntryPoint();

  /// The descriptors and buffers of one call.
  struct CallFrame;
  llvm::Expected<CallFrame>
  prepareCall(llvm::ArrayRef<HostArray> arguments) const;
  /// For an entry that returns its results: copies them out of `frame` into
  /// HostArrays of their runtime shapes (unless `copy` is unset) and frees
  /// the callee's buffers.
  llvm::Expected<llvm::SmallVector<HostArray>>
  takeReturnedResults(CallFrame &frame, bool copy = true) const;

  std::string name;
  llvm::SmallVector<ArrayInfo> inputs;
  llvm::SmallVector<ArrayInfo> outputs;
  /// Number of results of the original function (out-parameters of the
  /// lowered one).
  unsigned numResults = 0;
  /// Whether the results come back from the callee (see above).
  bool returnsResults = false;
  llvm::SmallVector<DimGroup> dimGroups;
  std::optional<int64_t> numUpdates;
  /// The host target the optimizer tuned for; declared before the engine so
  /// that it outlives it.
  std::unique_ptr<llvm::TargetMachine> targetMachine;
  std::unique_ptr<ExecutionEngine> engine;
  void (*packedEntry)(void **) = nullptr;

  /// trop's CUDA runtime (libTropCudaRuntime), for GPU pipelines: its error
  /// and timing entry points.
  struct CudaRuntime {
    bool loaded = false;
    const char *(*lastError)() = nullptr;
    void (*clearError)() = nullptr;
    void (*timeKernels)(bool) = nullptr;
    double (*takeKernelMs)() = nullptr;
  };
  CudaRuntime cudaRuntime;
  /// Loads the runtime at `path`; fails with why no kernel can run (no
  /// library, no CUDA driver, no device).
  llvm::Error loadCudaRuntime(const std::string &path);
  /// Calls the entry on `arguments`; with the CUDA runtime, fails with the
  /// runtime's error if one of its entry points failed during the call.
  llvm::Error call(void **arguments) const;
};

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_JITRUNNER_H
