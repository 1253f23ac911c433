// Elementwise consumers fused into the tropical GEMM's epilogue (bias, ReLU,
// BatchNorm's affine map, residual add; in place and into a fresh buffer) are
// bit-identical to the reference lowering, which runs them as separate loops:
// the same ops on the same values in the same order. Awkward shapes (edge
// tiles, several reduction blocks, K = 0 which is not fused), 1 and 2
// threads, the AVX2 register shape too.
// RUN: trop-run %s --entry conv_bias_relu --random-inputs --seed 1 --pipeline cpu --num-threads 1 --check | FileCheck %s
// RUN: trop-run %s --entry conv_bias_relu --random-inputs --seed 2 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry conv_bias_relu --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-cpu-pipeline{threads=2 vector-bits=256 vector-registers=16 results-to-out-params=1})' | FileCheck %s
// RUN: trop-run %s --entry conv_unaligned --random-inputs --seed 4 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry matmul_bn_residual --random-inputs --seed 5 --pipeline cpu --num-threads 1 --check | FileCheck %s
// RUN: trop-run %s --entry matmul_bn_residual --random-inputs --seed 6 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry matmul_bn_residual --random-inputs --seed 7 --check --pipeline 'builtin.module(trop-cpu-pipeline{threads=1 vector-bits=256 vector-registers=16 results-to-out-params=1})' | FileCheck %s
// RUN: trop-run %s --entry matmul_f64_thin --random-inputs --seed 8 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry matmul_k0 --random-inputs --seed 9 --pipeline cpu --num-threads 1 --check | FileCheck %s
// CHECK: check: OK

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch4 = affine_map<(d0, d1, d2, d3) -> (d3)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#ch2 = affine_map<(d0, d1) -> (d1)>

// 32 channels: one GEMM over the window, fused; bias and ReLU in place.
func.func @conv_bias_relu(%x: tensor<2x9x9x32xf32>, %w: tensor<3x3x32x37xf32>, %bias: tensor<37xf32>) -> tensor<2x9x9x37xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<2x9x9x37xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e : tensor<2x9x9x37xf32>) -> tensor<2x9x9x37xf32>
  %c = trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : tensor<2x9x9x32xf32>, tensor<3x3x32x37xf32>) outs(%init : tensor<2x9x9x37xf32>) -> tensor<2x9x9x37xf32>
  %y = linalg.generic {indexing_maps = [#id4, #ch4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%c, %bias : tensor<2x9x9x37xf32>, tensor<37xf32>) outs(%e : tensor<2x9x9x37xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.addf %a, %b : f32
    %z = arith.constant 0.0 : f32
    %1 = arith.maximumf %0, %z : f32
    linalg.yield %1 : f32
  } -> tensor<2x9x9x37xf32>
  return %y : tensor<2x9x9x37xf32>
}

// 5 channels: one GEMM per window position, the epilogue after the last.
func.func @conv_unaligned(%x: tensor<1x7x7x5xf32>, %w: tensor<3x3x5x17xf32>, %bias: tensor<17xf32>) -> tensor<1x7x7x17xf32> {
  %inf = arith.constant 0x7F800000 : f32
  %e = tensor.empty() : tensor<1x7x7x17xf32>
  %init = linalg.fill ins(%inf : f32) outs(%e : tensor<1x7x7x17xf32>) -> tensor<1x7x7x17xf32>
  %c = trop.conv_2d <min_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : tensor<1x7x7x5xf32>, tensor<3x3x5x17xf32>) outs(%init : tensor<1x7x7x17xf32>) -> tensor<1x7x7x17xf32>
  %y = linalg.generic {indexing_maps = [#id4, #ch4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%c, %bias : tensor<1x7x7x17xf32>, tensor<17xf32>) outs(%e : tensor<1x7x7x17xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.mulf %a, %b : f32
    linalg.yield %0 : f32
  } -> tensor<1x7x7x17xf32>
  return %y : tensor<1x7x7x17xf32>
}

// BatchNorm's affine map and a residual add into a fresh buffer; K = 600
// spans two reduction blocks, 33 × 1031 has edge tiles both ways.
func.func @matmul_bn_residual(%a: tensor<33x600xf32>, %b: tensor<600x1031xf32>, %c0: tensor<33x1031xf32>, %scale: tensor<1031xf32>, %shift: tensor<1031xf32>, %res: tensor<33x1031xf32>) -> tensor<33x1031xf32> {
  %c = trop.matmul <max_plus> ins(%a, %b : tensor<33x600xf32>, tensor<600x1031xf32>) outs(%c0 : tensor<33x1031xf32>) -> tensor<33x1031xf32>
  %e = tensor.empty() : tensor<33x1031xf32>
  %y = linalg.generic {indexing_maps = [#id2, #ch2, #ch2, #id2, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%c, %scale, %shift, %res : tensor<33x1031xf32>, tensor<1031xf32>, tensor<1031xf32>, tensor<33x1031xf32>) outs(%e : tensor<33x1031xf32>) {
  ^bb0(%v: f32, %s: f32, %t: f32, %r: f32, %o: f32):
    %0 = arith.mulf %v, %s : f32
    %1 = arith.addf %0, %t : f32
    %2 = arith.addf %1, %r : f32
    linalg.yield %2 : f32
  } -> tensor<33x1031xf32>
  return %y : tensor<33x1031xf32>
}

// f64, thin: 7 rows, 17 columns, K = 1.
func.func @matmul_f64_thin(%a: tensor<7x1xf64>, %b: tensor<1x17xf64>, %c0: tensor<7x17xf64>, %bias: tensor<17xf64>) -> tensor<7x17xf64> {
  %c = trop.matmul <min_plus> ins(%a, %b : tensor<7x1xf64>, tensor<1x17xf64>) outs(%c0 : tensor<7x17xf64>) -> tensor<7x17xf64>
  %y = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%c, %bias : tensor<7x17xf64>, tensor<17xf64>) outs(%c0 : tensor<7x17xf64>) {
  ^bb0(%v: f64, %s: f64, %o: f64):
    %0 = arith.subf %v, %s : f64
    linalg.yield %0 : f64
  } -> tensor<7x17xf64>
  return %y : tensor<7x17xf64>
}

// K = 0: no reduction block runs, so nothing is fused.
func.func @matmul_k0(%a: tensor<5x0xf32>, %b: tensor<0x9xf32>, %c0: tensor<5x9xf32>, %bias: tensor<9xf32>) -> tensor<5x9xf32> {
  %c = trop.matmul <max_plus> ins(%a, %b : tensor<5x0xf32>, tensor<0x9xf32>) outs(%c0 : tensor<5x9xf32>) -> tensor<5x9xf32>
  %y = linalg.generic {indexing_maps = [#id2, #ch2, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%c, %bias : tensor<5x9xf32>, tensor<9xf32>) outs(%c0 : tensor<5x9xf32>) {
  ^bb0(%v: f32, %s: f32, %o: f32):
    %0 = arith.addf %v, %s : f32
    linalg.yield %0 : f32
  } -> tensor<5x9xf32>
  return %y : tensor<5x9xf32>
}
