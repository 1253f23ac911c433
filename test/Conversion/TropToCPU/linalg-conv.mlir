// trop-to-cpu on the linear layers of a CNN: linalg convolutions and
// batch_matmul on f32/f64 memrefs become the packed GEMM (implicit im2col),
// the channel-vectorized depthwise loop nest and one GEMM per batch, with
// one vector.fma per update and no linalg op left.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32" --split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16" --split-input-file | FileCheck %s --check-prefix=AVX2

// 64 channels fill whole vectors: one GEMM over window positions and
// channels, a 12 x (2 x 16) tile of accumulators (6 x (2 x 8) with 16
// registers) updated by fused multiply-adds.
// AVX512-LABEL: func.func @conv
// AVX512: %{{.*}}:24 = scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>,
// AVX512: vector.broadcast %{{.*}} : f32 to vector<16xf32>
// AVX512-NEXT: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NOT: arith.mulf
// AVX512-NOT: linalg.conv_2d_nhwc_hwcf
// AVX2-LABEL: func.func @conv
// AVX2: %{{.*}}:12 = scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>,
// AVX2: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// AVX2-NOT: linalg.conv_2d_nhwc_hwcf
func.func @conv(%x: memref<2x18x18x64xf32>, %w: memref<3x3x64x64xf32>, %y: memref<2x8x16x64xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%x, %w : memref<2x18x18x64xf32>, memref<3x3x64x64xf32>) outs(%y : memref<2x8x16x64xf32>)
  return
}

// -----

// 3 input channels (an RGB stem): one GEMM with K = 3 · 3 · 3 = 27, whose A
// panel is packed from the 3 rows of 3 pixels x 3 channels of each window
// (one 9-value load and store per window row: im2col into the panel), not
// one GEMM per window position.
// AVX512-LABEL: func.func @rgb
// AVX512: memref.collapse_shape %{{.*}} {{\[}}[0], [1], [2, 3]] : memref<2x34x34x3xf32> into memref<2x34x102xf32>
// AVX512-COUNT-3: vector.transfer_read %{{.*}} {in_bounds = [true]} : memref<2x34x102xf32>, vector<9xf32>
// AVX512: %{{.*}}:24 = scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>,
// AVX512: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NOT: linalg.conv_2d_nhwc_hwcf
// AVX2-LABEL: func.func @rgb
// AVX2-COUNT-3: vector.transfer_read %{{.*}} {in_bounds = [true]} : memref<2x34x102xf32>, vector<9xf32>
// AVX2: %{{.*}}:12 = scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>,
func.func @rgb(%x: memref<2x34x34x3xf32>, %w: memref<3x3x3x128xf32>, %y: memref<2x32x32x128xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<2x34x34x3xf32>, memref<3x3x3x128xf32>) outs(%y : memref<2x32x32x128xf32>)
  return
}

// -----

// Depthwise: whole vectors of channels, then the remainder one at a time.
// AVX512-LABEL: func.func @depthwise
// AVX512: scf.parallel
// AVX512: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf64>
// AVX512: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<1xf64>
// AVX512-NOT: linalg.depthwise_conv_2d_nhwc_hwc
// AVX2-LABEL: func.func @depthwise
// AVX2: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<4xf64>
func.func @depthwise(%x: memref<1x9x9x17xf64>, %w: memref<3x3x17xf64>, %y: memref<1x4x7x17xf64>) {
  linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<[1, 1]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%x, %w : memref<1x9x9x17xf64>, memref<3x3x17xf64>) outs(%y : memref<1x4x7x17xf64>)
  return
}

// -----

// batch_matmul: a loop over the batch around the packed GEMM.
// AVX512-LABEL: func.func @batch
// AVX512: scf.for
// AVX512: memref.subview
// AVX512: vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NOT: linalg.batch_matmul
func.func @batch(%a: memref<3x17x33xf32>, %b: memref<3x33x40xf32>, %c: memref<3x17x40xf32>) {
  linalg.batch_matmul ins(%a, %b : memref<3x17x33xf32>, memref<3x33x40xf32>) outs(%c : memref<3x17x40xf32>)
  return
}

// -----

// Not the default multiply-add (a max body), a cast, or a strided output:
// left to the reference lowering.
// AVX512-LABEL: func.func @mixed_types
// AVX512: linalg.conv_2d_nhwc_hwcf
func.func @mixed_types(%x: memref<1x5x5x4xf16>, %w: memref<3x3x4x8xf16>, %y: memref<1x3x3x8xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x5x5x4xf16>, memref<3x3x4x8xf16>) outs(%y : memref<1x3x3x8xf32>)
  return
}

// -----

// AVX512-LABEL: func.func @strided_output
// AVX512: linalg.batch_matmul
func.func @strided_output(%a: memref<2x4x5xf32>, %b: memref<2x5x6xf32>, %c: memref<2x4x6xf32, strided<[48, 12, 2]>>) {
  linalg.batch_matmul ins(%a, %b : memref<2x4x5xf32>, memref<2x5x6xf32>) outs(%c : memref<2x4x6xf32, strided<[48, 12, 2]>>)
  return
}
