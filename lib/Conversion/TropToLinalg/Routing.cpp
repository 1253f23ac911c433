//===- Routing.cpp - Reference lowering of the routing ops ----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The backward ops route each output gradient to the operands of its
// winning product. trop.route_to_winners is one linalg.generic per operand
// gradient, by destination: each element sums, in order, the gradients whose
// winner is its index. The others (batched products, convolutions, maxout)
// are the definition itself: a loop nest over the outputs in row-major
// order that adds each gradient to its destinations, so each destination
// receives its routed gradients in that order, and the sum is the one every
// other lowering must reproduce bit for bit.
//
//===----------------------------------------------------------------------===//

#include "GenericSpecs.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// The loop index `dim` of the enclosing linalg.generic as an i64.
Value indexAsI64(OpBuilder &b, Location loc, unsigned dim) {
  Value index = linalg::IndexOp::create(b, loc, dim);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

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

//===----------------------------------------------------------------------===//
// Routing by a loop nest over the outputs
//===----------------------------------------------------------------------===//

/// Where one output's gradient goes: for the output at `out` whose winner
/// `w` (an index, in range) is known, the indices of each destination and
/// whether they lie inside it (a null Value: always).
struct Route {
  SmallVector<SmallVector<Value, 4>, 2> indices;
  SmallVector<Value, 2> inside;
};
using RouteFn =
    function_ref<Route(ImplicitLocOpBuilder &b, ValueRange out, Value w)>;

Value load(ImplicitLocOpBuilder &b, Value shaped, ValueRange indices) {
  if (isa<RankedTensorType>(shaped.getType()))
    return tensor::ExtractOp::create(b, shaped, indices);
  return memref::LoadOp::create(b, shaped, indices);
}

/// `then` under `cond`: on tensors an scf.if yielding the values `then`
/// returns (else `carried` unchanged), on memrefs (nothing carried) a plain
/// scf.if.
SmallVector<Value> ifThen(ImplicitLocOpBuilder &b, Value cond,
                          ValueRange carried,
                          function_ref<SmallVector<Value>()> then) {
  auto ifOp = scf::IfOp::create(b, carried.getTypes(), cond,
                                /*withElseRegion=*/!carried.empty());
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  SmallVector<Value> values = then();
  if (carried.empty())
    return {};
  scf::YieldOp::create(b, values);
  b.setInsertionPointToStart(ifOp.elseBlock());
  scf::YieldOp::create(b, carried);
  return ifOp.getResults();
}

/// Adds `grad[out]` to each destination at the indices `route` gives, for
/// every output `out` in row-major order whose winner is in `[0, limit)`.
/// Returns the updated destinations on tensors (none on memrefs).
SmallVector<Value> scatterToWinners(PatternRewriter &rewriter, Location loc,
                                    Value grad, Value winners, ValueRange dests,
                                    Value limit, RouteFn route) {
  ImplicitLocOpBuilder b(loc, rewriter);
  bool onTensors = isa<RankedTensorType>(grad.getType());
  int64_t rank = cast<ShapedType>(grad.getType()).getRank();
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d = 0; d < rank; ++d) {
    lbs.push_back(arith::ConstantIndexOp::create(b, 0));
    ubs.push_back(dimOf(b, loc, grad, d));
    steps.push_back(arith::ConstantIndexOp::create(b, 1));
  }
  Value limit64 = arith::IndexCastOp::create(b, b.getI64Type(), limit);
  SmallVector<Value> carried;
  if (onTensors)
    carried.assign(dests.begin(), dests.end());
  scf::LoopNest nest = scf::buildLoopNest(
      b, loc, lbs, ubs, steps, carried,
      [&](OpBuilder &nested, Location loc, ValueRange out, ValueRange cur) {
        ImplicitLocOpBuilder ib(loc, nested);
        Value w = load(ib, winners, out);
        Value inRange = arith::AndIOp::create(
            ib,
            arith::CmpIOp::create(ib, arith::CmpIPredicate::sge, w,
                                  arith::ConstantIntOp::create(ib, 0, 64)),
            arith::CmpIOp::create(ib, arith::CmpIPredicate::slt, w, limit64));
        // The index arithmetic (divisions by the window's sizes) runs only
        // for winners in range.
        return ifThen(ib, inRange, cur, [&]() -> SmallVector<Value> {
          Value g = load(ib, grad, out);
          Value wIndex = arith::IndexCastOp::create(ib, ib.getIndexType(), w);
          Route r = route(ib, out, wIndex);
          SmallVector<Value> updated;
          for (size_t t = 0; t < dests.size(); ++t) {
            Value target = onTensors ? cur[t] : dests[t];
            auto add = [&]() -> SmallVector<Value> {
              Value sum =
                  arith::AddFOp::create(ib, load(ib, target, r.indices[t]), g);
              if (!onTensors) {
                memref::StoreOp::create(ib, sum, target, r.indices[t]);
                return {};
              }
              return {tensor::InsertOp::create(ib, sum, target, r.indices[t])};
            };
            SmallVector<Value> next =
                r.inside[t]
                    ? ifThen(ib, r.inside[t],
                             onTensors ? ValueRange{target} : ValueRange{}, add)
                    : add();
            if (onTensors)
              updated.push_back(next.front());
          }
          return updated;
        });
      });
  return SmallVector<Value>(nest.results);
}

void replaceRouted(PatternRewriter &rewriter, Operation *op,
                   ArrayRef<Value> results) {
  if (op->getNumResults() == 0)
    rewriter.eraseOp(op);
  else
    rewriter.replaceOp(op, results);
}

struct RouteBatchMatmulLowering
    : public OpRewritePattern<RouteBatchMatmulToWinnersOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RouteBatchMatmulToWinnersOp op,
                                PatternRewriter &rewriter) const override {
    Value k = dimOf(rewriter, op.getLoc(), op.getGradLhs(), 2);
    replaceRouted(rewriter, op,
                  scatterToWinners(
                      rewriter, op.getLoc(), op.getGrad(), op.getWinners(),
                      {op.getGradLhs(), op.getGradRhs()}, k,
                      [](ImplicitLocOpBuilder &, ValueRange out, Value w) {
                        return Route{{{out[0], out[1], w}, {out[0], w, out[2]}},
                                     {Value(), Value()}};
                      }));
    return success();
  }
};

/// Whether `0 <= index < size`.
Value inBounds(ImplicitLocOpBuilder &b, Value index, Value size) {
  Value zero = arith::ConstantIndexOp::create(b, 0);
  return arith::AndIOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, index, zero),
      arith::CmpIOp::create(b, arith::CmpIPredicate::slt, index, size));
}

/// route_conv_2d_to_winners (`withChannelReduction`, w = (kh·KW + kw)·C + c)
/// and route_depthwise_conv_2d_to_winners (w = kh·KW + kw).
template <typename OpTy, bool withChannelReduction>
struct RouteWindowLowering : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ImplicitLocOpBuilder b(loc, rewriter);
    Value filter = op.getGradFilter(), input = op.getGradInput();
    Value kh = dimOf(b, loc, filter, 0), kw = dimOf(b, loc, filter, 1);
    Value channels = dimOf(b, loc, filter, 2);
    Value limit = arith::MulIOp::create(b, kh, kw);
    if (withChannelReduction)
      limit = arith::MulIOp::create(b, limit, channels);
    Value height = dimOf(b, loc, input, 1), width = dimOf(b, loc, input, 2);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    ArrayRef<int64_t> padding = op.getPadding();
    auto route = [&](ImplicitLocOpBuilder &ib, ValueRange out, Value w) {
      auto idx = [&](int64_t v) {
        return arith::ConstantIndexOp::create(ib, v);
      };
      // The window position (and channel) of the winner.
      Value c = out[3], pos = w;
      if (withChannelReduction) {
        c = arith::RemUIOp::create(ib, w, channels);
        pos = arith::DivUIOp::create(ib, w, channels);
      }
      Value i = arith::DivUIOp::create(ib, pos, kw);
      Value j = arith::RemUIOp::create(ib, pos, kw);
      // oh·sh + kh·dh − top (likewise the width), possibly in the padding.
      auto coordinate = [&](Value o, Value k, int64_t d) -> Value {
        Value at = arith::AddIOp::create(
            ib, arith::MulIOp::create(ib, o, idx(strides[d])),
            arith::MulIOp::create(ib, k, idx(dilations[d])));
        return arith::SubIOp::create(ib, at, idx(padding[d]));
      };
      Value h = coordinate(out[1], i, 0), x = coordinate(out[2], j, 1);
      Route r;
      r.indices.push_back({out[0], h, x, c});
      r.inside.push_back(arith::AndIOp::create(ib, inBounds(ib, h, height),
                                               inBounds(ib, x, width)));
      if (withChannelReduction)
        r.indices.push_back({i, j, c, out[3]});
      else
        r.indices.push_back({i, j, c});
      r.inside.push_back(Value());
      return r;
    };
    replaceRouted(rewriter, op,
                  scatterToWinners(rewriter, loc, op.getGrad(), op.getWinners(),
                                   {input, filter}, limit, route));
    return success();
  }
};

struct RouteMaxoutLowering : public OpRewritePattern<RouteMaxoutToWinnersOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(RouteMaxoutToWinnersOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t groupSize = op.getGroupSize();
    Value limit = arith::ConstantIndexOp::create(rewriter, loc, groupSize);
    auto route = [&](ImplicitLocOpBuilder &ib, ValueRange out, Value w) {
      SmallVector<Value, 4> at(out.drop_back());
      at.push_back(arith::AddIOp::create(
          ib, arith::MulIOp::create(ib, out.back(), limit), w));
      return Route{{at}, {Value()}};
    };
    replaceRouted(rewriter, op,
                  scatterToWinners(rewriter, loc, op.getGrad(), op.getWinners(),
                                   {op.getGradInput()}, limit, route));
    return success();
  }
};

} // namespace

void trop::populateRoutingToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<RouteToWinnersLowering, RouteBatchMatmulLowering,
               RouteWindowLowering<RouteConv2DToWinnersOp, true>,
               RouteWindowLowering<RouteDepthwiseConv2DToWinnersOp, false>,
               RouteMaxoutLowering>(patterns.getContext());
}
