//===- TropToCPU.cpp - trop ops to packed, vectorized CPU kernels ---------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Rewrites trop ops on memrefs into the packed GEMM of GemmEmitter (matmul,
// batch_matmul, conv_2d as implicit im2col) or a channel-vectorized loop nest
// (depthwise_conv_2d), and maxout into the group kernel of MaxoutEmitter.
// i1 contractions run on byte copies of their operands (ByteStaging.h). Ops
// outside the fast paths (non-unit innermost strides, maxout on i1 or whose
// leading dimensions cannot be collapsed) are left alone for the reference
// lowering that the pipeline runs next, so every op still lowers exactly.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToCPU/TropToCPU.h"
#include "ByteStaging.h"
#include "ComputeDomain.h"
#include "ConvEmitter.h"
#include "GemmEmitter.h"
#include "KernelBuilder.h"
#include "MaxoutEmitter.h"
#include "SparseEmitter.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <limits>

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_CONVERTTROPTOCPU
#include "trop/Conversion/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

/// Whether the fast kernels handle `type`: every element type, i1 through
/// byte copies of its operands (see replaceWithKernel).
static bool isFastElementType(Type type) {
  return isSupportedElementType(type);
}

/// Replaces `op` by the kernel `emit` builds on `operands` (the last one the
/// destination) and their element type; for i1, on i8 copies of them with
/// values 0 and 1, whose destination is copied back afterwards. Vectors of
/// i1 are bit-packed while memrefs of i1 hold a byte per element, so the
/// kernels cannot load i1 vectors from memory; on the copies
/// `max_min`/`min_max` are signed max/min of 0 and 1, i.e. exactly OR and AND
/// (ByteStaging.h).
static LogicalResult replaceWithKernel(
    PatternRewriter &rewriter, Operation *op, ValueRange operands,
    Type elementType,
    function_ref<void(ImplicitLocOpBuilder &, ValueRange, Type)> emit) {
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  // `emit` may leave the insertion point inside the loops it built.
  auto emitHere = [&](ValueRange args, Type type) {
    OpBuilder::InsertionGuard guard(b);
    emit(b, args, type);
  };
  if (!elementType.isInteger(1)) {
    emitHere(operands, elementType);
  } else {
    SmallVector<Value> bytes;
    for (Value operand : operands)
      bytes.push_back(stageBytes(b, operand));
    emitHere(bytes, b.getI8Type());
    for (Value staged : ArrayRef<Value>(bytes).drop_back())
      releaseBytes(b, staged);
    unstageBytes(b, bytes.back(), operands.back());
  }
  rewriter.eraseOp(op);
  return success();
}

/// The kernels load rows of B and C with vector loads: their innermost
/// dimension must be contiguous.
static bool hasUnitInnerStride(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (type && type.getElementType().isInteger(1))
    return true; // copied into contiguous bytes (replaceWithKernel)
  return type && type.getRank() >= 1 && type.isLastDimUnitStride();
}

namespace {

struct CPUPattern {
  CPUTarget target;
  NaNMode nanMode;
  int64_t numTasks;
  double sparseMaxDensity;
  ComputeDomain domain(SemiringKind kind, Type elementType) const {
    return ComputeDomain::get(kind, nanMode, elementType, target.nativeF16);
  }
  GemmTiling tiling(const ComputeDomain &domain,
                    int64_t accumulatorSets = 1) const {
    return chooseGemmTiling(domain.computeType, target.vectorBits,
                            target.numVectorRegisters, accumulatorSets);
  }
};

/// Emits C = C ⊕ A ⊗ B for 2-D memref views A, B, C in `domain` (and, with
/// `dual`, the second accumulator of a dual_matmul).
static void emitMatmul(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                       const ComputeDomain &domain, Value a, Value bMat,
                       Value c,
                       std::optional<GemmProblem::Dual> dual = std::nullopt) {
  GemmProblem problem{
      domain, dim(b, c, 0), dim(b, c, 1), dim(b, a, 1), {}, bMat, c, dual};
  Value pad = arith::ConstantOp::create(b, domain.paddingAttr());
  problem.rowAccessor = [a, pad](ImplicitLocOpBuilder &b, Value row) {
    return GemmProblem::Row{Value(),
                            [a, row, pad](ImplicitLocOpBuilder &b, Value col,
                                          VectorType type) -> Value {
                              return vector::TransferReadOp::create(
                                  b, type, a, ValueRange{row, col}, pad,
                                  ArrayRef<bool>{false});
                            }};
  };
  emitGemm(b, problem, cfg.tiling(problem.domain, dual ? 2 : 1), cfg.numTasks);
}

/// Whether the packed GEMM handles a (batch) matmul with these operands: on
/// memrefs, of a fast element type, with contiguous rows of B and C.
static LogicalResult checkGemmOperands(PatternRewriter &rewriter, Operation *op,
                                       Value rhs, Value init) {
  if (isa<RankedTensorType>(init.getType()))
    return rewriter.notifyMatchFailure(op, "bufferize first");
  if (!isFastElementType(getElementTypeOrSelf(init.getType())) ||
      !hasUnitInnerStride(rhs) || !hasUnitInnerStride(init))
    return rewriter.notifyMatchFailure(op, "no fast kernel");
  return success();
}

/// Emits the sparse gather kernel instead of the packed GEMM when B is a
/// constant global whose density of entries other than 𝟘 (0 for (+, ×)) is
/// at most the configured switch point. Only in `assume-none` mode for the
/// semirings: with `propagate`, a NaN (or +∞ of max_plus) met by a skipped
/// 𝟘 would have to reach the output.
static bool tryEmitSparse(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                          Operation *op, const ComputeDomain &domain, Value a,
                          Value bMat, Value c) {
  if (cfg.sparseMaxDensity <= 0 || domain.computeType != domain.elementType ||
      domain.saturating ||
      (!domain.linear && domain.nanMode != NaNMode::AssumeNone))
    return false;
  auto module = op->getParentOfType<ModuleOp>();
  DenseElementsAttr weight = getConstantWeight(bMat);
  if (!module || !weight || weight.getElementType() != domain.elementType)
    return false;
  // The block-ELL arrays index entries with i32; padded, they hold at most
  // K · (N rounded up to a block of at most 16 columns) entries.
  int64_t rows = weight.getType().getDimSize(0),
          cols = weight.getType().getDimSize(1);
  if (rows * (cols + 16) >= std::numeric_limits<int32_t>::max())
    return false;
  SparseWeights sparse = collectSparseWeights(weight, domain);
  if (sparse.density() > cfg.sparseMaxDensity)
    return false;
  emitSparseMatmul(b, module, domain, sparse, a, c,
                   cfg.tiling(domain).vectorLength, cfg.numTasks);
  return true;
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

/// Whether a memref is contiguous with an identity layout (so it can be
/// collapsed).
static bool isContiguous(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (type && type.getElementType().isInteger(1))
    return true; // copied into contiguous bytes (replaceWithKernel)
  return type && type.getLayout().isIdentity();
}

/// The window of a convolution op.
template <typename ConvOp>
static ConvWindow getWindow(ConvOp op) {
  return {SmallVector<int64_t, 2>(op.getStrides()),
          SmallVector<int64_t, 2>(op.getDilations()),
          SmallVector<int64_t, 2>(op.getPadding())};
}

/// conv_2d: the implicit-im2col GEMM of ConvEmitter.
struct Conv2DToCPU : public OpRewritePattern<Conv2DOp>, CPUPattern {
  Conv2DToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    if (!isFastElementType(elementType) || !isContiguous(op.getInit()) ||
        !isContiguous(op.getFilter()))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    return replaceWithKernel(
        rewriter, op, {op.getInput(), op.getFilter(), op.getInit()},
        elementType,
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          ComputeDomain dom = domain(op.getSemiring(), elementType);
          emitConv2D(b, dom, tiling(dom), numTasks, getWindow(op), args[0],
                     args[1], args[2]);
        });
  }
};

/// depthwise_conv_2d: the channel-vectorized loop nest of ConvEmitter.
struct DepthwiseConv2DToCPU : public OpRewritePattern<DepthwiseConv2DOp>,
                              CPUPattern {
  DepthwiseConv2DToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(DepthwiseConv2DOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    if (!isFastElementType(elementType) || !hasUnitInnerStride(op.getInput()) ||
        !hasUnitInnerStride(op.getFilter()) ||
        !hasUnitInnerStride(op.getInit()))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    return replaceWithKernel(
        rewriter, op, {op.getInput(), op.getFilter(), op.getInit()},
        elementType,
        [&](ImplicitLocOpBuilder &b, ValueRange args, Type elementType) {
          ComputeDomain dom = domain(op.getSemiring(), elementType);
          emitDepthwiseConv2D(b, dom, tiling(dom).vectorLength, getWindow(op),
                              args[0], args[1], args[2]);
        });
  }
};

/// A 2-D view (rows × channels) of a maxout operand: rank 1 is one row,
/// higher ranks collapse their leading dimensions, which needs them to be
/// contiguous with one another (null otherwise).
static Value rowView(ImplicitLocOpBuilder &b, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  int64_t rank = type.getRank();
  if (rank == 2)
    return memref;
  if (rank == 1) {
    OpFoldResult channels =
        type.isDynamicDim(0) ? OpFoldResult(dim(b, memref, 0))
                             : OpFoldResult(b.getIndexAttr(type.getDimSize(0)));
    SmallVector<OpFoldResult> shape = {b.getIndexAttr(1), channels};
    return memref::ExpandShapeOp::create(b, {1, type.getDimSize(0)}, memref,
                                         ArrayRef<ReassociationIndices>{{0, 1}},
                                         shape);
  }
  ReassociationIndices leading =
      llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  SmallVector<ReassociationIndices> reassociation = {leading, {rank - 1}};
  if (!memref::CollapseShapeOp::isGuaranteedCollapsible(type, reassociation))
    return Value();
  return memref::CollapseShapeOp::create(b, memref, reassociation);
}

/// Whether rowView can view `value` as rows × channels.
static bool hasRowView(Value value) {
  auto type = cast<MemRefType>(value.getType());
  if (type.getRank() <= 2)
    return true;
  ReassociationIndices leading =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank() - 1));
  return memref::CollapseShapeOp::isGuaranteedCollapsible(
      type, {leading, {type.getRank() - 1}});
}

/// maxout: the group kernel of MaxoutEmitter on rows × channels views.
/// Its ⊕ is max whatever the type, i.e. that of the max semirings, computed
/// in the domain of `max_min` (the element type, or f32 for half precision
/// without native support: max needs no wider integers).
struct MaxoutToCPU : public OpRewritePattern<MaxoutOp>, CPUPattern {
  MaxoutToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(MaxoutOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    // i1: maxout reads each input byte once, so copying the operands into
    // bytes first costs more than the reference's loop (measured 10x slower
    // on 64 x 1024 channels, docs/cpu-pipeline.md).
    if (!isFastElementType(elementType) || elementType.isInteger(1))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    if (!hasUnitInnerStride(op.getInput()) ||
        !hasUnitInnerStride(op.getInit()) || !hasRowView(op.getInput()) ||
        !hasRowView(op.getInit()))
      return rewriter.notifyMatchFailure(op, "rows are not contiguous");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ComputeDomain dom = domain(SemiringKind::MaxMin, elementType);
    emitMaxout(b, dom, rowView(b, op.getInput()), rowView(b, op.getInit()),
               op.getGroupSize(), tiling(dom).vectorLength, numTasks);
    rewriter.eraseOp(op);
    return success();
  }
};

/// linalg.matmul on f32/f64 memrefs, the linear layers next to tropical ones,
/// on the same packed kernels with (+, ×). Bit-identical to linalg's loops:
/// each output element is accumulated in increasing k order, one mulf and
/// one addf per step, no contraction into FMA.
struct LinalgMatmulToCPU : public OpRewritePattern<linalg::MatmulOp>,
                           CPUPattern {
  LinalgMatmulToCPU(MLIRContext *ctx, CPUPattern cfg)
      : OpRewritePattern(ctx), CPUPattern(cfg) {}
  LogicalResult matchAndRewrite(linalg::MatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics() || op.hasUserDefinedMaps())
      return rewriter.notifyMatchFailure(op, "plain memref matmul only");
    Value a = op.getInputs()[0], bMat = op.getInputs()[1],
          c = op.getOutputs()[0];
    Type elementType = getElementTypeOrSelf(c.getType());
    if (!isa<Float32Type, Float64Type>(elementType) ||
        getElementTypeOrSelf(a.getType()) != elementType ||
        getElementTypeOrSelf(bMat.getType()) != elementType ||
        !hasUnitInnerStride(bMat) || !hasUnitInnerStride(c))
      return rewriter.notifyMatchFailure(op, "no fast kernel");
    // The body must be the default multiply-add (no casts, no custom body).
    Block &body = op->getRegion(0).front();
    if (body.getOperations().size() != 3 || !isa<arith::MulFOp>(body.front()) ||
        !isa<arith::AddFOp>(body.front().getNextNode()))
      return rewriter.notifyMatchFailure(op, "not a plain multiply-add");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    ComputeDomain dom = ComputeDomain::getLinear(elementType);
    if (!tryEmitSparse(b, *this, op, dom, a, bMat, c))
      emitMatmul(b, *this, dom, a, bMat, c);
    rewriter.eraseOp(op);
    return success();
  }
};

struct ConvertTropToCPUPass
    : public trop::impl::ConvertTropToCPUBase<ConvertTropToCPUPass> {
  using Base::Base;
  void runOnOperation() override {
    CPUTarget target = CPUTarget::host();
    if (vectorBits != 0)
      target.vectorBits = vectorBits;
    if (vectorRegisters != 0)
      target.numVectorRegisters = vectorRegisters;
    if (nativeF16 == "on")
      target.nativeF16 = true;
    else if (nativeF16 == "off")
      target.nativeF16 = false;
    RewritePatternSet patterns(&getContext());
    populateTropToCPUPatterns(patterns, target, nanMode, numTasks,
                              sparseMaxDensity);
    walkAndApplyPatterns(getOperation(), std::move(patterns));

    // The sparse kernels transpose VL × VL tiles in registers: lower those
    // transposes to shuffle networks here (16 × 16 of 32-bit elements: the
    // AVX-512 unpack/shuffle sequence), not to the element-by-element
    // default of vector-to-llvm.
    SmallVector<Operation *> transposeOps;
    getOperation()->walk(
        [&](vector::TransposeOp op) { transposeOps.push_back(op); });
    if (transposeOps.empty())
      return;
    RewritePatternSet transposes(&getContext());
    vector::populateVectorTransposeLoweringPatterns(
        transposes, vector::VectorTransposeLowering::Shuffle16x16,
        /*benefit=*/2);
    vector::populateVectorTransposeLoweringPatterns(
        transposes, vector::VectorTransposeLowering::Shuffle1D);
    // Only those ops and what they become: no folding or CSE elsewhere.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
        .enableFolding(false)
        .enableConstantCSE(false);
    if (failed(applyOpPatternsGreedily(transposeOps, std::move(transposes),
                                       config)))
      signalPassFailure();
  }
};

} // namespace

void trop::populateTropToCPUPatterns(RewritePatternSet &patterns,
                                     const CPUTarget &target, NaNMode nanMode,
                                     int64_t numTasks,
                                     double sparseMaxDensity) {
  CPUPattern cfg{target, nanMode, std::max<int64_t>(1, numTasks),
                 sparseMaxDensity};
  patterns.add<MatmulToCPU, BatchMatmulToCPU, Conv2DToCPU, DepthwiseConv2DToCPU,
               MaxoutToCPU, LinalgMatmulToCPU, DualMatmulToCPU>(
      patterns.getContext(), cfg);
}
