//===- TropTrainingOps.td - trop operations for training ---*- tablegen -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// What training a tropical layer needs besides its forward value: the
// winner of each output (the reduction index that produced it) and the
// routing of output gradients back to the winners. Included by TropOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_IR_TROPTRAININGOPS_TD
#define TROP_DIALECT_TROP_IR_TROPTRAININGOPS_TD

//===----------------------------------------------------------------------===//
// MatmulWinnersOp
//===----------------------------------------------------------------------===//

def Trop_MatmulWinnersOp : Op<Trop_Dialect, "matmul_winners", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>
  ]> {
  let summary = "Semiring matrix product that also returns each output's winner";
  let description = [{
    Computes `trop.matmul` and, for every output, the reduction index that
    produced it (its *winner*), for the backward pass of training:

    ```
    for k = 0 .. K-1 (in order):
      p = A[i, k] ⊗ B[k, j]
      if p is strictly better than C[i, j]:   (> for max_*, < for min_*)
        W[i, j] = k
      C[i, j] = C[i, j] ⊕ p
    ```

    `C` is exactly the result of `trop.matmul` with the same operands and
    NaN mode. `W` (i64, the shape of `C`) keeps its initial value where no
    product beats the initial `C` (the bias of a layer: initialise `W` to
    -1 to tell those apart). Among equal products the first (lowest `k`)
    wins, which is the index `torch.max(..., dim)` returns on the CPU; a NaN
    never wins (the comparison is ordered). i1 is not supported (binary
    morphology is not trained through winners).

    On tensors the op returns the updated `C` and `W`; on memrefs it updates
    them in place.

    ```mlir
    %y, %w = trop.matmul_winners <max_plus>
        ins(%x, %wt : tensor<64x512xf32>, tensor<512x128xf32>)
        outs(%bias, %minus_one : tensor<64x128xf32>, tensor<64x128xi64>)
        -> tensor<64x128xf32>, tensor<64x128xi64>
    ```
  }];
  let arguments = (ins Trop_SemiringAttr:$semiring,
                       Trop_ShapedOperand:$lhs,
                       Trop_ShapedOperand:$rhs,
                       Trop_ShapedOperand:$init,
                       Trop_ShapedOperand:$winners);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let hasVerifier = 1;
  let assemblyFormat = [{
    $semiring attr-dict `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init `,` $winners `:` type($init) `,` type($winners) `)`
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
// RouteToWinnersOp
//===----------------------------------------------------------------------===//

def Trop_RouteToWinnersOp : Op<Trop_Dialect, "route_to_winners", [
    DestinationStyleOpInterface,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>
  ]> {
  let summary = "Backward of a winner-recording matrix product";
  let description = [{
    Given the gradient `dY` (`M×N`) of the outputs of a
    `trop.matmul_winners` and its winners `W` (`M×N`, i64), accumulates the
    gradients of its operands: every output's gradient goes to the two
    operands of its winning product, and nowhere when the initial value won
    (`W` outside `[0, K)`):

    ```
    dA[i, k] += Σ_j dY[i, j] · [W[i, j] = k]     (the sum over j in order)
    dB[k, j] += Σ_i dY[i, j] · [W[i, j] = k]     (the sum over i in order)
    ```

    `K` is `dA`'s column count (and `dB`'s row count). Float types only.
    Each sum is accumulated in index order onto the initial `dA`/`dB`, so
    every lowering gives the same bits; the CPU lowering routes by
    destination (rows of `dA`, columns of `dB`), without atomics.

    ```mlir
    %da, %db = trop.route_to_winners
        ins(%dy, %w : tensor<64x128xf32>, tensor<64x128xi64>)
        outs(%zero_a, %zero_b : tensor<64x512xf32>, tensor<512x128xf32>)
        -> tensor<64x512xf32>, tensor<512x128xf32>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$grad,
                       Trop_ShapedOperand:$winners,
                       Trop_ShapedOperand:$grad_lhs,
                       Trop_ShapedOperand:$grad_rhs);
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let hasVerifier = 1;
  let assemblyFormat = [{
    attr-dict `ins` `(` $grad `,` $winners `:` type($grad) `,` type($winners) `)`
    `outs` `(` $grad_lhs `,` $grad_rhs `:` type($grad_lhs) `,` type($grad_rhs) `)`
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
// Winners and routing of the other contractions
//===----------------------------------------------------------------------===//

/// A training op with `numInits` destinations starting at operand
/// `firstInit`: destination style, tensor results exactly the destinations'
/// on tensors, none on memrefs (checked by the verifier).
class Trop_TrainingOp<string mnemonic, int firstInit, int numInits>
    : Op<Trop_Dialect, mnemonic, [
        DestinationStyleOpInterface,
        DeclareOpInterfaceMethods<MemoryEffectsOpInterface>
      ]> {
  let results = (outs Variadic<AnyRankedTensor>:$results);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::MutableOperandRange getDpsInitsMutable() {
      return ::mlir::MutableOperandRange(getOperation(), /*start=*/}]
      # firstInit # [{, /*length=*/}] # numInits # [{);
    }
  }];
  let extraClassDefinition = Trop_StructuredEffects.body;
}

/// The winners of a convolution (full or depthwise): the window op's
/// operands and attributes plus the winners destination.
class Trop_WindowWinnersOp<string mnemonic>
    : Trop_TrainingOp<mnemonic, 2, 2> {
  let arguments = (ins Trop_SemiringAttr:$semiring,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$filter,
                       Trop_ShapedOperand:$init,
                       Trop_ShapedOperand:$winners,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding);
  let assemblyFormat = [{
    $semiring attr-dict `ins` `(` $input `,` $filter `:` type($input) `,` type($filter) `)`
    `outs` `(` $init `,` $winners `:` type($init) `,` type($winners) `)`
    (`->` type($results)^)?
  }];
}

/// The routing of a convolution's output gradients to its winners.
class Trop_RouteWindowOp<string mnemonic>
    : Trop_TrainingOp<mnemonic, 2, 2> {
  let arguments = (ins Trop_ShapedOperand:$grad,
                       Trop_ShapedOperand:$winners,
                       Trop_ShapedOperand:$grad_input,
                       Trop_ShapedOperand:$grad_filter,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                       DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$padding);
  let assemblyFormat = [{
    attr-dict `ins` `(` $grad `,` $winners `:` type($grad) `,` type($winners) `)`
    `outs` `(` $grad_input `,` $grad_filter `:` type($grad_input) `,` type($grad_filter) `)`
    (`->` type($results)^)?
  }];
}

def Trop_BatchMatmulWinnersOp : Trop_TrainingOp<"batch_matmul_winners", 2, 2> {
  let summary = "trop.batch_matmul that also returns each output's winner";
  let description = [{
    `trop.matmul_winners` per batch: for `A : B×M×K`, `B : B×K×N`, `C`
    and `W : B×M×N` (`W` i64), `C[b]` is `trop.batch_matmul`'s and
    `W[b, i, j]` the first `k` whose product is strictly better than the
    accumulator (initial value kept where none is).

    ```mlir
    %y, %w = trop.batch_matmul_winners <max_plus>
        ins(%a, %b : tensor<4x8x16xf32>, tensor<4x16x2xf32>)
        outs(%c, %w0 : tensor<4x8x2xf32>, tensor<4x8x2xi64>)
        -> tensor<4x8x2xf32>, tensor<4x8x2xi64>
    ```
  }];
  let arguments = (ins Trop_SemiringAttr:$semiring,
                       Trop_ShapedOperand:$lhs,
                       Trop_ShapedOperand:$rhs,
                       Trop_ShapedOperand:$init,
                       Trop_ShapedOperand:$winners);
  let assemblyFormat = [{
    $semiring attr-dict `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init `,` $winners `:` type($init) `,` type($winners) `)`
    (`->` type($results)^)?
  }];
}

def Trop_RouteBatchMatmulToWinnersOp
    : Trop_TrainingOp<"route_batch_matmul_to_winners", 2, 2> {
  let summary = "Backward of trop.batch_matmul_winners";
  let description = [{
    `trop.route_to_winners` per batch: for `dY` and `W : B×M×N`,
    `dA : B×M×K` and `dB : B×K×N`,

    ```
    dA[b, i, k] += Σ_j dY[b, i, j] · [W[b, i, j] = k]   (j in order)
    dB[b, k, j] += Σ_i dY[b, i, j] · [W[b, i, j] = k]   (i in order)
    ```

    ```mlir
    %da, %db = trop.route_batch_matmul_to_winners
        ins(%dy, %w : tensor<4x8x2xf32>, tensor<4x8x2xi64>)
        outs(%za, %zb : tensor<4x8x16xf32>, tensor<4x16x2xf32>)
        -> tensor<4x8x16xf32>, tensor<4x16x2xf32>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$grad,
                       Trop_ShapedOperand:$winners,
                       Trop_ShapedOperand:$grad_lhs,
                       Trop_ShapedOperand:$grad_rhs);
  let assemblyFormat = [{
    attr-dict `ins` `(` $grad `,` $winners `:` type($grad) `,` type($winners) `)`
    `outs` `(` $grad_lhs `,` $grad_rhs `:` type($grad_lhs) `,` type($grad_rhs) `)`
    (`->` type($results)^)?
  }];
}

def Trop_DualMatmulWinnersOp : Trop_TrainingOp<"dual_matmul_winners", 2, 4> {
  let summary = "trop.dual_matmul that also returns both products' winners";
  let description = [{
    `trop.dual_matmul`'s two values and, for each, its winners as
    `trop.matmul_winners` defines them: `W_max[i, j]` is the first `k`
    whose sum is strictly greater than the max accumulator, `W_min[i, j]`
    the first whose sum is strictly less than the min accumulator. Its
    backward is two `trop.route_to_winners` into the same `dA`, `dB` (the
    max part's gradient, then the min part's). Float types only, as for
    `trop.dual_matmul`.

    ```mlir
    %max, %min, %wmax, %wmin = trop.dual_matmul_winners
        ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>)
        outs(%b, %b2, %m1, %m2 : tensor<8x4xf32>, tensor<8x4xf32>,
             tensor<8x4xi64>, tensor<8x4xi64>)
        -> tensor<8x4xf32>, tensor<8x4xf32>, tensor<8x4xi64>, tensor<8x4xi64>
    ```
  }];
  let arguments = (ins Trop_ShapedOperand:$lhs,
                       Trop_ShapedOperand:$rhs,
                       Trop_ShapedOperand:$init_max,
                       Trop_ShapedOperand:$init_min,
                       Trop_ShapedOperand:$winners_max,
                       Trop_ShapedOperand:$winners_min);
  let assemblyFormat = [{
    attr-dict `ins` `(` $lhs `,` $rhs `:` type($lhs) `,` type($rhs) `)`
    `outs` `(` $init_max `,` $init_min `,` $winners_max `,` $winners_min `:`
      type($init_max) `,` type($init_min) `,` type($winners_max) `,`
      type($winners_min) `)`
    (`->` type($results)^)?
  }];
}

def Trop_Conv2DWinnersOp : Trop_WindowWinnersOp<"conv_2d_winners"> {
  let summary = "trop.conv_2d that also returns each output's winner";
  let description = [{
    `trop.conv_2d`'s value and, per output `Y[n, oh, ow, f]`, its winner:
    the first reduction index, in the order of the loops `(kh, kw, c)`,
    whose product is strictly better than the accumulator, linearised as
    `(kh·KW + kw)·C + c` (i64). Padded positions are 𝟘 and never win.

    ```mlir
    %y, %w = trop.conv_2d_winners <max_plus> {padding = array<i64: 1, 1, 1, 1>}
        ins(%x, %f : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>)
        outs(%b, %m : tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>)
        -> tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>
    ```
  }];
}

def Trop_DepthwiseConv2DWinnersOp
    : Trop_WindowWinnersOp<"depthwise_conv_2d_winners"> {
  let summary = "trop.depthwise_conv_2d that also returns each output's winner";
  let description = [{
    `trop.depthwise_conv_2d`'s value and, per output `Y[n, oh, ow, c]`, the
    first window position `(kh, kw)` whose product is strictly better than
    the accumulator, linearised as `kh·KW + kw` (i64).

    ```mlir
    %y, %w = trop.depthwise_conv_2d_winners <min_plus>
        ins(%x, %s : tensor<1x8x8x3xf32>, tensor<3x3x3xf32>)
        outs(%b, %m : tensor<1x6x6x3xf32>, tensor<1x6x6x3xi64>)
        -> tensor<1x6x6x3xf32>, tensor<1x6x6x3xi64>
    ```
  }];
}

def Trop_RouteConv2DToWinnersOp
    : Trop_RouteWindowOp<"route_conv_2d_to_winners"> {
  let summary = "Backward of trop.conv_2d_winners";
  let description = [{
    Routes each output gradient `dY[n, oh, ow, f]` to the two operands of
    its winning product, `w = W[n, oh, ow, f] = (kh·KW + kw)·C + c`:

    ```
    dX[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, c] += dY[n, oh, ow, f]
    dF[kh, kw, c, f] += dY[n, oh, ow, f]
    ```

    nowhere where `w` is outside `[0, KH·KW·C)` (the initial value won) or
    the position is padding. Each destination is the in-order sum of its
    routed gradients, the outputs taken in row-major order `(n, oh, ow,
    f)`, so every lowering gives the same bits.

    ```mlir
    %dx, %df = trop.route_conv_2d_to_winners {padding = array<i64: 1, 1, 1, 1>}
        ins(%dy, %w : tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>)
        outs(%zx, %zf : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>)
        -> tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>
    ```
  }];
}

def Trop_RouteDepthwiseConv2DToWinnersOp
    : Trop_RouteWindowOp<"route_depthwise_conv_2d_to_winners"> {
  let summary = "Backward of trop.depthwise_conv_2d_winners";
  let description = [{
    As `trop.route_conv_2d_to_winners` with the depthwise layout: the
    winner `w = kh·KW + kw` of `dY[n, oh, ow, c]` sends it to
    `dX[n, oh·sh + kh·dh − top, ow·sw + kw·dw − left, c]` and
    `dS[kh, kw, c]`, in row-major order of the outputs.

    ```mlir
    %dx, %ds = trop.route_depthwise_conv_2d_to_winners
        ins(%dy, %w : tensor<1x6x6x3xf32>, tensor<1x6x6x3xi64>)
        outs(%zx, %zs : tensor<1x8x8x3xf32>, tensor<3x3x3xf32>)
        -> tensor<1x8x8x3xf32>, tensor<3x3x3xf32>
    ```
  }];
}

def Trop_MaxoutWinnersOp : Trop_TrainingOp<"maxout_winners", 1, 2> {
  let summary = "trop.maxout that also returns each output's winner";
  let description = [{
    `trop.maxout`'s value and, per output `Y[..., g]`, the first position
    `j < group_size` in its group whose input `X[..., g·k + j]` is strictly
    greater than the accumulator (i64; the initial value is kept where
    none is).

    ```mlir
    %y, %w = trop.maxout_winners group_size = 4
        ins(%x : tensor<32x64xf32>)
        outs(%b, %m : tensor<32x16xf32>, tensor<32x16xi64>)
        -> tensor<32x16xf32>, tensor<32x16xi64>
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntPositive]>:$group_size,
                       Trop_ShapedOperand:$input,
                       Trop_ShapedOperand:$init,
                       Trop_ShapedOperand:$winners);
  let assemblyFormat = [{
    `group_size` `=` $group_size attr-dict `ins` `(` $input `:` type($input) `)`
    `outs` `(` $init `,` $winners `:` type($init) `,` type($winners) `)`
    (`->` type($results)^)?
  }];
}

def Trop_RouteMaxoutToWinnersOp
    : Trop_TrainingOp<"route_maxout_to_winners", 2, 1> {
  let summary = "Backward of trop.maxout_winners";
  let description = [{
    `dX[..., g·k + W[..., g]] += dY[..., g]` where `0 ≤ W[..., g] < k`
    (`k = group_size`); nowhere elsewhere. Each input belongs to one group,
    so each destination receives at most one gradient.

    ```mlir
    %dx = trop.route_maxout_to_winners group_size = 4
        ins(%dy, %w : tensor<32x16xf32>, tensor<32x16xi64>)
        outs(%zx : tensor<32x64xf32>) -> tensor<32x64xf32>
    ```
  }];
  let arguments = (ins ConfinedAttr<I64Attr, [IntPositive]>:$group_size,
                       Trop_ShapedOperand:$grad,
                       Trop_ShapedOperand:$winners,
                       Trop_ShapedOperand:$grad_input);
  let assemblyFormat = [{
    `group_size` `=` $group_size attr-dict
    `ins` `(` $grad `,` $winners `:` type($grad) `,` type($winners) `)`
    `outs` `(` $grad_input `:` type($grad_input) `)`
    (`->` type($results)^)?
  }];
}

#endif // TROP_DIALECT_TROP_IR_TROPTRAININGOPS_TD
