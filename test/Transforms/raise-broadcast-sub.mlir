// --trop-raise: the tropical layer written with a subtraction, as paper code
// does (`(x.unsqueeze(1) - W).amax(-1)`, erosion `(x - W).amin(-1)`): a − b
// is a + (−b) exactly in IEEE arithmetic, so the subtrahend is negated
// (elementwise, exact) and the layer becomes trop.matmul. Either operand may
// be the subtrahend; the broadcast and the fused (one-generic) forms.
// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

#bx = affine_map<(m, n, k) -> (m, k)>
#bw = affine_map<(m, n, k) -> (n, k)>
#bo = affine_map<(m, n, k) -> (m, n, k)>

// x − W: W (3×8, out × in) is negated, then transposed.
// CHECK-LABEL: func.func @x_minus_w
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[INIT:.*]]: tensor<4x3xf32>)
// CHECK: %[[NEG:.*]] = linalg.generic {{.*}} ins(%[[W]] : tensor<3x8xf32>)
// CHECK: arith.negf
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[NEG]] : tensor<3x8xf32>)
// CHECK: %[[R:.*]] = trop.matmul <max_plus> ins(%[[X]], %[[WT]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK-NOT: linalg.reduce
// CHECK: return %[[R]]
func.func @x_minus_w(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<4x3xf32>
}

// -----

#bx = affine_map<(m, n, k) -> (m, k)>
#bw = affine_map<(m, n, k) -> (n, k)>
#bo = affine_map<(m, n, k) -> (m, n, k)>

// W − x with a min reduction: x is the one negated.
// CHECK-LABEL: func.func @w_minus_x_min
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[INIT:.*]]: tensor<4x3xf32>)
// CHECK: %[[NEG:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4x8xf32>)
// CHECK: arith.negf
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<3x8xf32>)
// CHECK: trop.matmul <min_plus> ins(%[[NEG]], %[[WT]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
func.func @w_minus_x_min(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %b, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %acc, %in : f32
      linalg.yield %mn : f32
    }
  return %m : tensor<4x3xf32>
}

// -----

// The fused form: out = max(out, a − b) in one contraction generic.
// CHECK-LABEL: func.func @fused_sub
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x3xf32>, %[[INIT:.*]]: tensor<4x3xf32>)
// CHECK: %[[NEG:.*]] = linalg.generic {{.*}} ins(%[[B]] : tensor<8x3xf32>)
// CHECK: trop.matmul <max_plus> ins(%[[A]], %[[NEG]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
func.func @fused_sub(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %d = arith.subf %x, %y : f32
    %m = arith.maximumf %o, %d : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

#bx = affine_map<(m, n, k) -> (m, k)>
#bw = affine_map<(m, n, k) -> (n, k)>
#bo = affine_map<(m, n, k) -> (m, n, k)>

// Negative: integer subtraction wraps (trop's integer ⊗ saturates), and a
// max reduction over the wrong dimension (the output loop n, not the input
// loop k) is not a matrix product.
// CHECK-LABEL: func.func @not_raised
// CHECK-NOT: trop.
// CHECK: arith.subi
// CHECK: linalg.reduce
// CHECK: linalg.reduce
func.func @not_raised(%x: tensor<4x8xi32>, %w: tensor<3x8xi32>, %init: tensor<4x3xi32>, %xf: tensor<4x8xf32>, %wf: tensor<3x8xf32>, %initf: tensor<4x8xf32>) -> (tensor<4x3xi32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x3x8xi32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xi32>, tensor<3x8xi32>) outs(%e : tensor<4x3x8xi32>) {
  ^bb0(%a: i32, %b: i32, %o: i32):
    %r = arith.subi %a, %b : i32
    linalg.yield %r : i32
  } -> tensor<4x3x8xi32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xi32>) outs(%init : tensor<4x3xi32>) dimensions = [2]
    (%in: i32, %acc: i32) {
      %mx = arith.maxsi %in, %acc : i32
      linalg.yield %mx : i32
    }
  %ef = tensor.empty() : tensor<4x3x8xf32>
  %sf = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%xf, %wf : tensor<4x8xf32>, tensor<3x8xf32>) outs(%ef : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %mf = linalg.reduce ins(%sf : tensor<4x3x8xf32>) outs(%initf : tensor<4x8xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m, %mf : tensor<4x3xi32>, tensor<4x8xf32>
}

// -----

// Negative: a non-broadcast add (both operands read every loop) followed by
// a max reduction is not a contraction of two matrices.
// CHECK-LABEL: func.func @not_broadcast
// CHECK-NOT: trop.
// CHECK: linalg.reduce
func.func @not_broadcast(%a: tensor<4x3x8xf32>, %b: tensor<4x3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, n, k)>, affine_map<(m, n, k) -> (m, n, k)>, affine_map<(m, n, k) -> (m, n, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%a, %b : tensor<4x3x8xf32>, tensor<4x3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %r = arith.addf %x, %y : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<4x3xf32>
}
