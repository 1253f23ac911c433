//===- PassFuzzer.cpp - libFuzzer harness: trop's passes and pipelines ----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The first byte of the input picks a pass or pipeline from the table below;
// the rest is parsed and verified as a module, then run through it. A pass may
// fail with a diagnostic; it must not crash, hang, or leave IR that does not
// verify (the pass manager verifies after each pass and reports that as a
// failure, which this harness turns into a crash so that it is found).
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "trop/InitAll.h"

#include "mlir/IR/Verifier.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

#include <mutex>

using namespace mlir;

namespace {

/// What the lit suite runs, one configuration per entry.
constexpr const char *kPipelines[] = {
    "canonicalize",
    "trop-raise",
    "trop-fold",
    "trop-fold{reassociate=true}",
    "trop-fuse",
    "trop-prune{ratio=0.5}",
    "trop-prune{scope=global ratio=0.3}",
    "trop-prune{preset=paper-a ratios=0.8,0.7}",
    "trop-prune-dominated",
    "trop-tropnnc",
    "trop-to-linalg",
    "trop-reference-pipeline",
    "trop-cpu-pipeline",
    "trop-cpu-pipeline{nan-mode=propagate threads=2}",
};

void registerOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    registerAllPasses();
    mlir::trop::registerAllTropPasses();
  });
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1)
    return 0;
  registerOnce();
  constexpr size_t numPipelines = std::size(kPipelines);
  const char *pipeline = kPipelines[data[0] % numPipelines];
  llvm::StringRef text(reinterpret_cast<const char *>(data + 1), size - 1);
  OwningOpRef<ModuleOp> module = mlir::trop::fuzz::parseAndVerify(text);
  if (!module)
    return 0;

  PassManager pm(module->getContext());
  std::string error;
  llvm::raw_string_ostream errorStream(error);
  if (failed(parsePassPipeline(pipeline, pm, errorStream)))
    llvm::report_fatal_error(llvm::Twine("bad pipeline in the table: ") +
                             pipeline + ": " + error);
  // A failed pass is an answer; the verifier failing after a pass that
  // reported success is a bug, which the pass manager reports as a failure
  // too, so the harness checks the IR itself.
  if (succeeded(pm.run(*module)) && failed(mlir::verify(*module)))
    llvm::report_fatal_error(llvm::Twine(pipeline) +
                             " succeeded and left IR that does not verify");
  return 0;
}
