// RUN: trop-opt %s --trop-to-gpu --cse --split-input-file | FileCheck %s

// A conv_2d is an implicit GEMM on the tiled kernel: the filter and the
// output are viewed as (KH·KW·C) × F and (N·OH·OW) × F matrices, the input
// is read in place (the im2col addressing: output pixel and window tap
// decomposed by division, strides, dilations and padding applied, the
// coordinates checked against the input and clamped into it) and the
// elements in the padding are 𝟘 (−∞ for max_plus).

// CHECK-LABEL: func.func @conv
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : memref<3x2x33x130xf32> into memref<198x130xf32>
// CHECK-DAG: memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2], [3]] : memref<2x7x12x130xf32> into memref<168x130xf32>
// CHECK: gpu.launch
// CHECK-SAME: workgroup(%{{.*}} : memref<2x8x132xf32, #gpu.address_space<workgroup>>, %{{.*}} : memref<2x8x128xf32, #gpu.address_space<workgroup>>)
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: arith.divui
// CHECK: arith.cmpi sge
// CHECK: arith.cmpi slt
// CHECK: arith.maxsi
// CHECK: %[[X:.*]] = memref.load %arg0[{{.*}}] : memref<2x13x11x33xf32>
// CHECK: arith.select %{{.*}}, %[[X]], %[[NEG]] : f32
// CHECK: gpu.barrier
// CHECK-NOT: trop.conv_2d
func.func @conv(%x: memref<2x13x11x33xf32>, %w: memref<3x2x33x130xf32>,
                %y: memref<2x7x12x130xf32>) {
  trop.conv_2d <max_plus> {strides = array<i64: 2, 1>, dilations = array<i64: 1, 2>, padding = array<i64: 2, 0, 1, 3>}
    ins(%x, %w : memref<2x13x11x33xf32>, memref<3x2x33x130xf32>)
    outs(%y : memref<2x7x12x130xf32>)
  return
}

// -----

// A dual_conv_2d with one filter and no padding is one kernel with two
// accumulator tiles (as a dual_matmul); with padding (−∞ for max_plus, +∞
// for min_plus: different A) or two filters it is two kernels.

// CHECK-LABEL: func.func @dual_one_kernel
// CHECK-COUNT-1: gpu.launch
// CHECK-NOT: gpu.launch
// CHECK: return
func.func @dual_one_kernel(%x: memref<1x9x9x5xf32>, %w: memref<3x3x5x33xf32>,
                           %a: memref<1x7x7x33xf32>, %b: memref<1x7x7x33xf32>) {
  trop.dual_conv_2d ins(%x, %w, %w : memref<1x9x9x5xf32>, memref<3x3x5x33xf32>, memref<3x3x5x33xf32>)
    outs(%a, %b : memref<1x7x7x33xf32>, memref<1x7x7x33xf32>)
  return
}

// CHECK-LABEL: func.func @dual_padded
// CHECK: gpu.launch
// CHECK: gpu.launch
// CHECK-NOT: trop.dual_conv_2d
func.func @dual_padded(%x: memref<1x9x9x5xf32>, %w: memref<3x3x5x33xf32>,
                       %a: memref<1x9x9x33xf32>, %b: memref<1x9x9x33xf32>) {
  trop.dual_conv_2d {padding = array<i64: 1, 1, 1, 1>}
    ins(%x, %w, %w : memref<1x9x9x5xf32>, memref<3x3x5x33xf32>, memref<3x3x5x33xf32>)
    outs(%a, %b : memref<1x9x9x33xf32>, memref<1x9x9x33xf32>)
  return
}
