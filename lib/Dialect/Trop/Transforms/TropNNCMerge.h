//===- TropNNCMerge.h - TropNNC neuron merging and its bound ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The numerical core of `--trop-tropnnc`, free of MLIR so that it can be read
// (and reasoned about) on its own: neurons of a ReLU block in, fewer neurons
// and a provable error bound out. docs/tropnnc.md has the derivation.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_TROP_TRANSFORMS_TROPNNCMERGE_H
#define LIB_DIALECT_TROP_TRANSFORMS_TROPNNCMERGE_H

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <vector>

namespace mlir {
namespace trop {
namespace tropnnc {

/// The block y = Σ_j c_j ReLU(g_j · (x, 1)) (+ a bias the pass leaves alone).
/// Neuron j has the input row g_j = (a_j, β_j) ∈ R^rowSize (bias last) and
/// the output column c_j ∈ R^colSize. For a linear consumer colSize is the
/// number of outputs m; for a convolution it is KH·KW·m, laid out (kh, kw, o)
/// with o fastest, so entry e belongs to output e % numOutputs.
struct Block {
  int64_t numNeurons = 0;
  int64_t rowSize = 0;
  int64_t colSize = 0;
  int64_t numOutputs = 0;
  /// numNeurons × rowSize, row-major.
  std::vector<double> rows;
  /// numNeurons × colSize, row-major (neuron-major).
  std::vector<double> cols;
};

struct Options {
  /// Neurons kept: K = max(1, ceil(keepRatio · numNeurons)). 1 keeps every
  /// neuron that the exact steps do not remove.
  double keepRatio = 1.0;
  /// Seed of k-means++.
  uint64_t seed = 0;
  /// The ball: ‖x‖₂ ≤ inputRadius (for convolutions: every receptive field).
  double inputRadius = 1.0;
  /// Two neurons are positive multiples of each other when their unit
  /// directions are within this Euclidean distance.
  double mergeTolerance = 0.0;
  /// Lloyd iterations of k-means at most.
  int64_t maxIterations = 50;
};

struct Result {
  int64_t numNeurons = 0;
  /// Neurons removed because their row or their column is zero.
  int64_t dead = 0;
  /// Classes of live neurons that are positive multiples of each other.
  int64_t directions = 0;
  /// Whether k-means merged different directions (the approximate step).
  bool clustered = false;
  /// numNeurons × rowSize and numNeurons × colSize, every value already
  /// rounded to the element type (the bound is about these values).
  std::vector<double> rows;
  std::vector<double> cols;
  /// ρ = sqrt(inputRadius² + 1).
  double rho = 0;
  /// The bound on |y_i(x) − ỹ_i(x)| over the ball, per output, and its max.
  std::vector<double> outputBounds;
  double bound = 0;
};

/// Merges the neurons of `block`: removes dead ones, merges positive
/// multiples, then, if more than K directions remain, clusters them with
/// seeded spherical k-means++. `round` rounds a double to the element type.
Result compress(const Block &block, const Options &options,
                llvm::function_ref<double(double)> round);

} // namespace tropnnc
} // namespace trop
} // namespace mlir

#endif // LIB_DIALECT_TROP_TRANSFORMS_TROPNNCMERGE_H
