// trop-to-cpu on trop.lse_matmul (LogSumExp.cpp): row maxima of A and
// A' = e^{beta (A - ra)} (a vectorized polynomial exp: floor, Cody-Waite
// reduction and a degree-7 Horner chain of FMAs), column maxima of B and
// B' = e^{beta (B - rb)}, S = A' B' on the packed FMA GEMM (6 x 16 register
// tile with 16 registers of 8 floats), then per output r + ln(S)/beta, or
// the log-sum-exp of S and the destination, or (S below 2^-64, r = -inf, a
// destination of +inf or NaN, or a NaN/+inf operand) the op's definition,
// term by term.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16" | FileCheck %s

// CHECK-LABEL: func.func @lse
// CHECK-SAME: (%[[A:.*]]: memref<?x?xf32>, %[[B:.*]]: memref<?x?xf32>, %[[C:.*]]: memref<?x?xf32>)
// CHECK-NOT: trop.lse_matmul
// CHECK: %[[RA:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?xf32>
// CHECK: %[[RB:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<?xf32>
// CHECK: %[[AP:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {{.*}} : memref<?x?xf32>
// CHECK: %[[BP:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {{.*}} : memref<?x?xf32>
// CHECK: %[[S:.*]] = memref.alloc(%{{.*}}, %{{.*}}) {{.*}} : memref<?x?xf32>
// CHECK: scf.parallel
// CHECK:   vector.transfer_read %[[A]]
// CHECK:   vector.reduction <maxnumf>
// CHECK:   memref.store %{{.*}}, %[[RA]]
// CHECK:   math.floor %{{.*}} : vector<8xf32>
// CHECK-COUNT-9: math.fma
// CHECK:   arith.bitcast %{{.*}} : vector<8xi32> to vector<8xf32>
// CHECK:   vector.transfer_write %{{.*}}, %[[AP]]
// CHECK:   vector.transfer_write %{{.*}}, %[[S]]
// CHECK: scf.parallel
// CHECK:   vector.transfer_read %[[B]]
// CHECK:   vector.store %{{.*}}, %[[RB]]
// CHECK: scf.parallel
// CHECK:   vector.load %[[RB]]
// CHECK:   math.floor %{{.*}} : vector<8xf32>
// CHECK:   vector.transfer_write %{{.*}}, %[[BP]]
// The GEMM of exponentials: 12 accumulators, one FMA per update.
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK:   vector.fma
// CHECK: scf.parallel
// CHECK:   memref.load %[[RA]]
// CHECK:   memref.load %[[RB]]
// CHECK:   memref.load %[[S]]
// CHECK:   memref.load %[[C]]
// CHECK:   scf.if %{{.*}} -> (f32) {
// CHECK:     scf.if %{{.*}} -> (f32) {
// CHECK:       math.log
// CHECK:     } else {
// CHECK:       math.exp
// CHECK:       math.exp
// CHECK:       math.log
// CHECK:   } else {
// CHECK:     scf.for {{.*}} -> (f32, f32) {
// CHECK:       memref.load %[[A]]
// CHECK:       memref.load %[[B]]
// CHECK:       arith.maximumf
// CHECK:       arith.minimumf
// CHECK:       math.exp
// CHECK:     math.log
// CHECK:   memref.store %{{.*}}, %[[C]]
// CHECK: memref.dealloc %[[RA]]
// CHECK: memref.dealloc %[[S]]
func.func @lse(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  trop.lse_matmul {beta = 2.0 : f64} ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// A static empty reduction is left to the reference lowering, and tensors
// wait for bufferization.
// CHECK-LABEL: func.func @lse_empty
// CHECK: trop.lse_matmul
// CHECK-LABEL: func.func @lse_tensor
// CHECK: trop.lse_matmul
func.func @lse_empty(%a: memref<4x0xf64>, %b: memref<0x3xf64>, %c: memref<4x3xf64>) {
  trop.lse_matmul ins(%a, %b : memref<4x0xf64>, memref<0x3xf64>) outs(%c : memref<4x3xf64>)
  return
}
func.func @lse_tensor(%a: tensor<4x8xf64>, %b: tensor<8x3xf64>, %c: tensor<4x3xf64>) -> tensor<4x3xf64> {
  %r = trop.lse_matmul ins(%a, %b : tensor<4x8xf64>, tensor<8x3xf64>) outs(%c : tensor<4x3xf64>) -> tensor<4x3xf64>
  return %r : tensor<4x3xf64>
}
