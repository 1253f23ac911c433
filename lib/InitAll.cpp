//===- InitAll.cpp - Register everything trop provides --------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/InitAll.h"
#include "trop/Conversion/Passes.h"
#include "trop/Dialect/Trop/IR/TropDialect.h"
#include "trop/Dialect/Trop/Transforms/BufferizableOpInterfaceImpl.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Transforms/TilingInterfaceImpl.h"
#include "trop/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

using namespace mlir;

void trop::registerTropDialect(DialectRegistry &registry) {
  registry.insert<TropDialect>();
  registerBufferizableOpInterfaceExternalModels(registry);
  registerTilingInterfaceExternalModels(registry);
}

void trop::registerAllTropPasses() {
  registerTropConversionPasses();
  registerTropTransformsPasses();
  registerTropPipelines();
}
