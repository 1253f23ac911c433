//===- TropOps.td - trop operations ------------------------*- tablegen -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPOPS_TD
#define TROP_DIALECT_TROP_IR_TROPOPS_TD

include "trop/Dialect/Trop/IR/TropDialect.td"
include "trop/Dialect/Trop/IR/TropAttrs.td"
include "trop/Dialect/Trop/IR/TropInterfaces.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/IR/OpBase.td"

/// Operands are ranked tensors or strided memrefs; element types and the
/// tensor/memref agreement are checked by the verifiers, which can say more
/// precisely what is wrong than a type constraint can.
def Trop_ShapedOperand : AnyTypeOf<[AnyRankedTensor, AnyStridedMemRef],
                                   "ranked tensor or strided memref">;

/// MemoryEffectsOpInterface of every trop op, from its DPS operands.
def Trop_StructuredEffects {
  code body = [{
    void $cppClass::getEffects(
        ::llvm::SmallVectorImpl<::mlir::SideEffects::EffectInstance<
            ::mlir::MemoryEffects::Effect>> &effects) {
      getStructuredEffects(*this, effects);
    }
  }];
}

/// Common shape of all trop ops: destination style with one `init` operand,
/// a tensor result exactly when `init` is a tensor.
class Trop_StructuredOp<string mnemonic, list<Trait> traits = []>
    : Op<Trop_Dialect, mnemonic, !listconcat([
        DestinationStyleOpInterface,
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
        DeclareOpInterfaceMethods<Trop_TropOpInterface>
      ], traits)> {
  let results = (outs Optional<AnyRankedTensor>:$result);
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return getInitMutable();
    }
  }];
  // Every structured op reads its memref inputs, reads and writes its memref
  // init, and folds away when its iteration space is empty; the helpers are
  // in TropOps.cpp.
  let extraClassDefinition = Trop_StructuredEffects.body # [{
    void $cppClass::getCanonicalizationPatterns(
        ::mlir::RewritePatternSet &results, ::mlir::MLIRContext *context) {
      results.add<FoldEmptyIterationSpace<$cppClass>>(context);
    }
  }];
}

/// A structured op whose operands are `lhs`, `rhs` and `init` (a matrix
/// product, batched or not).
class Trop_ContractionOp<string mnemonic, list<Trait> traits = []>
    : Trop_StructuredOp<mnemonic, traits> {
  let arguments = (ins Trop_SemiringAttr:$semiring,
                       Trop_ShapedOperand:$lhs,
                       Trop_ShapedOperand:$rhs,
                       Trop_ShapedOperand:$init);
  let assemblyFormat = [{
    $semiring attr-dict `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

/// A structured op sliding a window over an NHWC `input` (a convolution,
/// full or depthwise), with strides, dilations and padding with 𝟘.
class Trop_WindowOp<string mnemonic, list<Trait> traits = []>
    : Trop_StructuredOp<mnemonic, traits> {
  let arguments = (ins Trop_SemiringAttr:$semiring,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$filter,
                       Trop_ShapedOperand:$init,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding);
  let assemblyFormat = [{
    $semiring attr-dict `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

def Trop_MatmulOp : Trop_ContractionOp<"matmul"> {
  let summary = "Semiring matrix product: C = C ⊕ A ⊗ B";
  let description = [{
    Computes, for a `M×K` matrix `A`, a `K×N` matrix `B` and a `M×N`
    accumulator `C`:

    ```
    C[i, j] = C[i, j] ⊕ ⊕_k (A[i, k] ⊗ B[k, j])
    ```

    in the semiring given by `semiring`. With `max_plus` this is a
    morphological dilation layer: `y_j = max(b_j, max_i (x_i + W_ij))` is a
    `trop.matmul` whose `A` is the batch of inputs, `B` the weights and `C`
    the bias broadcast over the batch. With `min_plus` it is an erosion.
    An empty `K` leaves `C` unchanged.

    On tensors the op returns the updated accumulator; on memrefs it updates
    `C` in place and returns nothing.

    Example:

    ```mlir
    %r = trop.matmul <max_plus> ins(%a, %b : tensor<64x128xf32>, tensor<128x32xf32>)
                                outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32>
    trop.matmul <min_plus> ins(%x, %y : memref<4x8xi16>, memref<8x2xi16>)
                           outs(%z : memref<4x2xi16>)
    ```
  }];
}

//===----------------------------------------------------------------------===//
// BatchMatmulOp
//===----------------------------------------------------------------------===//

def Trop_BatchMatmulOp : Trop_ContractionOp<"batch_matmul"> {
  let summary = "Batched semiring matrix product: C[b] = C[b] ⊕ A[b] ⊗ B[b]";
  let description = [{
    Computes, for `A : B×M×K`, `B : B×K×N` and `C : B×M×N`:

    ```
    C[b, i, j] = C[b, i, j] ⊕ ⊕_k (A[b, i, k] ⊗ B[b, k, j])
    ```

    Example:

    ```mlir
    %r = trop.batch_matmul <max_plus>
           ins(%a, %b : tensor<8x16x32xf32>, tensor<8x32x4xf32>)
           outs(%c : tensor<8x16x4xf32>) -> tensor<8x16x4xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

def Trop_Conv2DOp : Trop_WindowOp<"conv_2d"> {
  let summary = "Morphological 2-D convolution (NHWC input, HWCF filter)";
  let description = [{
    The full morphological convolution of paper C's `MorphConv2d`: every
    output channel is the ⊕ over all input channels and window positions.
    For an input `X : N×H×W×C`, a filter `F : KH×KW×C×F` and an output
    `Y : N×OH×OW×F`:

    ```
    Y[n, oh, ow, f] = Y[n, oh, ow, f] ⊕
        ⊕_{kh, kw, c} (Xp[n, oh·sh + kh·dh, ow·sw + kw·dw, c] ⊗ F[kh, kw, c, f])
    ```

    where `Xp` is `X` padded with 𝟘 by `padding = [top, left, bottom, right]`
    (all non-negative), `strides = [sh, sw]` and `dilations = [dh, dw]` are
    positive, and `OH = (H + top + bottom − dh·(KH − 1) − 1) / sh + 1`
    (likewise `OW`). Padding with 𝟘 makes padded positions contribute
    nothing wherever the filter is finite.

    Example:

    ```mlir
    %r = trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>}
           ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>)
           outs(%y : tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// DepthwiseConv2DOp
//===----------------------------------------------------------------------===//

def Trop_DepthwiseConv2DOp : Trop_WindowOp<"depthwise_conv_2d"> {
  let summary = "Per-channel grayscale dilation/erosion (NHWC input, HWC filter)";
  let description = [{
    Grayscale morphology with one structuring element per channel. For an
    input `X : N×H×W×C`, a structuring element `S : KH×KW×C` and an output
    `Y : N×OH×OW×C`:

    ```
    Y[n, oh, ow, c] = Y[n, oh, ow, c] ⊕
        ⊕_{kh, kw} (Xp[n, oh·sh + kh·dh, ow·sw + kw·dw, c] ⊗ S[kh, kw, c])
    ```

    with padding, strides and dilations as for `trop.conv_2d`. `max_plus`
    gives a grayscale dilation, `min_plus` an erosion (with the structuring
    element as written, not reflected); `max_min`/`min_max` on `i1` give
    binary dilation and erosion.

    Example:

    ```mlir
    %r = trop.depthwise_conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>}
           ins(%img, %se : tensor<1x16x16x1xi1>, tensor<3x3x1xi1>)
           outs(%out : tensor<1x16x16x1xi1>) -> tensor<1x16x16x1xi1>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// MaxoutOp
//===----------------------------------------------------------------------===//

def Trop_MaxoutOp : Trop_StructuredOp<"maxout"> {
  let summary = "Maximum over groups of consecutive channels";
  let description = [{
    Maxout (papers A and C): the last dimension of the input, of size
    `C = G·k`, is split into `G` groups of `k = group_size` consecutive
    channels, and each output channel is the maximum of its group:

    ```
    Y[..., g] = max(Y[..., g], max_{j < k} X[..., g·k + j])
    ```

    All leading dimensions are kept. Like the contractions, the destination
    is the initial value (fill it with 𝟘 = −∞ for a plain maxout). On `i1`
    the maximum is OR.

    Example:

    ```mlir
    %r = trop.maxout group_size = 4 ins(%x : tensor<32x64xf32>)
           outs(%y : tensor<32x16xf32>) -> tensor<32x16xf32>
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntPositive]>:$group_size,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$init);
  let assemblyFormat = [{
    `group_size` `=` $group_size attr-dict `ins` `(` $input `:` type($input) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// DualMatmulOp
//===----------------------------------------------------------------------===//

def Trop_DualMatmulOp : Op<Trop_Dialect, "dual_matmul", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DeclareOpInterfaceMethods<Trop_TropOpInterface,
                              ["getNumUpdates", "hasTensorSemantics"]>
  ]> {
  let summary = "Max-plus and min-plus products of the same operands at once";
  let description = [{
    Computes both tropical products of one `M×K` matrix `A` and one `K×N`
    matrix `B`, each into its own `M×N` accumulator:

    ```
    C_max[i, j] = max(C_max[i, j], max_k (A[i, k] + B[k, j]))
    C_min[i, j] = min(C_min[i, j], min_k (A[i, k] + B[k, j]))
    ```

    This is a `trop.matmul <max_plus>` and a `trop.matmul <min_plus>` that
    share both operands, as paper C's `MaxPlusMin` layer has them
    (`y = max(b, max_j(x_j + W_ij)) + min(b2, min_j(x_j + W_ij))`).
    `trop-fuse` forms it; kernels compute each sum `A[i, k] + B[k, j]` once
    and feed it to both accumulators. Results are bit-identical to the two
    separate ops: on floats the ⊗ of both semirings is the same IEEE
    addition, rounded once, and max and min are exact. Integer types are
    rejected because their ⊗ differs between the two semirings (𝟘, which
    absorbs, is −∞ in one and +∞ in the other).

    On tensors the op returns both updated accumulators; on memrefs it
    updates them in place and returns nothing.

    Example:

    ```mlir
    %max, %min = trop.dual_matmul
        ins(%x, %w : tensor<256x512xf32>, tensor<512x128xf32>)
        outs(%b, %b2 : tensor<256x128xf32>, tensor<256x128xf32>)
        -> tensor<256x128xf32>, tensor<256x128xf32>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$lhs,
                       Trop_ShapedOperand:$rhs,
                       Trop_ShapedOperand:$init_max,
                       Trop_ShapedOperand:$init_min);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let assemblyFormat = [{
    attr-dict `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init_max `,` $init_min `:` type($init_max) `,` type($init_min) `)`
    (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return ::mlir::MutableOperandRange(getOperation(), /*start=*/2,
                                         /*length=*/2);
    }
  }];
  let extraClassDefinition = Trop_StructuredEffects.body;
}

//===----------------------------------------------------------------------===//
// Bit-packed binary morphology (paper D)
//===----------------------------------------------------------------------===//

def Trop_PackBitsOp : Trop_StructuredOp<"pack_bits"> {
  let summary = "Packs the last dimension of an i1 array into i64 words";
  let description = [{
    The packed layout of trop's bit-parallel binary kernels. For an `i1`
    input `X : D0×…×Dk×C`, the `i64` output `P : D0×…×Dk×⌈C/64⌉` holds bit
    `c mod 64` of word `⌊c/64⌋`:

    ```
    P[..., w] = Σ_{b < 64, 64·w + b < C} X[..., 64·w + b] · 2^b
    ```

    Bits at positions `c ≥ C` of the last word (the trailing bits) are 0.
    Unlike the contractions, the op overwrites its destination rather than
    accumulating into it. On memrefs it writes `init` in place.

    Example:

    ```mlir
    %p = trop.pack_bits ins(%x : tensor<8x32x32x65xi1>)
           outs(%w : tensor<8x32x32x2xi64>) -> tensor<8x32x32x2xi64>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$input, Trop_ShapedOperand:$init);
  let assemblyFormat = [{
    attr-dict `ins` `(` $input `:` type($input) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

def Trop_UnpackBitsOp : Trop_StructuredOp<"unpack_bits"> {
  let summary = "Unpacks i64 words into the last dimension of an i1 array";
  let description = [{
    The inverse of `trop.pack_bits`: for an `i64` input
    `P : D0×…×Dk×W` and an `i1` output `X : D0×…×Dk×C` with `W = ⌈C/64⌉`,

    ```
    X[..., c] = bit (c mod 64) of P[..., ⌊c/64⌋]
    ```

    Trailing bits of the input (positions `c ≥ C`) are ignored. The op
    overwrites its destination.

    Example:

    ```mlir
    %x = trop.unpack_bits ins(%p : tensor<8x32x32x2xi64>)
           outs(%y : tensor<8x32x32x65xi1>) -> tensor<8x32x32x65xi1>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$input, Trop_ShapedOperand:$init);
  let assemblyFormat = [{
    attr-dict `ins` `(` $input `:` type($input) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

def Trop_BinaryMorphologyOp : Trop_StructuredOp<"binary_morphology"> {
  let summary = "Per-channel binary dilation/erosion on bit-packed channels";
  let description = [{
    Paper D's binary BiSE forward (a dilation or an erosion by a per-channel
    structuring element) on the layout of `trop.pack_bits`. The input
    `X : N×H×W×Wd`, the structuring element `S : KH×KW×Wd` and the output
    `Y : N×OH×OW×Wd` are `i64` words holding `channels = C` bits each
    (`Wd = ⌈C/64⌉`, bit `c mod 64` of word `⌊c/64⌋`). For every channel
    `c < C`:

    ```
    dilation: Y[n, oh, ow, c] = Y[n, oh, ow, c] ∨
        ∨_{kh, kw : S[kh, kw, c]} Xp[n, oh·sh + kh·dh, ow·sw + kw·dw, c]
    erosion:  Y[n, oh, ow, c] = Y[n, oh, ow, c] ∧
        ∧_{kh, kw : S[kh, kw, c]} Xp[n, oh·sh + kh·dh, ow·sw + kw·dw, c]
    ```

    Like `trop.depthwise_conv_2d <max_min>` (dilation) and `<min_max>`
    (erosion) on `i1`, the destination is the initial value: fill it with
    0 (dilation) or ones (erosion) for the plain operation. `Xp` is `X`
    padded by `padding = [top, left, bottom, right]`; `padding_mode`
    decides what the padded positions hold: `zero` gives the operation's 𝟘
    (0 for dilation, 1 for erosion: they change nothing), `replicate` the
    nearest input pixel (paper D's 'same' padding; 'same' is
    `padding = [(KH−1)·dh/2, (KW−1)·dw/2, …]` with the remainder at the
    bottom/right). Strides, dilations and output sizes are as for
    `trop.conv_2d`. The trailing bits (`c ≥ C`) of the input, the element
    and the destination are ignored, and those of the result are 0.

    Kernels work on whole words: a dilation ORs `X & S`, an erosion ANDs
    `X | ~S`, 64 channels per instruction.

    Example:

    ```mlir
    %r = trop.binary_morphology <dilation> channels = 65
           padding_mode = <replicate> {padding = array<i64: 1, 1, 1, 1>}
           ins(%x, %s : tensor<8x32x32x2xi64>, tensor<3x3x2xi64>)
           outs(%y : tensor<8x32x32x2xi64>) -> tensor<8x32x32x2xi64>
    ```
  }];
  let arguments = (ins Trop_MorphologyKindAttr:$kind,
                       ConfinedAttr<I64Attr, [IntNonNegative]>:$channels,
                       Trop_PaddingModeAttr:$padding_mode,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$filter,
                       Trop_ShapedOperand:$init,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding);
  let assemblyFormat = [{
    $kind `channels` `=` $channels `padding_mode` `=` $padding_mode attr-dict
    `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

def Trop_LevelSetsOp : Trop_StructuredOp<"level_sets"> {
  let summary = "Grayscale to binary channels at given thresholds";
  let description = [{
    Paper D's level-set input binarization (`trop.nn.LevelSets`): for a
    float input `X : D0×…×Dk×C` and `T` thresholds `t`, the `i1` output
    `Y : D0×…×Dk×(C·T)` is

    ```
    Y[..., c·T + j] = (X[..., c] ≥ t[j])
    ```

    compared exactly (the input is widened to f64, where the thresholds
    are). A NaN input gives 0. The op overwrites its destination; pack the
    result with `trop.pack_bits` for the bit-packed kernels.

    Example:

    ```mlir
    %b = trop.level_sets thresholds = [0.25, 0.5, 0.75]
           ins(%x : tensor<8x28x28x1xf32>)
           outs(%y : tensor<8x28x28x3xi1>) -> tensor<8x28x28x3xi1>
    ```
  }];
  let arguments = (ins DenseF64ArrayAttr:$thresholds,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$init);
  let assemblyFormat = [{
    `thresholds` `=` $thresholds attr-dict `ins` `(` $input `:` type($input) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

def Trop_BinaryDenseOp : Trop_StructuredOp<"binary_dense"> {
  let summary = "Bit-packed OR/AND over subsets of a packed vector (LUI, DenseLUI)";
  let description = [{
    Paper D's LUI and DenseLUI binary forward: each output bit is the OR
    (dilation) or the AND (erosion) of the input bits in its subset. For
    `rows` packed input vectors `X : R×Kw` of `in_features = K` bits
    (`Kw = ⌈K/64⌉`), `N` subsets `S : N×Kw` (row `j` holds the bits of
    subset `S_j`), the kinds `E : Nw` (bit `j` set: output `j` is an
    erosion) and the packed output `Y : R×Nw` (`Nw = ⌈N/64⌉`), for `j < N`:

    ```
    Y[r, j] = Y[r, j] ∨ ∨_{i ∈ S_j} X[r, i]     (bit j of E is 0)
    Y[r, j] = Y[r, j] ∧ ∧_{i ∈ S_j} X[r, i]     (bit j of E is 1)
    ```

    with bit `j` of row `r` at bit `j mod 64` of word `⌊j/64⌋`, as
    `trop.pack_bits` packs it. A LUI is this op on the pixels of an NHWC
    image (`R = N·H·W`, `K` = channels); a DenseLUI on a batch. Trailing
    bits of `X`, `S` and `E` are ignored; those of `Y` are kept. Kernels
    test `X & S ≠ 0` (dilation) or `¬X & S = 0` (erosion), 64 inputs per
    instruction.

    Example:

    ```mlir
    %r = trop.binary_dense in_features = 4096
           ins(%x, %s, %e : tensor<64x64xi64>, tensor<4096x64xi64>, tensor<64xi64>)
           outs(%y : tensor<64x64xi64>) -> tensor<64x64xi64>
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntNonNegative]>:$in_features,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$subsets,
                       Trop_ShapedOperand:$kinds,
                       Trop_ShapedOperand:$init);
  let assemblyFormat = [{
    `in_features` `=` $in_features attr-dict
    `ins` `(` $input `,` $subsets `,` $kinds `:` type($input) `,` type($subsets) `,` type($kinds) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

def Trop_BiseOp : Trop_StructuredOp<"bise"> {
  let summary = "Paper D's BiSE neurons, float (training) forward";
  let description = [{
    The float forward of `trop.nn.BiSE` (and of `LUI`, `DenseLUI` and the
    two halves of `BiSEL`, which are BiSEs), one op per layer so that
    `--trop-binarize` recognises a layer by one op rather than by a chain
    of pads, convolutions and elementwise generics. For an NHWC input
    `X : N×H×W×C`, weights `W : O×KH×KW×(C/G)` (`G` =
    `groups`), biases `b : O`, scales `P : O` and the output
    `Y : N×H×W×O`:

    ```
    Y[n, h, w, o] = ξ(P[o] · (Σ_{kh, kw, c} W[o, kh, kw, c] ·
                     X[n, clamp(h + kh − top), clamp(w + kw − left), g·C/G + c]
                     + b[o]))
    ```

    with `g = ⌊o / (O/G)⌋`, `top = ⌊(KH − 1)/2⌋`, `left = ⌊(KW − 1)/2⌋`
    and `clamp` to the input's height or width: a 'same' output with
    **replicate** padding (the extra row and column of an even kernel
    after, as PyTorch's `padding='same'`). `ξ` is the `threshold`. The op
    overwrites its destination. A DenseLUI is this op on an `N×1×1×K`
    input with a `1×1` kernel. The sum is taken in the element type (f32
    or f64), in the order `kh, kw, c`. `tanh`, `sigmoid` and `arctan` use
    the math dialect's functions; `erf`, which has no lowering to LLVM
    there, uses the Chebyshev fit of erfc of Numerical Recipes (relative
    error below 1.2e-7).

    The weights are what the layer computes from its parameters
    (`softplus(Θ)`, the bias of its `bias_mode`), so that the op carries
    the values `--trop-binarize` decides on. The reference lowering is the
    formula above; there is no CPU kernel (the float layer is for
    checking: the binarized layer is the fast one).

    Example:

    ```mlir
    %y = trop.bise <tanh> groups = 1
           ins(%x, %w, %b, %p : tensor<8x28x28x3xf32>, tensor<4x3x3x3xf32>,
               tensor<4xf32>, tensor<4xf32>)
           outs(%init : tensor<8x28x28x4xf32>) -> tensor<8x28x28x4xf32>
    ```
  }];
  let arguments = (ins Trop_ThresholdKindAttr:$threshold,
                       ConfinedAttr<I64Attr, [IntPositive]>:$groups,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$weight,
                       Trop_ShapedOperand:$bias,
                       Trop_ShapedOperand:$scale,
                       Trop_ShapedOperand:$init);
  let assemblyFormat = [{
    $threshold `groups` `=` $groups attr-dict
    `ins` `(` $input `,` $weight `,` $bias `,` $scale `:` type($input) `,`
      type($weight) `,` type($bias) `,` type($scale) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// BipolarMatmulOp
//===----------------------------------------------------------------------===//

def Trop_BipolarMatmulOp : Trop_StructuredOp<"bipolar_matmul"> {
  let summary = "Bipolar morphological (BM) layer of paper E: four max-plus "
                "contractions of two input and two weight poles";
  let description = [{
    The BM neuron of paper E (Limonova et al.) for an `M×K` input `X`, the
    two `K×N` log-weight poles `V⁺ = ln(max(w, floor))` and
    `V⁻ = ln(max(−w, floor))` (see `--trop-linear-to-bipolar`) and an `M×N`
    accumulator `Y` (the bias broadcast over the batch):

    ```
    L⁺[i, k] = ln(max( X[i, k], input_shift))
    L⁻[i, k] = ln(max(−X[i, k], input_shift))
    Y[i, j] = Y[i, j] + exp(max_k(L⁺[i, k] + V⁺[k, j]))
                      − exp(max_k(L⁺[i, k] + V⁻[k, j]))
                      − exp(max_k(L⁻[i, k] + V⁺[k, j]))
                      + exp(max_k(L⁻[i, k] + V⁻[k, j]))
    ```

    The four terms are added to `Y` left to right in this order, so every
    lowering rounds the same way. Each max is a max-plus contraction, so the
    inner loop has only additions and maxima; the logarithms are taken once
    per input and the exponentials once per output. `input_shift` (paper E's
    reference code: 0.1) floors both input poles, so an input of magnitude
    below it contributes `ln(input_shift)` to both; 0 gives the exact sign
    split (the inactive pole is −∞). An empty `K` leaves `Y` unchanged (each
    maximum is −∞ and its exponential 0). Defined on `f32` and `f64`.

    On tensors the op returns the updated accumulator; on memrefs it updates
    `Y` in place and returns nothing.

    Example:

    ```mlir
    %r = trop.bipolar_matmul {input_shift = 1.000000e-01 : f64}
           ins(%x, %vp, %vn : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>)
           outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$lhs,
                       Trop_ShapedOperand:$rhs_pos,
                       Trop_ShapedOperand:$rhs_neg,
                       Trop_ShapedOperand:$init,
                       DefaultValuedAttr<F64Attr, "0.1">:$input_shift);
  let assemblyFormat = [{
    attr-dict `ins` `(` $lhs `,` $rhs_pos `,` $rhs_neg `:` type($lhs) `,`
    type($rhs_pos) `,` type($rhs_neg) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// LseMatmulOp
//===----------------------------------------------------------------------===//

def Trop_LseMatmulOp : Trop_StructuredOp<"lse_matmul"> {
  let summary = "Matrix product in the log-sum-exp semiring with temperature "
                "β: C = LSE_β(C, A + B)";
  let description = [{
    The log-sum-exp semiring (paper E's training homotopy, issue 13 item 6):
    ⊕ is `LSE_β(u, v) = (1/β)·ln(e^{βu} + e^{βv})`, ⊗ is `+`, 𝟘 = −∞. For an
    `M×K` matrix `A`, a `K×N` matrix `B` and an `M×N` accumulator `C`:

    ```
    C[i, j] = (1/β)·ln( e^{β·C[i, j]} + Σ_k e^{β·(A[i, k] + B[k, j])} )
    ```

    computed stably, as a running maximum `m` (from `C[i, j]`) and a sum `s`
    of `e^{β(t − m)}` rescaled whenever `m` grows (one exponential per
    update), and finally `C[i, j] = m + ln(s)/β`. Terms of −∞ contribute 0;
    an all-−∞ row gives −∞. `max(C, A ⊗ B) ≤ result ≤ max + ln(K + 1)/β`, so
    β → ∞ tends to `trop.matmul <max_plus>`; at β = 1,
    `exp(C) = exp(C₀) + Σ_k exp(A[i, k])·exp(B[k, j])`: with `A = ln x` and
    `B = ln w` this is the ordinary product sum. `beta` must be finite and
    positive. Defined on `f32` and `f64`. The reference lowering computes
    this definition; the CPU pipeline's kernel computes the sum as an FMA
    GEMM of exponentials scaled by row and column maxima, within the error
    bound of docs/bipolar.md, and the outputs whose sum underflows there (or
    with NaN or +∞ operands) by the definition, bit-identical to the
    reference lowering.

    Example:

    ```mlir
    %r = trop.lse_matmul {beta = 4.000000e+00 : f64}
           ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>)
           outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$lhs,
                       Trop_ShapedOperand:$rhs,
                       Trop_ShapedOperand:$init,
                       DefaultValuedAttr<F64Attr, "1.0">:$beta);
  let assemblyFormat = [{
    attr-dict `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init `:` type($init) `)` (`->` type($result)^)?
  }];
}

//===----------------------------------------------------------------------===//
// DualConv2DOp
//===----------------------------------------------------------------------===//

def Trop_DualConv2DOp : Op<Trop_Dialect, "dual_conv_2d", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DeclareOpInterfaceMethods<Trop_TropOpInterface,
                              ["getNumUpdates", "hasTensorSemantics"]>
  ]> {
  let summary = "Max-plus and min-plus convolutions of the same input in one "
                "sweep (paper C's max-plus-min MorphConv2d, DEP)";
  let description = [{
    A `trop.conv_2d <max_plus>` and a `trop.conv_2d <min_plus>` of the same
    NHWC input `X : N×H×W×C` with the same window, each with its own HWCF
    filter (`KH×KW×C×F`) and its own `N×OH×OW×F` accumulator:

    ```
    Y_max[n, oh, ow, f] = max(Y_max[n, oh, ow, f],
        max_{kh, kw, c} (Xp_max[n, oh·sh + kh·dh, ow·sw + kw·dw, c] + F_max[kh, kw, c, f]))
    Y_min[n, oh, ow, f] = min(Y_min[n, oh, ow, f],
        min_{kh, kw, c} (Xp_min[n, oh·sh + kh·dh, ow·sw + kw·dw, c] + F_min[kh, kw, c, f]))
    ```

    where `Xp_max` is `X` padded with max_plus's 𝟘 (−∞) and `Xp_min` with
    min_plus's 𝟘 (+∞), so that the padding changes neither result, exactly
    as in the two separate ops. Strides, dilations, padding and output sizes
    are those of `trop.conv_2d`. With one filter passed twice (the same SSA
    value) this is paper C's max-plus-min convolution, whose ResNet averages
    the two results and whose LeNet adds them; with two filters it is the
    convolutional dilation–erosion perceptron (DEP), and a dense layer is
    the 1×1 case on `N×1×1×K` rows. Kernels read every input window once for
    both results (and, with one filter, compute each sum once). Results are
    bit-identical to the two separate ops: each ⊗ is one IEEE addition and
    max and min are exact. Defined on floats only (`f16`, `bf16`, `f32`,
    `f64`), as `trop.dual_matmul`.

    On tensors the op returns both updated accumulators; on memrefs it
    updates them in place and returns nothing.

    Example:

    ```mlir
    %max, %min = trop.dual_conv_2d {padding = array<i64: 1, 1, 1, 1>}
        ins(%x, %w, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>, tensor<3x3x3x16xf32>)
        outs(%b, %b2 : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>)
        -> tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$filter_max,
                       Trop_ShapedOperand:$filter_min,
                       Trop_ShapedOperand:$init_max,
                       Trop_ShapedOperand:$init_min,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let assemblyFormat = [{
    attr-dict `ins` `(` $input `,` $filter_max `,` $filter_min `:` type($input) `,`
    type($filter_max) `,` type($filter_min) `)`
    `outs` `(` $init_max `,` $init_min `:` type($init_max) `,` type($init_min) `)`
    (`->` type($results)^)?
  }];
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return ::mlir::MutableOperandRange(getOperation(), /*start=*/3,
                                         /*length=*/2);
    }
    /// Whether both results use one filter (paper C's max-plus-min).
    bool hasSharedFilter() { return getFilterMax() == getFilterMin(); }
  }];
  let extraClassDefinition = Trop_StructuredEffects.body;
}

include "trop/Dialect/Trop/IR/TropTrainingOps.td"

#endif // TROP_DIALECT_TROP_IR_TROPOPS_TD
