//===- LogSumExp.cpp - lse_matmul on CPU ----------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.lse_matmul, C = (1/β)·ln(e^{βC} + Σ_k e^{β(A[i, k] + B[k, j])}), as an
// ordinary (+, ×) GEMM of exponentials. With ra_i = max_k A[i, k] and
// rb_j = max_k B[k, j] (the running maximum hoisted out of the sum):
//
//   Σ_k e^{β(A + B)} = e^{β(ra_i + rb_j)} · S[i, j],
//   S = A' · B',  A'[i, k] = e^{β(A[i, k] − ra_i)},  B'[k, j] = e^{β(B[k, j] −
//   rb_j)}
//
// A' and B' lie in [0, 1] (nothing overflows), take M·K + K·N exponentials
// (a vectorized polynomial, below) instead of one per update, and S is the
// packed FMA GEMM of GemmEmitter (linear domain). Each output is then
// m + ln(S·e^{β(r − m)} + e^{β(C − m)})/β with r = ra_i + rb_j and
// m = max(C, r).
//
// Where the largest term lies far below ra_i + rb_j, S underflows: outputs
// with S < τ (2^-64 for f32, 2^-512 for f64), with r = −∞, with a destination
// of +∞ or NaN, and all outputs when A or B holds a NaN or +∞, are computed
// instead by the op's definition (LogSumExpStep.h, the reference lowering's
// builders: bit-identical to it). Otherwise the error bound is that of
// docs/bipolar.md ("The CPU kernel of lse_matmul"): about (K + 2(2 ln K +
// ln(1/τ)) + 16)·u/β plus a few ulps of the result, u the unit roundoff.
//
//===----------------------------------------------------------------------===//

#include "KernelBuilder.h"
#include "PatternUtils.h"
#include "PopulatePatterns.h"
#include "trop/Conversion/LogSumExpStep.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <cmath>

using namespace mlir;
using namespace mlir::trop;

/// e^x for a vector x <= 0 of f32 or f64 (NaN-free): 2^n·p(r) with
/// n = ⌊x·log₂e + ½⌋, r = x − n·ln 2 in two FMA steps (Cody–Waite, |r| <=
/// ln2/2) and p the Taylor polynomial of degree 7 (f32) or 12 (f64), whose
/// truncation error (0.35^8/8! = 5e-9, 0.35^13/13! = 2e-16) is below half an
/// ulp; the Horner steps add at most about 2 ulps. Below −87 (f32) or −708
/// (f64), where 2^n would leave the normal range, it returns 0: such terms
/// are below the smallest normal number.
static Value emitExp(ImplicitLocOpBuilder &b, Value x) {
  auto vt = cast<VectorType>(x.getType());
  auto et = cast<FloatType>(vt.getElementType());
  bool single = et.getWidth() == 32;
  auto splat = [&](double v) -> Value {
    return arith::ConstantOp::create(
        b, SplatElementsAttr::get(vt, b.getFloatAttr(et, v)));
  };
  Value lo = splat(single ? -87.0 : -708.0);
  Value tooSmall = arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, x, lo);
  Value xc = arith::SelectOp::create(b, tooSmall, lo, x);
  Value n = math::FloorOp::create(
      b, math::FmaOp::create(b, xc, splat(M_LOG2E), splat(0.5)));
  // ln 2 = hi + lo with hi short enough that n·hi is exact.
  double ln2Hi = single ? 0.693359375 : 6.93147180369123816490e-01;
  double ln2Lo = single ? -2.12194440e-4 : 1.90821492927058770002e-10;
  Value negN = arith::NegFOp::create(b, n);
  Value r = math::FmaOp::create(b, negN, splat(ln2Hi), xc);
  r = math::FmaOp::create(b, negN, splat(ln2Lo), r);
  int degree = single ? 7 : 12;
  double factorial = 1;
  for (int i = 2; i <= degree; ++i)
    factorial *= i;
  Value p = splat(1.0 / factorial);
  for (int i = degree - 1; i >= 0; --i) {
    factorial /= std::max(1, i + 1);
    p = math::FmaOp::create(b, p, r, splat(1.0 / factorial));
  }
  // 2^n from its exponent bits (n >= −126 or −1022 here).
  auto intType = b.getIntegerType(et.getWidth());
  auto ivt = VectorType::get(vt.getShape(), intType);
  int64_t bias = single ? 127 : 1023, mantissa = single ? 23 : 52;
  auto intSplat = [&](int64_t v) -> Value {
    return arith::ConstantOp::create(
        b, SplatElementsAttr::get(ivt, b.getIntegerAttr(intType, v)));
  };
  Value bits = arith::ShLIOp::create(
      b,
      arith::AddIOp::create(b, arith::FPToSIOp::create(b, ivt, n),
                            intSplat(bias)),
      intSplat(mantissa));
  Value scale = arith::BitcastOp::create(b, vt, bits);
  Value y = arith::MulFOp::create(b, p, scale);
  return arith::SelectOp::create(b, tooSmall, splat(0.0), y);
}

namespace {
/// The kernel on 2-D memrefs A (M×K), B (K×N) and C (M×N).
struct LseKernel : KernelBuilder {
  const CPUPattern &cfg;
  Value a, bm, c;
  double beta;
  NaNMode nanMode;
  FloatType et;
  int64_t vl;
  VectorType vt;

  Value constant(double v) { return lseConstant(b, b.getLoc(), et, v); }
  Value splat(Value scalar) {
    return vector::BroadcastOp::create(b, vt, scalar);
  }
  Value alloc(ArrayRef<int64_t> shape, Type type, ValueRange sizes) {
    return memref::AllocOp::create(b, MemRefType::get(shape, type), sizes,
                                   b.getI64IntegerAttr(64));
  }
  /// e^{β(w − max)} for a vector w, 0 where the maximum is −∞ (w is −∞ too).
  Value scaledExp(Value w, Value max) {
    Value arg = arith::MulFOp::create(b, splat(constant(beta)),
                                      arith::SubFOp::create(b, w, max));
    Value empty = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, max,
                                        splat(constant(-INFINITY)));
    return arith::SelectOp::create(b, empty, splat(constant(0)),
                                   emitExp(b, arg));
  }
  /// A vector max carried over `n` steps of body(step) -> vector, from −∞,
  /// with the NaN/+∞ flags of what it saw; returns {max, any flag}.
  std::pair<Value, Value> maxOver(Value n, function_ref<Value(Value)> load) {
    auto maskType = VectorType::get({vl}, b.getI1Type());
    Value clean =
        arith::ConstantOp::create(b, DenseElementsAttr::get(maskType, false));
    auto loop = forLoop(
        idx(0), n, idx(1), ValueRange{splat(constant(-INFINITY)), clean},
        [&](Value s, ValueRange acc) -> SmallVector<Value> {
          Value w = load(s);
          return {buildMaxOrMin(b, b.getLoc(), true, acc[0], w,
                                NaNMode::AssumeNone),
                  arith::OrIOp::create(
                      b, acc[1], isNaNOrInfinite(w, /*bothSigns=*/false))};
        });
    return {loop.getResult(0),
            vector::ReductionOp::create(b, vector::CombiningKind::OR,
                                        loop.getResult(1))};
  }
  Value read(Value memref, Value i, Value j) {
    return vector::TransferReadOp::create(b, vt, memref, ValueRange{i, j},
                                          constant(-INFINITY),
                                          ArrayRef<bool>{false});
  }
  void write(Value vec, Value memref, Value i, Value j) {
    vector::TransferWriteOp::create(b, vec, memref, ValueRange{i, j},
                                    ArrayRef<bool>{false});
  }

  void emit();
  Value output(Value i, Value j, Value s, Value r, Value bad);
};
} // namespace

/// C[i, j] from the GEMM's S and r = ra_i + rb_j, or by the definition.
Value LseKernel::output(Value i, Value j, Value s, Value r, Value bad) {
  Value c0 = memref::LoadOp::create(b, c, ValueRange{i, j});
  double tau = et.getWidth() == 32 ? 0x1p-64 : 0x1p-512;
  Value big =
      arith::CmpFOp::create(b, arith::CmpFPredicate::OGE, s, constant(tau));
  Value rFinite = arith::CmpFOp::create(b, arith::CmpFPredicate::OGT, r,
                                        constant(-INFINITY));
  Value cBelow = arith::CmpFOp::create(b, arith::CmpFPredicate::OLT, c0,
                                       constant(INFINITY));
  Value fast = arith::AndIOp::create(
      b, arith::AndIOp::create(b, big, rFinite),
      arith::AndIOp::create(
          b, cBelow,
          arith::XOrIOp::create(
              b, bad, arith::ConstantIntOp::create(b, b.getI1Type(), 1))));
  auto ifFast = scf::IfOp::create(b, TypeRange{et}, fast, true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifFast.thenBlock());
  // m + ln(S·e^{β(r − m)} + e^{β(C − m)})/β, m = max(C, r); C = −∞ is the
  // common case (no destination), r + ln(S)/β.
  Value empty = arith::CmpFOp::create(b, arith::CmpFPredicate::OEQ, c0,
                                      constant(-INFINITY));
  auto ifEmpty = scf::IfOp::create(b, TypeRange{et}, empty, true);
  b.setInsertionPointToStart(ifEmpty.thenBlock());
  scf::YieldOp::create(b, buildLseResult(b, b.getLoc(), r, s, beta));
  b.setInsertionPointToStart(ifEmpty.elseBlock());
  Value m = arith::MaximumFOp::create(b, c0, r);
  auto expOf = [&](Value v) -> Value {
    return math::ExpOp::create(
        b, arith::MulFOp::create(b, constant(beta),
                                 arith::SubFOp::create(b, v, m)));
  };
  Value sum = arith::AddFOp::create(b, arith::MulFOp::create(b, s, expOf(r)),
                                    expOf(c0));
  scf::YieldOp::create(b, buildLseResult(b, b.getLoc(), m, sum, beta));
  b.setInsertionPointAfter(ifEmpty);
  scf::YieldOp::create(b, ifEmpty.getResult(0));

  // The definition, term by term.
  b.setInsertionPointToStart(ifFast.elseBlock());
  auto loop = forLoop(
      idx(0), dim(a, 1), idx(1),
      ValueRange{c0, buildLseStart(b, b.getLoc(), c0, constant(-INFINITY))},
      [&](Value k, ValueRange st) -> SmallVector<Value> {
        auto [m, s] =
            buildLseStep(b, b.getLoc(), st[0], st[1],
                         memref::LoadOp::create(b, a, ValueRange{i, k}),
                         memref::LoadOp::create(b, bm, ValueRange{k, j}), beta,
                         constant(-INFINITY), nanMode);
        return {m, s};
      });
  scf::YieldOp::create(b, buildLseResult(b, b.getLoc(), loop.getResult(0),
                                         loop.getResult(1), beta));
  return ifFast.getResult(0);
}

void LseKernel::emit() {
  Value m = dim(a, 0), kk = dim(a, 1), n = dim(c, 1);
  int64_t dyn = ShapedType::kDynamic;
  Value kChunks = ceilDiv(kk, vl), nChunks = ceilDiv(n, vl);
  Value ra = alloc({dyn}, et, {m});
  Value rowBad = alloc({dyn}, b.getI1Type(), {m});
  Value rb = alloc({dyn}, et, {mul(nChunks, idx(vl))});
  Value colBad = alloc({dyn}, b.getI1Type(), {nChunks});
  Value ap = alloc({dyn, dyn}, et, {m, kk});
  Value bp = alloc({dyn, dyn}, et, {kk, n});
  Value s = alloc({dyn, dyn}, et, {m, n});

  // Row maxima of A, then A' = e^{β(A − ra)}; S = 0.
  parallelLoop(m, [&](Value i) {
    auto [max, bad] =
        maxOver(kChunks, [&](Value q) { return read(a, i, mul(q, idx(vl))); });
    Value rai =
        buildMaxOrMinReduction(b, b.getLoc(), true, max, NaNMode::AssumeNone);
    memref::StoreOp::create(b, rai, ra, ValueRange{i});
    memref::StoreOp::create(b, bad, rowBad, ValueRange{i});
    forLoop(idx(0), kChunks, idx(1), [&](Value q) {
      Value k = mul(q, idx(vl));
      write(scaledExp(read(a, i, k), splat(rai)), ap, i, k);
    });
    forLoop(idx(0), nChunks, idx(1),
            [&](Value q) { write(splat(constant(0)), s, i, mul(q, idx(vl))); });
  });
  // Column maxima of B, then B' = e^{β(B − rb)}.
  parallelLoop(nChunks, [&](Value q) {
    Value j = mul(q, idx(vl));
    auto [max, bad] = maxOver(kk, [&](Value k) { return read(bm, k, j); });
    vector::StoreOp::create(b, max, rb, ValueRange{j});
    memref::StoreOp::create(b, bad, colBad, ValueRange{q});
  });
  parallelLoop(kk, [&](Value k) {
    forLoop(idx(0), nChunks, idx(1), [&](Value q) {
      Value j = mul(q, idx(vl));
      Value rbj = vector::LoadOp::create(b, vt, rb, ValueRange{j});
      write(scaledExp(read(bm, k, j), rbj), bp, k, j);
    });
  });

  emitMatmul(b, cfg, ComputeDomain::getLinear(et, /*fused=*/true), ap, bp, s);

  Value bad = arith::OrIOp::create(b, anyOf(rowBad, m), anyOf(colBad, nChunks));
  parallelLoop(m, [&](Value i) {
    Value rai = memref::LoadOp::create(b, ra, ValueRange{i});
    forLoop(idx(0), n, idx(1), [&](Value j) {
      Value r = arith::AddFOp::create(
          b, rai, memref::LoadOp::create(b, rb, ValueRange{j}));
      Value sij = memref::LoadOp::create(b, s, ValueRange{i, j});
      memref::StoreOp::create(b, output(i, j, sij, r, bad), c,
                              ValueRange{i, j});
    });
  });
  for (Value buffer : {ra, rowBad, rb, colBad, ap, bp, s})
    memref::DeallocOp::create(b, buffer);
}

namespace {
/// Every memref form (the kernel reads its operands through
/// vector.transfer_read); static empty shapes go to the reference lowering.
struct LseMatmulToCPU : CPUOpPattern<LseMatmulOp> {
  using CPUOpPattern::CPUOpPattern;
  LogicalResult matchAndRewrite(LseMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (op.hasTensorSemantics())
      return rewriter.notifyMatchFailure(op, "bufferize first");
    if (llvm::is_contained(op.getStaticLoopRanges(), 0))
      return rewriter.notifyMatchFailure(op, "empty");
    ImplicitLocOpBuilder b(op.getLoc(), rewriter);
    auto et = cast<FloatType>(
        cast<MemRefType>(op.getInit().getType()).getElementType());
    int64_t vl = std::max<int64_t>(1, target.vectorBits / et.getWidth());
    LseKernel kernel{{b},          *this,
                     op.getLhs(),  op.getRhs(),
                     op.getInit(), op.getBeta().convertToDouble(),
                     nanMode,      et,
                     vl,           VectorType::get({vl}, et)};
    kernel.emit();
    rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void trop::populateLogSumExpPatterns(RewritePatternSet &patterns,
                                     const CPUPattern &cfg) {
  patterns.add<LseMatmulToCPU>(patterns.getContext(), cfg);
}
