//===- Winners.cpp - Reference lowering of the training ops ---------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.matmul_winners and trop.route_to_winners as linalg.generics that
// follow their definitions: the winner is updated where a product is
// strictly better than the accumulator, in reduction order; each operand
// gradient is the in-order sum of the output gradients routed to it,
// found by comparing the winner with the loop index.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToLinalg/TropToLinalg.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
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

/// The loop index `dim` of the enclosing linalg.generic as an i64.
Value indexAsI64(OpBuilder &b, Location loc, unsigned dim) {
  Value index = linalg::IndexOp::create(b, loc, dim);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

struct MatmulWinnersLowering : public OpRewritePattern<MatmulWinnersOp> {
  MatmulWinnersLowering(MLIRContext *context, NaNMode nanMode)
      : OpRewritePattern(context), nanMode(nanMode) {}

  LogicalResult matchAndRewrite(MatmulWinnersOp op,
                                PatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    AffineExpr i, j, k;
    bindDims(ctx, i, j, k);
    AffineMap out = AffineMap::get(3, 0, {i, j}, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {i, k}, ctx),
                                   AffineMap::get(3, 0, {k, j}, ctx), out, out};
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::reduction};
    SemiringKind kind = op.getSemiring();
    NaNMode mode = nanMode;
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), op->getResultTypes(),
        ValueRange{op.getLhs(), op.getRhs()},
        ValueRange{op.getInit(), op.getWinners()}, maps, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value product = buildMul(b, loc, kind, args[0], args[1], mode);
          Value better = isStrictlyBetter(b, loc, kind, product, args[2]);
          Value winner = arith::SelectOp::create(
              b, loc, better, indexAsI64(b, loc, 2), args[3]);
          Value value = buildAdd(b, loc, kind, args[2], product, mode);
          linalg::YieldOp::create(b, loc, ValueRange{value, winner});
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }

  NaNMode nanMode;
};

/// `dst[d0, d1] += grad[...]` where winners[...] equals loop index `match`,
/// summing over the last loop, in order: one linalg.generic.
Value routeOneSide(PatternRewriter &rewriter, Location loc, Value grad,
                   Value winners, Value dst, ArrayRef<AffineMap> inputMaps,
                   AffineMap dstMap, unsigned match) {
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(dstMap);
  SmallVector<utils::IteratorType> iterators = {utils::IteratorType::parallel,
                                                utils::IteratorType::parallel,
                                                utils::IteratorType::reduction};
  SmallVector<Type, 1> resultTypes;
  if (isa<RankedTensorType>(dst.getType()))
    resultTypes.push_back(dst.getType());
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultTypes, ValueRange{grad, winners}, dst, maps,
      iterators, [&](OpBuilder &b, Location loc, ValueRange args) {
        Value hit = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                          args[1], indexAsI64(b, loc, match));
        // Only routed gradients are added: adding 0 elsewhere would turn
        // an accumulated -0 into +0.
        Value sum = arith::AddFOp::create(b, loc, args[2], args[0]);
        linalg::YieldOp::create(
            b, loc,
            ValueRange{arith::SelectOp::create(b, loc, hit, sum, args[2])});
      });
  return resultTypes.empty() ? Value() : generic->getResult(0);
}

struct RouteToWinnersLowering : public OpRewritePattern<RouteToWinnersOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(RouteToWinnersOp op,
                                PatternRewriter &rewriter) const override {
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    AffineExpr d0, d1, d2;
    bindDims(ctx, d0, d1, d2);
    // dA[i, k]: loops (i, k, j), the sum over j.
    AffineMap gradByIJ = AffineMap::get(3, 0, {d0, d2}, ctx);
    Value gradLhs = routeOneSide(rewriter, loc, op.getGrad(), op.getWinners(),
                                 op.getGradLhs(), {gradByIJ, gradByIJ},
                                 AffineMap::get(3, 0, {d0, d1}, ctx), 1);
    // dB[k, j]: loops (k, j, i), the sum over i.
    AffineMap gradByJI = AffineMap::get(3, 0, {d2, d1}, ctx);
    Value gradRhs = routeOneSide(rewriter, loc, op.getGrad(), op.getWinners(),
                                 op.getGradRhs(), {gradByJI, gradByJI},
                                 AffineMap::get(3, 0, {d0, d1}, ctx), 0);
    if (op->getNumResults() == 2)
      rewriter.replaceOp(op, ValueRange{gradLhs, gradRhs});
    else
      rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void trop::populateTrainingToLinalgConversionPatterns(
    RewritePatternSet &patterns, NaNMode nanMode) {
  patterns.add<MatmulWinnersLowering>(patterns.getContext(), nanMode);
  patterns.add<RouteToWinnersLowering>(patterns.getContext());
}
