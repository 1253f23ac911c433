// trop.matmul on i8: ⊗ = + is the exact sum clamped to [-128, 127], and 𝟘
// (-128 for max_plus, 127 for min_plus) absorbs: 𝟘 ⊗ x = 𝟘 even where the
// exact sum would be a finite number (127 + (-128) is 𝟘 = -128 in max_plus,
// not -1).

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>

func.func @main() {
  // Outer products (K = 1) with an all-𝟘 init: each output is one product.
  // max_plus, 𝟘 = -128: rows A = 100, -128, -100, 127; columns B = 100,
  // -128, -100, 27.
  //   100:  100+100 = 200 -> 127 | 𝟘 -> -128 | 0           | 127 (exact)
  //   -128: 𝟘 absorbs: -128+100 is -128, not -28 (whole row -128)
  //   -100: 0                    | 𝟘 -> -128 | -200 -> -128 | -73
  //   127:  227 -> 127           | 𝟘 (not -1)| 27          | 154 -> 127
  %a0 = arith.constant dense<[[100], [-128], [-100], [127]]> : tensor<4x1xi8>
  %b0 = arith.constant dense<[[100, -128, -100, 27]]> : tensor<1x4xi8>
  %c0 = arith.constant dense<-128> : tensor<4x4xi8>
  %r0 = trop.matmul <max_plus> ins(%a0, %b0 : tensor<4x1xi8>, tensor<1x4xi8>)
                               outs(%c0 : tensor<4x4xi8>) -> tensor<4x4xi8>
  %r0c = tensor.cast %r0 : tensor<4x4xi8> to tensor<?x?xi8>
  call @printDyn(%r0c) : (tensor<?x?xi8>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [4, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[\[}}127, -128, 0, 127],
  // CHECK-NEXT: {{^}} [-128, -128, -128, -128],
  // CHECK-NEXT: {{^}} [0, -128, -128, -73],
  // CHECK-NEXT: {{^}} [127, -128, 27, 127]]

  // max_plus with K = 2 and a bias in the init:
  // C00 = max(-128, 𝟘⊗10 = -128, 5+30)   = 35
  // C01 = max(50, 𝟘⊗20 = -128, 5+40)     = 50 (bias wins)
  // C10 = max(0, 3+10, 𝟘⊗30 = -128)      = 13
  // C11 = max(-128, 3+20, 𝟘⊗40 = -128)   = 23
  %a1 = arith.constant dense<[[-128, 5], [3, -128]]> : tensor<2x2xi8>
  %b1 = arith.constant dense<[[10, 20], [30, 40]]> : tensor<2x2xi8>
  %c1 = arith.constant dense<[[-128, 50], [0, -128]]> : tensor<2x2xi8>
  %r1 = trop.matmul <max_plus> ins(%a1, %b1 : tensor<2x2xi8>, tensor<2x2xi8>)
                               outs(%c1 : tensor<2x2xi8>) -> tensor<2x2xi8>
  %r1c = tensor.cast %r1 : tensor<2x2xi8> to tensor<?x?xi8>
  call @printDyn(%r1c) : (tensor<?x?xi8>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}35, 50],
  // CHECK-NEXT: {{^}} [13, 23]]

  // min_plus, 𝟘 = 127 (now -128 is an ordinary number), init all 𝟘:
  //   127:  𝟘 absorbs: 127 + (-128) is 127, not -1 (whole row 127)
  //   -100: -228 -> -128 | -200 -> -128 | -95
  //   -128: -256 -> -128 | -228 -> -128 | -123 (-128 is not 𝟘 here)
  %a2 = arith.constant dense<[[127], [-100], [-128]]> : tensor<3x1xi8>
  %b2 = arith.constant dense<[[-128, -100, 5]]> : tensor<1x3xi8>
  %c2 = arith.constant dense<127> : tensor<3x3xi8>
  %r2 = trop.matmul <min_plus> ins(%a2, %b2 : tensor<3x1xi8>, tensor<1x3xi8>)
                               outs(%c2 : tensor<3x3xi8>) -> tensor<3x3xi8>
  %r2c = tensor.cast %r2 : tensor<3x3xi8> to tensor<?x?xi8>
  call @printDyn(%r2c) : (tensor<?x?xi8>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}127, 127, 127],
  // CHECK-NEXT: {{^}} [-128, -128, -95],
  // CHECK-NEXT: {{^}} [-128, -128, -123]]
  return
}

// Prints an i8 matrix as i32 (printMemrefI8 prints characters).
func.func @printDyn(%t: tensor<?x?xi8>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = tensor.dim %t, %c0 : tensor<?x?xi8>
  %n = tensor.dim %t, %c1 : tensor<?x?xi8>
  %e = tensor.empty(%m, %n) : tensor<?x?xi32>
  %w = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<?x?xi8>) outs(%e : tensor<?x?xi32>) {
  ^bb0(%x: i8, %o: i32):
    %y = arith.extsi %x : i8 to i32
    linalg.yield %y : i32
  } -> tensor<?x?xi32>
  %u = tensor.cast %w : tensor<?x?xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func private @printMemrefI32(tensor<*xi32>)
