// trop.matmul on bf16 (8 significant bits): max_plus and min_max, with sums
// rounded to bf16 and +inf overflow.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  // 2^127 = 1.70141e+38 is exact in bf16.
  %a = arith.constant dense<[[256.0, 0.5, -3.0],
                             [-3.0, 2.0, 1.70141183e+38]]> : tensor<2x3xbf16>
  %b = arith.constant dense<[[1.0, 2.0],
                             [0.25, -0.5],
                             [-1.0e30, 1.70141183e+38]]> : tensor<3x2xbf16>
  %ninf = arith.constant dense<0xFF80> : tensor<2x2xbf16>

  // max_plus:
  // C00 = max(256+1 = 257 -> 256 (tie to even), 0.5+0.25 = 0.75, -3-1e30) = 256
  // C01 = max(256+2 = 258 (exact), 0.5-0.5 = 0, -3+2^127)                 = 1.70141e+38
  // C10 = max(-3+1 = -2, 2+0.25 = 2.25, 2^127-1e30 = 2^127 (rounded))     = 1.70141e+38
  // C11 = max(-3+2 = -1, 2-0.5 = 1.5, 2^127+2^127 = +inf (overflow))      = inf
  %r0 = trop.matmul <max_plus> ins(%a, %b : tensor<2x3xbf16>, tensor<3x2xbf16>)
                               outs(%ninf : tensor<2x2xbf16>) -> tensor<2x2xbf16>
  %u0 = tensor.cast %r0 : tensor<2x2xbf16> to tensor<*xbf16>
  call @printMemrefBF16(%u0) : (tensor<*xbf16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}256, 1.70141e+38],
  // CHECK-NEXT: {{^}} [1.70141e+38, inf]]

  // Only the first two columns of A / rows of B: C = max over k < 2.
  // C00 = max(257 -> 256, 0.75) = 256; C01 = max(258, 0) = 258;
  // C10 = max(-2, 2.25) = 2.25;        C11 = max(-1, 1.5) = 1.5.
  %a2 = tensor.extract_slice %a[0, 0] [2, 2] [1, 1] : tensor<2x3xbf16> to tensor<2x2xbf16>
  %b2 = tensor.extract_slice %b[0, 0] [2, 2] [1, 1] : tensor<3x2xbf16> to tensor<2x2xbf16>
  %r1 = trop.matmul <max_plus> ins(%a2, %b2 : tensor<2x2xbf16>, tensor<2x2xbf16>)
                               outs(%ninf : tensor<2x2xbf16>) -> tensor<2x2xbf16>
  %u1 = tensor.cast %r1 : tensor<2x2xbf16> to tensor<*xbf16>
  call @printMemrefBF16(%u1) : (tensor<*xbf16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}256, 258],
  // CHECK-NEXT: {{^}} [2.25, 1.5]]

  // min_max (⊕ = min, ⊗ = max), init +inf, on the 2x2 slices:
  // C00 = min(max(256,1), max(0.5,0.25)) = min(256, 0.5) = 0.5
  // C01 = min(max(256,2), max(0.5,-0.5)) = min(256, 0.5) = 0.5
  // C10 = min(max(-3,1), max(2,0.25))    = min(1, 2)     = 1
  // C11 = min(max(-3,2), max(2,-0.5))    = min(2, 2)     = 2
  %pinf = arith.constant dense<0x7F80> : tensor<2x2xbf16>
  %r2 = trop.matmul <min_max> ins(%a2, %b2 : tensor<2x2xbf16>, tensor<2x2xbf16>)
                              outs(%pinf : tensor<2x2xbf16>) -> tensor<2x2xbf16>
  %u2 = tensor.cast %r2 : tensor<2x2xbf16> to tensor<*xbf16>
  call @printMemrefBF16(%u2) : (tensor<*xbf16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}0.5, 0.5],
  // CHECK-NEXT: {{^}} [1, 2]]
  return
}

// The bf16 printer only exists with the C interface (_mlir_ciface_...).
func.func private @printMemrefBF16(tensor<*xbf16>) attributes {llvm.emit_c_interface}
