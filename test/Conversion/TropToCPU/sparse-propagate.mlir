// With nan-mode=propagate a NaN met by a skipped 𝟘 must reach the output, so
// tropical ops keep the packed GEMM; linalg.matmul (no NaN mode) still takes
// the sparse kernel.
// RUN: trop-opt %s --trop-to-cpu="nan-mode=propagate vector-bits=512 vector-registers=32" | FileCheck %s

// CHECK-LABEL: func.func @tropical
// CHECK-NOT: memref.get_global @__trop_sparse
// CHECK: arith.maximumf
// CHECK-LABEL: func.func @linear
// CHECK: memref.get_global @__trop_sparse_blockptr
memref.global "private" constant @w : memref<4x9xf32> = dense<0xFF800000>
memref.global "private" constant @z : memref<4x9xf32> = dense<0.0>
func.func @tropical(%a: memref<5x4xf32>, %c: memref<5x9xf32>) {
  %w = memref.get_global @w : memref<4x9xf32>
  trop.matmul <max_plus> ins(%a, %w : memref<5x4xf32>, memref<4x9xf32>) outs(%c : memref<5x9xf32>)
  return
}
func.func @linear(%a: memref<5x4xf32>, %c: memref<5x9xf32>) {
  %z = memref.get_global @z : memref<4x9xf32>
  linalg.matmul ins(%a, %z : memref<5x4xf32>, memref<4x9xf32>) outs(%c : memref<5x9xf32>)
  return
}
