// Reference lowering of trop.matmul: one linalg.generic whose body is the
// semiring's c ⊕ (a ⊗ b), for each semiring, element type and form.
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-to-linalg="nan-mode=assume-none" --split-input-file | FileCheck %s --check-prefix=NNAN

// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @max_plus_f32
// CHECK-SAME: (%[[LHS:.*]]: tensor<4x8xf32>, %[[RHS:.*]]: tensor<8x2xf32>, %[[INIT:.*]]: tensor<4x2xf32>)
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[LHS]], %[[RHS]] : tensor<4x8xf32>, tensor<8x2xf32>) outs(%[[INIT]] : tensor<4x2xf32>)
// CHECK: ^bb0(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK:   %[[S:.*]] = arith.addf %[[X]], %[[Y]] : f32
// CHECK:   %[[NAN:.*]] = arith.cmpf uno, %[[S]], %[[S]] : f32
// CHECK:   %[[ORD:.*]] = arith.cmpf ord, %[[X]], %[[Y]] : f32
// CHECK:   %[[MET:.*]] = arith.andi %[[NAN]], %[[ORD]] : i1
// CHECK:   %[[ZERO:.*]] = arith.constant 0xFF800000 : f32
// CHECK:   %[[P:.*]] = arith.select %[[MET]], %[[ZERO]], %[[S]] : f32
// CHECK:   %[[M:.*]] = arith.maximumf %[[ACC]], %[[P]] : f32
// CHECK:   linalg.yield %[[M]] : f32
// CHECK: return %[[R]]
// NNAN-LABEL: func.func @max_plus_f32
// NNAN: arith.addf
// NNAN: %[[P:.*]] = arith.select
// NNAN: %[[GT:.*]] = arith.cmpf ogt, %[[P]], %[[ACC:.*]] : f32
// NNAN: arith.select %[[GT]], %[[P]], %[[ACC]] : f32
// NNAN-NOT: arith.maximumf
func.func @max_plus_f32(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// CHECK-LABEL: func.func @min_plus_f64_memref
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<4x8xf64>, memref<8x2xf64>) outs(%{{.*}} : memref<4x2xf64>)
// CHECK: arith.addf
// CHECK: arith.minimumf
// CHECK-NOT: trop.
// NNAN-LABEL: func.func @min_plus_f64_memref
// NNAN: arith.cmpf olt, %{{.*}}, %{{.*}} : f64
// NNAN-NOT: arith.minimumf
func.func @min_plus_f64_memref(%a: memref<4x8xf64>, %b: memref<8x2xf64>, %c: memref<4x2xf64>) {
  trop.matmul <min_plus> ins(%a, %b : memref<4x8xf64>, memref<8x2xf64>) outs(%c : memref<4x2xf64>)
  return
}

// -----

// Integer max-plus: the exact sum in twice the width, clamped to i8, and 𝟘
// (-128) absorbing.
// CHECK-LABEL: func.func @max_plus_i8
// CHECK: ^bb0(%[[X:.*]]: i8, %[[Y:.*]]: i8, %[[ACC:.*]]: i8):
// CHECK-DAG: %[[WX:.*]] = arith.extsi %[[X]] : i8 to i16
// CHECK-DAG: %[[WY:.*]] = arith.extsi %[[Y]] : i8 to i16
// CHECK: %[[SUM:.*]] = arith.addi %[[WX]], %[[WY]] : i16
// CHECK-DAG: %[[LO:.*]] = arith.constant -128 : i16
// CHECK-DAG: %[[HI:.*]] = arith.constant 127 : i16
// CHECK: %[[CL1:.*]] = arith.maxsi %[[SUM]], %[[LO]] : i16
// CHECK: %[[CL2:.*]] = arith.minsi %[[CL1]], %[[HI]] : i16
// CHECK: %[[T:.*]] = arith.trunci %[[CL2]] : i16 to i8
// CHECK: %[[ZERO:.*]] = arith.constant -128 : i8
// CHECK: %[[XZ:.*]] = arith.cmpi eq, %[[X]], %[[ZERO]] : i8
// CHECK: %[[YZ:.*]] = arith.cmpi eq, %[[Y]], %[[ZERO]] : i8
// CHECK: %[[ANY:.*]] = arith.ori %[[XZ]], %[[YZ]] : i1
// CHECK: %[[P:.*]] = arith.select %[[ANY]], %[[ZERO]], %[[T]] : i8
// CHECK: %[[R:.*]] = arith.maxsi %[[ACC]], %[[P]] : i8
// CHECK: linalg.yield %[[R]] : i8
func.func @max_plus_i8(%a: tensor<4x8xi8>, %b: tensor<8x2xi8>, %c: tensor<4x2xi8>) -> tensor<4x2xi8> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xi8>, tensor<8x2xi8>) outs(%c : tensor<4x2xi8>) -> tensor<4x2xi8>
  return %r : tensor<4x2xi8>
}

// -----

// Min-plus on i32 widens to i64 and its 𝟘 is the maximum.
// CHECK-LABEL: func.func @min_plus_i32
// CHECK: arith.extsi %{{.*}} : i32 to i64
// CHECK: arith.addi %{{.*}}, %{{.*}} : i64
// CHECK: arith.constant 2147483647 : i32
// CHECK: arith.select
// CHECK: arith.minsi %{{.*}}, %{{.*}} : i32
func.func @min_plus_i32(%a: tensor<4x8xi32>, %b: tensor<8x2xi32>, %c: tensor<4x2xi32>) -> tensor<4x2xi32> {
  %r = trop.matmul <min_plus> ins(%a, %b : tensor<4x8xi32>, tensor<8x2xi32>) outs(%c : tensor<4x2xi32>) -> tensor<4x2xi32>
  return %r : tensor<4x2xi32>
}

// -----

// Lattice semirings need no addition: max-min is max of mins.
// CHECK-LABEL: func.func @max_min_i16
// CHECK: ^bb0(%[[X:.*]]: i16, %[[Y:.*]]: i16, %[[ACC:.*]]: i16):
// CHECK-NEXT: %[[P:.*]] = arith.minsi %[[X]], %[[Y]] : i16
// CHECK-NEXT: %[[R:.*]] = arith.maxsi %[[ACC]], %[[P]] : i16
// CHECK-NEXT: linalg.yield %[[R]]
func.func @max_min_i16(%a: tensor<4x8xi16>, %b: tensor<8x2xi16>, %c: tensor<4x2xi16>) -> tensor<4x2xi16> {
  %r = trop.matmul <max_min> ins(%a, %b : tensor<4x8xi16>, tensor<8x2xi16>) outs(%c : tensor<4x2xi16>) -> tensor<4x2xi16>
  return %r : tensor<4x2xi16>
}

// -----

// On i1, max-min is OR of ANDs (binary dilation); min-max is AND of ORs.
// CHECK-LABEL: func.func @binary
// CHECK: ^bb0(%[[X:.*]]: i1, %[[Y:.*]]: i1, %[[ACC:.*]]: i1):
// CHECK-NEXT: %[[P:.*]] = arith.andi %[[X]], %[[Y]] : i1
// CHECK-NEXT: %[[R:.*]] = arith.ori %[[ACC]], %[[P]] : i1
// CHECK: ^bb0(%[[X2:.*]]: i1, %[[Y2:.*]]: i1, %[[ACC2:.*]]: i1):
// CHECK-NEXT: %[[P2:.*]] = arith.ori %[[X2]], %[[Y2]] : i1
// CHECK-NEXT: %[[R2:.*]] = arith.andi %[[ACC2]], %[[P2]] : i1
func.func @binary(%a: tensor<4x8xi1>, %b: tensor<8x2xi1>, %c: tensor<4x2xi1>) -> (tensor<4x2xi1>, tensor<4x2xi1>) {
  %r = trop.matmul <max_min> ins(%a, %b : tensor<4x8xi1>, tensor<8x2xi1>) outs(%c : tensor<4x2xi1>) -> tensor<4x2xi1>
  %s = trop.matmul <min_max> ins(%a, %b : tensor<4x8xi1>, tensor<8x2xi1>) outs(%c : tensor<4x2xi1>) -> tensor<4x2xi1>
  return %r, %s : tensor<4x2xi1>, tensor<4x2xi1>
}

// -----

// Half-precision types keep their element type (one rounding per sum).
// CHECK-LABEL: func.func @half_types
// CHECK: arith.addf %{{.*}}, %{{.*}} : f16
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f16
// CHECK: arith.addf %{{.*}}, %{{.*}} : bf16
// CHECK: arith.minimumf %{{.*}}, %{{.*}} : bf16
func.func @half_types(%a: tensor<4x8xf16>, %b: tensor<8x2xf16>, %c: tensor<4x2xf16>,
                      %x: tensor<4x8xbf16>, %y: tensor<8x2xbf16>, %z: tensor<4x2xbf16>) -> (tensor<4x2xf16>, tensor<4x2xbf16>) {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf16>, tensor<8x2xf16>) outs(%c : tensor<4x2xf16>) -> tensor<4x2xf16>
  %s = trop.matmul <min_plus> ins(%x, %y : tensor<4x8xbf16>, tensor<8x2xbf16>) outs(%z : tensor<4x2xbf16>) -> tensor<4x2xbf16>
  return %r, %s : tensor<4x2xf16>, tensor<4x2xbf16>
}

// -----

// Dynamic shapes lower to the same generic.
// CHECK-LABEL: func.func @dynamic
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<?x?xf32>, tensor<?x?xf32>) outs(%{{.*}} : tensor<?x?xf32>)
func.func @dynamic(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %c: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>) outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// -----

// A statically empty reduction is the destination itself.
// CHECK-LABEL: func.func @empty
// CHECK-SAME: %[[INIT:[^:]*]]: tensor<4x2xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[INIT]]
func.func @empty(%a: tensor<4x0xf32>, %b: tensor<0x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x0xf32>, tensor<0x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
