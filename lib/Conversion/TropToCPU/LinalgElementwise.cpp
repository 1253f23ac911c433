//===- LinalgElementwise.cpp - Elementwise linalg ops as vector loops -----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The elementwise layers of a network (bias add, BatchNorm's affine map,
// ReLU, per-channel scales, residual adds) reach the CPU pipeline as
// linalg.generic (or named elementwise linalg ops) on memrefs, which linalg's
// own lowering turns into scalar loops. Here they become loops over the
// outer dimensions (an scf.parallel when the op is split over tasks) around
// a loop over the innermost one in whole vectors, then the remainder in
// one-lane vectors (no masks: see ConvEmitter.cpp). Operands indexed by the
// innermost dimension are loaded as vectors; the others (a per-channel
// bias over rows, a per-row scale) as one scalar broadcast per vector. The
// body is cloned on vectors, op by op, so each element gets exactly the
// operations of linalg's loops: results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "Elementwise.h"
#include "Epilogue.h"
#include "KernelBuilder.h"
#include "PopulatePatterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

/// Whether values of `type` can live in vectors here: ints and floats other
/// than i1 in memory (bytes there, bits in vectors) and the half types
/// (left to their own lowerings).
static bool isVectorizableMemoryType(Type type) {
  if (auto intType = dyn_cast<IntegerType>(type))
    return intType.getWidth() >= 8 && intType.getWidth() <= 64;
  return isa<Float32Type, Float64Type>(type);
}

bool trop::isVectorizableElementwise(linalg::LinalgOp op) {
  if (!op.hasPureBufferSemantics() || op.getNumLoops() == 0 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      op->getNumRegions() != 1 || op.getNumDpsInits() == 0)
    return false;
  unsigned inner = op.getNumLoops() - 1;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<MemRefType>(operand.get().getType());
    if (!type || !isVectorizableMemoryType(type.getElementType()))
      return false;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/true))
      return false;
    bool usesInner = map.isFunctionOfDim(inner);
    bool isInit = op.isDpsInit(&operand);
    // Outputs are written whole vectors at a time along the inner loop.
    if ((isInit && (!usesInner || !map.isPermutation())) ||
        (usesInner &&
         (map.getResults().back() != getAffineDimExpr(inner, op.getContext()) ||
          !hasUnitInnerStride(operand.get()))))
      return false;
  }
  for (Operation &bodyOp : op.getBlock()->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(bodyOp)) {
      if (!constant.getType().isIntOrFloat())
        return false;
      continue;
    }
    if (!isa<arith::ArithDialect, math::MathDialect>(bodyOp.getDialect()) ||
        !OpTrait::hasElementwiseMappableTraits(&bodyOp) ||
        bodyOp.getNumRegions() != 0)
      return false;
    for (Type type : bodyOp.getResultTypes())
      if (!type.isIntOrFloat() || type.isBF16() || type.isF16())
        return false;
  }
  return true;
}

SmallVector<Value> trop::cloneBodyOnVectors(ImplicitLocOpBuilder &b,
                                            Block *body, IRMapping &mapping,
                                            int64_t lanes) {
  auto vectorOf = [&](Type type) { return VectorType::get({lanes}, type); };
  // Values from outside the body (scalars) are broadcast once per step.
  auto lookup = [&](Value value) -> Value {
    if (Value mapped = mapping.lookupOrNull(value))
      return mapped;
    Value splat =
        vector::BroadcastOp::create(b, vectorOf(value.getType()), value);
    mapping.map(value, splat);
    return splat;
  };
  for (Operation &bodyOp : body->without_terminator()) {
    if (auto constant = dyn_cast<arith::ConstantOp>(bodyOp)) {
      mapping.map(constant.getResult(),
                  arith::ConstantOp::create(
                      b, SplatElementsAttr::get(vectorOf(constant.getType()),
                                                constant.getValue())));
      continue;
    }
    for (Value operand : bodyOp.getOperands())
      (void)lookup(operand);
    Operation *clone = b.clone(bodyOp, mapping);
    for (OpResult result : clone->getResults())
      result.setType(vectorOf(result.getType()));
  }
  SmallVector<Value> results;
  for (Value value : body->getTerminator()->getOperands())
    results.push_back(lookup(value));
  return results;
}

namespace {

/// Loops over `sizes`: the outer dimensions (parallel when split over tasks)
/// around the innermost in whole vectors of `vl`, then one-lane vectors for
/// the remainder; `step(outer, j, lanes)` emits one step.
static void
emitVectorLoopNest(ImplicitLocOpBuilder &b, SmallVector<Value> sizes,
                   int64_t vl, int64_t numTasks,
                   function_ref<void(ValueRange, Value, int64_t)> step) {
  KernelBuilder k{b};
  Value innerSize = sizes.pop_back_val();
  auto emitInner = [&](ValueRange outer) {
    Value full =
        k.mul(arith::DivUIOp::create(b, innerSize, k.idx(vl)), k.idx(vl));
    k.forLoop(k.idx(0), full, vl, [&](Value j) { step(outer, j, vl); });
    k.forLoop(full, innerSize, 1, [&](Value j) { step(outer, j, 1); });
  };
  if (sizes.empty())
    return emitInner({});
  if (numTasks > 1) {
    SmallVector<Value> zeros(sizes.size(), k.idx(0)),
        ones(sizes.size(), k.idx(1));
    auto par = scf::ParallelOp::create(b, zeros, sizes, ones);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(par.getBody());
    return emitInner(par.getInductionVars());
  }
  SmallVector<Value> ivs;
  std::function<void(size_t)> nest = [&](size_t d) {
    if (d == sizes.size())
      return emitInner(ivs);
    k.forLoop(k.idx(0), sizes[d], 1, [&](Value iv) {
      ivs.push_back(iv);
      nest(d + 1);
      ivs.pop_back();
    });
  };
  nest(0);
}

/// The widest element type the body computes in, which sets the lanes.
static unsigned widestBits(linalg::LinalgOp op) {
  unsigned bits = 8;
  for (Value value : op->getOperands())
    bits = std::max(bits, getElementTypeOrSelf(value).getIntOrFloatBitWidth());
  for (Operation &bodyOp : op.getBlock()->without_terminator())
    for (Type type : bodyOp.getResultTypes())
      bits = std::max(bits, type.getIntOrFloatBitWidth());
  return bits;
}

/// Any elementwise linalg op (generic or named), hence an interface pattern.
struct ElementwiseToVectors : OpInterfaceRewritePattern<linalg::LinalgOp>,
                              CPUPattern {
  ElementwiseToVectors(MLIRContext *ctx, const CPUPattern &cfg)
      : OpInterfaceRewritePattern<linalg::LinalgOp>(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (op->hasAttr(kFusedAttr)) {
      rewriter.eraseOp(op); // its producer's GEMM applies it
      return success();
    }
    if (!isVectorizableElementwise(op))
      return rewriter.notifyMatchFailure(op, "not a vectorizable elementwise");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    SmallVector<Value> sizes;
    for (Range range : op.createLoopRanges(b, b.getLoc()))
      sizes.push_back(
          getValueOrCreateConstantIndexOp(b, b.getLoc(), range.size));
    int64_t vl = std::max<int64_t>(1, target.vectorBits / widestBits(op));
    emitVectorLoopNest(b, sizes, vl, numTasks,
                       [&](ValueRange outer, Value j, int64_t lanes) {
                         emitBody(b, op, outer, j, lanes);
                       });
    rewriter.eraseOp(op);
    return success();
  }

  /// One step of the inner loop: `lanes` elements from inner index `j`.
  static void emitBody(ImplicitLocOpBuilder &b, linalg::LinalgOp op,
                       ValueRange outer, Value j, int64_t lanes) {
    KernelBuilder k{b};
    unsigned inner = op.getNumLoops() - 1;
    auto vectorOf = [&](Type type) { return VectorType::get({lanes}, type); };
    auto indices = [&](AffineMap map) {
      SmallVector<Value> result;
      for (AffineExpr expr : map.getResults()) {
        if (auto dimExpr = dyn_cast<AffineDimExpr>(expr))
          result.push_back(dimExpr.getPosition() == inner
                               ? j
                               : outer[dimExpr.getPosition()]);
        else
          result.push_back(k.idx(0)); // a zero result (broadcast)
      }
      return result;
    };
    IRMapping mapping;
    Block *body = op.getBlock();
    for (OpOperand &operand : op->getOpOperands()) {
      BlockArgument arg = body->getArgument(operand.getOperandNumber());
      if (arg.use_empty())
        continue;
      AffineMap map = op.getMatchingIndexingMap(&operand);
      Value memref = operand.get();
      Type elementType = getElementTypeOrSelf(memref);
      if (map.isFunctionOfDim(inner)) {
        mapping.map(arg, vector::LoadOp::create(b, vectorOf(elementType),
                                                memref, indices(map)));
        continue;
      }
      Value scalar = memref::LoadOp::create(b, memref, indices(map));
      mapping.map(
          arg, vector::BroadcastOp::create(b, vectorOf(elementType), scalar));
    }
    SmallVector<Value> results = cloneBodyOnVectors(b, body, mapping, lanes);
    for (auto [value, init] : llvm::zip(results, op.getDpsInitsMutable()))
      vector::StoreOp::create(b, value, init.get(),
                              indices(op.getMatchingIndexingMap(&init)));
  }
};

/// memref.copy between strided memrefs (a tensor.pad's copy into the
/// interior of its padded buffer), which would otherwise become an
/// element-by-element runtime copy: rows of whole vectors. Copies between
/// identity layouts stay a memcpy.
struct StridedCopyToVectors : CPUOpPattern<memref::CopyOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    auto source = dyn_cast<MemRefType>(op.getSource().getType());
    auto target = dyn_cast<MemRefType>(op.getTarget().getType());
    if (!source || !target || source.getRank() == 0 ||
        !isVectorizableMemoryType(source.getElementType()) ||
        !hasUnitInnerStride(op.getSource()) ||
        !hasUnitInnerStride(op.getTarget()) ||
        (source.getLayout().isIdentity() && target.getLayout().isIdentity()))
      return rewriter.notifyMatchFailure(op, "no strided vector copy");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    SmallVector<Value> sizes;
    for (int64_t d = 0; d < source.getRank(); ++d)
      sizes.push_back(dim(b, op.getSource(), d));
    Type elementType = source.getElementType();
    int64_t vl = std::max<int64_t>(1, this->target.vectorBits /
                                          elementType.getIntOrFloatBitWidth());
    emitVectorLoopNest(
        b, sizes, vl, numTasks, [&](ValueRange outer, Value j, int64_t lanes) {
          SmallVector<Value> at(outer);
          at.push_back(j);
          Value v = vector::LoadOp::create(
              b, VectorType::get({lanes}, elementType), op.getSource(), at);
          vector::StoreOp::create(b, v, op.getTarget(), at);
        });
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void trop::populateLinalgElementwisePatterns(RewritePatternSet &patterns,
                                             const CPUPattern &cfg) {
  patterns.add<ElementwiseToVectors, StridedCopyToVectors>(
      patterns.getContext(), cfg);
}
