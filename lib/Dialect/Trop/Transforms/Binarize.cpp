//===- Binarize.cpp - Paper D's exact binarization of BiSE layers ---------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// --trop-binarize: trop.bise layers whose neurons are all activated (or
// projected, when asked) become bit-packed trop.binary_dense /
// trop.binary_morphology between trop.pack_bits and trop.unpack_bits; the
// decision per neuron is BinarizeRules.h's (docs/paper-d.md).
//
//===----------------------------------------------------------------------===//

#include "BinarizeRules.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/Utils/PassReport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPBINARIZE
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

using Kind = NeuronBinarization::Kind;

namespace {
/// The constants of one BiSE layer, read from its operands.
struct BiseLayer {
  int64_t outputs, kernelH, kernelW, perGroupIn, groups;
  /// Per neuron, its weights in PyTorch's order (C/G × KH × KW).
  SmallVector<SmallVector<double>> weights;
  SmallVector<double> bias, scale;
};

/// A layer's decision: one binarization per neuron.
struct LayerPlan {
  SmallVector<NeuronBinarization> neurons;
  bool anyDilation = false, anyErosion = false, projected = false;
  double maxDistance = 0.0;
};
} // namespace

static DenseElementsAttr constantOf(Value value) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) ||
      !isa<FloatType>(attr.getElementType()))
    return {};
  return attr;
}

/// Why `op` cannot be binarized whatever its weights, or empty.
static StringRef whyNotBinarizable(BiseOp op, BiseLayer &layer) {
  if (!op.hasPureTensorSemantics())
    return "not on tensors";
  auto inputType = cast<RankedTensorType>(op.getInput().getType());
  auto initType = cast<RankedTensorType>(op.getInit().getType());
  if (!inputType.hasStaticShape() || !initType.hasStaticShape())
    return "dynamic shape";
  DenseElementsAttr weights = constantOf(op.getWeight());
  DenseElementsAttr bias = constantOf(op.getBias());
  DenseElementsAttr scale = constantOf(op.getScale());
  if (!weights || !bias || !scale)
    return "weights, bias or scale are not constants";
  ArrayRef<int64_t> shape = weights.getType().getShape();
  layer.outputs = shape[0];
  layer.kernelH = shape[1];
  layer.kernelW = shape[2];
  layer.perGroupIn = shape[3];
  layer.groups = op.getGroups();
  bool pointwise = layer.kernelH == 1 && layer.kernelW == 1;
  if (!pointwise && layer.perGroupIn != 1)
    return "a window over several channels per neuron has no binary op";
  SmallVector<double> flat = doublesOf(weights);
  layer.weights.assign(layer.outputs, {});
  int64_t window = layer.kernelH * layer.kernelW;
  for (int64_t o = 0; o < layer.outputs; ++o)
    for (int64_t c = 0; c < layer.perGroupIn; ++c)
      for (int64_t k = 0; k < window; ++k)
        layer.weights[o].push_back(
            flat[(o * window + k) * layer.perGroupIn + c]);
  layer.bias = doublesOf(bias);
  layer.scale = doublesOf(scale);
  for (double v : llvm::concat<double>(flat, layer.bias, layer.scale))
    if (!std::isfinite(v))
      return "a weight, bias or scale is not finite";
  return "";
}

static LayerPlan planLayer(const BiseLayer &layer,
                           const BinarizeOptions &options) {
  LayerPlan plan;
  for (int64_t o = 0; o < layer.outputs; ++o) {
    NeuronBinarization n =
        findStructuringElement(layer.weights[o], layer.bias[o], options);
    plan.anyDilation |= n.kind == Kind::Dilation;
    plan.anyErosion |= n.kind == Kind::Erosion;
    if (n.kind != Kind::None && !n.exact) {
      plan.projected = true;
      plan.maxDistance = std::max(plan.maxDistance, n.distance);
    }
    plan.neurons.push_back(std::move(n));
  }
  return plan;
}

//===----------------------------------------------------------------------===//
// Building the binary layer
//===----------------------------------------------------------------------===//

namespace {
/// Builds the binary form of one layer before its trop.bise.
struct BinaryBuilder {
  OpBuilder &b;
  Location loc;

  RankedTensorType type(ArrayRef<int64_t> shape, Type elementType) {
    return RankedTensorType::get(shape, elementType);
  }

  Value empty(ArrayRef<int64_t> shape, Type elementType) {
    return tensor::EmptyOp::create(b, loc, shape, elementType);
  }

  Value words(ArrayRef<int64_t> shape, ArrayRef<uint64_t> values) {
    SmallVector<APInt> ints;
    for (uint64_t v : values)
      ints.push_back(APInt(64, v));
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type(shape, b.getI64Type()), ints));
  }

  Value bools(ArrayRef<bool> values) {
    int64_t n = values.size();
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(type({n}, b.getI1Type()), values));
  }

  /// i1 `…×C` → i64 `…×⌈C/64⌉`.
  Value pack(Value bits) {
    auto bitsType = cast<RankedTensorType>(bits.getType());
    SmallVector<int64_t> shape(bitsType.getShape());
    shape.back() = (shape.back() + 63) / 64;
    return PackBitsOp::create(b, loc, type(shape, b.getI64Type()), bits,
                              empty(shape, b.getI64Type()))
        .getResult();
  }

  Value unpack(Value words, int64_t channels) {
    auto wordsType = cast<RankedTensorType>(words.getType());
    SmallVector<int64_t> shape(wordsType.getShape());
    shape.back() = channels;
    return UnpackBitsOp::create(b, loc, type(shape, b.getI1Type()), words,
                                empty(shape, b.getI1Type()))
        .getResult();
  }

  /// An elementwise (or channel-indexed) linalg.generic over 4 loops.
  Value generic(ValueRange inputs, ArrayRef<AffineMap> inputMaps,
                RankedTensorType resultType,
                function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
    SmallVector<AffineMap> maps(inputMaps);
    maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
    SmallVector<utils::IteratorType> iterators(resultType.getRank(),
                                               utils::IteratorType::parallel);
    Value init = empty(resultType.getShape(), resultType.getElementType());
    return linalg::GenericOp::create(
               b, loc, resultType, inputs, init, maps, iterators,
               [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
                 linalg::YieldOp::create(nested, nestedLoc,
                                         body(nested, nestedLoc, args));
               })
        .getResult(0);
  }
};
} // namespace

/// Bits of a layer's input: those of a layer binarized before, else
/// `trop.level_sets` at the midpoint between v1 and v2.
static Value inputBits(BinaryBuilder &bb, Value input,
                       const DenseMap<Value, Value> &bitsOf,
                       const BinarizeOptions &options) {
  if (Value bits = bitsOf.lookup(input))
    return bits;
  auto inputType = cast<RankedTensorType>(input.getType());
  auto bitsType = bb.type(inputType.getShape(), bb.b.getI1Type());
  double midpoint = (options.v1 + options.v2) / 2;
  return LevelSetsOp::create(bb.b, bb.loc, bitsType,
                             bb.b.getDenseF64ArrayAttr({midpoint}), input,
                             bb.empty(bitsType.getShape(), bb.b.getI1Type()))
      .getResult();
}

/// LUI / DenseLUI: one trop.binary_dense over the N·H·W pixels.
static Value buildDense(BinaryBuilder &bb, Value bits, const BiseLayer &layer,
                        const LayerPlan &plan) {
  auto bitsType = cast<RankedTensorType>(bits.getType());
  ArrayRef<int64_t> shape = bitsType.getShape();
  int64_t rows = shape[0] * shape[1] * shape[2], channels = shape[3];
  int64_t outputs = layer.outputs, perGroupOut = outputs / layer.groups;
  int64_t inWords = (channels + 63) / 64, outWords = (outputs + 63) / 64;
  SmallVector<ReassociationIndices> groups = {{0, 1, 2}, {3}};
  Value flat = tensor::CollapseShapeOp::create(
      bb.b, bb.loc, bb.type({rows, channels}, bb.b.getI1Type()), bits, groups);
  SmallVector<uint64_t> subsets(outputs * inWords, 0), kinds(outWords, 0);
  for (int64_t o = 0; o < outputs; ++o) {
    const NeuronBinarization &n = plan.neurons[o];
    int64_t first = (o / perGroupOut) * layer.perGroupIn;
    for (int64_t c = 0; c < layer.perGroupIn; ++c)
      if (n.selem[c])
        subsets[o * inWords + (first + c) / 64] |= uint64_t(1)
                                                   << ((first + c) % 64);
    if (n.kind == Kind::Erosion)
      kinds[o / 64] |= uint64_t(1) << (o % 64);
  }
  Value kindWords = bb.words({outWords}, kinds);
  // The destination is the operation's 𝟘 per output: 0 for an OR, 1 for an
  // AND, i.e. the kinds broadcast over the rows.
  SmallVector<int64_t> broadcastDims = {0};
  Value init =
      linalg::BroadcastOp::create(bb.b, bb.loc, kindWords,
                                  bb.empty({rows, outWords}, bb.b.getI64Type()),
                                  ArrayRef<int64_t>(broadcastDims))
          .getResult()[0];
  Value dense = BinaryDenseOp::create(
                    bb.b, bb.loc, init.getType(), channels, bb.pack(flat),
                    bb.words({outputs, inWords}, subsets), kindWords, init)
                    .getResult();
  Value out = bb.unpack(dense, outputs);
  return tensor::ExpandShapeOp::create(
      bb.b, bb.loc,
      bb.type({shape[0], shape[1], shape[2], outputs}, bb.b.getI1Type()), out,
      groups);
}

/// A depthwise BiSE: trop.binary_morphology with replicate padding, one op
/// per operation present, merged per channel.
static Value buildMorphology(BinaryBuilder &bb, Value bits,
                             const BiseLayer &layer, const LayerPlan &plan) {
  MLIRContext *ctx = bb.b.getContext();
  auto bitsType = cast<RankedTensorType>(bits.getType());
  ArrayRef<int64_t> shape = bitsType.getShape();
  int64_t outputs = layer.outputs, multiplier = outputs / shape[3];
  SmallVector<int64_t> outShape = {shape[0], shape[1], shape[2], outputs};
  auto outType = bb.type(outShape, bb.b.getI1Type());
  if (multiplier != 1) {
    // Output channel o reads input channel ⌊o / multiplier⌋.
    AffineExpr n, h, w, o;
    bindDims(ctx, n, h, w, o);
    bits = bb.generic(
        bits, {AffineMap::get(4, 0, {n, h, w, o.floorDiv(multiplier)}, ctx)},
        outType,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  }
  Value packed = bb.pack(bits);
  int64_t words = (outputs + 63) / 64;
  int64_t top = (layer.kernelH - 1) / 2, left = (layer.kernelW - 1) / 2;
  SmallVector<int64_t> padding = {top, left, layer.kernelH - 1 - top,
                                  layer.kernelW - 1 - left};
  auto run = [&](Kind kind) -> Value {
    SmallVector<uint64_t> element(layer.kernelH * layer.kernelW * words, 0);
    for (int64_t o = 0; o < outputs; ++o) {
      const NeuronBinarization &n = plan.neurons[o];
      if (n.kind != kind)
        continue;
      for (int64_t k = 0; k < layer.kernelH * layer.kernelW; ++k)
        if (n.selem[k])
          element[k * words + o / 64] |= uint64_t(1) << (o % 64);
    }
    bool dilation = kind == Kind::Dilation;
    auto wordsType = cast<RankedTensorType>(packed.getType());
    Value zero = arith::ConstantOp::create(
        bb.b, bb.loc, bb.b.getI64IntegerAttr(dilation ? 0 : -1));
    Value init = linalg::FillOp::create(
                     bb.b, bb.loc, zero,
                     bb.empty(wordsType.getShape(), bb.b.getI64Type()))
                     .getResult(0);
    auto op = BinaryMorphologyOp::create(
        bb.b, bb.loc, wordsType,
        dilation ? MorphologyKind::Dilation : MorphologyKind::Erosion, outputs,
        PaddingMode::Replicate, packed,
        bb.words({layer.kernelH, layer.kernelW, words}, element), init);
    op.setPadding(padding);
    return bb.unpack(op.getResult(), outputs);
  };
  if (!plan.anyErosion)
    return run(Kind::Dilation);
  if (!plan.anyDilation)
    return run(Kind::Erosion);
  Value dilated = run(Kind::Dilation), eroded = run(Kind::Erosion);
  SmallVector<bool> isErosion;
  for (const NeuronBinarization &n : plan.neurons)
    isErosion.push_back(n.kind == Kind::Erosion);
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap channel = AffineMap::get(4, 0, {getAffineDimExpr(3, ctx)}, ctx);
  return bb.generic(
      {bb.bools(isErosion), eroded, dilated}, {channel, identity, identity},
      outType, [](OpBuilder &b, Location loc, ValueRange args) -> Value {
        return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
      });
}

/// 1[P · (S ⊛ x + b_op) > 0] from the operation's bits: complemented where
/// P < 0, 0 where P = 0.
static Value applyScale(BinaryBuilder &bb, Value bits, const BiseLayer &layer) {
  SmallVector<bool> negative, zero;
  for (double p : layer.scale) {
    negative.push_back(p < 0);
    zero.push_back(p == 0);
  }
  if (llvm::none_of(negative, [](bool v) { return v; }) &&
      llvm::none_of(zero, [](bool v) { return v; }))
    return bits;
  MLIRContext *ctx = bb.b.getContext();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(4, ctx);
  AffineMap channel = AffineMap::get(4, 0, {getAffineDimExpr(3, ctx)}, ctx);
  return bb.generic(
      {bits, bb.bools(negative), bb.bools(zero)}, {identity, channel, channel},
      cast<RankedTensorType>(bits.getType()),
      [](OpBuilder &b, Location loc, ValueRange args) -> Value {
        Value flipped = arith::XOrIOp::create(b, loc, args[0], args[1]);
        Value notZero = arith::XOrIOp::create(
            b, loc, args[2],
            arith::ConstantIntOp::create(b, loc, b.getI1Type(), 1));
        return arith::AndIOp::create(b, loc, flipped, notZero);
      });
}

/// Replaces `op` by its binary form; returns the bits of the result.
static Value rewriteLayer(BiseOp op, const BiseLayer &layer,
                          const LayerPlan &plan, DenseMap<Value, Value> &bitsOf,
                          const BinarizeOptions &options) {
  OpBuilder builder(op);
  BinaryBuilder bb{builder, op.getLoc()};
  Value bits = inputBits(bb, op.getInput(), bitsOf, options);
  bool pointwise = layer.kernelH == 1 && layer.kernelW == 1;
  Value out = pointwise ? buildDense(bb, bits, layer, plan)
                        : buildMorphology(bb, bits, layer, plan);
  out = applyScale(bb, out, layer);
  auto resultType = cast<RankedTensorType>(op.getInit().getType());
  Value floats =
      bb.generic(out, {builder.getMultiDimIdentityMap(4)}, resultType,
                 [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                   return arith::UIToFPOp::create(
                       b, loc, resultType.getElementType(), args[0]);
                 });
  op.getResult().replaceAllUsesWith(floats);
  op.erase();
  bitsOf[floats] = out;
  return out;
}

//===----------------------------------------------------------------------===//
// Report and entry point
//===----------------------------------------------------------------------===//

static void printNeurons(llvm::raw_ostream &os, const LayerPlan &plan) {
  for (auto [o, n] : llvm::enumerate(plan.neurons)) {
    os << "  neuron " << o << ": ";
    if (n.kind == Kind::None) {
      os << "not activated\n";
      continue;
    }
    os << (n.kind == Kind::Dilation ? "dilation" : "erosion") << " "
       << (n.exact ? "exact" : "projected");
    if (!n.exact)
      os << " distance " << llvm::format("%.17g", n.distance);
    os << " S=";
    for (bool in : n.selem)
      os << (in ? '1' : '0');
    os << "\n";
  }
}

FailureOr<BinarizeReport>
trop::binarizeBiseLayers(ModuleOp module, const BinarizeOptions &options) {
  if (!(options.v1 >= 0 && options.v1 < options.v2 && options.v2 <= 1))
    return emitError(module.getLoc())
           << "trop-binarize: expected 0 <= v1 < v2 <= 1, but got v1 = "
           << options.v1 << ", v2 = " << options.v2;
  SmallVector<BiseOp> layers;
  module.walk([&](BiseOp op) { layers.push_back(op); });

  BinarizeReport report;
  llvm::raw_string_ostream os(report.text);
  os << "trop-binarize: inputs in [0, " << llvm::format("%g", options.v1)
     << "] u [" << llvm::format("%g", options.v2) << ", 1], projection "
     << stringifyProjection(options.projection) << "\n";
  DenseMap<Value, Value> bitsOf;
  for (auto [index, op] : llvm::enumerate(layers)) {
    os << "layer " << index << " (" << op.getLoc() << "): trop.bise "
       << op.getWeight().getType() << " groups " << op.getGroups() << ": ";
    BiseLayer layer;
    StringRef why = whyNotBinarizable(op, layer);
    if (!why.empty()) {
      os << "left (" << why << ")\n";
      ++report.numLeft;
      continue;
    }
    LayerPlan plan = planLayer(layer, options);
    int64_t inactive = llvm::count_if(
        plan.neurons, [](const auto &n) { return n.kind == Kind::None; });
    if (inactive) {
      os << "left (" << inactive << " of " << layer.outputs
         << " neurons not activated)\n";
      ++report.numLeft;
    } else {
      bool pointwise = layer.kernelH == 1 && layer.kernelW == 1;
      int64_t erosions = llvm::count_if(
          plan.neurons, [](const auto &n) { return n.kind == Kind::Erosion; });
      if (plan.projected) {
        os << "projected (max distance "
           << llvm::format("%.6g", plan.maxDistance) << ")";
        ++report.numProjected;
        report.maxDistance = std::max(report.maxDistance, plan.maxDistance);
      } else {
        os << "exact";
        ++report.numExact;
      }
      os << " -> "
         << (pointwise ? "trop.binary_dense" : "trop.binary_morphology") << ", "
         << layer.outputs - erosions << " dilations, " << erosions
         << " erosions\n";
    }
    if (options.verbose)
      printNeurons(os, plan);
    if (!inactive)
      rewriteLayer(op, layer, plan, bitsOf, options);
  }
  os << "binarized " << report.numExact << " exactly, " << report.numProjected
     << " projected, left " << report.numLeft << " of " << layers.size()
     << " BiSE layers\n";
  return report;
}

StringRef trop::stringifyProjection(BinarizeProjection projection) {
  switch (projection) {
  case BinarizeProjection::None:
    return "none";
  case BinarizeProjection::Constant:
    return "constant";
  case BinarizeProjection::TwnUniform:
    return "twn-uniform";
  case BinarizeProjection::TwnNormal:
    return "twn-normal";
  }
  llvm_unreachable("unknown projection");
}

namespace {
struct TropBinarizePass
    : public trop::impl::TropBinarizeBase<TropBinarizePass> {
  using Base::Base;

  void runOnOperation() override {
    Location loc = getOperation()->getLoc();
    BinarizeOptions options;
    options.v1 = v1;
    options.v2 = v2;
    options.verbose = verbose;
    std::optional<BinarizeProjection> chosen;
    for (BinarizeProjection p :
         {BinarizeProjection::None, BinarizeProjection::Constant,
          BinarizeProjection::TwnUniform, BinarizeProjection::TwnNormal})
      if (projection == stringifyProjection(p))
        chosen = p;
    if (!chosen) {
      mlir::emitError(loc) << "trop-binarize: 'projection' must be none, "
                              "constant, twn-uniform or twn-normal, but got '"
                           << projection << "'";
      return signalPassFailure();
    }
    options.projection = *chosen;
    if (failed(writeReport(binarizeBiseLayers(getOperation(), options), report,
                           loc, "trop-binarize")))
      signalPassFailure();
  }
};
} // namespace
