//===- Passes.cpp - C API for trop's passes and pipelines -----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop-c/Passes.h"
#include "trop/Conversion/Passes.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Pipelines/Pipelines.h"

#include "mlir/CAPI/Pass.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace mlir::trop;

// The generated definitions call the C++ create/register functions
// unqualified.
#include "trop-c/ConversionPasses.capi.cpp.inc"
#include "trop-c/TransformsPasses.capi.cpp.inc"

void mlirTropRegisterPipelines(void) { registerTropPipelines(); }

void mlirTropRegisterAllPasses(void) {
  // Safe to call again: registering a pass again is harmless (same TypeID),
  // and the pipelines register once.
  mlirRegisterTropConversionPasses();
  mlirRegisterTropTransformsPasses();
  mlirTropRegisterPipelines();
}
