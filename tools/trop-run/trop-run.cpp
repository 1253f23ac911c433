//===- trop-run.cpp - JIT-compile and run a function of a trop module -----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Command-line front end of the JIT runner library (JitRunner.h): parses the
// module, reads or draws the inputs, runs the entry and prints, writes,
// checks or benchmarks its outputs. Everything reusable lives in the library.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/ArrayCompare.h"
#include "trop/ExecutionEngine/ArrayFormat.h"
#include "trop/ExecutionEngine/HostArray.h"
#include "trop/ExecutionEngine/JitRunner.h"
#include "trop/ExecutionEngine/NpyIO.h"
#include "trop/ExecutionEngine/RandomFill.h"
#include "trop/InitAll.h"
#include "trop/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <limits>
#include <string>

#include <unistd.h>

using namespace mlir;
using namespace mlir::trop;

static llvm::cl::OptionCategory runCategory("trop-run options");

static llvm::cl::opt<std::string>
    inputFilename(llvm::cl::Positional,
                  llvm::cl::desc("<module.mlir> (default: standard input)"),
                  llvm::cl::init("-"), llvm::cl::cat(runCategory));

static llvm::cl::opt<std::string>
    entryName("entry", llvm::cl::desc("The function to run (required)"),
              llvm::cl::value_desc("name"), llvm::cl::cat(runCategory));

static llvm::cl::list<std::string> inputFiles(
    "input",
    llvm::cl::desc("A .npy file holding the next argument of the entry; give "
                   "one per argument, in order"),
    llvm::cl::value_desc("file.npy"), llvm::cl::cat(runCategory));

static llvm::cl::opt<bool> randomInputs(
    "random-inputs",
    llvm::cl::desc("Draw every argument from a deterministic PRNG (splitmix64, "
                   "seeded by --seed, arguments filled in order, elements in "
                   "row-major order): floats uniform in [-10, 10), integers "
                   "uniform in [-100, 100] clamped to the type's range, i1 "
                   "0 or 1"),
    llvm::cl::cat(runCategory));

static llvm::cl::opt<uint64_t>
    seed("seed", llvm::cl::desc("Seed of --random-inputs (default 0)"),
         llvm::cl::init(0), llvm::cl::cat(runCategory));

static llvm::cl::opt<double> randomMin(
    "random-min",
    llvm::cl::desc("Lower bound of --random-inputs (inclusive; integers take "
                   "its ceiling)"),
    llvm::cl::cat(runCategory));

static llvm::cl::opt<double> randomMax(
    "random-max",
    llvm::cl::desc("Upper bound of --random-inputs (exclusive for floats; "
                   "inclusive floor for integers)"),
    llvm::cl::cat(runCategory));

static llvm::cl::list<std::string> argumentShapes(
    "shape",
    llvm::cl::desc("With --random-inputs: the shape of argument INDEX, e.g. "
                   "'0=64x512' (repeat for several arguments); it binds the "
                   "argument's dynamic sizes and must agree with its static "
                   "ones. A dynamic size the function's ops tie to a size "
                   "already given (the rows of a matmul's destination and "
                   "of its input) needs no --shape of its own"),
    llvm::cl::value_desc("INDEX=DxDx..."), llvm::cl::cat(runCategory));

static llvm::cl::opt<bool> printOutputs(
    "print",
    llvm::cl::desc("Print every output to standard output (format above)"),
    llvm::cl::cat(runCategory));

static llvm::cl::opt<std::string> outputPath(
    "output",
    llvm::cl::desc("Write the outputs as .npy files: a single output to the "
                   "given path, several to the path with .0, .1, ... "
                   "inserted before its .npy extension (appended if it has "
                   "none)"),
    llvm::cl::value_desc("path.npy"), llvm::cl::cat(runCategory));

static llvm::cl::opt<std::string> pipelineSpec(
    "pipeline",
    llvm::cl::desc("The lowering: a pipeline name (listed above) or a textual "
                   "pass pipeline on the module, e.g. "
                   "'builtin.module(trop-reference-pipeline{results-to-out-"
                   "params=1})', which must turn results into out-parameters "
                   "and ignores --nan-mode"),
    llvm::cl::value_desc("name|builtin.module(...)"),
    llvm::cl::init("reference"), llvm::cl::cat(runCategory));

static llvm::cl::opt<NaNMode> nanMode(
    "nan-mode",
    llvm::cl::desc("How float max/min treat NaN (named pipelines; default: "
                   "the pipeline's own, propagate for reference, assume-none "
                   "for cpu)"),
    nanModeValues(), llvm::cl::cat(runCategory));

static llvm::cl::opt<std::string> gpuChip(
    "gpu-chip",
    llvm::cl::desc("The GPU the gpu pipeline compiles for (sm_80, sm_90, "
                   "...; default sm_90). The PTX runs on devices of that "
                   "compute capability or newer"),
    llvm::cl::value_desc("sm_NN"), llvm::cl::init(""),
    llvm::cl::cat(runCategory));

static llvm::cl::opt<int64_t> numThreads(
    "num-threads",
    llvm::cl::desc("Threads per op for pipelines that parallelise (cpu), 0 "
                   "to 1024; 0: one per hardware thread"),
    llvm::cl::init(0), llvm::cl::cat(runCategory));

static llvm::cl::opt<unsigned> benchRuns(
    "bench",
    llvm::cl::desc("After one warm-up call, time N calls (1 to 1000000; "
                   "steady clock around "
                   "the call only) on one set of input copies and print "
                   "'bench: N runs, median X ms, min Y ms', followed by the "
                   "rate in G updates/s at the median when every trop op in "
                   "the entry's body has a static update count (ops in "
                   "called functions are not counted)"),
    llvm::cl::value_desc("N"), llvm::cl::init(0), llvm::cl::cat(runCategory));

static llvm::cl::opt<bool> checkOutputs(
    "check",
    llvm::cl::desc("Also compile the module with the reference pipeline "
                   "(default options), run both on fresh copies of the same "
                   "inputs and compare every output exactly (bitwise, except "
                   "that all NaNs are equal); print 'check: OK (N outputs, M "
                   "elements identical)' or report the first mismatch and "
                   "exit with 1"),
    llvm::cl::cat(runCategory));

static llvm::cl::list<std::string> sharedLibs(
    "shared-libs",
    llvm::cl::desc("Extra shared libraries to load into the JIT, besides "
                   "libmlir_c_runner_utils and libmlir_runner_utils"),
    llvm::cl::value_desc("lib1.so,lib2.so"), llvm::cl::CommaSeparated,
    llvm::cl::cat(runCategory));

static llvm::cl::opt<unsigned>
    optLevel("opt-level",
             llvm::cl::desc("LLVM optimisation level of the JIT, 0 to 3 "
                            "(default 3)"),
             llvm::cl::init(3), llvm::cl::cat(runCategory));

static llvm::cl::opt<bool> dumpLowered(
    "dump-lowered",
    llvm::cl::desc("Print the module after the pipeline (LLVM dialect) to "
                   "standard error"),
    llvm::cl::cat(runCategory));

static const char *const kOverview =
    R"(trop-run: JIT-compile a function of an MLIR module and run it

  trop-run FILE --entry NAME [--input a.npy ... | --random-inputs --seed N]
           [--print] [--output out.npy] [--check] [--bench N]

Arguments and results must be ranked tensors or identity-layout memrefs of
f16, bf16, f32, f64, i8, i16, i32, i64 or i1 (rank 0 included). The outputs
are the function's results or, if it has none, the memref arguments it may
write.

Dynamic sizes ('?', e.g. tensor<?x512xf32>) are bound at run time, without
recompiling: from the shape of each --input file, or with --random-inputs
from '--shape INDEX=DxD...'. An array whose shape contradicts a static size,
or two arrays that disagree on a dynamic size the function's ops need equal,
are refused before the call. Results with dynamic sizes come back with the
sizes the function computed (--print shows the type as declared, the values
with their runtime shape).

--print format: for each output, a line 'output I: TYPE' (followed by
' (argument K)' for a written argument), then its values numpy-style: nested
brackets, ', ' between elements, one row per line, blank lines between
higher-dimensional blocks, no column alignment, every element printed; a
rank-0 value is printed bare. Floats use the fewest digits that read back to
the same value in their own type (f16 and bf16 included), positional for
decimal exponents in [-4, 16) and scientific otherwise ('1e+20'), without a
trailing '.0' ('8', '-0'), and 'inf', '-inf', 'nan'. Integers are decimal;
i1 prints as 'true' or 'false'.

.npy dtypes: f16 '<f2', f32 '<f4', f64 '<f8', i8 '|i1', i16 '<i2',
i32 '<i4', i64 '<i8', i1 '|b1'. numpy has no bfloat16: bf16 arrays are
written as their raw bits with dtype '<u2', and '<u2' files are read as bf16.
Inputs may be .npy 1.0, 2.0 or 3.0, little-endian, in C order.

Limits: --num-threads 0 to 1024, --bench 1 to 1000000. Before allocating
anything, trop-run checks that the arguments, the copies each call makes of
them and the outputs (for two calls at once with --check or --bench) fit in
the memory available (MemAvailable of /proc/meminfo), and a .npy file's length
against the shape its header declares.

Errors print 'trop-run: error: ...' to standard error and exit with 1.
)";

/// Prints `message` as trop-run's error and returns the exit code.
static int fail(const llvm::Twine &message) {
  llvm::errs() << "trop-run: error: " << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

/// The path output `index` of `count` is written to.
static std::string getOutputPath(llvm::StringRef path, unsigned index,
                                 unsigned count) {
  if (count == 1)
    return path.str();
  std::string suffix = "." + std::to_string(index);
  if (path.ends_with(".npy"))
    return (path.drop_back(4) + suffix + ".npy").str();
  return path.str() + suffix;
}

static std::string describePipelines() {
  std::string text = "Named pipelines (--pipeline):\n";
  for (const NamedJitPipeline &pipeline : getNamedJitPipelines())
    text +=
        "  " + pipeline.name.str() + ": " + pipeline.description.str() + "\n";
  return text;
}

/// The bytes of memory this process may still use: MemAvailable of
/// /proc/meminfo where there is one, else the physical memory.
static uint64_t getAvailableMemory() {
  if (llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> meminfo =
          llvm::MemoryBuffer::getFileAsStream("/proc/meminfo")) {
    for (llvm::StringRef line : llvm::split((*meminfo)->getBuffer(), '\n')) {
      if (!line.consume_front("MemAvailable:"))
        continue;
      line = line.trim();
      line.consume_back("kB");
      uint64_t kib;
      if (!line.trim().getAsInteger(10, kib))
        return kib * 1024;
    }
  }
  long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || pageSize <= 0)
    return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(pageSize);
}

/// The bytes of the arrays `infos` describe, saturated at UINT64_MAX, with
/// `shapes` for their sizes when given (arrays of a dynamic size without one
/// count as empty: their size is known only after the call).
static uint64_t
getArrayBytes(llvm::ArrayRef<ArrayInfo> infos,
              llvm::ArrayRef<llvm::SmallVector<int64_t>> shapes = {}) {
  uint64_t total = 0;
  for (auto [index, info] : llvm::enumerate(infos)) {
    uint64_t bytes = getElementByteWidth(info.kind);
    llvm::ArrayRef<int64_t> shape = index < shapes.size()
                                        ? llvm::ArrayRef<int64_t>(shapes[index])
                                        : llvm::ArrayRef<int64_t>(info.shape);
    for (int64_t size : shape)
      bytes =
          size == ShapedType::kDynamic
              ? 0
              : llvm::SaturatingMultiply(bytes, static_cast<uint64_t>(size));
    total = llvm::SaturatingAdd(total, bytes);
  }
  return total;
}

/// Refuses a run whose arrays cannot fit in memory, before any is allocated:
/// the arguments, plus the copies a call makes of them and its outputs, for
/// two calls at once with --check (the reference's) or --bench (the timed
/// calls' while the first call's outputs are kept). Without it the kernel
/// kills the process (exit code 137), with no message. `shapes` are the
/// arguments' shapes.
static llvm::Error
checkMemory(const JitFunction &function,
            llvm::ArrayRef<llvm::SmallVector<int64_t>> shapes) {
  uint64_t inputs = getArrayBytes(function.getInputs(), shapes);
  uint64_t outputs = getArrayBytes(function.getOutputs());
  uint64_t calls = checkOutputs || benchRuns > 0 ? 2 : 1;
  uint64_t needed = llvm::SaturatingAdd(
      inputs,
      llvm::SaturatingMultiply(calls, llvm::SaturatingAdd(inputs, outputs)));
  uint64_t available = getAvailableMemory();
  if (needed <= available)
    return llvm::Error::success();
  return llvm::createStringError(
      "'@" + function.getName() + "' needs " + llvm::Twine(needed) +
      " bytes for its arguments and outputs (" + llvm::Twine(inputs) +
      " of arguments, copied for each call, and " + llvm::Twine(outputs) +
      " of outputs per call" + (calls == 2 ? ", two calls at once" : "") +
      "), but only " + llvm::Twine(available) +
      " bytes of memory are available");
}

/// The shapes of the arguments that --random-inputs draws: each argument's
/// static sizes, its --shape, and the sizes its dynamic ones are tied to.
static llvm::Expected<llvm::SmallVector<llvm::SmallVector<int64_t>>>
getRandomShapes(const JitFunction &function) {
  llvm::ArrayRef<ArrayInfo> infos = function.getInputs();
  llvm::SmallVector<llvm::SmallVector<int64_t>> shapes;
  for (const ArrayInfo &info : infos)
    shapes.push_back(info.shape);
  llvm::SmallVector<bool> given(infos.size(), false);
  for (llvm::StringRef spec : argumentShapes) {
    auto [indexText, dimsText] = spec.split('=');
    unsigned index;
    if (indexText.trim().getAsInteger(10, index) || index >= infos.size() ||
        !spec.contains('='))
      return llvm::createStringError("--shape '" + spec +
                                     "': expected INDEX=DxDx... with INDEX an "
                                     "argument of '@" +
                                     function.getName() + "' (0 to " +
                                     llvm::Twine(infos.size()) + " exclusive)");
    llvm::SmallVector<int64_t> dims;
    llvm::SmallVector<llvm::StringRef> parts;
    if (!dimsText.trim().empty())
      dimsText.trim().split(parts, 'x');
    for (llvm::StringRef part : parts) {
      int64_t size;
      if (part.getAsInteger(10, size) || size < 0)
        return llvm::createStringError("--shape '" + spec + "': '" + part +
                                       "' is not a size");
      dims.push_back(size);
    }
    if (!infos[index].accepts(dims))
      return llvm::createStringError("--shape '" + spec + "': argument " +
                                     llvm::Twine(index) + " has type " +
                                     infos[index].type + ", not of shape " +
                                     formatNumpyShape(dims));
    shapes[index] = std::move(dims);
    given[index] = true;
  }
  // Sizes tied to a given or static one.
  for (const DimGroup &group : function.getDimGroups()) {
    std::optional<int64_t> size = group.size;
    for (ArgumentDim dim : group.dims)
      if (!size && given[dim.first])
        size = shapes[dim.first][dim.second];
    if (!size)
      continue;
    for (ArgumentDim dim : group.dims)
      if (!given[dim.first])
        shapes[dim.first][dim.second] = *size;
  }
  for (auto [index, shape] : llvm::enumerate(shapes))
    if (llvm::is_contained(shape, ShapedType::kDynamic))
      return llvm::createStringError(
          "argument " + llvm::Twine(index) + " of '@" + function.getName() +
          "' has type " + infos[index].type +
          ", with a dynamic size: give its shape with --shape " +
          llvm::Twine(index) + "=DxD... to draw it");
  return shapes;
}

/// The arguments of `function`: read from --input files or drawn at random.
static llvm::Expected<llvm::SmallVector<HostArray>>
getArguments(const JitFunction &function) {
  llvm::ArrayRef<ArrayInfo> infos = function.getInputs();
  llvm::SmallVector<HostArray> arguments;
  if (randomInputs) {
    llvm::Expected<llvm::SmallVector<llvm::SmallVector<int64_t>>> shapes =
        getRandomShapes(function);
    if (!shapes)
      return shapes.takeError();
    if (llvm::Error err = checkMemory(function, *shapes))
      return std::move(err);
    SplitMix64 rng(seed);
    RandomRange range;
    if (randomMin.getNumOccurrences())
      range.min = randomMin;
    if (randomMax.getNumOccurrences())
      range.max = randomMax;
    for (auto [index, info] : llvm::enumerate(infos)) {
      llvm::Expected<HostArray> array =
          HostArray::create(info.kind, (*shapes)[index]);
      if (!array)
        return llvm::createStringError("cannot draw argument " +
                                       llvm::Twine(index) + ": " +
                                       llvm::toString(array.takeError()));
      if (llvm::Error err = fillRandom(*array, rng, range))
        return llvm::createStringError("cannot draw argument " +
                                       llvm::Twine(index) + ": " +
                                       llvm::toString(std::move(err)));
      arguments.push_back(std::move(*array));
    }
    return arguments;
  }
  if (inputFiles.size() != infos.size()) {
    std::string message = "'@" + function.getName().str() + "' takes " +
                          std::to_string(infos.size()) + " argument(s) but " +
                          std::to_string(inputFiles.size()) +
                          " --input file(s) were given";
    if (inputFiles.empty())
      message += "; give one .npy per argument with --input, or use "
                 "--random-inputs";
    return llvm::createStringError(message);
  }
  for (auto [index, path] : llvm::enumerate(inputFiles)) {
    llvm::Expected<HostArray> array = readNpyFile(path);
    if (!array)
      return array.takeError();
    if (llvm::Error err = function.checkInput(index, *array, path))
      return std::move(err);
    arguments.push_back(std::move(*array));
  }
  if (llvm::Error err = function.checkInputs(
          arguments, [](unsigned index) { return inputFiles[index]; }))
    return std::move(err);
  llvm::SmallVector<llvm::SmallVector<int64_t>> shapes;
  for (const HostArray &array : arguments)
    shapes.emplace_back(array.getShape());
  if (llvm::Error err = checkMemory(function, shapes))
    return std::move(err);
  return arguments;
}

static void printOutput(llvm::raw_ostream &os, const ArrayInfo &info,
                        unsigned index, const HostArray &array) {
  os << "output " << index << ": " << info.type;
  if (info.argumentIndex)
    os << " (argument " << *info.argumentIndex << ")";
  os << "\n";
  printHostArray(os, array);
  os << "\n";
}

/// Prints one timing line; `what` is "bench" (wall clock around the call)
/// or "bench (GPU kernels)" (their device time, CUDA events).
static void printBenchmark(llvm::raw_ostream &os, std::vector<double> seconds,
                           std::optional<int64_t> updates,
                           llvm::StringRef what = "bench") {
  std::sort(seconds.begin(), seconds.end());
  size_t n = seconds.size();
  double median =
      n % 2 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
  os << what << ": " << n << " runs, median "
     << llvm::format("%.4g", median * 1e3) << " ms, min "
     << llvm::format("%.4g", seconds.front() * 1e3) << " ms";
  if (updates && median > 0)
    os << ", " << llvm::format("%.4g", *updates / median / 1e9)
       << " G updates/s (" << *updates << " updates per call)";
  os << "\n";
}

static int runMain() {
  if (entryName.empty())
    return fail("no entry function given; use --entry NAME");
  if (randomInputs && !inputFiles.empty())
    return fail("--input and --random-inputs cannot be combined");
  if (!randomInputs && !argumentShapes.empty())
    return fail("--shape needs --random-inputs (an --input file's shape is "
                "its own)");
  if (!randomInputs &&
      (randomMin.getNumOccurrences() || randomMax.getNumOccurrences() ||
       seed.getNumOccurrences()))
    return fail("--seed, --random-min and --random-max need --random-inputs");
  if (optLevel > 3)
    return fail("--opt-level must be between 0 and 3");
  if (numThreads < 0 || numThreads > kMaxJitThreads)
    return fail("--num-threads must be between 0 and " +
                llvm::Twine(kMaxJitThreads) + ", not " +
                llvm::Twine(numThreads));
  if (benchRuns.getNumOccurrences() &&
      (benchRuns < 1 || benchRuns > kMaxBenchmarkRuns))
    return fail("--bench must be between 1 and " +
                llvm::Twine(kMaxBenchmarkRuns) + ", not " +
                llvm::Twine(benchRuns));

  llvm::Expected<JitPipelineBuilder> pipeline =
      resolveJitPipeline(pipelineSpec);
  if (!pipeline)
    return fail(pipeline.takeError());

  DialectRegistry registry;
  registerJitDialects(registry);
  MLIRContext context(registry);

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &errorMessage);
  if (!file)
    return fail(errorMessage);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(std::move(file), llvm::SMLoc());
  SourceMgrDiagnosticHandler diagnosticHandler(sourceMgr, &context);

  OwningOpRef<ModuleOp> module = parseJitModule(sourceMgr, &context);
  if (!module)
    return fail("cannot parse '" + inputFilename + "'");
  if (failed(verify(*module)))
    return fail("the module in '" + inputFilename + "' does not verify");

  JitCompileOptions options;
  options.pipeline = *pipeline;
  options.pipelineName = pipelineSpec;
  if (nanMode.getNumOccurrences())
    options.pipelineOptions.nanMode = nanMode;
  options.pipelineOptions.threads = numThreads;
  options.pipelineOptions.gpuChip = gpuChip;
  options.optLevel = optLevel;
  options.sharedLibPaths.insert(options.sharedLibPaths.end(),
                                sharedLibs.begin(), sharedLibs.end());
  if (dumpLowered)
    options.loweredModuleCallback = [](ModuleOp lowered) {
      lowered.print(llvm::errs());
      llvm::errs() << "\n";
    };
  llvm::Expected<std::unique_ptr<JitFunction>> function =
      JitFunction::compile(*module, entryName, options);
  if (!function)
    return fail(function.takeError());

  llvm::Expected<llvm::SmallVector<HostArray>> arguments =
      getArguments(**function);
  if (!arguments)
    return fail(arguments.takeError());

  llvm::Expected<llvm::SmallVector<HostArray>> outputs =
      (*function)->run(*arguments);
  if (!outputs)
    return fail(outputs.takeError());
  llvm::ArrayRef<ArrayInfo> outputInfos = (*function)->getOutputs();

  if (printOutputs)
    for (auto [index, array] : llvm::enumerate(*outputs))
      printOutput(llvm::outs(), outputInfos[index], index, array);
  llvm::outs().flush();

  if (!outputPath.empty()) {
    if (outputs->empty())
      llvm::errs() << "trop-run: warning: '@" << entryName
                   << "' has no outputs; nothing written to '" << outputPath
                   << "'\n";
    for (auto [index, array] : llvm::enumerate(*outputs))
      if (llvm::Error err = writeNpyFile(
              getOutputPath(outputPath, index, outputs->size()), array))
        return fail(std::move(err));
  }

  if (checkOutputs) {
    JitCompileOptions referenceOptions;
    referenceOptions.sharedLibPaths = options.sharedLibPaths;
    referenceOptions.optLevel = optLevel;
    llvm::Expected<std::unique_ptr<JitFunction>> reference =
        JitFunction::compile(*module, entryName, referenceOptions);
    if (!reference)
      return fail("cannot compile the reference for --check: " +
                  llvm::toString(reference.takeError()));
    llvm::Expected<llvm::SmallVector<HostArray>> expected =
        (*reference)->run(*arguments);
    if (!expected)
      return fail(expected.takeError());
    if (std::optional<OutputMismatch> mismatch =
            compareOutputsExactly(*outputs, *expected))
      return fail("check failed: output " + llvm::Twine(mismatch->outputIndex) +
                  " (" + outputInfos[mismatch->outputIndex].type +
                  ") differs from the reference at " +
                  formatIndex(mismatch->index) + ": got " + mismatch->lhsValue +
                  ", the reference pipeline gives " + mismatch->rhsValue);
    int64_t elements = 0;
    for (const HostArray &array : *outputs)
      elements += array.getNumElements();
    llvm::outs() << "check: OK (" << outputs->size() << " outputs, " << elements
                 << " elements identical)\n";
    llvm::outs().flush();
  }

  if (benchRuns > 0) {
    std::vector<double> kernelSeconds;
    llvm::Expected<std::vector<double>> seconds =
        (*function)->benchmark(*arguments, benchRuns, &kernelSeconds);
    if (!seconds)
      return fail(seconds.takeError());
    printBenchmark(llvm::outs(), *seconds, (*function)->getNumUpdates());
    // GPU: the wall clock includes the copies to and from the device.
    if ((*function)->usesCudaRuntime())
      printBenchmark(llvm::outs(), kernelSeconds, (*function)->getNumUpdates(),
                     "bench (GPU kernels)");
  }
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  // Textual pipelines may name any upstream or trop pass.
  registerAllPasses();
  registerAllTropPasses();

  llvm::cl::HideUnrelatedOptions(runCategory);
  std::string overview = std::string(kOverview) + "\n" + describePipelines();
  if (!llvm::cl::ParseCommandLineOptions(argc, argv, overview, &llvm::errs()))
    return 1;
  return runMain();
}
