//===- JitPipelines.cpp - The pipelines trop-run knows by name ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A table rather than a registration mechanism: the set of pipelines is small
// and fixed at build time, and a table keeps `--help` and error messages in
// one obvious order.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/JitPipelines.h"
#include "trop/Pipelines/Pipelines.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::trop;

static void buildReference(OpPassManager &pm,
                           const JitPipelineOptions &options) {
  ReferencePipelineOptions reference;
  if (options.nanMode)
    reference.nanMode = *options.nanMode;
  // The runners' calling convention: caller-allocated results, unless one
  // has a dynamic size.
  reference.resultsToOutParams = options.resultsToOutParams;
  buildReferencePipeline(pm, reference);
}

static void buildCPU(OpPassManager &pm, const JitPipelineOptions &options) {
  CPUPipelineOptions cpu;
  if (options.nanMode)
    cpu.nanMode = *options.nanMode;
  cpu.threads = options.threads;
  cpu.resultsToOutParams = options.resultsToOutParams;
  buildCPUPipeline(pm, cpu);
}

static void buildGPU(OpPassManager &pm, const JitPipelineOptions &options) {
  GPUPipelineOptions gpu;
  if (options.nanMode)
    gpu.nanMode = *options.nanMode;
  gpu.resultsToOutParams = true;
  if (!options.gpuChip.empty())
    gpu.chip = options.gpuChip;
  // The runner's buffers are host memory.
  gpu.hostBuffers = true;
  buildGPUPipeline(pm, gpu);
}

/// Every named pipeline; the first one is the default. Add new pipelines
/// here (a builder must honour the contract of JitPipelineBuilder).
static const NamedJitPipeline kNamedPipelines[] = {
    {"reference",
     "trop -> linalg.generic -> bufferized loops -> LLVM "
     "(buildReferencePipeline); the semantics every other pipeline is "
     "checked against",
     buildReference},
    {"cpu",
     "trop -> packed, register-tiled vector kernels on OpenMP threads -> "
     "LLVM (buildCPUPipeline); NaN-free inputs assumed unless --nan-mode "
     "propagate",
     buildCPU},
    {"gpu",
     "trop -> tiled NVIDIA GPU kernels (buildGPUPipeline, docs/gpu.md) for "
     "sm_90 (--gpu-chip), PTX compiled by the CUDA driver at load time; the "
     "arguments are copied to the device and back around each call; needs a "
     "CUDA driver and a device of that compute capability or newer",
     buildGPU, /*usesCudaRuntime=*/true},
};

llvm::ArrayRef<NamedJitPipeline> trop::getNamedJitPipelines() {
  return kNamedPipelines;
}

const NamedJitPipeline *trop::lookupNamedJitPipeline(llvm::StringRef name) {
  for (const NamedJitPipeline &pipeline : kNamedPipelines)
    if (pipeline.name == name)
      return &pipeline;
  return nullptr;
}

JitPipelineBuilder trop::getReferenceJitPipeline() { return buildReference; }

llvm::Expected<JitPipelineBuilder>
trop::resolveJitPipeline(llvm::StringRef spec) {
  if (const NamedJitPipeline *named = lookupNamedJitPipeline(spec))
    return JitPipelineBuilder(named->build);

  std::string knownNames;
  llvm::raw_string_ostream knownOs(knownNames);
  llvm::interleaveComma(getNamedJitPipelines(), knownOs,
                        [&](const NamedJitPipeline &p) { knownOs << p.name; });

  // Anything with a parenthesis is meant as a textual pipeline; anything else
  // is a misspelt name.
  llvm::StringRef text = spec.trim();
  if (!text.contains('('))
    return llvm::createStringError(
        "unknown pipeline '" + spec + "'; known pipelines: " + knownNames +
        " (or give a textual pass pipeline such as "
        "'builtin.module(trop-reference-pipeline{results-to-out-params=1})')");

  std::string parseErrors;
  llvm::raw_string_ostream errorOs(parseErrors);
  FailureOr<OpPassManager> parsed = parsePassPipeline(text, errorOs);
  if (failed(parsed))
    return llvm::createStringError(
        "'" + spec + "' is neither a known pipeline (" + knownNames +
        ") nor a valid textual pass pipeline: " +
        llvm::StringRef(parseErrors).trim());
  llvm::StringRef anchor = parsed->getOpAnchorName();
  if (anchor != ModuleOp::getOperationName())
    return llvm::createStringError(
        "textual pipeline '" + spec + "' is anchored on '" + anchor +
        "'; trop-run runs pipelines on the module: use 'builtin.module(...)'");

  // The body inside `builtin.module(...)`, parsed again for each use so that
  // every compilation gets fresh pass instances.
  size_t open = text.find('(');
  std::string body = text.substr(open + 1).drop_back().str();
  return JitPipelineBuilder(
      [body](OpPassManager &pm, const JitPipelineOptions &) {
        // Already parsed successfully once; parsing is deterministic.
        LogicalResult parsedAgain = parsePassPipeline(body, pm);
        (void)parsedAgain;
        assert(succeeded(parsedAgain) && "pipeline no longer parses");
      });
}
