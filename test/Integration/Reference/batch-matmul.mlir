// trop.batch_matmul: C[b] = C[b] ⊕ A[b] ⊗ B[b], batches not mixed, with
// max_plus and min_plus on f32 tensors (with a bias in the init) and
// max_plus on i32 memrefs.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

memref.global "private" constant @Ai : memref<2x2x2xi32> =
    dense<[[[1, 2], [3, 4]], [[-1, 0], [5, -5]]]>
memref.global "private" constant @Bi : memref<2x2x2xi32> =
    dense<[[[0, 10], [1, -1]], [[2, 2], [0, 3]]]>
memref.global "private" @Ci : memref<2x2x2xi32> =
    dense<[[[-2147483648, -2147483648], [-2147483648, -2147483648]],
           [[-2147483648, -2147483648], [100, -2147483648]]]>

func.func @main() {
  // A[0] = [[1, 2], [3, 4]]     B[0] = [[0, 10], [1, -1]]
  // A[1] = [[-1, 0], [5, -5]]   B[1] = [[2, 2], [0, 3]]
  %a = arith.constant dense<[[[1.0, 2.0], [3.0, 4.0]], [[-1.0, 0.0], [5.0, -5.0]]]> : tensor<2x2x2xf32>
  %b = arith.constant dense<[[[0.0, 10.0], [1.0, -1.0]], [[2.0, 2.0], [0.0, 3.0]]]> : tensor<2x2x2xf32>

  // max_plus, init -inf except C[1][1][0] = 100:
  // b=0: C00 = max(1+0, 2+1) = 3;    C01 = max(1+10, 2-1) = 11
  //      C10 = max(3+0, 4+1) = 5;    C11 = max(3+10, 4-1) = 13
  // b=1: C00 = max(-1+2, 0+0) = 1;   C01 = max(-1+2, 0+3) = 3
  //      C10 = max(100, 5+2, -5+0) = 100;  C11 = max(5+2, -5+3) = 7
  %cmax = arith.constant dense<[[[0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000]],
                                [[0xFF800000, 0xFF800000], [100.0, 0xFF800000]]]> : tensor<2x2x2xf32>
  %r0 = trop.batch_matmul <max_plus> ins(%a, %b : tensor<2x2x2xf32>, tensor<2x2x2xf32>)
                                     outs(%cmax : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %u0 = tensor.cast %r0 : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2, 2] strides = [4, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}3, 11],
  // CHECK-NEXT: {{^}} [5, 13]],
  // CHECK-NEXT: {{^}} {{\[\[}}1, 3],
  // CHECK-NEXT: {{^}} [100, 7]]]

  // min_plus, init +inf except C[0][0][1] = -7:
  // b=0: C00 = min(1, 3) = 1;   C01 = min(-7, 11, 1) = -7
  //      C10 = min(3, 5) = 3;   C11 = min(13, 3) = 3
  // b=1: C00 = min(1, 0) = 0;   C01 = min(1, 3) = 1
  //      C10 = min(7, -5) = -5; C11 = min(7, -2) = -2
  %cmin = arith.constant dense<[[[0x7F800000, -7.0], [0x7F800000, 0x7F800000]],
                                [[0x7F800000, 0x7F800000], [0x7F800000, 0x7F800000]]]> : tensor<2x2x2xf32>
  %r1 = trop.batch_matmul <min_plus> ins(%a, %b : tensor<2x2x2xf32>, tensor<2x2x2xf32>)
                                     outs(%cmin : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %u1 = tensor.cast %r1 : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2, 2] strides = [4, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}1, -7],
  // CHECK-NEXT: {{^}} [3, 3]],
  // CHECK-NEXT: {{^}} {{\[\[}}0, 1],
  // CHECK-NEXT: {{^}} [-5, -2]]]

  // Memref form, i32 max_plus with the same data and bias: same values as
  // the f32 max_plus above.
  %ai = memref.get_global @Ai : memref<2x2x2xi32>
  %bi = memref.get_global @Bi : memref<2x2x2xi32>
  %ci = memref.get_global @Ci : memref<2x2x2xi32>
  trop.batch_matmul <max_plus> ins(%ai, %bi : memref<2x2x2xi32>, memref<2x2x2xi32>)
                               outs(%ci : memref<2x2x2xi32>)
  %u2 = memref.cast %ci : memref<2x2x2xi32> to memref<*xi32>
  call @printMemrefI32(%u2) : (memref<*xi32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2, 2] strides = [4, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}3, 11],
  // CHECK-NEXT: {{^}} [5, 13]],
  // CHECK-NEXT: {{^}} {{\[\[}}1, 3],
  // CHECK-NEXT: {{^}} [100, 7]]]
  return
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(memref<*xi32>)
