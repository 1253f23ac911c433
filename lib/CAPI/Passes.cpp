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

#include <mutex>

using namespace mlir;
using namespace mlir::trop;

// The generated definitions call the C++ create/register functions
// unqualified.
#include "trop-c/ConversionPasses.capi.cpp.inc"
#include "trop-c/TransformsPasses.capi.cpp.inc"

void mlirTropRegisterPipelines(void) {
  // Registering a pipeline twice fails an assertion in builds of MLIR with
  // assertions, and this function is reached from mlirTropRegisterAllPasses
  // and the JIT runner as well as directly.
  static std::once_flag once;
  std::call_once(once, [] { registerTropPipelines(); });
}

void mlirTropRegisterAllPasses(void) {
  // Registering a pass again is harmless (same TypeID); only pipelines need
  // the guard.
  mlirRegisterTropConversionPasses();
  mlirRegisterTropTransformsPasses();
  mlirTropRegisterPipelines();
}
