// Every kind of error gives a message on stderr prefixed with
// "trop-run: error: " and exit code 1, never a crash (`not` fails on one).

// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py %t/a.npy float32 'np.zeros((4, 8))'
// RUN: %python %S/Inputs/npy.py %t/b.npy float32 'np.zeros((8, 2))'
// RUN: %python %S/Inputs/npy.py %t/c.npy float32 'np.zeros((4, 2))'

func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>,
                  %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>)
                              outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// Files and modules.
// RUN: not trop-run %t/missing.mlir --entry matmul 2>&1 | FileCheck %s --check-prefix=MISSING
// MISSING: trop-run: error: cannot open input file '{{.*}}missing.mlir': No such file or directory
// RUN: not trop-run %S/Inputs/parse-error.mlir --entry f 2>&1 | FileCheck %s --check-prefix=PARSE
// PARSE: parse-error.mlir:2:14: error: expected non-function type
// PARSE: trop-run: error: cannot parse '{{.*}}parse-error.mlir'
// RUN: not trop-run %S/Inputs/invalid.mlir --entry f 2>&1 | FileCheck %s --check-prefix=INVALID
// INVALID: invalid.mlir:4:8: error: 'trop.matmul' op reduction size K
// INVALID: trop-run: error: the module in '{{.*}}invalid.mlir' does not verify

// The entry.
// RUN: not trop-run %s 2>&1 | FileCheck %s --check-prefix=NOENTRY
// NOENTRY: trop-run: error: no entry function given; use --entry NAME
// RUN: not trop-run %s --entry matmull 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// UNKNOWN: trop-run: error: the module has no function '@matmull' (it defines @matmul, @declaration, @dynamic, @scalar,
// RUN: not trop-run %s --entry declaration 2>&1 | FileCheck %s --check-prefix=DECL
// DECL: trop-run: error: '@declaration' is only a declaration: it has no body to compile
// RUN: not trop-run %s --entry table 2>&1 | FileCheck %s --check-prefix=NOTFUNC
// NOTFUNC: trop-run: error: '@table' is a 'memref.global', not a func.func

func.func private @declaration(%a: tensor<4xf32>)
memref.global "private" constant @table : memref<2xf32> = dense<[1.0, 2.0]>

// Argument types trop-run cannot pass.
// A dynamic size is bound at run time (test/trop-run/dynamic.mlir), but
// --random-inputs needs to be told it.
// RUN: not trop-run %s --entry dynamic --random-inputs 2>&1 | FileCheck %s --check-prefix=DYNAMIC
// DYNAMIC: trop-run: error: argument 1 of '@dynamic' has type tensor<?x4xf32>, with a dynamic size: give its shape with --shape 1=DxD... to draw it
// RUN: not trop-run %s --entry scalar --random-inputs 2>&1 | FileCheck %s --check-prefix=SCALAR
// SCALAR: trop-run: error: argument 0 of '@scalar' has type 'f32', which is not a ranked tensor or memref;
// RUN: not trop-run %s --entry strided --random-inputs 2>&1 | FileCheck %s --check-prefix=STRIDED
// STRIDED: trop-run: error: argument 0 of '@strided' has type 'memref<4xf32, strided<[2]>>', which has a non-identity layout;
// RUN: not trop-run %s --entry complex --random-inputs 2>&1 | FileCheck %s --check-prefix=COMPLEX
// COMPLEX: trop-run: error: result 0 of '@complex' has type 'tensor<2xui8>', whose element type is not supported;

func.func @dynamic(%a: tensor<4xf32>, %b: tensor<?x4xf32>) -> tensor<?x4xf32> {
  return %b : tensor<?x4xf32>
}
func.func @scalar(%a: f32) -> f32 {
  return %a : f32
}
func.func @strided(%a: memref<4xf32, strided<[2]>>) {
  return
}
func.func @complex(%a: tensor<2xi8>) -> tensor<2xui8> {
  %r = tensor.bitcast %a : tensor<2xi8> to tensor<2xui8>
  return %r : tensor<2xui8>
}

// Inputs.
// RUN: not trop-run %s --entry matmul --input %t/a.npy 2>&1 | FileCheck %s --check-prefix=COUNT
// COUNT: trop-run: error: '@matmul' takes 3 argument(s) but 1 --input file(s) were given
// RUN: not trop-run %s --entry matmul 2>&1 | FileCheck %s --check-prefix=NOINPUT
// NOINPUT: trop-run: error: '@matmul' takes 3 argument(s) but 0 --input file(s) were given; give one .npy per argument with --input, or use --random-inputs
// RUN: not trop-run %s --entry matmul --input %t/a.npy --random-inputs 2>&1 | FileCheck %s --check-prefix=BOTH
// BOTH: trop-run: error: --input and --random-inputs cannot be combined
// RUN: not trop-run %s --entry matmul --input %t/a.npy --input %t/nope.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=NOFILE
// NOFILE: trop-run: error: cannot open '{{.*}}nope.npy': No such file or directory

// RUN: %python %S/Inputs/npy.py %t/b_shape.npy float32 'np.zeros((2, 8))'
// RUN: not trop-run %s --entry matmul --input %t/a.npy --input %t/b_shape.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=SHAPE
// SHAPE: trop-run: error: argument 1 expects tensor<8x2xf32> but {{.*}}b_shape.npy holds float32 array of shape (2, 8)
// RUN: %python %S/Inputs/npy.py %t/b_f64.npy float64 'np.zeros((8, 2))'
// RUN: not trop-run %s --entry matmul --input %t/a.npy --input %t/b_f64.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=DTYPE
// DTYPE: trop-run: error: argument 1 expects tensor<8x2xf32> but {{.*}}b_f64.npy holds float64 array of shape (8, 2)
// RUN: %python %S/Inputs/npy.py %t/c_rank.npy float32 'np.zeros(8)'
// RUN: not trop-run %s --entry matmul --input %t/a.npy --input %t/b.npy --input %t/c_rank.npy 2>&1 | FileCheck %s --check-prefix=RANK
// RANK: trop-run: error: argument 2 expects tensor<4x2xf32> but {{.*}}c_rank.npy holds float32 array of shape (8,)

// Malformed or unsupported .npy files.
// RUN: %python %S/Inputs/npy.py %t/fortran.npy float32 'np.zeros((4, 8))' --fortran
// RUN: not trop-run %s --entry matmul --input %t/fortran.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=FORTRAN
// FORTRAN: trop-run: error: '{{.*}}fortran.npy' holds an array in Fortran order, which is not supported; save it in C order
// RUN: %python %S/Inputs/npy.py %t/truncated.npy float32 'np.zeros((4, 8))' --truncate 200
// RUN: not trop-run %s --entry matmul --input %t/truncated.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=TRUNCATED
// TRUNCATED: trop-run: error: '{{.*}}truncated.npy' is not a valid .npy file: it is truncated: an array of shape (4, 8) and dtype '<f4' needs 128 bytes of data, but only 72 follow the header
// RUN: %python %S/Inputs/npy.py %t/header.npy float32 'np.zeros((4, 8))' --truncate 40
// RUN: not trop-run %s --entry matmul --input %t/header.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=HEADER
// HEADER: trop-run: error: '{{.*}}header.npy' is not a valid .npy file: it is truncated in its header
// RUN: not trop-run %s --entry matmul --input %s --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=MAGIC
// MAGIC: trop-run: error: '{{.*}}errors.mlir' is not a valid .npy file: it does not start with the .npy magic string
// RUN: %python %S/Inputs/npy.py %t/u8.npy uint8 'np.zeros((4, 8))'
// RUN: not trop-run %s --entry matmul --input %t/u8.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=U8
// U8: trop-run: error: '{{.*}}u8.npy' holds dtype '|u1', which is not supported (trop-run reads float16, float32, float64, int8, int16, int32, int64, bool, and uint16 as bf16 bits)
// RUN: %python %S/Inputs/npy.py %t/big.npy '>f4' 'np.zeros((4, 8))'
// RUN: not trop-run %s --entry matmul --input %t/big.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=BIG
// BIG: trop-run: error: '{{.*}}big.npy' holds dtype '>f4', which is big-endian

// An output that cannot be written.
// RUN: not trop-run %s --entry matmul --random-inputs --output %t/no/such/dir/out.npy 2>&1 | FileCheck %s --check-prefix=WRITE
// WRITE: trop-run: error: cannot open '{{.*}}out.npy' for writing: No such file or directory

// Random inputs over an empty range.
// RUN: not trop-run %s --entry matmul --random-inputs --random-min 1 --random-max 1 2>&1 | FileCheck %s --check-prefix=RANGE
// RANGE: trop-run: error: cannot draw argument 0: random range [1, 1) of a f32 array is empty or not finite
// RUN: not trop-run %s --entry matmul --seed 3 2>&1 | FileCheck %s --check-prefix=SEED
// SEED: trop-run: error: --seed, --random-min and --random-max need --random-inputs

// Pipelines.
// RUN: not trop-run %s --entry matmul --random-inputs --pipeline tpu 2>&1 | FileCheck %s --check-prefix=PIPELINE
// PIPELINE: trop-run: error: unknown pipeline 'tpu'; known pipelines: reference, cpu, gpu (or give a textual pass pipeline
// RUN: not trop-run %s --entry matmul --random-inputs --pipeline 'builtin.module(no-such-pass)' 2>&1 | FileCheck %s --check-prefix=TEXTUAL
// TEXTUAL: trop-run: error: 'builtin.module(no-such-pass)' is neither a known pipeline (reference, cpu, gpu) nor a valid textual pass pipeline: {{.*}}'no-such-pass' does not refer to a registered pass or pass pipeline
// RUN: not trop-run %s --entry matmul --random-inputs --pipeline 'func.func(canonicalize)' 2>&1 | FileCheck %s --check-prefix=ANCHOR
// ANCHOR: trop-run: error: textual pipeline 'func.func(canonicalize)' is anchored on 'func.func'; trop-run runs pipelines on the module
// A pipeline that keeps the results as results breaks the calling convention.
// RUN: not trop-run %s --entry matmul --random-inputs --pipeline 'builtin.module(trop-reference-pipeline)' 2>&1 | FileCheck %s --check-prefix=CONTRACT
// CONTRACT: trop-run: error: the 'builtin.module(trop-reference-pipeline)' pipeline did not lower '@matmul' as trop-run needs: it still returns a value
// A pipeline that stops before the LLVM dialect.
// RUN: not trop-run %s --entry matmul --random-inputs --pipeline 'builtin.module(canonicalize)' 2>&1 | FileCheck %s --check-prefix=NOLLVM
// NOLLVM: trop-run: error: the 'builtin.module(canonicalize)' pipeline did not lower '@matmul' as trop-run needs: there is no llvm.func '@matmul'

// A pipeline that fails: the reference does not bufferize arith on tensors.
// RUN: not trop-run %s --entry unbufferizable --random-inputs 2>&1 | FileCheck %s --check-prefix=FAILED
// FAILED: errors.mlir:[[# @LINE + 4]]:8: error: op was not bufferized
// FAILED: trop-run: error: the 'reference' pipeline failed on the module

func.func @unbufferizable(%a: tensor<2xi8>) -> tensor<2xi8> {
  %r = arith.addi %a, %a : tensor<2xi8>
  return %r : tensor<2xi8>
}

// The JIT.
// RUN: not trop-run %s --entry matmul --random-inputs --shared-libs %t/libnothing.so 2>&1 | FileCheck %s --check-prefix=SHLIB
// SHLIB: trop-run: error: shared library '{{.*}}libnothing.so' does not exist
// RUN: not trop-run %s --entry external_call --random-inputs 2>&1 | FileCheck %s --check-prefix=JIT
// JIT: Symbols not found: [ no_such_function ]
// JIT: trop-run: error: JIT compilation of '@external_call' failed:

func.func private @no_such_function(memref<4xf32>)
func.func @external_call(%a: memref<4xf32>) {
  func.call @no_such_function(%a) : (memref<4xf32>) -> ()
  return
}

// --check reports the first mismatch. With --nan-mode assume-none and NaN
// inputs the results are unspecified; here LLVM's maxnum drops the NaN that
// the reference propagates.
// RUN: %python %S/Inputs/npy.py %t/nan_a.npy float32 '[[1, np.nan, 2]] + [[0, 0, 0]] * 3'
// RUN: %python %S/Inputs/npy.py %t/nan_b.npy float32 'np.ones((3, 2))'
// RUN: %python %S/Inputs/npy.py %t/nan_c.npy float32 'np.zeros((4, 2))'
// RUN: not trop-run %s --entry small_matmul --input %t/nan_a.npy --input %t/nan_b.npy \
// RUN:   --input %t/nan_c.npy --check --nan-mode assume-none 2>&1 | FileCheck %s --check-prefix=MISMATCH
// MISMATCH: trop-run: error: check failed: output 0 (tensor<4x2xf32>) differs from the reference at [0, 0]: got {{.*}}, the reference pipeline gives nan

func.func @small_matmul(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>,
                        %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x3xf32>, tensor<3x2xf32>)
                              outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
