// --trop-raise on the dilation-erosion perceptron (DEP): y = λ·max_j(x_j +
// W_ij) + (1 − λ)·min_j(x_j + W_ij), written as paper code does, one
// broadcast `s = x.unsqueeze(1) + W` read by both the max and the min
// reduction. Both become trop.matmul (max_plus and min_plus) on the same
// operands, the broadcast disappears, the λ combination stays; after cse
// (which merges the two transposes of W) --trop-fuse pairs the two into one
// trop.dual_matmul.
// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-raise --cse --trop-fuse="tile-rows=0" --split-input-file | FileCheck %s --check-prefix=FUSED

// CHECK-LABEL: func.func @dep
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<3x8xf32>
// CHECK-DAG: trop.matmul <max_plus> ins(%[[X]], %[[WT:[a-z0-9_]+]] : tensor<4x8xf32>, tensor<8x3xf32>)
// CHECK-DAG: trop.matmul <min_plus> ins(%[[X]], %{{.*}} : tensor<4x8xf32>, tensor<8x3xf32>)
// CHECK-NOT: tensor<4x3x8xf32>
// CHECK: arith.mulf
// CHECK: return
// FUSED-LABEL: func.func @dep
// FUSED: trop.dual_matmul
// FUSED-NOT: trop.matmul
func.func @dep(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %ninf: tensor<4x3xf32>, %pinf: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %dil = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%ninf : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  %ero = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%pinf : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %in, %acc : f32
      linalg.yield %mn : f32
    }
  %e2 = tensor.empty() : tensor<4x3xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%dil, %ero : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e2 : tensor<4x3xf32>) {
  ^bb0(%d: f32, %r: f32, %o: f32):
    %lambda = arith.constant 0.25 : f32
    %mu = arith.constant 0.75 : f32
    %a = arith.mulf %lambda, %d : f32
    %b = arith.mulf %mu, %r : f32
    %sum = arith.addf %a, %b : f32
    linalg.yield %sum : f32
  } -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Negative: a broadcast that something other than a reduction also reads
// stays, and so does its reduction (raising it would keep the B×O×I
// temporary and add a matmul).
// CHECK-LABEL: func.func @shared_with_other_reader
// CHECK-NOT: trop.matmul
// CHECK: linalg.reduce
// CHECK: return
func.func @shared_with_other_reader(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3x8xf32>) {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m, %s : tensor<4x3xf32>, tensor<4x3x8xf32>
}
