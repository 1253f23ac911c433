//===- Raise.cpp - Raise linalg/arith IR to trop ops ----------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Front ends (torch-mlir, hand-written linalg) express a max-plus layer as a
// broadcast add followed by a max reduction, or, after elementwise fusion, as
// one linalg.generic with the body `max(out, a + b)`. These patterns recognise
// those forms, and maxout, and rewrite them into trop ops (pooling and the
// other sliding windows: RaiseWindow.cpp). Every rewrite is exact: the trop
// op computes the same values, NaN included, which is why only the IEEE
// `maximumf`/`minimumf` (or the `num` forms under fastmath<nnan>) and lattice
// integer ops are accepted.
//
//===----------------------------------------------------------------------===//

#include "RaiseCommon.h"

#include "trop/Dialect/Trop/IR/Semiring.h"
#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Utils/LayerMatch.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPRAISE
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;
using namespace mlir::trop::raise;

/// Classifies an arith op as one of the operations a semiring is made of
/// (Semiring.h's SemiringOp: max, min or plus), when trop's semantics of that
/// operation are exactly the op's: IEEE maximum/minimum (or the `num` forms
/// when NaN is excluded by fastmath<nnan>), signed integer max/min, i1 or/and,
/// and float addition. Integer addition wraps, unlike trop's saturating ⊗.
std::optional<SemiringOp> trop::raise::classify(Operation *op) {
  auto nnan = [](Operation *op) {
    auto fmf = op->getAttrOfType<arith::FastMathFlagsAttr>("fastmath");
    return fmf &&
           bitEnumContainsAll(fmf.getValue(), arith::FastMathFlags::nnan);
  };
  if (isa<arith::MaximumFOp, arith::MaxSIOp>(op) ||
      (isa<arith::MaxNumFOp>(op) && nnan(op)))
    return SemiringOp::Max;
  if (isa<arith::MinimumFOp, arith::MinSIOp>(op) ||
      (isa<arith::MinNumFOp>(op) && nnan(op)))
    return SemiringOp::Min;
  if (op->getNumOperands() == 2 && op->getOperand(0).getType().isInteger(1)) {
    if (isa<arith::OrIOp>(op))
      return SemiringOp::Max;
    if (isa<arith::AndIOp>(op))
      return SemiringOp::Min;
  }
  if (isa<arith::AddFOp>(op))
    return SemiringOp::Plus;
  return std::nullopt;
}

/// Whether `op` has exactly the operands {x, y}, in either order.
bool trop::raise::hasOperands(Operation *op, Value x, Value y) {
  return op->getNumOperands() == 2 &&
         ((op->getOperand(0) == x && op->getOperand(1) == y) ||
          (op->getOperand(0) == y && op->getOperand(1) == x));
}

/// For a body `yield f(x, y)` with one op, returns f.
static Operation *singleBinaryOp(Block &body, Value x, Value y) {
  if (body.getOperations().size() != 2)
    return nullptr;
  Operation *op = &body.front();
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!yield || yield.getNumOperands() != 1 ||
      yield.getOperand(0) != op->getResult(0) || !hasOperands(op, x, y))
    return nullptr;
  return op;
}

std::optional<Times> trop::raise::classifyTimes(Operation *op, Value x,
                                                Value y) {
  if (!hasOperands(op, x, y))
    return std::nullopt;
  if (isa<arith::SubFOp>(op))
    return Times{SemiringOp::Plus, op->getOperand(1) == x ? 0 : 1};
  std::optional<SemiringOp> kind = classify(op);
  if (!kind)
    return std::nullopt;
  return Times{*kind, -1};
}

std::optional<SemiringBody> trop::raise::matchSemiringBody(Block &body) {
  if (body.getNumArguments() != 3 || body.getOperations().size() != 3)
    return std::nullopt;
  Value argA = body.getArgument(0), argB = body.getArgument(1),
        argOut = body.getArgument(2);
  Operation *mul = &body.front();
  Operation *add = mul->getNextNode();
  auto yield = dyn_cast<linalg::YieldOp>(body.getTerminator());
  if (!hasOperands(add, mul->getResult(0), argOut) || !yield ||
      yield.getOperand(0) != add->getResult(0))
    return std::nullopt;
  std::optional<Times> times = classifyTimes(mul, argA, argB);
  std::optional<SemiringOp> addKind = classify(add);
  if (!times || !addKind)
    return std::nullopt;
  std::optional<SemiringKind> kind = getSemiringKind(*addKind, times->kind);
  if (!kind)
    return std::nullopt;
  return SemiringBody{*kind, times->negate};
}

std::optional<SemiringBody>
trop::raise::matchBinaryContraction(linalg::GenericOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  return matchSemiringBody(op.getRegion().front());
}

Value trop::raise::negate(PatternRewriter &rewriter, Location loc,
                          Value source) {
  auto type = cast<RankedTensorType>(source.getType());
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, source);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, sizes, type.getElementType());
  SmallVector<AffineMap> maps(2,
                              rewriter.getMultiDimIdentityMap(type.getRank()));
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  return linalg::GenericOp::create(
             rewriter, loc, TypeRange{type}, ValueRange{source},
             ValueRange{empty}, maps, iterators,
             [](OpBuilder &b, Location l, ValueRange args) {
               Value neg = arith::NegFOp::create(b, l, args[0]);
               linalg::YieldOp::create(b, l, neg);
             })
      .getResult(0);
}

/// Transposes a tensor with `permutation` (result dim i = source dim
/// permutation[i]).
Value trop::raise::transpose(PatternRewriter &rewriter, Location loc,
                             Value source, ArrayRef<int64_t> permutation) {
  if (llvm::equal(permutation, llvm::seq<int64_t>(0, permutation.size())))
    return source;
  SmallVector<OpFoldResult> sizes =
      tensor::getMixedSizes(rewriter, loc, source);
  SmallVector<OpFoldResult> permuted;
  for (int64_t p : permutation)
    permuted.push_back(sizes[p]);
  Value empty = tensor::EmptyOp::create(rewriter, loc, permuted,
                                        getElementTypeOrSelf(source.getType()));
  return linalg::TransposeOp::create(rewriter, loc, source, empty, permutation)
      ->getResult(0);
}

namespace {

/// A contraction `out[outMap] = out ⊕ (a[aMap] ⊗ b[bMap])` over loops with
/// exactly one reduction loop.
struct Contraction {
  SemiringKind kind;
  Value a, b, init;
  AffineMap aMap, bMap, outMap;
  unsigned reductionDim;
  /// The operand (0: a, 1: b) that ⊗ subtracts, -1 for none: a − b is
  /// a + (−b) exactly in IEEE arithmetic, so the subtrahend is negated.
  int negate = -1;
};

/// Positions of the dims of a projected-permutation map, or nothing.
static std::optional<SmallVector<unsigned>> dimsOf(AffineMap map) {
  if (!map.isProjectedPermutation(/*allowZeroInResults=*/false))
    return std::nullopt;
  SmallVector<unsigned> dims;
  for (AffineExpr e : map.getResults())
    dims.push_back(cast<AffineDimExpr>(e).getPosition());
  return dims;
}

/// Index of `dim` in `dims`.
static int64_t indexIn(ArrayRef<unsigned> dims, unsigned dim) {
  auto it = llvm::find(dims, dim);
  return it == dims.end() ? -1 : it - dims.begin();
}

/// Positions of `want` in `have` (same size), or nothing.
static std::optional<SmallVector<int64_t>>
permutationTo(ArrayRef<unsigned> have, ArrayRef<unsigned> want) {
  if (have.size() != want.size())
    return std::nullopt;
  SmallVector<int64_t> perm;
  for (unsigned d : want) {
    int64_t i = indexIn(have, d);
    if (i < 0)
      return std::nullopt;
    perm.push_back(i);
  }
  return perm;
}

/// `c` when one operand reads only the reduction loop k and one output loop
/// (the column: a weight) and the other reads k and every other output loop
/// (several row loops: a sequence batch, or unfold's patches × positions):
/// one trop.matmul on the row loops collapsed into one, the init and result
/// transposed and reshaped around it (exact: the same ⊕ of the same ⊗
/// terms). Fails without creating anything for another shape.
static FailureOr<Value> buildCollapsedContraction(PatternRewriter &rewriter,
                                                  Location loc,
                                                  const Contraction &c,
                                                  ArrayRef<unsigned> aDims,
                                                  ArrayRef<unsigned> bDims,
                                                  ArrayRef<unsigned> outDims) {
  Value a = c.a, b = c.b;
  bool negA = c.negate == 0, negB = c.negate == 1;
  SmallVector<unsigned> aD(aDims), bD(bDims);
  if (bD.size() != 2)
    std::swap(a, b), std::swap(aD, bD), std::swap(negA, negB);
  unsigned k = c.reductionDim;
  if (bD.size() != 2 || outDims.size() < 3)
    return failure();
  unsigned col = bD[0] == k ? bD[1] : bD[0];
  SmallVector<unsigned> rowsThenCol;
  for (unsigned d : outDims)
    if (d != col)
      rowsThenCol.push_back(d);
  SmallVector<unsigned> wantA(rowsThenCol);
  wantA.push_back(k);
  rowsThenCol.push_back(col);
  auto permA = permutationTo(aD, wantA);
  auto permB = permutationTo(bD, {k, col});
  auto permOut = permutationTo(outDims, rowsThenCol);
  if (!permA || !permB || !permOut)
    return failure();

  int64_t lead = outDims.size() - 1;
  SmallVector<ReassociationIndices> rows = {
      llvm::to_vector(llvm::seq<int64_t>(0, lead)), {lead}};
  if (negA)
    a = negate(rewriter, loc, a);
  if (negB)
    b = negate(rewriter, loc, b);
  Value lhs = tensor::CollapseShapeOp::create(
      rewriter, loc, transpose(rewriter, loc, a, *permA), rows);
  Value rhs = transpose(rewriter, loc, b, *permB);
  Value init = transpose(rewriter, loc, c.init, *permOut);
  Value flatInit = tensor::CollapseShapeOp::create(rewriter, loc, init, rows);
  Value product =
      MatmulOp::create(rewriter, loc, flatInit.getType(),
                       SemiringKindAttr::get(rewriter.getContext(), c.kind),
                       lhs, rhs, flatInit)
          .getResult();
  Value result = tensor::ExpandShapeOp::create(
      rewriter, loc, init.getType(), product, rows,
      tensor::getMixedSizes(rewriter, loc, init));
  SmallVector<int64_t> back(permOut->size());
  for (auto [i, p] : llvm::enumerate(*permOut))
    back[p] = i;
  return transpose(rewriter, loc, result, back);
}

/// Builds trop.matmul or trop.batch_matmul for `c`, transposing operands as
/// needed, and returns its result (or failure if `c` is not of that shape).
static FailureOr<Value> buildContraction(PatternRewriter &rewriter,
                                         Location loc, const Contraction &c) {
  Type elementType = getElementTypeOrSelf(c.init.getType());
  if (!isa<RankedTensorType>(c.init.getType()) ||
      !isa<RankedTensorType>(c.a.getType()) ||
      !isa<RankedTensorType>(c.b.getType()) ||
      getElementTypeOrSelf(c.a.getType()) != elementType ||
      getElementTypeOrSelf(c.b.getType()) != elementType ||
      !isSemiringCompatible(c.kind, elementType))
    return failure();
  auto aDims = dimsOf(c.aMap), bDims = dimsOf(c.bMap),
       outDims = dimsOf(c.outMap);
  if (!aDims || !bDims || !outDims)
    return failure();
  unsigned k = c.reductionDim;
  if (indexIn(*outDims, k) >= 0 || indexIn(*aDims, k) < 0 ||
      indexIn(*bDims, k) < 0)
    return failure();
  // Every parallel loop appears in the output.
  if (outDims->size() + 1 != c.outMap.getNumDims())
    return failure();
  // A weight read by one output loop only, the rest rows of the other.
  if (aDims->size() == 2 || bDims->size() == 2)
    if (FailureOr<Value> collapsed = buildCollapsedContraction(
            rewriter, loc, c, *aDims, *bDims, *outDims);
        succeeded(collapsed))
      return collapsed;

  bool batched = outDims->size() == 3;
  if (outDims->size() != 2 && !batched)
    return failure();
  unsigned batch = batched ? (*outDims)[0] : 0;
  unsigned row = (*outDims)[batched ? 1 : 0];
  unsigned col = (*outDims)[batched ? 2 : 1];
  Value a = c.a, b = c.b;
  bool negA = c.negate == 0, negB = c.negate == 1;
  SmallVector<unsigned> aD = *aDims, bD = *bDims;
  // ⊗ commutes: the operand holding the row loop is the left one.
  if (indexIn(aD, row) < 0)
    std::swap(a, b), std::swap(aD, bD), std::swap(negA, negB);
  SmallVector<unsigned> wantA = {row, k}, wantB = {k, col};
  if (batched) {
    wantA.insert(wantA.begin(), batch);
    wantB.insert(wantB.begin(), batch);
  }
  auto permA = permutationTo(aD, wantA), permB = permutationTo(bD, wantB);
  if (!permA || !permB)
    return failure();
  if (negA)
    a = negate(rewriter, loc, a);
  if (negB)
    b = negate(rewriter, loc, b);
  Value lhs = transpose(rewriter, loc, a, *permA);
  Value rhs = transpose(rewriter, loc, b, *permB);
  auto kindAttr = SemiringKindAttr::get(rewriter.getContext(), c.kind);
  if (batched)
    return BatchMatmulOp::create(rewriter, loc, c.init.getType(), kindAttr, lhs,
                                 rhs, c.init)
        .getResult();
  return MatmulOp::create(rewriter, loc, c.init.getType(), kindAttr, lhs, rhs,
                          c.init)
      .getResult();
}

/// The single reduction loop of a linalg op, if it has exactly one.
static std::optional<unsigned> singleReduction(linalg::LinalgOp op) {
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  if (reductions.size() != 1)
    return std::nullopt;
  return reductions.front();
}

/// `linalg.generic` with body `out ⊕ (a ⊗ b)` over one reduction loop.
struct RaiseContractionGeneric : public OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<SemiringBody> body = matchBinaryContraction(op);
    if (!body)
      return rewriter.notifyMatchFailure(op, "not out ⊕ (a ⊗ b)");
    std::optional<unsigned> k = singleReduction(op);
    if (!k)
      return rewriter.notifyMatchFailure(op, "needs one reduction loop");
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    Contraction c{body->kind,
                  op.getDpsInputs()[0],
                  op.getDpsInputs()[1],
                  op.getDpsInits()[0],
                  maps[0],
                  maps[1],
                  maps[2],
                  *k,
                  body->negate};
    FailureOr<Value> result = buildContraction(rewriter, op.getLoc(), c);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "not a (batch) matmul shape");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// A max/min reduction (linalg.reduce, or a generic with one reduction loop)
/// of one input, as `(kind of ⊕, reduced loop, input map, output map)`.
struct Reduction {
  SemiringOp kind;
  unsigned dim;
  AffineMap inputMap, outputMap;
};

static std::optional<Reduction> matchReduction(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics())
    return std::nullopt;
  std::optional<unsigned> dim = singleReduction(op);
  if (!dim)
    return std::nullopt;
  Block &body = op->getRegion(0).front();
  Operation *combine =
      singleBinaryOp(body, body.getArgument(0), body.getArgument(1));
  if (!combine)
    return std::nullopt;
  std::optional<SemiringOp> kind = classify(combine);
  if (!kind || *kind == SemiringOp::Plus)
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  return Reduction{*kind, *dim, maps[0], maps[1]};
}

/// `reduce_⊕(elementwise_⊗(a, b))`, the unfused broadcast form.
struct RaiseBroadcastReduce
    : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<Reduction> reduction = matchReduction(op);
    if (!reduction || !reduction->inputMap.isIdentity())
      return rewriter.notifyMatchFailure(op, "not an identity-input reduction");
    // Paper A's code appends the bias as one more column before the max:
    // reduce(concat(S, extra)) = reduce(extra) ⊕ reduce(S), so the extra
    // columns are reduced into the initial value first (⊕ is max or min:
    // associative, commutative and exact).
    Value input = op.getDpsInputs()[0];
    SmallVector<Value> extras;
    if (auto concat = input.getDefiningOp<tensor::ConcatOp>()) {
      if (concat.getDim() != reduction->dim || !concat->hasOneUse())
        return rewriter.notifyMatchFailure(op, "concat along another dim");
      Value main;
      for (Value operand : concat.getInputs()) {
        auto generic = operand.getDefiningOp<linalg::GenericOp>();
        if (!main && generic && generic.getNumDpsInputs() == 2)
          main = operand;
        else
          extras.push_back(operand);
      }
      if (!main)
        return rewriter.notifyMatchFailure(op, "no elementwise ⊗ operand");
      input = main;
    }
    // The broadcast may feed several reductions (DEP's max and min of one
    // x + W): each is raised, and the broadcast then has no user left.
    auto producer = input.getDefiningOp<linalg::GenericOp>();
    auto isReduction = [](Operation *user) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(user);
      return linalgOp && matchReduction(linalgOp);
    };
    if (!producer ||
        !(producer->hasOneUse() ||
          llvm::all_of(producer->getUsers(), isReduction)) ||
        producer.getNumDpsInputs() != 2 || producer.getNumDpsInits() != 1 ||
        producer.getNumParallelLoops() != producer.getNumLoops() ||
        !producer.getIndexingMapsArray()[2].isIdentity())
      return rewriter.notifyMatchFailure(op, "input is not an elementwise op");
    Block &body = producer.getRegion().front();
    Operation *mul =
        singleBinaryOp(body, body.getArgument(0), body.getArgument(1));
    if (!mul)
      return rewriter.notifyMatchFailure(op, "producer is not binary");
    std::optional<Times> times =
        classifyTimes(mul, body.getArgument(0), body.getArgument(1));
    if (!times)
      return rewriter.notifyMatchFailure(op, "producer is not ⊗");
    std::optional<SemiringKind> kind =
        getSemiringKind(reduction->kind, times->kind);
    if (!kind)
      return rewriter.notifyMatchFailure(op, "not a trop semiring");
    Value init = op.getDpsInits()[0];
    for (Value extra : extras) {
      IRMapping mapping;
      mapping.map(op.getDpsInputs()[0], extra);
      mapping.map(op.getDpsInits()[0], init);
      init = rewriter.clone(*op, mapping)->getResult(0);
    }
    SmallVector<AffineMap> maps = producer.getIndexingMapsArray();
    Contraction c{*kind,
                  producer.getDpsInputs()[0],
                  producer.getDpsInputs()[1],
                  init,
                  maps[0],
                  maps[1],
                  reduction->outputMap,
                  reduction->dim,
                  times->negate};
    FailureOr<Value> result = buildContraction(rewriter, op.getLoc(), c);
    if (failed(result))
      return rewriter.notifyMatchFailure(op, "not a (batch) matmul shape");
    rewriter.replaceOp(op, *result);
    return success();
  }
};

/// `reduce_max(expand_shape(x : ...×(G·k) → ...×G×k))` over the last loop.
struct RaiseMaxout : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    std::optional<Reduction> reduction = matchReduction(op);
    if (!reduction || reduction->kind != SemiringOp::Max ||
        !reduction->inputMap.isIdentity())
      return rewriter.notifyMatchFailure(op, "not a max reduction");
    auto expand = op.getDpsInputs()[0].getDefiningOp<tensor::ExpandShapeOp>();
    if (!expand)
      return rewriter.notifyMatchFailure(op, "input is not expand_shape");
    auto type = cast<RankedTensorType>(expand.getType());
    int64_t rank = type.getRank();
    SmallVector<ReassociationIndices> reassociation =
        expand.getReassociationIndices();
    // Leading dims kept, the last source dim split into the last two.
    if (rank < 2 || reduction->dim != rank - 1 ||
        reassociation.size() != static_cast<size_t>(rank - 1) ||
        reassociation.back() != ReassociationIndices{rank - 2, rank - 1} ||
        ShapedType::isDynamic(type.getDimSize(rank - 1)))
      return rewriter.notifyMatchFailure(op, "not a channel split");
    for (int64_t d = 0; d + 2 < rank; ++d)
      if (reassociation[d] != ReassociationIndices{d})
        return rewriter.notifyMatchFailure(op, "not a channel split");
    // The output keeps every loop but the reduced one, in order.
    if (reduction->outputMap !=
        AffineMap::getMultiDimIdentityMap(rank, op.getContext())
            .getMajorSubMap(rank - 1))
      return rewriter.notifyMatchFailure(op, "output is not the group dims");
    Value init = op.getDpsInits()[0];
    if (getElementTypeOrSelf(init.getType()) !=
            getElementTypeOrSelf(expand.getSrc().getType()) ||
        !isSupportedElementType(getElementTypeOrSelf(init.getType())))
      return rewriter.notifyMatchFailure(op, "unsupported element type");
    auto maxout =
        MaxoutOp::create(rewriter, op.getLoc(), init.getType(),
                         rewriter.getI64IntegerAttr(type.getDimSize(rank - 1)),
                         expand.getSrc(), init);
    rewriter.replaceOp(op, maxout.getResult());
    return success();
  }
};

/// Whether `input` of the elementwise `op` is, through the identity map, the
/// only use of a trop op's result whose ⊕ (max or min) is `kind`.
static bool readsLatticeResult(linalg::LinalgOp op, OpOperand &input,
                               SemiringOp kind) {
  Operation *trop = input.get().getDefiningOp();
  if (!isa_and_present<TropOpInterface>(trop) || !trop->hasOneUse() ||
      trop->getNumResults() != 1 ||
      !op.getMatchingIndexingMap(&input).isIdentity())
    return false;
  auto kindAttr = trop->getAttrOfType<SemiringKindAttr>("semiring");
  if (kindAttr)
    return getAddOp(kindAttr.getValue()) == kind;
  return isa<MaxoutOp>(trop) && kind == SemiringOp::Max;
}

/// An elementwise max (or min) of a max- (or min-) semiring trop op's result
/// and values that do not depend on it — a ReLU max(S, 0) (in any form that
/// is bit for bit `arith.maximumf(S, +0)`, LayerMatch.h's exact ReLUs), a
/// bias applied as a separate `maximum`, as paper code writes
/// `torch.max(xw.max(-1), b)` — folds into the op's initial value:
/// max(max(C, S), B) = max(max(C, B), S), since IEEE maximum (and minimum)
/// is associative and commutative, NaN and ±0 included.
struct FoldLatticeIntoInit
    : public OpInterfaceRewritePattern<linalg::LinalgOp> {
  using OpInterfaceRewritePattern::OpInterfaceRewritePattern;
  LogicalResult matchAndRewrite(linalg::LinalgOp op,
                                PatternRewriter &rewriter) const override {
    if (!isa<linalg::GenericOp, linalg::MaxOp, linalg::MinOp>(op) ||
        op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
        op.getNumParallelLoops() != op.getNumLoops() ||
        !op.getIndexingMapsArray().back().isIdentity())
      return rewriter.notifyMatchFailure(op, "not elementwise");
    Block &body = op->getRegion(0).front();
    auto yield = cast<linalg::YieldOp>(body.getTerminator());
    if (yield.getNumOperands() != 1 ||
        !body.getArgument(body.getNumArguments() - 1).use_empty())
      return rewriter.notifyMatchFailure(op, "reads its output");
    // The combining op and the body argument of the trop op's result.
    Value result = yield.getOperand(0);
    SmallVector<Operation *> combine;
    Value stream;
    SemiringOp kind;
    if (std::optional<ReluMatch> relu = matchRelu(result);
        relu && relu->exact && isa<BlockArgument>(relu->input)) {
      kind = SemiringOp::Max;
      stream = relu->input;
      combine.push_back(result.getDefiningOp());
      if (auto select = result.getDefiningOp<arith::SelectOp>())
        combine.push_back(select.getCondition().getDefiningOp());
    } else {
      Operation *def = result.getDefiningOp();
      std::optional<SemiringOp> k = def ? classify(def) : std::nullopt;
      if (!k || *k == SemiringOp::Plus || def->getNumOperands() != 2)
        return rewriter.notifyMatchFailure(op, "not a max/min");
      kind = *k;
      combine.push_back(def);
      for (Value operand : def->getOperands())
        if (auto arg = dyn_cast<BlockArgument>(operand);
            arg && arg.getOwner() == &body &&
            readsLatticeResult(op, op->getOpOperand(arg.getArgNumber()), kind))
          stream = arg;
    }
    auto arg = dyn_cast_or_null<BlockArgument>(stream);
    if (!arg || arg.getOwner() != &body ||
        arg.getArgNumber() >= op.getNumDpsInputs())
      return rewriter.notifyMatchFailure(op, "no trop op operand");
    OpOperand &input = op->getOpOperand(arg.getArgNumber());
    if (!readsLatticeResult(op, input, kind))
      return rewriter.notifyMatchFailure(op, "not the trop op's ⊕");
    // Only the combining op reads the trop op's value, so the rest of the
    // body computes B from the other operands alone.
    if (!llvm::all_of(arg.getUsers(), [&](Operation *user) {
          return llvm::is_contained(combine, user);
        }))
      return rewriter.notifyMatchFailure(op, "B depends on the trop op");
    Operation *trop = input.get().getDefiningOp();
    DominanceInfo dominance(trop->getParentOp());
    for (OpOperand &other : op->getOpOperands())
      if (&other != &input && other.getOperandNumber() < op.getNumDpsInputs() &&
          !dominance.properlyDominates(other.get(), trop))
        return rewriter.notifyMatchFailure(op, "B is computed after the op");

    // max(C, B) with the op's own body, then the trop op on it.
    OpOperand &initOperand = trop->getOpOperand(trop->getNumOperands() - 1);
    rewriter.setInsertionPoint(trop);
    IRMapping mapping;
    mapping.map(input.get(), initOperand.get());
    mapping.map(op.getDpsInits()[0], initOperand.get());
    Operation *newInit = rewriter.clone(*op, mapping);
    rewriter.modifyOpInPlace(trop,
                             [&] { initOperand.set(newInit->getResult(0)); });
    rewriter.replaceOp(op, trop->getResult(0));
    return success();
  }
};

struct TropRaisePass : public trop::impl::TropRaiseBase<TropRaisePass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateTropRaisePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void trop::populateTropRaisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<RaiseContractionGeneric>(ctx);
  patterns.add<RaiseBroadcastReduce, RaiseMaxout, FoldLatticeIntoInit>(ctx);
  raise::populateRaiseWindowPatterns(patterns);
}
