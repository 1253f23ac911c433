// nan-mode=assume-none: float max/min become one select of an ordered
// compare (vmaxps). NaN-free inputs give the same exact results as the
// default mode; with a NaN input, only the outputs that do not read the NaN
// are specified (the NaN row is matched but not asserted).

// RUN: trop-opt %s --trop-reference-pipeline="nan-mode=assume-none" \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  %b = arith.constant dense<[[0.0, 1.0], [4.0, 2.0]]> : tensor<2x2xf32>
  %ninf = arith.constant dense<0xFF800000> : tensor<3x2xf32>
  %pinf = arith.constant dense<0x7F800000> : tensor<3x2xf32>

  // NaN-free, max_plus: A = [[1, 2], [-inf, 0.5], [3, 0]]
  // Row 0: max(1+0, 2+4) = 6;      max(1+1, 2+2) = 4
  // Row 1: max(-inf, 0.5+4) = 4.5; max(-inf, 0.5+2) = 2.5
  // Row 2: max(3+0, 0+4) = 4;      max(3+1, 0+2) = 4
  %a = arith.constant dense<[[1.0, 2.0], [0xFF800000, 0.5], [3.0, 0.0]]> : tensor<3x2xf32>
  %r0 = trop.matmul <max_plus> ins(%a, %b : tensor<3x2xf32>, tensor<2x2xf32>)
                               outs(%ninf : tensor<3x2xf32>) -> tensor<3x2xf32>
  %u0 = tensor.cast %r0 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}6, 4],
  // CHECK-NEXT: {{^}} [4.5, 2.5],
  // CHECK-NEXT: {{^}} [4, 4]]

  // NaN-free, min_max: Row 0: min(max(1,0), max(2,4)) = 1; min(max(1,1), max(2,2)) = 1
  //                    Row 1: min(max(-inf,0), max(0.5,4)) = 0; min(1, 2) = 1
  //                    Row 2: min(3, 4) = 3; min(3, 2) = 2
  %r1 = trop.matmul <min_max> ins(%a, %b : tensor<3x2xf32>, tensor<2x2xf32>)
                              outs(%pinf : tensor<3x2xf32>) -> tensor<3x2xf32>
  %u1 = tensor.cast %r1 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 1],
  // CHECK-NEXT: {{^}} [0, 1],
  // CHECK-NEXT: {{^}} [3, 2]]

  // A NaN in row 1 of A: rows 0 and 2 are still [6, 4] and [4, 4]; row 1
  // is unspecified.
  %an = arith.constant dense<[[1.0, 2.0], [0x7FC00000, 0.5], [3.0, 0.0]]> : tensor<3x2xf32>
  %r2 = trop.matmul <max_plus> ins(%an, %b : tensor<3x2xf32>, tensor<2x2xf32>)
                               outs(%ninf : tensor<3x2xf32>) -> tensor<3x2xf32>
  %u2 = tensor.cast %r2 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}6, 4],
  // CHECK-NEXT: {{^}} [{{[^]]*}}],
  // CHECK-NEXT: {{^}} [4, 4]]
  return
}

func.func private @printMemrefF32(tensor<*xf32>)
