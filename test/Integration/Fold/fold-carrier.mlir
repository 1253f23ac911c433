// --trop-fold's exact rewrites drop the products of 𝟘 weights. Since 𝟘
// absorbs ⊤ (docs/semantics.md: +inf ⊗ -inf = -inf in max-plus, not NaN),
// that is exact for every NaN-free input, +inf included: with x[0, 0] = +inf
// the original layer and the folded one agree bit for bit. (Before, +inf met
// a 𝟘 weight and gave NaN in the original only; this test pinned that.)
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../trop-run/Inputs/npy.py %t/x.npy float32 'np.where(np.arange(24).reshape(6, 4) == 0, np.inf, np.arange(24).reshape(6, 4) / 7.0)'
// RUN: %python %S/../../trop-run/Inputs/npy.py %t/finite.npy float32 'np.arange(24).reshape(6, 4) / 7.0 - 1.0'
// RUN: %python %S/../../trop-run/Inputs/npy.py %t/init.npy float32 'np.full((6, 4), -3.0)'
// RUN: trop-run %s --entry single_diagonal --input %t/x.npy --input %t/init.npy --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_diagonal --input %t/finite.npy --input %t/init.npy --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_diagonal --input %t/x.npy --input %t/init.npy --print | FileCheck %s --check-prefix=BOTH
// RUN: trop-run %s --entry single_diagonal --input %t/x.npy --input %t/init.npy --print --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=BOTH
// OK: check: OK
// Row 0: +inf in neuron 0 (its weight on input 0 is finite), the other
// neurons ignore input 0 (their weight there is 𝟘).
// BOTH: {{\[\[}}inf, -2.107143, 0.3857143, -3],
// BOTH-NEXT: [2.0714285, -1.5357143, 0.9571429, -3],
// BOTH-NEXT: [2.642857, -0.96428573, 1.5285715, -3],

func.func @single_diagonal(%x: tensor<6x4xf32>, %init: tensor<6x4xf32>) -> tensor<6x4xf32> {
  %w = arith.constant dense<[[1.5, 0xFF800000, 0xFF800000, 0xFF800000],
                             [0xFF800000, -2.25, 0xFF800000, 0xFF800000],
                             [0xFF800000, 0xFF800000, 0.1, 0xFF800000],
                             [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000]]> : tensor<4x4xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<6x4xf32>, tensor<4x4xf32>) outs(%init : tensor<6x4xf32>) -> tensor<6x4xf32>
  return %y : tensor<6x4xf32>
}
