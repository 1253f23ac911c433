//===- ConvEmitter.cpp - conv_2d and depthwise_conv_2d kernels ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// conv_2d is a GEMM over implicit im2col rows: rows are output pixels
// (n, oh, ow), C is the output viewed as (N·OH·OW) × F, and the reduction
// runs over (kh, kw, c). When the channel count is static and a multiple of
// the vector length, that is one GEMM with grouped reduction (a group per
// window position, read as one input pixel or as 𝟘 in the padding) and B the
// whole filter viewed as (KH·KW·C) × F: the output is read and written once
// per reduction block instead of once per window position. Otherwise it is a
// sum over window positions of GEMMs with B the filter slice F[kh, kw].
//
// depthwise_conv_2d: every output pixel keeps one vector of channels in a
// register and runs over the window.
//
//===----------------------------------------------------------------------===//

#include "ConvEmitter.h"
#include "Epilogue.h"
#include "KernelBuilder.h"

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;
using namespace mlir::trop;

Value ConvWindow::tapOffset(KernelBuilder &k, Value tap, int d) const {
  return k.sub(k.mul(tap, k.idx(dilations[d])), k.idx(padding[d]));
}

Value ConvWindow::coordinate(KernelBuilder &k, Value out, int d,
                             Value offset) const {
  return k.add(k.mul(out, k.idx(strides[d])), offset);
}

Value ConvWindow::inside(KernelBuilder &k, Value coord, Value size) {
  return arith::CmpIOp::create(k.b, arith::CmpIPredicate::ult, coord, size);
}

/// Row `row` of a convolution's implicit im2col for one window position:
/// output pixel (n, oh, ow) reads input pixel (n, oh·sh + hOff, ow·sw + wOff),
/// which is `valid` when inside the input (𝟘 in the padding otherwise).
static GemmProblem::Row convWindowRow(ImplicitLocOpBuilder &b, Value x,
                                      Value pad, Value row, Value height,
                                      Value width, Value outH, Value outW,
                                      const ConvWindow &window, Value hOff,
                                      Value wOff) {
  Value ow = arith::RemUIOp::create(b, row, outW);
  Value rest = arith::DivUIOp::create(b, row, outW);
  Value oh = arith::RemUIOp::create(b, rest, outH);
  Value n = arith::DivUIOp::create(b, rest, outH);
  KernelBuilder k{b};
  Value h = window.coordinate(k, oh, 0, hOff);
  Value w = window.coordinate(k, ow, 1, wOff);
  Value valid = arith::AndIOp::create(b, ConvWindow::inside(k, h, height),
                                      ConvWindow::inside(k, w, width));
  return GemmProblem::Row{
      valid, [=](ImplicitLocOpBuilder &b, Value col, VectorType type) {
        return vector::TransferReadOp::create(b, type, x,
                                              ValueRange{n, h, w, col}, pad,
                                              ArrayRef<bool>{false})
            .getResult();
      }};
}

/// The single GEMM with a group of C reduction columns per window position.
static void emitGroupedConv2D(ImplicitLocOpBuilder &b, const ComputeDomain &dom,
                              const GemmTiling &tiling, int64_t numTasks,
                              const ConvWindow &window, Value x, Value filter,
                              Value y, Value yMat, const EpilogueFn &epilogue,
                              bool zeroInit) {
  auto filterShape = cast<MemRefType>(filter.getType()).getShape();
  int64_t windowW = filterShape[1], channels = filterShape[2];
  int64_t groups = filterShape[0] * windowW;
  Value bMat = memref::CollapseShapeOp::create(
      b, filter, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  Value height = dim(b, x, 1), width = dim(b, x, 2);
  Value outH = dim(b, y, 1), outW = dim(b, y, 2);
  Value pad = arith::ConstantOp::create(b, dom.paddingAttr());
  GemmProblem problem{
      dom,  dim(b, yMat, 0), dim(b, yMat, 1), dim(b, bMat, 0), {}, bMat,
      yMat, std::nullopt};
  problem.kGroup = channels;
  problem.epilogue = epilogue;
  problem.zeroInit = zeroInit;
  problem.groupAccessor = [=](ImplicitLocOpBuilder &b, Value row, Value group) {
    KernelBuilder k{b};
    Value hOff = window.tapOffset(
        k, arith::DivUIOp::create(b, group, k.idx(windowW)), 0);
    Value wOff = window.tapOffset(
        k, arith::RemUIOp::create(b, group, k.idx(windowW)), 1);
    return convWindowRow(b, x, pad, row, height, width, outH, outW, window,
                         hOff, wOff);
  };
  emitGemm(b, problem, withGroupedReduction(tiling, channels, groups),
           numTasks);
}

/// Few input channels (not whole vectors), no padding and no dilation
/// along the width: the KW·C values of one window row are contiguous in the
/// input, so a row of the im2col matrix (K = KH·KW·C) is KH loads of KW·C
/// values, packed straight into the A panel (GemmProblem::packRow). One GEMM
/// with K = 27 then covers an RGB 3 × 3 conv, instead of 9 GEMMs with K = 3
/// that each read and write the whole output tile. False (nothing emitted)
/// when the conv does not qualify or K exceeds one reduction block.
static bool emitSmallChannelConv2D(ImplicitLocOpBuilder &b,
                                   const ComputeDomain &dom,
                                   const GemmTiling &tiling, int64_t numTasks,
                                   const ConvWindow &window, Value x,
                                   Value filter, Value y, Value yMat,
                                   const EpilogueFn &epilogue, bool zeroInit) {
  auto filterShape = cast<MemRefType>(filter.getType()).getShape();
  if (llvm::any_of(filterShape.take_front(3), ShapedType::isDynamic) ||
      filterShape[2] <= 0 ||
      llvm::any_of(window.padding, [](int64_t pad) { return pad != 0; }))
    return false;
  int64_t windowH = filterShape[0], windowW = filterShape[1];
  int64_t run = windowW * filterShape[2], k = windowH * run;
  if (k > tiling.kc || (windowW > 1 && window.dilations[1] != 1))
    return false;
  SmallVector<ReassociationIndices> pixelRows = {{0}, {1}, {2, 3}};
  if (!memref::CollapseShapeOp::isGuaranteedCollapsible(
          cast<MemRefType>(x.getType()), pixelRows))
    return false;
  KernelBuilder kb{b};
  // x viewed as N × H × (W·C): a window row is `run` consecutive values.
  Value xRows = memref::CollapseShapeOp::create(b, x, pixelRows);
  Value bMat = memref::CollapseShapeOp::create(
      b, filter, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  Value outH = dim(b, y, 1), outW = dim(b, y, 2);
  Value pad = arith::ConstantOp::create(b, dom.paddingAttr());
  auto runType = VectorType::get({run}, dom.elementType);
  int64_t channels = filterShape[2];
  GemmProblem problem{
      dom,  dim(b, yMat, 0), dim(b, yMat, 1), kb.idx(k), {}, bMat,
      yMat, std::nullopt};
  problem.epilogue = epilogue;
  problem.zeroInit = zeroInit;
  problem.packRow = [=](ImplicitLocOpBuilder &b, Value row,
                        const GemmProblem::StoreFn &store) {
    KernelBuilder k{b};
    Value ow = arith::RemUIOp::create(b, row, outW);
    Value rest = arith::DivUIOp::create(b, row, outW);
    Value oh = arith::RemUIOp::create(b, rest, outH);
    Value n = arith::DivUIOp::create(b, rest, outH);
    Value w0 = k.mul(window.coordinate(k, ow, 1, k.idx(0)), k.idx(channels));
    // A valid window (no padding) lies inside the input: in-bounds reads.
    for (int64_t i = 0; i < windowH; ++i) {
      Value h = window.coordinate(k, oh, 0, k.idx(i * window.dilations[0]));
      Value vec = vector::TransferReadOp::create(
          b, runType, xRows, ValueRange{n, h, w0}, pad, ArrayRef<bool>{true});
      store(b, k.idx(i * run), vec);
    }
  };
  GemmTiling oneBlock = tiling;
  oneBlock.kc = llvm::alignTo(k, tiling.vectorLength);
  emitGemm(b, problem, oneBlock, numTasks);
  return true;
}

bool trop::emitConv2D(ImplicitLocOpBuilder &b, const ComputeDomain &dom,
                      const GemmTiling &tiling, int64_t numTasks,
                      const ConvWindow &window, Value x, Value filter, Value y,
                      EpilogueFn epilogue, bool zeroInit) {
  Value yMat = memref::CollapseShapeOp::create(
      b, y, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  auto filterShape = cast<MemRefType>(filter.getType()).getShape();
  int64_t channels = filterShape[2];
  if (!ShapedType::isDynamic(channels) && channels > 0 &&
      !ShapedType::isDynamic(filterShape[0]) &&
      !ShapedType::isDynamic(filterShape[1]) &&
      channels % tiling.vectorLength == 0) {
    emitGroupedConv2D(b, dom, tiling, numTasks, window, x, filter, y, yMat,
                      epilogue, zeroInit);
    return zeroInit;
  }
  if (emitSmallChannelConv2D(b, dom, tiling, numTasks, window, x, filter, y,
                             yMat, epilogue, zeroInit))
    return zeroInit;
  KernelBuilder k{b};
  Value zero = k.idx(0);
  Value one = k.idx(1);
  Value height = dim(b, x, 1), width = dim(b, x, 2);
  Value outH = dim(b, y, 1), outW = dim(b, y, 2);

  auto khLoop = scf::ForOp::create(b, zero, dim(b, filter, 0), one);
  b.setInsertionPointToStart(khLoop.getBody());
  auto kwLoop = scf::ForOp::create(b, zero, dim(b, filter, 1), one);
  b.setInsertionPointToStart(kwLoop.getBody());
  Value kh = khLoop.getInductionVar(), kw = kwLoop.getInductionVar();
  // F[kh, kw] : C × F.
  Value bMat = matrixView(b, filter, ValueRange{kh, kw});

  // Row offsets of this window position, before the pixel's own offset.
  Value hOff = window.tapOffset(k, kh, 0);
  Value wOff = window.tapOffset(k, kw, 1);

  Value pad = arith::ConstantOp::create(b, dom.paddingAttr());
  GemmProblem problem{
      dom,  dim(b, yMat, 0), dim(b, yMat, 1), dim(b, x, 3), {}, bMat,
      yMat, std::nullopt};
  problem.rowAccessor = [=](ImplicitLocOpBuilder &b, Value row) {
    return convWindowRow(b, x, pad, row, height, width, outH, outW, window,
                         hOff, wOff);
  };
  emitGemm(b, problem, tiling, numTasks);
  // One GEMM per window position: the epilogue can only follow the last.
  if (epilogue) {
    b.setInsertionPointAfter(khLoop);
    emitEpilogueLoop(b, epilogue, yMat, tiling.vectorLength);
  }
  return false;
}

void trop::emitDepthwiseConv2D(ImplicitLocOpBuilder &b,
                               const ComputeDomain &dom, int64_t vl,
                               const ConvWindow &window, Value x, Value s,
                               Value y, const EpilogueFn &epilogue,
                               bool zeroInit) {
  Type elementType = dom.elementType;
  KernelBuilder k{b};
  auto toCompute = [&](Value v) { return dom.widen(b, v); };
  Value zero = k.idx(0), one = k.idx(1);
  Value pad = arith::ConstantOp::create(b, dom.paddingAttr());
  Value height = dim(b, x, 1), width = dim(b, x, 2);
  Value channels = dim(b, x, 3);
  Value outH = dim(b, y, 1), outW = dim(b, y, 2);
  Value kH = dim(b, s, 0), kW = dim(b, s, 1);
  // Without padding every window lies inside the input: no tests.
  bool padded = llvm::any_of(window.padding, [](int64_t p) { return p != 0; });

  // Parallel over (n, oh) rows of the output.
  Value rows = arith::MulIOp::create(b, dim(b, y, 0), outH);
  auto par = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{rows},
                                     ValueRange{one});
  b.setInsertionPointToStart(par.getBody());
  Value row = par.getInductionVars()[0];
  Value n = arith::DivUIOp::create(b, row, outH);
  Value oh = arith::RemUIOp::create(b, row, outH);
  // Channels in whole vectors, then the remainder one at a time: every
  // access is in bounds, so no masked load or store is needed (LLVM 22
  // miscompiles some single-lane masked stores of truncated vectors).
  Value fullChannels = arith::MulIOp::create(
      b, arith::DivUIOp::create(b, channels, k.idx(vl)), k.idx(vl));
  // `pixels` neighbouring output pixels from `ow0` at once: one accumulator
  // each, so that the ⊗-⊕ (fused multiply-add) chains of the window overlap
  // instead of waiting on each other's latency, and one load of the filter
  // vector per window position serves them all.
  auto emitChannels = [&](Value begin, Value end, int64_t lanes, Value ow0,
                          int64_t pixels) {
    OpBuilder::InsertionGuard guard(b);
    auto vecType = dom.vectorType(lanes);
    auto elemVecType = VectorType::get({lanes}, elementType);
    auto cLoop = scf::ForOp::create(b, begin, end, k.idx(lanes));
    b.setInsertionPointToStart(cLoop.getBody());
    Value c = cLoop.getInductionVar();
    SmallVector<Value> ows, accs;
    for (int64_t j = 0; j < pixels; ++j) {
      ows.push_back(k.add(ow0, k.idx(j)));
      accs.push_back(
          zeroInit ? dom.zero(b, vecType)
                   : toCompute(vector::TransferReadOp::create(
                         b, elemVecType, y, ValueRange{n, oh, ows.back(), c},
                         pad, ArrayRef<bool>{true})));
    }
    auto khLoop = scf::ForOp::create(b, zero, kH, one, accs);
    {
      OpBuilder::InsertionGuard khGuard(b);
      b.setInsertionPointToStart(khLoop.getBody());
      Value kh = khLoop.getInductionVar();
      Value h = window.coordinate(k, oh, 0, window.tapOffset(k, kh, 0));
      Value hIn = ConvWindow::inside(k, h, height);
      auto kwLoop =
          scf::ForOp::create(b, zero, kW, one, khLoop.getRegionIterArgs());
      scf::YieldOp::create(b, kwLoop.getResults());
      b.setInsertionPointToStart(kwLoop.getBody());
      Value kw = kwLoop.getInductionVar();
      Value wOff = window.tapOffset(k, kw, 1);
      Value sv = toCompute(vector::TransferReadOp::create(
          b, elemVecType, s, ValueRange{kh, kw, c}, pad, ArrayRef<bool>{true}));
      SmallVector<Value> next;
      for (int64_t j = 0; j < pixels; ++j) {
        Value w = window.coordinate(k, ows[j], 1, wOff);
        auto read = [&]() -> Value {
          return toCompute(vector::TransferReadOp::create(
              b, elemVecType, x, ValueRange{n, h, w, c}, pad,
              ArrayRef<bool>{true}));
        };
        Value xv;
        if (padded) {
          // Padded positions read 𝟘 and still take part, as in the
          // reference lowering, so that IEEE corner cases (+∞ meeting 𝟘)
          // agree too.
          Value valid =
              arith::AndIOp::create(b, hIn, ConvWindow::inside(k, w, width));
          auto xIf = scf::IfOp::create(b, vecType, valid, /*withElse=*/true);
          OpBuilder::InsertionGuard ifGuard(b);
          b.setInsertionPointToStart(xIf.thenBlock());
          scf::YieldOp::create(b, read());
          b.setInsertionPointToStart(xIf.elseBlock());
          scf::YieldOp::create(b, dom.zero(b, vecType));
          xv = xIf.getResult(0);
        } else {
          xv = read();
        }
        next.push_back(
            dom.multiplyAccumulate(b, kwLoop.getRegionIterArgs()[j], xv, sv));
      }
      scf::YieldOp::create(b, next);
    }
    for (int64_t j = 0; j < pixels; ++j) {
      Value result = dom.narrow(b, khLoop.getResult(j));
      if (epilogue)
        epilogue(b, result, k.add(k.mul(row, outW), ows[j]), c);
      else
        vector::TransferWriteOp::create(
            b, result, y, ValueRange{n, oh, ows[j], c}, ArrayRef<bool>{true});
    }
  };
  auto emitPixels = [&](Value ow0, int64_t pixels) {
    emitChannels(zero, fullChannels, vl, ow0, pixels);
    emitChannels(fullChannels, channels, 1, ow0, pixels);
  };
  Value fullW = k.mul(arith::DivUIOp::create(b, outW, k.idx(kDepthwiseBlock)),
                      k.idx(kDepthwiseBlock));
  k.forLoop(zero, fullW, kDepthwiseBlock,
            [&](Value ow0) { emitPixels(ow0, kDepthwiseBlock); });
  k.forLoop(fullW, outW, 1, [&](Value ow0) { emitPixels(ow0, 1); });
}
