/*===- trop-capi-test.c - Test of trop's C API ---------------------------===*\
|*                                                                            *|
|* Part of the trop project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

// Uses the C API as a C embedder would, linked with libTropCAPI.so only:
// registration and a pipeline through MLIR's C API, then the JIT runner.
// Errors must come back as strings, never on stderr, hence the empty
// stderr check.
// RUN: trop-capi-test 2> %t.stderr | FileCheck %s
// RUN: count 0 < %t.stderr

#include "trop-c/Dialects.h"
#include "trop-c/Passes.h"
#include "trop-c/Progress.h"
#include "trop-c/Runner.h"

#include "mlir-c/IR.h"
#include "mlir-c/Pass.h"
#include "mlir-c/RegisterEverything.h"
#include "mlir-c/Support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kMatmul =
    "func.func @mp(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>,\n"
    "              %c: tensor<2x2xf32>) -> tensor<2x2xf32> {\n"
    "  %r = trop.matmul <max_plus> ins(%a, %b : tensor<2x3xf32>, "
    "tensor<3x2xf32>)\n"
    "                              outs(%c : tensor<2x2xf32>) -> "
    "tensor<2x2xf32>\n"
    "  return %r : tensor<2x2xf32>\n"
    "}\n";

static void printToStdout(MlirStringRef text, void *userData) {
  (void)userData;
  fwrite(text.data, 1, text.length, stdout);
}

// Counts the operations named `name` nested in `op` (op included).
static int countOps(MlirOperation op, const char *name) {
  MlirIdentifier opName = mlirOperationGetName(op);
  int count = mlirStringRefEqual(mlirIdentifierStr(opName),
                                 mlirStringRefCreateFromCString(name));
  for (intptr_t r = 0, e = mlirOperationGetNumRegions(op); r < e; ++r) {
    MlirRegion region = mlirOperationGetRegion(op, r);
    for (MlirBlock block = mlirRegionGetFirstBlock(region);
         !mlirBlockIsNull(block); block = mlirBlockGetNextInRegion(block))
      for (MlirOperation child = mlirBlockGetFirstOperation(block);
           !mlirOperationIsNull(child);
           child = mlirOperationGetNextInBlock(child))
        count += countOps(child, name);
  }
  return count;
}

// Registration through the dialect handle and the pass C API, and a pipeline
// run with MLIR's pass manager.
static int testPassPipeline(void) {
  MlirDialectRegistry registry = mlirDialectRegistryCreate();
  // Upstream dialects and their interface models (the pipeline bufferizes
  // func.func), then trop with its own models.
  mlirRegisterAllDialects(registry);
  mlirTropRegisterDialect(registry);
  MlirContext context = mlirContextCreateWithRegistry(registry, false);
  mlirDialectRegistryDestroy(registry);

  MlirDialect trop =
      mlirDialectHandleLoadDialect(mlirGetDialectHandle__trop__(), context);
  MlirStringRef ns = mlirDialectGetNamespace(trop);
  printf("dialect: %.*s\n", (int)ns.length, ns.data);
  // CHECK-LABEL: dialect: trop

  MlirModule module =
      mlirModuleCreateParse(context, mlirStringRefCreateFromCString(kMatmul));
  if (mlirModuleIsNull(module)) {
    printf("cannot parse the module\n");
    return 1;
  }
  MlirOperation moduleOp = mlirModuleGetOperation(module);
  mlirOperationPrint(moduleOp, printToStdout, NULL);
  printf("\n");
  // CHECK: func.func @mp
  // CHECK: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>,
  // CHECK-SAME: tensor<3x2xf32>) outs(%{{.*}} : tensor<2x2xf32>)

  mlirRegisterAllPasses();
  mlirTropRegisterAllPasses();
  // Calling it again is harmless.
  mlirTropRegisterAllPasses();

  // trop passes created directly: raising (nothing to raise here), then the
  // reference lowering to linalg.
  MlirPassManager lower = mlirPassManagerCreate(context);
  mlirPassManagerAddOwnedPass(lower, mlirCreateTropTransformsTropRaise());
  mlirPassManagerAddOwnedPass(lower,
                              mlirCreateTropConversionConvertTropToLinalg());
  MlirModule copy = mlirModuleFromOperation(mlirOperationClone(moduleOp));
  MlirLogicalResult result =
      mlirPassManagerRunOnOp(lower, mlirModuleGetOperation(copy));
  printf("trop-to-linalg: %s, %d trop.matmul, %d linalg.generic\n",
         mlirLogicalResultIsSuccess(result) ? "success" : "failure",
         countOps(mlirModuleGetOperation(copy), "trop.matmul"),
         countOps(mlirModuleGetOperation(copy), "linalg.generic"));
  // CHECK: trop-to-linalg: success, 0 trop.matmul, 1 linalg.generic
  mlirModuleDestroy(copy);
  mlirPassManagerDestroy(lower);

  // The reference pipeline, by name.
  MlirPassManager pm = mlirPassManagerCreate(context);
  MlirOpPassManager opm = mlirPassManagerGetAsOpPassManager(pm);
  MlirLogicalResult parsed = mlirParsePassPipeline(
      opm,
      mlirStringRefCreateFromCString(
          "builtin.module(trop-reference-pipeline{nan-mode=assume-none})"),
      printToStdout, NULL);
  if (mlirLogicalResultIsFailure(parsed)) {
    printf("\ncannot parse the pipeline\n");
    return 1;
  }
  printf("pipeline: ");
  mlirPrintPassPipeline(opm, printToStdout, NULL);
  printf("\n");
  // The pipeline prints as the passes it expands to.
  // CHECK: pipeline: builtin.module(trop-to-linalg{{[{]}}
  // CHECK-SAME: nan-mode=assume-none
  // CHECK-SAME: reconcile-unrealized-casts,trop-bf16-memory-as-i16)
  result = mlirPassManagerRunOnOp(pm, moduleOp);
  printf("trop-reference-pipeline: %s, %d trop.matmul, %d llvm.func\n",
         mlirLogicalResultIsSuccess(result) ? "success" : "failure",
         countOps(moduleOp, "trop.matmul"), countOps(moduleOp, "llvm.func"));
  // CHECK: trop-reference-pipeline: success, 0 trop.matmul, 2 llvm.func
  mlirPassManagerDestroy(pm);

  mlirModuleDestroy(module);
  mlirContextDestroy(context);
  return 0;
}

static void printShape(const int64_t *shape, intptr_t rank) {
  printf("(");
  for (intptr_t i = 0; i < rank; ++i)
    printf(i ? ", %lld" : "%lld", (long long)shape[i]);
  printf(")");
}

// Compiles and runs @mp with `pipeline`; returns nonzero on failure.
static int runMatmul(const char *pipeline, int nanMode, int64_t threads) {
  char *error = NULL;
  TropJitFunction *fn = tropJitCompile(kMatmul, strlen(kMatmul), "mp", pipeline,
                                       nanMode, threads, &error);
  if (!fn) {
    printf("compile error: %s\n", error);
    tropFreeString(error);
    return 1;
  }
  printf("%s: @%s, %ld inputs, %ld outputs, %lld updates\n", pipeline,
         tropJitGetName(fn), (long)tropJitGetNumInputs(fn),
         (long)tropJitGetNumOutputs(fn), (long long)tropJitGetNumUpdates(fn));
  for (intptr_t i = 0, e = tropJitGetNumInputs(fn); i < e; ++i) {
    printf("  input %ld: %s %s ", (long)i, tropJitGetInputTypeString(fn, i),
           tropJitGetInputDtype(fn, i));
    printShape(tropJitGetInputShape(fn, i), tropJitGetInputRank(fn, i));
    printf(" %lld bytes\n", (long long)tropJitGetInputSizeInBytes(fn, i));
  }
  printf("  output 0: %s type %d ", tropJitGetOutputTypeString(fn, 0),
         tropJitGetOutputElementType(fn, 0));
  printShape(tropJitGetOutputShape(fn, 0), tropJitGetOutputRank(fn, 0));
  printf(" argument %ld\n", (long)tropJitGetOutputArgumentIndex(fn, 0));

  // C[i,j] = max(C[i,j], max_k A[i,k] + B[k,j]):
  // row 0: max(1+0, 2+2, 3-1) = 4, max(1+1, 2+3, 3+10) = 13, C = -inf
  // row 1: max(0, 4+0, 5+2, 6-1) = 7, max(100, 4+1, 5+3, 6+10) = 100
  float a[2][3] = {{1, 2, 3}, {4, 5, 6}};
  float b[3][2] = {{0, 1}, {2, 3}, {-1, 10}};
  float c[2][2] = {{-INFINITY, -INFINITY}, {0, 100}};
  float r[2][2] = {{0, 0}, {0, 0}};
  const void *inputs[] = {a, b, c};
  void *outputs[] = {r};
  if (tropJitInvoke(fn, inputs, outputs, &error)) {
    printf("invoke error: %s\n", error);
    tropFreeString(error);
    tropJitDestroy(fn);
    return 1;
  }
  printf("  result: [[%g, %g], [%g, %g]], c[0][0] = %g\n", r[0][0], r[0][1],
         r[1][0], r[1][1], c[0][0]);

  double seconds[3];
  if (tropJitBenchmark(fn, inputs, 3, seconds, &error)) {
    printf("benchmark error: %s\n", error);
    tropFreeString(error);
  } else {
    printf("  benchmark: %s\n",
           seconds[0] >= 0 && seconds[1] >= 0 && seconds[2] >= 0 ? "ok"
                                                                 : "bad");
  }
  tropJitDestroy(fn);
  return 0;
}

static void expectError(const char *what, const char *source, const char *entry,
                        const char *pipeline) {
  char *error = NULL;
  TropJitFunction *fn =
      tropJitCompile(source, strlen(source), entry, pipeline, -1, 0, &error);
  printf("%s: %s\n%s\n", what, fn ? "compiled" : "NULL",
         error ? error : "(no message)");
  tropFreeString(error);
  tropJitDestroy(fn);
}

/// Appends `text` at `*end` and advances it.
static void append(char **end, const char *text) {
  size_t length = strlen(text);
  memcpy(*end, text, length + 1);
  *end += length;
}

/// A function whose body nests scf.execute_region `depth` deep, as
/// test/Robustness/Inputs/deep.py prints it (MLIR 22's parser overflows its
/// stack around 5,000); the caller frees it.
static char *nestedRegions(int depth) {
  static const char *const open = "scf.execute_region {\n";
  static const char *const close = "}\nscf.yield\n";
  char *text = malloc(64 + (size_t)depth * (strlen(open) + strlen(close)));
  char *end = text;
  append(&end, "func.func @mp() {\n");
  for (int i = 0; i < depth; ++i)
    append(&end, open);
  append(&end, "scf.yield\n");
  for (int i = 0; i < depth - 1; ++i)
    append(&end, close);
  append(&end, "}\nreturn\n}\n");
  return text;
}

static int testRunner(void) {
  if (runMatmul("reference", TROP_NAN_MODE_DEFAULT, 0))
    return 1;
  // CHECK-LABEL: reference: @mp, 3 inputs, 1 outputs, 12 updates
  // CHECK-NEXT:   input 0: tensor<2x3xf32> <f4 (2, 3) 24 bytes
  // CHECK-NEXT:   input 1: tensor<3x2xf32> <f4 (3, 2) 24 bytes
  // CHECK-NEXT:   input 2: tensor<2x2xf32> <f4 (2, 2) 16 bytes
  // CHECK-NEXT:   output 0: tensor<2x2xf32> type 2 (2, 2) argument -1
  // CHECK-NEXT:   result: {{\[\[}}4, 13], [7, 100]], c[0][0] = -inf
  // CHECK-NEXT:   benchmark: ok
  if (runMatmul("cpu", TROP_NAN_MODE_ASSUME_NONE, 1))
    return 1;
  // CHECK-LABEL: cpu: @mp, 3 inputs, 1 outputs, 12 updates
  // CHECK:   result: {{\[\[}}4, 13], [7, 100]], c[0][0] = -inf
  // A textual pipeline: it needs the passes in the global registry, which
  // this program has registered already (registering twice is harmless).
  if (runMatmul("builtin.module(trop-reference-pipeline{results-to-out-params"
                "=1})",
                TROP_NAN_MODE_DEFAULT, 0))
    return 1;
  // clang-format off
  // CHECK-LABEL: builtin.module(trop-reference-pipeline{results-to-out-params=1}): @mp
  // clang-format on
  // CHECK:   result: {{\[\[}}4, 13], [7, 100]], c[0][0] = -inf

  expectError("syntax error", "func.func @mp( {\n", "mp", "reference");
  // CHECK-LABEL: syntax error: NULL
  // CHECK-NEXT: cannot parse the module
  // CHECK-NEXT: <source>:1:15: error: expected non-function type
  expectError("verifier error",
              "func.func @mp(%a: tensor<2x3xf32>, %b: tensor<2x2xf32>,\n"
              "              %c: tensor<2x2xf32>) -> tensor<2x2xf32> {\n"
              "  %r = trop.matmul <max_plus> ins(%a, %b : tensor<2x3xf32>, "
              "tensor<2x2xf32>) outs(%c : tensor<2x2xf32>) -> "
              "tensor<2x2xf32>\n"
              "  return %r : tensor<2x2xf32>\n"
              "}\n",
              "mp", NULL);
  // CHECK-LABEL: verifier error: NULL
  // CHECK-NEXT: the module does not verify
  // CHECK-NEXT: <source>:3:8: error: 'trop.matmul' op
  expectError("unknown entry", kMatmul, "nope", "reference");
  // CHECK-LABEL: unknown entry: NULL
  // CHECK-NEXT: the module has no function '@nope' (it defines @mp)
  expectError("unknown pipeline", kMatmul, "mp", "tpu");
  // CHECK-LABEL: unknown pipeline: NULL
  // CHECK-NEXT: unknown pipeline 'tpu'; known pipelines: reference, cpu, gpu
  expectError("bad textual pipeline", kMatmul, "mp",
              "builtin.module(no-such-pass)");
  // CHECK-LABEL: bad textual pipeline: NULL
  // CHECK-NEXT: 'builtin.module(no-such-pass)' is neither a known pipeline

  // Input on which MLIR 22's parser crashes is an error like any other, and
  // the host lives on (trop/Support/ParserGuard.h).
  expectError("index array",
              "func.func @mp() attributes {a = array<index: 1>} {\n"
              "  return\n}\n",
              "mp", NULL);
  // CHECK-LABEL: index array: NULL
  // CHECK-NEXT: cannot parse the module
  // CHECK-NEXT: <source>:1:33: error: array<index: ...> is not supported
  expectError("bad dimensions",
              "func.func @mp(%a: tensor<4xf32>, %b: tensor<4x8xf32>) {\n"
              "  %r = linalg.broadcast ins(%a : tensor<4xf32>) outs(%b : "
              "tensor<4x8xf32>) dimensions = [1\n"
              "  return\n}\n",
              "mp", NULL);
  // CHECK-LABEL: bad dimensions: NULL
  // CHECK-NEXT: cannot parse the module
  // CHECK-NEXT: <source>:2:76: error: expected 'dimensions = [' integers ']'
  char *deep = nestedRegions(5000);
  expectError("nested 5000 deep", deep, "mp", NULL);
  free(deep);
  // CHECK-LABEL: nested 5000 deep: NULL
  // CHECK-NEXT: cannot parse the module
  // CHECK-NEXT: <source>:257:20: error: brackets nested deeper than 256 levels

  // Counts that would exhaust threads or memory are errors (OpenMP aborted
  // the process on 100000 threads).
  char *error = NULL;
  TropJitFunction *fn = tropJitCompile(kMatmul, strlen(kMatmul), "mp", "cpu",
                                       -1, TROP_MAX_THREADS + 1, &error);
  printf("too many threads: %s %s\n", fn ? "compiled" : "NULL",
         error ? error : "(no message)");
  // CHECK: too many threads: NULL {{.*}}`threads` {{.*}} 0 and 1024, not 1025
  tropFreeString(error);

  // A call with a missing buffer fails with a message.
  fn = tropJitCompile(kMatmul, strlen(kMatmul), "mp", NULL, -1, 0, &error);
  float buffer[6] = {0};
  const void *inputs[] = {buffer, NULL, buffer};
  void *outputs[] = {buffer};
  int status = tropJitInvoke(fn, inputs, outputs, &error);
  printf("missing input: %d %s\n", status, error ? error : "(no message)");
  // CHECK: missing input: 1 tropJitInvoke: input 1 (tensor<3x2xf32>) is NULL
  tropFreeString(error);
  const void *allInputs[] = {buffer, buffer, buffer};
  double seconds[1];
  status = tropJitBenchmark(fn, allInputs, TROP_MAX_BENCHMARK_RUNS + 1, seconds,
                            &error);
  printf("too many runs: %d %s\n", status, error ? error : "(no message)");
  // CHECK: too many runs: 1 {{.*}}`runs` {{.*}} 0 and 1000000, not 1000001
  tropFreeString(error);
  printf("out of range: %d %ld %s\n", tropJitGetInputElementType(fn, 3),
         (long)tropJitGetOutputRank(fn, -1),
         tropJitGetInputShape(fn, 7) ? "shape" : "NULL");
  // CHECK: out of range: -1 -1 NULL
  tropJitDestroy(fn);
  printf("element types: %s %s %d\n",
         tropElementTypeGetDtype(TROP_ELEMENT_BF16),
         tropElementTypeGetName(TROP_ELEMENT_I1),
         tropElementTypeGetByteWidth(TROP_ELEMENT_F64));
  // CHECK: element types: <u2 i1 8
  return 0;
}

/// tropRunPassPipeline: the module's text after the passes, or the error.
static void runPasses(const char *what, const char *source,
                      const char *pipeline) {
  char *diagnostics = NULL;
  char *error = NULL;
  char *text = tropRunPassPipeline(source, strlen(source), pipeline,
                                   &diagnostics, &error);
  printf("%s: %s\n%s\ndiagnostics: '%s'\n", what, text ? "ok" : "NULL",
         text ? text : (error ? error : "(no message)"),
         diagnostics ? diagnostics : "(none)");
  tropFreeString(text);
  tropFreeString(diagnostics);
  tropFreeString(error);
}

static void testRunPassPipeline(void) {
  runPasses("bare", kMatmul, "trop-to-linalg,canonicalize");
  // CHECK-LABEL: bare: ok
  // CHECK-NOT: trop.matmul
  // CHECK: linalg.generic
  // CHECK: diagnostics: ''
  runPasses("anchored", kMatmul, "builtin.module(trop-to-linalg)");
  // CHECK-LABEL: anchored: ok
  // CHECK-NOT: trop.matmul
  // CHECK: linalg.generic
  runPasses("unknown pass", kMatmul, "no-such-pass");
  // CHECK-LABEL: unknown pass: NULL
  // CHECK-NEXT: cannot parse the pass pipeline 'no-such-pass'
  // CHECK: 'no-such-pass' does not refer to a registered pass
  // CHECK: diagnostics: '(none)'
  runPasses("bad module", "func.func @f( {", "cse");
  // CHECK-LABEL: bad module: NULL
  // CHECK-NEXT: cannot parse the module
  // CHECK-NEXT: <source>:1:14: error: expected non-function type
  runPasses("no pipeline", kMatmul, "");
  // CHECK-LABEL: no pipeline: NULL
  // CHECK-NEXT: tropRunPassPipeline: no pass pipeline given
}

/// A matmul whose rows are dynamic: bound at each call by
/// tropJitInvokeShaped, the result of the sizes computed.
static const char *const kDynamic =
    "func.func @dyn(%a: tensor<?x2xf32>, %b: tensor<2x2xf32>, "
    "%c: tensor<?x2xf32>) -> tensor<?x2xf32> {\n"
    "  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x2xf32>, "
    "tensor<2x2xf32>) outs(%c : tensor<?x2xf32>) -> tensor<?x2xf32>\n"
    "  return %r : tensor<?x2xf32>\n}\n";

static int testDynamic(void) {
  char *error = NULL;
  TropJitFunction *fn =
      tropJitCompile(kDynamic, strlen(kDynamic), "dyn", "cpu", -1, 1, &error);
  if (!fn) {
    printf("dynamic: %s\n", error);
    return 1;
  }
  const int64_t *shape = tropJitGetInputShape(fn, 0);
  printf("dynamic: %d, input 0 (%ld, %ld) %ld bytes, output 0 (%ld, %ld)\n",
         tropJitHasDynamicShapes(fn), (long)shape[0], (long)shape[1],
         (long)tropJitGetInputSizeInBytes(fn, 0),
         (long)tropJitGetOutputShape(fn, 0)[0],
         (long)tropJitGetOutputShape(fn, 0)[1]);
  // CHECK-LABEL: dynamic: 1, input 0 (-1, 2) -1 bytes, output 0 (-1, 2)
  float a[6] = {0, 1, 2, 3, 4, 5}, b[4] = {0, 10, 1, 1};
  float c[6] = {-1e9f, -1e9f, -1e9f, -1e9f, -1e9f, -1e9f};
  const void *inputs[] = {a, b, c};
  void *fixed[] = {c};
  int status = tropJitInvoke(fn, inputs, fixed, &error);
  printf("fixed call: %d %s\n", status, error ? error : "(no message)");
  // CHECK-NEXT: fixed call: 1 tropJitInvoke: output 0 (tensor<?x2xf32>)
  // CHECK-SAME: has a dynamic size, {{.*}}: call tropJitInvokeShaped
  tropFreeString(error);
  for (int64_t rows = 1; rows <= 3; rows += 2) {
    int64_t aShape[] = {rows, 2}, cShape[] = {rows, 2}, outShape[2] = {0, 0};
    const int64_t *inputShapes[] = {aShape, NULL, cShape};
    void *outputs[1] = {NULL};
    int64_t *outputShapes[] = {outShape};
    status = tropJitInvokeShaped(fn, inputs, inputShapes, outputs, outputShapes,
                                 &error);
    if (status) {
      printf("shaped call: %s\n", error);
      return 1;
    }
    const float *y = (const float *)outputs[0];
    printf("rows %ld: (%ld, %ld) [%g, %g ... %g]\n", (long)rows,
           (long)outShape[0], (long)outShape[1], y[0], y[1],
           y[outShape[0] * 2 - 1]);
    tropFreeBuffer(outputs[0]);
  }
  // CHECK-NEXT: rows 1: (1, 2) [2, 10 ... 10]
  // CHECK-NEXT: rows 3: (3, 2) [2, 10 ... 14]
  int64_t aShape[] = {3, 2}, cShape[] = {2, 2}, outShape[2];
  const int64_t *inputShapes[] = {aShape, NULL, cShape};
  void *outputs[1] = {NULL};
  int64_t *outputShapes[] = {outShape};
  status = tropJitInvokeShaped(fn, inputs, inputShapes, outputs, outputShapes,
                               &error);
  printf("disagreeing rows: %d %s %s\n", status, outputs[0] ? "buffer" : "NULL",
         error ? error : "(no message)");
  // CHECK-NEXT: disagreeing rows: 1 NULL tropJitInvokeShaped: the arrays
  // CHECK-SAME: disagree on a dynamic size of 'tensor<?x2xf32>': dimension 0
  // CHECK-SAME: of argument 2 (input 2) is 2 but dimension 0 of argument 0
  // CHECK-SAME: (input 0) is 3
  tropFreeString(error);
  tropJitDestroy(fn);
  return 0;
}

/// tropSetProgressCallback: the stages of one compile, in order.
struct Stages {
  int count;
  int sawBufferize, sawLLVM;
  double seconds;
};

static void onStage(const char *stage, double seconds, void *userData) {
  struct Stages *stages = (struct Stages *)userData;
  ++stages->count;
  stages->seconds += seconds;
  if (!strcmp(stage, "one-shot-bufferize"))
    stages->sawBufferize = stages->count;
  if (!strcmp(stage, "convert-to-llvm"))
    stages->sawLLVM = stages->count;
}

static void testProgress(void) {
  struct Stages stages = {0, 0, 0, 0.0};
  tropSetProgressCallback(onStage, &stages);
  char *error = NULL;
  TropJitFunction *fn =
      tropJitCompile(kMatmul, strlen(kMatmul), "mp", "cpu", -1, 1, &error);
  tropSetProgressCallback(NULL, NULL);
  int counted = stages.count;
  TropJitFunction *quiet =
      tropJitCompile(kMatmul, strlen(kMatmul), "mp", "cpu", -1, 1, &error);
  printf("progress: %s, %s, bufferize before llvm: %d, time >= 0: %d, "
         "quiet after removal: %d\n",
         fn ? "compiled" : "NULL", counted > 10 ? "stages" : "few stages",
         stages.sawBufferize > 0 && stages.sawBufferize < stages.sawLLVM,
         stages.seconds >= 0.0, stages.count == counted);
  // CHECK: progress: compiled, stages, bufferize before llvm: 1, time >= 0: 1,
  // quiet after removal: 1
  tropJitDestroy(fn);
  tropJitDestroy(quiet);
  tropFreeString(error);
}

int main(void) {
  if (testPassPipeline())
    return 1;
  if (testRunner())
    return 1;
  testRunPassPipeline();
  if (testDynamic())
    return 1;
  testProgress();
  printf("done\n");
  // CHECK: done
  return 0;
}
