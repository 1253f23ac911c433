// RUN: trop-opt %s --trop-gpu-parallel-loops | FileCheck %s

// A 3-D parallel loop becomes one dimension (the product of the trip
// counts) tiled by 256: an outer loop over blocks and an inner one over
// the 256 threads, the tail guarded; a loop inside a gpu.launch is left
// alone.

// CHECK-LABEL: func.func @fill
// CHECK: %[[T1:.*]] = arith.muli %{{.*}}, %c30
// CHECK: %[[T2:.*]] = arith.muli %[[T1]], %c50
// CHECK: %[[TOTAL:.*]] = arith.muli %[[T2]], %c7
// CHECK: %[[C256:.*]] = arith.constant 256 : index
// CHECK: %[[STEP:.*]] = arith.muli %{{.*}}, %[[C256]]
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[TOTAL]]) step (%[[STEP]])
// CHECK-NEXT: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[STEP]])
// CHECK: %[[I:.*]] = arith.addi %[[T]], %[[B]]
// CHECK: arith.cmpi ult, %{{.*}}, %[[TOTAL]]
// CHECK: scf.if
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] : memref<30x50x7xf32>
func.func @fill(%m: memref<30x50x7xf32>, %v: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c30 = arith.constant 30 : index
  %c50 = arith.constant 50 : index
  %c7 = arith.constant 7 : index
  scf.parallel (%i, %j, %k) = (%c0, %c0, %c0) to (%c30, %c50, %c7) step (%c1, %c1, %c1) {
    memref.store %v, %m[%i, %j, %k] : memref<30x50x7xf32>
  }
  return
}
