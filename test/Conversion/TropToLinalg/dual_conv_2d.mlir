// Reference lowering of trop.dual_conv_2d: one linalg.generic over conv_2d's
// loops with the two filters as inputs and the two destinations as outputs.
// The body reads the input at the window coordinate when it is inside (an
// unsigned comparison also rejects negative coordinates), else −∞ for the
// max and +∞ for the min result (each semiring's 𝟘, as the two separate
// padded lowerings); each result takes its own semiring's ⊗ and ⊕.
// RUN: trop-opt %s --trop-to-linalg | FileCheck %s
// RUN: trop-opt %s --trop-to-linalg --canonicalize | FileCheck %s --check-prefix=EMPTY

// CHECK-DAG: #[[F:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d4, d5, d6, d3)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @dep
// CHECK-SAME: (%[[X:.*]]: tensor<1x5x6x2xf32>, %[[W:.*]]: tensor<3x3x2x4xf32>, %[[W2:.*]]: tensor<3x3x2x4xf32>, %[[B:.*]]: tensor<1x2x2x4xf32>, %[[B2:.*]]: tensor<1x2x2x4xf32>)
// CHECK: %[[H:.*]] = tensor.dim %[[X]], %{{.*}} : tensor<1x5x6x2xf32>
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [#[[F]], #[[F]], #[[Y]], #[[Y]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME: ins(%[[W]], %[[W2]] : {{.*}}) outs(%[[B]], %[[B2]] : {{.*}})
// CHECK: arith.cmpi ult, %{{.*}}, %[[H]] : index
// CHECK: %[[IN:.*]] = arith.andi
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[PINF:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[V:.*]]:2 = scf.if %[[IN]] -> (f32, f32) {
// CHECK:   %[[E:.*]] = tensor.extract %[[X]]
// CHECK:   scf.yield %[[E]], %[[E]] : f32, f32
// CHECK: } else {
// CHECK:   scf.yield %[[NINF]], %[[PINF]] : f32, f32
// CHECK: arith.addf %[[V]]#0, %{{.*}} : f32
// CHECK: %[[M:.*]] = arith.maximumf
// CHECK: arith.addf %[[V]]#1, %{{.*}} : f32
// CHECK: %[[N:.*]] = arith.minimumf
// CHECK: linalg.yield %[[M]], %[[N]] : f32, f32
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @dep(%x: tensor<1x5x6x2xf32>, %w: tensor<3x3x2x4xf32>, %w2: tensor<3x3x2x4xf32>, %b: tensor<1x2x2x4xf32>, %b2: tensor<1x2x2x4xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) {
  %r:2 = trop.dual_conv_2d {strides = array<i64: 2, 3>, padding = array<i64: 1, 0, 0, 1>}
      ins(%x, %w, %w2 : tensor<1x5x6x2xf32>, tensor<3x3x2x4xf32>, tensor<3x3x2x4xf32>)
      outs(%b, %b2 : tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>
  return %r#0, %r#1 : tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>
}

// On memrefs the input is read with memref.load.
// CHECK-LABEL: func.func @memref
// CHECK: linalg.generic
// CHECK: memref.load %{{.*}} : memref<?x4x4x3xf64>
func.func @memref(%x: memref<?x4x4x3xf64>, %w: memref<1x1x3x2xf64>, %b: memref<?x4x4x2xf64>, %b2: memref<?x4x4x2xf64>) {
  trop.dual_conv_2d ins(%x, %w, %w : memref<?x4x4x3xf64>, memref<1x1x3x2xf64>, memref<1x1x3x2xf64>)
      outs(%b, %b2 : memref<?x4x4x2xf64>, memref<?x4x4x2xf64>)
  return
}

// A statically empty iteration space: the destinations are the results.
// EMPTY-LABEL: func.func @empty
// EMPTY-NOT: linalg.generic
// EMPTY: return %arg2, %arg3
func.func @empty(%x: tensor<1x4x4x0xf32>, %w: tensor<3x3x0x2xf32>, %b: tensor<1x2x2x2xf32>, %b2: tensor<1x2x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : tensor<1x4x4x0xf32>, tensor<3x3x0x2xf32>, tensor<3x3x0x2xf32>)
      outs(%b, %b2 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return %r#0, %r#1 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}
