// --trop-raise: paper code's tropical layer with the bias applied as a
// separate maximum, `torch.max((x.unsqueeze(1) + W).amax(-1), b)`: the
// broadcast add + max reduction becomes trop.matmul and the separate max with
// the bias folds into its initial value, max(max(C, S), b) =
// max(max(C, b), S) (exact: IEEE maximum is associative and commutative).
// Likewise min-plus with a separate minimum. The bias may be a broadcasting
// generic input, a named linalg.max/min operand, on either side.
// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

#bx = affine_map<(m, n, k) -> (m, k)>
#bw = affine_map<(m, n, k) -> (n, k)>
#bo = affine_map<(m, n, k) -> (m, n, k)>
#id = affine_map<(m, n) -> (m, n)>
#bias = affine_map<(m, n) -> (n)>

// CHECK-LABEL: func.func @max_plus_bias_generic
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[B:.*]]: tensor<3xf32>, %[[INIT:.*]]: tensor<4x3xf32>)
// CHECK: %[[BI:.*]] = linalg.generic {{.*}} ins(%[[B]], %[[INIT]] : tensor<3xf32>, tensor<4x3xf32>)
// CHECK: arith.maximumf
// CHECK: %[[R:.*]] = trop.matmul <max_plus> ins(%[[X]], %{{.*}} : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[BI]] : tensor<4x3xf32>)
// CHECK-NOT: linalg.reduce
// CHECK: return %[[R]]
func.func @max_plus_bias_generic(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  %e2 = tensor.empty() : tensor<4x3xf32>
  %y = linalg.generic {indexing_maps = [#bias, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b, %m : tensor<3xf32>, tensor<4x3xf32>) outs(%e2 : tensor<4x3xf32>) {
  ^bb0(%bv: f32, %v: f32, %o: f32):
    %r = arith.maximumf %bv, %v : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

#bx = affine_map<(m, n, k) -> (m, k)>
#bw = affine_map<(m, n, k) -> (n, k)>
#bo = affine_map<(m, n, k) -> (m, n, k)>

// The min-plus layer (paper code's `(x.unsqueeze(1) - ...).amin(-1)` after
// the add form), the bias broadcast by linalg.broadcast and applied by the
// named linalg.min.
// CHECK-LABEL: func.func @min_plus_bias_named
// CHECK-SAME: %[[INIT:[a-z0-9]+]]: tensor<4x3xf32>)
// CHECK: %[[BB:.*]] = linalg.broadcast
// CHECK: %[[BI:.*]] = linalg.min ins(%[[INIT]], %[[BB]] : tensor<4x3xf32>, tensor<4x3xf32>)
// CHECK: %[[R:.*]] = trop.matmul <min_plus> {{.*}} outs(%[[BI]] : tensor<4x3xf32>)
// CHECK: return %[[R]]
func.func @min_plus_bias_named(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e2 = tensor.empty() : tensor<4x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e2 : tensor<4x3xf32>) dimensions = [0]
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %c, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %acc, %in : f32
      linalg.yield %mn : f32
    }
  %e3 = tensor.empty() : tensor<4x3xf32>
  %y = linalg.min ins(%m, %bb : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e3 : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

#id = affine_map<(m, n) -> (m, n)>
#bias = affine_map<(m, n) -> (n)>

// Not folded: a maximum after a min-plus layer (max does not distribute
// that way), a minimum after a max-plus layer, a bias computed from the
// layer's own output, and a bias computed after the layer.
// CHECK-LABEL: func.func @not_folded
// CHECK-SAME: %[[INIT:[a-z0-9]+]]: tensor<4x3xf32>
// CHECK: trop.matmul <min_plus> {{.*}} outs(%[[INIT]] :
// CHECK: arith.maximumf
// CHECK: trop.matmul <max_plus> {{.*}} outs(%[[INIT]] :
// CHECK: arith.minimumf
// CHECK: trop.matmul <max_plus> {{.*}} outs(%[[INIT]] :
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: trop.matmul <max_plus> {{.*}} outs(%[[INIT]] :
// CHECK: linalg.max
func.func @not_folded(%a: tensor<4x8xf32>, %w: tensor<8x3xf32>, %b: tensor<3xf32>, %init: tensor<4x3xf32>, %late: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %e = tensor.empty() : tensor<4x3xf32>
  %s0 = trop.matmul <min_plus> ins(%a, %w : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y0 = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s0, %b : tensor<4x3xf32>, tensor<3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %r = arith.maximumf %v, %bv : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  %s1 = trop.matmul <max_plus> ins(%a, %w : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y1 = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s1, %b : tensor<4x3xf32>, tensor<3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %r = arith.minimumf %v, %bv : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  %s2 = trop.matmul <max_plus> ins(%a, %w : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y2 = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%s2, %b : tensor<4x3xf32>, tensor<3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %bv: f32, %o: f32):
    %t = arith.addf %v, %bv : f32
    %r = arith.maximumf %v, %t : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  %s3 = trop.matmul <max_plus> ins(%a, %w : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %l = linalg.add ins(%late, %late : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y3 = linalg.max ins(%s3, %l : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y0, %y1, %y2, %y3 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
