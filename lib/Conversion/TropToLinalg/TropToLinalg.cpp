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
#include "BinaryLowering.h"
#include "DualConvLowering.h"
#include "GenericSpecs.h"
#include "trop/Conversion/LogSumExpStep.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
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
    GenericSpec spec = matrixProductSpec(op.getContext(), /*batch=*/false);
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
    GenericSpec spec = matrixProductSpec(op.getContext(), /*batch=*/true);
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

} // namespace

/// Returns `input` padded with 𝟘 by `padding = [top, left, bottom, right]`
/// on dimensions 1 and 2. On memrefs the padded copy is a new buffer that,
/// like the allocations of one-shot bufferization, is left for the buffer
/// deallocation pipeline (which refuses deallocations it did not insert),
/// unless the caller frees it (`deallocTemporaries`).
Value trop::padInput(PatternRewriter &rewriter, Location loc, Value input,
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

namespace {

/// Lowers conv_2d (withChannelReduction) and depthwise_conv_2d.
template <typename OpTy, bool withChannelReduction>
struct ConvLowering : public TropPattern<OpTy> {
  using TropPattern<OpTy>::TropPattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    Location loc = op.getLoc();
    GenericSpec spec = windowSpec(op.getContext(), op.getStrides(),
                                  op.getDilations(), withChannelReduction);

    // Read before the rewrite erases `op`.
    Value original = op.getInput();
    Value input =
        padInput(rewriter, loc, original, op.getPadding(), op.getSemiring());
    replaceWithGeneric(rewriter, op, {input, op.getFilter()}, op.getInit(),
                       spec, op.getSemiring(), this->nanMode);
    if (this->deallocTemporaries && input != original &&
        isa<MemRefType>(input.getType()))
      memref::DeallocOp::create(rewriter, loc, input);
    return success();
  }
};

} // namespace

/// Expands the last dimension of `input` (C channels) into (C / k, k), so
/// that maxout's loops are projected permutations of its operands' dims.
Value trop::expandChannels(PatternRewriter &rewriter, Location loc, Value input,
                           int64_t groupSize) {
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

namespace {

struct MaxoutLowering : public TropPattern<MaxoutOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(MaxoutOp op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    int64_t rank = cast<ShapedType>(op.getInit().getType()).getRank();
    Value input =
        expandChannels(rewriter, op.getLoc(), op.getInput(), op.getGroupSize());
    GenericSpec spec = maxoutSpec(op.getContext(), rank);
    // Maxout's ⊕ is max whatever the type: max_plus names exactly that.
    replaceWithGeneric(rewriter, op, {input}, op.getInit(), spec,
                       SemiringKind::MaxPlus, nanMode);
    return success();
  }
};

/// A temporary of `elementType` with the rows of `rows`'s dimension
/// `rowDim` and the columns of `cols`'s dimension `colDim`: a tensor.empty
/// (`likeTensor`) or a memref.alloc.
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

/// What the multi-step lowerings (bipolar_matmul, lse_matmul) share: the
/// element type, the tensor or memref form, the loop maps of a matrix
/// product, and generics that return their outputs' new values.
struct StepBuilder {
  PatternRewriter &rewriter;
  Location loc;
  Type type;
  bool onTensors;
  /// (i, k), (k, j), (i, j) over the loops (i, j, k); the identity on 2-D.
  AffineMap lhsMap, rhsMap, outMap, id2;

  StepBuilder(PatternRewriter &rewriter, Operation *op, Value init)
      : rewriter(rewriter), loc(op->getLoc()),
        type(getElementTypeOrSelf(init.getType())),
        onTensors(isa<RankedTensorType>(init.getType())) {
    MLIRContext *ctx = op->getContext();
    AffineExpr i, j, k;
    bindDims(ctx, i, j, k);
    lhsMap = AffineMap::get(3, 0, {i, k}, ctx);
    rhsMap = AffineMap::get(3, 0, {k, j}, ctx);
    outMap = AffineMap::get(3, 0, {i, j}, ctx);
    id2 = AffineMap::getMultiDimIdentityMap(2, ctx);
  }

  Value constant(OpBuilder &b, Location at, double value) const {
    return arith::ConstantOp::create(b, at, type, b.getFloatAttr(type, value));
  }
  /// A 2-D temporary like `shape`'s dimensions 0 and 1 (or `cols`'s 1).
  Value temporary(Value rows, Value cols) const {
    return createTemporary(rewriter, loc, onTensors, rows, 0, cols, 1, type);
  }
  /// A generic writing `outputs`: with `reduce`, over the loops (i, j, k) of
  /// a matrix product with `maps`; else elementwise on 2-D operands. Returns
  /// the values holding the outputs afterwards (its results on tensors).
  SmallVector<Value>
  generic(ValueRange inputs, ValueRange outputs, bool reduce,
          ArrayRef<AffineMap> maps,
          function_ref<void(OpBuilder &, Location, ValueRange)> body) const {
    auto par = utils::IteratorType::parallel;
    SmallVector<utils::IteratorType> iterators = {par, par};
    SmallVector<AffineMap> allMaps(maps);
    if (reduce)
      iterators.push_back(utils::IteratorType::reduction);
    else
      allMaps.assign(inputs.size() + outputs.size(), id2);
    auto op = linalg::GenericOp::create(
        rewriter, loc, onTensors ? TypeRange(outputs) : TypeRange(), inputs,
        outputs, allMaps, iterators, body);
    if (onTensors)
      return SmallVector<Value>(op->getResults());
    return SmallVector<Value>(outputs);
  }
  /// Replaces `op` by `result` (tensors) or erases it (memrefs), freeing the
  /// memref `temporaries` when asked.
  void finish(Operation *op, Value result, ValueRange temporaries,
              bool deallocTemporaries) const {
    if (!onTensors && deallocTemporaries) {
      for (Value temporary : temporaries)
        memref::DeallocOp::create(rewriter, loc, temporary);
    }
    if (onTensors)
      rewriter.replaceOp(op, result);
    else
      rewriter.eraseOp(op);
  }
};

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
    StepBuilder s(rewriter, op, op.getInit());
    Value x = op.getLhs();

    // L⁺ = ln(max(x, s)), L⁻ = ln(max(−x, s)).
    Value shift =
        s.constant(rewriter, s.loc, op.getInputShift().convertToDouble());
    SmallVector<Value> poleBuffers = {s.temporary(x, x), s.temporary(x, x)};
    SmallVector<Value> poles =
        s.generic(x, poleBuffers, /*reduce=*/false, {},
                  [&](OpBuilder &b, Location loc, ValueRange args) {
                    Value neg = arith::NegFOp::create(b, loc, args[0]);
                    SmallVector<Value> logs;
                    for (Value v : {args[0], neg})
                      logs.push_back(math::LogOp::create(
                          b, loc, arith::MaximumFOp::create(b, loc, v, shift)));
                    linalg::YieldOp::create(b, loc, logs);
                  });

    // The four contractions (L⁺V⁺, L⁺V⁻, L⁻V⁺, L⁻V⁻), each from 𝟘 = −∞.
    SemiringKind kind = SemiringKind::MaxPlus;
    Value zero = buildZero(rewriter, s.loc, kind, s.type);
    SmallVector<Value> accBuffers, accs;
    for (int t = 0; t < 4; ++t) {
      accBuffers.push_back(s.temporary(x, op.getInit()));
      auto fill =
          linalg::FillOp::create(rewriter, s.loc, zero, accBuffers.back());
      accs.push_back(s.onTensors ? fill.getResult(0) : accBuffers.back());
    }
    SmallVector<AffineMap> maps = {s.lhsMap, s.lhsMap, s.rhsMap, s.rhsMap};
    maps.append(4, s.outMap);
    NaNMode mode = nanMode;
    SmallVector<Value> maxima = s.generic(
        {poles[0], poles[1], op.getRhsPos(), op.getRhsNeg()}, accs,
        /*reduce=*/true, maps,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          SmallVector<Value> next;
          for (int t = 0; t < 4; ++t) {
            Value term =
                buildMul(b, loc, kind, args[t / 2], args[2 + t % 2], mode);
            next.push_back(buildAdd(b, loc, kind, args[4 + t], term, mode));
          }
          linalg::YieldOp::create(b, loc, next);
        });

    // init + e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻).
    SmallVector<Value> result =
        s.generic(maxima, op.getInit(), /*reduce=*/false, {},
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
    s.finish(op, result[0],
             llvm::to_vector(llvm::concat<Value>(poleBuffers, accBuffers)),
             deallocTemporaries);
    return success();
  }
};

/// The log-sum-exp product as three generics: the running maximum m starts
/// at the destination and the sum s at 1 (0 where it is −∞); a reduction
/// rescales the smaller of m and each term t to the larger (one exponential
/// per update); then `m + ln(s)/β` into the destination. Where m and t are
/// both −∞, s is kept (lo − hi would be NaN), so an all-−∞ row stays −∞
/// (s = 0, ln 0 = −∞).
struct LseMatmulLowering : public TropPattern<LseMatmulOp> {
  using TropPattern::TropPattern;
  LogicalResult matchAndRewrite(LseMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (replaceIfEmpty(rewriter, op))
      return success();
    StepBuilder st(rewriter, op, op.getInit());
    Value init = op.getInit();
    double beta = op.getBeta().convertToDouble();
    Value negInf = buildZero(rewriter, st.loc, SemiringKind::MaxPlus, st.type);

    SmallVector<Value> buffers = {st.temporary(init, init),
                                  st.temporary(init, init)};
    SmallVector<Value> state = st.generic(
        init, buffers, /*reduce=*/false, {},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(
              b, loc,
              ValueRange{args[0], buildLseStart(b, loc, args[0], negInf)});
        });

    NaNMode mode = nanMode;
    state = st.generic({op.getLhs(), op.getRhs()}, state, /*reduce=*/true,
                       {st.lhsMap, st.rhsMap, st.outMap, st.outMap},
                       [&](OpBuilder &b, Location loc, ValueRange args) {
                         auto [m, s] =
                             buildLseStep(b, loc, args[2], args[3], args[0],
                                          args[1], beta, negInf, mode);
                         linalg::YieldOp::create(b, loc, ValueRange{m, s});
                       });

    SmallVector<Value> result = st.generic(
        state, init, /*reduce=*/false, {},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(
              b, loc, buildLseResult(b, loc, args[0], args[1], beta));
        });
    st.finish(op, result[0], buffers, deallocTemporaries);
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
  populateTrainingToLinalgConversionPatterns(patterns, nanMode);
  populateBinaryToLinalgPatterns(patterns, deallocTemporaries);
  populateDualConvToLinalgPatterns(patterns, nanMode);
}

GenericSpec trop::matrixProductSpec(MLIRContext *ctx, bool batch) {
  auto par = utils::IteratorType::parallel;
  AffineExpr b, i, j, k;
  if (!batch) {
    bindDims(ctx, i, j, k);
    return {{AffineMap::get(3, 0, {i, k}, ctx),
             AffineMap::get(3, 0, {k, j}, ctx),
             AffineMap::get(3, 0, {i, j}, ctx)},
            {par, par, utils::IteratorType::reduction}};
  }
  bindDims(ctx, b, i, j, k);
  return {{AffineMap::get(4, 0, {b, i, k}, ctx),
           AffineMap::get(4, 0, {b, k, j}, ctx),
           AffineMap::get(4, 0, {b, i, j}, ctx)},
          {par, par, par, utils::IteratorType::reduction}};
}

GenericSpec trop::windowSpec(MLIRContext *ctx, ArrayRef<int64_t> strides,
                             ArrayRef<int64_t> dilations,
                             bool withChannelReduction) {
  auto par = utils::IteratorType::parallel;
  auto red = utils::IteratorType::reduction;
  if (withChannelReduction) {
    // Loops (n, oh, ow, f, kh, kw, c).
    AffineExpr n, oh, ow, f, kh, kw, c;
    bindDims(ctx, n, oh, ow, f, kh, kw, c);
    return {{AffineMap::get(7, 0,
                            {n, oh * strides[0] + kh * dilations[0],
                             ow * strides[1] + kw * dilations[1], c},
                            ctx),
             AffineMap::get(7, 0, {kh, kw, c, f}, ctx),
             AffineMap::get(7, 0, {n, oh, ow, f}, ctx)},
            {par, par, par, par, red, red, red}};
  }
  // Loops (n, oh, ow, c, kh, kw).
  AffineExpr n, oh, ow, c, kh, kw;
  bindDims(ctx, n, oh, ow, c, kh, kw);
  return {{AffineMap::get(6, 0,
                          {n, oh * strides[0] + kh * dilations[0],
                           ow * strides[1] + kw * dilations[1], c},
                          ctx),
           AffineMap::get(6, 0, {kh, kw, c}, ctx),
           AffineMap::get(6, 0, {n, oh, ow, c}, ctx)},
          {par, par, par, par, red, red}};
}

GenericSpec trop::maxoutSpec(MLIRContext *ctx, int64_t rank) {
  // Loops: the leading dimensions, the group g, the position j in it. The
  // input is indexed by all loops, the output by all but the last.
  unsigned numLoops = rank + 1;
  GenericSpec spec;
  spec.maps = {
      AffineMap::getMultiDimIdentityMap(numLoops, ctx),
      AffineMap::getMultiDimIdentityMap(numLoops, ctx).getMajorSubMap(rank)};
  spec.iterators.assign(rank, utils::IteratorType::parallel);
  spec.iterators.push_back(utils::IteratorType::reduction);
  return spec;
}
