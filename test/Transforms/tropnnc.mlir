// --trop-tropnnc: data-free compression of Linear/Conv → ReLU → Linear/Conv
// blocks with constant weights (paper B). Exact steps: dead neurons, positive
// multiples, batch-norm folding; approximate step: k-means clustering.
// RUN: trop-opt %s --split-input-file --trop-tropnnc | FileCheck %s
// RUN: trop-opt %s --split-input-file --trop-tropnnc="keep-ratio=0.5 seed=7 input-radius=3" | FileCheck %s --check-prefix=HALF
// The same seed gives the same IR (k-means++ draws from splitmix64, not from
// a platform-dependent distribution); one Lloyd iteration still gives K
// neurons.
// RUN: trop-opt %s --split-input-file --trop-tropnnc="keep-ratio=0.5 seed=7 input-radius=3" > %t.a
// RUN: trop-opt %s --split-input-file --trop-tropnnc="keep-ratio=0.5 seed=7 input-radius=3" > %t.b
// RUN: diff %t.a %t.b
// RUN: trop-opt %s --split-input-file --trop-tropnnc="keep-ratio=0.5 max-iterations=1" | FileCheck %s --check-prefix=ONE-ITER
// RUN: trop-opt %s --split-input-file --trop-tropnnc="report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: trop-opt %s --split-input-file --trop-tropnnc="report=%t.report keep-ratio=0.5 input-radius=2" -o /dev/null && FileCheck %s --check-prefix=REPORT-FILE < %t.report
// RUN: trop-opt %s --split-input-file --trop-tropnnc="merge-tolerance=0.2" | FileCheck %s --check-prefix=TOL
// RUN: trop-opt %s --split-input-file --trop-tropnnc 2>&1 >/dev/null | FileCheck %s --check-prefix=WARN
// RUN: not trop-opt %s --split-input-file --trop-tropnnc="keep-ratio=0" 2>&1 | FileCheck %s --check-prefix=BAD-RATIO
// RUN: not trop-opt %s --split-input-file --trop-tropnnc="keep-ratio=1.5" 2>&1 | FileCheck %s --check-prefix=BAD-RATIO
// RUN: not trop-opt %s --split-input-file --trop-tropnnc="input-radius=-1" 2>&1 | FileCheck %s --check-prefix=BAD-RADIUS
// RUN: not trop-opt %s --split-input-file --trop-tropnnc="max-iterations=0" 2>&1 | FileCheck %s --check-prefix=BAD-ITER

// Each split rewrites the report file; the last split (@non_finite) has no
// compressible block, so only the header remains.
// REPORT-FILE: trop-tropnnc: keep-ratio=0.5 input-radius=2 seed=0
// REPORT-FILE-NOT: block

// BAD-RATIO: error: trop-tropnnc: keep-ratio must be in (0, 1]
// BAD-RADIUS: error: trop-tropnnc: input-radius must be finite and >= 0
// BAD-ITER: error: trop-tropnnc: max-iterations must be >= 1

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// Neurons (columns of W1, bias last): n0 = (1, 2 | 1), n1 = 2·n0, n2 = 0
// (dead), n3 = −n0 (a negative multiple: kept apart). Output rows of W2:
// c0 = (1, 0), c1 = (0.5, 1), c2 = (3, 3), c3 = (1, −1). Result: n0 with
// column c0 + 2·c1 = (2, 2), and n3 unchanged; every value is exact, so the
// bound is 0.
// CHECK-LABEL: func.func @exact_merges
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<3x2xf32>) dimensions = [0]
// CHECK: %[[Z:.*]] = linalg.matmul ins(%arg0, %[[W1]] : tensor<3x2xf32>, tensor<2x2xf32>) outs(%[[INIT]] : tensor<3x2xf32>)
// CHECK: %[[H:.*]] = linalg.generic {{.*}} ins(%[[Z]] : tensor<3x2xf32>)
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {bound = 0.000000e+00 : f64, bounds = array<f64: 0.000000e+00, 0.000000e+00>, dead = 1 : i64, directions = 2 : i64, exact = true, kept = 2 : i64, original = 4 : i64, rho = 1.4142135623730951 : f64}} ins(%[[H]], %[[W2]] : tensor<3x2xf32>, tensor<2x2xf32>)
// CHECK-NOT: tensor<3x4xf32>
// REPORT: trop-tropnnc: keep-ratio=1 input-radius=1 seed=0
// REPORT: block 0 linear at {{.*}}: 4 -> 2 neurons (1 dead, 2 directions, exact), rho 1.41421, bound 0
func.func @exact_merges(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %e0 = tensor.empty() : tensor<3x4xf32>
  %bb = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%b1 : tensor<4xf32>) outs(%e0 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%bb : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<3x4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %b2 = arith.constant dense<[0.25, -0.25]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %bb2 = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%bb2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// Batch norm (x·s + t, as trop.export emits it) folds into W1 and b1:
// n0 = 2·((1, 0) | 0.5) + (0 | 1) = (2, 0 | 2), n1 = 0.5·((0, 1) | 1) +
// (0 | −1) = (0, 0.5 | −0.5).
// CHECK-LABEL: func.func @batch_norm
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}2.000000e+00, 0.000000e+00], [0.000000e+00, 5.000000e-01]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[2.000000e+00, -5.000000e-01]> : tensor<2xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: arith.mulf
// CHECK: linalg.matmul ins(%arg0, %[[W1]]
// CHECK: linalg.matmul {trop.tropnnc = {bound = 0.000000e+00 : f64, {{.*}}exact = true, kept = 2 : i64, original = 2 : i64{{.*}}}} ins(%{{.*}}, %[[W2]]
func.func @batch_norm(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0.0], [0.0, 1.0]]> : tensor<2x2xf32>
  %b1 = arith.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %e0 = tensor.empty() : tensor<3x2xf32>
  %bb = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]} ins(%b1 : tensor<2xf32>) outs(%e0 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<3x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%bb : tensor<3x2xf32>) -> tensor<3x2xf32>
  %s = arith.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %t = arith.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %e1 = tensor.empty() : tensor<3x2xf32>
  %n = linalg.generic {indexing_maps = [#id, #bias, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %s, %t : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e1 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %sc: f32, %sh: f32, %o: f32):
    %mul = arith.mulf %a, %sc : f32
    %add = arith.addf %mul, %sh : f32
    linalg.yield %add : f32
  } -> tensor<3x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%n : tensor<3x2xf32>) outs(%e2 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %zero, %a : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %c0 = arith.constant 0.0 : f32
  %e3 = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e3 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Hand-written named ops: a zero fill as init, linalg.add of a broadcast
// bias, linalg.max with zeros. n1 = 0.5·n0 merges into n0: column
// c0 + 0.5·c1 = (1 + 1, 2 + 3) = (2, 5).
// CHECK-LABEL: func.func @named_ops
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}2.000000e+00], [-2.000000e+00]]> : tensor<2x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<4.000000e+00> : tensor<1xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[\[}}2.000000e+00, 5.000000e+00]]> : tensor<1x2xf32>
// CHECK-NOT: linalg.add
// CHECK-NOT: linalg.max
// CHECK: linalg.matmul {trop.tropnnc = {{{.*}}kept = 1 : i64, original = 2 : i64{{.*}}}} ins(%{{.*}}, %[[W2]]
func.func @named_ops(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[2.0, 1.0], [-2.0, -1.0]]> : tensor<2x2xf32>
  %b1 = arith.constant dense<[4.0, 2.0]> : tensor<2xf32>
  %e0 = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %e1 = tensor.empty() : tensor<3x2xf32>
  %bb = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<3x2xf32>) dimensions = [0]
  %e2 = tensor.empty() : tensor<3x2xf32>
  %z2 = linalg.add ins(%z, %bb : tensor<3x2xf32>, tensor<3x2xf32>) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %e3 = tensor.empty() : tensor<3x2xf32>
  %zeros = linalg.fill ins(%c0 : f32) outs(%e3 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %e4 = tensor.empty() : tensor<3x2xf32>
  %h = linalg.max ins(%z2, %zeros : tensor<3x2xf32>, tensor<3x2xf32>) outs(%e4 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [2.0, 6.0]]> : tensor<2x2xf32>
  %e5 = tensor.empty() : tensor<3x2xf32>
  %init2 = linalg.fill ins(%c0 : f32) outs(%e5 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Four distinct directions: kept by default (the IR is unchanged, the
// attribute says so); keep-ratio=0.5 clusters them into two, approximately
// (n0 = (1, 0), n1 = (0.9, 0.1) and n2 = (0, 1), n3 = (0.1, 0.9));
// merge-tolerance=0.2 merges the same pairs as "positive multiples", with a
// bound that is not 0.
// CHECK-LABEL: func.func @keep_ratio
// CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 0.899999976, 0.000000e+00, 1.000000e-01], [0.000000e+00, 1.000000e-01, 1.000000e+00, 0.899999976]]> : tensor<2x4xf32>
// CHECK: linalg.matmul {trop.tropnnc = {bound = 0.000000e+00 : f64, {{.*}}exact = true, kept = 4 : i64, original = 4 : i64{{.*}}}} ins(%{{.*}} : tensor<3x4xf32>, tensor<4x2xf32>)
// HALF-LABEL: func.func @keep_ratio
// HALF: linalg.matmul ins(%arg0, %{{.*}} : tensor<3x2xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<3x2xf32>)
// HALF: linalg.matmul {trop.tropnnc = {bound = {{[0-9.]+}} : f64, bounds = array<f64: {{.*}}>, dead = 0 : i64, directions = 4 : i64, exact = false, kept = 2 : i64, original = 4 : i64, rho = 3.16{{.*}} : f64}} ins(%{{.*}} : tensor<3x2xf32>, tensor<2x2xf32>)
// ONE-ITER-LABEL: func.func @keep_ratio
// ONE-ITER: linalg.matmul {trop.tropnnc = {{{.*}}exact = false, kept = 2 : i64, original = 4 : i64{{.*}}}} ins(%{{.*}} : tensor<3x2xf32>, tensor<2x2xf32>)
// TOL-LABEL: func.func @keep_ratio
// TOL: linalg.matmul {trop.tropnnc = {bound = {{[0-9.]+}} : f64, {{.*}}directions = 2 : i64, exact = true, kept = 2 : i64, original = 4 : i64{{.*}}}} ins(%{{.*}} : tensor<3x2xf32>, tensor<2x2xf32>)
func.func @keep_ratio(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %w1 = arith.constant dense<[[1.0, 0.9, 0.0, 0.1], [0.0, 0.1, 1.0, 0.9]]> : tensor<2x4xf32>
  %e0 = tensor.empty() : tensor<3x4xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%init : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<3x4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, -1.0], [2.0, 1.0], [-1.0, 3.0], [0.5, 0.5]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %init2 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%init2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#cb = affine_map<(d0, d1, d2, d3) -> (d3)>
#c4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>

// Conv → ReLU → Conv: hidden channel 1 is 3 × channel 0 (filter and bias),
// so it merges: W2'[:, :, 0] = W2[:, :, 0] + 3·W2[:, :, 1].
// CHECK-LABEL: func.func @conv
// CHECK-DAG: %[[F1:.*]] = arith.constant dense<{{\[\[\[\[}}1.000000e+00, 1.000000e+00]], {{\[\[}}2.000000e+00, -1.000000e+00]]], {{\[\[\[}}3.000000e+00, 1.000000e+00]], {{\[\[}}4.000000e+00, -1.000000e+00]]]]> : tensor<2x2x1x2xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<[5.000000e-01, 0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[F2:.*]] = arith.constant dense<{{\[\[\[\[}}2.500000e+00], [2.000000e+00]], {{\[\[}}1.000000e+00], [2.000000e+00]]], {{\[\[\[}}-5.000000e-01], [2.000000e+00]], {{\[\[}}4.000000e+00], [2.000000e+00]]]]> : tensor<2x2x2x1xf32>
// CHECK: linalg.broadcast ins(%[[B]] : tensor<2xf32>) outs(%{{.*}} : tensor<1x3x3x2xf32>) dimensions = [0, 1, 2]
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%arg0, %[[F1]] : tensor<1x4x4x1xf32>, tensor<2x2x1x2xf32>)
// CHECK: linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, trop.tropnnc = {bound = 0.000000e+00 : f64, {{.*}}exact = true, kept = 2 : i64, original = 3 : i64{{.*}}}} ins(%{{.*}}, %[[F2]] : tensor<1x3x3x2xf32>, tensor<2x2x2x1xf32>)
// REPORT: block 0 conv at {{.*}}: 3 -> 2 neurons (0 dead, 2 directions, exact), rho 1.41421, bound 0
func.func @conv(%x: tensor<1x4x4x1xf32>) -> tensor<1x2x2x1xf32> {
  %f1 = arith.constant dense<[[[[1.0, 3.0, 1.0]], [[2.0, 6.0, -1.0]]], [[[3.0, 9.0, 1.0]], [[4.0, 12.0, -1.0]]]]> : tensor<2x2x1x3xf32>
  %b1 = arith.constant dense<[0.5, 1.5, 0.0]> : tensor<3xf32>
  %e0 = tensor.empty() : tensor<1x3x3x3xf32>
  %bb = linalg.generic {indexing_maps = [#cb, #c4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b1 : tensor<3xf32>) outs(%e0 : tensor<1x3x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<1x3x3x3xf32>
  %z = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %f1 : tensor<1x4x4x1xf32>, tensor<2x2x1x3xf32>) outs(%bb : tensor<1x3x3x3xf32>) -> tensor<1x3x3x3xf32>
  %e1 = tensor.empty() : tensor<1x3x3x3xf32>
  %h = linalg.generic {indexing_maps = [#c4, #c4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%z : tensor<1x3x3x3xf32>) outs(%e1 : tensor<1x3x3x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x3x3x3xf32>
  %f2 = arith.constant dense<[[[[1.0], [0.5], [2.0]], [[1.0], [0.0], [2.0]]], [[[1.0], [-0.5], [2.0]], [[1.0], [1.0], [2.0]]]]> : tensor<2x2x3x1xf32>
  %c0 = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<1x2x2x1xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%h, %f2 : tensor<1x3x3x3xf32>, tensor<2x2x3x1xf32>) outs(%init : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return %y : tensor<1x2x2x1xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Negative tests: the IR must stay as it is and get no attribute.
// CHECK-LABEL: func.func @non_constant_weights
// CHECK-NOT: trop.tropnnc
// CHECK: linalg.matmul ins(%{{.*}}, %arg1 : tensor<3x2xf32>, tensor<2x2xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<3x2xf32>, tensor<2x2xf32>)
func.func @non_constant_weights(%x: tensor<3x2xf32>, %w1: tensor<2x2xf32>) -> tensor<3x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<3x2xf32>) outs(%e0 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// The hidden value has a second user (returned): no neuron can go.
// CHECK-LABEL: func.func @hidden_other_user
// CHECK-NOT: trop.tropnnc
// CHECK: arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [1.000000e+00, 2.000000e+00]]> : tensor<2x2xf32>
// CHECK: return
func.func @hidden_other_user(%x: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %c0 = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0], [1.0, 2.0]]> : tensor<2x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<3x2xf32>) outs(%e0 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y, %h : tensor<3x2xf32>, tensor<3x2xf32>
}

// No ReLU between the layers (and a ReLU-like max with 1, not 0): linear
// neurons do not merge this way.
// CHECK-LABEL: func.func @no_relu
// CHECK-NOT: trop.tropnnc
// CHECK: return
func.func @no_relu(%x: tensor<3x2xf32>) -> (tensor<3x2xf32>, tensor<3x2xf32>) {
  %c0 = arith.constant 0.0 : f32
  %c1 = arith.constant 1.0 : f32
  %e0 = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, 2.0], [1.0, 2.0]]> : tensor<2x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%z, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %z2 = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<3x2xf32>) outs(%e0 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c1 : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  %y2 = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y, %y2 : tensor<3x2xf32>, tensor<3x2xf32>
}

// n1 = −n0: a negative multiple is a different neuron (ReLU(−z) ≠ −ReLU(z)),
// so both stay and the weights are unchanged.
// CHECK-LABEL: func.func @negative_multiple
// CHECK: %[[W1:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul ins(%arg0, %[[W1]]
// CHECK: linalg.matmul {trop.tropnnc = {bound = 0.000000e+00 : f64, {{.*}}kept = 2 : i64, original = 2 : i64{{.*}}}}
func.func @negative_multiple(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, -1.0], [2.0, -2.0]]> : tensor<2x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<3x2xf32>) outs(%e0 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// A dynamic batch dimension: the new hidden tensors take it from the input.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK: arith.constant dense<{{\[\[}}7.000000e+00, 1.400000e+01]]> : tensor<1x2xf32>
// CHECK: %[[N:.*]] = tensor.dim %arg0, %{{.*}} : tensor<?x2xf32>
// CHECK: tensor.empty(%[[N]]) : tensor<?x1xf32>
// CHECK: linalg.matmul ins(%arg0, %{{.*}} : tensor<?x2xf32>, tensor<2x1xf32>) outs(%{{.*}} : tensor<?x1xf32>)
// CHECK: linalg.matmul {trop.tropnnc = {{{.*}}kept = 1 : i64, original = 2 : i64{{.*}}}} ins(%{{.*}} : tensor<?x1xf32>, tensor<1x2xf32>)
func.func @dynamic_batch(%x: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %i0 = arith.constant 0 : index
  %n = tensor.dim %x, %i0 : tensor<?x2xf32>
  %e0 = tensor.empty(%n) : tensor<?x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %w1 = arith.constant dense<[[1.0, 3.0], [2.0, 6.0]]> : tensor<2x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  %e1 = tensor.empty(%n) : tensor<?x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<?x2xf32>) outs(%e1 : tensor<?x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<?x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %e2 = tensor.empty(%n) : tensor<?x2xf32>
  %init2 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<?x2xf32>, tensor<2x2xf32>) outs(%init2 : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Two blocks in a row: the middle matmul is the consumer of the first and
// the producer of the second; both shrink, and the middle one keeps the
// first block's attribute. Hidden sizes 3 -> 1 (n1 = 2·n0, n2 = 0.5·n0) and
// 2 -> 1 (the middle matmul's two outputs are 1 and 2 times one row).
// CHECK-LABEL: func.func @two_blocks
// CHECK: linalg.matmul ins(%arg0, %{{.*}} : tensor<2x2xf32>, tensor<2x1xf32>)
// CHECK: linalg.matmul {trop.tropnnc = {{{.*}}kept = 1 : i64, original = 3 : i64{{.*}}}} ins(%{{.*}}, %{{.*}} : tensor<2x1xf32>, tensor<1x1xf32>)
// CHECK: linalg.matmul {trop.tropnnc = {{{.*}}kept = 1 : i64, original = 2 : i64{{.*}}}} ins(%{{.*}}, %{{.*}} : tensor<2x1xf32>, tensor<1x2xf32>)
func.func @two_blocks(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %i3 = linalg.fill ins(%c0 : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %w1 = arith.constant dense<[[1.0, 2.0, 0.5], [-1.0, -2.0, -0.5]]> : tensor<2x3xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<2x2xf32>, tensor<2x3xf32>) outs(%i3 : tensor<2x3xf32>) -> tensor<2x3xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  %e2 = tensor.empty() : tensor<2x2xf32>
  %i2 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [1.0, 2.0], [2.0, 4.0]]> : tensor<3x2xf32>
  %z2 = linalg.matmul ins(%h, %w2 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%i2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %h2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z2 : tensor<2x2xf32>) outs(%e2 : tensor<2x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<2x2xf32>
  %i4 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w3 = arith.constant dense<[[1.0, -1.0], [3.0, 1.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%h2, %w3 : tensor<2x2xf32>, tensor<2x2xf32>) outs(%i4 : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>

// Non-finite weights: a warning, and the block is left as it is.
// WARN: warning: trop-tropnnc: non-finite weights, block left unchanged
// CHECK-LABEL: func.func @non_finite
// CHECK-NOT: trop.tropnnc
// CHECK: return
func.func @non_finite(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w1 = arith.constant dense<[[1.0, 0x7F800000], [2.0, 4.0]]> : tensor<2x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<3x2xf32>) outs(%e0 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
