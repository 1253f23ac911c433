//===- Fuse.cpp - Fusion of tropical layers -------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// --trop-fuse: max/min pairs that share both operands become one
// trop.dual_matmul, and linear → tropical → linear chains are tiled along
// their rows with the upstream tile-and-fuse driver, so that each row tile
// runs through the whole chain. Every rewrite is exact (see the pass
// description).
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Transforms/TilingInterfaceImpl.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/TilingInterfaceImpl.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/SetVector.h"

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

//===----------------------------------------------------------------------===//
// Row tiling of chains
//===----------------------------------------------------------------------===//

/// The 2-D ops a chain is made of, each with the operands that carry its
/// rows: row i of the result depends on row i of these operands only (and on
/// operands that do not depend on the row, such as weights and biases).
static SmallVector<OpOperand *> rowOperands(Operation *op) {
  SmallVector<OpOperand *> operands;
  auto isRank2Tensor = [](Value v) {
    auto type = dyn_cast<RankedTensorType>(v.getType());
    return type && type.getRank() == 2;
  };
  if (op->getNumResults() == 0 || !llvm::all_of(op->getResults(), [&](Value v) {
        return isRank2Tensor(v);
      }))
    return operands;
  if (isa<MatmulOp, DualMatmulOp>(op)) {
    operands.push_back(&op->getOpOperand(0));
    for (OpOperand &init : op->getOpOperands().drop_front(2))
      operands.push_back(&init);
    return operands;
  }
  if (auto matmul = dyn_cast<linalg::MatmulOp>(op)) {
    if (matmul.hasUserDefinedMaps())
      return operands;
    operands.push_back(matmul.getDpsInputOperand(0));
    operands.push_back(matmul.getDpsInitOperand(0));
    return operands;
  }
  if (auto fill = dyn_cast<linalg::FillOp>(op)) {
    operands.push_back(fill.getDpsInitOperand(0));
    return operands;
  }
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(op)) {
    // Only a broadcast along the rows (a bias): its input has no rows.
    if (broadcast.getDimensions() == ArrayRef<int64_t>{0})
      operands.push_back(&broadcast.getInitMutable());
    return operands;
  }
  // Elementwise generics (bias additions, activations): all loops parallel,
  // the result indexed by the identity; an operand carries rows when its
  // first index is d0.
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() != 0 ||
      !generic.getIndexingMapsArray().back().isIdentity())
    return operands;
  for (OpOperand &operand : generic->getOpOperands()) {
    AffineMap map = generic.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation())
      return {};
    if (map.getNumResults() != 0 &&
        map.getResult(0) == getAffineDimExpr(0, op->getContext()))
      operands.push_back(&operand);
  }
  return operands;
}

/// The chain that ends at `consumer`: the ops whose results reach it only
/// through row-carrying operands, each used by one op of the chain only.
/// Weights and anything else computed once stay outside.
static llvm::SetVector<Operation *> chainOf(Operation *consumer) {
  llvm::SetVector<Operation *> chain;
  chain.insert(consumer);
  for (size_t i = 0; i < chain.size(); ++i) {
    for (OpOperand *operand : rowOperands(chain[i])) {
      Operation *producer = operand->get().getDefiningOp();
      // Every use is by the op that reads it here (a dual_matmul's two
      // results may both feed one op); anything else would see the
      // original computed in full as well as per tile.
      if (!producer ||
          !llvm::all_of(producer->getUsers(),
                        [&](Operation *user) { return user == chain[i]; }) ||
          producer->getBlock() != consumer->getBlock() ||
          rowOperands(producer).empty())
        continue;
      chain.insert(producer);
    }
  }
  return chain;
}

/// Whether a chain is worth tiling: it holds a tropical op and at least one
/// other contraction, so that an intermediate can stay in cache.
static bool isFusableChain(const llvm::SetVector<Operation *> &chain) {
  int64_t tropical = 0, contractions = 0;
  for (Operation *op : chain) {
    if (isa<MatmulOp, DualMatmulOp>(op))
      ++tropical, ++contractions;
    else if (isa<linalg::MatmulOp>(op))
      ++contractions;
  }
  return tropical >= 1 && contractions >= 2;
}

/// Tiles every chain under `root` along its rows by `tileRows`, fusing the
/// chain's ops into the loop over row tiles.
static LogicalResult tileChains(Operation *root, int64_t tileRows) {
  // Consumers last: the first op (in reverse order) that ends a fusable
  // chain claims that chain.
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) {
    if (isa<TilingInterface>(op) && !rowOperands(op).empty())
      ops.push_back(op);
  });
  llvm::DenseSet<Operation *> claimed;
  SmallVector<llvm::SetVector<Operation *>> chains;
  for (Operation *op : llvm::reverse(ops)) {
    if (claimed.contains(op))
      continue;
    llvm::SetVector<Operation *> chain = chainOf(op);
    if (!isFusableChain(chain))
      continue;
    claimed.insert(chain.begin(), chain.end());
    chains.push_back(std::move(chain));
  }

  IRRewriter rewriter(root->getContext());
  SmallVector<LoopLikeOpInterface> loops;
  for (llvm::SetVector<Operation *> &chain : chains) {
    auto consumer = cast<TilingInterface>(chain.front());
    SmallVector<OpFoldResult> tileSizes(consumer.getLoopIteratorTypes().size(),
                                        rewriter.getIndexAttr(0));
    tileSizes[0] = rewriter.getIndexAttr(tileRows);
    scf::SCFTilingOptions tiling;
    tiling.setTileSizes(tileSizes);
    scf::SCFTileAndFuseOptions options;
    options.setTilingOptions(tiling);
    // Only the chain's own ops are recomputed per tile; weights and other
    // producers outside it are used through slices.
    options.setFusionControlFn(
        [&](tensor::ExtractSliceOp, OpResult producer, bool)
            -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
          if (!chain.contains(producer.getOwner()))
            return std::nullopt;
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        });
    rewriter.setInsertionPoint(consumer);
    FailureOr<scf::SCFTileAndFuseResult> result =
        scf::tileConsumerAndFuseProducersUsingSCF(rewriter, consumer, options);
    if (failed(result))
      return consumer->emitError("trop-fuse: tiling this chain failed");
    for (OpResult value : consumer->getResults())
      rewriter.replaceAllUsesWith(value, result->replacements.lookup(value));
    loops.append(result->loops.begin(), result->loops.end());
  }
  // The fused originals are dead now (only read by dead slices): remove
  // them, and fold the index arithmetic of the tiles.
  RewritePatternSet cleanup(root->getContext());
  affine::AffineApplyOp::getCanonicalizationPatterns(cleanup,
                                                     root->getContext());
  affine::AffineMinOp::getCanonicalizationPatterns(cleanup, root->getContext());
  tensor::ExtractSliceOp::getCanonicalizationPatterns(cleanup,
                                                      root->getContext());
  // Slices of tensor.empty become tile-sized tensor.empty: intermediates
  // are allocated per tile, not for the whole batch.
  tensor::populateFoldTensorEmptyPatterns(cleanup);
  (void)applyPatternsGreedily(root, std::move(cleanup));
  // The driver fuses a producer once per slice it is read through: a
  // dual_matmul whose two results feed the chain, and everything before it,
  // is cloned twice into the loop. The clones compute the same values from
  // the same operands, so CSE (exact) merges them.
  DominanceInfo dominance;
  for (LoopLikeOpInterface loop : loops)
    eliminateCommonSubExpressions(rewriter, dominance, loop);
  return success();
}

namespace {
struct TropFusePass : public trop::impl::TropFuseBase<TropFusePass> {
  using Base::Base;
  void runOnOperation() override {
    if (pairMaxMin) {
      ::pairMaxMin(getOperation());
      fuseMaxMinConvolutions(getOperation());
    }
    if (tileRows < 0) {
      getOperation()->emitError(
          "trop-fuse: tile-rows must be non-negative, got ")
          << static_cast<int64_t>(tileRows);
      return signalPassFailure();
    }
    if (tileRows > 0 && failed(tileChains(getOperation(), tileRows)))
      signalPassFailure();
  }

  /// The tiling models of trop's and linalg's ops, whatever the tool
  /// registered.
  void getDependentDialects(DialectRegistry &registry) const override {
    Base::getDependentDialects(registry);
    linalg::registerTilingInterfaceExternalModels(registry);
    trop::registerTilingInterfaceExternalModels(registry);
  }
};
} // namespace
