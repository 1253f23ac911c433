// Reference lowering of trop.dual_matmul: one linalg.generic with two
// outputs whose body computes the sum once and yields its max with the first
// accumulator and its min with the second.
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-to-linalg="nan-mode=assume-none" --split-input-file | FileCheck %s --check-prefix=NNAN

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dual_f32
// CHECK-SAME: (%[[LHS:.*]]: tensor<4x8xf32>, %[[RHS:.*]]: tensor<8x2xf32>, %[[MAX:.*]]: tensor<4x2xf32>, %[[MIN:.*]]: tensor<4x2xf32>)
// CHECK: %[[R:.*]]:2 = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[LHS]], %[[RHS]] : tensor<4x8xf32>, tensor<8x2xf32>) outs(%[[MAX]], %[[MIN]] : tensor<4x2xf32>, tensor<4x2xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32, %[[ACC2:.*]]: f32):
// Each semiring's ⊗ (+∞ met −∞ gives its own 𝟘); CSE leaves one addf.
// CHECK:   %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:   %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK:   %[[P:.*]] = arith.select %{{.*}}, %[[NINF]], %[[S]] : f32
// CHECK:   %[[S2:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:   %[[PINF:.*]] = arith.constant 0x7F800000 : f32
// CHECK:   %[[Q:.*]] = arith.select %{{.*}}, %[[PINF]], %[[S2]] : f32
// CHECK:   %[[M:.*]] = arith.maximumf %[[ACC]], %[[P]] : f32
// CHECK:   %[[N:.*]] = arith.minimumf %[[ACC2]], %[[Q]] : f32
// CHECK:   linalg.yield %[[M]], %[[N]] : f32, f32
// CHECK: return %[[R]]#0, %[[R]]#1
// NNAN-LABEL: func.func @dual_f32
// NNAN: arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// NNAN: arith.cmpf olt, %{{.*}}, %{{.*}} : f32
func.func @dual_f32(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %d: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return %r#0, %r#1 : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @dual_memref
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : memref<4x2xf64>, memref<4x2xf64>)
// CHECK-NOT: trop.dual_matmul
func.func @dual_memref(%a: memref<4x8xf64>, %b: memref<8x2xf64>, %c: memref<4x2xf64>, %d: memref<4x2xf64>) {
  trop.dual_matmul ins(%a, %b : memref<4x8xf64>, memref<8x2xf64>) outs(%c, %d : memref<4x2xf64>, memref<4x2xf64>)
  return
}

// -----

// An empty reduction forwards both destinations.
// CHECK-LABEL: func.func @dual_empty
// CHECK-SAME: %[[C:[^:]*]]: tensor<4x2xf32>, %[[D:[^:]*]]: tensor<4x2xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[C]], %[[D]]
func.func @dual_empty(%a: tensor<4x0xf32>, %b: tensor<0x2xf32>, %c: tensor<4x2xf32>, %d: tensor<4x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x0xf32>, tensor<0x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return %r#0, %r#1 : tensor<4x2xf32>, tensor<4x2xf32>
}
