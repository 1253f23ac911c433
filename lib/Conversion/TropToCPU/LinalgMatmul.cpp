//===- LinalgMatmul.cpp - linalg.matmul (not a trop op) on CPU ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Not a trop op: the linear layers of a network (linalg.matmul on f32/f64)
// run on the same packed or sparse GEMM as the tropical ones, with (+, ×),
// so that a mixed network is fast end to end.
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"
#include "PopulatePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// linalg.matmul on f32/f64 memrefs, the linear layers next to tropical ones,
/// on the same packed kernels with (+, ×). Bit-identical to linalg's loops:
/// each output element is accumulated in increasing k order, one mulf and
/// one addf per step, no contraction into FMA.
struct LinalgMatmulToCPU : CPUOpPattern<linalg::MatmulOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() || op.hasUserDefinedMaps())
      return rewriter.notifyMatchFailure(op, "plain memref matmul only");
    Value a = op.getInputs()[0], bMat = op.getInputs()[1],
          c = op.getOutputs()[0];
    Type elementType = getElementTypeOrSelf(c.getType());
    if (!isa<Float32Type, Float64Type>(elementType) ||
        getElementTypeOrSelf(a.getType()) != elementType ||
        getElementTypeOrSelf(bMat.getType()) != elementType ||
        !hasUnitInnerStride(bMat) || !hasUnitInnerStride(c))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    // The body must be the default multiply-add (no casts, no custom body).
    if (!isPlainMultiplyAdd(op))
      return rewriter.notifyMatchFailure(op, "not a plain multiply-add");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ComputeDomain dom = ComputeDomain::getLinear(elementType);
    if (!tryEmitSparse(b, *this, op, dom, a, bMat, c))
      emitMatmul(b, *this, dom, a, bMat, c, std::nullopt,
                 buildEpilogue(b, op, dom, bMat, c));
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void trop::populateLinalgMatmulPatterns(RewritePatternSet &patterns,
                                        const CPUPattern &cfg) {
  patterns.add<LinalgMatmulToCPU>(patterns.getContext(), cfg);
}
