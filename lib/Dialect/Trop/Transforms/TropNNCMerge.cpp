//===- TropNNCMerge.cpp - TropNNC neuron merging and its bound ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Every merged neuron k gets an input row v_k (exactly representable in the
// element type) and each original neuron j in it a scale t_j ≥ 0; the new
// output column is ĉ_k = Σ_j t_j c_j. Positive homogeneity of ReLU turns the
// compressed block into Σ_j c_j ReLU(t_j v_k · x̂), so the error of output i
// is at most ρ Σ_j |c_ij| ‖g_j − t_j v_k‖ plus ρ ‖v_k‖ times the rounding of
// ĉ_k, whatever way the clusters were chosen. The clustering only decides how
// small that is.
//
//===----------------------------------------------------------------------===//

#include "TropNNCMerge.h"
#include "trop/Support/SplitMix64.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace mlir::trop::tropnnc;
using mlir::trop::SplitMix64;

namespace {

double dot(const double *a, const double *b, int64_t n) {
  double s = 0;
  for (int64_t i = 0; i < n; ++i)
    s += a[i] * b[i];
  return s;
}

double norm(const double *a, int64_t n) { return std::sqrt(dot(a, a, n)); }

/// Draws an index with probability proportional to `weights`; -1 if they sum
/// to 0.
int64_t draw(SplitMix64 &rng, const std::vector<double> &weights) {
  double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  if (!(total > 0))
    return -1;
  double target = rng.nextUnitDouble() * total;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0)
      continue;
    target -= weights[i];
    if (target < 0)
      return static_cast<int64_t>(i);
  }
  // Rounding left a remainder: the last positive weight.
  for (size_t i = weights.size(); i-- > 0;)
    if (weights[i] > 0)
      return static_cast<int64_t>(i);
  return -1;
}

/// Weighted spherical k-means with k-means++ seeding on unit vectors `dirs`
/// (count × dim). Returns the cluster of every vector, clusters numbered
/// 0..k-1, none empty (k ≤ count).
std::vector<int64_t> sphericalKMeans(const std::vector<double> &dirs,
                                     const std::vector<double> &weights,
                                     int64_t count, int64_t dim, int64_t k,
                                     uint64_t seed, int64_t maxIterations) {
  SplitMix64 rng{seed};
  auto dir = [&](int64_t i) { return dirs.data() + i * dim; };
  // dist² between unit vectors: 2 − 2 cos.
  auto dist2 = [&](int64_t i, const double *c) {
    return std::max(0.0, 2.0 - 2.0 * dot(dir(i), c, dim));
  };

  // k-means++: the first centre ∝ weight, then ∝ weight · D².
  std::vector<double> centres;
  std::vector<bool> chosen(count, false);
  std::vector<double> d2(count, 4.0);
  auto addCentre = [&](int64_t i) {
    chosen[i] = true;
    centres.insert(centres.end(), dir(i), dir(i) + dim);
    const double *c = centres.data() + centres.size() - dim;
    for (int64_t j = 0; j < count; ++j)
      d2[j] = std::min(d2[j], dist2(j, c));
  };
  addCentre(std::max<int64_t>(0, draw(rng, weights)));
  while (static_cast<int64_t>(centres.size()) < k * dim) {
    std::vector<double> p(count, 0.0);
    for (int64_t j = 0; j < count; ++j)
      p[j] = chosen[j] ? 0.0 : weights[j] * d2[j];
    int64_t next = draw(rng, p);
    if (next < 0) // Every remaining direction coincides with a centre.
      next = std::find(chosen.begin(), chosen.end(), false) - chosen.begin();
    addCentre(next);
  }

  // Lloyd iterations: assign by largest cosine (ties: lowest centre), move
  // each centre to the normalised weighted mean of its members.
  std::vector<int64_t> assignment(count, -1);
  for (int64_t iter = 0; iter < maxIterations; ++iter) {
    bool changed = false;
    for (int64_t j = 0; j < count; ++j) {
      int64_t best = 0;
      double bestCos = -2;
      for (int64_t c = 0; c < k; ++c) {
        double cs = dot(dir(j), centres.data() + c * dim, dim);
        if (cs > bestCos) {
          bestCos = cs;
          best = c;
        }
      }
      changed |= assignment[j] != best;
      assignment[j] = best;
    }
    // An empty cluster takes the vector that its own centre fits worst.
    std::vector<int64_t> sizes(k, 0);
    for (int64_t a : assignment)
      ++sizes[a];
    for (int64_t c = 0; c < k; ++c) {
      if (sizes[c] != 0)
        continue;
      int64_t worst = -1;
      double worstCost = -1;
      for (int64_t j = 0; j < count; ++j) {
        if (sizes[assignment[j]] < 2)
          continue;
        double cost =
            weights[j] * dist2(j, centres.data() + assignment[j] * dim);
        if (cost > worstCost) {
          worstCost = cost;
          worst = j;
        }
      }
      --sizes[assignment[worst]];
      assignment[worst] = c;
      sizes[c] = 1;
      changed = true;
    }
    if (!changed && iter > 0)
      break;
    std::fill(centres.begin(), centres.end(), 0.0);
    for (int64_t j = 0; j < count; ++j)
      for (int64_t e = 0; e < dim; ++e)
        centres[assignment[j] * dim + e] += weights[j] * dir(j)[e];
    for (int64_t c = 0; c < k; ++c) {
      double *centre = centres.data() + c * dim;
      double n = norm(centre, dim);
      if (n > 0) {
        for (int64_t e = 0; e < dim; ++e)
          centre[e] /= n;
        continue;
      }
      // Members cancel out: keep the first member's direction.
      for (int64_t j = 0; j < count; ++j)
        if (assignment[j] == c) {
          std::copy(dir(j), dir(j) + dim, centre);
          break;
        }
    }
  }
  return assignment;
}

/// Renumbers the `numLabels` labels of `labelOf` (one per live neuron) in
/// the order of their first neuron, so that the result does not depend on
/// how the labels were found.
void numberInOrder(std::vector<int64_t> &labelOf, int64_t numLabels) {
  std::vector<int64_t> renumber(numLabels, -1);
  int64_t next = 0;
  for (int64_t label : labelOf)
    if (renumber[label] < 0)
      renumber[label] = next++;
  for (int64_t &label : labelOf)
    label = renumber[label];
}

} // namespace

Result mlir::trop::tropnnc::compress(const Block &block, const Options &options,
                                     llvm::function_ref<double(double)> round) {
  const int64_t n = block.numNeurons, d = block.rowSize, l = block.colSize,
                m = block.numOutputs;
  auto row = [&](int64_t j) { return block.rows.data() + j * d; };
  auto col = [&](int64_t j) { return block.cols.data() + j * l; };
  Result result;
  result.rho = std::sqrt(options.inputRadius * options.inputRadius + 1.0);

  // 1. Dead neurons: ReLU(0 · x̂) = 0, and 0 · ReLU(·) = 0.
  std::vector<int64_t> live;
  for (int64_t j = 0; j < n; ++j) {
    bool zeroRow =
        std::all_of(row(j), row(j) + d, [](double v) { return v == 0; });
    bool zeroCol =
        std::all_of(col(j), col(j) + l, [](double v) { return v == 0; });
    if (!zeroRow && !zeroCol)
      live.push_back(j);
  }
  result.dead = n - static_cast<int64_t>(live.size());
  const int64_t numLive = live.size();

  // Unit directions u_j = g_j / ‖g_j‖.
  std::vector<double> scale(numLive), unit(numLive * d);
  for (int64_t a = 0; a < numLive; ++a) {
    scale[a] = norm(row(live[a]), d);
    for (int64_t e = 0; e < d; ++e)
      unit[a * d + e] = row(live[a])[e] / scale[a];
  }

  // 2. Positive multiples: group directions within mergeTolerance. Sorting
  // by the projection on a fixed vector ω finds every pair: ‖u − u'‖ ≤ ε
  // implies |⟨u − u', ω⟩| ≤ ε for a unit ω.
  std::vector<double> omega(d);
  SplitMix64 omegaRng{0x7470726F706E6E63ull};
  for (double &w : omega)
    w = omegaRng.nextUnitDouble() - 0.5;
  double omegaNorm = norm(omega.data(), d);
  for (double &w : omega)
    w /= omegaNorm;
  std::vector<double> proj(numLive);
  for (int64_t a = 0; a < numLive; ++a)
    proj[a] = dot(unit.data() + a * d, omega.data(), d);
  std::vector<int64_t> order(numLive);
  std::iota(order.begin(), order.end(), 0);
  llvm::sort(order, [&](int64_t a, int64_t b) {
    return proj[a] < proj[b] || (proj[a] == proj[b] && a < b);
  });
  const double eps = options.mergeTolerance;
  std::vector<int64_t> groupOf(numLive, -1), reps;
  for (int64_t a : order) {
    for (size_t r = reps.size(); r-- > 0;) {
      int64_t rep = reps[r];
      if (proj[a] - proj[rep] > eps)
        break;
      double dist2 = 0;
      for (int64_t e = 0; e < d; ++e) {
        double diff = unit[a * d + e] - unit[rep * d + e];
        dist2 += diff * diff;
      }
      if (std::sqrt(dist2) <= eps) {
        groupOf[a] = groupOf[rep];
        break;
      }
    }
    if (groupOf[a] < 0) {
      groupOf[a] = reps.size();
      reps.push_back(a);
    }
  }
  // Number the groups by their first neuron; each is represented by that
  // neuron's row.
  const int64_t numGroups = reps.size();
  numberInOrder(groupOf, numGroups);
  std::vector<int64_t> firstOfGroup(numGroups, -1);
  for (int64_t a = 0; a < numLive; ++a)
    if (firstOfGroup[groupOf[a]] < 0)
      firstOfGroup[groupOf[a]] = a;
  result.directions = numGroups;

  // 3. Too many directions left: cluster them. A group's weight is the norm
  // of its effective output ‖Σ_j ‖g_j‖ c_j‖.
  int64_t keep = std::max<int64_t>(
      1, static_cast<int64_t>(std::ceil(options.keepRatio * n - 1e-9)));
  std::vector<int64_t> clusterOfGroup(numGroups);
  std::iota(clusterOfGroup.begin(), clusterOfGroup.end(), 0);
  int64_t numClusters = numGroups;
  if (numGroups > keep) {
    std::vector<double> dirs(numGroups * d), weights(numGroups, 0.0);
    std::vector<double> effective(numGroups * l, 0.0);
    for (int64_t g = 0; g < numGroups; ++g)
      std::copy(unit.begin() + firstOfGroup[g] * d,
                unit.begin() + (firstOfGroup[g] + 1) * d, dirs.begin() + g * d);
    for (int64_t a = 0; a < numLive; ++a)
      for (int64_t e = 0; e < l; ++e)
        effective[groupOf[a] * l + e] += scale[a] * col(live[a])[e];
    for (int64_t g = 0; g < numGroups; ++g)
      weights[g] = norm(effective.data() + g * l, l);
    clusterOfGroup = sphericalKMeans(dirs, weights, numGroups, d, keep,
                                     options.seed, options.maxIterations);
    numClusters = keep;
    result.clustered = true;
  }

  // Each cluster's members (live indices) and row v_k: the first neuron's row
  // for a single direction (so that exact merges stay exact), else the
  // normalised weighted mean of the directions. Clusters are numbered by
  // their first neuron.
  std::vector<int64_t> clusterOf(numLive);
  for (int64_t a = 0; a < numLive; ++a)
    clusterOf[a] = clusterOfGroup[groupOf[a]];
  numberInOrder(clusterOf, numClusters);
  std::vector<std::vector<int64_t>> members(numClusters);
  for (int64_t a = 0; a < numLive; ++a)
    members[clusterOf[a]].push_back(a);

  const int64_t k = std::max<int64_t>(1, numClusters);
  result.numNeurons = k;
  result.rows.assign(k * d, 0.0);
  result.cols.assign(k * l, 0.0);
  result.outputBounds.assign(m, 0.0);
  std::vector<double> exactCol(l);
  for (int64_t c = 0; c < numClusters; ++c) {
    double *v = result.rows.data() + c * d;
    bool oneDirection = llvm::all_of(members[c], [&](int64_t a) {
      return groupOf[a] == groupOf[members[c].front()];
    });
    if (oneDirection) {
      std::copy(row(live[members[c].front()]),
                row(live[members[c].front()]) + d, v);
    } else {
      for (int64_t a : members[c]) {
        double w = scale[a] * norm(col(live[a]), l);
        for (int64_t e = 0; e < d; ++e)
          v[e] += w * unit[a * d + e];
      }
      double vn = norm(v, d);
      for (int64_t e = 0; e < d; ++e)
        v[e] = vn > 0 ? v[e] / vn : unit[members[c].front() * d + e];
    }
    for (int64_t e = 0; e < d; ++e)
      v[e] = round(v[e]);
    double vNorm2 = dot(v, v, d);

    // t_j = max(0, ⟨g_j, v⟩ / ‖v‖²), ĉ = Σ t_j c_j, and each member's
    // residual ‖g_j − t_j v‖ weighted by |c_ij|.
    std::fill(exactCol.begin(), exactCol.end(), 0.0);
    for (int64_t a : members[c]) {
      const double *g = row(live[a]);
      double t = vNorm2 > 0 ? std::max(0.0, dot(g, v, d) / vNorm2) : 0.0;
      double residual2 = 0;
      for (int64_t e = 0; e < d; ++e) {
        double diff = g[e] - t * v[e];
        residual2 += diff * diff;
      }
      double residual = std::sqrt(residual2);
      const double *cj = col(live[a]);
      for (int64_t e = 0; e < l; ++e) {
        exactCol[e] += t * cj[e];
        result.outputBounds[e % m] += std::fabs(cj[e]) * residual;
      }
    }
    // The emitted column is ĉ rounded: |ReLU(v · x̂)| ≤ ρ ‖v‖ bounds what the
    // rounding adds.
    double vNorm = std::sqrt(vNorm2);
    for (int64_t e = 0; e < l; ++e) {
      double rounded = round(exactCol[e]);
      result.cols[c * l + e] = rounded;
      result.outputBounds[e % m] += std::fabs(rounded - exactCol[e]) * vNorm;
    }
  }
  for (double &b : result.outputBounds) {
    b *= result.rho;
    result.bound = std::max(result.bound, b);
  }
  return result;
}
