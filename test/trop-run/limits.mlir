// Resource limits: counts and sizes that would exhaust memory or threads are
// errors ("trop-run: error: ...", exit code 1) before anything is allocated,
// never an abort or the kernel's OOM kill (issue 17, item 5).

// RUN: rm -rf %t && mkdir -p %t

func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>,
                  %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>)
                              outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// --bench: 1 to 1,000,000 (4294967295 was "LLVM ERROR: out of memory").
// RUN: not trop-run %s --entry matmul --random-inputs --bench 4294967295 2>&1 | FileCheck %s --check-prefix=BENCH
// BENCH: trop-run: error: --bench must be between 1 and 1000000, not 4294967295
// RUN: not trop-run %s --entry matmul --random-inputs --bench 0 2>&1 | FileCheck %s --check-prefix=BENCH0
// BENCH0: trop-run: error: --bench must be between 1 and 1000000, not 0

// --num-threads: 0 to 1024 (100000 aborted inside libomp; -1 was accepted).
// RUN: not trop-run %s --entry matmul --random-inputs --pipeline cpu --num-threads 100000 2>&1 | FileCheck %s --check-prefix=THREADS
// THREADS: trop-run: error: --num-threads must be between 0 and 1024, not 100000
// RUN: not trop-run %s --entry matmul --random-inputs --pipeline cpu --num-threads -1 2>&1 | FileCheck %s --check-prefix=NEGATIVE
// NEGATIVE: trop-run: error: --num-threads must be between 0 and 1024, not -1
// RUN: trop-run %s --entry matmul --random-inputs --pipeline cpu --num-threads 1024 --check | FileCheck %s --check-prefix=MAX
// MAX: check: OK

// A .npy file is checked against its header before its array is allocated: a
// 248-byte file declaring 40 GB is truncated, not an allocation.
// RUN: %python %S/Inputs/npy.py %t/huge.npy float32 'np.zeros(30)' --declare-shape '(100000, 100000)'
// RUN: %python %S/Inputs/npy.py %t/b.npy float32 'np.zeros((8, 2))'
// RUN: %python %S/Inputs/npy.py %t/c.npy float32 'np.zeros((4, 2))'
// RUN: not trop-run %s --entry matmul --input %t/huge.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=HUGE
// HUGE: trop-run: error: '{{.*}}huge.npy' is not a valid .npy file: it is truncated: an array of shape (100000, 100000) and dtype '<f4' needs 40000000000 bytes of data, but only 120 follow the header
// RUN: %python %S/Inputs/npy.py %t/overflow.npy float32 'np.zeros(2)' --declare-shape '(2**40, 2**40, 2**40)'
// RUN: not trop-run %s --entry matmul --input %t/overflow.npy --input %t/b.npy --input %t/c.npy 2>&1 | FileCheck %s --check-prefix=OVERFLOW
// OVERFLOW: trop-run: error: '{{.*}}overflow.npy' is not a valid .npy file: an array of shape (1099511627776, 1099511627776, 1099511627776) and dtype '<f4' is too large

// Memory is checked up front: arguments, their copies and the outputs must
// fit in the memory available (a 60000x60000 identity was killed, exit 137).
// RUN: not trop-run %s --entry big --random-inputs 2>&1 | FileCheck %s --check-prefix=MEMORY
// MEMORY: trop-run: error: '@big' needs 12000000000000 bytes for its arguments and outputs (4000000000000 of arguments, copied for each call, and 4000000000000 of outputs per call), but only {{[0-9]+}} bytes of memory are available
// RUN: not trop-run %s --entry big --random-inputs --check 2>&1 | FileCheck %s --check-prefix=MEMORY-CHECK
// MEMORY-CHECK: trop-run: error: '@big' needs 20000000000000 bytes {{.*}}, two calls at once)
func.func @big(%a: tensor<1000000x1000000xf32>) -> tensor<1000000x1000000xf32> {
  return %a : tensor<1000000x1000000xf32>
}
