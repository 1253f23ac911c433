// conv_2d and depthwise_conv_2d in memref form (destination updated in
// place), without padding: strides on conv_2d, dilations on
// depthwise_conv_2d, on f32 and i32.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

// X[h][w] = 10h + w.
memref.global "private" constant @X : memref<1x5x5x1xf32> =
    dense<[[[[0.0], [1.0], [2.0], [3.0], [4.0]],
            [[10.0], [11.0], [12.0], [13.0], [14.0]],
            [[20.0], [21.0], [22.0], [23.0], [24.0]],
            [[30.0], [31.0], [32.0], [33.0], [34.0]],
            [[40.0], [41.0], [42.0], [43.0], [44.0]]]]>
memref.global "private" constant @F : memref<2x2x1x1xf32> =
    dense<[[[[0.0]], [[5.0]]], [[[-20.0]], [[1.0]]]]>
memref.global "private" constant @Xi : memref<1x5x5x1xi32> =
    dense<[[[[0], [1], [2], [3], [4]],
            [[10], [11], [12], [13], [14]],
            [[20], [21], [22], [23], [24]],
            [[30], [31], [32], [33], [34]],
            [[40], [41], [42], [43], [44]]]]>
memref.global "private" constant @S : memref<2x2x1xi32> =
    dense<[[[0], [0]], [[0], [-100]]]>

func.func @main() {
  // conv_2d max_plus, strides [2, 3], F = [[0, 5], [-20, 1]], init -inf:
  // (0,0): max(0+0, 1+5, 10-20, 11+1) = 12;   (0,1): max(3, 4+5, 13-20, 14+1) = 15
  // (1,0): max(20, 21+5, 30-20, 31+1) = 32;   (1,1): max(23, 24+5, 33-20, 34+1) = 35
  %x = memref.get_global @X : memref<1x5x5x1xf32>
  %f = memref.get_global @F : memref<2x2x1x1xf32>
  %y = memref.alloc() : memref<1x2x2x1xf32>
  %ninf = arith.constant 0xFF800000 : f32
  linalg.fill ins(%ninf : f32) outs(%y : memref<1x2x2x1xf32>)
  trop.conv_2d <max_plus> {strides = array<i64: 2, 3>}
    ins(%x, %f : memref<1x5x5x1xf32>, memref<2x2x1x1xf32>)
    outs(%y : memref<1x2x2x1xf32>)
  %yc = memref.collapse_shape %y [[0, 1], [2, 3]] : memref<1x2x2x1xf32> into memref<2x2xf32>
  %u = memref.cast %yc : memref<2x2xf32> to memref<*xf32>
  call @printMemrefF32(%u) : (memref<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}12, 15],
  // CHECK-NEXT: {{^}} [32, 35]]

  // depthwise_conv_2d max_plus on i32, dilations [2, 2], S = [[0, 0], [0, -100]],
  // init 𝟘 = INT_MIN. OH = OW = 5 - 2 - 1 + 1 = 3. Taps: X[oh][ow],
  // X[oh][ow+2], X[oh+2][ow] (+0) and X[oh+2][ow+2] - 100; the largest is
  // X[oh+2][ow] = 10oh + 20 + ow.
  %xi = memref.get_global @Xi : memref<1x5x5x1xi32>
  %s = memref.get_global @S : memref<2x2x1xi32>
  %yi = memref.alloc() : memref<1x3x3x1xi32>
  %zero = arith.constant -2147483648 : i32
  linalg.fill ins(%zero : i32) outs(%yi : memref<1x3x3x1xi32>)
  trop.depthwise_conv_2d <max_plus> {dilations = array<i64: 2, 2>}
    ins(%xi, %s : memref<1x5x5x1xi32>, memref<2x2x1xi32>)
    outs(%yi : memref<1x3x3x1xi32>)
  %yic = memref.collapse_shape %yi [[0, 1], [2, 3]] : memref<1x3x3x1xi32> into memref<3x3xi32>
  %ui = memref.cast %yic : memref<3x3xi32> to memref<*xi32>
  call @printMemrefI32(%ui) : (memref<*xi32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}20, 21, 22],
  // CHECK-NEXT: {{^}} [30, 31, 32],
  // CHECK-NEXT: {{^}} [40, 41, 42]]
  return
}

func.func private @printMemrefF32(memref<*xf32>)
func.func private @printMemrefI32(memref<*xi32>)
