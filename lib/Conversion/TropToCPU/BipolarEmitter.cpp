//===- BipolarEmitter.cpp - The bipolar (BM) layer kernel -----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The four contractions of a BM layer share their operands pairwise: L⁺ and
// L⁻ meet both V⁺ and V⁻. The kernel interleaves them so that they become
// ONE max-plus GEMM of twice the rows and twice the columns:
//
//   P (2M×K):  P[2i] = L⁺[i],  P[2i + 1] = L⁻[i]
//   W (K×2N):  W[:, 2j] = V⁺[:, j],  W[:, 2j + 1] = V⁻[:, j]
//   C = P ⊗ W from 𝟘:  C[2i + a, 2j + b] = max_k (P[2i + a, k] + W[k, 2j + b])
//
// so the packed GEMM's register tile (several rows by whole vectors of
// columns) holds, for every (i, j) it covers, the four accumulators of both
// pole pairs, and one sweep over K updates all four from two broadcast
// input poles and two weight-pole vectors. The logarithms are taken once per
// input (not once per update) and the exponentials once per output. Every
// step is the reference lowering's (TropToLinalg): the same scalar math.log
// and math.exp, max and + exact or rounded once, and the signed sum in the
// op's order, so the results are bit-identical.
//
//===----------------------------------------------------------------------===//

#include "BipolarEmitter.h"
#include "KernelBuilder.h"
#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;
using namespace mlir::trop;

/// for i in [0, ub) in parallel (OpenMP when the pipeline has threads), for
/// j in [0, inner): body(i, j).
static void forRowsAndColumns(ImplicitLocOpBuilder &b, Value ub, Value inner,
                              function_ref<void(Value, Value)> body) {
  KernelBuilder k{b};
  Value zero = k.idx(0), one = k.idx(1);
  auto rows = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{ub},
                                      ValueRange{one});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(rows.getBody());
  Value i = rows.getInductionVars()[0];
  k.forLoop(zero, inner, 1, [&](Value j) { body(i, j); });
}

void trop::emitBipolarMatmul(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                             Value x, Value vPos, Value vNeg, Value y,
                             double inputShift) {
  KernelBuilder k{b};
  auto elementType =
      cast<FloatType>(cast<MemRefType>(y.getType()).getElementType());
  Value m = k.dim(x, 0), kk = k.dim(x, 1), n = k.dim(y, 1);
  Value two = k.idx(2), one = k.idx(1);
  Value m2 = k.mul(m, two), n2 = k.mul(n, two);
  auto matrix = MemRefType::get({ShapedType::kDynamic, ShapedType::kDynamic},
                                elementType);
  Value poles = memref::AllocOp::create(b, matrix, ValueRange{m2, kk});
  Value weights = memref::AllocOp::create(b, matrix, ValueRange{kk, n2});
  Value maxima = memref::AllocOp::create(b, matrix, ValueRange{m2, n2});

  // P[2i] = ln(max(x, s)), P[2i + 1] = ln(max(−x, s)).
  Value shift = arith::ConstantOp::create(
      b, elementType, b.getFloatAttr(elementType, inputShift));
  forRowsAndColumns(b, m, kk, [&](Value i, Value c) {
    Value v = memref::LoadOp::create(b, x, ValueRange{i, c});
    Value neg = arith::NegFOp::create(b, v);
    Value row = k.mul(i, two);
    memref::StoreOp::create(
        b, math::LogOp::create(b, arith::MaximumFOp::create(b, v, shift)),
        poles, ValueRange{row, c});
    memref::StoreOp::create(
        b, math::LogOp::create(b, arith::MaximumFOp::create(b, neg, shift)),
        poles, ValueRange{k.add(row, one), c});
  });
  // W[:, 2j] = V⁺[:, j], W[:, 2j + 1] = V⁻[:, j].
  forRowsAndColumns(b, kk, n, [&](Value r, Value j) {
    Value col = k.mul(j, two);
    memref::StoreOp::create(b,
                            memref::LoadOp::create(b, vPos, ValueRange{r, j}),
                            weights, ValueRange{r, col});
    memref::StoreOp::create(b,
                            memref::LoadOp::create(b, vNeg, ValueRange{r, j}),
                            weights, ValueRange{r, k.add(col, one)});
  });

  // The four contractions in one GEMM, each from 𝟘 = −∞.
  SemiringKind kind = SemiringKind::MaxPlus;
  Value zero = buildZero(b, b.getLoc(), kind, elementType);
  forRowsAndColumns(b, m2, n2, [&](Value r, Value c) {
    memref::StoreOp::create(b, zero, maxima, ValueRange{r, c});
  });
  emitMatmul(b, cfg, cfg.domain(kind, elementType), poles, weights, maxima);

  // y + e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻), in the op's order.
  forRowsAndColumns(b, m, n, [&](Value i, Value j) {
    Value acc = memref::LoadOp::create(b, y, ValueRange{i, j});
    Value row = k.mul(i, two), col = k.mul(j, two);
    for (int t = 0; t < 4; ++t) {
      Value r = t < 2 ? row : k.add(row, one);
      Value c = t % 2 == 0 ? col : k.add(col, one);
      Value e = math::ExpOp::create(
          b, memref::LoadOp::create(b, maxima, ValueRange{r, c}));
      if (t == 1 || t == 2)
        acc = arith::SubFOp::create(b, acc, e);
      else
        acc = arith::AddFOp::create(b, acc, e);
    }
    memref::StoreOp::create(b, acc, y, ValueRange{i, j});
  });
  for (Value temporary : {poles, weights, maxima})
    memref::DeallocOp::create(b, temporary);
}
