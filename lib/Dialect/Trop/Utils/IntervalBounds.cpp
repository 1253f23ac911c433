//===- IntervalBounds.cpp - Interval bounds of tensor values --------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Transfer functions for the ops `--trop-prune-dominated` propagates bounds
// through. Tropical ones are exact (⊕ does not round, ⊗ rounds
// monotonically); linear ones add a worst-case rounding margin valid for any
// summation order, so the bounds hold whatever kernel the pipeline picks.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/Utils/IntervalBounds.h"

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/Utils/LayerMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::trop;

static APFloat toType(FloatType type, double v, llvm::RoundingMode mode) {
  return fromDouble(v, type.getFloatSemantics(), mode);
}

double mlir::trop::foldAdd(SemiringKind kind, double lhs, double rhs) {
  return toDouble(foldAdd(kind, APFloat(lhs), APFloat(rhs)));
}

std::optional<Interval> mlir::trop::narrowToType(FloatType elementType,
                                                 double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi) || lo > hi)
    return std::nullopt;
  double l =
      toDouble(toType(elementType, lo, llvm::RoundingMode::TowardPositive));
  double h =
      toDouble(toType(elementType, hi, llvm::RoundingMode::TowardNegative));
  if (!std::isfinite(l) || !std::isfinite(h) || l > h)
    return std::nullopt;
  return Interval{l, h};
}

/// Per-column bounds of a constant of shape [..., N]: the min and max over
/// every other index. Nothing if any element is NaN.
static std::optional<ColumnBounds> boundsOfConstant(DenseElementsAttr values,
                                                    int64_t numCols) {
  auto type = cast<ShapedType>(values.getType());
  if (!isa<FloatType>(type.getElementType()) || type.getRank() == 0 ||
      type.getShape().back() != numCols || numCols == 0)
    return std::nullopt;
  ColumnBounds bounds;
  bounds.columns.assign(numCols, {std::numeric_limits<double>::infinity(),
                                  -std::numeric_limits<double>::infinity()});
  int64_t i = 0;
  for (APFloat v : values.getValues<APFloat>()) {
    if (v.isNaN())
      return std::nullopt;
    double d = toDouble(v);
    Interval &column = bounds.columns[i++ % numCols];
    column.lo = std::min(column.lo, d);
    column.hi = std::max(column.hi, d);
  }
  return bounds;
}

/// The constant or known bounds of a value broadcast along rows into the
/// init: the input must be 1-D of `numCols` elements.
static std::optional<ColumnBounds> boundsOfRow(Value row, int64_t numCols,
                                               const BoundsMap &known) {
  auto type = dyn_cast<RankedTensorType>(row.getType());
  if (!type || type.getRank() != 1 || type.getDimSize(0) != numCols)
    return std::nullopt;
  return boundsOfInit(row, numCols, known);
}

/// Whether `value` is bounded already, as a known value or a constant; then
/// `bounds` are its bounds (nothing when they do not fit `numCols`).
static bool lookUpBounds(Value value, int64_t numCols, const BoundsMap &known,
                         std::optional<ColumnBounds> &bounds) {
  bounds = std::nullopt;
  if (auto it = known.find(value); it != known.end()) {
    if (it->second.fits(numCols))
      bounds = it->second;
    return true;
  }
  DenseElementsAttr values;
  if (!matchPattern(value, m_Constant(&values)))
    return false;
  bounds = boundsOfConstant(values, numCols);
  return true;
}

std::optional<ColumnBounds>
mlir::trop::boundsOfInit(Value init, int64_t numCols, const BoundsMap &known) {
  std::optional<ColumnBounds> bounds;
  if (lookUpBounds(init, numCols, known, bounds))
    return bounds;

  Operation *def = init.getDefiningOp();
  if (!def)
    return std::nullopt;
  if (auto fill = dyn_cast<linalg::FillOp>(def)) {
    FloatAttr scalar;
    if (!matchPattern(fill.value(), m_Constant(&scalar)) ||
        scalar.getValue().isNaN())
      return std::nullopt;
    double d = toDouble(scalar.getValue());
    return ColumnBounds{{Interval{d, d}}};
  }
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(def)) {
    auto resultType = cast<ShapedType>(broadcast.getInit().getType());
    if (resultType.getRank() != 2 ||
        broadcast.getDimensions() != ArrayRef<int64_t>{0})
      return std::nullopt;
    return boundsOfRow(broadcast.getInput(), numCols, known);
  }
  // A generic that copies a vector into every row: one input read at (j),
  // the output written at (i, j), a body that yields the input.
  if (auto generic = dyn_cast<linalg::GenericOp>(def)) {
    if (generic.getNumDpsInputs() != 1 || generic.getNumDpsInits() != 1 ||
        generic.getNumParallelLoops() != generic.getNumLoops() ||
        generic.getNumLoops() != 2)
      return std::nullopt;
    SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
    MLIRContext *ctx = generic.getContext();
    AffineMap row = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
    if (maps[0] != row || !maps[1].isIdentity())
      return std::nullopt;
    Block &body = generic.getRegion().front();
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    if (body.getOperations().size() != 1 ||
        yield.getValues().front() != body.getArgument(0))
      return std::nullopt;
    return boundsOfRow(generic.getDpsInputs().front(), numCols, known);
  }
  return std::nullopt;
}

/// Whether every interval is finite; bounds are only recorded then, so no
/// transfer function ever meets ±∞ (where −∞ + ∞ would be NaN).
static std::optional<ColumnBounds> ifFinite(ColumnBounds bounds) {
  for (const Interval &i : bounds.columns)
    if (!std::isfinite(i.lo) || !std::isfinite(i.hi))
      return std::nullopt;
  return bounds;
}

std::optional<ColumnBounds>
mlir::trop::tropicalMatmulBounds(MatmulOp op, const ColumnBounds &input,
                                 DenseElementsAttr weights,
                                 const BoundsMap &known) {
  auto type = cast<ShapedType>(weights.getType());
  auto elementType = cast<FloatType>(type.getElementType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  std::optional<ColumnBounds> init = boundsOfInit(op.getInit(), cols, known);
  if (!init || !input.fits(rows))
    return std::nullopt;
  SemiringKind kind = op.getSemiring();
  SmallVector<double> w;
  for (APFloat v : weights.getValues<APFloat>()) {
    if (v.isNaN())
      return std::nullopt;
    w.push_back(toDouble(v));
  }
  ColumnBounds result;
  for (int64_t n = 0; n < cols; ++n) {
    Interval out = init->at(n);
    for (int64_t k = 0; k < rows; ++k) {
      double weight = w[k * cols + n];
      out.lo = foldAdd(kind, out.lo,
                       foldMul(kind, elementType, weight, input.at(k).lo));
      out.hi = foldAdd(kind, out.hi,
                       foldMul(kind, elementType, weight, input.at(k).hi));
    }
    result.columns.push_back(out);
  }
  return ifFinite(std::move(result));
}

std::optional<ColumnBounds>
mlir::trop::linearMatmulBounds(linalg::MatmulOp op, const ColumnBounds &input,
                               DenseElementsAttr weights,
                               const BoundsMap &known) {
  auto type = cast<ShapedType>(weights.getType());
  auto elementType = dyn_cast<FloatType>(type.getElementType());
  if (!elementType || op.hasUserDefinedMaps() || op.getNumDpsInits() != 1 ||
      type.getRank() != 2)
    return std::nullopt;
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  std::optional<ColumnBounds> init =
      boundsOfInit(op.getDpsInits().front(), cols, known);
  if (!init || !input.fits(rows))
    return std::nullopt;
  // Mixed precision (inputs cast to the accumulator type) is not analysed.
  for (Value operand : op->getOperands())
    if (getElementTypeOrSelf(operand.getType()) != elementType)
      return std::nullopt;
  if (op->getNumResults() != 1 ||
      getElementTypeOrSelf(op->getResult(0).getType()) != elementType)
    return std::nullopt;

  // |computed − exact| <= γ_n · Σ|terms| for a sum of n = K + 1 rounded
  // products in any order (Higham, Accuracy and Stability, §3.1), plus an
  // absolute slack per term for underflow (also with flush-to-zero). The
  // margin is taken four times over to cover the double arithmetic here.
  const llvm::fltSemantics &sem = elementType.getFloatSemantics();
  double u =
      std::ldexp(1.0, -static_cast<int>(APFloat::semanticsPrecision(sem)));
  double n = static_cast<double>(rows + 1);
  if (n * u >= 0.5)
    return std::nullopt;
  double gamma = n * u / (1.0 - n * u);
  double tiny = toDouble(APFloat::getSmallestNormalized(sem));

  SmallVector<double> w;
  for (APFloat v : weights.getValues<APFloat>()) {
    if (!v.isFinite())
      return std::nullopt;
    w.push_back(toDouble(v));
  }
  ColumnBounds result;
  for (int64_t c = 0; c < cols; ++c) {
    Interval bias = init->at(c);
    double lo = bias.lo, hi = bias.hi;
    double magnitude = std::max(std::fabs(bias.lo), std::fabs(bias.hi));
    for (int64_t k = 0; k < rows; ++k) {
      double wk = w[k * cols + c];
      double a = wk * input.at(k).lo, b = wk * input.at(k).hi;
      lo += std::min(a, b);
      hi += std::max(a, b);
      magnitude += std::max(std::fabs(a), std::fabs(b));
    }
    double margin = 4.0 * (gamma * magnitude + n * tiny);
    APFloat l =
        toType(elementType, lo - margin, llvm::RoundingMode::TowardNegative);
    APFloat h =
        toType(elementType, hi + margin, llvm::RoundingMode::TowardPositive);
    result.columns.push_back({toDouble(l), toDouble(h)});
  }
  return ifFinite(std::move(result));
}

/// Bounds of a generic's input, per column of the 2-D iteration space.
static std::optional<ColumnBounds>
boundsOfGenericInput(Value input, AffineMap map, int64_t numCols,
                     const BoundsMap &known) {
  MLIRContext *ctx = map.getContext();
  AffineMap row = AffineMap::get(2, 0, {getAffineDimExpr(1, ctx)}, ctx);
  if (!map.isIdentity() && map != row)
    return std::nullopt;
  std::optional<ColumnBounds> bounds;
  lookUpBounds(input, numCols, known, bounds);
  return bounds;
}

/// `op` applied to every corner of its operands' intervals, rounded in
/// `type`: the hull of the results. Nothing for unsupported ops, NaN, or a
/// division by an interval containing zero.
static std::optional<Interval> evaluate(Operation *op, FloatType type,
                                        ArrayRef<Interval> operands) {
  if (auto fastmath = dyn_cast<arith::ArithFastMathInterface>(op))
    if (fastmath.getFastMathFlagsAttr().getValue() !=
        arith::FastMathFlags::none)
      return std::nullopt;
  auto round = [&](double v) {
    return toType(type, v, llvm::RoundingMode::NearestTiesToEven);
  };
  auto binary = [&](auto fn) -> std::optional<Interval> {
    Interval result{std::numeric_limits<double>::infinity(),
                    -std::numeric_limits<double>::infinity()};
    for (double a : {operands[0].lo, operands[0].hi}) {
      for (double b : {operands[1].lo, operands[1].hi}) {
        std::optional<double> v = fn(round(a), round(b));
        if (!v || std::isnan(*v))
          return std::nullopt;
        result.lo = std::min(result.lo, *v);
        result.hi = std::max(result.hi, *v);
      }
    }
    return result;
  };
  constexpr auto rm = llvm::RoundingMode::NearestTiesToEven;
  if (isa<arith::AddFOp>(op))
    return binary([&](APFloat a, APFloat b) -> std::optional<double> {
      a.add(b, rm);
      return toDouble(a);
    });
  if (isa<arith::SubFOp>(op))
    return binary([&](APFloat a, APFloat b) -> std::optional<double> {
      a.subtract(b, rm);
      return toDouble(a);
    });
  if (isa<arith::MulFOp>(op))
    return binary([&](APFloat a, APFloat b) -> std::optional<double> {
      a.multiply(b, rm);
      return toDouble(a);
    });
  if (isa<arith::DivFOp>(op)) {
    if (operands[1].lo <= 0.0 && operands[1].hi >= 0.0)
      return std::nullopt;
    return binary([&](APFloat a, APFloat b) -> std::optional<double> {
      a.divide(b, rm);
      return toDouble(a);
    });
  }
  if (isa<arith::MaximumFOp, arith::MaxNumFOp>(op))
    return Interval{std::max(operands[0].lo, operands[1].lo),
                    std::max(operands[0].hi, operands[1].hi)};
  if (isa<arith::MinimumFOp, arith::MinNumFOp>(op))
    return Interval{std::min(operands[0].lo, operands[1].lo),
                    std::min(operands[0].hi, operands[1].hi)};
  if (isa<arith::NegFOp>(op))
    return Interval{-operands[0].hi, -operands[0].lo};
  return std::nullopt;
}

std::optional<ColumnBounds>
mlir::trop::elementwiseBounds(linalg::GenericOp op, const BoundsMap &known) {
  if (op.getNumDpsInits() != 1 || op->getNumResults() != 1 ||
      op.getNumLoops() != 2 || op.getNumParallelLoops() != op.getNumLoops())
    return std::nullopt;
  auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!resultType || !resultType.hasStaticShape())
    return std::nullopt;
  auto elementType = dyn_cast<FloatType>(resultType.getElementType());
  if (!elementType)
    return std::nullopt;
  int64_t numCols = resultType.getDimSize(1);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (!maps.back().isIdentity())
    return std::nullopt;

  Block &body = op.getRegion().front();
  // The output's block argument must be unused: its value is not bounded.
  if (!body.getArguments().back().use_empty())
    return std::nullopt;
  SmallVector<ColumnBounds> inputs;
  for (auto [input, map] : llvm::zip(op.getDpsInputs(), maps)) {
    if (getElementTypeOrSelf(input.getType()) != elementType)
      return std::nullopt;
    std::optional<ColumnBounds> bounds =
        boundsOfGenericInput(input, map, numCols, known);
    if (!bounds)
      return std::nullopt;
    inputs.push_back(std::move(*bounds));
  }

  ColumnBounds result;
  for (int64_t n = 0; n < numCols; ++n) {
    DenseMap<Value, Interval> values;
    for (auto [arg, bounds] : llvm::zip(body.getArguments(), inputs))
      values[arg] = bounds.at(n);
    for (Operation &inner : body.without_terminator()) {
      // A ReLU written as cmpf + select (LayerMatch.h): max(x, 0) on bounds;
      // its compare is only read by such selects.
      if (isa<arith::CmpFOp>(inner) &&
          llvm::all_of(inner.getUsers(), [](Operation *user) {
            return isa<arith::SelectOp>(user) && matchRelu(user->getResult(0));
          }))
        continue;
      if (isa<arith::SelectOp>(inner)) {
        std::optional<ReluMatch> relu = matchRelu(inner.getResult(0));
        auto it = relu ? values.find(relu->input) : values.end();
        if (it == values.end())
          return std::nullopt;
        values[inner.getResult(0)] = {std::max(it->second.lo, 0.0),
                                      std::max(it->second.hi, 0.0)};
        continue;
      }
      if (inner.getNumResults() != 1 ||
          inner.getResult(0).getType() != elementType)
        return std::nullopt;
      FloatAttr constant;
      if (matchPattern(inner.getResult(0), m_Constant(&constant))) {
        if (constant.getValue().isNaN())
          return std::nullopt;
        double d = toDouble(constant.getValue());
        values[inner.getResult(0)] = {d, d};
        continue;
      }
      SmallVector<Interval> operands;
      for (Value operand : inner.getOperands()) {
        auto it = values.find(operand);
        // A scalar constant defined outside the body.
        if (it == values.end()) {
          FloatAttr outer;
          if (!matchPattern(operand, m_Constant(&outer)) ||
              outer.getValue().isNaN() || operand.getType() != elementType)
            return std::nullopt;
          double d = toDouble(outer.getValue());
          operands.push_back({d, d});
          continue;
        }
        operands.push_back(it->second);
      }
      if (operands.empty() || operands.size() > 2)
        return std::nullopt;
      std::optional<Interval> interval =
          evaluate(&inner, elementType, operands);
      if (!interval)
        return std::nullopt;
      values[inner.getResult(0)] = *interval;
    }
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    auto it = values.find(yield.getValues().front());
    if (it == values.end())
      return std::nullopt;
    result.columns.push_back(it->second);
  }
  return ifFinite(std::move(result));
}
