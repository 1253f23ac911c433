//===- DualConvEmitter.cpp - dual_conv_2d kernel --------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A direct convolution: every output row (n, oh) is a task; a register tile
// holds P output pixels × V vectors of output channels twice (max and min
// accumulators) across the whole window, so the destinations are read and
// written once. Each step of the reduction (one window position, one input
// channel) loads V filter vectors (2V with two filters) and P input values,
// broadcast once each and fed to both accumulators: with a shared filter
// one sum x + w serves both, as in trop.dual_matmul's kernel.
//
// Padding: a window position where all P pixels are inside the input (the
// interior) runs the plain step; elsewhere each pixel's input is guarded,
// and a padded one reads −∞ for the max and +∞ for the min accumulators
// (each semiring's 𝟘), exactly as the two separate trop.conv_2d ops pad,
// so even +∞/−∞ filter entries meet the padding as they do there.
//
//===----------------------------------------------------------------------===//

#include "DualConvEmitter.h"
#include "KernelBuilder.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::trop;

namespace {

/// The state of one kernel: its operands, its domains, the output row.
struct DualConvKernel : KernelBuilder {
  ComputeDomain maxDom, minDom;
  const ConvWindow &window;
  DualConvOperands ops;
  bool shared;
  Value n, oh, height, width;

  /// The tile of `pixels` output pixels from `ow0` and `vectors` vectors of
  /// `lanes` channels from `f0`.
  void emitTile(Value ow0, int64_t pixels, Value f0, int64_t vectors,
                int64_t lanes);
  /// One reduction step (input channel `c` at filter tap (kh, kw)) on the
  /// accumulators `accs` (all max tiles, then all min tiles); `xs` holds,
  /// per pixel, the input value for the max and for the min accumulators
  /// (the same value inside the input).
  SmallVector<Value> step(ValueRange accs, Value kh, Value kw, Value c,
                          Value f0, ArrayRef<std::pair<Value, Value>> xs,
                          int64_t vectors, int64_t lanes);
  /// The input value of a pixel at (h, w) and channel c, widened.
  Value loadInput(Value h, Value w, Value c) {
    return maxDom.widen(
        b, memref::LoadOp::create(b, ops.input, ValueRange{n, h, w, c}));
  }
};

} // namespace

SmallVector<Value> DualConvKernel::step(ValueRange accs, Value kh, Value kw,
                                        Value c, Value f0,
                                        ArrayRef<std::pair<Value, Value>> xs,
                                        int64_t vectors, int64_t lanes) {
  VectorType vecType = maxDom.vectorType(lanes);
  auto elemVec = VectorType::get({lanes}, maxDom.elementType);
  auto loadFilter = [&](Value filter, int64_t v) {
    Value col = add(f0, idx(v * lanes));
    return maxDom.widen(b, vector::LoadOp::create(b, elemVec, filter,
                                                  ValueRange{kh, kw, c, col}));
  };
  SmallVector<Value> wMax, wMin;
  for (int64_t v = 0; v < vectors; ++v) {
    wMax.push_back(loadFilter(ops.filterMax, v));
    wMin.push_back(shared ? wMax.back() : loadFilter(ops.filterMin, v));
  }
  int64_t tileSize = static_cast<int64_t>(xs.size()) * vectors;
  // With one filter and one input value the max sum serves the min too,
  // unless ⊗ itself depends on the semiring (ComputeDomain).
  bool shareSum = shared && !maxDom.termDependsOnKind();
  SmallVector<Value> next(accs.begin(), accs.end());
  for (auto [p, x] : llvm::enumerate(xs)) {
    Value xMax = vector::BroadcastOp::create(b, vecType, x.first);
    Value xMin =
        x.second == x.first
            ? xMax
            : vector::BroadcastOp::create(b, vecType, x.second).getResult();
    for (int64_t v = 0; v < vectors; ++v) {
      int64_t at = static_cast<int64_t>(p) * vectors + v;
      Value sumMax = maxDom.multiply(b, xMax, wMax[v]);
      Value sumMin =
          shareSum && xMin == xMax ? sumMax : minDom.multiply(b, xMin, wMin[v]);
      next[at] = maxDom.accumulate(b, next[at], sumMax);
      next[tileSize + at] = minDom.accumulate(b, next[tileSize + at], sumMin);
    }
  }
  return next;
}

void DualConvKernel::emitTile(Value ow0, int64_t pixels, Value f0,
                              int64_t vectors, int64_t lanes) {
  auto elemVec = VectorType::get({lanes}, maxDom.elementType);
  auto at = [&](int64_t p, int64_t v) -> SmallVector<Value, 4> {
    return {n, oh, add(ow0, idx(p)), add(f0, idx(v * lanes))};
  };
  SmallVector<Value> accs;
  for (Value y : {ops.initMax, ops.initMin})
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t v = 0; v < vectors; ++v)
        accs.push_back(
            maxDom.widen(b, vector::LoadOp::create(b, elemVec, y, at(p, v))));
  Value channels = dim(ops.input, 3);
  Value zero = idx(0), one = idx(1);
  Value padMax = maxDom.zero(b, maxDom.computeType);
  Value padMin = minDom.zero(b, minDom.computeType);
  auto taps = forLoop(
      zero, dim(ops.filterMax, 0), one, accs,
      [&](Value kh, ValueRange khAccs) -> SmallVector<Value> {
        Value h =
            window.coordinate(*this, oh, 0, window.tapOffset(*this, kh, 0));
        Value hIn = ConvWindow::inside(*this, h, height);
        Value wOff = Value();
        auto row = forLoop(
            zero, dim(ops.filterMax, 1), one, khAccs,
            [&](Value kw, ValueRange kwAccs) -> SmallVector<Value> {
              wOff = window.tapOffset(*this, kw, 1);
              SmallVector<Value> ws, inside;
              for (int64_t p = 0; p < pixels; ++p) {
                ws.push_back(
                    window.coordinate(*this, add(ow0, idx(p)), 1, wOff));
                inside.push_back(arith::AndIOp::create(
                    b, hIn, ConvWindow::inside(*this, ws.back(), width)));
              }
              // Coordinates grow with the pixel: the first and the last
              // pixel inside means all are.
              Value interior =
                  arith::AndIOp::create(b, inside.front(), inside.back());
              auto branch = scf::IfOp::create(b, TypeRange(kwAccs), interior,
                                              /*withElse=*/true);
              auto channelLoop = [&](bool guarded) {
                auto loop = forLoop(
                    zero, channels, one, kwAccs,
                    [&](Value c, ValueRange cAccs) -> SmallVector<Value> {
                      SmallVector<std::pair<Value, Value>> xs;
                      for (int64_t p = 0; p < pixels; ++p) {
                        if (!guarded) {
                          Value x = loadInput(h, ws[p], c);
                          xs.push_back({x, x});
                          continue;
                        }
                        auto read = scf::IfOp::create(
                            b, TypeRange{maxDom.computeType}, inside[p],
                            /*withElse=*/true);
                        {
                          OpBuilder::InsertionGuard guard(b);
                          b.setInsertionPointToStart(read.thenBlock());
                          scf::YieldOp::create(b, loadInput(h, ws[p], c));
                          b.setInsertionPointToStart(read.elseBlock());
                          scf::YieldOp::create(b, padMax);
                        }
                        Value x = read.getResult(0);
                        xs.push_back({x, arith::SelectOp::create(b, inside[p],
                                                                 x, padMin)});
                      }
                      return step(cAccs, kh, kw, c, f0, xs, vectors, lanes);
                    });
                scf::YieldOp::create(b, loop.getResults());
              };
              {
                OpBuilder::InsertionGuard guard(b);
                b.setInsertionPointToStart(branch.thenBlock());
                channelLoop(/*guarded=*/false);
                b.setInsertionPointToStart(branch.elseBlock());
                channelLoop(/*guarded=*/true);
              }
              return SmallVector<Value>(branch.getResults());
            });
        return SmallVector<Value>(row.getResults());
      });
  int64_t tileSize = pixels * vectors;
  SmallVector<Value, 2> outputs = {ops.initMax, ops.initMin};
  for (auto [set, y] : llvm::enumerate(outputs))
    for (int64_t p = 0; p < pixels; ++p)
      for (int64_t v = 0; v < vectors; ++v)
        vector::StoreOp::create(
            b,
            maxDom.narrow(b, taps.getResult(set * tileSize + p * vectors + v)),
            y, at(p, v));
}

void trop::emitDualConv2D(ImplicitLocOpBuilder &b, const ComputeDomain &maxDom,
                          const GemmTiling &tiling, const ConvWindow &window,
                          const DualConvOperands &operands) {
  ComputeDomain minDom = maxDom;
  minDom.kind = SemiringKind::MinPlus;
  DualConvKernel k{{b},    maxDom,   minDom,
                   window, operands, operands.filterMax == operands.filterMin,
                   {},     {},       {},
                   {}};
  Value zero = k.idx(0), one = k.idx(1);
  k.height = k.dim(operands.input, 1);
  k.width = k.dim(operands.input, 2);
  Value outH = k.dim(operands.initMax, 1), outW = k.dim(operands.initMax, 2);
  Value filters = k.dim(operands.initMax, 3);
  // Parallel over the output rows (n, oh).
  Value rows = k.mul(k.dim(operands.initMax, 0), outH);
  auto par = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{rows},
                                     ValueRange{one});
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(par.getBody());
  Value row = par.getInductionVars()[0];
  k.n = arith::DivUIOp::create(b, row, outH);
  k.oh = arith::RemUIOp::create(b, row, outH);
  int64_t vl = tiling.vectorLength, nr = tiling.nr();
  // Whole tiles, then what is left one at a time, so that every access is in
  // bounds: pixels in blocks of mr, then single pixels; channels in blocks
  // of nv vectors, then single vectors, then single lanes.
  auto rangeEnd = [&](Value size, int64_t step) {
    return k.mul(arith::DivUIOp::create(b, size, k.idx(step)), k.idx(step));
  };
  Value owTiles = rangeEnd(outW, tiling.mr);
  Value fTiles = rangeEnd(filters, nr), fVectors = rangeEnd(filters, vl);
  auto pixelRange = [&](Value begin, Value end, int64_t pixels) {
    k.forLoop(begin, end, pixels, [&](Value ow0) {
      k.forLoop(zero, fTiles, nr,
                [&](Value f0) { k.emitTile(ow0, pixels, f0, tiling.nv, vl); });
      k.forLoop(fTiles, fVectors, vl,
                [&](Value f0) { k.emitTile(ow0, pixels, f0, 1, vl); });
      k.forLoop(fVectors, filters, 1,
                [&](Value f0) { k.emitTile(ow0, pixels, f0, 1, 1); });
    });
  };
  pixelRange(zero, owTiles, tiling.mr);
  pixelRange(owTiles, outW, 1);
}
