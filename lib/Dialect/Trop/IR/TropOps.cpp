//===- TropOps.cpp - trop operations --------------------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers, interface implementations and exact canonicalisations of the trop
// ops. Verifiers run on arbitrary user IR (including mutated test files), so
// they check every assumption a later pass makes and never index past what
// they have checked.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/TropOps.h"
#include "VerifyHelpers.h"
#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLExtras.h"

#include <cmath>

using namespace mlir;
using namespace mlir::trop;

#include "trop/Dialect/Trop/IR/TropInterfaces.cpp.inc"

//===----------------------------------------------------------------------===//
// Shared verification
//===----------------------------------------------------------------------===//

static constexpr StringLiteral kSupportedTypes =
    "f16, bf16, f32, f64, i8, i16, i32, i64 or i1";

/// Checks what every trop op shares: tensors and memrefs are not mixed, the
/// result matches the destination, element types agree, are supported, and
/// (when `kind` is given) carry the semiring.
static LogicalResult verifyCommon(Operation *op,
                                  ArrayRef<NamedOperand> operands,
                                  std::optional<SemiringKind> kind) {
  const NamedOperand &init = operands.back();
  bool tensorForm = isa<RankedTensorType>(init.value.getType());
  for (const NamedOperand &operand : operands) {
    if (isa<RankedTensorType>(operand.value.getType()) != tensorForm)
      return op->emitOpError()
             << "operands must be all ranked tensors or all memrefs, but '"
             << operand.name << "' is a " << (tensorForm ? "memref" : "tensor")
             << " and 'init' is a " << (tensorForm ? "tensor" : "memref");
  }
  if (tensorForm) {
    if (op->getNumResults() != 1)
      return op->emitOpError()
             << "on tensors must return the updated 'init' as its result";
    if (op->getResult(0).getType() != init.value.getType())
      return op->emitOpError()
             << "result type " << op->getResult(0).getType()
             << " does not match 'init' type " << init.value.getType();
  } else if (op->getNumResults() != 0) {
    return op->emitOpError()
           << "on memrefs updates 'init' in place and must not return a "
              "result";
  }
  return verifyElementTypes(op, operands, kind);
}

LogicalResult trop::verifyElementTypes(Operation *op,
                                       ArrayRef<NamedOperand> operands,
                                       std::optional<SemiringKind> kind) {
  Type elementType = operands.front().type().getElementType();
  for (const NamedOperand &operand : operands.drop_front()) {
    if (operand.type().getElementType() != elementType)
      return op->emitOpError()
             << "element type of '" << operand.name << "' ("
             << operand.type().getElementType()
             << ") does not match element type of '" << operands.front().name
             << "' (" << elementType << ")";
  }
  if (auto intType = dyn_cast<IntegerType>(elementType);
      intType && !intType.isSignless())
    // ⊕ needs one order and ⊗'s clamping one range: trop's integers are
    // signless with the signed order, so ui8's 200 would read as -56.
    return op->emitOpError()
           << "unsupported element type " << elementType
           << "; trop's integer types are signless and ordered as signed "
              "(i8, i16, i32, i64): unsigned and explicitly signed types are "
              "not supported";
  if (!isSupportedElementType(elementType))
    return op->emitOpError() << "unsupported element type " << elementType
                             << "; expected " << kSupportedTypes;
  if (kind && !isSemiringCompatible(*kind, elementType))
    return op->emitOpError()
           << "semiring '" << stringifySemiringKind(*kind)
           << "' is not defined on " << elementType
           << "; binary morphology on i1 uses max_min or min_max";
  return success();
}

LogicalResult trop::verifyRank(Operation *op, const NamedOperand &operand,
                               int64_t rank) {
  if (operand.type().getRank() != rank)
    return op->emitOpError()
           << "expected '" << operand.name << "' to have rank " << rank
           << ", but it has rank " << operand.type().getRank();
  return success();
}

/// Checks that two dimensions agree where both are static.
LogicalResult trop::verifyDimsMatch(Operation *op, const NamedOperand &a,
                                    int64_t dimA, const NamedOperand &b,
                                    int64_t dimB, StringRef what) {
  int64_t sizeA = a.type().getDimSize(dimA);
  int64_t sizeB = b.type().getDimSize(dimB);
  if (!ShapedType::isDynamic(sizeA) && !ShapedType::isDynamic(sizeB) &&
      sizeA != sizeB)
    return op->emitOpError() << what << ": '" << a.name << "' dimension "
                             << dimA << " is " << sizeA << " but '" << b.name
                             << "' dimension " << dimB << " is " << sizeB;
  return success();
}

/// The static size of a loop from the first operand dimension that is
/// static, or kDynamic.
int64_t
trop::staticSize(std::initializer_list<std::pair<Value, int64_t>> dims) {
  for (auto [value, dim] : dims) {
    int64_t size = cast<ShapedType>(value.getType()).getDimSize(dim);
    if (!ShapedType::isDynamic(size))
      return size;
  }
  return ShapedType::kDynamic;
}

static void getStructuredEffects(
    DestinationStyleOpInterface op,
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand *operand : op.getDpsInputOperands()) {
    if (isa<MemRefType>(operand->get().getType()))
      effects.emplace_back(MemoryEffects::Read::get(), operand,
                           SideEffects::DefaultResource::get());
  }
  for (OpOperand &operand : op.getDpsInitsMutable()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    effects.emplace_back(MemoryEffects::Read::get(), &operand,
                         SideEffects::DefaultResource::get());
    effects.emplace_back(MemoryEffects::Write::get(), &operand,
                         SideEffects::DefaultResource::get());
  }
}

//===----------------------------------------------------------------------===//
// Canonicalisation shared by all ops
//===----------------------------------------------------------------------===//

namespace {
/// An op whose iteration space is empty (a loop of static size 0) leaves its
/// destination unchanged: forward the init (tensors) or erase the op
/// (memrefs). Exact: no update happens, so no value can differ.
template <typename OpTy>
struct FoldEmptyIterationSpace : public OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    if (!llvm::is_contained(op.getStaticLoopRanges(), 0))
      return rewriter.notifyMatchFailure(op, "iteration space is not empty");
    if (op->getNumResults() == 1)
      rewriter.replaceOp(op, op.getInit());
    else
      rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

/// The shapes of a matrix product: `lhs` M×K, `rhs` K×N, `init` M×N.
static LogicalResult verifyMatrixProduct(Operation *op, const NamedOperand &lhs,
                                         const NamedOperand &rhs,
                                         const NamedOperand &init) {
  if (failed(verifyRank(op, lhs, 2)) || failed(verifyRank(op, rhs, 2)) ||
      failed(verifyRank(op, init, 2)))
    return failure();
  return success(
      succeeded(verifyDimsMatch(op, lhs, 1, rhs, 0, "reduction size K")) &&
      succeeded(verifyDimsMatch(op, lhs, 0, init, 0, "row count M")) &&
      succeeded(verifyDimsMatch(op, rhs, 1, init, 1, "column count N")));
}

/// The loops (M, N, K) of a matrix product.
static SmallVector<int64_t> matrixProductLoops(Value lhs, Value rhs,
                                               Value init) {
  return {staticSize({{lhs, 0}, {init, 0}}), staticSize({{rhs, 1}, {init, 1}}),
          staticSize({{lhs, 1}, {rhs, 0}})};
}

LogicalResult MatmulOp::verify() {
  NamedOperand lhs{"lhs", getLhs()}, rhs{"rhs", getRhs()},
      init{"init", getInit()};
  if (failed(verifyCommon(*this, {lhs, rhs, init}, getSemiring())))
    return failure();
  return verifyMatrixProduct(*this, lhs, rhs, init);
}

SmallVector<int64_t> MatmulOp::getStaticLoopRanges() {
  return matrixProductLoops(getLhs(), getRhs(), getInit());
}

//===----------------------------------------------------------------------===//
// BatchMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult BatchMatmulOp::verify() {
  NamedOperand lhs{"lhs", getLhs()}, rhs{"rhs", getRhs()},
      init{"init", getInit()};
  if (failed(verifyCommon(*this, {lhs, rhs, init}, getSemiring())) ||
      failed(verifyRank(*this, lhs, 3)) || failed(verifyRank(*this, rhs, 3)) ||
      failed(verifyRank(*this, init, 3)))
    return failure();
  return success(
      succeeded(verifyDimsMatch(*this, lhs, 0, rhs, 0, "batch size")) &&
      succeeded(verifyDimsMatch(*this, lhs, 0, init, 0, "batch size")) &&
      succeeded(verifyDimsMatch(*this, lhs, 2, rhs, 1, "reduction size K")) &&
      succeeded(verifyDimsMatch(*this, lhs, 1, init, 1, "row count M")) &&
      succeeded(verifyDimsMatch(*this, rhs, 2, init, 2, "column count N")));
}

SmallVector<int64_t> BatchMatmulOp::getStaticLoopRanges() {
  return {staticSize({{getLhs(), 0}, {getRhs(), 0}, {getInit(), 0}}),
          staticSize({{getLhs(), 1}, {getInit(), 1}}),
          staticSize({{getRhs(), 2}, {getInit(), 2}}),
          staticSize({{getLhs(), 2}, {getRhs(), 1}})};
}

//===----------------------------------------------------------------------===//
// Convolutions
//===----------------------------------------------------------------------===//

/// Attribute values beyond this are rejected, so that window arithmetic on
/// int64 dimension sizes cannot overflow.
static constexpr int64_t kMaxWindowAttr = int64_t(1) << 24;

/// Verifies strides, dilations and padding, and the spatial output sizes they
/// imply. Shared by conv_2d and depthwise_conv_2d (NHWC input, filter with
/// KH, KW leading, NHW? output).
LogicalResult trop::verifyWindow(Operation *op, const NamedOperand &input,
                                 const NamedOperand &filter,
                                 const NamedOperand &init,
                                 ArrayRef<int64_t> strides,
                                 ArrayRef<int64_t> dilations,
                                 ArrayRef<int64_t> padding) {
  auto checkAttr = [&](StringRef name, ArrayRef<int64_t> values,
                       size_t expectedSize, int64_t minimum) -> LogicalResult {
    if (values.size() != expectedSize)
      return op->emitOpError()
             << "expected '" << name << "' to have " << expectedSize
             << " values, but it has " << values.size();
    for (int64_t value : values)
      if (value < minimum || value > kMaxWindowAttr)
        return op->emitOpError()
               << "'" << name << "' values must be in [" << minimum << ", "
               << kMaxWindowAttr << "], but got " << value;
    return success();
  };
  if (failed(checkAttr("strides", strides, 2, 1)) ||
      failed(checkAttr("dilations", dilations, 2, 1)) ||
      failed(checkAttr("padding", padding, 4, 0)))
    return failure();

  static constexpr StringLiteral dimNames[] = {"height", "width"};
  for (int64_t d = 0; d < 2; ++d) {
    int64_t in = input.type().getDimSize(1 + d);
    int64_t window = filter.type().getDimSize(d);
    if (ShapedType::isDynamic(in) || ShapedType::isDynamic(window))
      continue;
    // The dimension sizes are below 2^63 and the attributes below 2^24, so
    // this fits in 128 bits.
    __int128 span = static_cast<__int128>(in) + padding[d] + padding[2 + d] -
                    static_cast<__int128>(dilations[d]) * (window - 1) - 1;
    if (window == 0) {
      // An empty window reads nothing: any output size is meaningless.
      continue;
    }
    if (span < 0)
      return op->emitOpError()
             << "the dilated window (" << window << " with dilation "
             << dilations[d] << ") does not fit in the padded input "
             << dimNames[d] << " (" << in << " + " << padding[d] << " + "
             << padding[2 + d] << ")";
    int64_t expected = static_cast<int64_t>(span / strides[d]) + 1;
    int64_t out = init.type().getDimSize(1 + d);
    if (!ShapedType::isDynamic(out) && out != expected)
      return op->emitOpError()
             << "expected output " << dimNames[d] << " " << expected
             << " (from input " << in << ", window " << window << ", stride "
             << strides[d] << ", dilation " << dilations[d] << ", padding "
             << padding[d] << "+" << padding[2 + d] << "), but 'init' has "
             << out;
  }
  return success();
}

LogicalResult trop::verifyConv2DShapes(Operation *op, const NamedOperand &input,
                                       const NamedOperand &filter,
                                       const NamedOperand &init,
                                       ArrayRef<int64_t> strides,
                                       ArrayRef<int64_t> dilations,
                                       ArrayRef<int64_t> padding) {
  if (failed(verifyRank(op, input, 4)) || failed(verifyRank(op, filter, 4)) ||
      failed(verifyRank(op, init, 4)))
    return failure();
  if (failed(verifyDimsMatch(op, input, 0, init, 0, "batch size")) ||
      failed(verifyDimsMatch(op, input, 3, filter, 2, "input channel count")) ||
      failed(verifyDimsMatch(op, filter, 3, init, 3, "output channel count")))
    return failure();
  return verifyWindow(op, input, filter, init, strides, dilations, padding);
}

LogicalResult Conv2DOp::verify() {
  NamedOperand input{"input", getInput()}, filter{"filter", getFilter()},
      init{"init", getInit()};
  if (failed(verifyCommon(*this, {input, filter, init}, getSemiring())))
    return failure();
  return verifyConv2DShapes(*this, input, filter, init, getStrides(),
                            getDilations(), getPadding());
}

SmallVector<int64_t> Conv2DOp::getStaticLoopRanges() {
  return {staticSize({{getInput(), 0}, {getInit(), 0}}),
          staticSize({{getInit(), 1}}),
          staticSize({{getInit(), 2}}),
          staticSize({{getFilter(), 3}, {getInit(), 3}}),
          staticSize({{getFilter(), 0}}),
          staticSize({{getFilter(), 1}}),
          staticSize({{getInput(), 3}, {getFilter(), 2}})};
}

LogicalResult trop::verifyDepthwiseWindow(
    Operation *op, const NamedOperand &input, const NamedOperand &filter,
    const NamedOperand &init, StringRef what, ArrayRef<int64_t> strides,
    ArrayRef<int64_t> dilations, ArrayRef<int64_t> padding) {
  if (failed(verifyRank(op, input, 4)) || failed(verifyRank(op, filter, 3)) ||
      failed(verifyRank(op, init, 4)))
    return failure();
  if (failed(verifyDimsMatch(op, input, 0, init, 0, "batch size")) ||
      failed(verifyDimsMatch(op, input, 3, filter, 2, what)) ||
      failed(verifyDimsMatch(op, input, 3, init, 3, what)))
    return failure();
  return verifyWindow(op, input, filter, init, strides, dilations, padding);
}

SmallVector<int64_t> trop::depthwiseLoopRanges(Value input, Value filter,
                                               Value init) {
  return {staticSize({{input, 0}, {init, 0}}),
          staticSize({{init, 1}}),
          staticSize({{init, 2}}),
          staticSize({{input, 3}, {filter, 2}, {init, 3}}),
          staticSize({{filter, 0}}),
          staticSize({{filter, 1}})};
}

LogicalResult DepthwiseConv2DOp::verify() {
  NamedOperand input{"input", getInput()}, filter{"filter", getFilter()},
      init{"init", getInit()};
  if (failed(verifyCommon(*this, {input, filter, init}, getSemiring())))
    return failure();
  return verifyDepthwiseWindow(*this, input, filter, init, "channel count",
                               getStrides(), getDilations(), getPadding());
}

SmallVector<int64_t> DepthwiseConv2DOp::getStaticLoopRanges() {
  return depthwiseLoopRanges(getInput(), getFilter(), getInit());
}

//===----------------------------------------------------------------------===//
// MaxoutOp
//===----------------------------------------------------------------------===//

LogicalResult MaxoutOp::verify() {
  NamedOperand input{"input", getInput()}, init{"init", getInit()};
  if (failed(verifyCommon(*this, {input, init}, std::nullopt)))
    return failure();
  return verifyMaxoutShapes(*this, getGroupSize(), input, init);
}

LogicalResult trop::verifyMaxoutShapes(Operation *op, int64_t groupSize,
                                       const NamedOperand &input,
                                       const NamedOperand &init) {
  int64_t rank = input.type().getRank();
  if (rank < 1)
    return op->emitOpError() << "expected 'input' to have rank at least 1";
  if (failed(verifyRank(op, init, rank)))
    return failure();
  for (int64_t d = 0; d + 1 < rank; ++d)
    if (failed(verifyDimsMatch(op, input, d, init, d, "leading dimension")))
      return failure();
  int64_t channels = input.type().getDimSize(rank - 1);
  int64_t groups = init.type().getDimSize(rank - 1);
  if (ShapedType::isDynamic(channels))
    return success();
  if (channels % groupSize != 0)
    return op->emitOpError()
           << "input channel count " << channels
           << " is not a multiple of group_size " << groupSize;
  if (!ShapedType::isDynamic(groups) && groups != channels / groupSize)
    return op->emitOpError()
           << "expected 'init' to have " << channels / groupSize
           << " channels (" << channels << " / group_size " << groupSize
           << "), but it has " << groups;
  return success();
}

SmallVector<int64_t> MaxoutOp::getStaticLoopRanges() {
  int64_t rank = cast<ShapedType>(getInit().getType()).getRank();
  SmallVector<int64_t> ranges;
  if (rank < 1)
    return ranges;
  for (int64_t d = 0; d + 1 < rank; ++d)
    ranges.push_back(staticSize({{getInput(), d}, {getInit(), d}}));
  int64_t groups = staticSize({{getInit(), rank - 1}});
  int64_t channels = staticSize({{getInput(), rank - 1}});
  if (ShapedType::isDynamic(groups) && !ShapedType::isDynamic(channels))
    groups = channels / getGroupSize();
  ranges.push_back(groups);
  ranges.push_back(getGroupSize());
  return ranges;
}

//===----------------------------------------------------------------------===//
// DualMatmulOp
//===----------------------------------------------------------------------===//

LogicalResult DualMatmulOp::verify() {
  NamedOperand lhs{"lhs", getLhs()}, rhs{"rhs", getRhs()},
      initMax{"init_max", getInitMax()}, initMin{"init_min", getInitMin()};
  bool tensorForm = isa<RankedTensorType>(getInitMax().getType());
  for (const NamedOperand &operand : {lhs, rhs, initMin}) {
    if (isa<RankedTensorType>(operand.value.getType()) != tensorForm)
      return emitOpError()
             << "operands must be all ranked tensors or all memrefs, but '"
             << operand.name << "' is a " << (tensorForm ? "memref" : "tensor")
             << " and 'init_max' is a " << (tensorForm ? "tensor" : "memref");
  }
  if (tensorForm) {
    if (getNumResults() != 2)
      return emitOpError() << "on tensors must return the updated 'init_max' "
                              "and 'init_min' as its two results";
    if (getResult(0).getType() != getInitMax().getType() ||
        getResult(1).getType() != getInitMin().getType())
      return emitOpError() << "result types (" << getResult(0).getType() << ", "
                           << getResult(1).getType()
                           << ") do not match the types of 'init_max' and "
                              "'init_min'";
  } else if (getNumResults() != 0) {
    return emitOpError() << "on memrefs updates 'init_max' and 'init_min' in "
                            "place and must not return results";
  }
  Type elementType = lhs.type().getElementType();
  for (const NamedOperand &operand : {rhs, initMax, initMin}) {
    if (operand.type().getElementType() != elementType)
      return emitOpError() << "element type of '" << operand.name << "' ("
                           << operand.type().getElementType()
                           << ") does not match element type of 'lhs' ("
                           << elementType << ")";
  }
  if (!isa<FloatType>(elementType) || !isSupportedElementType(elementType))
    return emitOpError() << "unsupported element type " << elementType
                         << "; expected f16, bf16, f32 or f64 (on integers "
                            "max_plus and min_plus have different ⊗)";
  for (const NamedOperand &operand : {lhs, rhs, initMax, initMin})
    if (failed(verifyRank(*this, operand, 2)))
      return failure();
  return success(
      succeeded(verifyDimsMatch(*this, lhs, 1, rhs, 0, "reduction size K")) &&
      succeeded(verifyDimsMatch(*this, lhs, 0, initMax, 0, "row count M")) &&
      succeeded(verifyDimsMatch(*this, rhs, 1, initMax, 1, "column count N")) &&
      succeeded(
          verifyDimsMatch(*this, initMax, 0, initMin, 0, "row count M")) &&
      succeeded(
          verifyDimsMatch(*this, initMax, 1, initMin, 1, "column count N")));
}

SmallVector<int64_t> DualMatmulOp::getStaticLoopRanges() {
  return {staticSize({{getLhs(), 0}, {getInitMax(), 0}, {getInitMin(), 0}}),
          staticSize({{getRhs(), 1}, {getInitMax(), 1}, {getInitMin(), 1}}),
          staticSize({{getLhs(), 1}, {getRhs(), 0}})};
}

/// Two updates per point of the iteration space, one per accumulator, so
/// that rates compare directly with the two separate matmuls it replaces.
std::optional<int64_t> DualMatmulOp::getNumUpdates() {
  int64_t product = 2;
  for (int64_t size : getStaticLoopRanges()) {
    if (ShapedType::isDynamic(size) ||
        llvm::MulOverflow(product, size, product))
      return std::nullopt;
  }
  return product;
}

bool DualMatmulOp::hasTensorSemantics() {
  return isa<RankedTensorType>(getInitMax().getType());
}

namespace {
/// An empty iteration space leaves both destinations unchanged.
struct FoldEmptyDualMatmul : public OpRewritePattern<DualMatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DualMatmulOp op,
                                PatternRewriter &rewriter) const override {
    if (!llvm::is_contained(op.getStaticLoopRanges(), 0))
      return rewriter.notifyMatchFailure(op, "iteration space is not empty");
    if (op->getNumResults() == 2)
      rewriter.replaceOp(op, ValueRange{op.getInitMax(), op.getInitMin()});
    else
      rewriter.eraseOp(op);
    return success();
  }
};
} // namespace

void DualMatmulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                               MLIRContext *context) {
  results.add<FoldEmptyDualMatmul>(context);
}

//===----------------------------------------------------------------------===//
// BipolarMatmulOp
//===----------------------------------------------------------------------===//

/// The shapes are those of three matmuls sharing `lhs` and `init`; the
/// element type must carry ln and exp (f32 or f64), and `input_shift` must be
/// a finite non-negative floor, else ln of it is not a pole value.
LogicalResult BipolarMatmulOp::verify() {
  NamedOperand lhs{"lhs", getLhs()}, pos{"rhs_pos", getRhsPos()},
      neg{"rhs_neg", getRhsNeg()}, init{"init", getInit()};
  if (failed(verifyCommon(*this, {lhs, pos, neg, init}, std::nullopt)))
    return failure();
  Type elementType = lhs.type().getElementType();
  if (!elementType.isF32() && !elementType.isF64())
    return emitOpError() << "unsupported element type " << elementType
                         << "; expected f32 or f64 (the poles are logarithms)";
  double shift = getInputShift().convertToDouble();
  if (!std::isfinite(shift) || shift < 0)
    return emitOpError() << "'input_shift' must be finite and non-negative, "
                            "but got "
                         << shift;
  for (const NamedOperand &operand : {lhs, pos, neg, init})
    if (failed(verifyRank(*this, operand, 2)))
      return failure();
  return success(
      succeeded(verifyDimsMatch(*this, lhs, 1, pos, 0, "reduction size K")) &&
      succeeded(verifyDimsMatch(*this, lhs, 1, neg, 0, "reduction size K")) &&
      succeeded(verifyDimsMatch(*this, lhs, 0, init, 0, "row count M")) &&
      succeeded(verifyDimsMatch(*this, pos, 1, init, 1, "column count N")) &&
      succeeded(verifyDimsMatch(*this, neg, 1, init, 1, "column count N")));
}

SmallVector<int64_t> BipolarMatmulOp::getStaticLoopRanges() {
  return {staticSize({{getLhs(), 0}, {getInit(), 0}}),
          staticSize({{getRhsPos(), 1}, {getRhsNeg(), 1}, {getInit(), 1}}),
          staticSize({{getLhs(), 1}, {getRhsPos(), 0}, {getRhsNeg(), 0}})};
}

//===----------------------------------------------------------------------===//
// LseMatmulOp
//===----------------------------------------------------------------------===//

/// A matmul's shapes on f32/f64 (ln and exp), with a finite positive β.
LogicalResult LseMatmulOp::verify() {
  NamedOperand lhs{"lhs", getLhs()}, rhs{"rhs", getRhs()},
      init{"init", getInit()};
  if (failed(verifyCommon(*this, {lhs, rhs, init}, std::nullopt)))
    return failure();
  Type elementType = lhs.type().getElementType();
  if (!elementType.isF32() && !elementType.isF64())
    return emitOpError() << "unsupported element type " << elementType
                         << "; expected f32 or f64 (the semiring takes "
                            "exponentials and logarithms)";
  double beta = getBeta().convertToDouble();
  if (!std::isfinite(beta) || !(beta > 0))
    return emitOpError() << "'beta' must be finite and positive, but got "
                         << beta;
  return verifyMatrixProduct(*this, lhs, rhs, init);
}

SmallVector<int64_t> LseMatmulOp::getStaticLoopRanges() {
  return matrixProductLoops(getLhs(), getRhs(), getInit());
}

//===----------------------------------------------------------------------===//
// TableGen'd op definitions
//===----------------------------------------------------------------------===//

// Last, so that the shared definitions of Trop_StructuredOp (effects and
// canonicalisation) see the helpers above.
#define GET_OP_CLASSES
#include "trop/Dialect/Trop/IR/TropOps.cpp.inc"
