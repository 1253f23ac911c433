// The reference pipeline takes trop ops on tensors and memrefs all the way to
// the LLVM dialect, freeing every buffer it allocates.
// RUN: trop-opt %s --trop-reference-pipeline | FileCheck %s
// RUN: trop-opt %s --trop-reference-pipeline="results-to-out-params" | FileCheck %s --check-prefix=OUT
// RUN: trop-opt %s --trop-reference-pipeline="nan-mode=assume-none" | FileCheck %s --check-prefix=NNAN

// CHECK-NOT: trop.
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @tensor_form
// CHECK: llvm.intr.maximum
// CHECK: llvm.return %{{.*}} : !llvm.struct<(ptr, ptr, i64, array<2 x i64>, array<2 x i64>)>
// CHECK-LABEL: llvm.func @memref_form
// CHECK: llvm.call @malloc
// CHECK: llvm.intr.minimum
// CHECK: llvm.call @free

// With out-params the result becomes a trailing memref argument.
// OUT-LABEL: llvm.func @tensor_form
// OUT-NOT: llvm.return %{{.*}} : !llvm.struct
// OUT: llvm.return{{$}}

// NNAN-LABEL: llvm.func @tensor_form
// NNAN-NOT: llvm.intr.maximum
// NNAN: llvm.fcmp "uno"
// NNAN: %[[P:.*]] = llvm.select
// NNAN: %[[GT:.*]] = llvm.fcmp "ogt" %[[P]], %[[ACC:.*]] : f32
// NNAN: llvm.select %[[GT]], %[[P]], %[[ACC]] : i1, f32
func.func @tensor_form(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

func.func @memref_form(%x: memref<1x4x4x2xf32>, %w: memref<3x3x2x1xf32>, %y: memref<1x4x4x1xf32>) {
  trop.conv_2d <min_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : memref<1x4x4x2xf32>, memref<3x3x2x1xf32>) outs(%y : memref<1x4x4x1xf32>)
  return
}
