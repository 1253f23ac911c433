// Round-trip of every op, in the pretty form and through the generic form.
// RUN: trop-opt %s | trop-opt | FileCheck %s
// RUN: trop-opt %s --mlir-print-op-generic | trop-opt | FileCheck %s

// CHECK-LABEL: func.func @matmul_tensor
// CHECK: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<64x128xf32>, tensor<128x32xf32>) outs(%{{.*}} : tensor<64x32xf32>) -> tensor<64x32xf32>
func.func @matmul_tensor(%a: tensor<64x128xf32>, %b: tensor<128x32xf32>, %c: tensor<64x32xf32>) -> tensor<64x32xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<64x128xf32>, tensor<128x32xf32>) outs(%c : tensor<64x32xf32>) -> tensor<64x32xf32>
  return %r : tensor<64x32xf32>
}

// CHECK-LABEL: func.func @matmul_memref
// CHECK: trop.matmul <min_plus> ins(%{{.*}}, %{{.*}} : memref<4x8xi16>, memref<8x2xi16>) outs(%{{.*}} : memref<4x2xi16>)
// CHECK-NOT: ->
func.func @matmul_memref(%a: memref<4x8xi16>, %b: memref<8x2xi16>, %c: memref<4x2xi16>) {
  trop.matmul <min_plus> ins(%a, %b : memref<4x8xi16>, memref<8x2xi16>) outs(%c : memref<4x2xi16>)
  return
}

// CHECK-LABEL: func.func @matmul_strided_memref
// CHECK: trop.matmul <max_plus> {{.*}}memref<4x8xf32, strided<[16, 1]>>
func.func @matmul_strided_memref(%a: memref<4x8xf32, strided<[16, 1]>>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<4x8xf32, strided<[16, 1]>>, memref<8x2xf32>) outs(%c : memref<4x2xf32>)
  return
}

// CHECK-LABEL: func.func @matmul_dynamic
// CHECK: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<?x?xf64>, tensor<?x16xf64>) outs(%{{.*}} : tensor<?x16xf64>) -> tensor<?x16xf64>
func.func @matmul_dynamic(%a: tensor<?x?xf64>, %b: tensor<?x16xf64>, %c: tensor<?x16xf64>) -> tensor<?x16xf64> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x?xf64>, tensor<?x16xf64>) outs(%c : tensor<?x16xf64>) -> tensor<?x16xf64>
  return %r : tensor<?x16xf64>
}

// Every semiring on every element type it is defined on.
// CHECK-LABEL: func.func @semirings_and_types
// CHECK: trop.matmul <max_plus> {{.*}}tensor<2x2xf16>
// CHECK: trop.matmul <min_plus> {{.*}}tensor<2x2xbf16>
// CHECK: trop.matmul <max_min> {{.*}}tensor<2x2xi8>
// CHECK: trop.matmul <min_max> {{.*}}tensor<2x2xi32>
// CHECK: trop.matmul <max_min> {{.*}}tensor<2x2xi1>
// CHECK: trop.matmul <min_max> {{.*}}tensor<2x2xi1>
func.func @semirings_and_types(%h: tensor<2x2xf16>, %b: tensor<2x2xbf16>, %i8: tensor<2x2xi8>, %i32: tensor<2x2xi32>, %i1: tensor<2x2xi1>) {
  %0 = trop.matmul <max_plus> ins(%h, %h : tensor<2x2xf16>, tensor<2x2xf16>) outs(%h : tensor<2x2xf16>) -> tensor<2x2xf16>
  %1 = trop.matmul <min_plus> ins(%b, %b : tensor<2x2xbf16>, tensor<2x2xbf16>) outs(%b : tensor<2x2xbf16>) -> tensor<2x2xbf16>
  %2 = trop.matmul <max_min> ins(%i8, %i8 : tensor<2x2xi8>, tensor<2x2xi8>) outs(%i8 : tensor<2x2xi8>) -> tensor<2x2xi8>
  %3 = trop.matmul <min_max> ins(%i32, %i32 : tensor<2x2xi32>, tensor<2x2xi32>) outs(%i32 : tensor<2x2xi32>) -> tensor<2x2xi32>
  %4 = trop.matmul <max_min> ins(%i1, %i1 : tensor<2x2xi1>, tensor<2x2xi1>) outs(%i1 : tensor<2x2xi1>) -> tensor<2x2xi1>
  %5 = trop.matmul <min_max> ins(%i1, %i1 : tensor<2x2xi1>, tensor<2x2xi1>) outs(%i1 : tensor<2x2xi1>) -> tensor<2x2xi1>
  return
}

// CHECK-LABEL: func.func @batch_matmul
// CHECK: trop.batch_matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<8x16x32xf32>, tensor<8x32x4xf32>) outs(%{{.*}} : tensor<8x16x4xf32>) -> tensor<8x16x4xf32>
// CHECK: trop.batch_matmul <min_plus> ins(%{{.*}}, %{{.*}} : memref<2x3x4xi8>, memref<2x4x5xi8>) outs(%{{.*}} : memref<2x3x5xi8>)
func.func @batch_matmul(%a: tensor<8x16x32xf32>, %b: tensor<8x32x4xf32>, %c: tensor<8x16x4xf32>,
                        %x: memref<2x3x4xi8>, %y: memref<2x4x5xi8>, %z: memref<2x3x5xi8>) -> tensor<8x16x4xf32> {
  %r = trop.batch_matmul <max_plus> ins(%a, %b : tensor<8x16x32xf32>, tensor<8x32x4xf32>) outs(%c : tensor<8x16x4xf32>) -> tensor<8x16x4xf32>
  trop.batch_matmul <min_plus> ins(%x, %y : memref<2x3x4xi8>, memref<2x4x5xi8>) outs(%z : memref<2x3x5xi8>)
  return %r : tensor<8x16x4xf32>
}

// Default strides, dilations and padding are elided when printed.
// CHECK-LABEL: func.func @conv_2d
// CHECK: trop.conv_2d <max_plus> ins(%{{.*}}, %{{.*}} : tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) outs(%{{.*}} : tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
// CHECK: trop.conv_2d <min_plus> {dilations = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>, strides = array<i64: 2, 3>} ins
func.func @conv_2d(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x16xf32>, %y: tensor<1x6x6x16xf32>,
                   %xm: memref<2x9x9x4xf32>, %wm: memref<3x3x4x5xf32>, %ym: memref<2x4x3x5xf32>) -> tensor<1x6x6x16xf32> {
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x16xf32>) outs(%y : tensor<1x6x6x16xf32>) -> tensor<1x6x6x16xf32>
  // OH = (9 + 1 + 2 - 2*2 - 1) / 2 + 1 = 4; OW = (9 + 0 + 1 - 1*2 - 1) / 3 + 1 = 3.
  trop.conv_2d <min_plus> {strides = array<i64: 2, 3>, dilations = array<i64: 2, 1>, padding = array<i64: 1, 0, 2, 1>}
    ins(%xm, %wm : memref<2x9x9x4xf32>, memref<3x3x4x5xf32>) outs(%ym : memref<2x4x3x5xf32>)
  return %r : tensor<1x6x6x16xf32>
}

// CHECK-LABEL: func.func @depthwise_conv_2d
// CHECK: trop.depthwise_conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>} ins(%{{.*}}, %{{.*}} : tensor<1x16x16x1xi1>, tensor<3x3x1xi1>) outs(%{{.*}} : tensor<1x16x16x1xi1>) -> tensor<1x16x16x1xi1>
// CHECK: trop.depthwise_conv_2d <min_plus> {strides = array<i64: 2, 2>} ins(%{{.*}}, %{{.*}} : memref<1x9x9x8xf16>, memref<3x3x8xf16>) outs(%{{.*}} : memref<1x4x4x8xf16>)
func.func @depthwise_conv_2d(%img: tensor<1x16x16x1xi1>, %se: tensor<3x3x1xi1>, %out: tensor<1x16x16x1xi1>,
                             %x: memref<1x9x9x8xf16>, %s: memref<3x3x8xf16>, %y: memref<1x4x4x8xf16>) -> tensor<1x16x16x1xi1> {
  %r = trop.depthwise_conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>} ins(%img, %se : tensor<1x16x16x1xi1>, tensor<3x3x1xi1>) outs(%out : tensor<1x16x16x1xi1>) -> tensor<1x16x16x1xi1>
  trop.depthwise_conv_2d <min_plus> {strides = array<i64: 2, 2>} ins(%x, %s : memref<1x9x9x8xf16>, memref<3x3x8xf16>) outs(%y : memref<1x4x4x8xf16>)
  return %r : tensor<1x16x16x1xi1>
}

// CHECK-LABEL: func.func @maxout
// CHECK: trop.maxout group_size = 4 ins(%{{.*}} : tensor<32x64xf32>) outs(%{{.*}} : tensor<32x16xf32>) -> tensor<32x16xf32>
// CHECK: trop.maxout group_size = 2 ins(%{{.*}} : memref<2x3x8xi1>) outs(%{{.*}} : memref<2x3x4xi1>)
// CHECK: trop.maxout group_size = 3 ins(%{{.*}} : tensor<?x12xi8>) outs(%{{.*}} : tensor<?x4xi8>) -> tensor<?x4xi8>
func.func @maxout(%x: tensor<32x64xf32>, %y: tensor<32x16xf32>, %xm: memref<2x3x8xi1>, %ym: memref<2x3x4xi1>,
                  %xd: tensor<?x12xi8>, %yd: tensor<?x4xi8>) -> tensor<32x16xf32> {
  %r = trop.maxout group_size = 4 ins(%x : tensor<32x64xf32>) outs(%y : tensor<32x16xf32>) -> tensor<32x16xf32>
  trop.maxout group_size = 2 ins(%xm : memref<2x3x8xi1>) outs(%ym : memref<2x3x4xi1>)
  %d = trop.maxout group_size = 3 ins(%xd : tensor<?x12xi8>) outs(%yd : tensor<?x4xi8>) -> tensor<?x4xi8>
  return %r : tensor<32x16xf32>
}

// The semiring attribute on its own.
// CHECK-LABEL: func.func @semiring_attr
// CHECK-SAME: trop.kind = #trop.semiring<min_max>
func.func @semiring_attr() attributes {trop.kind = #trop.semiring<min_max>} {
  return
}

// CHECK-LABEL: func.func @dual_matmul_tensor
// CHECK: %{{.*}}:2 = trop.dual_matmul ins(%{{.*}}, %{{.*}} : tensor<?x128xf32>, tensor<128x32xf32>) outs(%{{.*}}, %{{.*}} : tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<?x32xf32>, tensor<?x32xf32>
func.func @dual_matmul_tensor(%a: tensor<?x128xf32>, %b: tensor<128x32xf32>, %c: tensor<?x32xf32>, %d: tensor<?x32xf32>) -> (tensor<?x32xf32>, tensor<?x32xf32>) {
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<?x128xf32>, tensor<128x32xf32>) outs(%c, %d : tensor<?x32xf32>, tensor<?x32xf32>) -> tensor<?x32xf32>, tensor<?x32xf32>
  return %r#0, %r#1 : tensor<?x32xf32>, tensor<?x32xf32>
}

// CHECK-LABEL: func.func @dual_matmul_memref
// CHECK: trop.dual_matmul ins(%{{.*}}, %{{.*}} : memref<4x8xbf16>, memref<8x2xbf16>) outs(%{{.*}}, %{{.*}} : memref<4x2xbf16>, memref<4x2xbf16, strided<[8, 1]>>)
// CHECK-NOT: ->
func.func @dual_matmul_memref(%a: memref<4x8xbf16>, %b: memref<8x2xbf16>, %c: memref<4x2xbf16>, %d: memref<4x2xbf16, strided<[8, 1]>>) {
  trop.dual_matmul ins(%a, %b : memref<4x8xbf16>, memref<8x2xbf16>) outs(%c, %d : memref<4x2xbf16>, memref<4x2xbf16, strided<[8, 1]>>)
  return
}
