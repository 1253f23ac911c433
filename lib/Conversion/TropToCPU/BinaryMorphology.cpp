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

/// The kernels need memrefs (after bufferization) and flatten or load rows
/// of `rows` with vector loads, so those must be contiguous.
LogicalResult checkOperands(PatternRewriter &rewriter, TropOpInterface op,
                            ValueRange rows) {
  if (op.hasTensorSemantics())
    return rewriter.notifyMatchFailure(op, "bufferize first");
  for (Value value : rows) {
    auto type = dyn_cast<MemRefType>(value.getType());
    if (!type || !type.getLayout().isIdentity())
      return rewriter.notifyMatchFailure(op, "rows are not contiguous");
  }
  return success();
}

/// Words per vector operation: two registers per step, independent chains
/// for the out-of-order core.
int64_t wordsPerStep(const CPUTarget &target) {
  return std::max<int64_t>(2, 2 * target.vectorBits / 64);
}

struct BinaryMorphologyToCPU : CPUOpPattern<BinaryMorphologyOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(BinaryMorphologyOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkOperands(rewriter, op, {op.getInput(), op.getInit()})))
      return failure();
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      padding = op.getPadding();
    BinaryMorphologySpec spec{op.getKind() == MorphologyKind::Dilation,
                              op.getPaddingMode() == PaddingMode::Replicate,
                              static_cast<int64_t>(op.getChannels()),
                              {strides[0], strides[1]},
                              {dilations[0], dilations[1]},
                              {padding[0], padding[1], padding[2], padding[3]},
                              wordsPerStep(target)};
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
    if (failed(checkOperands(rewriter, op,
                             {op.getInput(), op.getSubsets(), op.getInit()})))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    int64_t outputs = cast<MemRefType>(op.getSubsets().getType()).getDimSize(0);
    emitBinaryDense(b, op.getInFeatures(), outputs, wordsPerStep(target),
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
