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

/// Row `row` of a convolution's implicit im2col for one window position:
/// output pixel (n, oh, ow) reads input pixel (n, oh·sh + hOff, ow·sw + wOff),
/// which is `valid` when inside the input (𝟘 in the padding otherwise).
static GemmProblem::Row convWindowRow(ImplicitLocOpBuilder &b, Value x,
                                      Value pad, Value row, Value height,
                                      Value width, Value outH, Value outW,
                                      std::array<int64_t, 2> strides,
                                      Value hOff, Value wOff) {
  Value ow = arith::RemUIOp::create(b, row, outW);
  Value rest = arith::DivUIOp::create(b, row, outW);
  Value oh = arith::RemUIOp::create(b, rest, outH);
  Value n = arith::DivUIOp::create(b, rest, outH);
  KernelBuilder k{b};
  auto coordinate = [&](Value out, int64_t stride, Value offset) -> Value {
    return k.add(k.mul(out, k.idx(stride)), offset);
  };
  Value h = coordinate(oh, strides[0], hOff);
  Value w = coordinate(ow, strides[1], wOff);
  // Unsigned comparison also rejects negative (wrapped) coordinates.
  Value valid = arith::AndIOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, h, height),
      arith::CmpIOp::create(b, arith::CmpIPredicate::ult, w, width));
  return GemmProblem::Row{
      valid, [=](ImplicitLocOpBuilder &b, Value col, VectorType type) {
        return vector::TransferReadOp::create(b, type, x,
                                              ValueRange{n, h, w, col}, pad,
                                              ArrayRef<bool>{false})
            .getResult();
      }};
}

/// conv_2d as a GEMM over implicit im2col rows: rows are output pixels
/// (n, oh, ow), C is the output viewed as (N·OH·OW) × F, and the reduction
/// runs over (kh, kw, c). When the channel count is static and a multiple of
/// the vector length, that is one GEMM with grouped reduction (a group per
/// window position, read as one input pixel or as 𝟘 in the padding) and B the
/// whole filter viewed as (KH·KW·C) × F: the output is read and written once
/// per reduction block instead of once per window position. Otherwise it is a
/// sum over window positions of GEMMs with B the filter slice F[kh, kw].
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
          emit(b, op, args[0], args[1], args[2], elementType);
        });
  }

  void emit(ImplicitLocOpBuilder &b, Conv2DOp op, Value x, Value filter,
            Value y, Type elementType) const {
    Value yMat = memref::CollapseShapeOp::create(
        b, y, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    ComputeDomain dom = domain(op.getSemiring(), elementType);
    auto filterShape = cast<MemRefType>(filter.getType()).getShape();
    int64_t channels = filterShape[2];
    if (!ShapedType::isDynamic(channels) && channels > 0 &&
        !ShapedType::isDynamic(filterShape[0]) &&
        !ShapedType::isDynamic(filterShape[1]) &&
        channels % tiling(dom).vectorLength == 0)
      return emitGrouped(b, op, x, filter, y, yMat, dom);
    KernelBuilder k{b};
    Value zero = k.idx(0);
    Value one = k.idx(1);
    Value height = dim(b, x, 1), width = dim(b, x, 2);
    Value outH = dim(b, y, 1), outW = dim(b, y, 2);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      padding = op.getPadding();

    auto khLoop = scf::ForOp::create(b, zero, dim(b, filter, 0), one);
    b.setInsertionPointToStart(khLoop.getBody());
    auto kwLoop = scf::ForOp::create(b, zero, dim(b, filter, 1), one);
    b.setInsertionPointToStart(kwLoop.getBody());
    Value kh = khLoop.getInductionVar(), kw = kwLoop.getInductionVar();
    // F[kh, kw] : C × F.
    auto filterType = cast<MemRefType>(filter.getType());
    SmallVector<OpFoldResult> offsets = {kh, kw, b.getIndexAttr(0),
                                         b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {b.getIndexAttr(1), b.getIndexAttr(1),
                                       OpFoldResult(dim(b, filter, 2)),
                                       OpFoldResult(dim(b, filter, 3))};
    SmallVector<OpFoldResult> unit(4, b.getIndexAttr(1));
    auto sliceType = memref::SubViewOp::inferRankReducedResultType(
        {ShapedType::kDynamic, ShapedType::kDynamic}, filterType, offsets,
        sizes, unit);
    Value bMat = memref::SubViewOp::create(b, cast<MemRefType>(sliceType),
                                           filter, offsets, sizes, unit);

    // Row offsets of this window position, before the pixel's own offset.
    Value hOff = k.sub(k.mul(kh, k.idx(dilations[0])), k.idx(padding[0]));
    Value wOff = k.sub(k.mul(kw, k.idx(dilations[1])), k.idx(padding[1]));

    Value pad = arith::ConstantOp::create(
        b, getZeroAttr(op.getSemiring(), elementType));
    GemmProblem problem{domain(op.getSemiring(), elementType),
                        dim(b, yMat, 0),
                        dim(b, yMat, 1),
                        dim(b, x, 3),
                        {},
                        bMat,
                        yMat,
                        std::nullopt};
    std::array<int64_t, 2> strideHW = {strides[0], strides[1]};
    problem.rowAccessor = [=](ImplicitLocOpBuilder &b, Value row) {
      return convWindowRow(b, x, pad, row, height, width, outH, outW, strideHW,
                           hOff, wOff);
    };
    emitGemm(b, problem, tiling(problem.domain), numTasks);
  }

  /// The single GEMM with a group of C reduction columns per window position.
  void emitGrouped(ImplicitLocOpBuilder &b, Conv2DOp op, Value x, Value filter,
                   Value y, Value yMat, const ComputeDomain &dom) const {
    auto filterShape = cast<MemRefType>(filter.getType()).getShape();
    int64_t windowW = filterShape[1], channels = filterShape[2];
    int64_t groups = filterShape[0] * windowW;
    Value bMat = memref::CollapseShapeOp::create(
        b, filter, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    Value height = dim(b, x, 1), width = dim(b, x, 2);
    Value outH = dim(b, y, 1), outW = dim(b, y, 2);
    SmallVector<int64_t> strides(op.getStrides()), dilations(op.getDilations()),
        padding(op.getPadding());
    Value pad = arith::ConstantOp::create(b, dom.paddingAttr());
    GemmProblem problem{
        dom,  dim(b, yMat, 0), dim(b, yMat, 1), dim(b, bMat, 0), {}, bMat,
        yMat, std::nullopt};
    problem.kGroup = channels;
    std::array<int64_t, 2> strideHW = {strides[0], strides[1]};
    problem.groupAccessor = [=](ImplicitLocOpBuilder &b, Value row,
                                Value group) {
      KernelBuilder k{b};
      // The window position's offsets (tap · dilation − padding).
      auto offset = [&](Value tap, int64_t d) -> Value {
        return k.sub(k.mul(tap, k.idx(dilations[d])), k.idx(padding[d]));
      };
      Value hOff = offset(arith::DivUIOp::create(b, group, k.idx(windowW)), 0);
      Value wOff = offset(arith::RemUIOp::create(b, group, k.idx(windowW)), 1);
      return convWindowRow(b, x, pad, row, height, width, outH, outW, strideHW,
                           hOff, wOff);
    };
    emitGemm(b, problem, withGroupedReduction(tiling(dom), channels, groups),
             numTasks);
  }
};

/// depthwise_conv_2d: every output pixel keeps one vector of channels in a
/// register and runs over the window.
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
          emit(b, op, args[0], args[1], args[2], elementType);
        });
  }

  void emit(ImplicitLocOpBuilder &b, DepthwiseConv2DOp op, Value x, Value s,
            Value y, Type elementType) const {
    SemiringKind kind = op.getSemiring();
    ComputeDomain dom = domain(kind, elementType);
    int64_t vl = tiling(dom).vectorLength;
    KernelBuilder k{b};
    auto toCompute = [&](Value v) { return dom.widen(b, v); };
    Value zero = k.idx(0), one = k.idx(1);
    Value pad = arith::ConstantOp::create(b, getZeroAttr(kind, elementType));
    Value height = dim(b, x, 1), width = dim(b, x, 2);
    Value channels = dim(b, x, 3);
    Value outH = dim(b, y, 1), outW = dim(b, y, 2);
    Value kH = dim(b, s, 0), kW = dim(b, s, 1);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations(),
                      padding = op.getPadding();

    // Parallel over (n, oh) rows of the output.
    Value rows = arith::MulIOp::create(b, dim(b, y, 0), outH);
    auto par = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{rows},
                                       ValueRange{one});
    b.setInsertionPointToStart(par.getBody());
    Value row = par.getInductionVars()[0];
    Value n = arith::DivUIOp::create(b, row, outH);
    Value oh = arith::RemUIOp::create(b, row, outH);
    auto owLoop = scf::ForOp::create(b, zero, outW, one);
    b.setInsertionPointToStart(owLoop.getBody());
    Value ow = owLoop.getInductionVar();
    // Channels in whole vectors, then the remainder one at a time: every
    // access is in bounds, so no masked load or store is needed (LLVM 22
    // miscompiles some single-lane masked stores of truncated vectors).
    Value fullChannels = arith::MulIOp::create(
        b, arith::DivUIOp::create(b, channels, k.idx(vl)), k.idx(vl));
    auto emitChannels = [&](Value begin, Value end, int64_t lanes) {
      OpBuilder::InsertionGuard guard(b);
      auto vecType = dom.vectorType(lanes);
      auto elemVecType = VectorType::get({lanes}, elementType);
      auto cLoop = scf::ForOp::create(b, begin, end, k.idx(lanes));
      b.setInsertionPointToStart(cLoop.getBody());
      Value c = cLoop.getInductionVar();
      Value acc = toCompute(vector::TransferReadOp::create(
          b, elemVecType, y, ValueRange{n, oh, ow, c}, pad,
          ArrayRef<bool>{true}));
      auto khLoop = scf::ForOp::create(b, zero, kH, one, ValueRange{acc});
      {
        OpBuilder::InsertionGuard khGuard(b);
        b.setInsertionPointToStart(khLoop.getBody());
        Value kh = khLoop.getInductionVar();
        Value h = arith::SubIOp::create(
            b,
            arith::AddIOp::create(
                b, arith::MulIOp::create(b, oh, k.idx(strides[0])),
                arith::MulIOp::create(b, kh, k.idx(dilations[0]))),
            k.idx(padding[0]));
        Value hIn =
            arith::CmpIOp::create(b, arith::CmpIPredicate::ult, h, height);
        auto kwLoop = scf::ForOp::create(
            b, zero, kW, one, ValueRange{khLoop.getRegionIterArgs()[0]});
        scf::YieldOp::create(b, kwLoop.getResults());
        b.setInsertionPointToStart(kwLoop.getBody());
        Value kw = kwLoop.getInductionVar();
        Value cur = kwLoop.getRegionIterArgs()[0];
        Value w = arith::SubIOp::create(
            b,
            arith::AddIOp::create(
                b, arith::MulIOp::create(b, ow, k.idx(strides[1])),
                arith::MulIOp::create(b, kw, k.idx(dilations[1]))),
            k.idx(padding[1]));
        Value wIn =
            arith::CmpIOp::create(b, arith::CmpIPredicate::ult, w, width);
        Value valid = arith::AndIOp::create(b, hIn, wIn);
        // Padded positions read 𝟘 and still take part, as in the reference
        // lowering, so that IEEE corner cases (+∞ meeting 𝟘) agree too.
        auto xIf = scf::IfOp::create(b, vecType, valid, /*withElse=*/true);
        {
          OpBuilder::InsertionGuard ifGuard(b);
          b.setInsertionPointToStart(xIf.thenBlock());
          scf::YieldOp::create(b, toCompute(vector::TransferReadOp::create(
                                      b, elemVecType, x, ValueRange{n, h, w, c},
                                      pad, ArrayRef<bool>{true})));
          b.setInsertionPointToStart(xIf.elseBlock());
          scf::YieldOp::create(b, dom.zero(b, vecType));
        }
        Value xv = xIf.getResult(0);
        Value sv = toCompute(vector::TransferReadOp::create(
            b, elemVecType, s, ValueRange{kh, kw, c}, pad,
            ArrayRef<bool>{true}));
        scf::YieldOp::create(b, dom.multiplyAccumulate(b, cur, xv, sv));
      }
      Value result = dom.narrow(b, khLoop.getResult(0));
      vector::TransferWriteOp::create(b, result, y, ValueRange{n, oh, ow, c},
                                      ArrayRef<bool>{true});
    };
    emitChannels(zero, fullChannels, vl);
    emitChannels(fullChannels, channels, 1);
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
