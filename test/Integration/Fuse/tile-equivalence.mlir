// --trop-fuse's row tiling (and max/min pairing) is exact: paper A's head
// (linear + bias, max-plus with a broadcast bias, linear + bias) and paper
// C's MaxPlusMin between two linear layers, tiled with row tiles that do and
// do not divide the batch (37 and 40 rows), lowered by the CPU pipeline (1
// and 2 threads) and the reference pipeline, give bit-identical results to
// the untiled IR run through the reference lowering.
// RUN: trop-opt %s --trop-fuse=tile-rows=16 | FileCheck %s --check-prefix=TILED
// TILED-COUNT-3: scf.for
// RUN: trop-run %s --entry head --random-inputs --seed 7 --check --pipeline 'builtin.module(trop-fuse{tile-rows=7},trop-cpu-pipeline{results-to-out-params=1 threads=2})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry head --random-inputs --seed 16 --check --pipeline 'builtin.module(trop-fuse{tile-rows=16},trop-cpu-pipeline{results-to-out-params=1 threads=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry head --random-inputs --seed 96 --check --pipeline 'builtin.module(trop-fuse{tile-rows=96},trop-cpu-pipeline{results-to-out-params=1 threads=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry head --random-inputs --seed 5 --check --pipeline 'builtin.module(trop-fuse{tile-rows=16},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_plus_min_chain --random-inputs --seed 7 --check --pipeline 'builtin.module(trop-fuse{tile-rows=7},trop-cpu-pipeline{results-to-out-params=1 threads=2})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_plus_min_chain --random-inputs --seed 16 --check --pipeline 'builtin.module(trop-fuse{tile-rows=16},trop-cpu-pipeline{results-to-out-params=1 threads=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_plus_min_chain --random-inputs --seed 96 --check --pipeline 'builtin.module(trop-fuse{tile-rows=96},trop-cpu-pipeline{results-to-out-params=1 threads=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_plus_min_chain --random-inputs --seed 5 --check --pipeline 'builtin.module(trop-fuse{tile-rows=16},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry linear_then_pair --random-inputs --seed 12 --check --pipeline 'builtin.module(trop-fuse{tile-rows=12},trop-cpu-pipeline{results-to-out-params=1 threads=2})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry linear_then_pair --random-inputs --seed 13 --check --pipeline 'builtin.module(trop-fuse{tile-rows=12},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// OK: check: OK


#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>

func.func @head(%x: tensor<37x24xf32>, %w1: tensor<24x24xf32>, %b1: tensor<24xf32>, %w2: tensor<24x24xf32>, %b2: tensor<24xf32>, %w3: tensor<24x10xf32>, %b3: tensor<10xf32>) -> tensor<37x10xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<37x24xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%f1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %h1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<37x24xf32>, tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<37x24xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) dimensions = [0]
  %h2 = trop.matmul <max_plus> ins(%h1, %w2 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%i2 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %e3 = tensor.empty() : tensor<37x10xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  %m3 = linalg.matmul ins(%h2, %w3 : tensor<37x24xf32>, tensor<24x10xf32>) outs(%f3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<37x10xf32>, tensor<10xf32>) outs(%e3 : tensor<37x10xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<37x10xf32>
  return %y : tensor<37x10xf32>
}






func.func @max_plus_min_chain(%x: tensor<40x16xf32>, %w1: tensor<16x16xf32>, %w2: tensor<16x8xf32>, %b: tensor<40x8xf32>, %b2: tensor<40x8xf32>, %w3: tensor<8x4xf32>) -> tensor<40x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<40x16xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<40x16xf32>) -> tensor<40x16xf32>
  %h1 = linalg.matmul ins(%x, %w1 : tensor<40x16xf32>, tensor<16x16xf32>) outs(%f1 : tensor<40x16xf32>) -> tensor<40x16xf32>
  %mx = trop.matmul <max_plus> ins(%h1, %w2 : tensor<40x16xf32>, tensor<16x8xf32>) outs(%b : tensor<40x8xf32>) -> tensor<40x8xf32>
  %mn = trop.matmul <min_plus> ins(%h1, %w2 : tensor<40x16xf32>, tensor<16x8xf32>) outs(%b2 : tensor<40x8xf32>) -> tensor<40x8xf32>
  %e2 = tensor.empty() : tensor<40x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%mx, %mn : tensor<40x8xf32>, tensor<40x8xf32>) outs(%e2 : tensor<40x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<40x8xf32>
  %e3 = tensor.empty() : tensor<40x4xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<40x4xf32>) -> tensor<40x4xf32>
  %y = linalg.matmul ins(%s, %w3 : tensor<40x8xf32>, tensor<8x4xf32>) outs(%f3 : tensor<40x4xf32>) -> tensor<40x4xf32>
  return %y : tensor<40x4xf32>
}


// A chain that ends in the dual_matmul: the loop yields both of its results.
func.func @linear_then_pair(%x: tensor<45x24xf32>, %w1: tensor<24x24xf32>, %c1: tensor<45x24xf32>, %w2: tensor<24x40xf32>, %b: tensor<45x40xf32>, %b2: tensor<45x40xf32>) -> (tensor<45x40xf32>, tensor<45x40xf32>) {
  %h = linalg.matmul ins(%x, %w1 : tensor<45x24xf32>, tensor<24x24xf32>) outs(%c1 : tensor<45x24xf32>) -> tensor<45x24xf32>
  %mx = trop.matmul <max_plus> ins(%h, %w2 : tensor<45x24xf32>, tensor<24x40xf32>) outs(%b : tensor<45x40xf32>) -> tensor<45x40xf32>
  %mn = trop.matmul <min_plus> ins(%h, %w2 : tensor<45x24xf32>, tensor<24x40xf32>) outs(%b2 : tensor<45x40xf32>) -> tensor<45x40xf32>
  return %mx, %mn : tensor<45x40xf32>, tensor<45x40xf32>
}
