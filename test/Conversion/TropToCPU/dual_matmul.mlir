// trop-to-cpu on trop.dual_matmul: the packed GEMM in dual-accumulator mode.
// The register tile has half the rows of the single one (6 x (2 x 16) with
// 32 registers, 3 x (2 x 8) with 16), each step computes one sum per tile
// element and updates a max and a min accumulator with it.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32" | FileCheck %s --check-prefix=AVX512
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16 num-tasks=2" | FileCheck %s --check-prefix=AVX2

// AVX512-LABEL: func.func @dual_f32
// AVX512-DAG: memref.alloc() {alignment = 64 : i64} : memref<16x512x32xf32>
// AVX512-DAG: memref.alloc() {alignment = 64 : i64} : memref<24x6x512xf32>
// AVX512-DAG: memref.alloca() {alignment = 64 : i64} : memref<6x32xf32>
// AVX512: %{{.*}}:24 = scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>,
// AVX512-COUNT-2: vector.load %{{.*}} : memref<16x512x32xf32>, vector<16xf32>
// AVX512: memref.load %{{.*}} : memref<24x6x512xf32>
// AVX512-NEXT: %[[A:.*]] = vector.broadcast %{{.*}} : f32 to vector<16xf32>
// AVX512-NEXT: %[[S:.*]] = arith.addf %[[A]], %{{.*}} : vector<16xf32>
// AVX512-NEXT: %[[GT:.*]] = arith.cmpf ogt, %[[S]], %[[MAX:.*]] : vector<16xf32>
// AVX512-NEXT: arith.select %[[GT]], %[[S]], %[[MAX]] : vector<16xi1>, vector<16xf32>
// AVX512-NEXT: %[[LT:.*]] = arith.cmpf olt, %[[S]], %[[MIN:.*]] : vector<16xf32>
// AVX512-NEXT: arith.select %[[LT]], %[[S]], %[[MIN]] : vector<16xi1>, vector<16xf32>
// AVX512-NEXT: %[[S2:.*]] = arith.addf %[[A]], %{{.*}} : vector<16xf32>
// AVX512-NEXT: arith.cmpf ogt, %[[S2]], %{{.*}} : vector<16xf32>
// AVX512-NOT: trop.dual_matmul

// AVX2-LABEL: func.func @dual_f32
// AVX2: scf.parallel
// AVX2: %{{.*}}:12 = scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>,
func.func @dual_f32(%a: memref<64x128xf32>, %b: memref<128x96xf32>, %c: memref<64x96xf32>, %d: memref<64x96xf32>) {
  trop.dual_matmul ins(%a, %b : memref<64x128xf32>, memref<128x96xf32>) outs(%c, %d : memref<64x96xf32>, memref<64x96xf32>)
  return
}
