// trop.depthwise_conv_2d on f32 tensors as grayscale morphology with one
// 3x3 structuring element per channel and padding 1 on every side:
// max_plus = dilation (padding -inf), min_plus = erosion (padding +inf),
// with the structuring element applied as written (S[kh][kw] weighs the
// input at (oh + kh - 1, ow + kw - 1)), not reflected.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  // ---- Dilation (max_plus). Input 1x3x3x2, shown per channel:
  //   c0 = [[0, 0, 0], [0, 5, 0], [0, 0, 9]]       S0 = 1 at the centre, 0 elsewhere
  //   c1 = [[-5, -6, -7], [-1, -2, -3], [-9, -9, -9]]
  //                                                S1 = 2 at (1, 2) (right
  //                                                neighbour), 0 elsewhere
  // Init -inf except Y[0][0] c0 = 7 (a bias).
  // c0: max over the in-bounds neighbourhood, the centre counting X + 1:
  //   (0,0) = max(7, 5) = 7; (0,1), (0,2), (1,0), (2,0) reach the 5 but not
  //   the 9 -> 5; (1,1), (1,2), (2,1) reach the 9 -> 9; (2,2) = 9 + 1 = 10.
  // c1: max(neighbourhood max, right neighbour + 2). Column 0 and 1
  //   neighbourhoods contain -1 -> -1, except (1,0) whose right neighbour
  //   is -2 + 2 = 0; column 2 neighbourhoods (columns 1-2) reach -2 -> -2.
  //   All values are negative: a 0 padding would show up as 0 everywhere
  //   but at the centre.
  %xd = arith.constant dense<[[[[0.0, -5.0], [0.0, -6.0], [0.0, -7.0]],
                               [[0.0, -1.0], [5.0, -2.0], [0.0, -3.0]],
                               [[0.0, -9.0], [0.0, -9.0], [9.0, -9.0]]]]> : tensor<1x3x3x2xf32>
  %sd = arith.constant dense<[[[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
                              [[0.0, 0.0], [1.0, 0.0], [0.0, 2.0]],
                              [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]]> : tensor<3x3x2xf32>
  %yd = arith.constant dense<[[[[7.0, 0xFF800000], [0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000]],
                               [[0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000]],
                               [[0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000]]]]> : tensor<1x3x3x2xf32>
  %rd = trop.depthwise_conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>}
          ins(%xd, %sd : tensor<1x3x3x2xf32>, tensor<3x3x2xf32>)
          outs(%yd : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %rdc = tensor.collapse_shape %rd [[0, 1], [2], [3]] : tensor<1x3x3x2xf32> into tensor<3x3x2xf32>
  %ud = tensor.cast %rdc : tensor<3x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ud) : (tensor<*xf32>) -> ()
  // Printed as [h][w][c]: c0 = [[7, 5, 5], [5, 9, 9], [5, 9, 10]],
  //                       c1 = [[-1, -1, -2], [0, -1, -2], [-1, -1, -2]].
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 3, 2] strides = [6, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}7, -1],
  // CHECK-NEXT: {{^}} [5, -1],
  // CHECK-NEXT: {{^}} [5, -2]],
  // CHECK-NEXT: {{^}} {{\[\[}}5, 0],
  // CHECK-NEXT: {{^}} [9, -1],
  // CHECK-NEXT: {{^}} [9, -2]],
  // CHECK-NEXT: {{^}} {{\[\[}}5, -1],
  // CHECK-NEXT: {{^}} [9, -1],
  // CHECK-NEXT: {{^}} [10, -2]]]

  // ---- Erosion (min_plus), init +inf. Input 1x3x3x2:
  //   c0 = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]       S0 = -3 at the centre, 0 elsewhere
  //   c1 = [[10, 20, 30], [40, 50, 60], [70, 80, 90]]
  //                                                S1 = -100 at (2, 1) (the
  //                                                neighbour below), 0 elsewhere
  // c0: min(neighbourhood min, X - 3):
  //   row 0: min(1, -2) = -2; min(1, -1) = -1; min(2, 0) = 0
  //   row 1: min(1, 1) = 1;   min(1, 2) = 1;   min(2, 3) = 2
  //   row 2: min(4, 4) = 4;   min(4, 5) = 4;   min(5, 6) = 5
  // c1: rows 0-1 take the neighbour below - 100: X[oh+1][ow] - 100
  //   = [-60, -50, -40], [-30, -20, -10]; row 2 (below is padding, +inf)
  //   takes the neighbourhood min: 40, 40, 50.
  //   All values of row 2 are positive: a 0 padding would give 0 there.
  %xe = arith.constant dense<[[[[1.0, 10.0], [2.0, 20.0], [3.0, 30.0]],
                               [[4.0, 40.0], [5.0, 50.0], [6.0, 60.0]],
                               [[7.0, 70.0], [8.0, 80.0], [9.0, 90.0]]]]> : tensor<1x3x3x2xf32>
  %se = arith.constant dense<[[[0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
                              [[0.0, 0.0], [-3.0, 0.0], [0.0, 0.0]],
                              [[0.0, 0.0], [0.0, -100.0], [0.0, 0.0]]]> : tensor<3x3x2xf32>
  %pi = arith.constant 0x7F800000 : f32
  %ee = tensor.empty() : tensor<1x3x3x2xf32>
  %ye = linalg.fill ins(%pi : f32) outs(%ee : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %re = trop.depthwise_conv_2d <min_plus> {padding = array<i64: 1, 1, 1, 1>}
          ins(%xe, %se : tensor<1x3x3x2xf32>, tensor<3x3x2xf32>)
          outs(%ye : tensor<1x3x3x2xf32>) -> tensor<1x3x3x2xf32>
  %rec = tensor.collapse_shape %re [[0, 1], [2], [3]] : tensor<1x3x3x2xf32> into tensor<3x3x2xf32>
  %ue = tensor.cast %rec : tensor<3x3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%ue) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 3, 2] strides = [6, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}-2, -60],
  // CHECK-NEXT: {{^}} [-1, -50],
  // CHECK-NEXT: {{^}} [0, -40]],
  // CHECK-NEXT: {{^}} {{\[\[}}1, -30],
  // CHECK-NEXT: {{^}} [1, -20],
  // CHECK-NEXT: {{^}} [2, -10]],
  // CHECK-NEXT: {{^}} {{\[\[}}4, 40],
  // CHECK-NEXT: {{^}} [4, 40],
  // CHECK-NEXT: {{^}} [5, 50]]]
  return
}

func.func private @printMemrefF32(tensor<*xf32>)
