//===- Convolution.cpp - conv_2d and depthwise_conv_2d on CPU -------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The trop convolutions on the kernels of ConvEmitter, for memref operands
// whose layout the kernels can read (others are left for the reference
// lowering).
//
//===----------------------------------------------------------------------===//

#include "ConvEmitter.h"
#include "PopulatePatterns.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// Whether a memref is contiguous with an identity layout (so it can be
/// collapsed).
static bool isContiguous(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (type && type.getElementType().isInteger(1))
    return true; // copied into contiguous bytes (replaceWithKernel)
  return type && type.getLayout().isIdentity();
}

/// The window of a convolution op.
template <typename ConvOp>
static ConvWindow getWindow(ConvOp op) {
  return {SmallVector<int64_t, 2>(op.getStrides()),
          SmallVector<int64_t, 2>(op.getDilations()),
          SmallVector<int64_t, 2>(op.getPadding())};
}

/// conv_2d: the implicit-im2col GEMM of ConvEmitter.
struct Conv2DToCPU : public OpRewritePattern<Conv2DOp>, CPUPattern {
  Conv2DToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    if (!isContiguous(op.getInit()) || !isContiguous(op.getFilter()))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    return replaceWithKernel(
        rewriter, op, {op.getInput(), op.getFilter(), op.getInit()},
        elementType,
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          ComputeDomain dom = domain(op.getSemiring(), elementType);
          emitConv2D(b, dom, tiling(dom), numTasks, getWindow(op), args[0],
                     args[1], args[2]);
        });
  }
};

/// depthwise_conv_2d: the channel-vectorized loop nest of ConvEmitter.
struct DepthwiseConv2DToCPU : public OpRewritePattern<DepthwiseConv2DOp>,
                              CPUPattern {
  DepthwiseConv2DToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    if (!hasUnitInnerStride(op.getInput()) ||
        !hasUnitInnerStride(op.getFilter()) ||
        !hasUnitInnerStride(op.getInit()))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    return replaceWithKernel(
        rewriter, op, {op.getInput(), op.getFilter(), op.getInit()},
        elementType,
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          ComputeDomain dom = domain(op.getSemiring(), elementType);
          emitDepthwiseConv2D(b, dom, tiling(dom).vectorLength, getWindow(op),
                              args[0], args[1], args[2]);
        });
  }
};

} // namespace

void trop::populateConvolutionPatterns(RewritePatternSet &patterns,
                                       const CPUPattern &cfg) {
  patterns.add<Conv2DToCPU, DepthwiseConv2DToCPU>(patterns.getContext(), cfg);
}
