//===- downstream-opt.cpp - A tool built against an installed trop --------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// What a host compiler does to embed trop: insert the trop dialect (with its
// interface models) into its registry, register trop's passes, and build
// trop's pipelines into its own by calling them as C++ functions.
//
//===----------------------------------------------------------------------===//

#include "trop/InitAll.h"
#include "trop/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

/// The host's own pipeline, made of trop's reference lowering with NaN-free
/// max/min. A host would add its own passes before and after.
static void buildDownstreamPipeline(mlir::OpPassManager &pm) {
  mlir::trop::ReferencePipelineOptions options;
  options.nanMode = mlir::trop::NaNMode::AssumeNone;
  mlir::trop::buildReferencePipeline(pm, options);
}

int main(int argc, char **argv) {
  // trop's passes and pipelines (--trop-to-linalg, ...), then the host's.
  mlir::trop::registerAllTropPasses();
  mlir::PassPipelineRegistration<>("downstream-lower",
                                   "trop's reference lowering, NaN-free",
                                   buildDownstreamPipeline);

  // Upstream dialects and their interface models (the lowering bufferizes
  // and converts to LLVM), then trop with its models.
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  mlir::trop::registerTropDialect(registry);

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "downstream-opt: a tool built against an installed trop\n",
      registry));
}
