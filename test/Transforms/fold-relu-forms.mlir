// --trop-fold="reassociate=1" folds a bias added just before a max-plus
// layer into its weights, but never through a ReLU: a bias add fused with a
// ReLU into one linalg.generic (any ReLU form of LayerMatch.h) stays, and
// the weights are unchanged. Without the ReLU, the same fused generic's bias
// folds.
// RUN: trop-opt %s --split-input-file --trop-fold="reassociate=1" | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>
#ch = affine_map<(i, j) -> (j)>

// CHECK-LABEL: func.func @bias_relu_maximumf
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [5.000000e+00]]> : tensor<2x1xf32>
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: trop.matmul <max_plus>
func.func @bias_relu_maximumf(%x: tensor<4x2xf32>, %init: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %b = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %y = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%init : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#ch = affine_map<(i, j) -> (j)>

// CHECK-LABEL: func.func @bias_relu_select
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [5.000000e+00]]> : tensor<2x1xf32>
// CHECK: arith.addf
// CHECK: arith.select
// CHECK: trop.matmul <max_plus>
func.func @bias_relu_select(%x: tensor<4x2xf32>, %init: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %b = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %c, %a : f32
    %k = arith.cmpf ugt, %s, %zero : f32
    %r = arith.select %k, %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %y = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%init : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#ch = affine_map<(i, j) -> (j)>

// The same generic without the ReLU: the bias moves into the weights.
// CHECK-LABEL: func.func @bias_only
// CHECK: arith.constant dense<{{\[\[}}1.000000e+00], [3.000000e+00]]> : tensor<2x1xf32>
// CHECK: trop.matmul <max_plus>
func.func @bias_only(%x: tensor<4x2xf32>, %init: tensor<4x1xf32>) -> tensor<4x1xf32> {
  %b = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %b : tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<4x2xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %y = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%init : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
