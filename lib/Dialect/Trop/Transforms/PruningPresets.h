//===- PruningPresets.h - Pruning presets of --trop-prune -------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A pruning preset turns a published pruning protocol into per-layer pruning
// counts for `--trop-prune preset=...`. It knows nothing about IR: the pass
// describes its layers, the preset counts. One preset so far: paper A
// (seeds-methods.md §1.3), which prunes each classification head so that it
// keeps as many parameters as a ReLU head pruned at (r1, r2).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_TROP_TRANSFORMS_PRUNINGPRESETS_H
#define LIB_DIALECT_TROP_TRANSFORMS_PRUNINGPRESETS_H

#include "trop/Dialect/Trop/Transforms/Transforms.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
namespace trop {

/// What the preset needs to know about one prunable layer: a K×N weight
/// matrix, linear or tropical, and how many of its weights are not yet
/// pruned (not 0 for linear layers, not 𝟘 for tropical ones).
struct PresetLayer {
  bool tropical;
  int64_t rows;
  int64_t cols;
  int64_t live;
  int64_t numel() const { return rows * cols; }
};

/// The preset's result: how many weights of each layer to prune (the
/// `num_to_prune` of paper A's code, before `<=` ties), and the parameter
/// budget it matches.
struct PresetPlan {
  PaperAHead head;
  llvm::SmallVector<int64_t> numToPrune;
  /// Weights plus biases a ReLU head of the same widths keeps at (r1, r2).
  int64_t baselineParams = 0;
  /// Biases this head has by paper A's architecture (they are not operands
  /// of the matmuls, so they are assumed, not read).
  int64_t biases = 0;
  /// Weights the preset aims to keep in this head.
  int64_t targetWeights = 0;
};

/// Parses `auto`, `relu`, `maxout`, `dense-morph` or `sparse-morph`;
/// nothing for `auto` (left to `planPaperA`), failure for anything else.
bool parsePaperAHead(llvm::StringRef name, std::optional<PaperAHead> &head);

llvm::StringRef stringifyPaperAHead(PaperAHead head);

/// Computes the per-layer pruning counts of paper A's parameter-matched
/// protocol for `layers` (program order) at baseline ratios r1 (first
/// linear layer) and r2 (last linear layer). `head` is detected from the
/// layers when not given. On a layer sequence that is not one of paper A's
/// heads, returns a message saying why in `error`.
std::optional<PresetPlan> planPaperA(llvm::ArrayRef<PresetLayer> layers,
                                     std::optional<PaperAHead> head, double r1,
                                     double r2, std::string &error);

} // namespace trop
} // namespace mlir

#endif // LIB_DIALECT_TROP_TRANSFORMS_PRUNINGPRESETS_H
