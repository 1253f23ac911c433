//===- TropAttrs.td - trop attributes and enums ------------*- tablegen -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPATTRS_TD
#define TROP_DIALECT_TROP_IR_TROPATTRS_TD

include "trop/Dialect/Trop/IR/TropDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Trop_SemiringMaxPlus : I32EnumAttrCase<"MaxPlus", 0, "max_plus">;
def Trop_SemiringMinPlus : I32EnumAttrCase<"MinPlus", 1, "min_plus">;
def Trop_SemiringMaxMin : I32EnumAttrCase<"MaxMin", 2, "max_min">;
def Trop_SemiringMinMax : I32EnumAttrCase<"MinMax", 3, "min_max">;

def Trop_SemiringKind : I32EnumAttr<"SemiringKind",
    "tropical semiring: the (⊕, ⊗) pair of a contraction",
    [Trop_SemiringMaxPlus, Trop_SemiringMinPlus, Trop_SemiringMaxMin,
     Trop_SemiringMinMax]> {
  let cppNamespace = "::mlir::trop";
  let genSpecializedAttr = 0;
}

def Trop_SemiringAttr : EnumAttr<Trop_Dialect, Trop_SemiringKind, "semiring"> {
  let summary = "Semiring of a tropical contraction";
  let description = [{
    Names the semiring `(⊕, ⊗, 𝟘, 𝟙)` a contraction computes in:

    - `max_plus`: ⊕ = max, ⊗ = +, 𝟘 = −∞, 𝟙 = 0 (morphological dilation);
    - `min_plus`: ⊕ = min, ⊗ = +, 𝟘 = +∞, 𝟙 = 0 (morphological erosion);
    - `max_min`: ⊕ = max, ⊗ = min, 𝟘 = −∞, 𝟙 = +∞ (OR/AND on `i1`: binary
      dilation);
    - `min_max`: ⊕ = min, ⊗ = max, 𝟘 = +∞, 𝟙 = −∞ (AND/OR on `i1`: binary
      erosion).

    Example: `#trop.semiring<max_plus>`; in an op's pretty form only
    `<max_plus>` is written.
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // TROP_DIALECT_TROP_IR_TROPATTRS_TD
