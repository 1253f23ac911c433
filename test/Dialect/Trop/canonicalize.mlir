// Exact canonicalisations: an op whose iteration space is statically empty
// performs no update, so it is its destination.
// RUN: trop-opt %s --canonicalize --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @empty_reduction_tensor
// CHECK-SAME: (%{{.*}}: tensor<4x0xf32>, %{{.*}}: tensor<0x2xf32>, %[[C:.*]]: tensor<4x2xf32>)
// CHECK-NOT: trop.matmul
// CHECK: return %[[C]]
func.func @empty_reduction_tensor(%a: tensor<4x0xf32>, %b: tensor<0x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x0xf32>, tensor<0x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// The reduction is empty even though the other sizes are dynamic.
// CHECK-LABEL: func.func @empty_reduction_dynamic
// CHECK-NOT: trop.batch_matmul
func.func @empty_reduction_dynamic(%a: tensor<?x?x0xi8>, %b: tensor<?x0x?xi8>, %c: tensor<?x?x?xi8>) -> tensor<?x?x?xi8> {
  %r = trop.batch_matmul <min_plus> ins(%a, %b : tensor<?x?x0xi8>, tensor<?x0x?xi8>) outs(%c : tensor<?x?x?xi8>) -> tensor<?x?x?xi8>
  return %r : tensor<?x?x?xi8>
}

// -----

// CHECK-LABEL: func.func @empty_memref
// CHECK-NOT: trop.
// CHECK: return
func.func @empty_memref(%a: memref<4x0xf32>, %b: memref<0x2xf32>, %c: memref<4x2xf32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<4x0xf32>, memref<0x2xf32>) outs(%c : memref<4x2xf32>)
  return
}

// -----

// An empty window (no filter rows) reads nothing.
// CHECK-LABEL: func.func @empty_window
// CHECK-NOT: trop.conv_2d
func.func @empty_window(%x: tensor<1x4x4x3xf32>, %w: tensor<0x3x3x2xf32>, %y: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x4x4x3xf32>, tensor<0x3x3x2xf32>) outs(%y : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  return %r : tensor<1x4x2x2xf32>
}

// -----

// CHECK-LABEL: func.func @empty_depthwise_channels
// CHECK-NOT: trop.depthwise_conv_2d
func.func @empty_depthwise_channels(%x: memref<1x4x4x0xf16>, %w: memref<3x3x0xf16>, %y: memref<1x2x2x0xf16>) {
  trop.depthwise_conv_2d <max_plus> ins(%x, %w : memref<1x4x4x0xf16>, memref<3x3x0xf16>) outs(%y : memref<1x2x2x0xf16>)
  return
}

// -----

// CHECK-LABEL: func.func @empty_maxout
// CHECK-NOT: trop.maxout
func.func @empty_maxout(%x: tensor<0x8xf32>, %y: tensor<0x2xf32>) -> tensor<0x2xf32> {
  %r = trop.maxout group_size = 4 ins(%x : tensor<0x8xf32>) outs(%y : tensor<0x2xf32>) -> tensor<0x2xf32>
  return %r : tensor<0x2xf32>
}

// -----

// Nothing is folded when the iteration space is not statically empty.
// CHECK-LABEL: func.func @not_empty
// CHECK: trop.matmul
// CHECK: trop.conv_2d
// CHECK: trop.maxout
func.func @not_empty(%a: tensor<4x?xf32>, %b: tensor<?x2xf32>, %c: tensor<4x2xf32>,
                     %x: tensor<1x4x4x3xf32>, %w: tensor<1x3x3x2xf32>, %y: tensor<1x4x2x2xf32>,
                     %m: tensor<2x8xf32>, %n: tensor<2x2xf32>) -> (tensor<4x2xf32>, tensor<1x4x2x2xf32>, tensor<2x2xf32>) {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x?xf32>, tensor<?x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  %s = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x4x4x3xf32>, tensor<1x3x3x2xf32>) outs(%y : tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32>
  %t = trop.maxout group_size = 4 ins(%m : tensor<2x8xf32>) outs(%n : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r, %s, %t : tensor<4x2xf32>, tensor<1x4x2x2xf32>, tensor<2x2xf32>
}

// -----

// Tensor-form ops without uses have no side effects and are removed.
// CHECK-LABEL: func.func @dead_tensor_op
// CHECK-NOT: trop.matmul
func.func @dead_tensor_op(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

// Memref-form ops write memory and stay.
// CHECK-LABEL: func.func @live_memref_op
// CHECK: trop.matmul
func.func @live_memref_op(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  return
}

// -----

// An empty reduction leaves both destinations of a dual_matmul unchanged.
// CHECK-LABEL: func.func @dual_empty_reduction
// CHECK-SAME: (%{{.*}}: tensor<4x0xf32>, %{{.*}}: tensor<0x2xf32>, %[[C:.*]]: tensor<4x2xf32>, %[[D:.*]]: tensor<4x2xf32>)
// CHECK-NOT: trop.dual_matmul
// CHECK: return %[[C]], %[[D]]
func.func @dual_empty_reduction(%a: tensor<4x0xf32>, %b: tensor<0x2xf32>, %c: tensor<4x2xf32>, %d: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x0xf32>, tensor<0x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return %r#0, %r#1 : tensor<4x2xf32>, tensor<4x2xf32>
}

// A non-empty one stays.
// CHECK-LABEL: func.func @dual_not_empty
// CHECK: trop.dual_matmul
func.func @dual_not_empty(%a: memref<4x3xf32>, %b: memref<3x2xf32>, %c: memref<4x2xf32>, %d: memref<4x2xf32>) {
  trop.dual_matmul ins(%a, %b : memref<4x3xf32>, memref<3x2xf32>) outs(%c, %d : memref<4x2xf32>, memref<4x2xf32>)
  return
}
