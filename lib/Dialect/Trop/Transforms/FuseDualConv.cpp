//===- FuseDualConv.cpp - Max/min convolution pairs -----------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The convolution half of --trop-fuse's pairing: paper C's max-plus-min
// MorphConv2d exports as a trop.conv_2d <max_plus> and a <min_plus> on the
// same input (one filter); the convolutional DEP as the same with two
// filters. Both become one trop.dual_conv_2d, whose kernel reads each input
// window once. Exact: each result is computed by the same ⊗ and ⊕ from the
// same operands, the padding of each half is its own semiring's 𝟘.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

/// A float tensor conv_2d in semiring `kind`, or null.
static Conv2DOp asHalf(Operation *op, SemiringKind kind) {
  auto conv = dyn_cast_or_null<Conv2DOp>(op);
  if (!conv || conv.getSemiring() != kind || !conv.hasTensorSemantics() ||
      !isa<FloatType>(getElementTypeOrSelf(conv.getInit().getType())))
    return nullptr;
  return conv;
}

/// Whether `maxOp` and `minOp` compute over the same windows of the same
/// input into destinations of one type.
static bool sameWindows(Conv2DOp maxOp, Conv2DOp minOp) {
  auto filterShape = [](Conv2DOp op) {
    return cast<ShapedType>(op.getFilter().getType()).getShape();
  };
  return maxOp.getInput() == minOp.getInput() &&
         maxOp.getStrides() == minOp.getStrides() &&
         maxOp.getDilations() == minOp.getDilations() &&
         maxOp.getPadding() == minOp.getPadding() &&
         filterShape(maxOp) == filterShape(minOp) &&
         maxOp.getInit().getType() == minOp.getInit().getType();
}

/// Whether one op at the later position can replace both: same block, and
/// nothing up to the later op uses the earlier one's result.
static bool fusableAtLater(Operation *first, Operation *second,
                           DominanceInfo &dominance) {
  if (first->getBlock() != second->getBlock())
    return false;
  if (second->isBeforeInBlock(first))
    std::swap(first, second);
  for (Operation *user : first->getUsers())
    if (!dominance.properlyDominates(second, user))
      return false;
  return true;
}

int64_t trop::fuseMaxMinConvolutions(Operation *root) {
  SmallVector<Conv2DOp> maxOps;
  root->walk([&](Conv2DOp op) {
    if (asHalf(op, SemiringKind::MaxPlus))
      maxOps.push_back(op);
  });
  DominanceInfo dominance(root);
  IRRewriter rewriter(root->getContext());
  int64_t fused = 0;
  for (Conv2DOp maxOp : maxOps) {
    Conv2DOp minOp;
    for (Operation *user : maxOp.getInput().getUsers()) {
      Conv2DOp candidate = asHalf(user, SemiringKind::MinPlus);
      if (candidate && sameWindows(maxOp, candidate) &&
          fusableAtLater(maxOp, candidate, dominance)) {
        minOp = candidate;
        break;
      }
    }
    if (!minOp)
      continue;
    rewriter.setInsertionPoint(maxOp->isBeforeInBlock(minOp) ? minOp : maxOp);
    auto dual = DualConv2DOp::create(
        rewriter, rewriter.getFusedLoc({maxOp.getLoc(), minOp.getLoc()}),
        TypeRange{maxOp.getInit().getType(), minOp.getInit().getType()},
        maxOp.getInput(), maxOp.getFilter(), minOp.getFilter(), maxOp.getInit(),
        minOp.getInit(), maxOp.getStridesAttr(), maxOp.getDilationsAttr(),
        maxOp.getPaddingAttr());
    rewriter.replaceOp(maxOp, dual.getResult(0));
    rewriter.replaceOp(minOp, dual.getResult(1));
    ++fused;
  }
  return fused;
}
