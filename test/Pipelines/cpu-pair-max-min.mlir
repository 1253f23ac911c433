// The CPU pipeline runs --trop-fuse's exact max/min pairing first (paper C's
// max-plus-min layer: one kernel computes each sum once for both), unless
// pair-max-min=false.
// RUN: trop-opt %s --trop-cpu-pipeline="threads=1" --mlir-print-ir-after=trop-fuse -o /dev/null 2>&1 | FileCheck %s
// RUN: trop-opt %s --trop-cpu-pipeline="threads=1 pair-max-min=false" --mlir-print-ir-after-all -o /dev/null 2>&1 | FileCheck %s --check-prefix=OFF

// CHECK-LABEL: func.func @max_plus_min
// CHECK: %[[D:.*]]:2 = trop.dual_matmul ins(%arg0, %arg1 : tensor<8x16xf32>, tensor<16x4xf32>)
// CHECK: linalg.add ins(%[[D]]#0, %[[D]]#1
// CHECK-NOT: trop.matmul
// OFF-NOT: trop.dual_matmul
func.func @max_plus_min(%x: tensor<8x16xf32>, %w: tensor<16x4xf32>, %b1: tensor<8x4xf32>, %b2: tensor<8x4xf32>) -> tensor<8x4xf32> {
  %hi = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b1 : tensor<8x4xf32>) -> tensor<8x4xf32>
  %lo = trop.matmul <min_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x4xf32>) outs(%b2 : tensor<8x4xf32>) -> tensor<8x4xf32>
  %e = tensor.empty() : tensor<8x4xf32>
  %s = linalg.add ins(%hi, %lo : tensor<8x4xf32>, tensor<8x4xf32>) outs(%e : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %s : tensor<8x4xf32>
}
