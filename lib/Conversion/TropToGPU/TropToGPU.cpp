//===- TropToGPU.cpp - trop contractions to tiled GPU kernels -------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The pass: each contraction on memrefs becomes one TiledGemm kernel
// (batch_matmul one grid layer per batch, dual_matmul two accumulator tiles
// fed by the same shared slices).
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToGPU/TropToGPU.h"
#include "TiledGemm.h"
#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_CONVERTTROPTOGPU
#include "trop/Conversion/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

/// The kernel's description of a matmul or batch_matmul on memrefs.
template <typename OpTy>
static std::optional<TiledGemmSpec> getSpec(OpTy op, NaNMode nanMode) {
  if (!isa<MemRefType>(op.getInit().getType()))
    return std::nullopt;
  return TiledGemmSpec{
      {op.getSemiring()}, nanMode, op.getLhs(), op.getRhs(), {op.getInit()}};
}

/// The kernel's description of `op`, if it is a contraction on memrefs.
static std::optional<TiledGemmSpec> getSpec(Operation *op, NaNMode nanMode) {
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return getSpec(matmul, nanMode);
  if (auto batch = dyn_cast<BatchMatmulOp>(op))
    return getSpec(batch, nanMode);
  auto dual = dyn_cast<DualMatmulOp>(op);
  if (!dual || !isa<MemRefType>(dual.getInitMax().getType()))
    return std::nullopt;
  return TiledGemmSpec{{SemiringKind::MaxPlus, SemiringKind::MinPlus},
                       nanMode,
                       dual.getLhs(),
                       dual.getRhs(),
                       {dual.getInitMax(), dual.getInitMin()}};
}

void trop::lowerTropContractionsToGPU(Operation *root, NaNMode nanMode,
                                      bool emulate, bool asyncCopy) {
  SmallVector<std::pair<Operation *, TiledGemmSpec>> work;
  root->walk([&](Operation *op) {
    if (std::optional<TiledGemmSpec> spec = getSpec(op, nanMode))
      work.emplace_back(op, *spec);
  });
  for (auto &[op, spec] : work) {
    spec.asyncCopy = asyncCopy;
    ImplicitLocOpBuilder b(op->getLoc(), op);
    emitTiledGemm(b, spec, emulate);
    op->erase();
  }
}

namespace {

struct ConvertTropToGPUPass
    : public trop::impl::ConvertTropToGPUBase<ConvertTropToGPUPass> {
  using Base::Base;
  void runOnOperation() override {
    lowerTropContractionsToGPU(getOperation(), nanMode, emulate, asyncCopy);
  }
};

} // namespace
