// --trop-fuse tiles linear → tropical → linear chains along their rows with
// the upstream tile-and-fuse driver (TilingInterface on trop.matmul and
// trop.dual_matmul): every op of the chain runs on one row tile inside one
// scf.for; weights and biases are read whole, not recomputed.
// RUN: trop-opt %s --trop-fuse="tile-rows=16" --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-fuse="tile-rows=0" --split-input-file | FileCheck %s --check-prefix=OFF
// RUN: not trop-opt %s --trop-fuse="tile-rows=-1" --split-input-file 2>&1 | FileCheck %s --check-prefix=NEG

// NEG: trop-fuse: tile-rows must be non-negative, got -1

#id = affine_map<(i, j) -> (i, j)>
#row = affine_map<(i, j) -> (j)>

// Paper A's head: linear + bias, max-plus with a broadcast bias, linear + bias.
// CHECK-LABEL: func.func @head
// CHECK-SAME: (%[[X:[^:]*]]: tensor<37x24xf32>, %[[W1:[^:]*]]: tensor<24x24xf32>, %[[B1:[^:]*]]: tensor<24xf32>, %[[W2:[^:]*]]: tensor<24x24xf32>, %[[B2:[^:]*]]: tensor<24xf32>, %[[W3:[^:]*]]: tensor<24x10xf32>, %[[B3:[^:]*]]: tensor<10xf32>)
// CHECK-NOT: linalg.matmul
// CHECK-NOT: trop.matmul
// CHECK: %[[R:.*]] = scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<37x10xf32>)
// CHECK: %[[ROWS:.*]] = affine.min
// CHECK: %[[XS:.*]] = tensor.extract_slice %[[X]][%[[I]], 0] [%[[ROWS]], 24] [1, 1]
// CHECK: %[[F1:.*]] = linalg.fill {{.*}} -> tensor<?x24xf32>
// CHECK: %[[M1:.*]] = linalg.matmul ins(%[[XS]], %[[W1]] : tensor<?x24xf32>, tensor<24x24xf32>) outs(%[[F1]] : tensor<?x24xf32>)
// CHECK: %[[H1:.*]] = linalg.generic {{.*}} ins(%[[M1]], %[[B1]] : tensor<?x24xf32>, tensor<24xf32>)
// CHECK: %[[I2:.*]] = linalg.broadcast ins(%[[B2]] : tensor<24xf32>) outs(%{{.*}} : tensor<?x24xf32>)
// CHECK: %[[H2:.*]] = trop.matmul <max_plus> ins(%[[H1]], %[[W2]] : tensor<?x24xf32>, tensor<24x24xf32>) outs(%[[I2]] : tensor<?x24xf32>) -> tensor<?x24xf32>
// CHECK: %[[F3:.*]] = linalg.fill {{.*}} -> tensor<?x10xf32>
// CHECK: %[[M3:.*]] = linalg.matmul ins(%[[H2]], %[[W3]] : tensor<?x24xf32>, tensor<24x10xf32>) outs(%[[F3]] : tensor<?x10xf32>)
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[M3]], %[[B3]] : tensor<?x10xf32>, tensor<10xf32>)
// CHECK: %[[INS:.*]] = tensor.insert_slice %[[Y]] into %[[ACC]][%[[I]], 0] [%[[ROWS]], 10] [1, 1]
// CHECK: scf.yield %[[INS]]
// CHECK-NOT: linalg.matmul
// CHECK: return %[[R]]
// OFF-LABEL: func.func @head
// OFF-NOT: scf.for
func.func @head(%x: tensor<37x24xf32>, %w1: tensor<24x24xf32>, %b1: tensor<24xf32>, %w2: tensor<24x24xf32>, %b2: tensor<24xf32>, %w3: tensor<24x10xf32>, %b3: tensor<10xf32>) -> tensor<37x10xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<37x24xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %m1 = linalg.matmul ins(%x, %w1 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%f1 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %h1 = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m1, %b1 : tensor<37x24xf32>, tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<37x24xf32>
  %i2 = linalg.broadcast ins(%b2 : tensor<24xf32>) outs(%e1 : tensor<37x24xf32>) dimensions = [0]
  %h2 = trop.matmul <max_plus> ins(%h1, %w2 : tensor<37x24xf32>, tensor<24x24xf32>) outs(%i2 : tensor<37x24xf32>) -> tensor<37x24xf32>
  %e3 = tensor.empty() : tensor<37x10xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  %m3 = linalg.matmul ins(%h2, %w3 : tensor<37x24xf32>, tensor<24x10xf32>) outs(%f3 : tensor<37x10xf32>) -> tensor<37x10xf32>
  %y = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%m3, %b3 : tensor<37x10xf32>, tensor<10xf32>) outs(%e3 : tensor<37x10xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<37x10xf32>
  return %y : tensor<37x10xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// Paper C's MaxPlusMin between two linear layers: the pair becomes a
// dual_matmul first, and the chain through it is tiled (both of its results
// feed the same add; the driver fuses it once per result, CSE merges the
// copies, so it runs once per tile).
// CHECK-LABEL: func.func @max_plus_min_chain
// CHECK: scf.for
// CHECK: linalg.matmul {{.*}} -> tensor<?x16xf32>
// CHECK: %[[D:.*]]:2 = trop.dual_matmul {{.*}} -> tensor<?x8xf32>, tensor<?x8xf32>
// CHECK-NOT: trop.dual_matmul
// CHECK: linalg.generic {{.*}} ins(%[[D]]#0, %[[D]]#1 : tensor<?x8xf32>, tensor<?x8xf32>)
// CHECK: linalg.matmul {{.*}} -> tensor<?x4xf32>
// CHECK: scf.yield
func.func @max_plus_min_chain(%x: tensor<40x16xf32>, %w1: tensor<16x16xf32>, %w2: tensor<16x8xf32>, %b: tensor<40x8xf32>, %b2: tensor<40x8xf32>, %w3: tensor<8x4xf32>) -> tensor<40x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<40x16xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<40x16xf32>) -> tensor<40x16xf32>
  %h1 = linalg.matmul ins(%x, %w1 : tensor<40x16xf32>, tensor<16x16xf32>) outs(%f1 : tensor<40x16xf32>) -> tensor<40x16xf32>
  %mx = trop.matmul <max_plus> ins(%h1, %w2 : tensor<40x16xf32>, tensor<16x8xf32>) outs(%b : tensor<40x8xf32>) -> tensor<40x8xf32>
  %mn = trop.matmul <min_plus> ins(%h1, %w2 : tensor<40x16xf32>, tensor<16x8xf32>) outs(%b2 : tensor<40x8xf32>) -> tensor<40x8xf32>
  %e2 = tensor.empty() : tensor<40x8xf32>
  %s = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%mx, %mn : tensor<40x8xf32>, tensor<40x8xf32>) outs(%e2 : tensor<40x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %t = arith.addf %a, %c : f32
    linalg.yield %t : f32
  } -> tensor<40x8xf32>
  %e3 = tensor.empty() : tensor<40x4xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<40x4xf32>) -> tensor<40x4xf32>
  %y = linalg.matmul ins(%s, %w3 : tensor<40x8xf32>, tensor<8x4xf32>) outs(%f3 : tensor<40x4xf32>) -> tensor<40x4xf32>
  return %y : tensor<40x4xf32>
}

// -----

// Negative: a tropical layer alone is not a chain (nothing to keep in cache).
// CHECK-LABEL: func.func @lone_tropical
// CHECK-NOT: scf.for
// CHECK: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<40x16xf32>
func.func @lone_tropical(%x: tensor<40x16xf32>, %w: tensor<16x8xf32>, %b: tensor<40x8xf32>) -> tensor<40x8xf32> {
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<40x16xf32>, tensor<16x8xf32>) outs(%b : tensor<40x8xf32>) -> tensor<40x8xf32>
  return %r : tensor<40x8xf32>
}

// -----

// Negative: linear layers only (no tropical op).
// CHECK-LABEL: func.func @linear_only
// CHECK-NOT: scf.for
func.func @linear_only(%x: tensor<40x16xf32>, %w1: tensor<16x16xf32>, %w2: tensor<16x8xf32>, %c1: tensor<40x16xf32>, %c2: tensor<40x8xf32>) -> tensor<40x8xf32> {
  %h = linalg.matmul ins(%x, %w1 : tensor<40x16xf32>, tensor<16x16xf32>) outs(%c1 : tensor<40x16xf32>) -> tensor<40x16xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<40x16xf32>, tensor<16x8xf32>) outs(%c2 : tensor<40x8xf32>) -> tensor<40x8xf32>
  return %y : tensor<40x8xf32>
}

// -----

// Negative: the tropical result is also returned, so it is not fused into
// the loop (it would be computed twice); the linear producer before it still
// is part of the chain that ends at the tropical op.
// CHECK-LABEL: func.func @intermediate_escapes
// CHECK: %[[T:.*]] = scf.for
// CHECK: linalg.matmul {{.*}} -> tensor<?x16xf32>
// CHECK: trop.matmul <max_plus> {{.*}} -> tensor<?x8xf32>
// CHECK: scf.yield
// CHECK: linalg.matmul ins(%[[T]], %{{.*}} : tensor<40x8xf32>, tensor<8x4xf32>)
func.func @intermediate_escapes(%x: tensor<40x16xf32>, %w1: tensor<16x16xf32>, %w2: tensor<16x8xf32>, %w3: tensor<8x4xf32>, %c1: tensor<40x16xf32>, %b: tensor<40x8xf32>, %c3: tensor<40x4xf32>) -> (tensor<40x8xf32>, tensor<40x4xf32>) {
  %h = linalg.matmul ins(%x, %w1 : tensor<40x16xf32>, tensor<16x16xf32>) outs(%c1 : tensor<40x16xf32>) -> tensor<40x16xf32>
  %t = trop.matmul <max_plus> ins(%h, %w2 : tensor<40x16xf32>, tensor<16x8xf32>) outs(%b : tensor<40x8xf32>) -> tensor<40x8xf32>
  %y = linalg.matmul ins(%t, %w3 : tensor<40x8xf32>, tensor<8x4xf32>) outs(%c3 : tensor<40x4xf32>) -> tensor<40x4xf32>
  return %t, %y : tensor<40x8xf32>, tensor<40x4xf32>
}
