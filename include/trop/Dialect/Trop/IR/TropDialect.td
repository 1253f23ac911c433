//===- TropDialect.td - The trop dialect -------------------*- tablegen -*-===//
//
// Part of the trop project: a compiler for tropical and morphological
// neural networks.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPDIALECT_TD
#define TROP_DIALECT_TROP_IR_TROPDIALECT_TD

include "mlir/IR/OpBase.td"

def Trop_Dialect : Dialect {
  let name = "trop";
  let cppNamespace = "::mlir::trop";
  let summary = "Tropical (max-plus, min-plus, max-min, min-max) contractions";
  let description = [{
    The `trop` dialect models the contractions of tropical and morphological
    neural networks: max-plus and min-plus matrix products (morphological
    dilation and erosion layers), their batched and convolutional forms,
    binary morphology through the `max_min`/`min_max` semirings on `i1`, and
    maxout.

    Every op is a contraction over a semiring `(⊕, ⊗, 𝟘, 𝟙)` named by the
    `#trop.semiring<...>` attribute:

    | semiring   | ⊕   | ⊗   | 𝟘   | 𝟙   |
    |------------|-----|-----|-----|-----|
    | `max_plus` | max | +   | −∞  | 0   |
    | `min_plus` | min | +   | +∞  | 0   |
    | `max_min`  | max | min | −∞  | +∞  |
    | `min_max`  | min | max | +∞  | −∞  |

    Ops are in destination-passing style, like linalg named ops: the `outs`
    operand is the initial value of the accumulator, so a bias is passed by
    initialising the destination with it (`C = C ⊕ A ⊗ B`). They work on
    ranked tensors (and then return one result) and on memrefs (and then
    write the destination in place).

    Element types: `f16`, `bf16`, `f32`, `f64`, `i8`, `i16`, `i32`, and `i1`
    for `max_min`/`min_max` (binary dilation and erosion). On integers, 𝟘 is
    the type's minimum (`max_*`) or maximum (`min_*`) value and absorbs under
    ⊗; sums saturate to the type's range. See `docs/semantics.md` for the
    full contract, including NaN and infinities.
  }];
  let useDefaultAttributePrinterParser = 1;
}

#endif // TROP_DIALECT_TROP_IR_TROPDIALECT_TD
