//===- DualConvLowering.cpp - Reference lowering of dual_conv_2d ----------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.dual_conv_2d as one linalg.generic over the loops of conv_2d with the
// two filters as inputs and the two destinations as outputs. The input is
// read in the body at the window coordinate, which is in the padding unless
// inside the input: there the max result reads max_plus's 𝟘 (−∞) and the min
// result min_plus's 𝟘 (+∞), as the two padded copies of the separate
// trop.conv_2d lowerings would, without making either copy. The ⊗ and ⊕ are
// the semiring helper's, so the oracle is the definition of the two ops.
//
//===----------------------------------------------------------------------===//

#include "DualConvLowering.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// The size of dimension `d` of a tensor or memref.
static Value dimOf(OpBuilder &b, Location loc, Value shaped, int64_t d) {
  if (isa<RankedTensorType>(shaped.getType()))
    return tensor::DimOp::create(b, loc, shaped, d);
  return memref::DimOp::create(b, loc, shaped, d);
}

struct DualConvLowering : public OpRewritePattern<DualConv2DOp> {
  DualConvLowering(MLIRContext *ctx, NaNMode nanMode)
      : OpRewritePattern(ctx), nanMode(nanMode) {}
  NaNMode nanMode;

  LogicalResult matchAndRewrite(DualConv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (llvm::is_contained(op.getStaticLoopRanges(), 0)) {
      if (op.hasTensorSemantics())
        rewriter.replaceOp(op, op.getDpsInits());
      else
        rewriter.eraseOp(op);
      return success();
    }
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    // Loops (n, oh, ow, f, kh, kw, c).
    AffineExpr n, oh, ow, f, kh, kw, c;
    bindDims(ctx, n, oh, ow, f, kh, kw, c);
    AffineMap filterMap = AffineMap::get(7, 0, {kh, kw, c, f}, ctx);
    AffineMap outMap = AffineMap::get(7, 0, {n, oh, ow, f}, ctx);
    auto par = utils::IteratorType::parallel;
    auto red = utils::IteratorType::reduction;
    SmallVector<utils::IteratorType> iterators = {par, par, par, par,
                                                  red, red, red};
    Value input = op.getInput();
    Type elementType = getElementTypeOrSelf(input.getType());
    Value height = dimOf(rewriter, loc, input, 1);
    Value width = dimOf(rewriter, loc, input, 2);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      padding = op.getPadding();
    NaNMode mode = nanMode;

    auto generic = linalg::GenericOp::create(
        rewriter, loc, op->getResultTypes(),
        ValueRange{op.getFilterMax(), op.getFilterMin()}, op.getDpsInits(),
        SmallVector<AffineMap>{filterMap, filterMap, outMap, outMap}, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          auto index = [&](int64_t d) -> Value {
            return linalg::IndexOp::create(b, loc, d);
          };
          auto constant = [&](int64_t v) -> Value {
            return arith::ConstantIndexOp::create(b, loc, v);
          };
          // out·stride + tap·dilation − padding, along height (0) or width.
          auto coordinate = [&](Value out, Value tap, int64_t d) -> Value {
            Value base =
                arith::MulIOp::create(b, loc, out, constant(strides[d]));
            Value offset =
                arith::MulIOp::create(b, loc, tap, constant(dilations[d]));
            Value sum = arith::AddIOp::create(b, loc, base, offset);
            return arith::SubIOp::create(b, loc, sum, constant(padding[d]));
          };
          Value h = coordinate(index(1), index(4), 0);
          Value w = coordinate(index(2), index(5), 1);
          // Unsigned: a negative (wrapped) coordinate is outside too.
          Value valid = arith::AndIOp::create(
              b, loc,
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, h,
                                    height),
              arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, w,
                                    width));
          Value zeroMax = buildZero(b, loc, SemiringKind::MaxPlus, elementType);
          Value zeroMin = buildZero(b, loc, SemiringKind::MinPlus, elementType);
          // The input element exists only inside: the read is guarded
          // (linalg.index must stay in the generic's own block).
          SmallVector<Value, 4> at = {index(0), h, w, index(6)};
          auto read = scf::IfOp::create(
              b, loc, valid,
              [&](OpBuilder &tb, Location loc) {
                Value x = isa<RankedTensorType>(input.getType())
                              ? tensor::ExtractOp::create(tb, loc, input, at)
                                    .getResult()
                              : memref::LoadOp::create(tb, loc, input, at)
                                    .getResult();
                scf::YieldOp::create(tb, loc, ValueRange{x, x});
              },
              [&](OpBuilder &eb, Location loc) {
                scf::YieldOp::create(eb, loc, ValueRange{zeroMax, zeroMin});
              });
          // Each result with its own semiring's ⊗ and ⊕.
          auto update = [&](SemiringKind kind, Value acc, Value x, Value w) {
            return buildAdd(b, loc, kind, acc,
                            buildMul(b, loc, kind, x, w, mode), mode);
          };
          Value newMax = update(SemiringKind::MaxPlus, args[2],
                                read.getResult(0), args[0]);
          Value newMin = update(SemiringKind::MinPlus, args[3],
                                read.getResult(1), args[1]);
          linalg::YieldOp::create(b, loc, ValueRange{newMax, newMin});
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

} // namespace

void trop::populateDualConvToLinalgPatterns(RewritePatternSet &patterns,
                                            NaNMode nanMode) {
  patterns.add<DualConvLowering>(patterns.getContext(), nanMode);
}
