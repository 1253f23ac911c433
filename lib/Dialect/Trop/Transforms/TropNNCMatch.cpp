//===- TropNNCMatch.cpp - The ReLU blocks --trop-tropnnc compresses -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "TropNNCMatch.h"

#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/Utils/LayerMatch.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::trop;

std::optional<tropnnc::BlockMatch>
mlir::trop::tropnnc::matchBlock(Operation *consumer) {
  if (!isLayerProducer(consumer))
    return std::nullopt;
  BlockMatch match;
  match.consumer = consumer;
  match.conv = isa<linalg::Conv2DNhwcHwcfOp>(consumer);
  auto dps = cast<DestinationStyleOpInterface>(consumer);
  Value hidden = dps.getDpsInputs()[0];
  if (!hidden.hasOneUse())
    return std::nullopt;
  // The hidden layer in any of the forms LayerMatch.h accepts.
  std::optional<ReluLayer> layer = matchReluLayer(hidden, match.conv);
  if (!layer)
    return std::nullopt;
  auto hiddenType = cast<RankedTensorType>(hidden.getType());
  match.elementType = cast<FloatType>(hiddenType.getElementType());
  const int64_t channels = hiddenType.getShape().back();
  std::optional<SmallVector<double>> w2 =
      matchFloatConstant(dps.getDpsInputs()[1]);
  if (!w2)
    return std::nullopt;
  match.w2Shape = llvm::to_vector(
      cast<RankedTensorType>(dps.getDpsInputs()[1].getType()).getShape());
  if (dps.getDpsInputs()[1].getType() !=
      RankedTensorType::get(match.w2Shape, match.elementType))
    return std::nullopt;
  match.producer = layer->producer;
  match.relu = layer->chain.back();
  match.chain.assign(layer->chain.begin(), layer->chain.end() - 1);
  match.bare = layer->bareRelu && match.chain.empty();
  match.w1Shape = layer->weightShape;
  if (match.w2Shape.size() < 2 ||
      match.w2Shape[match.w2Shape.size() - 2] != channels)
    return std::nullopt;

  // Neuron j: row (α_j W1[..., j], α_j b_j + γ_j), column W2[..., j, ...].
  const SmallVector<ChannelAffine> &affine = layer->affine;
  const SmallVector<double> &w1 = layer->weights, &bias = layer->bias;
  tropnnc::Block &block = match.block;
  block.numNeurons = channels;
  int64_t inputs = w1.size() / channels; // D, or KH·KW·C.
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
      block.rows[j * block.rowSize + i] =
          affine[j].scale * w1[i * channels + j];
    block.rows[j * block.rowSize + inputs] =
        affine[j].scale * bias[j] + affine[j].shift;
    for (int64_t p = 0; p < window; ++p)
      for (int64_t o = 0; o < block.numOutputs; ++o)
        block.cols[j * block.colSize + p * block.numOutputs + o] =
            (*w2)[(p * channels + j) * block.numOutputs + o];
  }
  return match;
}

bool mlir::trop::tropnnc::isBlockConsumer(Operation *op) {
  return isLayerProducer(op);
}
