//===- BinarizeRules.cpp - Paper D's structuring element rules ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// find_structuring_element of python/trop/binary_morphology.py, step by step
// and in double, so that the compiler and the Python layer agree neuron by
// neuron (python/tests/test_binarize.py checks it on random layers).
//
//===----------------------------------------------------------------------===//

#include "BinarizeRules.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

using namespace mlir;
using namespace mlir::trop;

using Kind = NeuronBinarization::Kind;

/// The paper's strict inequalities for weights of either sign and inputs in
/// [0, v1] ∪ [v2, 1].
static bool isActivated(ArrayRef<double> w, double beta, ArrayRef<bool> selem,
                        Kind kind, double v1, double v2) {
  double inf = std::numeric_limits<double>::infinity();
  double minS = inf, sumPos = 0, sumPosIn = 0, sumPosOut = 0, sumNeg = 0;
  for (auto [value, in] : llvm::zip_equal(w, selem)) {
    if (in)
      minS = std::min(minS, value);
    if (value > 0) {
      sumPos += value;
      (in ? sumPosIn : sumPosOut) += value;
    } else {
      sumNeg += value;
    }
  }
  double lo, hi;
  if (kind == Kind::Dilation) {
    lo = sumPosOut + v1 * sumPosIn;
    hi = v2 * minS + sumNeg;
  } else {
    lo = sumPos - (1 - v1) * minS;
    hi = v2 * sumPosIn + sumNeg;
  }
  return lo < beta && beta < hi;
}

/// Squared distance from `w` to {θ·1_S : θ > 0}.
static double constantSetDistance(ArrayRef<double> w, ArrayRef<bool> selem) {
  double squares = 0, inS = 0;
  int64_t count = 0;
  for (auto [value, in] : llvm::zip_equal(w, selem)) {
    squares += value * value;
    if (in) {
      inS += value;
      ++count;
    }
  }
  return count == 0 ? squares : squares - inS * inS / count;
}

static SmallVector<bool> project(ArrayRef<double> w,
                                 BinarizeProjection projection) {
  int64_t n = w.size();
  SmallVector<bool> selem(n, false);
  if (projection == BinarizeProjection::Constant) {
    // The best S of size j holds the j largest weights; the best j maximises
    // (Σ_{i≤j} w_(i)) / √j, the first maximum on ties (paper D §4.2 (a)).
    SmallVector<int64_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    // Descending, ties in index order (as PyTorch's stable argsort).
    llvm::sort(order, [&](int64_t a, int64_t b) {
      return w[a] > w[b] || (w[a] == w[b] && a < b);
    });
    double prefix = 0, best = -std::numeric_limits<double>::infinity();
    int64_t bestSize = 1;
    for (int64_t j = 0; j < n; ++j) {
      prefix += w[order[j]];
      double score = prefix / std::sqrt(static_cast<double>(j + 1));
      if (score > best) {
        best = score;
        bestSize = j + 1;
      }
    }
    for (int64_t j = 0; j < bestSize && j < n; ++j)
      selem[order[j]] = true;
    return selem;
  }
  double factor =
      projection == BinarizeProjection::TwnUniform ? 2.0 / 3.0 : 3.0 / 4.0;
  double mean = n ? std::accumulate(w.begin(), w.end(), 0.0) / n : 0.0;
  for (int64_t i = 0; i < n; ++i)
    selem[i] = w[i] >= factor * mean;
  return selem;
}

NeuronBinarization
trop::findStructuringElement(ArrayRef<double> weights, double bias,
                             const BinarizeOptions &options) {
  double v1 = options.v1, v2 = options.v2;
  double beta = -bias;
  double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  NeuronBinarization result;
  Kind kind = beta <= total / 2 ? Kind::Dilation : Kind::Erosion;
  double cut = kind == Kind::Dilation ? beta / v2 : (total - beta) / (1 - v1);
  SmallVector<bool> selem;
  for (double w : weights)
    selem.push_back(w >= cut);
  if (isActivated(weights, beta, selem, kind, v1, v2)) {
    result.kind = kind;
    result.selem = std::move(selem);
    result.exact = true;
    return result;
  }
  if (options.projection == BinarizeProjection::None) {
    result.distance = std::numeric_limits<double>::quiet_NaN();
    return result;
  }
  result.kind = kind;
  result.selem = project(weights, options.projection);
  result.distance = constantSetDistance(weights, result.selem);
  return result;
}
