// trop-to-cpu on convolutions: conv_2d is a GEMM over output pixels (implicit
// im2col: padded positions pack as 𝟘) — one GEMM over (kh, kw, c) when the
// channels fill whole vectors, else one per window position —, depthwise
// convolution a loop nest vectorized over channels.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32 native-f16=on" --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @conv
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<2x8x8x16xf32> into memref<128x16xf32>
// CHECK: scf.for %[[KH:.*]] = %{{.*}} to %{{.*}} step
// CHECK: scf.for %[[KW:.*]] = %{{.*}} to %{{.*}} step
// CHECK: memref.subview %{{.*}}[%[[KH]], %[[KW]], 0, 0] [1, 1, %{{.*}}, %{{.*}}] [1, 1, 1, 1]
// CHECK: arith.cmpi ult
// CHECK: scf.if
// CHECK: vector.transfer_read %{{.*}} : memref<2x8x8x3xf32>, vector<16xf32>
// CHECK: arith.cmpf ogt, {{.*}} : vector<16xf32>
// CHECK-NOT: trop.conv_2d
func.func @conv(%x: memref<2x8x8x3xf32>, %w: memref<3x3x3x16xf32>, %y: memref<2x8x8x16xf32>) {
  trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : memref<2x8x8x3xf32>, memref<3x3x3x16xf32>) outs(%y : memref<2x8x8x16xf32>)
  return
}

// -----

// 32 channels (two vectors): the whole filter is B, (3·3·32) × 16, and the
// reduction block is a whole number of window positions (288 = 9 × 32); the
// packing of A decodes a window position per group of 32 columns.
// CHECK-LABEL: func.func @conv_grouped
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<2x8x8x16xf32> into memref<128x16xf32>
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<3x3x32x16xf32> into memref<288x16xf32>
// CHECK-NOT: memref.subview
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<12x12x288xf32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c288
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c32
// CHECK: arith.divui %{{.*}}, %c32
// CHECK: scf.if
// CHECK: vector.transfer_read %{{.*}} : memref<2x8x8x32xf32>, vector<16xf32>
// CHECK: arith.cmpf ogt, {{.*}} : vector<16xf32>
// CHECK-NOT: trop.conv_2d
func.func @conv_grouped(%x: memref<2x8x8x32xf32>, %w: memref<3x3x32x16xf32>, %y: memref<2x8x8x16xf32>) {
  trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : memref<2x8x8x32xf32>, memref<3x3x32x16xf32>) outs(%y : memref<2x8x8x16xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @depthwise
// CHECK: scf.parallel
// CHECK: vector.transfer_read %{{.*}} : memref<1x6x6x20xf16>, vector<32xf16>
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<32xf16>
// CHECK: arith.cmpf olt
// CHECK: vector.transfer_write
// CHECK-NOT: trop.depthwise_conv_2d
func.func @depthwise(%x: memref<1x8x8x20xf16>, %s: memref<3x3x20xf16>, %y: memref<1x6x6x20xf16>) {
  trop.depthwise_conv_2d <min_plus> ins(%x, %s : memref<1x8x8x20xf16>, memref<3x3x20xf16>) outs(%y : memref<1x6x6x20xf16>)
  return
}
