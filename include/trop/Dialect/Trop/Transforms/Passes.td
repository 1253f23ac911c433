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
      generic) with a max or min body, likewise (also when one broadcast
      feeds several such reductions, as DEP's max and min of one `x + W`
      do: each is raised and the broadcast goes), also when the bias is
      appended as extra columns before the reduction (`tensor.concat`, as
      paper A's code does): those columns are reduced into the initial
      value;
    - a layer whose rows span several loops that only the input reads, the
      weight reading the reduction loop and one output loop (a sequence
      batch B×T×D, or paper code's unfold-based morphological convolution
      on `F.unfold` patches N×P×L): the row loops are collapsed
      (`tensor.collapse_shape`), the layer is one `trop.matmul`, and the
      result is reshaped and transposed back, with no temporary of the
      broadcast's size;
    - ⊗ written as a subtraction (`arith.subf`, paper code's
      `(x.unsqueeze(1) - W).amax(-1)`), in either of the forms above: a − b
      is a + (−b) exactly in IEEE arithmetic, so the subtrahend is negated
      elementwise and the layer raised as with `arith.addf`;
    - a morphological convolution written as one windowed `linalg.generic`
      (seven loops, the input read at `oh·sh + kh·dh` and `ow·sw + kw·dw`,
      body `out ⊕ (x ⊗ w)`) becomes `trop.conv_2d` with those strides and
      dilations, in any layout of its three operands (NCHW/FCHW as PyTorch
      writes it included): they are transposed to NHWC/HWCF and the result
      back;
    - `linalg.pooling_nhwc_max`/`_min` become `trop.depthwise_conv_2d` in the
      `max_min`/`min_max` semiring with a structuring element of 𝟙 (+∞/−∞),
      which leaves every value unchanged; so does max/min pooling written
      as a windowed reduction `linalg.generic` (six loops, the input read at
      two plain loops and two windows `o·s + k·d`, a window operand that
      only sizes the two kernel loops, body `max(x, out)` or `min`), in any
      layout: what `trop.export` writes for `F.unfold` patches or
      `Tensor.unfold` views reduced by max/min;
    - a `tensor.pad` with the semiring's 𝟘 (−∞ for `max_plus`/`max_min`,
      +∞ for `min_plus`/`min_max`, the type's lowest/highest integer) on H
      and W, feeding `trop.conv_2d` or `trop.depthwise_conv_2d` directly or
      through the `linalg.transpose` to NHWC (an NCHW `F.pad`), folds into
      the op's `padding`, which pads with 𝟘 too; a pad with any other value
      (`F.pad`'s default 0) changes results and stays;
    - maxout, `tensor.expand_shape` of the channel dimension into
      (groups, k) followed by a max reduction over k, becomes `trop.maxout`;
    - an elementwise max (min) of a `max_*` (`min_*`) trop op's result and
      values that do not depend on it is folded into that op's initial
      value: max(max(C, S), B) = max(max(C, B), S). This covers a ReLU
      (`arith.maximumf` with 0 on either side, or `arith.cmpf ugt`/`ole` +
      `arith.select`, the forms that are `maximumf(x, +0)` bit for bit) and
      a bias applied as a separate maximum or minimum (a broadcasting
      `linalg.generic`, or `linalg.max`/`linalg.min`), as paper code writes
      `torch.max(layer(x), b)`.

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
    sparsified. (`--trop-prune-dominated` is the exact counterpart: it only
    removes tropical weights that provably never win, given input bounds.
    docs/pruning.md compares the two.)

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

    `preset=paper-a` reproduces paper A's parameter-matched protocol
    (`prune_weights` in its code): `ratios=r1,r2` are the ratios of a ReLU
    baseline head (linear n_in→n_hid with n_hid biases, then linear
    n_hid→c), and each head variant is pruned so that it keeps as many
    weights plus biases as that baseline. `head` names the variant, or
    `auto` detects it from the prunable layers:

    - `relu` (linear, linear): r1 and r2, as they are.
    - `maxout` (linear n_in→k·n_hid, linear): the first layer keeps the
      baseline's weights minus the (k−1)·n_hid extra biases of its k pieces
      (the code's `1 − (1 − r1)/k` plus `extra = bias/2` per piece).
    - `dense-morph` (linear, max-plus, linear, no 𝟘 weights yet): the first
      two layers share the baseline's first-layer weight budget, each keeping
      the same fraction. Where both have equal sizes this is the code's
      `1 − (1 − r1)/2` on both; where they differ (paper A's CIFAR head,
      256→512 then 512→512) the code does not match the budget and this
      preset does (docs/pruning.md).
    - `sparse-morph` (linear, max-plus with 𝟘 weights, linear): the max-plus
      layer is left alone and counted by its finite weights (the code
      assumes the expected 2 per neuron); the first layer pays for them.
    - The last linear layer is pruned at r2 in every variant.

    Biases are not operands of the matmuls, so the preset assumes paper A's
    (one per unit of every biased layer) when it counts parameters.

    The report (`report=FILE`, or `-` for standard error) lists each layer
    with its kind, parameter count, and weights pruned before and after;
    with the preset also the baseline's parameter count and the head's.

    Example:

    ```sh
    trop-opt --trop-prune="scope=layer ratios=0.9,0.8 report=-" model.mlir
    trop-opt --trop-prune="preset=paper-a ratios=0.8,0.7 report=-" head.mlir
    ```
  }];
  let options = [
    Option<"method", "method", "std::string", "\"magnitude\"",
           "Pruning criterion (only magnitude is implemented)">,
    Option<"scope", "scope", "::mlir::trop::PruneScope",
           "::mlir::trop::PruneScope::Layer",
           "layer: one threshold per layer; global: one per layer kind",
           [{::llvm::cl::values(
             clEnumValN(::mlir::trop::PruneScope::Layer, "layer",
               "one threshold per layer"),
             clEnumValN(::mlir::trop::PruneScope::Global, "global",
               "one threshold per layer kind"))}]>,
    Option<"ratio", "ratio", "double", "0.0",
           "Fraction of weights to prune, in [0, 1]">,
    ListOption<"ratios", "ratios", "double",
               "Per-layer ratios in program order (scope=layer)">,
    Option<"report", "report", "std::string", "\"\"",
           "Write a sparsity report to this file ('-': standard error)">,
    Option<"preset", "preset", "std::string", "\"\"",
           "paper-a: per-layer counts matching a ReLU head pruned at ratios=r1,r2">,
    Option<"head", "head", "std::string", "\"auto\"",
           "With preset=paper-a: auto, relu, maxout, dense-morph or sparse-morph">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def TropPruneDominated : Pass<"trop-prune-dominated", "::mlir::ModuleOp"> {
  let summary = "Remove tropical weights that provably never win, given input bounds (exact within the bounds)";
  let description = [{
    Interval-dominance pruning: for a `trop.matmul` with a constant weight
    matrix W (K×N) whose input columns are known to lie in intervals
    x_k ∈ [l_k, u_k], a weight W[k,n] whose term can never reach the
    column's guaranteed value is set to 𝟘. Unlike `--trop-prune` this
    changes no result: on every input within the bounds the outputs are
    bit-identical (tested by JIT comparison on random inputs within the
    bounds). Outside the bounds results may change.

    For a `max_*` semiring, with t(w, x) = w ⊗ x as the kernel rounds it
    (IEEE addition in the element type for `max_plus`, `min` for
    `max_min`), column n's witness is

        L_n = max(lower bound of C[:, n], max_k t(W[k,n], l_k))

    and W[k,n] becomes 𝟘 = −∞ when t(W[k,n], u_k) < L_n. Exactness: the
    rounded sum is monotone in each operand, so for every x in the bounds the
    pruned term is ≤ t(W[k,n], u_k) < L_n ≤ the term (or C element) that
    attains L_n, which is kept since its upper bound is ≥ L_n. The max is
    therefore unchanged, bit for bit. The comparison is strict: with ≤ a
    pruned term could tie with the witness, and a tie between +0 and −0 may
    pick either sign (docs/semantics.md). `min_*` semirings are the mirror
    image (prune when t(W[k,n], l_k) > U_n, to +∞).

    Bounds come from the `trop.bounds` attribute of a function argument,
    `array<f64: lo, hi>` for every element or `array<f64: lo_0, hi_0, ...,
    lo_{D-1}, hi_{D-1}>` per index of the last dimension, or from the
    `input-bounds=lo,hi` option, which applies to every float tensor argument
    without the attribute that is the input (left operand) of a
    `trop.matmul` or `linalg.matmul`. Bounds must be finite with lo ≤ hi.
    Inputs must also be NaN-free.

    Bounds then propagate forward, per last-dimension index, so later layers
    prune too:

    - through `trop.matmul` (constant weights, any float semiring):
      [⊕_k t(W, l_k) ⊕ C_lo, ⊕_k t(W, u_k) ⊕ C_hi] per column, exact;
    - through `linalg.matmul` (constant weights): interval arithmetic on
      Σ_k x_k·W[k,n] + C, widened by the worst-case rounding error of any
      summation order, γ_{K+1}·Σ|x_k·W[k,n]| + |C| terms (doubled for
      safety), and rounded outwards;
    - through elementwise, all-parallel 2-D `linalg.generic` ops (bias adds,
      BatchNorm in eval mode, ReLU, as `trop.export` emits them): the body is
      evaluated on intervals, each op (addf, subf, mulf, divf, negf,
      max/min; no fastmath flags) on its operands' corners, rounded as the
      kernel rounds; sound without a margin since every op is monotone in
      each operand on those corners. Inputs are read at (i, j) or broadcast
      from a vector at (j) and must be bounded or constant;
    - the initial value C (the bias) is bounded when it is an
      `arith.constant`, a `linalg.fill` of a constant, a row broadcast
      (`linalg.generic` or `linalg.broadcast`) of a constant vector, or a
      value already bounded. Otherwise a `max_*` layer has no lower bound
      from C and no upper bound at all, and propagation stops there.

    Any other op ends propagation (reshapes, transposes, maxout,
    batch_matmul, convolutions, generics that read their output or use other
    ops, mixed-precision `linalg.matmul` and integer types are not
    analysed). Columns
    with a NaN weight are left alone. Non-constant weights are never touched.

    The report (`report=FILE`, or `-` for standard error) lists every
    `trop.matmul`: how many weights it had, how many were 𝟘 before, how many
    this pass removed, or why it was skipped (no input bounds, weights not a
    constant, memref form).

    Example:

    ```mlir
    func.func @f(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
      %w = arith.constant dense<[[5.0], [1.0]]> : tensor<2x1xf32>
      %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
      return %r : tensor<4x1xf32>
    }
    ```

    W[1,0] = 1 gives at most 1 + 1 = 2 < 4 = 5 + (−1), the least W[0,0]
    gives, so it becomes −∞: `dense<[[5.0], [0xFF800000]]>`.
  }];
  let options = [
    ListOption<"inputBounds", "input-bounds", "double",
               "lo,hi: bounds of every matmul input argument without trop.bounds">,
    Option<"report", "report", "std::string", "\"\"",
           "Write a report of removed weights to this file ('-': standard error)">,
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
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def TropNNC : Pass<"trop-tropnnc", "::mlir::ModuleOp"> {
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
    (`linalg.max` with zeros, or a `linalg.generic` yielding max(x, 0) as
    `arith.maximumf`, `arith.maxnumf` or `arith.cmpf` + `arith.select`, the
    zero on either side), then the same kind of op with a constant right
    operand. The ReLU may be fused with the affine steps before it into one
    `linalg.generic` (the bias + ReLU that `linalg-fuse-elementwise-ops`
    leaves, the bias read through `(d0, d1) -> (d1)`, in either operand
    order). The hidden layer is read by the matcher shared with the other
    passes that match layers (`trop/Dialect/Trop/Utils/LayerMatch.h`). Every
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
    - **Max/min convolution pairs.** Likewise a `trop.conv_2d <max_plus>`
      and a `trop.conv_2d <min_plus>` on float tensors with the same
      `input`, the same strides, dilations and padding, filters of one
      shape and destinations of one type become one `trop.dual_conv_2d`
      with their two filters (the same value for paper C's max-plus-min
      `MorphConv2d`, two for the convolutional DEP), whose kernel reads
      each input window once. Exact for the same reasons; each half keeps
      its own padding with its semiring's 𝟘.
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
           "operands into trop.dual_matmul, and trop.conv_2d pairs with "
           "the same input and window into trop.dual_conv_2d">,
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

def TropLinearToBipolar : Pass<"trop-linear-to-bipolar", "::mlir::ModuleOp"> {
  let summary = "Convert linear and conv layers with constant weights to "
                "paper E's bipolar morphological form (approximate, by name)";
  let description = [{
    Paper E's conversion of a trained layer (`../shared/research/
    seeds-methods.md` §5.1, `docs/bipolar.md`): every `linalg.matmul` on f32
    or f64 tensors whose weights `W` (K×N) are an `arith.constant` becomes a
    `trop.bipolar_matmul` with the same input and destination (the bias,
    copied unchanged) and the constant log-weight poles

    ```
    V⁺ = ln(max(+W, floor)),  V⁻ = ln(max(−W, floor))
    ```

    computed in double and rounded once to the element type. The layer then
    computes, with `L± = ln(max(±x, input_shift))`,
    `y = b + e(L⁺V⁺) − e(L⁺V⁻) − e(L⁻V⁺) + e(L⁻V⁻)`, where `e(·)` is the
    exponential of a max-plus contraction. The defaults (`floor` 1e-6,
    `input_shift` 0.1) are those of the paper's reference code, so that the
    converted layer reproduces its numerics; this is not the product sum,
    and the pass says by how much it differs.

    Per layer, the report measures the error against the linear layer on
    `samples` random inputs drawn uniformly (SplitMix64, `seed`) in the box
    `input-bounds = lo,hi` (every input in [lo, hi]): the largest absolute
    difference over all samples and outputs, and that difference relative
    to the largest |x·W| seen (both computed in double with the rounded
    poles; the bias cancels). Layers whose weights are not constant, with a
    transposed or broadcast `indexing_maps`, or on other element types are
    left alone and listed as such.

    Every `linalg.conv_2d_nhwc_hwcf` on static f32 or f64 tensors with a
    constant KH×KW×C×F filter (what `trop.export` gives for a `nn.Conv2d`,
    its zero padding a `tensor.pad` before it) is converted the same way as
    an im2col and a contraction: a `linalg.generic` copies the N×OH×OW
    windows of KH×KW×C inputs (strides and dilations in its input map),
    `tensor.collapse_shape` makes them an (N·OH·OW)×(KH·KW·C) matrix, the
    filter read as a (KH·KW·C)×F matrix gives the poles, the destination
    (the bias) is collapsed to (N·OH·OW)×F, and the `trop.bipolar_matmul`'s
    result is expanded back to N×OH×OW×F. The report lists it as
    `im2col + trop.bipolar_matmul` with K = KH·KW·C and N = F.

    Example:

    ```sh
    trop-opt --trop-linear-to-bipolar="input-bounds=0,1 samples=512 report=-" mlp.mlir
    ```
  }];
  let options = [
    Option<"floor", "floor", "double", "1e-6",
           "Weights below this (after the sign split) map to ln(floor)">,
    Option<"inputShift", "input-shift", "double", "0.1",
           "Floor of both input poles, ln(max(±x, input-shift)) (0: the "
           "exact sign split)">,
    ListOption<"inputBounds", "input-bounds", "double",
               "lo,hi: the box the error is measured on (default -1,1)">,
    Option<"samples", "samples", "int64_t", "256",
           "Random inputs per layer for the measured error">,
    Option<"seed", "seed", "uint64_t", "0", "Seed of the random inputs">,
    Option<"report", "report", "std::string", "\"\"",
           "Write the per-layer report to this file ('-': standard error)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::trop::TropDialect"];
}

def TropDifferentiate : Pass<"trop-differentiate", "::mlir::ModuleOp"> {
  let summary = "Emit the backward function of each function with trop "
                "contractions, on the winners ops";
  let description = [{
    For every function with one tensor result that contains a
    `trop.matmul`, `trop.batch_matmul`, `trop.conv_2d`,
    `trop.depthwise_conv_2d` or `trop.maxout` (max_plus or min_plus on
    floats), adds `<name>_backward`, taking the function's arguments and the
    gradient `dY` of its result and returning the gradient of each argument
    (of `Σ dY · f(args)`), so that a C++ host gets the training code of a
    network it wrote in trop (`buildBackwardFunction` in `Transforms.h`
    does it for one function).

    The backward recomputes the forward with the winners variant of each
    contraction (`trop.matmul_winners`, …; winners start at −1), then walks
    it in reverse: each contraction's routing op (`trop.route_to_winners`,
    …) sends every output gradient to the two operands of its first winning
    product, the initial value (a layer's bias) receives the gradients of
    the outputs it won, a `linalg.broadcast` (a bias broadcast over the
    batch) sums its gradient over the broadcast dimensions (`linalg.reduce`)
    and `linalg.add` passes it to both operands; gradients of a value used
    twice are added. Arguments no gradient reaches get zeros. Ties follow
    the `first` rule of `docs/semantics.md` ("Ties in training"); on
    tie-free data the gradients are those of PyTorch's autograd on the
    eager formulation. Any other op that a gradient flows through is an
    error; functions already named `*_backward` are skipped.

    Example:

    ```sh
    trop-opt --trop-differentiate mlp.mlir
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::trop::TropDialect"];
}

def TropBinarize : Pass<"trop-binarize", "::mlir::ModuleOp"> {
  let summary = "Rewrite paper D's activated BiSE layers to bit-packed binary "
                "ops (exact; projections approximate, by name)";
  let description = [{
    Paper D's binarization (`../shared/research/seeds-methods.md` §4,
    `docs/paper-d.md`). For every `trop.bise` (what `trop.export` emits for
    `BiSE`, `LUI`, `DenseLUI` and the halves of `BiSEL`) whose weights, bias
    and scale are `arith.constant`s, each neuron (output channel) is decided
    as `trop.nn`'s `find_structuring_element` decides it: β = −b, a
    dilation if β ≤ Σw/2 else an erosion, S = {w ≥ β/v2} or
    {w ≥ (Σw − β)/(1 − v1)}, and the activation inequalities for inputs in
    [0, v1] ∪ [v2, 1]:

    - dilation: Σ_{k∉S, w>0} w + v1·Σ_{k∈S, w>0} w < β < v2·min_S w + Σ_{w<0} w
    - erosion: Σ_{w>0} w − (1 − v1)·min_S w < β < v2·Σ_{k∈S, w>0} w + Σ_{w<0} w

    When every neuron of a layer is activated, the layer thresholded at 1/2
    **is** its binary form on every input within the bounds, and the pass
    rewrites it: the input becomes bits (`trop.level_sets` at (v1 + v2)/2,
    or directly the bits of a layer binarized before it), a 1×1 kernel
    (LUI, DenseLUI) becomes `trop.binary_dense` over the pixels, a window
    over one channel per neuron (a depthwise BiSE, channel multiplier
    allowed) `trop.binary_morphology` with `padding_mode = <replicate>`
    ('same' replicate padding, modelled exactly), each between
    `trop.pack_bits` and `trop.unpack_bits`; a negative scale P complements
    the neuron's output, P = 0 makes it 0, and the result is 0/1 in the
    layer's float type. A neuron that is not activated has no exact binary
    form: its layer is left unless `projection` names one of the paper's
    projections (`constant`: the nearest constant set; `twn-uniform`,
    `twn-normal`: the Ternary Weight Network thresholds), which are
    approximate and reported with their distance
    Σw² − (Σ_{k∈S} w)²/|S|.

    The report lists every layer: exact, projected (largest distance) or
    left (and why); with `verbose`, every neuron's operation and S (in the
    order of the PyTorch layer's weights, C/G × KH × KW).

    Example:

    ```sh
    trop-opt --trop-binarize="report=-" bise.mlir
    trop-opt --trop-binarize="v1=0.1 v2=0.9 projection=constant report=r.txt" bise.mlir
    ```
  }];
  let options = [
    Option<"v1", "v1", "double", "0.0",
           "Inputs near 0 are at most v1 (0 for binary inputs)">,
    Option<"v2", "v2", "double", "1.0",
           "Inputs near 1 are at least v2 (1 for binary inputs)">,
    Option<"projection", "projection", "std::string", "\"none\"",
           "What to do with a neuron that is not activated: none (leave its "
           "layer), constant, twn-uniform or twn-normal (approximate)">,
    Option<"verbose", "verbose", "bool", "false",
           "List every neuron's operation and structuring element">,
    Option<"report", "report", "std::string", "\"\"",
           "Write the per-layer report to this file ('-': standard error)">,
  ];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::linalg::LinalgDialect",
                           "::mlir::tensor::TensorDialect",
                           "::mlir::trop::TropDialect"];
}

#endif // TROP_DIALECT_TROP_TRANSFORMS_PASSES_TD
