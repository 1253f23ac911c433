// Where +∞ meets −∞ in ⊗, 𝟘 absorbs the top (docs/semantics.md): the product
// is 𝟘, which ⊕ ignores, in both NaN modes; a NaN input still propagates.
// Before, the reference gave NaN (and the CPU pipeline ±∞ or a finite value).

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s --check-prefixes=CHECK,PROP
// RUN: trop-opt %s --trop-reference-pipeline="nan-mode=assume-none" \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  // A = [[+inf, -inf], [+inf, 1], [nan, 0]], B = [[-inf, 2], [+inf, -inf]].
  // max_plus, C = -inf (𝟘):
  //   [0,0]: (+inf ⊗ -inf) ⊕ (-inf ⊗ +inf) = 𝟘 ⊕ 𝟘 = -inf
  //   [0,1]: (+inf + 2) ⊕ (-inf + -inf) = +inf
  //   [1,0]: 𝟘 ⊕ (1 + inf) = +inf;  [1,1]: (+inf + 2) ⊕ 𝟘 = +inf
  //   row 2 reads the NaN: NaN in propagate mode (unspecified otherwise).
  %a = arith.constant dense<[[0x7F800000, 0xFF800000], [0x7F800000, 1.0],
                             [0x7FC00000, 0.0]]> : tensor<3x2xf32>
  %b = arith.constant dense<[[0xFF800000, 2.0], [0x7F800000, 0xFF800000]]> : tensor<2x2xf32>
  %ninf = arith.constant dense<0xFF800000> : tensor<3x2xf32>
  %pinf = arith.constant dense<0x7F800000> : tensor<3x2xf32>
  %r0 = trop.matmul <max_plus> ins(%a, %b : tensor<3x2xf32>, tensor<2x2xf32>)
                               outs(%ninf : tensor<3x2xf32>) -> tensor<3x2xf32>
  %u0 = tensor.cast %r0 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [3, 2]
  // CHECK-NEXT: {{\[\[}}-inf, inf],
  // CHECK-NEXT: {{^}} [inf, inf],
  // PROP-NEXT:  {{^}} [{{-?}}nan, {{-?}}nan]]

  // min_plus, C = +inf (𝟘):
  //   [0,0]: 𝟘 ⊕ 𝟘 = +inf;  [0,1]: (+inf + 2) ⊕ (-inf + -inf) = -inf
  //   [1,0]: (+inf ⊗ -inf = 𝟘) ⊕ (1 + inf) = +inf;  [1,1]: min(inf, 1 - inf) = -inf
  %r1 = trop.matmul <min_plus> ins(%a, %b : tensor<3x2xf32>, tensor<2x2xf32>)
                               outs(%pinf : tensor<3x2xf32>) -> tensor<3x2xf32>
  %u1 = tensor.cast %r1 : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [3, 2]
  // CHECK-NEXT: {{\[\[}}inf, -inf],
  // CHECK-NEXT: {{^}} [inf, -inf],
  // PROP-NEXT:  {{^}} [{{-?}}nan, {{-?}}nan]]

  // dual_matmul on f64 with finite inits: each output takes its own 𝟘 where
  // +inf meets -inf, so both keep their init there.
  //   A = [[+inf, -inf]], B = [[-inf], [+inf]]: every product is ±inf met.
  %a2 = arith.constant dense<[[0x7FF0000000000000, 0xFFF0000000000000]]> : tensor<1x2xf64>
  %b2 = arith.constant dense<[[0xFFF0000000000000], [0x7FF0000000000000]]> : tensor<2x1xf64>
  %c2 = arith.constant dense<[[5.0]]> : tensor<1x1xf64>
  %d2 = arith.constant dense<[[-5.0]]> : tensor<1x1xf64>
  %r2:2 = trop.dual_matmul ins(%a2, %b2 : tensor<1x2xf64>, tensor<2x1xf64>)
            outs(%c2, %d2 : tensor<1x1xf64>, tensor<1x1xf64>) -> tensor<1x1xf64>, tensor<1x1xf64>
  %u2 = tensor.cast %r2#0 : tensor<1x1xf64> to tensor<*xf64>
  %u3 = tensor.cast %r2#1 : tensor<1x1xf64> to tensor<*xf64>
  call @printMemrefF64(%u2) : (tensor<*xf64>) -> ()
  call @printMemrefF64(%u3) : (tensor<*xf64>) -> ()
  // CHECK:      sizes = [1, 1]
  // CHECK-NEXT: {{\[\[}}5]]
  // CHECK:      sizes = [1, 1]
  // CHECK-NEXT: {{\[\[}}-5]]

  // conv_2d max_plus, X = [[1]] (1x1x1x1), padding 1, F 3x3 all +inf but its
  // centre, 0; Y = -inf. The eight off-centre taps read padding
  // (𝟘 ⊗ +inf = 𝟘, nothing) and the centre gives 1 + 0: the output is 1.
  %x = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %f = arith.constant dense<[[[[0x7F800000]], [[0x7F800000]], [[0x7F800000]]],
                             [[[0x7F800000]], [[0.0]], [[0x7F800000]]],
                             [[[0x7F800000]], [[0x7F800000]], [[0x7F800000]]]]> : tensor<3x3x1x1xf32>
  %y = arith.constant dense<0xFF800000> : tensor<1x1x1x1xf32>
  %r3 = trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>}
          ins(%x, %f : tensor<1x1x1x1xf32>, tensor<3x3x1x1xf32>)
          outs(%y : tensor<1x1x1x1xf32>) -> tensor<1x1x1x1xf32>
  %u4 = tensor.cast %r3 : tensor<1x1x1x1xf32> to tensor<*xf32>
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  // CHECK:      sizes = [1, 1, 1, 1]
  // CHECK-NEXT: {{\[\[\[\[}}1]]]]
  return
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefF64(tensor<*xf64>)
