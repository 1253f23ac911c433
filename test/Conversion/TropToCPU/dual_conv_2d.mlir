// trop-to-cpu on trop.dual_conv_2d: the direct dual kernel. Output rows in
// parallel; register tiles of 3 pixels x 2 vectors with 16 registers (6 x 2
// with 32), max and min accumulators each, over the window; the interior
// reads one input value per pixel and, with a shared filter, computes one
// sum for both accumulators; the border guards each read and gives the max
// −∞ and the min +∞ where the pixel is in the padding.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16" | FileCheck %s --check-prefix=AVX2
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32" | FileCheck %s --check-prefix=AVX512

// AVX2-LABEL: func.func @shared
// AVX2: scf.parallel
// AVX2: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c3
// AVX2: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c16
// AVX2-COUNT-12: vector.load %{{.*}} : memref<1x8x9x20xf32>, vector<8xf32>
// AVX2: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// AVX2: scf.if %{{.*}} -> (vector<8xf32>
// The interior: one sum per pixel and filter vector, max and min of it.
// AVX2: memref.load %{{.*}} : memref<1x8x9x3xf32>
// AVX2: vector.load %{{.*}} : memref<3x3x3x20xf32>, vector<8xf32>
// AVX2: vector.load %{{.*}} : memref<3x3x3x20xf32>, vector<8xf32>
// AVX2-NEXT: %[[B:.*]] = vector.broadcast %{{.*}} : f32 to vector<8xf32>
// AVX2-NEXT: %[[S:.*]] = arith.addf %[[B]], %{{.*}} : vector<8xf32>
// AVX2-NEXT: arith.cmpf ogt, %[[S]], %{{.*}} : vector<8xf32>
// AVX2-NEXT: arith.select
// AVX2-NEXT: arith.cmpf olt, %[[S]], %{{.*}} : vector<8xf32>
// The border: guarded reads, −∞ for the max, +∞ for the min.
// AVX2: } else {
// AVX2: scf.if %{{.*}} -> (f32) {
// AVX2: memref.load
// AVX2: } else {
// AVX2: scf.yield %cst{{.*}} : f32
// AVX2: arith.select %{{.*}}, %{{.*}}, %cst{{.*}} : f32
// AVX2: vector.store %{{.*}} : memref<1x8x9x20xf32>, vector<8xf32>
// AVX512-LABEL: func.func @shared
// AVX512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c6
// AVX512: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c32
// AVX512-COUNT-24: vector.load %{{.*}} : memref<1x8x9x20xf32>, vector<16xf32>
func.func @shared(%x: memref<1x8x9x3xf32>, %w: memref<3x3x3x20xf32>, %b: memref<1x8x9x20xf32>, %b2: memref<1x8x9x20xf32>) {
  trop.dual_conv_2d {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w, %w : memref<1x8x9x3xf32>, memref<3x3x3x20xf32>, memref<3x3x3x20xf32>) outs(%b, %b2 : memref<1x8x9x20xf32>, memref<1x8x9x20xf32>)
  return
}

// Two filters (DEP): two sums per pixel and vector, one per filter.
// AVX2-LABEL: func.func @two_filters
// AVX2: vector.load %[[W:[^ ]*]][{{.*}}] : memref<1x1x5x8xf64>, vector<4xf64>
// AVX2: vector.load %[[W2:[^ ]*]][{{.*}}] : memref<1x1x5x8xf64>, vector<4xf64>
// AVX2: arith.addf
// AVX2: arith.addf
// AVX2-NOT: trop.dual_conv_2d
func.func @two_filters(%x: memref<7x1x1x5xf64>, %w: memref<1x1x5x8xf64>, %w2: memref<1x1x5x8xf64>, %b: memref<7x1x1x8xf64>, %b2: memref<7x1x1x8xf64>) {
  trop.dual_conv_2d ins(%x, %w, %w2 : memref<7x1x1x5xf64>, memref<1x1x5x8xf64>, memref<1x1x5x8xf64>) outs(%b, %b2 : memref<7x1x1x8xf64>, memref<7x1x1x8xf64>)
  return
}
