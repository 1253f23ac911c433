// Reference lowering of paper D's bit-packed ops: bit by bit, through i1.
// RUN: trop-opt %s --trop-to-linalg --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-to-linalg="dealloc-temporaries=1" --split-input-file | FileCheck %s --check-prefix=DEALLOC

// unpack: bit (c mod 64) of word c floordiv 64.
// CHECK-DAG: #[[WORD:.*]] = affine_map<(d0, d1) -> (d0, d1 floordiv 64)>
// CHECK-LABEL: func.func @unpack
// CHECK: linalg.generic {indexing_maps = [#[[WORD]], #{{.*}}], iterator_types = ["parallel", "parallel"]}
// CHECK: linalg.index 1
// CHECK: arith.remui
// CHECK: arith.shrui
// CHECK: arith.trunci %{{.*}} : i64 to i1
func.func @unpack(%w: tensor<3x2xi64>, %x: tensor<3x65xi1>) -> tensor<3x65xi1> {
  %u = trop.unpack_bits ins(%w : tensor<3x2xi64>) outs(%x : tensor<3x65xi1>) -> tensor<3x65xi1>
  return %u : tensor<3x65xi1>
}

// -----

// pack: pad the channels with false to 2 × 64, split (2, 64), OR the
// shifted bits over the 64.
// CHECK-LABEL: func.func @pack
// CHECK: linalg.fill ins(%false : i1) outs(%{{.*}} : tensor<3x128xi1>)
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[0, 0] [3, 65] [1, 1]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [3, 2, 64]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.extui %{{.*}} : i1 to i64
// CHECK: arith.shli
// CHECK: arith.ori
func.func @pack(%x: tensor<3x65xi1>, %w: tensor<3x2xi64>) -> tensor<3x2xi64> {
  %p = trop.pack_bits ins(%x : tensor<3x65xi1>) outs(%w : tensor<3x2xi64>) -> tensor<3x2xi64>
  return %p : tensor<3x2xi64>
}

// -----

// Replicate padding clamps the indices into the input; the erosion is an
// AND of (¬s ∨ x).
// CHECK-LABEL: func.func @erosion_replicate
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}} : tensor<1x4x5x65xi1>
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.xori
// CHECK: arith.ori
// CHECK: arith.andi
// CHECK-NOT: trop.
func.func @erosion_replicate(%x: tensor<1x4x5x2xi64>, %s: tensor<3x3x2xi64>, %y: tensor<1x4x5x2xi64>) -> tensor<1x4x5x2xi64> {
  %r = trop.binary_morphology <erosion> channels = 65 padding_mode = <replicate> {padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %s : tensor<1x4x5x2xi64>, tensor<3x3x2xi64>) outs(%y : tensor<1x4x5x2xi64>) -> tensor<1x4x5x2xi64>
  return %r : tensor<1x4x5x2xi64>
}

// -----

// Zero padding of a dilation is false (its 𝟘); temporaries on memrefs are
// freed on request.
// CHECK-LABEL: func.func @dilation_zero_memref
// CHECK: linalg.fill ins(%false : i1) outs(%{{.*}} : memref<1x6x7x3xi1>)
// CHECK: memref.subview
// CHECK: memref.copy
// CHECK: arith.andi
// CHECK: arith.ori
// CHECK-NOT: memref.dealloc
// DEALLOC-LABEL: func.func @dilation_zero_memref
// DEALLOC-COUNT-6: memref.dealloc
func.func @dilation_zero_memref(%x: memref<1x4x5x1xi64>, %s: memref<3x3x1xi64>, %y: memref<1x4x5x1xi64>) {
  trop.binary_morphology <dilation> channels = 3 padding_mode = <zero> {padding = array<i64: 1, 1, 1, 1>}
    ins(%x, %s : memref<1x4x5x1xi64>, memref<3x3x1xi64>) outs(%y : memref<1x4x5x1xi64>)
  return
}

// -----

// level_sets: the destination split into (C, T), x ≥ t_j compared in f64.
// CHECK-LABEL: func.func @level_sets
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0], [1, 2]] output_shape [4, 3, 2]
// CHECK: arith.extf %{{.*}} : f32 to f64
// CHECK: arith.select
// CHECK: arith.cmpf oge
// CHECK: tensor.collapse_shape %{{.*}} {{\[\[}}0], [1, 2]] : tensor<4x3x2xi1> into tensor<4x6xi1>
func.func @level_sets(%x: tensor<4x3xf32>, %y: tensor<4x6xi1>) -> tensor<4x6xi1> {
  %r = trop.level_sets thresholds = [0.5, 1.5] ins(%x : tensor<4x3xf32>) outs(%y : tensor<4x6xi1>) -> tensor<4x6xi1>
  return %r : tensor<4x6xi1>
}

// -----

// binary_dense: loops (r, j, i), the kind bit of output j choosing between
// the OR of ANDs and the AND of ORs.
// CHECK-DAG: #[[X:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[S:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[E:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-DAG: #[[Y:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dense
// CHECK: linalg.generic {indexing_maps = [#[[X]], #[[S]], #[[E]], #[[Y]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.select %{{.*}} : i1
// CHECK-NOT: trop.
func.func @dense(%x: tensor<5x3xi64>, %s: tensor<70x3xi64>, %e: tensor<2xi64>, %y: tensor<5x2xi64>) -> tensor<5x2xi64> {
  %r = trop.binary_dense in_features = 130 ins(%x, %s, %e : tensor<5x3xi64>, tensor<70x3xi64>, tensor<2xi64>) outs(%y : tensor<5x2xi64>) -> tensor<5x2xi64>
  return %r : tensor<5x2xi64>
}
