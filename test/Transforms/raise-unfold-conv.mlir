// --trop-raise: tropical layers whose rows span several loops that only the
// input reads, the weight reading one output loop: a sequence batch
// (B×T×D with W: O×D), and paper code's unfold-based morphological
// convolution, `(F.unfold(x, k).unsqueeze(1) + W.view(F, -1, 1)).amax(2)`
// (patches N×P×L, W: F×P, result N×F×L). The row loops are collapsed into
// one, the layer is one trop.matmul, and the result is reshaped (and
// transposed) back: exact, and no N×F×P×L temporary.
// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @sequence_batch
// CHECK-SAME: (%[[X:.*]]: tensor<2x5x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[INIT:.*]]: tensor<2x5x3xf32>)
// CHECK: %[[XC:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0, 1], [2]] : tensor<2x5x8xf32> into tensor<10x8xf32>
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<3x8xf32>)
// CHECK: %[[IC:.*]] = tensor.collapse_shape %[[INIT]] {{\[\[}}0, 1], [2]] : tensor<2x5x3xf32> into tensor<10x3xf32>
// CHECK: %[[M:.*]] = trop.matmul <max_plus> ins(%[[XC]], %[[WT]] : tensor<10x8xf32>, tensor<8x3xf32>) outs(%[[IC]] : tensor<10x3xf32>)
// CHECK: %[[R:.*]] = tensor.expand_shape %[[M]] {{\[\[}}0, 1], [2]] output_shape [2, 5, 3] : tensor<10x3xf32> into tensor<2x5x3xf32>
// CHECK-NOT: linalg.reduce
// CHECK: return %[[R]]
func.func @sequence_batch(%x: tensor<2x5x8xf32>, %w: tensor<3x8xf32>, %init: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %e = tensor.empty() : tensor<2x5x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, t, o, d) -> (b, t, d)>, affine_map<(b, t, o, d) -> (o, d)>, affine_map<(b, t, o, d) -> (b, t, o, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<2x5x8xf32>, tensor<3x8xf32>) outs(%e : tensor<2x5x3x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<2x5x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<2x5x3x8xf32>) outs(%init : tensor<2x5x3xf32>) dimensions = [3]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<2x5x3xf32>
}

// -----

// The unfold form: patches (N=2, P=12, L=9), W (F=4, P=12), result
// (N, F, L); the column loop f is in the middle of the result, so the init
// is transposed to (N, L, F) and the result back. Min-plus, W − patches.
// CHECK-LABEL: func.func @unfold_erosion
// CHECK-SAME: (%[[P:.*]]: tensor<2x12x9xf32>, %[[W:.*]]: tensor<4x12xf32>, %[[INIT:.*]]: tensor<2x4x9xf32>)
// CHECK: %[[NEG:.*]] = linalg.generic {{.*}} ins(%[[P]] : tensor<2x12x9xf32>)
// CHECK: %[[PT:.*]] = linalg.transpose ins(%[[NEG]] : tensor<2x12x9xf32>) outs(%{{.*}} : tensor<2x9x12xf32>) permutation = [0, 2, 1]
// CHECK: %[[PC:.*]] = tensor.collapse_shape %[[PT]] {{\[\[}}0, 1], [2]] : tensor<2x9x12xf32> into tensor<18x12xf32>
// CHECK: %[[IT:.*]] = linalg.transpose ins(%[[INIT]] : tensor<2x4x9xf32>) outs(%{{.*}} : tensor<2x9x4xf32>) permutation = [0, 2, 1]
// CHECK: %[[IC:.*]] = tensor.collapse_shape %[[IT]]
// CHECK: %[[M:.*]] = trop.matmul <min_plus> ins(%[[PC]], %{{.*}} : tensor<18x12xf32>, tensor<12x4xf32>) outs(%[[IC]] : tensor<18x4xf32>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[M]] {{.*}} into tensor<2x9x4xf32>
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[E]] : tensor<2x9x4xf32>) outs(%{{.*}} : tensor<2x4x9xf32>) permutation = [0, 2, 1]
// CHECK: return %[[R]]
func.func @unfold_erosion(%p: tensor<2x12x9xf32>, %w: tensor<4x12xf32>, %init: tensor<2x4x9xf32>) -> tensor<2x4x9xf32> {
  %e = tensor.empty() : tensor<2x4x12x9xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(n, f, q, l) -> (n, q, l)>, affine_map<(n, f, q, l) -> (f, q)>, affine_map<(n, f, q, l) -> (n, f, q, l)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p, %w : tensor<2x12x9xf32>, tensor<4x12xf32>) outs(%e : tensor<2x4x12x9xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.subf %c, %a : f32
    linalg.yield %r : f32
  } -> tensor<2x4x12x9xf32>
  %m = linalg.reduce ins(%s : tensor<2x4x12x9xf32>) outs(%init : tensor<2x4x9xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %in, %acc : f32
      linalg.yield %mn : f32
    }
  return %m : tensor<2x4x9xf32>
}

// -----

// Negative: an output loop that no operand reads (the result broadcast over
// it) is not a contraction.
// CHECK-LABEL: func.func @unread_output_loop
// CHECK-NOT: trop.
// CHECK: linalg.generic
func.func @unread_output_loop(%x: tensor<2x8xf32>, %w: tensor<8x3xf32>, %init: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(b, t, o, d) -> (b, d)>, affine_map<(b, t, o, d) -> (d, o)>, affine_map<(b, t, o, d) -> (b, t, o)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%x, %w : tensor<2x8xf32>, tensor<8x3xf32>) outs(%init : tensor<2x5x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    %m = arith.maximumf %o, %s : f32
    linalg.yield %m : f32
  } -> tensor<2x5x3xf32>
  return %r : tensor<2x5x3xf32>
}
