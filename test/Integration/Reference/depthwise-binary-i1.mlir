// trop.depthwise_conv_2d on i1 images, padding 1 on every side:
// - max_min (⊕ = OR, ⊗ = AND, 𝟘 = false): binary dilation. A structuring
//   element pixel is "in" when true (𝟙 = true); padding is false.
// - min_max (⊕ = AND, ⊗ = OR, 𝟘 = true): binary erosion. A pixel of the
//   structuring element is "in" when false (𝟙 = false) and "out" when true
//   (𝟘, absorbing), so a 3x3 cross is written as its complement; padding is
//   true, so the border of the image is not eroded by the outside.
// Each init has one pixel different from 𝟘 that must survive ⊕.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>

func.func @main() {
  // ---- Dilation by the 3x3 cross [[0,1,0],[1,1,1],[0,1,0]] (max_min).
  // Pixels at (0,4) and (2,2). The cross around (2,2) sets (1,2), (2,1),
  // (2,2), (2,3), (3,2); around (0,4) it sets (0,3), (0,4), (1,4) (the rest
  // falls outside). Init: false except (4,0) = true, which stays true.
  // A true padding would light up the whole border.
  %xd = arith.constant dense<[[0, 0, 0, 0, 1],
                              [0, 0, 0, 0, 0],
                              [0, 0, 1, 0, 0],
                              [0, 0, 0, 0, 0],
                              [0, 0, 0, 0, 0]]> : tensor<5x5xi1>
  %cross = arith.constant dense<[[[0], [1], [0]], [[1], [1], [1]], [[0], [1], [0]]]> : tensor<3x3x1xi1>
  %yd = arith.constant dense<[[0, 0, 0, 0, 0],
                              [0, 0, 0, 0, 0],
                              [0, 0, 0, 0, 0],
                              [0, 0, 0, 0, 0],
                              [1, 0, 0, 0, 0]]> : tensor<5x5xi1>
  %xde = tensor.expand_shape %xd [[0, 1], [2, 3]] output_shape [1, 5, 5, 1] : tensor<5x5xi1> into tensor<1x5x5x1xi1>
  %yde = tensor.expand_shape %yd [[0, 1], [2, 3]] output_shape [1, 5, 5, 1] : tensor<5x5xi1> into tensor<1x5x5x1xi1>
  %rd = trop.depthwise_conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>}
          ins(%xde, %cross : tensor<1x5x5x1xi1>, tensor<3x3x1xi1>)
          outs(%yde : tensor<1x5x5x1xi1>) -> tensor<1x5x5x1xi1>
  %rdc = tensor.collapse_shape %rd [[0, 1], [2, 3]] : tensor<1x5x5x1xi1> into tensor<5x5xi1>
  call @print(%rdc) : (tensor<5x5xi1>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [5, 5] strides = [5, 1] data =
  // CHECK-NEXT: {{\[\[}}0, 0, 0, 1, 1],
  // CHECK-NEXT: {{^}} [0, 0, 1, 0, 1],
  // CHECK-NEXT: {{^}} [0, 1, 1, 1, 0],
  // CHECK-NEXT: {{^}} [0, 0, 1, 0, 0],
  // CHECK-NEXT: {{^}} [1, 0, 0, 0, 0]]

  // ---- Erosion by the 3x3 cross (min_max), written as its complement
  // [[1,0,1],[0,0,0],[1,0,1]]: Y(p) = X(p) AND its 4 neighbours, the
  // outside counting as true. Image: a 3x4 block of ones in the top-left
  // corner. (0,0)..(0,2) and (1,0)..(1,2) survive (their missing neighbours
  // are padding); column 3 loses its right neighbour, row 2 its lower one.
  // Init: true except (1,1) = false, which stays false.
  // A false padding would erode (0,0), (0,1), (0,2) and (1,0).
  %xe = arith.constant dense<[[1, 1, 1, 1, 0],
                              [1, 1, 1, 1, 0],
                              [1, 1, 1, 1, 0],
                              [0, 0, 0, 0, 0],
                              [0, 0, 0, 0, 0]]> : tensor<5x5xi1>
  %crossc = arith.constant dense<[[[1], [0], [1]], [[0], [0], [0]], [[1], [0], [1]]]> : tensor<3x3x1xi1>
  %ye = arith.constant dense<[[1, 1, 1, 1, 1],
                              [1, 0, 1, 1, 1],
                              [1, 1, 1, 1, 1],
                              [1, 1, 1, 1, 1],
                              [1, 1, 1, 1, 1]]> : tensor<5x5xi1>
  %xee = tensor.expand_shape %xe [[0, 1], [2, 3]] output_shape [1, 5, 5, 1] : tensor<5x5xi1> into tensor<1x5x5x1xi1>
  %yee = tensor.expand_shape %ye [[0, 1], [2, 3]] output_shape [1, 5, 5, 1] : tensor<5x5xi1> into tensor<1x5x5x1xi1>
  %re = trop.depthwise_conv_2d <min_max> {padding = array<i64: 1, 1, 1, 1>}
          ins(%xee, %crossc : tensor<1x5x5x1xi1>, tensor<3x3x1xi1>)
          outs(%yee : tensor<1x5x5x1xi1>) -> tensor<1x5x5x1xi1>
  %rec = tensor.collapse_shape %re [[0, 1], [2, 3]] : tensor<1x5x5x1xi1> into tensor<5x5xi1>
  call @print(%rec) : (tensor<5x5xi1>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [5, 5] strides = [5, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 1, 1, 0, 0],
  // CHECK-NEXT: {{^}} [1, 0, 1, 0, 0],
  // CHECK-NEXT: {{^}} [0, 0, 0, 0, 0],
  // CHECK-NEXT: {{^}} [0, 0, 0, 0, 0],
  // CHECK-NEXT: {{^}} [0, 0, 0, 0, 0]]
  return
}

// Prints an i1 image as 0/1 i32 values.
func.func @print(%t: tensor<5x5xi1>) {
  %e = tensor.empty() : tensor<5x5xi32>
  %w = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<5x5xi1>) outs(%e : tensor<5x5xi32>) {
  ^bb0(%x: i1, %o: i32):
    %y = arith.extui %x : i1 to i32
    linalg.yield %y : i32
  } -> tensor<5x5xi32>
  %u = tensor.cast %w : tensor<5x5xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func private @printMemrefI32(tensor<*xi32>)
