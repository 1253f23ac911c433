//===- LinalgConv.cpp - Linear convolutions and batch_matmul on CPU -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Not trop ops: the linear layers of a CNN around tropical ones
// (linalg.conv_2d_nhwc_hwcf, linalg.depthwise_conv_2d_nhwc_hwc,
// linalg.batch_matmul on f32/f64 memrefs) run on the kernels of the trop
// convolutions and contractions with (+, ×) and one fused multiply-add per
// update, so that a whole network is fast, not only its morphological part.
// Padding reaches these ops as a separate tensor.pad, so their windows have
// none.
//
//===----------------------------------------------------------------------===//

#include "ConvEmitter.h"
#include "Epilogue.h"
#include "KernelBuilder.h"
#include "PopulatePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// The window of a linalg convolution: its strides and dilations, no
/// padding.
template <typename ConvOp>
static ConvWindow getLinalgWindow(ConvOp op) {
  ConvWindow window;
  window.strides =
      llvm::to_vector(op.getStrides().template getValues<int64_t>());
  window.dilations =
      llvm::to_vector(op.getDilations().template getValues<int64_t>());
  window.padding = {0, 0};
  return window;
}

/// Whether the kernels can run `op`: memrefs of one element type, f32 or
/// f64, with the default multiply-add body, `contiguous` operands with an
/// identity layout and the others with a contiguous innermost dimension.
static bool isFastLinear(linalg::LinalgOp op, ArrayRef<Value> contiguous) {
  if (!op.hasPureBufferSemantics() || !isPlainMultiplyAdd(op))
    return false;
  Type elementType = getElementTypeOrSelf(op.getDpsInits()[0].getType());
  if (!isa<Float32Type, Float64Type>(elementType))
    return false;
  for (OpOperand &operand : op->getOpOperands()) {
    Value value = operand.get();
    if (getElementTypeOrSelf(value.getType()) != elementType ||
        !hasUnitInnerStride(value))
      return false;
  }
  return llvm::all_of(contiguous, [](Value value) {
    return cast<MemRefType>(value.getType()).getLayout().isIdentity();
  });
}

/// The linalg.fill of +0 into `y`, a fresh allocation, right before `op`
/// (only allocations between), or null: the kernel can then start from 0
/// instead of reading y back, and the fill can go (a fresh output is then
/// written once instead of three times: filled, read, written).
static linalg::FillOp findZeroFill(Operation *op, Value y) {
  if (!y.getDefiningOp<memref::AllocOp>())
    return {};
  Operation *prev = op->getPrevNode();
  while (prev && isa<memref::AllocOp>(prev))
    prev = prev->getPrevNode();
  auto fill = dyn_cast_or_null<linalg::FillOp>(prev);
  FloatAttr value;
  if (!fill || fill.getDpsInits()[0] != y ||
      !matchPattern(fill.getInputs()[0], m_Constant(&value)) ||
      !value.getValue().isPosZero())
    return {};
  return fill;
}

/// linalg.conv_2d_nhwc_hwcf: the implicit-im2col GEMM of trop.conv_2d with
/// fused multiply-adds.
struct LinalgConv2DToCPU : CPUOpPattern<linalg::Conv2DNhwcHwcfOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(linalg::Conv2DNhwcHwcfOp op,
                                PatternRewriter &rewriter) const override {
    Value x = op.getInputs()[0], filter = op.getInputs()[1],
          y = op.getOutputs()[0];
    if (!isFastLinear(op, {filter, y}))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ComputeDomain dom = ComputeDomain::getLinear(
        getElementTypeOrSelf(y.getType()), /*fused=*/true);
    EpilogueFn epilogue = buildEpilogue(b, op, dom, filter, y);
    linalg::FillOp fill = findZeroFill(op, y);
    if (emitConv2D(b, dom, tiling(dom), numTasks, getLinalgWindow(op), x,
                   filter, y, epilogue, /*zeroInit=*/bool(fill)))
      rewriter.eraseOp(fill);
    rewriter.eraseOp(op);
    return success();
  }
};

/// linalg.depthwise_conv_2d_nhwc_hwc: the channel-vectorized loop nest of
/// trop.depthwise_conv_2d with fused multiply-adds.
struct LinalgDepthwiseConv2DToCPU
    : CPUOpPattern<linalg::DepthwiseConv2DNhwcHwcOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(linalg::DepthwiseConv2DNhwcHwcOp op,
                                PatternRewriter &rewriter) const override {
    if (!isFastLinear(op, {}))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    Value filter = op.getInputs()[1], y = op.getOutputs()[0];
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ComputeDomain dom = ComputeDomain::getLinear(
        getElementTypeOrSelf(y.getType()), /*fused=*/true);
    EpilogueFn epilogue = buildEpilogue(b, op, dom, filter, y);
    linalg::FillOp fill = findZeroFill(op, y);
    emitDepthwiseConv2D(b, dom, tiling(dom).vectorLength, getLinalgWindow(op),
                        op.getInputs()[0], filter, y, epilogue,
                        /*zeroInit=*/bool(fill));
    if (fill)
      rewriter.eraseOp(fill);
    rewriter.eraseOp(op);
    return success();
  }
};

/// linalg.batch_matmul: one packed GEMM per batch with fused multiply-adds.
struct LinalgBatchMatmulToCPU : CPUOpPattern<linalg::BatchMatmulOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(linalg::BatchMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasUserDefinedMaps() || !isFastLinear(op, {}))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    Value a = op.getInputs()[0], bMat = op.getInputs()[1],
          c = op.getOutputs()[0];
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ComputeDomain dom = ComputeDomain::getLinear(
        getElementTypeOrSelf(c.getType()), /*fused=*/true);
    KernelBuilder k{b};
    k.forLoop(k.idx(0), k.dim(c, 0), 1, [&](Value batch) {
      emitMatmul(b, *this, dom, matrixView(b, a, batch),
                 matrixView(b, bMat, batch), matrixView(b, c, batch));
    });
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void trop::populateLinalgConvPatterns(RewritePatternSet &patterns,
                                      const CPUPattern &cfg) {
  patterns.add<LinalgConv2DToCPU, LinalgDepthwiseConv2DToCPU,
               LinalgBatchMatmulToCPU>(patterns.getContext(), cfg);
}
