// trop.matmul on f32 with a bias in the init (the init takes part in ⊕),
// rows of A that are all 𝟘 (the init row comes out unchanged), and infinite
// inputs that never meet an infinity of the opposite sign.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  // max_plus; 0xFF800000 = -inf, 0x7F800000 = +inf.
  //   A = [[-inf, -inf], [1, 2], [+inf, 0], [3, -inf]]
  //   B = [[0, 1, 5], [2, -inf, 4]]
  //   C = [[7, -inf, 0.5], [10, -inf, -inf], [-inf, -inf, -inf], [-inf, 1, 100]]
  // Row 0 (all 𝟘): every product is -inf, so the row is the init [7, -inf, 0.5].
  // Row 1: max(10, 1+0, 2+2) = 10 (bias); max(-inf, 1+1, 2-inf) = 2;
  //        max(-inf, 1+5, 2+4) = 6.
  // Row 2: +inf + finite = +inf wins every column: [inf, inf, inf].
  // Row 3: max(-inf, 3+0, -inf) = 3; max(1, 3+1, -inf) = 4; max(100, 3+5, -inf) = 100.
  %a = arith.constant dense<[[0xFF800000, 0xFF800000], [1.0, 2.0],
                             [0x7F800000, 0.0], [3.0, 0xFF800000]]> : tensor<4x2xf32>
  %b = arith.constant dense<[[0.0, 1.0, 5.0], [2.0, 0xFF800000, 4.0]]> : tensor<2x3xf32>
  %c = arith.constant dense<[[7.0, 0xFF800000, 0.5], [10.0, 0xFF800000, 0xFF800000],
                             [0xFF800000, 0xFF800000, 0xFF800000],
                             [0xFF800000, 1.0, 100.0]]> : tensor<4x3xf32>
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x2xf32>, tensor<2x3xf32>)
                              outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  %u = tensor.cast %r : tensor<4x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [4, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}7, -inf, 0.5],
  // CHECK-NEXT: {{^}} [10, 2, 6],
  // CHECK-NEXT: {{^}} [inf, inf, inf],
  // CHECK-NEXT: {{^}} [3, 4, 100]]

  // min_plus (𝟘 = +inf):
  //   A = [[+inf, +inf], [-inf, 1], [2, 3]]
  //   B = [[0, 4], [1, +inf]]
  //   C = [[5, +inf], [+inf, +inf], [+inf, 0]]
  // Row 0 (all 𝟘): the init row [5, inf].
  // Row 1: -inf + finite = -inf wins both columns (1 + inf = inf loses).
  // Row 2: min(inf, 2+0, 3+1) = 2; min(0, 2+4, 3+inf) = 0 (bias).
  %a1 = arith.constant dense<[[0x7F800000, 0x7F800000], [0xFF800000, 1.0],
                              [2.0, 3.0]]> : tensor<3x2xf32>
  %b1 = arith.constant dense<[[0.0, 4.0], [1.0, 0x7F800000]]> : tensor<2x2xf32>
  %c1 = arith.constant dense<[[5.0, 0x7F800000], [0x7F800000, 0x7F800000],
                              [0x7F800000, 0.0]]> : tensor<3x2xf32>
  %r1 = trop.matmul <min_plus> ins(%a1, %b1 : tensor<3x2xf32>, tensor<2x2xf32>)
                               outs(%c1 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %u1 = tensor.cast %r1 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}5, inf],
  // CHECK-NEXT: {{^}} [-inf, -inf],
  // CHECK-NEXT: {{^}} [2, 0]]
  return
}

func.func private @printMemrefF32(tensor<*xf32>)
