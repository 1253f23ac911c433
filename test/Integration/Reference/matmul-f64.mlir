// trop.matmul on f64: max_plus beyond the f32 range, and the lattice
// semirings max_min (⊕ = max, ⊗ = min) and min_max (⊕ = min, ⊗ = max) on
// floats.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  // max_plus: max(1e200 + 1e200, -1e300 + 5) = 2e200 (would be +inf in f32);
  //           max(1e200 - 1e200, -1e300 + 1e300) = 0.
  %a0 = arith.constant dense<[[1.0e200, -1.0e300]]> : tensor<1x2xf64>
  %b0 = arith.constant dense<[[1.0e200, -1.0e200], [5.0, 1.0e300]]> : tensor<2x2xf64>
  %c0 = arith.constant dense<0xFFF0000000000000> : tensor<1x2xf64>
  %r0 = trop.matmul <max_plus> ins(%a0, %b0 : tensor<1x2xf64>, tensor<2x2xf64>)
                               outs(%c0 : tensor<1x2xf64>) -> tensor<1x2xf64>
  %u0 = tensor.cast %r0 : tensor<1x2xf64> to tensor<*xf64>
  call @printMemrefF64(%u0) : (tensor<*xf64>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [1, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}2e+200, 0]]

  %a = arith.constant dense<[[1.0, 5.0, 0.0], [-2.0, 0.0, 3.0]]> : tensor<2x3xf64>
  %b = arith.constant dense<[[4.0, 0.0], [-1.0, 2.0], [2.0, 7.0]]> : tensor<3x2xf64>

  // max_min, init -inf:
  // C00 = max(min(1,4), min(5,-1), min(0,2))  = max(1, -1, 0)  = 1
  // C01 = max(min(1,0), min(5,2), min(0,7))   = max(0, 2, 0)   = 2
  // C10 = max(min(-2,4), min(0,-1), min(3,2)) = max(-2, -1, 2) = 2
  // C11 = max(min(-2,0), min(0,2), min(3,7))  = max(-2, 0, 3)  = 3
  %ninf = arith.constant dense<0xFFF0000000000000> : tensor<2x2xf64>
  %r1 = trop.matmul <max_min> ins(%a, %b : tensor<2x3xf64>, tensor<3x2xf64>)
                              outs(%ninf : tensor<2x2xf64>) -> tensor<2x2xf64>
  %u1 = tensor.cast %r1 : tensor<2x2xf64> to tensor<*xf64>
  call @printMemrefF64(%u1) : (tensor<*xf64>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 2],
  // CHECK-NEXT: {{^}} [2, 3]]

  // min_max, init +inf except C11 = -0.5 (a bias that wins):
  // C00 = min(max(1,4), max(5,-1), max(0,2))  = min(4, 5, 2) = 2
  // C01 = min(max(1,0), max(5,2), max(0,7))   = min(1, 5, 7) = 1
  // C10 = min(max(-2,4), max(0,-1), max(3,2)) = min(4, 0, 3) = 0
  // C11 = min(-0.5, max(-2,0), max(0,2), max(3,7)) = min(-0.5, 0, 2, 7) = -0.5
  %pinf = arith.constant dense<[[0x7FF0000000000000, 0x7FF0000000000000],
                                [0x7FF0000000000000, -0.5]]> : tensor<2x2xf64>
  %r2 = trop.matmul <min_max> ins(%a, %b : tensor<2x3xf64>, tensor<3x2xf64>)
                              outs(%pinf : tensor<2x2xf64>) -> tensor<2x2xf64>
  %u2 = tensor.cast %r2 : tensor<2x2xf64> to tensor<*xf64>
  call @printMemrefF64(%u2) : (tensor<*xf64>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}2, 1],
  // CHECK-NEXT: {{^}} [0, -0.5]]
  return
}

func.func private @printMemrefF64(tensor<*xf64>)
