// --trop-fuse on convolutions: a trop.conv_2d <max_plus> and <min_plus> on
// the same input with the same window become one trop.dual_conv_2d with
// their filters (one shared filter: paper C's max-plus-min MorphConv2d; two:
// the convolutional DEP); pairs that differ in input, window, semiring or
// element type, and pairs whose later op uses the earlier, are left alone.
// RUN: trop-opt %s --trop-fuse="tile-rows=0" --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-fuse="pair-max-min=0 tile-rows=0" --split-input-file | FileCheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @mpm_shared
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x8x3xf32>, %[[W:.*]]: tensor<3x3x3x4xf32>, %[[B:.*]]: tensor<1x8x8x4xf32>, %[[B2:.*]]: tensor<1x8x8x4xf32>)
// CHECK: %[[D:.*]]:2 = trop.dual_conv_2d {padding = array<i64: 1, 1, 1, 1>} ins(%[[X]], %[[W]], %[[W]] : {{.*}}) outs(%[[B]], %[[B2]] : {{.*}})
// CHECK-NOT: trop.conv_2d
// CHECK: arith.addf %[[D]]#0, %[[D]]#1
// OFF-LABEL: func.func @mpm_shared
// OFF-COUNT-2: trop.conv_2d
// OFF-NOT: trop.dual_conv_2d
func.func @mpm_shared(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %b: tensor<1x8x8x4xf32>, %b2: tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32> {
  %mx = trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%b : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %mn = trop.conv_2d <min_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%b2 : tensor<1x8x8x4xf32>) -> tensor<1x8x8x4xf32>
  %s = arith.addf %mx, %mn : tensor<1x8x8x4xf32>
  return %s : tensor<1x8x8x4xf32>
}

// -----

// Min first, two filters (DEP): the dual op sits at the later position.
// CHECK-LABEL: func.func @dep_two_filters
// CHECK-SAME: (%[[X:.*]]: tensor<2x9x9x2xf64>, %[[W:.*]]: tensor<2x2x2x5xf64>, %[[W2:.*]]: tensor<2x2x2x5xf64>, %[[B:.*]]: tensor<2x4x4x5xf64>)
// CHECK: %[[D:.*]]:2 = trop.dual_conv_2d {strides = array<i64: 2, 2>} ins(%[[X]], %[[W]], %[[W2]] : {{.*}}) outs(%[[B]], %[[B]] : {{.*}})
// CHECK: return %[[D]]#1, %[[D]]#0
func.func @dep_two_filters(%x: tensor<2x9x9x2xf64>, %w: tensor<2x2x2x5xf64>, %w2: tensor<2x2x2x5xf64>, %b: tensor<2x4x4x5xf64>) -> (tensor<2x4x4x5xf64>, tensor<2x4x4x5xf64>) {
  %mn = trop.conv_2d <min_plus> {strides = array<i64: 2, 2>} ins(%x, %w2 : tensor<2x9x9x2xf64>, tensor<2x2x2x5xf64>) outs(%b : tensor<2x4x4x5xf64>) -> tensor<2x4x4x5xf64>
  %mx = trop.conv_2d <max_plus> {strides = array<i64: 2, 2>} ins(%x, %w : tensor<2x9x9x2xf64>, tensor<2x2x2x5xf64>) outs(%b : tensor<2x4x4x5xf64>) -> tensor<2x4x4x5xf64>
  return %mn, %mx : tensor<2x4x4x5xf64>, tensor<2x4x4x5xf64>
}

// -----

// Different padding, different inputs, integers, and a min whose init is
// the max's result: no pair.
// CHECK-LABEL: func.func @no_pairs
// CHECK-NOT: trop.dual_conv_2d
// CHECK: return
func.func @no_pairs(%x: tensor<1x8x8x3xf32>, %y: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %b: tensor<1x6x6x4xf32>, %i: tensor<1x8x8x3xi32>, %wi: tensor<3x3x3x4xi32>, %bi: tensor<1x6x6x4xi32>) -> (tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>, tensor<1x6x6x4xi32>, tensor<1x6x6x4xi32>) {
  %a = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%b : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %c = trop.conv_2d <min_plus> ins(%y, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%b : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %d = trop.conv_2d <min_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%a : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  %e = trop.conv_2d <max_plus> ins(%i, %wi : tensor<1x8x8x3xi32>, tensor<3x3x3x4xi32>) outs(%bi : tensor<1x6x6x4xi32>) -> tensor<1x6x6x4xi32>
  %f = trop.conv_2d <min_plus> ins(%i, %wi : tensor<1x8x8x3xi32>, tensor<3x3x3x4xi32>) outs(%bi : tensor<1x6x6x4xi32>) -> tensor<1x6x6x4xi32>
  return %a, %c, %d, %e, %f : tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>, tensor<1x6x6x4xf32>, tensor<1x6x6x4xi32>, tensor<1x6x6x4xi32>
}
