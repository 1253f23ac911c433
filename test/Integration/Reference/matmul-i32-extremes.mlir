// trop.matmul on i32 at the ends of the range: sums are computed exactly
// (in i64) and clamped to [-2147483648, 2147483647]; 𝟘 (INT_MIN for
// max_plus, INT_MAX for min_plus) absorbs under ⊗.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  // max_plus outer product (K = 1), init all 𝟘 = -2147483648.
  //   INT_MAX:    +100 -> INT_MAX | 𝟘 -> 𝟘 | INT_MAX - 2147483647 = 0 | -> INT_MAX
  //   INT_MIN:    𝟘 absorbs, whole row INT_MIN
  //   2147483600: 2147483700 -> INT_MAX | 𝟘 | -47 | -> INT_MAX
  //   -5:         95 | 𝟘 | -2147483652 -> INT_MIN | 2147483642
  %a0 = arith.constant dense<[[2147483647], [-2147483648], [2147483600], [-5]]> : tensor<4x1xi32>
  %b0 = arith.constant dense<[[100, -2147483648, -2147483647, 2147483647]]> : tensor<1x4xi32>
  %c0 = arith.constant dense<-2147483648> : tensor<4x4xi32>
  %r0 = trop.matmul <max_plus> ins(%a0, %b0 : tensor<4x1xi32>, tensor<1x4xi32>)
                               outs(%c0 : tensor<4x4xi32>) -> tensor<4x4xi32>
  %u0 = tensor.cast %r0 : tensor<4x4xi32> to tensor<*xi32>
  call @printMemrefI32(%u0) : (tensor<*xi32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [4, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[\[}}2147483647, -2147483648, 0, 2147483647],
  // CHECK-NEXT: {{^}} [-2147483648, -2147483648, -2147483648, -2147483648],
  // CHECK-NEXT: {{^}} [2147483647, -2147483648, -47, 2147483647],
  // CHECK-NEXT: {{^}} [95, -2147483648, -2147483648, 2147483642]]

  // min_plus outer product, init all 𝟘 = 2147483647 (INT_MIN is a number).
  //   INT_MAX: 𝟘 absorbs, whole row INT_MAX (INT_MAX + INT_MIN is not -1)
  //   INT_MIN: -> INT_MIN | -2147483643 | 𝟘
  //   -10:     -2147483658 -> INT_MIN | -5 | 𝟘
  %a1 = arith.constant dense<[[2147483647], [-2147483648], [-10]]> : tensor<3x1xi32>
  %b1 = arith.constant dense<[[-2147483648, 5, 2147483647]]> : tensor<1x3xi32>
  %c1 = arith.constant dense<2147483647> : tensor<3x3xi32>
  %r1 = trop.matmul <min_plus> ins(%a1, %b1 : tensor<3x1xi32>, tensor<1x3xi32>)
                               outs(%c1 : tensor<3x3xi32>) -> tensor<3x3xi32>
  %u1 = tensor.cast %r1 : tensor<3x3xi32> to tensor<*xi32>
  call @printMemrefI32(%u1) : (tensor<*xi32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}2147483647, 2147483647, 2147483647],
  // CHECK-NEXT: {{^}} [-2147483648, -2147483643, 2147483647],
  // CHECK-NEXT: {{^}} [-2147483648, -5, 2147483647]]

  // max_min on i32 (⊗ = min, ⊕ = max), K = 2, init 𝟘 = INT_MIN:
  // C00 = max(min(INT_MAX, 7), min(-3, INT_MAX)) = max(7, -3) = 7
  // C01 = max(min(INT_MAX, INT_MIN), min(-3, 0)) = max(INT_MIN, -3) = -3
  %a2 = arith.constant dense<[[2147483647, -3]]> : tensor<1x2xi32>
  %b2 = arith.constant dense<[[7, -2147483648], [2147483647, 0]]> : tensor<2x2xi32>
  %c2 = arith.constant dense<-2147483648> : tensor<1x2xi32>
  %r2 = trop.matmul <max_min> ins(%a2, %b2 : tensor<1x2xi32>, tensor<2x2xi32>)
                              outs(%c2 : tensor<1x2xi32>) -> tensor<1x2xi32>
  %u2 = tensor.cast %r2 : tensor<1x2xi32> to tensor<*xi32>
  call @printMemrefI32(%u2) : (tensor<*xi32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [1, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}7, -3]]
  return
}

func.func private @printMemrefI32(tensor<*xi32>)
