//===- Dialects.cpp - C API for the trop dialect --------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop-c/Dialects.h"
#include "trop/Dialect/Trop/IR/TropDialect.h"
#include "trop/InitAll.h"

#include "mlir/CAPI/IR.h"
#include "mlir/CAPI/Registration.h"

MLIR_DEFINE_CAPI_DIALECT_REGISTRATION(Trop, trop, mlir::trop::TropDialect)

void mlirTropRegisterDialect(MlirDialectRegistry registry) {
  mlir::trop::registerTropDialect(*unwrap(registry));
}
