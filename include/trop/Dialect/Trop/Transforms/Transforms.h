//===- Transforms.h - trop transforms without a pass manager ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The work of trop's transform passes as functions a C++ host can call on a
// module without building a pass (as upstream bufferization's pass calls
// runOneShotModuleBufferize): pattern sets for the rewriting passes, and one
// entry point per analysis-driven pass. Each pass in Passes.td is a thin
// shell that turns its options into the structs below and calls these.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_TRANSFORMS_TRANSFORMS_H
#define TROP_DIALECT_TROP_TRANSFORMS_TRANSFORMS_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mlir {
class RewritePatternSet;
namespace func {
class FuncOp;
} // namespace func

namespace trop {

//===----------------------------------------------------------------------===//
// Pattern sets
//===----------------------------------------------------------------------===//

/// Adds the patterns of `--trop-raise`: linalg/arith forms of tropical
/// contractions, pooling and maxout become trop ops, exactly.
void populateTropRaisePatterns(RewritePatternSet &patterns);

/// Adds the patterns of `--trop-fold`: exact tropical algebra and structural
/// sparsity cleanups on constant weights; with `reassociate`, also the
/// rewrites that are exact in real arithmetic but change float rounding.
void populateTropFoldPatterns(RewritePatternSet &patterns,
                              bool reassociate = false);

//===----------------------------------------------------------------------===//
// Magnitude pruning (--trop-prune)
//===----------------------------------------------------------------------===//

/// Where pruning thresholds are taken.
enum class PruneScope {
  /// One threshold per layer.
  Layer,
  /// One threshold per layer kind (linear, tropical) over all its weights.
  Global,
};

/// A pruning protocol that computes per-layer counts itself.
enum class PrunePreset {
  None,
  /// Paper A's parameter-matched counts (docs/pruning.md).
  PaperA,
};

/// Paper A's head variants (the `method` flag of its code).
enum class PaperAHead { Relu, Maxout, DenseMorph, SparseMorph };

struct PruneOptions {
  PruneScope scope = PruneScope::Layer;
  /// Fraction of weights to prune, in [0, 1], for layers without a ratio in
  /// `ratios` (scope=layer) or for every layer kind (scope=global).
  double ratio = 0.0;
  /// Per-layer ratios in program order (scope=layer); with a preset, the
  /// baseline's two ratios r1, r2.
  SmallVector<double> ratios;
  PrunePreset preset = PrunePreset::None;
  /// The head of PrunePreset::PaperA; none: detected from the layers.
  std::optional<PaperAHead> head;
};

/// What pruneByMagnitude did.
struct PruneReport {
  /// The per-layer sparsity report, as `--trop-prune report=` writes it.
  std::string text;
  int64_t numWeights = 0;
  /// Weights that are pruned afterwards (0 for linear, 𝟘 for tropical).
  int64_t numPruned = 0;
};

/// One-shot magnitude pruning of the constant weights of every
/// `linalg.matmul` (by |w|, to 0) and `trop.matmul` (by value, to 𝟘) in
/// `module`. Approximate by design. Invalid options are an error at the
/// module's location (and change nothing).
FailureOr<PruneReport> pruneByMagnitude(ModuleOp module,
                                        const PruneOptions &options);

//===----------------------------------------------------------------------===//
// Exact interval-dominance pruning (--trop-prune-dominated)
//===----------------------------------------------------------------------===//

struct PruneDominatedOptions {
  /// Bounds lo, hi of every float input that a matmul reads and that has no
  /// `trop.bounds` argument attribute; empty: only `trop.bounds` is used.
  SmallVector<double> inputBounds;
};

/// What pruneDominatedWeights did.
struct PruneDominatedReport {
  /// The per-layer report, as `--trop-prune-dominated report=` writes it.
  std::string text;
  int64_t numWeights = 0;
  int64_t numRemoved = 0;
};

/// Sets to 𝟘 every constant `trop.matmul` weight of `module` whose term
/// provably never decides its output's ⊕ for inputs within the bounds, so
/// that results within the bounds stay bit-identical. Invalid bounds are an
/// error at the module or the function.
FailureOr<PruneDominatedReport>
pruneDominatedWeights(ModuleOp module, const PruneDominatedOptions &options);

//===----------------------------------------------------------------------===//
// Data-free compression of ReLU blocks (--trop-tropnnc)
//===----------------------------------------------------------------------===//

struct CompressReluBlocksOptions {
  /// Fraction of hidden neurons to keep, in (0, 1]; 1 does only the exact
  /// steps.
  double keepRatio = 1.0;
  /// Seed of k-means++.
  uint64_t seed = 0;
  /// Radius r of the input ball ||x||_2 <= r the bound is stated for.
  double inputRadius = 1.0;
  /// Distance of unit directions under which neurons merge as positive
  /// multiples; negative: 16 ulps of 1 in the element type (at most 1e-3).
  double mergeTolerance = -1.0;
  /// Lloyd iterations of k-means at most.
  int64_t maxIterations = 50;
};

/// What compressReluBlocks did.
struct CompressReluBlocksReport {
  /// The per-block report, as `--trop-tropnnc report=` writes it.
  std::string text;
  /// Blocks matched and compressed (or annotated with their bound).
  int64_t numBlocks = 0;
};

/// Removes hidden neurons of the `Linear → (affine) → ReLU → Linear` and
/// Conv2d blocks of `module` with constant weights (paper B, TropNNC): dead
/// ones, positive multiples (exactly), then k-means clusters of directions
/// (approximately), recording the error bound on each consumer as the
/// `trop.tropnnc` attribute. Invalid options are an error at the module.
FailureOr<CompressReluBlocksReport>
compressReluBlocks(ModuleOp module, const CompressReluBlocksOptions &options);

//===----------------------------------------------------------------------===//
// Bipolar morphological conversion (--trop-linear-to-bipolar)
//===----------------------------------------------------------------------===//

struct LinearToBipolarOptions {
  /// Weights below this (after the sign split) map to ln(floor); > 0.
  double floor = 1e-6;
  /// Floor of both input poles; >= 0.
  double inputShift = 0.1;
  /// The box [lo, hi] of every input the error is measured on.
  double inputLo = -1.0, inputHi = 1.0;
  /// Random inputs per layer for the measured error; >= 1.
  int64_t samples = 256;
  uint64_t seed = 0;
};

/// What convertLinearToBipolar did.
struct LinearToBipolarReport {
  /// The per-layer report, as `--trop-linear-to-bipolar report=` writes it.
  std::string text;
  int64_t numConverted = 0;
  /// The largest measured absolute error over all converted layers.
  double maxAbsError = 0.0;
};

/// Rewrites every `linalg.matmul` and `linalg.conv_2d_nhwc_hwcf` (as im2col
/// and a contraction) of `module` with constant f32/f64 weights into paper
/// E's `trop.bipolar_matmul` (approximate by design) and measures,
/// per layer, its error against the linear layer on random inputs in the
/// bounds. Invalid options are an error at the module (and change nothing).
FailureOr<LinearToBipolarReport>
convertLinearToBipolar(ModuleOp module, const LinearToBipolarOptions &options);

//===----------------------------------------------------------------------===//
// Max/min convolution pairs (--trop-fuse)
//===----------------------------------------------------------------------===//

/// Replaces every `trop.conv_2d <max_plus>` and `trop.conv_2d <min_plus>` on
/// float tensors under `root` that read the same input with the same window
/// (strides, dilations, padding, window size) by one `trop.dual_conv_2d`
/// (with their two filters, which may be the same value); exact. Returns
/// the number of pairs fused.
int64_t fuseMaxMinConvolutions(Operation *root);

/// Emits after `forward` (one tensor result) the function
/// `<name>_backward(forward's arguments..., dY) -> (dArg...)` that returns
/// the gradient of `Σ dY · forward(args)` with respect to every argument
/// (`--trop-differentiate`): the forward is recomputed with the winners
/// variant of each trop.matmul, batch_matmul, conv_2d, depthwise_conv_2d
/// and maxout (max_plus or min_plus, float), whose routing op then sends
/// each output gradient to its winner (the first, `docs/semantics.md`); the
/// initial value of a contraction (its bias) receives the gradients of the
/// outputs it won, a linalg.broadcast the sum over its broadcast dimensions
/// and linalg.add both operands. Fails, with a diagnostic, on any other op
/// that a gradient flows through.
FailureOr<func::FuncOp> buildBackwardFunction(func::FuncOp forward);

//===----------------------------------------------------------------------===//
// Exact binarization of paper D's BiSE layers (--trop-binarize)
//===----------------------------------------------------------------------===//

/// What to do with a BiSE neuron that is not activated.
enum class BinarizeProjection {
  /// Leave its layer as it is (no binary form is exact).
  None,
  /// The nearest constant set {θ·1_S} (approximate).
  Constant,
  /// The Ternary Weight Network threshold S = {w ≥ (2/3)·mean W}.
  TwnUniform,
  /// The Ternary Weight Network threshold S = {w ≥ (3/4)·mean W}.
  TwnNormal,
};

struct BinarizeOptions {
  /// Inputs lie in [0, v1] ∪ [v2, 1], 0 ≤ v1 < v2 ≤ 1 (binary: 0 and 1).
  double v1 = 0.0, v2 = 1.0;
  BinarizeProjection projection = BinarizeProjection::None;
  /// List every neuron's operation and S in the report.
  bool verbose = false;
};

/// The option spelling of `projection`: none, constant, twn-uniform or
/// twn-normal.
StringRef stringifyProjection(BinarizeProjection projection);

/// What binarizeBiseLayers did.
struct BinarizeReport {
  /// The per-layer report, as `--trop-binarize report=` writes it.
  std::string text;
  int64_t numExact = 0, numProjected = 0, numLeft = 0;
  /// The largest projection distance over all projected neurons.
  double maxDistance = 0.0;
};

/// Rewrites every `trop.bise` layer of `module` with constant weights, bias
/// and scale whose every neuron is activated (paper D's inequalities for
/// inputs in [0, v1] ∪ [v2, 1]), or projected where `options.projection`
/// asks, into bit-packed `trop.binary_dense` (1×1 kernels: LUI, DenseLUI)
/// or `trop.binary_morphology` with replicate padding (depthwise windows),
/// with `trop.level_sets` (threshold (v1 + v2)/2) and pack/unpack at the
/// boundaries; the layer's result becomes 0/1 in its float type. Other
/// layers are left and listed. Invalid options are an error at the module
/// (and change nothing).
FailureOr<BinarizeReport> binarizeBiseLayers(ModuleOp module,
                                             const BinarizeOptions &options);

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_TRANSFORMS_TRANSFORMS_H
