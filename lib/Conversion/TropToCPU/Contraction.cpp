//===- Contraction.cpp - matmul, batch_matmul, dual_matmul on CPU ---------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The trop contractions on the packed GEMM of GemmEmitter: matmul (or the
// sparse gather kernel of SparseEmitter for sparse constant weights),
// batch_matmul as one GEMM per batch, and dual_matmul as one GEMM with two
// accumulator tiles.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "PopulatePatterns.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// Whether the packed GEMM handles a (batch) matmul with these operands: on
/// memrefs, with contiguous rows of B and C.
static LogicalResult checkGemmOperands(PatternRewriter &rewriter, Operation *op,
                                       Value rhs, Value init) {
  if (isa<RankedTensorType>(init.getType()))
    return rewriter.notifyMatchFailure(op, "bufferize first");
  if (!hasUnitInnerStride(rhs) || !hasUnitInnerStride(init))
    return rewriter.notifyMatchFailure(op, "no fast kernel");
  return success();
}

struct MatmulToCPU : public OpRewritePattern<MatmulOp>, CPUPattern {
  MatmulToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkGemmOperands(rewriter, op, op.getRhs(), op.getInit())))
      return failure();
    return replaceWithKernel(
        rewriter, op, {op.getLhs(), op.getRhs(), op.getInit()},
        getElementTypeOrSelf(op.getInit().getType()),
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          ComputeDomain dom = domain(op.getSemiring(), elementType);
          if (!tryEmitSparse(b, *this, op, dom, args[0], args[1], args[2]))
            emitMatmul(b, *this, dom, args[0], args[1], args[2]);
        });
  }
};

/// dual_matmul: one packed GEMM whose micro-kernel computes each sum once and
/// updates a max and a min register tile (half the rows of the single tile).
struct DualMatmulToCPU : public OpRewritePattern<DualMatmulOp>, CPUPattern {
  DualMatmulToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(DualMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkGemmOperands(rewriter, op, op.getRhs(), op.getInitMax())) ||
        failed(checkGemmOperands(rewriter, op, op.getRhs(), op.getInitMin())))
      return failure();
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    emitMatmul(b, *this,
               domain(SemiringKind::MaxPlus,
                      getElementTypeOrSelf(op.getInitMax().getType())),
               op.getLhs(), op.getRhs(), op.getInitMax(),
               GemmProblem::Dual{SemiringKind::MinPlus, op.getInitMin()});
    rewriter.eraseOp(op);
    return success();
  }
};

/// Rank-reducing view of batch `index` of a 3-D memref.
static Value batchSlice(ImplicitLocOpBuilder &b, Value memref, Value index) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<OpFoldResult> offsets = {index, b.getIndexAttr(0),
                                       b.getIndexAttr(0)};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1),
                                     OpFoldResult(dim(b, memref, 1)),
                                     OpFoldResult(dim(b, memref, 2))};
  SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
  auto sliceType = memref::SubViewOp::inferRankReducedResultType(
      {ShapedType::kDynamic, ShapedType::kDynamic}, type, offsets, sizes,
      strides);
  return memref::SubViewOp::create(b, cast<MemRefType>(sliceType), memref,
                                   offsets, sizes, strides);
}

struct BatchMatmulToCPU : public OpRewritePattern<BatchMatmulOp>, CPUPattern {
  BatchMatmulToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(BatchMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkGemmOperands(rewriter, op, op.getRhs(), op.getInit())))
      return failure();
    return replaceWithKernel(
        rewriter, op, {op.getLhs(), op.getRhs(), op.getInit()},
        getElementTypeOrSelf(op.getInit().getType()),
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          KernelBuilder k{b};
          Value zero = k.idx(0), one = k.idx(1);
          auto loop = scf::ForOp::create(b, zero, dim(b, args[2], 0), one);
          b.setInsertionPointToStart(loop.getBody());
          Value batch = loop.getInductionVar();
          emitMatmul(b, *this, domain(op.getSemiring(), elementType),
                     batchSlice(b, args[0], batch),
                     batchSlice(b, args[1], batch),
                     batchSlice(b, args[2], batch));
        });
  }
};

} // namespace

void trop::populateContractionPatterns(RewritePatternSet &patterns,
                                       const CPUPattern &cfg) {
  patterns.add<MatmulToCPU, BatchMatmulToCPU, DualMatmulToCPU>(
      patterns.getContext(), cfg);
}
