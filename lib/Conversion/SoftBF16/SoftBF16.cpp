//===- SoftBF16.cpp - bf16 arithmetic with software rounding --------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/SoftBF16/SoftBF16.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/DialectConversion.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir {
namespace trop {
#define GEN_PASS_DEF_SOFTBF16
#include "trop/Conversion/Passes.h.inc"
} // namespace trop
} // namespace mlir

using namespace mlir;

namespace {
struct SoftBF16Pass : public trop::impl::SoftBF16Base<SoftBF16Pass> {
  using Base::Base;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // bf16 arith ops -> f32 ops between extf and truncf (upstream's
    // emulation, which keeps the ops' shapes: vectors stay vectors).
    Type bf16 = BFloat16Type::get(ctx);
    Type f32 = Float32Type::get(ctx);
    TypeConverter converter;
    arith::populateEmulateUnsupportedFloatsConversions(converter, {bf16}, f32);
    RewritePatternSet emulation(ctx);
    arith::populateEmulateUnsupportedFloatsPatterns(emulation, converter);
    ConversionTarget target(*ctx);
    arith::populateEmulateUnsupportedFloatsLegality(target, converter);
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(emulation))))
      return signalPassFailure();

    // extf/truncf between bf16 and f32 -> integer arithmetic.
    RewritePatternSet expansion(ctx);
    arith::populateExpandBFloat16Patterns(expansion);
    if (failed(applyPatternsGreedily(getOperation(), std::move(expansion))))
      return signalPassFailure();
  }
};
} // namespace
