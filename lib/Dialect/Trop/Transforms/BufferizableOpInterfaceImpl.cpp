//===- BufferizableOpInterfaceImpl.cpp - Bufferization of trop ops --------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/Transforms/BufferizableOpInterfaceImpl.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"
#include "mlir/IR/DialectRegistry.h"

using namespace mlir;
using namespace mlir::bufferization;

namespace {

/// The analysis part (inputs are read, the init is read and written and
/// equivalent to the result) comes from the upstream destination-style model;
/// bufferizing re-creates the op on buffers with the same attributes.
template <typename OpTy>
struct TropOpBufferization
    : public DstBufferizableOpInterfaceExternalModel<TropOpBufferization<OpTy>,
                                                     OpTy> {
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto dpsOp = cast<DestinationStyleOpInterface>(op);
    if (dpsOp.hasPureBufferSemantics())
      return success();
    if (!dpsOp.hasPureTensorSemantics())
      return op->emitError("op does not have pure tensor semantics");

    SmallVector<Value> buffers;
    for (OpOperand &operand : op->getOpOperands()) {
      FailureOr<Value> buffer =
          getBuffer(rewriter, operand.get(), options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    OperationState newState(op->getLoc(), op->getName(), buffers,
                            /*types=*/TypeRange(), op->getAttrs());
    rewriter.create(newState);
    // The results are the (now updated) destination buffers.
    SmallVector<Value> results;
    for (OpOperand &init : dpsOp.getDpsInitsMutable())
      results.push_back(buffers[init.getOperandNumber()]);
    replaceOpWithBufferizedValues(rewriter, op, results);
    return success();
  }
};

template <typename... OpTys>
void attachAll(MLIRContext *ctx) {
  (OpTys::template attachInterface<TropOpBufferization<OpTys>>(*ctx), ...);
}

} // namespace

void trop::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, TropDialect *) {
    attachAll<MatmulOp, BatchMatmulOp, Conv2DOp, DepthwiseConv2DOp, MaxoutOp,
              DualMatmulOp, MatmulWinnersOp, RouteToWinnersOp, BipolarMatmulOp,
              LseMatmulOp>(ctx);
    attachAll<PackBitsOp, UnpackBitsOp, BinaryMorphologyOp, LevelSetsOp,
              BinaryDenseOp>(ctx);
    attachAll<DualConv2DOp>(ctx);
    attachAll<BatchMatmulWinnersOp, RouteBatchMatmulToWinnersOp,
              DualMatmulWinnersOp, Conv2DWinnersOp, DepthwiseConv2DWinnersOp,
              RouteConv2DToWinnersOp, RouteDepthwiseConv2DToWinnersOp,
              MaxoutWinnersOp, RouteMaxoutToWinnersOp>(ctx);
    attachAll<BiseOp>(ctx);
  });
}
