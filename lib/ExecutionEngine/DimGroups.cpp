//===- DimGroups.cpp - Dynamic argument sizes an entry needs equal --------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A function with dynamic argument sizes trusts its caller: the rows of `x`
// and of the destination of a matmul on `x` must agree, or the compiled
// loops read and write out of bounds. The runners bind those sizes from the
// arrays of each call, so they check them first. This finds which argument
// sizes the ops tie together: the entry, reduced to linalg by the reference
// lowering (so that every trop op says through its indexing maps which
// operand dimensions share a loop), is walked once, joining the sizes that
// an op's indexing maps, its destinations, elementwise operands, casts and
// `tensor.empty` sizes read with `tensor.dim` make equal. What it cannot see
// (sizes tied through reshapes or calls) it does not check.
//
//===----------------------------------------------------------------------===//

#include "DimGroups.h"
#include "trop/Conversion/TropToLinalg/TropToLinalg.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/MapVector.h"

using namespace mlir;
using namespace mlir::trop;

namespace {
/// Union-find over the sizes of the function's shaped values.
class SizeClasses {
public:
  /// The node of dimension `dim` of `value` (a ranked tensor or memref).
  unsigned node(Value value, unsigned dim) {
    auto [it, inserted] = nodes.try_emplace({value, dim}, parent.size());
    if (inserted) {
      parent.push_back(parent.size());
      int64_t size = cast<ShapedType>(value.getType()).getDimSize(dim);
      staticSize.push_back(ShapedType::isDynamic(size)
                               ? std::nullopt
                               : std::optional<int64_t>(size));
    }
    return it->second;
  }
  /// A node that belongs to no value (a loop of an op).
  unsigned freshNode() {
    parent.push_back(parent.size());
    staticSize.push_back(std::nullopt);
    return parent.size() - 1;
  }
  unsigned find(unsigned node) {
    while (parent[node] != node)
      node = parent[node] = parent[parent[node]];
    return node;
  }
  void join(unsigned a, unsigned b) {
    a = find(a);
    b = find(b);
    if (a == b)
      return;
    parent[b] = a;
    if (!staticSize[a])
      staticSize[a] = staticSize[b];
  }
  /// Joins the sizes of two values of one rank, dimension by dimension.
  void joinShapes(Value a, Value b) {
    auto ta = dyn_cast<ShapedType>(a.getType());
    auto tb = dyn_cast<ShapedType>(b.getType());
    if (!ta || !tb || !ta.hasRank() || !tb.hasRank() ||
        ta.getRank() != tb.getRank())
      return;
    for (unsigned d = 0, e = ta.getRank(); d < e; ++d)
      join(node(a, d), node(b, d));
  }
  std::optional<int64_t> getStaticSize(unsigned node) {
    return staticSize[find(node)];
  }

private:
  llvm::DenseMap<std::pair<Value, unsigned>, unsigned> nodes;
  llvm::SmallVector<unsigned> parent;
  llvm::SmallVector<std::optional<int64_t>> staticSize;
};
} // namespace

static bool isRankedShaped(Type type) {
  return isa<RankedTensorType, MemRefType>(type);
}

/// Joins what `op` says about the sizes of its operands and results.
static void visit(Operation *op, SizeClasses &classes) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    llvm::SmallVector<unsigned> loops;
    for (unsigned i = 0, e = linalgOp.getNumLoops(); i < e; ++i)
      loops.push_back(classes.freshNode());
    for (OpOperand &operand : op->getOpOperands()) {
      if (!isRankedShaped(operand.get().getType()))
        continue;
      AffineMap map = linalgOp.getMatchingIndexingMap(&operand);
      for (auto [dim, expr] : llvm::enumerate(map.getResults()))
        if (auto loop = dyn_cast<AffineDimExpr>(expr))
          classes.join(classes.node(operand.get(), dim),
                       loops[loop.getPosition()]);
    }
  }
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(op)) {
    for (OpResult result : op->getResults())
      if (isRankedShaped(result.getType()))
        classes.joinShapes(result, dps.getTiedOpOperand(result)->get());
    return;
  }
  if (op->hasTrait<OpTrait::Elementwise>() || isa<tensor::CastOp>(op)) {
    Value first;
    for (Value value : llvm::concat<Value>(op->getOperands(), op->getResults()))
      if (isRankedShaped(value.getType())) {
        if (first)
          classes.joinShapes(first, value);
        else
          first = value;
      }
    return;
  }
  if (auto empty = dyn_cast<tensor::EmptyOp>(op)) {
    for (unsigned d = 0, e = empty.getType().getRank(); d < e; ++d) {
      if (!empty.getType().isDynamicDim(d))
        continue;
      auto dimOp = empty.getDynamicSize(d).getDefiningOp<tensor::DimOp>();
      APInt index;
      if (dimOp && isRankedShaped(dimOp.getSource().getType()) &&
          matchPattern(dimOp.getIndex(), m_ConstantInt(&index)))
        classes.join(classes.node(empty.getResult(), d),
                     classes.node(dimOp.getSource(), index.getZExtValue()));
    }
  }
}

llvm::SmallVector<DimGroup> trop::findDimGroups(func::FuncOp func) {
  llvm::SmallVector<DimGroup> groups;
  bool anyDynamic = llvm::any_of(func.getArgumentTypes(), [](Type type) {
    auto shaped = dyn_cast<ShapedType>(type);
    return shaped && shaped.hasRank() && !shaped.hasStaticShape();
  });
  if (!anyDynamic || func.isExternal())
    return groups;
  // The reference lowering of a copy; its diagnostics are not the user's
  // concern (a function it cannot lower is simply not checked).
  MLIRContext *context = func.getContext();
  OwningOpRef<ModuleOp> copy = ModuleOp::create(func.getLoc());
  auto cloned = cast<func::FuncOp>(func->clone());
  copy->push_back(cloned);
  PassManager pm = PassManager::on<ModuleOp>(context);
  pm.addPass(createConvertTropToLinalg());
  {
    ScopedDiagnosticHandler silence(context,
                                    [](Diagnostic &) { return success(); });
    if (failed(pm.run(*copy)))
      return groups;
  }
  SizeClasses classes;
  cloned.walk([&](Operation *op) { visit(op, classes); });
  llvm::MapVector<unsigned, DimGroup> byClass;
  for (auto [index, arg] : llvm::enumerate(cloned.getArguments())) {
    auto shaped = dyn_cast<ShapedType>(arg.getType());
    if (!shaped || !isRankedShaped(shaped))
      continue;
    for (unsigned d = 0, e = shaped.getRank(); d < e; ++d) {
      if (!shaped.isDynamicDim(d))
        continue;
      unsigned node = classes.node(arg, d);
      DimGroup &group = byClass[classes.find(node)];
      group.dims.push_back({static_cast<unsigned>(index), d});
      group.size = classes.getStaticSize(node);
    }
  }
  for (auto &entry : byClass)
    if (entry.second.dims.size() > 1 || entry.second.size)
      groups.push_back(std::move(entry.second));
  return groups;
}
