// RUN: trop-opt %s --split-input-file --trop-gpu-host-buffers --verify-diagnostics | FileCheck %s

// Arguments are staged in device buffers (dynamic sizes from the host
// memref), temporaries are device buffers, contiguous copies are device
// copies, a copy into a strided view is a copy kernel, and each argument
// the function may write goes back to the host before the return (%a,
// whose size only is read, does not).

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
// CHECK-NOT: gpu.memcpy  %[[A]], %[[DA]]
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

// Only what a kernel may write is copied back: A and the view of B are
// only loaded from, C is stored to (through a view).
// CHECK-LABEL: func.func @kernel(
// CHECK-SAME: %[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<2x2xf32>, %[[C:.*]]: memref<2x2xf32>)
// CHECK: gpu.launch
// CHECK-NOT: gpu.memcpy  %[[A]]
// CHECK-NOT: gpu.memcpy  %[[B]]
// CHECK: gpu.memcpy  %[[C]], %{{.*}}
// CHECK-NOT: gpu.memcpy  %[[A]]
// CHECK-NOT: gpu.memcpy  %[[B]]
// CHECK: return
func.func @kernel(%a: memref<4xf32>, %b: memref<2x2xf32>, %c: memref<2x2xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %vb = memref.collapse_shape %b [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  %vc = memref.collapse_shape %c [[0, 1]] : memref<2x2xf32> into memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    %p = memref.load %a[%tx] : memref<4xf32>
    %q = memref.load %vb[%tx] : memref<4xf32>
    %r = arith.addf %p, %q : f32
    memref.store %r, %vc[%tx] : memref<4xf32>
    gpu.terminator
  }
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
