//===- VerifyHelpers.h - Verification helpers of the trop ops ---*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Checks shared by the verifiers of TropOps.cpp and TropBinaryOps.cpp, so
// that both say the same thing in the same words. Private to the IR library.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_DIALECT_TROP_IR_VERIFYHELPERS_H
#define TROP_LIB_DIALECT_TROP_IR_VERIFYHELPERS_H

#include "trop/Dialect/Trop/IR/TropAttrs.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"

#include <initializer_list>
#include <utility>

namespace mlir {
namespace trop {

/// An operand and the name it has in the op's pretty form, for diagnostics.
struct NamedOperand {
  StringRef name;
  Value value;
  ShapedType type() const { return cast<ShapedType>(value.getType()); }
};

/// Element types agree, are supported, and (when `kind` is given) carry the
/// semiring.
LogicalResult verifyElementTypes(Operation *op, ArrayRef<NamedOperand> operands,
                                 std::optional<SemiringKind> kind);

/// Checks the shapes of a full convolution (N×H×W×C input, KH×KW×C×F
/// filter, N×OH×OW×F init) and its window.
LogicalResult verifyConv2DShapes(Operation *op, const NamedOperand &input,
                                 const NamedOperand &filter,
                                 const NamedOperand &init,
                                 ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> padding);

/// Checks the shapes of a maxout: `init` is `input` with the last dimension
/// divided by `groupSize`.
LogicalResult verifyMaxoutShapes(Operation *op, int64_t groupSize,
                                 const NamedOperand &input,
                                 const NamedOperand &init);

/// Checks that `operand` has rank `rank`.
LogicalResult verifyRank(Operation *op, const NamedOperand &operand,
                         int64_t rank);

/// Checks that two dimensions agree where both are static.
LogicalResult verifyDimsMatch(Operation *op, const NamedOperand &a,
                              int64_t dimA, const NamedOperand &b, int64_t dimB,
                              StringRef what);

/// Verifies strides, dilations and padding of a window op (NHWC input,
/// filter with KH, KW leading, NHW? output) and the output sizes they imply.
LogicalResult verifyWindow(Operation *op, const NamedOperand &input,
                           const NamedOperand &filter, const NamedOperand &init,
                           ArrayRef<int64_t> strides,
                           ArrayRef<int64_t> dilations,
                           ArrayRef<int64_t> padding);

/// Checks the shapes of a depthwise window op (N×H×W×C input, KH×KW×C
/// filter, N×OH×OW×C init; `what` names the last dimension) and its window.
LogicalResult verifyDepthwiseWindow(Operation *op, const NamedOperand &input,
                                    const NamedOperand &filter,
                                    const NamedOperand &init, StringRef what,
                                    ArrayRef<int64_t> strides,
                                    ArrayRef<int64_t> dilations,
                                    ArrayRef<int64_t> padding);

/// The loops (n, oh, ow, c, kh, kw) of a depthwise window op.
SmallVector<int64_t> depthwiseLoopRanges(Value input, Value filter, Value init);

/// The static size of a loop from the first operand dimension that is
/// static, or kDynamic.
int64_t staticSize(std::initializer_list<std::pair<Value, int64_t>> dims);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_DIALECT_TROP_IR_VERIFYHELPERS_H
