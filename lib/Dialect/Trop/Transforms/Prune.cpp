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
#include "trop/Dialect/Trop/Transforms/Transforms.h"
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

static StringRef stringifyPruneScope(PruneScope scope) {
  return scope == PruneScope::Layer ? "layer" : "global";
}

/// Every layer of `module` whose weights can be pruned, in program order.
static SmallVector<WeightLayer> collectLayers(ModuleOp module) {
  SmallVector<WeightLayer> layers;
  module->walk([&](Operation *op) {
    if (std::optional<WeightLayer> layer = matchPrunableLayer(op))
      layers.push_back(*layer);
  });
  return layers;
}

/// The weights of `layer` with every key <= threshold pruned.
static DenseElementsAttr prune(const WeightLayer &layer,
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

/// Paper A's parameter-matched counts for `layers`, with the plan written
/// to the report; a diagnostic at `loc` when the layers are not one of its
/// heads.
static std::optional<PresetPlan> planPreset(Location loc,
                                            ArrayRef<WeightLayer> layers,
                                            const PruneOptions &options,
                                            raw_ostream &os) {
  SmallVector<PresetLayer> described;
  for (const WeightLayer &layer : layers)
    described.push_back(
        {layer.isTropical(), layer.k, layer.n,
         layer.k * layer.n - countPruned(layer.weights, layer.semiring)});
  double r1 = options.ratios[0], r2 = options.ratios[1];
  std::string error;
  std::optional<PresetPlan> plan =
      planPaperA(described, options.head, r1, r2, error);
  if (!plan) {
    mlir::emitError(loc) << "trop-prune: preset=paper-a: " << error;
    return std::nullopt;
  }
  os << "preset: paper-a head=" << stringifyPaperAHead(plan->head)
     << " r1=" << llvm::format("%g", r1) << " r2=" << llvm::format("%g", r2)
     << ": ReLU baseline keeps " << plan->baselineParams
     << " parameters; this head aims at " << plan->targetWeights
     << " weights + " << plan->biases
     << " biases = " << plan->targetWeights + plan->biases << "\n";
  os << "preset counts to prune:";
  for (int64_t num : plan->numToPrune)
    os << " " << num;
  os << "\n";
  return plan;
}

/// The pruning threshold of each of `layers`: per layer, or one per layer
/// kind over all their keys; nothing where nothing is pruned.
static SmallVector<std::optional<double>>
thresholdsOf(ArrayRef<WeightLayer> layers, const PruneOptions &options,
             const std::optional<PresetPlan> &plan) {
  SmallVector<std::optional<double>> thresholds(layers.size());
  if (plan) {
    for (auto [i, layer] : llvm::enumerate(layers))
      thresholds[i] = thresholdOf(keysOf(layer), plan->numToPrune[i]);
  } else if (options.scope == PruneScope::Layer) {
    for (auto [i, layer] : llvm::enumerate(layers)) {
      SmallVector<double> keys = keysOf(layer);
      double ratio =
          i < options.ratios.size() ? options.ratios[i] : options.ratio;
      thresholds[i] = thresholdOf(keys, countAt(ratio, keys.size()));
    }
  } else {
    for (bool tropical : {false, true}) {
      SmallVector<double> pooled;
      for (const WeightLayer &layer : layers)
        if (layer.isTropical() == tropical)
          llvm::append_range(pooled, keysOf(layer));
      std::optional<double> t =
          thresholdOf(pooled, countAt(options.ratio, pooled.size()));
      for (auto [i, layer] : llvm::enumerate(layers))
        if (layer.isTropical() == tropical)
          thresholds[i] = t;
    }
  }
  return thresholds;
}

FailureOr<PruneReport>
mlir::trop::pruneByMagnitude(ModuleOp module, const PruneOptions &options) {
  Location loc = module.getLoc();
  auto validRatio = [](double r) { return r >= 0.0 && r <= 1.0; };
  if (!validRatio(options.ratio) || !llvm::all_of(options.ratios, validRatio)) {
    mlir::emitError(loc) << "trop-prune: ratios must be in [0, 1]";
    return failure();
  }
  bool hasPreset = options.preset != PrunePreset::None;
  if (hasPreset &&
      (options.scope != PruneScope::Layer || options.ratios.size() != 2)) {
    mlir::emitError(loc) << "trop-prune: preset=paper-a is layer-wise and "
                            "takes the baseline's two ratios as ratios=r1,r2";
    return failure();
  }

  SmallVector<WeightLayer> layers = collectLayers(module);
  if (!hasPreset && options.ratios.size() > layers.size()) {
    mlir::emitError(loc) << "trop-prune: " << options.ratios.size()
                         << " ratios given for " << layers.size()
                         << " prunable layers";
    return failure();
  }

  PruneReport result;
  llvm::raw_string_ostream os(result.text);
  os << "trop-prune: method=magnitude scope="
     << stringifyPruneScope(options.scope) << "\n";
  std::optional<PresetPlan> plan;
  if (hasPreset) {
    plan = planPreset(loc, layers, options, os);
    if (!plan)
      return failure();
  }
  SmallVector<std::optional<double>> thresholds =
      thresholdsOf(layers, options, plan);

  for (auto [i, layer] : llvm::enumerate(layers)) {
    int64_t before = countPruned(layer.weights, layer.semiring);
    DenseElementsAttr pruned = prune(layer, thresholds[i]);
    int64_t after = countPruned(pruned, layer.semiring);
    int64_t params = layer.weights.getNumElements();
    result.numWeights += params;
    result.numPruned += after;
    os << "layer " << i << " " << layer.kindName() << " at "
       << layer.op->getLoc() << ": " << params << " weights, " << before
       << " pruned before, " << after << " pruned after ("
       << llvm::format("%.2f", params ? 100.0 * after / params : 0.0)
       << " % sparse)\n";
    if (pruned != layer.weights)
      replaceConstantOperand(*layer.weightOperand, pruned);
  }
  int64_t total = result.numWeights, kept = total - result.numPruned;
  os << "total: " << total << " weights, " << result.numPruned << " pruned ("
     << llvm::format("%.2f", total ? 100.0 * result.numPruned / total : 0.0)
     << " % sparse)\n";
  if (plan)
    os << "preset result: " << kept << " weights + " << plan->biases
       << " biases = " << kept + plan->biases
       << " parameters kept (ReLU baseline: " << plan->baselineParams << ")\n";
  return result;
}

namespace {

/// Parses the string options the tests check by their own messages
/// (`method`, `preset`, `head`) and calls pruneByMagnitude.
struct TropPrunePass : public trop::impl::TropPruneBase<TropPrunePass> {
  using Base::Base;

  void runOnOperation() override {
    Location loc = getOperation()->getLoc();
    if (method != "magnitude") {
      mlir::emitError(loc) << "trop-prune: unknown method '" << method
                           << "'; only 'magnitude' is implemented";
      return signalPassFailure();
    }
    PruneOptions options;
    options.scope = scope;
    options.ratio = ratio;
    options.ratios.assign(ratios.begin(), ratios.end());
    if (!preset.empty() && preset != "paper-a") {
      mlir::emitError(loc) << "trop-prune: unknown preset '" << preset
                           << "'; only 'paper-a' is implemented";
      return signalPassFailure();
    }
    options.preset = preset.empty() ? PrunePreset::None : PrunePreset::PaperA;
    if (!parsePaperAHead(head, options.head)) {
      mlir::emitError(loc)
          << "trop-prune: unknown head '" << head
          << "'; expected auto, relu, maxout, dense-morph or sparse-morph";
      return signalPassFailure();
    }
    if (failed(writeReport(pruneByMagnitude(getOperation(), options), report,
                           loc, "trop-prune")))
      signalPassFailure();
  }
};

} // namespace
