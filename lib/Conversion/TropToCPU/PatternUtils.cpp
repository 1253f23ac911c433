//===- PatternUtils.cpp - What the CPU patterns share ---------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "PatternUtils.h"
#include "ByteStaging.h"
#include "KernelBuilder.h"
#include "SparseEmitter.h"
#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <limits>

using namespace mlir;
using namespace mlir::trop;

/// Replaces `op` by the kernel `emit` builds on `operands` (the last one the
/// destination) and their element type; for i1, on i8 copies of them with
/// values 0 and 1, whose destination is copied back afterwards. Vectors of
/// i1 are bit-packed while memrefs of i1 hold a byte per element, so the
/// kernels cannot load i1 vectors from memory; on the copies
/// `max_min`/`min_max` are signed max/min of 0 and 1, i.e. exactly OR and AND
/// (ByteStaging.h).
LogicalResult trop::replaceWithKernel(
    PatternRewriter &rewriter, Operation *op, ValueRange operands,
    Type elementType,
    function_ref<void(ImplicitLocOpBuilder &, ValueRange, Type)> emit) {
  ImplicitLocOpBuilder b(op->getLoc(), rewriter);
  // `emit` may leave the insertion point inside the loops it built.
  auto emitHere = [&](ValueRange args, Type type) {
    OpBuilder::InsertionGuard guard(b);
    emit(b, args, type);
  };
  if (!elementType.isInteger(1)) {
    emitHere(operands, elementType);
  } else {
    SmallVector<Value> bytes;
    for (Value operand : operands)
      bytes.push_back(stageBytes(b, operand));
    emitHere(bytes, b.getI8Type());
    for (Value staged : ArrayRef<Value>(bytes).drop_back())
      releaseBytes(b, staged);
    unstageBytes(b, bytes.back(), operands.back());
  }
  rewriter.eraseOp(op);
  return success();
}

/// The kernels load rows of B and C with vector loads: their innermost
/// dimension must be contiguous.
bool trop::hasUnitInnerStride(Value value) {
  auto type = dyn_cast<MemRefType>(value.getType());
  if (type && type.getElementType().isInteger(1))
    return true; // copied into contiguous bytes (replaceWithKernel)
  return type && type.getRank() >= 1 && type.isLastDimUnitStride();
}

bool trop::isPlainMultiplyAdd(Operation *op) {
  if (op->getNumRegions() != 1 || op->getRegion(0).empty())
    return false;
  Block &body = op->getRegion(0).front();
  if (body.getOperations().size() != 3 || body.getNumArguments() != 3)
    return false;
  auto mul = dyn_cast<arith::MulFOp>(body.front());
  auto add = dyn_cast<arith::AddFOp>(body.front().getNextNode());
  auto yield = body.getTerminator();
  return mul && add && mul.getLhs() == body.getArgument(0) &&
         mul.getRhs() == body.getArgument(1) &&
         add.getLhs() == body.getArgument(2) &&
         add.getRhs() == mul.getResult() && yield->getNumOperands() == 1 &&
         yield->getOperand(0) == add.getResult();
}

/// Emits C = C ⊕ A ⊗ B for 2-D memref views A, B, C in `domain` (and, with
/// `dual`, the second accumulator of a dual_matmul).
void trop::emitMatmul(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                      const ComputeDomain &domain, Value a, Value bMat, Value c,
                      std::optional<GemmProblem::Dual> dual,
                      decltype(GemmProblem::epilogue) epilogue, Value winners) {
  GemmProblem problem{
      domain, dim(b, c, 0), dim(b, c, 1), dim(b, a, 1), {}, bMat, c, dual};
  Value pad = arith::ConstantOp::create(b, domain.paddingAttr());
  problem.rowAccessor = [a, pad](ImplicitLocOpBuilder &b, Value row) {
    return GemmProblem::Row{Value(),
                            [a, row, pad](ImplicitLocOpBuilder &b, Value col,
                                          VectorType type) -> Value {
                              return vector::TransferReadOp::create(
                                  b, type, a, ValueRange{row, col}, pad,
                                  ArrayRef<bool>{false});
                            }};
  };
  problem.epilogue = std::move(epilogue);
  problem.winners = winners;
  // A winners tile takes as many registers as a second accumulator set.
  emitGemm(b, problem, cfg.tiling(problem.domain, dual || winners ? 2 : 1),
           cfg.numTasks);
}

/// Emits the sparse gather kernel instead of the packed GEMM when B is a
/// constant global whose density of entries other than 𝟘 (0 for (+, ×)) is
/// at most the configured switch point. Only in `assume-none` mode for the
/// semirings: with `propagate`, a NaN met by a skipped
/// 𝟘 would have to reach the output.
bool trop::tryEmitSparse(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                         Operation *op, const ComputeDomain &domain, Value a,
                         Value bMat, Value c) {
  if (cfg.sparseMaxDensity <= 0 || domain.computeType != domain.elementType ||
      domain.saturating ||
      (!domain.linear && domain.nanMode != NaNMode::AssumeNone))
    return false;
  auto module = op->getParentOfType<ModuleOp>();
  DenseElementsAttr weight = getConstantWeight(bMat);
  if (!module || !weight || weight.getElementType() != domain.elementType)
    return false;
  // The block-ELL arrays index entries with i32; padded, they hold at most
  // K · (N rounded up to a block of at most 16 columns) entries.
  int64_t rows = weight.getType().getDimSize(0),
          cols = weight.getType().getDimSize(1);
  if (rows * (cols + 16) >= std::numeric_limits<int32_t>::max())
    return false;
  SparseWeights sparse = collectSparseWeights(weight, domain);
  if (sparse.density() > cfg.sparseMaxDensity)
    return false;
  emitSparseMatmul(b, module, domain, sparse, a, c,
                   cfg.tiling(domain).vectorLength, cfg.numTasks);
  return true;
}
