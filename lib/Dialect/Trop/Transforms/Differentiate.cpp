//===- Differentiate.cpp - Backward functions of trop networks ------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// --trop-differentiate and buildBackwardFunction: reverse-mode
// differentiation of a function of trop contractions on tensors. The
// backward recomputes the forward with the winners variant of each
// contraction (TropTrainingOps.td), the only extra state the backward of a
// max or min needs, then routes the gradients back through the routing ops
// in reverse order. The tie rule is the winners' (`first`).
//
//===----------------------------------------------------------------------===//

#include "trop/Dialect/Trop/IR/TropOps.h"
#include "trop/Dialect/Trop/Transforms/Passes.h"
#include "trop/Dialect/Trop/Transforms/Transforms.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_TROPDIFFERENTIATE
#include "trop/Dialect/Trop/Transforms/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;
using namespace mlir::trop;

namespace {

/// How a forward contraction is differentiated: its winners op and routing
/// op (same attributes, less the semiring for the routing), and how many of
/// its leading operands are differentiable inputs; the next operand is its
/// initial value.
struct Rule {
  StringRef winners, route;
  unsigned numInputs;
};

std::optional<Rule> ruleFor(Operation *op) {
  return llvm::TypeSwitch<Operation *, std::optional<Rule>>(op)
      .Case([](MatmulOp) {
        return Rule{MatmulWinnersOp::getOperationName(),
                    RouteToWinnersOp::getOperationName(), 2};
      })
      .Case([](BatchMatmulOp) {
        return Rule{BatchMatmulWinnersOp::getOperationName(),
                    RouteBatchMatmulToWinnersOp::getOperationName(), 2};
      })
      .Case([](Conv2DOp) {
        return Rule{Conv2DWinnersOp::getOperationName(),
                    RouteConv2DToWinnersOp::getOperationName(), 2};
      })
      .Case([](DepthwiseConv2DOp) {
        return Rule{DepthwiseConv2DWinnersOp::getOperationName(),
                    RouteDepthwiseConv2DToWinnersOp::getOperationName(), 2};
      })
      .Case([](MaxoutOp) {
        return Rule{MaxoutWinnersOp::getOperationName(),
                    RouteMaxoutToWinnersOp::getOperationName(), 1};
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// A tensor shaped like `like` with element type `elementType`, filled
/// with `value`.
Value filledLike(OpBuilder &b, Location loc, Value like, Type elementType,
                 TypedAttr value) {
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, like), elementType);
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, scalar, empty).getResult(0);
}

Value zerosLike(OpBuilder &b, Location loc, Value like) {
  Type elementType = cast<RankedTensorType>(like.getType()).getElementType();
  return filledLike(b, loc, like, elementType,
                    b.getFloatAttr(elementType, 0.0));
}

/// A forward contraction recomputed with winners, for the reverse walk.
struct Recorded {
  Operation *winnersOp;
  Rule rule;
};

class BackwardBuilder {
public:
  BackwardBuilder(func::FuncOp forward) : forward(forward) {}

  FailureOr<func::FuncOp> build();

private:
  LogicalResult recompute(OpBuilder &b, Operation *op);
  LogicalResult backward(OpBuilder &b, Operation *op);
  void accumulate(OpBuilder &b, Location loc, Value value, Value grad);
  Value gradientOfInit(OpBuilder &b, Location loc, Value grad, Value winners);

  func::FuncOp forward;
  IRMapping mapping;
  DenseMap<Operation *, Recorded> recorded;
  DenseMap<Value, Value> grads;
};

/// The winners op of `op` on the mapped operands, the winners starting at
/// −1 (so that the initial value's wins are told apart).
LogicalResult BackwardBuilder::recompute(OpBuilder &b, Operation *op) {
  std::optional<Rule> rule = ruleFor(op);
  if (!rule) {
    b.clone(*op, mapping);
    return success();
  }
  Location loc = op->getLoc();
  if (op->getNumResults() != 1)
    return op->emitOpError("trop-differentiate: expected tensor operands");
  auto semiring = op->getAttrOfType<SemiringKindAttr>("semiring");
  if (semiring && semiring.getValue() != SemiringKind::MaxPlus &&
      semiring.getValue() != SemiringKind::MinPlus)
    return op->emitOpError("trop-differentiate: only max_plus and min_plus "
                           "are differentiated");
  Value result = op->getResult(0);
  if (!isa<FloatType>(getElementTypeOrSelf(result.getType())))
    return op->emitOpError("trop-differentiate: expected float tensors");
  Value init = mapping.lookup(op->getOperand(rule->numInputs));
  Value winners =
      filledLike(b, loc, init, b.getI64Type(), b.getI64IntegerAttr(-1));
  OperationState state(loc, rule->winners);
  for (Value operand : op->getOperands())
    state.addOperands(mapping.lookup(operand));
  state.addOperands(winners);
  state.addAttributes(op->getAttrs());
  state.addTypes({init.getType(), winners.getType()});
  Operation *winnersOp = b.create(state);
  mapping.map(result, winnersOp->getResult(0));
  recorded[winnersOp] = {winnersOp, *rule};
  return success();
}

void BackwardBuilder::accumulate(OpBuilder &b, Location loc, Value value,
                                 Value grad) {
  auto it = grads.find(value);
  if (it == grads.end()) {
    grads[value] = grad;
    return;
  }
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, grad),
      cast<RankedTensorType>(grad.getType()).getElementType());
  it->second = linalg::AddOp::create(b, loc, ValueRange{it->second, grad},
                                     ValueRange{empty})
                   .getResult(0);
}

/// The gradient of a contraction's initial value: `grad` where the initial
/// value won (the winner kept its −1), 0 elsewhere.
Value BackwardBuilder::gradientOfInit(OpBuilder &b, Location loc, Value grad,
                                      Value winners) {
  auto type = cast<RankedTensorType>(grad.getType());
  AffineMap id = b.getMultiDimIdentityMap(type.getRank());
  SmallVector<utils::IteratorType> iterators(type.getRank(),
                                             utils::IteratorType::parallel);
  Value empty = tensor::EmptyOp::create(
      b, loc, tensor::getMixedSizes(b, loc, grad), type.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{grad, winners}, ValueRange{empty},
      SmallVector<AffineMap>{id, id, id}, iterators,
      [&](OpBuilder &nb, Location loc, ValueRange args) {
        Value won =
            arith::CmpIOp::create(nb, loc, arith::CmpIPredicate::slt, args[1],
                                  arith::ConstantIntOp::create(nb, loc, 0, 64));
        Value zero = arith::ConstantOp::create(
            nb, loc, nb.getFloatAttr(type.getElementType(), 0.0));
        linalg::YieldOp::create(
            nb, loc,
            ValueRange{arith::SelectOp::create(nb, loc, won, args[0], zero)});
      });
  return generic.getResult(0);
}

LogicalResult BackwardBuilder::backward(OpBuilder &b, Operation *op) {
  Location loc = op->getLoc();
  Value grad;
  for (Value result : op->getResults())
    if (Value g = grads.lookup(result)) {
      if (grad)
        return op->emitOpError("trop-differentiate: more than one result "
                               "with a gradient is not supported");
      grad = g;
    }
  if (!grad)
    return success();
  if (auto it = recorded.find(op); it != recorded.end()) {
    const Rule &rule = it->second.rule;
    Value winners = op->getResult(1);
    OperationState state(loc, rule.route);
    state.addOperands({grad, winners});
    SmallVector<Value> inputs(op->getOperands().take_front(rule.numInputs));
    for (Value input : inputs) {
      Value zeros = zerosLike(b, loc, input);
      state.addOperands(zeros);
      state.addTypes(zeros.getType());
    }
    for (NamedAttribute attr : op->getAttrs())
      if (attr.getName() != "semiring")
        state.addAttribute(attr.getName(), attr.getValue());
    Operation *route = b.create(state);
    for (auto [input, inputGrad] : llvm::zip(inputs, route->getResults()))
      accumulate(b, loc, input, inputGrad);
    accumulate(b, loc, op->getOperand(rule.numInputs),
               gradientOfInit(b, loc, grad, winners));
    return success();
  }
  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](linalg::BroadcastOp broadcast) {
        Value input = broadcast.getInput();
        auto reduce = linalg::ReduceOp::create(
            b, loc, ValueRange{grad}, ValueRange{zerosLike(b, loc, input)},
            broadcast.getDimensions(),
            [](OpBuilder &nb, Location loc, ValueRange args) {
              linalg::YieldOp::create(
                  nb, loc,
                  ValueRange{arith::AddFOp::create(nb, loc, args[1], args[0])});
            });
        accumulate(b, loc, input, reduce.getResult(0));
        return success();
      })
      .Case([&](linalg::AddOp add) {
        for (Value input : add.getInputs())
          accumulate(b, loc, input, grad);
        return success();
      })
      .Case<linalg::FillOp, tensor::EmptyOp, arith::ConstantOp>(
          [](Operation *) { return success(); })
      .Default([&](Operation *other) {
        return other->emitOpError(
            "trop-differentiate: cannot differentiate through this op");
      });
}

FailureOr<func::FuncOp> BackwardBuilder::build() {
  FunctionType type = forward.getFunctionType();
  if (type.getNumResults() != 1 || !isa<RankedTensorType>(type.getResult(0)))
    return forward.emitOpError(
        "trop-differentiate: expected one ranked tensor result");
  for (Type input : type.getInputs())
    if (!isa<FloatType>(getElementTypeOrSelf(input)) ||
        !isa<RankedTensorType>(input))
      return forward.emitOpError("trop-differentiate: expected float ranked "
                                 "tensor arguments, but got ")
             << input;
  std::string name = (forward.getSymName() + "_backward").str();
  auto module = forward->getParentOfType<ModuleOp>();
  if (module && module.lookupSymbol(name))
    return forward.emitOpError("trop-differentiate: '")
           << name << "' already exists";
  if (!llvm::hasSingleElement(forward.getBody()))
    return forward.emitOpError("trop-differentiate: expected one block");

  SmallVector<Type> inputs(type.getInputs());
  inputs.push_back(type.getResult(0));
  OpBuilder b(forward->getContext());
  b.setInsertionPointAfter(forward);
  auto backwardFn = func::FuncOp::create(
      b, forward.getLoc(), name, b.getFunctionType(inputs, type.getInputs()));
  Block *body = backwardFn.addEntryBlock();
  b.setInsertionPointToStart(body);
  Block &forwardBody = forward.getBody().front();
  for (auto [from, to] :
       llvm::zip(forwardBody.getArguments(), body->getArguments()))
    mapping.map(from, to);

  // Forward again, with winners.
  for (Operation &op : forwardBody.without_terminator()) {
    if (failed(recompute(b, &op))) {
      backwardFn.erase();
      return failure();
    }
  }
  // Backward, in reverse order of the recomputed ops.
  auto returnOp = cast<func::ReturnOp>(forwardBody.getTerminator());
  grads[mapping.lookup(returnOp.getOperand(0))] = body->getArguments().back();
  SmallVector<Operation *> recomputed;
  for (Operation &op : *body)
    recomputed.push_back(&op);
  for (Operation *op : llvm::reverse(recomputed))
    if (failed(backward(b, op))) {
      backwardFn.erase();
      return failure();
    }
  SmallVector<Value> results;
  for (BlockArgument arg : body->getArguments().drop_back()) {
    Value g = grads.lookup(arg);
    results.push_back(g ? g : zerosLike(b, forward.getLoc(), arg));
  }
  func::ReturnOp::create(b, forward.getLoc(), results);
  return backwardFn;
}

struct TropDifferentiatePass
    : public trop::impl::TropDifferentiateBase<TropDifferentiatePass> {
  using Base::Base;
  void runOnOperation() override {
    SmallVector<func::FuncOp> functions;
    for (auto fn : getOperation().getOps<func::FuncOp>()) {
      if (fn.isExternal() || fn.getSymName().ends_with("_backward"))
        continue;
      bool hasContraction = false;
      fn.walk(
          [&](Operation *op) { hasContraction |= ruleFor(op).has_value(); });
      if (hasContraction)
        functions.push_back(fn);
    }
    for (func::FuncOp fn : functions)
      if (failed(buildBackwardFunction(fn)))
        return signalPassFailure();
  }
};

} // namespace

FailureOr<func::FuncOp> trop::buildBackwardFunction(func::FuncOp forward) {
  return BackwardBuilder(forward).build();
}
