// Dynamic sizes ('?') are bound at run time from the inputs, with one
// compilation: --input files give their shapes, --random-inputs takes
// --shape. Results of dynamic size come back with their runtime sizes.

// RUN: rm -rf %t && mkdir -p %t
// One compiled function, two batch sizes, both pipelines, checked against
// the reference.
// RUN: trop-run %s --entry mm --random-inputs --shape 0=5x64 --pipeline cpu --check | FileCheck %s --check-prefix=MM5
// MM5: check: OK (1 outputs, 160 elements identical)
// RUN: trop-run %s --entry mm --random-inputs --shape 0=67x64 --pipeline cpu --check | FileCheck %s --check-prefix=MM67
// MM67: check: OK (1 outputs, 2144 elements identical)
// RUN: trop-run %s --entry mm --random-inputs --shape 0=0x64 --pipeline cpu --check | FileCheck %s --check-prefix=MM0
// MM0: check: OK (1 outputs, 0 elements identical)
func.func @mm(%a: tensor<?x64xf32>, %b: tensor<64x32xf32>) -> tensor<?x32xf32> {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<?x64xf32>
  %e = tensor.empty(%m) : tensor<?x32xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %f = linalg.fill ins(%ninf : f32) outs(%e : tensor<?x32xf32>) -> tensor<?x32xf32>
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x64xf32>, tensor<64x32xf32>)
                              outs(%f : tensor<?x32xf32>) -> tensor<?x32xf32>
  return %r : tensor<?x32xf32>
}

// Shapes from .npy files; the printed values have the runtime shape.
// RUN: %python %S/Inputs/npy.py %t/a.npy float32 '[[0, 1], [2, 3], [4, 5]]'
// RUN: %python %S/Inputs/npy.py %t/b.npy float32 '[[0, 10, 20], [1, 1, 1]]'
// RUN: %python %S/Inputs/npy.py %t/c.npy float32 '[[-1e9] * 3] * 3'
// RUN: trop-run %s --entry dst --input %t/a.npy --input %t/b.npy --input %t/c.npy --print --pipeline cpu --check | FileCheck %s --check-prefix=NPY
// NPY: output 0: tensor<?x3xf32>
// NPY-NEXT: {{\[\[}}2, 10, 20],
// NPY-NEXT:  [4, 12, 22],
// NPY-NEXT:  [6, 14, 24]]
// NPY: check: OK (1 outputs, 9 elements identical)
// The rows of the destination are tied to those of the input: one --shape
// binds both.
// RUN: trop-run %s --entry dst --random-inputs --shape 0=4x2 --check | FileCheck %s --check-prefix=TIED
// TIED: check: OK (1 outputs, 12 elements identical)
func.func @dst(%a: tensor<?x2xf32>, %b: tensor<2x3xf32>, %c: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x2xf32>, tensor<2x3xf32>)
                              outs(%c : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}

// Errors, before any call: sizes the ops need equal, static sizes, --shape.
// RUN: %python %S/Inputs/npy.py %t/c2.npy float32 '[[0] * 3] * 2'
// RUN: not trop-run %s --entry dst --input %t/a.npy --input %t/b.npy --input %t/c2.npy 2>&1 | FileCheck %s --check-prefix=DISAGREE
// DISAGREE: trop-run: error: the arrays disagree on a dynamic size of 'tensor<?x3xf32>': dimension 0 of argument 2 ({{.*}}c2.npy) is 2 but dimension 0 of argument 0 ({{.*}}a.npy) is 3 (the function's ops need them equal)
// RUN: not trop-run %s --entry dst --random-inputs --shape 0=4x2 --shape 2=5x3 2>&1 | FileCheck %s --check-prefix=DISAGREE2
// DISAGREE2: trop-run: error: the arrays disagree on a dynamic size of 'tensor<?x3xf32>': dimension 0 of argument 2 (input 2) is 5 but dimension 0 of argument 0 (input 0) is 4
// RUN: not trop-run %s --entry dst --input %t/b.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=STATIC
// STATIC: trop-run: error: argument 0 expects tensor<?x2xf32> but {{.*}}b.npy holds float32 array of shape (2, 3)
// RUN: not trop-run %s --entry dst --random-inputs --shape 0=4x3 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: trop-run: error: --shape '0=4x3': argument 0 has type tensor<?x2xf32>, not of shape (4, 3)
// RUN: not trop-run %s --entry dst --random-inputs --shape 7=4x3 2>&1 | FileCheck %s --check-prefix=SHAPEINDEX
// SHAPEINDEX: trop-run: error: --shape '7=4x3': expected INDEX=DxDx... with INDEX an argument of '@dst' (0 to 3 exclusive)
// RUN: not trop-run %s --entry dst --input %t/a.npy --input %t/b.npy --input %t/c.npy --shape 0=3x2 2>&1 | FileCheck %s --check-prefix=SHAPEINPUT
// SHAPEINPUT: trop-run: error: --shape needs --random-inputs

// Several results of dynamic size, one of them the argument itself (the
// deallocation pipeline hands back a copy the caller owns), and a written
// memref argument of dynamic size; --bench frees the results of each call.
// RUN: trop-run %s --entry two --random-inputs --shape 0=3x2 --seed 3 --print --check --bench 3 | FileCheck %s --check-prefix=TWO
// TWO: output 0: tensor<?x2xf32>
// TWO: output 1: tensor<2x?xf32>
// TWO: check: OK (2 outputs, 12 elements identical)
// TWO: bench: 3 runs
func.func @two(%a: tensor<?x2xf32>) -> (tensor<?x2xf32>, tensor<2x?xf32>) {
  %c0 = arith.constant 0 : index
  %m = tensor.dim %a, %c0 : tensor<?x2xf32>
  %e = tensor.empty(%m) : tensor<2x?xf32>
  %t = linalg.transpose ins(%a : tensor<?x2xf32>) outs(%e : tensor<2x?xf32>)
                        permutation = [1, 0]
  return %a, %t : tensor<?x2xf32>, tensor<2x?xf32>
}

// RUN: trop-run %s --entry double --random-inputs --shape 0=2x3 --seed 4 --print | FileCheck %s --check-prefix=MEMREF
// MEMREF: output 0: memref<?x3xf32> (argument 0)
// MEMREF-NEXT: {{^\[\[[^,]+, [^,]+, [^,]+\],$}}
// MEMREF-NEXT: {{^ \[[^,]+, [^,]+, [^,]+\]\]$}}
func.func @double(%m: memref<?x3xf32>) {
  linalg.map { arith.addf } ins(%m, %m : memref<?x3xf32>, memref<?x3xf32>)
                            outs(%m : memref<?x3xf32>)
  return
}
