// Round trip of trop.bipolar_matmul in tensor and memref form, with the
// default input_shift (0.1, elided when printed) and an explicit one.
// RUN: trop-opt %s | trop-opt | FileCheck %s
// RUN: trop-opt %s --mlir-print-op-generic | trop-opt | FileCheck %s
// RUN: trop-opt %s --canonicalize | FileCheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @bipolar_tensor
// CHECK: %{{.*}} = trop.bipolar_matmul ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>) outs(%{{.*}} : tensor<4x3xf32>) -> tensor<4x3xf32>
func.func @bipolar_tensor(%x: tensor<4x8xf32>, %vp: tensor<8x3xf32>, %vn: tensor<8x3xf32>, %b: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = trop.bipolar_matmul ins(%x, %vp, %vn : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @bipolar_memref_shift
// CHECK: trop.bipolar_matmul {input_shift = 0.000000e+00 : f64} ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<?x8xf64>, memref<8x?xf64>, memref<8x?xf64>) outs(%{{.*}} : memref<?x?xf64>)
func.func @bipolar_memref_shift(%x: memref<?x8xf64>, %vp: memref<8x?xf64>, %vn: memref<8x?xf64>, %b: memref<?x?xf64>) {
  trop.bipolar_matmul {input_shift = 0.0 : f64} ins(%x, %vp, %vn : memref<?x8xf64>, memref<8x?xf64>, memref<8x?xf64>) outs(%b : memref<?x?xf64>)
  return
}

// An empty reduction leaves the destination unchanged (every maximum is −∞,
// its exponential 0): canonicalisation forwards the init.
// CANON-LABEL: func.func @bipolar_empty_k
// CANON-NOT: trop.bipolar_matmul
// CANON: return %arg2
func.func @bipolar_empty_k(%x: tensor<4x0xf32>, %v: tensor<0x3xf32>, %b: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = trop.bipolar_matmul ins(%x, %v, %v : tensor<4x0xf32>, tensor<0x3xf32>, tensor<0x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}
