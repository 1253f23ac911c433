// --trop-fuse: max_plus/min_plus pairs with the same operands become one
// trop.dual_matmul; everything else is left alone.
// RUN: trop-opt %s --trop-fuse --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-fuse="pair-max-min=0" --split-input-file | FileCheck %s --check-prefix=OFF

// Paper C's MaxPlusMin layer: both products, then their sum.
// CHECK-LABEL: func.func @max_plus_min
// CHECK-SAME: (%[[X:.*]]: tensor<8x16xf32>, %[[W:.*]]: tensor<16x4xf32>, %[[B:.*]]: tensor<8x4xf32>, %[[B2:.*]]: tensor<8x4xf32>)
// CHECK-NOT: trop.matmul
// CHECK: %[[R:.*]]:2 = trop.dual_matmul ins(%[[X]], %[[W]] : tensor<8x16xf32>, tensor<16x4xf32>) outs(%[[B]], %[[B2]] : tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<8x4xf32>, tensor<8x4xf32>
// CHECK-NOT: trop.matmul
// CHECK: arith.addf %[[R]]#0, %[[R]]#1
// OFF-LABEL: func.func @max_plus_min
// OFF: trop.matmul <max_plus>
// OFF: trop.matmul <min_plus>
// OFF-NOT: trop.dual_matmul
func.func @max_plus_min(%x: tensor<8x16xf32>, %w: tensor<16x4xf32>, %b: tensor<8x4xf32>, %b2: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  %mn = trop.matmul <min_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b2 : tensor<8x4xf32>) -> tensor<8x4xf32>
  %s = arith.addf %mx, %mn : tensor<8x4xf32>
  return %s : tensor<8x4xf32>
}

// -----

// The min_plus op first, f64, dynamic batch: still a pair (results keep
// their roles).
// CHECK-LABEL: func.func @min_first_dynamic
// CHECK: %[[R:.*]]:2 = trop.dual_matmul ins(%{{.*}}, %{{.*}} : tensor<?x16xf64>, tensor<16x4xf64>) outs(%[[MAXINIT:.*]], %[[MININIT:.*]] : tensor<?x4xf64>, tensor<?x4xf64>)
// CHECK: return %[[R]]#1, %[[R]]#0
func.func @min_first_dynamic(%x: tensor<?x16xf64>, %w: tensor<16x4xf64>, %b: tensor<?x4xf64>, %b2: tensor<?x4xf64>) -> (tensor<?x4xf64>, tensor<?x4xf64>) {
  %mn = trop.matmul <min_plus> ins(%x, %w : tensor<?x16xf64>, tensor<16x4xf64>) outs(%b2 : tensor<?x4xf64>) -> tensor<?x4xf64>
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<?x16xf64>, tensor<16x4xf64>) outs(%b : tensor<?x4xf64>) -> tensor<?x4xf64>
  return %mn, %mx : tensor<?x4xf64>, tensor<?x4xf64>
}

// -----

// Negative: different weights.
// CHECK-LABEL: func.func @different_rhs
// CHECK-NOT: trop.dual_matmul
// CHECK: trop.matmul <max_plus>
// CHECK: trop.matmul <min_plus>
func.func @different_rhs(%x: tensor<8x16xf32>, %w: tensor<16x4xf32>, %w2: tensor<16x4xf32>, %b: tensor<8x4xf32>) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  %mn = trop.matmul <min_plus> ins(%x, %w2 : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %mx, %mn : tensor<8x4xf32>, tensor<8x4xf32>
}

// -----

// Negative: different inputs.
// CHECK-LABEL: func.func @different_lhs
// CHECK-NOT: trop.dual_matmul
func.func @different_lhs(%x: tensor<8x16xf32>, %x2: tensor<8x16xf32>, %w: tensor<16x4xf32>, %b: tensor<8x4xf32>) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  %mn = trop.matmul <min_plus> ins(%x2, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %mx, %mn : tensor<8x4xf32>, tensor<8x4xf32>
}

// -----

// Negative: the same semiring twice (CSE's business, not a pair).
// CHECK-LABEL: func.func @same_semiring
// CHECK-NOT: trop.dual_matmul
// CHECK-COUNT-2: trop.matmul <max_plus>
func.func @same_semiring(%x: tensor<8x16xf32>, %w: tensor<16x4xf32>, %b: tensor<8x4xf32>, %b2: tensor<8x4xf32>) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  %my = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b2 : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %mx, %my : tensor<8x4xf32>, tensor<8x4xf32>
}

// -----

// Negative: integers (max_plus and min_plus saturate towards different 𝟘s,
// so their ⊗ differ).
// CHECK-LABEL: func.func @integers
// CHECK-NOT: trop.dual_matmul
func.func @integers(%x: tensor<8x16xi16>, %w: tensor<16x4xi16>, %b: tensor<8x4xi16>) -> (tensor<8x4xi16>, tensor<8x4xi16>) {
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xi16>, tensor<16x4xi16>) outs(%b : tensor<8x4xi16>) -> tensor<8x4xi16>
  %mn = trop.matmul <min_plus> ins(%x, %w : tensor<8x16xi16>, tensor<16x4xi16>) outs(%b : tensor<8x4xi16>) -> tensor<8x4xi16>
  return %mx, %mn : tensor<8x4xi16>, tensor<8x4xi16>
}

// -----

// Negative: the min_plus op accumulates onto the max_plus result, so they
// cannot run as one op.
// CHECK-LABEL: func.func @dependent_init
// CHECK-NOT: trop.dual_matmul
func.func @dependent_init(%x: tensor<8x16xf32>, %w: tensor<16x4xf32>, %b: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  %mn = trop.matmul <min_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%mx : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %mn : tensor<8x4xf32>
}

// -----

// Negative: the max_plus result is used between the two ops, where the
// fused op (at the later position) would not yet have produced it.
// CHECK-LABEL: func.func @used_in_between
// CHECK-NOT: trop.dual_matmul
func.func @used_in_between(%x: tensor<8x16xf32>, %w: tensor<16x4xf32>, %b: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %mx = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b : tensor<8x4xf32>) -> tensor<8x4xf32>
  %init = arith.negf %mx : tensor<8x4xf32>
  %mn = trop.matmul <min_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%init : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %mn : tensor<8x4xf32>
}

// -----

// Negative: memrefs (the pass does not reason about aliasing writes).
// CHECK-LABEL: func.func @memrefs
// CHECK-NOT: trop.dual_matmul
func.func @memrefs(%x: memref<8x16xf32>, %w: memref<16x4xf32>, %b: memref<8x4xf32>, %b2: memref<8x4xf32>) {
  trop.matmul <max_plus> ins(%x, %w : memref<8x16xf32>, memref<16x4xf32>) outs(%b : memref<8x4xf32>)
  trop.matmul <min_plus> ins(%x, %w : memref<8x16xf32>, memref<16x4xf32>) outs(%b2 : memref<8x4xf32>)
  return
}
