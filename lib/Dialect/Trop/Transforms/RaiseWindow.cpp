//===- RaiseWindow.cpp - Raise sliding windows to trop --------------------===//
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
// Max and min pooling, as the named linalg.pooling_nhwc_max/min ops and as a
// windowed reduction generic (what an exporter writes for `F.unfold` or
// `Tensor.unfold` windows reduced by max/min), become trop.depthwise_conv_2d
// with a structuring element of 𝟙. A `tensor.pad` with the semiring's 𝟘
// feeding a trop convolution folds into its padding.
//
//===----------------------------------------------------------------------===//

#include "RaiseCommon.h"

#include "trop/Dialect/Trop/IR/TropOps.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/AffineExpr.h"
#include "mlir/IR/Matchers.h"
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

/// A 4-D input indexed by two plain loops and two windows, in its order.
struct WindowedInput {
  SmallVector<Window> windows;
  SmallVector<unsigned> plain;
  /// The loops in the input's own order, a window standing for its output
  /// loop.
  SmallVector<unsigned> order;
};

static std::optional<WindowedInput>
matchWindowedInput(AffineMap map, ArrayRef<unsigned> reductions) {
  if (map.getNumResults() != 4)
    return std::nullopt;
  WindowedInput input;
  for (AffineExpr e : map.getResults()) {
    if (auto dim = dyn_cast<AffineDimExpr>(e)) {
      input.plain.push_back(dim.getPosition());
      input.order.push_back(dim.getPosition());
    } else if (std::optional<Window> w = matchWindow(e, reductions)) {
      input.windows.push_back(*w);
      input.order.push_back(w->out);
    } else {
      return std::nullopt;
    }
  }
  if (input.windows.size() != 2 || input.plain.size() != 2)
    return std::nullopt;
  return input;
}

/// The inverse of a permutation of four dims.
static SmallVector<int64_t> inverse(ArrayRef<int64_t> perm) {
  SmallVector<int64_t> back(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    back[p] = i;
  return back;
}

/// How a windowed generic maps onto trop.conv_2d or pooling: which input is
/// the windowed one and which the filter (or the window that sizes the
/// kernel loops), the permutations to NHWC / HWCF (HW) / NHWC, strides and
/// dilations.
struct WindowLayout {
  unsigned inputIndex, filterIndex;
  SmallVector<int64_t> inputPerm, filterPerm, outputPerm;
  SmallVector<int64_t> strides, dilations;
};

/// The loops of a generic with two inputs and one init, `numLoops` loops of
/// which `numReductions` reduce, whose output reads four plain loops, one
/// input `filterRank` plain loops (the filter or window) and the other two
/// plain loops and two windows.
struct WindowGeneric {
  SmallVector<unsigned> reductions, outDims, filterDims;
  WindowedInput input;
  unsigned inputIndex, filterIndex;
};

static std::optional<WindowGeneric> matchWindowGeneric(linalg::GenericOp op,
                                                       unsigned numLoops,
                                                       unsigned numReductions,
                                                       unsigned filterRank) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      op.getNumLoops() != numLoops)
    return std::nullopt;
  WindowGeneric g;
  op.getReductionDims(g.reductions);
  if (g.reductions.size() != numReductions)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  std::optional<SmallVector<unsigned>> outDims = plainDims(maps[2]);
  if (!outDims || outDims->size() != 4)
    return std::nullopt;
  g.outDims = std::move(*outDims);
  std::optional<SmallVector<unsigned>> filterDims;
  for (unsigned i : {0u, 1u})
    if ((filterDims = plainDims(maps[i])) && filterDims->size() == filterRank) {
      g.filterIndex = i;
      break;
    }
  if (!filterDims || filterDims->size() != filterRank)
    return std::nullopt;
  g.filterDims = std::move(*filterDims);
  g.inputIndex = 1 - g.filterIndex;
  std::optional<WindowedInput> input =
      matchWindowedInput(maps[g.inputIndex], g.reductions);
  if (!input)
    return std::nullopt;
  g.input = std::move(*input);
  return g;
}

/// The layout of `g` whose loops in NHWC / HWCF (HW) / NHWC order are
/// `inputLoops`, `filterLoops` and `outputLoops`, each loop of the generic
/// once; nothing otherwise.
static std::optional<WindowLayout> makeLayout(linalg::GenericOp op,
                                              const WindowGeneric &g,
                                              ArrayRef<unsigned> inputLoops,
                                              ArrayRef<unsigned> filterLoops,
                                              ArrayRef<unsigned> outputLoops) {
  std::optional<SmallVector<int64_t>> inputPerm =
      positionsOf(g.input.order, inputLoops);
  std::optional<SmallVector<int64_t>> filterPerm =
      positionsOf(g.filterDims, filterLoops);
  std::optional<SmallVector<int64_t>> outputPerm =
      positionsOf(g.outDims, outputLoops);
  llvm::SmallDenseSet<unsigned> all(inputLoops.begin(), inputLoops.end());
  all.insert(filterLoops.begin(), filterLoops.end());
  all.insert(outputLoops.begin(), outputLoops.end());
  if (!inputPerm || !filterPerm || !outputPerm ||
      all.size() != op.getNumLoops())
    return std::nullopt;
  const Window &h = g.input.windows[0], &w = g.input.windows[1];
  return WindowLayout{g.inputIndex,
                      g.filterIndex,
                      std::move(*inputPerm),
                      std::move(*filterPerm),
                      std::move(*outputPerm),
                      {h.stride, w.stride},
                      {h.dilation, w.dilation}};
}

static std::optional<WindowLayout> matchConvLayout(linalg::GenericOp op) {
  std::optional<WindowGeneric> g = matchWindowGeneric(op, 7, 3, 4);
  if (!g)
    return std::nullopt;
  ArrayRef<unsigned> reductions = g->reductions;
  // Plain input loops: the batch (an output loop the filter does not read)
  // and the input channel (a reduction loop the filter reads).
  unsigned n = g->input.plain[0], c = g->input.plain[1];
  if (llvm::is_contained(reductions, n))
    std::swap(n, c);
  if (llvm::is_contained(reductions, n) || !llvm::is_contained(reductions, c) ||
      llvm::is_contained(g->filterDims, n))
    return std::nullopt;
  // The output channel: the filter's one output loop.
  SmallVector<unsigned> filterOut;
  for (unsigned d : g->filterDims)
    if (!llvm::is_contained(reductions, d))
      filterOut.push_back(d);
  if (filterOut.size() != 1)
    return std::nullopt;
  unsigned f = filterOut[0];
  const Window &h = g->input.windows[0], &w = g->input.windows[1];
  return makeLayout(op, *g, {n, h.out, w.out, c}, {h.kernel, w.kernel, c, f},
                    {n, h.out, w.out, f});
}

/// `linalg.generic` with seven loops computing `out ⊕ (x ⊗ w)` over a
/// sliding window → `trop.conv_2d`, with transposes for other layouts.
struct RaiseConvGeneric : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    // The loops first: most generics are not seven-loop windows.
    std::optional<WindowLayout> layout = matchConvLayout(op);
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
    rewriter.replaceOp(op, transpose(rewriter, loc, conv.getResult(),
                                     inverse(layout->outputPerm)));
    return success();
  }
};

/// Max (min) pooling of the NHWC `input` over a KH×KW window into the NHWC
/// `init`, as trop.depthwise_conv_2d in max_min (min_max) with a
/// structuring element of 𝟙: min(x, +∞) = x exactly, NaN included.
static Value buildPooling(PatternRewriter &rewriter, Location loc,
                          SemiringKind kind, Value input, OpFoldResult kh,
                          OpFoldResult kw, Value init,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations) {
  Type elementType = getElementTypeOrSelf(init.getType());
  SmallVector<OpFoldResult> seShape = {
      kh, kw, tensor::getMixedSize(rewriter, loc, input, 3)};
  Value empty = tensor::EmptyOp::create(rewriter, loc, seShape, elementType);
  Value one =
      arith::ConstantOp::create(rewriter, loc, getOneAttr(kind, elementType));
  Value se =
      linalg::FillOp::create(rewriter, loc, ValueRange{one}, ValueRange{empty})
          ->getResult(0);
  return DepthwiseConv2DOp::create(
             rewriter, loc, init.getType(),
             SemiringKindAttr::get(rewriter.getContext(), kind), input, se,
             init, rewriter.getDenseI64ArrayAttr(strides),
             rewriter.getDenseI64ArrayAttr(dilations),
             rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}))
      .getResult();
}

/// linalg.pooling_nhwc_max/min → depthwise morphology in max_min/min_max
/// with a structuring element of 𝟙.
template <typename PoolOp, SemiringKind kind>
struct RaisePooling : public OpRewritePattern<PoolOp> {
  using OpRewritePattern<PoolOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(PoolOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "tensors only");
    Value input = op.getInputs()[0], window = op.getInputs()[1];
    Value init = op.getOutputs()[0];
    Type elementType = getElementTypeOrSelf(init.getType());
    if (getElementTypeOrSelf(input.getType()) != elementType ||
        !isSemiringCompatible(kind, elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    // The named op's body must be the max/min trop uses for this type.
    Block &body = op->getRegion(0).front();
    Operation *combine = nullptr;
    for (Operation &inner : body.without_terminator()) {
      if (classify(&inner))
        combine = &inner;
      else if (!isa<arith::ExtFOp, arith::ExtSIOp>(inner))
        return rewriter.notifyMatchFailure(op, "unexpected body");
    }
    std::optional<SemiringOp> combineKind =
        combine ? classify(combine) : std::nullopt;
    if (!combineKind || *combineKind != getAddOp(kind))
      return rewriter.notifyMatchFailure(op, "body is not max/min");
    Location loc = op.getLoc();
    // getStrides/getDilations apply the default (1, 1) of an absent attribute.
    SmallVector<int64_t> strides =
        llvm::to_vector(op.getStrides().template getValues<int64_t>());
    SmallVector<int64_t> dilations =
        llvm::to_vector(op.getDilations().template getValues<int64_t>());
    rewriter.replaceOp(
        op, buildPooling(rewriter, loc, kind, input,
                         tensor::getMixedSize(rewriter, loc, window, 0),
                         tensor::getMixedSize(rewriter, loc, window, 1), init,
                         strides, dilations));
    return success();
  }
};

/// A generic with six loops, two of them reductions: the input read at two
/// plain loops and two windows `o·s + k·d`, a window operand reading the
/// two kernel loops (only its shape is used: it sizes them), the output at
/// the four parallel loops. The two plain loops are batch and channel, in
/// either role: pooling treats them alike.
static std::optional<WindowLayout> matchPoolLayout(linalg::GenericOp op) {
  std::optional<WindowGeneric> g = matchWindowGeneric(op, 6, 2, 2);
  if (!g)
    return std::nullopt;
  unsigned n = g->input.plain[0], c = g->input.plain[1];
  if (llvm::is_contained(g->reductions, n) ||
      llvm::is_contained(g->reductions, c))
    return std::nullopt;
  const Window &h = g->input.windows[0], &w = g->input.windows[1];
  return makeLayout(op, *g, {n, h.out, w.out, c}, {h.kernel, w.kernel},
                    {n, h.out, w.out, c});
}

/// The body `yield max(x, out)` (or min, either order) of a windowed
/// reduction whose input argument is `x`; the window's argument unused.
static std::optional<SemiringOp> matchPoolBody(linalg::GenericOp op,
                                               unsigned inputIndex) {
  Block &body = op.getRegion().front();
  if (!llvm::hasSingleElement(body.without_terminator()))
    return std::nullopt;
  Operation &combine = body.front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  Value x = body.getArgument(inputIndex), out = body.getArgument(2);
  std::optional<SemiringOp> kind = classify(&combine);
  if (!kind || *kind == SemiringOp::Plus ||
      yield.getOperand(0) != combine.getResult(0) ||
      !hasOperands(&combine, x, out))
    return std::nullopt;
  return kind;
}

/// A windowed max/min reduction `linalg.generic` → pooling, with transposes
/// for layouts other than NHWC (NCHW: what `x.unfold(2, k, s).unfold(3, k,
/// s).amax((-1, -2))` and `F.unfold` + `max` give).
struct RaisePoolGeneric : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureTensorSemantics())
      return rewriter.notifyMatchFailure(op, "tensors only");
    std::optional<WindowLayout> layout = matchPoolLayout(op);
    std::optional<SemiringOp> combine =
        layout ? matchPoolBody(op, layout->inputIndex) : std::nullopt;
    if (!combine)
      return rewriter.notifyMatchFailure(op, "not a max/min window");
    SemiringKind kind = *combine == SemiringOp::Max ? SemiringKind::MaxMin
                                                    : SemiringKind::MinMax;
    Value input = op.getDpsInputs()[layout->inputIndex];
    Value window = op.getDpsInputs()[layout->filterIndex];
    Value init = op.getDpsInits()[0];
    Type elementType = getElementTypeOrSelf(init.getType());
    if (getElementTypeOrSelf(input.getType()) != elementType ||
        !isSemiringCompatible(kind, elementType))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    Location loc = op.getLoc();
    input = transpose(rewriter, loc, input, layout->inputPerm);
    init = transpose(rewriter, loc, init, layout->outputPerm);
    Value pooled = buildPooling(
        rewriter, loc, kind, input,
        tensor::getMixedSize(rewriter, loc, window, layout->filterPerm[0]),
        tensor::getMixedSize(rewriter, loc, window, layout->filterPerm[1]),
        init, layout->strides, layout->dilations);
    rewriter.replaceOp(
        op, transpose(rewriter, loc, pooled, inverse(layout->outputPerm)));
    return success();
  }
};

/// The low and high padding of `pad` if they are static and its padding
/// value is `kind`'s 𝟘 (a constant yield), or nothing.
static std::optional<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>>
zeroPadding(tensor::PadOp pad, SemiringKind kind) {
  Value value = pad.getConstantPaddingValue();
  Attribute attr;
  if (!value || !matchPattern(value, m_Constant(&attr)) || !isZero(kind, attr))
    return std::nullopt;
  SmallVector<int64_t> low = llvm::to_vector(pad.getStaticLow());
  SmallVector<int64_t> high = llvm::to_vector(pad.getStaticHigh());
  if (llvm::any_of(low, ShapedType::isDynamic) ||
      llvm::any_of(high, ShapedType::isDynamic))
    return std::nullopt;
  return std::make_pair(low, high);
}

/// A trop.conv_2d / depthwise_conv_2d whose input is a `tensor.pad` with
/// the semiring's 𝟘 on H and W only (directly, or through a transpose to
/// NHWC, as an NCHW `F.pad` before the convolution gives) → the unpadded
/// input with the amounts added to the op's padding. Exact: the op pads
/// with 𝟘 too. A pad with another value (0 before a tropical convolution,
/// as `F.pad`'s default gives) changes results and stays.
template <typename ConvOp>
struct FoldPadIntoConv : public OpRewritePattern<ConvOp> {
  using OpRewritePattern<ConvOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    Value input = op.getInput();
    if (!isa<RankedTensorType>(input.getType()))
      return rewriter.notifyMatchFailure(op, "tensors only");
    auto transposeOp = input.getDefiningOp<linalg::TransposeOp>();
    if (transposeOp && !transposeOp->hasOneUse())
      transposeOp = nullptr;
    SmallVector<int64_t> perm = {0, 1, 2, 3};
    Value padded = input;
    if (transposeOp) {
      perm = llvm::to_vector(transposeOp.getPermutation());
      padded = transposeOp.getInput();
    }
    auto pad = padded.getDefiningOp<tensor::PadOp>();
    if (!pad || !pad->hasOneUse())
      return rewriter.notifyMatchFailure(op, "input is not a tensor.pad");
    SemiringKind kind = op.getSemiring();
    auto amounts = zeroPadding(pad, kind);
    if (!amounts)
      return rewriter.notifyMatchFailure(op, "not a static pad with 𝟘");
    // NHWC dim i of the input is dim perm[i] of the pad.
    auto [low, high] = *amounts;
    if (low[perm[0]] || high[perm[0]] || low[perm[3]] || high[perm[3]])
      return rewriter.notifyMatchFailure(op, "pads batch or channels");
    ArrayRef<int64_t> old = op.getPadding();
    SmallVector<int64_t> padding = {
        old[0] + low[perm[1]], old[1] + low[perm[2]], old[2] + high[perm[1]],
        old[3] + high[perm[2]]};
    Value source = pad.getSource();
    if (transposeOp)
      source = transpose(rewriter, op.getLoc(), source, perm);
    rewriter.modifyOpInPlace(op, [&] {
      op.getInputMutable().assign(source);
      op.setPadding(padding);
    });
    return success();
  }
};

} // namespace

void trop::raise::populateRaiseWindowPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<RaiseConvGeneric, RaisePoolGeneric,
               RaisePooling<linalg::PoolingNhwcMaxOp, SemiringKind::MaxMin>,
               RaisePooling<linalg::PoolingNhwcMinOp, SemiringKind::MinMax>,
               FoldPadIntoConv<Conv2DOp>, FoldPadIntoConv<DepthwiseConv2DOp>>(
      ctx);
}
