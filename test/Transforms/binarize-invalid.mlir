// Invalid options of --trop-binarize are errors and change nothing; odd
// input (no BiSE layer, dynamic shapes) is not.
// RUN: not trop-opt %s --trop-binarize="v1=0.5 v2=0.5" 2>&1 | FileCheck %s --check-prefix=BOUNDS
// RUN: not trop-opt %s --trop-binarize="v2=1.5" 2>&1 | FileCheck %s --check-prefix=BOUNDS2
// RUN: not trop-opt %s --trop-binarize="projection=nearest" 2>&1 | FileCheck %s --check-prefix=PROJ
// RUN: trop-opt %s --trop-binarize="report=-" 2>&1 | FileCheck %s --check-prefix=DYN
// BOUNDS: error: trop-binarize: expected 0 <= v1 < v2 <= 1, but got v1 = 5.000000e-01, v2 = 5.000000e-01
// BOUNDS2: error: trop-binarize: expected 0 <= v1 < v2 <= 1, but got v1 = 0.000000e+00, v2 = 1.500000e+00
// PROJ: error: trop-binarize: 'projection' must be none, constant, twn-uniform or twn-normal, but got 'nearest'
// DYN: layer 0 ({{.*}}): trop.bise tensor<1x1x1x1xf32> groups 1: left (dynamic shape)
// DYN: binarized 0 exactly, 0 projected, left 1 of 1 BiSE layers
func.func @f(%x: tensor<?x2x2x1xf32>, %e: tensor<?x2x2x1xf32>) -> tensor<?x2x2x1xf32> {
  %w = arith.constant dense<1.0> : tensor<1x1x1x1xf32>
  %b = arith.constant dense<-0.5> : tensor<1xf32>
  %y = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<?x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%e : tensor<?x2x2x1xf32>) -> tensor<?x2x2x1xf32>
  return %y : tensor<?x2x2x1xf32>
}
