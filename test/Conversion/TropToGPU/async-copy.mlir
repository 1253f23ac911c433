// RUN: trop-opt %s --trop-to-gpu="async-copy=1" | FileCheck %s
// RUN: trop-opt %s --trop-to-gpu | FileCheck %s --check-prefix=STAGED

// With async-copy, 32-bit slices go to shared memory by cp.async: 8 copies
// of one element per thread and slice (first slice, then the next one in the
// loop), one group, waited for before the 𝟘 padding and the barrier. f16
// keeps the register staging.

// CHECK-LABEL: func.func @f32(
// CHECK: gpu.launch
// CHECK-COUNT-8: nvgpu.device_async_copy {{.*}} : memref<?x?xf32> to memref<2x8x{{132|128}}xf32, #gpu.address_space<workgroup>>
// CHECK: nvgpu.device_async_create_group
// CHECK: nvgpu.device_async_wait
// CHECK: gpu.barrier
// CHECK: scf.for
// CHECK-COUNT-8: nvgpu.device_async_copy
// CHECK: nvgpu.device_async_create_group
// CHECK: arith.maxnumf
// CHECK: nvgpu.device_async_wait
// CHECK: gpu.barrier
// CHECK-LABEL: func.func @f16(
// CHECK-NOT: nvgpu.device_async_copy
// CHECK: return

// STAGED-NOT: nvgpu.device_async_copy
func.func @f32(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

func.func @f16(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf16>) {
  trop.matmul <max_plus> ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf16>)
  return
}
