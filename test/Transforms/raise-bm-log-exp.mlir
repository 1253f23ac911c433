// --trop-raise on paper BM's layer y = exp(max_j(ln x_j + W_ij)) (max-times
// through the logarithm): the max-plus core between the elementwise ln and
// exp becomes trop.matmul <max_plus>; ln and exp stay as they are (they
// round, so they cannot move into the weights exactly).
// RUN: trop-opt %s --trop-raise | FileCheck %s

// CHECK-LABEL: func.func @bm
// CHECK: math.log
// CHECK: %[[M:.*]] = trop.matmul <max_plus>
// CHECK-NOT: linalg.reduce
// CHECK: ins(%[[M]] : tensor<4x3xf32>)
// CHECK: math.exp
func.func @bm(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %el = tensor.empty() : tensor<4x8xf32>
  %l = linalg.generic {indexing_maps = [affine_map<(m, k) -> (m, k)>, affine_map<(m, k) -> (m, k)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x8xf32>) outs(%el : tensor<4x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.log %a : f32
    linalg.yield %r : f32
  } -> tensor<4x8xf32>
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%l, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  %ee = tensor.empty() : tensor<4x3xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%m : tensor<4x3xf32>) outs(%ee : tensor<4x3xf32>) {
  ^bb0(%a: f32, %o: f32):
    %r = math.exp %a : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}
