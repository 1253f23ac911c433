//===- TropDualOps.cpp - The dual (max-plus and min-plus) convolution -----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Verifier, iteration space and canonicalisation of trop.dual_conv_2d (paper
// C's max-plus-min convolution and the convolutional DEP). It has two filters
// and two destinations, so it shares the window checks of trop.conv_2d
// (VerifyHelpers.h) but not the one-destination form checks.
//
//===----------------------------------------------------------------------===//

#include "VerifyHelpers.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::trop;

/// Tensors and memrefs are not mixed, the results are the two destinations'
/// types on tensors (none on memrefs), and every operand has one float
/// element type on which max_plus and min_plus share their ⊗.
static LogicalResult verifyDualForm(DualConv2DOp op,
                                    ArrayRef<NamedOperand> operands) {
  bool onTensors = isa<RankedTensorType>(op.getInitMax().getType());
  Type elementType = operands.front().type().getElementType();
  for (const NamedOperand &operand : operands) {
    if (isa<RankedTensorType>(operand.value.getType()) != onTensors)
      return op.emitOpError()
             << "operands must be all ranked tensors or all memrefs, but '"
             << operand.name << "' is " << (onTensors ? "not a" : "a")
             << " tensor and 'init_max' is" << (onTensors ? "" : " not");
    if (operand.type().getElementType() != elementType)
      return op.emitOpError()
             << "element type of '" << operand.name << "' ("
             << operand.type().getElementType()
             << ") differs from that of 'input' (" << elementType << ")";
  }
  if (!isa<FloatType>(elementType) || !isSupportedElementType(elementType))
    return op.emitOpError() << "unsupported element type " << elementType
                            << "; expected f16, bf16, f32 or f64 (on "
                               "integers max_plus and min_plus have "
                               "different ⊗)";
  SmallVector<Type, 2> expected;
  if (onTensors)
    expected = {op.getInitMax().getType(), op.getInitMin().getType()};
  if (TypeRange(op->getResultTypes()) != TypeRange(expected))
    return op.emitOpError()
           << (onTensors ? "on tensors must return the updated 'init_max' "
                           "and 'init_min', of their types"
                         : "on memrefs updates 'init_max' and 'init_min' "
                           "in place and must not return results");
  return success();
}

LogicalResult DualConv2DOp::verify() {
  NamedOperand input{"input", getInput()}, fMax{"filter_max", getFilterMax()},
      fMin{"filter_min", getFilterMin()}, yMax{"init_max", getInitMax()},
      yMin{"init_min", getInitMin()};
  if (failed(verifyDualForm(*this, {input, fMax, fMin, yMax, yMin})))
    return failure();
  for (const NamedOperand &operand : {input, fMax, fMin, yMax, yMin})
    if (failed(verifyRank(*this, operand, 4)))
      return failure();
  // Each (filter, destination) pair is a conv_2d; the pairs agree on the
  // window and the destinations on every dimension.
  for (auto [filter, init] : {std::pair(fMax, yMax), std::pair(fMin, yMin)}) {
    if (failed(verifyDimsMatch(*this, input, 0, init, 0, "batch size")) ||
        failed(verifyDimsMatch(*this, input, 3, filter, 2,
                               "input channel count")) ||
        failed(verifyDimsMatch(*this, filter, 3, init, 3,
                               "output channel count")) ||
        failed(verifyWindow(*this, input, filter, init, getStrides(),
                            getDilations(), getPadding())))
      return failure();
  }
  for (int64_t d = 0; d < 2; ++d)
    if (failed(verifyDimsMatch(*this, fMax, d, fMin, d, "window size")))
      return failure();
  for (int64_t d = 1; d < 4; ++d)
    if (failed(verifyDimsMatch(*this, yMax, d, yMin, d, "output size")))
      return failure();
  return success();
}

/// The loops (n, oh, ow, f, kh, kw, c) of conv_2d.
SmallVector<int64_t> DualConv2DOp::getStaticLoopRanges() {
  Value fMax = getFilterMax(), fMin = getFilterMin();
  Value yMax = getInitMax(), yMin = getInitMin();
  return {staticSize({{getInput(), 0}, {yMax, 0}, {yMin, 0}}),
          staticSize({{yMax, 1}, {yMin, 1}}),
          staticSize({{yMax, 2}, {yMin, 2}}),
          staticSize({{fMax, 3}, {fMin, 3}, {yMax, 3}, {yMin, 3}}),
          staticSize({{fMax, 0}, {fMin, 0}}),
          staticSize({{fMax, 1}, {fMin, 1}}),
          staticSize({{getInput(), 3}, {fMax, 2}, {fMin, 2}})};
}

/// Two updates per point, one per destination, so that rates compare with
/// the two convolutions the op replaces.
std::optional<int64_t> DualConv2DOp::getNumUpdates() {
  int64_t updates = 2;
  for (int64_t size : getStaticLoopRanges())
    if (ShapedType::isDynamic(size) ||
        llvm::MulOverflow(updates, size, updates))
      return std::nullopt;
  return updates;
}

bool DualConv2DOp::hasTensorSemantics() {
  return isa<RankedTensorType>(getInitMax().getType());
}

namespace {
/// A statically empty iteration space updates nothing: the results are the
/// destinations (tensors), or the op goes (memrefs).
struct ForwardEmptyDualConv : public OpRewritePattern<DualConv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DualConv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (!llvm::is_contained(op.getStaticLoopRanges(), 0))
      return rewriter.notifyMatchFailure(op, "some update happens");
    if (op.hasTensorSemantics())
      rewriter.replaceOp(op, op.getDpsInits());
    else
      rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void DualConv2DOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<ForwardEmptyDualConv>(context);
}
