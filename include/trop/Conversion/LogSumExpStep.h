//===- LogSumExpStep.h - The stable log-sum-exp update ----------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// trop.lse_matmul's definition of one output: a running maximum m (from the
// destination) and a sum s of e^{β(t − m)} rescaled whenever m grows, then
// m + ln(s)/β. The reference lowering (TropToLinalg) computes every output
// this way, and the CPU kernel (TropToCPU/LogSumExp.cpp) those its fast path
// does not take, with these same builders, so that both give the same bits.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_LOGSUMEXPSTEP_H
#define TROP_CONVERSION_LOGSUMEXPSTEP_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <utility>

namespace mlir {
namespace trop {

/// The constant `value` of the scalar float type `type`.
inline Value lseConstant(OpBuilder &b, Location loc, Type type, double value) {
  return arith::ConstantOp::create(b, loc, type, b.getFloatAttr(type, value));
}

/// The sum s an output starts with: 0 where the destination `c` is −∞
/// (`negInf`; it counts nothing), 1 otherwise (e^{β(c − c)}).
inline Value buildLseStart(OpBuilder &b, Location loc, Value c, Value negInf) {
  Type type = c.getType();
  Value empty =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, c, negInf);
  return arith::SelectOp::create(b, loc, empty, lseConstant(b, loc, type, 0),
                                 lseConstant(b, loc, type, 1));
}

/// (m, s) after the term a + b (⊗ of max-plus: +∞ met −∞ is −∞): the smaller
/// of m and the term is rescaled to the larger with one exponential (`s·e + 1`
/// when the term becomes the maximum, `s + e` otherwise); where both are −∞, s
/// is kept (their difference would be NaN).
inline std::pair<Value, Value> buildLseStep(OpBuilder &b, Location loc, Value m,
                                            Value s, Value lhs, Value rhs,
                                            double beta, Value negInf,
                                            NaNMode nanMode) {
  Type type = m.getType();
  Value t = buildMul(b, loc, SemiringKind::MaxPlus, lhs, rhs, nanMode);
  Value hi = arith::MaximumFOp::create(b, loc, m, t);
  Value lo = arith::MinimumFOp::create(b, loc, m, t);
  Value e = math::ExpOp::create(
      b, loc,
      arith::MulFOp::create(b, loc, lseConstant(b, loc, type, beta),
                            arith::SubFOp::create(b, loc, lo, hi)));
  Value grows = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, t, m);
  Value rescaled =
      arith::AddFOp::create(b, loc, arith::MulFOp::create(b, loc, s, e),
                            lseConstant(b, loc, type, 1));
  Value added = arith::AddFOp::create(b, loc, s, e);
  Value next = arith::SelectOp::create(b, loc, grows, rescaled, added);
  Value none =
      arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OEQ, hi, negInf);
  next = arith::SelectOp::create(b, loc, none, s, next);
  return {hi, next};
}

/// The output m + ln(s)/β.
inline Value buildLseResult(OpBuilder &b, Location loc, Value m, Value s,
                            double beta) {
  Value log = math::LogOp::create(b, loc, s);
  Value scaled = arith::DivFOp::create(b, loc, log,
                                       lseConstant(b, loc, m.getType(), beta));
  return arith::AddFOp::create(b, loc, m, scaled);
}

} // namespace trop
} // namespace mlir

#endif // TROP_CONVERSION_LOGSUMEXPSTEP_H
