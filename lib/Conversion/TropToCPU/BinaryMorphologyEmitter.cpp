//===- BinaryMorphologyEmitter.cpp - Bit-packed morphology kernel ---------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The word-parallel kernel of trop.binary_morphology. One i64 holds 64
// channels of a pixel, so a dilation is `y |= x & s` and an erosion
// `y &= x | ~s`, 64 channels per instruction, and a vector of words covers
// several pixels.
//
// For each output row (n, oh), in parallel, and each tap (kh, kw) of the
// structuring element, the output pixels split into an interior, where the
// tap reads inside the input, and up to two borders. With stride 1 along
// the width the interior is one contiguous run of words in both the input
// and the output row (pixel ow, word w sit at ow·Wd + w, and the tap shifts
// the input by a constant), so it runs on whole vectors. Borders read
// nothing with zero padding (𝟘 changes nothing) and the edge column with
// replicate padding; rows outside the input likewise.
//
// The structuring element is expanded once, per tap, along a whole output
// row (word ow·Wd + w holds s[kh, kw, w], complemented for an erosion), so
// that the vector loop loads it like the rows. Its trailing bits (channels
// ≥ C) are 0 for a dilation and 1 for an erosion, which leaves the
// destination's trailing bits unchanged: y ∨ (x ∧ 0) = y ∧ (x ∨ 1) = y.
//
// trop.binary_dense tests, per row and subset, whether (x ⊕ f) ∧ s has a
// bit set, with f = 0 for a dilation (some input of the subset is 1) and all
// ones for an erosion (some input of the subset is 0, so the AND is 0), over
// vectors of words, then sets the output bit.
//
//===----------------------------------------------------------------------===//

#include "BinaryMorphologyEmitter.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Vector/IR/VectorOps.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::trop;

/// The `bits` low bits set (0 < bits < 64), computed unsigned: 2^63 - 1
/// overflows in signed arithmetic.
static int64_t lowBitsMask(int64_t bits) {
  return static_cast<int64_t>((uint64_t(1) << bits) - 1);
}

namespace {

/// The kernel's values that all loops share.
struct MorphologyKernel {
  MorphologyKernel(ImplicitLocOpBuilder &b, const BinaryMorphologySpec &spec)
      : b(b), spec(spec), k{b} {}

  ImplicitLocOpBuilder &b;
  const BinaryMorphologySpec &spec;
  KernelBuilder k;
  Value xFlat, yFlat, se;
  Value height, width, outW, kW, words, rowLength;

  /// y ∨ (x ∧ s) for a dilation, y ∧ (x ∨ s) for an erosion (whose
  /// expanded element holds ¬s), on scalars or vectors alike.
  Value update(Value y, Value x, Value s) {
    if (spec.dilation)
      return arith::OrIOp::create(b, y, arith::AndIOp::create(b, x, s));
    return arith::AndIOp::create(b, y, arith::OrIOp::create(b, x, s));
  }

  /// One word: output word `yi`, input word `xi`, element word `si`.
  void scalarStep(Value yi, Value xi, Value si) {
    Value y = memref::LoadOp::create(b, yFlat, yi);
    Value x = memref::LoadOp::create(b, xFlat, xi);
    Value s = memref::LoadOp::create(b, se, si);
    memref::StoreOp::create(b, update(y, x, s), yFlat, yi);
  }

  /// Words [begin, end) of an output row at `yBase`, whose input words are
  /// at `xShift` from them (stride 1): whole vectors, then single words.
  void contiguousRun(Value yBase, Value seBase, Value xShift, Value begin,
                     Value end) {
    int64_t vl = spec.vectorLength;
    auto vecType = VectorType::get({vl}, b.getI64Type());
    Value count = k.sub(end, begin);
    Value vecEnd = k.add(
        begin, k.mul(arith::DivUIOp::create(b, count, k.idx(vl)), k.idx(vl)));
    k.forLoop(begin, vecEnd, vl, [&](Value j) {
      Value yi = k.add(yBase, j);
      Value y = vector::LoadOp::create(b, vecType, yFlat, yi);
      Value x = vector::LoadOp::create(b, vecType, xFlat, k.add(yi, xShift));
      Value s = vector::LoadOp::create(b, vecType, se, k.add(seBase, j));
      vector::StoreOp::create(b, update(y, x, s), yFlat, yi);
    });
    k.forLoop(vecEnd, end, 1, [&](Value j) {
      Value yi = k.add(yBase, j);
      scalarStep(yi, k.add(yi, xShift), k.add(seBase, j));
    });
  }

  /// Output pixels [begin, end) of a row, each reading input column
  /// `column(ow)` of the input row at `xRow`: word by word.
  void pixelRun(Value yBase, Value seBase, Value xRow, Value begin, Value end,
                function_ref<Value(Value)> column) {
    k.forLoop(begin, end, 1, [&](Value ow) {
      Value xPixel = k.add(xRow, k.mul(column(ow), words));
      Value jPixel = k.mul(ow, words);
      k.forLoop(k.idx(0), words, 1, [&](Value w) {
        Value j = k.add(jPixel, w);
        scalarStep(k.add(yBase, j), k.add(xPixel, w), k.add(seBase, j));
      });
    });
  }

  /// Every tap (kh, kw) with input row `h` (inside the input) on the output
  /// row at `yBase`.
  void tapRow(Value n, Value h, Value kh, Value yBase) {
    Value xRow = k.mul(k.add(k.mul(n, height), h), k.mul(width, words));
    int64_t sw = spec.strides[1];
    k.forLoop(k.idx(0), kW, 1, [&](Value kw) {
      // Input column of output pixel ow: ow·sw + t.
      Value t =
          k.sub(k.mul(kw, k.idx(spec.dilations[1])), k.idx(spec.padding[1]));
      Value zero = k.idx(0);
      // First ow with a column ≥ 0, and first ow past the last column.
      Value negT = arith::MaxSIOp::create(b, k.sub(zero, t), zero);
      Value lo = k.min(k.ceilDiv(negT, sw), outW);
      Value lastRel = k.sub(k.sub(width, k.idx(1)), t);
      Value hiRaw =
          k.add(arith::DivSIOp::create(b, lastRel, k.idx(sw)), k.idx(1));
      Value hi = arith::SelectOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::slt, lastRel, zero),
          zero, hiRaw);
      hi = arith::MaxSIOp::create(b, k.min(hi, outW), lo);
      Value seBase = k.mul(k.add(k.mul(kh, kW), kw), rowLength);
      if (sw == 1) {
        contiguousRun(yBase, seBase, k.add(k.sub(xRow, yBase), k.mul(t, words)),
                      k.mul(lo, words), k.mul(hi, words));
      } else {
        pixelRun(yBase, seBase, xRow, lo, hi,
                 [&](Value ow) { return k.add(k.mul(ow, k.idx(sw)), t); });
      }
      if (!spec.replicate)
        return;
      Value last = k.sub(width, k.idx(1));
      pixelRun(yBase, seBase, xRow, zero, lo, [&](Value) { return zero; });
      pixelRun(yBase, seBase, xRow, hi, outW, [&](Value) { return last; });
    });
  }
};

/// A contiguous memref as 1-D.
Value flatten(ImplicitLocOpBuilder &b, Value memref) {
  int64_t rank = cast<MemRefType>(memref.getType()).getRank();
  ReassociationIndices all;
  for (int64_t d = 0; d < rank; ++d)
    all.push_back(d);
  return memref::CollapseShapeOp::create(b, memref,
                                         ArrayRef<ReassociationIndices>{all});
}

} // namespace

void trop::emitBinaryMorphology(ImplicitLocOpBuilder &b,
                                const BinaryMorphologySpec &spec, Value x,
                                Value s, Value y) {
  KernelBuilder k{b};
  Type i64 = b.getI64Type();
  int64_t wordCount = (spec.channels + 63) / 64;
  MorphologyKernel kern(b, spec);
  kern.xFlat = flatten(b, x);
  kern.yFlat = flatten(b, y);
  kern.words = k.idx(wordCount);
  kern.height = k.dim(x, 1);
  kern.width = k.dim(x, 2);
  kern.outW = k.dim(y, 2);
  kern.kW = k.dim(s, 1);
  kern.rowLength = k.mul(kern.outW, kern.words);
  Value kH = k.dim(s, 0), outH = k.dim(y, 1), zero = k.idx(0);

  // The structuring element along a row, per tap, trailing bits cleared
  // (then complemented for an erosion).
  Value seSize = k.mul(k.mul(kH, kern.kW), kern.rowLength);
  kern.se = memref::AllocOp::create(
      b, MemRefType::get({ShapedType::kDynamic}, i64), ValueRange{seSize});
  int64_t tail = spec.channels % 64;
  k.forLoop(zero, kH, 1, [&](Value kh) {
    k.forLoop(zero, kern.kW, 1, [&](Value kw) {
      Value base = k.mul(k.add(k.mul(kh, kern.kW), kw), kern.rowLength);
      k.forLoop(zero, kern.rowLength, 1, [&](Value j) {
        Value w = arith::RemUIOp::create(b, j, kern.words);
        Value word = memref::LoadOp::create(b, s, ValueRange{kh, kw, w});
        if (tail != 0) {
          Value isLast = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, w,
                                               k.idx(wordCount - 1));
          Value masked = arith::AndIOp::create(
              b, word, arith::ConstantIntOp::create(b, i64, lowBitsMask(tail)));
          word = arith::SelectOp::create(b, isLast, masked, word);
        }
        if (!spec.dilation)
          word = arith::XOrIOp::create(
              b, word, arith::ConstantIntOp::create(b, i64, -1));
        memref::StoreOp::create(b, word, kern.se, k.add(base, j));
      });
    });
  });

  // Parallel over (n, oh) rows of the output.
  Value rows = k.mul(k.dim(y, 0), outH);
  auto par = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{rows},
                                     ValueRange{k.idx(1)});
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(par.getBody());
    Value row = par.getInductionVars()[0];
    Value n = arith::DivUIOp::create(b, row, outH);
    Value oh = arith::RemUIOp::create(b, row, outH);
    Value yBase = k.mul(row, kern.rowLength);
    k.forLoop(zero, kH, 1, [&](Value kh) {
      Value h = k.sub(k.add(k.mul(oh, k.idx(spec.strides[0])),
                            k.mul(kh, k.idx(spec.dilations[0]))),
                      k.idx(spec.padding[0]));
      if (spec.replicate) {
        Value clamped = k.min(arith::MaxSIOp::create(b, h, zero),
                              k.sub(kern.height, k.idx(1)));
        kern.tapRow(n, clamped, kh, yBase);
        return;
      }
      Value inside = arith::AndIOp::create(
          b, arith::CmpIOp::create(b, arith::CmpIPredicate::sge, h, zero),
          arith::CmpIOp::create(b, arith::CmpIPredicate::slt, h, kern.height));
      auto ifOp = scf::IfOp::create(b, inside, /*withElseRegion=*/false);
      OpBuilder::InsertionGuard ifGuard(b);
      b.setInsertionPointToStart(ifOp.thenBlock());
      kern.tapRow(n, h, kh, yBase);
    });
  }
  memref::DeallocOp::create(b, kern.se);
}

/// All ones below bit `count mod 64` of the last word, else all ones.
static int64_t lastWordMask(int64_t count) {
  return count % 64 == 0 ? -1 : lowBitsMask(count % 64);
}

void trop::emitBinaryDense(ImplicitLocOpBuilder &b, int64_t inFeatures,
                           int64_t outputs, int64_t vectorLength, Value x,
                           Value s, Value kinds, Value y) {
  KernelBuilder k{b};
  Type i64 = b.getI64Type();
  auto vecType = VectorType::get({vectorLength}, i64);
  int64_t inWords = (inFeatures + 63) / 64, outWords = (outputs + 63) / 64;
  // Whole vectors of words, single words, then the masked last word.
  int64_t vecEnd =
      std::max<int64_t>(0, (inWords - 1) / vectorLength * vectorLength);
  // Rows per block: each subset word loaded serves this many rows (the
  // subsets are the large operand). The last block repeats the last row,
  // which is harmless: merging the same output word twice is idempotent.
  constexpr int64_t kRowBlock = 4;
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIntOp::create(b, i64, v);
  };
  Value zero = k.idx(0);
  Value rows = k.dim(y, 0);
  auto par = scf::ParallelOp::create(b, ValueRange{zero},
                                     ValueRange{k.ceilDiv(rows, kRowBlock)},
                                     ValueRange{k.idx(1)});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(par.getBody());
  Value lastRow = k.sub(rows, k.idx(1));
  SmallVector<Value> r;
  for (int64_t i = 0; i < kRowBlock; ++i)
    r.push_back(k.min(
        k.add(k.mul(par.getInductionVars()[0], k.idx(kRowBlock)), k.idx(i)),
        lastRow));
  k.forLoop(zero, k.idx(outWords), 1, [&](Value ow) {
    Value kindWord = memref::LoadOp::create(b, kinds, ow);
    Value first = k.mul(ow, k.idx(64));
    Value count = k.min(k.idx(64), k.sub(k.idx(outputs), first));
    SmallVector<Value> noBits(kRowBlock, constant(0));
    auto bits = k.forLoop(
        zero, count, k.idx(1), noBits,
        [&](Value jj, ValueRange words) -> SmallVector<Value> {
          Value j = k.add(first, jj);
          Value shift = arith::IndexCastOp::create(b, i64, jj);
          Value erosion = arith::AndIOp::create(
              b, arith::ShRUIOp::create(b, kindWord, shift), constant(1));
          Value flip = arith::SubIOp::create(b, constant(0), erosion);
          Value flipVec = vector::BroadcastOp::create(b, vecType, flip);
          SmallVector<Value> zeros(
              kRowBlock, vector::BroadcastOp::create(b, vecType, constant(0)));
          auto vecLoop = k.forLoop(
              zero, k.idx(vecEnd), k.idx(vectorLength), zeros,
              [&](Value w, ValueRange acc) -> SmallVector<Value> {
                Value sv =
                    vector::LoadOp::create(b, vecType, s, ValueRange{j, w});
                SmallVector<Value> next;
                for (int64_t i = 0; i < kRowBlock; ++i) {
                  Value xv = vector::LoadOp::create(b, vecType, x,
                                                    ValueRange{r[i], w});
                  Value hit = arith::AndIOp::create(
                      b, arith::XOrIOp::create(b, xv, flipVec), sv);
                  next.push_back(arith::OrIOp::create(b, acc[i], hit));
                }
                return next;
              });
          auto wordStep = [&](Value row, Value w, Value sw) -> Value {
            Value xw = memref::LoadOp::create(b, x, ValueRange{row, w});
            return arith::AndIOp::create(b, arith::XOrIOp::create(b, xw, flip),
                                         sw);
          };
          SmallVector<Value> acc;
          for (int64_t i = 0; i < kRowBlock; ++i)
            acc.push_back(vector::ReductionOp::create(
                b, vector::CombiningKind::OR, vecLoop.getResult(i)));
          if (inWords > 0) {
            auto scalarLoop = k.forLoop(
                k.idx(vecEnd), k.idx(inWords - 1), k.idx(1), acc,
                [&](Value w, ValueRange a) -> SmallVector<Value> {
                  Value sw = memref::LoadOp::create(b, s, ValueRange{j, w});
                  SmallVector<Value> next;
                  for (int64_t i = 0; i < kRowBlock; ++i)
                    next.push_back(
                        arith::OrIOp::create(b, a[i], wordStep(r[i], w, sw)));
                  return next;
                });
            Value w = k.idx(inWords - 1);
            Value sw = arith::AndIOp::create(
                b, memref::LoadOp::create(b, s, ValueRange{j, w}),
                constant(lastWordMask(inFeatures)));
            for (int64_t i = 0; i < kRowBlock; ++i)
              acc[i] = arith::OrIOp::create(b, scalarLoop.getResult(i),
                                            wordStep(r[i], w, sw));
          }
          SmallVector<Value> next;
          for (int64_t i = 0; i < kRowBlock; ++i) {
            Value any = arith::ExtUIOp::create(
                b, i64,
                arith::CmpIOp::create(b, arith::CmpIPredicate::ne, acc[i],
                                      constant(0)));
            Value bit = arith::XOrIOp::create(b, any, erosion);
            next.push_back(arith::OrIOp::create(
                b, words[i], arith::ShLIOp::create(b, bit, shift)));
          }
          return next;
        });
    // Dilation bits OR into y, erosion bits AND; other bits stay.
    Value isLast = arith::CmpIOp::create(b, arith::CmpIPredicate::eq, ow,
                                         k.idx(outWords - 1));
    Value valid = arith::SelectOp::create(
        b, isLast, constant(lastWordMask(outputs)), constant(-1));
    Value eroding = arith::AndIOp::create(b, kindWord, valid);
    Value notEroding = arith::XOrIOp::create(b, eroding, constant(-1));
    for (int64_t i = 0; i < kRowBlock; ++i) {
      Value word = bits.getResult(i);
      Value old = memref::LoadOp::create(b, y, ValueRange{r[i], ow});
      Value grown = arith::OrIOp::create(
          b, old, arith::AndIOp::create(b, word, notEroding));
      Value merged = arith::AndIOp::create(
          b, grown, arith::OrIOp::create(b, word, notEroding));
      memref::StoreOp::create(b, merged, y, ValueRange{r[i], ow});
    }
  });
}
