// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

// Max and min pooling written as a windowed reduction linalg.generic (what
// trop.export writes for `F.unfold` patches or `Tensor.unfold` views reduced
// by max/min; a window operand sizes the kernel loops) become depthwise
// morphology with a structuring element of 𝟙, in any layout.

// NCHW, stride 2, the exporter's form: transposes to NHWC and back.
// CHECK-LABEL: func.func @max_pool_nchw
// CHECK: %[[ONE:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[X:.*]] = linalg.transpose ins(%{{.*}} : tensor<2x3x8x8xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: %[[SE:.*]] = linalg.fill ins(%[[ONE]] : f32) outs(%{{.*}} : tensor<2x2x3xf32>)
// CHECK: %[[P:.*]] = trop.depthwise_conv_2d <max_min> {strides = array<i64: 2, 2>} ins(%[[X]], %[[SE]] : tensor<2x8x8x3xf32>, tensor<2x2x3xf32>)
// CHECK: linalg.transpose ins(%[[P]] : tensor<2x4x4x3xf32>) {{.*}} permutation = [0, 3, 1, 2]
// CHECK-NOT: linalg.generic
func.func @max_pool_nchw(%x: tensor<2x3x8x8xf32>, %init: tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32> {
  %w = tensor.empty() : tensor<2x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (kh, kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x3x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.maximumf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x3x4x4xf32>
  return %r : tensor<2x3x4x4xf32>
}

// -----

// NHWC, the window operand first, min, dilation 2, `out` first in the body.
// CHECK-LABEL: func.func @min_pool_nhwc_dilated
// CHECK-NOT: linalg.transpose
// CHECK: %[[ONE:.*]] = arith.constant 0xFF800000 : f32
// CHECK: trop.depthwise_conv_2d <min_max> {dilations = array<i64: 2, 2>} ins(%{{.*}}, %{{.*}} : tensor<1x7x7x4xf32>, tensor<3x3x4xf32>)
// CHECK-NOT: linalg.generic
func.func @min_pool_nhwc_dilated(%x: tensor<1x7x7x4xf32>, %init: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, oh, ow, c, kh, kw) -> (kh, kw)>, affine_map<(n, oh, ow, c, kh, kw) -> (n, oh + kh * 2, ow + kw * 2, c)>, affine_map<(n, oh, ow, c, kh, kw) -> (n, oh, ow, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%w, %x : tensor<3x3xf32>, tensor<1x7x7x4xf32>) outs(%init : tensor<1x3x3x4xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %m = arith.minimumf %o, %a : f32
    linalg.yield %m : f32
  } -> tensor<1x3x3x4xf32>
  return %r : tensor<1x3x3x4xf32>
}

// -----

// Near misses, left alone: a sum (not a lattice ⊕), the NaN-ignoring maxnumf
// without nnan (not trop's max), a body that reads the window operand, an
// index that is not a window (o + o), a window over a reduction that is also
// a plain index.
// CHECK-LABEL: func.func @near_misses
// CHECK-NOT: trop.
// CHECK-COUNT-5: linalg.generic
// CHECK-NOT: trop.
func.func @near_misses(%x: tensor<2x3x8x8xf32>, %init: tensor<2x3x4x4xf32>, %w: tensor<2x2xf32>, %x2: tensor<2x2x8x8xf32>) -> (tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>) {
  %sum = linalg.generic {indexing_maps = [affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (kh, kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x3x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.addf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x3x4x4xf32>
  %num = linalg.generic {indexing_maps = [affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (kh, kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x3x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.maxnumf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x3x4x4xf32>
  %plus = linalg.generic {indexing_maps = [affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (kh, kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x3x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %s, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x3x4x4xf32>
  %nowin = linalg.generic {indexing_maps = [affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh + ow, ow * 2 + kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (kh, kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x3x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.maximumf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x3x4x4xf32>
  %twice = linalg.generic {indexing_maps = [affine_map<(n, c, oh, ow, kh, kw) -> (n, kh, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (kh, kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x2, %w : tensor<2x2x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.maximumf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x3x4x4xf32>
  return %sum, %num, %plus, %nowin, %twice : tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>, tensor<2x3x4x4xf32>
}
