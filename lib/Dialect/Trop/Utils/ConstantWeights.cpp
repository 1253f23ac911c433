//===- ConstantWeights.cpp - Layers with constant weights -----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/Utils/ConstantWeights.h"
#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::trop;

/// A static rank-`rank` tensor type, or null.
static RankedTensorType staticTensorType(Value value, int64_t rank) {
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || type.getRank() != rank || !type.hasStaticShape())
    return {};
  return type;
}

/// The elements `indices` of the flattened `source`, read as `T` (APFloat or
/// APInt), as an attribute of `type`.
template <typename T>
static DenseElementsAttr gather(DenseElementsAttr source, ShapedType type,
                                ArrayRef<int64_t> indices) {
  auto all = llvm::to_vector(source.getValues<T>());
  SmallVector<T> picked;
  picked.reserve(indices.size());
  for (int64_t index : indices)
    picked.push_back(all[index]);
  return DenseElementsAttr::get(type, picked);
}

/// The elements `indices` of the flattened `source`, as an attribute of
/// `type`. Null for element types other than floats and integers.
static DenseElementsAttr gatherElements(DenseElementsAttr source,
                                        ShapedType type,
                                        ArrayRef<int64_t> indices) {
  if (source.isSplat())
    return DenseElementsAttr::get(type, source.getSplatValue<Attribute>());
  if (isa<FloatType>(source.getElementType()))
    return gather<APFloat>(source, type, indices);
  if (source.getElementType().isIntOrIndex())
    return gather<APInt>(source, type, indices);
  return {};
}

/// The dense rank-`rank` attribute of an arith.constant `value`, or null.
static DenseElementsAttr constantOfRank(Value value, int64_t rank) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return {};
  auto attr = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!attr || attr.getType().getRank() != rank ||
      !attr.getType().hasStaticShape())
    return {};
  if (!isa<FloatType>(attr.getElementType()) &&
      !attr.getElementType().isIntOrIndex())
    return {};
  return attr;
}

//===----------------------------------------------------------------------===//
// Layers with constant weights
//===----------------------------------------------------------------------===//

StringRef WeightLayer::kindName() const {
  if (!semiring)
    return "linear";
  return stringifySemiringKind(*semiring);
}

/// The layer `op` with `weights` read from `weightOperand`: K and N from the
/// weights, M from the left operand (dynamic when it is not static).
static WeightLayer makeLayer(Operation *op,
                             std::optional<SemiringKind> semiring,
                             OpOperand *weightOperand,
                             DenseElementsAttr weights) {
  auto lhsType = dyn_cast<RankedTensorType>(op->getOperand(0).getType());
  int64_t m = lhsType && lhsType.getRank() == 2 ? lhsType.getDimSize(0)
                                                : ShapedType::kDynamic;
  auto type = weights.getType();
  return WeightLayer{op, semiring,           weightOperand,     weights,
                     m,  type.getDimSize(0), type.getDimSize(1)};
}

std::optional<WeightLayer> mlir::trop::matchTropicalLayer(MatmulOp op) {
  if (!op.hasPureTensorSemantics())
    return std::nullopt;
  if (!staticTensorType(op.getInit(), 2) || !staticTensorType(op.getLhs(), 2))
    return std::nullopt;
  DenseElementsAttr weights = matchConstantMatrix(op.getRhs());
  if (!weights)
    return std::nullopt;
  return makeLayer(op, op.getSemiring(), &op.getRhsMutable(), weights);
}

std::optional<WeightLayer> mlir::trop::matchPrunableLayer(Operation *op) {
  OpOperand *weights = nullptr;
  std::optional<SemiringKind> semiring;
  if (auto matmul = dyn_cast<MatmulOp>(op)) {
    weights = &matmul.getRhsMutable();
    semiring = matmul.getSemiring();
  } else if (auto linear = dyn_cast<linalg::MatmulOp>(op)) {
    weights = &linear->getOpOperand(1);
  } else {
    return std::nullopt;
  }
  auto constant = weights->get().getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto values = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!values || !isa<FloatType>(values.getElementType()) ||
      values.getType().getRank() != 2)
    return std::nullopt;
  return makeLayer(op, semiring, weights, values);
}

void mlir::trop::replaceConstantOperand(OpOperand &operand,
                                        DenseElementsAttr values) {
  auto old = operand.get().getDefiningOp<arith::ConstantOp>();
  OpBuilder builder(operand.getOwner());
  operand.set(arith::ConstantOp::create(builder, old.getLoc(), values));
  if (old->use_empty())
    old->erase();
}

//===----------------------------------------------------------------------===//
// Float constants as doubles
//===----------------------------------------------------------------------===//

double mlir::trop::toDouble(APFloat value) {
  bool lossy;
  value.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lossy);
  return value.convertToDouble();
}

APFloat mlir::trop::fromDouble(double value,
                               const llvm::fltSemantics &semantics,
                               llvm::RoundingMode mode) {
  APFloat result(value);
  bool lossy;
  result.convert(semantics, mode, &lossy);
  return result;
}

SmallVector<APFloat> mlir::trop::floatsOf(DenseElementsAttr attr) {
  return llvm::to_vector(attr.getValues<APFloat>());
}

SmallVector<double> mlir::trop::doublesOf(DenseElementsAttr attr) {
  SmallVector<double> values;
  values.reserve(attr.getNumElements());
  for (const APFloat &v : attr.getValues<APFloat>())
    values.push_back(toDouble(v));
  return values;
}

DenseElementsAttr mlir::trop::floatVector(Type elementType,
                                          ArrayRef<APFloat> values) {
  return DenseElementsAttr::get(
      RankedTensorType::get({static_cast<int64_t>(values.size())}, elementType),
      values);
}

APFloat mlir::trop::getFloatZero(SemiringKind kind, FloatType type) {
  return cast<FloatAttr>(getZeroAttr(kind, type)).getValue();
}

int64_t mlir::trop::countPruned(DenseElementsAttr values,
                                std::optional<SemiringKind> semiring) {
  return llvm::count_if(values.getValues<APFloat>(), [&](const APFloat &v) {
    return semiring ? isZero(*semiring, v) : v.isZero();
  });
}

//===----------------------------------------------------------------------===//
// Constant matrices and the layers around them
//===----------------------------------------------------------------------===//

DenseElementsAttr mlir::trop::matchConstantMatrix(Value value) {
  if (DenseElementsAttr attr = constantOfRank(value, 2))
    return attr;
  auto transpose = value.getDefiningOp<linalg::TransposeOp>();
  if (!transpose || !transpose.hasPureTensorSemantics() ||
      transpose.getPermutation() != ArrayRef<int64_t>{1, 0})
    return {};
  DenseElementsAttr source = constantOfRank(transpose.getInput(), 2);
  if (!source)
    return {};
  int64_t rows = source.getType().getDimSize(0);
  int64_t cols = source.getType().getDimSize(1);
  SmallVector<int64_t> indices;
  indices.reserve(rows * cols);
  for (int64_t c = 0; c < cols; ++c)
    for (int64_t r = 0; r < rows; ++r)
      indices.push_back(r * cols + c);
  return gatherElements(
      source, RankedTensorType::get({cols, rows}, source.getElementType()),
      indices);
}

DenseElementsAttr mlir::trop::matchBroadcastRow(Value value) {
  RankedTensorType type = staticTensorType(value, 2);
  if (!type)
    return {};
  auto rowType =
      RankedTensorType::get({type.getDimSize(1)}, type.getElementType());
  if (auto constant = value.getDefiningOp<arith::ConstantOp>()) {
    auto attr = dyn_cast<DenseElementsAttr>(constant.getValue());
    if (!attr || !attr.isSplat())
      return {};
    return DenseElementsAttr::get(rowType, attr.getSplatValue<Attribute>());
  }
  if (auto fill = value.getDefiningOp<linalg::FillOp>()) {
    TypedAttr scalar;
    if (!fill.hasPureTensorSemantics() ||
        !matchPattern(fill.getInputs()[0], m_Constant(&scalar)) ||
        scalar.getType() != type.getElementType())
      return {};
    return DenseElementsAttr::get(rowType, ArrayRef<Attribute>{scalar});
  }
  if (auto broadcast = value.getDefiningOp<linalg::BroadcastOp>()) {
    if (!broadcast.hasPureTensorSemantics() ||
        broadcast.getDimensions() != ArrayRef<int64_t>{0})
      return {};
    return constantOfRank(broadcast.getInput(), 1);
  }
  if (auto generic = value.getDefiningOp<linalg::GenericOp>()) {
    // The exporter's bias broadcast: out[m, n] = b[n].
    if (!generic.hasPureTensorSemantics() || generic.getNumDpsInputs() != 1 ||
        generic.getNumDpsInits() != 1 || generic.getNumLoops() != 2 ||
        generic.getNumParallelLoops() != 2)
      return {};
    MLIRContext *ctx = generic.getContext();
    SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
    if (maps[0] != AffineMap::get(2, 0, getAffineDimExpr(1, ctx)) ||
        !maps[1].isIdentity())
      return {};
    Block *body = generic.getBody();
    auto yield = cast<linalg::YieldOp>(body->getTerminator());
    if (body->getOperations().size() != 1 ||
        yield.getOperand(0) != body->getArgument(0))
      return {};
    return constantOfRank(generic.getDpsInputs()[0], 1);
  }
  return {};
}

SmallVector<bool> mlir::trop::zeroMask(DenseElementsAttr values,
                                       SemiringKind kind) {
  TypedAttr zero = getZeroAttr(kind, values.getElementType());
  SmallVector<bool> mask;
  mask.reserve(values.getNumElements());
  if (auto floatZero = dyn_cast<FloatAttr>(zero)) {
    for (const APFloat &v : values.getValues<APFloat>())
      mask.push_back(v.bitwiseIsEqual(floatZero.getValue()));
  } else {
    APInt intZero = cast<IntegerAttr>(zero).getValue();
    for (const APInt &v : values.getValues<APInt>())
      mask.push_back(v == intZero);
  }
  return mask;
}

DenseElementsAttr mlir::trop::selectRows(DenseElementsAttr matrix,
                                         ArrayRef<int64_t> rows) {
  int64_t cols = matrix.getType().getDimSize(1);
  SmallVector<int64_t> indices;
  indices.reserve(rows.size() * cols);
  for (int64_t r : rows)
    for (int64_t c = 0; c < cols; ++c)
      indices.push_back(r * cols + c);
  return gatherElements(
      matrix,
      RankedTensorType::get({static_cast<int64_t>(rows.size()), cols},
                            matrix.getElementType()),
      indices);
}

DenseElementsAttr mlir::trop::selectColumns(DenseElementsAttr matrix,
                                            ArrayRef<int64_t> columns) {
  auto numColumns = static_cast<int64_t>(columns.size());
  if (matrix.getType().getRank() == 1)
    return gatherElements(
        matrix, RankedTensorType::get({numColumns}, matrix.getElementType()),
        columns);
  int64_t rows = matrix.getType().getDimSize(0);
  int64_t cols = matrix.getType().getDimSize(1);
  SmallVector<int64_t> indices;
  indices.reserve(rows * columns.size());
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c : columns)
      indices.push_back(r * cols + c);
  return gatherElements(
      matrix,
      RankedTensorType::get({rows, numColumns}, matrix.getElementType()),
      indices);
}

Value mlir::trop::buildBroadcastRow(OpBuilder &builder, Location loc,
                                    DenseElementsAttr row, int64_t rows) {
  Value vector = arith::ConstantOp::create(builder, loc, row);
  Value empty = tensor::EmptyOp::create(
      builder, loc, {rows, row.getType().getDimSize(0)}, row.getElementType());
  return linalg::BroadcastOp::create(builder, loc, vector, empty,
                                     ArrayRef<int64_t>{0})
      ->getResult(0);
}

//===----------------------------------------------------------------------===//
// Column shrinking
//===----------------------------------------------------------------------===//

// One recursive walk serves both the check and the rewrite: with a null
// rewriter it only answers whether the chain can be shrunk (and creates
// nothing), so that a pattern never changes IR it then cannot finish.

/// The elements `keep` of a rank-1 value read per column: a constant or an
/// empty tensor.
static FailureOr<Value> shrinkVector(RewriterBase *rewriter, Value value,
                                     ArrayRef<int64_t> keep) {
  RankedTensorType type = staticTensorType(value, 1);
  if (!type)
    return failure();
  if (DenseElementsAttr attr = constantOfRank(value, 1)) {
    if (!rewriter)
      return Value();
    return arith::ConstantOp::create(*rewriter, value.getLoc(),
                                     selectColumns(attr, keep))
        .getResult();
  }
  if (value.getDefiningOp<tensor::EmptyOp>()) {
    if (!rewriter)
      return Value();
    return tensor::EmptyOp::create(*rewriter, value.getLoc(),
                                   {static_cast<int64_t>(keep.size())},
                                   type.getElementType())
        .getResult();
  }
  return failure();
}

static FailureOr<Value> shrink(RewriterBase *rewriter, Value value,
                               ArrayRef<int64_t> keep);

/// An elementwise rank-2 linalg.generic, rebuilt on the kept columns.
static FailureOr<Value> shrinkGeneric(RewriterBase *rewriter,
                                      linalg::GenericOp generic,
                                      ArrayRef<int64_t> keep) {
  if (!generic.hasPureTensorSemantics() || generic.getNumResults() != 1 ||
      generic.getNumDpsInits() != 1 || generic.getNumLoops() != 2 ||
      generic.getNumParallelLoops() != 2)
    return failure();
  // The body must not depend on the column index, which shrinking renumbers.
  if (!generic.getBody()->getOps<linalg::IndexOp>().empty())
    return failure();
  MLIRContext *ctx = generic.getContext();
  AffineMap rowMap = AffineMap::get(2, 0, getAffineDimExpr(0, ctx));
  AffineMap columnMap = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
  AffineMap scalarMap = AffineMap::get(2, 0, ctx);
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  if (!maps.back().isIdentity())
    return failure();

  SmallVector<Value> inputs;
  for (auto [operand, map] :
       llvm::zip_equal(generic.getDpsInputs(), ArrayRef(maps).drop_back())) {
    FailureOr<Value> shrunk = operand;
    if (map.isIdentity())
      shrunk = shrink(rewriter, operand, keep);
    else if (map == columnMap)
      shrunk = shrinkVector(rewriter, operand, keep);
    else if (map != rowMap && map != scalarMap)
      return failure();
    if (failed(shrunk))
      return failure();
    inputs.push_back(*shrunk);
  }
  FailureOr<Value> init = shrink(rewriter, generic.getDpsInits()[0], keep);
  if (failed(init))
    return failure();
  if (!rewriter)
    return Value();
  auto newGeneric = linalg::GenericOp::create(
      *rewriter, generic.getLoc(), TypeRange{init->getType()}, inputs,
      ValueRange{*init}, maps, generic.getIteratorTypesArray());
  rewriter->cloneRegionBefore(generic.getRegion(), newGeneric.getRegion(),
                              newGeneric.getRegion().end());
  return newGeneric.getResult(0);
}

static FailureOr<Value> shrink(RewriterBase *rewriter, Value value,
                               ArrayRef<int64_t> keep) {
  RankedTensorType type = staticTensorType(value, 2);
  Operation *def = value.getDefiningOp();
  if (!type || !def)
    return failure();
  Location loc = def->getLoc();
  auto newType = RankedTensorType::get(
      {type.getDimSize(0), static_cast<int64_t>(keep.size())},
      type.getElementType());

  // Leaves and cheap copies: rebuilt for the kept columns even when shared
  // (the original stays for its other users).
  if (DenseElementsAttr attr = constantOfRank(value, 2)) {
    if (!rewriter)
      return Value();
    return arith::ConstantOp::create(*rewriter, loc, selectColumns(attr, keep))
        .getResult();
  }
  if (isa<tensor::EmptyOp>(def)) {
    if (!rewriter)
      return Value();
    return tensor::EmptyOp::create(*rewriter, loc, newType.getShape(),
                                   newType.getElementType())
        .getResult();
  }
  if (auto fill = dyn_cast<linalg::FillOp>(def)) {
    if (!fill.hasPureTensorSemantics())
      return failure();
    FailureOr<Value> init = shrink(rewriter, fill.getOutputs()[0], keep);
    if (failed(init) || !rewriter)
      return init;
    return linalg::FillOp::create(*rewriter, loc, fill.getInputs(),
                                  ValueRange{*init})
        .getResult(0);
  }
  if (auto broadcast = dyn_cast<linalg::BroadcastOp>(def)) {
    if (!broadcast.hasPureTensorSemantics())
      return failure();
    Value input = broadcast.getInput();
    if (!constantOfRank(input, 1) && !value.hasOneUse())
      return failure();
    FailureOr<Value> newInput = input;
    if (broadcast.getDimensions() == ArrayRef<int64_t>{0})
      newInput = shrinkVector(rewriter, input, keep);
    else if (broadcast.getDimensions() != ArrayRef<int64_t>{1})
      return failure();
    if (failed(newInput))
      return failure();
    FailureOr<Value> init = shrink(rewriter, broadcast.getInit(), keep);
    if (failed(init) || !rewriter)
      return init;
    return linalg::BroadcastOp::create(*rewriter, loc, *newInput, *init,
                                       broadcast.getDimensions())
        ->getResult(0);
  }

  // Ops that do work: shrunk only when nothing else reads them, so that
  // shrinking never duplicates work.
  if (!value.hasOneUse())
    return failure();
  if (auto generic = dyn_cast<linalg::GenericOp>(def))
    return shrinkGeneric(rewriter, generic, keep);
  if (auto linear = dyn_cast<linalg::MatmulOp>(def)) {
    // Column n of x·W + b reads column n of W and of b only.
    if (!linear.hasPureTensorSemantics() || linear.hasUserDefinedMaps())
      return failure();
    DenseElementsAttr weights = matchConstantMatrix(linear.getInputs()[1]);
    if (!weights)
      return failure();
    FailureOr<Value> init = shrink(rewriter, linear.getOutputs()[0], keep);
    if (failed(init) || !rewriter)
      return init;
    Value newWeights =
        arith::ConstantOp::create(*rewriter, loc, selectColumns(weights, keep));
    return linalg::MatmulOp::create(
               *rewriter, loc, TypeRange{newType},
               ValueRange{linear.getInputs()[0], newWeights}, ValueRange{*init})
        .getResult(0);
  }
  if (auto tropical = dyn_cast<MatmulOp>(def)) {
    // Output neuron n of a tropical layer reads column n of its weights and
    // of its init only.
    if (!tropical.hasPureTensorSemantics())
      return failure();
    DenseElementsAttr weights = matchConstantMatrix(tropical.getRhs());
    if (!weights)
      return failure();
    FailureOr<Value> init = shrink(rewriter, tropical.getInit(), keep);
    if (failed(init) || !rewriter)
      return init;
    Value newWeights =
        arith::ConstantOp::create(*rewriter, loc, selectColumns(weights, keep));
    return MatmulOp::create(*rewriter, loc, newType, tropical.getSemiringAttr(),
                            tropical.getLhs(), newWeights, *init)
        .getResult();
  }
  return failure();
}

bool mlir::trop::canShrinkColumns(Value value) {
  return succeeded(shrink(nullptr, value, {}));
}

Value mlir::trop::shrinkColumns(RewriterBase &rewriter, Value value,
                                ArrayRef<int64_t> keep) {
  FailureOr<Value> shrunk = shrink(&rewriter, value, keep);
  assert(succeeded(shrunk) && "shrinkColumns without canShrinkColumns");
  return *shrunk;
}
