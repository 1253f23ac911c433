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

/// Whether `values` are memrefs that an implicit GEMM can view as matrices
/// (identity layouts: the filter and output are collapsed).
static bool areContiguousMemRefs(ValueRange values) {
  return llvm::all_of(values, [](Value v) {
    auto type = dyn_cast<MemRefType>(v.getType());
    return type && type.getLayout().isIdentity();
  });
}

/// The convolution window of a conv_2d or dual_conv_2d.
template <typename OpTy>
static ConvWindow getWindow(OpTy op) {
  ArrayRef<int64_t> s = op.getStrides(), d = op.getDilations(),
                    p = op.getPadding();
  return ConvWindow{{s[0], s[1]}, {d[0], d[1]}, p[0], p[1]};
}

/// The kernels computing `op`, if it is a contraction or a convolution on
/// memrefs (none otherwise).
static SmallVector<TiledGemmSpec> getSpecs(Operation *op, NaNMode nanMode) {
  auto one = [](std::optional<TiledGemmSpec> spec) {
    return spec ? SmallVector<TiledGemmSpec>{*spec}
                : SmallVector<TiledGemmSpec>{};
  };
  if (auto matmul = dyn_cast<MatmulOp>(op))
    return one(getSpec(matmul, nanMode));
  if (auto batch = dyn_cast<BatchMatmulOp>(op))
    return one(getSpec(batch, nanMode));
  if (auto dual = dyn_cast<DualMatmulOp>(op)) {
    if (!isa<MemRefType>(dual.getInitMax().getType()))
      return {};
    return {TiledGemmSpec{{SemiringKind::MaxPlus, SemiringKind::MinPlus},
                          nanMode,
                          dual.getLhs(),
                          dual.getRhs(),
                          {dual.getInitMax(), dual.getInitMin()}}};
  }
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (!areContiguousMemRefs(
            {conv.getInput(), conv.getFilter(), conv.getInit()}))
      return {};
    TiledGemmSpec spec{{conv.getSemiring()},
                       nanMode,
                       conv.getInput(),
                       conv.getFilter(),
                       {conv.getInit()}};
    spec.conv = getWindow(conv);
    return {spec};
  }
  auto dual = dyn_cast<DualConv2DOp>(op);
  if (!dual || !areContiguousMemRefs({dual.getInput(), dual.getFilterMax(),
                                      dual.getFilterMin(), dual.getInitMax(),
                                      dual.getInitMin()}))
    return {};
  // One kernel with two accumulator tiles when the two convolutions share
  // A and B exactly: one filter and no padding (max-plus pads the input
  // with −∞, min-plus with +∞, and the kernel stages one A). Otherwise the
  // two convolutions, whose results the op is defined to equal.
  ConvWindow window = getWindow(dual);
  bool padded = llvm::any_of(dual.getPadding(), [](int64_t p) { return p; });
  SmallVector<TiledGemmSpec> specs;
  if (dual.getFilterMax() == dual.getFilterMin() && !padded) {
    specs.push_back(
        TiledGemmSpec{{SemiringKind::MaxPlus, SemiringKind::MinPlus},
                      nanMode,
                      dual.getInput(),
                      dual.getFilterMax(),
                      {dual.getInitMax(), dual.getInitMin()}});
  } else {
    specs.push_back(TiledGemmSpec{{SemiringKind::MaxPlus},
                                  nanMode,
                                  dual.getInput(),
                                  dual.getFilterMax(),
                                  {dual.getInitMax()}});
    specs.push_back(TiledGemmSpec{{SemiringKind::MinPlus},
                                  nanMode,
                                  dual.getInput(),
                                  dual.getFilterMin(),
                                  {dual.getInitMin()}});
  }
  for (TiledGemmSpec &spec : specs)
    spec.conv = window;
  return specs;
}

void trop::lowerTropContractionsToGPU(Operation *root, NaNMode nanMode,
                                      bool emulate, bool asyncCopy) {
  SmallVector<std::pair<Operation *, SmallVector<TiledGemmSpec>>> work;
  root->walk([&](Operation *op) {
    SmallVector<TiledGemmSpec> specs = getSpecs(op, nanMode);
    if (!specs.empty())
      work.emplace_back(op, std::move(specs));
  });
  for (auto &[op, specs] : work) {
    ImplicitLocOpBuilder b(op->getLoc(), op);
    for (TiledGemmSpec &spec : specs) {
      spec.asyncCopy = asyncCopy;
      emitTiledGemm(b, spec, emulate);
    }
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
