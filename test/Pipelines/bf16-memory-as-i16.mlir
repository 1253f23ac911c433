// After the lowering to LLVM, bf16 memory is loaded and stored as i16 and no
// bf16 value is left for LLVM's x86 back end to carry through vcvtneps2bf16,
// which flushes subnormals (test/trop-run/bf16-subnormal-opt-level.mlir).
// Address arithmetic may still name the element type.
// RUN: trop-opt %s --trop-reference-pipeline | FileCheck %s
// CHECK-LABEL: llvm.func @f
// CHECK-NOT: -> bf16
// CHECK-NOT: to bf16
// CHECK-NOT: : bf16
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> i16
// CHECK-NOT: -> bf16
// CHECK-NOT: to bf16
// CHECK-NOT: : bf16
// CHECK: llvm.store %{{.*}}, %{{.*}} : i16, !llvm.ptr
// CHECK-NOT: -> bf16
// CHECK-NOT: to bf16
// CHECK-NOT: : bf16
// CHECK: llvm.return
func.func @f(%a: tensor<1x17xbf16>, %b: tensor<17x1xbf16>, %c: tensor<1x1xbf16>) -> tensor<1x1xbf16> {
  %r = trop.matmul <min_max> ins(%a, %b : tensor<1x17xbf16>, tensor<17x1xbf16>) outs(%c : tensor<1x1xbf16>) -> tensor<1x1xbf16>
  return %r : tensor<1x1xbf16>
}
