// RUN: trop-opt %s --split-input-file --trop-gpu-host-buffers --verify-diagnostics | FileCheck %s

// Arguments are staged in device buffers (dynamic sizes from the host
// memref), temporaries are device buffers, contiguous copies are device
// copies, a copy into a strided view is a copy kernel, and each argument
// goes back to the host before the return.

// CHECK-LABEL: func.func @f(
// CHECK-SAME: %[[A:.*]]: memref<?x8xf32>, %[[B:.*]]: memref<4x4xf32>)
// CHECK: %[[D:.*]] = memref.dim %[[A]], %c0
// CHECK: %[[DA:.*]] = gpu.alloc  (%[[D]]) : memref<?x8xf32>
// CHECK: gpu.memcpy  %[[DA]], %[[A]]
// CHECK: %[[DB:.*]] = gpu.alloc  () : memref<4x4xf32>
// CHECK: gpu.memcpy  %[[DB]], %[[B]]
// CHECK: %[[T:.*]] = gpu.alloc  () : memref<6x6xf32>
// CHECK: %[[V:.*]] = memref.subview %[[T]]
// CHECK: gpu.launch
// CHECK:   memref.load %[[DB]]
// CHECK:   memref.store {{.*}}, %[[V]]
// CHECK: gpu.memcpy  %[[DB]], %[[DB]]
// CHECK: gpu.dealloc  %[[T]]
// CHECK: gpu.memcpy  %[[A]], %[[DA]]
// CHECK: gpu.dealloc  %[[DA]]
// CHECK: gpu.memcpy  %[[B]], %[[DB]]
// CHECK: gpu.dealloc  %[[DB]]
// CHECK-NEXT: return
func.func @f(%a: memref<?x8xf32>, %b: memref<4x4xf32>) {
  %t = memref.alloc() : memref<6x6xf32>
  %v = memref.subview %t[1, 1] [4, 4] [1, 1] : memref<6x6xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  memref.copy %b, %v : memref<4x4xf32> to memref<4x4xf32, strided<[6, 1], offset: 7>>
  memref.copy %b, %b : memref<4x4xf32> to memref<4x4xf32>
  memref.dealloc %t : memref<6x6xf32>
  return
}

// -----

// Private functions get device memory from their callers.
// CHECK-LABEL: func.func private @g(
// CHECK-NOT: gpu.memcpy
// CHECK: return
func.func private @g(%a: memref<4xf32>) {
  return
}

// -----

// Host code may not read device memory.
func.func @h(%a: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  // expected-error @+1 {{host code accesses a memref that the GPU pipeline keeps in device memory}}
  %x = memref.load %a[%c0] : memref<4xf32>
  return %x : f32
}
