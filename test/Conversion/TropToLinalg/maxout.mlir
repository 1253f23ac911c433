// Reference lowering of trop.maxout: the channel dimension is expanded into
// (groups, group_size) and reduced with max over the last loop.
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @maxout_f32
// CHECK-SAME: (%[[X:.*]]: tensor<32x64xf32>, %[[Y:.*]]: tensor<32x16xf32>)
// CHECK: %[[E:.*]] = tensor.expand_shape %[[X]] {{\[}}[0], [1, 2]] output_shape [32, 16, 4] : tensor<32x64xf32> into tensor<32x16x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[E]] : tensor<32x16x4xf32>) outs(%[[Y]] : tensor<32x16xf32>)
// CHECK: ^bb0(%[[V:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[ACC]], %[[V]] : f32
// CHECK-NEXT: linalg.yield %[[M]]
func.func @maxout_f32(%x: tensor<32x64xf32>, %y: tensor<32x16xf32>) -> tensor<32x16xf32> {
  %r = trop.maxout group_size = 4 ins(%x : tensor<32x64xf32>) outs(%y : tensor<32x16xf32>) -> tensor<32x16xf32>
  return %r : tensor<32x16xf32>
}

// -----

// CHECK-LABEL: func.func @maxout_i1_memref
// CHECK: memref.expand_shape %{{.*}} {{\[}}[0], [1], [2, 3]] output_shape [2, 3, 4, 2] : memref<2x3x8xi1> into memref<2x3x4x2xi1>
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK: arith.ori
func.func @maxout_i1_memref(%x: memref<2x3x8xi1>, %y: memref<2x3x4xi1>) {
  trop.maxout group_size = 2 ins(%x : memref<2x3x8xi1>) outs(%y : memref<2x3x4xi1>)
  return
}

// -----

// A dynamic channel count is divided at run time.
// CHECK-LABEL: func.func @maxout_dynamic
// CHECK: %[[C:.*]] = tensor.dim %{{.*}}, %c1
// CHECK: %[[G:.*]] = arith.divui %[[C]], %c3
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0], [1, 2]] output_shape [%{{.*}}, %[[G]], 3] : tensor<?x?xi8> into tensor<?x?x3xi8>
// CHECK: arith.maxsi
func.func @maxout_dynamic(%x: tensor<?x?xi8>, %y: tensor<?x?xi8>) -> tensor<?x?xi8> {
  %r = trop.maxout group_size = 3 ins(%x : tensor<?x?xi8>) outs(%y : tensor<?x?xi8>) -> tensor<?x?xi8>
  return %r : tensor<?x?xi8>
}
