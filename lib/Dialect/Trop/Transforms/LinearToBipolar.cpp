//===- LinearToBipolar.cpp - Paper E's bipolar morphological conversion ---===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// --trop-linear-to-bipolar: linear layers (linalg.matmul) and convolutions
// (linalg.conv_2d_nhwc_hwcf, as im2col + a contraction) with constant
// weights become trop.bipolar_matmul with the log-weight poles of paper E's
// reference code, and each converted layer's error against the linear one is
// measured on random inputs in given bounds (docs/bipolar.md).
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/Utils/PassReport.h"
#include "trop/Support/SplitMix64.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPLINEARTOBIPOLAR
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

namespace {
/// The two log-weight poles of a K×N weight matrix, rounded to the layer's
/// element type and held as doubles (as the converted layer reads them).
struct Poles {
  SmallVector<double> pos, neg;
};

/// The measured error of one converted layer.
struct LayerError {
  double maxAbs = 0.0;
  /// The largest |x·W| seen, which the relative error is taken against.
  double maxLinear = 0.0;
};
} // namespace

/// `value` rounded to `type` (f32 or f64) and back.
static double roundTo(FloatType type, double value) {
  return toDouble(fromDouble(value, type.getFloatSemantics()));
}

static Poles computePoles(ArrayRef<double> weights, FloatType type,
                          double floor) {
  Poles poles;
  for (double w : weights) {
    poles.pos.push_back(roundTo(type, std::log(std::max(w, floor))));
    poles.neg.push_back(roundTo(type, std::log(std::max(-w, floor))));
  }
  return poles;
}

/// Runs the linear and the bipolar layer (in double, bias omitted: it
/// cancels) on `options.samples` random inputs in the bounds.
static LayerError measureError(ArrayRef<double> weights, const Poles &poles,
                               int64_t k, int64_t n, double shift,
                               const LinearToBipolarOptions &options) {
  SplitMix64 rng(options.seed);
  LayerError error;
  SmallVector<double> x(k), lp(k), ln(k);
  double inf = std::numeric_limits<double>::infinity();
  for (int64_t s = 0; s < options.samples; ++s) {
    for (int64_t i = 0; i < k; ++i) {
      x[i] = options.inputLo +
             (options.inputHi - options.inputLo) * rng.nextUnitDouble();
      lp[i] = std::log(std::max(x[i], shift));
      ln[i] = std::log(std::max(-x[i], shift));
    }
    for (int64_t j = 0; j < n; ++j) {
      double linear = 0.0;
      double acc[4] = {-inf, -inf, -inf, -inf};
      for (int64_t i = 0; i < k; ++i) {
        double vp = poles.pos[i * n + j], vn = poles.neg[i * n + j];
        linear += x[i] * weights[i * n + j];
        acc[0] = std::max(acc[0], lp[i] + vp);
        acc[1] = std::max(acc[1], lp[i] + vn);
        acc[2] = std::max(acc[2], ln[i] + vp);
        acc[3] = std::max(acc[3], ln[i] + vn);
      }
      double bipolar = std::exp(acc[0]) - std::exp(acc[1]) - std::exp(acc[2]) +
                       std::exp(acc[3]);
      error.maxAbs = std::max(error.maxAbs, std::abs(bipolar - linear));
      error.maxLinear = std::max(error.maxLinear, std::abs(linear));
    }
  }
  return error;
}

/// A K×N constant of `type` holding `values`.
static Value buildPoleConstant(OpBuilder &builder, Location loc,
                               RankedTensorType type, ArrayRef<double> values) {
  auto elementType = cast<FloatType>(type.getElementType());
  SmallVector<APFloat> floats;
  for (double v : values)
    floats.push_back(fromDouble(v, elementType.getFloatSemantics()));
  return arith::ConstantOp::create(builder, loc,
                                   DenseElementsAttr::get(type, floats));
}

/// Why `op` is not converted, or empty when it is convertible.
static StringRef whyNotConvertible(linalg::MatmulOp op) {
  if (!op.hasPureTensorSemantics())
    return "not on tensors";
  if (op.hasUserDefinedMaps())
    return "transposed or broadcast indexing_maps";
  std::optional<WeightLayer> layer = matchPrunableLayer(op);
  if (!layer)
    return "weights are not a constant";
  for (Value operand : op->getOperands()) {
    Type type = getElementTypeOrSelf(operand.getType());
    if (type != layer->weights.getElementType() ||
        !(type.isF32() || type.isF64()))
      return "not all f32 or all f64";
  }
  return "";
}

/// The constant KH×KW×C×F filter of `op`, or null.
static DenseElementsAttr constantFilter(linalg::Conv2DNhwcHwcfOp op) {
  DenseElementsAttr filter;
  if (!matchPattern(op.getDpsInputs()[1], m_Constant(&filter)))
    return {};
  return filter;
}

/// Why `op` is not converted, or empty when it is convertible.
static StringRef whyNotConvertible(linalg::Conv2DNhwcHwcfOp op) {
  if (!op.hasPureTensorSemantics())
    return "not on tensors";
  for (Value operand : op->getOperands())
    if (!cast<ShapedType>(operand.getType()).hasStaticShape())
      return "dynamic shapes";
  DenseElementsAttr filter = constantFilter(op);
  if (!filter || !isa<FloatType>(filter.getElementType()))
    return "weights are not a constant";
  for (Value operand : op->getOperands()) {
    Type type = getElementTypeOrSelf(operand.getType());
    if (type != filter.getElementType() || !(type.isF32() || type.isF64()))
      return "not all f32 or all f64";
  }
  return "";
}

/// The convolution's input as the (N·OH·OW)×(KH·KW·C) matrix of its windows
/// (im2col): a linalg.generic copying the N×OH×OW×KH×KW×C windows (strides
/// and dilations in its input map), collapsed. Row (n, oh, ow) of it times
/// the filter read as a (KH·KW·C)×F matrix is output (n, oh, ow).
static Value buildIm2col(OpBuilder &builder, linalg::Conv2DNhwcHwcfOp op) {
  Location loc = op.getLoc();
  Value input = op.getDpsInputs()[0];
  auto inType = cast<RankedTensorType>(input.getType());
  ArrayRef<int64_t> filter =
      cast<RankedTensorType>(op.getDpsInputs()[1].getType()).getShape();
  ArrayRef<int64_t> out =
      cast<RankedTensorType>(op.getDpsInits()[0].getType()).getShape();
  SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(op.getDilations().getValues<int64_t>());
  SmallVector<int64_t> windows = {out[0],    out[1],    out[2],
                                  filter[0], filter[1], filter[2]};
  Type element = inType.getElementType();
  MLIRContext *ctx = builder.getContext();
  SmallVector<AffineExpr> d;
  for (unsigned i = 0; i < 6; ++i)
    d.push_back(getAffineDimExpr(i, ctx));
  AffineMap read =
      AffineMap::get(6, 0,
                     {d[0], d[1] * strides[0] + d[3] * dilations[0],
                      d[2] * strides[1] + d[4] * dilations[1], d[5]},
                     ctx);
  Value empty = tensor::EmptyOp::create(builder, loc, windows, element);
  auto copy = linalg::GenericOp::create(
      builder, loc, TypeRange{empty.getType()}, ValueRange{input},
      ValueRange{empty},
      ArrayRef<AffineMap>{read, AffineMap::getMultiDimIdentityMap(6, ctx)},
      SmallVector<utils::IteratorType>(6, utils::IteratorType::parallel),
      [](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, args[0]);
      });
  return tensor::CollapseShapeOp::create(
      builder, loc, copy.getResult(0),
      ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
}

/// Builds the trop.bipolar_matmul of the M×K `input` and the poles of the
/// K×N weights into the M×N `init`, at the builder's insertion point.
static Value buildBipolar(OpBuilder &builder, Location loc, Value input,
                          const Poles &poles, int64_t k, int64_t n, Value init,
                          double inputShift) {
  auto type = cast<RankedTensorType>(init.getType());
  auto poleType = RankedTensorType::get({k, n}, type.getElementType());
  Value pos = buildPoleConstant(builder, loc, poleType, poles.pos);
  Value neg = buildPoleConstant(builder, loc, poleType, poles.neg);
  return BipolarMatmulOp::create(builder, loc, type, input, pos, neg, init,
                                 builder.getF64FloatAttr(inputShift))
      .getResult();
}

namespace {
/// A converted layer: its replacement, and its K×N weights, type and shape
/// for the error measurement and the report.
struct Converted {
  Value result;
  SmallVector<double> weights;
  FloatType type;
  int64_t k, n;
  std::string what;
};
} // namespace

/// Builds the converted form of `op` (a convertible linalg.matmul or
/// linalg.conv_2d_nhwc_hwcf) before it; `poles` receives its poles.
static Converted convertLayer(Operation *op, Poles &poles,
                              const LinearToBipolarOptions &options) {
  OpBuilder builder(op);
  Location loc = op->getLoc();
  Converted c;
  DenseElementsAttr weights;
  auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op);
  if (conv) {
    weights = constantFilter(conv);
    ArrayRef<int64_t> shape = weights.getType().getShape();
    c.k = shape[0] * shape[1] * shape[2];
    c.n = shape[3];
    llvm::raw_string_ostream(c.what)
        << "linalg.conv_2d_nhwc_hwcf " << shape[0] << "x" << shape[1] << "x"
        << shape[2] << "x" << shape[3];
  } else {
    WeightLayer layer = *matchPrunableLayer(op);
    weights = layer.weights;
    c.k = layer.k;
    c.n = layer.n;
    llvm::raw_string_ostream(c.what) << "linalg.matmul " << c.k << "x" << c.n;
  }
  c.type = cast<FloatType>(weights.getElementType());
  c.weights = doublesOf(weights);
  poles = computePoles(c.weights, c.type, options.floor);
  Value init = cast<DestinationStyleOpInterface>(op).getDpsInits()[0];
  if (!conv) {
    c.result = buildBipolar(
        builder, loc, cast<DestinationStyleOpInterface>(op).getDpsInputs()[0],
        poles, c.k, c.n, init, options.inputShift);
    return c;
  }
  // A convolution is the contraction of its windows with the filter; the
  // destination (the bias) is collapsed the same way and the result
  // expanded back to N×OH×OW×F.
  SmallVector<ReassociationIndices> rows = {{0, 1, 2}, {3}};
  Value init2 = tensor::CollapseShapeOp::create(builder, loc, init, rows);
  Value bipolar = buildBipolar(builder, loc, buildIm2col(builder, conv), poles,
                               c.k, c.n, init2, options.inputShift);
  c.result = tensor::ExpandShapeOp::create(builder, loc, init.getType(),
                                           bipolar, rows);
  return c;
}

FailureOr<LinearToBipolarReport>
trop::convertLinearToBipolar(ModuleOp module,
                             const LinearToBipolarOptions &options) {
  Location loc = module.getLoc();
  if (!(options.floor > 0) || !std::isfinite(options.floor))
    return emitError(loc) << "trop-linear-to-bipolar: 'floor' must be finite "
                             "and positive, but got "
                          << options.floor;
  if (!(options.inputShift >= 0) || !std::isfinite(options.inputShift))
    return emitError(loc) << "trop-linear-to-bipolar: 'input-shift' must be "
                             "finite and non-negative, but got "
                          << options.inputShift;
  if (!std::isfinite(options.inputLo) || !std::isfinite(options.inputHi) ||
      options.inputLo > options.inputHi)
    return emitError(loc) << "trop-linear-to-bipolar: 'input-bounds' must be "
                             "finite lo,hi with lo <= hi";
  if (options.samples < 1)
    return emitError(loc) << "trop-linear-to-bipolar: 'samples' must be at "
                             "least 1, but got "
                          << options.samples;

  SmallVector<Operation *> layers;
  module.walk([&](Operation *op) {
    if (isa<linalg::MatmulOp, linalg::Conv2DNhwcHwcfOp>(op))
      layers.push_back(op);
  });

  LinearToBipolarReport report;
  llvm::raw_string_ostream os(report.text);
  os << "trop-linear-to-bipolar: floor " << llvm::format("%g", options.floor)
     << ", input-shift " << llvm::format("%g", options.inputShift)
     << ", input bounds [" << llvm::format("%g", options.inputLo) << ", "
     << llvm::format("%g", options.inputHi) << "], " << options.samples
     << " samples, seed " << options.seed << "\n";
  for (auto [index, op] : llvm::enumerate(layers)) {
    os << "layer " << index << " (" << op->getLoc() << "): ";
    auto conv = dyn_cast<linalg::Conv2DNhwcHwcfOp>(op);
    StringRef why = conv ? whyNotConvertible(conv)
                         : whyNotConvertible(cast<linalg::MatmulOp>(op));
    if (!why.empty()) {
      os << "left (" << why << ")\n";
      continue;
    }
    Operation *weightConstant = op->getOperand(1).getDefiningOp();
    Poles poles;
    Converted c = convertLayer(op, poles, options);
    // The layer floors its inputs with input_shift in its element type.
    double shift = roundTo(c.type, options.inputShift);
    LayerError error = measureError(c.weights, poles, c.k, c.n, shift, options);
    op->replaceAllUsesWith(ValueRange{c.result});
    op->erase();
    if (weightConstant->use_empty())
      weightConstant->erase();

    ++report.numConverted;
    report.maxAbsError = std::max(report.maxAbsError, error.maxAbs);
    double rel = error.maxLinear > 0 ? error.maxAbs / error.maxLinear : 0.0;
    os << c.what << " " << c.type << " -> " << (conv ? "im2col + " : "")
       << "trop.bipolar_matmul; max abs error "
       << llvm::format("%.6g", error.maxAbs) << ", max rel error "
       << llvm::format("%.6g", rel) << " (of max |x.W| "
       << llvm::format("%.6g", error.maxLinear) << ")\n";
  }
  os << "converted " << report.numConverted << " of " << layers.size()
     << " linear layers\n";
  return report;
}

namespace {
struct TropLinearToBipolarPass
    : public trop::impl::TropLinearToBipolarBase<TropLinearToBipolarPass> {
  using Base::Base;

  void runOnOperation() override {
    Location loc = getOperation()->getLoc();
    LinearToBipolarOptions options;
    options.floor = floor;
    options.inputShift = inputShift;
    if (!inputBounds.empty()) {
      if (inputBounds.size() != 2) {
        mlir::emitError(loc) << "trop-linear-to-bipolar: 'input-bounds' "
                                "takes two values lo,hi, but got "
                             << inputBounds.size();
        return signalPassFailure();
      }
      options.inputLo = inputBounds[0];
      options.inputHi = inputBounds[1];
    }
    options.samples = samples;
    options.seed = seed;
    if (failed(writeReport(convertLinearToBipolar(getOperation(), options),
                           report, loc, "trop-linear-to-bipolar")))
      signalPassFailure();
  }
};
} // namespace
