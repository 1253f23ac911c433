//===- BinaryLowering.cpp - Reference lowering of the binary ops ----------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The oracle for paper D's bit-packed ops: each follows its definition bit by
// bit. trop.binary_morphology unpacks its words to i1, pads (with the
// operation's 𝟘 or by replicating the edge), computes the OR of ANDs (or the
// AND of ORs) channel by channel as a linalg.generic, and packs the bits
// back; nothing here works on whole words, so the word-parallel CPU kernel
// has an independent reference. The float trop.bise (paper D's training
// forward) is here too: its replicate padding is padBits' on floats.
//
//===----------------------------------------------------------------------===//

#include "BinaryLowering.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

using BodyFn = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// The reassociation that splits the last of `rank` dimensions in two.
SmallVector<ReassociationIndices> splitLastGroups(int64_t rank) {
  SmallVector<ReassociationIndices> groups(rank);
  for (int64_t d = 0; d < rank; ++d)
    groups[d].push_back(d);
  groups.back().push_back(rank);
  return groups;
}

/// Builds arrays and loops on tensors or memrefs alike, and remembers the
/// memref temporaries it allocates so that the caller can free them.
struct ArrayBuilder {
  PatternRewriter &b;
  Location loc;
  bool onTensors;
  SmallVector<Value> temporaries;

  SmallVector<OpFoldResult> sizes(Value array) {
    return onTensors ? tensor::getMixedSizes(b, loc, array)
                     : memref::getMixedSizes(b, loc, array);
  }

  Value index(OpFoldResult size) {
    if (auto value = dyn_cast<Value>(size))
      return value;
    return arith::ConstantIndexOp::create(b, loc, *getConstantIntValue(size));
  }

  /// `size · scale + offset`, folded when `size` is static.
  OpFoldResult scaled(OpFoldResult size, int64_t scale, int64_t offset) {
    if (std::optional<int64_t> value = getConstantIntValue(size))
      return b.getIndexAttr(*value * scale + offset);
    Value product = arith::MulIOp::create(
        b, loc, index(size), arith::ConstantIndexOp::create(b, loc, scale));
    return arith::AddIOp::create(b, loc, product,
                                 arith::ConstantIndexOp::create(b, loc, offset))
        .getResult();
  }

  Value create(ArrayRef<OpFoldResult> shape, Type elementType) {
    if (onTensors)
      return tensor::EmptyOp::create(b, loc, shape, elementType);
    SmallVector<Value> dynamicSizes;
    SmallVector<int64_t> staticSizes;
    dispatchIndexOpFoldResults(shape, dynamicSizes, staticSizes);
    Value buffer = memref::AllocOp::create(
        b, loc, MemRefType::get(staticSizes, elementType), dynamicSizes);
    temporaries.push_back(buffer);
    return buffer;
  }

  Value fill(TypedAttr value, Value array) {
    Value constant = arith::ConstantOp::create(b, loc, value);
    auto op =
        linalg::FillOp::create(b, loc, ValueRange{constant}, ValueRange{array});
    return onTensors ? op.getResult(0) : array;
  }

  /// Writes `source` into `dest` at `offsets` (unit strides).
  Value insert(Value source, Value dest, ArrayRef<OpFoldResult> offsets) {
    SmallVector<OpFoldResult> strides(offsets.size(), b.getIndexAttr(1));
    SmallVector<OpFoldResult> shape = sizes(source);
    if (onTensors)
      return tensor::InsertSliceOp::create(b, loc, source, dest, offsets, shape,
                                           strides);
    Value view =
        memref::SubViewOp::create(b, loc, dest, offsets, shape, strides);
    memref::CopyOp::create(b, loc, source, view);
    return dest;
  }

  Value generic(ValueRange inputs, Value init, ArrayRef<AffineMap> maps,
                ArrayRef<utils::IteratorType> iterators, BodyFn body) {
    SmallVector<Type, 1> resultTypes;
    if (onTensors)
      resultTypes.push_back(init.getType());
    auto op = linalg::GenericOp::create(
        b, loc, resultTypes, inputs, init, maps, iterators,
        [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
          linalg::YieldOp::create(nested, nestedLoc,
                                  body(nested, nestedLoc, args));
        });
    return onTensors ? op.getResult(0) : init;
  }

  /// Splits the last dimension of `array` into (size / inner, inner).
  Value splitLast(Value array, int64_t inner) {
    auto type = cast<ShapedType>(array.getType());
    SmallVector<ReassociationIndices> groups = splitLastGroups(type.getRank());
    SmallVector<OpFoldResult> outer = sizes(array);
    OpFoldResult last = outer.back();
    if (std::optional<int64_t> value = getConstantIntValue(last))
      outer.back() = b.getIndexAttr(*value / inner);
    else
      outer.back() =
          arith::DivUIOp::create(b, loc, index(last),
                                 arith::ConstantIndexOp::create(b, loc, inner))
              .getResult();
    outer.push_back(b.getIndexAttr(inner));
    SmallVector<int64_t> shape;
    SmallVector<Value> unused;
    dispatchIndexOpFoldResults(outer, unused, shape);
    if (onTensors)
      return tensor::ExpandShapeOp::create(
          b, loc, RankedTensorType::get(shape, type.getElementType()), array,
          groups, outer);
    return memref::ExpandShapeOp::create(b, loc, shape, array, groups, outer);
  }

  void freeTemporaries() {
    for (Value buffer : temporaries)
      memref::DeallocOp::create(b, loc, buffer);
  }
};

SmallVector<utils::IteratorType> parallelThenReduction(int64_t parallel,
                                                       int64_t reduction) {
  SmallVector<utils::IteratorType> iterators(parallel,
                                             utils::IteratorType::parallel);
  iterators.append(reduction, utils::IteratorType::reduction);
  return iterators;
}

/// `linalg.index dim` as an i64.
Value indexAsI64(OpBuilder &b, Location loc, int64_t dim) {
  Value index = linalg::IndexOp::create(b, loc, dim);
  return arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
}

/// Bit (c mod 64) of word ⌊c/64⌋ into `bits` (any rank, channels last).
Value unpackBits(ArrayBuilder &ab, Value words, Value bits) {
  MLIRContext *ctx = ab.b.getContext();
  int64_t rank = cast<ShapedType>(bits.getType()).getRank();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank, ctx);
  SmallVector<AffineExpr> wordIndex(identity.getResults());
  wordIndex.back() = wordIndex.back().floorDiv(64);
  return ab.generic(
      words, bits, {AffineMap::get(rank, 0, wordIndex, ctx), identity},
      parallelThenReduction(rank, 0),
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value shift = arith::RemUIOp::create(
            b, loc, indexAsI64(b, loc, rank - 1),
            arith::ConstantIntOp::create(b, loc, b.getIntegerType(64), 64));
        Value shifted = arith::ShRUIOp::create(b, loc, args[0], shift);
        return arith::TruncIOp::create(b, loc, b.getI1Type(), shifted);
      });
}

/// Packs `bits` (channels last) into `words`, overwriting it: the channels
/// are padded with 0 to a multiple of 64, split into (words, 64), and each
/// word is the OR of its bits shifted into place.
Value packBits(ArrayBuilder &ab, Value bits, Value words) {
  MLIRContext *ctx = ab.b.getContext();
  int64_t rank = cast<ShapedType>(bits.getType()).getRank();
  SmallVector<OpFoldResult> paddedShape = ab.sizes(bits);
  paddedShape.back() = ab.scaled(ab.sizes(words).back(), 64, 0);
  Value padded = ab.fill(ab.b.getBoolAttr(false),
                         ab.create(paddedShape, ab.b.getI1Type()));
  padded = ab.insert(bits, padded,
                     SmallVector<OpFoldResult>(rank, ab.b.getIndexAttr(0)));
  Value split = ab.splitLast(padded, 64);
  Value zeroed = ab.fill(ab.b.getI64IntegerAttr(0), words);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(rank + 1, ctx);
  return ab.generic(
      split, zeroed, {identity, identity.getMajorSubMap(rank)},
      parallelThenReduction(rank, 1),
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value bit = arith::ExtUIOp::create(b, loc, b.getI64Type(), args[0]);
        Value placed =
            arith::ShLIOp::create(b, loc, bit, indexAsI64(b, loc, rank));
        return arith::OrIOp::create(b, loc, args[1], placed);
      });
}

/// A new i1 array shaped like the i64 `words`, with `channels` channels.
Value bitsLike(ArrayBuilder &ab, Value words, OpFoldResult channels) {
  SmallVector<OpFoldResult> shape = ab.sizes(words);
  shape.back() = channels;
  return ab.create(shape, ab.b.getI1Type());
}

/// The common shell: the op builds through an ArrayBuilder whose
/// temporaries are freed when asked. Empty iteration spaces need no special
/// case: every loop nest then runs zero times.
template <typename OpTy>
struct BinaryPattern : public OpRewritePattern<OpTy> {
  BinaryPattern(MLIRContext *ctx, bool deallocTemporaries)
      : OpRewritePattern<OpTy>(ctx), deallocTemporaries(deallocTemporaries) {}
  bool deallocTemporaries;

  virtual Value build(OpTy op, ArrayBuilder &ab) const = 0;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    ArrayBuilder ab{rewriter,
                    op.getLoc(),
                    isa<RankedTensorType>(op.getInit().getType()),
                    {}};
    Value result = build(op, ab);
    if (deallocTemporaries && !ab.onTensors)
      ab.freeTemporaries();
    if (ab.onTensors)
      rewriter.replaceOp(op, result);
    else
      rewriter.eraseOp(op);
    return success();
  }
};

struct PackBitsLowering : public BinaryPattern<PackBitsOp> {
  using BinaryPattern::BinaryPattern;
  Value build(PackBitsOp op, ArrayBuilder &ab) const override {
    return packBits(ab, op.getInput(), op.getInit());
  }
};

struct UnpackBitsLowering : public BinaryPattern<UnpackBitsOp> {
  using BinaryPattern::BinaryPattern;
  Value build(UnpackBitsOp op, ArrayBuilder &ab) const override {
    return unpackBits(ab, op.getInput(), op.getInit());
  }
};

/// `bits` (N×H×W×C, i1 or float) padded by `padding`: with `fill` (the
/// operation's 𝟘, i1 only) or, when `fill` is null, by clamping each index
/// into the input.
Value padBits(ArrayBuilder &ab, Value bits, ArrayRef<int64_t> padding,
              std::optional<bool> fill) {
  if (llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return bits;
  SmallVector<OpFoldResult> inShape = ab.sizes(bits);
  SmallVector<OpFoldResult> shape = inShape;
  shape[1] = ab.scaled(inShape[1], 1, padding[0] + padding[2]);
  shape[2] = ab.scaled(inShape[2], 1, padding[1] + padding[3]);
  Value padded = ab.create(shape, getElementTypeOrSelf(bits.getType()));
  if (fill) {
    padded = ab.fill(ab.b.getBoolAttr(*fill), padded);
    return ab.insert(bits, padded,
                     {ab.b.getIndexAttr(0), ab.b.getIndexAttr(padding[0]),
                      ab.b.getIndexAttr(padding[1]), ab.b.getIndexAttr(0)});
  }
  Value lastRow = ab.index(ab.scaled(inShape[1], 1, -1));
  Value lastCol = ab.index(ab.scaled(inShape[2], 1, -1));
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ab.b.getContext());
  bool onTensors = ab.onTensors;
  return ab.generic(
      ValueRange{}, padded, {identity}, parallelThenReduction(4, 0),
      [&](OpBuilder &b, Location loc, ValueRange) -> Value {
        auto clamp = [&](int64_t dim, int64_t before, Value last) -> Value {
          Value i = linalg::IndexOp::create(b, loc, dim);
          Value shifted = arith::SubIOp::create(
              b, loc, i, arith::ConstantIndexOp::create(b, loc, before));
          Value low = arith::MaxSIOp::create(
              b, loc, shifted, arith::ConstantIndexOp::create(b, loc, 0));
          return arith::MinSIOp::create(b, loc, low, last);
        };
        SmallVector<Value> indices = {
            linalg::IndexOp::create(b, loc, 0), clamp(1, padding[0], lastRow),
            clamp(2, padding[1], lastCol), linalg::IndexOp::create(b, loc, 3)};
        if (onTensors)
          return tensor::ExtractOp::create(b, loc, bits, indices);
        return memref::LoadOp::create(b, loc, bits, indices);
      });
}

/// A mask per word of the channels it holds: all ones but in the last
/// word of a channel count that is not a multiple of 64.
Value channelMask(OpBuilder &b, Location loc, int64_t dim, int64_t channels) {
  Value word = indexAsI64(b, loc, dim);
  Value remaining = arith::SubIOp::create(
      b, loc,
      arith::ConstantIntOp::create(b, loc, b.getIntegerType(64), channels),
      arith::MulIOp::create(
          b, loc, word,
          arith::ConstantIntOp::create(b, loc, b.getIntegerType(64), 64)));
  Value full = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::sge, remaining,
      arith::ConstantIntOp::create(b, loc, b.getIntegerType(64), 64));
  Value one = arith::ConstantIntOp::create(b, loc, b.getIntegerType(64), 1);
  Value partial = arith::SubIOp::create(
      b, loc, arith::ShLIOp::create(b, loc, one, remaining), one);
  return arith::SelectOp::create(
      b, loc, full,
      arith::ConstantIntOp::create(b, loc, b.getIntegerType(64), -1), partial);
}

/// Packs `bits` (`count` channels last) into the words of `init`; only the
/// channels' bits change, the trailing bits of `init` stay.
Value packInto(ArrayBuilder &ab, Value bits, Value init, int64_t count) {
  Value packed =
      packBits(ab, bits, ab.create(ab.sizes(init), ab.b.getI64Type()));
  int64_t rank = cast<ShapedType>(init.getType()).getRank();
  AffineMap identity =
      AffineMap::getMultiDimIdentityMap(rank, ab.b.getContext());
  return ab.generic(
      packed, init, {identity, identity}, parallelThenReduction(rank, 0),
      [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value mask = channelMask(b, loc, rank - 1, count);
        Value notMask = arith::XOrIOp::create(
            b, loc, mask,
            arith::ConstantIntOp::create(b, loc, b.getIntegerType(64), -1));
        return arith::OrIOp::create(
            b, loc, arith::AndIOp::create(b, loc, args[0], mask),
            arith::AndIOp::create(b, loc, args[1], notMask));
      });
}

/// dilation: y ∨ (s ∧ x); erosion: y ∧ (¬s ∨ x), on i1.
Value accumulate(OpBuilder &b, Location loc, Value erosion, Value y, Value s,
                 Value x) {
  Value dilated =
      arith::OrIOp::create(b, loc, y, arith::AndIOp::create(b, loc, s, x));
  Value notS = arith::XOrIOp::create(
      b, loc, s, arith::ConstantIntOp::create(b, loc, b.getIntegerType(1), 1));
  Value eroded =
      arith::AndIOp::create(b, loc, y, arith::OrIOp::create(b, loc, notS, x));
  return arith::SelectOp::create(b, loc, erosion, eroded, dilated);
}

struct BinaryMorphologyLowering : public BinaryPattern<BinaryMorphologyOp> {
  using BinaryPattern::BinaryPattern;
  Value build(BinaryMorphologyOp op, ArrayBuilder &ab) const override {
    MLIRContext *ctx = op.getContext();
    bool dilation = op.getKind() == MorphologyKind::Dilation;
    OpFoldResult channels = ab.b.getIndexAttr(op.getChannels());
    Value input =
        unpackBits(ab, op.getInput(), bitsLike(ab, op.getInput(), channels));
    Value element =
        unpackBits(ab, op.getFilter(), bitsLike(ab, op.getFilter(), channels));
    Value acc =
        unpackBits(ab, op.getInit(), bitsLike(ab, op.getInit(), channels));
    std::optional<bool> fill;
    if (op.getPaddingMode() == PaddingMode::Zero)
      fill = !dilation;
    Value padded = padBits(ab, input, op.getPadding(), fill);

    ArrayRef<int64_t> strides = op.getStrides();
    ArrayRef<int64_t> dilations = op.getDilations();
    AffineExpr n, oh, ow, c, kh, kw;
    bindDims(ctx, n, oh, ow, c, kh, kw);
    SmallVector<AffineMap> maps = {
        AffineMap::get(6, 0,
                       {n, oh * strides[0] + kh * dilations[0],
                        ow * strides[1] + kw * dilations[1], c},
                       ctx),
        AffineMap::get(6, 0, {kh, kw, c}, ctx),
        AffineMap::get(6, 0, {n, oh, ow, c}, ctx)};
    acc = ab.generic({padded, element}, acc, maps, parallelThenReduction(4, 2),
                     [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                       Value erosion = arith::ConstantIntOp::create(
                           b, loc, b.getIntegerType(1), dilation ? 0 : 1);
                       return accumulate(b, loc, erosion, args[2], args[1],
                                         args[0]);
                     });

    return packInto(ab, acc, op.getInit(), op.getChannels());
  }
};

struct LevelSetsLowering : public BinaryPattern<LevelSetsOp> {
  using BinaryPattern::BinaryPattern;
  Value build(LevelSetsOp op, ArrayBuilder &ab) const override {
    MLIRContext *ctx = op.getContext();
    ArrayRef<double> thresholds = op.getThresholds();
    int64_t count = thresholds.size();
    int64_t rank = cast<ShapedType>(op.getInit().getType()).getRank();
    Value split = ab.splitLast(op.getInit(), count);
    AffineMap identity = AffineMap::getMultiDimIdentityMap(rank + 1, ctx);
    Value result = ab.generic(
        op.getInput(), split, {identity.getMajorSubMap(rank), identity},
        parallelThenReduction(rank + 1, 0),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value x = args[0];
          if (!x.getType().isF64())
            x = arith::ExtFOp::create(b, loc, b.getF64Type(), x);
          Value j = linalg::IndexOp::create(b, loc, rank);
          Value t = arith::ConstantOp::create(b, loc,
                                              b.getF64FloatAttr(thresholds[0]));
          for (int64_t k = 1; k < count; ++k) {
            Value isK = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::eq, j,
                arith::ConstantIndexOp::create(b, loc, k));
            t = arith::SelectOp::create(
                b, loc, isK,
                arith::ConstantOp::create(b, loc,
                                          b.getF64FloatAttr(thresholds[k])),
                t);
          }
          return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, x, t);
        });
    if (!ab.onTensors)
      return result;
    return tensor::CollapseShapeOp::create(ab.b, ab.loc, op.getInit().getType(),
                                           result, splitLastGroups(rank));
  }
};

struct BinaryDenseLowering : public BinaryPattern<BinaryDenseOp> {
  using BinaryPattern::BinaryPattern;
  Value build(BinaryDenseOp op, ArrayBuilder &ab) const override {
    MLIRContext *ctx = op.getContext();
    OpFoldResult features = ab.b.getIndexAttr(op.getInFeatures());
    SmallVector<OpFoldResult> subsetShape = ab.sizes(op.getSubsets());
    OpFoldResult outputs = subsetShape[0];
    Value input =
        unpackBits(ab, op.getInput(), bitsLike(ab, op.getInput(), features));
    Value subsets = unpackBits(ab, op.getSubsets(),
                               bitsLike(ab, op.getSubsets(), features));
    Value kinds =
        unpackBits(ab, op.getKinds(), bitsLike(ab, op.getKinds(), outputs));
    Value acc =
        unpackBits(ab, op.getInit(), bitsLike(ab, op.getInit(), outputs));
    // Loops (r, j, i).
    AffineExpr r, j, i;
    bindDims(ctx, r, j, i);
    SmallVector<AffineMap> maps = {
        AffineMap::get(3, 0, {r, i}, ctx), AffineMap::get(3, 0, {j, i}, ctx),
        AffineMap::get(3, 0, {j}, ctx), AffineMap::get(3, 0, {r, j}, ctx)};
    acc = ab.generic(
        {input, subsets, kinds}, acc, maps, parallelThenReduction(2, 1),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return accumulate(b, loc, args[2], args[3], args[1], args[0]);
        });
    // The verifier makes N static.
    return packInto(ab, acc, op.getInit(), *getConstantIntValue(outputs));
  }
};

/// ξ(t) of a BiSE threshold, in t's float type.
Value buildThreshold(OpBuilder &b, Location loc, ThresholdKind kind, Value t) {
  Type type = t.getType();
  auto constant = [&](double value) -> Value {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, value));
  };
  Value half = constant(0.5), one = constant(1.0);
  switch (kind) {
  case ThresholdKind::Tanh:
    return arith::MulFOp::create(
        b, loc,
        arith::AddFOp::create(b, loc, math::TanhOp::create(b, loc, t), one),
        half);
  case ThresholdKind::Sigmoid: {
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, t));
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, e));
  }
  case ThresholdKind::Arctan:
    return arith::AddFOp::create(
        b, loc,
        arith::MulFOp::create(b, loc, math::AtanOp::create(b, loc, t),
                              constant(llvm::numbers::inv_pi)),
        half);
  case ThresholdKind::Erf: {
    // (erf t + 1)/2 = 1 − erfc(t)/2, with erfc from the Chebyshev fit of
    // Numerical Recipes (erfcc: relative error < 1.2e-7 everywhere) built
    // of exp only: math.erf has no lowering to LLVM in the pipelines.
    static constexpr double kCoefficients[] = {
        -1.26551223, 1.00002368,  0.37409196, 0.09678418,  -0.18628806,
        0.27886807,  -1.13520398, 1.48851587, -0.82215223, 0.17087277};
    Value z = math::AbsFOp::create(b, loc, t);
    Value u = arith::DivFOp::create(
        b, loc, one,
        arith::AddFOp::create(b, loc, one,
                              arith::MulFOp::create(b, loc, half, z)));
    Value poly = constant(kCoefficients[9]);
    for (int i = 8; i >= 0; --i)
      poly = arith::AddFOp::create(b, loc, constant(kCoefficients[i]),
                                   arith::MulFOp::create(b, loc, u, poly));
    Value exponent = arith::SubFOp::create(b, loc, poly,
                                           arith::MulFOp::create(b, loc, z, z));
    Value tail = arith::MulFOp::create(
        b, loc, half,
        arith::MulFOp::create(b, loc, u,
                              math::ExpOp::create(b, loc, exponent)));
    // tail = erfc(|t|)/2: ξ = 1 − tail for t ≥ 0, tail for t < 0.
    Value positive = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGE, t,
                                           constant(0));
    return arith::SelectOp::create(
        b, loc, positive, arith::SubFOp::create(b, loc, one, tail), tail);
  }
  }
  llvm_unreachable("unknown threshold kind");
}

/// The float BiSE: the input padded by replicating its edges ('same'), the
/// grouped cross-correlation into zeros, then ξ(P · (z + b)).
struct BiseLowering : public BinaryPattern<BiseOp> {
  using BinaryPattern::BinaryPattern;
  Value build(BiseOp op, ArrayBuilder &ab) const override {
    MLIRContext *ctx = op.getContext();
    // The verifier makes the weight's shape static.
    ArrayRef<int64_t> weightShape =
        cast<ShapedType>(op.getWeight().getType()).getShape();
    int64_t kernelH = weightShape[1], kernelW = weightShape[2];
    int64_t perGroupIn = weightShape[3];
    int64_t perGroupOut = weightShape[0] / op.getGroups();
    int64_t top = (kernelH - 1) / 2, left = (kernelW - 1) / 2;
    Value padded = padBits(ab, op.getInput(),
                           {top, left, kernelH - 1 - top, kernelW - 1 - left},
                           std::nullopt);
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    Value acc = ab.fill(ab.b.getFloatAttr(elementType, 0.0),
                        ab.create(ab.sizes(op.getInit()), elementType));
    AffineExpr n, h, w, o, kh, kw, c;
    bindDims(ctx, n, h, w, o, kh, kw, c);
    SmallVector<AffineMap> maps = {
        AffineMap::get(
            7, 0, {n, h + kh, w + kw, o.floorDiv(perGroupOut) * perGroupIn + c},
            ctx),
        AffineMap::get(7, 0, {o, kh, kw, c}, ctx),
        AffineMap::get(7, 0, {n, h, w, o}, ctx)};
    acc = ab.generic(
        {padded, op.getWeight()}, acc, maps, parallelThenReduction(4, 3),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value product = arith::MulFOp::create(b, loc, args[1], args[0]);
          return arith::AddFOp::create(b, loc, args[2], product);
        });
    AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
    AffineMap channel = AffineMap::get(4, 0, {o}, ctx);
    ThresholdKind kind = op.getThreshold();
    return ab.generic(
        {acc, op.getBias(), op.getScale()}, op.getInit(),
        {identity, channel, channel, identity}, parallelThenReduction(4, 0),
        [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
          Value shifted = arith::AddFOp::create(b, loc, args[0], args[1]);
          Value t = arith::MulFOp::create(b, loc, args[2], shifted);
          return buildThreshold(b, loc, kind, t);
        });
  }
};

} // namespace

void trop::populateBinaryToLinalgPatterns(RewritePatternSet &patterns,
                                          bool deallocTemporaries) {
  patterns.add<PackBitsLowering, UnpackBitsLowering, BinaryMorphologyLowering,
               LevelSetsLowering, BinaryDenseLowering, BiseLowering>(
      patterns.getContext(), deallocTemporaries);
}
