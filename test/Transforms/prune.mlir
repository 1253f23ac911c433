// --trop-prune: one-shot magnitude pruning of constant weights (approximate,
// by name): linear weights by |w| to 0, tropical weights by value to 𝟘.
// RUN: trop-opt %s --trop-prune="ratios=0.5,0.25,0.25 report=%t.layer" | FileCheck %s --check-prefix=LAYER
// RUN: FileCheck %s --check-prefix=LAYER-REPORT < %t.layer
// RUN: trop-opt %s --trop-prune="scope=global ratio=0.5 report=%t.global" | FileCheck %s --check-prefix=GLOBAL
// RUN: FileCheck %s --check-prefix=GLOBAL-REPORT < %t.global
// RUN: trop-opt %s --trop-prune="ratio=0" | FileCheck %s --check-prefix=NONE
// RUN: not trop-opt %s --trop-prune="ratio=1.5" 2>&1 | FileCheck %s --check-prefix=BAD-RATIO
// RUN: not trop-opt %s --trop-prune="ratios=0.1,0.1,0.1,0.1" 2>&1 | FileCheck %s --check-prefix=TOO-MANY
// RUN: not trop-opt %s --trop-prune="method=snip" 2>&1 | FileCheck %s --check-prefix=METHOD

// Linear, ratio 0.5 of 12: the 6 smallest |w| (0.25, 0.5, 0.5, 1, 2, 3)
// become 0.
// LAYER-LABEL: func.func @head
// LAYER: %[[L:.*]] = arith.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00], [-4.000000e+00, 5.000000e+00, -6.000000e+00], [0.000000e+00, 0.000000e+00, 7.000000e+00], [8.000000e+00, -9.000000e+00, 0.000000e+00]]>
// LAYER: linalg.matmul ins(%{{.*}}, %[[L]]
// Max-plus, ratio 0.25 of 12: the 3 most negative values (-inf already
// pruned, -9, -6) are 𝟘: pruned by value, not magnitude, and to -inf, not 0.
// LAYER: %[[M:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, -2.000000e+00, 3.000000e+00], [-4.000000e+00, 5.000000e+00, 0xFF800000], [5.000000e-01, -5.000000e-01, 7.000000e+00], [8.000000e+00, 0xFF800000, 0xFF800000]]>
// LAYER: trop.matmul <max_plus> ins(%{{.*}}, %[[M]]
// Min-plus, ratio 0.25: the 3 largest values become +inf.
// LAYER: %[[N:.*]] = arith.constant dense<{{\[\[}}1.000000e+00, -2.000000e+00, 3.000000e+00], [-4.000000e+00, 0x7F800000, -6.000000e+00], [5.000000e-01, -5.000000e-01, 0x7F800000], [0x7F800000, -9.000000e+00, 2.500000e-01]]>
// LAYER: trop.matmul <min_plus> ins(%{{.*}}, %[[N]]

// LAYER-REPORT: trop-prune: method=magnitude scope=layer
// LAYER-REPORT-NEXT: layer 0 linear at {{.*}}: 12 weights, 0 pruned before, 6 pruned after (50.00 % sparse)
// LAYER-REPORT-NEXT: layer 1 max_plus at {{.*}}: 12 weights, 1 pruned before, 3 pruned after (25.00 % sparse)
// LAYER-REPORT-NEXT: layer 2 min_plus at {{.*}}: 12 weights, 0 pruned before, 3 pruned after (25.00 % sparse)
// LAYER-REPORT-NEXT: total: 36 weights, 12 pruned (33.33 % sparse)

// Global: one threshold for the linear layer, one over both tropical layers
// (keys: values for max_plus, negated values for min_plus): 12 of 24.
// GLOBAL-LABEL: func.func @head
// GLOBAL-REPORT: layer 0 linear at {{.*}}: 12 weights, 0 pruned before, 6 pruned after
// GLOBAL-REPORT: layer 1 max_plus at {{.*}}: 12 weights, 1 pruned before, 6 pruned after
// GLOBAL-REPORT: layer 2 min_plus at {{.*}}: 12 weights, 0 pruned before, 6 pruned after
// GLOBAL-REPORT: total: 36 weights, 18 pruned (50.00 % sparse)

// NONE: arith.constant dense<{{\[\[}}1.000000e+00, -2.000000e+00, 3.000000e+00], [-4.000000e+00, 5.000000e+00, -6.000000e+00], [5.000000e-01, -5.000000e-01, 7.000000e+00], [8.000000e+00, -9.000000e+00, 2.500000e-01]]>

// BAD-RATIO: error: trop-prune: ratios must be in [0, 1]
// TOO-MANY: error: trop-prune: 4 ratios given for 3 prunable layers
// METHOD: error: trop-prune: unknown method 'snip'; only 'magnitude' is implemented

func.func @head(%x: tensor<2x4xf32>, %c: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %w = arith.constant dense<[[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0], [0.5, -0.5, 7.0], [8.0, -9.0, 0.25]]> : tensor<4x3xf32>
  %l = linalg.matmul ins(%x, %w : tensor<2x4xf32>, tensor<4x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  %m = arith.constant dense<[[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0], [0.5, -0.5, 7.0], [8.0, -9.0, 0xFF800000]]> : tensor<4x3xf32>
  %r = trop.matmul <max_plus> ins(%x, %m : tensor<2x4xf32>, tensor<4x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  %n = arith.constant dense<[[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0], [0.5, -0.5, 7.0], [8.0, -9.0, 0.25]]> : tensor<4x3xf32>
  %s = trop.matmul <min_plus> ins(%x, %n : tensor<2x4xf32>, tensor<4x3xf32>) outs(%c : tensor<2x3xf32>) -> tensor<2x3xf32>
  return %l, %r, %s : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}
