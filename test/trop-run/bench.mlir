// --bench: timing line, and the update rate when every trop op in the
// entry's body has a static update count.

// 4*8*16 = 512 updates for the matmul (M*N*K) and 4*4*2 = 32 for the maxout
// (one per input element), 544 per call.
// RUN: trop-run %s --entry two_ops --random-inputs --bench 5 | FileCheck %s --check-prefix=RATE
// RATE: bench: 5 runs, median {{[0-9.]+(e[-+][0-9]+)?}} ms, min {{[0-9.]+(e[-+][0-9]+)?}} ms, {{[0-9.]+(e[-+][0-9]+)?}} G updates/s (544 updates per call){{$}}
func.func @two_ops(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>,
                   %c: tensor<4x8xf32>, %y: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x16xf32>, tensor<16x8xf32>)
                              outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  %m = trop.maxout group_size = 2 ins(%r : tensor<4x8xf32>)
                                  outs(%y : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %m : tensor<4x4xf32>
}

// Without trop ops there is no rate; --bench does not print the outputs
// unless asked.
// RUN: trop-run %s --entry no_trop_ops --random-inputs --bench 3 | FileCheck %s --check-prefix=NORATE
// NORATE-NOT: output
// NORATE: bench: 3 runs, median {{[0-9.]+(e[-+][0-9]+)?}} ms, min {{[0-9.]+(e[-+][0-9]+)?}} ms{{$}}
func.func @no_trop_ops(%a: tensor<4xf32>) -> tensor<4xf32> {
  return %a : tensor<4xf32>
}
