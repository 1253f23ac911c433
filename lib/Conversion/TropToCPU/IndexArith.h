//===- IndexArith.h - Index arithmetic for the kernel emitters --*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The loop bounds, offsets and block counts of the CPU kernels are index
// values computed at run time; these one-liners keep the emitters readable.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_INDEXARITH_H
#define TROP_LIB_CONVERSION_TROPTOCPU_INDEXARITH_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace trop {

/// Index arithmetic at `b`'s insertion point. All operands are
/// non-negative, so divisions may be unsigned.
struct IndexArith {
  ImplicitLocOpBuilder &b;

  Value idx(int64_t v) { return arith::ConstantIndexOp::create(b, v); }
  Value add(Value x, Value y) { return arith::AddIOp::create(b, x, y); }
  Value sub(Value x, Value y) { return arith::SubIOp::create(b, x, y); }
  Value mul(Value x, Value y) { return arith::MulIOp::create(b, x, y); }
  Value min(Value x, Value y) { return arith::MinSIOp::create(b, x, y); }
  Value ceilDiv(Value x, int64_t d) {
    return arith::DivUIOp::create(b, add(x, idx(d - 1)), idx(d));
  }
  Value roundUp(Value x, int64_t d) { return mul(ceilDiv(x, d), idx(d)); }
};

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_INDEXARITH_H
