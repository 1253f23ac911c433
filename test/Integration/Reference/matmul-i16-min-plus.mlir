// trop.matmul <min_plus> on i16, memref form: 𝟘 = 32767 absorbs under ⊗
// (32767 + (-32768) is 𝟘, not -1), other sums are clamped to
// [-32768, 32767], and -32768 is an ordinary number.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

memref.global "private" constant @A : memref<4x1xi16> =
    dense<[[32767], [30000], [-30000], [1]]>
memref.global "private" constant @B : memref<1x4xi16> =
    dense<[[-32768, 30000, -30000, 2]]>
memref.global "private" constant @A2 : memref<1x3xi16> = dense<[[5, 32767, -7]]>
memref.global "private" constant @B2 : memref<3x2xi16> =
    dense<[[1, 0], [-32768, -100], [10, 100]]>
memref.global "private" @C2 : memref<1x2xi16> = dense<[[4, 100]]>

func.func @main() {
  // Outer product (K = 1), init all 𝟘 = 32767: each output is one product.
  //   32767:  𝟘 absorbs, whole row 32767 (32767 - 32768 is not -1)
  //   30000:  -2768 | 60000 -> 32767 | 0 | 30002
  //   -30000: -62768 -> -32768 | 0 | -60000 -> -32768 | -29998
  //   1:      -32767 | 30001 | -29999 | 3
  %a = memref.get_global @A : memref<4x1xi16>
  %b = memref.get_global @B : memref<1x4xi16>
  %c = memref.alloc() : memref<4x4xi16>
  %zero = arith.constant 32767 : i16
  linalg.fill ins(%zero : i16) outs(%c : memref<4x4xi16>)
  trop.matmul <min_plus> ins(%a, %b : memref<4x1xi16>, memref<1x4xi16>)
                         outs(%c : memref<4x4xi16>)
  %u = memref.cast %c : memref<4x4xi16> to memref<*xi16>
  call @printMemrefI16(%u) : (memref<*xi16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [4, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[\[}}32767, 32767, 32767, 32767],
  // CHECK-NEXT: {{^}} [-2768, 32767, 0, 30002],
  // CHECK-NEXT: {{^}} [-32768, 0, -32768, -29998],
  // CHECK-NEXT: {{^}} [-32767, 30001, -29999, 3]]

  // K = 3 with a bias init [4, 100]:
  // C00 = min(4, 5+1, 𝟘⊗(-32768) = 32767, -7+10)  = 3
  // C01 = min(100, 5+0, 𝟘⊗(-100) = 32767, -7+100) = 5
  %a2 = memref.get_global @A2 : memref<1x3xi16>
  %b2 = memref.get_global @B2 : memref<3x2xi16>
  %c2 = memref.get_global @C2 : memref<1x2xi16>
  trop.matmul <min_plus> ins(%a2, %b2 : memref<1x3xi16>, memref<3x2xi16>)
                         outs(%c2 : memref<1x2xi16>)
  %u2 = memref.cast %c2 : memref<1x2xi16> to memref<*xi16>
  call @printMemrefI16(%u2) : (memref<*xi16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [1, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}3, 5]]
  return
}

// The i16 printer only exists with the C interface (_mlir_ciface_...).
func.func private @printMemrefI16(memref<*xi16>) attributes {llvm.emit_c_interface}
