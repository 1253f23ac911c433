//===- TiledGemm.h - The tiled tropical GEMM kernel for GPUs ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// One thread block computes a BM × BN tile of C = C ⊕ A ⊗ B from BK-deep
// slices of A and B staged in shared memory (two buffers, so that the next
// slice is loaded while the current one is used), each thread a TM × TN
// register tile. The same decomposition is emitted either as a gpu.launch or,
// for checking it on the CPU, as loops over blocks and threads (see
// TiledGemm.cpp for how barriers are respected there).
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOGPU_TILEDGEMM_H
#define TROP_LIB_CONVERSION_TROPTOGPU_TILEDGEMM_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <array>
#include <optional>

namespace mlir {
namespace trop {

/// The fixed tiling: 256 threads as 16 × 16, each an 8 × 8 register tile
/// made of four 4 × 4 quadrants 64 rows/columns apart, so that a warp's
/// 16-byte shared loads cover consecutive addresses (no bank conflicts).
struct GemmTile {
  static constexpr int64_t kBM = 128, kBN = 128, kBK = 8;
  static constexpr int64_t kTM = 8, kTN = 8;
  static constexpr int64_t kThreads = (kBM / kTM) * (kBN / kTN);
  /// A is staged transposed (k-major) with rows padded by 4 elements, so
  /// that the transposing stores of one warp hit distinct banks.
  static constexpr int64_t kAPitch = kBM + 4;
};

/// A convolution as an implicit GEMM (conv_2d, dual_conv_2d): the GEMM's A
/// is never formed. Row m of A is output pixel m of the N × OH × OW grid
/// (row-major), column k the window position (kh, kw, c) (row-major, the
/// order of the HWCF filter's first three dimensions), and A[m, k] is the
/// input element under it, or 𝟘 where the window lies in the padding: the
/// im2col addressing is done by the global → shared copy of A.
struct ConvWindow {
  std::array<int64_t, 2> strides, dilations;
  int64_t top, left; ///< padding before the first row and column
};

/// What one tiled kernel computes: for each semiring in `kinds` (one, or
/// max_plus and min_plus for a dual_matmul), C_s = C_s ⊕ A ⊗ B, on 2-D
/// memrefs A (M × K), B (K × N), C_s (M × N), or on 3-D ones with a leading
/// batch dimension (one grid layer per batch).
struct TiledGemmSpec {
  SmallVector<SemiringKind, 2> kinds;
  NaNMode nanMode;
  Value a, b;
  SmallVector<Value, 2> c;
  /// Copy the slices with cp.async (sm_80+) for 32-bit elements; other
  /// types go through registers.
  bool asyncCopy = false;
  /// Set for a convolution: `a` is the NHWC input, `b` the HWCF filter(s)
  /// and `c` the NHWC output(s), viewed as (KH·KW·C) × F and (N·OH·OW) × F
  /// matrices (identity layouts).
  std::optional<ConvWindow> conv = std::nullopt;
};

/// Emits the kernel at `b`'s insertion point: a gpu.launch, or with
/// `emulate` the same decomposition as host loops over blocks and threads.
/// Nothing runs when M, N, K or the batch is empty (C is then unchanged).
void emitTiledGemm(ImplicitLocOpBuilder &b, const TiledGemmSpec &spec,
                   bool emulate);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOGPU_TILEDGEMM_H
