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
                              Value y, Value yMat, const EpilogueFn &epilogue) {
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

void trop::emitConv2D(ImplicitLocOpBuilder &b, const ComputeDomain &dom,
                      const GemmTiling &tiling, int64_t numTasks,
                      const ConvWindow &window, Value x, Value filter, Value y,
                      EpilogueFn epilogue) {
  Value yMat = memref::CollapseShapeOp::create(
      b, y, ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  auto filterShape = cast<MemRefType>(filter.getType()).getShape();
  int64_t channels = filterShape[2];
  if (!ShapedType::isDynamic(channels) && channels > 0 &&
      !ShapedType::isDynamic(filterShape[0]) &&
      !ShapedType::isDynamic(filterShape[1]) &&
      channels % tiling.vectorLength == 0)
    return emitGroupedConv2D(b, dom, tiling, numTasks, window, x, filter, y,
                             yMat, epilogue);
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
}

void trop::emitDepthwiseConv2D(ImplicitLocOpBuilder &b,
                               const ComputeDomain &dom, int64_t vl,
                               const ConvWindow &window, Value x, Value s,
                               Value y) {
  Type elementType = dom.elementType;
  KernelBuilder k{b};
  auto toCompute = [&](Value v) { return dom.widen(b, v); };
  Value zero = k.idx(0), one = k.idx(1);
  Value pad = arith::ConstantOp::create(b, dom.paddingAttr());
  Value height = dim(b, x, 1), width = dim(b, x, 2);
  Value channels = dim(b, x, 3);
  Value outH = dim(b, y, 1), outW = dim(b, y, 2);
  Value kH = dim(b, s, 0), kW = dim(b, s, 1);

  // Parallel over (n, oh) rows of the output.
  Value rows = arith::MulIOp::create(b, dim(b, y, 0), outH);
  auto par = scf::ParallelOp::create(b, ValueRange{zero}, ValueRange{rows},
                                     ValueRange{one});
  b.setInsertionPointToStart(par.getBody());
  Value row = par.getInductionVars()[0];
  Value n = arith::DivUIOp::create(b, row, outH);
  Value oh = arith::RemUIOp::create(b, row, outH);
  auto owLoop = scf::ForOp::create(b, zero, outW, one);
  b.setInsertionPointToStart(owLoop.getBody());
  Value ow = owLoop.getInductionVar();
  // Channels in whole vectors, then the remainder one at a time: every
  // access is in bounds, so no masked load or store is needed (LLVM 22
  // miscompiles some single-lane masked stores of truncated vectors).
  Value fullChannels = arith::MulIOp::create(
      b, arith::DivUIOp::create(b, channels, k.idx(vl)), k.idx(vl));
  auto emitChannels = [&](Value begin, Value end, int64_t lanes) {
    OpBuilder::InsertionGuard guard(b);
    auto vecType = dom.vectorType(lanes);
    auto elemVecType = VectorType::get({lanes}, elementType);
    auto cLoop = scf::ForOp::create(b, begin, end, k.idx(lanes));
    b.setInsertionPointToStart(cLoop.getBody());
    Value c = cLoop.getInductionVar();
    Value acc = toCompute(vector::TransferReadOp::create(
        b, elemVecType, y, ValueRange{n, oh, ow, c}, pad,
        ArrayRef<bool>{true}));
    auto khLoop = scf::ForOp::create(b, zero, kH, one, ValueRange{acc});
    {
      OpBuilder::InsertionGuard khGuard(b);
      b.setInsertionPointToStart(khLoop.getBody());
      Value kh = khLoop.getInductionVar();
      Value h = window.coordinate(k, oh, 0, window.tapOffset(k, kh, 0));
      Value hIn = ConvWindow::inside(k, h, height);
      auto kwLoop = scf::ForOp::create(
          b, zero, kW, one, ValueRange{khLoop.getRegionIterArgs()[0]});
      scf::YieldOp::create(b, kwLoop.getResults());
      b.setInsertionPointToStart(kwLoop.getBody());
      Value kw = kwLoop.getInductionVar();
      Value cur = kwLoop.getRegionIterArgs()[0];
      Value w = window.coordinate(k, ow, 1, window.tapOffset(k, kw, 1));
      Value wIn = ConvWindow::inside(k, w, width);
      Value valid = arith::AndIOp::create(b, hIn, wIn);
      // Padded positions read 𝟘 and still take part, as in the reference
      // lowering, so that IEEE corner cases (+∞ meeting 𝟘) agree too.
      auto xIf = scf::IfOp::create(b, vecType, valid, /*withElse=*/true);
      {
        OpBuilder::InsertionGuard ifGuard(b);
        b.setInsertionPointToStart(xIf.thenBlock());
        scf::YieldOp::create(b, toCompute(vector::TransferReadOp::create(
                                    b, elemVecType, x, ValueRange{n, h, w, c},
                                    pad, ArrayRef<bool>{true})));
        b.setInsertionPointToStart(xIf.elseBlock());
        scf::YieldOp::create(b, dom.zero(b, vecType));
      }
      Value xv = xIf.getResult(0);
      Value sv = toCompute(vector::TransferReadOp::create(
          b, elemVecType, s, ValueRange{kh, kw, c}, pad, ArrayRef<bool>{true}));
      scf::YieldOp::create(b, dom.multiplyAccumulate(b, cur, xv, sv));
    }
    Value result = dom.narrow(b, khLoop.getResult(0));
    vector::TransferWriteOp::create(b, result, y, ValueRange{n, oh, ow, c},
                                    ArrayRef<bool>{true});
  };
  emitChannels(zero, fullChannels, vl);
  emitChannels(fullChannels, channels, 1);
}
