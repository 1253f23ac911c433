//===- DualConv.cpp - dual_conv_2d on CPU ---------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.dual_conv_2d on the kernel of DualConvEmitter, for memrefs whose
// channel dimension is contiguous (others are left for the reference
// lowering).
//
//===----------------------------------------------------------------------===//

#include "DualConvEmitter.h"
#include "PopulatePatterns.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {
struct DualConvToCPU : CPUOpPattern<DualConv2DOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(DualConv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    DualConvOperands operands{op.getInput(), op.getFilterMax(),
                              op.getFilterMin(), op.getInitMax(),
                              op.getInitMin()};
    // Filters and destinations are read in vectors of channels.
    for (Value v : {operands.filterMax, operands.filterMin, operands.initMax,
                    operands.initMin})
      if (!hasUnitInnerStride(v))
        return rewriter.notifyMatchFailure(op, "no fast kernel");
    ComputeDomain dom = domain(SemiringKind::MaxPlus,
                               getElementTypeOrSelf(op.getInitMax().getType()));
    ConvWindow window{SmallVector<int64_t, 2>(op.getStrides()),
                      SmallVector<int64_t, 2>(op.getDilations()),
                      SmallVector<int64_t, 2>(op.getPadding())};
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    emitDualConv2D(b, dom, tiling(dom, /*accumulatorSets=*/2), window,
                   operands);
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void trop::populateDualConvPatterns(RewritePatternSet &patterns,
                                    const CPUPattern &cfg) {
  patterns.add<DualConvToCPU>(patterns.getContext(), cfg);
}
