//===- PruneDominated.cpp - Exact interval-dominance pruning --------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Given bounds on a network's inputs, sets to 𝟘 every constant tropical
// weight whose term provably never decides its output's ⊕, so results within
// the bounds stay bit-identical (the argument is in Passes.td). Bounds flow
// forward through the matmuls so later layers prune too (IntervalBounds.h).
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/Utils/IntervalBounds.h"
#include "trop/Dialect/Trop/Utils/PassReport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPPRUNEDOMINATED
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

/// The argument attribute that carries input bounds.
static constexpr StringLiteral kBoundsAttr = "trop.bounds";

/// A bound as a user wrote it (shortest round-trip form, not %e).
static std::string formatBound(double v) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", v);
  return text;
}

namespace {

/// The walk of pruneDominatedWeights over one function: bounds flow forward
/// from its arguments through the matmuls and elementwise ops, and every
/// tropical layer on the way is pruned with the bounds of its input.
class DominancePruner {
public:
  DominancePruner(ArrayRef<double> inputBounds, PruneDominatedReport &result,
                  raw_ostream &os)
      : inputBounds(inputBounds), result(result), os(os) {}

  LogicalResult prune(FunctionOpInterface function) {
    BoundsMap known;
    if (failed(seedArguments(function, known)))
      return failure();
    function->walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto matmul = dyn_cast<MatmulOp>(op)) {
        os << "layer " << layerIndex++ << " "
           << stringifySemiringKind(matmul.getSemiring()) << " at "
           << op->getLoc() << ": ";
        visitTropical(matmul, known);
      } else if (auto linear = dyn_cast<linalg::MatmulOp>(op)) {
        visitLinear(linear, known);
      } else if (auto generic = dyn_cast<linalg::GenericOp>(op)) {
        if (std::optional<ColumnBounds> bounds =
                elementwiseBounds(generic, known))
          known[generic->getResult(0)] = std::move(*bounds);
      }
    });
    return success();
  }

private:
  ArrayRef<double> inputBounds;
  PruneDominatedReport &result;
  raw_ostream &os;
  int64_t layerIndex = 0;

  /// Bounds of the function's arguments: `trop.bounds` where present, else
  /// `input-bounds` for float tensors that some matmul takes as its input.
  LogicalResult seedArguments(FunctionOpInterface function, BoundsMap &known) {
    for (unsigned i = 0, e = function.getNumArguments(); i < e; ++i) {
      BlockArgument arg = function.getArgument(i);
      auto type = dyn_cast<RankedTensorType>(arg.getType());
      auto elementType =
          type ? dyn_cast<FloatType>(type.getElementType()) : FloatType();
      Attribute attr = function.getArgAttr(i, kBoundsAttr);
      if (attr) {
        auto values = dyn_cast<DenseF64ArrayAttr>(attr);
        int64_t last = type && type.getRank() > 0 ? type.getShape().back() : 1;
        if (!elementType || !values ||
            (values.size() != 2 &&
             (ShapedType::isDynamic(last) || values.size() != 2 * last))) {
          return function.emitError()
                 << "trop-prune-dominated: argument " << i << ": "
                 << kBoundsAttr
                 << " must be array<f64: lo, hi> or one lo, hi pair per "
                    "index of the last dimension, on a float tensor";
        }
        ColumnBounds bounds;
        for (int64_t j = 0, n = values.size() / 2; j < n; ++j) {
          std::optional<Interval> interval =
              narrowToType(elementType, values.asArrayRef()[2 * j],
                           values.asArrayRef()[2 * j + 1]);
          if (!interval)
            return function.emitError()
                   << "trop-prune-dominated: argument " << i << ": bounds ["
                   << formatBound(values.asArrayRef()[2 * j]) << ", "
                   << formatBound(values.asArrayRef()[2 * j + 1])
                   << "] must be finite, with lo <= hi, and contain a value "
                      "of "
                   << elementType;
          bounds.columns.push_back(*interval);
        }
        known[arg] = std::move(bounds);
        continue;
      }
      if (inputBounds.empty() || !elementType || !isMatmulInput(arg))
        continue;
      std::optional<Interval> interval =
          narrowToType(elementType, inputBounds[0], inputBounds[1]);
      if (!interval)
        return function.emitError()
               << "trop-prune-dominated: input-bounds contain no value of "
               << elementType;
      known[arg] = ColumnBounds{{*interval}};
    }
    return success();
  }

  static bool isMatmulInput(Value value) {
    return llvm::any_of(value.getUses(), [](OpOperand &use) {
      return use.getOperandNumber() == 0 &&
             isa<MatmulOp, linalg::MatmulOp>(use.getOwner());
    });
  }

  void visitLinear(linalg::MatmulOp op, BoundsMap &known) {
    auto input = known.find(op.getDpsInputs()[0]);
    std::optional<WeightLayer> layer = matchPrunableLayer(op);
    if (input == known.end() || !layer || op->getNumResults() != 1)
      return;
    if (std::optional<ColumnBounds> bounds =
            linearMatmulBounds(op, input->second, layer->weights, known))
      known[op->getResult(0)] = std::move(*bounds);
  }

  /// Prunes `op` with the bounds of its input, writes its report line and
  /// records the bounds of its result.
  void visitTropical(MatmulOp op, BoundsMap &known) {
    std::optional<WeightLayer> layer = matchPrunableLayer(op);
    if (!layer) {
      os << "skipped (weights are not a float constant)\n";
      return;
    }
    if (!op.getResult()) {
      os << "skipped (memref form)\n";
      return;
    }
    auto input = known.find(op.getLhs());
    if (input == known.end()) {
      os << "skipped (no input bounds)\n";
      return;
    }
    DenseElementsAttr values = layer->weights;
    int64_t rows = layer->k, cols = layer->n;
    if (!input->second.fits(rows)) {
      os << "skipped (input bounds do not match " << rows << " rows)\n";
      return;
    }
    // Bounds of the result, from the weights before pruning: pruning removes
    // only terms that never decide the result, so they stay valid.
    std::optional<ColumnBounds> resultBounds =
        tropicalMatmulBounds(op, input->second, values, known);

    SemiringKind kind = op.getSemiring();
    int64_t before = countPruned(values, kind);
    DenseElementsAttr pruned = pruneDominated(op, input->second, values, known);
    int64_t after = countPruned(pruned, kind);
    int64_t numel = rows * cols;
    result.numWeights += numel;
    result.numRemoved += after - before;
    os << numel << " weights, " << before << " 𝟘 before, " << after - before
       << " removed, " << after << " 𝟘 after ("
       << llvm::format("%.2f", numel ? 100.0 * after / numel : 0.0)
       << " % sparse)\n";

    if (pruned != values)
      replaceConstantOperand(op.getRhsMutable(), pruned);
    if (resultBounds)
      known[op.getResult()] = std::move(*resultBounds);
  }

  /// `values` with every dominated weight set to 𝟘.
  static DenseElementsAttr pruneDominated(MatmulOp op, const ColumnBounds &x,
                                          DenseElementsAttr values,
                                          const BoundsMap &known) {
    auto type = cast<ShapedType>(values.getType());
    auto elementType = cast<FloatType>(type.getElementType());
    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    SemiringKind kind = op.getSemiring();
    bool isMax = isMaxSemiring(kind);
    std::optional<ColumnBounds> init = boundsOfInit(op.getInit(), cols, known);

    SmallVector<APFloat> weights = floatsOf(values);
    SmallVector<double> w = doublesOf(values);
    APFloat zeroValue = getFloatZero(kind, elementType);

    for (int64_t n = 0; n < cols; ++n) {
      auto at = [&](int64_t k) { return w[k * cols + n]; };
      bool hasNaN = false;
      for (int64_t k = 0; k < rows; ++k)
        hasNaN |= std::isnan(at(k));
      if (hasNaN)
        continue;
      // The value the column's ⊕ is guaranteed to reach: from the initial
      // value, or the best worst case of a term (x at its lower bound for
      // max, its upper bound for min).
      double witness = toDouble(zeroValue);
      if (init)
        witness = isMax ? init->at(n).lo : init->at(n).hi;
      for (int64_t k = 0; k < rows; ++k) {
        if (isZero(kind, at(k)))
          continue;
        double worst = isMax ? x.at(k).lo : x.at(k).hi;
        witness =
            foldAdd(kind, witness, foldMul(kind, elementType, at(k), worst));
      }
      // Strictly worse than the witness on every input within the bounds.
      for (int64_t k = 0; k < rows; ++k) {
        if (isZero(kind, at(k)))
          continue;
        double best =
            foldMul(kind, elementType, at(k), isMax ? x.at(k).hi : x.at(k).lo);
        if (isMax ? best < witness : best > witness)
          weights[k * cols + n] = zeroValue;
      }
    }
    return DenseElementsAttr::get(values.getType(), weights);
  }
};

} // namespace

FailureOr<PruneDominatedReport>
mlir::trop::pruneDominatedWeights(ModuleOp module,
                                  const PruneDominatedOptions &options) {
  ArrayRef<double> inputBounds = options.inputBounds;
  if (!inputBounds.empty() &&
      (inputBounds.size() != 2 || !std::isfinite(inputBounds[0]) ||
       !std::isfinite(inputBounds[1]) || inputBounds[0] > inputBounds[1])) {
    mlir::emitError(module.getLoc())
        << "trop-prune-dominated: input-bounds must be two finite numbers "
           "lo,hi with lo <= hi";
    return failure();
  }

  PruneDominatedReport result;
  llvm::raw_string_ostream os(result.text);
  os << "trop-prune-dominated: exact within the input bounds\n";
  DominancePruner pruner(inputBounds, result, os);
  WalkResult walk = module->walk([&](FunctionOpInterface function) {
    // Declarations have no body to analyse (nor arguments to seed).
    if (function.isExternal() || succeeded(pruner.prune(function)))
      return WalkResult::advance();
    return WalkResult::interrupt();
  });
  if (walk.wasInterrupted())
    return failure();
  os << "total: " << result.numWeights << " weights analysed, "
     << result.numRemoved << " removed\n";
  return result;
}

namespace {

struct TropPruneDominatedPass
    : public trop::impl::TropPruneDominatedBase<TropPruneDominatedPass> {
  using Base::Base;

  void runOnOperation() override {
    PruneDominatedOptions options;
    options.inputBounds.assign(inputBounds.begin(), inputBounds.end());
    if (failed(writeReport(pruneDominatedWeights(getOperation(), options),
                           report, getOperation()->getLoc(),
                           "trop-prune-dominated")))
      signalPassFailure();
  }
};

} // namespace
