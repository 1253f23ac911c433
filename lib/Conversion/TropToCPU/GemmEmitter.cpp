//===- GemmEmitter.cpp - Packed, register-tiled tropical GEMM -------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Loop structure (BLIS), inside each parallel task owning rows [m0, m1) and
// columns [n0, n1) of C:
//
//   for jc in [n0, n1) step NC            B block:  KC × NC, packed per pc
//     for pc in [0, K) step KC
//       pack B[pc:pc+kc, jc:jc+nc] into Bp[nc/NR][kc][NR]   (𝟘 beyond N)
//       for ic in [m0, m1) step MC
//         pack A[ic:ic+mc, pc:pc+kc] into Ap[mc/MR][kc][MR]  (𝟘 beyond M)
//         for jr: for ir:  micro-kernel on the MR × NR tile of C
//
// The B micro-panel (KC·NR elements) stays in L1 across the ir loop, the A
// block in L2. The micro-kernel loads its C tile into MR·NV vector registers,
// runs the whole kc loop on them (one broadcast of A, NV loads of B, and
// MR·NV ⊗ and ⊕ per step) and stores the tile back. Tiles that cross the edge
// of C run the same kernel on a zero-padded copy of the tile.
//
// In dual mode (a max/min pair sharing A and B) the micro-kernel holds two
// register tiles of half the rows and feeds each product to both: one ⊗ and
// two ⊕ per pair of updates instead of two of each.
//
// In winners mode (trop.matmul_winners) the micro-kernel also carries a
// tile of block-local indices, one register per value register, and blends
// the step's index where the product is strictly better than the
// accumulator; each block then stores its winners with masked stores.
//
// Values are held in the registers of a ComputeDomain (f32 for half
// precision without native support, twice the width for integer `_plus`
// semirings); ComputeDomain.cpp says why that is exact.
//
//===----------------------------------------------------------------------===//

#include "GemmEmitter.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// Emission state shared by the helpers below.
struct Emitter : KernelBuilder {
  const GemmProblem &p;
  const GemmTiling &t;
  Type computeType; ///< the type the kernel works in (f32 for f16/bf16)
  VectorType vecType;
  /// Saturating domains only: per packed micro-panel of A (B), two flags
  /// (null otherwise): [panel, kHasZero] whether it holds a 𝟘 (padding
  /// included), [panel, kHasWide] whether it holds a value outside the half
  /// range [MIN/2, MAX/2] (𝟘 included). Sums of two values inside the half
  /// range cannot overflow, so a wrapping add is exact on them.
  Value flagsA = {}, flagsB = {};
  static constexpr int64_t kHasZero = 0, kHasWide = 1;
  /// With an epilogue: an i1 that holds in the last reduction block.
  Value lastBlock = {};
  /// With zeroInit: an i1 that holds in the first reduction block.
  Value firstBlock = {};
  /// Winners mode: the current reduction block's start, and the i64 tile
  /// that holds the winners of an edge tile while its kernel runs.
  Value blockStart = {}, winnersTile = {};

  /// Which operands' 𝟘 the micro-kernel masks out of the ⊕ (saturating
  /// domains, whose ⊗ does not absorb 𝟘 by itself).
  enum class Absorb { None, B, AB };

  const ComputeDomain &domain() const { return p.domain; }
  /// The domains of the accumulator sets: one, or two in dual mode.
  SmallVector<ComputeDomain, 2> domains() const {
    SmallVector<ComputeDomain, 2> result = {p.domain};
    if (p.dual) {
      result.push_back(p.domain);
      result.back().kind = p.dual->kind;
    }
    return result;
  }
  /// The memrefs C updated by the kernel, one per accumulator set.
  SmallVector<Value, 2> outputs() const {
    SmallVector<Value, 2> result = {p.c};
    if (p.dual)
      result.push_back(p.dual->c);
    return result;
  }
  Value zero() { return domain().zero(b, computeType); }
  Value zeroVector() { return domain().zero(b, vecType); }

  /// Packed A holds 8- and 16-bit values replicated into 32-bit words: the
  /// micro-kernel then broadcasts them with a 32-bit broadcast from memory,
  /// which x86 executes on a load port alone, while a byte or word broadcast
  /// also takes a shuffle-port slot from the adds and max/min (12 of the 60
  /// slots of a 12 × 2 step).
  bool replicateA() const { return computeType.getIntOrFloatBitWidth() < 32; }
  Type packedAType() { return replicateA() ? b.getI32Type() : computeType; }
  /// A vector of compute values as packed A stores them.
  Value toPackedA(Value vec) {
    if (!replicateA())
      return vec;
    unsigned bits = computeType.getIntOrFloatBitWidth();
    auto shape = cast<VectorType>(vec.getType()).getShape();
    if (isa<FloatType>(computeType))
      vec = vector::BitCastOp::create(
          b, VectorType::get(shape, b.getIntegerType(bits)), vec);
    auto wide = VectorType::get(shape, b.getI32Type());
    Value ext = arith::ExtUIOp::create(b, wide, vec);
    uint32_t copies = bits == 8 ? 0x01010101u : 0x00010001u;
    Value factor = arith::ConstantOp::create(
        b, SplatElementsAttr::get(wide, b.getI32IntegerAttr(copies)));
    return arith::MulIOp::create(b, ext, factor);
  }
  /// The broadcast of one packed A value to a vector of compute values.
  Value broadcastA(ImplicitLocOpBuilder &nb, Value packed) {
    if (!replicateA())
      return vector::BroadcastOp::create(nb, vecType, packed);
    int64_t words = t.vectorLength * computeType.getIntOrFloatBitWidth() / 32;
    Value wide = vector::BroadcastOp::create(
        nb, VectorType::get({words}, nb.getI32Type()), packed);
    return vector::BitCastOp::create(nb, vecType, wide);
  }
  Value toCompute(Value v) { return domain().widen(b, v); }
  Value toElement(Value v) { return domain().narrow(b, v); }

  /// Sets the flags of panel `index` for the first `lanes` lanes of `vec`
  /// (all without `lanes`); no-op without flags. The lanes past the end of a
  /// row of A are padding that no full tile reads.
  void flagValues(Value flags, Value index, Value vec, Value lanes = {}) {
    if (!flags)
      return;
    auto vecType = cast<VectorType>(vec.getType());
    unsigned width = vecType.getElementType().getIntOrFloatBitWidth();
    auto splat = [&](const APInt &v) -> Value {
      return arith::ConstantOp::create(
          b, SplatElementsAttr::get(
                 vecType, b.getIntegerAttr(vecType.getElementType(), v)));
    };
    APInt half = APInt::getOneBitSet(width, width - 2);
    Value wide = arith::OrIOp::create(
        b,
        arith::CmpIOp::create(b, arith::CmpIPredicate::slt, vec, splat(-half)),
        arith::CmpIOp::create(b, arith::CmpIPredicate::sgt, vec,
                              splat(half - 1)));
    Value isZero = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, vec,
                                         domain().zero(b, vecType));
    if (lanes) {
      auto maskType = VectorType::get(vecType.getShape(), b.getI1Type());
      Value valid =
          vector::CreateMaskOp::create(b, maskType, ValueRange{lanes});
      wide = arith::AndIOp::create(b, wide, valid);
      isZero = arith::AndIOp::create(b, isZero, valid);
    }
    // 𝟘 is outside the half range: look for it only in a wide vector.
    Value anyWide =
        vector::ReductionOp::create(b, vector::CombiningKind::OR, wide);
    auto ifWide = scf::IfOp::create(b, anyWide, /*withElseRegion=*/false);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifWide.thenBlock());
    setFlag(flags, index, kHasWide, true);
    Value anyZero =
        vector::ReductionOp::create(b, vector::CombiningKind::OR, isZero);
    auto ifZero = scf::IfOp::create(b, anyZero, /*withElseRegion=*/false);
    b.setInsertionPointToStart(ifZero.thenBlock());
    setFlag(flags, index, kHasZero, true);
  }
  void setFlag(Value flags, Value index, int64_t which, bool value) {
    if (flags)
      memref::StoreOp::create(
          b, arith::ConstantIntOp::create(b, b.getI1Type(), value), flags,
          ValueRange{index, idx(which)});
  }
  /// Sets both flags of panel `index` to `value`.
  void setFlags(Value flags, Value index, bool value) {
    setFlag(flags, index, kHasZero, value);
    setFlag(flags, index, kHasWide, value);
  }

  /// Winners mode: the vector type of block-local indices (one lane per
  /// value lane, as wide as the compute type).
  VectorType localIndexType() {
    return VectorType::get(
        {t.vectorLength},
        b.getIntegerType(computeType.getIntOrFloatBitWidth()));
  }
  /// Winners mode: a splat of block-local indices.
  Value localIndexSplat(int64_t value) {
    VectorType type = localIndexType();
    return arith::ConstantOp::create(
        b, SplatElementsAttr::get(
               type, b.getIntegerAttr(type.getElementType(), value)));
  }
  /// Winners mode: the step's index `kVec` in the lanes where `product` is
  /// strictly better than the accumulator `acc`, else the index `current`.
  Value blendWinner(ImplicitLocOpBuilder &nb, Value product, Value acc,
                    Value kVec, Value current) {
    Value better = arith::CmpFOp::create(nb,
                                         isMaxSemiring(domain().kind)
                                             ? arith::CmpFPredicate::OGT
                                             : arith::CmpFPredicate::OLT,
                                         product, acc);
    return arith::SelectOp::create(nb, better, kVec, current);
  }
  /// Winners mode: stores blockStart + `local` into `tile`[row, col :] where
  /// `local` is set (not -1), after a reduction block.
  void storeWinners(Value local, Value tile, Value row, Value col) {
    auto wideType = VectorType::get({t.vectorLength}, b.getI64Type());
    auto localType = cast<VectorType>(local.getType());
    Value won = arith::CmpIOp::create(b, arith::CmpIPredicate::ne, local,
                                      localIndexSplat(-1));
    Value wide = localType == wideType
                     ? local
                     : arith::ExtSIOp::create(b, wideType, local).getResult();
    Value start = vector::BroadcastOp::create(
        b, wideType, arith::IndexCastOp::create(b, b.getI64Type(), blockStart));
    vector::MaskedStoreOp::create(b, tile, ValueRange{row, col}, won,
                                  arith::AddIOp::create(b, wide, start));
  }

  /// Copies the valid mValid × nValid part of an edge tile at (i0, j0) of
  /// the output `from` into the tile `to` (`intoTile`), widening into the
  /// compute type, or back from the tile `from` to the output `to`,
  /// narrowing; winners (i64) are copied as they are.
  void copyEdge(Value from, Value to, Value i0, Value j0, Value mValid,
                Value nValid, bool intoTile) {
    bool values = from != p.winners && to != p.winners;
    forLoop(idx(0), mValid, idx(1), [&](Value i) {
      forLoop(idx(0), nValid, idx(1), [&](Value j) {
        SmallVector<Value, 2> inTile = {i, j},
                              inOutput = {add(i0, i), add(j0, j)};
        Value value =
            memref::LoadOp::create(b, from, intoTile ? inOutput : inTile);
        if (values)
          value = intoTile ? toCompute(value) : toElement(value);
        memref::StoreOp::create(b, value, to, intoTile ? inTile : inOutput);
      });
    });
  }

  void emitTask(Value m0, Value m1, Value n0, Value n1);
  void packB(Value bp, Value pc, Value kc, Value jc, Value nc);
  void packA(Value ap, Value pc, Value kc, Value ic, Value mc);
  void microKernel(Value ap, Value ip, Value bp, Value jp, Value kc,
                   ValueRange cTiles, Value i0, Value j0, int64_t rows,
                   int64_t vectors, Absorb absorb, bool wrapping = false);
  /// The full-tile kernel; in a saturating domain, the variant that masks
  /// only the operands whose panels hold a 𝟘.
  void fullTileKernel(Value ap, Value ip, Value bp, Value jp, Value kc,
                      ValueRange cTiles, Value i0, Value j0);
  void edgeKernel(Value ap, Value ip, Value bp, Value jp, Value kc,
                  ValueRange tiles, Value mValid, Value nValid);
};

} // namespace

void Emitter::packB(Value bp, Value pc, Value kc, Value jc, Value nc) {
  Value pad = arith::ConstantOp::create(b, domain().paddingAttr());
  VectorType elemVec = VectorType::get({t.vectorLength}, domain().elementType);
  Value panels = ceilDiv(nc, t.nr());
  forLoop(idx(0), panels, idx(1), [&](Value jp) {
    Value j0 = add(jc, mul(jp, idx(t.nr())));
    setFlags(flagsB, jp, false);
    forLoop(idx(0), kc, idx(1), [&](Value k) {
      Value row = add(pc, k);
      for (int64_t v = 0; v < t.nv; ++v) {
        Value col = add(j0, idx(v * t.vectorLength));
        // Out-of-bounds columns read as 𝟘: the padded panel needs no checks.
        Value vec = vector::TransferReadOp::create(
            b, elemVec, p.b, ValueRange{row, col}, pad, ArrayRef<bool>{false});
        flagValues(flagsB, jp, vec);
        vector::StoreOp::create(b, toCompute(vec), bp,
                                ValueRange{jp, k, idx(v * t.vectorLength)});
      }
    });
  });
}

void Emitter::packA(Value ap, Value pc, Value kc, Value ic, Value mc) {
  Value panels = ceilDiv(mc, t.mr);
  VectorType elemVec = VectorType::get({t.vectorLength}, domain().elementType);
  // Copies the columns [0, width) of `access` into the packed row at `at`
  // when `valid`, else fills them with 𝟘.
  auto copyOrZero = [&](Value valid, const GemmProblem::Row &access, Value ip,
                        Value i, Value at, Value colBase, Value width) {
    auto ifOp = scf::IfOp::create(b, valid, /*withElseRegion=*/true);
    OpBuilder::InsertionGuard guard(b);
    // Whole vectors: KC (or the group) is a multiple of VL, so the last
    // vector stays inside the panel row; lanes past kc are never read.
    b.setInsertionPointToStart(ifOp.thenBlock());
    forLoop(idx(0), width, idx(t.vectorLength), [&](Value k) {
      Value a = access.loadVector(b, add(colBase, k), elemVec);
      flagValues(flagsA, ip, a, sub(width, k));
      vector::StoreOp::create(b, toPackedA(toCompute(a)), ap,
                              ValueRange{ip, i, add(at, k)});
    });
    b.setInsertionPointToStart(ifOp.elseBlock());
    setFlags(flagsA, ip, true);
    Value z = toPackedA(zeroVector());
    forLoop(idx(0), width, idx(t.vectorLength), [&](Value k) {
      vector::StoreOp::create(b, z, ap, ValueRange{ip, i, add(at, k)});
    });
  };
  forLoop(idx(0), panels, idx(1), [&](Value ip) {
    setFlags(flagsA, ip, false);
    forLoop(idx(0), idx(t.mr), idx(1), [&](Value i) {
      Value row = add(ic, add(mul(ip, idx(t.mr)), i));
      Value inBounds =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ult, row, p.m);
      // Rows past M are never read back, but the accessor must not see them
      // (a convolution would decode them into out-of-range pixels).
      Value safeRow = arith::SelectOp::create(b, inBounds, row, idx(0));
      if (p.packRow) {
        // One reduction block (KC ≥ K): the caller packs the whole row.
        p.packRow(b, safeRow,
                  [&](ImplicitLocOpBuilder &, Value col, Value vec) {
                    flagValues(flagsA, ip, vec);
                    vector::StoreOp::create(b, toPackedA(toCompute(vec)), ap,
                                            ValueRange{ip, i, col});
                  });
        return;
      }
      if (p.kGroup > 0) {
        // KC and pc are multiples of the group: whole groups only.
        forLoop(idx(0), kc, idx(p.kGroup), [&](Value g0) {
          Value group = arith::DivUIOp::create(b, add(pc, g0), idx(p.kGroup));
          GemmProblem::Row access = p.groupAccessor(b, safeRow, group);
          Value valid = inBounds;
          if (access.valid)
            valid = arith::AndIOp::create(b, valid, access.valid);
          copyOrZero(valid, access, ip, i, g0, idx(0), idx(p.kGroup));
        });
        return;
      }
      GemmProblem::Row access = p.rowAccessor(b, safeRow);
      if (access.valid)
        inBounds = arith::AndIOp::create(b, inBounds, access.valid);
      copyOrZero(inBounds, access, ip, i, idx(0), pc, kc);
    });
  });
}

/// The register tile of `rows` × `vectors` vectors (the full MR × NV, or a
/// smaller one for edge tiles) accumulated over the kc reduction steps, one
/// such tile per accumulator set (per entry of `cTiles`); in dual mode each
/// product feeds both.
void Emitter::microKernel(Value ap, Value ip, Value bp, Value jp, Value kc,
                          ValueRange cTiles, Value i0, Value j0, int64_t rows,
                          int64_t vectors, Absorb absorb, bool wrapping) {
  bool direct = cTiles.front() == p.c;
  VectorType loadType =
      direct ? VectorType::get({t.vectorLength}, domain().elementType)
             : vecType;
  SmallVector<ComputeDomain, 2> doms = domains();
  int64_t tileSize = rows * vectors;
  auto loadTiles = [&]() {
    SmallVector<Value> tiles;
    for (Value cTile : cTiles) {
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t v = 0; v < vectors; ++v) {
          Value vec = vector::LoadOp::create(
              b, loadType, cTile,
              ValueRange{add(i0, idx(i)), add(j0, idx(v * t.vectorLength))});
          tiles.push_back(direct ? toCompute(vec) : vec);
        }
      }
    }
    return tiles;
  };
  SmallVector<Value> accs;
  if (direct && firstBlock) {
    // C holds 𝟘 until the first block stores: start from 𝟘 there.
    auto ifFirst = scf::IfOp::create(b, SmallVector<Type>(tileSize, vecType),
                                     firstBlock, true);
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(ifFirst.thenBlock());
    scf::YieldOp::create(b, SmallVector<Value>(tileSize, zeroVector()));
    b.setInsertionPointToStart(ifFirst.elseBlock());
    scf::YieldOp::create(b, loadTiles());
    accs.assign(ifFirst.getResults().begin(), ifFirst.getResults().end());
  } else {
    accs = loadTiles();
  }
  // Winners mode: block-local indices after the value tile, -1 (none yet),
  // then the splat of the step k, carried and incremented rather than
  // broadcast from k at every step: LLVM would fold such a broadcast into
  // every blend, as a masked broadcast from a general register that takes
  // the shuffle port the compares need.
  int64_t winnersAt = accs.size();
  if (p.winners) {
    accs.append(tileSize, localIndexSplat(-1));
    accs.push_back(localIndexSplat(0));
  }
  Value oneStep = p.winners ? localIndexSplat(1) : Value();
  auto loop = scf::ForOp::create(
      b, idx(0), kc, idx(1), accs,
      [&](OpBuilder &nested, Location loc, Value k, ValueRange iterArgs) {
        ImplicitLocOpBuilder nb(loc, nested);
        SmallVector<Value> bVecs;
        for (int64_t v = 0; v < vectors; ++v)
          bVecs.push_back(
              vector::LoadOp::create(nb, vecType, bp,
                                     ValueRange{jp, k,
                                                arith::ConstantIndexOp::create(
                                                    nb, v * t.vectorLength)}));
        // Lanes whose product involves a 𝟘 keep their accumulator.
        SmallVector<Value> bMasks;
        if (absorb != Absorb::None)
          for (Value bVec : bVecs)
            bMasks.push_back(domain().isNonZero(nb, bVec));
        SmallVector<Value> next(iterArgs.size());
        Value kVec;
        if (p.winners) {
          kVec = iterArgs.back();
          next.back() = arith::AddIOp::create(nb, kVec, oneStep);
        }
        for (int64_t i = 0; i < rows; ++i) {
          Value a = memref::LoadOp::create(
              nb, ap, ValueRange{ip, arith::ConstantIndexOp::create(nb, i), k});
          Value aVec = broadcastA(nb, a);
          Value aMask =
              absorb == Absorb::AB ? domain().isNonZero(nb, aVec) : Value();
          for (int64_t v = 0; v < vectors; ++v) {
            // Operands in the half range: the plain add cannot overflow.
            // A fused linear domain forms no separate product (one FMA).
            Value product =
                wrapping ? arith::AddIOp::create(nb, aVec, bVecs[v]).getResult()
                : domain().fused ? Value()
                                 : domain().multiplyNonZero(nb, aVec, bVecs[v]);
            Value mask = absorb == Absorb::None ? Value() : bMasks[v];
            if (aMask)
              mask = arith::AndIOp::create(nb, aMask, mask);
            for (auto [set, dom] : llvm::enumerate(doms)) {
              int64_t pos = set * tileSize + i * vectors + v;
              Value acc = iterArgs[pos];
              Value term = set > 0 && dom.termDependsOnKind()
                               ? dom.multiplyNonZero(nb, aVec, bVecs[v])
                               : product;
              next[pos] = dom.fused
                              ? dom.multiplyAccumulate(nb, acc, aVec, bVecs[v])
                              : dom.accumulate(nb, acc, term);
              if (mask)
                next[pos] = arith::SelectOp::create(nb, mask, next[pos], acc);
            }
            if (p.winners) {
              int64_t pos = winnersAt + i * vectors + v;
              next[pos] = blendWinner(nb, product, iterArgs[i * vectors + v],
                                      kVec, iterArgs[pos]);
            }
          }
        }
        scf::YieldOp::create(nb, next);
      });
  auto store = [&](bool fused) {
    for (int64_t i = 0; p.winners && i < rows; ++i)
      for (int64_t v = 0; v < vectors; ++v)
        storeWinners(loop.getResult(winnersAt + i * vectors + v),
                     direct ? p.winners : winnersTile, add(i0, idx(i)),
                     add(j0, idx(v * t.vectorLength)));
    for (auto [set, cTile] : llvm::enumerate(cTiles)) {
      for (int64_t i = 0; i < rows; ++i) {
        for (int64_t v = 0; v < vectors; ++v) {
          Value acc = loop.getResult(set * tileSize + i * vectors + v);
          Value row = add(i0, idx(i)), col = add(j0, idx(v * t.vectorLength));
          if (fused)
            p.epilogue(b, acc, row, col);
          else
            vector::StoreOp::create(b, direct ? toElement(acc) : acc, cTile,
                                    ValueRange{row, col});
        }
      }
    }
  };
  // The epilogue takes the last block's full tiles straight from registers.
  if (!direct || !p.epilogue)
    return store(false);
  auto ifLast = scf::IfOp::create(b, lastBlock, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifLast.thenBlock());
  store(true);
  b.setInsertionPointToStart(ifLast.elseBlock());
  store(false);
}

void Emitter::fullTileKernel(Value ap, Value ip, Value bp, Value jp, Value kc,
                             ValueRange cTiles, Value i0, Value j0) {
  if (!domain().saturating)
    return microKernel(ap, ip, bp, jp, kc, cTiles, i0, j0, t.mr, t.nv,
                       Absorb::None);
  // Both panels in the half range: a wrapping add is exact and no operand
  // is 𝟘 (it lies outside). Otherwise packing flagged the panels holding a
  // 𝟘 (rare in activations; pruned weights put them in B): only those pay
  // for the masks.
  auto flag = [&](Value flags, Value index, int64_t which) -> Value {
    return memref::LoadOp::create(b, flags, ValueRange{index, idx(which)});
  };
  Value wide = arith::OrIOp::create(b, flag(flagsA, ip, kHasWide),
                                    flag(flagsB, jp, kHasWide));
  auto ifWide = scf::IfOp::create(b, wide, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(ifWide.elseBlock());
  microKernel(ap, ip, bp, jp, kc, cTiles, i0, j0, t.mr, t.nv, Absorb::None,
              /*wrapping=*/true);
  b.setInsertionPointToStart(ifWide.thenBlock());
  Value zeroInA = flag(flagsA, ip, kHasZero);
  Value zeroInB = flag(flagsB, jp, kHasZero);
  auto inA = scf::IfOp::create(b, zeroInA, /*withElseRegion=*/true);
  b.setInsertionPointToStart(inA.thenBlock());
  microKernel(ap, ip, bp, jp, kc, cTiles, i0, j0, t.mr, t.nv, Absorb::AB);
  b.setInsertionPointToStart(inA.elseBlock());
  auto inB = scf::IfOp::create(b, zeroInB, /*withElseRegion=*/true);
  b.setInsertionPointToStart(inB.thenBlock());
  microKernel(ap, ip, bp, jp, kc, cTiles, i0, j0, t.mr, t.nv, Absorb::B);
  b.setInsertionPointToStart(inB.elseBlock());
  microKernel(ap, ip, bp, jp, kc, cTiles, i0, j0, t.mr, t.nv, Absorb::None);
}

/// An edge tile, held in the 𝟘-padded `tile`: runs the smallest kernel (in
/// rows of 4 and whole vectors) that covers the valid mValid × nValid part,
/// so that a thin remainder does not cost a full tile.
void Emitter::edgeKernel(Value ap, Value ip, Value bp, Value jp, Value kc,
                         ValueRange tiles, Value mValid, Value nValid) {
  SmallVector<int64_t> rowOptions;
  for (int64_t rows = 4; rows < t.mr; rows += 4)
    rowOptions.push_back(rows);
  rowOptions.push_back(t.mr);
  SmallVector<int64_t> vectorOptions =
      llvm::to_vector(llvm::seq<int64_t>(1, t.nv + 1));
  // Edge tiles hold 𝟘 padding: always masked in a saturating domain.
  Absorb edgeAbsorb = domain().saturating ? Absorb::AB : Absorb::None;
  // Nested ifs: the first option (in increasing size) that covers the tile,
  // first for the vectors, then for the rows.
  std::function<void(size_t, size_t, bool)> choose = [&](size_t r, size_t v,
                                                         bool vDecided) {
    if (!vDecided && v + 1 < vectorOptions.size()) {
      Value fits =
          arith::CmpIOp::create(b, arith::CmpIPredicate::ule, nValid,
                                idx(vectorOptions[v] * t.vectorLength));
      auto ifOp = scf::IfOp::create(b, fits, /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      choose(r, v, /*vDecided=*/true);
      b.setInsertionPointToStart(ifOp.elseBlock());
      choose(r, v + 1, /*vDecided=*/false);
      return;
    }
    if (r + 1 < rowOptions.size()) {
      Value fits = arith::CmpIOp::create(b, arith::CmpIPredicate::ule, mValid,
                                         idx(rowOptions[r]));
      auto ifOp = scf::IfOp::create(b, fits, /*withElseRegion=*/true);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      microKernel(ap, ip, bp, jp, kc, tiles, idx(0), idx(0), rowOptions[r],
                  vectorOptions[v], edgeAbsorb);
      b.setInsertionPointToStart(ifOp.elseBlock());
      choose(r + 1, v, /*vDecided=*/true);
      return;
    }
    microKernel(ap, ip, bp, jp, kc, tiles, idx(0), idx(0), rowOptions[r],
                vectorOptions[v], edgeAbsorb);
  };
  choose(0, 0, /*vDecided=*/false);
}

void Emitter::emitTask(Value m0, Value m1, Value n0, Value n1) {
  int64_t panelsB = t.nc / t.nr(), panelsA = t.mc / t.mr;
  auto bpType = MemRefType::get({panelsB, t.kc, t.nr()}, computeType);
  // The micro-kernel broadcasts from MR rows of the A panel at once. Rows a
  // multiple of 4 KiB apart (KC = 512 f64) all map to the same L1 set; one
  // cache line of padding per row then spreads them over MR sets (6 % on
  // the f64 1024³ GEMM; no measurable change at smaller strides).
  Type aType = packedAType();
  int64_t bytes = std::max<int64_t>(1, aType.getIntOrFloatBitWidth() / 8);
  int64_t rowPad = (t.kc * bytes) % 4096 == 0 ? 64 / bytes : 0;
  auto apType = MemRefType::get({panelsA, t.mr, t.kc + rowPad}, aType);
  auto tileType = MemRefType::get({t.mr, t.nr()}, computeType);
  IntegerAttr align = b.getI64IntegerAttr(64);
  Value bp = memref::AllocOp::create(b, bpType, ValueRange{}, align);
  Value ap = memref::AllocOp::create(b, apType, ValueRange{}, align);
  SmallVector<Value, 2> tiles, cs = outputs();
  for (size_t set = 0; set < cs.size(); ++set)
    tiles.push_back(memref::AllocaOp::create(b, tileType, ValueRange{}, align));
  if (domain().saturating) {
    flagsA = memref::AllocaOp::create(
        b, MemRefType::get({panelsA, 2}, b.getI1Type()), ValueRange{});
    flagsB = memref::AllocaOp::create(
        b, MemRefType::get({panelsB, 2}, b.getI1Type()), ValueRange{});
  }
  SmallVector<ComputeDomain, 2> doms = domains();
  if (p.winners)
    winnersTile = memref::AllocaOp::create(
        b, MemRefType::get({t.mr, t.nr()}, b.getI64Type()), ValueRange{},
        align);

  forLoop(n0, n1, idx(t.nc), [&](Value jc) {
    Value nc = min(idx(t.nc), sub(n1, jc));
    forLoop(idx(0), p.k, idx(t.kc), [&](Value pc) {
      Value kc = min(idx(t.kc), sub(p.k, pc));
      blockStart = pc;
      if (p.zeroInit)
        firstBlock =
            arith::CmpIOp::create(b, arith::CmpIPredicate::eq, pc, idx(0));
      if (p.epilogue)
        lastBlock = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                          add(pc, kc), p.k);
      packB(bp, pc, kc, jc, nc);
      forLoop(m0, m1, idx(t.mc), [&](Value ic) {
        Value mc = min(idx(t.mc), sub(m1, ic));
        packA(ap, pc, kc, ic, mc);
        forLoop(idx(0), ceilDiv(mc, t.mr), idx(1), [&](Value ip) {
          Value i0 = add(ic, mul(ip, idx(t.mr)));
          Value mValid = min(idx(t.mr), sub(m1, i0));
          forLoop(idx(0), ceilDiv(nc, t.nr()), idx(1), [&](Value jp) {
            Value j0 = add(jc, mul(jp, idx(t.nr())));
            Value nValid = min(idx(t.nr()), sub(n1, j0));
            Value fullRows = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                   mValid, idx(t.mr));
            Value fullCols = arith::CmpIOp::create(b, arith::CmpIPredicate::eq,
                                                   nValid, idx(t.nr()));
            Value full = arith::AndIOp::create(b, fullRows, fullCols);
            auto ifOp = scf::IfOp::create(b, full, /*withElseRegion=*/true);
            OpBuilder::InsertionGuard guard(b);
            b.setInsertionPointToStart(ifOp.thenBlock());
            fullTileKernel(ap, ip, bp, jp, kc, cs, i0, j0);

            // Edge tile: copy the valid part of C into a 𝟘-filled tile, run
            // the same kernel on it, copy the valid part back.
            b.setInsertionPointToStart(ifOp.elseBlock());
            for (size_t set = 0; set < tiles.size(); ++set) {
              Value tile = tiles[set], c = cs[set];
              Value zv = doms[set].zero(b, vecType);
              for (int64_t i = 0; i < t.mr; ++i)
                for (int64_t v = 0; v < t.nv; ++v)
                  vector::StoreOp::create(
                      b, zv, tile, ValueRange{idx(i), idx(v * t.vectorLength)});
              if (!firstBlock) {
                copyEdge(c, tile, i0, j0, mValid, nValid, /*intoTile=*/true);
                continue;
              }
              // C holds 𝟘 until the first block: the tile already does.
              auto ifLater = scf::IfOp::create(
                  b, arith::XOrIOp::create(
                         b, firstBlock,
                         arith::ConstantIntOp::create(b, b.getI1Type(), 1)));
              OpBuilder::InsertionGuard laterGuard(b);
              b.setInsertionPointToStart(ifLater.thenBlock());
              copyEdge(c, tile, i0, j0, mValid, nValid, /*intoTile=*/true);
            }
            if (p.winners)
              copyEdge(p.winners, winnersTile, i0, j0, mValid, nValid,
                       /*intoTile=*/true);
            edgeKernel(ap, ip, bp, jp, kc, tiles, mValid, nValid);
            if (p.epilogue) {
              // Edge tiles of the last block: one element at a time.
              auto ifLast = scf::IfOp::create(b, lastBlock, true);
              b.setInsertionPointToStart(ifLast.thenBlock());
              forLoop(idx(0), mValid, idx(1), [&](Value i) {
                forLoop(idx(0), nValid, idx(1), [&](Value j) {
                  Value value = vector::LoadOp::create(
                      b, VectorType::get({1}, computeType), tiles[0],
                      ValueRange{i, j});
                  p.epilogue(b, value, add(i0, i), add(j0, j));
                });
              });
              b.setInsertionPointToStart(ifLast.elseBlock());
            }
            for (size_t set = 0; set < tiles.size(); ++set)
              copyEdge(tiles[set], cs[set], i0, j0, mValid, nValid,
                       /*intoTile=*/false);
            if (p.winners)
              copyEdge(winnersTile, p.winners, i0, j0, mValid, nValid,
                       /*intoTile=*/false);
          });
        });
      });
    });
  });
  memref::DeallocOp::create(b, ap);
  memref::DeallocOp::create(b, bp);
}

void trop::emitGemm(ImplicitLocOpBuilder &b, const GemmProblem &problem,
                    const GemmTiling &tiling, int64_t numTasks) {
  assert((!problem.zeroInit || (!problem.dual && !problem.winners)) &&
         "zeroInit: a single accumulator set without winners");
  assert((!problem.winners ||
          (!problem.dual && !problem.epilogue && problem.kGroup == 0 &&
           isa<FloatType>(problem.domain.elementType) &&
           problem.domain.computeType == problem.domain.elementType)) &&
         "winners mode: float domains in their own type, single accumulator");
  Emitter e{{b},
            problem,
            tiling,
            problem.domain.computeType,
            problem.domain.vectorType(tiling.vectorLength)};
  Value zeroIdx = e.idx(0);
  if (numTasks <= 1) {
    e.emitTask(zeroIdx, problem.m, zeroIdx, problem.n);
    return;
  }
  // Split columns (whole NR panels) or rows (whole MR tiles) into numTasks
  // ranges, whichever gives the largest task the least work: its MR × NR
  // tiles, plus what it packs (a column task packs all of A's rows and its
  // share of B's columns, a row task the reverse), each packed element
  // counted as kPackCost updates; columns unless rows save more than 1/64.
  // Every task packs its own panels and no task waits for another. 513 × 257
  // with 2 tasks: rows (22 · 9 tiles for the largest task, not 5 · 43); a 3×3
  // convolution with 64 filters: rows, since a column task would pack the whole
  // im2col of A.
  constexpr int64_t kPackCost = 4;
  Value tasks = e.idx(numTasks);
  Value panelsN = e.ceilDiv(problem.n, tiling.nr());
  Value tilesM = e.ceilDiv(problem.m, tiling.mr);
  Value colPanels = e.ceilDiv(panelsN, numTasks);
  Value rowTiles = e.ceilDiv(tilesM, numTasks);
  // Work per reduction step of the largest task, in updates.
  auto work = [&](Value tiles, Value rows, Value cols) {
    return e.add(e.mul(tiles, e.idx(tiling.mr * tiling.nr())),
                 e.mul(e.add(rows, cols), e.idx(kPackCost)));
  };
  Value mRows = e.mul(tilesM, e.idx(tiling.mr));
  Value nCols = e.mul(panelsN, e.idx(tiling.nr()));
  Value colWork = work(e.mul(colPanels, tilesM), mRows,
                       e.mul(colPanels, e.idx(tiling.nr())));
  Value rowWork =
      work(e.mul(rowTiles, panelsN), e.mul(rowTiles, e.idx(tiling.mr)), nCols);
  // Rows only when they save more than 1/64 of the work: the model cannot
  // tell closer cases apart (1024³ measured slightly faster by columns).
  Value wide = arith::CmpIOp::create(b, arith::CmpIPredicate::ule,
                                     e.mul(colWork, e.idx(63)),
                                     e.mul(rowWork, e.idx(64)));
  Value colChunk = e.mul(colPanels, e.idx(tiling.nr()));
  Value rowChunk = e.mul(rowTiles, e.idx(tiling.mr));
  auto par = scf::ParallelOp::create(b, ValueRange{zeroIdx}, ValueRange{tasks},
                                     ValueRange{e.idx(1)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(par.getBody());
  Value task = par.getInductionVars()[0];
  Value n0 = e.min(e.mul(task, colChunk), problem.n);
  Value n1 = e.min(e.add(n0, colChunk), problem.n);
  Value m0 = e.min(e.mul(task, rowChunk), problem.m);
  Value m1 = e.min(e.add(m0, rowChunk), problem.m);
  Value zeroV = zeroIdx;
  e.emitTask(arith::SelectOp::create(b, wide, zeroV, m0),
             arith::SelectOp::create(b, wide, problem.m, m1),
             arith::SelectOp::create(b, wide, n0, zeroV),
             arith::SelectOp::create(b, wide, n1, problem.n));
}
