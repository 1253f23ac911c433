//===- TropTrainingOps.cpp - Verifiers of the training ops ----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers of the ops of TropTrainingOps.td: the forward ops that also
// return winners, and the routing of output gradients to them. The value
// part of each winners op has its forward op's shape rules (shared through
// VerifyHelpers.h); the winners are i64 and shaped like the values; a
// routing op has its forward op's shapes with the gradients in place of the
// operands and values.
//
//===----------------------------------------------------------------------===//

#include "VerifyHelpers.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::trop;

/// The form checks of an op whose last `numDests` operands are its
/// destinations: no mix of tensors and memrefs, and one result per
/// destination, of its type, on tensors; none on memrefs.
static LogicalResult verifyDestinations(Operation *op,
                                        ArrayRef<NamedOperand> operands,
                                        unsigned numDests) {
  ArrayRef<NamedOperand> dests = operands.take_back(numDests);
  const NamedOperand &first = dests.front();
  bool tensorForm = isa<RankedTensorType>(first.value.getType());
  for (const NamedOperand &operand : operands)
    if (isa<RankedTensorType>(operand.value.getType()) != tensorForm)
      return op->emitOpError()
             << "operands must be all ranked tensors or all memrefs, but '"
             << operand.name << "' is a " << (tensorForm ? "memref" : "tensor")
             << " and '" << first.name << "' is a "
             << (tensorForm ? "tensor" : "memref");
  if (!tensorForm)
    return op->getNumResults() == 0
               ? success()
               : op->emitOpError() << "on memrefs updates its destinations "
                                      "in place and must not return results";
  bool match = op->getNumResults() == numDests;
  for (unsigned i = 0; match && i < numDests; ++i)
    match = op->getResult(i).getType() == dests[i].value.getType();
  if (match)
    return success();
  static constexpr StringLiteral counts[] = {"", "", "two", "three", "four"};
  InFlightDiagnostic diag = op->emitOpError()
                            << "on tensors must return the updated ";
  for (unsigned i = 0; i < numDests; ++i)
    diag << (i == 0              ? ""
             : i + 1 == numDests ? " and "
                                 : ", ")
         << "'" << dests[i].name << "'";
  if (numDests == 1)
    diag << " as its result, of its type";
  else
    diag << " as its " << counts[std::min<unsigned>(numDests, 4)]
         << " results, of their types";
  return diag;
}

static LogicalResult verifyWinnersType(Operation *op,
                                       const NamedOperand &winners) {
  if (!winners.type().getElementType().isInteger(64))
    return op->emitOpError()
           << "'" << winners.name << "' must hold i64 indices, not "
           << winners.type().getElementType();
  return success();
}

/// `winners` has the rank and (where static) the sizes of `values`.
static LogicalResult verifySameShape(Operation *op, const NamedOperand &values,
                                     const NamedOperand &winners) {
  if (failed(verifyRank(op, winners, values.type().getRank())))
    return failure();
  for (int64_t d = 0, e = values.type().getRank(); d < e; ++d)
    if (failed(verifyDimsMatch(op, values, d, winners, d, "shape")))
      return failure();
  return success();
}

/// The value part of a winners op has its forward op's element types (not
/// i1: binary morphology is not trained through winners), and the winners
/// are i64 with the values' shape (`operands` ends with the values).
static LogicalResult verifyWinnersValues(Operation *op,
                                         ArrayRef<NamedOperand> operands,
                                         const NamedOperand &winners,
                                         std::optional<SemiringKind> kind) {
  if (failed(verifyElementTypes(op, operands, kind)))
    return failure();
  if (operands.back().type().getElementType().isInteger(1))
    return op->emitOpError() << "does not support i1 (binary morphology is "
                                "not trained through winners)";
  if (failed(verifyWinnersType(op, winners)))
    return failure();
  return success();
}

/// The gradients of a routing op (`grad` first) share one float type.
static LogicalResult verifyGradients(Operation *op,
                                     ArrayRef<NamedOperand> grads,
                                     const NamedOperand &winners) {
  Type elementType = grads.front().type().getElementType();
  if (!isa<FloatType>(elementType) || !isSupportedElementType(elementType))
    return op->emitOpError() << "unsupported element type " << elementType
                             << " of 'grad'; expected f16, bf16, f32 or f64";
  for (const NamedOperand &operand : grads.drop_front())
    if (operand.type().getElementType() != elementType)
      return op->emitOpError() << "element type of '" << operand.name << "' ("
                               << operand.type().getElementType()
                               << ") does not match element type of 'grad' ("
                               << elementType << ")";
  return verifyWinnersType(op, winners);
}

/// A (batched, with `batch`) matrix product's shapes: `lhs` [B×]M×K, `rhs`
/// [B×]K×N, `out` [B×]M×N.
static LogicalResult verifyProductShapes(Operation *op, const NamedOperand &lhs,
                                         const NamedOperand &rhs,
                                         ArrayRef<NamedOperand> outs,
                                         bool batch) {
  int64_t rank = batch ? 3 : 2, o = batch ? 1 : 0;
  for (const NamedOperand &operand : {lhs, rhs})
    if (failed(verifyRank(op, operand, rank)))
      return failure();
  for (const NamedOperand &operand : outs)
    if (failed(verifyRank(op, operand, rank)))
      return failure();
  if (failed(verifyDimsMatch(op, lhs, o + 1, rhs, o, "reduction size K")))
    return failure();
  if (batch && failed(verifyDimsMatch(op, lhs, 0, rhs, 0, "batch size")))
    return failure();
  const NamedOperand &out = outs.front();
  if ((batch && failed(verifyDimsMatch(op, lhs, 0, out, 0, "batch size"))) ||
      failed(verifyDimsMatch(op, lhs, o, out, o, "row count M")) ||
      failed(verifyDimsMatch(op, rhs, o + 1, out, o + 1, "column count N")))
    return failure();
  // The other outputs (winners, a second value) have the first's shape.
  for (const NamedOperand &other : outs.drop_front())
    if ((batch &&
         failed(verifyDimsMatch(op, out, 0, other, 0, "batch size"))) ||
        failed(verifyDimsMatch(op, out, o, other, o, "row count M")) ||
        failed(verifyDimsMatch(op, out, o + 1, other, o + 1, "column count N")))
      return failure();
  return success();
}

/// matmul_winners and batch_matmul_winners.
template <typename OpTy>
static LogicalResult verifyProductWinners(OpTy op, bool batch) {
  NamedOperand lhs{"lhs", op.getLhs()}, rhs{"rhs", op.getRhs()},
      init{"init", op.getInit()}, winners{"winners", op.getWinners()};
  if (failed(verifyDestinations(op, {lhs, rhs, init, winners}, 2)) ||
      failed(
          verifyWinnersValues(op, {lhs, rhs, init}, winners, op.getSemiring())))
    return failure();
  return verifyProductShapes(op, lhs, rhs, {init, winners}, batch);
}

/// route_to_winners and route_batch_matmul_to_winners: `grad_lhs` and
/// `grad_rhs` have the operands' shapes, `grad` and `winners` the output's.
template <typename OpTy>
static LogicalResult verifyProductRouting(OpTy op, bool batch) {
  NamedOperand grad{"grad", op.getGrad()}, winners{"winners", op.getWinners()},
      gradLhs{"grad_lhs", op.getGradLhs()},
      gradRhs{"grad_rhs", op.getGradRhs()};
  if (failed(verifyDestinations(op, {grad, winners, gradLhs, gradRhs}, 2)) ||
      failed(verifyGradients(op, {grad, gradLhs, gradRhs}, winners)))
    return failure();
  return verifyProductShapes(op, gradLhs, gradRhs, {grad, winners}, batch);
}

LogicalResult MatmulWinnersOp::verify() {
  return verifyProductWinners(*this, /*batch=*/false);
}

LogicalResult BatchMatmulWinnersOp::verify() {
  return verifyProductWinners(*this, /*batch=*/true);
}

LogicalResult RouteToWinnersOp::verify() {
  return verifyProductRouting(*this, /*batch=*/false);
}

LogicalResult RouteBatchMatmulToWinnersOp::verify() {
  return verifyProductRouting(*this, /*batch=*/true);
}

LogicalResult DualMatmulWinnersOp::verify() {
  NamedOperand lhs{"lhs", getLhs()}, rhs{"rhs", getRhs()},
      initMax{"init_max", getInitMax()}, initMin{"init_min", getInitMin()},
      winnersMax{"winners_max", getWinnersMax()},
      winnersMin{"winners_min", getWinnersMin()};
  if (failed(verifyDestinations(
          *this, {lhs, rhs, initMax, initMin, winnersMax, winnersMin}, 4)) ||
      failed(verifyWinnersValues(*this, {lhs, rhs, initMax, initMin},
                                 winnersMax, std::nullopt)) ||
      failed(verifyWinnersType(*this, winnersMin)))
    return failure();
  // The two semirings share ⊗ only on floats (as for trop.dual_matmul).
  Type elementType = lhs.type().getElementType();
  if (!isa<FloatType>(elementType))
    return emitOpError() << "unsupported element type " << elementType
                         << "; expected a float type (max_plus and min_plus "
                            "share their ⊗ only on floats)";
  return verifyProductShapes(*this, lhs, rhs,
                             {initMax, initMin, winnersMax, winnersMin},
                             /*batch=*/false);
}

/// The shapes of a window op: full (conv_2d) or depthwise.
template <typename OpTy>
static LogicalResult
verifyWindowShapes(OpTy op, bool depthwise, const NamedOperand &input,
                   const NamedOperand &filter, const NamedOperand &out) {
  if (depthwise)
    return verifyDepthwiseWindow(op, input, filter, out, "channel count",
                                 op.getStrides(), op.getDilations(),
                                 op.getPadding());
  return verifyConv2DShapes(op, input, filter, out, op.getStrides(),
                            op.getDilations(), op.getPadding());
}

template <typename OpTy>
static LogicalResult verifyWindowWinners(OpTy op, bool depthwise) {
  NamedOperand input{"input", op.getInput()}, filter{"filter", op.getFilter()},
      init{"init", op.getInit()}, winners{"winners", op.getWinners()};
  if (failed(verifyDestinations(op, {input, filter, init, winners}, 2)) ||
      failed(verifyWinnersValues(op, {input, filter, init}, winners,
                                 op.getSemiring())) ||
      failed(verifyWindowShapes(op, depthwise, input, filter, init)))
    return failure();
  return verifySameShape(op, init, winners);
}

template <typename OpTy>
static LogicalResult verifyWindowRouting(OpTy op, bool depthwise) {
  NamedOperand grad{"grad", op.getGrad()}, winners{"winners", op.getWinners()},
      gradInput{"grad_input", op.getGradInput()},
      gradFilter{"grad_filter", op.getGradFilter()};
  if (failed(
          verifyDestinations(op, {grad, winners, gradInput, gradFilter}, 2)) ||
      failed(verifyGradients(op, {grad, gradInput, gradFilter}, winners)) ||
      failed(verifyWindowShapes(op, depthwise, gradInput, gradFilter, grad)))
    return failure();
  return verifySameShape(op, grad, winners);
}

LogicalResult Conv2DWinnersOp::verify() {
  return verifyWindowWinners(*this, /*depthwise=*/false);
}

LogicalResult DepthwiseConv2DWinnersOp::verify() {
  return verifyWindowWinners(*this, /*depthwise=*/true);
}

LogicalResult RouteConv2DToWinnersOp::verify() {
  return verifyWindowRouting(*this, /*depthwise=*/false);
}

LogicalResult RouteDepthwiseConv2DToWinnersOp::verify() {
  return verifyWindowRouting(*this, /*depthwise=*/true);
}

LogicalResult MaxoutWinnersOp::verify() {
  NamedOperand input{"input", getInput()}, init{"init", getInit()},
      winners{"winners", getWinners()};
  if (failed(verifyDestinations(*this, {input, init, winners}, 2)) ||
      failed(verifyWinnersValues(*this, {input, init}, winners, std::nullopt)))
    return failure();
  if (failed(verifyMaxoutShapes(*this, getGroupSize(), input, init)))
    return failure();
  return verifySameShape(*this, init, winners);
}

LogicalResult RouteMaxoutToWinnersOp::verify() {
  NamedOperand grad{"grad", getGrad()}, winners{"winners", getWinners()},
      gradInput{"grad_input", getGradInput()};
  if (failed(verifyDestinations(*this, {grad, winners, gradInput}, 1)) ||
      failed(verifyGradients(*this, {grad, gradInput}, winners)))
    return failure();
  if (gradInput.type().getRank() < 1)
    return emitOpError() << "expected 'grad_input' to have rank at least 1";
  if (failed(verifyMaxoutShapes(*this, getGroupSize(), gradInput, grad)))
    return failure();
  return verifySameShape(*this, grad, winners);
}
