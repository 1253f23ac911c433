//===- TropToCPU.cpp - trop ops to packed, vectorized CPU kernels ---------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The pass: it shapes the kernels for the target (CPUTarget, the host unless
// the options say otherwise), adds the patterns of each family
// (PopulatePatterns.h: Contraction, Convolution, Maxout, LinalgMatmul) and
// rewrites every op once, then lowers the register transposes of the sparse
// kernels (SparseEmitter). The kernels themselves are emitted by GemmEmitter,
// SparseEmitter, ConvEmitter and MaxoutEmitter. Ops outside the fast paths
// (non-unit innermost strides, maxout on i1 or whose leading dimensions
// cannot be collapsed) are left alone for the reference lowering that the
// pipeline runs next, so every op still lowers exactly.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToCPU/TropToCPU.h"
#include "PopulatePatterns.h"
#include "SparseEmitter.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_CONVERTTROPTOCPU
#include "trop/Conversion/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

namespace {

struct ConvertTropToCPUPass
    : public trop::impl::ConvertTropToCPUBase<ConvertTropToCPUPass> {
  using Base::Base;
  void runOnOperation() override {
    CPUTarget target = CPUTarget::host();
    if (vectorBits != 0)
      target.vectorBits = vectorBits;
    if (vectorRegisters != 0)
      target.numVectorRegisters = vectorRegisters;
    if (nativeF16 != NativeF16::Auto)
      target.nativeF16 = nativeF16 == NativeF16::On;
    RewritePatternSet patterns(&getContext());
    populateTropToCPUPatterns(patterns, target, nanMode, numTasks,
                              sparseMaxDensity);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    // The sparse kernels transpose VL × VL tiles in registers.
    if (failed(lowerSparseTransposes(getOperation())))
      signalPassFailure();
  }
};

} // namespace

void trop::populateTropToCPUPatterns(RewritePatternSet &patterns,
                                     const CPUTarget &target, NaNMode nanMode,
                                     int64_t numTasks,
                                     double sparseMaxDensity) {
  CPUPattern cfg{target, nanMode, std::max<int64_t>(1, numTasks),
                 sparseMaxDensity};
  populateContractionPatterns(patterns, cfg);
  populateConvolutionPatterns(patterns, cfg);
  populateMaxoutPatterns(patterns, cfg);
  populateLinalgMatmulPatterns(patterns, cfg);
  populateTrainingPatterns(patterns, cfg);
  populateLinalgConvPatterns(patterns, cfg);
  populateBinaryMorphologyPatterns(patterns, cfg);
  populateBipolarPatterns(patterns, cfg);
  populateLogSumExpPatterns(patterns, cfg);
  populateLinalgElementwisePatterns(patterns, cfg);
  populateDualConvPatterns(patterns, cfg);
}
