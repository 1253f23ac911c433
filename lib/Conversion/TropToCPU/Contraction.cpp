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

#include "Epilogue.h"
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

/// matmul and batch_matmul: the same checks and i1 staging around the
/// kernel that emit() builds for each op.
template <typename OpTy>
struct ContractionToCPU : CPUOpPattern<OpTy> {
  using CPUOpPattern<OpTy>::CPUOpPattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (failed(checkGemmOperands(rewriter, op, op.getRhs(), op.getInit())))
      return failure();
    return replaceWithKernel(
        rewriter, op, {op.getLhs(), op.getRhs(), op.getInit()},
        getElementTypeOrSelf(op.getInit().getType()),
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          emit(b, op, args, elementType);
        });
  }
  /// Emits `op`'s kernel on `args` (its lhs, rhs and init, or their byte
  /// copies) of `elementType`.
  void emit(ImplicitLocOpBuilder &b, OpTy op, ValueRange args,
            Type elementType) const;
};

/// matmul: the sparse gather kernel for a sparse constant B, else the packed
/// GEMM.
template <>
void ContractionToCPU<MatmulOp>::emit(ImplicitLocOpBuilder &b, MatmulOp op,
                                      ValueRange args, Type elementType) const {
  ComputeDomain dom = domain(op.getSemiring(), elementType);
  if (!tryEmitSparse(b, *this, op, dom, args[0], args[1], args[2]))
    emitMatmul(b, *this, dom, args[0], args[1], args[2], std::nullopt,
               buildEpilogue(b, op, dom, args[1], args[2]));
}

/// batch_matmul: one packed GEMM per batch.
template <>
void ContractionToCPU<BatchMatmulOp>::emit(ImplicitLocOpBuilder &b,
                                           BatchMatmulOp op, ValueRange args,
                                           Type elementType) const {
  KernelBuilder k{b};
  Value zero = k.idx(0), one = k.idx(1);
  auto loop = scf::ForOp::create(b, zero, dim(b, args[2], 0), one);
  b.setInsertionPointToStart(loop.getBody());
  Value batch = loop.getInductionVar();
  emitMatmul(b, *this, domain(op.getSemiring(), elementType),
             matrixView(b, args[0], batch), matrixView(b, args[1], batch),
             matrixView(b, args[2], batch));
}

/// dual_matmul: one packed GEMM whose micro-kernel computes each sum once and
/// updates a max and a min register tile (half the rows of the single tile).
struct DualMatmulToCPU : CPUOpPattern<DualMatmulOp> {
  using CPUOpPattern::CPUOpPattern;
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

} // namespace

void trop::populateContractionPatterns(RewritePatternSet &patterns,
                                       const CPUPattern &cfg) {
  patterns.add<ContractionToCPU<MatmulOp>, ContractionToCPU<BatchMatmulOp>,
               DualMatmulToCPU>(patterns.getContext(), cfg);
}
