// Elementwise linalg ops (BatchNorm affine, ReLU, per-channel and per-row
// broadcasts, residual and bias adds, in place and not) run as vector loops
// on the CPU pipeline: bit-identical to the reference lowering (same ops per
// element), on awkward and empty shapes, tensors and memrefs, 1 and 2
// threads, with the AVX2 register width too.
// RUN: trop-run %s --entry bn_relu --random-inputs --seed 1 --pipeline cpu --num-threads 1 --check --dump-lowered 2>%t.ll | FileCheck %s
// RUN: FileCheck %s --check-prefix=VEC < %t.ll
// RUN: trop-run %s --entry bn_relu --random-inputs --seed 2 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry bn_relu --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-cpu-pipeline{threads=2 vector-bits=256 vector-registers=16 results-to-out-params=1})' | FileCheck %s
// RUN: trop-run %s --entry row_scale --random-inputs --seed 4 --pipeline cpu --num-threads 1 --check | FileCheck %s
// RUN: trop-run %s --entry row_scale --random-inputs --seed 5 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry bias_in_place --random-inputs --seed 6 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry bias_in_place --random-inputs --seed 7 --pipeline cpu --num-threads 1 --check | FileCheck %s
// RUN: trop-run %s --entry wide --random-inputs --seed 8 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry scalar_rank1 --random-inputs --seed 9 --pipeline cpu --num-threads 1 --check | FileCheck %s
// RUN: trop-run %s --entry empty --random-inputs --seed 10 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry ints --random-inputs --seed 11 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry pad --random-inputs --seed 12 --pipeline cpu --num-threads 1 --check | FileCheck %s
// RUN: trop-run %s --entry pad --random-inputs --seed 13 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry strided_copy --random-inputs --seed 14 --pipeline cpu --num-threads 2 --check | FileCheck %s
// CHECK: check: OK
// The vector loop of bn_relu: a vector max (ReLU) after vector fmul/fadd.
// VEC: llvm.fmul {{.*}} : vector<{{[0-9]+}}xf32>
// VEC: llvm.intr.maximum({{.*}}) : (vector<{{[0-9]+}}xf32>, vector<{{[0-9]+}}xf32>)

#id4 = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch4 = affine_map<(d0, d1, d2, d3) -> (d3)>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
#id1 = affine_map<(d0) -> (d0)>

// BatchNorm's affine map with a residual add and a ReLU, on tensors; 37
// channels: whole vectors and a remainder.
func.func @bn_relu(%x: tensor<2x5x7x37xf32>, %scale: tensor<37xf32>, %shift: tensor<37xf32>, %res: tensor<2x5x7x37xf32>) -> tensor<2x5x7x37xf32> {
  %init = tensor.empty() : tensor<2x5x7x37xf32>
  %y = linalg.generic {indexing_maps = [#id4, #ch4, #ch4, #id4, #id4], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x, %scale, %shift, %res : tensor<2x5x7x37xf32>, tensor<37xf32>, tensor<37xf32>, tensor<2x5x7x37xf32>) outs(%init : tensor<2x5x7x37xf32>) {
  ^bb0(%a: f32, %s: f32, %t: f32, %r: f32, %o: f32):
    %0 = arith.mulf %a, %s : f32
    %1 = arith.addf %0, %t : f32
    %2 = arith.addf %1, %r : f32
    %z = arith.constant 0.0 : f32
    %3 = arith.maximumf %2, %z : f32
    linalg.yield %3 : f32
  } -> tensor<2x5x7x37xf32>
  return %y : tensor<2x5x7x37xf32>
}

// A per-row scale (broadcast along the vectorized dimension) on memrefs.
func.func @row_scale(%x: memref<33x1031xf64>, %s: memref<33xf64>, %y: memref<33x1031xf64>) {
  linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%x, %s : memref<33x1031xf64>, memref<33xf64>) outs(%y : memref<33x1031xf64>) {
  ^bb0(%a: f64, %b: f64, %o: f64):
    %0 = arith.mulf %a, %b : f64
    linalg.yield %0 : f64
  }
  return
}

// A bias added in place (the output is also read).
func.func @bias_in_place(%y: memref<1000x17xf32>, %bias: memref<17xf32>) {
  linalg.generic {indexing_maps = [#col, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%bias : memref<17xf32>) outs(%y : memref<1000x17xf32>) {
  ^bb0(%b: f32, %o: f32):
    %0 = arith.addf %o, %b : f32
    linalg.yield %0 : f32
  }
  return
}

// A named elementwise op and a body computing in f64 from f32 (widest type
// sets the lanes).
func.func @wide(%a: tensor<7x33xf32>, %b: tensor<7x33xf32>) -> tensor<7x33xf32> {
  %init = tensor.empty() : tensor<7x33xf32>
  %s = linalg.add ins(%a, %b : tensor<7x33xf32>, tensor<7x33xf32>) outs(%init : tensor<7x33xf32>) -> tensor<7x33xf32>
  %y = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%s : tensor<7x33xf32>) outs(%init : tensor<7x33xf32>) {
  ^bb0(%v: f32, %o: f32):
    %0 = arith.extf %v : f32 to f64
    %1 = arith.mulf %0, %0 : f64
    %2 = arith.truncf %1 : f64 to f32
    linalg.yield %2 : f32
  } -> tensor<7x33xf32>
  return %y : tensor<7x33xf32>
}

// Rank 1, a scalar from outside the body, one element.
func.func @scalar_rank1(%x: memref<1xf32>, %y: memref<1xf32>) {
  %c = arith.constant 2.5 : f32
  linalg.generic {indexing_maps = [#id1, #id1], iterator_types = ["parallel"]}
    ins(%x : memref<1xf32>) outs(%y : memref<1xf32>) {
  ^bb0(%a: f32, %o: f32):
    %0 = arith.mulf %a, %c : f32
    linalg.yield %0 : f32
  }
  return
}

// Empty.
func.func @empty(%x: memref<0x7xf32>, %s: memref<7xf32>, %y: memref<0x7xf32>) {
  linalg.generic {indexing_maps = [#id2, #col, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%x, %s : memref<0x7xf32>, memref<7xf32>) outs(%y : memref<0x7xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %0 = arith.addf %a, %b : f32
    linalg.yield %0 : f32
  }
  return
}

// Integers: a clamp (ReLU6-like) of a sum, i8 in and i32 out.
func.func @ints(%x: memref<17x65xi8>, %y: memref<17x65xi32>) {
  linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%x : memref<17x65xi8>) outs(%y : memref<17x65xi32>) {
  ^bb0(%a: i8, %o: i32):
    %0 = arith.extsi %a : i8 to i32
    %1 = arith.addi %0, %o : i32
    %lo = arith.constant 0 : i32
    %hi = arith.constant 6 : i32
    %2 = arith.maxsi %1, %lo : i32
    %3 = arith.minsi %2, %hi : i32
    linalg.yield %3 : i32
  }
  return
}

// A tensor.pad: a fill (linalg.map) and a copy into a strided subview, both
// vector loops.
func.func @pad(%x: tensor<3x7x5x17xf32>) -> tensor<3x10x8x17xf32> {
  %z = arith.constant 1.5 : f32
  %p = tensor.pad %x low[0, 1, 2, 0] high[0, 2, 1, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %z : f32
  } : tensor<3x7x5x17xf32> to tensor<3x10x8x17xf32>
  return %p : tensor<3x10x8x17xf32>
}

func.func @strided_copy(%x: memref<4x33xi16>, %y: memref<4x40xi16>) {
  %s = memref.subview %y[0, 3] [4, 33] [1, 1] : memref<4x40xi16> to memref<4x33xi16, strided<[40, 1], offset: 3>>
  memref.copy %x, %s : memref<4x33xi16> to memref<4x33xi16, strided<[40, 1], offset: 3>>
  return
}
