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

def TropFold : Pass<"trop-fold"> {
  let summary = "Exact tropical algebra and structural sparsity cleanups on constant weights";
  let description = [{
    Simplifies layers with constant weights: `trop.matmul` whose right
    operand `W` (K×N, `C[m, n] = C[m, n] ⊕ ⊕_k x[m, k] ⊗ W[k, n]`) is an
    `arith.constant` (or a `linalg.transpose` of one), and the linear layers
    (`linalg.matmul` by a constant, bias as its init) around them, as
    `trop.export` emits them. `docs/algebra.md` gives each identity with its
    proof.

    Exact rewrites (always on; bit-identical results on every input in the
    semiring's carrier: no NaN, and for `max_plus` no +∞ where a 𝟘 weight
    meets it, for `min_plus` no −∞ — `x ⊗ 𝟘` is then 𝟘. On such inputs the
    original computes NaN; nothing else differs. Integers: always exact):

    - **Unread inputs.** Row k of `W` all 𝟘: input k contributes
      `x[:, k] ⊗ 𝟘 = 𝟘`, the identity of ⊕, to every output. Row k is
      deleted, and so is column k of the input, by rebuilding its producer
      chain on the kept columns: a preceding linear layer loses the weight
      column and bias entry (one neuron), a preceding tropical layer an
      output neuron, elementwise ops (BatchNorm) the entry; every kept value
      is computed by the same operations as before. Producers that do work
      are only shrunk when nothing else reads them. With every row 𝟘 the
      layer is replaced by its init.
    - **Constant neurons into the next tropical layer.** Column n of `W1`
      all 𝟘: output n of the layer is its bias `b1[n]` (init a broadcast
      constant row). When the only reader is a tropical layer of the same
      semiring with constant weights `W2` and bias `b2`, the term
      `b1[n] ⊗ W2[n, j]` — the very rounded sum the layer computes — moves
      into its bias: `b2'[j] = b2[j] ⊕ ⊕_n b1[n] ⊗ W2[n, j]`, and ⊕
      (max/min) never rounds. The neuron and row n of `W2` are deleted.
    - **Single connections.** Every output neuron has at most one non-𝟘
      weight `w[n]` at input `k(n)`: the contraction becomes the elementwise
      `y[:, n] = init[:, n] ⊕ (x[:, k(n)] ⊗ w[n])`, a shifted ReLU
      `max(b, x + w)` for max-plus; the same single ⊗ and ⊕. Read in place
      when `k(n) = n`, else through a constant index vector
      (`tensor.extract` in a `linalg.generic`).
    - **Composition of lattice layers.** `max_min`/`min_max` layers with
      constant weights and biases, one reading the other: min and max never
      round and distribute over each other, so the pair is one layer with
      `W = W1 ⊗ W2`, `b = b2 ⊕ b1 ⊗ W2` — when cheaper (`K·J < K·N + N·J`).
      Exact on every input, NaN included.

    Reassociating rewrites (`reassociate=true`; exact in real arithmetic,
    but they change the order or grouping of float additions or
    multiplications, so results can differ by rounding; the tests compare
    with a tolerance):

    - **Bias into weights.** A bias added just before a `_plus` layer,
      `⊕_k ((z_k + c_k) + W_kn) = ⊕_k (z_k + (W_kn + c_k))`: an
      elementwise `linalg.generic` ending in `+ c[d1]` (BatchNorm's shift)
      loses the add, or a linear layer's bias becomes 0.
    - **Composition of `_plus` layers**, as above with
      `(W1 ⊗ W2)[k, j] = ⊕_n W1[k, n] + W2[n, j]`, when cheaper.
    - **Constant neurons into the next linear layer**: `b1[n]·W2[n, j]`
      moves into its bias (summed in double, rounded once).
    - **Positive scaling commutes**: a scalar `a > 0` multiplying a `_plus`
      layer's output moves before it (`a·W`, `a·b`, `a·x`), and one
      multiplying a linear layer's output folds into its weights and bias.

    Integers: the structural deletions and single connections (built with
    the semiring's saturating ⊗) apply to them; the folds that compute new
    constants are float-only.

    Example (paper A's head: a sparse max-plus layer reads only inputs 0
    and 2 of the linear layer before it):

    ```mlir
    %z = linalg.matmul ins(%x, %w1 : tensor<8x16xf32>, tensor<16x3xf32>) outs(%f : tensor<8x3xf32>) -> tensor<8x3xf32>
    %y = trop.matmul <max_plus> ins(%z, %w2 : tensor<8x3xf32>, tensor<3x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
    ```

    becomes (row 1 of `%w2` was all −∞)

    ```mlir
    %z = linalg.matmul ins(%x, %w1k : tensor<8x16xf32>, tensor<16x2xf32>) outs(%f2 : tensor<8x2xf32>) -> tensor<8x2xf32>
    %y = trop.matmul <max_plus> ins(%z, %w2k : tensor<8x2xf32>, tensor<2x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
    ```
  }];
  let options = [
    Option<"reassociate", "reassociate", "bool", "false",
           "Also apply the rewrites that are exact in real arithmetic but "
           "change float rounding (approximate)">,
def TropTropNNC : Pass<"trop-tropnnc", "::mlir::ModuleOp"> {
  let summary = "Data-free structured compression of ReLU blocks with constant weights (paper B, TropNNC)";
  let description = [{
    Removes hidden neurons of `Linear → ReLU → Linear` and
    `Conv2d → ReLU → Conv2d` blocks whose weights are constants, without
    data (`../shared/research/seeds-methods.md` §2.2–2.3, derivation in
    `docs/tropnnc.md`). Approximate by name: even its exact steps change
    float rounding (they re-associate sums and fold batch norm), so results
    differ from the original by rounding; the clustering step changes them
    by at most a recorded bound.

    Matched IR, as `trop.export` emits it: `linalg.matmul` (default maps)
    or `linalg.conv_2d_nhwc_hwcf` with a constant right operand and an init
    that is a per-channel constant (the bias: a broadcasting
    `linalg.generic`, `linalg.broadcast`, `linalg.fill` or constant), then
    any chain of per-channel affine elementwise ops (batch norm `x·s + t`,
    bias adds: `linalg.generic` bodies of `addf`/`subf`/`mulf`/`divf`/`negf`
    with channel constants, or `linalg.add`/`sub`/`mul`/`div`), then a ReLU
    (`linalg.generic` yielding `arith.maximumf(x, 0)`, or `linalg.max` with
    zeros), then the same kind of op with a constant right operand. Every
    value between the two must have exactly one user; anything else is left
    untouched.

    With x̂ = (x, 1), neuron j has the input row g_j = (a_j, β_j) (batch
    norm folded in: a_j ← s_j a_j, β_j ← s_j β_j + t_j) and the output column
    c_j (for a conv consumer, its slice `W2[:, :, j, :]`), and the block is
    y = Σ_j c_j ReLU(g_j · x̂) + γ. In order:

    1. Dead neurons, g_j = 0 or c_j = 0, are removed (ReLU(0) = 0).
    2. Positive multiples merge: if g_j = t_j g_r with t_j > 0 then
       Σ_j c_j ReLU(t_j g_r · x̂) = (Σ_j t_j c_j) ReLU(g_r · x̂), by positive
       homogeneity of ReLU. Directions within `merge-tolerance` (Euclidean
       distance of unit vectors) count as multiples. Negative multiples are
       never merged (ReLU(−z) ≠ −ReLU(z)).
    3. If more than K = max(1, ⌈keep-ratio · n⌉) directions remain, they are
       clustered with weighted spherical k-means (k-means++ seeding from a
       splitmix64 generator seeded by `seed`, weights ‖Σ ‖g_j‖ c_j‖). Each
       cluster gets a row v (the normalised weighted mean direction), each
       member the scale t_j = max(0, ⟨g_j, v⟩/‖v‖²), and the merged neuron
       the column Σ_j t_j c_j.

    Bound: for ‖x‖₂ ≤ r (`input-radius`; for convolutions, every receptive
    field, which ‖x‖₂ ≤ r implies) and ρ = sqrt(r² + 1), every output i obeys

        |y_i(x) − ỹ_i(x)| ≤ ρ Σ_j |c_ij| ‖g_j − t_j v_k(j)‖ + ρ Σ_k ‖v_k‖ |ĉ'_ik − ĉ_ik|

    (for a conv, c_ij sums over the consumer's kernel window). The first
    term is the paired-generator upper bound of ρ·(H(P, P̃) + H(Q, Q̃)) for
    the zonotopes of output i with generators |c_ij| g_j; the second covers
    rounding the new columns to the element type. It holds in real
    arithmetic for the emitted constants; the float evaluation adds its own
    rounding on top. The consumer gets the discardable attribute
    `trop.tropnnc = {bound, bounds (per output), dead, directions, exact,
    kept, original, rho}`; `exact = true` means no clustering happened (the
    bound then only covers rounding and tolerance merges).

    Example:

    ```sh
    trop-opt --trop-tropnnc="keep-ratio=0.5 input-radius=4 report=-" model.mlir
    ```
  }];
  let options = [
    Option<"keepRatio", "keep-ratio", "double", "1.0",
           "Fraction of hidden neurons to keep, in (0, 1]; 1 does only the exact steps">,
    Option<"seed", "seed", "uint64_t", "0",
           "Seed of k-means++ (the result is deterministic for a given seed)">,
    Option<"inputRadius", "input-radius", "double", "1.0",
           "Radius r of the input ball ||x||_2 <= r the bound is stated for">,
    Option<"mergeTolerance", "merge-tolerance", "double", "-1.0",
           "Distance of unit directions under which neurons merge as positive multiples; negative: 16 ulps of 1 in the element type (at most 1e-3)">,
    Option<"maxIterations", "max-iterations", "int64_t", "50",
           "Lloyd iterations of k-means at most">,
    Option<"report", "report", "std::string", "\"\"",
           "Write a per-block report to this file ('-': standard error)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // TROP_DIALECT_TROP_TRANSFORMS_PASSES_TD
