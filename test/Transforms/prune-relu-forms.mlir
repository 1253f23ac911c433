// --trop-prune reads the layers of paper A's ReLU head the same whatever the
// ReLU's form: with the bias add and the ReLU fused into one linalg.generic
// (cmpf + select, as linalg-fuse-elementwise-ops leaves torch-mlir's ops),
// preset=paper-a finds head=relu and prunes the counts of prune-preset.mlir's
// RELU run (the weights are the same seeded ones). --trop-tropnnc then
// matches the same block through LayerMatch.h.
// RUN: %python %S/Inputs/paper_a_head.py relu-fused 256 > %t.mlir
// RUN: trop-opt %t.mlir --trop-prune="preset=paper-a ratios=0.7,0.7 report=-" -o /dev/null 2>&1 | FileCheck %s
// RUN: trop-opt %t.mlir --trop-prune="preset=paper-a ratios=0.7,0.7" --trop-tropnnc="report=-" 2>&1 | FileCheck %s --check-prefix=NNC

// CHECK: preset: paper-a head=relu r1=0.7 r2=0.7: ReLU baseline keeps 41380 parameters
// CHECK: preset counts to prune: 91750 3584
// CHECK: layer 0 linear at {{.*}}: 131072 weights, 0 pruned before, 91750 pruned after
// CHECK: layer 1 linear at {{.*}}: 5120 weights, 0 pruned before, 3584 pruned after

// NNC: block 0 linear at {{.*}}: 512 -> {{[0-9]+}} neurons
// NNC: linalg.matmul {trop.tropnnc =
