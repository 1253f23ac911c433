//===- JitRunner.cpp - JIT-compile and run trop functions -----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/JitRunner.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/ExecutionEngine/ArrayFormat.h"
#include "trop/ExecutionEngine/NpyIO.h"
#include "trop/InitAll.h"
#include "trop/Support/HostCPU.h"
#include "trop/Support/ParserGuard.h"

#include "JitConfig.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstring>
#include <mutex>

using namespace mlir;
using namespace mlir::trop;

//===----------------------------------------------------------------------===//
// Registration
//===----------------------------------------------------------------------===//

void trop::registerJitDialects(DialectRegistry &registry) {
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerTropDialect(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
}

OwningOpRef<ModuleOp> trop::parseJitModule(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  if (std::optional<ParserHazard> hazard =
          findParserHazard(buffer->getBuffer())) {
    auto [line, column] = sourceMgr.getLineAndColumn(
        llvm::SMLoc::getFromPointer(buffer->getBufferStart() + hazard->offset));
    emitError(FileLineColLoc::get(context, buffer->getBufferIdentifier(), line,
                                  column))
        << hazard->message;
    return {};
  }
  return parseSourceFile<ModuleOp>(
      sourceMgr, ParserConfig(context, /*verifyAfterParse=*/false));
}

std::vector<std::string> trop::getDefaultJitSharedLibs() {
  return {TROP_MLIR_C_RUNNER_UTILS_PATH, TROP_MLIR_RUNNER_UTILS_PATH,
          TROP_LIBOMP_PATH};
}

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
        "; trop-run passes statically shaped tensors and identity-layout "
        "memrefs of f16, bf16, f32, f64, i8, i16, i32, i64 and i1");
  };
  auto shaped = dyn_cast<ShapedType>(type);
  if (!shaped || !isa<RankedTensorType, MemRefType>(type)) {
    if (isa<UnrankedTensorType, UnrankedMemRefType>(type))
      return unsupported("which is unranked");
    return unsupported("which is not a ranked tensor or memref");
  }
  if (!shaped.hasStaticShape())
    return unsupported("which has a dynamic shape");
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

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

static void initializeNativeTarget() {
  static std::once_flag flag;
  std::call_once(flag, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
}

/// Finds the func.func called `name` in `module`, or explains why there is
/// none.
static llvm::Expected<func::FuncOp> lookupEntry(ModuleOp module,
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
                                         unsigned numParams) {
  auto contract = [&](const llvm::Twine &problem) {
    return llvm::createStringError(
        "the '" + pipelineName + "' pipeline did not lower '@" + name +
        "' as trop-run needs: " + problem +
        " (a pipeline must lower to the LLVM dialect, keep C interface "
        "wrappers, and turn results into out-parameters)");
  };
  auto function = lowered.lookupSymbol<LLVM::LLVMFuncOp>(name);
  if (!function)
    return contract("there is no llvm.func '@" + name + "'");
  if (!isa<LLVM::LLVMVoidType>(function.getFunctionType().getReturnType()))
    return contract("it still returns a value");
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

JitFunction::~JitFunction() = default;

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

llvm::Error JitFunction::describeSignature(func::FuncOp func) {
  FunctionType type = func.getFunctionType();
  if (llvm::Error err =
          describeArrays(type.getInputs(), "argument", name, inputs))
    return err;
  if (llvm::Error err =
          describeArrays(type.getResults(), "result", name, outputs))
    return err;
  numResults = type.getNumResults();
  if (numResults == 0) {
    for (auto [index, arg] : llvm::enumerate(func.getArguments())) {
      if (!inputs[index].isMemRef || !mayBeWritten(arg))
        continue;
      ArrayInfo output = inputs[index];
      output.argumentIndex = index;
      outputs.push_back(std::move(output));
    }
  }
  numUpdates = countUpdates(func);
  return llvm::Error::success();
}

/// Lowers a copy of `module`, reduced to what `entry` needs, with the
/// pipeline of `options`, and checks that the result has the runner's
/// calling convention for `numParams` descriptors. A copy, so that the
/// caller can compile the module again.
static llvm::Expected<OwningOpRef<ModuleOp>>
lowerCopy(ModuleOp module, llvm::StringRef entry,
          const JitCompileOptions &options, unsigned numParams) {
  MLIRContext *context = module.getContext();
  OwningOpRef<ModuleOp> lowered(module.clone());
  auto loweredEntry = lowered->lookupSymbol<func::FuncOp>(entry);
  pruneToEntry(*lowered, loweredEntry);
  loweredEntry->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                        UnitAttr::get(context));
  PassManager pm = PassManager::on<ModuleOp>(context);
  JitPipelineBuilder pipeline =
      options.pipeline ? options.pipeline : getReferenceJitPipeline();
  pipeline(pm, options.pipelineOptions);
  if (failed(pm.run(*lowered)))
    return llvm::createStringError("the '" + options.pipelineName +
                                   "' pipeline failed on the module");
  if (llvm::Error err = checkLoweredSignature(*lowered, entry,
                                              options.pipelineName, numParams))
    return std::move(err);
  return lowered;
}

/// The host's target machine, from the CPU name and features the kernels
/// were shaped for (trop/Support/HostCPU.h), so that both see one CPU.
static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine() {
  const HostCPU &host = getHostCPU();
  llvm::orc::JITTargetMachineBuilder builder{llvm::Triple(host.triple)};
  for (const auto &feature : host.features)
    builder.getFeatures().AddFeature(feature.first(), feature.second);
  builder.setCPU(host.name);
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      builder.createTargetMachine();
  if (!machine)
    return llvm::createStringError(
        "cannot create a target machine for the host: " +
        llvm::toString(machine.takeError()));
  return machine;
}

llvm::Error JitFunction::createEngine(ModuleOp lowered,
                                      const JitCompileOptions &options) {
  initializeNativeTarget();
  MLIRContext *context = lowered.getContext();
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  for (const std::string &path : options.sharedLibPaths)
    if (!llvm::sys::fs::exists(path))
      return llvm::createStringError("shared library '" + path +
                                     "' does not exist");
  SmallVector<llvm::StringRef> libs(options.sharedLibPaths.begin(),
                                    options.sharedLibPaths.end());
  unsigned optLevel = std::min(options.optLevel, 3u);
  // The optimizer needs the host's target machine for its cost models (as
  // mlir-runner does); without it, it tunes for a generic CPU.
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> hostMachine =
      createHostTargetMachine();
  if (!hostMachine)
    return hostMachine.takeError();
  targetMachine = std::move(*hostMachine);
  // ExecutionEngineOptions::transformer is a function_ref: keep the callee
  // alive until the engine is built.
  std::function<llvm::Error(llvm::Module *)> transformer =
      makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, targetMachine.get());
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel =
      static_cast<llvm::CodeGenOptLevel>(optLevel);
  engineOptions.sharedLibPaths = libs;
  llvm::Expected<std::unique_ptr<ExecutionEngine>> created =
      ExecutionEngine::create(lowered, engineOptions);
  if (!created)
    return llvm::createStringError(
        "JIT compilation of '@" + name +
        "' failed: " + llvm::toString(created.takeError()));
  engine = std::move(*created);
  engine->initialize();
  return llvm::Error::success();
}

llvm::Error JitFunction::lookupEntryPoint() {
  llvm::Expected<void (*)(void **)> packed =
      engine->lookupPacked("_mlir_ciface_" + name);
  if (!packed)
    return llvm::createStringError(
        "JIT compilation of '@" + name +
        "' failed: " + llvm::toString(packed.takeError()));
  packedEntry = *packed;
  return llvm::Error::success();
}

llvm::Expected<std::unique_ptr<JitFunction>>
JitFunction::compile(ModuleOp module, llvm::StringRef entry,
                     const JitCompileOptions &options) {
  if (options.pipelineOptions.threads < 0 ||
      options.pipelineOptions.threads > kMaxJitThreads)
    return llvm::createStringError(
        "the number of threads must be between 0 and " +
        llvm::Twine(kMaxJitThreads) + ", not " +
        llvm::Twine(options.pipelineOptions.threads));
  if (failed(verify(module)))
    return llvm::createStringError("the module does not verify");
  llvm::Expected<func::FuncOp> func = lookupEntry(module, entry);
  if (!func)
    return func.takeError();
  std::unique_ptr<JitFunction> result(new JitFunction());
  result->name = entry.str();
  if (llvm::Error err = result->describeSignature(*func))
    return std::move(err);
  llvm::Expected<OwningOpRef<ModuleOp>> lowered = lowerCopy(
      module, entry, options, result->inputs.size() + result->numResults);
  if (!lowered)
    return lowered.takeError();
  if (options.loweredModuleCallback)
    options.loweredModuleCallback(**lowered);
  if (llvm::Error err = result->createEngine(**lowered, options))
    return std::move(err);
  if (llvm::Error err = result->lookupEntryPoint())
    return std::move(err);
  return result;
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

llvm::Error JitFunction::checkInput(unsigned index, const HostArray &array,
                                    llvm::StringRef source) const {
  if (index >= inputs.size())
    return llvm::createStringError("'@" + name + "' has no argument " +
                                   llvm::Twine(index));
  const ArrayInfo &info = inputs[index];
  if (array.getElementKind() == info.kind &&
      array.getShape() == llvm::ArrayRef<int64_t>(info.shape))
    return llvm::Error::success();
  return llvm::createStringError(
      "argument " + llvm::Twine(index) + " expects " + info.type + " but " +
      source + " holds " + getNumpyTypeName(array.getElementKind()) +
      " array of shape " + formatNumpyShape(array.getShape()));
}

llvm::Error JitFunction::checkInputs(llvm::ArrayRef<HostArray> arrays) const {
  if (arrays.size() != inputs.size())
    return llvm::createStringError(
        "'@" + name + "' takes " + llvm::Twine(inputs.size()) +
        " argument(s) but " + llvm::Twine(arrays.size()) + " were given");
  for (auto [index, array] : llvm::enumerate(arrays))
    if (llvm::Error err =
            checkInput(index, array, "input " + std::to_string(index)))
      return err;
  return llvm::Error::success();
}

/// The buffers and memref descriptors of one call. Descriptors are
/// `{T *allocated, T *aligned, int64_t offset, int64_t sizes[R],
/// int64_t strides[R]}` (StridedMemRefType in CRunnerUtils.h), stored as
/// words; the argument array is built by `pack` once the frame has stopped
/// moving.
struct JitFunction::CallFrame {
  std::vector<HostArray> buffers;
  std::vector<std::vector<int64_t>> descriptors;
  std::vector<void *> descriptorAddresses;
  std::vector<void *> arguments;

  void addBuffer(HostArray array) {
    static_assert(sizeof(void *) == sizeof(int64_t), "64-bit hosts only");
    std::vector<int64_t> words;
    int64_t address =
        static_cast<int64_t>(reinterpret_cast<uintptr_t>(array.getData()));
    words.push_back(address);
    words.push_back(address);
    words.push_back(0);
    words.insert(words.end(), array.getShape().begin(), array.getShape().end());
    llvm::SmallVector<int64_t> strides = array.getStrides();
    words.insert(words.end(), strides.begin(), strides.end());
    descriptors.push_back(std::move(words));
    buffers.push_back(std::move(array));
  }

  void **pack() {
    descriptorAddresses.clear();
    arguments.clear();
    for (std::vector<int64_t> &words : descriptors)
      descriptorAddresses.push_back(words.data());
    for (void *&address : descriptorAddresses)
      arguments.push_back(&address);
    return arguments.data();
  }
};

llvm::Expected<JitFunction::CallFrame>
JitFunction::prepareCall(llvm::ArrayRef<HostArray> arguments) const {
  if (llvm::Error err = checkInputs(arguments))
    return std::move(err);
  CallFrame frame;
  // Copies: the compiled code may write its arguments (one-shot
  // bufferization may update tensor arguments in place).
  for (const HostArray &argument : arguments)
    frame.addBuffer(argument.clone());
  // Out-parameters for the results.
  for (unsigned i = 0; i < numResults; ++i) {
    llvm::Expected<HostArray> result =
        HostArray::create(outputs[i].kind, outputs[i].shape);
    if (!result)
      return llvm::createStringError("result " + llvm::Twine(i) + ": " +
                                     llvm::toString(result.takeError()));
    frame.addBuffer(std::move(*result));
  }
  return frame;
}

llvm::Expected<llvm::SmallVector<HostArray>>
JitFunction::run(llvm::ArrayRef<HostArray> arguments) const {
  llvm::Expected<CallFrame> frame = prepareCall(arguments);
  if (!frame)
    return frame.takeError();
  packedEntry(frame->pack());
  llvm::SmallVector<HostArray> results;
  if (numResults > 0) {
    for (unsigned i = 0; i < numResults; ++i)
      results.push_back(std::move(frame->buffers[inputs.size() + i]));
    return results;
  }
  for (const ArrayInfo &output : outputs)
    results.push_back(std::move(frame->buffers[*output.argumentIndex]));
  return results;
}

llvm::Expected<std::vector<double>>
JitFunction::benchmark(llvm::ArrayRef<HostArray> arguments,
                       unsigned runs) const {
  if (runs > kMaxBenchmarkRuns)
    return llvm::createStringError("cannot time more than " +
                                   llvm::Twine(kMaxBenchmarkRuns) +
                                   " calls, not " + llvm::Twine(runs));
  llvm::Expected<CallFrame> frame = prepareCall(arguments);
  if (!frame)
    return frame.takeError();
  void **packed = frame->pack();
  packedEntry(packed);
  std::vector<double> seconds;
  seconds.reserve(runs);
  for (unsigned i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    packedEntry(packed);
    auto stop = std::chrono::steady_clock::now();
    seconds.push_back(std::chrono::duration<double>(stop - start).count());
  }
  return seconds;
}
