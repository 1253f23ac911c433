//===- Training.cpp - The training ops on CPU -----------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.route_to_winners by destination, without atomics: the rows of dA are
// split between the tasks (each row gathers its gradients along j), and so
// are the columns of dB (each column along i). Every sum runs in the order
// of the definition (j, respectively i, ascending) and adds only the routed
// gradients, so the result is the reference lowering's, bit for bit; the
// work is O(M·N) against the forward's O(M·N·K).
//
// trop.matmul_winners (f32, f64) runs on the packed GEMM of GemmEmitter in
// winners mode: beside each register tile of values the micro-kernel keeps a
// tile of block-local indices and blends in k where the product is strictly
// better than the accumulator, with the GEMM's blocking and threading.
// Other element types take the reference lowering: widened half-precision
// products, or the exact sums of widened integers, could break a tie that
// the rounded (clamped) products make, and so pick another winner.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "PopulatePatterns.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// Runs body(lo, hi) on [0, size) split into `numTasks` chunks, as one
/// scf.parallel over the tasks (OpenMP threads in the CPU pipeline).
void forEachChunk(KernelBuilder &e, Value size, int64_t numTasks,
                  function_ref<void(Value, Value)> body) {
  ImplicitLocOpBuilder &b = e.b;
  if (numTasks <= 1) {
    body(e.idx(0), size);
    return;
  }
  Value chunk = e.ceilDiv(size, numTasks);
  auto par = scf::ParallelOp::create(b, ValueRange{e.idx(0)},
                                     ValueRange{e.idx(numTasks)},
                                     ValueRange{e.idx(1)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(par.getBody());
  Value task = par.getInductionVars()[0];
  Value lo = e.min(e.mul(task, chunk), size);
  Value hi = e.min(e.add(lo, chunk), size);
  body(lo, hi);
}

/// dst[row, W[i, j]] += grad[i, j] when 0 <= W[i, j] < K, for (i, j) from
/// `at` (the loop indices), `row` the destination row.
void routeOne(KernelBuilder &e, Value grad, Value winners, Value dst, Value i,
              Value j, Value k, bool kIsColumn, Value size) {
  ImplicitLocOpBuilder &b = e.b;
  Value w = memref::LoadOp::create(b, winners, ValueRange{i, j});
  Value zero = arith::ConstantIntOp::create(b, 0, 64);
  Value limit = arith::IndexCastOp::create(b, b.getI64Type(), size);
  Value inRange = arith::AndIOp::create(
      b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, w, zero),
      arith::CmpIOp::create(b, arith::CmpIPredicate::slt, w, limit));
  auto ifOp = scf::IfOp::create(b, inRange, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());
  Value target = arith::IndexCastOp::create(b, b.getIndexType(), w);
  SmallVector<Value, 2> at = kIsColumn ? SmallVector<Value, 2>{k, target}
                                       : SmallVector<Value, 2>{target, k};
  Value g = memref::LoadOp::create(b, grad, ValueRange{i, j});
  Value old = memref::LoadOp::create(b, dst, at);
  memref::StoreOp::create(b, arith::AddFOp::create(b, old, g), dst, at);
}

/// A pattern for a training op on memrefs (after bufferization): the ops
/// update their destinations in place and return nothing.
template <typename OpTy>
struct OnBuffers : CPUOpPattern<OpTy> {
  using CPUOpPattern<OpTy>::CPUOpPattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (op->getNumResults() != 0)
      return rewriter.notifyMatchFailure(op, "bufferize first");
    return rewriteBuffers(op, rewriter);
  }
  virtual LogicalResult rewriteBuffers(OpTy op,
                                       PatternRewriter &rewriter) const = 0;
};

/// Routes the gradients of one matrix product by destination: the rows of
/// dA and the columns of dB split between `numTasks` tasks.
void emitRouting(KernelBuilder &e, int64_t numTasks, Value grad, Value winners,
                 Value gradLhs, Value gradRhs) {
  Value m = e.dim(grad, 0), n = e.dim(grad, 1), k = e.dim(gradLhs, 1);
  // dA: row i gathers grad[i, j] at column W[i, j], j ascending.
  forEachChunk(e, m, numTasks, [&](Value lo, Value hi) {
    e.forLoop(lo, hi, 1, [&](Value i) {
      e.forLoop(e.idx(0), n, 1, [&](Value j) {
        routeOne(e, grad, winners, gradLhs, i, j, i, /*kIsColumn=*/true, k);
      });
    });
  });
  // dB: column j gathers grad[i, j] at row W[i, j], i ascending; the
  // tasks own column ranges and walk the rows inside them.
  forEachChunk(e, n, numTasks, [&](Value lo, Value hi) {
    e.forLoop(e.idx(0), m, 1, [&](Value i) {
      e.forLoop(lo, hi, 1, [&](Value j) {
        routeOne(e, grad, winners, gradRhs, i, j, j, /*kIsColumn=*/false, k);
      });
    });
  });
}

struct RouteToWinnersToCPU : OnBuffers<RouteToWinnersOp> {
  using OnBuffers::OnBuffers;
  LogicalResult rewriteBuffers(RouteToWinnersOp op,
                               PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    KernelBuilder e{b};
    emitRouting(e, numTasks, op.getGrad(), op.getWinners(), op.getGradLhs(),
                op.getGradRhs());
    rewriter.eraseOp(op);
    return success();
  }
};

/// The batched routing: the matrix routing per batch, in batch order.
struct RouteBatchMatmulToWinnersToCPU : OnBuffers<RouteBatchMatmulToWinnersOp> {
  using OnBuffers::OnBuffers;
  LogicalResult rewriteBuffers(RouteBatchMatmulToWinnersOp op,
                               PatternRewriter &rewriter) const override {
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    KernelBuilder e{b};
    e.forLoop(e.idx(0), e.dim(op.getGrad(), 0), 1, [&](Value batch) {
      emitRouting(e, numTasks, matrixView(b, op.getGrad(), batch),
                  matrixView(b, op.getWinners(), batch),
                  matrixView(b, op.getGradLhs(), batch),
                  matrixView(b, op.getGradRhs(), batch));
    });
    rewriter.eraseOp(op);
    return success();
  }
};

/// Whether the packed GEMM in winners mode computes these operands exactly
/// as the reference: f32 or f64 (other types are computed widened, where
/// two products that round to the same value would not tie), with
/// contiguous rows of B, C and W.
LogicalResult checkWinnersGemm(PatternRewriter &rewriter, Operation *op,
                               Value rhs, ValueRange outs) {
  Type elementType = getElementTypeOrSelf(outs.front().getType());
  if (!elementType.isF32() && !elementType.isF64())
    return rewriter.notifyMatchFailure(op, "reference lowering");
  if (!hasUnitInnerStride(rhs) ||
      !llvm::all_of(outs, [](Value v) { return hasUnitInnerStride(v); }))
    return rewriter.notifyMatchFailure(op, "no fast kernel");
  return success();
}

/// matmul_winners on the packed GEMM in winners mode (f32 and f64 only).
struct MatmulWinnersToCPU : OnBuffers<MatmulWinnersOp> {
  using OnBuffers::OnBuffers;
  LogicalResult rewriteBuffers(MatmulWinnersOp op,
                               PatternRewriter &rewriter) const override {
    if (failed(checkWinnersGemm(rewriter, op, op.getRhs(),
                                {op.getInit(), op.getWinners()})))
      return failure();
    Type elementType = getElementTypeOrSelf(op.getInit().getType());
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    emitMatmul(b, *this, this->domain(op.getSemiring(), elementType),
               op.getLhs(), op.getRhs(), op.getInit(), std::nullopt, nullptr,
               op.getWinners());
    rewriter.eraseOp(op);
    return success();
  }
};

/// batch_matmul_winners: one packed GEMM in winners mode per batch.
struct BatchMatmulWinnersToCPU : OnBuffers<BatchMatmulWinnersOp> {
  using OnBuffers::OnBuffers;
  LogicalResult rewriteBuffers(BatchMatmulWinnersOp op,
                               PatternRewriter &rewriter) const override {
    if (failed(checkWinnersGemm(rewriter, op, op.getRhs(),
                                {op.getInit(), op.getWinners()})))
      return failure();
    ComputeDomain dom = this->domain(
        op.getSemiring(), getElementTypeOrSelf(op.getInit().getType()));
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    KernelBuilder e{b};
    e.forLoop(e.idx(0), e.dim(op.getInit(), 0), 1, [&](Value batch) {
      emitMatmul(b, *this, dom, matrixView(b, op.getLhs(), batch),
                 matrixView(b, op.getRhs(), batch),
                 matrixView(b, op.getInit(), batch), std::nullopt, nullptr,
                 matrixView(b, op.getWinners(), batch));
    });
    rewriter.eraseOp(op);
    return success();
  }
};

/// dual_matmul_winners: a max-plus and a min-plus GEMM in winners mode.
/// The winners mode keeps one index register per value register, so the
/// dual GEMM's second accumulator tile does not fit beside them; the values
/// are bit-identical to the dual kernel's (the same rounded sums).
struct DualMatmulWinnersToCPU : OnBuffers<DualMatmulWinnersOp> {
  using OnBuffers::OnBuffers;
  LogicalResult rewriteBuffers(DualMatmulWinnersOp op,
                               PatternRewriter &rewriter) const override {
    if (failed(checkWinnersGemm(rewriter, op, op.getRhs(),
                                {op.getInitMax(), op.getInitMin(),
                                 op.getWinnersMax(), op.getWinnersMin()})))
      return failure();
    Type elementType = getElementTypeOrSelf(op.getInitMax().getType());
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    emitMatmul(b, *this, this->domain(SemiringKind::MaxPlus, elementType),
               op.getLhs(), op.getRhs(), op.getInitMax(), std::nullopt, nullptr,
               op.getWinnersMax());
    emitMatmul(b, *this, this->domain(SemiringKind::MinPlus, elementType),
               op.getLhs(), op.getRhs(), op.getInitMin(), std::nullopt, nullptr,
               op.getWinnersMin());
    rewriter.eraseOp(op);
    return success();
  }
};

/// conv_2d_winners as im2col and one packed GEMM in winners mode: the
/// patches matrix P[(n·OH + oh)·OW + ow, (kh·KW + kw)·C + c] (𝟘 where the
/// window reads padding) times the filter viewed as (KH·KW·C)×F, into the
/// output and winners viewed as (N·OH·OW)×F. The GEMM's reduction index is
/// then the op's linearised (kh, kw, c), and its products the reference's,
/// so values and winners are the reference lowering's bit for bit. The
/// patches take KH·KW·C times the output's rows in memory.
struct Conv2DWinnersToCPU : OnBuffers<Conv2DWinnersOp> {
  using OnBuffers::OnBuffers;
  LogicalResult rewriteBuffers(Conv2DWinnersOp op,
                               PatternRewriter &rewriter) const override {
    Value input = op.getInput(), filter = op.getFilter();
    Value init = op.getInit(), winners = op.getWinners();
    for (Value v : {filter, init, winners})
      if (!cast<MemRefType>(v.getType()).getLayout().isIdentity())
        return rewriter.notifyMatchFailure(op, "not contiguous");
    Type elementType = getElementTypeOrSelf(init.getType());
    if (!elementType.isF32() && !elementType.isF64())
      return rewriter.notifyMatchFailure(op, "reference lowering");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    KernelBuilder e{b};
    Value n = e.dim(init, 0), oh = e.dim(init, 1), ow = e.dim(init, 2);
    Value kh = e.dim(filter, 0), kw = e.dim(filter, 1), c = e.dim(filter, 2);
    Value height = e.dim(input, 1), width = e.dim(input, 2);
    Value rows = e.mul(e.mul(n, oh), ow), cols = e.mul(e.mul(kh, kw), c);
    auto patchType = MemRefType::get(
        {ShapedType::kDynamic, ShapedType::kDynamic}, elementType);
    Value patches =
        memref::AllocOp::create(b, patchType, ValueRange{rows, cols});
    Value zero = buildZero(b, b.getLoc(), op.getSemiring(), elementType);
    ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
    ArrayRef<int64_t> padding = op.getPadding();
    auto coordinate = [&](Value o, Value k, int64_t d) {
      return e.sub(
          e.add(e.mul(o, e.idx(strides[d])), e.mul(k, e.idx(dilations[d]))),
          e.idx(padding[d]));
    };
    auto inside = [&](Value v, Value size) {
      return arith::AndIOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, v, e.idx(0)),
          arith::CmpIOp::create(b, arith::CmpIPredicate::slt, v, size));
    };
    e.parallelLoop(rows, [&](Value row) {
      Value x = arith::RemUIOp::create(b, row, ow);
      Value rest = arith::DivUIOp::create(b, row, ow);
      Value y = arith::RemUIOp::create(b, rest, oh);
      Value batch = arith::DivUIOp::create(b, rest, oh);
      e.forLoop(e.idx(0), kh, 1, [&](Value i) {
        e.forLoop(e.idx(0), kw, 1, [&](Value j) {
          Value h = coordinate(y, i, 0), w = coordinate(x, j, 1);
          Value in =
              arith::AndIOp::create(b, inside(h, height), inside(w, width));
          Value base = e.mul(e.add(e.mul(i, kw), j), c);
          e.forLoop(e.idx(0), c, 1, [&](Value ch) {
            auto ifOp = scf::IfOp::create(b, TypeRange{elementType}, in,
                                          /*withElseRegion=*/true);
            {
              OpBuilder::InsertionGuard guard(b);
              b.setInsertionPointToStart(ifOp.thenBlock());
              scf::YieldOp::create(b,
                                   ValueRange{memref::LoadOp::create(
                                       b, input, ValueRange{batch, h, w, ch})});
              b.setInsertionPointToStart(ifOp.elseBlock());
              scf::YieldOp::create(b, ValueRange{zero});
            }
            memref::StoreOp::create(b, ifOp.getResult(0), patches,
                                    ValueRange{row, e.add(base, ch)});
          });
        });
      });
    });
    SmallVector<ReassociationIndices> byRows = {{0, 1, 2}, {3}};
    Value matrix = memref::CollapseShapeOp::create(b, filter, byRows);
    Value out = memref::CollapseShapeOp::create(b, init, byRows);
    Value outWinners = memref::CollapseShapeOp::create(b, winners, byRows);
    emitMatmul(b, *this, this->domain(op.getSemiring(), elementType), patches,
               matrix, out, std::nullopt, nullptr, outWinners);
    memref::DeallocOp::create(b, patches);
    rewriter.eraseOp(op);
    return success();
  }
};

} // namespace

void trop::populateTrainingPatterns(RewritePatternSet &patterns,
                                    const CPUPattern &cfg) {
  patterns.add<RouteToWinnersToCPU, RouteBatchMatmulToWinnersToCPU,
               MatmulWinnersToCPU, BatchMatmulWinnersToCPU,
               DualMatmulWinnersToCPU, Conv2DWinnersToCPU>(
      patterns.getContext(), cfg);
}
