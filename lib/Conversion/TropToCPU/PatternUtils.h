//===- PatternUtils.h - What the CPU patterns share -------------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The configuration every CPU pattern carries (CPUPattern) and the steps that
// patterns of several families take: the operand checks, the i1 staging
// around a kernel, and the packed or sparse GEMM on 2-D views.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_PATTERNUTILS_H
#define TROP_LIB_CONVERSION_TROPTOCPU_PATTERNUTILS_H

#include "ComputeDomain.h"
#include "GemmEmitter.h"
#include "trop/Conversion/TropToCPU/TropToCPU.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlir {
namespace trop {

/// What the CPU patterns are configured with; each pattern derives from it.
struct CPUPattern {
  CPUTarget target;
  NaNMode nanMode;
  int64_t numTasks;
  double sparseMaxDensity;
  ComputeDomain domain(SemiringKind kind, Type elementType) const {
    return ComputeDomain::get(kind, nanMode, elementType, target.nativeF16);
  }
  GemmTiling tiling(const ComputeDomain &domain,
                    int64_t accumulatorSets = 1) const {
    return chooseGemmTiling(domain.computeType, target.vectorBits,
                            target.numVectorRegisters, accumulatorSets);
  }
};

/// A rewrite pattern for `OpTy` that carries the CPU configuration.
template <typename OpTy>
struct CPUOpPattern : OpRewritePattern<OpTy>, CPUPattern {
  CPUOpPattern(MLIRContext *ctx, const CPUPattern &cfg)
      : OpRewritePattern<OpTy>(ctx), CPUPattern(cfg) {}
};

/// Replaces `op` by the kernel `emit` builds on `operands` (the last one the
/// destination) and their element type, through i8 copies for i1 (see
/// PatternUtils.cpp). So the kernels take every element type the verifier
/// accepts, and the patterns need not check it.
LogicalResult replaceWithKernel(
    PatternRewriter &rewriter, Operation *op, ValueRange operands,
    Type elementType,
    function_ref<void(ImplicitLocOpBuilder &, ValueRange, Type)> emit);

/// The kernels load rows of B and C with vector loads: their innermost
/// dimension must be contiguous.
bool hasUnitInnerStride(Value value);

/// Whether a linalg op's body is the default multiply-add (mulf then addf,
/// no casts), what the linear kernels compute.
bool isPlainMultiplyAdd(Operation *op);

/// Emits C = C ⊕ A ⊗ B for 2-D memref views A, B, C in `domain` (and, with
/// `dual`, the second accumulator of a dual_matmul; with `epilogue`, a fused
/// elementwise consumer; with `winners`, the winners of a
/// trop.matmul_winners, see GemmProblem::winners).
void emitMatmul(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                const ComputeDomain &domain, Value a, Value bMat, Value c,
                std::optional<GemmProblem::Dual> dual = std::nullopt,
                decltype(GemmProblem::epilogue) epilogue = nullptr,
                Value winners = {});

/// Emits the sparse gather kernel for C = C ⊕ A ⊗ B instead of the packed
/// GEMM when B is a sparse enough constant global; false (nothing emitted)
/// otherwise.
bool tryEmitSparse(ImplicitLocOpBuilder &b, const CPUPattern &cfg,
                   Operation *op, const ComputeDomain &domain, Value a,
                   Value bMat, Value c);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_PATTERNUTILS_H
