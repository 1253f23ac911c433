// Reference lowering of trop.lse_matmul: the running maximum m starts at the
// destination and the sum s at 1 (0 where the destination is −∞); the
// reduction rescales the smaller of m and the term t to the larger with one
// exponential (keeping s where both are −∞); then m + ln(s)/β.
// RUN: trop-opt %s --trop-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @lse
// CHECK-SAME: (%[[A:.*]]: tensor<4x8xf32>, %[[B:.*]]: tensor<8x3xf32>, %[[C:.*]]: tensor<4x3xf32>)
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[S0:.*]]:2 = linalg.generic {{.*}} ins(%[[C]] : tensor<4x3xf32>)
// CHECK:   arith.cmpf oeq, %{{.*}}, %[[NINF]] : f32
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[S0]]#0, %[[S0]]#1 :
// CHECK: ^bb0(%{{.*}}: f32, %{{.*}}: f32, %[[M:.*]]: f32, %[[S:.*]]: f32):
// CHECK:   %[[HI:.*]] = arith.maximumf %[[M]], %[[T:.*]] : f32
// CHECK:   %[[LO:.*]] = arith.minimumf %[[M]], %[[T]] : f32
// CHECK:   %[[BETA:.*]] = arith.constant 2.500000e-01 : f32
// CHECK:   %[[D:.*]] = arith.subf %[[LO]], %[[HI]] : f32
// CHECK:   %[[BD:.*]] = arith.mulf %[[BETA]], %[[D]] : f32
// CHECK:   %[[E:.*]] = math.exp %[[BD]] : f32
// CHECK:   %[[GT:.*]] = arith.cmpf ogt, %[[T]], %[[M]] : f32
// CHECK:   %[[SE:.*]] = arith.mulf %[[S]], %[[E]] : f32
// CHECK:   %[[RESC:.*]] = arith.addf %[[SE]], %{{.*}} : f32
// CHECK:   %[[ADD:.*]] = arith.addf %[[S]], %[[E]] : f32
// CHECK:   %[[NEXT:.*]] = arith.select %[[GT]], %[[RESC]], %[[ADD]] : f32
// CHECK:   %[[NONE:.*]] = arith.cmpf oeq, %[[HI]], %[[NINF]] : f32
// CHECK:   %[[KEEP:.*]] = arith.select %[[NONE]], %[[S]], %[[NEXT]] : f32
// CHECK:   linalg.yield %[[HI]], %[[KEEP]] : f32, f32
// CHECK: linalg.generic {{.*}} ins(%[[R]]#0, %[[R]]#1 : tensor<4x3xf32>, tensor<4x3xf32>) outs(%[[C]] : tensor<4x3xf32>)
// CHECK:   math.log
// CHECK:   arith.divf
// CHECK:   arith.addf
func.func @lse(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = trop.lse_matmul {beta = 0.25 : f64} ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}
