//===- Passes.td - trop dialect transforms -----------------*- tablegen -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_TRANSFORMS_PASSES_TD
#define TROP_DIALECT_TROP_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TropRaise : Pass<"trop-raise"> {
  let summary = "Recognise tropical contractions in linalg/arith IR and raise them to trop ops";
  let description = [{
    Turns IR as front ends emit it into trop ops, exactly (every rewrite keeps
    results bit for bit, NaN included):

    - a contraction `linalg.generic` (two inputs, one output, one reduction
      loop) whose body is `out ⊕ (a ⊗ b)` with ⊕ ∈ {`arith.maximumf`,
      `arith.minimumf`} and ⊗ ∈ {`arith.addf`, `arith.maximumf`,
      `arith.minimumf`}, or integer ⊕ ∈ {`arith.maxsi`, `arith.minsi`} with
      ⊗ the other one, becomes `trop.matmul` (or `trop.batch_matmul` with a
      leading batch loop), with `linalg.transpose` where an operand's layout
      differs;
    - the unfused form `(x.unsqueeze(1) + W).max(2)`: a broadcasting
      elementwise `linalg.generic` feeding a `linalg.reduce` (or reduction
      generic) with a max or min body, likewise, also when the bias is
      appended as extra columns before the reduction (`tensor.concat`, as
      paper A's code does): those columns are reduced into the initial
      value;
    - `linalg.pooling_nhwc_max`/`_min` become `trop.depthwise_conv_2d` in the
      `max_min`/`min_max` semiring with a structuring element of 𝟙 (+∞/−∞),
      which leaves every value unchanged;
    - maxout, `tensor.expand_shape` of the channel dimension into
      (groups, k) followed by a max reduction over k, becomes `trop.maxout`;
    - a ReLU (`arith.maximumf` with 0, elementwise) applied to the result of
      a `max_*` trop op is folded into that op's initial value:
      max(max(C, S), 0) = max(max(C, 0), S).

    What it leaves alone, on purpose: `arith.maxnumf`/`minnumf` without
    `fastmath<nnan>` (their NaN semantics differ from trop's), integer
    `arith.addi` (it wraps, trop's integer ⊗ saturates and absorbs 𝟘), and
    anything that is not a tropical contraction.

    Example:

    ```mlir
    %s = linalg.generic {indexing_maps = [(b, m, n) -> (b, n), (b, m, n) -> (m, n), (b, m, n) -> (b, m, n)], ...}
           ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) { addf }
    %r = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2] { maximumf }
    ```

    becomes

    ```mlir
    %wt = linalg.transpose ins(%w : tensor<3x8xf32>) outs(%t : tensor<8x3xf32>) permutation = [1, 0]
    %r = trop.matmul <max_plus> ins(%x, %wt : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::trop::TropDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def TropPrune : Pass<"trop-prune", "::mlir::ModuleOp"> {
  let summary = "Magnitude pruning of constant weights (approximate, by name)";
  let description = [{
    One-shot, post-training magnitude pruning of constant weights, as paper
    A does it (`../shared/research/seeds-methods.md` §1.3, §6.6). This pass
    changes results on purpose; the report says by how much the model was
    sparsified.

    Prunable layers, in program order: `trop.matmul` whose right operand is
    an `arith.constant` (a tropical layer), and `linalg.matmul` whose right
    operand is an `arith.constant` (a linear layer).

    - Linear weights: the `num = floor(ratio · numel)`-th smallest `|w|` is
      the threshold and every weight with `|w| <= threshold` becomes 0.
    - Tropical weights are pruned by value, not by magnitude: for `max_*`
      semirings the `num` smallest (most negative) weights become 𝟘 = −∞
      (they would never win the max); for `min_*` the largest become +∞.
      Pruned tropical weights become 𝟘, never 0.
    - Because of `<=`, ties can prune slightly more than `num` weights, as in
      paper A's code. Weights that already are 0 (𝟘) count as pruned.

    `scope=layer` uses one threshold per layer, with `ratios` giving one
    ratio per layer in program order (missing entries use `ratio`);
    `scope=global` pools all linear layers' `|w|` into one threshold and all
    tropical layers' values (sign-adjusted) into another, at `ratio`.

    The report (`report=FILE`, or `-` for standard error) lists each layer
    with its kind, parameter count, and weights pruned before and after.

    Example:

    ```sh
    trop-opt --trop-prune="scope=layer ratios=0.9,0.8 report=-" model.mlir
    ```
  }];
  let options = [
    Option<"method", "method", "std::string", "\"magnitude\"",
           "Pruning criterion (only magnitude is implemented)">,
    Option<"scope", "scope", "std::string", "\"layer\"",
           "layer: one threshold per layer; global: one per layer kind">,
    Option<"ratio", "ratio", "double", "0.0",
           "Fraction of weights to prune, in [0, 1]">,
    ListOption<"ratios", "ratios", "double",
               "Per-layer ratios in program order (scope=layer)">,
    Option<"report", "report", "std::string", "\"\"",
           "Write a sparsity report to this file ('-': standard error)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TropFuse : Pass<"trop-fuse"> {
  let summary = "Fuse max/min pairs sharing a weight, and tile linear → tropical → linear chains by rows";
  let description = [{
    Two exact fusions of tropical layers (`../shared/PRODUCT.md`, issue 4):

    - **Max/min pairs.** A `trop.matmul <max_plus>` and a
      `trop.matmul <min_plus>` on tensors with the same `lhs` and the same
      `rhs` (SSA-equal; paper C's `MaxPlusMin` layer) become one
      `trop.dual_matmul`, whose kernels compute each sum `A[i, k] + B[k, j]`
      once and update both a max and a min accumulator. Exact: on floats
      both semirings' ⊗ is the same IEEE addition (rounded once, the same
      value either way) and max/min are exact, so every result is bit for
      bit what the two ops give. Integer pairs are left alone (their ⊗
      saturates towards different 𝟘s). The pair is fused only when the
      later op's position is legal for both, i.e. when nothing between them
      uses the earlier op's result (in particular neither init depends on
      the other op).
    - **Row tiling of chains** (`tile-rows` > 0, after pairing). A chain of
      2-D tensor ops that ends in a consumer and in which every intermediate
      feeds only the next op through its rows (the left operand or the
      destination of `linalg.matmul`, `trop.matmul`, `trop.dual_matmul`; a
      row-indexed input of an elementwise `linalg.generic`; the destination
      of `linalg.fill` or of a bias `linalg.broadcast`) is tiled along its
      rows with the upstream `scf::tileConsumerAndFuseProducersUsingSCF`
      (trop's matmul ops implement `TilingInterface`), so that one
      `scf.for` runs each tile of `tile-rows` rows through the whole chain
      and the intermediates of a tile stay in cache. Only chains with a
      tropical op and at least two contractions are tiled (paper A's head:
      linear → max-plus → linear). Weights and biases are read whole, not
      recomputed. Exact: tiling the rows only partitions the independent
      output rows; every element is reduced over its whole K in the same
      order by the same kernel. The driver fuses a producer once per slice
      that reads it, so a `dual_matmul` whose two results feed the chain is
      cloned twice; CSE (exact) merges the clones.

    Example (pairing):

    ```mlir
    %mx = trop.matmul <max_plus> ins(%x, %w : tensor<256x512xf32>, tensor<512x64xf32>)
                                 outs(%b : tensor<256x64xf32>) -> tensor<256x64xf32>
    %mn = trop.matmul <min_plus> ins(%x, %w : tensor<256x512xf32>, tensor<512x64xf32>)
                                 outs(%b2 : tensor<256x64xf32>) -> tensor<256x64xf32>
    ```

    becomes

    ```mlir
    %r:2 = trop.dual_matmul ins(%x, %w : tensor<256x512xf32>, tensor<512x64xf32>)
                            outs(%b, %b2 : tensor<256x64xf32>, tensor<256x64xf32>)
                            -> tensor<256x64xf32>, tensor<256x64xf32>
    ```

    and with `tile-rows=96` a chain `linalg.matmul` → `trop.matmul` →
    `linalg.matmul` on 256 rows becomes

    ```mlir
    %y = scf.for %i = %c0 to %c256 step %c96 iter_args(%acc = %e) -> (tensor<256x10xf32>) {
      %rows = affine.min affine_map<(d0) -> (-d0 + 256, 96)>(%i)
      %xs = tensor.extract_slice %x[%i, 0] [%rows, 512] [1, 1] : tensor<256x512xf32> to tensor<?x512xf32>
      %h1 = linalg.matmul ins(%xs, %w1 : ...) outs(...) -> tensor<?x512xf32>
      %h2 = trop.matmul <max_plus> ins(%h1, %w2 : ...) outs(...) -> tensor<?x512xf32>
      %ys = linalg.matmul ins(%h2, %w3 : ...) outs(...) -> tensor<?x10xf32>
      %r = tensor.insert_slice %ys into %acc[%i, 0] [%rows, 10] [1, 1] : tensor<?x10xf32> into tensor<256x10xf32>
      scf.yield %r : tensor<256x10xf32>
    }
    ```
  }];
  let options = [
    Option<"pairMaxMin", "pair-max-min", "bool", "true",
           "Fuse trop.matmul <max_plus>/<min_plus> pairs with the same "
           "operands into trop.dual_matmul">,
    Option<"tileRows", "tile-rows", "int64_t", "96",
           "Rows per tile of linear → tropical → linear chains (0: do not "
           "tile; a multiple of the kernels' 12 and 6 row tiles avoids "
           "partial register tiles)">,
  ];
  let dependentDialects = [
    "::mlir::trop::TropDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
  ];
}

#endif // TROP_DIALECT_TROP_TRANSFORMS_PASSES_TD
