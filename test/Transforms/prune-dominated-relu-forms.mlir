// --trop-prune-dominated bounds a ReLU in the forms LayerMatch.h accepts:
// fused with the batch norm (or bias) before it into one linalg.generic, and
// written as arith.cmpf + arith.select (torch-mlir's ReLU) as well as
// arith.maximumf. The network is prune-dominated.mlir's @batchnorm_relu:
// x0 * 2 + 10 is in [8, 12], max(x1 * 0.5, 0) in [0, 0.5], so 5 + the latter
// never wins and its weight becomes −∞.
// RUN: trop-opt %s --split-input-file --trop-prune-dominated | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>
#ch = affine_map<(i, j) -> (j)>

// CHECK-LABEL: func.func @fused_select
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [0xFF800000]]> : tensor<2x1xf32>
func.func @fused_select(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x1xf32> {
  %s = arith.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %t = arith.constant dense<[10.0, 0.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x, %s, %t : tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %sc: f32, %sh: f32, %out: f32):
    %m = arith.mulf %a, %sc : f32
    %r = arith.addf %m, %sh : f32
    %zero = arith.constant 0.0 : f32
    %c = arith.cmpf ugt, %r, %zero : f32
    %relu = arith.select %c, %r, %zero : f32
    linalg.yield %relu : f32
  } -> tensor<4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e1 = tensor.empty() : tensor<4x1xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %y = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%init : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#ch = affine_map<(i, j) -> (j)>

// The zero on the left of the compare and of the select (x < 0 ? 0 : x).
// CHECK-LABEL: func.func @fused_select_swapped
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [0xFF800000]]> : tensor<2x1xf32>
func.func @fused_select_swapped(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x1xf32> {
  %s = arith.constant dense<[2.0, 0.5]> : tensor<2xf32>
  %t = arith.constant dense<[10.0, 0.0]> : tensor<2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#ch, #id, #ch, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s, %x, %t : tensor<2xf32>, tensor<4x2xf32>, tensor<2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%sc: f32, %a: f32, %sh: f32, %out: f32):
    %m = arith.mulf %sc, %a : f32
    %r = arith.addf %sh, %m : f32
    %c = arith.cmpf ogt, %zero, %r : f32
    %relu = arith.select %c, %zero, %r : f32
    linalg.yield %relu : f32
  } -> tensor<4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e1 = tensor.empty() : tensor<4x1xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %y = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%init : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// Negative: select(x > 0, 0, x) is min(x, 0), not a ReLU; nothing is bounded.
// CHECK-LABEL: func.func @select_not_relu
// CHECK: arith.constant dense<{{\[\[}}0.000000e+00], [5.000000e+00]]> : tensor<2x1xf32>
func.func @select_not_relu(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x1xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x2xf32>) outs(%e : tensor<4x2xf32>) {
  ^bb0(%a: f32, %out: f32):
    %c = arith.cmpf ogt, %a, %zero : f32
    %r = arith.select %c, %zero, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e1 = tensor.empty() : tensor<4x1xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<4x1xf32>) -> tensor<4x1xf32>
  %w = arith.constant dense<[[0.0], [5.0]]> : tensor<2x1xf32>
  %y = trop.matmul <max_plus> ins(%h, %w : tensor<4x2xf32>, tensor<2x1xf32>) outs(%init : tensor<4x1xf32>) -> tensor<4x1xf32>
  return %y : tensor<4x1xf32>
}
