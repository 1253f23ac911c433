// trop.matmul on f16: the sums are f16 sums (rounded to f16, overflowing to
// +inf past 65504), for max_plus and min_plus.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  %a = arith.constant dense<[[65504.0, 1.0], [0.5, 2048.0]]> : tensor<2x2xf16>
  %b = arith.constant dense<[[65504.0, -1.0], [1.0, 1.0]]> : tensor<2x2xf16>

  // Products (f16 sums; ulp is 32 near 65504 and 2 at 2048):
  //   65504 + 65504 = +inf (overflow)   1 + 1    = 2
  //   65504 - 1     = 65504 (rounded)   1 + 1    = 2
  //   0.5 + 65504   = 65504 (rounded)   2048 + 1 = 2048 (2049 ties to even)
  //   0.5 - 1       = -0.5              2048 + 1 = 2048
  // max_plus: C00 = max(inf, 2) = inf; C01 = max(65504, 2) = 65504;
  //           C10 = max(65504, 2048) = 65504; C11 = max(-0.5, 2048) = 2048.
  %ninf = arith.constant dense<0xFC00> : tensor<2x2xf16>
  %r0 = trop.matmul <max_plus> ins(%a, %b : tensor<2x2xf16>, tensor<2x2xf16>)
                               outs(%ninf : tensor<2x2xf16>) -> tensor<2x2xf16>
  %u0 = tensor.cast %r0 : tensor<2x2xf16> to tensor<*xf16>
  call @printMemrefF16(%u0) : (tensor<*xf16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}inf, 65504],
  // CHECK-NEXT: {{^}} [65504, 2048]]

  // min_plus: C00 = min(inf, 2) = 2; C01 = min(65504, 2) = 2;
  //           C10 = min(65504, 2048) = 2048; C11 = min(-0.5, 2048) = -0.5.
  %pinf = arith.constant dense<0x7C00> : tensor<2x2xf16>
  %r1 = trop.matmul <min_plus> ins(%a, %b : tensor<2x2xf16>, tensor<2x2xf16>)
                               outs(%pinf : tensor<2x2xf16>) -> tensor<2x2xf16>
  %u1 = tensor.cast %r1 : tensor<2x2xf16> to tensor<*xf16>
  call @printMemrefF16(%u1) : (tensor<*xf16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}2, 2],
  // CHECK-NEXT: {{^}} [2048, -0.5]]
  return
}

// The f16 printer only exists with the C interface (_mlir_ciface_...).
func.func private @printMemrefF16(tensor<*xf16>) attributes {llvm.emit_c_interface}
