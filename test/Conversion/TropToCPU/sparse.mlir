// trop-to-cpu on constant weights that are mostly 𝟘 (0 for linalg.matmul):
// at or below sparse-max-density the op becomes a gather kernel over the
// weight's other entries, stored as block-ELL constant globals (per block of
// 16 columns: as many slots as its longest column has entries, padded with
// row 0 and 𝟘). Dense weights, non-constant globals, propagate mode and
// sparse-max-density=0 keep the packed GEMM.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32" --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32 sparse-max-density=0" --split-input-file | FileCheck %s --check-prefix=OFF

// Entries (0,0)=1, (2,0)=2, (1,17)=3: column block 0 has 2 slots (column 0
// has two entries), block 1 one slot; 3 of 54 entries are finite.
// CHECK-DAG: memref.global "private" constant @__trop_sparse_blockptr : memref<3xi32> = dense<[0, 2, 3]>
// CHECK-DAG: memref.global "private" constant @__trop_sparse_rowidx : memref<48xi32> = dense<[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]>
// CHECK-DAG: memref.global "private" constant @__trop_sparse_values : memref<48xf32> = dense<[1.000000e+00, 0xFF800000, {{.*}}, 2.000000e+00, {{.*}}, 3.000000e+00, {{.*}}]>
// CHECK-LABEL: func.func @sparse_max_plus
// CHECK: %[[PTR:.*]] = memref.get_global @__trop_sparse_blockptr
// CHECK: %[[AT:.*]] = memref.alloc(%{{.*}}) {alignment = 64 : i64} : memref<?x16xf32>
// CHECK: vector.shuffle
// CHECK: memref.load %[[PTR]]
// CHECK: memref.load %[[PTR]]
// CHECK: scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.load %[[AT]]
// CHECK: arith.addf {{.*}} : vector<16xf32>
// CHECK: arith.cmpf ogt, {{.*}} : vector<16xf32>
// CHECK-NEXT: arith.select {{.*}} : vector<16xi1>, vector<16xf32>
// CHECK-NOT: vector.transpose
// CHECK: memref.dealloc %[[AT]]
// CHECK-NOT: trop.matmul
// OFF-LABEL: func.func @sparse_max_plus
// OFF-NOT: __trop_sparse
// OFF: return
memref.global "private" constant @w : memref<3x18xf32> = dense<[[1.0, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 3.0], [2.0, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000]]>
func.func @sparse_max_plus(%a: memref<5x3xf32>, %c: memref<5x18xf32>) {
  %w = memref.get_global @w : memref<3x18xf32>
  trop.matmul <max_plus> ins(%a, %w : memref<5x3xf32>, memref<3x18xf32>) outs(%c : memref<5x18xf32>)
  return
}

// -----

// min_plus skips +∞; a splat of 𝟘 has no entries at all (one padding entry).
// CHECK-DAG: memref.global "private" constant @__trop_sparse_blockptr : memref<2xi32> = dense<0>
// CHECK-DAG: memref.global "private" constant @__trop_sparse_values : memref<1xf32> = dense<0x7F800000>
// CHECK-LABEL: func.func @all_zero_min_plus
// CHECK: arith.cmpf olt
memref.global "private" constant @w : memref<4x9xf32> = dense<0x7F800000>
func.func @all_zero_min_plus(%a: memref<5x4xf32>, %c: memref<5x9xf32>) {
  %w = memref.get_global @w : memref<4x9xf32>
  trop.matmul <min_plus> ins(%a, %w : memref<5x4xf32>, memref<4x9xf32>) outs(%c : memref<5x9xf32>)
  return
}

// -----

// linalg.matmul skips zeros and starts from C (the sum keeps its order).
// CHECK-DAG: memref.global "private" constant @__trop_sparse_rowidx : memref<8xi32> = dense<[0, 0, 0, 0, 0, 2, 0, 0]>
// CHECK-DAG: memref.global "private" constant @__trop_sparse_values : memref<8xf64> = dense<[1.500000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, -2.000000e+00, 0.000000e+00, 0.000000e+00]>
// CHECK-LABEL: func.func @linear_f64
// CHECK: vector.transfer_read %arg1
// CHECK: scf.for {{.*}} -> (vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>, vector<8xf64>)
// CHECK: arith.mulf {{.*}} : vector<8xf64>
// CHECK: arith.addf {{.*}} : vector<8xf64>
// CHECK-NOT: linalg.matmul
memref.global "private" constant @w : memref<3x8xf64> = dense<[[1.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, -2.0, 0.0, 0.0]]>
func.func @linear_f64(%a: memref<7x3xf64>, %c: memref<7x8xf64>) {
  %w = memref.get_global @w : memref<3x8xf64>
  linalg.matmul ins(%a, %w : memref<7x3xf64>, memref<3x8xf64>) outs(%c : memref<7x8xf64>)
  return
}

// -----

// Above the switch point (24 of 54 entries finite): the packed GEMM.
// CHECK-LABEL: func.func @dense_enough
// CHECK-NOT: __trop_sparse
// CHECK: return
memref.global "private" constant @w : memref<3x18xf32> = dense<[[0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000]]>
func.func @dense_enough(%a: memref<5x3xf32>, %c: memref<5x18xf32>) {
  %w = memref.get_global @w : memref<3x18xf32>
  trop.matmul <max_plus> ins(%a, %w : memref<5x3xf32>, memref<3x18xf32>) outs(%c : memref<5x18xf32>)
  return
}

// -----

// A global that is not constant may change: the packed GEMM.
// CHECK-LABEL: func.func @mutable_global
// CHECK-NOT: __trop_sparse
// CHECK: return
memref.global "private" @w : memref<4x9xf32> = dense<0xFF800000>
func.func @mutable_global(%a: memref<5x4xf32>, %c: memref<5x9xf32>) {
  %w = memref.get_global @w : memref<4x9xf32>
  trop.matmul <max_plus> ins(%a, %w : memref<5x4xf32>, memref<4x9xf32>) outs(%c : memref<5x9xf32>)
  return
}
