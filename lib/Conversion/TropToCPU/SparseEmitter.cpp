//===- SparseEmitter.cpp - Gather kernels for sparse constant weights -----===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Loop structure (VL = lanes of a vector register):
//
//   for each block of VL rows of A (split over tasks):
//     At[k][0:VL] = A[m0 : m0+VL, k]ᵀ        (VL×VL register transposes)
//     for each block of VL columns n0:
//       acc[j] = C[m0 : m0+VL, n0 + j]        (one VL×VL transpose)
//       for j < VL, for each entry (k, w) of column n0 + j:
//         acc[j] = acc[j] ⊕ At[k] ⊗ splat(w)  (1 load, 1 ⊗, 1 ⊕)
//       C[m0 : m0+VL, n0 : n0+VL] = accᵀ       (one VL×VL transpose)
//
// Rows past M read a clamped row of A (their lanes are computed and then
// dropped), so that the hot loop has no masks or branches; columns past N
// have empty entry lists.
//
//===----------------------------------------------------------------------===//

#include "SparseEmitter.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "trop/Dialect/Trop/IR/Semiring.h"

using namespace mlir;
using namespace mlir::trop;

DenseElementsAttr trop::getConstantWeight(Value memref) {
  auto getGlobal = memref.getDefiningOp<memref::GetGlobalOp>();
  if (!getGlobal)
    return {};
  auto global = SymbolTable::lookupNearestSymbolFrom<memref::GlobalOp>(
      getGlobal, getGlobal.getNameAttr());
  if (!global)
    return {};
  auto init =
      dyn_cast_or_null<DenseElementsAttr>(global.getConstantInitValue());
  if (!init || init.getType().getRank() != 2 ||
      !isa<Float32Type, Float64Type>(init.getElementType()))
    return {};
  return init;
}

/// Whether `value` is the value skipped by `domain`: 𝟘, or ±0 for (+, ×).
static bool isSkipped(const APFloat &value, const ComputeDomain &domain) {
  if (domain.linear)
    return value.isZero();
  return isZero(domain.kind, value);
}

SparseWeights trop::collectSparseWeights(DenseElementsAttr weight,
                                         const ComputeDomain &domain) {
  SparseWeights sparse;
  sparse.rows = weight.getType().getDimSize(0);
  sparse.cols = weight.getType().getDimSize(1);
  SmallVector<APFloat> values(weight.getValues<APFloat>());
  auto at = [&](int64_t k, int64_t n) -> const APFloat & {
    // A splat holds one value.
    return weight.isSplat() ? values.front() : values[k * sparse.cols + n];
  };
  sparse.colPtr.push_back(0);
  for (int64_t n = 0; n < sparse.cols; ++n) {
    for (int64_t k = 0; k < sparse.rows; ++k) {
      if (isSkipped(at(k, n), domain))
        continue;
      sparse.rowIdx.push_back(static_cast<int32_t>(k));
      sparse.values.push_back(at(k, n));
    }
    sparse.colPtr.push_back(static_cast<int32_t>(sparse.rowIdx.size()));
  }
  return sparse;
}

namespace {

/// Emission state: index arithmetic and loops plus the register transpose.
struct SparseEmitter : KernelBuilder {
  const ComputeDomain &domain;
  int64_t vl;
  VectorType vecType;

  /// Builds a VL × VL vector from VL row vectors, transposes it and returns
  /// its rows.
  SmallVector<Value> transpose(ArrayRef<Value> rows) {
    auto squareType = VectorType::get({vl, vl}, domain.computeType);
    Value square = arith::ConstantOp::create(
        b, squareType,
        DenseElementsAttr::get(squareType, b.getZeroAttr(domain.computeType)));
    for (auto [i, row] : llvm::enumerate(rows))
      square = vector::InsertOp::create(b, row, square, int64_t(i));
    Value t = vector::TransposeOp::create(b, square, ArrayRef<int64_t>{1, 0});
    SmallVector<Value> result;
    for (int64_t j = 0; j < vl; ++j)
      result.push_back(vector::ExtractOp::create(b, t, j));
    return result;
  }
};

} // namespace

void trop::emitSparseMatmul(ImplicitLocOpBuilder &b, ModuleOp module,
                            const ComputeDomain &domain,
                            const SparseWeights &weights, Value a, Value c,
                            int64_t vectorLength, int64_t numTasks) {
  SparseEmitter e{{b}, domain, vectorLength, domain.vectorType(vectorLength)};
  int64_t vl = vectorLength;
  Type i32 = b.getI32Type();

  // The CSC arrays as constant globals. Every sparse matmul of the module
  // gets its own, so a name already taken gets the first free suffix.
  auto makeGlobal = [&](StringRef name, DenseElementsAttr init) -> Value {
    auto type = MemRefType::get(init.getType().getShape(),
                                init.getType().getElementType());
    std::string unique = name.str();
    for (unsigned i = 0; SymbolTable::lookupSymbolIn(module, unique); ++i)
      unique = (name + "_" + Twine(i)).str();
    {
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(module.getBody());
      memref::GlobalOp::create(b, unique, b.getStringAttr("private"), type,
                               init, /*constant=*/true,
                               b.getI64IntegerAttr(64));
    }
    return memref::GetGlobalOp::create(b, type, unique);
  };
  // Block-ELL: for each block of VL columns, as many slots as its longest
  // column has entries; slot s holds one entry (k, w) per column of the
  // block, padded with (0, 𝟘) (0 for (+, ×)), which leaves the result
  // unchanged (a ⊗ 𝟘 = 𝟘 for a in the carrier; a · 0 = ±0). One trip
  // count per block keeps the slot loop's branch predictable, and the VL
  // columns of a slot update VL independent accumulators.
  int64_t numBlocks = (weights.cols + vl - 1) / vl;
  SmallVector<int32_t> blockPtr = {0};
  SmallVector<int32_t> rowIdx;
  SmallVector<APFloat> values;
  APFloat skipped = cast<FloatAttr>(domain.paddingAttr()).getValue(); // 𝟘, or 0
  for (int64_t blk = 0; blk < numBlocks; ++blk) {
    int64_t slots = 0;
    for (int64_t j = blk * vl; j < std::min((blk + 1) * vl, weights.cols); ++j)
      slots =
          std::max<int64_t>(slots, weights.colPtr[j + 1] - weights.colPtr[j]);
    for (int64_t slot = 0; slot < slots; ++slot) {
      for (int64_t j = blk * vl; j < (blk + 1) * vl; ++j) {
        int64_t entry = j < weights.cols ? weights.colPtr[j] + slot : -1;
        if (entry >= 0 && entry < weights.colPtr[j + 1]) {
          rowIdx.push_back(weights.rowIdx[entry]);
          values.push_back(weights.values[entry]);
        } else {
          rowIdx.push_back(0);
          values.push_back(skipped);
        }
      }
    }
    blockPtr.push_back(blockPtr.back() + static_cast<int32_t>(slots));
  }
  if (rowIdx.empty()) { // a global cannot be an empty rank-1 memref here
    rowIdx.push_back(0);
    values.push_back(skipped);
  }
  auto i32Vec = [&](ArrayRef<int32_t> data) {
    return DenseElementsAttr::get(
        RankedTensorType::get({static_cast<int64_t>(data.size())}, i32), data);
  };
  Value blockPtrG = makeGlobal("__trop_sparse_blockptr", i32Vec(blockPtr));
  Value rowIdxG = makeGlobal("__trop_sparse_rowidx", i32Vec(rowIdx));
  Value valuesG = makeGlobal(
      "__trop_sparse_values",
      DenseElementsAttr::get(
          RankedTensorType::get({static_cast<int64_t>(values.size())},
                                domain.computeType),
          values));

  Value m = e.dim(c, 0);
  Value n = e.dim(c, 1);
  Value k = e.dim(a, 1);
  Value mBlocks = e.ceilDiv(m, vl);
  Value nBlocks = e.ceilDiv(n, vl);
  Value zero = e.idx(0), one = e.idx(1);
  Value pad = arith::ConstantOp::create(b, domain.paddingAttr());
  Type elementType = domain.elementType;
  auto elemVecType = VectorType::get({vl}, elementType);

  auto loadIndex = [&](Value memref, Value i) -> Value {
    Value v = memref::LoadOp::create(b, memref, ValueRange{i});
    return arith::IndexCastOp::create(b, b.getIndexType(), v);
  };
  auto forLoop = [&](Value lo, Value hi, ValueRange init,
                     function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    return e.forLoop(lo, hi, one, init, body);
  };
  Value kBlocks = e.ceilDiv(k, vl);
  Value lastRow = arith::SubIOp::create(b, m, one);
  Value vlIdx = e.idx(vl);

  // The VL rows starting at m0, against column blocks [nb0, nb1). At holds
  // A[m0 : m0 + VL, :]ᵀ as K × VL.
  auto emitRowBlock = [&](Value m0, Value at, Value nb0, Value nb1) {
    auto rowOf = [&](int64_t i) { return e.min(e.add(m0, e.idx(i)), lastRow); };
    auto readRows = [&](Value memref, Value col) {
      SmallVector<Value> rows;
      for (int64_t i = 0; i < vl; ++i)
        rows.push_back(domain.widen(
            b, vector::TransferReadOp::create(b, elemVecType, memref,
                                              ValueRange{rowOf(i), col}, pad,
                                              ArrayRef<bool>{false})));
      return rows;
    };

    forLoop(zero, kBlocks, {}, [&](Value kb, ValueRange) {
      Value k0 = e.mul(kb, vlIdx);
      SmallVector<Value> cols = e.transpose(readRows(a, k0));
      for (int64_t j = 0; j < vl; ++j)
        vector::StoreOp::create(b, cols[j], at,
                                ValueRange{e.add(k0, e.idx(j)), zero});
      return SmallVector<Value>{};
    });

    forLoop(nb0, nb1, {}, [&](Value nb, ValueRange) {
      Value n0 = e.mul(nb, vlIdx);
      // (+, ×) must start from C to keep the order of the sum; the
      // semirings start from 𝟘 and take C in at the end (⊕ is exact and
      // associative), which saves a transpose.
      SmallVector<Value> init;
      if (domain.linear)
        init = e.transpose(readRows(c, n0));
      else
        init.assign(vl, domain.zero(b, e.vecType));
      Value slot0 = loadIndex(blockPtrG, nb);
      Value slot1 = loadIndex(blockPtrG, e.add(nb, one));
      auto slots = forLoop(slot0, slot1, init, [&](Value slot, ValueRange acc) {
        Value base = e.mul(slot, vlIdx);
        SmallVector<Value> next;
        for (int64_t j = 0; j < vl; ++j) {
          Value entry = e.add(base, e.idx(j));
          Value row = loadIndex(rowIdxG, entry);
          Value w = memref::LoadOp::create(b, valuesG, ValueRange{entry});
          Value wv = vector::BroadcastOp::create(b, e.vecType, w);
          Value av =
              vector::LoadOp::create(b, e.vecType, at, ValueRange{row, zero});
          next.push_back(domain.multiplyAccumulate(b, acc[j], av, wv));
        }
        return next;
      });
      SmallVector<Value> out =
          e.transpose(SmallVector<Value>(slots.getResults()));

      // Back to rows of C. Full rows of VL columns where the block is inside
      // C, element by element at the right edge (no masked stores: see
      // docs/cpu-pipeline.md); rows past M are skipped.
      Value fullCols = arith::CmpIOp::create(b, arith::CmpIPredicate::sle,
                                             e.add(n0, vlIdx), n);
      Value edgeCols = e.min(arith::SubIOp::create(b, n, n0), vlIdx);
      for (int64_t i = 0; i < vl; ++i) {
        Value vec = out[i];
        Value rowIndex = e.add(m0, e.idx(i));
        Value inRows =
            arith::CmpIOp::create(b, arith::CmpIPredicate::slt, rowIndex, m);
        auto ifRow = scf::IfOp::create(b, inRows, /*withElse=*/false);
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPointToStart(ifRow.thenBlock());
        auto ifFull = scf::IfOp::create(b, fullCols, /*withElse=*/true);
        b.setInsertionPointToStart(ifFull.thenBlock());
        Value result = vec;
        if (!domain.linear)
          result = buildAdd(
              b, b.getLoc(), domain.kind,
              domain.widen(b, vector::LoadOp::create(b, elemVecType, c,
                                                     ValueRange{rowIndex, n0})),
              vec, domain.nanMode);
        vector::StoreOp::create(b, domain.narrow(b, result), c,
                                ValueRange{rowIndex, n0});
        b.setInsertionPointToStart(ifFull.elseBlock());
        forLoop(zero, edgeCols, {}, [&](Value lane, ValueRange) {
          Value colIndex = e.add(n0, lane);
          Value v = vector::ExtractOp::create(b, vec, OpFoldResult(lane));
          if (!domain.linear)
            v = buildAdd(
                b, b.getLoc(), domain.kind,
                domain.widen(b, memref::LoadOp::create(
                                    b, c, ValueRange{rowIndex, colIndex})),
                v, domain.nanMode);
          memref::StoreOp::create(b, domain.narrow(b, v), c,
                                  ValueRange{rowIndex, colIndex});
          return SmallVector<Value>{};
        });
      }
      return SmallVector<Value>{};
    });
  };

  // One task: blocks of VL rows [mb0, mb1) × blocks of VL columns [nb0, nb1).
  auto emitTask = [&](Value mb0, Value mb1, Value nb0, Value nb1) {
    Value at = memref::AllocOp::create(
        b, MemRefType::get({ShapedType::kDynamic, vl}, domain.computeType),
        ValueRange{e.mul(kBlocks, vlIdx)}, b.getI64IntegerAttr(64));
    forLoop(mb0, mb1, {}, [&](Value mb, ValueRange) {
      emitRowBlock(e.mul(mb, vlIdx), at, nb0, nb1);
      return SmallVector<Value>{};
    });
    memref::DeallocOp::create(b, at);
  };

  // Below about 10^5 vector updates (a 256-row batch through a 512 × 512
  // layer at density 1/256 does 4·10^4) the kernel takes ~0.1 ms, and
  // starting OpenMP threads costs about what a second core saves: measured
  // 0.12 ms on 1 thread vs 0.15 ms on 2. Decided when M is static.
  int64_t staticRows = cast<MemRefType>(c.getType()).getDimSize(0);
  int64_t vectorUpdates =
      static_cast<int64_t>(rowIdx.size()) * ((staticRows + vl - 1) / vl);
  if (numTasks <= 1 ||
      (!ShapedType::isDynamic(staticRows) && vectorUpdates < 100000)) {
    emitTask(zero, mBlocks, zero, nBlocks);
    return;
  }
  // Split row blocks when there are enough of them, else column blocks (a
  // task then packs all of A's rows itself).
  Value tasks = e.idx(numTasks);
  Value byRows =
      arith::CmpIOp::create(b, arith::CmpIPredicate::sge, mBlocks, tasks);
  auto par = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{tasks},
                                     ValueRange{one});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(par.getBody());
  Value task = par.getInductionVars()[0];
  auto range = [&](Value blocks) {
    Value chunk = e.ceilDiv(blocks, numTasks);
    Value lo = e.min(e.mul(task, chunk), blocks);
    return std::make_pair(lo, e.min(e.add(lo, chunk), blocks));
  };
  auto [mLo, mHi] = range(mBlocks);
  auto [nLo, nHi] = range(nBlocks);
  emitTask(arith::SelectOp::create(b, byRows, mLo, zero),
           arith::SelectOp::create(b, byRows, mHi, mBlocks),
           arith::SelectOp::create(b, byRows, zero, nLo),
           arith::SelectOp::create(b, byRows, nBlocks, nHi));
}

LogicalResult trop::lowerSparseTransposes(Operation *root) {
  SmallVector<Operation *> transposeOps;
  root->walk([&](vector::TransposeOp op) { transposeOps.push_back(op); });
  if (transposeOps.empty())
    return success();
  RewritePatternSet transposes(root->getContext());
  vector::populateVectorTransposeLoweringPatterns(
      transposes, vector::VectorTransposeLowering::Shuffle16x16,
      /*benefit=*/2);
  vector::populateVectorTransposeLoweringPatterns(
      transposes, vector::VectorTransposeLowering::Shuffle1D);
  // Only those ops and what they become: no folding or CSE elsewhere.
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps)
      .enableFolding(false)
      .enableConstantCSE(false);
  return applyOpPatternsGreedily(transposeOps, std::move(transposes), config);
}
