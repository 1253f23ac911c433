//===- EntryLowering.h - An entry's signature and lowering ------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// What every way of running a trop function shares before code exists: find
// the entry, describe its arguments and outputs as the runners pass them,
// and lower a copy of the module, reduced to the entry, to the LLVM dialect
// with the runners' calling convention (a C interface wrapper taking one
// pointer to a memref descriptor per argument, then one per result: results
// become out-parameters). The JIT (JitRunner.h) compiles that in memory;
// trop-compile writes it to an object file and a C header.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_EXECUTIONENGINE_ENTRYLOWERING_H
#define TROP_EXECUTIONENGINE_ENTRYLOWERING_H

#include "trop/ExecutionEngine/HostArray.h"
#include "trop/ExecutionEngine/JitPipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir {
namespace trop {

/// An argument or output of a compiled function: a ranked tensor or an
/// identity-layout memref, whose sizes may be dynamic (`?`): those are bound
/// at call time, from the arrays passed for arguments and from what the
/// function returns for results.
struct ArrayInfo {
  /// The MLIR type as printed, e.g. "tensor<?x2xf32>".
  std::string type;
  ElementKind kind;
  /// The sizes; a dynamic size is ShapedType::kDynamic.
  llvm::SmallVector<int64_t> shape;
  bool isMemRef;
  /// For outputs: the argument the output is (when the function has no
  /// results and the output is an argument it writes).
  std::optional<unsigned> argumentIndex;

  /// Whether no size is dynamic.
  bool hasStaticShape() const;
  /// Whether `shape` (an array's) has this rank and agrees with every static
  /// size.
  bool accepts(llvm::ArrayRef<int64_t> shape) const;
};

/// A dimension of an argument: (argument index, dimension).
using ArgumentDim = std::pair<unsigned, unsigned>;

/// Dynamic argument sizes that the entry's ops require to be equal (the rows
/// of `x` and of the destination of a matmul on `x`), and the static size
/// they must have when some op fixes it. A call whose arrays break one is
/// refused: compiled code would read or write out of bounds.
struct DimGroup {
  llvm::SmallVector<ArgumentDim> dims;
  std::optional<int64_t> size;
};

/// An entry as the runners call it.
struct EntrySignature {
  /// The function's arguments, in order.
  llvm::SmallVector<ArrayInfo> inputs;
  /// Its results if it has any, else the memref arguments it may write (an
  /// argument is written when some op has a write effect on it or on a view
  /// or cast of it, or uses it in a way whose effects are unknown).
  llvm::SmallVector<ArrayInfo> outputs;
  /// Number of results (out-parameters of the lowered function unless
  /// `returnsResults`).
  unsigned numResults = 0;
  /// Whether some result has a dynamic size, so that the caller cannot
  /// allocate it: the results then stay results of the lowered function
  /// (allocated by the callee and owned by the caller, the ownership-based
  /// deallocation's function boundary ABI), and its C interface takes a
  /// pointer to where they are returned, then one per argument.
  bool returnsResults = false;
  /// What the entry's ops require of its dynamic argument sizes.
  llvm::SmallVector<DimGroup> dimGroups;
  /// Tropical updates of one call: the trop ops of the entry's own body;
  /// std::nullopt when there is none or a count is not static.
  std::optional<int64_t> numUpdates;
};

/// The func.func called `name` in `module`, or an error that says why there
/// is none (naming a few candidates) or why it cannot be an entry.
llvm::Expected<func::FuncOp> lookupEntry(ModuleOp module, llvm::StringRef name);

/// Describes `func` as the runners pass it, or explains which argument or
/// result they cannot pass.
llvm::Expected<EntrySignature> describeEntry(func::FuncOp func);

/// Number of pointers the C interface of `signature`'s lowered entry takes.
unsigned getNumLoweredParams(const EntrySignature &signature);

/// Checks `shapes`, the shapes of the arrays of one call, against the
/// argument types and the dimension groups of `signature`; `source(i)` names
/// where array `i` came from in messages.
llvm::Error
checkArgumentShapes(const EntrySignature &signature,
                    llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes,
                    llvm::function_ref<std::string(unsigned)> source);

/// Lowers a copy of `module`, reduced to `entry` and the symbols it
/// references, with `pipeline` (the reference pipeline when empty; called
/// `pipelineName` in messages), and checks that the result has the runners'
/// calling convention for `signature` (out-parameters, or returned results
/// when `signature.returnsResults`, which also unsets the pipeline options'
/// resultsToOutParams). `module` is not modified.
llvm::Expected<OwningOpRef<ModuleOp>>
lowerEntry(ModuleOp module, llvm::StringRef entry,
           const JitPipelineBuilder &pipeline, llvm::StringRef pipelineName,
           const JitPipelineOptions &pipelineOptions,
           const EntrySignature &signature);

/// Called by lowerEntry after each pass anchored on the module (a nested
/// pipeline counts as one) with the pass's argument (its name when it has
/// none) and its wall time in seconds: how a long compilation shows its
/// progress (the C API's tropSetProgressCallback).
using LoweringObserver =
    std::function<void(llvm::StringRef pass, double seconds)>;

/// Sets the observer of the lowerEntry calls made on this thread (none:
/// an empty function) and returns the previous one.
LoweringObserver setLoweringObserver(LoweringObserver observer);

/// Initializes LLVM's native target and its assembly printer, once.
void initializeHostTarget();

/// The host's target machine, from the CPU name and features the kernels
/// were shaped for (trop/Support/HostCPU.h), so that both see one CPU. With
/// `forObjectFile`, position-independent code in the small code model, for
/// objects that may also go into shared libraries (the JIT's defaults
/// otherwise).
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(bool forObjectFile = false);

} // namespace trop
} // namespace mlir

#endif // TROP_EXECUTIONENGINE_ENTRYLOWERING_H
