//===- Maxout.cpp - maxout on CPU -----------------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.maxout on the group kernel of MaxoutEmitter, for operands whose rows
// are contiguous (others are left for the reference lowering).
//
//===----------------------------------------------------------------------===//

#include "MaxoutEmitter.h"
#include "PopulatePatterns.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// maxout: the group kernel of MaxoutEmitter on rows × channels views.
/// Its ⊕ is max whatever the type, i.e. that of the max semirings, computed
/// in the domain of `max_min` (the element type, or f32 for half precision
/// without native support: max needs no wider integers).
struct MaxoutToCPU : CPUOpPattern<MaxoutOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(MaxoutOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    // i1: maxout reads each input byte once, so copying the operands into
    // bytes first costs more than the reference's loop (measured 10x slower
    // on 64 x 1024 channels, docs/cpu-pipeline.md).
    if (elementType.isInteger(1))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    if (!hasUnitInnerStride(op.getInput()) ||
        !hasUnitInnerStride(op.getInit()) || !hasRowView(op.getInput()) ||
        !hasRowView(op.getInit()))
      return rewriter.notifyMatchFailure(op, "rows are not contiguous");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ComputeDomain dom = domain(SemiringKind::MaxMin, elementType);
    emitMaxout(b, dom, rowView(b, op.getInput()), rowView(b, op.getInit()),
               op.getGroupSize(), tiling(dom).vectorLength, numTasks);
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void trop::populateMaxoutPatterns(RewritePatternSet &patterns,
                                  const CPUPattern &cfg) {
  patterns.add<MaxoutToCPU>(patterns.getContext(), cfg);
}
