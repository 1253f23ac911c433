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
#include "Epilogue.h"
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

/// conv_2d and depthwise_conv_2d: the same checks and i1 staging around the
/// kernel of ConvEmitter that emit() builds for each op.
template <typename ConvOp>
struct ConvolutionToCPU : CPUOpPattern<ConvOp> {
  using CPUOpPattern<ConvOp>::CPUOpPattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    if (!canRead(op))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    return replaceWithKernel(
        rewriter, op, {op.getInput(), op.getFilter(), op.getInit()},
        getElementTypeOrSelf(op.getInit().getType()),
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          ComputeDomain dom = this->domain(op.getSemiring(), elementType);
          emit(b, op, dom, getWindow(op), args);
        });
  }
  /// Whether the kernel can read the layouts of `op`'s memrefs.
  static bool canRead(ConvOp op);
  /// Emits the kernel on `args` (the input, filter and init, or their byte
  /// copies) in `dom`.
  void emit(ImplicitLocOpBuilder &b, ConvOp op, const ComputeDomain &dom,
            const ConvWindow &window, ValueRange args) const;
};

/// conv_2d: the implicit-im2col GEMM, which collapses the filter and the
/// output.
template <>
bool ConvolutionToCPU<Conv2DOp>::canRead(Conv2DOp op) {
  return isContiguous(op.getInit()) && isContiguous(op.getFilter());
}
template <>
void ConvolutionToCPU<Conv2DOp>::emit(ImplicitLocOpBuilder &b, Conv2DOp op,
                                      const ComputeDomain &dom,
                                      const ConvWindow &window,
                                      ValueRange args) const {
  EpilogueFn epilogue = buildEpilogue(b, op, dom, args[1], args[2]);
  emitConv2D(b, dom, tiling(dom), numTasks, window, args[0], args[1], args[2],
             epilogue);
}

/// depthwise_conv_2d: the channel-vectorized loop nest, which loads runs of
/// channels.
template <>
bool ConvolutionToCPU<DepthwiseConv2DOp>::canRead(DepthwiseConv2DOp op) {
  return hasUnitInnerStride(op.getInput()) &&
         hasUnitInnerStride(op.getFilter()) && hasUnitInnerStride(op.getInit());
}
template <>
void ConvolutionToCPU<DepthwiseConv2DOp>::emit(ImplicitLocOpBuilder &b,
                                               DepthwiseConv2DOp op,
                                               const ComputeDomain &dom,
                                               const ConvWindow &window,
                                               ValueRange args) const {
  emitDepthwiseConv2D(b, dom, tiling(dom).vectorLength, window, args[0],
                      args[1], args[2]);
}

} // namespace

void trop::populateConvolutionPatterns(RewritePatternSet &patterns,
                                       const CPUPattern &cfg) {
  patterns.add<ConvolutionToCPU<Conv2DOp>, ConvolutionToCPU<DepthwiseConv2DOp>>(
      patterns.getContext(), cfg);
}
