//===- Epilogue.cpp - Elementwise consumers fused into the GEMM -----------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// When fusion is safe: the consumer is the next op after the producer that
// touches memory (allocations may sit between), an elementwise op of
// LinalgElementwise's kind over C's iteration space that reads C with the
// identity map; each other operand is either indexed by the identity (a
// residual, collapsed like C) or by the channel alone (a bias, a scale, a
// BatchNorm's affine map); its output is C itself or a fresh allocation,
// identity-indexed. C is a fresh allocation that nothing reads after the
// consumer but a dealloc (ops before the producer, such as its fill, may
// touch it). The kernel is emitted in the consumer's place, after any
// allocation between the two. Then no store of C is needed: the GEMM hands its
// last reduction block's tiles to the consumer's body, cloned on vectors, which
// stores into the consumer's output. The body runs the ops of the unfused
// elementwise op on the same values in the same order, so fusion is exact
// (for tropical and linear kernels alike).
//
//===----------------------------------------------------------------------===//

#include "Epilogue.h"
#include "Elementwise.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::trop;

int64_t trop::staticReduction(Value filter) {
  auto type = cast<MemRefType>(filter.getType());
  int64_t k = 1;
  for (int64_t d : type.getShape().drop_back())
    if (ShapedType::isDynamic(d))
      return 0;
    else
      k *= d;
  return k;
}

/// Whether `value` is a contiguous memref of `shape` with an identity layout.
static bool isPlainBuffer(Value value, ArrayRef<int64_t> shape) {
  auto type = dyn_cast<MemRefType>(value.getType());
  return type && type.getLayout().isIdentity() && type.getShape() == shape;
}

std::optional<FusableEpilogue> trop::findEpilogue(Operation *producer, Value c,
                                                  int64_t k) {
  auto cType = dyn_cast<MemRefType>(c.getType());
  if (k <= 0 || !cType || !cType.hasStaticShape() || cType.getRank() < 2 ||
      !isPlainBuffer(c, cType.getShape()) ||
      !c.getDefiningOp<memref::AllocOp>())
    return std::nullopt;
  Operation *next = producer->getNextNode();
  while (next && isa<memref::AllocOp>(next))
    next = next->getNextNode();
  auto consumer = dyn_cast_or_null<linalg::LinalgOp>(next);
  if (!consumer || !isVectorizableElementwise(consumer) ||
      consumer.getNumDpsInits() != 1 ||
      consumer.getNumLoops() != static_cast<unsigned>(cType.getRank()))
    return std::nullopt;
  Value out = consumer.getDpsInits()[0];
  if (!isPlainBuffer(out, cType.getShape()) ||
      (out != c && (!out.getDefiningOp<memref::AllocOp>() ||
                    llvm::is_contained(producer->getOperands(), out))) ||
      getElementTypeOrSelf(out) != cType.getElementType())
    return std::nullopt;
  unsigned rank = cType.getRank();
  bool readsC = false;
  for (OpOperand &operand : consumer->getOpOperands()) {
    AffineMap map = consumer.getMatchingIndexingMap(&operand);
    Value value = operand.get();
    if (map.isIdentity() && isPlainBuffer(value, cType.getShape())) {
      readsC |= value == c;
      continue;
    }
    auto type = cast<MemRefType>(value.getType());
    if (map.getNumResults() == 1 &&
        map.getResult(0) == getAffineDimExpr(rank - 1, map.getContext()) &&
        type.getRank() == 1 && type.getShape()[0] == cType.getShape().back())
      continue; // per channel
    return std::nullopt;
  }
  if (!readsC)
    return std::nullopt;
  // Nothing reads C after the consumer (deallocations aside), unless the
  // consumer writes its result there.
  for (Operation *user : c.getUsers()) {
    if (out == c)
      break;
    if (user == producer || user == consumer.getOperation() ||
        isa<memref::DeallocOp>(user))
      continue;
    if (user->getBlock() != producer->getBlock() ||
        !user->isBeforeInBlock(producer))
      return std::nullopt;
  }
  return FusableEpilogue{consumer};
}

std::function<void(ImplicitLocOpBuilder &, Value, Value, Value)>
FusableEpilogue::build(ImplicitLocOpBuilder &b, Value c) const {
  consumer->setAttr(kFusedAttr, b.getUnitAttr());
  // The kernel goes where the consumer was: its output may be allocated
  // after the producer, and only allocations lie between the two.
  b.setInsertionPoint(consumer);
  // Views: full-rank operands collapsed to rows × channels like C.
  unsigned rank = cast<MemRefType>(c.getType()).getRank();
  ReassociationIndices rows = llvm::to_vector(llvm::seq<int64_t>(0, rank - 1));
  SmallVector<ReassociationIndices> collapse = {rows, {rank - 1}};
  SmallVector<Value> views;
  for (Value value : consumer->getOperands()) {
    if (cast<MemRefType>(value.getType()).getRank() == 1 || rank == 2)
      views.push_back(value);
    else
      views.push_back(memref::CollapseShapeOp::create(b, value, collapse));
  }
  linalg::LinalgOp op = consumer;
  return [op, views, c](ImplicitLocOpBuilder &b, Value acc, Value row,
                        Value col) mutable {
    int64_t lanes = cast<VectorType>(acc.getType()).getNumElements();
    IRMapping mapping;
    Block *body = op.getBlock();
    for (auto [index, operand] : llvm::enumerate(op->getOperands())) {
      BlockArgument arg = body->getArgument(index);
      if (arg.use_empty())
        continue;
      if (operand == c) {
        mapping.map(arg, acc);
        continue;
      }
      Value view = views[index];
      SmallVector<Value> at = {col};
      if (cast<MemRefType>(view.getType()).getRank() == 2)
        at.insert(at.begin(), row);
      mapping.map(arg,
                  vector::LoadOp::create(
                      b, VectorType::get({lanes}, getElementTypeOrSelf(view)),
                      view, at));
    }
    SmallVector<Value> results = cloneBodyOnVectors(b, body, mapping, lanes);
    vector::StoreOp::create(b, results.front(), views.back(),
                            ValueRange{row, col});
  };
}

void trop::emitEpilogueLoop(ImplicitLocOpBuilder &b, const EpilogueFn &epilogue,
                            Value c, int64_t vl) {
  KernelBuilder k{b};
  Type elementType = getElementTypeOrSelf(c);
  Value cols = k.dim(c, 1);
  Value full = k.mul(arith::DivUIOp::create(b, cols, k.idx(vl)), k.idx(vl));
  k.forLoop(k.idx(0), k.dim(c, 0), 1, [&](Value row) {
    auto step = [&](Value col, int64_t lanes) {
      Value acc = vector::LoadOp::create(
          b, VectorType::get({lanes}, elementType), c, ValueRange{row, col});
      epilogue(b, acc, row, col);
    };
    k.forLoop(k.idx(0), full, vl, [&](Value col) { step(col, vl); });
    k.forLoop(full, cols, 1, [&](Value col) { step(col, 1); });
  });
}

EpilogueFn trop::buildEpilogue(ImplicitLocOpBuilder &b, Operation *op,
                               const ComputeDomain &dom, Value filter,
                               Value c) {
  if (dom.computeType != dom.elementType || dom.saturating ||
      !isa<Float32Type, Float64Type>(dom.elementType))
    return nullptr;
  std::optional<FusableEpilogue> epilogue =
      findEpilogue(op, c, staticReduction(filter));
  return epilogue ? epilogue->build(b, c) : nullptr;
}
