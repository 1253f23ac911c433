// Round trip of trop.dual_conv_2d in tensor and memref form, with one shared
// filter (paper C's max-plus-min) and with two filters (DEP), default and
// explicit window attributes.
// RUN: trop-opt %s | trop-opt | FileCheck %s
// RUN: trop-opt %s --mlir-print-op-generic | trop-opt | FileCheck %s
// RUN: trop-opt %s --canonicalize | FileCheck %s --check-prefix=CANON

// CHECK-LABEL: func.func @shared_tensor
// CHECK: %{{.*}}:2 = trop.dual_conv_2d {padding = array<i64: 1, 1, 1, 1>} ins(%[[X:.*]], %[[W:.*]], %[[W]] : tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>, tensor<3x3x3x16xf32>) outs(%{{.*}}, %{{.*}} : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>
func.func @shared_tensor(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x16xf32>, %b: tensor<1x8x8x16xf32>, %b2: tensor<1x8x8x16xf32>) -> (tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) {
  %r:2 = trop.dual_conv_2d {padding = array<i64: 1, 1, 1, 1>}
      ins(%x, %w, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>, tensor<3x3x3x16xf32>)
      outs(%b, %b2 : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>) -> tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>
  return %r#0, %r#1 : tensor<1x8x8x16xf32>, tensor<1x8x8x16xf32>
}

// CHECK-LABEL: func.func @two_filters_memref
// CHECK: trop.dual_conv_2d {dilations = array<i64: 2, 1>, strides = array<i64: 1, 2>} ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<?x9x9x4xf64>, memref<2x2x4x5xf64>, memref<2x2x4x5xf64>) outs(%{{.*}}, %{{.*}} : memref<?x7x4x5xf64>, memref<?x7x4x5xf64>)
// CHECK-NOT: ->
func.func @two_filters_memref(%x: memref<?x9x9x4xf64>, %w: memref<2x2x4x5xf64>, %w2: memref<2x2x4x5xf64>, %b: memref<?x7x4x5xf64>, %b2: memref<?x7x4x5xf64>) {
  trop.dual_conv_2d {strides = array<i64: 1, 2>, dilations = array<i64: 2, 1>}
      ins(%x, %w, %w2 : memref<?x9x9x4xf64>, memref<2x2x4x5xf64>, memref<2x2x4x5xf64>)
      outs(%b, %b2 : memref<?x7x4x5xf64>, memref<?x7x4x5xf64>)
  return
}

// CHECK-LABEL: func.func @half
// CHECK: trop.dual_conv_2d ins({{.*}} : tensor<2x4x4x8xbf16>, tensor<1x1x8x8xbf16>, tensor<1x1x8x8xbf16>)
func.func @half(%x: tensor<2x4x4x8xbf16>, %w: tensor<1x1x8x8xbf16>, %b: tensor<2x4x4x8xbf16>) -> tensor<2x4x4x8xbf16> {
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : tensor<2x4x4x8xbf16>, tensor<1x1x8x8xbf16>, tensor<1x1x8x8xbf16>)
      outs(%b, %b : tensor<2x4x4x8xbf16>, tensor<2x4x4x8xbf16>) -> tensor<2x4x4x8xbf16>, tensor<2x4x4x8xbf16>
  return %r#1 : tensor<2x4x4x8xbf16>
}

// An empty reduction (no input channels) leaves both destinations unchanged:
// canonicalisation forwards them (tensors) or erases the op (memrefs).
// CANON-LABEL: func.func @empty_channels
// CANON-NOT: trop.dual_conv_2d
// CANON: return %arg2, %arg3
func.func @empty_channels(%x: tensor<1x4x4x0xf32>, %w: tensor<3x3x0x2xf32>, %b: tensor<1x2x2x2xf32>, %b2: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : tensor<1x4x4x0xf32>, tensor<3x3x0x2xf32>, tensor<3x3x0x2xf32>)
      outs(%b, %b2 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return %r#0, %r#1 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

// CANON-LABEL: func.func @empty_memref
// CANON-NOT: trop.dual_conv_2d
func.func @empty_memref(%x: memref<0x4x4x3xf32>, %w: memref<3x3x3x2xf32>, %b: memref<0x2x2x2xf32>) {
  trop.dual_conv_2d ins(%x, %w, %w : memref<0x4x4x3xf32>, memref<3x3x3x2xf32>, memref<3x3x3x2xf32>)
      outs(%b, %b : memref<0x2x2x2xf32>, memref<0x2x2x2xf32>)
  return
}
