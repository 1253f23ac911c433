// --trop-raise: a morphological convolution written as one windowed
// linalg.generic (seven loops, the input read at oh·sh + kh·dh and
// ow·sw + kw·dw, body out ⊕ (x ⊗ w)) becomes trop.conv_2d, in any layout:
// operands are transposed to NHWC / HWCF and the result back (exact).
// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

// NHWC input, HWCF filter, stride 2 (dilation on the kernel loops: 1).
// CHECK-LABEL: func.func @nhwc_stride
// CHECK-SAME: (%[[X:.*]]: tensor<1x9x9x3xf32>, %[[W:.*]]: tensor<3x3x3x4xf32>, %[[INIT:.*]]: tensor<1x4x4x4xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: %[[R:.*]] = trop.conv_2d <max_plus> {strides = array<i64: 2, 2>} ins(%[[X]], %[[W]] : tensor<1x9x9x3xf32>, tensor<3x3x3x4xf32>) outs(%[[INIT]] : tensor<1x4x4x4xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]
func.func @nhwc_stride(%x: tensor<1x9x9x3xf32>, %w: tensor<3x3x3x4xf32>, %init: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %r = linalg.generic {indexing_maps = [
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh * 2 + kh, ow * 2 + kw, c)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x9x9x3xf32>, tensor<3x3x3x4xf32>) outs(%init : tensor<1x4x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %o, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}

// -----

// PyTorch's layouts (NCHW input, FCHW filter, NCHW output), the filter
// first, dilation 2, and an erosion written min(out, x − w): the filter is
// negated, everything transposed to NHWC / HWCF, the result back to NCHW.
// CHECK-LABEL: func.func @nchw_erosion
// CHECK-SAME: (%[[W:.*]]: tensor<4x3x3x3xf32>, %[[X:.*]]: tensor<1x3x8x8xf32>, %[[INIT:.*]]: tensor<1x4x4x4xf32>)
// CHECK: %[[NEG:.*]] = linalg.generic {{.*}} ins(%[[W]] : tensor<4x3x3x3xf32>)
// CHECK: arith.negf
// CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<1x3x8x8xf32>) outs(%{{.*}} : tensor<1x8x8x3xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[NEG]] : tensor<4x3x3x3xf32>) outs(%{{.*}} : tensor<3x3x3x4xf32>) permutation = [2, 3, 1, 0]
// CHECK: %[[IT:.*]] = linalg.transpose ins(%[[INIT]] : tensor<1x4x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x4xf32>) permutation = [0, 2, 3, 1]
// CHECK: %[[C:.*]] = trop.conv_2d <min_plus> {dilations = array<i64: 2, 2>} ins(%[[XT]], %[[WT]] : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%[[IT]] : tensor<1x4x4x4xf32>)
// CHECK: %[[R:.*]] = linalg.transpose ins(%[[C]] : tensor<1x4x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x4xf32>) permutation = [0, 3, 1, 2]
// CHECK: return %[[R]]
func.func @nchw_erosion(%w: tensor<4x3x3x3xf32>, %x: tensor<1x3x8x8xf32>, %init: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %r = linalg.generic {indexing_maps = [
      affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>,
      affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh * 2, ow + kw * 2)>,
      affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%w, %x : tensor<4x3x3x3xf32>, tensor<1x3x8x8xf32>) outs(%init : tensor<1x4x4x4xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    %m = arith.minimumf %s, %o : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}

// -----

// Negative: a depthwise window (the filter reads the output channel, six
// loops) and a window whose index adds two output loops are not a full
// convolution; a sum (plus-times) convolution is not tropical.
// CHECK-LABEL: func.func @not_conv
// CHECK-NOT: trop.
// CHECK: linalg.generic
// CHECK: linalg.generic
// CHECK: linalg.generic
func.func @not_conv(%x: tensor<1x9x9x3xf32>, %x2: tensor<1x13x9x3xf32>, %dw: tensor<3x3x3xf32>, %w: tensor<3x3x3x4xf32>, %init3: tensor<1x7x7x3xf32>, %init: tensor<1x7x7x4xf32>) -> (tensor<1x7x7x3xf32>, tensor<1x7x7x4xf32>, tensor<1x7x7x4xf32>) {
  %d = linalg.generic {indexing_maps = [
      affine_map<(n, oh, ow, c, kh, kw) -> (n, oh + kh, ow + kw, c)>,
      affine_map<(n, oh, ow, c, kh, kw) -> (kh, kw, c)>,
      affine_map<(n, oh, ow, c, kh, kw) -> (n, oh, ow, c)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %dw : tensor<1x9x9x3xf32>, tensor<3x3x3xf32>) outs(%init3 : tensor<1x7x7x3xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %o, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x3xf32>
  %o2 = linalg.generic {indexing_maps = [
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh + ow, ow + kw, c)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x2, %w : tensor<1x13x9x3xf32>, tensor<3x3x3x4xf32>) outs(%init : tensor<1x7x7x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %o, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x4xf32>
  %o3 = linalg.generic {indexing_maps = [
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh + kh, ow + kw, c)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x9x9x3xf32>, tensor<3x3x3x4xf32>) outs(%init : tensor<1x7x7x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.mulf %a, %b : f32
    %m = arith.addf %o, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x7x7x4xf32>
  return %d, %o2, %o3 : tensor<1x7x7x3xf32>, tensor<1x7x7x4xf32>, tensor<1x7x7x4xf32>
}
