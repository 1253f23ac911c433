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

// -----

// conv_2d_winners: the forward's loops (n, oh, ow, f, kh, kw, c) over the
// padded input, the winner linearised as (kh·KW + kw)·C + c.
// CHECK-LABEL: func.func @conv_winners
// CHECK-DAG: %[[KW:.*]] = arith.constant 2 : index
// CHECK-DAG: %[[C:.*]] = arith.constant 3 : index
// CHECK: tensor.pad
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: %[[BETTER:.*]] = arith.cmpf ogt
// CHECK: %[[I4:.*]] = linalg.index 4
// CHECK: %[[I5:.*]] = linalg.index 5
// CHECK: %[[M1:.*]] = arith.muli %[[I4]], %[[KW]]
// CHECK: %[[A1:.*]] = arith.addi %[[M1]], %[[I5]]
// CHECK: %[[I6:.*]] = linalg.index 6
// CHECK: %[[M2:.*]] = arith.muli %[[A1]], %[[C]]
// CHECK: %[[A2:.*]] = arith.addi %[[M2]], %[[I6]]
// CHECK: %[[W64:.*]] = arith.index_cast %[[A2]] : index to i64
// CHECK: arith.select %[[BETTER]], %[[W64]]
func.func @conv_winners(%x: tensor<1x5x5x3xf32>, %f: tensor<2x2x3x4xf32>, %c: tensor<1x5x5x4xf32>, %w: tensor<1x5x5x4xi64>) -> (tensor<1x5x5x4xf32>, tensor<1x5x5x4xi64>) {
  %y, %i = trop.conv_2d_winners <max_plus> {padding = array<i64: 1, 1, 0, 0>} ins(%x, %f : tensor<1x5x5x3xf32>, tensor<2x2x3x4xf32>) outs(%c, %w : tensor<1x5x5x4xf32>, tensor<1x5x5x4xi64>) -> tensor<1x5x5x4xf32>, tensor<1x5x5x4xi64>
  return %y, %i : tensor<1x5x5x4xf32>, tensor<1x5x5x4xi64>
}

// -----

// dual_matmul_winners: one generic, one sum, two compares.
// CHECK-LABEL: func.func @dual_winners
// CHECK: linalg.generic
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf olt
// CHECK: linalg.yield %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : f64, f64, i64, i64
func.func @dual_winners(%a: tensor<4x8xf64>, %b: tensor<8x2xf64>, %c: tensor<4x2xf64>, %w: tensor<4x2xi64>) -> (tensor<4x2xf64>, tensor<4x2xf64>, tensor<4x2xi64>, tensor<4x2xi64>) {
  %x, %y, %u, %v = trop.dual_matmul_winners ins(%a, %b : tensor<4x8xf64>, tensor<8x2xf64>) outs(%c, %c, %w, %w : tensor<4x2xf64>, tensor<4x2xf64>, tensor<4x2xi64>, tensor<4x2xi64>) -> tensor<4x2xf64>, tensor<4x2xf64>, tensor<4x2xi64>, tensor<4x2xi64>
  return %x, %y, %u, %v : tensor<4x2xf64>, tensor<4x2xf64>, tensor<4x2xi64>, tensor<4x2xi64>
}

// -----

// maxout routing: a loop nest over the outputs in row-major order; a
// gradient is added only where the winner lies in [0, group_size).
// CHECK-LABEL: func.func @route_maxout
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[W:.*]] = memref.load %arg1
// CHECK: arith.cmpi sge, %[[W]]
// CHECK: arith.cmpi slt, %[[W]]
// CHECK: scf.if
// CHECK: memref.load %arg0
// CHECK: arith.addf
// CHECK: memref.store
func.func @route_maxout(%dy: memref<4x2xf32>, %w: memref<4x2xi64>, %dx: memref<4x8xf32>) {
  trop.route_maxout_to_winners group_size = 4 ins(%dy, %w : memref<4x2xf32>, memref<4x2xi64>) outs(%dx : memref<4x8xf32>)
  return
}

// -----

// conv routing: the input gradient only inside the unpadded input.
// CHECK-LABEL: func.func @route_conv
// CHECK-COUNT-4: scf.for
// CHECK: scf.if
// CHECK: arith.remui
// CHECK: arith.divui
// CHECK: scf.if
// CHECK: tensor.insert
// CHECK: tensor.insert
func.func @route_conv(%dy: tensor<1x5x5x4xf32>, %w: tensor<1x5x5x4xi64>, %dx: tensor<1x5x5x3xf32>, %df: tensor<2x2x3x4xf32>) -> (tensor<1x5x5x3xf32>, tensor<2x2x3x4xf32>) {
  %a, %b = trop.route_conv_2d_to_winners {padding = array<i64: 1, 1, 0, 0>} ins(%dy, %w : tensor<1x5x5x4xf32>, tensor<1x5x5x4xi64>) outs(%dx, %df : tensor<1x5x5x3xf32>, tensor<2x2x3x4xf32>) -> tensor<1x5x5x3xf32>, tensor<2x2x3x4xf32>
  return %a, %b : tensor<1x5x5x3xf32>, tensor<2x2x3x4xf32>
}
