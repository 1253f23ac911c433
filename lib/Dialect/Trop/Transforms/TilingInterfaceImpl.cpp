//===- TilingInterfaceImpl.cpp - Tiling of trop ops -----------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// TilingInterface for the matmul-shaped trop ops (trop.matmul and
// trop.dual_matmul): the iteration space is (i, j, k) over (M, N, K), A is
// indexed by (i, k), B by (k, j), every destination by (i, j). A tile of the
// iteration space is the same op on slices of its operands. Tiling the
// parallel loops (what --trop-fuse does) is exact: each destination element
// is still reduced over all of K in the same order. Tiling K would split
// each reduction into chained ops, which is also exact for ⊕ = max/min
// (associative without rounding) and is allowed for that reason.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/Transforms/TilingInterfaceImpl.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Interfaces/TilingInterface.h"

using namespace mlir;
using namespace mlir::trop;

/// The size of dimension `dim` of a tensor or memref, folded when static.
static OpFoldResult mixedSize(OpBuilder &b, Location loc, Value value,
                              int64_t dim) {
  if (isa<RankedTensorType>(value.getType()))
    return tensor::getMixedSize(b, loc, value, dim);
  return memref::getMixedSize(b, loc, value, dim);
}

/// The 2-D slice [offsets, sizes] of `value` (unit strides).
static Value slice2D(OpBuilder &b, Location loc, Value value,
                     ArrayRef<OpFoldResult> offsets,
                     ArrayRef<OpFoldResult> sizes,
                     SmallVectorImpl<Operation *> &generated) {
  SmallVector<OpFoldResult> strides(2, b.getIndexAttr(1));
  Operation *op;
  if (isa<RankedTensorType>(value.getType()))
    op = tensor::ExtractSliceOp::create(b, loc, value, offsets, sizes, strides);
  else
    op = memref::SubViewOp::create(b, loc, value, offsets, sizes, strides);
  generated.push_back(op);
  return op->getResult(0);
}

namespace {

template <typename OpTy>
struct MatmulLikeTiling
    : public TilingInterface::ExternalModel<MatmulLikeTiling<OpTy>, OpTy> {
  SmallVector<utils::IteratorType> getLoopIteratorTypes(Operation *op) const {
    return {utils::IteratorType::parallel, utils::IteratorType::parallel,
            utils::IteratorType::reduction};
  }

  SmallVector<Range> getIterationDomain(Operation *op, OpBuilder &b) const {
    auto matmul = cast<OpTy>(op);
    Location loc = op->getLoc();
    OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
    return {Range{zero, mixedSize(b, loc, matmul.getLhs(), 0), one},
            Range{zero, mixedSize(b, loc, matmul.getRhs(), 1), one},
            Range{zero, mixedSize(b, loc, matmul.getLhs(), 1), one}};
  }

  /// The op on the (i, k) slice of A, the (k, j) slice of B and the (i, j)
  /// slices of the destinations.
  FailureOr<TilingResult>
  getTiledImplementation(Operation *op, OpBuilder &b,
                         ArrayRef<OpFoldResult> offsets,
                         ArrayRef<OpFoldResult> sizes) const {
    if (offsets.size() != 3 || sizes.size() != 3)
      return op->emitOpError("expected a tile of the 3 loops (i, j, k)");
    Location loc = op->getLoc();
    TilingResult result;
    SmallVector<Value> operands;
    operands.push_back(slice2D(b, loc, op->getOperand(0),
                               {offsets[0], offsets[2]}, {sizes[0], sizes[2]},
                               result.generatedSlices));
    operands.push_back(slice2D(b, loc, op->getOperand(1),
                               {offsets[2], offsets[1]}, {sizes[2], sizes[1]},
                               result.generatedSlices));
    for (Value init : op->getOperands().drop_front(2))
      operands.push_back(slice2D(b, loc, init, {offsets[0], offsets[1]},
                                 {sizes[0], sizes[1]}, result.generatedSlices));
    SmallVector<Type> resultTypes;
    if (op->getNumResults() != 0)
      for (Value init : ArrayRef<Value>(operands).drop_front(2))
        resultTypes.push_back(init.getType());
    Operation *tiled = mlir::clone(b, op, resultTypes, operands);
    result.tiledOps.push_back(tiled);
    llvm::append_range(result.tiledValues, tiled->getResults());
    return result;
  }

  LogicalResult
  getResultTilePosition(Operation *op, OpBuilder &b, unsigned resultNumber,
                        ArrayRef<OpFoldResult> offsets,
                        ArrayRef<OpFoldResult> sizes,
                        SmallVector<OpFoldResult> &resultOffsets,
                        SmallVector<OpFoldResult> &resultSizes) const {
    if (offsets.size() != 3 || sizes.size() != 3)
      return failure();
    resultOffsets = {offsets[0], offsets[1]};
    resultSizes = {sizes[0], sizes[1]};
    return success();
  }

  /// A tile (i, j) of a result needs the whole reduction.
  LogicalResult getIterationDomainTileFromResultTile(
      Operation *op, OpBuilder &b, unsigned resultNumber,
      ArrayRef<OpFoldResult> resultOffsets, ArrayRef<OpFoldResult> resultSizes,
      SmallVectorImpl<OpFoldResult> &iterOffsets,
      SmallVectorImpl<OpFoldResult> &iterSizes) const {
    if (resultOffsets.size() != 2 || resultSizes.size() != 2)
      return failure();
    auto matmul = cast<OpTy>(op);
    iterOffsets.assign({resultOffsets[0], resultOffsets[1], b.getIndexAttr(0)});
    iterSizes.assign({resultSizes[0], resultSizes[1],
                      mixedSize(b, op->getLoc(), matmul.getLhs(), 1)});
    return success();
  }

  FailureOr<TilingResult>
  generateResultTileValue(Operation *op, OpBuilder &b, unsigned resultNumber,
                          ArrayRef<OpFoldResult> offsets,
                          ArrayRef<OpFoldResult> sizes) const {
    SmallVector<OpFoldResult> iterOffsets, iterSizes;
    if (failed(getIterationDomainTileFromResultTile(
            op, b, resultNumber, offsets, sizes, iterOffsets, iterSizes)))
      return failure();
    FailureOr<TilingResult> tiled =
        getTiledImplementation(op, b, iterOffsets, iterSizes);
    if (failed(tiled))
      return failure();
    // The fusion driver reads the requested result from tiledValues[0].
    tiled->tiledValues = {tiled->tiledOps.front()->getResult(resultNumber)};
    return tiled;
  }
};

} // namespace

void trop::registerTilingInterfaceExternalModels(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TropDialect *) {
    MatmulOp::attachInterface<MatmulLikeTiling<MatmulOp>>(*ctx);
    DualMatmulOp::attachInterface<MatmulLikeTiling<DualMatmulOp>>(*ctx);
  });
}
