// The forms of test/Transforms/raise-pool-window.mlir (max/min pooling as a
// windowed reduction generic) and raise-pad-conv.mlir (a 𝟘 pad folded into
// a trop convolution's padding), raised and lowered (reference and CPU
// pipelines), give bit-identical results to the original IR run through the
// reference lowering, on seeded random inputs.
// RUN: trop-opt %s --trop-raise | FileCheck %s --check-prefix=RAISED
// RAISED-LABEL: func.func @max_pool_nchw
// RAISED: trop.depthwise_conv_2d <max_min>
// RAISED-LABEL: func.func @min_pool_nhwc_dilated
// RAISED: trop.depthwise_conv_2d <min_max>
// RAISED-LABEL: func.func @padded_max_plus_nchw
// RAISED-NOT: tensor.pad
// RAISED: trop.conv_2d <max_plus> {padding = array<i64: 1, 2, 1, 0>}
// RUN: trop-run %s --entry max_pool_nchw --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_pool_nchw --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_pool_nhwc_dilated --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_pool_nhwc_dilated --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry padded_max_plus_nchw --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry padded_max_plus_nchw --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// OK: check: OK

func.func @max_pool_nchw(%x: tensor<2x3x8x8xf32>, %init: tensor<2x3x4x4xf32>) -> tensor<2x3x4x4xf32> {
  %w = tensor.empty() : tensor<2x2xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh * 2 + kh, ow * 2 + kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (kh, kw)>, affine_map<(n, c, oh, ow, kh, kw) -> (n, c, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%x, %w : tensor<2x3x8x8xf32>, tensor<2x2xf32>) outs(%init : tensor<2x3x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.maximumf %a, %o : f32
    linalg.yield %m : f32
  } -> tensor<2x3x4x4xf32>
  return %r : tensor<2x3x4x4xf32>
}

func.func @min_pool_nhwc_dilated(%x: tensor<1x7x7x4xf32>, %init: tensor<1x3x3x4xf32>) -> tensor<1x3x3x4xf32> {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, oh, ow, c, kh, kw) -> (kh, kw)>, affine_map<(n, oh, ow, c, kh, kw) -> (n, oh + kh * 2, ow + kw * 2, c)>, affine_map<(n, oh, ow, c, kh, kw) -> (n, oh, ow, c)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
      ins(%w, %x : tensor<3x3xf32>, tensor<1x7x7x4xf32>) outs(%init : tensor<1x3x3x4xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %m = arith.minimumf %o, %a : f32
    linalg.yield %m : f32
  } -> tensor<1x3x3x4xf32>
  return %r : tensor<1x3x3x4xf32>
}

func.func @padded_max_plus_nchw(%x: tensor<1x2x5x6xf32>, %w: tensor<3x3x2x4xf32>, %init: tensor<1x5x6x4xf32>) -> tensor<1x5x6x4xf32> {
  %ninf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 2] high[0, 0, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %ninf : f32
  } : tensor<1x2x5x6xf32> to tensor<1x2x7x8xf32>
  %e = tensor.empty() : tensor<1x7x8x2xf32>
  %t = linalg.transpose ins(%p : tensor<1x2x7x8xf32>) outs(%e : tensor<1x7x8x2xf32>) permutation = [0, 2, 3, 1]
  %r = trop.conv_2d <max_plus> ins(%t, %w : tensor<1x7x8x2xf32>, tensor<3x3x2x4xf32>) outs(%init : tensor<1x5x6x4xf32>) -> tensor<1x5x6x4xf32>
  return %r : tensor<1x5x6x4xf32>
}
