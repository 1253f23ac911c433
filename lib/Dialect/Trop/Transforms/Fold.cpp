//===- Fold.cpp - Tropical algebra and sparsity cleanups on constants -----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The rewrites of --trop-fold. The exact ones only delete terms that are 𝟘 or
// move a max/min between places (max and min never round); the ones that
// move a float addition or multiplication (and so change rounding) are only
// added with `reassociate`. docs/algebra.md gives each identity and its
// exactness argument.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPFOLD
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

/// The scalar `a` when `generic` is y = x · a, elementwise on a rank-2
/// tensor, with `a` a constant.
static std::optional<APFloat> matchScalarScale(linalg::GenericOp generic) {
  if (!generic.hasPureTensorSemantics() || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 || generic.getNumResults() != 1 ||
      generic.getNumLoops() != 2 || generic.getNumParallelLoops() != 2)
    return std::nullopt;
  if (!llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isIdentity(); }))
    return std::nullopt;
  Block *body = generic.getBody();
  if (body->getOperations().size() != 2)
    return std::nullopt;
  auto mul = dyn_cast<arith::MulFOp>(body->front());
  auto yield = cast<linalg::YieldOp>(body->getTerminator());
  if (!mul || yield.getOperand(0) != mul.getResult() ||
      mul.getFastmath() != arith::FastMathFlags::none)
    return std::nullopt;
  Value in = body->getArgument(0);
  Value other = mul.getLhs() == in ? mul.getRhs() : mul.getLhs();
  if (mul.getLhs() != in && mul.getRhs() != in)
    return std::nullopt;
  FloatAttr scale;
  if (!matchPattern(other, m_Constant(&scale)))
    return std::nullopt;
  return scale.getValue();
}

/// The operands of a layer that reads only the input columns `keep`: its
/// input with the other columns removed at their producers, and the
/// matching rows of its constant weights.
static std::pair<Value, Value> dropInputs(RewriterBase &rewriter, Location loc,
                                          Value input,
                                          DenseElementsAttr weights,
                                          ArrayRef<int64_t> keep) {
  Value lhs = shrinkColumns(rewriter, input, keep);
  Value rows =
      arith::ConstantOp::create(rewriter, loc, selectRows(weights, keep));
  return {lhs, rows};
}

/// A rewrite of a `trop.matmul` with constant weights: matchTropicalLayer
/// first, then `rewriteLayer` on what it found.
struct TropicalLayerPattern : OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const final {
    std::optional<WeightLayer> layer = matchTropicalLayer(op);
    if (!layer)
      return failure();
    return rewriteLayer(op, *layer, rewriter);
  }

  virtual LogicalResult rewriteLayer(MatmulOp op, const WeightLayer &layer,
                                     PatternRewriter &rewriter) const = 0;
};

//===----------------------------------------------------------------------===//
// Exact rewrites
//===----------------------------------------------------------------------===//

/// An input that no output neuron reads (row k of the weights all 𝟘)
/// contributes x[:, k] ⊗ 𝟘 = 𝟘, the identity of ⊕, to every output: delete
/// row k of the weights and column k of the input, rebuilding the input's
/// producer chain without it (a preceding linear layer loses a neuron).
/// With every row 𝟘 the layer is its init.
struct DropUnreadInputs : TropicalLayerPattern {
  using TropicalLayerPattern::TropicalLayerPattern;

  LogicalResult rewriteLayer(MatmulOp op, const WeightLayer &layer,
                             PatternRewriter &rewriter) const override {
    SmallVector<bool> zero = zeroMask(layer.weights, layer.kind());
    SmallVector<int64_t> keep;
    for (int64_t k = 0; k < layer.k; ++k) {
      auto row = ArrayRef(zero).slice(k * layer.n, layer.n);
      if (!llvm::all_of(row, [](bool z) { return z; }))
        keep.push_back(k);
    }
    if (static_cast<int64_t>(keep.size()) == layer.k)
      return rewriter.notifyMatchFailure(op, "every input is read");
    if (keep.empty()) {
      rewriter.replaceOp(op, op.getInit());
      return success();
    }
    if (!canShrinkColumns(op.getLhs()))
      return rewriter.notifyMatchFailure(
          op, "the input's producers cannot drop columns");
    auto [lhs, weights] =
        dropInputs(rewriter, op.getLoc(), op.getLhs(), layer.weights, keep);
    rewriter.replaceOpWithNewOp<MatmulOp>(op, op.getInit().getType(),
                                          op.getSemiringAttr(), lhs, weights,
                                          op.getInit());
    return success();
  }
};

/// The columns of a layer whose weights are all 𝟘 (output neurons with no
/// connection): their output is the init, i.e. the constant bias.
static SmallVector<int64_t> constantColumns(const WeightLayer &layer,
                                            SmallVector<int64_t> &keep) {
  SmallVector<bool> zero = zeroMask(layer.weights, layer.kind());
  SmallVector<int64_t> dead;
  for (int64_t n = 0; n < layer.n; ++n) {
    bool allZero = true;
    for (int64_t k = 0; k < layer.k && allZero; ++k)
      allZero = zero[k * layer.n + n];
    (allZero ? dead : keep).push_back(n);
  }
  return dead;
}

/// The output neurons of a tropical layer L1 that have no connection
/// (`dead`, each the constant b1[n]) and the others (`keep`), as a layer
/// reading L1's output folds them into its own bias b2.
struct ConstantNeurons {
  SmallVector<int64_t> keep, dead;
  SmallVector<APFloat> producerBias, bias;
  Type elementType;
};

/// The constant neurons of the tropical layer that produces `input`, for
/// the layer `op` that is its only reader and has the initial value `init`.
/// Both layers must have constant biases, and `input`'s producers must be
/// able to drop columns.
static FailureOr<ConstantNeurons>
matchConstantNeurons(PatternRewriter &rewriter, Operation *op, Value input,
                     Value init) {
  auto producer = input.getDefiningOp<MatmulOp>();
  if (!producer || !input.hasOneUse())
    return failure();
  std::optional<WeightLayer> first = matchTropicalLayer(producer);
  if (!first)
    return failure();
  ConstantNeurons neurons;
  neurons.dead = constantColumns(*first, neurons.keep);
  if (neurons.dead.empty() || neurons.keep.empty())
    return rewriter.notifyMatchFailure(op, "no constant neuron to fold");
  DenseElementsAttr b1 = matchBroadcastRow(producer.getInit());
  DenseElementsAttr b2 = matchBroadcastRow(init);
  if (!b1 || !b2 || !canShrinkColumns(input))
    return rewriter.notifyMatchFailure(op, "biases are not constant rows");
  neurons.producerBias = floatsOf(b1);
  neurons.bias = floatsOf(b2);
  neurons.elementType = b2.getElementType();
  return neurons;
}

/// The operands of a layer that no longer reads the constant neurons: its
/// input and `weights` without them, and its folded bias broadcast to
/// `rows` rows as the initial value.
static std::tuple<Value, Value, Value>
dropConstantNeurons(RewriterBase &rewriter, Location loc, Value input,
                    DenseElementsAttr weights, const ConstantNeurons &neurons,
                    int64_t rows) {
  auto [lhs, rhs] = dropInputs(rewriter, loc, input, weights, neurons.keep);
  Value init = buildBroadcastRow(
      rewriter, loc, floatVector(neurons.elementType, neurons.bias), rows);
  return {lhs, rhs, init};
}

/// A tropical layer L2 (same semiring, constant weights W2 and bias b2)
/// reading a layer L1 whose output neuron n has no connection: L1's column n
/// is the constant b1[n], so its term in L2 is the constant b1[n] ⊗ W2[n, j],
/// which joins L2's bias: b2'[j] = b2[j] ⊕ ⊕_n b1[n] ⊗ W2[n, j]. Each such
/// term is the same single rounded sum the layer computed, and ⊕ never rounds:
/// exact. L1 loses the neuron, L2 the weight row.
struct FoldConstantNeuronsIntoTropicalBias : TropicalLayerPattern {
  using TropicalLayerPattern::TropicalLayerPattern;

  LogicalResult rewriteLayer(MatmulOp op, const WeightLayer &second,
                             PatternRewriter &rewriter) const override {
    if (!isa<FloatType>(second.weights.getElementType()))
      return failure();
    auto producer = op.getLhs().getDefiningOp<MatmulOp>();
    if (!producer || producer.getSemiring() != second.kind())
      return failure();
    FailureOr<ConstantNeurons> neurons =
        matchConstantNeurons(rewriter, op, op.getLhs(), op.getInit());
    if (failed(neurons))
      return failure();

    SmallVector<APFloat> &bias = neurons->bias;
    SmallVector<APFloat> w2 = floatsOf(second.weights);
    for (int64_t j = 0; j < second.n; ++j) {
      for (int64_t n : neurons->dead)
        bias[j] = foldAdd(second.kind(), bias[j],
                          foldMul(second.kind(), neurons->producerBias[n],
                                  w2[n * second.n + j]));
      if (bias[j].isNaN())
        return rewriter.notifyMatchFailure(op, "the folded bias is NaN");
    }
    auto [lhs, weights, init] = dropConstantNeurons(
        rewriter, op.getLoc(), op.getLhs(), second.weights, *neurons, second.m);
    rewriter.replaceOpWithNewOp<MatmulOp>(
        op, op.getInit().getType(), op.getSemiringAttr(), lhs, weights, init);
    return success();
  }
};

/// Every output neuron with at most one connection: y[:, n] = init[:, n] ⊕
/// (x[:, k(n)] ⊗ w[n]), an elementwise op (a shifted ReLU max(b, x + w) for
/// max-plus with a bias) instead of a contraction. Neurons without a
/// connection read any input with weight 𝟘, which gives 𝟘 again. The one
/// ⊗ is the same rounded operation: exact.
struct SingleConnectionToElementwise : TropicalLayerPattern {
  using TropicalLayerPattern::TropicalLayerPattern;

  LogicalResult rewriteLayer(MatmulOp op, const WeightLayer &layer,
                             PatternRewriter &rewriter) const override {
    SmallVector<bool> zero = zeroMask(layer.weights, layer.kind());
    SmallVector<int64_t> source(layer.n, -1);
    for (int64_t k = 0; k < layer.k; ++k)
      for (int64_t n = 0; n < layer.n; ++n) {
        if (zero[k * layer.n + n])
          continue;
        if (source[n] != -1)
          return rewriter.notifyMatchFailure(op, "a neuron has two inputs");
        source[n] = k;
      }
    if (llvm::all_of(source, [](int64_t k) { return k == -1; }))
      return rewriter.notifyMatchFailure(op, "no connection at all");

    // Column n of the input is read in place when every neuron reads its own
    // index; otherwise through a constant index vector.
    bool diagonal = layer.k == layer.n;
    for (int64_t n = 0; n < layer.n; ++n) {
      if (source[n] == -1)
        source[n] = diagonal ? n : 0;
      diagonal &= source[n] == n;
    }

    Type elementType = layer.weights.getElementType();
    TypedAttr zeroAttr = getZeroAttr(layer.kind(), elementType);
    SmallVector<Attribute> weights;
    SmallVector<Attribute> all =
        llvm::to_vector(layer.weights.getValues<Attribute>());
    for (int64_t n = 0; n < layer.n; ++n) {
      int64_t k = source[n];
      weights.push_back(zero[k * layer.n + n] ? Attribute(zeroAttr)
                                              : all[k * layer.n + n]);
    }
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    auto vectorType = RankedTensorType::get({layer.n}, elementType);
    Value weightVector = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(vectorType, weights));
    AffineMap identity = AffineMap::getMultiDimIdentityMap(2, ctx);
    AffineMap column = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
    SmallVector<utils::IteratorType> iterators(2,
                                               utils::IteratorType::parallel);
    SemiringKind kind = layer.kind();
    Value x = op.getLhs();

    linalg::GenericOp generic;
    if (diagonal) {
      generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{op.getInit().getType()},
          ValueRange{x, weightVector}, ValueRange{op.getInit()},
          {identity, column, identity}, iterators,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value product =
                buildMul(b, l, kind, args[0], args[1], NaNMode::Propagate);
            Value sum =
                buildAdd(b, l, kind, args[2], product, NaNMode::Propagate);
            linalg::YieldOp::create(b, l, sum);
          });
    } else {
      auto indexType = RankedTensorType::get({layer.n}, rewriter.getI64Type());
      Value indices = arith::ConstantOp::create(
          rewriter, loc, DenseElementsAttr::get(indexType, ArrayRef(source)));
      generic = linalg::GenericOp::create(
          rewriter, loc, TypeRange{op.getInit().getType()},
          ValueRange{indices, weightVector}, ValueRange{op.getInit()},
          {column, column, identity}, iterators,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value row = linalg::IndexOp::create(b, l, 0);
            Value k =
                arith::IndexCastOp::create(b, l, b.getIndexType(), args[0]);
            Value input = tensor::ExtractOp::create(b, l, x, {row, k});
            Value product =
                buildMul(b, l, kind, input, args[1], NaNMode::Propagate);
            Value sum =
                buildAdd(b, l, kind, args[2], product, NaNMode::Propagate);
            linalg::YieldOp::create(b, l, sum);
          });
    }
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// Lattice semirings (max_min, min_max) compose exactly: min and max never
/// round and distribute over each other, so L2(L1(x)) with constant weights
/// and biases is one layer with W = W1 ⊗ W2 and b = b2 ⊕ b1 ⊗ W2. For the
/// `_plus` semirings the same identity reassociates additions and is only
/// applied with `reassociate`.
struct ComposeLayers : TropicalLayerPattern {
  ComposeLayers(MLIRContext *ctx, bool reassociate)
      : TropicalLayerPattern(ctx), reassociate(reassociate) {}

  LogicalResult rewriteLayer(MatmulOp op, const WeightLayer &second,
                             PatternRewriter &rewriter) const override {
    if (!isa<FloatType>(second.weights.getElementType()))
      return failure();
    if (isPlusSemiring(second.kind()) && !reassociate)
      return rewriter.notifyMatchFailure(op, "needs reassociate");
    auto producer = op.getLhs().getDefiningOp<MatmulOp>();
    if (!producer || !op.getLhs().hasOneUse() ||
        producer.getSemiring() != second.kind())
      return failure();
    std::optional<WeightLayer> first = matchTropicalLayer(producer);
    if (!first)
      return failure();
    // Cheaper: K·J updates per row instead of K·N + N·J.
    int64_t k = first->k, n = first->n, j = second.n;
    if (k * j >= k * n + n * j)
      return rewriter.notifyMatchFailure(op, "composing is not cheaper");
    DenseElementsAttr b1 = matchBroadcastRow(producer.getInit());
    DenseElementsAttr b2 = matchBroadcastRow(op.getInit());
    if (!b1 || !b2)
      return rewriter.notifyMatchFailure(op, "biases are not constant rows");

    SemiringKind kind = second.kind();
    SmallVector<APFloat> w1 = floatsOf(first->weights),
                         w2 = floatsOf(second.weights), bias1 = floatsOf(b1),
                         bias = floatsOf(b2);
    SmallVector<bool> zero1 = zeroMask(first->weights, kind),
                      zero2 = zeroMask(second.weights, kind);
    APFloat zero = getFloatZero(kind, cast<FloatType>(b2.getElementType()));
    SmallVector<APFloat> composed(k * j, zero);
    for (int64_t r = 0; r < k; ++r)
      for (int64_t h = 0; h < n; ++h) {
        if (zero1[r * n + h])
          continue;
        for (int64_t c = 0; c < j; ++c)
          if (!zero2[h * j + c])
            composed[r * j + c] =
                foldAdd(kind, composed[r * j + c],
                        foldMul(kind, w1[r * n + h], w2[h * j + c]));
      }
    for (int64_t c = 0; c < j; ++c)
      for (int64_t h = 0; h < n; ++h)
        bias[c] =
            foldAdd(kind, bias[c], foldMul(kind, bias1[h], w2[h * j + c]));
    if (llvm::any_of(composed, [](const APFloat &v) { return v.isNaN(); }) ||
        llvm::any_of(bias, [](const APFloat &v) { return v.isNaN(); }))
      return rewriter.notifyMatchFailure(op, "composition gives NaN");

    Location loc = op.getLoc();
    Type elementType = b2.getElementType();
    Value weights = arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(RankedTensorType::get({k, j}, elementType),
                               composed));
    Value init = buildBroadcastRow(rewriter, loc,
                                   floatVector(elementType, bias), second.m);
    rewriter.replaceOpWithNewOp<MatmulOp>(op, op.getInit().getType(),
                                          op.getSemiringAttr(),
                                          producer.getLhs(), weights, init);
    return success();
  }

  bool reassociate;
};

//===----------------------------------------------------------------------===//
// Reassociating rewrites (reassociate=true): exact in real arithmetic
//===----------------------------------------------------------------------===//

/// A linear layer y = x·W2 + b2 reading a tropical layer whose neuron n has
/// no connection (constant output b1[n]): the term b1[n]·W2[n, j] moves into
/// b2. This changes the order of the float additions of the linear layer.
struct FoldConstantNeuronsIntoLinearBias : OpRewritePattern<linalg::MatmulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps())
      return failure();
    Value input = op.getInputs()[0];
    DenseElementsAttr w2 = matchConstantMatrix(op.getInputs()[1]);
    if (!w2 || !isa<FloatType>(w2.getElementType()))
      return failure();
    FailureOr<ConstantNeurons> neurons =
        matchConstantNeurons(rewriter, op, input, op.getOutputs()[0]);
    if (failed(neurons))
      return failure();
    ArrayRef<APFloat> bias1 = neurons->producerBias;
    SmallVector<APFloat> &bias = neurons->bias;
    SmallVector<APFloat> weights2 = floatsOf(w2);
    if (llvm::any_of(neurons->dead,
                     [&](int64_t n) { return !bias1[n].isFinite(); }))
      return rewriter.notifyMatchFailure(op, "a constant neuron is infinite");
    int64_t j = w2.getType().getDimSize(1);
    const llvm::fltSemantics &semantics = bias[0].getSemantics();
    for (int64_t c = 0; c < j; ++c) {
      double sum = toDouble(bias[c]);
      for (int64_t n : neurons->dead)
        sum += toDouble(bias1[n]) * toDouble(weights2[n * j + c]);
      bias[c] = fromDouble(sum, semantics);
    }
    auto resultType = cast<RankedTensorType>(op.getResult(0).getType());
    auto [lhs, weights, init] = dropConstantNeurons(
        rewriter, op.getLoc(), input, w2, *neurons, resultType.getDimSize(0));
    rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
        op, TypeRange{resultType}, ValueRange{lhs, weights}, ValueRange{init});
    return success();
  }
};

/// A bias added just before a `_plus` layer folds into its weights:
/// ⊕_k ((z_k + c_k) + W_kn) = ⊕_k (z_k + (W_kn + c_k)). Recognised biases:
/// an elementwise linalg.generic whose result is `e + c[d1]` (the add is
/// removed from it, e.g. BatchNorm's shift), and a linear layer's bias (its
/// init, which becomes 0). Rounds differently: (z + c) + W vs z + (W + c).
struct FoldBiasIntoWeights : TropicalLayerPattern {
  using TropicalLayerPattern::TropicalLayerPattern;

  LogicalResult rewriteLayer(MatmulOp op, const WeightLayer &layer,
                             PatternRewriter &rewriter) const override {
    if (!isPlusSemiring(layer.kind()) ||
        !isa<FloatType>(layer.weights.getElementType()) ||
        !op.getLhs().hasOneUse())
      return failure();
    Value lhs = op.getLhs();
    DenseElementsAttr shift;
    std::function<void()> removeShift;
    if (auto generic = lhs.getDefiningOp<linalg::GenericOp>()) {
      std::optional<std::pair<DenseElementsAttr, arith::AddFOp>> match =
          matchTrailingShift(generic);
      if (!match)
        return failure();
      shift = match->first;
      arith::AddFOp add = match->second;
      removeShift = [&rewriter, generic, add]() mutable {
        Value rest = keptOperand(generic, add);
        auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
        rewriter.modifyOpInPlace(yield, [&] { yield->setOperand(0, rest); });
        rewriter.eraseOp(add);
      };
    } else if (auto linear = lhs.getDefiningOp<linalg::MatmulOp>()) {
      if (!linear.hasPureTensorSemantics() || linear.hasUserDefinedMaps())
        return failure();
      shift = matchBroadcastRow(linear.getOutputs()[0]);
      if (!shift ||
          (shift.isSplat() && shift.getSplatValue<APFloat>().isZero()))
        return failure();
      removeShift = [&rewriter, linear]() mutable {
        // The new init must dominate the linear layer.
        OpBuilder::InsertionGuard guard(rewriter);
        rewriter.setInsertionPoint(linear);
        Location loc = linear.getLoc();
        auto type = cast<RankedTensorType>(linear.getResult(0).getType());
        Value empty = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                              type.getElementType());
        Value zero = arith::ConstantOp::create(
            rewriter, loc, rewriter.getFloatAttr(type.getElementType(), 0.0));
        Value init = linalg::FillOp::create(rewriter, loc, ValueRange{zero},
                                            ValueRange{empty})
                         .getResult(0);
        rewriter.modifyOpInPlace(
            linear, [&] { linear.getOutputsMutable()[0].set(init); });
      };
    } else {
      return failure();
    }
    SmallVector<APFloat> c = floatsOf(shift);
    if (llvm::any_of(c, [](const APFloat &v) { return !v.isFinite(); }))
      return rewriter.notifyMatchFailure(op, "the bias is not finite");
    SmallVector<APFloat> w = floatsOf(layer.weights);
    for (int64_t k = 0; k < layer.k; ++k)
      for (int64_t n = 0; n < layer.n; ++n)
        w[k * layer.n + n].add(c[k], APFloat::rmNearestTiesToEven);
    removeShift();
    Value weights = arith::ConstantOp::create(
        rewriter, op.getLoc(),
        DenseElementsAttr::get(layer.weights.getType(), w));
    rewriter.modifyOpInPlace(op, [&] { op.getRhsMutable().assign(weights); });
    return success();
  }

  /// The constant row c and the add when `generic` is elementwise on rank 2
  /// and yields `e + c[d1]`, c an arith.constant vector.
  static std::optional<std::pair<DenseElementsAttr, arith::AddFOp>>
  matchTrailingShift(linalg::GenericOp generic) {
    if (!generic.hasPureTensorSemantics() || generic.getNumResults() != 1 ||
        generic.getNumDpsInits() != 1 || generic.getNumLoops() != 2 ||
        generic.getNumParallelLoops() != 2 ||
        !generic.getIndexingMapsArray().back().isIdentity())
      return std::nullopt;
    auto yield = cast<linalg::YieldOp>(generic.getBody()->getTerminator());
    auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
    if (!add || !add->hasOneUse() ||
        add.getFastmath() != arith::FastMathFlags::none)
      return std::nullopt;
    MLIRContext *ctx = generic.getContext();
    AffineMap column = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
    for (Value operand : {add.getRhs(), add.getLhs()}) {
      auto arg = dyn_cast<BlockArgument>(operand);
      if (!arg || arg.getOwner() != generic.getBody() ||
          arg.getArgNumber() >= generic.getNumDpsInputs())
        continue;
      if (generic.getIndexingMapsArray()[arg.getArgNumber()] != column)
        continue;
      auto constant = generic.getDpsInputs()[arg.getArgNumber()]
                          .getDefiningOp<arith::ConstantOp>();
      if (!constant)
        continue;
      auto attr = dyn_cast<DenseElementsAttr>(constant.getValue());
      if (!attr || attr.getType().getRank() != 1 ||
          !isa<FloatType>(attr.getElementType()))
        continue;
      return std::make_pair(attr, add);
    }
    return std::nullopt;
  }

  /// The operand of `add` that is not the folded bias.
  static Value keptOperand(linalg::GenericOp generic, arith::AddFOp add) {
    MLIRContext *ctx = generic.getContext();
    AffineMap column = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
    auto isShift = [&](Value v) {
      auto arg = dyn_cast<BlockArgument>(v);
      return arg && arg.getOwner() == generic.getBody() &&
             arg.getArgNumber() < generic.getNumDpsInputs() &&
             generic.getIndexingMapsArray()[arg.getArgNumber()] == column &&
             generic.getDpsInputs()[arg.getArgNumber()]
                 .getDefiningOp<arith::ConstantOp>();
    };
    return isShift(add.getRhs()) ? add.getLhs() : add.getRhs();
  }
};

/// Positive scaling commutes with a `_plus` layer: a·(b ⊕ ⊕_k (x_k + W_k)) =
/// a·b ⊕ ⊕_k (a·x_k + a·W_k) for a > 0 (max and min are monotone). A scalar
/// scale after a layer moves before it (scaling the weights and the bias),
/// and a scale after a linear layer folds into its weights and bias:
/// a·(x·W + b) = x·(a·W) + a·b. Both change rounding.
struct ScaleThroughLayers : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::GenericOp scale,
                                PatternRewriter &rewriter) const override {
    std::optional<APFloat> a = matchScalarScale(scale);
    if (!a || !a->isFiniteNonZero() || a->isNegative())
      return failure();
    Value input = scale.getDpsInputs()[0];
    if (!input.hasOneUse())
      return failure();
    auto scaled = [&](DenseElementsAttr attr) {
      SmallVector<APFloat> values = floatsOf(attr);
      for (APFloat &v : values)
        v.multiply(*a, APFloat::rmNearestTiesToEven);
      return DenseElementsAttr::get(attr.getType(), values);
    };
    Location loc = scale.getLoc();
    auto resultType = cast<RankedTensorType>(scale.getResult(0).getType());

    if (auto tropical = input.getDefiningOp<MatmulOp>()) {
      std::optional<WeightLayer> layer = matchTropicalLayer(tropical);
      if (!layer || !isPlusSemiring(layer->kind()) ||
          layer->weights.getElementType() != resultType.getElementType())
        return failure();
      DenseElementsAttr bias = matchBroadcastRow(tropical.getInit());
      if (!bias)
        return failure();
      // x' = a·x, elementwise, like the original scale.
      Value x = tropical.getLhs();
      auto xType = cast<RankedTensorType>(x.getType());
      Value empty = tensor::EmptyOp::create(rewriter, loc, xType.getShape(),
                                            xType.getElementType());
      auto newScale = linalg::GenericOp::create(
          rewriter, loc, TypeRange{xType}, ValueRange{x}, ValueRange{empty},
          scale.getIndexingMapsArray(), scale.getIteratorTypesArray());
      rewriter.cloneRegionBefore(scale.getRegion(), newScale.getRegion(),
                                 newScale.getRegion().end());
      Value weights =
          arith::ConstantOp::create(rewriter, loc, scaled(layer->weights));
      Value init = buildBroadcastRow(rewriter, loc, scaled(bias), layer->m);
      rewriter.replaceOpWithNewOp<MatmulOp>(
          scale, resultType, tropical.getSemiringAttr(), newScale.getResult(0),
          weights, init);
      return success();
    }
    if (auto linear = input.getDefiningOp<linalg::MatmulOp>()) {
      if (!linear.hasPureTensorSemantics() || linear.hasUserDefinedMaps())
        return failure();
      DenseElementsAttr weights = matchConstantMatrix(linear.getInputs()[1]);
      DenseElementsAttr bias = matchBroadcastRow(linear.getOutputs()[0]);
      if (!weights || !bias || !isa<FloatType>(weights.getElementType()))
        return failure();
      Value newWeights =
          arith::ConstantOp::create(rewriter, loc, scaled(weights));
      Value init = buildBroadcastRow(rewriter, loc, scaled(bias),
                                     resultType.getDimSize(0));
      rewriter.replaceOpWithNewOp<linalg::MatmulOp>(
          scale, TypeRange{resultType},
          ValueRange{linear.getInputs()[0], newWeights}, ValueRange{init});
      return success();
    }
    return failure();
  }
};

//===----------------------------------------------------------------------===//
// Pass
//===----------------------------------------------------------------------===//

struct TropFoldPass : public trop::impl::TropFoldBase<TropFoldPass> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateTropFoldPatterns(patterns, reassociate);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns)))) {
      getOperation()->emitError(
          "trop-fold: the rewrites did not reach a fixed point");
      signalPassFailure();
    }
  }
};

} // namespace

void mlir::trop::populateTropFoldPatterns(RewritePatternSet &patterns,
                                          bool reassociate) {
  MLIRContext *ctx = patterns.getContext();
  // Structural deletions first (higher benefit): they shrink the layers the
  // other rewrites then see.
  patterns.add<DropUnreadInputs>(ctx, /*benefit=*/3);
  patterns.add<FoldConstantNeuronsIntoTropicalBias>(ctx, /*benefit=*/2);
  patterns.add<SingleConnectionToElementwise>(ctx, /*benefit=*/1);
  patterns.add<ComposeLayers>(ctx, reassociate);
  if (!reassociate)
    return;
  patterns.add<FoldConstantNeuronsIntoLinearBias, FoldBiasIntoWeights,
               ScaleThroughLayers>(ctx);
}
