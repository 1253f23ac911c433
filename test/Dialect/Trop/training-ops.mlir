// Round-trip of the training ops (TropTrainingOps.td), in the pretty form and
// through the generic form, on tensors and memrefs.
// RUN: trop-opt %s | trop-opt | FileCheck %s
// RUN: trop-opt %s --mlir-print-op-generic | trop-opt | FileCheck %s

// CHECK-LABEL: func.func @winners_tensor
// CHECK: trop.matmul_winners <max_plus> ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x4xf32>) outs(%{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<8x4xi64>) -> tensor<8x4xf32>, tensor<8x4xi64>
func.func @winners_tensor(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>, %c: tensor<8x4xf32>, %w: tensor<8x4xi64>) -> (tensor<8x4xf32>, tensor<8x4xi64>) {
  %y, %i = trop.matmul_winners <max_plus> ins(%a, %b : tensor<8x16xf32>, tensor<16x4xf32>) outs(%c, %w : tensor<8x4xf32>, tensor<8x4xi64>) -> tensor<8x4xf32>, tensor<8x4xi64>
  return %y, %i : tensor<8x4xf32>, tensor<8x4xi64>
}

// CHECK-LABEL: func.func @winners_memref
// CHECK: trop.matmul_winners <min_plus> ins(%{{.*}}, %{{.*}} : memref<?x16xi16>, memref<16x4xi16>) outs(%{{.*}}, %{{.*}} : memref<?x4xi16>, memref<?x4xi64>)
func.func @winners_memref(%a: memref<?x16xi16>, %b: memref<16x4xi16>, %c: memref<?x4xi16>, %w: memref<?x4xi64>) {
  trop.matmul_winners <min_plus> ins(%a, %b : memref<?x16xi16>, memref<16x4xi16>) outs(%c, %w : memref<?x4xi16>, memref<?x4xi64>)
  return
}

// CHECK-LABEL: func.func @route_tensor
// CHECK: trop.route_to_winners ins(%{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<8x4xi64>) outs(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x16xf32>, tensor<16x4xf32>
func.func @route_tensor(%dy: tensor<8x4xf32>, %w: tensor<8x4xi64>, %da: tensor<8x16xf32>, %db: tensor<16x4xf32>) -> (tensor<8x16xf32>, tensor<16x4xf32>) {
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<8x4xf32>, tensor<8x4xi64>) outs(%da, %db : tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x16xf32>, tensor<16x4xf32>
  return %x, %y : tensor<8x16xf32>, tensor<16x4xf32>
}

// CHECK-LABEL: func.func @route_memref
// CHECK: trop.route_to_winners ins(%{{.*}}, %{{.*}} : memref<8x4xf64>, memref<8x4xi64>) outs(%{{.*}}, %{{.*}} : memref<8x16xf64>, memref<16x4xf64>)
func.func @route_memref(%dy: memref<8x4xf64>, %w: memref<8x4xi64>, %da: memref<8x16xf64>, %db: memref<16x4xf64>) {
  trop.route_to_winners ins(%dy, %w : memref<8x4xf64>, memref<8x4xi64>) outs(%da, %db : memref<8x16xf64>, memref<16x4xf64>)
  return
}

// The winners and routing of the other contractions.
// CHECK-LABEL: func.func @batch
// CHECK: trop.batch_matmul_winners <max_plus> ins(%{{.*}}, %{{.*}} : tensor<4x8x16xf32>, tensor<4x16x2xf32>) outs(%{{.*}}, %{{.*}} : tensor<4x8x2xf32>, tensor<4x8x2xi64>) -> tensor<4x8x2xf32>, tensor<4x8x2xi64>
// CHECK: trop.route_batch_matmul_to_winners ins(%{{.*}}, %{{.*}} : tensor<4x8x2xf32>, tensor<4x8x2xi64>) outs(%{{.*}}, %{{.*}} : tensor<4x8x16xf32>, tensor<4x16x2xf32>) -> tensor<4x8x16xf32>, tensor<4x16x2xf32>
func.func @batch(%a: tensor<4x8x16xf32>, %b: tensor<4x16x2xf32>, %c: tensor<4x8x2xf32>, %w: tensor<4x8x2xi64>, %dy: tensor<4x8x2xf32>, %za: tensor<4x8x16xf32>, %zb: tensor<4x16x2xf32>) -> (tensor<4x8x16xf32>, tensor<4x16x2xf32>) {
  %y, %i = trop.batch_matmul_winners <max_plus> ins(%a, %b : tensor<4x8x16xf32>, tensor<4x16x2xf32>) outs(%c, %w : tensor<4x8x2xf32>, tensor<4x8x2xi64>) -> tensor<4x8x2xf32>, tensor<4x8x2xi64>
  %da, %db = trop.route_batch_matmul_to_winners ins(%dy, %i : tensor<4x8x2xf32>, tensor<4x8x2xi64>) outs(%za, %zb : tensor<4x8x16xf32>, tensor<4x16x2xf32>) -> tensor<4x8x16xf32>, tensor<4x16x2xf32>
  return %da, %db : tensor<4x8x16xf32>, tensor<4x16x2xf32>
}

// CHECK-LABEL: func.func @dual
// CHECK: trop.dual_matmul_winners ins(%{{.*}}, %{{.*}} : memref<8x16xf64>, memref<16x4xf64>) outs(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : memref<8x4xf64>, memref<8x4xf64>, memref<8x4xi64>, memref<8x4xi64>)
func.func @dual(%x: memref<8x16xf64>, %w: memref<16x4xf64>, %b: memref<8x4xf64>, %b2: memref<8x4xf64>, %m1: memref<8x4xi64>, %m2: memref<8x4xi64>) {
  trop.dual_matmul_winners ins(%x, %w : memref<8x16xf64>, memref<16x4xf64>) outs(%b, %b2, %m1, %m2 : memref<8x4xf64>, memref<8x4xf64>, memref<8x4xi64>, memref<8x4xi64>)
  return
}

// CHECK-LABEL: func.func @conv
// CHECK: trop.conv_2d_winners <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%{{.*}}, %{{.*}} : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%{{.*}}, %{{.*}} : tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>) -> tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>
// CHECK: trop.route_conv_2d_to_winners {padding = array<i64: 1, 1, 1, 1>} ins(%{{.*}}, %{{.*}} : tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>) outs(%{{.*}}, %{{.*}} : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>
func.func @conv(%x: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>, %b: tensor<1x8x8x4xf32>, %m: tensor<1x8x8x4xi64>, %zx: tensor<1x8x8x3xf32>, %zf: tensor<3x3x3x4xf32>) -> (tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) {
  %y, %w = trop.conv_2d_winners <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %f : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%b, %m : tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>) -> tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>
  %dx, %df = trop.route_conv_2d_to_winners {padding = array<i64: 1, 1, 1, 1>} ins(%y, %w : tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>) outs(%zx, %zf : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) -> tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>
  return %dx, %df : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>
}

// CHECK-LABEL: func.func @depthwise
// CHECK: trop.depthwise_conv_2d_winners <min_plus> {strides = array<i64: 2, 1>} ins(%{{.*}}, %{{.*}} : memref<1x8x8x3xf32>, memref<3x3x3xf32>) outs(%{{.*}}, %{{.*}} : memref<1x3x6x3xf32>, memref<1x3x6x3xi64>)
// CHECK: trop.route_depthwise_conv_2d_to_winners {strides = array<i64: 2, 1>} ins(%{{.*}}, %{{.*}} : memref<1x3x6x3xf32>, memref<1x3x6x3xi64>) outs(%{{.*}}, %{{.*}} : memref<1x8x8x3xf32>, memref<3x3x3xf32>)
func.func @depthwise(%x: memref<1x8x8x3xf32>, %s: memref<3x3x3xf32>, %b: memref<1x3x6x3xf32>, %m: memref<1x3x6x3xi64>, %zx: memref<1x8x8x3xf32>, %zs: memref<3x3x3xf32>) {
  trop.depthwise_conv_2d_winners <min_plus> {strides = array<i64: 2, 1>} ins(%x, %s : memref<1x8x8x3xf32>, memref<3x3x3xf32>) outs(%b, %m : memref<1x3x6x3xf32>, memref<1x3x6x3xi64>)
  trop.route_depthwise_conv_2d_to_winners {strides = array<i64: 2, 1>} ins(%b, %m : memref<1x3x6x3xf32>, memref<1x3x6x3xi64>) outs(%zx, %zs : memref<1x8x8x3xf32>, memref<3x3x3xf32>)
  return
}

// CHECK-LABEL: func.func @maxout
// CHECK: trop.maxout_winners group_size = 4 ins(%{{.*}} : tensor<32x64xf32>) outs(%{{.*}}, %{{.*}} : tensor<32x16xf32>, tensor<32x16xi64>) -> tensor<32x16xf32>, tensor<32x16xi64>
// CHECK: trop.route_maxout_to_winners group_size = 4 ins(%{{.*}}, %{{.*}} : tensor<32x16xf32>, tensor<32x16xi64>) outs(%{{.*}} : tensor<32x64xf32>) -> tensor<32x64xf32>
func.func @maxout(%x: tensor<32x64xf32>, %b: tensor<32x16xf32>, %m: tensor<32x16xi64>, %zx: tensor<32x64xf32>) -> tensor<32x64xf32> {
  %y, %w = trop.maxout_winners group_size = 4 ins(%x : tensor<32x64xf32>) outs(%b, %m : tensor<32x16xf32>, tensor<32x16xi64>) -> tensor<32x16xf32>, tensor<32x16xi64>
  %dx = trop.route_maxout_to_winners group_size = 4 ins(%y, %w : tensor<32x16xf32>, tensor<32x16xi64>) outs(%zx : tensor<32x64xf32>) -> tensor<32x64xf32>
  return %dx : tensor<32x64xf32>
}
