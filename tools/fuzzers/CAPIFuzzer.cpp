//===- CAPIFuzzer.cpp - libFuzzer harness: the C API runner's checks ------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Drives trop-c/Runner.h as a careless host would: tropJitCompile with
// fuzzed sources, entries, pipelines, NaN modes and thread counts; every
// signature query with fuzzed indices (and NULL functions); tropJitBenchmark
// with fuzzed run counts; the element-type queries with fuzzed codes. Each
// call must answer (a value, NULL, -1 or an error message), never crash.
//
// Calls with fuzzed *data* are differential: one small module is compiled
// once by the reference and by the cpu pipeline (both propagating NaN), and
// every input the fuzzer writes into its buffers must give the same outputs
// from both, bit for bit (any NaN equals any NaN; +0 and -0 tie, the ties
// docs/semantics.md leaves open). A disagreement is turned into a crash so
// that libFuzzer keeps the input.
//
// The compile checks must stay fast: arguments that pass every check are
// compiled once per distinct combination (thread counts that pass are folded
// onto 0-2), so the harness spends its time on the checks and on the calls.
//
//===----------------------------------------------------------------------===//

#include "trop-c/Runner.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace {

/// @results returns its result; @inplace writes a memref argument, so
/// its output is that argument's final value.
constexpr char kModule[] = R"mlir(
func.func @results(%a: tensor<3x5xf32>, %b: tensor<5x4xf32>, %c: tensor<3x4xf32>) -> tensor<3x4xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<3x5xf32>, tensor<5x4xf32>) outs(%c : tensor<3x4xf32>) -> tensor<3x4xf32>
  return %r : tensor<3x4xf32>
}
func.func @inplace(%a: memref<2x7xi16>, %b: memref<7x3xi16>, %c: memref<2x3xi16>) {
  trop.matmul <min_plus> ins(%a, %b : memref<2x7xi16>, memref<7x3xi16>) outs(%c : memref<2x3xi16>)
  return
}
)mlir";

constexpr const char *kEntries[] = {"results", "inplace"};

[[noreturn]] void fail(const std::string &what) {
  std::fprintf(stderr, "trop-capi-fuzzer: %s\n", what.c_str());
  std::abort();
}

/// The two functions of kModule from both pipelines, compiled once.
struct Compiled {
  TropJitFunction *reference[2] = {};
  TropJitFunction *cpu[2] = {};
};

const Compiled &getCompiled() {
  static Compiled compiled = [] {
    Compiled c;
    for (int i = 0; i < 2; ++i) {
      char *error = nullptr;
      c.reference[i] =
          tropJitCompile(kModule, sizeof(kModule) - 1, kEntries[i], "reference",
                         TROP_NAN_MODE_PROPAGATE, 1, &error);
      if (!c.reference[i])
        fail(std::string("the reference pipeline failed: ") + error);
      c.cpu[i] = tropJitCompile(kModule, sizeof(kModule) - 1, kEntries[i],
                                "cpu", TROP_NAN_MODE_PROPAGATE, 1, &error);
      if (!c.cpu[i])
        fail(std::string("the cpu pipeline failed: ") + error);
    }
    return c;
  }();
  return compiled;
}

void expectError(int status, char *error, const char *call) {
  if (status == 0)
    fail(std::string(call) + " accepted arguments it must refuse");
  if (!error || !*error)
    fail(std::string(call) + " failed without a message");
  tropFreeString(error);
}

/// tropJitCompile with fuzzed arguments.
void fuzzCompile(FuzzedDataProvider &fdp) {
  static std::set<std::tuple<std::string, std::string, int, int64_t>> compiled;
  std::string entry = fdp.ConsumeRandomLengthString(12);
  std::string pipeline;
  switch (fdp.ConsumeIntegralInRange(0, 3)) {
  case 0:
    pipeline = fdp.PickValueInArray({"", "reference", "cpu"});
    break;
  case 1:
    pipeline = "builtin.module(" + fdp.ConsumeRandomLengthString(40) + ")";
    break;
  default:
    pipeline = fdp.ConsumeRandomLengthString(40);
  }
  int nanMode = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange(-2, 2)
                                  : fdp.ConsumeIntegral<int>();
  int64_t threads = fdp.ConsumeIntegral<int64_t>();
  bool validThreads = threads >= 0 && threads <= TROP_MAX_THREADS;
  if (validThreads)
    threads %= 3;
  std::string source = fdp.ConsumeBool() ? std::string(kModule)
                                         : fdp.ConsumeRemainingBytesAsString();
  bool validArguments = nanMode >= TROP_NAN_MODE_DEFAULT &&
                        nanMode <= TROP_NAN_MODE_ASSUME_NONE && validThreads;
  if (validArguments && source == kModule &&
      !compiled.insert({entry, pipeline, nanMode, threads}).second)
    return;
  char *error = nullptr;
  TropJitFunction *function =
      tropJitCompile(source.data(), source.size(), entry.c_str(),
                     pipeline.c_str(), nanMode, threads, &error);
  if (function) {
    if (!validArguments)
      fail("tropJitCompile accepted an invalid NaN mode or thread count");
    tropJitDestroy(function);
    return;
  }
  if (!error || !*error)
    fail("tropJitCompile failed without a message");
  tropFreeString(error);
}

/// Every signature query with a fuzzed index, on a function or on NULL.
void fuzzQueries(FuzzedDataProvider &fdp) {
  const Compiled &c = getCompiled();
  const TropJitFunction *function =
      fdp.PickValueInArray<const TropJitFunction *>(
          {c.reference[0], c.cpu[1], nullptr});
  intptr_t index = fdp.ConsumeBool() ? fdp.ConsumeIntegralInRange(-1, 4)
                                     : fdp.ConsumeIntegral<intptr_t>();
  intptr_t inputs = tropJitGetNumInputs(function);
  intptr_t outputs = tropJitGetNumOutputs(function);
  bool validInput = function && index >= 0 && index < inputs;
  bool validOutput = function && index >= 0 && index < outputs;
  if ((tropJitGetInputElementType(function, index) >= 0) != validInput ||
      (tropJitGetInputDtype(function, index) != nullptr) != validInput ||
      (tropJitGetInputRank(function, index) >= 0) != validInput ||
      (tropJitGetInputShape(function, index) != nullptr) != validInput ||
      (tropJitGetInputSizeInBytes(function, index) >= 0) != validInput ||
      (tropJitGetInputTypeString(function, index) != nullptr) != validInput)
    fail("an input query disagrees with tropJitGetNumInputs");
  if ((tropJitGetOutputElementType(function, index) >= 0) != validOutput ||
      (tropJitGetOutputDtype(function, index) != nullptr) != validOutput ||
      (tropJitGetOutputRank(function, index) >= 0) != validOutput ||
      (tropJitGetOutputShape(function, index) != nullptr) != validOutput ||
      (tropJitGetOutputSizeInBytes(function, index) >= 0) != validOutput ||
      (tropJitGetOutputTypeString(function, index) != nullptr) != validOutput)
    fail("an output query disagrees with tropJitGetNumOutputs");
  (void)tropJitGetOutputArgumentIndex(function, index);
  (void)tropJitGetNumUpdates(function);
  int code = fdp.ConsumeIntegral<int>();
  bool known = tropElementTypeGetByteWidth(code) > 0;
  if ((tropElementTypeGetDtype(code) != nullptr) != known ||
      (tropElementTypeGetName(code) != nullptr) != known)
    fail("the element type queries disagree on code " + std::to_string(code));
}

/// Buffers for every input and output of `function`.
struct Buffers {
  std::vector<std::vector<uint8_t>> inputs, outputs;
  std::vector<const void *> inputPointers;
  std::vector<void *> outputPointers;

  explicit Buffers(const TropJitFunction *function) {
    for (intptr_t i = 0, e = tropJitGetNumInputs(function); i < e; ++i)
      inputs.emplace_back(tropJitGetInputSizeInBytes(function, i));
    for (intptr_t i = 0, e = tropJitGetNumOutputs(function); i < e; ++i)
      outputs.emplace_back(tropJitGetOutputSizeInBytes(function, i));
    for (auto &buffer : inputs)
      inputPointers.push_back(buffer.data());
    for (auto &buffer : outputs)
      outputPointers.push_back(buffer.data());
  }
};

/// Whether two f32 outputs agree up to NaN payloads and signed-zero ties.
bool sameF32(const std::vector<uint8_t> &x, const std::vector<uint8_t> &y) {
  for (size_t i = 0; i + 4 <= x.size(); i += 4) {
    float a, b;
    std::memcpy(&a, &x[i], 4);
    std::memcpy(&b, &y[i], 4);
    if (std::isnan(a) && std::isnan(b))
      continue;
    if (a == 0 && b == 0)
      continue;
    if (std::memcmp(&a, &b, 4) != 0)
      return false;
  }
  return true;
}

/// Fuzzed input data through both pipelines; their outputs must agree.
void fuzzInvoke(FuzzedDataProvider &fdp) {
  const Compiled &c = getCompiled();
  int which = fdp.ConsumeIntegralInRange(0, 1);
  Buffers reference(c.reference[which]), cpu(c.cpu[which]);
  for (size_t i = 0; i < reference.inputs.size(); ++i) {
    std::vector<uint8_t> bytes =
        fdp.ConsumeBytes<uint8_t>(reference.inputs[i].size());
    std::copy(bytes.begin(), bytes.end(), reference.inputs[i].begin());
    cpu.inputs[i] = reference.inputs[i];
  }
  char *error = nullptr;
  if (tropJitInvoke(c.reference[which], reference.inputPointers.data(),
                    reference.outputPointers.data(), &error) != 0 ||
      tropJitInvoke(c.cpu[which], cpu.inputPointers.data(),
                    cpu.outputPointers.data(), &error) != 0)
    fail(std::string("a valid call failed: ") + (error ? error : ""));
  for (size_t i = 0; i < reference.outputs.size(); ++i) {
    bool same = which == 0 ? sameF32(reference.outputs[i], cpu.outputs[i])
                           : reference.outputs[i] == cpu.outputs[i];
    if (!same)
      fail(std::string("the cpu pipeline disagrees with the reference on @") +
           kEntries[which]);
  }
  // A call without output buffers is refused before anything runs.
  error = nullptr;
  expectError(
      tropJitInvoke(c.cpu[which], cpu.inputPointers.data(), nullptr, &error),
      error, "tropJitInvoke");
}

/// tropJitBenchmark with a fuzzed run count (short valid counts only run).
void fuzzBenchmark(FuzzedDataProvider &fdp) {
  const Compiled &c = getCompiled();
  Buffers buffers(c.cpu[0]);
  int64_t runs = fdp.ConsumeIntegral<int64_t>();
  if (fdp.ConsumeBool())
    runs = fdp.ConsumeIntegralInRange<int64_t>(-2, 8);
  bool valid = runs >= 0 && runs <= TROP_MAX_BENCHMARK_RUNS;
  if (valid && runs > 8)
    return;
  std::vector<double> seconds(valid ? runs : 0);
  bool nullSeconds = fdp.ConsumeBool();
  char *error = nullptr;
  int status = tropJitBenchmark(fdp.ConsumeBool() ? c.cpu[0] : nullptr,
                                buffers.inputPointers.data(), runs,
                                nullSeconds ? nullptr : seconds.data(), &error);
  if (status == 0) {
    for (double s : seconds)
      if (!(s >= 0))
        fail("tropJitBenchmark stored a negative or NaN time");
    return;
  }
  if (!error || !*error)
    fail("tropJitBenchmark failed without a message");
  tropFreeString(error);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  FuzzedDataProvider fdp(data, size);
  switch (fdp.ConsumeIntegralInRange(0, 3)) {
  case 0:
    fuzzCompile(fdp);
    break;
  case 1:
    fuzzQueries(fdp);
    break;
  case 2:
    fuzzInvoke(fdp);
    break;
  default:
    fuzzBenchmark(fdp);
  }
  return 0;
}
