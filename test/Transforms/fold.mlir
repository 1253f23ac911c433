// --trop-fold: exact tropical algebra and structural sparsity cleanups on
// constant weights; reassociating folds only with reassociate=true.
// RUN: trop-opt %s --trop-fold --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-fold="reassociate=true" --split-input-file | FileCheck %s --check-prefix=REASSOC

// Paper A's head as trop.export writes it: linear (no bias) -> BatchNorm ->
// sparse max-plus -> linear. Inputs 1 and 3 of the max-plus layer are read
// by no neuron: the first linear layer loses output columns 1 and 3 of its
// (in x out) weight, BatchNorm its entries 1 and 3, the max-plus layer rows
// 1 and 3. The second linear layer is untouched.
// CHECK-LABEL: func.func @unread_inputs_shrink_linear
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00], [6.000000e+00, 8.000000e+00, 1.000000e+01]]> : tensor<2x3xf32>
// CHECK-DAG: %[[S:.*]] = arith.constant dense<[1.000000e-01, 3.000000e-01, 5.000000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[T:.*]] = arith.constant dense<[-1.000000e+00, -3.000000e+00, -5.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 0xFF800000, 0xFF800000, 2.000000e+00], [0xFF800000, 3.000000e+00, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 4.000000e+00, 5.000000e+00]]> : tensor<3x4xf32>
// CHECK: %[[Z:.*]] = linalg.matmul ins(%{{.*}}, %[[W1]] : tensor<4x2xf32>, tensor<2x3xf32>) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: %[[BN:.*]] = linalg.generic {{.*}} ins(%[[Z]], %[[S]], %[[T]] : tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%{{.*}} : tensor<4x3xf32>)
// CHECK: %[[Y:.*]] = trop.matmul <max_plus> ins(%[[BN]], %[[W2]] : tensor<4x3xf32>, tensor<3x4xf32>) outs(%{{.*}} : tensor<4x4xf32>)
// CHECK: linalg.matmul ins(%[[Y]], %{{.*}} : tensor<4x4xf32>, tensor<4x2xf32>)
#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @unread_inputs_shrink_linear(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0], [6.0, 7.0, 8.0, 9.0, 10.0]]> : tensor<2x5xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<4x5xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x5xf32>) -> tensor<4x5xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<4x2xf32>, tensor<2x5xf32>) outs(%f1 : tensor<4x5xf32>) -> tensor<4x5xf32>
  %scale = arith.constant dense<[0.1, 0.2, 0.3, 0.4, 0.5]> : tensor<5xf32>
  %shift = arith.constant dense<[-1.0, -2.0, -3.0, -4.0, -5.0]> : tensor<5xf32>
  %e2 = tensor.empty() : tensor<4x5xf32>
  %bn = linalg.generic {indexing_maps = [#id, #bias, #bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z, %scale, %shift : tensor<4x5xf32>, tensor<5xf32>, tensor<5xf32>) outs(%e2 : tensor<4x5xf32>) {
  ^bb0(%a: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %a, %s : f32
    %r = arith.addf %m, %t : f32
    linalg.yield %r : f32
  } -> tensor<4x5xf32>
  %w2 = arith.constant dense<[[1.0, 0xFF800000, 0xFF800000, 2.0],
                              [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000],
                              [0xFF800000, 3.0, 0xFF800000, 0xFF800000],
                              [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000],
                              [0xFF800000, 0xFF800000, 4.0, 5.0]]> : tensor<5x4xf32>
  %b2 = arith.constant dense<[0.5, -0.5, 1.5, -1.5]> : tensor<4xf32>
  %e3 = tensor.empty() : tensor<4x4xf32>
  %bb2 = linalg.generic {indexing_maps = [#bias, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b2 : tensor<4xf32>) outs(%e3 : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x4xf32>
  %y = trop.matmul <max_plus> ins(%bn, %w2 : tensor<4x5xf32>, tensor<5x4xf32>) outs(%bb2 : tensor<4x4xf32>) -> tensor<4x4xf32>
  %w3 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %b3 = arith.constant dense<[0.25, -0.25]> : tensor<2xf32>
  %e4 = tensor.empty() : tensor<4x2xf32>
  %bb3 = linalg.broadcast ins(%b3 : tensor<2xf32>) outs(%e4 : tensor<4x2xf32>) dimensions = [0]
  %out = linalg.matmul ins(%y, %w3 : tensor<4x4xf32>, tensor<4x2xf32>) outs(%bb3 : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %out : tensor<4x2xf32>
}

// -----

// A linear layer with a bias (broadcast init) and its weight as
// linalg.transpose of an out x in constant; a min-plus layer (𝟘 = +inf)
// that never reads input 0. The shrunk layer has one connection per neuron
// (both read input 0), so it then becomes elementwise.
// CHECK-LABEL: func.func @unread_input_min_plus_transposed
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}3.000000e+00], [4.000000e+00]]> : tensor<2x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<2.000000e+00> : tensor<1xf32>
// CHECK-DAG: %[[I:.*]] = arith.constant dense<0> : tensor<2xi64>
// CHECK-DAG: %[[V:.*]] = arith.constant dense<[5.000000e+00, 6.000000e+00]> : tensor<2xf32>
// CHECK: %[[BB:.*]] = linalg.broadcast ins(%[[B]] : tensor<1xf32>) outs(%{{.*}} : tensor<3x1xf32>)
// CHECK: %[[Z:.*]] = linalg.matmul ins(%{{.*}}, %[[W]] : tensor<3x2xf32>, tensor<2x1xf32>) outs(%[[BB]] : tensor<3x1xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[I]], %[[V]] : tensor<2xi64>, tensor<2xf32>) outs(%arg1 : tensor<3x2xf32>)
// CHECK: tensor.extract %[[Z]]
// CHECK: arith.minimumf
// CHECK-NOT: trop.matmul
func.func @unread_input_min_plus_transposed(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %wt = linalg.transpose ins(%w : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) permutation = [1, 0]
  %b = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %bb = linalg.broadcast ins(%b : tensor<2xf32>) outs(%e2 : tensor<3x2xf32>) dimensions = [0]
  %z = linalg.matmul ins(%x, %wt : tensor<3x2xf32>, tensor<2x2xf32>) outs(%bb : tensor<3x2xf32>) -> tensor<3x2xf32>
  %v = arith.constant dense<[[0x7F800000, 0x7F800000], [5.0, 6.0]]> : tensor<2x2xf32>
  %y = trop.matmul <min_plus> ins(%z, %v : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// Max-plus after max-plus: the second layer never reads neuron 1 of the
// first, which loses that output (weight column and bias entry).
// CHECK-LABEL: func.func @unread_neuron_of_tropical_layer
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00], [4.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B1:.*]] = arith.constant dense<[0.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[BB:.*]] = linalg.broadcast ins(%[[B1]] : tensor<2xf32>)
// CHECK: %[[Y1:.*]] = trop.matmul <max_plus> ins(%{{.*}}, %[[W1]] : tensor<5x2xf32>, tensor<2x2xf32>) outs(%[[BB]] : tensor<5x2xf32>)
// CHECK: trop.matmul <max_plus> ins(%[[Y1]], %{{.*}} : tensor<5x2xf32>, tensor<2x2xf32>)
func.func @unread_neuron_of_tropical_layer(%x: tensor<5x2xf32>, %init: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.0, 1.0, 2.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %bb = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e : tensor<5x3xf32>) dimensions = [0]
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<5x2xf32>, tensor<2x3xf32>) outs(%bb : tensor<5x3xf32>) -> tensor<5x3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [0xFF800000, 0xFF800000], [3.0, 4.0]]> : tensor<3x2xf32>
  %y2 = trop.matmul <max_plus> ins(%y1, %w2 : tensor<5x3xf32>, tensor<3x2xf32>) outs(%init : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %y2 : tensor<5x2xf32>
}

// -----

// No input is read at all: the layer is its init.
// CHECK-LABEL: func.func @no_input_read
// CHECK-NOT: trop.matmul
// CHECK: return %arg1
func.func @no_input_read(%x: tensor<2x3xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<0xFF800000> : tensor<3x2xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}

// -----

// Integers: 𝟘 is the type's minimum and absorbs ⊗, so an unread input is
// deleted exactly (here from a constant input).
// CHECK-LABEL: func.func @unread_input_i8
// CHECK: %[[X:.*]] = arith.constant dense<{{\[\[}}1, 3]]> : tensor<1x2xi8>
// CHECK: trop.matmul <max_plus> ins(%[[X]], %{{.*}} : tensor<1x2xi8>, tensor<2x3xi8>)
func.func @unread_input_i8(%init: tensor<1x3xi8>) -> tensor<1x3xi8> {
  %x = arith.constant dense<[[1, 2, 3]]> : tensor<1x3xi8>
  %w = arith.constant dense<[[1, 2, 3], [-128, -128, -128], [4, 5, 6]]> : tensor<3x3xi8>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<1x3xi8>, tensor<3x3xi8>) outs(%init : tensor<1x3xi8>) -> tensor<1x3xi8>
  return %y : tensor<1x3xi8>
}

// -----

// Binary morphology (max_min on i1, 𝟘 = false): input 1 is unread, then
// each neuron has one connection: an elementwise AND/OR.
// CHECK-LABEL: func.func @binary_unread_and_single
// CHECK-DAG: %[[X:.*]] = arith.constant dense<{{\[\[}}true, true], [false, true]]> : tensor<2x2xi1>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<true> : tensor<2xi1>
// CHECK: linalg.generic {{.*}} ins(%[[X]], %[[W]] : tensor<2x2xi1>, tensor<2xi1>)
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK-NOT: trop.matmul
func.func @binary_unread_and_single(%init: tensor<2x2xi1>) -> tensor<2x2xi1> {
  %x = arith.constant dense<[[true, false, true], [false, false, true]]> : tensor<2x3xi1>
  %w = arith.constant dense<[[true, false], [false, false], [false, true]]> : tensor<3x2xi1>
  %y = trop.matmul <max_min> ins(%x, %w : tensor<2x3xi1>, tensor<3x2xi1>) outs(%init : tensor<2x2xi1>) -> tensor<2x2xi1>
  return %y : tensor<2x2xi1>
}

// -----

// Untouched: the input is a function argument (nothing to shrink), the
// weights are not constant, the linear layer's result has another user.
// Also untouched: dynamic shapes and memrefs.
// CHECK-LABEL: func.func @dynamic_batch
// CHECK: trop.matmul <max_plus> ins(%arg0, %{{.*}} : tensor<?x3xf32>, tensor<3x2xf32>)
// CHECK-LABEL: func.func @memref_layer
// CHECK: trop.matmul <max_plus> ins(%arg0, %arg1 : memref<2x3xf32>, memref<3x2xf32>)
// CHECK-LABEL: func.func @unread_input_of_argument
// CHECK: trop.matmul <max_plus> ins(%arg0, %{{.*}} : tensor<2x3xf32>, tensor<3x2xf32>)
// CHECK-LABEL: func.func @non_constant_weights
// CHECK: trop.matmul <max_plus> ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3x2xf32>)
// CHECK-LABEL: func.func @shared_linear_output
// CHECK: linalg.matmul ins(%arg0, %{{.*}} : tensor<2x2xf32>, tensor<2x3xf32>)
// CHECK: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<3x2xf32>)
func.func @dynamic_batch(%x: tensor<?x3xf32>, %init: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<[[1.0, 0xFF800000], [0xFF800000, 0xFF800000], [0xFF800000, 4.0]]> : tensor<3x2xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<?x3xf32>, tensor<3x2xf32>) outs(%init : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %y : tensor<?x2xf32>
}
func.func @memref_layer(%x: memref<2x3xf32>, %w: memref<3x2xf32>, %init: memref<2x2xf32>) {
  trop.matmul <max_plus> ins(%x, %w : memref<2x3xf32>, memref<3x2xf32>) outs(%init : memref<2x2xf32>)
  return
}
func.func @unread_input_of_argument(%x: tensor<2x3xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [0xFF800000, 0xFF800000], [3.0, 4.0]]> : tensor<3x2xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
func.func @non_constant_weights(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>, %init: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y : tensor<2x2xf32>
}
func.func @shared_linear_output(%x: tensor<2x2xf32>, %init: tensor<2x2xf32>, %f: tensor<2x3xf32>) -> (tensor<2x2xf32>, tensor<2x3xf32>) {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<2x2xf32>, tensor<2x3xf32>) outs(%f : tensor<2x3xf32>) -> tensor<2x3xf32>
  %w = arith.constant dense<[[1.0, 2.0], [0xFF800000, 0xFF800000], [3.0, 4.0]]> : tensor<3x2xf32>
  %y = trop.matmul <max_plus> ins(%z, %w : tensor<2x3xf32>, tensor<3x2xf32>) outs(%init : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %y, %z : tensor<2x2xf32>, tensor<2x3xf32>
}

// -----

// Neuron 1 of the first max-plus layer has no connection: it outputs its
// bias 2.0, and the second layer's terms 2.0 + W2[1, j] = (2.5, -8) join
// its bias: max(2, 2.5) = 2.5, max(0, -8) = 0. Exact (max never rounds).
// CHECK-LABEL: func.func @constant_neuron_into_tropical_bias
// CHECK-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00], [4.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[W2:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B2:.*]] = arith.constant dense<[2.500000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y1:.*]] = trop.matmul <max_plus> ins(%arg0, %[[W1]] : tensor<5x2xf32>, tensor<2x2xf32>)
// CHECK: %[[BB2:.*]] = linalg.broadcast ins(%[[B2]] : tensor<2xf32>)
// CHECK: trop.matmul <max_plus> ins(%[[Y1]], %[[W2]] : tensor<5x2xf32>, tensor<2x2xf32>) outs(%[[BB2]] : tensor<5x2xf32>)
func.func @constant_neuron_into_tropical_bias(%x: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0xFF800000, 3.0], [4.0, 0xFF800000, 6.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.0, 2.0, 1.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %bb = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e : tensor<5x3xf32>) dimensions = [0]
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<5x2xf32>, tensor<2x3xf32>) outs(%bb : tensor<5x3xf32>) -> tensor<5x3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [0.5, -10.0], [3.0, 4.0]]> : tensor<3x2xf32>
  %b2 = arith.constant dense<[2.0, 0.0]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<5x2xf32>
  %bb2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<5x2xf32>) dimensions = [0]
  %y2 = trop.matmul <max_plus> ins(%y1, %w2 : tensor<5x3xf32>, tensor<3x2xf32>) outs(%bb2 : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %y2 : tensor<5x2xf32>
}

// -----

// Untouched: a min-plus layer after a max-plus layer (mixed semirings do not
// fold), and a linear layer after it without reassociate. With reassociate
// the linear bias absorbs 2.0 * W3[1, :] = (1, -20): (1.25, -20.25).
// CHECK-LABEL: func.func @constant_neuron_mixed_semirings
// CHECK: trop.matmul <max_plus> ins(%arg0, %{{.*}} : tensor<5x2xf32>, tensor<2x3xf32>)
// CHECK: trop.matmul <min_plus> ins(%{{.*}}, %{{.*}} : tensor<5x3xf32>, tensor<3x2xf32>)
// CHECK-LABEL: func.func @constant_neuron_into_linear_bias
// CHECK: trop.matmul <max_plus> ins(%arg0, %{{.*}} : tensor<5x2xf32>, tensor<2x3xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<5x3xf32>, tensor<3x2xf32>)
// REASSOC-LABEL: func.func @constant_neuron_into_linear_bias
// REASSOC-DAG: %[[W3:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// REASSOC-DAG: %[[B3:.*]] = arith.constant dense<[1.250000e+00, -2.025000e+01]> : tensor<2xf32>
// REASSOC: %[[Y1:.*]] = trop.matmul <max_plus> ins(%arg0, %{{.*}} : tensor<5x2xf32>, tensor<2x2xf32>)
// REASSOC: %[[BB:.*]] = linalg.broadcast ins(%[[B3]] : tensor<2xf32>)
// REASSOC: linalg.matmul ins(%[[Y1]], %[[W3]] : tensor<5x2xf32>, tensor<2x2xf32>) outs(%[[BB]] : tensor<5x2xf32>)
func.func @constant_neuron_mixed_semirings(%x: tensor<5x2xf32>, %init: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0xFF800000, 3.0], [4.0, 0xFF800000, 6.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.0, 2.0, 1.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %bb = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e : tensor<5x3xf32>) dimensions = [0]
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<5x2xf32>, tensor<2x3xf32>) outs(%bb : tensor<5x3xf32>) -> tensor<5x3xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [0.5, -10.0], [3.0, 4.0]]> : tensor<3x2xf32>
  %y2 = trop.matmul <min_plus> ins(%y1, %w2 : tensor<5x3xf32>, tensor<3x2xf32>) outs(%init : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %y2 : tensor<5x2xf32>
}
func.func @constant_neuron_into_linear_bias(%x: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[1.0, 0xFF800000, 3.0], [4.0, 0xFF800000, 6.0]]> : tensor<2x3xf32>
  %b1 = arith.constant dense<[0.0, 2.0, 1.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %bb = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e : tensor<5x3xf32>) dimensions = [0]
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<5x2xf32>, tensor<2x3xf32>) outs(%bb : tensor<5x3xf32>) -> tensor<5x3xf32>
  %w3 = arith.constant dense<[[1.0, 2.0], [0.5, -10.0], [3.0, 4.0]]> : tensor<3x2xf32>
  %b3 = arith.constant dense<[0.25, -0.25]> : tensor<2xf32>
  %e3 = tensor.empty() : tensor<5x2xf32>
  %bb3 = linalg.broadcast ins(%b3 : tensor<2xf32>) outs(%e3 : tensor<5x2xf32>) dimensions = [0]
  %y = linalg.matmul ins(%y1, %w3 : tensor<5x3xf32>, tensor<3x2xf32>) outs(%bb3 : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// Every neuron of a square layer reads its own input once (a shifted ReLU
// per channel; neuron 2 has none and keeps its init): elementwise.
// CHECK-LABEL: func.func @single_connection_diagonal
// CHECK-DAG: %[[W:.*]] = arith.constant dense<[1.000000e+00, -2.000000e+00, 0xFF800000]> : tensor<3xf32>
// CHECK: linalg.generic {{.*}} ins(%arg0, %[[W]] : tensor<4x3xf32>, tensor<3xf32>) outs(%arg1 : tensor<4x3xf32>)
// CHECK: %[[S:.*]] = arith.addf
// CHECK: %[[P:.*]] = arith.select %{{.*}}, %{{.*}}, %[[S]]
// CHECK: arith.maximumf %{{.*}}, %[[P]]
// CHECK-NOT: trop.matmul
func.func @single_connection_diagonal(%x: tensor<4x3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 0xFF800000, 0xFF800000], [0xFF800000, -2.0, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000]]> : tensor<3x3xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<4x3xf32>, tensor<3x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Neurons read inputs 2, 0, 2 (min-plus): a gather through an index vector.
// CHECK-LABEL: func.func @single_connection_gather
// CHECK-DAG: %[[I:.*]] = arith.constant dense<[2, 0, 2]> : tensor<3xi64>
// CHECK-DAG: %[[W:.*]] = arith.constant dense<[5.000000e-01, 1.000000e+00, -1.000000e+00]> : tensor<3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[I]], %[[W]] : tensor<3xi64>, tensor<3xf32>) outs(%arg1 : tensor<4x3xf32>)
// CHECK: tensor.extract %arg0
// CHECK: arith.minimumf
// CHECK-NOT: trop.matmul
func.func @single_connection_gather(%x: tensor<4x3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[0x7F800000, 1.0, 0x7F800000], [0x7F800000, 0x7F800000, 0x7F800000], [0.5, 0x7F800000, -1.0]]> : tensor<3x3xf32>
  %y = trop.matmul <min_plus> ins(%x, %w : tensor<4x3xf32>, tensor<3x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Integers keep the semiring's saturating ⊗ (𝟘 absorbing) in the body.
// CHECK-LABEL: func.func @single_connection_i16
// CHECK: linalg.generic
// CHECK: arith.maxsi
// CHECK-NOT: trop.matmul
// Untouched: neuron 0 has two connections.
// CHECK-LABEL: func.func @two_connections
// CHECK: trop.matmul <max_plus>
func.func @single_connection_i16(%x: tensor<4x2xi16>, %init: tensor<4x2xi16>) -> tensor<4x2xi16> {
  %w = arith.constant dense<[[7, -32768], [-32768, -7]]> : tensor<2x2xi16>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xi16>, tensor<2x2xi16>) outs(%init : tensor<4x2xi16>) -> tensor<4x2xi16>
  return %y : tensor<4x2xi16>
}
func.func @two_connections(%x: tensor<4x2xf32>, %init: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[1.0, 0xFF800000], [2.0, 3.0]]> : tensor<2x2xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<4x2xf32>, tensor<2x2xf32>) outs(%init : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %y : tensor<4x2xf32>
}

// -----

// Two max_min layers (K = 3, N = 4, J = 1: 3 < 12 + 4) compose exactly:
// W[k] = max_n min(W1[k, n], W2[n]) and b = max(b2, max_n min(b1[n], W2[n])).
// W1 = [[1,2,3,4],[5,6,7,8],[-1,-2,-3,-4]], W2 = [4,3,2,1], b1 = -inf (fill),
// b2 = 0: W = [max(1,2,2,1), max(4,3,2,1), max(-1,-2,-3,-4)] = [2, 4, -1].
// CHECK-LABEL: func.func @compose_max_min
// CHECK-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}2.000000e+00], [4.000000e+00], [-1.000000e+00]]> : tensor<3x1xf32>
// CHECK-DAG: %[[B:.*]] = arith.constant dense<0.000000e+00> : tensor<1xf32>
// CHECK: %[[BB:.*]] = linalg.broadcast ins(%[[B]] : tensor<1xf32>)
// CHECK: trop.matmul <max_min> ins(%arg0, %[[W]] : tensor<2x3xf32>, tensor<3x1xf32>) outs(%[[BB]] : tensor<2x1xf32>)
// CHECK-NOT: trop.matmul
func.func @compose_max_min(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [-1.0, -2.0, -3.0, -4.0]]> : tensor<3x4xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e1 = tensor.empty() : tensor<2x4xf32>
  %f1 = linalg.fill ins(%ninf : f32) outs(%e1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y1 = trop.matmul <max_min> ins(%x, %w1 : tensor<2x3xf32>, tensor<3x4xf32>) outs(%f1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %w2 = arith.constant dense<[[4.0], [3.0], [2.0], [1.0]]> : tensor<4x1xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<2x1xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %y2 = trop.matmul <max_min> ins(%y1, %w2 : tensor<2x4xf32>, tensor<4x1xf32>) outs(%f2 : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y2 : tensor<2x1xf32>
}

// -----

// Max-plus after max-plus composes only with reassociate (x + (W1 + W2)
// rounds differently from (x + W1) + W2): W[k] = max_n W1[k, n] + W2[n] =
// [max(2, 4), max(6, 5), max(0, 0)],
// b = max(b2, max_n b1[n] + W2[n]) = max(-5, 0.5 + 1, 0.25 + 2) = 2.25.
// CHECK-LABEL: func.func @compose_max_plus
// CHECK-COUNT-2: trop.matmul <max_plus>
// REASSOC-LABEL: func.func @compose_max_plus
// REASSOC-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}4.000000e+00], [6.000000e+00], [0.000000e+00]]> : tensor<3x1xf32>
// REASSOC-DAG: %[[B:.*]] = arith.constant dense<2.250000e+00> : tensor<1xf32>
// REASSOC: trop.matmul <max_plus> ins(%arg0, %[[W]] : tensor<2x3xf32>, tensor<3x1xf32>)
// REASSOC-NOT: trop.matmul
func.func @compose_max_plus(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0], [5.0, 3.0], [-1.0, -2.0]]> : tensor<3x2xf32>
  %b1 = arith.constant dense<[0.5, 0.25]> : tensor<2xf32>
  %e1 = tensor.empty() : tensor<2x2xf32>
  %bb1 = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e1 : tensor<2x2xf32>) dimensions = [0]
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<2x3xf32>, tensor<3x2xf32>) outs(%bb1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w2 = arith.constant dense<[[1.0], [2.0]]> : tensor<2x1xf32>
  %m5 = arith.constant -5.0 : f32
  %e2 = tensor.empty() : tensor<2x1xf32>
  %f2 = linalg.fill ins(%m5 : f32) outs(%e2 : tensor<2x1xf32>) -> tensor<2x1xf32>
  %y2 = trop.matmul <max_plus> ins(%y1, %w2 : tensor<2x2xf32>, tensor<2x1xf32>) outs(%f2 : tensor<2x1xf32>) -> tensor<2x1xf32>
  return %y2 : tensor<2x1xf32>
}

// -----

// Not cheaper (K = 4, N = 2, J = 4: 16 >= 8 + 8): kept as two layers even
// with reassociate; a lattice pair of this shape likewise.
// CHECK-LABEL: func.func @compose_not_cheaper
// CHECK-COUNT-2: trop.matmul <max_min>
// REASSOC-LABEL: func.func @compose_not_cheaper
// REASSOC-COUNT-2: trop.matmul <max_plus>
// REASSOC-COUNT-2: trop.matmul <max_min>
func.func @compose_not_cheaper(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %w1 = arith.constant dense<[[1.0, 5.0], [2.0, 6.0], [3.0, 7.0], [4.0, 8.0]]> : tensor<4x2xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<2x2xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %w2 = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %e2 = tensor.empty() : tensor<2x4xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %y2 = trop.matmul <max_plus> ins(%y1, %w2 : tensor<2x2xf32>, tensor<2x4xf32>) outs(%f2 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %m1 = trop.matmul <max_min> ins(%x, %w1 : tensor<2x4xf32>, tensor<4x2xf32>) outs(%f1 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %m2 = trop.matmul <max_min> ins(%m1, %w2 : tensor<2x2xf32>, tensor<2x4xf32>) outs(%f2 : tensor<2x4xf32>) -> tensor<2x4xf32>
  return %y2, %m2 : tensor<2x4xf32>, tensor<2x4xf32>
}

// -----

// BatchNorm's shift before a max-plus layer folds into its weights with
// reassociate: W'[k, n] = W[k, n] + c[k]; the generic keeps the scaling.
// CHECK-LABEL: func.func @shift_into_weights
// CHECK: arith.addf
// REASSOC-LABEL: func.func @shift_into_weights
// REASSOC-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}2.000000e+00, 0xFF800000], [1.000000e+00, 1.000000e+00]]> : tensor<2x2xf32>
// REASSOC: %[[G:.*]] = linalg.generic
// REASSOC-NOT: arith.addf
// REASSOC: linalg.yield
// REASSOC: trop.matmul <max_plus> ins(%[[G]], %[[W]]
func.func @shift_into_weights(%z: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %scale = arith.constant dense<[0.5, 2.0]> : tensor<2xf32>
  %shift = arith.constant dense<[1.0, -2.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %bn = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%z, %scale, %shift : tensor<3x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%a: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %a, %s : f32
    %r = arith.addf %m, %t : f32
    linalg.yield %r : f32
  } -> tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, 0xFF800000], [3.0, 3.0]]> : tensor<2x2xf32>
  %y = trop.matmul <max_plus> ins(%bn, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A linear layer's bias before a max-plus layer: with reassociate the
// linear layer starts from 0 and the bias joins the tropical weights.
// REASSOC-LABEL: func.func @linear_bias_into_weights
// REASSOC-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}1.500000e+00, 2.500000e+00], [2.000000e+00, 3.000000e+00]]> : tensor<2x2xf32>
// REASSOC: %[[Z:.*]] = linalg.matmul
// REASSOC: trop.matmul <max_plus> ins(%[[Z]], %[[W]]
func.func @linear_bias_into_weights(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b1 = arith.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %bb = linalg.broadcast ins(%b1 : tensor<2xf32>) outs(%e : tensor<3x2xf32>) dimensions = [0]
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%bb : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %y = trop.matmul <max_plus> ins(%z, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

// A positive scale after linear -> max-plus moves before the max-plus layer
// and into the linear layer (reassociate): 2·W1, 2·b1, 2·W, 2·b.
// REASSOC-LABEL: func.func @scale_through_layers
// REASSOC-DAG: %[[W1:.*]] = arith.constant dense<{{\[\[}}2.000000e+00, 4.000000e+00], [6.000000e+00, 8.000000e+00]]> : tensor<2x2xf32>
// REASSOC-DAG: %[[W:.*]] = arith.constant dense<{{\[\[}}2.000000e+00, 0xFF800000], [2.000000e+00, 6.000000e+00]]> : tensor<2x2xf32>
// REASSOC-DAG: %[[B:.*]] = arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// REASSOC: %[[Z:.*]] = linalg.matmul ins(%arg0, %[[W1]]
// REASSOC: trop.matmul <max_plus> ins(%[[Z]], %[[W]] {{.*}} outs(%{{.*}} : tensor<3x2xf32>)
// REASSOC-NOT: arith.mulf
// Untouched: a negative scale (max would become min).
// REASSOC-LABEL: func.func @negative_scale
// REASSOC: trop.matmul <max_plus>
// REASSOC: arith.mulf
func.func @scale_through_layers(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x2xf32>) outs(%f : tensor<3x2xf32>) -> tensor<3x2xf32>
  %w = arith.constant dense<[[1.0, 0xFF800000], [1.0, 3.0]]> : tensor<2x2xf32>
  %b = arith.constant dense<[0.5, -0.5]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %bb = linalg.broadcast ins(%b : tensor<2xf32>) outs(%e2 : tensor<3x2xf32>) dimensions = [0]
  %y = trop.matmul <max_plus> ins(%z, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%bb : tensor<3x2xf32>) -> tensor<3x2xf32>
  %two = arith.constant 2.0 : f32
  %e3 = tensor.empty() : tensor<3x2xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<3x2xf32>) outs(%e3 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %two : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  return %s : tensor<3x2xf32>
}
func.func @negative_scale(%x: tensor<3x2xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [1.0, 3.0]]> : tensor<2x2xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<3x2xf32>, tensor<2x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %m2 = arith.constant -2.0 : f32
  %e3 = tensor.empty() : tensor<3x2xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<3x2xf32>) outs(%e3 : tensor<3x2xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %m2 : f32
    linalg.yield %m : f32
  } -> tensor<3x2xf32>
  return %s : tensor<3x2xf32>
}
