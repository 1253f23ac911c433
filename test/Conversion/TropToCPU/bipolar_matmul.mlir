// trop-to-cpu on trop.bipolar_matmul (BipolarEmitter.cpp). The sign-split
// kernel: the column maxima of both weight poles, with a NaN/+inf check;
// then, if it passed, rows in parallel tasks, each with its own buffers
// (lists, accumulators and panel of a tile of 32 rows: nothing grows with M),
// in tiles: per row and reduction block (KC = 256 for 16 floats of both poles
// in 32 KiB), the lists S+ and S- of the inputs above the shift (a =
// ln(max(|x|, s)) and the column), padded to even lengths with (-inf, 0) and
// checked (finite inputs, a >= c). A tile that passes sweeps its rows' lists
// over packed KC x (V+, V-) x 16 panels, two list entries per step into two
// sets of 2 poles x 2 vectors of 8 (16 registers), from c + the column
// maxima, and then takes the signed sum of exponentials of the panel; a tile
// that does not runs the reference lowering's loops. Weight poles that fail
// the check send the op to the interleaved kernel: P (2M x K) by W (K x 2N)
// as ONE packed max-plus GEMM, whose register tile (6 x 16) covers 3 inputs
// by 8 outputs with their four pole pairs each.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16" | FileCheck %s

// CHECK-LABEL: func.func @bipolar
// CHECK-SAME: (%[[X:.*]]: memref<?x?xf32>, %[[VP:.*]]: memref<?x?xf32>, %[[VN:.*]]: memref<?x?xf32>, %[[Y:.*]]: memref<?x?xf32>)
// CHECK-NOT: trop.bipolar_matmul
// CHECK: %[[C:.*]] = math.log %{{.*}} : f32
// CHECK: %[[CM:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<2x?xf32>
// The column maxima of V+ and V-.
// CHECK: scf.parallel
// CHECK:   vector.transfer_read %[[VP]]
// CHECK:   vector.store %{{.*}}, %[[CM]]
// CHECK:   vector.transfer_read %[[VN]]
// CHECK:   vector.store %{{.*}}, %[[CM]]
// CHECK: scf.if
// CHECK:   scf.parallel
// CHECK:     %[[LA:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<32x?x2x257xf32>
// CHECK:     %[[LK:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<32x?x2x257xi32>
// CHECK:     %[[N:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<32x?x2xindex>
// CHECK:     %[[S:.*]] = memref.alloc() {{.*}} : memref<4x32x16xf32>
// CHECK:     %[[VPK:.*]] = memref.alloc() {{.*}} : memref<256x2x16xf32>
// CHECK:     %[[L:.*]] = memref.alloc(%{{.*}}) {{.*}} : memref<2x?xf32>
// The lists of one row of the tile.
// CHECK:     memref.load %[[X]]
// CHECK:     math.absf
// CHECK:     math.log
// CHECK:     memref.store %{{.*}}, %[[LA]]
// CHECK:     memref.store %{{.*}}, %[[LK]]
// CHECK:     memref.store %{{.*}}, %[[LA]]
// CHECK:     memref.store %{{.*}}, %[[LK]]
// CHECK:     memref.store %{{.*}}, %[[N]]
// A refused tile: the reference lowering's loops.
// CHECK:     scf.if
// CHECK:       math.log
// CHECK:       memref.store %{{.*}}, %[[L]]
// CHECK:       scf.for {{.*}} -> (f32, f32, f32, f32)
// CHECK:       math.exp
// CHECK:       memref.store %{{.*}}, %[[Y]]
// CHECK:     } else {
// CHECK:       vector.transfer_read %[[VP]]
// CHECK:       vector.transfer_read %[[VN]]
// CHECK:       vector.load %[[CM]]
// CHECK:       addf
// CHECK:       vector.load %[[S]]
// Two entries per step, 2 sets of (2 poles x 2 vectors).
// CHECK:       scf.for {{.*}} step %{{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-4: vector.load %[[VPK]]
// CHECK-COUNT-4: vector.load %[[VPK]]
// CHECK:       vector.store %{{.*}}, %[[S]]
// The panel's signed sum of exponentials.
// CHECK:       memref.load %[[S]]
// CHECK:       math.exp
// CHECK:       arith.addf
// CHECK:       math.exp
// CHECK:       arith.subf
// CHECK:       math.exp
// CHECK:       arith.subf
// CHECK:       math.exp
// CHECK:       arith.addf
// CHECK:       memref.store %{{.*}}, %[[Y]]
// CHECK:     memref.dealloc %[[LA]]
// CHECK: } else {
// CHECK:   %[[P:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// CHECK:   %[[W:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// CHECK:   %[[M:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// CHECK:   scf.parallel
// CHECK:     math.log
// CHECK:     memref.store %{{.*}}, %[[P]]
// CHECK:     math.log
// CHECK:     memref.store %{{.*}}, %[[P]]
// The GEMM: 12 accumulator vectors (6 rows x 2 vectors) carried over K.
// CHECK:   scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK:   math.exp
// CHECK:   memref.dealloc %[[P]]
// CHECK:   memref.dealloc %[[W]]
// CHECK:   memref.dealloc %[[M]]
// CHECK: }
// CHECK: memref.dealloc %[[CM]]
func.func @bipolar(%x: memref<?x?xf32>, %vp: memref<?x?xf32>, %vn: memref<?x?xf32>, %y: memref<?x?xf32>) {
  trop.bipolar_matmul ins(%x, %vp, %vn : memref<?x?xf32>, memref<?x?xf32>, memref<?x?xf32>) outs(%y : memref<?x?xf32>)
  return
}

// On tensors the pattern waits for bufferization.
// CHECK-LABEL: func.func @bipolar_tensor
// CHECK: trop.bipolar_matmul
func.func @bipolar_tensor(%x: tensor<4x8xf64>, %v: tensor<8x3xf64>, %y: tensor<4x3xf64>) -> tensor<4x3xf64> {
  %r = trop.bipolar_matmul ins(%x, %v, %v : tensor<4x8xf64>, tensor<8x3xf64>, tensor<8x3xf64>) outs(%y : tensor<4x3xf64>) -> tensor<4x3xf64>
  return %r : tensor<4x3xf64>
}
