// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

// A tensor.pad with the semiring's 𝟘 (−∞ for max_plus and max_min, +∞ for
// min_plus) on H and W, feeding a trop convolution, folds into the op's
// padding (which pads with 𝟘 too): exact. Any other padding value (0, as
// F.pad's default gives) changes results and stays.

// CHECK-LABEL: func.func @max_plus_nhwc
// CHECK-NOT: tensor.pad
// CHECK: trop.conv_2d <max_plus> {padding = array<i64: 1, 2, 3, 4>} ins(%arg0, %arg1 : tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>)
func.func @max_plus_nhwc(%x: tensor<1x5x5x2xf32>, %w: tensor<3x3x2x4xf32>, %init: tensor<1x7x9x4xf32>) -> tensor<1x7x9x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 1, 2, 0] high[0, 3, 4, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x5x5x2xf32> to tensor<1x9x11x2xf32>
  %r = trop.conv_2d <max_plus> ins(%p, %w : tensor<1x9x11x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x7x9x4xf32>) -> tensor<1x7x9x4xf32>
  return %r : tensor<1x7x9x4xf32>
}

// -----

// An NCHW F.pad before the transpose to NHWC, added to the op's own padding;
// min_plus pads with +∞.
// CHECK-LABEL: func.func @min_plus_nchw
// CHECK-NOT: tensor.pad
// CHECK: %[[T:.*]] = linalg.transpose ins(%arg0 : tensor<1x2x5x5xf32>) {{.*}} permutation = [0, 2, 3, 1]
// CHECK: trop.conv_2d <min_plus> {padding = array<i64: 2, 2, 2, 2>} ins(%[[T]], %arg1 : tensor<1x5x5x2xf32>, tensor<3x3x2x4xf32>)
func.func @min_plus_nchw(%x: tensor<1x2x5x5xf32>, %w: tensor<3x3x2x4xf32>, %init: tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32> {
  %inf = arith.constant 0x7F800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %inf : f32
  } : tensor<1x2x5x5xf32> to tensor<1x2x7x7xf32>
  %e = tensor.empty() : tensor<1x7x7x2xf32>
  %t = linalg.transpose ins(%p : tensor<1x2x7x7xf32>) outs(%e : tensor<1x7x7x2xf32>) permutation = [0, 2, 3, 1]
  %r = trop.conv_2d <min_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%t, %w : tensor<1x7x7x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x7x7x4xf32>) -> tensor<1x7x7x4xf32>
  return %r : tensor<1x7x7x4xf32>
}

// -----

// Max pooling (max_min) after a −∞ pad: F.max_pool2d's own padding.
// CHECK-LABEL: func.func @pool_i8
// CHECK-NOT: tensor.pad
// CHECK: trop.depthwise_conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} ins(%arg0, %arg1 : tensor<1x6x6x3xi8>, tensor<3x3x3xi8>)
func.func @pool_i8(%x: tensor<1x6x6x3xi8>, %se: tensor<3x3x3xi8>, %init: tensor<1x3x3x3xi8>) -> tensor<1x3x3x3xi8> {
  %lo = arith.constant -128 : i8
  %p = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %lo : i8
  } : tensor<1x6x6x3xi8> to tensor<1x8x8x3xi8>
  %r = trop.depthwise_conv_2d <max_min> {strides = array<i64: 2, 2>} ins(%p, %se : tensor<1x8x8x3xi8>, tensor<3x3x3xi8>) outs(%init : tensor<1x3x3x3xi8>) -> tensor<1x3x3x3xi8>
  return %r : tensor<1x3x3x3xi8>
}

// -----

// Near misses, left alone: 0 before max_plus (F.pad's default), +∞ before
// max_plus, a pad of the channels, a pad that something else reads too.
// CHECK-LABEL: func.func @near_misses
// CHECK-COUNT-4: tensor.pad
// CHECK-NOT: padding = array
func.func @near_misses(%x: tensor<1x5x5x2xf32>, %w: tensor<3x3x2x4xf32>, %wc: tensor<3x3x4x4xf32>, %init: tensor<1x5x5x4xf32>) -> (tensor<1x5x5x4xf32>, tensor<1x5x5x4xf32>, tensor<1x5x5x4xf32>, tensor<1x5x5x4xf32>, tensor<1x7x7x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %inf = arith.constant 0x7F800000 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %p0 = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x5x5x2xf32> to tensor<1x7x7x2xf32>
  %r0 = trop.conv_2d <max_plus> ins(%p0, %w : tensor<1x7x7x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  %p1 = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %inf : f32
  } : tensor<1x5x5x2xf32> to tensor<1x7x7x2xf32>
  %r1 = trop.conv_2d <max_plus> ins(%p1, %w : tensor<1x7x7x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  %p2 = tensor.pad %x low[0, 1, 1, 1] high[0, 1, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x5x5x2xf32> to tensor<1x7x7x4xf32>
  %r2 = trop.conv_2d <max_plus> ins(%p2, %wc : tensor<1x7x7x4xf32>, tensor<3x3x4x4xf32>) outs(%init : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  %p3 = tensor.pad %x low[0, 1, 1, 0] high[0, 1, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x5x5x2xf32> to tensor<1x7x7x2xf32>
  %r3 = trop.conv_2d <max_plus> ins(%p3, %w : tensor<1x7x7x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x5x5x4xf32>) -> tensor<1x5x5x4xf32>
  return %r0, %r1, %r2, %r3, %p3 : tensor<1x5x5x4xf32>, tensor<1x5x5x4xf32>, tensor<1x5x5x4xf32>, tensor<1x5x5x4xf32>, tensor<1x7x7x2xf32>
}
