//===- BinaryMorphology.cpp - Bit-packed binary morphology on CPU ---------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.binary_morphology on the word-parallel kernel of
// BinaryMorphologyEmitter, for contiguous input and output memrefs (others
// are left for the reference lowering).
//
//===----------------------------------------------------------------------===//

#include "BinaryMorphologyEmitter.h"
#include "PopulatePatterns.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

bool isContiguous(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  return type && type.getLayout().isIdentity();
}

struct BinaryMorphologyToCPU : CPUOpPattern<BinaryMorphologyOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(BinaryMorphologyOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    if (!isContiguous(op.getInput()) || !isContiguous(op.getInit()))
      return rewriter.notifyMatchFailure(op, "rows are not contiguous");
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      padding = op.getPadding();
    BinaryMorphologySpec spec{op.getKind() == MorphologyKind::Dilation,
                              op.getPaddingMode() == PaddingMode::Replicate,
                              static_cast<int64_t>(op.getChannels()),
                              {strides[0], strides[1]},
                              {dilations[0], dilations[1]},
                              {padding[0], padding[1], padding[2], padding[3]},
                              // Two registers per step: independent chains for
                              // the out-of-order core.
                              std::max<int64_t>(2, 2 * target.vectorBits / 64)};
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    emitBinaryMorphology(b, spec, op.getInput(), op.getFilter(), op.getInit());
    rewriter.eraseOp(op);
    return success();
  }
};

struct BinaryDenseToCPU : CPUOpPattern<BinaryDenseOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(BinaryDenseOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    if (!isContiguous(op.getInput()) || !isContiguous(op.getSubsets()) ||
        !isContiguous(op.getInit()))
      return rewriter.notifyMatchFailure(op, "rows are not contiguous");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t outputs = cast<MemRefType>(op.getSubsets().getType()).getDimSize(0);
    emitBinaryDense(b, op.getInFeatures(), outputs,
                    std::max<int64_t>(2, 2 * target.vectorBits / 64),
                    op.getInput(), op.getSubsets(), op.getKinds(),
                    op.getInit());
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void trop::populateBinaryMorphologyPatterns(RewritePatternSet &patterns,
                                            const CPUPattern &cfg) {
  patterns.add<BinaryMorphologyToCPU, BinaryDenseToCPU>(patterns.getContext(),
                                                        cfg);
}
