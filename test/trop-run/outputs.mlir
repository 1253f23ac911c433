// Which arguments are outputs when the entry returns nothing: the memrefs it
// may write, directly, through views and casts, or through ops whose effects
// are unknown; not those it only reads.

// RUN: trop-run %s --entry views --random-inputs --seed 1 --print | FileCheck %s --check-prefix=VIEWS
// VIEWS:      output 0: memref<2x3xi32> (argument 2)
// VIEWS:      output 1: memref<4x4xi32> (argument 3)
// VIEWS:      output 2: memref<6xi32> (argument 4)
// VIEWS-NOT:  output 3
// VIEWS-NOT:  (argument 0)
// VIEWS-NOT:  (argument 1)
// VIEWS-NOT:  (argument 5)

// %a and %b are only read; %c is written by the op; %d through a subview of
// a subview; %e through a cast and an expand_shape; %f is only read through a
// view.
func.func @views(%a: memref<2x5xi32>, %b: memref<5x3xi32>, %c: memref<2x3xi32>,
                 %d: memref<4x4xi32>, %e: memref<6xi32>, %f: memref<6xi32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<2x5xi32>, memref<5x3xi32>)
                         outs(%c : memref<2x3xi32>)
  %s = memref.subview %d[1, 0] [3, 4] [1, 1]
      : memref<4x4xi32> to memref<3x4xi32, strided<[4, 1], offset: 4>>
  %t = memref.subview %s[0, 1] [2, 3] [1, 1]
      : memref<3x4xi32, strided<[4, 1], offset: 4>>
        to memref<2x3xi32, strided<[4, 1], offset: 5>>
  trop.matmul <max_plus> ins(%a, %b : memref<2x5xi32>, memref<5x3xi32>)
                         outs(%t : memref<2x3xi32, strided<[4, 1], offset: 5>>)
  %u = memref.cast %e : memref<6xi32> to memref<?xi32>
  %v = memref.cast %u : memref<?xi32> to memref<6xi32>
  %w = memref.expand_shape %v [[0, 1]] output_shape [2, 3]
      : memref<6xi32> into memref<2x3xi32>
  trop.matmul <min_plus> ins(%a, %b : memref<2x5xi32>, memref<5x3xi32>)
                         outs(%w : memref<2x3xi32>)
  %x = memref.expand_shape %f [[0, 1]] output_shape [2, 3]
      : memref<6xi32> into memref<2x3xi32>
  trop.maxout group_size = 1 ins(%x : memref<2x3xi32>)
                            outs(%c : memref<2x3xi32>)
  return
}

// A tensor function without results has no outputs; --check compares none.
// RUN: trop-run %s --entry no_outputs --random-inputs --print --check | FileCheck %s --check-prefix=NONE
// NONE-NOT: output
// NONE: check: OK (0 outputs, 0 elements identical)
func.func @no_outputs(%a: tensor<4xf32>) {
  return
}

// Writes by upstream ops count (memref.copy, linalg.fill); an argument passed
// to a call may be written by the callee.
// RUN: trop-run %s --entry upstream --random-inputs --print | FileCheck %s --check-prefix=UPSTREAM
// UPSTREAM:      output 0: memref<3xf32> (argument 1)
// UPSTREAM-NEXT: [{{.*}}]
// UPSTREAM-NEXT: output 1: memref<2xf32> (argument 2)
// UPSTREAM-NEXT: [1.5, 1.5]
// UPSTREAM-NEXT: output 2: memref<2xf32> (argument 3)
// UPSTREAM-NOT:  output 3
func.func @upstream(%src: memref<3xf32>, %dst: memref<3xf32>,
                    %filled: memref<2xf32>, %called: memref<2xf32>) {
  memref.copy %src, %dst : memref<3xf32> to memref<3xf32>
  %v = arith.constant 1.5 : f32
  linalg.fill ins(%v : f32) outs(%filled : memref<2xf32>)
  func.call @callee(%called) : (memref<2xf32>) -> ()
  return
}
func.func private @callee(%m: memref<2xf32>) {
  return
}
