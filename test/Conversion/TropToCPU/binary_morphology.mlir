// trop-to-cpu on binary_morphology: a word-parallel kernel over packed
// channels. Rows (n, oh) in parallel; the structuring element expanded once
// per tap along a row; with width stride 1 the interior of each tap is a run
// of vectors of words (y |= x & s, or y &= x | ¬s with ¬s precomputed), then
// single words; replicate padding adds word-by-word borders. Strided rows or
// tensors are left for the reference lowering.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256" --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @dilation_zero
// CHECK: memref.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] : memref<8x256x256x1xi64> into memref<524288xi64>
// CHECK: memref.alloc(%{{.*}}) : memref<?xi64>
// CHECK: scf.parallel
// CHECK: scf.if
// CHECK: vector.load %{{.*}} : memref<524288xi64>, vector<8xi64>
// CHECK: vector.load %{{.*}} : memref<?xi64>, vector<8xi64>
// CHECK: arith.andi %{{.*}} : vector<8xi64>
// CHECK: arith.ori %{{.*}} : vector<8xi64>
// CHECK: vector.store
// CHECK: memref.dealloc %{{.*}} : memref<?xi64>
// CHECK-NOT: trop.binary_morphology
func.func @dilation_zero(%x: memref<8x256x256x1xi64>, %s: memref<3x3x1xi64>, %y: memref<8x256x256x1xi64>) {
  trop.binary_morphology <dilation> channels = 64 padding_mode = <zero> {padding = array<i64: 1, 1, 1, 1>}
    ins(%x, %s : memref<8x256x256x1xi64>, memref<3x3x1xi64>) outs(%y : memref<8x256x256x1xi64>)
  return
}

// -----

// Erosion, 65 channels: the last word of the element keeps bit 0 only
// (mask 1), then is complemented.
// CHECK-LABEL: func.func @erosion_replicate
// CHECK: %[[MASK:.*]] = arith.constant 1 : i64
// CHECK: arith.andi %{{.*}}, %[[MASK]] : i64
// CHECK: %[[ONES:.*]] = arith.constant -1 : i64
// CHECK: arith.xori %{{.*}}, %[[ONES]] : i64
// CHECK: scf.parallel
// CHECK-NOT: scf.if
// CHECK: arith.ori %{{.*}} : vector<8xi64>
// CHECK: arith.andi %{{.*}} : vector<8xi64>
func.func @erosion_replicate(%x: memref<1x7x9x2xi64>, %s: memref<3x3x2xi64>, %y: memref<1x7x9x2xi64>) {
  trop.binary_morphology <erosion> channels = 65 padding_mode = <replicate> {padding = array<i64: 1, 1, 1, 1>}
    ins(%x, %s : memref<1x7x9x2xi64>, memref<3x3x2xi64>) outs(%y : memref<1x7x9x2xi64>)
  return
}

// -----

// Width stride 2: no contiguous run, word by word.
// CHECK-LABEL: func.func @strided
// CHECK-NOT: vector.load
// CHECK: scf.parallel
// CHECK-NOT: vector.load
// CHECK: return
func.func @strided(%x: memref<1x9x9x1xi64>, %s: memref<3x3x1xi64>, %y: memref<1x4x4x1xi64>) {
  trop.binary_morphology <dilation> channels = 3 padding_mode = <zero> {strides = array<i64: 2, 2>}
    ins(%x, %s : memref<1x9x9x1xi64>, memref<3x3x1xi64>) outs(%y : memref<1x4x4x1xi64>)
  return
}

// -----

// CHECK-LABEL: func.func @not_contiguous
// CHECK: trop.binary_morphology
func.func @not_contiguous(%x: memref<1x4x4x1xi64, strided<[32, 8, 2, 1]>>, %s: memref<1x1x1xi64>, %y: memref<1x4x4x1xi64>) {
  trop.binary_morphology <dilation> channels = 3 padding_mode = <zero>
    ins(%x, %s : memref<1x4x4x1xi64, strided<[32, 8, 2, 1]>>, memref<1x1x1xi64>) outs(%y : memref<1x4x4x1xi64>)
  return
}

// -----

// CHECK-LABEL: func.func @tensors_left_alone
// CHECK: trop.binary_morphology
func.func @tensors_left_alone(%x: tensor<1x4x4x1xi64>, %s: tensor<1x1x1xi64>, %y: tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64> {
  %r = trop.binary_morphology <dilation> channels = 3 padding_mode = <zero>
    ins(%x, %s : tensor<1x4x4x1xi64>, tensor<1x1x1xi64>) outs(%y : tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64>
  return %r : tensor<1x4x4x1xi64>
}

// -----

// binary_dense: per row and subset, an OR-reduced vector of (x ⊕ f) ∧ s,
// four rows per loaded subset vector
// (8300 inputs are 130 words: 16 vectors of 8 with 256-bit registers, one
// single word, then the last word masked to its 44 inputs).
// CHECK-LABEL: func.func @dense
// CHECK: scf.parallel
// CHECK: vector.load %{{.*}} : memref<70x130xi64>, vector<8xi64>
// CHECK-COUNT-4: vector.load %{{.*}} : memref<4x130xi64>, vector<8xi64>
// CHECK: arith.xori %{{.*}} : vector<8xi64>
// CHECK: vector.reduction <or>
// CHECK: arith.cmpi ne
// CHECK: memref.store %{{.*}} : memref<4x2xi64>
func.func @dense(%x: memref<4x130xi64>, %s: memref<70x130xi64>, %e: memref<2xi64>, %y: memref<4x2xi64>) {
  trop.binary_dense in_features = 8300 ins(%x, %s, %e : memref<4x130xi64>, memref<70x130xi64>, memref<2xi64>) outs(%y : memref<4x2xi64>)
  return
}
