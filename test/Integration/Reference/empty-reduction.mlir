// Empty reductions leave the destination unchanged (result = init): matmul
// with K = 0 on tensors (static and dynamic K) and on memrefs, batch_matmul
// with K = 0, and depthwise_conv_2d with an empty (0x1) window.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

memref.global "private" @C : memref<2x3xi32> = dense<[[1, -2147483648, 3], [4, 5, 6]]>

func.func @main() {
  %a = arith.constant dense<> : tensor<2x0xf32>
  %b = arith.constant dense<> : tensor<0x3xf32>
  %c = arith.constant dense<[[1.0, 0xFF800000, 3.0], [4.0, 5.0, 0x7F800000]]> : tensor<2x3xf32>

  // Static K = 0, max_plus: C unchanged.
  %r0 = trop.matmul <max_plus> ins(%a, %b : tensor<2x0xf32>, tensor<0x3xf32>)
                               outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  %u0 = tensor.cast %r0 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u0) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}1, -inf, 3],
  // CHECK-NEXT: {{^}} [4, 5, inf]]

  // K = 0 only known at run time (min_plus): the reduction loop runs zero
  // times, C unchanged.
  %ad = tensor.cast %a : tensor<2x0xf32> to tensor<2x?xf32>
  %bd = tensor.cast %b : tensor<0x3xf32> to tensor<?x3xf32>
  %r1 = call @dyn(%ad, %bd, %c) : (tensor<2x?xf32>, tensor<?x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %u1 = tensor.cast %r1 : tensor<2x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}1, -inf, 3],
  // CHECK-NEXT: {{^}} [4, 5, inf]]

  // Memref form, K = 0, i32 max_plus: C unchanged (INT_MIN stays INT_MIN).
  %am = memref.alloc() : memref<2x0xi32>
  %bm = memref.alloc() : memref<0x3xi32>
  %cm = memref.get_global @C : memref<2x3xi32>
  trop.matmul <max_plus> ins(%am, %bm : memref<2x0xi32>, memref<0x3xi32>)
                         outs(%cm : memref<2x3xi32>)
  %u2 = memref.cast %cm : memref<2x3xi32> to memref<*xi32>
  call @printMemrefI32(%u2) : (memref<*xi32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}1, -2147483648, 3],
  // CHECK-NEXT: {{^}} [4, 5, 6]]

  // batch_matmul with K = 0 (min_plus): C unchanged.
  %ba = arith.constant dense<> : tensor<2x1x0xf32>
  %bb = arith.constant dense<> : tensor<2x0x2xf32>
  %bc = arith.constant dense<[[[1.0, 2.0]], [[3.0, 0x7F800000]]]> : tensor<2x1x2xf32>
  %r3 = trop.batch_matmul <min_plus> ins(%ba, %bb : tensor<2x1x0xf32>, tensor<2x0x2xf32>)
                                     outs(%bc : tensor<2x1x2xf32>) -> tensor<2x1x2xf32>
  %u3 = tensor.cast %r3 : tensor<2x1x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 1, 2] strides = [2, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}1, 2]],
  // CHECK-NEXT: {{^}} {{\[\[}}3, inf]]]

  // depthwise_conv_2d with a 0x1 window (max_plus): no window position, so
  // the output is its init.
  %x = arith.constant dense<9.0> : tensor<1x2x2x1xf32>
  %s = arith.constant dense<> : tensor<0x1x1xf32>
  %y = arith.constant dense<[[[[1.0], [2.0]], [[3.0], [0xFF800000]]]]> : tensor<1x2x2x1xf32>
  %r4 = trop.depthwise_conv_2d <max_plus>
          ins(%x, %s : tensor<1x2x2x1xf32>, tensor<0x1x1xf32>)
          outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %r4c = tensor.collapse_shape %r4 [[0, 1], [2, 3]] : tensor<1x2x2x1xf32> into tensor<2x2xf32>
  %u4 = tensor.cast %r4c : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 2],
  // CHECK-NEXT: {{^}} [3, -inf]]
  return
}

func.func @dyn(%a: tensor<2x?xf32>, %b: tensor<?x3xf32>, %c: tensor<2x3xf32>)
    -> tensor<2x3xf32> {
  %r = trop.matmul <min_plus> ins(%a, %b : tensor<2x?xf32>, tensor<?x3xf32>)
                              outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %r : tensor<2x3xf32>
}

// The printer only reads its argument: lets a constant be printed without a copy.
func.func private @printMemrefF32(tensor<*xf32> {bufferization.access = "read"})
func.func private @printMemrefI32(memref<*xi32>)
