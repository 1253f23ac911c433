// Reference lowering of trop.bipolar_matmul: a generic for the two input
// poles (ln of the input and of its negation, each floored by input_shift),
// one reduction with four max-plus accumulators, and the signed sum of their
// exponentials into the destination, in the order of the op's definition.
// RUN: trop-opt %s --trop-to-linalg | FileCheck %s
// RUN: trop-opt %s --trop-to-linalg="dealloc-temporaries=1" | FileCheck %s --check-prefix=DEALLOC

// CHECK-LABEL: func.func @bipolar
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[VP:.*]]: tensor<8x3xf32>, %[[VN:.*]]: tensor<8x3xf32>, %[[B:.*]]: tensor<4x3xf32>)
// CHECK: %[[S:.*]] = arith.constant 2.500000e-01 : f32
// CHECK: %[[P:.*]]:2 = linalg.generic {{.*}} ins(%[[X]] : tensor<4x8xf32>)
// CHECK:   %[[NEG:.*]] = arith.negf %[[IN:.*]] : f32
// CHECK:   %[[MP:.*]] = arith.maximumf %[[IN]], %[[S]] : f32
// CHECK:   %[[LP:.*]] = math.log %[[MP]] : f32
// CHECK:   %[[MN:.*]] = arith.maximumf %[[NEG]], %[[S]] : f32
// CHECK:   %[[LN:.*]] = math.log %[[MN]] : f32
// CHECK:   linalg.yield %[[LP]], %[[LN]] : f32, f32
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK-COUNT-4: linalg.fill ins(%[[NINF]] : f32)
// CHECK: %[[A:.*]]:4 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[P]]#0, %[[P]]#1, %[[VP]], %[[VN]] :
// CHECK-COUNT-4: arith.maximumf
// CHECK: linalg.yield
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[A]]#0, %[[A]]#1, %[[A]]#2, %[[A]]#3 : {{.*}}) outs(%[[B]] : tensor<4x3xf32>)
// CHECK: ^bb0(%[[E0:.*]]: f32, %[[E1:.*]]: f32, %[[E2:.*]]: f32, %[[E3:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[X0:.*]] = math.exp %[[E0]] : f32
// CHECK:   %[[Y0:.*]] = arith.addf %[[ACC]], %[[X0]] : f32
// CHECK:   %[[X1:.*]] = math.exp %[[E1]] : f32
// CHECK:   %[[Y1:.*]] = arith.subf %[[Y0]], %[[X1]] : f32
// CHECK:   %[[X2:.*]] = math.exp %[[E2]] : f32
// CHECK:   %[[Y2:.*]] = arith.subf %[[Y1]], %[[X2]] : f32
// CHECK:   %[[X3:.*]] = math.exp %[[E3]] : f32
// CHECK:   %[[Y3:.*]] = arith.addf %[[Y2]], %[[X3]] : f32
// CHECK:   linalg.yield %[[Y3]] : f32
// CHECK: return %[[R]]
func.func @bipolar(%x: tensor<4x8xf32>, %vp: tensor<8x3xf32>, %vn: tensor<8x3xf32>, %b: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = trop.bipolar_matmul {input_shift = 0.25 : f64} ins(%x, %vp, %vn : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// On memrefs the poles and the four maxima are allocated (sizes from the
// operands where dynamic) and, with dealloc-temporaries, freed after use.
// DEALLOC-LABEL: func.func @bipolar_memref
// DEALLOC: %[[M:.*]] = memref.dim %arg0, %c0 : memref<?x8xf64>
// DEALLOC: memref.alloc(%[[M]]) : memref<?x8xf64>
// DEALLOC: memref.alloc(%{{.*}}) : memref<?x8xf64>
// DEALLOC-COUNT-4: memref.alloc(%{{.*}}) : memref<?x3xf64>
// DEALLOC: linalg.generic {{.*}} outs(%arg3 : memref<?x3xf64>)
// DEALLOC-COUNT-6: memref.dealloc
// DEALLOC-NEXT: return
func.func @bipolar_memref(%x: memref<?x8xf64>, %vp: memref<8x3xf64>, %vn: memref<8x3xf64>, %b: memref<?x3xf64>) {
  trop.bipolar_matmul ins(%x, %vp, %vn : memref<?x8xf64>, memref<8x3xf64>, memref<8x3xf64>) outs(%b : memref<?x3xf64>)
  return
}
