//===- PruningPresets.cpp - Pruning presets of --trop-prune ---------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Paper A's code (`prune_weights`, seeds-methods.md §1.3) prunes a ReLU head
// at (r1, r2) and every other head so that, in the paper's words, the number
// of parameters is matched. This file computes that budget from the layer
// shapes and splits it over the layers of each head variant.
//
//===----------------------------------------------------------------------===//

#include "PruningPresets.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/Twine.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::trop;

bool mlir::trop::parsePaperAHead(llvm::StringRef name,
                                 std::optional<PaperAHead> &head) {
  head = std::nullopt;
  if (name == "auto")
    return true;
  for (PaperAHead h : {PaperAHead::Relu, PaperAHead::Maxout,
                       PaperAHead::DenseMorph, PaperAHead::SparseMorph}) {
    if (name == stringifyPaperAHead(h)) {
      head = h;
      return true;
    }
  }
  return false;
}

llvm::StringRef mlir::trop::stringifyPaperAHead(PaperAHead head) {
  switch (head) {
  case PaperAHead::Relu:
    return "relu";
  case PaperAHead::Maxout:
    return "maxout";
  case PaperAHead::DenseMorph:
    return "dense-morph";
  case PaperAHead::SparseMorph:
    return "sparse-morph";
  }
  return "";
}

/// `int(r * numel)`, as paper A's Python computes it.
static int64_t floorCount(double ratio, int64_t numel) {
  return static_cast<int64_t>(ratio * static_cast<double>(numel));
}

/// The layer sequence as a string of kinds, for diagnostics.
static std::string describe(llvm::ArrayRef<PresetLayer> layers) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(layers, os, [&](const PresetLayer &l) {
    os << (l.tropical ? "tropical " : "linear ") << l.rows << "x" << l.cols;
  });
  os << "]";
  return text;
}

std::optional<PresetPlan>
mlir::trop::planPaperA(llvm::ArrayRef<PresetLayer> layers,
                       std::optional<PaperAHead> head, double r1, double r2,
                       std::string &error) {
  auto fail = [&](const llvm::Twine &why) -> std::optional<PresetPlan> {
    error = (why + "; prunable layers: " + describe(layers)).str();
    return std::nullopt;
  };

  // Paper A's heads, in the order their weights appear: linear, [max-plus,]
  // linear. The last linear layer's input width is the hidden width n_hid.
  bool twoLinear =
      layers.size() == 2 && !layers[0].tropical && !layers[1].tropical;
  bool hybrid = layers.size() == 3 && !layers[0].tropical &&
                layers[1].tropical && !layers[2].tropical;
  if (!head) {
    if (twoLinear)
      head = layers[0].cols == layers[1].rows ? PaperAHead::Relu
                                              : PaperAHead::Maxout;
    else if (hybrid)
      head = layers[1].live < layers[1].numel() ? PaperAHead::SparseMorph
                                                : PaperAHead::DenseMorph;
    else
      return fail("head=auto: not one of paper A's heads (linear, linear) or "
                  "(linear, tropical, linear)");
  }

  bool wantsHybrid =
      *head == PaperAHead::DenseMorph || *head == PaperAHead::SparseMorph;
  if (wantsHybrid ? !hybrid : !twoLinear)
    return fail(
        "head=" + stringifyPaperAHead(*head) + " expects " +
        (wantsHybrid ? "(linear, tropical, linear)" : "(linear, linear)") +
        " prunable layers");

  const PresetLayer &first = layers.front();
  const PresetLayer &last = layers.back();
  int64_t nHid = last.rows;
  int64_t k = 1;
  if (*head == PaperAHead::Relu && first.cols != nHid)
    return fail(
        "head=relu: the first layer's width " + llvm::Twine(first.cols) +
        " differs from the last layer's input width " + llvm::Twine(nHid));
  if (*head == PaperAHead::Maxout) {
    if (nHid == 0 || first.cols % nHid != 0 || first.cols / nHid < 2)
      return fail("head=maxout: the first layer's width " +
                  llvm::Twine(first.cols) +
                  " is not k >= 2 times the last layer's input width " +
                  llvm::Twine(nHid));
    k = first.cols / nHid;
  }
  if (wantsHybrid && (first.cols != layers[1].rows || layers[1].cols != nHid))
    return fail("head=" + stringifyPaperAHead(*head) +
                ": the layer widths do not chain");

  // The ReLU baseline: dense1 is n_in x n_hid plus n_hid biases, dense2 is
  // the same last layer; both pruned by count as in prune_layer_linear.
  int64_t baseNumel = first.rows * nHid;
  int64_t baseKept1 = baseNumel - floorCount(r1, baseNumel);
  int64_t num2 = floorCount(r2, last.numel());
  int64_t kept2 = last.numel() - num2;

  PresetPlan plan;
  plan.head = *head;
  plan.baselineParams = baseKept1 + nHid + kept2 + last.cols;
  auto keep = [](int64_t kept, int64_t numel) {
    return numel - std::clamp<int64_t>(kept, 0, numel);
  };

  switch (*head) {
  case PaperAHead::Relu:
    plan.biases = nHid + last.cols;
    plan.numToPrune = {floorCount(r1, first.numel()), num2};
    plan.targetWeights = baseKept1 + kept2;
    break;
  case PaperAHead::Maxout: {
    // k pieces with n_hid biases each: k - 1 sets of biases more than the
    // baseline, paid for with weights (the code's extra = bias/2 per piece
    // for k = 2).
    plan.biases = k * nHid + last.cols;
    int64_t kept1 = baseKept1 - (k - 1) * nHid;
    plan.numToPrune = {keep(kept1, first.numel()), num2};
    plan.targetWeights = kept1 + kept2;
    break;
  }
  case PaperAHead::DenseMorph: {
    // dense1 has no bias, the max-plus layer's n_hid biases replace the
    // baseline's. The budget is split so both layers keep the same fraction
    // (the code's 1 - (1 - r1)/2 on both, which matches only when the two
    // layers have equal sizes; see docs/pruning.md).
    const PresetLayer &tropical = layers[1];
    plan.biases = tropical.cols + last.cols;
    int64_t total = first.numel() + tropical.numel();
    int64_t kept1 = total == 0
                        ? 0
                        : static_cast<int64_t>(std::llround(
                              static_cast<double>(baseKept1) *
                              static_cast<double>(first.numel()) / total));
    int64_t keptT = baseKept1 - kept1;
    plan.numToPrune = {keep(kept1, first.numel()),
                       keep(keptT, tropical.numel()), num2};
    plan.targetWeights = baseKept1 + kept2;
    break;
  }
  case PaperAHead::SparseMorph: {
    // The sparse max-plus layer is left alone and counted by its finite
    // weights (the code assumes its expected 2 per neuron); dense1 pays.
    const PresetLayer &tropical = layers[1];
    plan.biases = tropical.cols + last.cols;
    int64_t kept1 = baseKept1 - tropical.live;
    plan.numToPrune = {keep(kept1, first.numel()), 0, num2};
    plan.targetWeights = kept1 + tropical.live + kept2;
    break;
  }
  }
  return plan;
}
