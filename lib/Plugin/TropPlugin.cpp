//===- TropPlugin.cpp - trop as an mlir-opt plugin ------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Entry points that `mlir-opt --load-dialect-plugin=TropPlugin.so` and
// `mlir-opt --load-pass-plugin=TropPlugin.so` look up. Both register the
// passes: a dialect plugin alone must make `--pass-pipeline=...(trop-...)`
// work, since trop's passes are only useful on trop ops. Both may run in one
// process: registration is safe to repeat (registerTropPipelines registers
// the pipelines once).
//
//===----------------------------------------------------------------------===//

#include "trop/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/Plugins/DialectPlugin.h"
#include "mlir/Tools/Plugins/PassPlugin.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/Compiler.h"

using namespace mlir;

/// Weak, as upstream's examples: several plugins may be linked into one
/// binary, and only the loader's lookup of this module matters.
extern "C" LLVM_ATTRIBUTE_WEAK DialectPluginLibraryInfo
mlirGetDialectPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "Trop", LLVM_VERSION_STRING,
          [](DialectRegistry *registry) {
            trop::registerTropDialect(*registry);
            trop::registerAllTropPasses();
          }};
}

extern "C" LLVM_ATTRIBUTE_WEAK PassPluginLibraryInfo mlirGetPassPluginInfo() {
  return {MLIR_PLUGIN_API_VERSION, "TropPasses", LLVM_VERSION_STRING,
          []() { trop::registerAllTropPasses(); }};
}
