// The CPU pipeline takes trop ops (tensor and memref form) to the LLVM
// dialect: vector kernels, OpenMP parallel regions when threads > 1, and the
// reference lowering for what has no fast kernel (here i8).
// RUN: trop-opt %s --trop-cpu-pipeline="threads=1 vector-bits=512 vector-registers=32" | FileCheck %s --check-prefixes=CHECK,SEQ
// RUN: trop-opt %s --trop-cpu-pipeline="threads=2 vector-bits=512 vector-registers=32" | FileCheck %s --check-prefixes=CHECK,PAR
// RUN: trop-opt %s --trop-cpu-pipeline="threads=1 results-to-out-params" | FileCheck %s --check-prefix=OUT

// CHECK-NOT: trop.
// CHECK-NOT: linalg.
// CHECK-NOT: scf.
// CHECK-NOT: vector.
// CHECK-LABEL: llvm.func @max_plus
// SEQ-NOT: omp.parallel
// PAR: omp.parallel
// PAR: omp.wsloop
// CHECK: %[[GT:.*]] = llvm.fcmp "ogt" %[[P:.*]], %[[ACC:.*]] : vector<16xf32>
// CHECK-NEXT: llvm.select %[[GT]], %[[P]], %[[ACC]] : vector<16xi1>, vector<16xf32>
// CHECK-LABEL: llvm.func @int8_reference
// CHECK: llvm.intr.smax
func.func @max_plus(%a: tensor<64x128xf32>, %b: tensor<128x96xf32>, %c: tensor<64x96xf32>) -> tensor<64x96xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<64x128xf32>, tensor<128x96xf32>) outs(%c : tensor<64x96xf32>) -> tensor<64x96xf32>
  return %r : tensor<64x96xf32>
}

func.func @int8_reference(%a: memref<4x8xi8>, %b: memref<8x2xi8>, %c: memref<4x2xi8>) {
  trop.matmul <max_plus> ins(%a, %b : memref<4x8xi8>, memref<8x2xi8>) outs(%c : memref<4x2xi8>)
  return
}

// OUT-LABEL: llvm.func @max_plus
// OUT-NOT: llvm.return %{{.*}} : !llvm.struct
