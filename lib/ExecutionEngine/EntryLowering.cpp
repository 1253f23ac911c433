//===- EntryLowering.cpp - An entry's signature and its lowered module ----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/EntryLowering.h"
#include "DimGroups.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Support/HostCPU.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <mutex>

using namespace mlir;
using namespace mlir::trop;

//===----------------------------------------------------------------------===//
// Signatures
//===----------------------------------------------------------------------===//

static std::string printType(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return text;
}

static std::optional<ElementKind> getElementKind(Type type) {
  Builder builder(type.getContext());
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, IsFloat, NpyDescr, NumpyName,     \
                          CEnum, BuilderType)                                  \
  if (type == builder.BuilderType())                                           \
    return ElementKind::Kind;
#include "trop/ExecutionEngine/ElementKinds.def"
  return std::nullopt;
}

/// Describes `type`, the type of `what` (e.g. "argument 1 of @f"), or
/// explains why the runner cannot pass it.
static llvm::Expected<ArrayInfo> getArrayInfo(Type type,
                                              const llvm::Twine &what) {
  std::string typeText = printType(type);
  auto unsupported = [&](const llvm::Twine &why) {
    return llvm::createStringError(
        what + " has type '" + typeText + "', " + why +
        "; trop-run passes ranked tensors and identity-layout memrefs of "
        "f16, bf16, f32, f64, i8, i16, i32, i64 and i1");
  };
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !isa<RankedTensorType, MemRefType>(type)) {
    if (isa<UnrankedTensorType, UnrankedMemRefType>(type))
      return unsupported("which is unranked");
    return unsupported("which is not a ranked tensor or memref");
  }
  if (auto memref = dyn_cast<MemRefType>(type)) {
    if (!memref.getLayout().isIdentity())
      return unsupported("which has a non-identity layout");
    if (memref.getMemorySpace())
      return unsupported("which is not in the default memory space");
  }
  std::optional<ElementKind> kind = getElementKind(shaped.getElementType());
  if (!kind)
    return unsupported("whose element type is not supported");
  ArrayInfo info;
  info.type = typeText;
  info.kind = *kind;
  info.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
  info.isMemRef = isa<MemRefType>(type);
  return info;
}

/// Whether the memref `root` may be written by the function it belongs to:
/// some op has a write effect on it or on an alias (a view, a cast, or any
/// memref an op derives from it), or uses it in a way whose effects are not
/// known. Errs on the side of "written": a spurious output is harmless, a
/// missing one is not.
static bool mayBeWritten(Value root) {
  SmallVector<Value> worklist = {root};
  llvm::DenseSet<Value> visited = {root};
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      // A memref yielded out of a region (other than returned) aliases the
      // parent op's results, which this walk does not follow.
      if (user->hasTrait<OpTrait::IsTerminator>() && !isa<func::ReturnOp>(user))
        return true;
      // A writable tensor view lets bufferization write the memref.
      if (auto toTensor = dyn_cast<bufferization::ToTensorOp>(user))
        if (toTensor.getWritable())
          return true;
      auto effects = dyn_cast<MemoryEffectOpInterface>(user);
      if (!effects)
        return true;
      SmallVector<MemoryEffects::EffectInstance> instances;
      effects.getEffects(instances);
      for (const MemoryEffects::EffectInstance &instance : instances) {
        if (!isa<MemoryEffects::Write>(instance.getEffect()))
          continue;
        Value target = instance.getValue();
        if (!target || target == value)
          return true;
      }
      // Views (ViewLikeOpInterface: subview, expand_shape, ...), casts and
      // anything else that derives a memref from this one may alias it.
      for (Value result : user->getResults())
        if (isa<BaseMemRefType>(result.getType()) &&
            visited.insert(result).second)
          worklist.push_back(result);
    }
  }
  return false;
}

/// Sums the static update counts of the trop ops in `func`'s body.
static std::optional<int64_t> countUpdates(func::FuncOp func) {
  int64_t total = 0;
  bool any = false, known = true;
  func.walk([&](TropOpInterface op) {
    any = true;
    std::optional<int64_t> count = op.getNumUpdates();
    if (!count || llvm::AddOverflow(total, *count, total))
      known = false;
  });
  if (!any || !known)
    return std::nullopt;
  return total;
}

/// Describes `types`, the arguments or results (`what`) of `entry`, into
/// `infos`.
static llvm::Error describeArrays(TypeRange types, llvm::StringRef what,
                                  llvm::StringRef entry,
                                  llvm::SmallVectorImpl<ArrayInfo> &infos) {
  for (auto [index, type] : llvm::enumerate(types)) {
    llvm::Expected<ArrayInfo> info = getArrayInfo(
        type, what + " " + llvm::Twine(index) + " of '@" + entry + "'");
    if (!info)
      return info.takeError();
    infos.push_back(std::move(*info));
  }
  return llvm::Error::success();
}

llvm::Expected<EntrySignature> trop::describeEntry(func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  llvm::StringRef name = func.getName();
  EntrySignature signature;
  if (llvm::Error err =
          describeArrays(type.getInputs(), "argument", name, signature.inputs))
    return std::move(err);
  if (llvm::Error err =
          describeArrays(type.getResults(), "result", name, signature.outputs))
    return std::move(err);
  signature.numResults = type.getNumResults();
  signature.returnsResults =
      llvm::any_of(signature.outputs, [](const ArrayInfo &info) {
        return !info.hasStaticShape();
      });
  if (signature.numResults == 0) {
    for (auto [index, arg] : llvm::enumerate(func.getArguments())) {
      if (!signature.inputs[index].isMemRef || !mayBeWritten(arg))
        continue;
      ArrayInfo output = signature.inputs[index];
      output.argumentIndex = index;
      signature.outputs.push_back(std::move(output));
    }
  }
  signature.numUpdates = countUpdates(func);
  signature.dimGroups = findDimGroups(func);
  return signature;
}

unsigned trop::getNumLoweredParams(const EntrySignature &signature) {
  unsigned results = signature.returnsResults ? (signature.numResults ? 1 : 0)
                                              : signature.numResults;
  return signature.inputs.size() + results;
}

bool ArrayInfo::hasStaticShape() const {
  return !llvm::is_contained(shape, ShapedType::kDynamic);
}

bool ArrayInfo::accepts(llvm::ArrayRef<int64_t> sizes) const {
  if (sizes.size() != shape.size())
    return false;
  for (auto [expected, actual] : llvm::zip(shape, sizes))
    if (expected != ShapedType::kDynamic && expected != actual)
      return false;
  return true;
}

llvm::Error
trop::checkArgumentShapes(const EntrySignature &signature,
                          llvm::ArrayRef<llvm::ArrayRef<int64_t>> shapes,
                          llvm::function_ref<std::string(unsigned)> source) {
  auto name = [&](ArgumentDim dim) {
    return "dimension " + std::to_string(dim.second) + " of argument " +
           std::to_string(dim.first) + " (" + source(dim.first) + ")";
  };
  for (const DimGroup &group : signature.dimGroups) {
    std::optional<int64_t> size = group.size;
    std::optional<ArgumentDim> first;
    for (ArgumentDim dim : group.dims) {
      int64_t actual = shapes[dim.first][dim.second];
      if (!size) {
        size = actual;
        first = dim;
        continue;
      }
      if (actual == *size)
        continue;
      std::string why =
          first ? "but " + name(*first) + " is " + std::to_string(*size)
                : "but the function needs " + std::to_string(*size) + " there";
      return llvm::createStringError(
          "the arrays disagree on a dynamic size of '" +
          signature.inputs[dim.first].type + "': " + name(dim) + " is " +
          std::to_string(actual) + " " + why +
          " (the function's ops need them equal)");
    }
  }
  return llvm::Error::success();
}

/// Finds the func.func called `name` in `module`, or explains why there is
/// none.
llvm::Expected<func::FuncOp> trop::lookupEntry(ModuleOp module,
                                               llvm::StringRef name) {
  Operation *symbol = SymbolTable::lookupSymbolIn(module, name);
  if (!symbol) {
    // Name a few candidates, to catch typos.
    constexpr unsigned kMaxNames = 10;
    std::string available;
    llvm::raw_string_ostream os(available);
    unsigned count = 0;
    for (func::FuncOp f : module.getOps<func::FuncOp>()) {
      if (count++ == kMaxNames) {
        os << ", ...";
        break;
      }
      os << (count > 1 ? ", @" : "@") << f.getName();
    }
    return llvm::createStringError(
        "the module has no function '@" + name + "'" +
        (available.empty() ? llvm::Twine(" (it defines no func.func)")
                           : " (it defines " + available + ")"));
  }
  auto func = dyn_cast<func::FuncOp>(symbol);
  if (!func)
    return llvm::createStringError("'@" + name + "' is a '" +
                                   symbol->getName().getStringRef() +
                                   "', not a func.func");
  if (func.isExternal())
    return llvm::createStringError("'@" + name +
                                   "' is only a declaration: it has no body "
                                   "to compile");
  return func;
}

/// Checks that the lowered module exposes `name` with the runner's calling
/// convention (see JitRunner.h).
static llvm::Error checkLoweredSignature(ModuleOp lowered, llvm::StringRef name,
                                         llvm::StringRef pipelineName,
                                         unsigned numParams, bool returns) {
  auto contract = [&](const llvm::Twine &problem) {
    return llvm::createStringError(
        "the '" + pipelineName + "' pipeline did not lower '@" + name +
        "' as trop-run needs: " + problem +
        " (a pipeline must lower to the LLVM dialect, keep C interface "
        "wrappers, and turn results into out-parameters unless one has a "
        "dynamic size)");
  };
  auto function = lowered.lookupSymbol<LLVM::LLVMFuncOp>(name);
  if (!function)
    return contract("there is no llvm.func '@" + name + "'");
  bool returnsValue =
      !isa<LLVM::LLVMVoidType>(function.getFunctionType().getReturnType());
  if (returnsValue && !returns)
    return contract("it still returns a value");
  if (!returnsValue && returns)
    return contract("it returns nothing although a result has a dynamic size");
  std::string cifaceName = ("_mlir_ciface_" + name).str();
  auto wrapper = lowered.lookupSymbol<LLVM::LLVMFuncOp>(cifaceName);
  if (!wrapper)
    return contract("there is no C interface '@" + cifaceName + "'");
  LLVM::LLVMFunctionType type = wrapper.getFunctionType();
  if (!isa<LLVM::LLVMVoidType>(type.getReturnType()) || type.isVarArg() ||
      type.getNumParams() != numParams ||
      !llvm::all_of(type.getParams(), llvm::IsaPred<LLVM::LLVMPointerType>))
    return contract("'@" + cifaceName + "' has type '" + printType(type) +
                    "' instead of taking " + llvm::Twine(numParams) +
                    " pointers to memref descriptors and returning nothing");
  return llvm::Error::success();
}

/// Erases from `module` every symbol that `entry` does not reference,
/// directly or through other symbols, so that functions that are not called
/// (and may not even lower) do not get in the way.
static void pruneToEntry(ModuleOp module, Operation *entry) {
  llvm::DenseSet<Operation *> live = {entry};
  SmallVector<Operation *> worklist = {entry};
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    std::optional<SymbolTable::UseRange> uses = SymbolTable::getSymbolUses(op);
    if (!uses)
      continue;
    for (const SymbolTable::SymbolUse &use : *uses) {
      Operation *symbol =
          SymbolTable::lookupNearestSymbolFrom(module, use.getSymbolRef());
      if (symbol && live.insert(symbol).second)
        worklist.push_back(symbol);
    }
  }
  for (Operation &op : llvm::make_early_inc_range(module.getOps()))
    if (isa<SymbolOpInterface>(op) && !live.contains(&op))
      op.erase();
}

//===----------------------------------------------------------------------===//
// Lowering
//===----------------------------------------------------------------------===//

void trop::initializeHostTarget() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// The observer of this thread's lowerEntry calls.
static thread_local LoweringObserver loweringObserver;

LoweringObserver trop::setLoweringObserver(LoweringObserver observer) {
  std::swap(observer, loweringObserver);
  return observer;
}

namespace {
/// Times the passes anchored on the module and reports each to the
/// observer; nested passes run inside one of those and are not reported.
struct ObserverInstrumentation : public PassInstrumentation {
  explicit ObserverInstrumentation(LoweringObserver observer)
      : observer(std::move(observer)) {}
  void runBeforePass(Pass *pass, Operation *op) override {
    if (isa<ModuleOp>(op))
      starts[pass] = std::chrono::steady_clock::now();
  }
  void runAfterPass(Pass *pass, Operation *op) override { report(pass, op); }
  void runAfterPassFailed(Pass *pass, Operation *op) override {
    report(pass, op);
  }

private:
  void report(Pass *pass, Operation *op) {
    auto it = starts.find(pass);
    if (!isa<ModuleOp>(op) || it == starts.end())
      return;
    std::chrono::duration<double> seconds =
        std::chrono::steady_clock::now() - it->second;
    starts.erase(it);
    // A nested pipeline has no argument: its textual form names it
    // ("func.func(canonicalize, ...)"), shortened.
    std::string name = pass->getArgument().str();
    if (name.empty()) {
      llvm::raw_string_ostream os(name);
      pass->printAsTextualPipeline(os);
      if (name.size() > 60)
        name = name.substr(0, 57) + "...";
    }
    observer(name, seconds.count());
  }
  LoweringObserver observer;
  llvm::DenseMap<Pass *, std::chrono::steady_clock::time_point> starts;
};
} // namespace

/// Lowers a copy of `module`, reduced to what `entry` needs, with the
/// pipeline of `options`, and checks that the result has the runner's
/// calling convention for `signature`. A copy, so that the caller can
/// compile the module again.
llvm::Expected<OwningOpRef<ModuleOp>> trop::lowerEntry(
    ModuleOp module, llvm::StringRef entry,
    const JitPipelineBuilder &pipelineBuilder, llvm::StringRef pipelineName,
    const JitPipelineOptions &givenOptions, const EntrySignature &signature) {
  JitPipelineOptions pipelineOptions = givenOptions;
  if (signature.returnsResults)
    pipelineOptions.resultsToOutParams = false;
  MLIRContext *context = module.getContext();
  OwningOpRef<ModuleOp> lowered(module.clone());
  auto loweredEntry = lowered->lookupSymbol<func::FuncOp>(entry);
  pruneToEntry(*lowered, loweredEntry);
  loweredEntry->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                        UnitAttr::get(context));
  PassManager pm = PassManager::on<ModuleOp>(context);
  JitPipelineBuilder pipeline =
      pipelineBuilder ? pipelineBuilder : getReferenceJitPipeline();
  pipeline(pm, pipelineOptions);
  if (loweringObserver)
    pm.addInstrumentation(
        std::make_unique<ObserverInstrumentation>(loweringObserver));
  if (failed(pm.run(*lowered)))
    return llvm::createStringError("the '" + pipelineName +
                                   "' pipeline failed on the module");
  if (llvm::Error err = checkLoweredSignature(
          *lowered, entry, pipelineName, getNumLoweredParams(signature),
          signature.returnsResults && signature.numResults))
    return std::move(err);
  return lowered;
}

/// The host's target machine, from the CPU name and features the kernels
/// were shaped for (trop/Support/HostCPU.h), so that both see one CPU.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
trop::createHostTargetMachine(bool forObjectFile) {
  const HostCPU &host = getHostCPU();
  llvm::orc::JITTargetMachineBuilder builder{llvm::Triple(host.triple)};
  for (const auto &feature : host.features)
    builder.getFeatures().AddFeature(feature.first(), feature.second);
  builder.setCPU(host.name);
  if (forObjectFile) {
    // The JIT's defaults (a large code model) would make an object that
    // cannot go into a shared library.
    builder.setRelocationModel(llvm::Reloc::PIC_);
    builder.setCodeModel(llvm::CodeModel::Small);
  }
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      builder.createTargetMachine();
  if (!machine)
    return llvm::createStringError(
        "cannot create a target machine for the host: " +
        llvm::toString(machine.takeError()));
  return machine;
}
