// trop-to-cpu on route_to_winners: the rows of dA and the columns of dB are
// split between the tasks (no atomics), each destination gathering its
// gradients in order; nothing loops over K. On tensors the op waits for
// bufferization.
// RUN: trop-opt %s --trop-to-cpu="num-tasks=2" --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-to-cpu="num-tasks=1" --split-input-file | FileCheck %s --check-prefix=ONE

// CHECK-LABEL: func.func @route
// CHECK-NOT: trop.route_to_winners
// CHECK: scf.parallel
// CHECK: scf.for
// CHECK: scf.for
// CHECK: %[[W:.*]] = memref.load %{{.*}} : memref<64x32xi64>
// CHECK: arith.cmpi sge, %[[W]]
// CHECK: arith.cmpi slt, %[[W]]
// CHECK: scf.if
// CHECK: arith.addf
// CHECK: memref.store %{{.*}} : memref<64x512xf32>
// CHECK: scf.parallel
// CHECK: memref.store %{{.*}} : memref<512x32xf32>
// ONE-LABEL: func.func @route
// ONE-NOT: scf.parallel
// ONE: memref.store %{{.*}} : memref<64x512xf32>
// ONE: memref.store %{{.*}} : memref<512x32xf32>
func.func @route(%dy: memref<64x32xf32>, %w: memref<64x32xi64>, %da: memref<64x512xf32>, %db: memref<512x32xf32>) {
  trop.route_to_winners ins(%dy, %w : memref<64x32xf32>, memref<64x32xi64>) outs(%da, %db : memref<64x512xf32>, memref<512x32xf32>)
  return
}

// -----

// CHECK-LABEL: func.func @on_tensors
// CHECK: trop.route_to_winners
func.func @on_tensors(%dy: tensor<4x2xf32>, %w: tensor<4x2xi64>, %da: tensor<4x8xf32>, %db: tensor<8x2xf32>) -> (tensor<4x8xf32>, tensor<8x2xf32>) {
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<4x2xf32>, tensor<4x2xi64>) outs(%da, %db : tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x8xf32>, tensor<8x2xf32>
  return %x, %y : tensor<4x8xf32>, tensor<8x2xf32>
}
