// trop-to-cpu fuses an elementwise consumer of a GEMM-shaped op's fresh
// output into the GEMM: in the last reduction block the register tile goes
// through the consumer's body (cloned on vectors) and is stored to the
// consumer's output; the consumer and its loop are gone.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32 num-tasks=1" --split-input-file | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
// Bias and ReLU after a max-plus matmul, in place: applied in the micro-kernel
// under the last-block test, nothing after the GEMM's deallocations.
// CHECK-LABEL: func.func @matmul_bias_relu
// CHECK: %[[LAST:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : index
// CHECK: %{{.*}}:24 = scf.for
// CHECK: scf.if %[[LAST]] {
// CHECK: %[[B:.*]] = vector.load %{{.*}} : memref<96xf32>, vector<16xf32>
// CHECK-NEXT: %[[S:.*]] = arith.addf %{{.*}}, %[[B]] : vector<16xf32>
// CHECK-NEXT: %[[Z:.*]] = vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK-NEXT: %[[R:.*]] = arith.maximumf %[[S]], %[[Z]] : vector<16xf32>
// CHECK-NEXT: vector.store %[[R]], %{{.*}} : memref<64x96xf32>, vector<16xf32>
// CHECK: } else {
// CHECK: memref.dealloc
// CHECK: memref.dealloc
// CHECK-NOT: arith.maximumf
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @matmul_bias_relu(%a: memref<64x128xf32>, %b: memref<128x96xf32>, %bias: memref<96xf32>) -> memref<64x96xf32> {
  %c = memref.alloc() : memref<64x96xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%ninf : f32) outs(%c : memref<64x96xf32>)
  trop.matmul <max_plus> ins(%a, %b : memref<64x128xf32>, memref<128x96xf32>) outs(%c : memref<64x96xf32>)
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
    ins(%c, %bias : memref<64x96xf32>, memref<96xf32>) outs(%c : memref<64x96xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %0 = arith.addf %v, %s : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return %c : memref<64x96xf32>
}

// -----

// A linear conv with a residual add into a fresh buffer: fused multiply-adds,
// then the residual (collapsed like the output) added from registers.
#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @conv_residual
// CHECK-NOT: linalg.fill
// CHECK: memref.collapse_shape %{{.*}} : memref<1x8x8x32xf32> into memref<64x32xf32>
// CHECK: vector.fma
// CHECK: scf.if
// CHECK: %[[R:.*]] = vector.load %{{.*}} : memref<64x32xf32>, vector<16xf32>
// CHECK-NEXT: %[[S:.*]] = arith.addf %{{.*}}, %[[R]] : vector<16xf32>
// CHECK-NEXT: vector.store %[[S]], %{{.*}} : memref<64x32xf32>, vector<16xf32>
// CHECK: memref.dealloc
// CHECK: memref.dealloc
// CHECK-NOT: arith.addf {{.*}} : vector
// CHECK-NOT: linalg
// CHECK: return
func.func @conv_residual(%x: memref<1x10x10x32xf32>, %w: memref<3x3x32x32xf32>, %res: memref<1x8x8x32xf32>) -> memref<1x8x8x32xf32> {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x8x8x32xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x8x32xf32>)
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x10x10x32xf32>, memref<3x3x32x32xf32>) outs(%y : memref<1x8x8x32xf32>)
  %z = memref.alloc() : memref<1x8x8x32xf32>
  linalg.generic {indexing_maps = [#id4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y, %res : memref<1x8x8x32xf32>, memref<1x8x8x32xf32>) outs(%z : memref<1x8x8x32xf32>) {
  ^bb0(%v: f32, %r: f32, %o: f32):
    %0 = arith.addf %v, %r : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %y : memref<1x8x8x32xf32>
  return %z : memref<1x8x8x32xf32>
}

// -----

// A depthwise conv (paper C's ConvLinAct) with the residual add of a ResNet
// block: blocks of 8 pixels in registers, each accumulator added to the
// residual and stored; no loop of its own is left for the add.
#idd = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// The zero fill of the fresh output is gone: the accumulators start from 0.
// CHECK-LABEL: func.func @depthwise_residual
// CHECK-NOT: linalg.fill
// CHECK: arith.constant dense<0.000000e+00> : vector<16xf32>
// CHECK-NOT: vector.transfer_read %alloc
// CHECK: %{{.*}}:8 = scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.fma
// CHECK-COUNT-8: arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: %{{.*}} = scf.for {{.*}} -> (vector<16xf32>)
// CHECK-NOT: linalg
// CHECK: return
func.func @depthwise_residual(%x: memref<1x10x18x32xf32>, %w: memref<3x3x32xf32>, %res: memref<1x8x16x32xf32>) -> memref<1x8x16x32xf32> {
  %zero = arith.constant 0.0 : f32
  %y = memref.alloc() : memref<1x8x16x32xf32>
  linalg.fill ins(%zero : f32) outs(%y : memref<1x8x16x32xf32>)
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x10x18x32xf32>, memref<3x3x32xf32>) outs(%y : memref<1x8x16x32xf32>)
  %z = memref.alloc() : memref<1x8x16x32xf32>
  linalg.generic {indexing_maps = [#idd, #idd, #idd], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%y, %res : memref<1x8x16x32xf32>, memref<1x8x16x32xf32>) outs(%z : memref<1x8x16x32xf32>) {
  ^bb0(%v: f32, %r: f32, %o: f32):
    %0 = arith.addf %v, %r : f32
    linalg.yield %0 : f32
  }
  memref.dealloc %y : memref<1x8x16x32xf32>
  return %z : memref<1x8x16x32xf32>
}

// -----

// Not fused: the GEMM's output is read again after the consumer, so it must
// be stored; the consumer stays a (vectorized) loop of its own.
#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @output_still_read
// CHECK: memref.dealloc
// CHECK: memref.dealloc
// CHECK: arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: return
func.func @output_still_read(%a: memref<16x16xf32>, %b: memref<16x32xf32>, %bias: memref<32xf32>) -> (memref<16x32xf32>, memref<16x32xf32>) {
  %c = memref.alloc() : memref<16x32xf32>
  %d = memref.alloc() : memref<16x32xf32>
  trop.matmul <max_plus> ins(%a, %b : memref<16x16xf32>, memref<16x32xf32>) outs(%c : memref<16x32xf32>)
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
    ins(%c, %bias : memref<16x32xf32>, memref<32xf32>) outs(%d : memref<16x32xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %0 = arith.addf %v, %s : f32
    linalg.yield %0 : f32
  }
  return %c, %d : memref<16x32xf32>, memref<16x32xf32>
}
