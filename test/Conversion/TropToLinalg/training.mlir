// Reference lowering of the training ops: the winner is the loop index
// where the product is strictly better (ordered), and each operand gradient
// sums only the gradients routed to it.
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @winners
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: ^bb0(%[[A:[^:]*]]: f32, %[[B:[^:]*]]: f32, %[[C:[^:]*]]: f32, %[[W:[^:]*]]: i64):
// CHECK: arith.addf %[[A]], %[[B]]
// The product (⊗ with 𝟘 absorbing) against the accumulator:
// CHECK: %[[BETTER:.*]] = arith.cmpf ogt, %{{.*}}, %[[C]]
// CHECK: %[[K:.*]] = linalg.index 2
// CHECK: %[[K64:.*]] = arith.index_cast %[[K]] : index to i64
// CHECK: %[[NEWW:.*]] = arith.select %[[BETTER]], %[[K64]], %[[W]]
// CHECK: linalg.yield %{{.*}}, %[[NEWW]] : f32, i64
func.func @winners(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %w: tensor<4x2xi64>) -> (tensor<4x2xf32>, tensor<4x2xi64>) {
  %y, %i = trop.matmul_winners <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %w : tensor<4x2xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>, tensor<4x2xi64>
  return %y, %i : tensor<4x2xf32>, tensor<4x2xi64>
}

// -----

// CHECK-LABEL: func.func @winners_min_int
// CHECK: arith.cmpi slt
func.func @winners_min_int(%a: memref<4x8xi8>, %b: memref<8x2xi8>, %c: memref<4x2xi8>, %w: memref<4x2xi64>) {
  trop.matmul_winners <min_plus> ins(%a, %b : memref<4x8xi8>, memref<8x2xi8>) outs(%c, %w : memref<4x2xi8>, memref<4x2xi64>)
  return
}

// -----

// CHECK-DAG: #[[IJ:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[JI:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-LABEL: func.func @route
// CHECK: linalg.generic {indexing_maps = [#[[IJ]], #[[IJ]], #[[OUT]]]
// CHECK: %[[K:.*]] = linalg.index 1
// CHECK: %[[HIT:.*]] = arith.cmpi eq
// CHECK: %[[SUM:.*]] = arith.addf
// CHECK: arith.select %[[HIT]], %[[SUM]]
// CHECK: linalg.generic {indexing_maps = [#[[JI]], #[[JI]], #[[OUT]]]
// CHECK: linalg.index 0
func.func @route(%dy: tensor<4x2xf32>, %w: tensor<4x2xi64>, %da: tensor<4x8xf32>, %db: tensor<8x2xf32>) -> (tensor<4x8xf32>, tensor<8x2xf32>) {
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<4x2xf32>, tensor<4x2xi64>) outs(%da, %db : tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x8xf32>, tensor<8x2xf32>
  return %x, %y : tensor<4x8xf32>, tensor<8x2xf32>
}
