//===- GemmTiling.cpp - Register and cache blocking of the packed GEMM ----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The micro-tile (MR × NV vectors) from the register file, and the KC / MC /
// NC blocks from the L1 and L2 budgets, for the packed GEMM of
// GemmEmitter.cpp and the convolutions that run on it.
//
//===----------------------------------------------------------------------===//

#include "GemmEmitter.h"

#include "llvm/Support/MathExtras.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::trop;

GemmTiling trop::chooseGemmTiling(Type computeType, int64_t vectorBits,
                                  int64_t numVectorRegisters,
                                  int64_t accumulatorSets) {
  GemmTiling tiling;
  int64_t bits = computeType.getIntOrFloatBitWidth();
  tiling.vectorLength = std::max<int64_t>(1, vectorBits / bits);
  // Accumulators MR·NV, plus NV vectors of B and one broadcast of A, must fit
  // in the register file: 12×2 (+3) with 32 registers, 6×2 (+3) with 16.
  // Dual mode holds two tiles, so it takes half the rows (2·6×2 + 3 with 32
  // registers); the A block keeps its size in rows.
  tiling.nv = 2;
  int64_t singleMr = numVectorRegisters >= 32 ? 12 : 6;
  tiling.mr =
      std::max<int64_t>(1, singleMr / std::max<int64_t>(1, accumulatorSets));
  // Keep a KC × NR panel of B (in bytes) in about two thirds of a 48 KiB L1,
  // and an MC × KC block of A within L2.
  int64_t bytes = std::max<int64_t>(1, bits / 8);
  tiling.kc = std::clamp<int64_t>((64 * 1024) / (tiling.nr() * bytes), 64, 512);
  // Packed rows of A are copied in whole vectors.
  tiling.kc = llvm::alignTo(tiling.kc, tiling.vectorLength);
  // The micro-kernel reuses its MR × KC micro-panel of A across all the B
  // panels of a block, which stream from L2: the panel must stay in about
  // half of the L1 (24 KiB) beside them. 12 rows of f64 get KC = 256 (at 512
  // the panel filled the whole L1: the f64 1024³ GEMM ran at 85–88 % of the
  // probe in CPU time instead of 89–90 %). With 32- and 64-bit values, the
  // KC × NR micro-panel of B being streamed is also kept within 32 KiB, so
  // that both panels fit in the L1 together as in the ceiling probe: f32 on
  // AVX-512 gets KC = 256 (+0.5 to +3 % of the probe on 1000³, 1024³, 2048³
  // and 513 × 257 × 1031, CPU time; 8- and 16-bit kernels, not measured,
  // keep 512). NC grows by as much as KC shrinks, so that the KC × NC block
  // of B keeps its size in bytes. Packed A holds at least 32 bits per value
  // (8- and 16-bit values are replicated into words).
  int64_t aBytes = std::max<int64_t>(4, bytes);
  int64_t kc = tiling.kc;
  auto fitKC = [&](int64_t fit) {
    fit = llvm::alignDown(fit, tiling.vectorLength);
    if (fit >= 64 && fit < tiling.kc) {
      tiling.kc = fit;
      tiling.nc = tiling.nr() * 16 * (kc / fit);
    }
  };
  tiling.nc = tiling.nr() * 16;
  fitKC((24 * 1024) / (tiling.mr * aBytes));
  tiling.kcA = tiling.kc;
  tiling.ncA = tiling.nc;
  if (bits >= 32 && accumulatorSets == 1)
    fitKC((32 * 1024) / (tiling.nr() * bytes));
  tiling.mc = llvm::alignTo(singleMr * 12, tiling.mr);
  return tiling;
}

GemmTiling trop::withGroupedReduction(GemmTiling tiling, int64_t kGroup,
                                      int64_t numGroups) {
  // A convolution's few output channels make few B panels, which need not
  // share the L1 with the A panel: its block stays as large as the A panel
  // allows (the 3×3, 64-filter f32 convolution ran 7 % slower, CPU time,
  // with the smaller KC of a GEMM: more passes over its output).
  tiling.kc = tiling.kcA;
  tiling.nc = tiling.ncA;
  int64_t perBlock = std::max<int64_t>(1, tiling.kc / kGroup);
  int64_t blocks = llvm::divideCeil(std::max<int64_t>(1, numGroups), perBlock);
  perBlock = llvm::divideCeil(std::max<int64_t>(1, numGroups), blocks);
  tiling.kc = perBlock * kGroup;
  return tiling;
}
