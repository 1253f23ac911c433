// Round trip of trop.lse_matmul (tensor and memref form; beta 1, the
// default, is elided) and its verifier errors.
// RUN: trop-opt %s --split-input-file | trop-opt | FileCheck %s
// RUN: trop-opt %s --split-input-file --mlir-print-op-generic | trop-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @lse_tensor
// CHECK: trop.lse_matmul {beta = 4.000000e+00 : f64} ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x3xf32>) outs(%{{.*}} : tensor<4x3xf32>) -> tensor<4x3xf32>
func.func @lse_tensor(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = trop.lse_matmul {beta = 4.0 : f64} ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func.func @lse_memref
// CHECK: trop.lse_matmul ins(%{{.*}}, %{{.*}} : memref<?x8xf64>, memref<8x?xf64>) outs(%{{.*}} : memref<?x?xf64>)
func.func @lse_memref(%a: memref<?x8xf64>, %b: memref<8x?xf64>, %c: memref<?x?xf64>) {
  trop.lse_matmul ins(%a, %b : memref<?x8xf64>, memref<8x?xf64>) outs(%c : memref<?x?xf64>)
  return
}
