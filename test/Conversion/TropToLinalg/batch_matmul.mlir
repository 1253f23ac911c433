// Reference lowering of trop.batch_matmul.
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batch_max_plus
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<8x16x32xf32>, tensor<8x32x4xf32>) outs(%{{.*}} : tensor<8x16x4xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
func.func @batch_max_plus(%a: tensor<8x16x32xf32>, %b: tensor<8x32x4xf32>, %c: tensor<8x16x4xf32>) -> tensor<8x16x4xf32> {
  %r = trop.batch_matmul <max_plus> ins(%a, %b : tensor<8x16x32xf32>, tensor<8x32x4xf32>) outs(%c : tensor<8x16x4xf32>) -> tensor<8x16x4xf32>
  return %r : tensor<8x16x4xf32>
}

// -----

// CHECK-LABEL: func.func @batch_min_max_memref
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : memref<2x3x5xi8>)
// CHECK: %[[P:.*]] = arith.maxsi
// CHECK: arith.minsi %{{.*}}, %[[P]] : i8
// CHECK-NOT: trop.
func.func @batch_min_max_memref(%a: memref<2x3x4xi8>, %b: memref<2x4x5xi8>, %c: memref<2x3x5xi8>) {
  trop.batch_matmul <min_max> ins(%a, %b : memref<2x3x4xi8>, memref<2x4x5xi8>) outs(%c : memref<2x3x5xi8>)
  return
}
