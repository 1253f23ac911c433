//===- ByteStaging.cpp - i1 operands as bytes for the vector kernels ------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "ByteStaging.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::trop;

/// Runs `body` on every index tuple of `memref`'s shape (nested scf.for).
static void forEachElement(ImplicitLocOpBuilder &b, Value memref,
                           function_ref<void(ValueRange)> body) {
  auto type = cast<MemRefType>(memref.getType());
  OpBuilder::InsertionGuard guard(b);
  Value zero = arith::ConstantIndexOp::create(b, 0);
  Value one = arith::ConstantIndexOp::create(b, 1);
  SmallVector<Value> ivs;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    auto loop =
        scf::ForOp::create(b, zero, memref::DimOp::create(b, memref, d), one);
    b.setInsertionPointToStart(loop.getBody());
    ivs.push_back(loop.getInductionVar());
  }
  body(ivs);
}

Value trop::stageBytes(ImplicitLocOpBuilder &b, Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<Value> dynamicSizes;
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      dynamicSizes.push_back(memref::DimOp::create(b, memref, d));
  auto bytesType = MemRefType::get(type.getShape(), b.getI8Type());
  Value bytes = memref::AllocOp::create(b, bytesType, dynamicSizes,
                                        b.getI64IntegerAttr(64));
  forEachElement(b, memref, [&](ValueRange ivs) {
    Value bit = memref::LoadOp::create(b, memref, ivs);
    Value byte = arith::ExtUIOp::create(b, b.getI8Type(), bit);
    memref::StoreOp::create(b, byte, bytes, ivs);
  });
  return bytes;
}

void trop::unstageBytes(ImplicitLocOpBuilder &b, Value bytes, Value memref) {
  forEachElement(b, memref, [&](ValueRange ivs) {
    Value byte = memref::LoadOp::create(b, bytes, ivs);
    Value bit = arith::TruncIOp::create(b, b.getI1Type(), byte);
    memref::StoreOp::create(b, bit, memref, ivs);
  });
  releaseBytes(b, bytes);
}

void trop::releaseBytes(ImplicitLocOpBuilder &b, Value bytes) {
  memref::DeallocOp::create(b, bytes);
}
