//===- SoftBF16.h - bf16 arithmetic with software rounding ------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_SOFTBF16_SOFTBF16_H
#define TROP_CONVERSION_SOFTBF16_SOFTBF16_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
} // namespace arith

namespace trop {

#define GEN_PASS_DECL_SOFTBF16
#include "trop/Conversion/Passes.h.inc"

} // namespace trop
} // namespace mlir

#endif // TROP_CONVERSION_SOFTBF16_SOFTBF16_H
