// Round-trip of the training ops (TropTrainingOps.td), in the pretty form and
// through the generic form, on tensors and memrefs.
// RUN: trop-opt %s | trop-opt | FileCheck %s
// RUN: trop-opt %s --mlir-print-op-generic | trop-opt | FileCheck %s

// CHECK-LABEL: func.func @winners_tensor
// CHECK: trop.matmul_winners <max_plus> ins(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x4xf32>) outs(%{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<8x4xi64>) -> tensor<8x4xf32>, tensor<8x4xi64>
func.func @winners_tensor(%a: tensor<8x16xf32>, %b: tensor<16x4xf32>, %c: tensor<8x4xf32>, %w: tensor<8x4xi64>) -> (tensor<8x4xf32>, tensor<8x4xi64>) {
  %y, %i = trop.matmul_winners <max_plus> ins(%a, %b : tensor<8x16xf32>, tensor<16x4xf32>) outs(%c, %w : tensor<8x4xf32>, tensor<8x4xi64>) -> tensor<8x4xf32>, tensor<8x4xi64>
  return %y, %i : tensor<8x4xf32>, tensor<8x4xi64>
}

// CHECK-LABEL: func.func @winners_memref
// CHECK: trop.matmul_winners <min_plus> ins(%{{.*}}, %{{.*}} : memref<?x16xi16>, memref<16x4xi16>) outs(%{{.*}}, %{{.*}} : memref<?x4xi16>, memref<?x4xi64>)
func.func @winners_memref(%a: memref<?x16xi16>, %b: memref<16x4xi16>, %c: memref<?x4xi16>, %w: memref<?x4xi64>) {
  trop.matmul_winners <min_plus> ins(%a, %b : memref<?x16xi16>, memref<16x4xi16>) outs(%c, %w : memref<?x4xi16>, memref<?x4xi64>)
  return
}

// CHECK-LABEL: func.func @route_tensor
// CHECK: trop.route_to_winners ins(%{{.*}}, %{{.*}} : tensor<8x4xf32>, tensor<8x4xi64>) outs(%{{.*}}, %{{.*}} : tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x16xf32>, tensor<16x4xf32>
func.func @route_tensor(%dy: tensor<8x4xf32>, %w: tensor<8x4xi64>, %da: tensor<8x16xf32>, %db: tensor<16x4xf32>) -> (tensor<8x16xf32>, tensor<16x4xf32>) {
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<8x4xf32>, tensor<8x4xi64>) outs(%da, %db : tensor<8x16xf32>, tensor<16x4xf32>) -> tensor<8x16xf32>, tensor<16x4xf32>
  return %x, %y : tensor<8x16xf32>, tensor<16x4xf32>
}

// CHECK-LABEL: func.func @route_memref
// CHECK: trop.route_to_winners ins(%{{.*}}, %{{.*}} : memref<8x4xf64>, memref<8x4xi64>) outs(%{{.*}}, %{{.*}} : memref<8x16xf64>, memref<16x4xf64>)
func.func @route_memref(%dy: memref<8x4xf64>, %w: memref<8x4xi64>, %da: memref<8x16xf64>, %db: memref<16x4xf64>) {
  trop.route_to_winners ins(%dy, %w : memref<8x4xf64>, memref<8x4xi64>) outs(%da, %db : memref<8x16xf64>, memref<16x4xf64>)
  return
}
