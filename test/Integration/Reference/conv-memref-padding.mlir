// conv_2d and depthwise_conv_2d in memref form WITH padding, through the
// reference pipeline. The padded input is a temporary buffer filled with 𝟘
// (-inf here); padded positions never win.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

memref.global "private" constant @X : memref<1x3x3x1xf32> =
    dense<[[[[0.0], [0.0], [0.0]],
            [[0.0], [5.0], [0.0]],
            [[0.0], [0.0], [9.0]]]]>
// 3x3 structuring element: 1 at the centre, 0 elsewhere.
memref.global "private" constant @S : memref<3x3x1xf32> =
    dense<[[[0.0], [0.0], [0.0]], [[0.0], [1.0], [0.0]], [[0.0], [0.0], [0.0]]]>
memref.global "private" constant @Xn : memref<1x2x3x1xf32> =
    dense<[[[[-1.0], [-2.0], [-3.0]], [[-4.0], [-5.0], [-6.0]]]]>

func.func @main() {
  %ninf = arith.constant 0xFF800000 : f32

  // depthwise_conv_2d max_plus (grayscale dilation), padding 1 each side:
  // Y = max over the in-bounds 3x3 neighbourhood, the centre counting X + 1:
  // (0,0),(0,1),(0,2),(1,0),(2,0): the 5 is the largest in reach -> 5
  // (1,1),(1,2),(2,1): the 9 is in reach -> 9;   (2,2): centre 9 + 1 = 10
  %x = memref.get_global @X : memref<1x3x3x1xf32>
  %s = memref.get_global @S : memref<3x3x1xf32>
  %y = memref.alloc() : memref<1x3x3x1xf32>
  linalg.fill ins(%ninf : f32) outs(%y : memref<1x3x3x1xf32>)
  trop.depthwise_conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>}
    ins(%x, %s : memref<1x3x3x1xf32>, memref<3x3x1xf32>)
    outs(%y : memref<1x3x3x1xf32>)
  %yc = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x3x3x1xf32> into memref<3x3xf32>
  %u = memref.cast %yc : memref<3x3xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}5, 5, 5],
  // CHECK-NEXT: {{^}} [5, 9, 9],
  // CHECK-NEXT: {{^}} [5, 9, 10]]

  // conv_2d max_plus, 1x1 filter [0], padding [top 0, left 1, bottom 1,
  // right 0] on a negative 2x3 input: output 3x4 = the padded input, -inf
  // (not 0) on the padding.
  %xn = memref.get_global @Xn : memref<1x2x3x1xf32>
  %f = memref.alloc() : memref<1x1x1x1xf32>
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%f : memref<1x1x1x1xf32>)
  %yn = memref.alloc() : memref<1x3x4x1xf32>
  linalg.fill ins(%ninf : f32) outs(%yn : memref<1x3x4x1xf32>)
  trop.conv_2d <max_plus> {padding = array<i64: 0, 1, 1, 0>}
    ins(%xn, %f : memref<1x2x3x1xf32>, memref<1x1x1x1xf32>)
    outs(%yn : memref<1x3x4x1xf32>)
  %ync = memref.collapse_shape %yn [[0, 1], [2, 3]] : memref<1x3x4x1xf32> into memref<3x4xf32>
  %un = memref.cast %ync : memref<3x4xf32> to memref<*xf32>
  call @printMemrefF32(%un) : (memref<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[\[}}-inf, -1, -2, -3],
  // CHECK-NEXT: {{^}} [-inf, -4, -5, -6],
  // CHECK-NEXT: {{^}} [-inf, -inf, -inf, -inf]]
  return
}

func.func private @printMemrefF32(memref<*xf32>)
