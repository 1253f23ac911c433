//===- RaiseCommon.h - Pieces the --trop-raise patterns share ---*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// What Raise.cpp (contractions, reductions, maxout, pooling, the init
// folds) and RaiseWindow.cpp (windowed convolutions) both need: which arith
// ops are a semiring's ⊕ and ⊗ exactly, the `out ⊕ (a ⊗ b)` body, and the
// layout fixes (transpose, negation) applied to operands.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_TROP_TRANSFORMS_RAISECOMMON_H
#define LIB_DIALECT_TROP_TRANSFORMS_RAISECOMMON_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir {
namespace trop {
namespace raise {

/// Classifies an arith op as max, min or plus when trop's semantics of that
/// operation are exactly the op's (see Raise.cpp).
std::optional<SemiringOp> classify(Operation *op);

/// Whether `op` has exactly the operands {x, y}, in either order.
bool hasOperands(Operation *op, Value x, Value y);

/// A ⊗ of the two values x and y, and which of them (0: x, 1: y) it
/// subtracts (`arith.subf`, −1 for none).
struct Times {
  SemiringOp kind;
  int negate;
};

/// `op` as ⊗ of x and y (either order): classify's ops, and `arith.subf`
/// as plus of the negated subtrahend (a − b = a + (−b) exactly in IEEE).
std::optional<Times> classifyTimes(Operation *op, Value x, Value y);

/// The semiring of a body `yield out ⊕ (a ⊗ b)` (arguments a, b, out), and
/// which of a (0) or b (1) ⊗ subtracts.
struct SemiringBody {
  SemiringKind kind;
  int negate;
};
std::optional<SemiringBody> matchSemiringBody(Block &body);

/// matchSemiringBody of a `linalg.generic` on tensors with two inputs and
/// one init.
std::optional<SemiringBody> matchBinaryContraction(linalg::GenericOp op);

/// −source, elementwise (exact).
Value negate(PatternRewriter &rewriter, Location loc, Value source);

/// Transposes a tensor with `permutation` (result dim i = source dim
/// permutation[i]); the source itself for the identity.
Value transpose(PatternRewriter &rewriter, Location loc, Value source,
                ArrayRef<int64_t> permutation);

/// Adds the windowed-convolution patterns (RaiseWindow.cpp).
void populateRaiseWindowPatterns(RewritePatternSet &patterns);

} // namespace raise
} // namespace trop
} // namespace mlir

#endif // LIB_DIALECT_TROP_TRANSFORMS_RAISECOMMON_H
