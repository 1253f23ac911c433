//===- LinearToBipolar.cpp - Paper E's bipolar morphological conversion ---===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// --trop-linear-to-bipolar: linear layers with constant weights become
// trop.bipolar_matmul with the log-weight poles of paper E's reference code,
// and each converted layer's error against the linear one is measured on
// random inputs in given bounds (docs/bipolar.md).
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
#include "mlir/IR/BuiltinAttributes.h"
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

  SmallVector<linalg::MatmulOp> matmuls;
  module.walk([&](linalg::MatmulOp op) { matmuls.push_back(op); });

  LinearToBipolarReport report;
  llvm::raw_string_ostream os(report.text);
  os << "trop-linear-to-bipolar: floor " << llvm::format("%g", options.floor)
     << ", input-shift " << llvm::format("%g", options.inputShift)
     << ", input bounds [" << llvm::format("%g", options.inputLo) << ", "
     << llvm::format("%g", options.inputHi) << "], " << options.samples
     << " samples, seed " << options.seed << "\n";
  for (auto [index, op] : llvm::enumerate(matmuls)) {
    os << "layer " << index << " (" << op.getLoc() << "): ";
    StringRef why = whyNotConvertible(op);
    if (!why.empty()) {
      os << "left (" << why << ")\n";
      continue;
    }
    WeightLayer layer = *matchPrunableLayer(op);
    auto type = cast<FloatType>(layer.weights.getElementType());
    SmallVector<double> weights = doublesOf(layer.weights);
    Poles poles = computePoles(weights, type, options.floor);
    // The layer floors its inputs with input_shift in its element type.
    double shift = roundTo(type, options.inputShift);
    LayerError error =
        measureError(weights, poles, layer.k, layer.n, shift, options);

    OpBuilder builder(op);
    auto poleType = RankedTensorType::get({layer.k, layer.n}, type);
    Value pos = buildPoleConstant(builder, op.getLoc(), poleType, poles.pos);
    Value neg = buildPoleConstant(builder, op.getLoc(), poleType, poles.neg);
    Value init = op.getDpsInits()[0];
    auto bipolar = BipolarMatmulOp::create(
        builder, op.getLoc(), init.getType(), op.getDpsInputs()[0], pos, neg,
        init, builder.getF64FloatAttr(options.inputShift));
    Operation *weightConstant = layer.weightOperand->get().getDefiningOp();
    op->replaceAllUsesWith(bipolar);
    op->erase();
    if (weightConstant->use_empty())
      weightConstant->erase();

    ++report.numConverted;
    report.maxAbsError = std::max(report.maxAbsError, error.maxAbs);
    double rel = error.maxLinear > 0 ? error.maxAbs / error.maxLinear : 0.0;
    os << "linalg.matmul " << layer.k << "x" << layer.n << " " << type
       << " -> trop.bipolar_matmul; max abs error "
       << llvm::format("%.6g", error.maxAbs) << ", max rel error "
       << llvm::format("%.6g", rel) << " (of max |x.W| "
       << llvm::format("%.6g", error.maxLinear) << ")\n";
  }
  os << "converted " << report.numConverted << " of " << matmuls.size()
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
