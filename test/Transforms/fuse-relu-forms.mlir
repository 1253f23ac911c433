// --trop-fuse tiles a linear → ReLU → tropical → linear chain whose bias add
// and ReLU are one linalg.generic (as linalg-fuse-elementwise-ops leaves
// them), in each ReLU form LayerMatch.h accepts: the fused generic runs per
// row tile inside the one scf.for with the rest of the chain.
// RUN: trop-opt %s --trop-fuse="tile-rows=16" --split-input-file | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>

// CHECK-LABEL: func.func @relu_maximumf
// CHECK-NOT: linalg.matmul
// CHECK: scf.for
// CHECK: linalg.matmul {{.*}} -> tensor<?x24xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x24xf32>, tensor<24xf32>)
// CHECK: arith.maximumf
// CHECK: trop.matmul <max_plus> {{.*}} -> tensor<?x24xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<?x10xf32>
// CHECK: scf.yield
// CHECK-NOT: linalg.matmul
func.func @relu_maximumf(%x: tensor<37x24xf32>, %w1: tensor<24x24xf32>, %b1: tensor<24xf32>, %w2: tensor<24x24xf32>, %b2: tensor<24xf32>, %w3: tensor<24x10xf32>) -> tensor<37x10xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<37x24xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%f1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %h1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<37x24xf32>, tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<37x24xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) dimensions = [0]
  %h2 = trop.matmul <max_plus> ins(%h1, %w2 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%i2 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %e3 = tensor.empty() : tensor<37x10xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  %y = linalg.matmul ins(%h2, %w3 : tensor<37x24xf32>, tensor<24x10xf32>) outs(%f3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  return %y : tensor<37x10xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>

// CHECK-LABEL: func.func @relu_maxnumf
// CHECK-NOT: linalg.matmul
// CHECK: scf.for
// CHECK: linalg.matmul {{.*}} -> tensor<?x24xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x24xf32>, tensor<24xf32>)
// CHECK: arith.maxnumf
// CHECK: trop.matmul <max_plus> {{.*}} -> tensor<?x24xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<?x10xf32>
// CHECK: scf.yield
// CHECK-NOT: linalg.matmul
func.func @relu_maxnumf(%x: tensor<37x24xf32>, %w1: tensor<24x24xf32>, %b1: tensor<24xf32>, %w2: tensor<24x24xf32>, %b2: tensor<24xf32>, %w3: tensor<24x10xf32>) -> tensor<37x10xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<37x24xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%f1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %h1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<37x24xf32>, tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maxnumf %zero, %s : f32
    linalg.yield %r : f32
  } -> tensor<37x24xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) dimensions = [0]
  %h2 = trop.matmul <max_plus> ins(%h1, %w2 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%i2 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %e3 = tensor.empty() : tensor<37x10xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  %y = linalg.matmul ins(%h2, %w3 : tensor<37x24xf32>, tensor<24x10xf32>) outs(%f3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  return %y : tensor<37x10xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>

// CHECK-LABEL: func.func @relu_cmpf_select
// CHECK-NOT: linalg.matmul
// CHECK: scf.for
// CHECK: linalg.matmul {{.*}} -> tensor<?x24xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x24xf32>, tensor<24xf32>)
// CHECK: arith.select
// CHECK: trop.matmul <max_plus> {{.*}} -> tensor<?x24xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<?x10xf32>
// CHECK: scf.yield
// CHECK-NOT: linalg.matmul
func.func @relu_cmpf_select(%x: tensor<37x24xf32>, %w1: tensor<24x24xf32>, %b1: tensor<24xf32>, %w2: tensor<24x24xf32>, %b2: tensor<24xf32>, %w3: tensor<24x10xf32>) -> tensor<37x10xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<37x24xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%f1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %h1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<37x24xf32>, tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %c = arith.cmpf ugt, %s, %zero : f32
    %r = arith.select %c, %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<37x24xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) dimensions = [0]
  %h2 = trop.matmul <max_plus> ins(%h1, %w2 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%i2 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %e3 = tensor.empty() : tensor<37x10xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  %y = linalg.matmul ins(%h2, %w3 : tensor<37x24xf32>, tensor<24x10xf32>) outs(%f3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  return %y : tensor<37x10xf32>
}
