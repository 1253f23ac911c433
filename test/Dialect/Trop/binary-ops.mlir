// Round-trip of paper D's bit-packed ops, in the pretty form and through the
// generic form.
// RUN: trop-opt %s | trop-opt | FileCheck %s
// RUN: trop-opt %s --mlir-print-op-generic | trop-opt | FileCheck %s

// CHECK-LABEL: func.func @pack_unpack_tensor
// CHECK: trop.pack_bits ins(%{{.*}} : tensor<2x5x7x65xi1>) outs(%{{.*}} : tensor<2x5x7x2xi64>) -> tensor<2x5x7x2xi64>
// CHECK: trop.unpack_bits ins(%{{.*}} : tensor<2x5x7x2xi64>) outs(%{{.*}} : tensor<2x5x7x65xi1>) -> tensor<2x5x7x65xi1>
func.func @pack_unpack_tensor(%x: tensor<2x5x7x65xi1>, %w: tensor<2x5x7x2xi64>) -> tensor<2x5x7x65xi1> {
  %p = trop.pack_bits ins(%x : tensor<2x5x7x65xi1>) outs(%w : tensor<2x5x7x2xi64>) -> tensor<2x5x7x2xi64>
  %u = trop.unpack_bits ins(%p : tensor<2x5x7x2xi64>) outs(%x : tensor<2x5x7x65xi1>) -> tensor<2x5x7x65xi1>
  return %u : tensor<2x5x7x65xi1>
}

// CHECK-LABEL: func.func @pack_memref_rank1_dynamic
// CHECK: trop.pack_bits ins(%{{.*}} : memref<?xi1>) outs(%{{.*}} : memref<?xi64>)
// CHECK-NOT: ->
func.func @pack_memref_rank1_dynamic(%x: memref<?xi1>, %w: memref<?xi64>) {
  trop.pack_bits ins(%x : memref<?xi1>) outs(%w : memref<?xi64>)
  return
}

// CHECK-LABEL: func.func @morphology_tensor
// CHECK: trop.binary_morphology <dilation> channels = 65 padding_mode = <replicate> {padding = array<i64: 1, 1, 1, 1>} ins(%{{.*}}, %{{.*}} : tensor<2x5x7x2xi64>, tensor<3x3x2xi64>) outs(%{{.*}} : tensor<2x5x7x2xi64>) -> tensor<2x5x7x2xi64>
// CHECK: trop.binary_morphology <erosion> channels = 64 padding_mode = <zero> {dilations = array<i64: 2, 1>, strides = array<i64: 1, 2>} ins(%{{.*}}, %{{.*}} : tensor<1x9x9x1xi64>, tensor<2x3x1xi64>) outs(%{{.*}} : tensor<1x7x4x1xi64>) -> tensor<1x7x4x1xi64>
func.func @morphology_tensor(%x: tensor<2x5x7x2xi64>, %s: tensor<3x3x2xi64>, %y: tensor<2x5x7x2xi64>,
                             %x2: tensor<1x9x9x1xi64>, %s2: tensor<2x3x1xi64>, %y2: tensor<1x7x4x1xi64>)
    -> (tensor<2x5x7x2xi64>, tensor<1x7x4x1xi64>) {
  %r = trop.binary_morphology <dilation> channels = 65 padding_mode = <replicate> {padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %s : tensor<2x5x7x2xi64>, tensor<3x3x2xi64>) outs(%y : tensor<2x5x7x2xi64>) -> tensor<2x5x7x2xi64>
  %r2 = trop.binary_morphology <erosion> channels = 64 padding_mode = <zero> {strides = array<i64: 1, 2>, dilations = array<i64: 2, 1>}
         ins(%x2, %s2 : tensor<1x9x9x1xi64>, tensor<2x3x1xi64>) outs(%y2 : tensor<1x7x4x1xi64>) -> tensor<1x7x4x1xi64>
  return %r, %r2 : tensor<2x5x7x2xi64>, tensor<1x7x4x1xi64>
}

// CHECK-LABEL: func.func @morphology_memref
// CHECK: trop.binary_morphology <erosion> channels = 1 padding_mode = <zero> ins(%{{.*}}, %{{.*}} : memref<1x4x4x1xi64>, memref<1x1x1xi64>) outs(%{{.*}} : memref<1x4x4x1xi64>)
// CHECK-NOT: ->
func.func @morphology_memref(%x: memref<1x4x4x1xi64>, %s: memref<1x1x1xi64>, %y: memref<1x4x4x1xi64>) {
  trop.binary_morphology <erosion> channels = 1 padding_mode = <zero>
    ins(%x, %s : memref<1x4x4x1xi64>, memref<1x1x1xi64>) outs(%y : memref<1x4x4x1xi64>)
  return
}

// CHECK-LABEL: func.func @level_sets
// CHECK: trop.level_sets thresholds = [2.500000e-01, 5.000000e-01, 7.500000e-01] ins(%{{.*}} : tensor<8x28x28x2xf32>) outs(%{{.*}} : tensor<8x28x28x6xi1>) -> tensor<8x28x28x6xi1>
// CHECK: trop.level_sets thresholds = [0.000000e+00] ins(%{{.*}} : memref<4x?xf16>) outs(%{{.*}} : memref<4x?xi1>)
func.func @level_sets(%x: tensor<8x28x28x2xf32>, %y: tensor<8x28x28x6xi1>, %a: memref<4x?xf16>, %b: memref<4x?xi1>) -> tensor<8x28x28x6xi1> {
  %r = trop.level_sets thresholds = [0.25, 0.5, 0.75] ins(%x : tensor<8x28x28x2xf32>) outs(%y : tensor<8x28x28x6xi1>) -> tensor<8x28x28x6xi1>
  trop.level_sets thresholds = [0.0] ins(%a : memref<4x?xf16>) outs(%b : memref<4x?xi1>)
  return %r : tensor<8x28x28x6xi1>
}

// CHECK-LABEL: func.func @dense
// CHECK: trop.binary_dense in_features = 130 ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<5x3xi64>, tensor<70x3xi64>, tensor<2xi64>) outs(%{{.*}} : tensor<5x2xi64>) -> tensor<5x2xi64>
// CHECK: trop.binary_dense in_features = 64 ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<?x1xi64>, memref<3x1xi64>, memref<1xi64>) outs(%{{.*}} : memref<?x1xi64>)
func.func @dense(%x: tensor<5x3xi64>, %s: tensor<70x3xi64>, %e: tensor<2xi64>, %y: tensor<5x2xi64>,
                 %a: memref<?x1xi64>, %b: memref<3x1xi64>, %c: memref<1xi64>, %d: memref<?x1xi64>) -> tensor<5x2xi64> {
  %r = trop.binary_dense in_features = 130 ins(%x, %s, %e : tensor<5x3xi64>, tensor<70x3xi64>, tensor<2xi64>) outs(%y : tensor<5x2xi64>) -> tensor<5x2xi64>
  trop.binary_dense in_features = 64 ins(%a, %b, %c : memref<?x1xi64>, memref<3x1xi64>, memref<1xi64>) outs(%d : memref<?x1xi64>)
  return %r : tensor<5x2xi64>
}
