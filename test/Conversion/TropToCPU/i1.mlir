// trop-to-cpu on i1 (binary morphology): memrefs of i1 hold a byte per
// element while vectors of i1 are bit-packed, so the operands are copied
// into i8 buffers (0 and 1), the usual kernels run on them with signed
// max/min (exactly OR/AND on 0 and 1; the i8 𝟘 pads), and the destination is
// copied back.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32" --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @matmul
// CHECK: %[[A:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8x9xi8>
// CHECK: arith.extui %{{.*}} : i1 to i8
// CHECK: %[[B:.*]] = memref.alloc() {alignment = 64 : i64} : memref<9x10xi8>
// CHECK: %[[C:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8x10xi8>
// CHECK: vector.transfer_read %[[B]]{{.*}} : memref<9x10xi8>, vector<64xi8>
// CHECK: %{{.*}}:24 = scf.for
// Packed A holds each byte replicated into an i32 (a 32-bit broadcast).
// CHECK: vector.broadcast %{{.*}} : i32 to vector<16xi32>
// CHECK-NEXT: vector.bitcast %{{.*}} : vector<16xi32> to vector<64xi8>
// CHECK-NEXT: arith.minsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK-NEXT: arith.maxsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK: memref.dealloc %[[A]]
// CHECK: memref.dealloc %[[B]]
// CHECK: arith.trunci %{{.*}} : i8 to i1
// CHECK: memref.store %{{.*}}, %arg2
// CHECK: memref.dealloc %[[C]]
// CHECK-NOT: trop.matmul
// CHECK-NOT: vector<{{[0-9]+}}xi1>
func.func @matmul(%a: memref<8x9xi1>, %b: memref<9x10xi1>, %c: memref<8x10xi1>) {
  trop.matmul <max_min> ins(%a, %b : memref<8x9xi1>, memref<9x10xi1>) outs(%c : memref<8x10xi1>)
  return
}

// -----

// Any layout: the copies are contiguous.
// CHECK-LABEL: func.func @batch_matmul_strided
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<2x4x5xi8>
// CHECK: memref.subview
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK-NEXT: arith.minsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK-NOT: trop.batch_matmul
func.func @batch_matmul_strided(%a: memref<2x4x5xi1, strided<[40, 10, 2]>>, %b: memref<2x5x3xi1>, %c: memref<2x4x3xi1>) {
  trop.batch_matmul <min_max> ins(%a, %b : memref<2x4x5xi1, strided<[40, 10, 2]>>, memref<2x5x3xi1>) outs(%c : memref<2x4x3xi1>)
  return
}

// -----

// CHECK-LABEL: func.func @conv
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<1x7x7x4xi8>
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<1x7x7x5xi8> into memref<49x5xi8>
// CHECK: arith.minsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK: arith.trunci %{{.*}} : i8 to i1
// CHECK-NOT: trop.conv_2d
func.func @conv(%x: memref<1x7x7x4xi1>, %w: memref<3x3x4x5xi1>, %y: memref<1x7x7x5xi1>) {
  trop.conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : memref<1x7x7x4xi1>, memref<3x3x4x5xi1>) outs(%y : memref<1x7x7x5xi1>)
  return
}

// -----

// CHECK-LABEL: func.func @depthwise
// CHECK: memref.alloc() {alignment = 64 : i64} : memref<1x8x8x70xi8>
// CHECK: scf.parallel
// CHECK: vector.transfer_read %{{.*}} : memref<1x8x8x70xi8>, vector<64xi8>
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK: arith.minsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK: vector.transfer_write %{{.*}} : vector<64xi8>, memref<1x6x6x70xi8>
// CHECK: arith.trunci %{{.*}} : i8 to i1
// CHECK-NOT: trop.depthwise_conv_2d
func.func @depthwise(%x: memref<1x8x8x70xi1>, %s: memref<3x3x70xi1>, %y: memref<1x6x6x70xi1>) {
  trop.depthwise_conv_2d <min_max> ins(%x, %s : memref<1x8x8x70xi1>, memref<3x3x70xi1>) outs(%y : memref<1x6x6x70xi1>)
  return
}

// -----

// maxout on i1 is left for --trop-to-linalg: it reads each byte once, so
// copying it into bytes first would cost more than the reference loop.
// CHECK-LABEL: func.func @maxout_left_alone
// CHECK-NOT: memref.alloc
// CHECK: trop.maxout group_size = 4
func.func @maxout_left_alone(%x: memref<3x256xi1>, %y: memref<3x64xi1>) {
  trop.maxout group_size = 4 ins(%x : memref<3x256xi1>) outs(%y : memref<3x64xi1>)
  return
}
