// Reference lowering of trop.conv_2d: pad with 𝟘, then one generic over
// (n, oh, ow, f, kh, kw, c) with strided, dilated input indexing.
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 2 + d4 * 3, d2 + d5, d6)>
// CHECK-DAG: #[[F:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_padded
// CHECK-SAME: (%[[X:.*]]: tensor<1x9x8x3xf32>, %[[W:.*]]: tensor<3x3x3x4xf32>, %[[Y:.*]]: tensor<1x3x8x4xf32>)
// CHECK: %[[NEG_INF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PAD:.*]] = tensor.pad %[[X]] low[0, 1, 1, 0] high[0, 2, 1, 0]
// CHECK: tensor.yield %[[NEG_INF]] : f32
// CHECK: } : tensor<1x9x8x3xf32> to tensor<1x12x10x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[F]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[PAD]], %[[W]] : tensor<1x12x10x3xf32>, tensor<3x3x3x4xf32>) outs(%[[Y]] : tensor<1x3x8x4xf32>)
// CHECK: arith.addf
// CHECK: arith.maximumf
func.func @conv_padded(%x: tensor<1x9x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x3x8x4xf32>) -> tensor<1x3x8x4xf32> {
  // OH = (9 + 1 + 2 - 3*2 - 1) / 2 + 1 = 2 + 1 = 3; OW = 8 + 2 - 2 = 8.
  %r = trop.conv_2d <max_plus> {strides = array<i64: 2, 1>, dilations = array<i64: 3, 1>, padding = array<i64: 1, 1, 2, 1>}
         ins(%x, %w : tensor<1x9x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x3x8x4xf32>) -> tensor<1x3x8x4xf32>
  return %r : tensor<1x3x8x4xf32>
}

// -----

// No padding: no tensor.pad.
// CHECK-LABEL: func.func @conv_unpadded
// CHECK-NOT: tensor.pad
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.minimumf
func.func @conv_unpadded(%x: tensor<2x5x5x2xf32>, %w: tensor<2x2x2x3xf32>, %y: tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32> {
  %r = trop.conv_2d <min_plus> ins(%x, %w : tensor<2x5x5x2xf32>, tensor<2x2x2x3xf32>) outs(%y : tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32>
  return %r : tensor<2x4x4x3xf32>
}

// -----

// Memrefs: the padded input is a temporary buffer filled with 𝟘 (+inf for
// min_plus) and the input copied into its interior; the deallocation
// pipeline that follows frees it.
// CHECK-LABEL: func.func @conv_memref
// CHECK-SAME: (%[[X:.*]]: memref<1x4x4x2xf32>, %[[W:.*]]: memref<3x3x2x1xf32>, %[[Y:.*]]: memref<1x4x4x1xf32>)
// CHECK: %[[INF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[BUF:.*]] = memref.alloc() : memref<1x6x6x2xf32>
// CHECK: linalg.fill ins(%[[INF]] : f32) outs(%[[BUF]] : memref<1x6x6x2xf32>)
// CHECK: %[[SUB:.*]] = memref.subview %[[BUF]][0, 1, 1, 0] [1, 4, 4, 2] [1, 1, 1, 1]
// CHECK: memref.copy %[[X]], %[[SUB]]
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[BUF]], %[[W]] : memref<1x6x6x2xf32>, memref<3x3x2x1xf32>) outs(%[[Y]] : memref<1x4x4x1xf32>)
func.func @conv_memref(%x: memref<1x4x4x2xf32>, %w: memref<3x3x2x1xf32>, %y: memref<1x4x4x1xf32>) {
  trop.conv_2d <min_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : memref<1x4x4x2xf32>, memref<3x3x2x1xf32>) outs(%y : memref<1x4x4x1xf32>)
  return
}

// -----

// Dynamic spatial sizes: the padded buffer's size is computed at run time.
// CHECK-LABEL: func.func @conv_memref_dynamic
// CHECK: %[[H:.*]] = memref.dim %{{.*}}, %c1
// CHECK: %[[HP:.*]] = arith.addi %[[H]], %c2
// CHECK: memref.alloc(%[[HP]]) : memref<1x?x6x2xi16>
// CHECK: linalg.generic
func.func @conv_memref_dynamic(%x: memref<1x?x4x2xi16>, %w: memref<3x3x2x1xi16>, %y: memref<1x?x4x1xi16>) {
  trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : memref<1x?x4x2xi16>, memref<3x3x2x1xi16>) outs(%y : memref<1x?x4x1xi16>)
  return
}
