//===- trop-compile.cpp - Compile a trop function ahead of time -----------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Lowers one function of a module exactly as trop-run's JIT does
// (EntryLowering.h), then writes it to an object file and a C header instead
// of running it, so that a compiled model ships to a machine with neither
// MLIR nor LLVM: the object needs the C library, libomp when it was compiled
// for more than one thread, and trop's runtime library (libtrop_runtime.a)
// when it copies strided memrefs.
//
//===----------------------------------------------------------------------===//

#include "trop/ExecutionEngine/EntryLowering.h"
#include "trop/ExecutionEngine/JitPipelines.h"
#include "trop/ExecutionEngine/JitRunner.h"
#include "trop/InitAll.h"
#include "trop/Pipelines/Pipelines.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <string>

using namespace mlir;
using namespace mlir::trop;

static llvm::cl::OptionCategory compileCategory("trop-compile options");

static llvm::cl::opt<std::string>
    inputFilename(llvm::cl::Positional,
                  llvm::cl::desc("<module.mlir> (default: standard input)"),
                  llvm::cl::init("-"), llvm::cl::cat(compileCategory));

static llvm::cl::opt<std::string>
    entryName("entry", llvm::cl::desc("The function to compile (required)"),
              llvm::cl::value_desc("name"), llvm::cl::cat(compileCategory));

static llvm::cl::opt<std::string>
    objectPath("o", llvm::cl::desc("The object file to write (required)"),
               llvm::cl::value_desc("file.o"), llvm::cl::cat(compileCategory));

static llvm::cl::opt<std::string> headerPath(
    "header",
    llvm::cl::desc("The C header to write (default: the object's path with "
                   ".h instead of .o)"),
    llvm::cl::value_desc("file.h"), llvm::cl::cat(compileCategory));

static llvm::cl::opt<std::string> symbolName(
    "symbol",
    llvm::cl::desc("The C name of the compiled function (default: the entry's "
                   "name); the object exports _mlir_ciface_<symbol>"),
    llvm::cl::value_desc("name"), llvm::cl::cat(compileCategory));

static llvm::cl::opt<std::string> pipelineSpec(
    "pipeline",
    llvm::cl::desc("The lowering: a pipeline name (listed above) or a textual "
                   "pass pipeline on the module, as for trop-run"),
    llvm::cl::value_desc("name|builtin.module(...)"), llvm::cl::init("cpu"),
    llvm::cl::cat(compileCategory));

static llvm::cl::opt<NaNMode> nanMode(
    "nan-mode",
    llvm::cl::desc("How float max/min treat NaN (named pipelines; default: "
                   "the pipeline's own)"),
    nanModeValues(), llvm::cl::cat(compileCategory));

static llvm::cl::opt<std::string> gpuChip("gpu-chip",
                                          llvm::cl::desc(kGpuChipHelp),
                                          llvm::cl::value_desc("sm_NN"),
                                          llvm::cl::cat(compileCategory));

static llvm::cl::opt<int64_t> numThreads(
    "num-threads",
    llvm::cl::desc("Threads per op of the cpu pipeline, 0 to 1024; 0: one "
                   "per hardware thread of the machine that runs it. Other "
                   "than 1, the object calls libomp"),
    llvm::cl::init(1), llvm::cl::cat(compileCategory));

static const char *const kOverview =
    R"(trop-compile: compile a function of an MLIR module ahead of time

  trop-compile FILE --entry NAME -o model.o [--header model.h]
               [--pipeline cpu|reference|gpu] [--num-threads N]
               [--symbol NAME]

Lowers the function as trop-run would (same pipelines, same checks: its
arguments and results must be tensors or identity-layout memrefs; a dynamic
size is a parameter of the wrapper, and results of a dynamic size are
allocated by the function and copied into the caller's buffers), optimizes it for this machine's CPU, and writes an object file and
a C header. The object exports one function, _mlir_ciface_<symbol>, taking a
pointer to a memref descriptor per argument and then per result (results are
written into caller-allocated buffers); every other symbol is internal, so
several compiled functions link into one program. The header declares it
and a static inline <symbol>(...) that takes plain row-major buffers.

The code uses the instructions of this machine's CPU (lscpu's flags): run it
on a CPU with the same vector ISA. Link it with the C library, with libomp
(-fopenmp or -lomp) when --num-threads is not 1, and with libtrop_runtime.a
when the header says so. Tensor arguments are never written; memref arguments
the function writes are its outputs, as in trop-run.

--pipeline gpu: the object holds the host code and the kernels' PTX (sm_90,
or the chip --gpu-chip names),
which the CUDA driver compiles when the program starts; link it with
libTropCudaRuntime.so (-lTropCudaRuntime), which loads the driver at run
time: the program needs neither the CUDA toolkit, MLIR nor LLVM. The buffers
are host memory, copied to the GPU and back by each call; the header's
wrapper returns -1 when the GPU could not run the call (tropCudaLastError()
says why: no CUDA driver, no device, ...).

Errors print 'trop-compile: error: ...' to standard error and exit with 1.
)";

static int fail(const llvm::Twine &message) {
  llvm::errs() << "trop-compile: error: " << message << "\n";
  return 1;
}

static int fail(llvm::Error error) {
  return fail(llvm::toString(std::move(error)));
}

/// What a compiled function needs at link time besides the C library.
struct LinkNeeds {
  bool openMP = false;
  bool tropRuntime = false;
  /// The GPU pipeline's host code calls libTropCudaRuntime's mgpu*.
  bool cudaRuntime = false;
};

/// Gives every symbol but the exported wrapper internal linkage, renames
/// the wrapper to `_mlir_ciface_<symbol>`, and says which libraries the
/// remaining external calls need; an external function no library provides
/// is an error.
static llvm::Expected<LinkNeeds> finishModule(llvm::Module &module,
                                              llvm::StringRef entry,
                                              llvm::StringRef symbol) {
  std::string wrapper = ("_mlir_ciface_" + entry).str();
  std::string exported = ("_mlir_ciface_" + symbol).str();
  LinkNeeds needs;
  for (llvm::Function &function : module.functions()) {
    if (function.isDeclaration()) {
      llvm::StringRef name = function.getName();
      if (function.isIntrinsic())
        continue;
      if (name.starts_with("__kmpc_") || name.starts_with("omp_")) {
        needs.openMP = true;
        continue;
      }
      if (name.starts_with("mgpu")) {
        needs.cudaRuntime = true;
        continue;
      }
      if (name == "memrefCopy") {
        needs.tropRuntime = true;
        continue;
      }
      static const char *const kLibC[] = {"malloc", "free",   "aligned_alloc",
                                          "memcpy", "memset", "memmove"};
      if (llvm::is_contained(kLibC, name))
        continue;
      return llvm::createStringError(
          "the lowered function calls '" + name +
          "', which neither the C library, libomp nor trop's runtime "
          "libraries provide");
    }
    if (function.getName() == wrapper) {
      function.setName(exported);
      continue;
    }
    function.setLinkage(llvm::GlobalValue::InternalLinkage);
  }
  // llvm.global_ctors/dtors (the GPU kernels' loading and unloading) keep
  // their appending linkage, or they would not run.
  for (llvm::GlobalVariable &global : module.globals())
    if (!global.isDeclaration() && !global.getName().starts_with("llvm."))
      global.setLinkage(llvm::GlobalValue::InternalLinkage);
  if (!module.getFunction(exported))
    return llvm::createStringError("the lowered module has no '" + wrapper +
                                   "'");
  return needs;
}

/// The C type of an element of `kind` in the header.
static llvm::StringRef getCType(ElementKind kind) {
  switch (kind) {
  case ElementKind::F32:
    return "float";
  case ElementKind::F64:
    return "double";
  case ElementKind::F16:
  case ElementKind::BF16:
    return "uint16_t";
  case ElementKind::I8:
    return "int8_t";
  case ElementKind::I16:
    return "int16_t";
  case ElementKind::I32:
    return "int32_t";
  case ElementKind::I64:
    return "int64_t";
  case ElementKind::I1:
    return "uint8_t";
  }
  llvm_unreachable("unknown element kind");
}

/// The descriptor struct of rank `rank` (MLIR's memref descriptor layout).
static void writeDescriptorType(llvm::raw_ostream &os, size_t rank) {
  os << "#ifndef TROP_MEMREF_" << rank << "D_DEFINED\n"
     << "#define TROP_MEMREF_" << rank << "D_DEFINED\n"
     << "/* MLIR's descriptor of a rank-" << rank << " memref. */\n"
     << "typedef struct {\n  void *allocated;\n  void *aligned;\n"
     << "  int64_t offset;\n";
  if (rank > 0)
    os << "  int64_t sizes[" << rank << "];\n  int64_t strides[" << rank
       << "];\n";
  os << "} trop_memref_" << rank << "d;\n#endif\n\n";
}

/// The C expressions of the sizes of `info` in the wrapper: a static size's
/// number, or the wrapper's parameter `<name>_size<d>` for a dynamic one.
static llvm::SmallVector<std::string> sizeExprs(const ArrayInfo &info,
                                                llvm::StringRef name) {
  llvm::SmallVector<std::string> sizes;
  for (auto [d, size] : llvm::enumerate(info.shape))
    sizes.push_back(ShapedType::isDynamic(size)
                        ? (name + "_size" + llvm::Twine(d)).str()
                        : std::to_string(size));
  return sizes;
}

/// `{ptr, ptr, 0, {sizes}, {strides}}` for a contiguous row-major buffer
/// (sizes and strides as C expressions).
static std::string describeBuffer(llvm::StringRef pointer,
                                  llvm::ArrayRef<std::string> sizes) {
  std::string text =
      ("{(void *)" + pointer + ", (void *)" + pointer + ", 0").str();
  if (!sizes.empty()) {
    // Row-major strides: the product of the later sizes.
    llvm::SmallVector<std::string> strides(sizes.size(), "1");
    for (size_t i = sizes.size() - 1; i > 0; --i)
      strides[i - 1] =
          strides[i] == "1" ? sizes[i] : sizes[i] + " * " + strides[i];
    text += ", {" + llvm::join(sizes, ", ") + "}, {" +
            llvm::join(strides, ", ") + "}";
  }
  return text + "}";
}

/// The header's helpers for results the function allocates (a dynamic
/// size): their row-major copy into the caller's buffer, once per program.
static void writeResultHelpers(llvm::raw_ostream &os) {
  os << R"(#ifndef TROP_RESULT_HELPERS_DEFINED
#define TROP_RESULT_HELPERS_DEFINED
#include <stdlib.h>
#include <string.h>
/* Copies a strided array (sizes, strides in elements) row-major to *to. */
static inline void trop_copy_strided(char **to, const char *from,
                                     const int64_t *sizes,
                                     const int64_t *strides, int64_t rank,
                                     size_t bytes) {
  if (rank == 0) {
    memcpy(*to, from, bytes);
    *to += bytes;
    return;
  }
  for (int64_t i = 0; i < sizes[0]; ++i)
    trop_copy_strided(to, from + i * strides[0] * (int64_t)bytes, sizes + 1,
                      strides + 1, rank - 1, bytes);
}
#endif

)";
}

static void writeHeader(llvm::raw_ostream &os, const EntrySignature &signature,
                        llvm::StringRef symbol, const LinkNeeds &needs,
                        llvm::StringRef objectName) {
  std::string guard = "TROP_COMPILED_" + llvm::StringRef(symbol).upper() + "_H";
  os << "/* Generated by trop-compile: " << symbol << " from '" << inputFilename
     << "' (@" << entryName << ", pipeline '" << pipelineSpec
     << "').\n * Link: cc app.c " << objectName
     << (needs.tropRuntime ? " libtrop_runtime.a" : "")
     << (needs.openMP ? " -fopenmp" : "")
     << (needs.cudaRuntime ? " -lTropCudaRuntime" : "") << "\n */\n"
     << "#ifndef " << guard << "\n#define " << guard << "\n\n"
     << "#include <stdint.h>\n";
  if (needs.cudaRuntime)
    os << "#include <stdbool.h>\n";
  os << "\n";
  llvm::SmallVector<size_t> ranks;
  for (const ArrayInfo &info : signature.inputs)
    ranks.push_back(info.shape.size());
  for (const ArrayInfo &info : signature.outputs)
    ranks.push_back(info.shape.size());
  llvm::sort(ranks);
  ranks.erase(llvm::unique(ranks), ranks.end());
  for (size_t rank : ranks)
    writeDescriptorType(os, rank);

  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  if (needs.cudaRuntime)
    os << "#ifndef TROP_CUDA_RUNTIME_DECLARED\n"
       << "#define TROP_CUDA_RUNTIME_DECLARED\n"
       << "/* trop's CUDA runtime (libTropCudaRuntime.so, docs/gpu.md): its "
          "failures\n * (no driver, no device, a failed call) are reported, "
          "never fatal. */\n"
       << "bool tropCudaAvailable(void);\n"
       << "const char *tropCudaLastError(void);\n"
       << "void tropCudaClearError(void);\n#endif\n\n";
  bool returns = signature.returnsResults && signature.numResults;
  if (returns) {
    writeResultHelpers(os);
    os << "/* The results of " << symbol
       << ", allocated by it (a result has a dynamic size). */\n"
       << "typedef struct {\n";
    for (unsigned i = 0; i < signature.numResults; ++i)
      os << "  trop_memref_" << signature.outputs[i].shape.size() << "d result"
         << i << ";\n";
    os << "} " << symbol << "_results;\n\n";
  }
  // The C interface: a descriptor per argument, then per result; or, when
  // the function allocates its results, where they go and then the
  // arguments.
  os << "void _mlir_ciface_" << symbol << "(";
  llvm::SmallVector<std::string> params;
  if (returns)
    params.push_back((symbol + "_results *results").str());
  for (auto [index, info] : llvm::enumerate(signature.inputs))
    params.push_back("trop_memref_" + std::to_string(info.shape.size()) +
                     "d *arg" + std::to_string(index));
  for (unsigned i = 0; !returns && i < signature.numResults; ++i)
    params.push_back("trop_memref_" +
                     std::to_string(signature.outputs[i].shape.size()) +
                     "d *result" + std::to_string(i));
  os << llvm::join(params, ", ") << ");\n\n";

  // The convenience wrapper over contiguous row-major buffers.
  bool dynamic = llvm::any_of(signature.inputs, [](const ArrayInfo &info) {
    return !info.hasStaticShape();
  });
  bool returnsStatus = needs.cudaRuntime || dynamic || returns;
  os << "/* " << symbol << ": each argument a contiguous row-major buffer";
  if (dynamic)
    os << ", followed by\n * its dynamic sizes (int64_t <name>_size<dim>)";
  for (const ArrayInfo &info : signature.inputs)
    os << "\n *   " << info.type;
  if (returns)
    os << "\n * then per result a caller-allocated buffer, its capacity in "
          "elements, and\n * an int64_t[rank] that receives its sizes (or "
          "NULL):";
  else if (signature.numResults)
    os << "\n * then a caller-allocated buffer per result:";
  for (unsigned i = 0; i < signature.numResults; ++i)
    os << "\n *   " << signature.outputs[i].type;
  os << "\n * f16/bf16 elements are raw bits, i1 one byte (0 or 1).";
  if (dynamic)
    os << "\n * Returns 0, or -2 (nothing computed) when the sizes break what "
          "the function's\n * ops need (sizes that must be equal, or "
          "static).";
  if (returns)
    os << "\n * Returns -1 when a result does not fit its buffer (that "
          "buffer is not\n * written; its sizes are).";
  if (needs.cudaRuntime)
    os << "\n * The buffers are host memory, copied to the GPU and back. "
          "Returns 0, or\n * -1 when the GPU could not run it (the reason: "
          "tropCudaLastError()).";
  os << " */\n";
  params.clear();
  llvm::SmallVector<std::string> setup, args;
  if (returns)
    args.push_back("&results");
  auto isWritten = [&](unsigned index) {
    return llvm::any_of(signature.outputs, [&](const ArrayInfo &output) {
      return output.argumentIndex == index;
    });
  };
  auto addParam = [&](const ArrayInfo &info, const std::string &name,
                      bool constant) {
    params.push_back((constant ? "const " : "") + getCType(info.kind).str() +
                     " *" + name);
    llvm::SmallVector<std::string> sizes = sizeExprs(info, name);
    for (auto [d, size] : llvm::enumerate(info.shape))
      if (ShapedType::isDynamic(size))
        params.push_back("int64_t " + sizes[d]);
    std::string descriptor = "d_" + name;
    setup.push_back("  trop_memref_" + std::to_string(info.shape.size()) +
                    "d " + descriptor + " = " + describeBuffer(name, sizes) +
                    ";");
    args.push_back("&" + descriptor);
  };
  for (auto [index, info] : llvm::enumerate(signature.inputs))
    addParam(info, "arg" + std::to_string(index),
             !info.isMemRef || !isWritten(index));
  // The sizes that the ops need equal (or static): compiled code would
  // read or write out of bounds otherwise.
  llvm::SmallVector<std::string> checks;
  for (const DimGroup &group : signature.dimGroups) {
    llvm::SmallVector<std::string> sizes;
    for (ArgumentDim dim : group.dims)
      sizes.push_back(sizeExprs(signature.inputs[dim.first],
                                "arg" + std::to_string(dim.first))[dim.second]);
    if (group.size)
      sizes.push_back(std::to_string(*group.size));
    for (size_t i = 1; i < sizes.size(); ++i)
      checks.push_back(sizes[0] + " != " + sizes[i]);
  }
  if (returns) {
    for (unsigned i = 0; i < signature.numResults; ++i) {
      std::string name = "result" + std::to_string(i);
      params.push_back(getCType(signature.outputs[i].kind).str() + " *" + name);
      params.push_back("int64_t " + name + "_capacity");
      params.push_back("int64_t *" + name + "_sizes");
    }
  } else {
    for (unsigned i = 0; i < signature.numResults; ++i)
      addParam(signature.outputs[i], "result" + std::to_string(i),
               /*constant=*/false);
  }
  os << "static inline " << (returnsStatus ? "int " : "void ") << symbol << "("
     << llvm::join(params, ", ") << ") {\n";
  if (dynamic && !checks.empty())
    os << "  if (" << llvm::join(checks, " || ") << ")\n    return -2;\n";
  os << llvm::join(setup, "\n") << "\n";
  if (returns)
    os << "  " << symbol << "_results results;\n";
  if (needs.cudaRuntime)
    os << "  tropCudaClearError();\n";
  os << "  _mlir_ciface_" << symbol << "(" << llvm::join(args, ", ") << ");\n";
  if (returns) {
    // Copy each result out (row-major), then free what the function
    // allocated, once per buffer (two results may share one).
    os << "  int status = 0;\n";
    for (unsigned i = 0; i < signature.numResults; ++i) {
      const ArrayInfo &info = signature.outputs[i];
      std::string r = "results.result" + std::to_string(i);
      std::string name = "result" + std::to_string(i);
      size_t rank = info.shape.size();
      os << "  {\n    int64_t count = 1;\n";
      for (size_t d = 0; d < rank; ++d)
        os << "    count *= " << r << ".sizes[" << d << "];\n";
      if (rank)
        os << "    if (" << name << "_sizes)\n      memcpy(" << name
           << "_sizes, " << r << ".sizes, sizeof " << r << ".sizes);\n";
      os << "    if (count > " << name << "_capacity) {\n      status = -1;\n"
         << "    } else {\n      char *to = (char *)" << name << ";\n"
         << "      trop_copy_strided(&to, (const char *)" << r << ".aligned + "
         << r << ".offset * (int64_t)sizeof *" << name << ", "
         << (rank ? r + ".sizes" : "NULL") << ", "
         << (rank ? r + ".strides" : "NULL") << ", " << rank << ", sizeof *"
         << name << ");\n    }\n";
      os << "    void *seen[] = {NULL";
      for (unsigned j = 0; j < i; ++j)
        os << ", results.result" << j << ".allocated";
      os << "};\n    int shared = 0;\n"
         << "    for (unsigned j = 0; j < sizeof seen / sizeof *seen; ++j)\n"
         << "      shared |= seen[j] == " << r << ".allocated;\n"
         << "    if (!shared)\n      free(" << r << ".allocated);\n  }\n";
    }
    os << "  return status;\n";
  } else if (needs.cudaRuntime) {
    os << "  return *tropCudaLastError() ? -1 : 0;\n";
  } else if (returnsStatus) {
    os << "  return 0;\n";
  }
  os << "}\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << guard << " */\n";
}

static int compileMain() {
  if (entryName.empty())
    return fail("--entry is required: name the function to compile");
  if (objectPath.empty())
    return fail("-o is required: name the object file to write");
  if (numThreads < 0 || numThreads > kMaxJitThreads)
    return fail("--num-threads must be between 0 and " +
                llvm::Twine(kMaxJitThreads) + ", not " +
                llvm::Twine(numThreads));
  std::string symbol = symbolName.empty() ? entryName : symbolName;
  if (symbol.empty() || llvm::isDigit(symbol[0]) ||
      !llvm::all_of(symbol,
                    [](char c) { return llvm::isAlnum(c) || c == '_'; }))
    return fail("'" + symbol +
                "' is not a C identifier; name the function with --symbol");
  std::string header = headerPath;
  if (header.empty())
    header = (llvm::StringRef(objectPath).ends_with(".o")
                  ? llvm::StringRef(objectPath).drop_back(2).str()
                  : objectPath.getValue()) +
             ".h";

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
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = parseJitModule(sourceMgr, &context);
  if (!module)
    return fail("cannot parse '" + inputFilename + "'");
  if (failed(verify(*module)))
    return fail("the module does not verify");
  llvm::Expected<func::FuncOp> func = lookupEntry(*module, entryName);
  if (!func)
    return fail(func.takeError());
  llvm::Expected<EntrySignature> signature = describeEntry(*func);
  if (!signature)
    return fail(signature.takeError());
  // The caller's buffers stay intact: bufferization copies a tensor
  // argument rather than writing it.
  for (auto [index, type] : llvm::enumerate(func->getArgumentTypes()))
    if (isa<TensorType>(type))
      func->setArgAttr(index, "bufferization.writable",
                       BoolAttr::get(&context, false));

  llvm::Expected<JitPipelineBuilder> pipeline =
      resolveJitPipeline(pipelineSpec);
  if (!pipeline)
    return fail(pipeline.takeError());
  JitPipelineOptions options;
  if (nanMode.getNumOccurrences())
    options.nanMode = nanMode;
  options.threads = numThreads;
  options.gpuChip = gpuChip;
  llvm::Expected<OwningOpRef<ModuleOp>> lowered = lowerEntry(
      *module, entryName, *pipeline, pipelineSpec, options, *signature);
  if (!lowered)
    return fail(lowered.takeError());

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(**lowered, llvmContext, symbol);
  if (!llvmModule)
    return fail("cannot translate the lowered module to LLVM IR");
  initializeHostTarget();
  llvm::Expected<std::unique_ptr<llvm::TargetMachine>> machine =
      createHostTargetMachine(/*forObjectFile=*/true);
  if (!machine)
    return fail(machine.takeError());
  llvmModule->setDataLayout((*machine)->createDataLayout());
  llvmModule->setTargetTriple((*machine)->getTargetTriple());
  llvm::Expected<LinkNeeds> needs =
      finishModule(*llvmModule, entryName, symbol);
  if (!needs)
    return fail(needs.takeError());
  if (needs->cudaRuntime && signature->returnsResults)
    return fail("a result of '@" + entryName +
                "' has a dynamic size, which the gpu pipeline's objects do "
                "not return (give it static shapes)");
  if (llvm::Error err = makeOptimizingTransformer(
          /*optLevel=*/3, /*sizeLevel=*/0, machine->get())(llvmModule.get()))
    return fail(std::move(err));

  std::error_code error;
  auto object = std::make_unique<llvm::ToolOutputFile>(objectPath, error,
                                                       llvm::sys::fs::OF_None);
  if (error)
    return fail("cannot write '" + objectPath + "': " + error.message());
  llvm::legacy::PassManager codegen;
  if ((*machine)->addPassesToEmitFile(codegen, object->os(), nullptr,
                                      llvm::CodeGenFileType::ObjectFile))
    return fail("this target cannot emit object files");
  codegen.run(*llvmModule);

  auto headerFile = std::make_unique<llvm::ToolOutputFile>(
      header, error, llvm::sys::fs::OF_Text);
  if (error)
    return fail("cannot write '" + header + "': " + error.message());
  writeHeader(headerFile->os(), *signature, symbol, *needs,
              llvm::sys::path::filename(objectPath));
  object->keep();
  headerFile->keep();
  return 0;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAllPasses();
  registerAllTropPasses();
  llvm::cl::HideUnrelatedOptions(compileCategory);
  std::string overview = kOverview;
  overview += "\nNamed pipelines (--pipeline):\n";
  for (const NamedJitPipeline &pipeline : getNamedJitPipelines())
    overview +=
        "  " + pipeline.name.str() + ": " + pipeline.description.str() + "\n";
  if (!llvm::cl::ParseCommandLineOptions(argc, argv, overview, &llvm::errs()))
    return 1;
  return compileMain();
}
