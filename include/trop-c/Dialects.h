/*===-- trop-c/Dialects.h - C API for the trop dialect ------------*- C -*-===*\
|*                                                                            *|
|* Part of the trop project.                                                  *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Registration of the trop dialect through MLIR's C API, for hosts that      *|
|* build their compiler on the MLIR C API (or on bindings over it).           *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef TROP_C_DIALECTS_H
#define TROP_C_DIALECTS_H

#include "mlir-c/IR.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Declares `mlirGetDialectHandle__trop__()`, to be used with
/// mlirDialectHandleRegisterDialect / mlirDialectHandleLoadDialect. It
/// inserts the dialect only: prefer mlirTropRegisterDialect when the module
/// will be bufferized, which needs the dialect's external interface models.
MLIR_DECLARE_CAPI_DIALECT_REGISTRATION(Trop, trop);

/// Inserts the trop dialect into `registry` together with the external
/// interface models of its ops (bufferization), as
/// mlir::trop::registerTropDialect does in C++.
MLIR_CAPI_EXPORTED void mlirTropRegisterDialect(MlirDialectRegistry registry);

#ifdef __cplusplus
}
#endif

#endif /* TROP_C_DIALECTS_H */
