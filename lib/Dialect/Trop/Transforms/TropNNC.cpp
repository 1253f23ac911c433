//===- TropNNC.cpp - Data-free compression of ReLU blocks (TropNNC) -------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Paper B (TropNNC): Linear → (affine) → ReLU → Linear and the Conv2d
// analogue, with constant weights, lose hidden neurons: dead ones, positive
// multiples (exactly), then k-means clusters of directions (approximately,
// with a recorded bound). This file matches the IR and rewrites it; the
// numbers come from TropNNCMerge.cpp. docs/tropnnc.md has the derivation.
//
//===----------------------------------------------------------------------===//

#include "TropNNCMatch.h"
#include "TropNNCMerge.h"

#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"
#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/Utils/PassReport.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPNNC
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

/// Erases each of `roots` if nothing uses it and it has no effects, then the
/// producers of their operands likewise (until nothing more can go: an op
/// shared by two erased ones becomes dead only after both).
static void eraseIfDead(ArrayRef<Operation *> roots,
                        llvm::DenseSet<Operation *> &erased) {
  // One worklist for all roots: erasing one root's chain may erase another
  // root (a weight constant the producer and the consumer share).
  llvm::SetVector<Operation *> worklist;
  llvm::DenseSet<Operation *> gone;
  for (Operation *op : roots)
    if (op)
      worklist.insert(op);
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t i = 0; i < worklist.size(); ++i) {
      Operation *candidate = worklist[i];
      if (gone.contains(candidate) || !candidate->use_empty() ||
          !isMemoryEffectFree(candidate) ||
          candidate->hasTrait<OpTrait::IsTerminator>())
        continue;
      for (Value v : candidate->getOperands())
        if (Operation *def = v.getDefiningOp())
          worklist.insert(def);
      gone.insert(candidate);
      erased.insert(candidate);
      candidate->erase();
      progress = true;
    }
  }
}

/// Compresses the matched block `m` and rewrites it (or, with nothing to
/// remove, only records its bound), reporting it as block `index`.
static void rewrite(tropnnc::BlockMatch &m,
                    const CompressReluBlocksOptions &opts,
                    llvm::DenseSet<Operation *> &erased, llvm::raw_ostream &os,
                    int64_t index) {
  const llvm::fltSemantics &sem = m.elementType.getFloatSemantics();
  auto round = [&](double v) { return toDouble(fromDouble(v, sem)); };
  tropnnc::Options options;
  options.keepRatio = opts.keepRatio;
  options.seed = opts.seed;
  options.inputRadius = opts.inputRadius;
  options.maxIterations = opts.maxIterations;
  options.mergeTolerance =
      opts.mergeTolerance >= 0
          ? opts.mergeTolerance
          : std::min(1e-3,
                     16.0 * std::ldexp(1.0, 1 - static_cast<int>(
                                                    APFloat::semanticsPrecision(
                                                        sem))));
  tropnnc::Result r = tropnnc::compress(m.block, options, round);
  const tropnnc::Block &block = m.block;
  if (!llvm::all_of(r.rows, [](double v) { return std::isfinite(v); }) ||
      !llvm::all_of(r.cols, [](double v) { return std::isfinite(v); }) ||
      !std::isfinite(r.bound)) {
    m.consumer->emitWarning("trop-tropnnc: merged weights overflow ")
        << m.elementType << ", block left unchanged";
    return;
  }

  Builder b(m.consumer->getContext());
  NamedAttrList info;
  info.append("bound", b.getF64FloatAttr(r.bound));
  info.append("bounds", b.getDenseF64ArrayAttr(r.outputBounds));
  info.append("dead", b.getI64IntegerAttr(r.dead));
  info.append("directions", b.getI64IntegerAttr(r.directions));
  info.append("exact", b.getBoolAttr(!r.clustered));
  info.append("kept", b.getI64IntegerAttr(r.numNeurons));
  info.append("original", b.getI64IntegerAttr(block.numNeurons));
  info.append("rho", b.getF64FloatAttr(r.rho));
  os << "block " << index << " " << (m.conv ? "conv" : "linear") << " at "
     << m.consumer->getLoc() << ": " << block.numNeurons << " -> "
     << r.numNeurons << " neurons (" << r.dead << " dead, " << r.directions
     << " directions, " << (r.clustered ? "clustered" : "exact") << "), rho "
     << llvm::format("%g", r.rho) << ", bound " << llvm::format("%.6g", r.bound)
     << "\n";

  // Nothing to remove and nothing to fold: keep the IR, record the bound.
  if (r.numNeurons == block.numNeurons && m.bare) {
    m.consumer->setAttr("trop.tropnnc", info.getDictionary(b.getContext()));
    return;
  }

  const int64_t k = r.numNeurons, d = block.rowSize - 1;
  OpBuilder builder(m.consumer);
  Location loc = m.producer->getLoc();
  auto dense = [&](ArrayRef<int64_t> shape, auto &&valueAt) {
    auto type = RankedTensorType::get(shape, m.elementType);
    SmallVector<APFloat> values;
    int64_t count = type.getNumElements();
    values.reserve(count);
    for (int64_t i = 0; i < count; ++i)
      values.push_back(fromDouble(valueAt(i), sem));
    return arith::ConstantOp::create(builder, loc,
                                     DenseElementsAttr::get(type, values));
  };
  // W1': (D × K) or (KH × KW × C × K), the input index i of neuron c at
  // i·K + c; W2': (K × M) or (KH2 × KW2 × K × O).
  SmallVector<int64_t> w1Shape = m.w1Shape, w2Shape = m.w2Shape;
  w1Shape.back() = k;
  w2Shape[w2Shape.size() - 2] = k;
  auto w1 = dense(w1Shape, [&](int64_t e) {
    return r.rows[(e % k) * block.rowSize + e / k];
  });
  auto bias =
      dense({k}, [&](int64_t c) { return r.rows[c * block.rowSize + d]; });
  const int64_t outs = block.numOutputs;
  auto w2 = dense(w2Shape, [&](int64_t e) {
    int64_t o = e % outs, c = (e / outs) % k, p = e / (outs * k);
    return r.cols[c * block.colSize + p * outs + o];
  });

  // init = broadcast(b'), z' = producer(x, W1', init), h' = ReLU(z').
  auto producer = cast<DestinationStyleOpInterface>(m.producer);
  Value x = producer.getDpsInputs()[0];
  auto oldHidden = cast<RankedTensorType>(m.relu->getResult(0).getType());
  SmallVector<int64_t> hiddenShape = llvm::to_vector(oldHidden.getShape());
  hiddenShape.back() = k;
  auto hiddenType = RankedTensorType::get(hiddenShape, m.elementType);
  SmallVector<Value> dynamicSizes;
  if (hiddenType.isDynamicDim(0))
    dynamicSizes.push_back(tensor::DimOp::create(builder, loc, x, 0));
  auto empty = [&]() {
    return tensor::EmptyOp::create(builder, loc, hiddenType, dynamicSizes);
  };
  SmallVector<int64_t> broadcastDims =
      llvm::to_vector(llvm::seq<int64_t>(0, hiddenType.getRank() - 1));
  auto init =
      linalg::BroadcastOp::create(builder, loc, bias, empty(), broadcastDims);
  Operation *newProducer = builder.clone(*m.producer);
  newProducer->setOperand(1, w1);
  newProducer->setOperand(2, init->getResult(0));
  newProducer->getResult(0).setType(hiddenType);
  int64_t rank = hiddenType.getRank();
  SmallVector<AffineMap> maps(2, builder.getMultiDimIdentityMap(rank));
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto relu = linalg::GenericOp::create(
      builder, m.relu->getLoc(), TypeRange{hiddenType},
      ValueRange{newProducer->getResult(0)}, ValueRange{empty()}, maps,
      iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value zero = arith::ConstantOp::create(
            nb, l, nb.getFloatAttr(m.elementType, 0.0));
        Value max = arith::MaximumFOp::create(nb, l, args[0], zero);
        linalg::YieldOp::create(nb, l, max);
      });

  Operation *oldW2 = m.consumer->getOperand(1).getDefiningOp();
  m.consumer->setOperand(0, relu.getResult(0));
  m.consumer->setOperand(1, w2);
  m.consumer->setAttr("trop.tropnnc", info.getDictionary(b.getContext()));
  eraseIfDead({m.relu, oldW2}, erased);
}

FailureOr<CompressReluBlocksReport>
mlir::trop::compressReluBlocks(ModuleOp module,
                               const CompressReluBlocksOptions &options) {
  Location loc = module.getLoc();
  if (!(options.keepRatio > 0.0 && options.keepRatio <= 1.0)) {
    mlir::emitError(loc) << "trop-tropnnc: keep-ratio must be in (0, 1]";
    return failure();
  }
  if (!(options.inputRadius >= 0.0) || std::isinf(options.inputRadius)) {
    mlir::emitError(loc)
        << "trop-tropnnc: input-radius must be finite and >= 0";
    return failure();
  }
  if (options.maxIterations < 1) {
    mlir::emitError(loc) << "trop-tropnnc: max-iterations must be >= 1";
    return failure();
  }

  SmallVector<Operation *> consumers;
  module->walk([&](Operation *op) {
    if (tropnnc::isBlockConsumer(op))
      consumers.push_back(op);
  });
  CompressReluBlocksReport result;
  llvm::raw_string_ostream os(result.text);
  os << "trop-tropnnc: keep-ratio=" << llvm::format("%g", options.keepRatio)
     << " input-radius=" << llvm::format("%g", options.inputRadius)
     << " seed=" << options.seed << "\n";
  llvm::DenseSet<Operation *> erased;
  auto isFinite = [](double v) { return std::isfinite(v); };
  for (Operation *consumer : consumers) {
    if (erased.contains(consumer))
      continue;
    std::optional<tropnnc::BlockMatch> match = tropnnc::matchBlock(consumer);
    if (!match)
      continue;
    if (!llvm::all_of(match->block.rows, isFinite) ||
        !llvm::all_of(match->block.cols, isFinite)) {
      consumer->emitWarning(
          "trop-tropnnc: non-finite weights, block left unchanged");
      continue;
    }
    rewrite(*match, options, erased, os, result.numBlocks++);
  }
  return result;
}

namespace {

struct TropNNCPass : public trop::impl::TropNNCBase<TropNNCPass> {
  using Base::Base;

  void runOnOperation() override {
    CompressReluBlocksOptions options;
    options.keepRatio = keepRatio;
    options.seed = seed;
    options.inputRadius = inputRadius;
    options.mergeTolerance = mergeTolerance;
    options.maxIterations = maxIterations;
    if (failed(writeReport(compressReluBlocks(getOperation(), options), report,
                           getOperation()->getLoc(), "trop-tropnnc")))
      signalPassFailure();
  }
};

} // namespace
