// --check compiles the module a second time with the reference pipeline and
// compares the outputs of both exactly, for each op on random inputs.

// RUN: trop-run %s --entry matmul --random-inputs --seed 1 --check | FileCheck %s --check-prefix=MATMUL
// MATMUL: check: OK (1 outputs, 35 elements identical)
func.func @matmul(%a: tensor<5x11xf32>, %b: tensor<11x7xf32>,
                  %c: tensor<5x7xf32>) -> tensor<5x7xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<5x11xf32>, tensor<11x7xf32>)
                              outs(%c : tensor<5x7xf32>) -> tensor<5x7xf32>
  return %r : tensor<5x7xf32>
}

// RUN: trop-run %s --entry batch_matmul --random-inputs --seed 2 --check | FileCheck %s --check-prefix=BATCH
// BATCH: check: OK (1 outputs, 36 elements identical)
func.func @batch_matmul(%a: tensor<3x4x5xi16>, %b: tensor<3x5x3xi16>,
                        %c: tensor<3x4x3xi16>) -> tensor<3x4x3xi16> {
  %r = trop.batch_matmul <min_plus>
         ins(%a, %b : tensor<3x4x5xi16>, tensor<3x5x3xi16>)
         outs(%c : tensor<3x4x3xi16>) -> tensor<3x4x3xi16>
  return %r : tensor<3x4x3xi16>
}

// RUN: trop-run %s --entry conv_2d --random-inputs --seed 3 --check | FileCheck %s --check-prefix=CONV
// CONV: check: OK (1 outputs, 32 elements identical)
func.func @conv_2d(%x: tensor<1x8x8x3xf16>, %w: tensor<3x3x3x2xf16>,
                   %y: tensor<1x4x4x2xf16>) -> tensor<1x4x4x2xf16> {
  %r = trop.conv_2d <max_plus> {strides = array<i64: 2, 2>,
                                dilations = array<i64: 1, 1>,
                                padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %w : tensor<1x8x8x3xf16>, tensor<3x3x3x2xf16>)
         outs(%y : tensor<1x4x4x2xf16>) -> tensor<1x4x4x2xf16>
  return %r : tensor<1x4x4x2xf16>
}

// RUN: trop-run %s --entry depthwise_conv_2d --random-inputs --seed 4 --check | FileCheck %s --check-prefix=DEPTHWISE
// DEPTHWISE: check: OK (1 outputs, 98 elements identical)
func.func @depthwise_conv_2d(%img: tensor<2x7x7x1xi1>, %se: tensor<3x3x1xi1>,
                             %out: tensor<2x7x7x1xi1>) -> tensor<2x7x7x1xi1> {
  %r = trop.depthwise_conv_2d <max_min> {padding = array<i64: 1, 1, 1, 1>}
         ins(%img, %se : tensor<2x7x7x1xi1>, tensor<3x3x1xi1>)
         outs(%out : tensor<2x7x7x1xi1>) -> tensor<2x7x7x1xi1>
  return %r : tensor<2x7x7x1xi1>
}

// RUN: trop-run %s --entry maxout --random-inputs --seed 5 --check | FileCheck %s --check-prefix=MAXOUT
// MAXOUT: check: OK (1 outputs, 24 elements identical)
func.func @maxout(%x: tensor<4x24xbf16>, %y: tensor<4x6xbf16>) -> tensor<4x6xbf16> {
  %r = trop.maxout group_size = 4 ins(%x : tensor<4x24xbf16>)
                                  outs(%y : tensor<4x6xbf16>) -> tensor<4x6xbf16>
  return %r : tensor<4x6xbf16>
}

// Memref form: the outputs are the written arguments, compared after both
// runs wrote their own copies.
// RUN: trop-run %s --entry memref_matmul --random-inputs --seed 6 --check | FileCheck %s --check-prefix=MEMREF
// MEMREF: check: OK (1 outputs, 6 elements identical)
func.func @memref_matmul(%a: memref<2x9xi8>, %b: memref<9x3xi8>,
                         %c: memref<2x3xi8>) {
  trop.matmul <max_plus> ins(%a, %b : memref<2x9xi8>, memref<9x3xi8>)
                         outs(%c : memref<2x3xi8>)
  return
}

// A textual pipeline and --nan-mode assume-none agree with the reference on
// NaN-free inputs.
// RUN: trop-run %s --entry matmul --random-inputs --check \
// RUN:   --pipeline='builtin.module(trop-reference-pipeline{results-to-out-params=1})' \
// RUN:   | FileCheck %s --check-prefix=MATMUL
// RUN: trop-run %s --entry matmul --random-inputs --check --nan-mode assume-none \
// RUN:   | FileCheck %s --check-prefix=MATMUL
