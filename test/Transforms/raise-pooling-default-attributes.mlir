// RUN: trop-opt %s --trop-raise | FileCheck %s

// linalg pooling ops without `strides`/`dilations` take the default 1, 1
// (found by trop-pass-fuzzer: --trop-raise read the absent attributes and
// crashed).

// CHECK-LABEL: func.func @min_pooling_default_attributes
// CHECK: trop.depthwise_conv_2d <min_max> ins(%{{.*}}, %{{.*}} : tensor<1x6x6x4xi8>, tensor<3x3x4xi8>)
func.func @min_pooling_default_attributes(%x: tensor<1x6x6x4xi8>, %init: tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8> {
  %w = tensor.empty() : tensor<3x3xi8>
  %r = linalg.pooling_nhwc_min ins(%x, %w : tensor<1x6x6x4xi8>, tensor<3x3xi8>) outs(%init : tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8>
  return %r : tensor<1x4x4x4xi8>
}
