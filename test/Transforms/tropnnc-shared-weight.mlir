// RUN: trop-opt %s --trop-tropnnc | FileCheck %s

// A block whose two layers share one weight constant (found by
// trop-pass-fuzzer: the shared constant was erased twice, a use after free
// that the sanitizer build reports). The hidden layer's second neuron is
// twice the first, so it merges exactly; the shared constant is no longer
// used and goes, exactly once.

#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @shared_weight
// CHECK-NOT: dense<{{\[\[}}1.000000e+00, 3.000000e+00]
// CHECK: linalg.matmul {trop.tropnnc = {{{.*}}kept = 1 : i64, original = 2 : i64{{.*}}}}
// CHECK: return
func.func @shared_weight(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %c0 = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<4x2xf32>
  %init = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %w = arith.constant dense<[[1.0, 3.0], [2.0, 6.0]]> : tensor<2x2xf32>
  %z = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  %e1 = tensor.empty() : tensor<4x2xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<4x2xf32>) outs(%e1 : tensor<4x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %c0 : f32
    linalg.yield %m : f32
  } -> tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<4x2xf32>
  %init2 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %y = linalg.matmul ins(%h, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init2 : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}
