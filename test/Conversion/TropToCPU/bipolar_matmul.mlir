// trop-to-cpu on trop.bipolar_matmul: the input poles are written
// interleaved (rows 2i, 2i + 1 of P: ln(max(±x, s))), the weight poles
// interleaved by column (W[:, 2j], W[:, 2j + 1]: V⁺, V⁻), and the four
// max-plus contractions are ONE packed GEMM of P by W from −∞, whose
// register tile (6 × 16 with 16 registers of 8 floats) covers 3 inputs by 8
// outputs with their four pole pairs each; then y gets the signed sum of the
// exponentials and the buffers are freed.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16" | FileCheck %s

// CHECK-LABEL: func.func @bipolar
// CHECK-SAME: (%[[X:.*]]: memref<?x?xf32>, %[[VP:.*]]: memref<?x?xf32>, %[[VN:.*]]: memref<?x?xf32>, %[[Y:.*]]: memref<?x?xf32>)
// CHECK-NOT: trop.bipolar_matmul
// CHECK: %[[P:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// CHECK: %[[W:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// CHECK: %[[C:.*]] = memref.alloc(%{{.*}}, %{{.*}}) : memref<?x?xf32>
// CHECK: %[[S:.*]] = arith.constant 1.000000e-01 : f32
// CHECK: scf.parallel
// CHECK:   memref.load %[[X]]
// CHECK:   math.log
// CHECK:   memref.store %{{.*}}, %[[P]]
// CHECK:   math.log
// CHECK:   memref.store %{{.*}}, %[[P]]
// CHECK: scf.parallel
// CHECK:   memref.load %[[VP]]
// CHECK:   memref.load %[[VN]]
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: scf.parallel
// CHECK:   memref.store %[[NINF]], %[[C]]
// The GEMM: 12 accumulator vectors (6 rows × 2 vectors) carried over K.
// CHECK: scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK: scf.parallel
// CHECK:   math.exp
// CHECK:   arith.addf
// CHECK:   math.exp
// CHECK:   arith.subf
// CHECK:   math.exp
// CHECK:   arith.subf
// CHECK:   math.exp
// CHECK:   arith.addf
// CHECK:   memref.store %{{.*}}, %[[Y]]
// CHECK: memref.dealloc %[[P]]
// CHECK: memref.dealloc %[[W]]
// CHECK: memref.dealloc %[[C]]
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
