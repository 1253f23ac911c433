// --trop-prune preset=paper-a: paper A's parameter-matched pruning. Every head
// variant keeps as many weights + biases as a ReLU head pruned at
// ratios=r1,r2; the expected parameter counts are paper A's own (the Params
// column of its CIFAR-10 table: 41380 at 0.7/0.7, 28273 at 0.8/0.7, 7332 at
// 0.95/0.95), on heads 256 -> 512 -> 10 with seeded random weights.
// RUN: %python %S/Inputs/paper_a_head.py relu 256 > %t.relu.mlir
// RUN: %python %S/Inputs/paper_a_head.py maxout 256 > %t.maxout.mlir
// RUN: %python %S/Inputs/paper_a_head.py dense-morph 256 > %t.dense.mlir
// RUN: %python %S/Inputs/paper_a_head.py sparse-morph 256 > %t.sparse.mlir
// RUN: %python %S/Inputs/paper_a_head.py dense-morph 512 > %t.mtat.mlir
// RUN: trop-opt %t.relu.mlir --trop-prune="preset=paper-a ratios=0.7,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RELU
// RUN: trop-opt %t.relu.mlir --trop-prune="preset=paper-a ratios=0.8,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RELU-08
// RUN: trop-opt %t.relu.mlir --trop-prune="preset=paper-a ratios=0.95,0.95 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=RELU-095
// RUN: trop-opt %t.maxout.mlir --trop-prune="preset=paper-a ratios=0.7,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MAXOUT
// RUN: trop-opt %t.maxout.mlir --trop-prune="preset=paper-a ratios=0.8,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MAXOUT-08
// RUN: trop-opt %t.dense.mlir --trop-prune="preset=paper-a ratios=0.7,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DENSE
// RUN: trop-opt %t.dense.mlir --trop-prune="preset=paper-a head=dense-morph ratios=0.95,0.95 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=DENSE-095
// RUN: trop-opt %t.sparse.mlir --trop-prune="preset=paper-a ratios=0.7,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=SPARSE
// RUN: trop-opt %t.mtat.mlir --trop-prune="preset=paper-a ratios=0.8,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=MTAT

// RELU: preset: paper-a head=relu r1=0.7 r2=0.7: ReLU baseline keeps 41380 parameters
// RELU: preset counts to prune: 91750 3584
// RELU: layer 0 linear at {{.*}}: 131072 weights, 0 pruned before, 91750 pruned after
// RELU: layer 1 linear at {{.*}}: 5120 weights, 0 pruned before, 3584 pruned after
// RELU: preset result: 40858 weights + 522 biases = 41380 parameters kept (ReLU baseline: 41380)
// RELU-08: preset result: {{.*}} = 28273 parameters kept (ReLU baseline: 28273)
// RELU-095: preset result: {{.*}} = 7332 parameters kept (ReLU baseline: 7332)

// Maxout (k = 2, detected from the 1024-wide first layer): 512 more biases,
// paid for with 512 weights of the first layer. Exactly matched, where
// paper A's per-piece rounding gives 28274 at 0.8.
// MAXOUT: preset: paper-a head=maxout
// MAXOUT: preset counts to prune: 223334 3584
// MAXOUT: preset result: 40346 weights + 1034 biases = 41380 parameters kept (ReLU baseline: 41380)
// MAXOUT-08: preset result: {{.*}} = 28273 parameters kept (ReLU baseline: 28273)

// Dense-Morph on CIFAR's shapes (256x512, then 512x512): both layers keep
// the same fraction of the budget, 10 % of their weights; paper A's code
// keeps 15 % of both, 61041 parameters instead of 41380.
// DENSE: preset: paper-a head=dense-morph
// DENSE: preset counts to prune: 117965 235929 3584
// DENSE: layer 1 max_plus at {{.*}}: 262144 weights, 0 pruned before, 235929 pruned after (90.00 % sparse)
// DENSE: preset result: 40858 weights + 522 biases = 41380 parameters kept (ReLU baseline: 41380)
// DENSE-095: preset result: {{.*}} = 7332 parameters kept (ReLU baseline: 7332)

// Sparse-Morph (detected: the max-plus layer already has 𝟘 weights): the
// max-plus layer is left alone, its 1054 finite weights are paid for by the
// first layer (91750 + 1054).
// SPARSE: preset: paper-a head=sparse-morph
// SPARSE: preset counts to prune: 92804 0 3584
// SPARSE: layer 1 max_plus at {{.*}}: 262144 weights, 261090 pruned before, 261090 pruned after
// SPARSE: preset result: 40858 weights + 522 biases = 41380 parameters kept (ReLU baseline: 41380)

// MTAT's shapes (512x512 twice): the code's 1 - (1 - r1)/2 on both layers,
// int(0.9 * 262144) = 235929, up to one weight of rounding in the split.
// MTAT: preset counts to prune: 235929 235930 3584

// The hand-written head below: the diagnostics.
// RUN: not trop-opt %s --trop-prune="preset=paper-a ratios=0.5" 2>&1 | FileCheck %s --check-prefix=ONE-RATIO
// RUN: not trop-opt %s --trop-prune="preset=paper-a scope=global ratios=0.5,0.5" 2>&1 | FileCheck %s --check-prefix=ONE-RATIO
// RUN: not trop-opt %s --trop-prune="preset=paper-b ratios=0.5,0.5" 2>&1 | FileCheck %s --check-prefix=PRESET
// RUN: not trop-opt %s --trop-prune="preset=paper-a head=gelu ratios=0.5,0.5" 2>&1 | FileCheck %s --check-prefix=HEAD
// RUN: not trop-opt %s --trop-prune="preset=paper-a head=dense-morph ratios=0.5,0.5" 2>&1 | FileCheck %s --check-prefix=WANTS-HYBRID
// RUN: not trop-opt %s --trop-prune="preset=paper-a head=maxout ratios=0.5,0.5" 2>&1 | FileCheck %s --check-prefix=NOT-MAXOUT
// RUN: trop-opt %s --trop-prune="preset=paper-a ratios=0.5,0.25 report=%t.small" | FileCheck %s --check-prefix=SMALL
// RUN: FileCheck %s --check-prefix=SMALL-REPORT < %t.small
// ONE-RATIO: error: trop-prune: preset=paper-a is layer-wise and takes the baseline's two ratios as ratios=r1,r2
// PRESET: error: trop-prune: unknown preset 'paper-b'; only 'paper-a' is implemented
// HEAD: error: trop-prune: unknown head 'gelu'; expected auto, relu, maxout, dense-morph or sparse-morph
// WANTS-HYBRID: error: trop-prune: preset=paper-a: head=dense-morph expects (linear, tropical, linear) prunable layers; prunable layers: [linear 4x4, linear 4x2]
// NOT-MAXOUT: error: trop-prune: preset=paper-a: head=maxout: the first layer's width 4 is not k >= 2 times the last layer's input width 4

// A ReLU head 4 -> 4 -> 2 at r1 = 0.5, r2 = 0.25: the 8 smallest |w| of the
// first layer (1..8) and the 2 smallest of the second (0.5, 1) become 0.
// SMALL-LABEL: func.func @small
// SMALL: arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [9.000000e+00, -1.000000e+01, 1.100000e+01, 1.200000e+01], [1.300000e+01, 1.400000e+01, -1.500000e+01, 1.600000e+01]]>
// SMALL: arith.constant dense<{{\[\[}}0.000000e+00, 2.000000e+00], [3.000000e+00, -4.000000e+00], [0.000000e+00, 5.000000e+00], [6.000000e+00, 7.000000e+00]]>
// SMALL-REPORT: preset: paper-a head=relu r1=0.5 r2=0.25: ReLU baseline keeps 20 parameters; this head aims at 14 weights + 6 biases = 20
// SMALL-REPORT: preset result: 14 weights + 6 biases = 20 parameters kept (ReLU baseline: 20)
func.func @small(%x: tensor<1x4xf32>, %c: tensor<1x4xf32>, %d: tensor<1x2xf32>) -> tensor<1x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, -3.0, 4.0], [5.0, -6.0, 7.0, 8.0], [9.0, -10.0, 11.0, 12.0], [13.0, 14.0, -15.0, 16.0]]> : tensor<4x4xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<1x4xf32>, tensor<4x4xf32>) outs(%c : tensor<1x4xf32>) -> tensor<1x4xf32>
  %w2 = arith.constant dense<[[1.0, 2.0], [3.0, -4.0], [0.5, 5.0], [6.0, 7.0]]> : tensor<4x2xf32>
  %z = linalg.matmul ins(%h, %w2 : tensor<1x4xf32>, tensor<4x2xf32>) outs(%d : tensor<1x2xf32>) -> tensor<1x2xf32>
  return %z : tensor<1x2xf32>
}
