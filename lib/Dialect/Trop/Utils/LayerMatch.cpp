//===- LayerMatch.cpp - Dense and ReLU layers in every front-end form -----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/Utils/LayerMatch.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::trop;

//===----------------------------------------------------------------------===//
// ReLU in a linalg body
//===----------------------------------------------------------------------===//

static bool isZeroConstant(Value v) {
  return matchPattern(v, m_AnyZeroFloat()) || matchPattern(v, m_Zero());
}

static bool hasNoNaNFlag(Operation *op) {
  auto fmf = op->getAttrOfType<arith::FastMathFlagsAttr>("fastmath");
  return fmf && bitEnumContainsAll(fmf.getValue(), arith::FastMathFlags::nnan);
}

/// `p` with its operands swapped: p(a, b) = swapped(p)(b, a).
static arith::CmpFPredicate swapped(arith::CmpFPredicate p) {
  using P = arith::CmpFPredicate;
  static constexpr std::pair<P, P> pairs[] = {
      {P::OGT, P::OLT}, {P::OGE, P::OLE}, {P::UGT, P::ULT}, {P::UGE, P::ULE}};
  for (auto [a, b] : pairs) {
    if (p == a)
      return b;
    if (p == b)
      return a;
  }
  return p; // Symmetric predicates (eq, ne, ord, uno, true, false).
}

/// select(cmpf(x, 0), ..): max(x, 0) when the select picks x where x > 0.
/// Exact (maximumf's NaN and −0) only for `ugt` picking x (NaN compares
/// true, −0 > 0 false) and `ole` picking 0 (NaN compares false, −0 ≤ 0
/// true), with the zero +0.
static std::optional<ReluMatch> matchSelectRelu(arith::SelectOp select) {
  using P = arith::CmpFPredicate;
  auto cmp = select.getCondition().getDefiningOp<arith::CmpFOp>();
  if (!cmp)
    return std::nullopt;
  Value x;
  P pred = cmp.getPredicate();
  if (isZeroConstant(cmp.getRhs())) {
    x = cmp.getLhs();
  } else if (isZeroConstant(cmp.getLhs())) {
    x = cmp.getRhs();
    pred = swapped(pred);
  } else {
    return std::nullopt;
  }
  Value t = select.getTrueValue(), f = select.getFalseValue();
  bool greater = llvm::is_contained({P::OGT, P::OGE, P::UGT, P::UGE}, pred);
  bool less = llvm::is_contained({P::OLT, P::OLE, P::ULT, P::ULE}, pred);
  if (greater && t == x && isZeroConstant(f))
    return ReluMatch{x, pred == P::UGT && matchPattern(f, m_PosZeroFloat())};
  if (less && f == x && isZeroConstant(t))
    return ReluMatch{x, pred == P::OLE && matchPattern(t, m_PosZeroFloat())};
  return std::nullopt;
}

std::optional<ReluMatch> mlir::trop::matchRelu(Value value) {
  Operation *op = value.getDefiningOp();
  if (!op)
    return std::nullopt;
  if (auto select = dyn_cast<arith::SelectOp>(op))
    return matchSelectRelu(select);
  if (!isa<arith::MaximumFOp, arith::MaxNumFOp, arith::MaxSIOp>(op))
    return std::nullopt;
  for (int side : {1, 0}) {
    Value zero = op->getOperand(side);
    if (!isZeroConstant(zero))
      continue;
    bool exact = isa<arith::MaxSIOp>(op) ||
                 (matchPattern(zero, m_PosZeroFloat()) &&
                  (isa<arith::MaximumFOp>(op) || hasNoNaNFlag(op)));
    return ReluMatch{op->getOperand(1 - side), exact};
  }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Per-channel elementwise steps
//===----------------------------------------------------------------------===//

std::optional<SmallVector<double>> mlir::trop::matchFloatConstant(Value v) {
  DenseElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return std::nullopt;
  return doublesOf(attr);
}

static std::optional<double> scalarConstant(Value v) {
  FloatAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return attr.getValueAsDouble();
}

/// A rank-0 constant as `channels` copies, or a rank-1 constant of
/// `channels` values.
static std::optional<SmallVector<double>> rank01Constant(Value src,
                                                         int64_t channels) {
  auto srcType = dyn_cast<RankedTensorType>(src.getType());
  std::optional<SmallVector<double>> values = matchFloatConstant(src);
  if (!srcType || !values)
    return std::nullopt;
  if (srcType.getRank() == 0)
    return SmallVector<double>(channels, (*values)[0]);
  if (srcType.getRank() == 1 && srcType.getDimSize(0) == channels)
    return values;
  return std::nullopt;
}

/// Whether `map` reads nothing or only the last of `rank` loops.
static bool isChannelMap(AffineMap map, int64_t rank) {
  return map.getNumResults() == 0 ||
         (map.getNumResults() == 1 &&
          map.getResult(0) == getAffineDimExpr(rank - 1, map.getContext()));
}

std::optional<SmallVector<double>>
mlir::trop::matchChannelConstant(Value v, int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() == 0 || type.getShape().back() != channels)
    return std::nullopt;
  if (std::optional<SmallVector<double>> values = matchFloatConstant(v)) {
    // Every position must repeat the first row of channels.
    for (size_t i = channels; i < values->size(); ++i)
      if ((*values)[i] != (*values)[i % channels])
        return std::nullopt;
    values->resize(channels);
    return values;
  }
  Operation *def = v.getDefiningOp();
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(def)) {
    if (std::optional<double> s = scalarConstant(fill.getInputs()[0]))
      return SmallVector<double>(channels, *s);
    return std::nullopt;
  }
  if (auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(def)) {
    // The kept dimension must be the channel.
    if (llvm::is_contained(broadcast.getDimensions(), type.getRank() - 1))
      return std::nullopt;
    return rank01Constant(broadcast.getInput(), channels);
  }
  if (auto generic = dyn_cast_or_null<linalg::GenericOp>(def)) {
    if (generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
        !generic.getIndexingMapsArray()[1].isIdentity())
      return std::nullopt;
    Block &body = generic.getRegion().front();
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    if (yield.getNumOperands() != 1 ||
        yield.getOperand(0) != body.getArgument(0) ||
        !isChannelMap(generic.getIndexingMapsArray()[0], type.getRank()))
      return std::nullopt;
    return rank01Constant(generic.getDpsInputs()[0], channels);
  }
  return std::nullopt;
}

/// A named binary elementwise op with `stream` and a channel constant.
static std::optional<ChannelStep> namedStep(Operation *op, Value stream,
                                            int64_t channels) {
  auto dps = cast<DestinationStyleOpInterface>(op);
  if (dps.getNumDpsInputs() != 2)
    return std::nullopt;
  Value lhs = dps.getDpsInputs()[0], rhs = dps.getDpsInputs()[1];
  bool streamLeft = lhs == stream;
  if (streamLeft == (rhs == stream))
    return std::nullopt;
  std::optional<SmallVector<double>> k =
      matchChannelConstant(streamLeft ? rhs : lhs, channels);
  if (!k)
    return std::nullopt;
  ChannelStep step;
  step.stream = stream;
  step.affine.resize(channels);
  if (isa<linalg::MaxOp>(op)) {
    // max(z, 0) is a ReLU; IEEE maximum, like arith.maximumf.
    if (!llvm::all_of(*k, [](double v) { return v == 0 && !std::signbit(v); }))
      return std::nullopt;
    step.relu = step.exactRelu = true;
    return step;
  }
  for (int64_t c = 0; c < channels; ++c) {
    double kc = (*k)[c];
    if (isa<linalg::AddOp>(op))
      step.affine[c] = {1, kc};
    else if (isa<linalg::SubOp>(op))
      step.affine[c] =
          streamLeft ? ChannelAffine{1, -kc} : ChannelAffine{-1, kc};
    else if (isa<linalg::MulOp>(op))
      step.affine[c] = {kc, 0};
    else if (streamLeft && kc != 0)
      step.affine[c] = {1 / kc, 0};
    else
      return std::nullopt;
  }
  return step;
}

/// Interprets one channel of an elementwise body on a·z + b values:
/// `result`'s affine form, or nothing if some op is not affine in z.
static std::optional<ChannelAffine>
interpretChannel(linalg::GenericOp generic, BlockArgument streamArg,
                 const DenseMap<BlockArgument, SmallVector<double>> &constants,
                 int64_t c, Value result, ArrayRef<Operation *> skip) {
  Block &body = generic.getRegion().front();
  DenseMap<Value, ChannelAffine> env;
  env[streamArg] = {1, 0};
  for (auto &[arg, k] : constants)
    env[arg] = {0, k[c]};
  auto get = [&](Value v) -> std::optional<ChannelAffine> {
    auto it = env.find(v);
    if (it != env.end())
      return it->second;
    if (v.getParentRegion() != &generic.getRegion())
      if (std::optional<double> s = scalarConstant(v))
        return ChannelAffine{0, *s};
    return std::nullopt;
  };
  for (Operation &inner : body.without_terminator()) {
    if (llvm::is_contained(skip, &inner))
      continue;
    if (auto cst = dyn_cast<arith::ConstantOp>(inner)) {
      // Non-float constants (a ReLU's integer zero) are not affine values.
      if (std::optional<double> s = scalarConstant(cst))
        env[cst] = {0, *s};
      continue;
    }
    if (inner.getNumResults() != 1 || inner.getNumOperands() < 1 ||
        inner.getNumOperands() > 2)
      return std::nullopt;
    std::optional<ChannelAffine> x = get(inner.getOperand(0));
    std::optional<ChannelAffine> y;
    if (inner.getNumOperands() == 2)
      y = get(inner.getOperand(1));
    if (!x || (inner.getNumOperands() == 2 && !y))
      return std::nullopt;
    ChannelAffine r;
    if (isa<arith::NegFOp>(inner))
      r = {-x->scale, -x->shift};
    else if (isa<arith::AddFOp>(inner))
      r = {x->scale + y->scale, x->shift + y->shift};
    else if (isa<arith::SubFOp>(inner))
      r = {x->scale - y->scale, x->shift - y->shift};
    else if (isa<arith::MulFOp>(inner) && (x->scale == 0 || y->scale == 0))
      r = {x->scale * y->shift + y->scale * x->shift, x->shift * y->shift};
    else if (isa<arith::DivFOp>(inner) && y->scale == 0 && y->shift != 0)
      r = {x->scale / y->shift, x->shift / y->shift};
    else
      return std::nullopt;
    env[inner.getResult(0)] = r;
  }
  return get(result);
}

/// An elementwise generic, read as relu?(affine(stream)) per channel.
static std::optional<ChannelStep> genericStep(linalg::GenericOp generic,
                                              Value stream, int64_t channels) {
  auto type = cast<RankedTensorType>(stream.getType());
  if (generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return std::nullopt;
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (!maps.back().isIdentity())
    return std::nullopt;
  // Each input: the stream (identity map, once) or channel constants.
  Block &body = generic.getRegion().front();
  int64_t rank = type.getRank();
  BlockArgument streamArg;
  DenseMap<BlockArgument, SmallVector<double>> constants;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    BlockArgument arg = body.getArgument(input->getOperandNumber());
    AffineMap map = maps[input->getOperandNumber()];
    if (input->get() == stream && map.isIdentity() && !streamArg) {
      streamArg = arg;
      continue;
    }
    std::optional<SmallVector<double>> k;
    if (map.isIdentity())
      k = matchChannelConstant(input->get(), channels);
    else if (isChannelMap(map, rank))
      k = rank01Constant(input->get(), channels);
    if (!k)
      return std::nullopt;
    constants[arg] = std::move(*k);
  }
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (!streamArg || yield.getNumOperands() != 1)
    return std::nullopt;

  ChannelStep step;
  step.stream = stream;
  Value result = yield.getOperand(0);
  SmallVector<Operation *> skip;
  if (std::optional<ReluMatch> relu = matchRelu(result)) {
    // The ReLU's own ops (max or select, and the compare) are not affine.
    Operation *def = result.getDefiningOp();
    if (def->getParentRegion() != &generic.getRegion())
      return std::nullopt;
    skip.push_back(def);
    if (auto select = dyn_cast<arith::SelectOp>(def)) {
      Operation *cmp = select.getCondition().getDefiningOp();
      if (!cmp->hasOneUse())
        return std::nullopt;
      skip.push_back(cmp);
    }
    step.relu = true;
    step.exactRelu = relu->exact;
    result = relu->input;
  }
  step.affine.resize(channels);
  for (int64_t c = 0; c < channels; ++c) {
    std::optional<ChannelAffine> out =
        interpretChannel(generic, streamArg, constants, c, result, skip);
    if (!out)
      return std::nullopt;
    step.affine[c] = *out;
  }
  return step;
}

std::optional<ChannelStep>
mlir::trop::matchChannelStep(Operation *op, Value stream, int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(stream.getType());
  if (!type || op->getNumResults() != 1 || op->getResult(0).getType() != type)
    return std::nullopt;
  if (isa<linalg::AddOp, linalg::SubOp, linalg::MulOp, linalg::DivOp,
          linalg::MaxOp>(op))
    return namedStep(op, stream, channels);
  if (auto generic = dyn_cast<linalg::GenericOp>(op))
    return genericStep(generic, stream, channels);
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

static bool isPlainLinear(Operation *op) {
  auto matmul = dyn_cast<linalg::MatmulOp>(op);
  return matmul && matmul.getNumDpsInputs() == 2 &&
         matmul.getNumDpsInits() == 1 && matmul->getNumResults() == 1 &&
         !cast<linalg::LinalgOp>(op).hasUserDefinedMaps();
}

static bool isConv(Operation *op) {
  auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op);
  return conv && conv.getNumDpsInputs() == 2 && conv.getNumDpsInits() == 1 &&
         conv->getNumResults() == 1;
}

bool mlir::trop::isLayerProducer(Operation *op) {
  return isConv(op) || isPlainLinear(op);
}

/// Static shape but for the leading (batch) dimension.
static bool acceptableShape(RankedTensorType type) {
  for (int64_t i = 1; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      return false;
  return true;
}

/// The operand of `def` that carries the layer's values: the one of the
/// layer's type that is neither a channel constant nor an empty tensor.
static Value streamOf(Operation *def, RankedTensorType type, int64_t channels) {
  Value stream;
  for (Value operand : def->getOperands())
    if (operand.getType() == type && !matchChannelConstant(operand, channels) &&
        !operand.getDefiningOp<tensor::EmptyOp>()) {
      if (stream)
        return {};
      stream = operand;
    }
  return stream;
}

std::optional<ReluLayer> mlir::trop::matchReluLayer(Value hidden, bool conv) {
  auto type = dyn_cast<RankedTensorType>(hidden.getType());
  auto elementType =
      type ? dyn_cast<FloatType>(type.getElementType()) : nullptr;
  if (!elementType || type.getRank() < 2 || !acceptableShape(type))
    return std::nullopt;
  const int64_t channels = type.getShape().back();
  if (channels < 1)
    return std::nullopt;

  // Backwards from the output: the step ending in the ReLU, then ReLU-free
  // steps, up to the producer; every value in between used once.
  ReluLayer layer;
  layer.conv = conv;
  layer.affine.assign(channels, ChannelAffine{});
  Value z = hidden;
  bool sawRelu = false;
  while (true) {
    if ((z != hidden && !z.hasOneUse()) || z.getType() != type)
      return std::nullopt;
    Operation *def = z.getDefiningOp();
    if (!def)
      return std::nullopt;
    if (sawRelu && (conv ? isConv(def) : isPlainLinear(def))) {
      layer.producer = def;
      break;
    }
    Value stream = streamOf(def, type, channels);
    std::optional<ChannelStep> step =
        stream ? matchChannelStep(def, stream, channels) : std::nullopt;
    if (!step || step->relu == sawRelu)
      return std::nullopt;
    sawRelu = true;
    // affine ∘= step (the step applies first, nearer the producer).
    for (int64_t c = 0; c < channels; ++c) {
      ChannelAffine &a = layer.affine[c];
      const ChannelAffine &s = step->affine[c];
      a = {a.scale * s.scale, a.scale * s.shift + a.shift};
      if (s.scale != 1 || s.shift != 0)
        layer.bareRelu = false;
    }
    layer.chain.insert(layer.chain.begin(), def);
    z = stream;
  }

  auto producer = cast<DestinationStyleOpInterface>(layer.producer);
  auto inType =
      dyn_cast<RankedTensorType>(producer.getDpsInputs()[0].getType());
  auto weightType =
      dyn_cast<RankedTensorType>(producer.getDpsInputs()[1].getType());
  if (!inType || !weightType || inType.getElementType() != elementType ||
      weightType.getElementType() != elementType ||
      weightType.getShape().back() != channels)
    return std::nullopt;
  std::optional<SmallVector<double>> weights =
      matchFloatConstant(producer.getDpsInputs()[1]);
  std::optional<SmallVector<double>> bias =
      matchChannelConstant(producer.getDpsInits()[0], channels);
  if (!weights || !bias)
    return std::nullopt;
  layer.weights = std::move(*weights);
  layer.bias = std::move(*bias);
  layer.weightShape = llvm::to_vector(weightType.getShape());
  return layer;
}
