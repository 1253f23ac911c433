//===- Winners.cpp - Reference lowering of the winners ops ----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The ops that also return winners (trop.matmul_winners,
// batch_matmul_winners, dual_matmul_winners, conv_2d_winners,
// depthwise_conv_2d_winners, maxout_winners) as the linalg.generic of their
// forward op (GenericSpecs.h: the same loops in the same order) with a
// second output: the winner is replaced by the linearised reduction index
// where the product is strictly better than the accumulator, in reduction
// order, so the first of equal products wins.
//
//===----------------------------------------------------------------------===//

#include "GenericSpecs.h"
#include "trop/Conversion/TropToLinalg/TropToLinalg.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// Whether `candidate` is strictly better than `current` for ⊕ of `kind`
/// (ordered: a NaN is never better).
Value isStrictlyBetter(OpBuilder &b, Location loc, SemiringKind kind,
                       Value candidate, Value current) {
  bool max = isMaxSemiring(kind);
  if (isa<FloatType>(candidate.getType()))
    return arith::CmpFOp::create(
        b, loc, max ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
        candidate, current);
  return arith::CmpIOp::create(
      b, loc, max ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt,
      candidate, current);
}

/// The linearised index of the reduction loops of the enclosing generic,
/// `((r0·S1 + r1)·S2 + r2)…`, as an i64; `innerSizes` are S1, S2, … .
Value reductionIndex(OpBuilder &b, Location loc,
                     ArrayRef<utils::IteratorType> iterators,
                     ArrayRef<Value> innerSizes) {
  Value linear;
  unsigned next = 0;
  for (auto [dim, iterator] : llvm::enumerate(iterators)) {
    if (iterator != utils::IteratorType::reduction)
      continue;
    Value index = linalg::IndexOp::create(b, loc, dim);
    linear =
        linear ? arith::AddIOp::create(
                     b, loc,
                     arith::MulIOp::create(b, loc, linear, innerSizes[next++]),
                     index)
               : index;
  }
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), linear);
}

/// Replaces `op` by the winner-recording generic of `spec` (maps of the
/// inputs and of the output): `init = init ⊕ term` and `winners` set to the
/// reduction index where the term is strictly better, the term being
/// `in0 ⊗ in1` (two inputs) or `in0` (maxout).
void replaceWithWinnersGeneric(PatternRewriter &rewriter, Operation *op,
                               ValueRange inputs, Value init, Value winners,
                               GenericSpec spec, SemiringKind kind,
                               NaNMode nanMode, ArrayRef<Value> innerSizes) {
  spec.maps.push_back(spec.maps.back());
  auto generic = linalg::GenericOp::create(
      rewriter, op->getLoc(), op->getResultTypes(), inputs,
      ValueRange{init, winners}, spec.maps, spec.iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value acc = args[args.size() - 2], winner = args.back();
        Value term = inputs.size() == 2
                         ? buildMul(b, loc, kind, args[0], args[1], nanMode)
                         : args[0];
        Value better = isStrictlyBetter(b, loc, kind, term, acc);
        Value index = reductionIndex(b, loc, spec.iterators, innerSizes);
        linalg::YieldOp::create(
            b, loc,
            ValueRange{buildAdd(b, loc, kind, acc, term, nanMode),
                       arith::SelectOp::create(b, loc, better, index, winner)});
      });
  rewriter.replaceOp(op, generic->getResults());
}

template <typename OpTy>
struct WinnersPattern : public OpRewritePattern<OpTy> {
  WinnersPattern(MLIRContext *context, NaNMode nanMode)
      : OpRewritePattern<OpTy>(context), nanMode(nanMode) {}
  NaNMode nanMode;
};

/// matmul_winners and batch_matmul_winners.
template <typename OpTy, bool batch>
struct ProductWinnersLowering : public WinnersPattern<OpTy> {
  using WinnersPattern<OpTy>::WinnersPattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    replaceWithWinnersGeneric(rewriter, op, {op.getLhs(), op.getRhs()},
                              op.getInit(), op.getWinners(),
                              matrixProductSpec(op.getContext(), batch),
                              op.getSemiring(), this->nanMode, {});
    return success();
  }
};

/// conv_2d_winners (winner (kh·KW + kw)·C + c) and
/// depthwise_conv_2d_winners (kh·KW + kw).
template <typename OpTy, bool withChannelReduction>
struct WindowWinnersLowering : public WinnersPattern<OpTy> {
  using WinnersPattern<OpTy>::WinnersPattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<Value, 2> innerSizes = {
        dimOf(rewriter, loc, op.getFilter(), 1)};
    if (withChannelReduction)
      innerSizes.push_back(dimOf(rewriter, loc, op.getFilter(), 2));
    Value input = padInput(rewriter, loc, op.getInput(), op.getPadding(),
                           op.getSemiring());
    replaceWithWinnersGeneric(
        rewriter, op, {input, op.getFilter()}, op.getInit(), op.getWinners(),
        windowSpec(op.getContext(), op.getStrides(), op.getDilations(),
                   withChannelReduction),
        op.getSemiring(), this->nanMode, innerSizes);
    return success();
  }
};

struct MaxoutWinnersLowering : public WinnersPattern<MaxoutWinnersOp> {
  using WinnersPattern::WinnersPattern;
  LogicalResult matchAndRewrite(MaxoutWinnersOp op,
                                PatternRewriter &rewriter) const override {
    int64_t rank = cast<ShapedType>(op.getInit().getType()).getRank();
    Value input =
        expandChannels(rewriter, op.getLoc(), op.getInput(), op.getGroupSize());
    // Maxout's ⊕ is max whatever the type: max_plus names exactly that.
    replaceWithWinnersGeneric(
        rewriter, op, {input}, op.getInit(), op.getWinners(),
        maxoutSpec(op.getContext(), rank), SemiringKind::MaxPlus, nanMode, {});
    return success();
  }
};

/// dual_matmul_winners: one generic, each sum computed once (as in
/// trop.dual_matmul's lowering) and compared with both accumulators.
struct DualMatmulWinnersLowering : public WinnersPattern<DualMatmulWinnersOp> {
  using WinnersPattern::WinnersPattern;
  LogicalResult matchAndRewrite(DualMatmulWinnersOp op,
                                PatternRewriter &rewriter) const override {
    GenericSpec spec = matrixProductSpec(op.getContext(), /*batch=*/false);
    AffineMap out = spec.maps.back();
    spec.maps.append({out, out, out});
    NaNMode mode = nanMode;
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), op->getResultTypes(),
        ValueRange{op.getLhs(), op.getRhs()},
        ValueRange{op.getInitMax(), op.getInitMin(), op.getWinnersMax(),
                   op.getWinnersMin()},
        spec.maps, spec.iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value index = reductionIndex(b, loc, spec.iterators, {});
          SmallVector<Value, 4> values, winners;
          const SemiringKind kinds[] = {SemiringKind::MaxPlus,
                                        SemiringKind::MinPlus};
          for (unsigned part = 0; part < 2; ++part) {
            SemiringKind kind = kinds[part];
            Value term = buildMul(b, loc, kind, args[0], args[1], mode);
            Value acc = args[2 + part];
            values.push_back(buildAdd(b, loc, kind, acc, term, mode));
            winners.push_back(arith::SelectOp::create(
                b, loc, isStrictlyBetter(b, loc, kind, term, acc), index,
                args[4 + part]));
          }
          values.append(winners);
          linalg::YieldOp::create(b, loc, values);
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

} // namespace

Value trop::dimOf(OpBuilder &b, Location loc, Value shaped, int64_t dim) {
  int64_t size = cast<ShapedType>(shaped.getType()).getDimSize(dim);
  if (!ShapedType::isDynamic(size))
    return arith::ConstantIndexOp::create(b, loc, size);
  if (isa<RankedTensorType>(shaped.getType()))
    return tensor::DimOp::create(b, loc, shaped, dim);
  return memref::DimOp::create(b, loc, shaped, dim);
}

void trop::populateTrainingToLinalgConversionPatterns(
    RewritePatternSet &patterns, NaNMode nanMode) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ProductWinnersLowering<MatmulWinnersOp, false>,
               ProductWinnersLowering<BatchMatmulWinnersOp, true>,
               WindowWinnersLowering<Conv2DWinnersOp, true>,
               WindowWinnersLowering<DepthwiseConv2DWinnersOp, false>,
               MaxoutWinnersLowering, DualMatmulWinnersLowering>(ctx, nanMode);
  populateRoutingToLinalgConversionPatterns(patterns);
}
