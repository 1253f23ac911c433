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
arguments and results must be statically shaped tensors or identity-layout
memrefs), optimizes it for this machine's CPU, and writes an object file and
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

/// `{ptr, ptr, 0, {sizes}, {strides}}` for a contiguous row-major buffer.
static std::string describeBuffer(llvm::StringRef pointer,
                                  llvm::ArrayRef<int64_t> shape) {
  std::string text =
      ("{(void *)" + pointer + ", (void *)" + pointer + ", 0").str();
  if (!shape.empty()) {
    llvm::SmallVector<int64_t> strides(shape.size(), 1);
    for (size_t i = shape.size() - 1; i > 0; --i)
      strides[i - 1] = strides[i] * shape[i];
    text +=
        ", {" +
        llvm::join(
            llvm::map_range(shape, [](int64_t s) { return std::to_string(s); }),
            ", ") +
        "}, {" +
        llvm::join(llvm::map_range(strides,
                                   [](int64_t s) { return std::to_string(s); }),
                   ", ") +
        "}";
  }
  return text + "}";
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
  // The C interface: a descriptor per argument, then per result.
  os << "void _mlir_ciface_" << symbol << "(";
  llvm::SmallVector<std::string> params;
  for (auto [index, info] : llvm::enumerate(signature.inputs))
    params.push_back("trop_memref_" + std::to_string(info.shape.size()) +
                     "d *arg" + std::to_string(index));
  for (unsigned i = 0; i < signature.numResults; ++i)
    params.push_back("trop_memref_" +
                     std::to_string(signature.outputs[i].shape.size()) +
                     "d *result" + std::to_string(i));
  os << llvm::join(params, ", ") << ");\n\n";

  // The convenience wrapper over contiguous row-major buffers.
  os << "/* " << symbol << ": each argument a contiguous row-major buffer";
  for (const ArrayInfo &info : signature.inputs)
    os << "\n *   " << info.type;
  if (signature.numResults)
    os << "\n * then a caller-allocated buffer per result:";
  for (unsigned i = 0; i < signature.numResults; ++i)
    os << "\n *   " << signature.outputs[i].type;
  os << "\n * f16/bf16 elements are raw bits, i1 one byte (0 or 1).";
  if (needs.cudaRuntime)
    os << "\n * The buffers are host memory, copied to the GPU and back. "
          "Returns 0, or\n * -1 when the GPU could not run it (the reason: "
          "tropCudaLastError()).";
  os << " */\n";
  params.clear();
  llvm::SmallVector<std::string> setup, args;
  auto isWritten = [&](unsigned index) {
    return llvm::any_of(signature.outputs, [&](const ArrayInfo &output) {
      return output.argumentIndex == index;
    });
  };
  auto addParam = [&](const ArrayInfo &info, const std::string &name,
                      bool constant) {
    params.push_back((constant ? "const " : "") + getCType(info.kind).str() +
                     " *" + name);
    std::string descriptor = "d_" + name;
    setup.push_back("  trop_memref_" + std::to_string(info.shape.size()) +
                    "d " + descriptor + " = " +
                    describeBuffer(name, info.shape) + ";");
    args.push_back("&" + descriptor);
  };
  for (auto [index, info] : llvm::enumerate(signature.inputs))
    addParam(info, "arg" + std::to_string(index),
             !info.isMemRef || !isWritten(index));
  for (unsigned i = 0; i < signature.numResults; ++i)
    addParam(signature.outputs[i], "result" + std::to_string(i),
             /*constant=*/false);
  os << "static inline " << (needs.cudaRuntime ? "int " : "void ") << symbol
     << "(" << llvm::join(params, ", ") << ") {\n"
     << llvm::join(setup, "\n") << "\n";
  if (needs.cudaRuntime)
    os << "  tropCudaClearError();\n";
  os << "  _mlir_ciface_" << symbol << "(" << llvm::join(args, ", ") << ");\n";
  if (needs.cudaRuntime)
    os << "  return *tropCudaLastError() ? -1 : 0;\n";
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
  // The generated header passes fixed-size buffers: no dynamic sizes.
  for (auto [what, infos] :
       {std::pair<llvm::StringRef, llvm::ArrayRef<ArrayInfo>>{
            "argument", signature->inputs},
        {"result", signature->outputs}})
    for (auto [index, info] : llvm::enumerate(infos))
      if (!info.hasStaticShape())
        return fail(what + " " + llvm::Twine(index) + " of '@" + entryName +
                    "' has type '" + info.type +
                    "', which has a dynamic shape; trop-compile's header "
                    "passes statically shaped buffers (trop-run, the C API "
                    "and Python bind dynamic sizes at call time)");
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
