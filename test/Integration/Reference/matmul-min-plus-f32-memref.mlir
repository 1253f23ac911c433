// trop.matmul <min_plus> on f32 memrefs (updates the destination in place),
// including a transposed (strided) input and a destination that is a
// strided subview of a larger buffer:
// C[i,j] = min(C[i,j], min_k (A[i,k] + B[k,j])).

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

memref.global "private" constant @A : memref<2x3xf32> =
    dense<[[1.0, 5.0, 0.0], [-2.0, 0.0, 3.0]]>
memref.global "private" constant @B : memref<3x2xf32> =
    dense<[[4.0, 0.0], [-1.0, 2.0], [2.0, 7.0]]>
// A stored transposed, to be read through a strided (transposed) view.
memref.global "private" constant @AT : memref<3x2xf32> =
    dense<[[1.0, -2.0], [5.0, 0.0], [0.0, 3.0]]>
// Writable destinations: +inf (𝟘) except two biases.
memref.global "private" @C : memref<2x2xf32> =
    dense<[[0x7F800000, 3.0], [-5.0, 0x7F800000]]>
memref.global "private" @C2 : memref<2x2xf32> =
    dense<[[0x7F800000, 3.0], [-5.0, 0x7F800000]]>

func.func @main() {
  %a = memref.get_global @A : memref<2x3xf32>
  %b = memref.get_global @B : memref<3x2xf32>
  %c = memref.get_global @C : memref<2x2xf32>

  // C00 = min(+inf, 1+4, 5-1, 0+2)  = 2
  // C01 = min(3, 1+0, 5+2, 0+7)     = 1  (bias 3 loses)
  // C10 = min(-5, -2+4, 0-1, 3+2)   = -5 (bias -5 wins)
  // C11 = min(+inf, -2+0, 0+2, 3+7) = -2
  trop.matmul <min_plus> ins(%a, %b : memref<2x3xf32>, memref<3x2xf32>)
                         outs(%c : memref<2x2xf32>)
  %u = memref.cast %c : memref<2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} rank = 2 offset = 0 sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}2, 1],
  // CHECK-NEXT: {{^}} [-5, -2]]

  // Same product with A read through memref.transpose of AT (strides [1, 2]):
  // same values.
  %at = memref.get_global @AT : memref<3x2xf32>
  %av = memref.transpose %at (i, j) -> (j, i)
      : memref<3x2xf32> to memref<2x3xf32, strided<[1, 2]>>
  %c2 = memref.get_global @C2 : memref<2x2xf32>
  trop.matmul <min_plus> ins(%av, %b : memref<2x3xf32, strided<[1, 2]>>, memref<3x2xf32>)
                         outs(%c2 : memref<2x2xf32>)
  %u2 = memref.cast %c2 : memref<2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u2) : (memref<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} rank = 2 offset = 0 sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}2, 1],
  // CHECK-NEXT: {{^}} [-5, -2]]

  // Destination = the 2x2 window at [1, 1] of a 3x4 buffer filled with 100:
  // the window gets min(100, min_k (A + B)) = [[2, 1], [-1, -2]] (the
  // products above, without the biases), the other cells stay 100.
  %big = memref.alloc() : memref<3x4xf32>
  %hundred = arith.constant 100.0 : f32
  linalg.fill ins(%hundred : f32) outs(%big : memref<3x4xf32>)
  %win = memref.subview %big[1, 1] [2, 2] [1, 1]
      : memref<3x4xf32> to memref<2x2xf32, strided<[4, 1], offset: 5>>
  trop.matmul <min_plus> ins(%a, %b : memref<2x3xf32>, memref<3x2xf32>)
                         outs(%win : memref<2x2xf32, strided<[4, 1], offset: 5>>)
  %ub = memref.cast %big : memref<3x4xf32> to memref<*xf32>
  call @printMemrefF32(%ub) : (memref<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} rank = 2 offset = 0 sizes = [3, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[\[}}100, 100, 100, 100],
  // CHECK-NEXT: {{^}} [100, 2, 1, 100],
  // CHECK-NEXT: {{^}} [100, -1, -2, 100]]
  return
}

func.func private @printMemrefF32(memref<*xf32>)
