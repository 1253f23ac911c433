// Two sparse constant-weight matmuls in one module: each gets its own
// block-ELL globals (the second ones with a suffix) instead of a
// "redefinition of symbol named '__trop_sparse_values'", and the JIT-compiled
// result equals the reference lowering's bit for bit.
// RUN: trop-opt %s --trop-cpu-pipeline | FileCheck %s
// CHECK-DAG: llvm.mlir.global private constant @__trop_sparse_values(
// CHECK-DAG: llvm.mlir.global private constant @__trop_sparse_values_0(
// CHECK-DAG: llvm.mlir.global private constant @__trop_sparse_rowidx_0(
// CHECK-DAG: llvm.mlir.global private constant @__trop_sparse_blockptr_0(
// RUN: trop-run %s --pipeline cpu --entry two_layers --random-inputs --seed 1 --check | FileCheck %s --check-prefix=JIT
// JIT: check: OK (1 outputs, 15 elements identical)

func.func @two_layers(%x: tensor<5x4xf32>, %c1: tensor<5x6xf32>,
                      %c2: tensor<5x3xf32>) -> tensor<5x3xf32> {
  %w1 = arith.constant dense<[[1.5, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000],
       [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000],
       [0xFF800000, 0xFF800000, 0xFF800000, -2.0, 0xFF800000, 0xFF800000],
       [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0.25]]> : tensor<4x6xf32>
  %w2 = arith.constant dense<[[0xFF800000, 0xFF800000, 0xFF800000],
       [3.0, 0xFF800000, 0xFF800000],
       [0xFF800000, 0xFF800000, 0xFF800000],
       [0xFF800000, 0xFF800000, 0xFF800000],
       [0xFF800000, 0xFF800000, 0xFF800000],
       [0xFF800000, 0xFF800000, -1.0]]> : tensor<6x3xf32>
  %h = trop.matmul <max_plus> ins(%x, %w1 : tensor<5x4xf32>, tensor<4x6xf32>)
                              outs(%c1 : tensor<5x6xf32>) -> tensor<5x6xf32>
  %y = trop.matmul <max_plus> ins(%h, %w2 : tensor<5x6xf32>, tensor<6x3xf32>)
                              outs(%c2 : tensor<5x3xf32>) -> tensor<5x3xf32>
  return %y : tensor<5x3xf32>
}
