// One-shot bufferization turns the tensor form of every trop op into its
// memref form, writing in place of the destination.
// RUN: trop-opt %s --one-shot-bufferize="bufferize-function-boundaries" --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:.*]]: memref<4x8xf32, strided<[?, ?], offset: ?>>, %[[B:.*]]: memref<8x2xf32, strided<[?, ?], offset: ?>>, %[[C:.*]]: memref<4x2xf32, strided<[?, ?], offset: ?>>)
// CHECK: trop.matmul <max_plus> ins(%[[A]], %[[B]] : {{.*}}) outs(%[[C]] : memref<4x2xf32, strided<[?, ?], offset: ?>>)
// CHECK: return %[[C]]
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// A destination that is read again later is copied first.
// CHECK-LABEL: func.func @init_read_later
// CHECK: %[[ALLOC:.*]] = memref.alloc() {{.*}} : memref<1x2x2xi8>
// CHECK: memref.copy %[[C:.*]], %[[ALLOC]]
// CHECK: trop.batch_matmul <min_plus> {{.*}} outs(%[[ALLOC]] : memref<1x2x2xi8>)
// CHECK: return %[[ALLOC]], %[[C]]
func.func @init_read_later(%a: tensor<1x2x2xi8>, %c: tensor<1x2x2xi8>) -> (tensor<1x2x2xi8>, tensor<1x2x2xi8>) {
  %r = trop.batch_matmul <min_plus> ins(%a, %a : tensor<1x2x2xi8>, tensor<1x2x2xi8>) outs(%c : tensor<1x2x2xi8>) -> tensor<1x2x2xi8>
  return %r, %c : tensor<1x2x2xi8>, tensor<1x2x2xi8>
}

// -----

// CHECK-LABEL: func.func @convs_and_maxout
// CHECK: trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins({{.*}}memref<1x4x4x2xf32{{.*}}) outs({{.*}}memref<1x4x4x3xf32{{.*}})
// CHECK: trop.depthwise_conv_2d <max_min> ins({{.*}}memref<1x4x4x1xi1{{.*}}) outs({{.*}}memref<1x2x2x1xi1{{.*}})
// CHECK: trop.maxout group_size = 3 ins({{.*}}memref<1x4x4x3xf32{{.*}}) outs({{.*}}memref<1x4x4x1xf32{{.*}})
func.func @convs_and_maxout(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x3xf32>, %y: tensor<1x4x4x3xf32>,
                            %img: tensor<1x4x4x1xi1>, %se: tensor<3x3x1xi1>, %out: tensor<1x2x2x1xi1>,
                            %m: tensor<1x4x4x1xf32>) -> (tensor<1x4x4x1xf32>, tensor<1x2x2x1xi1>) {
  %r = trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : tensor<1x4x4x2xf32>, tensor<3x3x2x3xf32>) outs(%y : tensor<1x4x4x3xf32>) -> tensor<1x4x4x3xf32>
  %b = trop.depthwise_conv_2d <max_min> ins(%img, %se : tensor<1x4x4x1xi1>, tensor<3x3x1xi1>) outs(%out : tensor<1x2x2x1xi1>) -> tensor<1x2x2x1xi1>
  %s = trop.maxout group_size = 3 ins(%r : tensor<1x4x4x3xf32>) outs(%m : tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  return %s, %b : tensor<1x4x4x1xf32>, tensor<1x2x2x1xi1>
}

// -----

// Both destinations of a dual_matmul are written in place.
// CHECK-LABEL: func.func @dual_matmul
// CHECK-SAME: (%[[A:.*]]: memref<4x8xf32, {{.*}}>, %[[B:.*]]: memref<8x2xf32, {{.*}}>, %[[C:.*]]: memref<4x2xf32, {{.*}}>, %[[D:.*]]: memref<4x2xf32, {{.*}}>)
// CHECK: trop.dual_matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[C]], %[[D]] : {{.*}})
// CHECK: return %[[D]], %[[C]]
func.func @dual_matmul(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %d: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return %r#1, %r#0 : tensor<4x2xf32>, tensor<4x2xf32>
}
