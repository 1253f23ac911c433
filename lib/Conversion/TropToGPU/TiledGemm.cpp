//===- TiledGemm.cpp - The tiled tropical GEMM kernel for GPUs ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The kernel, per thread block (256 threads, tile 128 × 128, slices of 8):
//
//   phase: C tile -> accumulators; slice 0 of A and B -> shared buffer 0
//   barrier
//   for each slice s:
//     phase: load slice s + 1 from global memory into registers;
//            accumulate slice s from shared buffer s % 2 (16-byte loads);
//            store the registers into shared buffer (s + 1) % 2
//     barrier
//   phase: accumulators -> C (inside the bounds)
//
// One barrier per slice suffices: in a phase threads read one buffer and
// write the other, and the buffer written in phase s was last read in phase
// s - 1, which the barrier ends. The loads of slice s + 1 are issued before
// the arithmetic of slice s and used after it: the double buffering is
// staged in registers (cp.async is not used yet).
//
// Edge handling: indices are clamped into the operands (never an
// out-of-bounds load) and the reduction is padded with 𝟘, which ⊗ absorbs
// and ⊕ ignores, so a partial slice is exact; rows and columns outside C are
// computed but not stored. For a dual_matmul A is padded with max_plus's 𝟘
// (−∞) and B with min_plus's (+∞): −∞ ⊗ +∞ is 𝟘 of either semiring
// (PRODUCT.md §2; in assume-none mode the NaN sum is a term ⊕ ignores).
//
// Emulated on the CPU (`emulate`), blocks become loops and each phase a loop
// over the block's 256 threads: a barrier is the end of one such loop and
// the start of the next, so every thread finishes a phase before any starts
// the next, as on the GPU. Registers that live across phases (the
// accumulators) get one slot per thread; those that live within a phase
// (the staged slice) stay SSA values.
//
//===----------------------------------------------------------------------===//

#include "TiledGemm.h"
#include "../TropToCPU/KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/NVGPU/IR/NVGPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/TypeUtilities.h"

#include <array>

using namespace mlir;
using namespace mlir::trop;

namespace {

using T = GemmTile;

/// The sizes an implicit GEMM's A is addressed with (ConvWindow), computed
/// outside the kernel: the input's H, W and C, the output's OW and OH·OW,
/// and the filter's KW·C.
struct ConvSizes {
  Value h, w, c, ow, ohw, kwc;
};

/// Emits one thread block's work.
struct BlockEmitter {
  ImplicitLocOpBuilder &b;
  const TiledGemmSpec &spec;
  KernelBuilder k;
  Value batch; ///< the batch index, or null for 2-D operands
  Value rowBase, colBase, m, n, kDim;
  Value aTile, bTile;
  /// Elements per shared-memory vector load (16 bytes at most; 1 for i1,
  /// whose vectors LLVM packs into bits).
  int64_t vectorWidth;
  /// Slices go from global to shared memory by cp.async (copySliceAsync)
  /// rather than through registers.
  bool asyncCopy = false;
  /// The host-loop form: copies are immediate.
  bool emulated = false;
  /// Set for a convolution (spec.conv).
  std::optional<ConvSizes> conv;

  Type elementType() const {
    return getElementTypeOrSelf(spec.c.front().getType());
  }
  int64_t numAccumulators() const {
    return spec.kinds.size() * T::kTM * T::kTN;
  }

  /// The operand element [batch, row, col] with row and col clamped into
  /// rows × cols (which are not empty).
  Value loadClamped(Value memref, Value row, Value col, Value rows,
                    Value cols) {
    return memref::LoadOp::create(b, memref,
                                  clampedIndices(row, col, rows, cols));
  }
  SmallVector<Value> clampedIndices(Value row, Value col, Value rows,
                                    Value cols) {
    Value one = k.idx(1);
    SmallVector<Value> indices;
    if (batch)
      indices.push_back(batch);
    indices.push_back(k.min(row, k.sub(rows, one)));
    indices.push_back(k.min(col, k.sub(cols, one)));
    return indices;
  }

  Value cmp(arith::CmpIPredicate predicate, Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, predicate, lhs, rhs);
  }
  Value both(Value lhs, Value rhs) {
    return arith::AndIOp::create(b, lhs, rhs);
  }

  /// Element [row, kk] of the GEMM's A: the indices it is read from
  /// (clamped into the operand, so never out of bounds) and whether it is an
  /// element at all; where not (past K, or for a convolution in the
  /// padding) the kernel uses 𝟘 instead. For a convolution this is the
  /// im2col addressing of ConvWindow.
  std::pair<SmallVector<Value>, Value> aAccess(Value row, Value kk) {
    Value valid = cmp(arith::CmpIPredicate::ult, kk, kDim);
    if (!spec.conv)
      return {clampedIndices(row, kk, m, kDim), valid};
    const ConvWindow &window = *spec.conv;
    auto div = [&](Value x, Value y) {
      return arith::DivUIOp::create(b, x, y).getResult();
    };
    auto rem = [&](Value x, Value y) {
      return arith::RemUIOp::create(b, x, y).getResult();
    };
    Value one = k.idx(1), zero = k.idx(0);
    Value r = k.min(row, k.sub(m, one)), kc = k.min(kk, k.sub(kDim, one));
    Value pixel = rem(r, conv->ohw), tap = rem(kc, conv->kwc);
    Value n = div(r, conv->ohw), kh = div(kc, conv->kwc);
    Value oh = div(pixel, conv->ow), ow = rem(pixel, conv->ow);
    Value kw = div(tap, conv->c), c = rem(tap, conv->c);
    // The input coordinate of output `out` and tap `t` along dimension d
    // (0: rows, 1: columns), clamped into [0, size).
    auto coordinate = [&](Value out, Value t, int64_t d, Value size) {
      Value x = k.sub(k.add(k.mul(out, k.idx(window.strides[d])),
                            k.mul(t, k.idx(window.dilations[d]))),
                      k.idx(d == 0 ? window.top : window.left));
      valid = both(valid, both(cmp(arith::CmpIPredicate::sge, x, zero),
                               cmp(arith::CmpIPredicate::slt, x, size)));
      return arith::MaxSIOp::create(b, k.min(x, k.sub(size, one)), zero)
          .getResult();
    };
    Value ih = coordinate(oh, kh, 0, conv->h);
    Value iw = coordinate(ow, kw, 1, conv->w);
    return {{n, ih, iw, c}, valid};
  }

  /// Row (column) `i` of thread `part`'s register tile inside the block
  /// tile: quadrant rows part·4 + i and 64 + part·4 + i − 4.
  Value tileOffset(Value part, int64_t i) {
    int64_t half = T::kBM / 2;
    return k.add(k.mul(part, k.idx(4)), k.idx(i < 4 ? i : half + i - 4));
  }
  Value threadRow(Value tid) {
    return arith::DivUIOp::create(b, tid, k.idx(T::kBN / T::kTN));
  }
  Value threadCol(Value tid) {
    return arith::RemUIOp::create(b, tid, k.idx(T::kBN / T::kTN));
  }

  /// Calls body(s, i, j, row, col) for each accumulator of thread `tid`.
  void forEachAccumulator(
      Value tid,
      function_ref<void(int64_t, int64_t, int64_t, Value, Value)> body) {
    Value tRow = threadRow(tid), tCol = threadCol(tid);
    for (int64_t s = 0, e = spec.kinds.size(); s < e; ++s)
      for (int64_t i = 0; i < T::kTM; ++i)
        for (int64_t j = 0; j < T::kTN; ++j)
          body(s, i, j, k.add(rowBase, tileOffset(tRow, i)),
               k.add(colBase, tileOffset(tCol, j)));
  }
  static int64_t accIndex(int64_t s, int64_t i, int64_t j) {
    return (s * T::kTM + i) * T::kTN + j;
  }

  /// Thread `tid`'s accumulators, read from C (clamped: what lies outside C
  /// is never stored).
  SmallVector<Value> loadAccumulators(Value tid) {
    SmallVector<Value> sums(numAccumulators());
    forEachAccumulator(
        tid, [&](int64_t s, int64_t i, int64_t j, Value row, Value col) {
          sums[accIndex(s, i, j)] = loadClamped(spec.c[s], row, col, m, n);
        });
    return sums;
  }

  void storeAccumulators(Value tid, ValueRange sums) {
    forEachAccumulator(tid, [&](int64_t s, int64_t i, int64_t j, Value row,
                                Value col) {
      Value inside = arith::AndIOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::ult, row, m),
          arith::CmpIOp::create(b, arith::CmpIPredicate::ult, col, n));
      auto ifOp = scf::IfOp::create(b, inside, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      SmallVector<Value> indices;
      if (batch)
        indices.push_back(batch);
      indices.append({row, col});
      memref::StoreOp::create(b, sums[accIndex(s, i, j)], spec.c[s], indices);
    });
  }

  /// Thread `tid`'s share of the slice starting at reduction index `k0`:
  /// four elements of A (row tid / 2, k0 + (tid % 2)·4 + 0..3) and four of B
  /// (row k0 + tid / 32, columns (tid % 32)·4 + 0..3), 𝟘 past K.
  SmallVector<Value> loadSlice(Value tid, Value k0) {
    SmallVector<Value> values;
    Type type = elementType();
    Value padA = buildZero(b, b.getLoc(), spec.kinds.front(), type);
    Value padB = buildZero(b, b.getLoc(), spec.kinds.back(), type);
    Value aRow = k.add(rowBase, arith::DivUIOp::create(b, tid, k.idx(2)));
    Value aK =
        k.add(k0, k.mul(arith::RemUIOp::create(b, tid, k.idx(2)), k.idx(4)));
    Value bK = k.add(k0, arith::DivUIOp::create(b, tid, k.idx(32)));
    Value bCol = k.add(
        colBase, k.mul(arith::RemUIOp::create(b, tid, k.idx(32)), k.idx(4)));
    for (int64_t e = 0; e < 4; ++e) {
      auto [indices, valid] = aAccess(aRow, k.add(aK, k.idx(e)));
      Value v = memref::LoadOp::create(b, spec.a, indices);
      values.push_back(arith::SelectOp::create(b, valid, v, padA));
    }
    Value bInside =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ult, bK, kDim);
    for (int64_t e = 0; e < 4; ++e) {
      Value v = loadClamped(spec.b, bK, k.add(bCol, k.idx(e)), kDim, n);
      values.push_back(arith::SelectOp::create(b, bInside, v, padB));
    }
    return values;
  }

  /// Stores what loadSlice loaded into shared buffer `buf`: A transposed.
  void storeSlice(Value tid, ArrayRef<Value> values, Value buf) {
    Value aRow = arith::DivUIOp::create(b, tid, k.idx(2));
    Value aK = k.mul(arith::RemUIOp::create(b, tid, k.idx(2)), k.idx(4));
    Value bK = arith::DivUIOp::create(b, tid, k.idx(32));
    Value bCol = k.mul(arith::RemUIOp::create(b, tid, k.idx(32)), k.idx(4));
    for (int64_t e = 0; e < 4; ++e) {
      memref::StoreOp::create(b, values[e], aTile,
                              ValueRange{buf, k.add(aK, k.idx(e)), aRow});
      memref::StoreOp::create(b, values[4 + e], bTile,
                              ValueRange{buf, bK, k.add(bCol, k.idx(e))});
    }
  }

  /// cp.async (sm_80+, 32-bit elements): thread `tid`'s share of the
  /// slice at `k0`, the elements loadSlice and storeSlice move through
  /// registers, copied from global memory straight into shared buffer `buf`
  /// (`cp.async.ca.shared.global`, one element each, as A is transposed).
  /// Sources are clamped into the operands; the elements past K are set to
  /// 𝟘 by finishSliceAsync once the copies are complete. Returns the copies'
  /// group. Emulated, each copy is a load and a store at once: one of the
  /// orders the asynchronous copy allows, so the emulation checks the same
  /// phases (the buffer being filled is not read until the barrier).
  Value copySliceAsync(Value tid, Value k0, Value buf) {
    SmallVector<Value> tokens;
    auto copy = [&](Value dst, ValueRange dstIndices, Value src,
                    ValueRange srcIndices) {
      if (emulated) {
        memref::StoreOp::create(b, memref::LoadOp::create(b, src, srcIndices),
                                dst, dstIndices);
        return;
      }
      tokens.push_back(nvgpu::DeviceAsyncCopyOp::create(
          b, dst, dstIndices, src, srcIndices, b.getIndexAttr(1),
          /*srcElements=*/Value(), /*bypassL1=*/UnitAttr()));
    };
    auto [aRow, aK, bK, bCol] = sliceCoordinates(tid);
    for (int64_t e = 0; e < 4; ++e) {
      Value kk = k.add(aK, k.idx(e));
      copy(aTile, {buf, kk, aRow}, spec.a,
           aAccess(k.add(rowBase, aRow), k.add(k0, kk)).first);
      Value col = k.add(bCol, k.idx(e));
      copy(bTile, {buf, bK, col}, spec.b,
           clampedIndices(k.add(k0, bK), k.add(colBase, col), kDim, n));
    }
    if (emulated)
      return Value();
    return nvgpu::DeviceAsyncCreateGroupOp::create(b, tokens);
  }

  /// Waits for the copies of `group` (this thread's), then writes 𝟘 over
  /// the elements of the slice at `k0` that are not elements of A or B (past
  /// K, or in a convolution's padding).
  void finishSliceAsync(Value tid, Value k0, Value buf, Value group) {
    if (group)
      nvgpu::DeviceAsyncWaitOp::create(b, group, /*numGroups=*/IntegerAttr());
    Type type = elementType();
    auto [aRow, aK, bK, bCol] = sliceCoordinates(tid);
    auto padIf = [&](Value pad, function_ref<void()> store) {
      auto ifOp = scf::IfOp::create(b, pad, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      store();
    };
    for (int64_t e = 0; e < 4; ++e) {
      Value kk = k.add(aK, k.idx(e));
      Value valid = aAccess(k.add(rowBase, aRow), k.add(k0, kk)).second;
      Value invalid = arith::XOrIOp::create(
          b, valid, arith::ConstantIntOp::create(b, 1, 1));
      padIf(invalid, [&] {
        memref::StoreOp::create(
            b, buildZero(b, b.getLoc(), spec.kinds.front(), type), aTile,
            ValueRange{buf, kk, aRow});
      });
    }
    padIf(cmp(arith::CmpIPredicate::uge, k.add(k0, bK), kDim), [&] {
      Value pad = buildZero(b, b.getLoc(), spec.kinds.back(), type);
      for (int64_t e = 0; e < 4; ++e)
        memref::StoreOp::create(b, pad, bTile,
                                ValueRange{buf, bK, k.add(bCol, k.idx(e))});
    });
  }

  /// Where thread `tid`'s share of a slice lies in it: A row, A's first k,
  /// B's k and B's first column (as loadSlice describes).
  std::array<Value, 4> sliceCoordinates(Value tid) {
    return {arith::DivUIOp::create(b, tid, k.idx(2)),
            k.mul(arith::RemUIOp::create(b, tid, k.idx(2)), k.idx(4)),
            arith::DivUIOp::create(b, tid, k.idx(32)),
            k.mul(arith::RemUIOp::create(b, tid, k.idx(32)), k.idx(4))};
  }

  /// The 8 values thread part `part` uses from row `kk` of a shared tile:
  /// two groups of 4 at part·4 and 64 + part·4, in 16-byte vector loads.
  SmallVector<Value> loadFragment(Value tile, Value buf, int64_t kk,
                                  Value part) {
    SmallVector<Value> values;
    auto vectorType = VectorType::get({vectorWidth}, elementType());
    int64_t bytes = vectorWidth * elementType().getIntOrFloatBitWidth() / 8;
    for (int64_t i = 0; i < 8; i += vectorWidth) {
      Value vec = vector::LoadOp::create(
          b, vectorType, tile, ValueRange{buf, k.idx(kk), tileOffset(part, i)},
          /*nontemporal=*/false, llvm::MaybeAlign(std::max<int64_t>(bytes, 1)));
      for (int64_t l = 0; l < vectorWidth; ++l)
        values.push_back(vector::ExtractOp::create(b, vec, l));
    }
    return values;
  }

  /// `lhs ⊕ rhs` in the kernel: as buildAdd, except that in assume-none
  /// mode float max/min are maxnum/minnum (PTX max.f32/min.f32, one
  /// instruction), which like buildAdd's select return `lhs` when `rhs` is
  /// NaN.
  Value add(SemiringKind kind, Value lhs, Value rhs) {
    if (spec.nanMode == NaNMode::AssumeNone &&
        isa<FloatType>(getElementTypeOrSelf(lhs.getType()))) {
      if (isMaxSemiring(kind))
        return arith::MaxNumFOp::create(b, lhs, rhs);
      return arith::MinNumFOp::create(b, lhs, rhs);
    }
    return buildAdd(b, b.getLoc(), kind, lhs, rhs, spec.nanMode);
  }

  /// Elements per ⊕/⊗ instruction: pairs for f16 (half2: add.rn.f16x2,
  /// max.f16x2, each lane rounded exactly as the scalar op), else one.
  int64_t lanes() const { return elementType().isF16() ? 2 : 1; }

  /// `values` as one operand: the scalar itself, or a vector of them.
  Value pack(ArrayRef<Value> values) {
    if (values.size() == 1)
      return values.front();
    auto type = VectorType::get({int64_t(values.size())}, elementType());
    return vector::FromElementsOp::create(b, type, values);
  }
  void unpack(Value value, MutableArrayRef<Value> out) {
    if (out.size() == 1) {
      out.front() = value;
      return;
    }
    for (auto [l, element] : llvm::enumerate(out))
      element = vector::ExtractOp::create(b, value, l);
  }

  /// Accumulates the slice in shared buffer `buf` into thread `tid`'s tile
  /// `sums`, and returns the new tile. Runs of lanes() columns are updated by
  /// one vector instruction.
  SmallVector<Value> accumulate(Value tid, Value buf, ValueRange sumsIn) {
    SmallVector<Value> sums(sumsIn);
    int64_t w = lanes(), groups = T::kTN / w;
    auto group = [&](int64_t s, int64_t i, int64_t j) {
      return (s * T::kTM + i) * groups + j / w;
    };
    SmallVector<Value> packed(sums.size() / w);
    for (int64_t s = 0, e = spec.kinds.size(); s < e; ++s)
      for (int64_t i = 0; i < T::kTM; ++i)
        for (int64_t j = 0; j < T::kTN; j += w)
          packed[group(s, i, j)] =
              pack(ArrayRef(sums).slice(accIndex(s, i, j), w));
    Value tRow = threadRow(tid), tCol = threadCol(tid);
    for (int64_t kk = 0; kk < T::kBK; ++kk) {
      SmallVector<Value> as = loadFragment(aTile, buf, kk, tRow);
      SmallVector<Value> bs = loadFragment(bTile, buf, kk, tCol);
      for (int64_t i = 0; i < T::kTM; ++i) {
        Value a = as[i];
        if (w > 1)
          a = vector::BroadcastOp::create(
              b, VectorType::get({w}, elementType()), a);
        for (int64_t j = 0; j < T::kTN; j += w) {
          Value bv = pack(ArrayRef(bs).slice(j, w));
          for (auto [s, kind] : llvm::enumerate(spec.kinds)) {
            Value &sum = packed[group(s, i, j)];
            sum = add(kind, sum,
                      buildMulTerm(b, b.getLoc(), kind, a, bv, spec.nanMode));
          }
        }
      }
    }
    for (int64_t s = 0, e = spec.kinds.size(); s < e; ++s)
      for (int64_t i = 0; i < T::kTM; ++i)
        for (int64_t j = 0; j < T::kTN; j += w)
          unpack(packed[group(s, i, j)],
                 MutableArrayRef(sums).slice(accIndex(s, i, j), w));
    return sums;
  }

  /// The phases of the kernel, the same on the GPU and emulated. The first:
  /// the accumulators from C, slice 0 into shared buffer 0.
  SmallVector<Value> firstPhase(Value tid) {
    Value zero = k.idx(0);
    if (!asyncCopy) {
      storeSlice(tid, loadSlice(tid, zero), zero);
      return loadAccumulators(tid);
    }
    Value group = copySliceAsync(tid, zero, zero);
    SmallVector<Value> sums = loadAccumulators(tid);
    finishSliceAsync(tid, zero, zero, group);
    return sums;
  }
  /// Slice `slice`: stage slice + 1, accumulate slice from its buffer, store
  /// the staged one into the other buffer.
  SmallVector<Value> slicePhase(Value tid, Value slice, ValueRange sums) {
    Value one = k.idx(1);
    Value buf = arith::RemUIOp::create(b, slice, k.idx(2));
    Value nextK = k.mul(k.add(slice, one), k.idx(T::kBK));
    if (asyncCopy) {
      // The copies of slice + 1 run while slice is accumulated.
      Value next = k.sub(one, buf);
      Value group = copySliceAsync(tid, nextK, next);
      SmallVector<Value> result = accumulate(tid, buf, sums);
      finishSliceAsync(tid, nextK, next, group);
      return result;
    }
    SmallVector<Value> staged = loadSlice(tid, nextK);
    SmallVector<Value> result = accumulate(tid, buf, sums);
    storeSlice(tid, staged, k.sub(one, buf));
    return result;
  }
  Value numSlices() { return k.ceilDiv(kDim, T::kBK); }

  /// On the GPU: the accumulators are loop-carried values (registers).
  void emitOnGPU(Value tid) {
    SmallVector<Value> sums = firstPhase(tid);
    gpu::BarrierOp::create(b);
    auto loop = k.forLoop(k.idx(0), numSlices(), k.idx(1), sums,
                          [&](Value slice, ValueRange carried) {
                            SmallVector<Value> next =
                                slicePhase(tid, slice, carried);
                            gpu::BarrierOp::create(b);
                            return next;
                          });
    storeAccumulators(tid, loop.getResults());
  }

  /// Emulated: each phase is a loop over the block's threads, and the
  /// accumulators, which live across phases, one row of `saved` per thread.
  void emitEmulated(Value saved) {
    auto save = [&](Value tid, ValueRange sums) {
      for (auto [e, sum] : llvm::enumerate(sums))
        memref::StoreOp::create(b, sum, saved, ValueRange{tid, k.idx(e)});
    };
    auto restore = [&](Value tid) {
      SmallVector<Value> sums;
      for (int64_t e = 0, end = numAccumulators(); e < end; ++e)
        sums.push_back(
            memref::LoadOp::create(b, saved, ValueRange{tid, k.idx(e)}));
      return sums;
    };
    Value zero = k.idx(0), threads = k.idx(T::kThreads);
    k.forLoop(zero, threads, 1, [&](Value tid) { save(tid, firstPhase(tid)); });
    k.forLoop(zero, numSlices(), 1, [&](Value slice) {
      k.forLoop(zero, threads, 1, [&](Value tid) {
        save(tid, slicePhase(tid, slice, restore(tid)));
      });
    });
    k.forLoop(zero, threads, 1,
              [&](Value tid) { storeAccumulators(tid, restore(tid)); });
  }
};

} // namespace

void trop::emitTiledGemm(ImplicitLocOpBuilder &b, const TiledGemmSpec &conv,
                         bool emulate) {
  KernelBuilder k{b};
  // A convolution's filter and output as matrices (B and C of the GEMM).
  TiledGemmSpec spec = conv;
  std::optional<ConvSizes> convSizes;
  SmallVector<Value> sizes;
  if (conv.conv) {
    Value y = conv.c.front();
    convSizes = ConvSizes{k.dim(conv.a, 1),
                          k.dim(conv.a, 2),
                          k.dim(conv.a, 3),
                          k.dim(y, 2),
                          k.mul(k.dim(y, 1), k.dim(y, 2)),
                          k.mul(k.dim(conv.b, 1), k.dim(conv.a, 3))};
    // An empty input row or column: every window lies in the padding.
    sizes = {convSizes->h, convSizes->w};
    SmallVector<ReassociationIndices> matrix{{0, 1, 2}, {3}};
    spec.b = memref::CollapseShapeOp::create(b, conv.b, matrix);
    for (Value &c : spec.c)
      c = memref::CollapseShapeOp::create(b, c, matrix);
  }
  Value c0 = spec.c.front();
  int64_t rank = cast<MemRefType>(c0.getType()).getRank();
  bool batched = rank == 3;
  Value m = k.dim(c0, rank - 2), n = k.dim(c0, rank - 1);
  Value kDim = k.dim(spec.b, rank - 2);
  Value batches = batched ? k.dim(c0, 0) : k.idx(1);
  Value zero = k.idx(0);
  Value nonEmpty;
  sizes.append({m, n, kDim, batches});
  for (Value size : sizes) {
    Value positive =
        arith::CmpIOp::create(b, arith::CmpIPredicate::ugt, size, zero);
    nonEmpty =
        nonEmpty ? arith::AndIOp::create(b, nonEmpty, positive) : positive;
  }
  auto ifOp = scf::IfOp::create(b, nonEmpty, /*withElseRegion=*/false);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifOp.thenBlock());

  Type type = getElementTypeOrSelf(c0.getType());
  int64_t bits = type.getIntOrFloatBitWidth();
  int64_t vectorWidth = bits == 1 ? 1 : std::min<int64_t>(4, 128 / bits);
  int64_t numAcc = spec.kinds.size() * T::kTM * T::kTN;
  Value gridX = k.ceilDiv(n, T::kBN), gridY = k.ceilDiv(m, T::kBM);
  // cp.async copies 4, 8 or 16 bytes: one element of 32-bit types. (f64's
  // 8-byte copies spilled more than the register-staged form: ptxas, sm_90,
  // 200 bytes against 56.)
  bool asyncCopy = spec.asyncCopy && bits == 32;

  auto makeBlock = [&](Value bx, Value by, Value bz, Value aTile, Value bTile) {
    return BlockEmitter{b,
                        spec,
                        KernelBuilder{b},
                        batched ? bz : Value(),
                        k.mul(by, k.idx(T::kBM)),
                        k.mul(bx, k.idx(T::kBN)),
                        m,
                        n,
                        kDim,
                        aTile,
                        bTile,
                        vectorWidth,
                        asyncCopy,
                        emulate,
                        convSizes};
  };

  SmallVector<int64_t> aShape{2, T::kBK, T::kAPitch}, bShape{2, T::kBK, T::kBN};
  if (emulate) {
    // The block's shared memory (aligned for the 16-byte vector loads, as
    // shared memory is) and the threads' saved accumulators.
    IntegerAttr align = b.getI64IntegerAttr(16);
    Value aTile =
        memref::AllocaOp::create(b, MemRefType::get(aShape, type), align);
    Value bTile =
        memref::AllocaOp::create(b, MemRefType::get(bShape, type), align);
    Value saved = memref::AllocaOp::create(
        b, MemRefType::get({T::kThreads, numAcc}, type));
    k.forLoop(zero, batches, 1, [&](Value bz) {
      k.forLoop(zero, gridY, 1, [&](Value by) {
        k.forLoop(zero, gridX, 1, [&](Value bx) {
          makeBlock(bx, by, bz, aTile, bTile).emitEmulated(saved);
        });
      });
    });
    return;
  }
  auto workgroup = gpu::AddressSpaceAttr::get(
      b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
  Type aType =
      MemRefType::get(aShape, type, MemRefLayoutAttrInterface(), workgroup);
  Type bType =
      MemRefType::get(bShape, type, MemRefLayoutAttrInterface(), workgroup);
  Value one = k.idx(1);
  auto launch = gpu::LaunchOp::create(
      b, gridX, gridY, batches, k.idx(T::kThreads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, TypeRange{aType, bType});
  b.setInsertionPointToStart(&launch.getBody().front());
  gpu::KernelDim3 ids = launch.getBlockIds();
  makeBlock(ids.x, ids.y, ids.z, launch.getWorkgroupAttributions()[0],
            launch.getWorkgroupAttributions()[1])
      .emitOnGPU(launch.getThreadIds().x);
  gpu::TerminatorOp::create(b);
}
