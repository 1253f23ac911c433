// trop-to-cpu on matmul_winners: f32 and f64 run on the packed GEMM in
// winners mode (a register tile of block-local indices blended where the
// product is strictly better, then masked stores of the winners), split
// over the tasks like the GEMM; other element types and tensors are left
// to the reference lowering.
// RUN: trop-opt %s --trop-to-cpu="num-tasks=2 vector-bits=512 vector-registers=32" --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @winners_f32
// CHECK-NOT: trop.matmul_winners
// CHECK: scf.parallel
// CHECK: scf.for {{.*}} iter_args
// CHECK: arith.cmpf ogt, %{{.*}} : vector<16xf32>
// CHECK: arith.select %{{.*}} : vector<16xi1>, vector<16xi32>
// CHECK: vector.maskedstore %{{.*}} : memref<?x?xi64>, vector<16xi1>, vector<16xi64>
func.func @winners_f32(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>, %w: memref<?x?xi64>) {
  trop.matmul_winners <max_plus> ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c, %w : memref<?x?xf32>, memref<?x?xi64>)
  return
}

// -----

// CHECK-LABEL: func.func @winners_f64_min
// CHECK-NOT: trop.matmul_winners
// CHECK: arith.cmpf olt, %{{.*}} : vector<8xf64>
// CHECK: arith.select %{{.*}} : vector<8xi1>, vector<8xi64>
// CHECK: vector.maskedstore %{{.*}} : memref<64x48xi64>, vector<8xi1>, vector<8xi64>
func.func @winners_f64_min(%a: memref<64x100xf64>, %b: memref<100x48xf64>, %c: memref<64x48xf64>, %w: memref<64x48xi64>) {
  trop.matmul_winners <min_plus> ins(%a, %b : memref<64x100xf64>, memref<100x48xf64>) outs(%c, %w : memref<64x48xf64>, memref<64x48xi64>)
  return
}

// -----

// CHECK-LABEL: func.func @winners_f16
// CHECK: trop.matmul_winners
func.func @winners_f16(%a: memref<4x8xf16>, %b: memref<8x4xf16>, %c: memref<4x4xf16>, %w: memref<4x4xi64>) {
  trop.matmul_winners <max_plus> ins(%a, %b : memref<4x8xf16>, memref<8x4xf16>) outs(%c, %w : memref<4x4xf16>, memref<4x4xi64>)
  return
}

// -----

// CHECK-LABEL: func.func @winners_tensor
// CHECK: trop.matmul_winners
func.func @winners_tensor(%a: tensor<4x8xf32>, %b: tensor<8x4xf32>, %c: tensor<4x4xf32>, %w: tensor<4x4xi64>) -> (tensor<4x4xf32>, tensor<4x4xi64>) {
  %y, %v = trop.matmul_winners <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x4xf32>) outs(%c, %w : tensor<4x4xf32>, tensor<4x4xi64>) -> tensor<4x4xf32>, tensor<4x4xi64>
  return %y, %v : tensor<4x4xf32>, tensor<4x4xi64>
}

// -----

// batch_matmul_winners: one packed GEMM in winners mode per batch.
// CHECK-LABEL: func.func @batch_winners
// CHECK-NOT: trop.batch_matmul_winners
// CHECK: scf.for
// CHECK: memref.subview
// CHECK: scf.parallel
// CHECK: arith.cmpf ogt, %{{.*}} : vector<16xf32>
// CHECK: vector.maskedstore %{{.*}} : memref<?x?xi64, strided<[?, 1], offset: ?>>, vector<16xi1>, vector<16xi64>
func.func @batch_winners(%a: memref<?x?x?xf32>, %b: memref<?x?x?xf32>, %c: memref<?x?x?xf32>, %w: memref<?x?x?xi64>) {
  trop.batch_matmul_winners <max_plus> ins(%a, %b : memref<?x?x?xf32>, memref<?x?x?xf32>) outs(%c, %w : memref<?x?x?xf32>, memref<?x?x?xi64>)
  return
}

// -----

// dual_matmul_winners: a max-plus then a min-plus GEMM in winners mode.
// CHECK-LABEL: func.func @dual_winners
// CHECK-NOT: trop.dual_matmul_winners
// CHECK: arith.cmpf ogt, %{{.*}} : vector<8xf64>
// CHECK: arith.cmpf olt, %{{.*}} : vector<8xf64>
func.func @dual_winners(%a: memref<?x?xf64>, %b: memref<?x?xf64>, %c: memref<?x?xf64>, %d: memref<?x?xf64>, %w: memref<?x?xi64>, %v: memref<?x?xi64>) {
  trop.dual_matmul_winners ins(%a, %b : memref<?x?xf64>, memref<?x?xf64>) outs(%c, %d, %w, %v : memref<?x?xf64>, memref<?x?xf64>, memref<?x?xi64>, memref<?x?xi64>)
  return
}

// -----

// route_batch_matmul_to_winners: the routing by destination per batch.
// CHECK-LABEL: func.func @route_batch
// CHECK-NOT: trop.route_batch_matmul_to_winners
// CHECK: scf.for
// CHECK: memref.subview
// CHECK: scf.parallel
// CHECK: arith.cmpi sge
func.func @route_batch(%dy: memref<?x?x?xf32>, %w: memref<?x?x?xi64>, %da: memref<?x?x?xf32>, %db: memref<?x?x?xf32>) {
  trop.route_batch_matmul_to_winners ins(%dy, %w : memref<?x?x?xf32>, memref<?x?x?xi64>) outs(%da, %db : memref<?x?x?xf32>, memref<?x?x?xf32>)
  return
}

// -----

// conv_2d_winners: im2col into a patches buffer (𝟘 in the padding), then
// the packed GEMM in winners mode on the collapsed filter and output.
// CHECK-LABEL: func.func @conv_winners
// CHECK-NOT: trop.conv_2d_winners
// CHECK: %[[P:.*]] = memref.alloc
// CHECK: scf.parallel
// CHECK: scf.if
// CHECK: memref.store %{{.*}}, %[[P]]
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<3x3x8x40xf32> into memref<72x40xf32>
// CHECK: arith.cmpf ogt, %{{.*}} : vector<16xf32>
// CHECK: vector.maskedstore
// CHECK: memref.dealloc %[[P]]
func.func @conv_winners(%x: memref<2x12x11x8xf32>, %f: memref<3x3x8x40xf32>, %c: memref<2x12x11x40xf32>, %w: memref<2x12x11x40xi64>) {
  trop.conv_2d_winners <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %f : memref<2x12x11x8xf32>, memref<3x3x8x40xf32>) outs(%c, %w : memref<2x12x11x40xf32>, memref<2x12x11x40xi64>)
  return
}
