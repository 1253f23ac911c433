// --trop-differentiate: each function with trop contractions gets
// `<name>_backward(args..., dY) -> (dArgs...)`: the forward recomputed with
// winners (initialised to -1), then, in reverse, the routing of each
// contraction, the initial value's gradient where it won, and the sum of a
// broadcast bias's gradient over the batch. Functions without contractions
// and ones named *_backward are left alone.
// RUN: trop-opt %s --trop-differentiate --split-input-file --verify-diagnostics | FileCheck %s

// CHECK-LABEL: func.func @layer(
// CHECK: trop.matmul <max_plus>
// CHECK-LABEL: func.func @layer_backward(
// CHECK-SAME: %[[X:[^:]*]]: tensor<4x6xf32>, %[[W:[^:]*]]: tensor<6x5xf32>, %[[B:[^:]*]]: tensor<5xf32>, %[[DY:[^:]*]]: tensor<4x5xf32>) -> (tensor<4x6xf32>, tensor<6x5xf32>, tensor<5xf32>)
// CHECK: %[[BB:.*]] = linalg.broadcast ins(%[[B]]
// CHECK: %[[M1:.*]] = arith.constant -1 : i64
// CHECK: %[[W0:.*]] = linalg.fill ins(%[[M1]] : i64)
// CHECK: %[[F:.*]]:2 = trop.matmul_winners <max_plus> ins(%[[X]], %[[W]] : {{.*}}) outs(%[[BB]], %[[W0]] : {{.*}})
// CHECK: %[[R:.*]]:2 = trop.route_to_winners ins(%[[DY]], %[[F]]#1 : {{.*}})
// CHECK: %[[DINIT:.*]] = linalg.generic {{.*}} ins(%[[DY]], %[[F]]#1 : tensor<4x5xf32>, tensor<4x5xi64>)
// CHECK: arith.cmpi slt
// CHECK: %[[DB:.*]] = linalg.reduce { arith.addf } ins(%[[DINIT]] : tensor<4x5xf32>) {{.*}} dimensions = [0]
// CHECK: return %[[R]]#0, %[[R]]#1, %[[DB]] : tensor<4x6xf32>, tensor<6x5xf32>, tensor<5xf32>
func.func @layer(%x: tensor<4x6xf32>, %w: tensor<6x5xf32>, %b: tensor<5xf32>) -> tensor<4x5xf32> {
  %e = tensor.empty() : tensor<4x5xf32>
  %bb = linalg.broadcast ins(%b : tensor<5xf32>) outs(%e : tensor<4x5xf32>) dimensions = [0]
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<4x6xf32>, tensor<6x5xf32>) outs(%bb : tensor<4x5xf32>) -> tensor<4x5xf32>
  return %y : tensor<4x5xf32>
}

// CHECK-NOT: @plain_backward
func.func @plain(%x: tensor<4x6xf32>) -> tensor<4x6xf32> {
  return %x : tensor<4x6xf32>
}

// -----

// A value used twice (the input of two layers) sums its two gradients;
// maxout routes through trop.route_maxout_to_winners; an argument no
// gradient reaches gets zeros.
// CHECK-LABEL: func.func @twice_backward(
// CHECK: trop.maxout_winners group_size = 2
// CHECK: trop.route_maxout_to_winners group_size = 2
// CHECK: trop.route_to_winners
// CHECK: trop.route_to_winners
// CHECK: %[[SUM:.*]] = linalg.add ins(
// CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<3xf32>)
// CHECK: return %[[SUM]], %{{.*}}, %{{.*}}, %[[Z]]
func.func @twice(%x: tensor<4x6xf32>, %w1: tensor<6x4xf32>, %w2: tensor<6x4xf32>, %unused: tensor<3xf32>) -> tensor<4x2xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %z = linalg.fill ins(%ninf : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %a = trop.matmul <max_plus> ins(%x, %w1 : tensor<4x6xf32>, tensor<6x4xf32>) outs(%z : tensor<4x4xf32>) -> tensor<4x4xf32>
  %b = trop.matmul <max_plus> ins(%x, %w2 : tensor<4x6xf32>, tensor<6x4xf32>) outs(%a : tensor<4x4xf32>) -> tensor<4x4xf32>
  %e2 = tensor.empty() : tensor<4x2xf32>
  %z2 = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %m = trop.maxout group_size = 2 ins(%b : tensor<4x4xf32>) outs(%z2 : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %m : tensor<4x2xf32>
}

// -----

func.func @through_negf(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  // expected-error @+1 {{trop-differentiate: cannot differentiate through this op}}
  %n = linalg.negf ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %y = trop.matmul <max_plus> ins(%n, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

func.func @max_min(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{trop-differentiate: only max_plus and min_plus are differentiated}}
  %y = trop.matmul <max_min> ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
