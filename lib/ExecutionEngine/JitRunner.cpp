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
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/DynamicLibrary.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <cstdlib>
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
  // The GPU pipeline serializes kernels (NVVM) and translates the host's
  // gpu.binary and launches.
  registerAllGPUToLLVMIRTranslations(registry);
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
// Compilation
//===----------------------------------------------------------------------===//

JitFunction::~JitFunction() = default;

/// Where trop's CUDA runtime is: $TROP_CUDA_RUNTIME, else the build's.
static std::string getCudaRuntimePath() {
  if (const char *path = getenv("TROP_CUDA_RUNTIME"); path && *path)
    return path;
  return TROP_CUDA_RUNTIME_PATH;
}

llvm::Error JitFunction::loadCudaRuntime(const std::string &path) {
  std::string error;
  // The same handle the JIT's symbol resolution gets: one runtime state.
  auto library =
      llvm::sys::DynamicLibrary::getPermanentLibrary(path.c_str(), &error);
  if (!library.isValid())
    return llvm::createStringError("cannot load trop's CUDA runtime " + path +
                                   ": " + error);
  auto available = reinterpret_cast<bool (*)()>(
      library.getAddressOfSymbol("tropCudaAvailable"));
  CudaRuntime runtime;
  runtime.lastError = reinterpret_cast<const char *(*)()>(
      library.getAddressOfSymbol("tropCudaLastError"));
  runtime.clearError = reinterpret_cast<void (*)()>(
      library.getAddressOfSymbol("tropCudaClearError"));
  runtime.timeKernels = reinterpret_cast<void (*)(bool)>(
      library.getAddressOfSymbol("tropCudaTimeKernels"));
  runtime.takeKernelMs = reinterpret_cast<double (*)()>(
      library.getAddressOfSymbol("tropCudaTakeKernelMs"));
  if (!available || !runtime.lastError || !runtime.clearError ||
      !runtime.timeKernels || !runtime.takeKernelMs)
    return llvm::createStringError(path + " is not trop's CUDA runtime");
  if (!available())
    return llvm::createStringError(runtime.lastError());
  runtime.loaded = true;
  cudaRuntime = runtime;
  return llvm::Error::success();
}

llvm::Error JitFunction::createEngine(ModuleOp lowered,
                                      const JitCompileOptions &options) {
  initializeHostTarget();
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
  // GPU pipelines: no driver or no device is the first thing to report.
  const NamedJitPipeline *named = lookupNamedJitPipeline(options.pipelineName);
  JitCompileOptions gpuOptions;
  const JitCompileOptions *engineOptions = &options;
  if (named && named->usesCudaRuntime) {
    std::string runtimePath = getCudaRuntimePath();
    if (llvm::Error err = result->loadCudaRuntime(runtimePath))
      return llvm::createStringError("--pipeline " + named->name + ": " +
                                     llvm::toString(std::move(err)));
    gpuOptions = options;
    gpuOptions.sharedLibPaths.push_back(runtimePath);
    engineOptions = &gpuOptions;
  }
  llvm::Expected<EntrySignature> signature = describeEntry(*func);
  if (!signature)
    return signature.takeError();
  result->inputs = signature->inputs;
  result->outputs = signature->outputs;
  result->numResults = signature->numResults;
  result->returnsResults = signature->returnsResults;
  // Results of dynamic size are returned by the callee in memory it
  // allocates; on the GPU pipeline that would be device memory, which the
  // host-buffer convention does not hand back yet.
  if (result->returnsResults && named && named->usesCudaRuntime)
    return llvm::createStringError(
        "--pipeline " + named->name + ": '@" + entry +
        "' has a result of dynamic size, which the GPU pipeline does not "
        "support yet; give the result a static shape or use the cpu pipeline");
  result->dimGroups = signature->dimGroups;
  result->numUpdates = signature->numUpdates;
  llvm::Expected<OwningOpRef<ModuleOp>> lowered =
      lowerEntry(module, entry, options.pipeline, options.pipelineName,
                 options.pipelineOptions, *signature);
  if (!lowered)
    return lowered.takeError();
  if (options.loweredModuleCallback)
    options.loweredModuleCallback(**lowered);
  if (result->cudaRuntime.loaded)
    result->cudaRuntime.clearError();
  if (llvm::Error err = result->createEngine(**lowered, *engineOptions))
    return std::move(err);
  // The engine's constructors loaded the kernels (mgpuModuleLoadJIT).
  if (result->cudaRuntime.loaded && *result->cudaRuntime.lastError())
    return llvm::createStringError("cannot load the GPU kernels of '@" +
                                   result->name +
                                   "': " + result->cudaRuntime.lastError());
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
  if (array.getElementKind() == info.kind && info.accepts(array.getShape()))
    return llvm::Error::success();
  return llvm::createStringError(
      "argument " + llvm::Twine(index) + " expects " + info.type + " but " +
      source + " holds " + getNumpyTypeName(array.getElementKind()) +
      " array of shape " + formatNumpyShape(array.getShape()));
}

llvm::Error JitFunction::checkInputs(
    llvm::ArrayRef<HostArray> arrays,
    llvm::function_ref<std::string(unsigned)> source) const {
  if (arrays.size() != inputs.size())
    return llvm::createStringError(
        "'@" + name + "' takes " + llvm::Twine(inputs.size()) +
        " argument(s) but " + llvm::Twine(arrays.size()) + " were given");
  auto defaultSource = [](unsigned index) {
    return "input " + std::to_string(index);
  };
  if (!source)
    source = defaultSource;
  for (auto [index, array] : llvm::enumerate(arrays))
    if (llvm::Error err = checkInput(index, array, source(index)))
      return err;
  if (dimGroups.empty())
    return llvm::Error::success();
  EntrySignature signature;
  signature.inputs = inputs;
  signature.dimGroups = dimGroups;
  llvm::SmallVector<llvm::ArrayRef<int64_t>> shapes;
  for (const HostArray &array : arrays)
    shapes.push_back(array.getShape());
  return checkArgumentShapes(signature, shapes, source);
}

bool JitFunction::hasDynamicShapes() const {
  auto isDynamic = [](const ArrayInfo &info) { return !info.hasStaticShape(); };
  return llvm::any_of(inputs, isDynamic) || llvm::any_of(outputs, isDynamic);
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
  /// Where a function that returns its results stores their descriptors,
  /// one after another (every field is a word); empty otherwise.
  std::vector<int64_t> returned;

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
    if (!returned.empty())
      descriptorAddresses.push_back(returned.data());
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
  if (returnsResults) {
    size_t words = 0;
    for (unsigned i = 0; i < numResults; ++i)
      words += 3 + 2 * outputs[i].shape.size();
    frame.returned.assign(words, 0);
    return frame;
  }
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

/// Copies `rank` sizes and strides' worth of the strided buffer at `source`
/// into the row-major `target`.
static void copyStrided(const uint8_t *source, llvm::ArrayRef<int64_t> sizes,
                        llvm::ArrayRef<int64_t> strides, size_t elementBytes,
                        uint8_t *&target) {
  if (sizes.empty()) {
    std::memcpy(target, source, elementBytes);
    target += elementBytes;
    return;
  }
  if (sizes.size() == 1 && strides[0] == 1) {
    std::memcpy(target, source, sizes[0] * elementBytes);
    target += sizes[0] * elementBytes;
    return;
  }
  for (int64_t i = 0; i < sizes[0]; ++i)
    copyStrided(source + i * strides[0] * elementBytes, sizes.drop_front(),
                strides.drop_front(), elementBytes, target);
}

llvm::Expected<llvm::SmallVector<HostArray>>
JitFunction::takeReturnedResults(CallFrame &frame, bool copy) const {
  llvm::SmallVector<HostArray> results;
  llvm::SmallVector<void *> owned;
  std::optional<std::string> failure;
  const int64_t *words = frame.returned.data();
  for (unsigned i = 0; i < numResults; ++i) {
    const ArrayInfo &info = outputs[i];
    size_t rank = info.shape.size();
    auto *allocated = reinterpret_cast<void *>(words[0]);
    auto *aligned = reinterpret_cast<const uint8_t *>(words[1]);
    llvm::ArrayRef<int64_t> sizes(words + 3, rank),
        strides(words + 3 + rank, rank);
    size_t elementBytes = getElementByteWidth(info.kind);
    // A buffer returned twice is freed once; one of the call's own (never
    // expected: the deallocation pipeline clones arguments it returns) is
    // left to its HostArray.
    bool isArgument = llvm::any_of(frame.buffers, [&](const HostArray &a) {
      return a.getData() == allocated;
    });
    if (!isArgument && !llvm::is_contained(owned, allocated))
      owned.push_back(allocated);
    if (copy && !failure) {
      llvm::Expected<HostArray> array = HostArray::create(info.kind, sizes);
      if (!array) {
        failure = "result " + std::to_string(i) + ": " +
                  llvm::toString(array.takeError());
      } else {
        auto *target = static_cast<uint8_t *>(array->getData());
        if (array->getNumElements() != 0)
          copyStrided(aligned + words[2] * elementBytes, sizes, strides,
                      elementBytes, target);
        results.push_back(std::move(*array));
      }
    }
    words += 3 + 2 * rank;
  }
  // The caller owns returned buffers (ownership-based deallocation clones
  // any that it does not own, arguments included); the JIT-compiled code
  // allocates them with this process's malloc.
  for (void *buffer : owned)
    std::free(buffer);
  if (failure)
    return llvm::createStringError(*failure);
  return results;
}

llvm::Error JitFunction::call(void **arguments) const {
  if (!cudaRuntime.loaded) {
    packedEntry(arguments);
    return llvm::Error::success();
  }
  cudaRuntime.clearError();
  packedEntry(arguments);
  if (const char *error = cudaRuntime.lastError(); *error)
    return llvm::createStringError("the GPU call of '@" + name +
                                   "' failed: " + error);
  return llvm::Error::success();
}

llvm::Expected<llvm::SmallVector<HostArray>>
JitFunction::run(llvm::ArrayRef<HostArray> arguments) const {
  llvm::Expected<CallFrame> frame = prepareCall(arguments);
  if (!frame)
    return frame.takeError();
  if (llvm::Error err = call(frame->pack()))
    return std::move(err);
  llvm::SmallVector<HostArray> results;
  if (returnsResults)
    return takeReturnedResults(*frame);
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
JitFunction::benchmark(llvm::ArrayRef<HostArray> arguments, unsigned runs,
                       std::vector<double> *kernelSeconds) const {
  if (runs > kMaxBenchmarkRuns)
    return llvm::createStringError("cannot time more than " +
                                   llvm::Twine(kMaxBenchmarkRuns) +
                                   " calls, not " + llvm::Twine(runs));
  llvm::Expected<CallFrame> frame = prepareCall(arguments);
  if (!frame)
    return frame.takeError();
  void **packed = frame->pack();
  // Returned results are freed after each call, outside the timing.
  auto release = [&]() -> llvm::Error {
    if (!returnsResults)
      return llvm::Error::success();
    llvm::Expected<llvm::SmallVector<HostArray>> results =
        takeReturnedResults(*frame, /*copy=*/false);
    return results ? llvm::Error::success() : results.takeError();
  };
  if (llvm::Error err = call(packed))
    return std::move(err);
  if (llvm::Error err = release())
    return std::move(err);
  bool timeKernels = kernelSeconds && cudaRuntime.loaded;
  if (timeKernels) {
    kernelSeconds->clear();
    cudaRuntime.timeKernels(true);
  }
  std::vector<double> seconds;
  seconds.reserve(runs);
  for (unsigned i = 0; i < runs; ++i) {
    auto start = std::chrono::steady_clock::now();
    llvm::Error err = call(packed);
    auto stop = std::chrono::steady_clock::now();
    double ms = timeKernels ? cudaRuntime.takeKernelMs() : 0;
    if (!err && ms < 0)
      err = llvm::createStringError(llvm::Twine("timing the kernels failed: ") +
                                    cudaRuntime.lastError());
    if (err) {
      if (timeKernels)
        cudaRuntime.timeKernels(false);
      return std::move(err);
    }
    seconds.push_back(std::chrono::duration<double>(stop - start).count());
    if (timeKernels)
      kernelSeconds->push_back(ms / 1e3);
    if (llvm::Error err = release()) {
      if (timeKernels)
        cudaRuntime.timeKernels(false);
      return std::move(err);
    }
  }
  if (timeKernels)
    cudaRuntime.timeKernels(false);
  return seconds;
}
