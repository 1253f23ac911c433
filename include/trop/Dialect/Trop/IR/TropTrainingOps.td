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

#endif // TROP_DIALECT_TROP_IR_TROPTRAININGOPS_TD
