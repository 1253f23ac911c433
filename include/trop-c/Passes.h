/*===-- trop-c/Passes.h - C API for trop's passes and pipelines ---*- C -*-===*\
|*                                                                            *|
|* Part of the trop project.                                                  *|
|*                                                                            *|
|*===----------------------------------------------------------------------===*|
|*                                                                            *|
|* Pass creation and registration from C. The per-pass functions are          *|
|* generated from the passes' TableGen files, one prefix per pass group:      *|
|*                                                                            *|
|*   include/trop/Conversion/Passes.td (prefix TropConversion):               *|
|*     MlirPass mlirCreateTropConversionConvertTropToLinalg(void);            *|
|*     MlirPass mlirCreateTropConversionConvertTropToCPU(void);               *|
|*     MlirPass mlirCreateTropConversionSoftBF16(void);                       *|
|*     void mlirRegisterTropConversion<Pass>(void);                           *|
|*     void mlirRegisterTropConversionPasses(void);                           *|
|*   include/trop/Dialect/Trop/Transforms/Passes.td (prefix TropTransforms):  *|
|*     MlirPass mlirCreateTropTransformsTropRaise(void);                      *|
|*     void mlirRegisterTropTransforms<Pass>(void);                           *|
|*     void mlirRegisterTropTransformsPasses(void);                           *|
|*                                                                            *|
|* A created pass has its default options; the textual form                   *|
|* (mlirParsePassPipeline, after registration) sets others.                   *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef TROP_C_PASSES_H
#define TROP_C_PASSES_H

#include "mlir-c/Pass.h"

#include <stddef.h>

#include "trop-c/ConversionPasses.capi.h.inc"
#include "trop-c/TransformsPasses.capi.h.inc"

#ifdef __cplusplus
extern "C" {
#endif

/// Registers trop-reference-pipeline and trop-cpu-pipeline with the global
/// pass registry, so that mlirParsePassPipeline and
/// mlirOpPassManagerAddPipeline accept them. Safe to call more than once.
MLIR_CAPI_EXPORTED void mlirTropRegisterPipelines(void);

/// Registers every trop pass and pipeline, as mlir::trop::registerAllTropPasses
/// does in C++. The upstream passes trop's pipelines are made of need no
/// registration; register them (mlirRegisterAllPasses) only to name them in
/// textual pipelines. Safe to call more than once.
MLIR_CAPI_EXPORTED void mlirTropRegisterAllPasses(void);

/// Parses `source` (`length` bytes of MLIR text, parsed with the same guards
/// as tropJitCompile), runs the textual pass pipeline `pipeline` on it and
/// returns the resulting module as text. `pipeline` is anchored on
/// builtin.module ("builtin.module(trop-raise,canonicalize)"), or a bare list
/// of passes that is ("trop-raise,canonicalize"); every upstream and trop
/// pass and pipeline may be named. The IR is verified after each pass.
///
/// On success, returns the printed module and, when `diagnostics` is not
/// NULL, stores in `*diagnostics` the diagnostics the passes emitted
/// (warnings, remarks; "" when none). On failure (the source does not
/// parse or verify, the pipeline does not parse, a pass fails) returns NULL
/// and stores in `*error` a message with every diagnostic and its source
/// line. Every returned string is malloc'ed: free it with tropFreeString.
/// Thread-safe: each call has its own MLIRContext.
MLIR_CAPI_EXPORTED char *tropRunPassPipeline(const char *source, size_t length,
                                             const char *pipeline,
                                             char **diagnostics, char **error);

#ifdef __cplusplus
}
#endif

#endif /* TROP_C_PASSES_H */
