// The forms of test/Transforms/raise-bias-maximum.mlir (a bias as a
// separate maximum/minimum), raise-relu-forms.mlir (the exact ReLU forms),
// raise-broadcast-sub.mlir (x − W), raise-windowed-conv.mlir and
// raise-unfold-conv.mlir, raise-dep.mlir, raised and lowered (reference and CPU
// pipelines), give bit-identical results to the original IR run through the
// reference lowering, on seeded random inputs.
// RUN: trop-opt %s --trop-raise | grep -c "trop.matmul" | FileCheck %s --check-prefix=MATMULS
// RUN: trop-opt %s --trop-raise | grep -c "trop.conv_2d" | FileCheck %s --check-prefix=CONVS
// RUN: trop-opt %s --trop-raise | FileCheck %s --check-prefix=RAISED
// MATMULS: 13
// CONVS: 2
// RAISED-NOT: linalg.reduce
// RUN: trop-run %s --entry max_plus_bias_generic --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_plus_bias_generic --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_plus_bias_named --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_plus_bias_named --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry relu_forms --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry relu_forms --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry x_minus_w --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry x_minus_w --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry w_minus_x_min --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry w_minus_x_min --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry fused_sub --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry fused_sub --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry nhwc_stride --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry nhwc_stride --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry nchw_erosion --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry nchw_erosion --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry sequence_batch --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry sequence_batch --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry unfold_erosion --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry unfold_erosion --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry dep --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-raise,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry dep --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-raise,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// OK: check: OK

#bx = affine_map<(m, n, k) -> (m, k)>
#bw = affine_map<(m, n, k) -> (n, k)>
#bo = affine_map<(m, n, k) -> (m, n, k)>
#id = affine_map<(m, n) -> (m, n)>
#bias = affine_map<(m, n) -> (n)>

func.func @max_plus_bias_generic(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  %e2 = tensor.empty() : tensor<4x3xf32>
  %y = linalg.generic {indexing_maps = [#bias, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b, %m : tensor<3xf32>, tensor<4x3xf32>) outs(%e2 : tensor<4x3xf32>) {
  ^bb0(%bv: f32, %v: f32, %o: f32):
    %r = arith.maximumf %bv, %v : f32
    linalg.yield %r : f32
  } -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

func.func @min_plus_bias_named(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e2 = tensor.empty() : tensor<4x3xf32>
  %bb = linalg.broadcast ins(%b : tensor<3xf32>) outs(%e2 : tensor<4x3xf32>) dimensions = [0]
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %c, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %acc, %in : f32
      linalg.yield %mn : f32
    }
  %e3 = tensor.empty() : tensor<4x3xf32>
  %y = linalg.min ins(%m, %bb : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e3 : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

func.func @relu_forms(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %y0 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  // The zero first.
  %r0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y0 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %zero, %v : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  // select(v > 0 or NaN, v, +0): NaN stays NaN, −0 becomes +0.
  %y1 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y1 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %c = arith.cmpf ugt, %v, %zero : f32
    %m = arith.select %c, %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  // select(v <= 0, +0, v), ordered: the same.
  %y2 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y2 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %c = arith.cmpf oge, %zero, %v : f32
    %m = arith.select %c, %zero, %v : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  // maxnumf under fastmath<nnan>, as --trop-raise treats it elsewhere.
  %y3 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y3 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maxnumf %v, %zero fastmath<nnan> : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r0, %r1, %r2, %r3 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

func.func @x_minus_w(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<4x3xf32>
}

func.func @w_minus_x_min(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.subf %b, %a : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %acc, %in : f32
      linalg.yield %mn : f32
    }
  return %m : tensor<4x3xf32>
}

func.func @fused_sub(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %d = arith.subf %x, %y : f32
    %m = arith.maximumf %o, %d : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

func.func @nhwc_stride(%x: tensor<1x9x9x3xf32>, %w: tensor<3x3x3x4xf32>, %init: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %r = linalg.generic {indexing_maps = [
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh * 2 + kh, ow * 2 + kw, c)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (kh, kw, c, f)>,
      affine_map<(n, oh, ow, f, kh, kw, c) -> (n, oh, ow, f)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%x, %w : tensor<1x9x9x3xf32>, tensor<3x3x3x4xf32>) outs(%init : tensor<1x4x4x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %m = arith.maximumf %o, %s : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}

func.func @nchw_erosion(%w: tensor<4x3x3x3xf32>, %x: tensor<1x3x8x8xf32>, %init: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %r = linalg.generic {indexing_maps = [
      affine_map<(n, f, oh, ow, c, kh, kw) -> (f, c, kh, kw)>,
      affine_map<(n, f, oh, ow, c, kh, kw) -> (n, c, oh + kh * 2, ow + kw * 2)>,
      affine_map<(n, f, oh, ow, c, kh, kw) -> (n, f, oh, ow)>],
      iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
      ins(%w, %x : tensor<4x3x3x3xf32>, tensor<1x3x8x8xf32>) outs(%init : tensor<1x4x4x4xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    %m = arith.minimumf %s, %o : f32
    linalg.yield %m : f32
  } -> tensor<1x4x4x4xf32>
  return %r : tensor<1x4x4x4xf32>
}

func.func @sequence_batch(%x: tensor<2x5x8xf32>, %w: tensor<3x8xf32>, %init: tensor<2x5x3xf32>) -> tensor<2x5x3xf32> {
  %e = tensor.empty() : tensor<2x5x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, t, o, d) -> (b, t, d)>, affine_map<(b, t, o, d) -> (o, d)>, affine_map<(b, t, o, d) -> (b, t, o, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<2x5x8xf32>, tensor<3x8xf32>) outs(%e : tensor<2x5x3x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.addf %a, %c : f32
    linalg.yield %r : f32
  } -> tensor<2x5x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<2x5x3x8xf32>) outs(%init : tensor<2x5x3xf32>) dimensions = [3]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<2x5x3xf32>
}

func.func @unfold_erosion(%p: tensor<2x12x9xf32>, %w: tensor<4x12xf32>, %init: tensor<2x4x9xf32>) -> tensor<2x4x9xf32> {
  %e = tensor.empty() : tensor<2x4x12x9xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(n, f, q, l) -> (n, q, l)>, affine_map<(n, f, q, l) -> (f, q)>, affine_map<(n, f, q, l) -> (n, f, q, l)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%p, %w : tensor<2x12x9xf32>, tensor<4x12xf32>) outs(%e : tensor<2x4x12x9xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %r = arith.subf %c, %a : f32
    linalg.yield %r : f32
  } -> tensor<2x4x12x9xf32>
  %m = linalg.reduce ins(%s : tensor<2x4x12x9xf32>) outs(%init : tensor<2x4x9xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %in, %acc : f32
      linalg.yield %mn : f32
    }
  return %m : tensor<2x4x9xf32>
}

func.func @dep(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %ninf: tensor<4x3xf32>, %pinf: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n, k)>], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %dil = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%ninf : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  %ero = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%pinf : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mn = arith.minimumf %in, %acc : f32
      linalg.yield %mn : f32
    }
  %e2 = tensor.empty() : tensor<4x3xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], iterator_types = ["parallel", "parallel"]}
      ins(%dil, %ero : tensor<4x3xf32>, tensor<4x3xf32>) outs(%e2 : tensor<4x3xf32>) {
  ^bb0(%d: f32, %r: f32, %o: f32):
    %lambda = arith.constant 0.25 : f32
    %mu = arith.constant 0.75 : f32
    %a = arith.mulf %lambda, %d : f32
    %b = arith.mulf %mu, %r : f32
    %sum = arith.addf %a, %b : f32
    linalg.yield %sum : f32
  } -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}
