//===- Passes.td - trop conversion passes ------------------*- tablegen -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_PASSES_TD
#define TROP_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def NaNModeOptionValues {
  string values = [{::llvm::cl::values(
    clEnumValN(::mlir::trop::NaNMode::Propagate, "propagate",
      "IEEE maximum/minimum: a NaN operand gives NaN (arith.maximumf)"),
    clEnumValN(::mlir::trop::NaNMode::AssumeNone, "assume-none",
      "inputs are NaN-free: one vmaxps-style instruction per max "
      "(arith.maxnumf with fastmath<nnan>)"))}];
}

def ConvertTropToLinalg : Pass<"trop-to-linalg"> {
  let summary = "Lower trop ops to linalg.generic: the reference lowering";
  let description = [{
    Rewrites every trop op, on tensors or on memrefs, into a single
    `linalg.generic` whose body computes `c ⊕ (a ⊗ b)` with the arith ops the
    semiring helper (`trop/Dialect/Trop/IR/Semiring.h`) builds. This is the
    correctness oracle that every faster lowering is compared with, so it
    favours obviousness over speed: integer `_plus` products are computed in
    twice the width, clamped and made 𝟘-absorbing with a select.

    Convolution padding is materialised: on tensors with `tensor.pad` (the
    padding value is the semiring's 𝟘), on memrefs with a temporary buffer
    filled with 𝟘. Like the allocations of one-shot bufferization, that
    buffer is freed by the buffer deallocation pipeline that follows
    (`--trop-reference-pipeline` runs it). An op whose iteration space is
    statically empty becomes its destination.

    Example:

    ```mlir
    %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>)
                                outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
    ```

    becomes

    ```mlir
    %r = linalg.generic {indexing_maps = [(i, j, k) -> (i, k), (i, j, k) -> (k, j), (i, j, k) -> (i, j)],
                         iterator_types = ["parallel", "parallel", "reduction"]}
        ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) {
    ^bb0(%x: f32, %y: f32, %acc: f32):
      %s = arith.addf %x, %y : f32
      %m = arith.maximumf %acc, %s : f32
      linalg.yield %m : f32
    } -> tensor<4x2xf32>
    ```
  }];
  let options = [
    Option<"nanMode", "nan-mode", "::mlir::trop::NaNMode",
           "::mlir::trop::NaNMode::Propagate",
           "How float max/min treat NaN", NaNModeOptionValues.values>,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // TROP_CONVERSION_PASSES_TD
