//===- GemmEmitter.h - Packed, register-tiled tropical GEMM -----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Emits a BLIS-style semiring GEMM in the scf, vector and memref dialects:
// operand panels are packed into contiguous buffers (padded with 𝟘, so that
// the micro-kernel never needs a bounds check), and a micro-kernel keeps an
// MR × (NV·VL) tile of accumulators in vector registers across the reduction.
// The caller supplies how rows of the left operand are gathered, which is
// all that distinguishes a matmul from a convolution (implicit im2col).
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_GEMMEMITTER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_GEMMEMITTER_H

#include "ComputeDomain.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

#include <functional>

namespace mlir {
namespace trop {

/// Register and cache blocking of the kernel for one element type and target.
struct GemmTiling {
  int64_t vectorLength; ///< lanes per vector register (VL)
  int64_t mr;           ///< rows of the register tile
  int64_t nv;           ///< vectors per row of the register tile (NR = nv·VL)
  int64_t kc;           ///< reduction block (packed panels hold kc entries)
  int64_t mc;           ///< rows of A packed at once (multiple of mr)
  int64_t nc;           ///< columns of B packed at once (multiple of NR)
  /// KC and NC as the A micro-panel alone bounds them, before the B
  /// micro-panel's own bound (what grouped reductions start from).
  int64_t kcA = 0, ncA = 0;
  int64_t nr() const { return nv * vectorLength; }
};

/// Chooses the tiling for registers of `computeType` on a target whose vector
/// registers have `vectorBits` bits and which has `numVectorRegisters` of
/// them, for a kernel that keeps `accumulatorSets` register tiles (2 in dual
/// mode) live at once.
GemmTiling chooseGemmTiling(Type computeType, int64_t vectorBits,
                            int64_t numVectorRegisters,
                            int64_t accumulatorSets = 1);

/// `tiling` with its reduction block KC made a multiple of `kGroup` (which
/// must be a multiple of the vector length), and balanced over `numGroups`
/// groups: 9 window positions of 64 channels give two blocks of 5 and 4
/// groups rather than one of 8 and a short one of 1.
GemmTiling withGroupedReduction(GemmTiling tiling, int64_t kGroup,
                                int64_t numGroups);

/// What the kernel computes, C = C ⊕ A ⊗ B, with A given only through
/// `rowAccessor`, so that a convolution can gather its rows (implicit im2col).
struct GemmProblem {
  /// Access to one row of A, emitted once per packed row: `valid` (an i1, or
  /// null for always) says whether the row exists (a convolution's padding
  /// reads as 𝟘), `loadVector` returns A[row, col : col + lanes] as a vector
  /// of the given type, with 𝟘 (or anything) past the row's end K.
  struct Row {
    Value valid;
    std::function<Value(ImplicitLocOpBuilder &, Value col, VectorType type)>
        loadVector;
  };
  ComputeDomain domain;
  Value m, n, k; ///< index values
  std::function<Row(ImplicitLocOpBuilder &, Value row)> rowAccessor;
  Value b; ///< memref K × N
  Value c; ///< memref M × N, updated in place

  /// Dual-accumulator mode: a second M × N memref updated in place with the
  /// same products A ⊗ B under another ⊕ (`domain.kind` is replaced by
  /// `kind`), e.g. the min of a max/min pair. Each product is computed once
  /// and feeds both accumulators, so this is only exact where ⊗ is the same
  /// operation in both semirings (floats with max_plus/min_plus).
  struct Dual {
    SemiringKind kind;
    Value c;
  };
  std::optional<Dual> dual;

  /// Grouped reduction, used instead of `rowAccessor` when `kGroup` > 0: K is
  /// a whole number of groups of `kGroup` columns (a convolution's window
  /// positions, each spanning the input channels), and
  /// `groupAccessor(row, group)` gives A[row, group·kGroup :][: kGroup], with
  /// `valid` for the whole group and `col` relative to its start. The kernel
  /// then packs a group with one validity test instead of one per column, and
  /// the reduction block KC is a multiple of `kGroup` (see
  /// withGroupedReduction), so one GEMM covers the whole window.
  int64_t kGroup = 0;
  std::function<Row(ImplicitLocOpBuilder &, Value row, Value group)>
      groupAccessor = nullptr;

  /// Direct packing, used instead of `rowAccessor` when set: for a K small
  /// enough to be one reduction block (KC ≥ K, so pc = 0 and kc = K),
  /// `packRow(row, store)` writes A[row, 0 : K] as it likes through
  /// `store(col, vec)` calls, which put the vector `vec` (element type, any
  /// length) at column `col` of the packed row; together they must cover
  /// [0, K). A convolution with few input channels copies the KW·C
  /// contiguous values of each window row with one load and one store
  /// (im2col into the packed panel), instead of running one GEMM with K = C
  /// per window position. Rows past M are never read back; they are given
  /// row 0.
  using StoreFn =
      std::function<void(ImplicitLocOpBuilder &, Value col, Value vec)>;
  std::function<void(ImplicitLocOpBuilder &, Value row, const StoreFn &)>
      packRow = nullptr;

  /// C holds 𝟘 before the kernel runs (the caller dropped the fill that
  /// put it there): the first reduction block starts its register tiles
  /// from 𝟘 instead of loading C, so a fresh output is written once instead
  /// of filled, read back and written. Not with dual or winners mode.
  bool zeroInit = false;

  /// Epilogue fusion (Epilogue.h): when set, the final values of C (those
  /// of the last reduction block, while still in registers) are not stored
  /// to C but handed to `epilogue(acc, row, col)`, a vector of C[row, col :]
  /// in the element type, which stores what it computes from them. Only
  /// for K > 0 (no block runs otherwise), without dual mode, and in a domain
  /// that computes in the element type.
  std::function<void(ImplicitLocOpBuilder &, Value acc, Value row, Value col)>
      epilogue = nullptr;

  /// Winners mode (trop.matmul_winners): an M × N i64 memref updated in
  /// place beside C with the reduction index of the first product strictly
  /// better than the accumulator (an ordered compare: a NaN never wins).
  /// The micro-kernel carries a tile of block-local indices, integers as
  /// wide as the compute type (one register per value register), next to
  /// the value tile, and blends the current k into the lanes where the
  /// compare holds; after each reduction block the lanes that changed store
  /// the block's start plus their local index. Only for float domains that
  /// compute in the element type (the compare must see the rounded
  /// products), without dual mode, epilogue or grouped reduction; the
  /// tiling should budget two accumulator sets.
  Value winners = {};
};

/// Emits the whole GEMM at the builder's insertion point. When
/// `numTasks` > 1 column ranges (whole NR panels) or row ranges (whole MR
/// tiles), whichever leaves the largest task the least tiles and packing,
/// are distributed over an scf.parallel loop, each task packing its own
/// panels.
void emitGemm(ImplicitLocOpBuilder &b, const GemmProblem &problem,
              const GemmTiling &tiling, int64_t numTasks);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_GEMMEMITTER_H
