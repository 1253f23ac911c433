// Convolutions on integers with padding: the padding value is 𝟘 (-128 for
// max_plus on i8, 127 for min_plus on i8, INT_MAX for min_plus on i32) and
// 𝟘 absorbs under ⊗, so a padded position contributes nothing even against
// an extreme filter value (-128 + 127 would otherwise be -1, 127 + (-128)
// likewise). Also depthwise_conv_2d with strides and padding together.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>

func.func @main() {
  // conv_2d max_plus i8, 1x2 filter [127, 0], padding [0, 1, 0, 0] (left 1):
  //   Y[h][w] = max(X[h][w-1] ⊗ 127, X[h][w]), X[h][-1] = 𝟘 = -128.
  //   X = [[-100, -110], [-128, -5]], init -128.
  //   (0,0): max(𝟘 ⊗ 127 = -128, -100) = -100   (not -1)
  //   (0,1): max(-100 + 127 = 27, -110)   = 27
  //   (1,0): max(𝟘 ⊗ 127 = -128, -128)    = -128 (not -1)
  //   (1,1): max(-128 ⊗ 127 = -128, -5)   = -5   (-128 is 𝟘 and absorbs)
  %x0 = arith.constant dense<[[-100, -110], [-128, -5]]> : tensor<2x2xi8>
  %x0e = tensor.expand_shape %x0 [[0, 1], [2, 3]] output_shape [1, 2, 2, 1] : tensor<2x2xi8> into tensor<1x2x2x1xi8>
  %f0 = arith.constant dense<[[[[127]], [[0]]]]> : tensor<1x2x1x1xi8>
  %y0 = arith.constant dense<-128> : tensor<1x2x2x1xi8>
  %r0 = trop.conv_2d <max_plus> {padding = array<i64: 0, 1, 0, 0>}
          ins(%x0e, %f0 : tensor<1x2x2x1xi8>, tensor<1x2x1x1xi8>)
          outs(%y0 : tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8>
  %r0c = tensor.collapse_shape %r0 [[0, 1], [2, 3]] : tensor<1x2x2x1xi8> into tensor<2x2xi8>
  call @printI8(%r0c) : (tensor<2x2xi8>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}-100, 27],
  // CHECK-NEXT: {{^}} [-128, -5]]

  // conv_2d min_plus i8, 1x2 filter [-128, 0], padding left 1, 𝟘 = 127:
  //   X = [[100, 110], [127, 5]], init 127.
  //   (0,0): min(𝟘 ⊗ -128 = 127, 100)     = 100 (not -1)
  //   (0,1): min(100 - 128 = -28, 110)     = -28
  //   (1,0): min(𝟘 ⊗ -128 = 127, 127)     = 127 (not -1)
  //   (1,1): min(127 ⊗ -128 = 127, 5)     = 5   (127 is 𝟘 and absorbs)
  %x1 = arith.constant dense<[[100, 110], [127, 5]]> : tensor<2x2xi8>
  %x1e = tensor.expand_shape %x1 [[0, 1], [2, 3]] output_shape [1, 2, 2, 1] : tensor<2x2xi8> into tensor<1x2x2x1xi8>
  %f1 = arith.constant dense<[[[[-128]], [[0]]]]> : tensor<1x2x1x1xi8>
  %y1 = arith.constant dense<127> : tensor<1x2x2x1xi8>
  %r1 = trop.conv_2d <min_plus> {padding = array<i64: 0, 1, 0, 0>}
          ins(%x1e, %f1 : tensor<1x2x2x1xi8>, tensor<1x2x1x1xi8>)
          outs(%y1 : tensor<1x2x2x1xi8>) -> tensor<1x2x2x1xi8>
  %r1c = tensor.collapse_shape %r1 [[0, 1], [2, 3]] : tensor<1x2x2x1xi8> into tensor<2x2xi8>
  call @printI8(%r1c) : (tensor<2x2xi8>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}100, -28],
  // CHECK-NEXT: {{^}} [127, 5]]

  // depthwise_conv_2d min_plus i32 (erosion by a flat 3x3 element), strides
  // [2, 2], padding 1 on every side: OH = OW = (3 + 2 - 3) / 2 + 1 = 2.
  // Output (oh, ow) is the min of the in-bounds 3x3 window centred on input
  // (2oh, 2ow); X = [[5, 9, 7], [8, 6, 4], [3, 2, 1]]:
  //   centre (0,0): min(5, 9, 8, 6) = 5;   centre (0,2): min(9, 7, 6, 4) = 4
  //   centre (2,0): min(8, 6, 3, 2) = 2;   centre (2,2): min(6, 4, 2, 1) = 1
  // (A 0 padding would give 0 everywhere.)
  %x2 = arith.constant dense<[[5, 9, 7], [8, 6, 4], [3, 2, 1]]> : tensor<3x3xi32>
  %x2e = tensor.expand_shape %x2 [[0, 1], [2, 3]] output_shape [1, 3, 3, 1] : tensor<3x3xi32> into tensor<1x3x3x1xi32>
  %s2 = arith.constant dense<0> : tensor<3x3x1xi32>
  %y2 = arith.constant dense<2147483647> : tensor<1x2x2x1xi32>
  %r2 = trop.depthwise_conv_2d <min_plus> {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
          ins(%x2e, %s2 : tensor<1x3x3x1xi32>, tensor<3x3x1xi32>)
          outs(%y2 : tensor<1x2x2x1xi32>) -> tensor<1x2x2x1xi32>
  %r2c = tensor.collapse_shape %r2 [[0, 1], [2, 3]] : tensor<1x2x2x1xi32> into tensor<2x2xi32>
  %u2 = tensor.cast %r2c : tensor<2x2xi32> to tensor<*xi32>
  call @printMemrefI32(%u2) : (tensor<*xi32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}5, 4],
  // CHECK-NEXT: {{^}} [2, 1]]
  return
}

// Prints an i8 matrix as i32 (printMemrefI8 prints characters).
func.func @printI8(%t: tensor<2x2xi8>) {
  %e = tensor.empty() : tensor<2x2xi32>
  %w = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<2x2xi8>) outs(%e : tensor<2x2xi32>) {
  ^bb0(%b: i8, %o: i32):
    %v = arith.extsi %b : i8 to i32
    linalg.yield %v : i32
  } -> tensor<2x2xi32>
  %u = tensor.cast %w : tensor<2x2xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func private @printMemrefI32(tensor<*xi32>)
