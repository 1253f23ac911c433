//===- RaiseWindow.cpp - Raise windowed linalg.generic convs to trop ------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A morphological convolution written as one linalg.generic (as front ends
// and hand-written IR give it when no named op fits, and as paper C's code
// computes it): seven loops, the input read at `oh·sh + kh·dh` and
// `ow·sw + kw·dw`, the body `out ⊕ (x ⊗ w)`. Any layout of the three operands
// (NHWC or NCHW input, HWCF or FCHW filter, ...) is accepted: the operands
// are transposed to trop.conv_2d's NHWC/HWCF and the result back, which
// moves values without changing them.
//
//===----------------------------------------------------------------------===//

#include "RaiseCommon.h"

#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/AffineExpr.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mlir::trop;
using namespace mlir::trop::raise;

namespace {

/// A loop and its coefficient in an index expression.
struct Term {
  unsigned dim;
  int64_t coefficient;
};

/// `d` or `d · c` with c > 0.
static std::optional<Term> matchTerm(AffineExpr e) {
  if (auto dim = dyn_cast<AffineDimExpr>(e))
    return Term{dim.getPosition(), 1};
  auto mul = dyn_cast<AffineBinaryOpExpr>(e);
  if (!mul || mul.getKind() != AffineExprKind::Mul)
    return std::nullopt;
  auto dim = dyn_cast<AffineDimExpr>(mul.getLHS());
  auto c = dyn_cast<AffineConstantExpr>(mul.getRHS());
  if (!dim || !c || c.getValue() <= 0)
    return std::nullopt;
  return Term{dim.getPosition(), c.getValue()};
}

/// One window index `o · stride + k · dilation`, o a parallel (output) loop
/// and k a reduction (kernel) loop, in either order.
struct Window {
  unsigned out, kernel;
  int64_t stride, dilation;
};

static std::optional<Window> matchWindow(AffineExpr e,
                                         ArrayRef<unsigned> reductions) {
  auto add = dyn_cast<AffineBinaryOpExpr>(e);
  if (!add || add.getKind() != AffineExprKind::Add)
    return std::nullopt;
  std::optional<Term> x = matchTerm(add.getLHS()), y = matchTerm(add.getRHS());
  if (!x || !y)
    return std::nullopt;
  bool xKernel = llvm::is_contained(reductions, x->dim);
  bool yKernel = llvm::is_contained(reductions, y->dim);
  if (xKernel == yKernel)
    return std::nullopt;
  if (xKernel)
    std::swap(x, y);
  return Window{x->dim, y->dim, x->coefficient, y->coefficient};
}

/// Positions of `want` in `have`, or nothing if one is missing.
static std::optional<SmallVector<int64_t>>
positionsOf(ArrayRef<unsigned> have, ArrayRef<unsigned> want) {
  SmallVector<int64_t> positions;
  for (unsigned d : want) {
    auto it = llvm::find(have, d);
    if (it == have.end())
      return std::nullopt;
    positions.push_back(it - have.begin());
  }
  return positions;
}

/// The dims of a map whose results are all dims, or nothing.
static std::optional<SmallVector<unsigned>> plainDims(AffineMap map) {
  SmallVector<unsigned> dims;
  for (AffineExpr e : map.getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim)
      return std::nullopt;
    dims.push_back(dim.getPosition());
  }
  return dims;
}

/// How a windowed generic maps onto trop.conv_2d: the operand order, the
/// permutations to NHWC / HWCF / NHWF, strides and dilations.
struct ConvLayout {
  unsigned inputIndex, filterIndex;
  SmallVector<int64_t> inputPerm, filterPerm, outputPerm;
  SmallVector<int64_t> strides, dilations;
};

static std::optional<ConvLayout> matchConvLayout(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != 7)
    return std::nullopt;
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  if (reductions.size() != 3)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  std::optional<SmallVector<unsigned>> outDims = plainDims(maps[2]);
  if (!outDims || outDims->size() != 4)
    return std::nullopt;
  ConvLayout layout;
  // The filter reads plain loops; the input reads two windows.
  std::optional<SmallVector<unsigned>> filterDims;
  for (unsigned i : {0u, 1u})
    if ((filterDims = plainDims(maps[i]))) {
      layout.filterIndex = i;
      break;
    }
  if (!filterDims || filterDims->size() != 4)
    return std::nullopt;
  layout.inputIndex = 1 - layout.filterIndex;
  AffineMap inputMap = maps[layout.inputIndex];
  if (inputMap.getNumResults() != 4)
    return std::nullopt;

  SmallVector<Window> windows;
  SmallVector<unsigned> plain;
  SmallVector<unsigned> inputOrder; // dims in the input's own order
  for (AffineExpr e : inputMap.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(e)) {
      plain.push_back(dim.getPosition());
      inputOrder.push_back(dim.getPosition());
    } else if (std::optional<Window> w = matchWindow(e, reductions)) {
      windows.push_back(*w);
      // Stands for the window in the input's order: its output loop.
      inputOrder.push_back(w->out);
    } else {
      return std::nullopt;
    }
  }
  if (windows.size() != 2 || plain.size() != 2)
    return std::nullopt;
  // Plain input loops: the batch (an output loop the filter does not read)
  // and the input channel (a reduction loop the filter reads).
  unsigned n = plain[0], c = plain[1];
  if (llvm::is_contained(reductions, n))
    std::swap(n, c);
  if (llvm::is_contained(reductions, n) || !llvm::is_contained(reductions, c) ||
      llvm::is_contained(*filterDims, n))
    return std::nullopt;
  const Window &h = windows[0], &w = windows[1];
  // The output channel: the filter's one output loop.
  SmallVector<unsigned> filterOut;
  for (unsigned d : *filterDims)
    if (!llvm::is_contained(reductions, d))
      filterOut.push_back(d);
  if (filterOut.size() != 1)
    return std::nullopt;
  unsigned f = filterOut[0];
  std::optional<SmallVector<int64_t>> inputPerm =
      positionsOf(inputOrder, {n, h.out, w.out, c});
  std::optional<SmallVector<int64_t>> filterPerm =
      positionsOf(*filterDims, {h.kernel, w.kernel, c, f});
  std::optional<SmallVector<int64_t>> outputPerm =
      positionsOf(*outDims, {n, h.out, w.out, f});
  // Each loop once: seven distinct loops.
  llvm::SmallDenseSet<unsigned> all = {n,        h.out,    w.out, f,
                                       h.kernel, w.kernel, c};
  if (!inputPerm || !filterPerm || !outputPerm || all.size() != 7)
    return std::nullopt;
  layout.inputPerm = std::move(*inputPerm);
  layout.filterPerm = std::move(*filterPerm);
  layout.outputPerm = std::move(*outputPerm);
  layout.strides = {h.stride, w.stride};
  layout.dilations = {h.dilation, w.dilation};
  return layout;
}

/// `linalg.generic` with seven loops computing `out ⊕ (x ⊗ w)` over a
/// sliding window → `trop.conv_2d`, with transposes for other layouts.
struct RaiseConvGeneric : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    // The loops first: most generics are not seven-loop windows.
    std::optional<ConvLayout> layout = matchConvLayout(op);
    std::optional<SemiringBody> body =
        layout ? matchBinaryContraction(op) : std::nullopt;
    if (!body)
      return rewriter.notifyMatchFailure(op, "not a ⊕/⊗ convolution window");
    Value input = op.getDpsInputs()[layout->inputIndex];
    Value filter = op.getDpsInputs()[layout->filterIndex];
    Value init = op.getDpsInits()[0];
    Type elementType = getElementTypeOrSelf(init.getType());
    if (getElementTypeOrSelf(input.getType()) != elementType ||
        getElementTypeOrSelf(filter.getType()) != elementType ||
        !isSemiringCompatible(body->kind, elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");

    Location loc = op.getLoc();
    if (body->negate == static_cast<int>(layout->inputIndex))
      input = negate(rewriter, loc, input);
    else if (body->negate == static_cast<int>(layout->filterIndex))
      filter = negate(rewriter, loc, filter);
    input = transpose(rewriter, loc, input, layout->inputPerm);
    filter = transpose(rewriter, loc, filter, layout->filterPerm);
    init = transpose(rewriter, loc, init, layout->outputPerm);
    auto conv = Conv2DOp::create(
        rewriter, loc, init.getType(),
        SemiringKindAttr::get(op.getContext(), body->kind), input, filter, init,
        rewriter.getDenseI64ArrayAttr(layout->strides),
        rewriter.getDenseI64ArrayAttr(layout->dilations),
        rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}));
    SmallVector<int64_t> back(4);
    for (auto [i, p] : llvm::enumerate(layout->outputPerm))
      back[p] = i;
    rewriter.replaceOp(op, transpose(rewriter, loc, conv.getResult(), back));
    return success();
  }
};

} // namespace

void trop::raise::populateRaiseWindowPatterns(RewritePatternSet &patterns) {
  patterns.add<RaiseConvGeneric>(patterns.getContext());
}
