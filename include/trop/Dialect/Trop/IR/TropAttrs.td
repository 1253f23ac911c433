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

def Trop_MorphologyDilation : I32EnumAttrCase<"Dilation", 0, "dilation">;
def Trop_MorphologyErosion : I32EnumAttrCase<"Erosion", 1, "erosion">;

def Trop_MorphologyKind : I32EnumAttr<"MorphologyKind",
    "binary morphological operation: dilation (OR) or erosion (AND)",
    [Trop_MorphologyDilation, Trop_MorphologyErosion]> {
  let cppNamespace = "::mlir::trop";
  let genSpecializedAttr = 0;
}

def Trop_MorphologyKindAttr
    : EnumAttr<Trop_Dialect, Trop_MorphologyKind, "morphology"> {
  let summary = "Binary dilation or erosion";
  let description = [{
    `dilation`: the output bit is the OR, over the structuring element, of
    the input bits (𝟘 = 0); `erosion`: their AND (𝟘 = 1). These are
    `max_min` and `min_max` on `i1`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Trop_PaddingZero : I32EnumAttrCase<"Zero", 0, "zero">;
def Trop_PaddingReplicate : I32EnumAttrCase<"Replicate", 1, "replicate">;

def Trop_PaddingMode : I32EnumAttr<"PaddingMode",
    "what a window reads outside its input",
    [Trop_PaddingZero, Trop_PaddingReplicate]> {
  let cppNamespace = "::mlir::trop";
  let genSpecializedAttr = 0;
}

def Trop_PaddingModeAttr
    : EnumAttr<Trop_Dialect, Trop_PaddingMode, "padding_mode"> {
  let summary = "Padding of a window op: the operation's 𝟘 or the edge value";
  let description = [{
    `zero`: positions outside the input hold the operation's 𝟘, so they
    contribute nothing; `replicate`: they hold the nearest input value (the
    index is clamped to the input), as PyTorch's `padding_mode='replicate'`.
  }];
  let assemblyFormat = "`<` $value `>`";
}

def Trop_ThresholdTanh : I32EnumAttrCase<"Tanh", 0, "tanh">;
def Trop_ThresholdSigmoid : I32EnumAttrCase<"Sigmoid", 1, "sigmoid">;
def Trop_ThresholdArctan : I32EnumAttrCase<"Arctan", 2, "arctan">;
def Trop_ThresholdErf : I32EnumAttrCase<"Erf", 3, "erf">;

def Trop_ThresholdKind : I32EnumAttr<"ThresholdKind",
    "smooth threshold ξ of a BiSE neuron (increasing, ξ(0) = 1/2)",
    [Trop_ThresholdTanh, Trop_ThresholdSigmoid, Trop_ThresholdArctan,
     Trop_ThresholdErf]> {
  let cppNamespace = "::mlir::trop";
  let genSpecializedAttr = 0;
}

def Trop_ThresholdKindAttr
    : EnumAttr<Trop_Dialect, Trop_ThresholdKind, "threshold"> {
  let summary = "The smooth threshold ξ of paper D's BiSE neuron";
  let description = [{
    `tanh`: ξ(t) = (tanh t + 1)/2 (the default of `trop.nn.BiSE`);
    `sigmoid`: 1/(1 + e^−t); `arctan`: atan(t)/π + 1/2; `erf`:
    (erf t + 1)/2. Each is increasing and maps 0 to 1/2, so thresholding
    the output at 1/2 is the sign of its argument.
  }];
  let assemblyFormat = "`<` $value `>`";
}

#endif // TROP_DIALECT_TROP_IR_TROPATTRS_TD
