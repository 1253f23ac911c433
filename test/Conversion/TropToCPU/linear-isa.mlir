// The linear kernels compile to fused multiply-adds on both x86 vector ISAs:
// the conv's micro-kernel to vfmadd231ps on ymm registers for an AVX2 CPU
// (Zen 3, 16 registers: a 6 x (2 x 8) tile) and on zmm for AVX-512
// (Sapphire Rapids, 32 registers: 12 x (2 x 16)), and the elementwise
// bias + ReLU to vector adds and max on the same registers.
// RUN: trop-opt %s --trop-cpu-pipeline="threads=1 vector-bits=256 vector-registers=16" | mlir-translate --mlir-to-llvmir | llc -O3 -mcpu=znver3 | FileCheck %s --check-prefix=AVX2
// RUN: trop-opt %s --trop-cpu-pipeline="threads=1 vector-bits=512 vector-registers=32" | mlir-translate --mlir-to-llvmir | llc -O3 -mcpu=sapphirerapids | FileCheck %s --check-prefix=AVX512

// AVX2-LABEL: conv:
// AVX2-COUNT-12: vfmadd231ps {{.*}}%ymm
// AVX2-NOT: %zmm
// AVX512-LABEL: conv:
// AVX512-COUNT-24: vfmadd231ps {{.*}}%zmm
func.func @conv(%x: memref<1x10x10x32xf32>, %w: memref<3x3x32x64xf32>, %y: memref<1x8x8x64xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x10x10x32xf32>, memref<3x3x32x64xf32>) outs(%y : memref<1x8x8x64xf32>)
  return
}

#id = affine_map<(d0, d1) -> (d0, d1)>
#ch = affine_map<(d0, d1) -> (d1)>
// AVX2-LABEL: bias_relu:
// AVX2: vaddps {{.*}}%ymm
// AVX2: vmaxps {{.*}}%ymm
// AVX512-LABEL: bias_relu:
// AVX512: vaddps {{.*}}%zmm
// AVX512: vmaxps {{.*}}%zmm
func.func @bias_relu(%x: memref<64x64xf32>, %b: memref<64xf32>, %y: memref<64x64xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel"]}
    ins(%x, %b : memref<64x64xf32>, memref<64xf32>) outs(%y : memref<64x64xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %0 = arith.addf %v, %s : f32
    %1 = arith.maxnumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  return
}

// An RGB stem (3 channels): one GEMM with K = 27, the same register tiles.
// AVX2-LABEL: rgb:
// AVX2-COUNT-12: vfmadd231ps {{.*}}%ymm
// AVX2-NOT: %zmm
// AVX512-LABEL: rgb:
// AVX512-COUNT-24: vfmadd231ps {{.*}}%zmm
func.func @rgb(%x: memref<1x18x18x3xf32>, %w: memref<3x3x3x64xf32>, %y: memref<1x16x16x64xf32>) {
  linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x18x18x3xf32>, memref<3x3x3x64xf32>) outs(%y : memref<1x16x16x64xf32>)
  return
}
