// Values printed by --print: a max-plus product on constants, a memref-form
// function whose output is the argument it writes, and the number format.

// RUN: trop-run %s --entry const_matmul --print | FileCheck %s --check-prefix=CONST
// CONST:      output 0: tensor<2x2xf32>
// CONST-NEXT: {{^}}{{\[\[}}8, 9],
// CONST-NEXT: {{^}} [11.5, 12.5]]
// CONST-NOT:  output 1

// C[i, j] = max_k A[i, k] + B[k, j]: 8 = 3 + 5, 9 = 3 + 6, 11.5 = 6.5 + 5.
func.func @const_matmul() -> tensor<2x2xf32> {
  %a = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.5]]> : tensor<2x3xf32>
  %b = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %c = arith.constant dense<0xFF800000> : tensor<2x2xf32>
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>)
                              outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py %t/x.npy int16 'np.arange(32).reshape(4, 8)'
// RUN: %python %S/Inputs/npy.py %t/y.npy int16 '3 * np.arange(16).reshape(8, 2)'
// RUN: %python %S/Inputs/npy.py %t/z.npy int16 '[[5, 2], [100, 100], [17, 30], [-1, 100]]'
// RUN: trop-run %s --entry memref_min_plus --input %t/x.npy --input %t/y.npy \
// RUN:   --input %t/z.npy --print | FileCheck %s --check-prefix=MEMREF
// MEMREF:      output 0: memref<4x2xi16> (argument 2)
// MEMREF-NEXT: {{^}}{{\[\[}}0, 2],
// MEMREF-NEXT: {{^}} [8, 11],
// MEMREF-NEXT: {{^}} [16, 19],
// MEMREF-NEXT: {{^}} [-1, 27]]
// MEMREF-NOT:  output 1

// Only %z is written, so it is the only output. Row i of x is 8i..8i+7 and
// column j of y is 3j, 3j+6, ...: the minimum sum is x[i, 0] + y[0, j] =
// 8i + 3j, then min with z.
func.func @memref_min_plus(%x: memref<4x8xi16>, %y: memref<8x2xi16>,
                           %z: memref<4x2xi16>) {
  trop.matmul <min_plus> ins(%x, %y : memref<4x8xi16>, memref<8x2xi16>)
                         outs(%z : memref<4x2xi16>)
  return
}

// RUN: trop-run %s --entry formats --print | FileCheck %s --check-prefix=FORMAT
// FORMAT:      output 0: tensor<6xf32>
// FORMAT-NEXT: {{^}}[inf, -inf, nan, -0, 1e+20, 1e-05]{{$}}
// FORMAT-NEXT: output 1: tensor<4xf16>
// FORMAT-NEXT: {{^}}[0.1, 65500, 6e-08, -1.5]{{$}}
// FORMAT-NEXT: output 2: tensor<3xbf16>
// FORMAT-NEXT: {{^}}[3.14, 1, -inf]{{$}}
// FORMAT-NEXT: output 3: tensor<2x2xi1>
// FORMAT-NEXT: {{^}}{{\[\[}}true, false],
// FORMAT-NEXT: {{^}} [false, true]]{{$}}
// FORMAT-NEXT: output 4: tensor<i64>
// FORMAT-NEXT: {{^}}-9223372036854775808{{$}}
// FORMAT-NEXT: output 5: tensor<3xf64>
// FORMAT-NEXT: {{^}}[0.1, 1e+16, 1.2345678901234568e+17]{{$}}
// FORMAT-NEXT: output 6: tensor<2x2x1xi8>
// FORMAT-NEXT: {{^}}{{\[\[}}[-128],
// FORMAT-NEXT: {{^}}  [127]],
// FORMAT-EMPTY:
// FORMAT-NEXT: {{^}} {{\[\[}}0],
// FORMAT-NEXT: {{^}}  [1]]]{{$}}

// Shortest round-trip digits in each type (as numpy prints them): f16 0.1 is
// 0.0999755859375, 65500 is the shortest decimal that rounds to f16 65504,
// and bf16 3.140625 is the bf16 nearest to pi.
func.func @formats() -> (tensor<6xf32>, tensor<4xf16>, tensor<3xbf16>,
                         tensor<2x2xi1>, tensor<i64>, tensor<3xf64>,
                         tensor<2x2x1xi8>) {
  %f32 = arith.constant dense<[0x7F800000, 0xFF800000, 0x7FC00000, -0.0, 1.0e20, 1.0e-5]> : tensor<6xf32>
  %f16 = arith.constant dense<[0.1, 65504.0, 5.9604644775390625e-08, -1.5]> : tensor<4xf16>
  %bf16 = arith.constant dense<[3.140625, 1.0, 0xFF80]> : tensor<3xbf16>
  %i1 = arith.constant dense<[[true, false], [false, true]]> : tensor<2x2xi1>
  %i64 = arith.constant dense<-9223372036854775808> : tensor<i64>
  %f64 = arith.constant dense<[0.1, 1.0e16, 123456789012345678.0]> : tensor<3xf64>
  %i8 = arith.constant dense<[[[-128], [127]], [[0], [1]]]> : tensor<2x2x1xi8>
  return %f32, %f16, %bf16, %i1, %i64, %f64, %i8
      : tensor<6xf32>, tensor<4xf16>, tensor<3xbf16>, tensor<2x2xi1>,
        tensor<i64>, tensor<3xf64>, tensor<2x2x1xi8>
}

// The same seed draws the same inputs; another seed draws others.
// RUN: trop-run %s --entry memref_min_plus --random-inputs --seed 7 --print > %t/seed7.a
// RUN: trop-run %s --entry memref_min_plus --random-inputs --seed 7 --print > %t/seed7.b
// RUN: trop-run %s --entry memref_min_plus --random-inputs --seed 8 --print > %t/seed8
// RUN: diff %t/seed7.a %t/seed7.b
// RUN: not diff %t/seed7.a %t/seed8
