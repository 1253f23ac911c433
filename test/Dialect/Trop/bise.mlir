// trop.bise (paper D's float BiSE layer) round-trips, on tensors and memrefs,
// and the bufferization keeps its attributes.
// RUN: trop-opt %s | trop-opt | FileCheck %s
// RUN: trop-opt %s --one-shot-bufferize="bufferize-function-boundaries" | FileCheck %s --check-prefix=BUF

// CHECK-LABEL: func.func @bise_tensors
// CHECK: trop.bise <tanh> groups = 1 ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<2x5x5x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>) outs(%{{.*}} : tensor<2x5x5x4xf32>) -> tensor<2x5x5x4xf32>
// BUF-LABEL: func.func @bise_tensors
// BUF: trop.bise <tanh> groups = 1 ins({{.*}} : memref<2x5x5x3xf32{{.*}}>, memref<4x3x3x3xf32{{.*}}>, memref<4xf32{{.*}}>, memref<4xf32{{.*}}>) outs({{.*}} : memref<2x5x5x4xf32>)
func.func @bise_tensors(%x: tensor<2x5x5x3xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>, %p: tensor<4xf32>) -> tensor<2x5x5x4xf32> {
  %e = tensor.empty() : tensor<2x5x5x4xf32>
  %y = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %p : tensor<2x5x5x3xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>, tensor<4xf32>) outs(%e : tensor<2x5x5x4xf32>) -> tensor<2x5x5x4xf32>
  return %y : tensor<2x5x5x4xf32>
}

// CHECK-LABEL: func.func @bise_groups_dynamic_batch
// CHECK: trop.bise <erf> groups = 2 ins({{.*}} : tensor<?x4x4x4xf64>, tensor<6x2x1x2xf64>, tensor<6xf64>, tensor<6xf64>) outs({{.*}} : tensor<?x4x4x6xf64>) -> tensor<?x4x4x6xf64>
func.func @bise_groups_dynamic_batch(%x: tensor<?x4x4x4xf64>, %w: tensor<6x2x1x2xf64>, %b: tensor<6xf64>, %p: tensor<6xf64>, %e: tensor<?x4x4x6xf64>) -> tensor<?x4x4x6xf64> {
  %y = trop.bise <erf> groups = 2 ins(%x, %w, %b, %p : tensor<?x4x4x4xf64>, tensor<6x2x1x2xf64>, tensor<6xf64>, tensor<6xf64>) outs(%e : tensor<?x4x4x6xf64>) -> tensor<?x4x4x6xf64>
  return %y : tensor<?x4x4x6xf64>
}

// CHECK-LABEL: func.func @bise_memrefs
// CHECK: trop.bise <sigmoid> groups = 1 ins({{.*}}) outs({{.*}} : memref<1x2x2x1xf32>)
// CHECK: trop.bise <arctan> groups = 1
func.func @bise_memrefs(%x: memref<1x2x2x1xf32>, %w: memref<1x1x1x1xf32>, %b: memref<1xf32>, %y: memref<1x2x2x1xf32>) {
  trop.bise <sigmoid> groups = 1 ins(%x, %w, %b, %b : memref<1x2x2x1xf32>, memref<1x1x1x1xf32>, memref<1xf32>, memref<1xf32>) outs(%y : memref<1x2x2x1xf32>)
  trop.bise <arctan> groups = 1 ins(%x, %w, %b, %b : memref<1x2x2x1xf32>, memref<1x1x1x1xf32>, memref<1xf32>, memref<1xf32>) outs(%y : memref<1x2x2x1xf32>)
  return
}
