//===- TropToLinalg.cpp - Reference lowering of trop to linalg ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Each trop op becomes one linalg.generic over its iteration space. The body
// is built by the semiring helper, so this file only knows the ops' indexing.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToLinalg/TropToLinalg.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_CONVERTTROPTOLINALG
#include "trop/Conversion/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

namespace {

/// Everything a contraction's linalg.generic needs besides its operands.
struct GenericSpec {
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators;
};

/// Builds `linalg.generic` computing `init = init ⊕ (in0 ⊗ in1)` (two
/// inputs) or `init = init ⊕ in0` (one input, maxout), and replaces `op`.
static void replaceWithGeneric(PatternRewriter &rewriter, Operation *op,
                               ValueRange inputs, Value init,
                               const GenericSpec &spec, SemiringKind kind,
                               NaNMode nanMode) {
  Location loc = op->getLoc();
  SmallVector<Type, 1> resultTypes;
  if (isa<RankedTensorType>(init.getType()))
    resultTypes.push_back(init.getType());
  auto generic = linalg::GenericOp::create(
      rewriter, loc, resultTypes, inputs, init, spec.maps, spec.iterators,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value acc = args.back();
        Value term = args.size() == 3
                         ? buildMul(b, loc, kind, args[0], args[1], nanMode)
                         : args[0];
        linalg::YieldOp::create(b, loc,
                                buildAdd(b, loc, kind, acc, term, nanMode));
      });
  rewriter.replaceOp(op, generic->getResults());
}

/// An op with a statically empty iteration space is its destination.
static bool replaceIfEmpty(PatternRewriter &rewriter, TropOpInterface op) {
  if (!llvm::is_contained(op.getStaticLoopRanges(), 0))
    return false;
  if (op->getNumResults() == 1)
    rewriter.replaceOp(op, op->getOperand(op->getNumOperands() - 1));
  else
    rewriter.eraseOp(op);
  return true;
}

template <typename OpTy>
struct TropPattern : public OpRewritePattern<OpTy> {
  TropPattern(MLIRContext *context, NaNMode nanMode, bool deallocTemporaries)
      : OpRewritePattern<OpTy>(context), nanMode(nanMode),
        deallocTemporaries(deallocTemporaries) {}
  NaNMode nanMode;
  bool deallocTemporaries;
};

struct MatmulLowering : public TropPattern<MatmulOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    MLIRContext *ctx = op.getContext();
    AffineExpr i, j, k;
    bindDims(ctx, i, j, k);
    GenericSpec spec{
        {AffineMap::get(3, 0, {i, k}, ctx), AffineMap::get(3, 0, {k, j}, ctx),
         AffineMap::get(3, 0, {i, j}, ctx)},
        {utils::IteratorType::parallel, utils::IteratorType::parallel,
         utils::IteratorType::reduction}};
    replaceWithGeneric(rewriter, op, {op.getLhs(), op.getRhs()}, op.getInit(),
                       spec, op.getSemiring(), nanMode);
    return success();
  }
};

struct BatchMatmulLowering : public TropPattern<BatchMatmulOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(BatchMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    MLIRContext *ctx = op.getContext();
    AffineExpr b, i, j, k;
    bindDims(ctx, b, i, j, k);
    GenericSpec spec{
        {AffineMap::get(4, 0, {b, i, k}, ctx),
         AffineMap::get(4, 0, {b, k, j}, ctx),
         AffineMap::get(4, 0, {b, i, j}, ctx)},
        {utils::IteratorType::parallel, utils::IteratorType::parallel,
         utils::IteratorType::parallel, utils::IteratorType::reduction}};
    replaceWithGeneric(rewriter, op, {op.getLhs(), op.getRhs()}, op.getInit(),
                       spec, op.getSemiring(), nanMode);
    return success();
  }
};

/// One linalg.generic with two outputs: the sum is computed once and feeds
/// both the max and the min accumulator, as in the CPU kernel.
struct DualMatmulLowering : public TropPattern<DualMatmulOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(DualMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (llvm::is_contained(op.getStaticLoopRanges(), 0)) {
      if (op->getNumResults() == 2)
        rewriter.replaceOp(op, ValueRange{op.getInitMax(), op.getInitMin()});
      else
        rewriter.eraseOp(op);
      return success();
    }
    MLIRContext *ctx = op.getContext();
    AffineExpr i, j, k;
    bindDims(ctx, i, j, k);
    AffineMap out = AffineMap::get(3, 0, {i, j}, ctx);
    SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {i, k}, ctx),
                                   AffineMap::get(3, 0, {k, j}, ctx), out, out};
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::reduction};
    NaNMode mode = nanMode;
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), op->getResultTypes(),
        ValueRange{op.getLhs(), op.getRhs()},
        ValueRange{op.getInitMax(), op.getInitMin()}, maps, iterators,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          // ⊗ differs between the two semirings only where +∞ meets −∞
          // (𝟘 of each absorbs); CSE leaves one sum.
          Value maxTerm =
              buildMul(b, loc, SemiringKind::MaxPlus, args[0], args[1], mode);
          Value minTerm =
              buildMul(b, loc, SemiringKind::MinPlus, args[0], args[1], mode);
          linalg::YieldOp::create(
              b, loc,
              ValueRange{buildAdd(b, loc, SemiringKind::MaxPlus, args[2],
                                  maxTerm, mode),
                         buildAdd(b, loc, SemiringKind::MinPlus, args[3],
                                  minTerm, mode)});
        });
    rewriter.replaceOp(op, generic->getResults());
    return success();
  }
};

/// Returns `input` padded with 𝟘 by `padding = [top, left, bottom, right]`
/// on dimensions 1 and 2. On memrefs the padded copy is a new buffer that,
/// like the allocations of one-shot bufferization, is left for the buffer
/// deallocation pipeline (which refuses deallocations it did not insert),
/// unless the caller frees it (`deallocTemporaries`).
static Value padInput(PatternRewriter &rewriter, Location loc, Value input,
                      ArrayRef<int64_t> padding, SemiringKind kind) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<ShapedType>(input.getType());
  Value zero = buildZero(rewriter, loc, kind, type.getElementType());
  SmallVector<OpFoldResult> low = {
      rewriter.getIndexAttr(0), rewriter.getIndexAttr(padding[0]),
      rewriter.getIndexAttr(padding[1]), rewriter.getIndexAttr(0)};
  SmallVector<OpFoldResult> high = {
      rewriter.getIndexAttr(0), rewriter.getIndexAttr(padding[2]),
      rewriter.getIndexAttr(padding[3]), rewriter.getIndexAttr(0)};
  if (isa<RankedTensorType>(type))
    return tensor::PadOp::create(rewriter, loc, /*resultType=*/Type(), input,
                                 low, high, zero);

  // Memrefs: allocate the padded buffer, fill it with 𝟘, copy the input into
  // its interior.
  auto memrefType = cast<MemRefType>(type);
  SmallVector<int64_t> paddedShape;
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < 4; ++d) {
    int64_t extra = (d == 1 || d == 2) ? padding[d - 1] + padding[d + 1] : 0;
    int64_t size = memrefType.getDimSize(d);
    if (!ShapedType::isDynamic(size)) {
      paddedShape.push_back(size + extra);
      continue;
    }
    paddedShape.push_back(ShapedType::kDynamic);
    Value dim = memref::DimOp::create(rewriter, loc, input, d);
    Value extraValue = arith::ConstantIndexOp::create(rewriter, loc, extra);
    dynamicSizes.push_back(
        arith::AddIOp::create(rewriter, loc, dim, extraValue));
  }
  auto paddedType = MemRefType::get(paddedShape, memrefType.getElementType());
  Value padded =
      memref::AllocOp::create(rewriter, loc, paddedType, dynamicSizes);
  linalg::FillOp::create(rewriter, loc, ValueRange{zero}, ValueRange{padded});
  SmallVector<OpFoldResult> sizes = memref::getMixedSizes(rewriter, loc, input);
  SmallVector<OpFoldResult> strides(4, rewriter.getIndexAttr(1));
  Value interior =
      memref::SubViewOp::create(rewriter, loc, padded, low, sizes, strides);
  memref::CopyOp::create(rewriter, loc, input, interior);
  return padded;
}

/// Lowers conv_2d (withChannelReduction) and depthwise_conv_2d.
template <typename OpTy, bool withChannelReduction>
struct ConvLowering : public TropPattern<OpTy> {
  using TropPattern<OpTy>::TropPattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> dilations = op.getDilations();

    GenericSpec spec;
    auto par = utils::IteratorType::parallel;
    auto red = utils::IteratorType::reduction;
    if (withChannelReduction) {
      // Loops (n, oh, ow, f, kh, kw, c).
      AffineExpr n, oh, ow, f, kh, kw, c;
      bindDims(ctx, n, oh, ow, f, kh, kw, c);
      spec.maps = {AffineMap::get(7, 0,
                                  {n, oh * strides[0] + kh * dilations[0],
                                   ow * strides[1] + kw * dilations[1], c},
                                  ctx),
                   AffineMap::get(7, 0, {kh, kw, c, f}, ctx),
                   AffineMap::get(7, 0, {n, oh, ow, f}, ctx)};
      spec.iterators = {par, par, par, par, red, red, red};
    } else {
      // Loops (n, oh, ow, c, kh, kw).
      AffineExpr n, oh, ow, c, kh, kw;
      bindDims(ctx, n, oh, ow, c, kh, kw);
      spec.maps = {AffineMap::get(6, 0,
                                  {n, oh * strides[0] + kh * dilations[0],
                                   ow * strides[1] + kw * dilations[1], c},
                                  ctx),
                   AffineMap::get(6, 0, {kh, kw, c}, ctx),
                   AffineMap::get(6, 0, {n, oh, ow, c}, ctx)};
      spec.iterators = {par, par, par, par, red, red};
    }

    Value input = padInput(rewriter, loc, op.getInput(), op.getPadding(),
                           op.getSemiring());
    replaceWithGeneric(rewriter, op, {input, op.getFilter()}, op.getInit(),
                       spec, op.getSemiring(), this->nanMode);
    if (this->deallocTemporaries && input != op.getInput() &&
        isa<MemRefType>(input.getType()))
      memref::DeallocOp::create(rewriter, loc, input);
    return success();
  }
};

/// Expands the last dimension of `input` (C channels) into (C / k, k), so
/// that maxout's loops are projected permutations of its operands' dims.
static Value expandChannels(PatternRewriter &rewriter, Location loc,
                            Value input, int64_t groupSize) {
  auto type = cast<ShapedType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<ReassociationIndices> reassociation;
  for (int64_t d = 0; d + 1 < rank; ++d)
    reassociation.push_back({d});
  reassociation.push_back({rank - 1, rank});

  SmallVector<OpFoldResult> outputShape =
      isa<RankedTensorType>(type) ? tensor::getMixedSizes(rewriter, loc, input)
                                  : memref::getMixedSizes(rewriter, loc, input);
  OpFoldResult channels = outputShape.back();
  if (auto attr = dyn_cast<Attribute>(channels)) {
    outputShape.back() =
        rewriter.getIndexAttr(cast<IntegerAttr>(attr).getInt() / groupSize);
  } else {
    Value k = arith::ConstantIndexOp::create(rewriter, loc, groupSize);
    outputShape.back() =
        arith::DivUIOp::create(rewriter, loc, cast<Value>(channels), k)
            .getResult();
  }
  outputShape.push_back(rewriter.getIndexAttr(groupSize));

  SmallVector<int64_t> shape(type.getShape().drop_back());
  shape.push_back(ShapedType::isDynamic(type.getShape().back())
                      ? ShapedType::kDynamic
                      : type.getShape().back() / groupSize);
  shape.push_back(groupSize);
  if (isa<RankedTensorType>(type))
    return tensor::ExpandShapeOp::create(
        rewriter, loc, RankedTensorType::get(shape, type.getElementType()),
        input, reassociation, outputShape);
  return memref::ExpandShapeOp::create(rewriter, loc, shape, input,
                                       reassociation, outputShape);
}

struct MaxoutLowering : public TropPattern<MaxoutOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(MaxoutOp op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    MLIRContext *ctx = op.getContext();
    int64_t rank = cast<ShapedType>(op.getInit().getType()).getRank();
    Value input =
        expandChannels(rewriter, op.getLoc(), op.getInput(), op.getGroupSize());
    // Loops: the leading dimensions, the group g, the position j in it.
    unsigned numLoops = rank + 1;
    GenericSpec spec;
    // The input is indexed by all loops, the output by all but the last.
    spec.maps = {
        AffineMap::getMultiDimIdentityMap(numLoops, ctx),
        AffineMap::getMultiDimIdentityMap(numLoops, ctx).getMajorSubMap(rank)};
    spec.iterators.assign(rank, utils::IteratorType::parallel);
    spec.iterators.push_back(utils::IteratorType::reduction);
    // Maxout's ⊕ is max whatever the type: max_plus names exactly that.
    replaceWithGeneric(rewriter, op, {input}, op.getInit(), spec,
                       SemiringKind::MaxPlus, nanMode);
    return success();
  }
};

/// A temporary like `shapeOf`'s first dimension by `cols`'s `colDim`, on
/// tensors (tensor.empty) or memrefs (memref.alloc) as `likeTensor` says.
static Value createTemporary(PatternRewriter &rewriter, Location loc,
                             bool likeTensor, Value rows, int64_t rowDim,
                             Value cols, int64_t colDim, Type elementType) {
  SmallVector<OpFoldResult> sizes;
  for (auto [value, d] : {std::pair(rows, rowDim), std::pair(cols, colDim)}) {
    int64_t size = cast<ShapedType>(value.getType()).getDimSize(d);
    if (!ShapedType::isDynamic(size)) {
      sizes.push_back(rewriter.getIndexAttr(size));
      continue;
    }
    if (isa<RankedTensorType>(value.getType()))
      sizes.push_back(
          tensor::DimOp::create(rewriter, loc, value, d).getResult());
    else
      sizes.push_back(
          memref::DimOp::create(rewriter, loc, value, d).getResult());
  }
  if (likeTensor)
    return tensor::EmptyOp::create(rewriter, loc, sizes, elementType);
  SmallVector<int64_t> shape;
  SmallVector<Value> dynamic;
  dispatchIndexOpFoldResults(sizes, dynamic, shape);
  return memref::AllocOp::create(rewriter, loc,
                                 MemRefType::get(shape, elementType), dynamic);
}

/// The bipolar layer as three generics: the input poles (one ln per input
/// and pole), the four max-plus contractions in one reduction with four
/// accumulators, and the signed sum of their exponentials into `init`, in
/// the order the op's description fixes.
struct BipolarMatmulLowering : public TropPattern<BipolarMatmulOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(BipolarMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    bool onTensors = isa<RankedTensorType>(op.getInit().getType());
    Type type = getElementTypeOrSelf(op.getInit().getType());
    auto par = utils::IteratorType::parallel;
    auto red = utils::IteratorType::reduction;
    AffineExpr i, j, k;
    bindDims(ctx, i, j, k);
    AffineMap id2 = AffineMap::getMultiDimIdentityMap(2, ctx);

    // L⁺ = ln(max(x, s)), L⁻ = ln(max(−x, s)).
    Value shift = arith::ConstantOp::create(
        rewriter, loc, type,
        rewriter.getFloatAttr(type, op.getInputShift().convertToDouble()));
    SmallVector<Value> poles;
    for (int p = 0; p < 2; ++p)
      poles.push_back(createTemporary(rewriter, loc, onTensors, op.getLhs(), 0,
                                      op.getLhs(), 1, type));
    auto poleGeneric = linalg::GenericOp::create(
        rewriter, loc, onTensors ? TypeRange(ValueRange(poles)) : TypeRange(),
        op.getLhs(), poles, SmallVector<AffineMap>(3, id2),
        SmallVector<utils::IteratorType>{par, par},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value neg = arith::NegFOp::create(b, loc, args[0]);
          linalg::YieldOp::create(
              b, loc,
              ValueRange{
                  math::LogOp::create(
                      b, loc,
                      arith::MaximumFOp::create(b, loc, args[0], shift)),
                  math::LogOp::create(
                      b, loc, arith::MaximumFOp::create(b, loc, neg, shift))});
        });
    if (onTensors)
      poles.assign(poleGeneric->result_begin(), poleGeneric->result_end());

    // The four contractions (L⁺V⁺, L⁺V⁻, L⁻V⁺, L⁻V⁻), each from 𝟘 = −∞.
    SemiringKind kind = SemiringKind::MaxPlus;
    Value zero = buildZero(rewriter, loc, kind, type);
    SmallVector<Value> accs;
    for (int t = 0; t < 4; ++t) {
      Value acc = createTemporary(rewriter, loc, onTensors, op.getLhs(), 0,
                                  op.getInit(), 1, type);
      auto fill = linalg::FillOp::create(rewriter, loc, zero, acc);
      accs.push_back(onTensors ? fill.getResult(0) : acc);
    }
    AffineMap lhsMap = AffineMap::get(3, 0, {i, k}, ctx);
    AffineMap rhsMap = AffineMap::get(3, 0, {k, j}, ctx);
    AffineMap outMap = AffineMap::get(3, 0, {i, j}, ctx);
    SmallVector<AffineMap> maps = {lhsMap, lhsMap, rhsMap, rhsMap};
    maps.append(4, outMap);
    NaNMode mode = nanMode;
    auto contraction = linalg::GenericOp::create(
        rewriter, loc, onTensors ? TypeRange(ValueRange(accs)) : TypeRange(),
        ValueRange{poles[0], poles[1], op.getRhsPos(), op.getRhsNeg()}, accs,
        maps, SmallVector<utils::IteratorType>{par, par, red},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          SmallVector<Value> next;
          for (int t = 0; t < 4; ++t) {
            Value term =
                buildMul(b, loc, kind, args[t / 2], args[2 + t % 2], mode);
            next.push_back(buildAdd(b, loc, kind, args[4 + t], term, mode));
          }
          linalg::YieldOp::create(b, loc, next);
        });
    SmallVector<Value> maxima =
        onTensors ? SmallVector<Value>(contraction->getResults()) : accs;

    // init + e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻).
    auto combine = linalg::GenericOp::create(
        rewriter, loc, op->getResultTypes(), maxima, op.getInit(),
        SmallVector<AffineMap>(5, id2),
        SmallVector<utils::IteratorType>{par, par},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value acc = args[4];
          for (int t = 0; t < 4; ++t) {
            Value e = math::ExpOp::create(b, loc, args[t]);
            if (t == 1 || t == 2)
              acc = arith::SubFOp::create(b, loc, acc, e);
            else
              acc = arith::AddFOp::create(b, loc, acc, e);
          }
          linalg::YieldOp::create(b, loc, acc);
        });
    if (!onTensors && deallocTemporaries) {
      for (Value temporary : llvm::concat<Value>(poles, accs))
        memref::DeallocOp::create(rewriter, loc, temporary);
    }
    rewriter.replaceOp(op, combine->getResults());
    return success();
  }
};

/// The log-sum-exp product as two generics: a reduction carrying the running
/// maximum m (from the destination) and the rescaled sum s of e^{β(t − m)}
/// (one exponential per update: the smaller of m and t is rescaled to the
/// larger), then `m + ln(s)/β` into the destination. Terms and maxima of −∞
/// leave s unchanged, so an all-−∞ row stays −∞ (s = 0, ln 0 = −∞).
struct LseMatmulLowering : public TropPattern<LseMatmulOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(LseMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    bool onTensors = isa<RankedTensorType>(op.getInit().getType());
    Type type = getElementTypeOrSelf(op.getInit().getType());
    auto par = utils::IteratorType::parallel;
    auto red = utils::IteratorType::reduction;
    AffineExpr i, j, k;
    bindDims(ctx, i, j, k);
    AffineMap id2 = AffineMap::getMultiDimIdentityMap(2, ctx);
    auto constant = [&](OpBuilder &b, Location loc, double v) -> Value {
      return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, v));
    };
    double betaValue = op.getBeta().convertToDouble();
    Value negInf = buildZero(rewriter, loc, SemiringKind::MaxPlus, type);

    // m = C, s = (C == −∞ ? 0 : 1).
    SmallVector<Value> state;
    for (int t = 0; t < 2; ++t)
      state.push_back(createTemporary(rewriter, loc, onTensors, op.getInit(), 0,
                                      op.getInit(), 1, type));
    auto start = linalg::GenericOp::create(
        rewriter, loc, onTensors ? TypeRange(ValueRange(state)) : TypeRange(),
        op.getInit(), state, SmallVector<AffineMap>(3, id2),
        SmallVector<utils::IteratorType>{par, par},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value empty = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                              args[0], negInf);
          Value s = arith::SelectOp::create(b, loc, empty, constant(b, loc, 0),
                                            constant(b, loc, 1));
          linalg::YieldOp::create(b, loc, ValueRange{args[0], s});
        });
    if (onTensors)
      state.assign(start->result_begin(), start->result_end());

    NaNMode mode = nanMode;
    AffineMap outMap = AffineMap::get(3, 0, {i, j}, ctx);
    auto reduce = linalg::GenericOp::create(
        rewriter, loc, onTensors ? TypeRange(ValueRange(state)) : TypeRange(),
        ValueRange{op.getLhs(), op.getRhs()}, state,
        SmallVector<AffineMap>{AffineMap::get(3, 0, {i, k}, ctx),
                               AffineMap::get(3, 0, {k, j}, ctx), outMap,
                               outMap},
        SmallVector<utils::IteratorType>{par, par, red},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value m = args[2], s = args[3];
          Value t =
              buildMul(b, loc, SemiringKind::MaxPlus, args[0], args[1], mode);
          Value hi = arith::MaximumFOp::create(b, loc, m, t);
          Value lo = arith::MinimumFOp::create(b, loc, m, t);
          Value beta = constant(b, loc, betaValue);
          Value e = math::ExpOp::create(
              b, loc,
              arith::MulFOp::create(b, loc, beta,
                                    arith::SubFOp::create(b, loc, lo, hi)));
          // t > m: the old sum is rescaled and t counts 1; else t adds e.
          Value grows =
              arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, t, m);
          Value rescaled = arith::AddFOp::create(
              b, loc, arith::MulFOp::create(b, loc, s, e), constant(b, loc, 1));
          Value added = arith::AddFOp::create(b, loc, s, e);
          Value next = arith::SelectOp::create(b, loc, grows, rescaled, added);
          // Both −∞: nothing to add (lo − hi would be NaN).
          Value none = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ,
                                             hi, negInf);
          next = arith::SelectOp::create(b, loc, none, s, next);
          linalg::YieldOp::create(b, loc, ValueRange{hi, next});
        });
    if (onTensors)
      state.assign(reduce->result_begin(), reduce->result_end());

    auto finish = linalg::GenericOp::create(
        rewriter, loc, op->getResultTypes(), state, op.getInit(),
        SmallVector<AffineMap>(3, id2),
        SmallVector<utils::IteratorType>{par, par},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value log = math::LogOp::create(b, loc, args[1]);
          Value scaled =
              arith::DivFOp::create(b, loc, log, constant(b, loc, betaValue));
          linalg::YieldOp::create(
              b, loc,
              arith::AddFOp::create(b, loc, args[0], scaled).getResult());
        });
    if (!onTensors && deallocTemporaries) {
      for (Value temporary : state)
        memref::DeallocOp::create(rewriter, loc, temporary);
    }
    rewriter.replaceOp(op, finish->getResults());
    return success();
  }
};

struct ConvertTropToLinalgPass
    : public trop::impl::ConvertTropToLinalgBase<ConvertTropToLinalgPass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    populateTropToLinalgConversionPatterns(patterns, nanMode,
                                           deallocTemporaries);
    // Every pattern applies unconditionally to a verified op, so a walk
    // rewrites each op exactly once; nothing needs iterating to a fixpoint.
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    WalkResult remaining = getOperation()->walk([](TropOpInterface op) {
      op->emitOpError("was not lowered to linalg");
      return WalkResult::interrupt();
    });
    if (remaining.wasInterrupted())
      signalPassFailure();
  }
};

} // namespace

void trop::populateTropToLinalgConversionPatterns(RewritePatternSet &patterns,
                                                  NaNMode nanMode,
                                                  bool deallocTemporaries) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<MatmulLowering, BatchMatmulLowering,
               ConvLowering<Conv2DOp, /*withChannelReduction=*/true>,
               ConvLowering<DepthwiseConv2DOp, /*withChannelReduction=*/false>,
               MaxoutLowering, DualMatmulLowering, BipolarMatmulLowering,
               LseMatmulLowering>(ctx, nanMode, deallocTemporaries);
}
