//===- trop-opt.cpp - The trop optimizer driver ---------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// mlir-opt with the trop dialect, its passes and pipelines, and every upstream
// dialect and pass.
//
//===----------------------------------------------------------------------===//

#include "trop/InitAll.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::trop::registerAllTropPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::trop::registerTropDialect(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "trop optimizer driver: the trop dialect for tropical (max-plus, "
      "min-plus, max-min, min-max) contractions, its passes and pipelines, "
      "and all upstream MLIR dialects and passes\n",
      registry));
}
