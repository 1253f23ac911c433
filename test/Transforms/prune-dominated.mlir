// --trop-prune-dominated: constant tropical weights that provably never win
// their column's max (min), given input bounds, become 𝟘. Exact within the
// bounds (test/Integration/Prune/ checks it by running both versions).
// RUN: trop-opt %s --trop-prune-dominated="report=%t.report" | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.report
// RUN: trop-opt %s --trop-prune-dominated="input-bounds=-1,1" | FileCheck %s --check-prefix=OPTION
// RUN: not trop-opt %s --trop-prune-dominated="input-bounds=1" 2>&1 | FileCheck %s --check-prefix=ONE-VALUE
// RUN: not trop-opt %s --trop-prune-dominated="input-bounds=2,1" 2>&1 | FileCheck %s --check-prefix=ONE-VALUE
// ONE-VALUE: error: trop-prune-dominated: input-bounds must be two finite numbers lo,hi with lo <= hi

// Max-plus, x in [-1, 1]. Column 0: 5 + x >= 4 always, so 1 (at most 2) is
// removed, 3.5 (up to 4.5) stays. Column 1: 0 + x reaches 1 at best and 2 + x
// is at least 1: a tie, which is kept (the comparison is strict).
// CHECK-LABEL: func.func @max_plus
// CHECK: %[[W:.*]] = arith.constant dense<{{\[\[}}5.000000e+00, 0.000000e+00], [0xFF800000, 2.000000e+00], [3.500000e+00, 0xFF800000]]> : tensor<3x2xf32>
// CHECK: trop.matmul <max_plus> ins(%{{.*}}, %[[W]]
func.func @max_plus(%x: tensor<4x3xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[5.0, 0.0], [1.0, 2.0], [3.5, 0xFF800000]]> : tensor<3x2xf32>
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// Min-plus, the mirror image: 1 + x <= 2 always, so 5 and 3.5 (at least 4
// and 2.5) never win the min and become +inf.
// CHECK-LABEL: func.func @min_plus
// CHECK: arith.constant dense<{{\[\[}}0x7F800000], [1.000000e+00], [0x7F800000]]> : tensor<3x1xf32>
func.func @min_plus(%x: tensor<4x3xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %w = arith.constant dense<[[5.0], [1.0], [3.5]]> : tensor<3x1xf32>
  %r = trop.matmul <min_plus> ins(%x, %w : tensor<4x3xf32>, tensor<3x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// Per-column bounds (lo, hi pairs): x0 is exactly 0, x1 in [-10, 10], so
// -11 + x1 <= -1 < 0 = 0 + x0.
// CHECK-LABEL: func.func @per_column
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [0xFF800000]]> : tensor<2x1xf32>
func.func @per_column(%x: tensor<4x2xf32> {trop.bounds = array<f64: 0.0, 0.0, -10.0, 10.0>}, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %w = arith.constant dense<[[0.0], [-11.0]]> : tensor<2x1xf32>
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// The bias (initial value) dominates too: 1 + x <= 2 < 3 = bias.
// CHECK-LABEL: func.func @bias
// CHECK: arith.constant dense<{{\[\[}}0xFF800000], [2.500000e+00]]> : tensor<2x1xf32>
func.func @bias(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x1xf32> {
  %three = arith.constant 3.0 : f32
  %e = tensor.empty() : tensor<4x1xf32>
  %c = linalg.fill ins(%three : f32) outs(%e : tensor<4x1xf32>) -> tensor<4x1xf32>
  %w = arith.constant dense<[[1.0], [2.5]]> : tensor<2x1xf32>
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// Bounds propagate through a max-plus layer (init 𝟘): its outputs are
// [-1, 1] and [9, 11], so the next layer's first weight never wins.
// CHECK-LABEL: func.func @chain
// CHECK: %[[W1:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 1.000000e+01], [0xFF800000, 0xFF800000]]>
// CHECK: %[[W2:.*]] = arith.constant dense<{{\[\[}}0xFF800000], [0.000000e+00]]>
func.func @chain(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x1xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %c = linalg.fill ins(%ninf : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %w1 = arith.constant dense<[[0.0, 10.0], [0xFF800000, 0xFF800000]]> : tensor<2x2xf32>
  %h = trop.matmul <max_plus> ins(%x, %w1 : tensor<4x2xf32>, tensor<2x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<4x1xf32>
  %c2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %w2 = arith.constant dense<[[0.0], [0.0]]> : tensor<2x1xf32>
  %r = trop.matmul <max_plus> ins(%h, %w2 : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c2 : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// And through a linear layer, by interval arithmetic with a rounding margin:
// h0 = x0 in about [-1, 1], h1 = x0 + 4 in about [3, 5], and a row-broadcast
// bias vector as the max-plus init.
// CHECK-LABEL: func.func @linear_then_max_plus
// CHECK: arith.constant dense<{{\[\[}}0xFF800000, 0xFF800000], [0.000000e+00, 0.000000e+00]]> : tensor<2x2xf32>
func.func @linear_then_max_plus(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %bias = arith.constant dense<[0.0, 4.0]> : tensor<2xf32>
  %b = linalg.broadcast ins(%bias : tensor<2xf32>) outs(%e : tensor<4x2xf32>) dimensions = [0]
  %l = arith.constant dense<[[1.0, 1.0], [0.0, 0.0]]> : tensor<2x2xf32>
  %h = linalg.matmul ins(%x, %l : tensor<4x2xf32>, tensor<2x2xf32>) outs(%b : tensor<4x2xf32>) -> tensor<4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %c = linalg.fill ins(%ninf : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %w = arith.constant dense<[[0.0, 0.0], [0.0, 0.0]]> : tensor<2x2xf32>
  %r = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// And through elementwise generics as front ends emit BatchNorm and ReLU
// (per-channel scale and shift vectors, max with 0): x0 * 2 + 10 is in
// [8, 12], max(x1 * 0.5, 0) in [0, 0.5], so 5 + the latter never wins.
// CHECK-LABEL: func.func @batchnorm_relu
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [0xFF800000]]> : tensor<2x1xf32>
func.func @batchnorm_relu(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x1xf32> {
  %s = arith.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %t = arith.constant dense<[10.0, 0.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %bn = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s, %t : tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %sc: f32, %sh: f32, %out: f32):
    %m = arith.mulf %a, %sc : f32
    %r = arith.addf %m, %sh : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%bn : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e1 = tensor.empty() : tensor<4x1xf32>
  %c = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %r = trop.matmul <max_plus> ins(%relu, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// Negative: a generic whose body reads its output (an accumulation) is not
// analysed, so bounds stop there.
// CHECK-LABEL: func.func @reads_output
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [5.000000e+00]]> : tensor<2x1xf32>
func.func @reads_output(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %o: tensor<4x2xf32>) -> tensor<4x1xf32> {
  %g = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x2xf32>) outs(%o : tensor<4x2xf32>) {
  ^bb0(%a: f32, %out: f32):
    %r = arith.addf %a, %out : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e1 = tensor.empty() : tensor<4x1xf32>
  %c = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %r = trop.matmul <max_plus> ins(%g, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// max_min (⊗ = min): min(-3, x) = -3 < -1 <= min(5, x).
// CHECK-LABEL: func.func @max_min
// CHECK: arith.constant dense<{{\[\[}}5.000000e+00], [0xFF800000]]> : tensor<2x1xf32>
func.func @max_min(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %w = arith.constant dense<[[5.0], [-3.0]]> : tensor<2x1xf32>
  %r = trop.matmul <max_min> ins(%x, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// A column with a NaN weight is left alone; the other one is pruned.
// CHECK-LABEL: func.func @nan_column
// CHECK: arith.constant dense<{{\[\[}}5.000000e+00, 5.000000e+00], [0xFF800000, 0x7FC00000]]> : tensor<2x2xf32>
func.func @nan_column(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[5.0, 5.0], [1.0, 0x7FC00000]]> : tensor<2x2xf32>
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// Negative: an init that is not known (a function argument) leaves the first
// layer's outputs unbounded above. The first layer is pruned (x0 + 0 <= 1 <
// 9 <= x1 + 10), but the second layer has no input bounds and is not.
// CHECK-LABEL: func.func @unknown_init
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00, 0xFF800000], [0.000000e+00, 1.000000e+01]]>
// CHECK: arith.constant dense<0.000000e+00> : tensor<2x1xf32>
func.func @unknown_init(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %c: tensor<4x2xf32>, %d: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %w1 = arith.constant dense<[[0.0, 0.0], [0.0, 10.0]]> : tensor<2x2xf32>
  %h = trop.matmul <max_plus> ins(%x, %w1 : tensor<4x2xf32>, tensor<2x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  %w2 = arith.constant dense<[[0.0], [0.0]]> : tensor<2x1xf32>
  %r = trop.matmul <max_plus> ins(%h, %w2 : tensor<4x2xf32>, tensor<2x1xf32>) outs(%d : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// Negative: no bounds, nothing pruned (unless input-bounds is given).
// CHECK-LABEL: func.func @no_bounds
// CHECK: arith.constant dense<{{\[\[}}5.000000e+00], [1.000000e+00]]>
// OPTION-LABEL: func.func @no_bounds
// OPTION: arith.constant dense<{{\[\[}}5.000000e+00], [0xFF800000]]>
func.func @no_bounds(%x: tensor<4x2xf32>, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %w = arith.constant dense<[[5.0], [1.0]]> : tensor<2x1xf32>
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// Negative: weights that are not a constant are never touched.
// CHECK-LABEL: func.func @non_constant
// CHECK: trop.matmul <max_plus> ins(%arg0, %arg1 :
func.func @non_constant(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}, %w: tensor<2x1xf32>, %c: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%c : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %r : tensor<4x1xf32>
}

// Negative: a declaration has no body; nothing to do, and no crash.
// CHECK-LABEL: func.func private @declaration
func.func private @declaration(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x2xf32>

// Negative: mixed precision (f16 inputs cast to an f32 accumulator) is not
// analysed, so bounds stop at the linear layer.
// CHECK-LABEL: func.func @mixed_precision
// CHECK: arith.constant dense<0.000000e+00> : tensor<2x2xf32>
func.func @mixed_precision(%x: tensor<4x2xf16> {trop.bounds = array<f64: -1.0, 1.0>}, %l: tensor<2x2xf16>) -> tensor<4x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<4x2xf32>) -> tensor<4x2xf32>
  %lc = arith.constant dense<[[1.0, 1.0], [0.0, 0.0]]> : tensor<2x2xf16>
  %h = linalg.matmul ins(%x, %lc : tensor<4x2xf16>, tensor<2x2xf16>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  %w = arith.constant dense<[[0.0, 0.0], [0.0, 0.0]]> : tensor<2x2xf32>
  %r = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// REPORT: trop-prune-dominated: exact within the input bounds
// REPORT-NEXT: layer 0 max_plus at {{.*}}: 6 weights, 1 𝟘 before, 1 removed, 2 𝟘 after (33.33 % sparse)
// REPORT-NEXT: layer 1 min_plus at {{.*}}: 3 weights, 0 𝟘 before, 2 removed, 2 𝟘 after (66.67 % sparse)
// REPORT-NEXT: layer 2 max_plus at {{.*}}: 2 weights, 0 𝟘 before, 1 removed
// REPORT-NEXT: layer 3 max_plus at {{.*}}: 2 weights, 0 𝟘 before, 1 removed
// REPORT-NEXT: layer 4 max_plus at {{.*}}: 4 weights, 2 𝟘 before, 0 removed
// REPORT-NEXT: layer 5 max_plus at {{.*}}: 2 weights, 0 𝟘 before, 1 removed
// REPORT-NEXT: layer 6 max_plus at {{.*}}: 4 weights, 0 𝟘 before, 2 removed
// REPORT-NEXT: layer 7 max_plus at {{.*}}: 2 weights, 0 𝟘 before, 1 removed
// REPORT-NEXT: layer 8 max_plus at {{.*}}: skipped (no input bounds)
// REPORT-NEXT: layer 9 max_min at {{.*}}: 2 weights, 0 𝟘 before, 1 removed
// REPORT-NEXT: layer 10 max_plus at {{.*}}: 4 weights, 0 𝟘 before, 1 removed
// REPORT-NEXT: layer 11 max_plus at {{.*}}: 4 weights, 0 𝟘 before, 1 removed
// REPORT-NEXT: layer 12 max_plus at {{.*}}: skipped (no input bounds)
// REPORT-NEXT: layer 13 max_plus at {{.*}}: skipped (no input bounds)
// REPORT-NEXT: layer 14 max_plus at {{.*}}: skipped (weights are not a float constant)
// REPORT-NEXT: layer 15 max_plus at {{.*}}: skipped (no input bounds)
// REPORT-NEXT: total: 35 weights analysed, 12 removed
