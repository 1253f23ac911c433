//===- Runner.cpp - JIT-compile and run trop functions from C -------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The C face of JitFunction (trop/ExecutionEngine/JitRunner.h). Every entry
// point converts C++ failures (llvm::Error, MLIR diagnostics) into a
// malloc'ed message: a host process, the Python interpreter in particular,
// must never see output on its terminal or an abort because its input was
// wrong.
//
//===----------------------------------------------------------------------===//

#include "trop-c/Runner.h"
#include "trop-c/Passes.h"
#include "trop/ExecutionEngine/ArrayFormat.h"
#include "trop/ExecutionEngine/HostArray.h"
#include "trop/ExecutionEngine/JitRunner.h"
#include "trop/ExecutionEngine/NpyIO.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::trop;

struct TropJitFunction {
  std::unique_ptr<JitFunction> function;
  /// Own copy, so that tropJitGetName can hand out a NUL-terminated string.
  std::string name;
  /// The shapes of the inputs and outputs as the C API reads them: a
  /// dynamic size is -1.
  std::vector<std::vector<int64_t>> inputShapes, outputShapes;
};

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// A malloc'ed copy of `text` (null when out of memory).
static char *copyString(llvm::StringRef text) {
  auto *copy = static_cast<char *>(std::malloc(text.size() + 1));
  if (copy) {
    std::memcpy(copy, text.data(), text.size());
    copy[text.size()] = '\0';
  }
  return copy;
}

/// Stores a malloc'ed copy of `message` in `*error` (when the caller wants
/// it). malloc rather than new: the caller frees it with tropFreeString, or
/// with free() from another language runtime.
static void setError(char **error, const llvm::Twine &message) {
  if (!error)
    return;
  *error = copyString(message.str());
}

static void clearError(char **error) {
  if (error)
    *error = nullptr;
}

/// Joins a summary and the diagnostics that led to it.
static std::string withDiagnostics(const llvm::Twine &summary,
                                   llvm::StringRef diagnostics) {
  std::string text = summary.str();
  diagnostics = diagnostics.trim();
  if (!diagnostics.empty())
    text += "\n" + diagnostics.str();
  return text;
}

/// Everything parsing and lowering a trop module may need, built once: the
/// registry is copied into each compilation's context.
static const DialectRegistry &getJitRegistry() {
  // Leaked on purpose: compilations may still run on other threads while
  // static destructors run at exit.
  static const DialectRegistry *registry = [] {
    auto *result = new DialectRegistry();
    registerJitDialects(*result);
    return result;
  }();
  return *registry;
}

/// Textual pipelines name passes through the global registry; named ones
/// build their passes directly and do not need it. Once, under a guard of
/// its own although trop's registration guards itself: upstream's
/// registerAllPasses registers pipelines too (twice fails an assertion), and
/// compilations on several threads must not fill the registry at once.
static void registerPassesForTextualPipelines() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerAllPasses();
    mlirTropRegisterAllPasses();
  });
}

/// A module parsed from the caller's text in a context of its own (which
/// keeps calls independent and thread-safe; without a thread pool, which the
/// few functions of a module do not repay). Every diagnostic, with its
/// source line, goes into `diagnostics` rather than to stderr. `module` is
/// null when the text does not parse.
namespace {
struct CapturedModule {
  CapturedModule(const char *source, size_t length)
      : context(getJitRegistry(), MLIRContext::Threading::DISABLED),
        diagnosticStream(diagnostics),
        handler(sourceMgr, &context, diagnosticStream) {
    sourceMgr.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(
            llvm::StringRef(source ? source : "", length), "<source>"),
        llvm::SMLoc());
    module = parseJitModule(sourceMgr, &context);
  }

  MLIRContext context;
  std::string diagnostics;
  llvm::raw_string_ostream diagnosticStream;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler handler;
  OwningOpRef<ModuleOp> module;
};
} // namespace

static TropElementType toCElementType(ElementKind kind) {
  switch (kind) {
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, IsFloat, NpyDescr, NumpyName,     \
                          CEnum, ...)                                          \
  case ElementKind::Kind:                                                      \
    return CEnum;
#include "trop/ExecutionEngine/ElementKinds.def"
  }
  llvm_unreachable("unknown element kind");
}

static std::optional<ElementKind> toElementKind(int elementType) {
  switch (elementType) {
#define TROP_ELEMENT_KIND(Kind, Name, Bytes, IsFloat, NpyDescr, NumpyName,     \
                          CEnum, ...)                                          \
  case CEnum:                                                                  \
    return ElementKind::Kind;
#include "trop/ExecutionEngine/ElementKinds.def"
  default:
    return std::nullopt;
  }
}

/// NpyIO's descriptors are string literals, so NUL-terminated and static.
static const char *getDtype(ElementKind kind) {
  return getNpyDescr(kind).data();
}

/// Element `index` of `arrays`, or null when it is out of range.
static const ArrayInfo *getAt(llvm::ArrayRef<ArrayInfo> arrays,
                              intptr_t index) {
  if (index < 0 || static_cast<size_t>(index) >= arrays.size())
    return nullptr;
  return &arrays[index];
}

static const ArrayInfo *getInput(const TropJitFunction *function,
                                 intptr_t index) {
  return function ? getAt(function->function->getInputs(), index) : nullptr;
}

static const ArrayInfo *getOutput(const TropJitFunction *function,
                                  intptr_t index) {
  return function ? getAt(function->function->getOutputs(), index) : nullptr;
}

static int64_t getSizeInBytes(const ArrayInfo *info) {
  if (!info || !info->hasStaticShape())
    return -1;
  int64_t elements = 1;
  for (int64_t size : info->shape)
    elements *= size;
  return elements * static_cast<int64_t>(getElementByteWidth(info->kind));
}

/// Copies the caller's input buffers into HostArrays, the runner's currency:
/// of the declared shapes, or of `shapes[i]` where given (`shapes` itself
/// may be NULL), which must give every dynamic size.
static llvm::Expected<llvm::SmallVector<HostArray>>
copyInputs(const TropJitFunction *function, const void *const *inputs,
           const int64_t *const *shapes = nullptr) {
  llvm::ArrayRef<ArrayInfo> infos = function->function->getInputs();
  if (!inputs && !infos.empty())
    return llvm::createStringError("'@" + function->name + "' takes " +
                                   llvm::Twine(infos.size()) +
                                   " input(s) but `inputs` is NULL");
  llvm::SmallVector<HostArray> arrays;
  for (auto [index, info] : llvm::enumerate(infos)) {
    llvm::ArrayRef<int64_t> shape = info.shape;
    if (shapes && shapes[index])
      shape = llvm::ArrayRef<int64_t>(shapes[index], info.shape.size());
    else if (!info.hasStaticShape())
      return llvm::createStringError(
          "input " + llvm::Twine(index) + " (" + info.type +
          ") has a dynamic size: pass its shape (tropJitInvokeShaped)");
    if (!info.accepts(shape) ||
        llvm::any_of(shape, [](int64_t size) { return size < 0; }))
      return llvm::createStringError(
          "input " + llvm::Twine(index) + " expects " + info.type +
          " but its shape is " + formatNumpyShape(shape));
    llvm::Expected<HostArray> array = HostArray::create(info.kind, shape);
    if (!array)
      return llvm::createStringError("input " + llvm::Twine(index) + ": " +
                                     llvm::toString(array.takeError()));
    if (array->getSizeInBytes() != 0) {
      if (!inputs[index])
        return llvm::createStringError("input " + llvm::Twine(index) + " (" +
                                       info.type + ") is NULL");
      std::memcpy(array->getData(), inputs[index], array->getSizeInBytes());
    }
    arrays.push_back(std::move(*array));
  }
  return arrays;
}

/// copyInputs, or null with the error in `*error`, prefixed with `what`.
static std::optional<llvm::SmallVector<HostArray>>
takeInputs(const TropJitFunction *function, const void *const *inputs,
           const int64_t *const *shapes, llvm::StringRef what, char **error) {
  llvm::Expected<llvm::SmallVector<HostArray>> arrays =
      copyInputs(function, inputs, shapes);
  if (!arrays) {
    setError(error, what + ": " + llvm::toString(arrays.takeError()));
    return std::nullopt;
  }
  return std::move(*arrays);
}

/// Calls `function` on copies of `inputs` (see copyInputs); null with the
/// error in `*error`, prefixed with `what`, on failure.
static std::optional<llvm::SmallVector<HostArray>>
callFunction(const TropJitFunction *function, const void *const *inputs,
             const int64_t *const *shapes, llvm::StringRef what, char **error) {
  std::optional<llvm::SmallVector<HostArray>> arguments =
      takeInputs(function, inputs, shapes, what, error);
  if (!arguments)
    return std::nullopt;
  llvm::Expected<llvm::SmallVector<HostArray>> results =
      function->function->run(*arguments);
  if (!results) {
    setError(error, what + ": " + llvm::toString(results.takeError()));
    return std::nullopt;
  }
  return std::move(*results);
}

//===----------------------------------------------------------------------===//
// Compilation
//===----------------------------------------------------------------------===//

TropJitFunction *tropJitCompile(const char *source, size_t length,
                                const char *entry, const char *pipeline,
                                int nanMode, int64_t threads, char **error) {
  clearError(error);
  if (!source && length != 0) {
    setError(error, "tropJitCompile: `source` is NULL");
    return nullptr;
  }
  if (!entry || !*entry) {
    setError(error, "tropJitCompile: no entry function given");
    return nullptr;
  }
  if (nanMode < TROP_NAN_MODE_DEFAULT || nanMode > TROP_NAN_MODE_ASSUME_NONE) {
    setError(error, "tropJitCompile: `nanMode` must be -1 (the pipeline's "
                    "default), 0 (propagate) or 1 (assume-none), not " +
                        llvm::Twine(nanMode));
    return nullptr;
  }
  if (threads < 0 || threads > TROP_MAX_THREADS) {
    setError(error, "tropJitCompile: `threads` must be between 0 and " +
                        llvm::Twine(TROP_MAX_THREADS) + ", not " +
                        llvm::Twine(threads));
    return nullptr;
  }

  llvm::StringRef spec = pipeline && *pipeline ? pipeline : "reference";
  if (!lookupNamedJitPipeline(spec))
    registerPassesForTextualPipelines();
  llvm::Expected<JitPipelineBuilder> builder = resolveJitPipeline(spec);
  if (!builder) {
    setError(error, llvm::toString(builder.takeError()));
    return nullptr;
  }

  // The compiled function needs nothing from the context afterwards.
  CapturedModule parsed(source, length);
  if (!parsed.module) {
    setError(error,
             withDiagnostics("cannot parse the module", parsed.diagnostics));
    return nullptr;
  }

  JitCompileOptions options;
  options.pipeline = std::move(*builder);
  options.pipelineName = spec.str();
  if (nanMode == TROP_NAN_MODE_PROPAGATE)
    options.pipelineOptions.nanMode = NaNMode::Propagate;
  else if (nanMode == TROP_NAN_MODE_ASSUME_NONE)
    options.pipelineOptions.nanMode = NaNMode::AssumeNone;
  options.pipelineOptions.threads = threads;
  llvm::Expected<std::unique_ptr<JitFunction>> function =
      JitFunction::compile(*parsed.module, entry, options);
  if (!function) {
    setError(error, withDiagnostics(llvm::toString(function.takeError()),
                                    parsed.diagnostics));
    return nullptr;
  }
  auto cShapes = [](llvm::ArrayRef<ArrayInfo> infos) {
    std::vector<std::vector<int64_t>> shapes;
    for (const ArrayInfo &info : infos) {
      shapes.emplace_back(info.shape.begin(), info.shape.end());
      for (int64_t &size : shapes.back())
        if (size == ShapedType::kDynamic)
          size = -1;
    }
    return shapes;
  };
  auto *result = new TropJitFunction{std::move(*function), entry, {}, {}};
  result->inputShapes = cShapes(result->function->getInputs());
  result->outputShapes = cShapes(result->function->getOutputs());
  return result;
}

//===----------------------------------------------------------------------===//
// Pass pipelines (trop-c/Passes.h): here, for the parsing guards, registry
// and diagnostic capture that compilation uses too.
//===----------------------------------------------------------------------===//

char *tropRunPassPipeline(const char *source, size_t length,
                          const char *pipeline, char **diagnostics,
                          char **error) {
  clearError(error);
  if (diagnostics)
    *diagnostics = nullptr;
  if (!source && length != 0) {
    setError(error, "tropRunPassPipeline: `source` is NULL");
    return nullptr;
  }
  llvm::StringRef spec = pipeline ? llvm::StringRef(pipeline).trim() : "";
  if (spec.empty()) {
    setError(error, "tropRunPassPipeline: no pass pipeline given");
    return nullptr;
  }
  registerPassesForTextualPipelines();
  // The pass manager is anchored on the module already: parsing
  // "builtin.module(...)" into it would nest a second one, which runs on
  // nested modules only.
  llvm::StringRef passes = spec;
  if (passes.consume_front("builtin.module(") && passes.ends_with(")"))
    passes = passes.drop_back();
  else
    passes = spec;

  CapturedModule parsed(source, length);
  if (!parsed.module) {
    setError(error,
             withDiagnostics("cannot parse the module", parsed.diagnostics));
    return nullptr;
  }
  // The parser does not verify (see parseJitModule); passes expect valid IR.
  if (failed(verify(*parsed.module))) {
    setError(error,
             withDiagnostics("the module does not verify", parsed.diagnostics));
    return nullptr;
  }

  PassManager pm(&parsed.context);
  std::string pipelineErrors;
  llvm::raw_string_ostream pipelineStream(pipelineErrors);
  if (failed(parsePassPipeline(passes, pm, pipelineStream))) {
    setError(error,
             withDiagnostics("cannot parse the pass pipeline '" + spec + "'",
                             pipelineErrors));
    return nullptr;
  }
  if (failed(pm.run(*parsed.module))) {
    setError(error, withDiagnostics("the pass pipeline '" + spec + "' failed",
                                    parsed.diagnostics));
    return nullptr;
  }
  std::string text;
  llvm::raw_string_ostream textStream(text);
  parsed.module->print(textStream);
  char *result = copyString(text);
  if (!result) {
    setError(error, "tropRunPassPipeline: out of memory");
    return nullptr;
  }
  if (diagnostics)
    *diagnostics = copyString(llvm::StringRef(parsed.diagnostics).trim());
  return result;
}

void tropJitDestroy(TropJitFunction *function) { delete function; }

void tropFreeString(char *string) { std::free(string); }

//===----------------------------------------------------------------------===//
// Signature
//===----------------------------------------------------------------------===//

const char *tropJitGetName(const TropJitFunction *function) {
  return function ? function->name.c_str() : nullptr;
}

intptr_t tropJitGetNumInputs(const TropJitFunction *function) {
  return function ? function->function->getInputs().size() : -1;
}

intptr_t tropJitGetNumOutputs(const TropJitFunction *function) {
  return function ? function->function->getOutputs().size() : -1;
}

// What the C API tells about an input or an output, one describer per
// fact: each takes the ArrayInfo (null when the index is out of range) and
// returns what the C function returns.

static int describeElementType(const ArrayInfo *info) {
  return info ? toCElementType(info->kind) : -1;
}

static const char *describeDtype(const ArrayInfo *info) {
  return info ? getDtype(info->kind) : nullptr;
}

static intptr_t describeRank(const ArrayInfo *info) {
  return info ? static_cast<intptr_t>(info->shape.size()) : -1;
}

static const char *describeTypeString(const ArrayInfo *info) {
  return info ? info->type.c_str() : nullptr;
}

/// Defines tropJitGetInput<Fact> and tropJitGetOutput<Fact>.
#define TROP_JIT_DEFINE_ARRAY_GETTERS(ReturnType, Fact, describe)              \
  ReturnType tropJitGetInput##Fact(const TropJitFunction *function,            \
                                   intptr_t index) {                           \
    return describe(getInput(function, index));                                \
  }                                                                            \
  ReturnType tropJitGetOutput##Fact(const TropJitFunction *function,           \
                                    intptr_t index) {                          \
    return describe(getOutput(function, index));                               \
  }

TROP_JIT_DEFINE_ARRAY_GETTERS(int, ElementType, describeElementType)
TROP_JIT_DEFINE_ARRAY_GETTERS(const char *, Dtype, describeDtype)
TROP_JIT_DEFINE_ARRAY_GETTERS(intptr_t, Rank, describeRank)
TROP_JIT_DEFINE_ARRAY_GETTERS(int64_t, SizeInBytes, getSizeInBytes)
TROP_JIT_DEFINE_ARRAY_GETTERS(const char *, TypeString, describeTypeString)

#undef TROP_JIT_DEFINE_ARRAY_GETTERS

/// The C shape `index` of `shapes`, or null when out of range.
static const int64_t *getCShape(const std::vector<std::vector<int64_t>> &shapes,
                                intptr_t index) {
  if (index < 0 || static_cast<size_t>(index) >= shapes.size())
    return nullptr;
  return shapes[index].data();
}

const int64_t *tropJitGetInputShape(const TropJitFunction *function,
                                    intptr_t index) {
  return function ? getCShape(function->inputShapes, index) : nullptr;
}

const int64_t *tropJitGetOutputShape(const TropJitFunction *function,
                                     intptr_t index) {
  return function ? getCShape(function->outputShapes, index) : nullptr;
}

int tropJitHasDynamicShapes(const TropJitFunction *function) {
  return function && function->function->hasDynamicShapes();
}

intptr_t tropJitGetOutputArgumentIndex(const TropJitFunction *function,
                                       intptr_t index) {
  const ArrayInfo *info = getOutput(function, index);
  if (!info || !info->argumentIndex)
    return -1;
  return *info->argumentIndex;
}

int64_t tropJitGetNumUpdates(const TropJitFunction *function) {
  if (!function)
    return -1;
  return function->function->getNumUpdates().value_or(-1);
}

//===----------------------------------------------------------------------===//
// Calls
//===----------------------------------------------------------------------===//

int tropJitInvoke(const TropJitFunction *function, const void *const *inputs,
                  void *const *outputs, char **error) {
  clearError(error);
  if (!function) {
    setError(error, "tropJitInvoke: `function` is NULL");
    return 1;
  }
  // Check the output buffers before running, so that a bad call costs
  // nothing.
  llvm::ArrayRef<ArrayInfo> outputInfos = function->function->getOutputs();
  for (auto [index, info] : llvm::enumerate(outputInfos)) {
    if (!info.hasStaticShape()) {
      setError(error, "tropJitInvoke: output " + llvm::Twine(index) + " (" +
                          info.type + ") of '@" + function->name +
                          "' has a dynamic size, which the caller cannot "
                          "allocate: call tropJitInvokeShaped");
      return 1;
    }
    if (getSizeInBytes(&info) == 0)
      continue;
    if (!outputs || !outputs[index]) {
      setError(error, "tropJitInvoke: output " + llvm::Twine(index) + " (" +
                          info.type + ") of '@" + function->name +
                          "' has no buffer");
      return 1;
    }
  }
  std::optional<llvm::SmallVector<HostArray>> results =
      callFunction(function, inputs, nullptr, "tropJitInvoke", error);
  if (!results)
    return 1;
  for (auto [index, result] : llvm::enumerate(*results))
    if (result.getSizeInBytes() != 0)
      std::memcpy(outputs[index], result.getData(), result.getSizeInBytes());
  return 0;
}

int tropJitInvokeShaped(const TropJitFunction *function,
                        const void *const *inputs,
                        const int64_t *const *inputShapes, void **outputs,
                        int64_t *const *outputShapes, char **error) {
  clearError(error);
  if (!function) {
    setError(error, "tropJitInvokeShaped: `function` is NULL");
    return 1;
  }
  llvm::ArrayRef<ArrayInfo> outputInfos = function->function->getOutputs();
  if (!outputInfos.empty() && (!outputs || !outputShapes)) {
    setError(error, "tropJitInvokeShaped: `outputs` and `outputShapes` "
                    "must not be NULL");
    return 1;
  }
  for (auto [index, info] : llvm::enumerate(outputInfos)) {
    outputs[index] = nullptr;
    if (!info.shape.empty() && !outputShapes[index]) {
      setError(error, "tropJitInvokeShaped: output " + llvm::Twine(index) +
                          " has rank " + llvm::Twine(info.shape.size()) +
                          " but outputShapes[" + llvm::Twine(index) +
                          "] is NULL");
      return 1;
    }
  }
  std::optional<llvm::SmallVector<HostArray>> results =
      callFunction(function, inputs, inputShapes, "tropJitInvokeShaped", error);
  if (!results)
    return 1;
  for (auto [index, result] : llvm::enumerate(*results)) {
    // At least one byte, so that an empty output is not NULL.
    void *buffer = std::malloc(std::max<size_t>(result.getSizeInBytes(), 1));
    if (!buffer) {
      for (unsigned i = 0; i < index; ++i) {
        std::free(outputs[i]);
        outputs[i] = nullptr;
      }
      setError(error, "tropJitInvokeShaped: out of memory for output " +
                          llvm::Twine(index));
      return 1;
    }
    std::memcpy(buffer, result.getData(), result.getSizeInBytes());
    outputs[index] = buffer;
    llvm::copy(result.getShape(), outputShapes[index]);
  }
  return 0;
}

void tropFreeBuffer(void *buffer) { std::free(buffer); }

static_assert(TROP_MAX_THREADS == kMaxJitThreads &&
                  TROP_MAX_BENCHMARK_RUNS == kMaxBenchmarkRuns,
              "the C API's limits are the runner's");

int tropJitBenchmark(const TropJitFunction *function, const void *const *inputs,
                     int64_t runs, double *seconds, char **error) {
  return tropJitBenchmarkShaped(function, inputs, nullptr, runs, seconds,
                                error);
}

int tropJitBenchmarkShaped(const TropJitFunction *function,
                           const void *const *inputs,
                           const int64_t *const *inputShapes, int64_t runs,
                           double *seconds, char **error) {
  clearError(error);
  if (!function) {
    setError(error, "tropJitBenchmark: `function` is NULL");
    return 1;
  }
  if (runs < 0 || runs > TROP_MAX_BENCHMARK_RUNS) {
    setError(error, "tropJitBenchmark: `runs` must be between 0 and " +
                        llvm::Twine(TROP_MAX_BENCHMARK_RUNS) + ", not " +
                        llvm::Twine(runs));
    return 1;
  }
  if (runs > 0 && !seconds) {
    setError(error, "tropJitBenchmark: `seconds` is NULL");
    return 1;
  }
  std::optional<llvm::SmallVector<HostArray>> arguments =
      takeInputs(function, inputs, inputShapes, "tropJitBenchmark", error);
  if (!arguments)
    return 1;
  llvm::Expected<std::vector<double>> times =
      function->function->benchmark(*arguments, static_cast<unsigned>(runs));
  if (!times) {
    setError(error, "tropJitBenchmark: " + llvm::toString(times.takeError()));
    return 1;
  }
  std::copy(times->begin(), times->end(), seconds);
  return 0;
}

//===----------------------------------------------------------------------===//
// Element types
//===----------------------------------------------------------------------===//

const char *tropElementTypeGetDtype(int elementType) {
  std::optional<ElementKind> kind = toElementKind(elementType);
  return kind ? getDtype(*kind) : nullptr;
}

const char *tropElementTypeGetName(int elementType) {
  std::optional<ElementKind> kind = toElementKind(elementType);
  // getElementKindName returns StringRefs of string literals.
  return kind ? getElementKindName(*kind).data() : nullptr;
}

int tropElementTypeGetByteWidth(int elementType) {
  std::optional<ElementKind> kind = toElementKind(elementType);
  return kind ? static_cast<int>(getElementByteWidth(*kind)) : -1;
}
