// Reference lowering of trop.depthwise_conv_2d: loops (n, oh, ow, c, kh, kw).
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d4, d2 * 2 + d5 * 2, d3)>
// CHECK-DAG: #[[S:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @grayscale_dilation
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[S]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: arith.addf %{{.*}}, %{{.*}} : f16
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f16
func.func @grayscale_dilation(%x: tensor<1x9x9x8xf16>, %s: tensor<3x3x8xf16>, %y: tensor<1x4x3x8xf16>) -> tensor<1x4x3x8xf16> {
  // OH = (9 - 2 - 1) / 2 + 1 = 4; OW = (9 - 4 - 1) / 2 + 1 = 3.
  %r = trop.depthwise_conv_2d <max_plus> {strides = array<i64: 2, 2>, dilations = array<i64: 1, 2>}
         ins(%x, %s : tensor<1x9x9x8xf16>, tensor<3x3x8xf16>) outs(%y : tensor<1x4x3x8xf16>) -> tensor<1x4x3x8xf16>
  return %r : tensor<1x4x3x8xf16>
}

// -----

// Binary dilation: pad with false, OR of ANDs.
// CHECK-LABEL: func.func @binary_dilation
// CHECK: %[[FALSE:.*]] = arith.constant false
// CHECK: tensor.pad %{{.*}} low[0, 1, 1, 0] high[0, 1, 1, 0]
// CHECK: tensor.yield %[[FALSE]] : i1
// CHECK: linalg.generic
// CHECK: arith.andi
// CHECK: arith.ori
func.func @binary_dilation(%img: tensor<1x16x16x1xi1>, %se: tensor<3x3x1xi1>, %out: tensor<1x16x16x1xi1>) -> tensor<1x16x16x1xi1> {
  %r = trop.depthwise_conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>} ins(%img, %se : tensor<1x16x16x1xi1>, tensor<3x3x1xi1>) outs(%out : tensor<1x16x16x1xi1>) -> tensor<1x16x16x1xi1>
  return %r : tensor<1x16x16x1xi1>
}

// -----

// Binary erosion pads with true (the 𝟘 of min_max), AND of ORs.
// CHECK-LABEL: func.func @binary_erosion_memref
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<1x10x10x1xi1>
// CHECK: linalg.fill ins(%[[TRUE]] : i1) outs(%[[BUF]] : memref<1x10x10x1xi1>)
// CHECK: linalg.generic
// CHECK: arith.ori
// CHECK: arith.andi
func.func @binary_erosion_memref(%img: memref<1x8x8x1xi1>, %se: memref<3x3x1xi1>, %out: memref<1x8x8x1xi1>) {
  trop.depthwise_conv_2d <min_max> {padding = array<i64: 1, 1, 1, 1>} ins(%img, %se : memref<1x8x8x1xi1>, memref<3x3x1xi1>) outs(%out : memref<1x8x8x1xi1>)
  return
}
