//===- TropNNCMatch.cpp - The ReLU blocks --trop-tropnnc compresses -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "TropNNCMatch.h"

#include "trop/Dialect/Trop/Utils/ConstantWeights.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// a·z + b: what a chain of elementwise ops does to one hidden channel.
struct Affine {
  double a = 1, b = 0;
};

} // namespace

/// Values of a float constant in double, row-major.
static std::optional<SmallVector<double>> constantValues(Value v) {
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

/// A tensor whose value depends only on its last (channel) index, as
/// front ends build biases and batch-norm parameters: a constant, a fill, a
/// linalg.broadcast, or a broadcasting linalg.generic of a rank-1 (or rank-0)
/// constant. Returns one value per channel.
static std::optional<SmallVector<double>> channelConstant(Value v,
                                                          int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() == 0 || type.getShape().back() != channels)
    return std::nullopt;
  auto splat = [&](double s) { return SmallVector<double>(channels, s); };
  auto rank01 = [&](Value src) -> std::optional<SmallVector<double>> {
    auto srcType = dyn_cast<RankedTensorType>(src.getType());
    std::optional<SmallVector<double>> values = constantValues(src);
    if (!srcType || !values)
      return std::nullopt;
    if (srcType.getRank() == 0)
      return splat((*values)[0]);
    if (srcType.getRank() == 1 && srcType.getDimSize(0) == channels)
      return values;
    return std::nullopt;
  };

  if (std::optional<SmallVector<double>> values = constantValues(v)) {
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
      return splat(*s);
    return std::nullopt;
  }
  if (auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(def)) {
    // The kept dimension must be the channel.
    if (llvm::is_contained(broadcast.getDimensions(), type.getRank() - 1))
      return std::nullopt;
    return rank01(broadcast.getInput());
  }
  if (auto generic = dyn_cast_or_null<linalg::GenericOp>(def)) {
    if (generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
        !generic.getIndexingMapsArray()[1].isIdentity())
      return std::nullopt;
    Block &body = generic.getRegion().front();
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    if (yield.getNumOperands() != 1 ||
        yield.getOperand(0) != body.getArgument(0))
      return std::nullopt;
    AffineMap map = generic.getIndexingMapsArray()[0];
    unsigned last = type.getRank() - 1;
    bool channelOnly =
        map.getNumResults() == 1 &&
        map.getResult(0) == getAffineDimExpr(last, map.getContext());
    if (map.getNumResults() != 0 && !channelOnly)
      return std::nullopt;
    return rank01(generic.getDpsInputs()[0]);
  }
  return std::nullopt;
}

/// The per-channel affine map of an elementwise op that takes the hidden
/// value `stream` and channel constants; nullopt if it is not one.
static std::optional<SmallVector<Affine>> affineOf(Operation *op, Value stream,
                                                   int64_t channels) {
  auto type = dyn_cast<RankedTensorType>(stream.getType());
  if (!type || op->getNumResults() != 1 || op->getResult(0).getType() != type)
    return std::nullopt;
  if (isa<linalg::AddOp, linalg::SubOp, linalg::MulOp, linalg::DivOp>(op)) {
    auto dps = cast<DestinationStyleOpInterface>(op);
    if (dps.getNumDpsInputs() != 2)
      return std::nullopt;
    Value lhs = dps.getDpsInputs()[0], rhs = dps.getDpsInputs()[1];
    bool streamLeft = lhs == stream;
    if (streamLeft == (rhs == stream))
      return std::nullopt;
    std::optional<SmallVector<double>> k =
        channelConstant(streamLeft ? rhs : lhs, channels);
    if (!k)
      return std::nullopt;
    SmallVector<Affine> result(channels);
    for (int64_t c = 0; c < channels; ++c) {
      double kc = (*k)[c];
      if (isa<linalg::AddOp>(op))
        result[c] = {1, kc};
      else if (isa<linalg::SubOp>(op))
        result[c] = streamLeft ? Affine{1, -kc} : Affine{-1, kc};
      else if (isa<linalg::MulOp>(op))
        result[c] = {kc, 0};
      else if (streamLeft && kc != 0)
        result[c] = {1 / kc, 0};
      else
        return std::nullopt;
    }
    return result;
  }

  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInits() != 1 ||
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
    if (map.isIdentity()) {
      k = channelConstant(input->get(), channels);
    } else if (map.getNumResults() <= 1 &&
               (map.getNumResults() == 0 ||
                map.getResult(0) ==
                    getAffineDimExpr(rank - 1, map.getContext()))) {
      auto inType = dyn_cast<RankedTensorType>(input->get().getType());
      k = constantValues(input->get());
      if (k && inType && inType.getRank() == 0)
        k = SmallVector<double>(channels, (*k)[0]);
      else if (k && (!inType || inType.getRank() != 1 ||
                     inType.getDimSize(0) != channels))
        k = std::nullopt;
    }
    if (!k)
      return std::nullopt;
    constants[arg] = std::move(*k);
  }
  if (!streamArg)
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1)
    return std::nullopt;

  // Interpret the body once per channel on a·z + b values.
  SmallVector<Affine> result(channels);
  for (int64_t c = 0; c < channels; ++c) {
    DenseMap<Value, Affine> env;
    env[streamArg] = {1, 0};
    for (auto &[arg, k] : constants)
      env[arg] = {0, k[c]};
    auto get = [&](Value v) -> std::optional<Affine> {
      auto it = env.find(v);
      if (it != env.end())
        return it->second;
      if (v.getParentRegion() != &generic.getRegion())
        if (std::optional<double> s = scalarConstant(v))
          return Affine{0, *s};
      return std::nullopt;
    };
    for (Operation &inner : body.without_terminator()) {
      if (auto cst = dyn_cast<arith::ConstantOp>(inner)) {
        std::optional<double> s = scalarConstant(cst);
        if (!s)
          return std::nullopt;
        env[cst] = {0, *s};
        continue;
      }
      if (inner.getNumResults() != 1 || inner.getNumOperands() < 1)
        return std::nullopt;
      std::optional<Affine> x = get(inner.getOperand(0));
      std::optional<Affine> y;
      if (inner.getNumOperands() == 2)
        y = get(inner.getOperand(1));
      if (!x || (inner.getNumOperands() == 2 && !y))
        return std::nullopt;
      Affine r;
      if (isa<arith::NegFOp>(inner))
        r = {-x->a, -x->b};
      else if (isa<arith::AddFOp>(inner))
        r = {x->a + y->a, x->b + y->b};
      else if (isa<arith::SubFOp>(inner))
        r = {x->a - y->a, x->b - y->b};
      else if (isa<arith::MulFOp>(inner) && (x->a == 0 || y->a == 0))
        r = {x->a * y->b + y->a * x->b, x->b * y->b};
      else if (isa<arith::DivFOp>(inner) && y->a == 0 && y->b != 0)
        r = {x->a / y->b, x->b / y->b};
      else
        return std::nullopt;
      env[inner.getResult(0)] = r;
    }
    std::optional<Affine> out = get(yield.getOperand(0));
    if (!out)
      return std::nullopt;
    result[c] = *out;
  }
  return result;
}

/// The input of `op` if it is an elementwise ReLU: a linalg.generic yielding
/// maximumf(x, +0) (either order), or linalg.max of x and a zero channel
/// constant.
static Value reluInput(Operation *op, int64_t channels) {
  if (!op || op->getNumResults() != 1)
    return {};
  Type type = op->getResult(0).getType();
  if (auto max = dyn_cast<linalg::MaxOp>(op)) {
    if (max.getNumDpsInputs() != 2)
      return {};
    for (int side : {1, 0}) {
      Value other = max.getDpsInputs()[side];
      Value in = max.getDpsInputs()[1 - side];
      std::optional<SmallVector<double>> k = channelConstant(other, channels);
      if (in.getType() == type && k &&
          llvm::all_of(*k, [](double v) { return v == 0; }))
        return in;
    }
    return {};
  }
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 1 ||
      generic.getNumDpsInits() != 1 ||
      generic.getDpsInputs()[0].getType() != type ||
      generic.getNumParallelLoops() != generic.getNumLoops() ||
      !llvm::all_of(generic.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isIdentity(); }))
    return {};
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto max = yield.getNumOperands() == 1
                 ? yield.getOperand(0).getDefiningOp<arith::MaximumFOp>()
                 : nullptr;
  if (!max)
    return {};
  Value in = body.getArgument(0);
  Value other = max.getLhs() == in ? max.getRhs() : max.getLhs();
  if ((max.getLhs() != in && max.getRhs() != in) ||
      !matchPattern(other, m_PosZeroFloat()))
    return {};
  return generic.getDpsInputs()[0];
}

/// Static shape with a static channel (last) dimension; for a matmul the
/// batch dimension may be dynamic, as may a convolution's N.
static bool acceptableShape(RankedTensorType type) {
  for (int64_t i = 1; i < type.getRank(); ++i)
    if (type.isDynamicDim(i))
      return false;
  return true;
}

static bool isPlainLinear(Operation *op) {
  auto matmul = dyn_cast<linalg::MatmulOp>(op);
  if (!matmul || matmul.getNumDpsInputs() != 2 ||
      matmul.getNumDpsInits() != 1 || matmul->getNumResults() != 1 ||
      cast<linalg::LinalgOp>(op).hasUserDefinedMaps())
    return false;
  return true;
}

static bool isConv(Operation *op) {
  auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op);
  return conv && conv.getNumDpsInputs() == 2 && conv.getNumDpsInits() == 1 &&
         conv->getNumResults() == 1;
}

std::optional<tropnnc::BlockMatch>
mlir::trop::tropnnc::matchBlock(Operation *consumer) {
  BlockMatch match;
  match.consumer = consumer;
  match.conv = isConv(consumer);
  if (!match.conv && !isPlainLinear(consumer))
    return std::nullopt;
  auto dps = cast<DestinationStyleOpInterface>(consumer);
  Value hidden = dps.getDpsInputs()[0];
  auto hiddenType = dyn_cast<RankedTensorType>(hidden.getType());
  auto elementType =
      hiddenType ? dyn_cast<FloatType>(hiddenType.getElementType()) : nullptr;
  if (!elementType || !acceptableShape(hiddenType) || !hidden.hasOneUse())
    return std::nullopt;
  match.elementType = elementType;
  const int64_t channels = hiddenType.getShape().back();
  if (channels < 1)
    return std::nullopt;
  std::optional<SmallVector<double>> w2 = constantValues(dps.getDpsInputs()[1]);
  if (!w2)
    return std::nullopt;
  match.w2Shape = llvm::to_vector(
      cast<RankedTensorType>(dps.getDpsInputs()[1].getType()).getShape());

  // The ReLU, then affine ops back to the producer, every value used once.
  match.relu = hidden.getDefiningOp();
  Value z = reluInput(match.relu, channels);
  if (!z)
    return std::nullopt;
  SmallVector<Affine> affine(channels);
  while (true) {
    if (!z.hasOneUse() || z.getType() != hiddenType)
      return std::nullopt;
    Operation *def = z.getDefiningOp();
    if (!def)
      return std::nullopt;
    if (match.conv ? isConv(def) : isPlainLinear(def)) {
      match.producer = def;
      break;
    }
    // The stream is the operand that is not a channel constant.
    Value stream;
    for (Value operand : def->getOperands())
      if (operand.getType() == hiddenType &&
          !channelConstant(operand, channels) &&
          !operand.getDefiningOp<tensor::EmptyOp>()) {
        if (stream)
          return std::nullopt;
        stream = operand;
      }
    if (!stream)
      return std::nullopt;
    std::optional<SmallVector<Affine>> step = affineOf(def, stream, channels);
    if (!step)
      return std::nullopt;
    // affine ∘= step (step applies first, nearer the producer).
    for (int64_t c = 0; c < channels; ++c)
      affine[c] = {affine[c].a * (*step)[c].a,
                   affine[c].a * (*step)[c].b + affine[c].b};
    match.chain.insert(match.chain.begin(), def);
    z = stream;
  }

  auto producer = cast<DestinationStyleOpInterface>(match.producer);
  auto inType =
      dyn_cast<RankedTensorType>(producer.getDpsInputs()[0].getType());
  if (!inType || inType.getElementType() != elementType ||
      dps.getDpsInputs()[1].getType() !=
          RankedTensorType::get(match.w2Shape, elementType))
    return std::nullopt;
  std::optional<SmallVector<double>> w1 =
      constantValues(producer.getDpsInputs()[1]);
  std::optional<SmallVector<double>> bias =
      channelConstant(producer.getDpsInits()[0], channels);
  if (!w1 || !bias)
    return std::nullopt;
  auto w1Type = cast<RankedTensorType>(producer.getDpsInputs()[1].getType());
  if (w1Type.getElementType() != elementType)
    return std::nullopt;
  match.w1Shape = llvm::to_vector(w1Type.getShape());
  if (match.w1Shape.back() != channels || match.w2Shape.size() < 2 ||
      match.w2Shape[match.w2Shape.size() - 2] != channels)
    return std::nullopt;

  // Neuron j: row (α_j W1[..., j], α_j b_j + γ_j), column W2[..., j, ...].
  tropnnc::Block &block = match.block;
  block.numNeurons = channels;
  int64_t inputs = w1->size() / channels; // D, or KH·KW·C.
  block.rowSize = inputs + 1;
  block.numOutputs = match.w2Shape.back();
  if (block.numOutputs < 1 || inputs < 1)
    return std::nullopt;
  int64_t window = w2->size() / (channels * block.numOutputs); // KH2·KW2.
  block.colSize = window * block.numOutputs;
  block.rows.resize(channels * block.rowSize);
  block.cols.resize(channels * block.colSize);
  for (int64_t j = 0; j < channels; ++j) {
    for (int64_t i = 0; i < inputs; ++i)
      block.rows[j * block.rowSize + i] = affine[j].a * (*w1)[i * channels + j];
    block.rows[j * block.rowSize + inputs] =
        affine[j].a * (*bias)[j] + affine[j].b;
    for (int64_t p = 0; p < window; ++p)
      for (int64_t o = 0; o < block.numOutputs; ++o)
        block.cols[j * block.colSize + p * block.numOutputs + o] =
            (*w2)[(p * channels + j) * block.numOutputs + o];
  }
  return match;
}

bool mlir::trop::tropnnc::isBlockConsumer(Operation *op) {
  return isConv(op) || isPlainLinear(op);
}
