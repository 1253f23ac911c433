// --trop-raise is exact: each function, raised and lowered (reference and CPU
// pipelines), gives bit-identical results to the original linalg/arith IR
// run through the reference lowering, on seeded random inputs.
// RUN: trop-opt %s --trop-raise | FileCheck %s --check-prefix=RAISED
// RAISED-COUNT-10: trop.{{matmul|batch_matmul|depthwise_conv_2d|maxout}}
// RUN: trop-run %s --entry broadcast_add_reduce_max --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry broadcast_add_reduce_max --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry fused_min_plus_transposed_lhs --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry fused_min_plus_transposed_lhs --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry batched --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry batched --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry integers --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry integers --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry pooling --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry pooling --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_pooling_i8 --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_pooling_i8 --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry maxout --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry maxout --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry relu --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry relu --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry bias_column --random-inputs --seed 5 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// OK: check: OK

#bx = affine_map<(b, m, n) -> (b, n)>
#bw = affine_map<(b, m, n) -> (m, n)>
#bo = affine_map<(b, m, n) -> (b, m, n)>

func.func @broadcast_add_reduce_max(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<4x3xf32>
}

func.func @fused_min_plus_transposed_lhs(%xt: tensor<8x4xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (k, i)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%xt, %b : tensor<8x4xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%a: f32, %w: f32, %acc: f32):
    %s = arith.addf %w, %a : f32
    %m = arith.minimumf %acc, %s : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

func.func @batched(%a: tensor<2x4x8xf32>, %b: tensor<2x8x3xf32>, %init: tensor<2x4x3xf32>) -> tensor<2x4x3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(b, i, j, k) -> (b, i, k)>, affine_map<(b, i, j, k) -> (b, k, j)>, affine_map<(b, i, j, k) -> (b, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x4x8xf32>, tensor<2x8x3xf32>) outs(%init : tensor<2x4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %acc : f32
    linalg.yield %m : f32
  } -> tensor<2x4x3xf32>
  return %r : tensor<2x4x3xf32>
}

func.func @integers(%a: tensor<4x8xi16>, %b: tensor<8x3xi16>, %init: tensor<4x3xi16>) -> (tensor<4x3xi16>, tensor<4x3xi16>) {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xi16>, tensor<8x3xi16>) outs(%init : tensor<4x3xi16>) {
  ^bb0(%x: i16, %y: i16, %acc: i16):
    %s = arith.minsi %x, %y : i16
    %m = arith.maxsi %acc, %s : i16
    linalg.yield %m : i16
  } -> tensor<4x3xi16>
  %q = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xi16>, tensor<8x3xi16>) outs(%init : tensor<4x3xi16>) {
  ^bb0(%x: i16, %y: i16, %acc: i16):
    %s = arith.addi %x, %y : i16
    %m = arith.maxsi %acc, %s : i16
    linalg.yield %m : i16
  } -> tensor<4x3xi16>
  return %r, %q : tensor<4x3xi16>, tensor<4x3xi16>
}

func.func @pooling(%x: tensor<1x9x9x16xf32>, %init: tensor<1x4x4x16xf32>) -> (tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>) {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x9x9x16xf32>, tensor<3x3xf32>) outs(%init : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %s = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x9x9x16xf32>, tensor<3x3xf32>) outs(%init : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %r, %s : tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>
}

func.func @min_pooling_i8(%x: tensor<1x6x6x4xi8>, %init: tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8> {
  %w = tensor.empty() : tensor<3x3xi8>
  %r = linalg.pooling_nhwc_min {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x6x6x4xi8>, tensor<3x3xi8>) outs(%init : tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8>
  return %r : tensor<1x4x4x4xi8>
}

func.func @maxout(%x: tensor<8x64xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %e = tensor.expand_shape %x [[0], [1, 2]] output_shape [8, 16, 4] : tensor<8x64xf32> into tensor<8x16x4xf32>
  %m = linalg.reduce ins(%e : tensor<8x16x4xf32>) outs(%init : tensor<8x16xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<8x16xf32>
}

#id = affine_map<(i, j) -> (i, j)>

func.func @relu(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  %z = trop.matmul <min_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r, %s : tensor<4x3xf32>, tensor<4x3xf32>
}

func.func @bias_column(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %bias: tensor<3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, m, n) -> (b, n)>, affine_map<(b, m, n) -> (m, n)>, affine_map<(b, m, n) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %eb = tensor.empty() : tensor<4x3x1xf32>
  %bb = linalg.generic {indexing_maps = [affine_map<(b, m, z) -> (m)>, affine_map<(b, m, z) -> (b, m, z)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%bias : tensor<3xf32>) outs(%eb : tensor<4x3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x3x1xf32>
  %c = tensor.concat dim(2) %s, %bb : (tensor<4x3x8xf32>, tensor<4x3x1xf32>) -> tensor<4x3x9xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e2 = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %m = linalg.reduce ins(%c : tensor<4x3x9xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<4x3xf32>
}
