//===- Prune.cpp - Magnitude pruning of constant weights ------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Paper A's one-shot pruning: linear weights by |w| (to 0), tropical weights
// by value (to 𝟘). Approximate by design; the report is how a user sees what
// was removed.
//
//===----------------------------------------------------------------------===//

#include "PruningPresets.h"

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/Utils/PassReport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPPRUNE
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

namespace {

/// The pruning key of every weight: |w| for linear layers; for tropical
/// ones the value, negated for min semirings (their largest weights never
/// win), and −∞ for weights that already are 𝟘.
static SmallVector<double> keysOf(const WeightLayer &layer) {
  SmallVector<double> keys = doublesOf(layer.weights);
  bool isMax = !layer.semiring || isMaxSemiring(*layer.semiring);
  for (double &key : keys)
    key = !layer.semiring ? std::fabs(key) : (isMax ? key : -key);
  return keys;
}

/// `floor(ratio · size)`, the count paper A's code prunes at `ratio`.
static int64_t countAt(double ratio, size_t size) {
  return static_cast<int64_t>(ratio * static_cast<double>(size));
}

/// The threshold pruning `num` of `keys`: the num-th smallest key, or
/// nothing when num is 0.
static std::optional<double> thresholdOf(SmallVector<double> keys,
                                         int64_t num) {
  num = std::min<int64_t>(num, keys.size());
  if (num <= 0)
    return std::nullopt;
  std::nth_element(keys.begin(), keys.begin() + (num - 1), keys.end());
  return keys[num - 1];
}

struct TropPrunePass : public trop::impl::TropPruneBase<TropPrunePass> {
  using Base::Base;

  void runOnOperation() override {
    if (method != "magnitude") {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: unknown method '" << method
          << "'; only 'magnitude' is implemented";
      return signalPassFailure();
    }
    if (scope != "layer" && scope != "global") {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: unknown scope '" << scope
          << "'; expected 'layer' or 'global'";
      return signalPassFailure();
    }
    auto validRatio = [](double r) { return r >= 0.0 && r <= 1.0; };
    if (!validRatio(ratio) || !llvm::all_of(ratios, validRatio)) {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: ratios must be in [0, 1]";
      return signalPassFailure();
    }

    if (preset != "" && preset != "paper-a") {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: unknown preset '" << preset
          << "'; only 'paper-a' is implemented";
      return signalPassFailure();
    }
    std::optional<PaperAHead> presetHead;
    if (!parsePaperAHead(head, presetHead)) {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: unknown head '" << head
          << "'; expected auto, relu, maxout, dense-morph or sparse-morph";
      return signalPassFailure();
    }
    if (!preset.empty() && (scope != "layer" || ratios.size() != 2)) {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: preset=paper-a is layer-wise and takes the "
             "baseline's two ratios as ratios=r1,r2";
      return signalPassFailure();
    }

    SmallVector<WeightLayer> layers = collectLayers();
    if (preset.empty() && ratios.size() > layers.size()) {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: " << ratios.size() << " ratios given for "
          << layers.size() << " prunable layers";
      return signalPassFailure();
    }

    std::string reportText;
    llvm::raw_string_ostream os(reportText);
    os << "trop-prune: method=magnitude scope=" << scope << "\n";

    // Thresholds: per layer, or one per layer kind over all their keys.
    SmallVector<std::optional<double>> thresholds(layers.size());
    std::optional<PresetPlan> plan;
    if (!preset.empty()) {
      plan = planPreset(layers, presetHead, os);
      if (!plan)
        return signalPassFailure();
      for (auto [i, layer] : llvm::enumerate(layers))
        thresholds[i] = thresholdOf(keysOf(layer), plan->numToPrune[i]);
    } else if (scope == "layer") {
      for (auto [i, layer] : llvm::enumerate(layers)) {
        SmallVector<double> keys = keysOf(layer);
        thresholds[i] = thresholdOf(
            keys, countAt(i < ratios.size() ? ratios[i] : ratio, keys.size()));
      }
    } else {
      for (bool tropical : {false, true}) {
        SmallVector<double> pooled;
        for (const WeightLayer &layer : layers)
          if (layer.semiring.has_value() == tropical)
            llvm::append_range(pooled, keysOf(layer));
        std::optional<double> t =
            thresholdOf(pooled, countAt(ratio, pooled.size()));
        for (auto [i, layer] : llvm::enumerate(layers))
          if (layer.semiring.has_value() == tropical)
            thresholds[i] = t;
      }
    }

    int64_t totalParams = 0, totalPruned = 0;
    for (auto [i, layer] : llvm::enumerate(layers)) {
      int64_t before = countPruned(layer.weights, layer.semiring);
      DenseElementsAttr pruned = prune(layer, thresholds[i]);
      int64_t after = countPruned(pruned, layer.semiring);
      int64_t params = layer.weights.getNumElements();
      totalParams += params;
      totalPruned += after;
      os << "layer " << i << " " << layer.kindName() << " at "
         << layer.op->getLoc() << ": " << params << " weights, " << before
         << " pruned before, " << after << " pruned after ("
         << llvm::format("%.2f", params ? 100.0 * after / params : 0.0)
         << " % sparse)\n";
      if (pruned != layer.weights)
        replaceConstantOperand(*layer.weightOperand, pruned);
    }
    os << "total: " << totalParams << " weights, " << totalPruned << " pruned ("
       << llvm::format("%.2f",
                       totalParams ? 100.0 * totalPruned / totalParams : 0.0)
       << " % sparse)\n";
    if (plan)
      os << "preset result: " << totalParams - totalPruned << " weights + "
         << plan->biases
         << " biases = " << totalParams - totalPruned + plan->biases
         << " parameters kept (ReLU baseline: " << plan->baselineParams
         << ")\n";
    if (failed(writeReport(report, reportText, getOperation()->getLoc(),
                           "trop-prune")))
      signalPassFailure();
  }

  /// Paper A's parameter-matched counts for `layers`, with the plan written
  /// to the report; a diagnostic when the layers are not one of its heads.
  std::optional<PresetPlan> planPreset(ArrayRef<WeightLayer> layers,
                                       std::optional<PaperAHead> presetHead,
                                       raw_ostream &os) {
    SmallVector<PresetLayer> described;
    for (const WeightLayer &layer : layers) {
      described.push_back(
          {layer.isTropical(), layer.k, layer.n,
           layer.k * layer.n - countPruned(layer.weights, layer.semiring)});
    }
    std::string error;
    std::optional<PresetPlan> plan =
        planPaperA(described, presetHead, ratios[0], ratios[1], error);
    if (!plan) {
      mlir::emitError(getOperation()->getLoc())
          << "trop-prune: preset=paper-a: " << error;
      return std::nullopt;
    }
    os << "preset: paper-a head=" << stringifyPaperAHead(plan->head)
       << " r1=" << llvm::format("%g", ratios[0])
       << " r2=" << llvm::format("%g", ratios[1]) << ": ReLU baseline keeps "
       << plan->baselineParams << " parameters; this head aims at "
       << plan->targetWeights << " weights + " << plan->biases
       << " biases = " << plan->targetWeights + plan->biases << "\n";
    os << "preset counts to prune:";
    for (int64_t num : plan->numToPrune)
      os << " " << num;
    os << "\n";
    return plan;
  }

  SmallVector<WeightLayer> collectLayers() {
    SmallVector<WeightLayer> layers;
    getOperation()->walk([&](Operation *op) {
      if (std::optional<WeightLayer> layer = matchPrunableLayer(op))
        layers.push_back(*layer);
    });
    return layers;
  }

  /// The weights of `layer` with every key <= threshold pruned.
  DenseElementsAttr prune(const WeightLayer &layer,
                          std::optional<double> threshold) {
    if (!threshold)
      return layer.weights;
    SmallVector<double> keys = keysOf(layer);
    auto elementType = cast<FloatType>(layer.weights.getElementType());
    APFloat zero = layer.semiring
                       ? getFloatZero(*layer.semiring, elementType)
                       : APFloat::getZero(elementType.getFloatSemantics());
    SmallVector<APFloat> values;
    for (auto [key, v] :
         llvm::zip_equal(keys, layer.weights.getValues<APFloat>()))
      values.push_back(key <= *threshold ? zero : v);
    return DenseElementsAttr::get(layer.weights.getType(), values);
  }
};

} // namespace
