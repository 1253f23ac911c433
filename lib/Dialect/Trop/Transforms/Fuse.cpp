//===- Fuse.cpp - Fusion of tropical layers -------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// --trop-fuse: max/min pairs that share both operands become one
// trop.dual_matmul. Every rewrite is exact (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPFUSE
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

/// Whether `op` can be one half of a dual_matmul: a tensor matmul on floats
/// (where max_plus and min_plus share their ⊗) in `kind`.
static bool isPairCandidate(MatmulOp op, SemiringKind kind) {
  return op && op.getSemiring() == kind && op.hasTensorSemantics() &&
         isa<FloatType>(getElementTypeOrSelf(op.getInit().getType()));
}

/// Whether one dual_matmul at the position of the later of `a` and `b` can
/// replace both: they are in the same block and every use of the earlier
/// one's result comes after the later op (which therefore does not use it).
static bool canPair(MatmulOp a, MatmulOp b, DominanceInfo &dominance) {
  if (a->getBlock() != b->getBlock())
    return false;
  Operation *earlier = a->isBeforeInBlock(b) ? a : b;
  Operation *later = earlier == a ? b.getOperation() : a.getOperation();
  return llvm::all_of(earlier->getUsers(), [&](Operation *user) {
    return dominance.properlyDominates(later, user);
  });
}

/// Replaces every fusable max_plus/min_plus pair under `root` by a
/// dual_matmul; each max_plus op pairs with the first min_plus partner found.
static void pairMaxMin(Operation *root) {
  SmallVector<MatmulOp> maxOps;
  root->walk([&](MatmulOp op) {
    if (isPairCandidate(op, SemiringKind::MaxPlus))
      maxOps.push_back(op);
  });
  DominanceInfo dominance(root);
  IRRewriter rewriter(root->getContext());
  for (MatmulOp maxOp : maxOps) {
    MatmulOp minOp;
    for (Operation *user : maxOp.getLhs().getUsers()) {
      auto candidate = dyn_cast<MatmulOp>(user);
      if (isPairCandidate(candidate, SemiringKind::MinPlus) &&
          candidate.getLhs() == maxOp.getLhs() &&
          candidate.getRhs() == maxOp.getRhs() &&
          canPair(maxOp, candidate, dominance)) {
        minOp = candidate;
        break;
      }
    }
    if (!minOp)
      continue;
    Operation *later = maxOp->isBeforeInBlock(minOp) ? minOp.getOperation()
                                                     : maxOp.getOperation();
    rewriter.setInsertionPoint(later);
    Location loc = rewriter.getFusedLoc({maxOp.getLoc(), minOp.getLoc()});
    auto dual = DualMatmulOp::create(
        rewriter, loc,
        TypeRange{maxOp.getInit().getType(), minOp.getInit().getType()},
        maxOp.getLhs(), maxOp.getRhs(), maxOp.getInit(), minOp.getInit());
    rewriter.replaceOp(maxOp, dual.getResult(0));
    rewriter.replaceOp(minOp, dual.getResult(1));
  }
}

namespace {
struct TropFusePass : public trop::impl::TropFuseBase<TropFusePass> {
  using Base::Base;
  void runOnOperation() override {
    if (pairMaxMin)
      ::pairMaxMin(getOperation());
  }
};
} // namespace
