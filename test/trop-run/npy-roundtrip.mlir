// .npy files in and out: outputs written with --output read back with numpy,
// inputs written by numpy (format versions 1.0, 2.0 and 3.0) read by
// trop-run, and the dtypes of every element type.

// RUN: rm -rf %t && mkdir -p %t

// Random inputs, returned along with the product so that numpy can recompute
// it; several outputs go to out.0.npy, out.1.npy, ...
// RUN: trop-run %s --entry product_and_inputs --random-inputs --seed 3 \
// RUN:   --output %t/out.npy
// RUN: %python %S/Inputs/check_maxplus.py %t/out.0.npy %t/out.1.npy \
// RUN:   %t/out.2.npy %t/out.3.npy --range -10 10 | FileCheck %s --check-prefix=RANDOM
// RANDOM: dtype float32, shape (5, 3), 0 mismatches
// RANDOM: 0 inputs outside [-10, 10)

// --random-min/--random-max move the range.
// RUN: trop-run %s --entry product_and_inputs --random-inputs --seed 4 \
// RUN:   --random-min 100 --random-max 101 --output %t/shifted.npy
// RUN: %python %S/Inputs/check_maxplus.py %t/shifted.0.npy %t/shifted.1.npy \
// RUN:   %t/shifted.2.npy %t/shifted.3.npy --range 100 101 | FileCheck %s --check-prefix=SHIFTED
// SHIFTED: dtype float32, shape (5, 3), 0 mismatches
// SHIFTED: 0 inputs outside [100, 101)

func.func @product_and_inputs(%a: tensor<5x7xf32>, %b: tensor<7x3xf32>,
                              %c: tensor<5x3xf32>)
    -> (tensor<5x3xf32>, tensor<5x7xf32>, tensor<7x3xf32>, tensor<5x3xf32>) {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<5x7xf32>, tensor<7x3xf32>)
                              outs(%c : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %r, %a, %b, %c
      : tensor<5x3xf32>, tensor<5x7xf32>, tensor<7x3xf32>, tensor<5x3xf32>
}

// Inputs from numpy in three format versions; a single output goes to the
// path as given.
// RUN: %python %S/Inputs/npy.py %t/a.npy float64 'np.linspace(-3, 4, 12).reshape(3, 4)'
// RUN: %python %S/Inputs/npy.py %t/b.npy float64 'np.cos(np.arange(8)).reshape(4, 2)' --version 2.0
// RUN: %python %S/Inputs/npy.py %t/c.npy float64 '[[0.5, -np.inf], [np.nan, 1e300], [-1e300, 2]]' --version 3.0
// RUN: trop-run %s --entry product_f64 --input %t/a.npy --input %t/b.npy \
// RUN:   --input %t/c.npy --output %t/f64.npy
// RUN: %python %S/Inputs/check_maxplus.py %t/f64.npy %t/a.npy %t/b.npy %t/c.npy \
// RUN:   | FileCheck %s --check-prefix=F64
// F64: dtype float64, shape (3, 2), 0 mismatches

func.func @product_f64(%a: tensor<3x4xf64>, %b: tensor<4x2xf64>,
                       %c: tensor<3x2xf64>) -> tensor<3x2xf64> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<3x4xf64>, tensor<4x2xf64>)
                              outs(%c : tensor<3x2xf64>) -> tensor<3x2xf64>
  return %r : tensor<3x2xf64>
}

// Every element type round-trips bit for bit, into files identical to those
// numpy writes; bf16 travels as '<u2' bits.
// RUN: %python %S/Inputs/npy.py %t/f16.npy float16 '[0.1, -np.inf, 65504, 6e-8]'
// RUN: %python %S/Inputs/npy.py %t/bf16.npy uint16 '[0x3f80, 0x4049, 0xff80, 0x7fc1]'
// RUN: %python %S/Inputs/npy.py %t/i8.npy int8 '[[-128, 127]]'
// RUN: %python %S/Inputs/npy.py %t/i16.npy int16 '[-32768]'
// RUN: %python %S/Inputs/npy.py %t/i32.npy int32 '[[[-2**31]], [[2**31 - 1]]]'
// RUN: %python %S/Inputs/npy.py %t/i64.npy int64 '(-2**63)'
// RUN: %python %S/Inputs/npy.py %t/i1.npy bool '[True, False, True]'
// RUN: trop-run %s --entry identity --input %t/f16.npy --input %t/bf16.npy \
// RUN:   --input %t/i8.npy --input %t/i16.npy --input %t/i32.npy \
// RUN:   --input %t/i64.npy --input %t/i1.npy --output %t/id.npy --print \
// RUN:   | FileCheck %s --check-prefix=IDPRINT
// RUN: %python -c "import numpy as np, sys; \
// RUN:   names = ['f16', 'bf16', 'i8', 'i16', 'i32', 'i64', 'i1']; \
// RUN:   d = sys.argv[1]; \
// RUN:   read = lambda path: open(path, 'rb').read(); \
// RUN:   [print(n, np.load(f'{d}/id.{i}.npy').dtype.str, np.load(f'{d}/id.{i}.npy').shape, \
// RUN:          'identical' if read(f'{d}/{n}.npy') == read(f'{d}/id.{i}.npy') else 'different') \
// RUN:    for i, n in enumerate(names)]" %t | FileCheck %s --check-prefix=ID
// IDPRINT: output 0: tensor<4xf16>
// IDPRINT-NEXT: [0.1, -inf, 65500, 6e-08]
// IDPRINT: output 1: tensor<4xbf16>
// IDPRINT-NEXT: [1, 3.14, -inf, nan]
// ID: f16 <f2 (4,) identical
// ID: bf16 <u2 (4,) identical
// ID: i8 |i1 (1, 2) identical
// ID: i16 <i2 (1,) identical
// ID: i32 <i4 (2, 1, 1) identical
// ID: i64 <i8 () identical
// ID: i1 |b1 (3,) identical

func.func @identity(%f16: tensor<4xf16>, %bf16: tensor<4xbf16>,
                    %i8: tensor<1x2xi8>, %i16: memref<1xi16>,
                    %i32: tensor<2x1x1xi32>, %i64: tensor<i64>,
                    %i1: tensor<3xi1>)
    -> (tensor<4xf16>, tensor<4xbf16>, tensor<1x2xi8>, memref<1xi16>,
        tensor<2x1x1xi32>, tensor<i64>, tensor<3xi1>) {
  return %f16, %bf16, %i8, %i16, %i32, %i64, %i1
      : tensor<4xf16>, tensor<4xbf16>, tensor<1x2xi8>, memref<1xi16>,
        tensor<2x1x1xi32>, tensor<i64>, tensor<3xi1>
}
