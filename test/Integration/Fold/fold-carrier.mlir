// The documented precondition of --trop-fold's exact rewrites: inputs in the
// semiring's carrier. For max-plus, +inf is outside it: +inf + 𝟘 = NaN, so
// the original layer gives NaN in every neuron whose 𝟘 weight meets an
// input +inf, while the folded layer (which no longer reads it there) does
// not. This test pins down that difference: with x[0, 0] = +inf, row 0 of
// the neurons that do not read input 0 differs (first mismatch at [0, 1];
// the printed rows show the rest); with a finite x everything is identical.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/../../trop-run/Inputs/npy.py %t/x.npy float32 'np.where(np.arange(24).reshape(6, 4) == 0, np.inf, np.arange(24).reshape(6, 4) / 7.0)'
// RUN: %python %S/../../trop-run/Inputs/npy.py %t/finite.npy float32 'np.arange(24).reshape(6, 4) / 7.0 - 1.0'
// RUN: %python %S/../../trop-run/Inputs/npy.py %t/init.npy float32 'np.full((6, 4), -3.0)'
// RUN: not trop-run %s --entry single_diagonal --input %t/x.npy --input %t/init.npy --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' 2>&1 | FileCheck %s --check-prefix=INF
// RUN: trop-run %s --entry single_diagonal --input %t/finite.npy --input %t/init.npy --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_diagonal --input %t/x.npy --input %t/init.npy --print | FileCheck %s --check-prefix=ORIGINAL
// RUN: trop-run %s --entry single_diagonal --input %t/x.npy --input %t/init.npy --print --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=FOLDED
// INF: differs from the reference at [0, 1]: got {{.*}}, the reference pipeline gives nan
// OK: check: OK
// The original: row 0 is NaN in the neurons with a 𝟘 weight on input 0
// (1, 2 and 3), +inf in neuron 0.
// ORIGINAL: {{\[\[}}inf, nan, nan, nan],
// ORIGINAL-NEXT: [2.0714285, -1.5357143, 0.9571429, -3],
// ORIGINAL-NEXT: [2.642857, -0.96428573, 1.5285715, -3],
// The folded layer: the same rows 1 to 5, finite values in row 0.
// FOLDED: {{\[\[}}inf, -2.107143, 0.3857143, -3],
// FOLDED-NEXT: [2.0714285, -1.5357143, 0.9571429, -3],
// FOLDED-NEXT: [2.642857, -0.96428573, 1.5285715, -3],

func.func @single_diagonal(%x: tensor<6x4xf32>, %init: tensor<6x4xf32>) -> tensor<6x4xf32> {
  %w = arith.constant dense<[[1.5, 0xFF800000, 0xFF800000, 0xFF800000],
                             [0xFF800000, -2.25, 0xFF800000, 0xFF800000],
                             [0xFF800000, 0xFF800000, 0.1, 0xFF800000],
                             [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000]]> : tensor<4x4xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<6x4xf32>, tensor<4x4xf32>) outs(%init : tensor<6x4xf32>) -> tensor<6x4xf32>
  return %y : tensor<6x4xf32>
}
