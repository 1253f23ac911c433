// Default nan-mode=propagate: ⊕ and the lattice ⊗ are IEEE maximum/minimum,
// so a NaN input makes exactly the outputs that read it NaN (even next to
// +inf), and leaves every other output exact. 0x7FC00000 is a quiet NaN.
// The printed sign of a NaN is not specified, hence {{-?}}nan.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// Same result, spelled out: the default equals nan-mode=propagate.
// RUN: trop-opt %s --trop-reference-pipeline="nan-mode=propagate" \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  // A = [[1, 2], [3, 0], [+inf, 0], [NaN, -inf]]
  // B = [[0, 1, 2], [4, NaN, 1]]   (NaN in column 1)
  // C: -inf (max semirings) / +inf (min_plus), except C12 = NaN.
  %a = arith.constant dense<[[1.0, 2.0], [3.0, 0.0], [0x7F800000, 0.0],
                             [0x7FC00000, 0xFF800000]]> : tensor<4x2xf32>
  %b = arith.constant dense<[[0.0, 1.0, 2.0], [4.0, 0x7FC00000, 1.0]]> : tensor<2x3xf32>

  // max_plus:
  // Row 0: max(1+0, 2+4) = 6;  column 1 NaN;  max(1+2, 2+1) = 3
  // Row 1: max(3+0, 0+4) = 4;  column 1 NaN;  C12 = NaN (from the init)
  // Row 2: max(inf, 4) = inf;  max(inf, NaN) = NaN;  max(inf, 1) = inf
  // Row 3: A30 = NaN: the whole row is NaN
  %ninf = arith.constant 0xFF800000 : f32
  %nan = arith.constant 0x7FC00000 : f32
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %cmaxe = tensor.empty() : tensor<4x3xf32>
  %cmax0 = linalg.fill ins(%ninf : f32) outs(%cmaxe : tensor<4x3xf32>) -> tensor<4x3xf32>
  %cmax = tensor.insert %nan into %cmax0[%c1, %c2] : tensor<4x3xf32>
  %r0 = trop.matmul <max_plus> ins(%a, %b : tensor<4x2xf32>, tensor<2x3xf32>)
                               outs(%cmax : tensor<4x3xf32>) -> tensor<4x3xf32>
  %u0 = tensor.cast %r0 : tensor<4x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [4, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}6, {{-?}}nan, 3],
  // CHECK-NEXT: {{^}} [4, {{-?}}nan, {{-?}}nan],
  // CHECK-NEXT: {{^}} [inf, {{-?}}nan, inf],
  // CHECK-NEXT: {{^}} [{{-?}}nan, {{-?}}nan, {{-?}}nan]]

  // min_plus on rows 0 and 1 of A, init +inf except C12 = NaN:
  // Row 0: min(1, 6) = 1;  NaN;  min(3, 3) = 3
  // Row 1: min(3, 4) = 3;  NaN;  NaN (init)
  %pinf = arith.constant 0x7F800000 : f32
  %a01 = tensor.extract_slice %a[0, 0] [2, 2] [1, 1] : tensor<4x2xf32> to tensor<2x2xf32>
  %cmine = tensor.empty() : tensor<2x3xf32>
  %cmin0 = linalg.fill ins(%pinf : f32) outs(%cmine : tensor<2x3xf32>) -> tensor<2x3xf32>
  %cmin = tensor.insert %nan into %cmin0[%c1, %c2] : tensor<2x3xf32>
  %r1 = trop.matmul <min_plus> ins(%a01, %b : tensor<2x2xf32>, tensor<2x3xf32>)
                               outs(%cmin : tensor<2x3xf32>) -> tensor<2x3xf32>
  %u1 = tensor.cast %r1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}1, {{-?}}nan, 3],
  // CHECK-NEXT: {{^}} [3, {{-?}}nan, {{-?}}nan]]

  // max_min (⊗ = minimum also propagates NaN), init -inf except C12 = NaN:
  // Row 0: max(min(1,0), min(2,4)) = 2;  NaN;  max(min(1,2), min(2,1)) = 1
  // Row 1: max(min(3,0), min(0,4)) = 0;  NaN;  NaN (init)
  %cmm0 = linalg.fill ins(%ninf : f32) outs(%cmine : tensor<2x3xf32>) -> tensor<2x3xf32>
  %cmm = tensor.insert %nan into %cmm0[%c1, %c2] : tensor<2x3xf32>
  %r2 = trop.matmul <max_min> ins(%a01, %b : tensor<2x2xf32>, tensor<2x3xf32>)
                              outs(%cmm : tensor<2x3xf32>) -> tensor<2x3xf32>
  %u2 = tensor.cast %r2 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}2, {{-?}}nan, 1],
  // CHECK-NEXT: {{^}} [0, {{-?}}nan, {{-?}}nan]]

  // maxout (group_size = 2) propagates NaN too: [NaN, 1 | 2, 3] -> [NaN, 3].
  %x = arith.constant dense<[[0x7FC00000, 1.0, 2.0, 3.0]]> : tensor<1x4xf32>
  %ye = tensor.empty() : tensor<1x2xf32>
  %y = linalg.fill ins(%ninf : f32) outs(%ye : tensor<1x2xf32>) -> tensor<1x2xf32>
  %r3 = trop.maxout group_size = 2 ins(%x : tensor<1x4xf32>)
                                   outs(%y : tensor<1x2xf32>) -> tensor<1x2xf32>
  %u3 = tensor.cast %r3 : tensor<1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [1, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}{{-?}}nan, 3]]
  return
}

func.func private @printMemrefF32(tensor<*xf32>)
