//===- TropBinaryOps.cpp - Bit-packed binary ops of trop ------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Verifiers and iteration spaces of paper D's ops: trop.pack_bits,
// trop.unpack_bits, trop.binary_morphology, trop.level_sets and the float
// trop.bise. The element types of the binary ops differ between operands (i1
// bits, i64 words, float grayscale), so they do not share the contractions'
// element-type checks.
//
//===----------------------------------------------------------------------===//

#include "VerifyHelpers.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mlir::trop;

/// Bits per packed word.
static constexpr int64_t kWordBits = 64;

/// Checks that tensors and memrefs are not mixed and that the result is the
/// destination (tensors) or absent (memrefs), then each operand's element
/// type against `expected` (one per operand, in order).
static LogicalResult verifyForm(Operation *op, ArrayRef<NamedOperand> operands,
                                ArrayRef<Type> expected) {
  Value init = operands.back().value;
  bool onTensors = isa<RankedTensorType>(init.getType());
  for (auto [operand, type] : llvm::zip_equal(operands, expected)) {
    bool isTensor = isa<RankedTensorType>(operand.value.getType());
    if (isTensor != onTensors)
      return op->emitOpError()
             << "operands must be all ranked tensors or all memrefs, but '"
             << operand.name << "' is a " << (isTensor ? "tensor" : "memref")
             << " and 'init' is not";
    if (operand.type().getElementType() != type)
      return op->emitOpError()
             << "expected '" << operand.name << "' to have element type "
             << type << ", but it has " << operand.type().getElementType();
  }
  unsigned expectedResults = onTensors ? 1 : 0;
  if (op->getNumResults() != expectedResults)
    return op->emitOpError() << (onTensors ? "on tensors must return the "
                                             "updated 'init' as its result"
                                           : "on memrefs writes 'init' in "
                                             "place and must not return a "
                                             "result");
  if (onTensors && op->getResult(0).getType() != init.getType())
    return op->emitOpError()
           << "result type " << op->getResult(0).getType()
           << " does not match 'init' type " << init.getType();
  return success();
}

/// Checks that `a` and `b` have the same rank (at least 1) and agree on all
/// dimensions but the last.
static LogicalResult verifyLeadingDims(Operation *op, const NamedOperand &a,
                                       const NamedOperand &b) {
  int64_t rank = a.type().getRank();
  if (rank < 1)
    return op->emitOpError()
           << "expected '" << a.name << "' to have rank at least 1";
  if (failed(verifyRank(op, b, rank)))
    return failure();
  for (int64_t d = 0; d + 1 < rank; ++d)
    if (failed(verifyDimsMatch(op, a, d, b, d, "leading dimension")))
      return failure();
  return success();
}

/// Checks that `words` (static or not) is ⌈channels / 64⌉.
static LogicalResult verifyWordCount(Operation *op, const NamedOperand &packed,
                                     int64_t dim, int64_t channels) {
  int64_t words = packed.type().getDimSize(dim);
  if (ShapedType::isDynamic(words) || ShapedType::isDynamic(channels))
    return success();
  int64_t expected = (channels + kWordBits - 1) / kWordBits;
  if (words != expected)
    return op->emitOpError()
           << "expected '" << packed.name << "' dimension " << dim << " to be "
           << expected << " words of 64 bits for " << channels
           << " channels, but it is " << words;
  return success();
}

/// Shared by pack_bits and unpack_bits: `bits` is the i1 side, `words` the
/// i64 side.
static LogicalResult verifyPacking(Operation *op, const NamedOperand &input,
                                   const NamedOperand &init, bool packs) {
  Builder b(op->getContext());
  Type i1 = b.getI1Type(), i64 = b.getI64Type();
  const NamedOperand &bits = packs ? input : init;
  const NamedOperand &words = packs ? init : input;
  if (failed(verifyForm(op, {input, init},
                        {packs ? i1 : i64, packs ? i64 : i1})) ||
      failed(verifyLeadingDims(op, input, init)))
    return failure();
  int64_t rank = bits.type().getRank();
  return verifyWordCount(op, words, rank - 1, bits.type().getDimSize(rank - 1));
}

/// Leading loops of the packing ops, then the channel loop (bit by bit).
static SmallVector<int64_t> packingLoopRanges(Value bits, Value words) {
  int64_t rank = cast<ShapedType>(bits.getType()).getRank();
  SmallVector<int64_t> ranges;
  for (int64_t d = 0; d + 1 < rank; ++d)
    ranges.push_back(staticSize({{bits, d}, {words, d}}));
  if (rank >= 1)
    ranges.push_back(staticSize({{bits, rank - 1}}));
  return ranges;
}

//===----------------------------------------------------------------------===//
// PackBitsOp, UnpackBitsOp
//===----------------------------------------------------------------------===//

LogicalResult PackBitsOp::verify() {
  return verifyPacking(*this, {"input", getInput()}, {"init", getInit()},
                       /*packs=*/true);
}

SmallVector<int64_t> PackBitsOp::getStaticLoopRanges() {
  return packingLoopRanges(getInput(), getInit());
}

LogicalResult UnpackBitsOp::verify() {
  return verifyPacking(*this, {"input", getInput()}, {"init", getInit()},
                       /*packs=*/false);
}

SmallVector<int64_t> UnpackBitsOp::getStaticLoopRanges() {
  return packingLoopRanges(getInit(), getInput());
}

//===----------------------------------------------------------------------===//
// BinaryMorphologyOp
//===----------------------------------------------------------------------===//

LogicalResult BinaryMorphologyOp::verify() {
  NamedOperand input{"input", getInput()}, filter{"filter", getFilter()},
      init{"init", getInit()};
  Type i64 = IntegerType::get(getContext(), 64);
  if (failed(verifyForm(*this, {input, filter, init}, {i64, i64, i64})) ||
      failed(verifyDepthwiseWindow(*this, input, filter, init, "word count",
                                   getStrides(), getDilations(), getPadding())))
    return failure();
  for (const NamedOperand &operand : {input, filter, init})
    if (failed(verifyWordCount(*this, operand, operand.type().getRank() - 1,
                               getChannels())))
      return failure();
  // Replicating the edge needs an edge: an empty input has none.
  bool padded = llvm::any_of(getPadding(), [](int64_t p) { return p != 0; });
  if (padded && getPaddingMode() == PaddingMode::Replicate &&
      (input.type().getDimSize(1) == 0 || input.type().getDimSize(2) == 0))
    return emitOpError() << "replicate padding needs a non-empty input "
                            "height and width";
  return success();
}

SmallVector<int64_t> BinaryMorphologyOp::getStaticLoopRanges() {
  return depthwiseLoopRanges(getInput(), getFilter(), getInit());
}

//===----------------------------------------------------------------------===//
// LevelSetsOp
//===----------------------------------------------------------------------===//

LogicalResult LevelSetsOp::verify() {
  NamedOperand input{"input", getInput()}, init{"init", getInit()};
  Type elementType = input.type().getElementType();
  if (!isa<FloatType>(elementType) || !isSupportedElementType(elementType))
    return emitOpError() << "unsupported input element type " << elementType
                         << "; expected f16, bf16, f32 or f64";
  if (failed(verifyForm(*this, {input, init},
                        {elementType, IntegerType::get(getContext(), 1)})) ||
      failed(verifyLeadingDims(*this, input, init)))
    return failure();
  int64_t count = getThresholds().size();
  if (count == 0)
    return emitOpError() << "expected at least one threshold";
  int64_t rank = input.type().getRank();
  int64_t channels = input.type().getDimSize(rank - 1);
  int64_t outChannels = init.type().getDimSize(rank - 1);
  if (!ShapedType::isDynamic(channels) && !ShapedType::isDynamic(outChannels) &&
      outChannels != channels * count)
    return emitOpError() << "expected 'init' to have " << channels * count
                         << " channels (" << channels << " × " << count
                         << " thresholds), but it has " << outChannels;
  return success();
}

SmallVector<int64_t> LevelSetsOp::getStaticLoopRanges() {
  int64_t rank = cast<ShapedType>(getInput().getType()).getRank();
  SmallVector<int64_t> ranges;
  for (int64_t d = 0; d + 1 < rank; ++d)
    ranges.push_back(staticSize({{getInput(), d}, {getInit(), d}}));
  if (rank >= 1)
    ranges.push_back(staticSize({{getInput(), rank - 1}}));
  ranges.push_back(static_cast<int64_t>(getThresholds().size()));
  return ranges;
}

//===----------------------------------------------------------------------===//
// BinaryDenseOp
//===----------------------------------------------------------------------===//

LogicalResult BinaryDenseOp::verify() {
  NamedOperand input{"input", getInput()}, subsets{"subsets", getSubsets()},
      kinds{"kinds", getKinds()}, init{"init", getInit()};
  Type i64 = IntegerType::get(getContext(), 64);
  if (failed(verifyForm(*this, {input, subsets, kinds, init},
                        {i64, i64, i64, i64})) ||
      failed(verifyRank(*this, input, 2)) ||
      failed(verifyRank(*this, subsets, 2)) ||
      failed(verifyRank(*this, kinds, 1)) || failed(verifyRank(*this, init, 2)))
    return failure();
  if (failed(verifyDimsMatch(*this, input, 0, init, 0, "row count")) ||
      failed(verifyDimsMatch(*this, init, 1, kinds, 0, "output word count")) ||
      failed(verifyWordCount(*this, input, 1, getInFeatures())) ||
      failed(verifyWordCount(*this, subsets, 1, getInFeatures())))
    return failure();
  // N decides which bits of the last output word are outputs.
  if (subsets.type().isDynamicDim(0))
    return emitOpError() << "expected a static number of subsets (outputs)";
  return verifyWordCount(*this, init, 1, subsets.type().getDimSize(0));
}

SmallVector<int64_t> BinaryDenseOp::getStaticLoopRanges() {
  return {staticSize({{getInput(), 0}, {getInit(), 0}}),
          staticSize({{getSubsets(), 0}}),
          static_cast<int64_t>(getInFeatures())};
}

//===----------------------------------------------------------------------===//
// BiseOp
//===----------------------------------------------------------------------===//

LogicalResult BiseOp::verify() {
  NamedOperand input{"input", getInput()}, weight{"weight", getWeight()},
      bias{"bias", getBias()}, scale{"scale", getScale()},
      init{"init", getInit()};
  Type elementType = input.type().getElementType();
  if (!elementType.isF32() && !elementType.isF64())
    return emitOpError() << "unsupported element type " << elementType
                         << "; expected f32 or f64";
  if (failed(verifyForm(
          *this, {input, weight, bias, scale, init},
          {elementType, elementType, elementType, elementType, elementType})))
    return failure();
  if (failed(verifyRank(*this, input, 4)) ||
      failed(verifyRank(*this, weight, 4)) ||
      failed(verifyRank(*this, bias, 1)) ||
      failed(verifyRank(*this, scale, 1)) || failed(verifyRank(*this, init, 4)))
    return failure();
  if (!weight.type().hasStaticShape())
    return emitOpError() << "expected 'weight' to have a static shape, but it "
                            "is "
                         << weight.type();
  for (int64_t d = 0; d < 3; ++d)
    if (failed(verifyDimsMatch(*this, input, d, init, d, "batch or spatial")))
      return failure();
  for (const NamedOperand &operand : {bias, scale})
    if (failed(verifyDimsMatch(*this, weight, 0, operand, 0, "output channel")))
      return failure();
  if (failed(verifyDimsMatch(*this, weight, 0, init, 3, "output channel")))
    return failure();
  for (int64_t d : {1, 2}) {
    int64_t size = weight.type().getDimSize(d);
    if (!ShapedType::isDynamic(size) && size < 1)
      return emitOpError() << "expected a kernel of at least 1×1, but "
                              "'weight' dimension "
                           << d << " is " << size;
  }
  int64_t groups = getGroups();
  int64_t channels = input.type().getDimSize(3);
  int64_t perGroup = weight.type().getDimSize(3);
  int64_t outputs = weight.type().getDimSize(0);
  if (!ShapedType::isDynamic(channels) && !ShapedType::isDynamic(perGroup) &&
      channels != groups * perGroup)
    return emitOpError() << "expected 'input' to have groups × " << perGroup
                         << " = " << groups * perGroup
                         << " channels, but it has " << channels;
  if (!ShapedType::isDynamic(outputs) && outputs % groups != 0)
    return emitOpError() << "expected the " << outputs
                         << " output channels to be a multiple of groups = "
                         << groups;
  return success();
}

SmallVector<int64_t> BiseOp::getStaticLoopRanges() {
  Value input = getInput(), weight = getWeight(), init = getInit();
  return {staticSize({{input, 0}, {init, 0}}),
          staticSize({{input, 1}, {init, 1}}),
          staticSize({{input, 2}, {init, 2}}),
          staticSize({{weight, 0}, {init, 3}}),
          staticSize({{weight, 1}}),
          staticSize({{weight, 2}}),
          staticSize({{weight, 3}})};
}
