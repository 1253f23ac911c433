//===- ParallelLoops.cpp - Parallel loops as 256-thread blocks ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The ops without a tiled kernel (maxout, depthwise_conv_2d, fills) reach
// the GPU as the reference lowering's parallel loops. Mapped as they are,
// upstream's gpu-map-parallel-loops puts every parallel dimension on the
// grid and none on the threads: one thread per block. This pass collapses
// each outermost scf.parallel into one dimension (the last dimension the
// fastest, so consecutive threads touch consecutive elements: coalesced)
// and tiles it by the block size, so that the mapping gives blocks of 256
// threads, one element each, the tail guarded by an scf.if.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToGPU/TropToGPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Utils/Utils.h"
#include "mlir/IR/PatternMatch.h"

#include <numeric>

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_GPUPARALLELLOOPS
#include "trop/Conversion/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

/// The scf.parallel ops under `root` that are in no other one and in no
/// gpu.launch.
static SmallVector<scf::ParallelOp> getOutermostLoops(Operation *root) {
  SmallVector<scf::ParallelOp> outermost;
  root->walk<WalkOrder::PreOrder>([&](Operation *op) {
    if (isa<gpu::LaunchOp>(op))
      return WalkResult::skip();
    if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
      outermost.push_back(loop);
      return WalkResult::skip();
    }
    return WalkResult::advance();
  });
  return outermost;
}

void trop::tileParallelLoopsForGPU(Operation *root, int64_t blockSize) {
  IRRewriter rewriter(root->getContext());
  for (scf::ParallelOp loop : getOutermostLoops(root)) {
    unsigned rank = loop.getNumLoops();
    if (rank > 1) {
      std::vector<unsigned> all(rank);
      std::iota(all.begin(), all.end(), 0);
      rewriter.setInsertionPoint(loop);
      collapseParallelLoops(rewriter, loop, {all});
    }
  }
  // Collapsing replaced the loops: find the (now one-dimensional) ones.
  for (scf::ParallelOp loop : getOutermostLoops(root))
    if (loop.getNumLoops() == 1)
      scf::tileParallelLoop(loop, {blockSize}, /*noMinMaxBounds=*/true);
}

namespace {

struct GPUParallelLoopsPass
    : public trop::impl::GPUParallelLoopsBase<GPUParallelLoopsPass> {
  using Base::Base;
  void runOnOperation() override {
    tileParallelLoopsForGPU(getOperation(), blockSize);
  }
};

} // namespace
