//===- FuzzContext.cpp - What every trop fuzz harness shares --------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "trop/InitAll.h"
#include "trop/Support/ParserGuard.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"

#include <memory>
#include <string>

using namespace mlir;

namespace {

/// Inputs parsed in one context before it is replaced.
constexpr unsigned kInputsPerContext = 2000;

std::unique_ptr<MLIRContext> makeContext() {
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  mlir::trop::registerTropDialect(registry);
  auto context =
      std::make_unique<MLIRContext>(registry, MLIRContext::Threading::DISABLED);
  context->getDiagEngine().registerHandler(
      [](Diagnostic &) { return success(); });
  return context;
}

} // namespace

MLIRContext &mlir::trop::fuzz::getContext() {
  static std::unique_ptr<MLIRContext> context;
  static unsigned uses = 0;
  if (!context || ++uses % kInputsPerContext == 0)
    context = makeContext();
  return *context;
}

OwningOpRef<ModuleOp> mlir::trop::fuzz::parseAndVerify(llvm::StringRef text) {
  if (mlir::trop::findParserHazard(text))
    return nullptr;
  MLIRContext &context = getContext();
  ParserConfig config(&context);
  // MLIR's lexer reads up to a terminating NUL, which every trop host
  // provides (files, std::string, C strings); libFuzzer's bytes have none.
  std::string source = text.str();
  OwningOpRef<ModuleOp> module = parseSourceString<ModuleOp>(source, config);
  if (!module || failed(verify(*module)))
    return nullptr;
  return module;
}
