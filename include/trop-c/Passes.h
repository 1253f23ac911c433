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

#ifdef __cplusplus
}
#endif

#endif /* TROP_C_PASSES_H */
