//===- Bipolar.cpp - bipolar_matmul on CPU --------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.bipolar_matmul (paper E's BM layer) on the kernel of BipolarEmitter:
// the four max-plus contractions as one packed GEMM sweep.
//
//===----------------------------------------------------------------------===//

#include "BipolarEmitter.h"
#include "PopulatePatterns.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

using namespace mlir;
using namespace mlir::trop;

namespace {
/// Every memref form: the kernel reads its operands with scalar loads into
/// its own packed buffers, so any strides do.
struct BipolarMatmulToCPU : CPUOpPattern<BipolarMatmulOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(BipolarMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    emitBipolarMatmul(b, *this, op.getLhs(), op.getRhsPos(), op.getRhsNeg(),
                      op.getInit(), op.getInputShift().convertToDouble());
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void trop::populateBipolarPatterns(RewritePatternSet &patterns,
                                   const CPUPattern &cfg) {
  patterns.add<BipolarMatmulToCPU>(patterns.getContext(), cfg);
}
