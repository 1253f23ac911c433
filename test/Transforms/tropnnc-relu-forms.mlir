// --trop-tropnnc accepts the hidden layer of a Linear → ReLU → Linear block in
// every form front ends and upstream elementwise fusion leave it in (the
// shared matcher of trop/Dialect/Trop/Utils/LayerMatch.h): the bias add and
// the ReLU fused into one linalg.generic, either operand order, the ReLU as
// arith.maximumf, arith.maxnumf or arith.cmpf + arith.select. Each block is
// the one of tropnnc.mlir's @exact_merges (4 neurons: n1 = 2·n0, n2 dead,
// n3 = −n0), compressed exactly to 2 neurons.
// RUN: trop-opt %s --split-input-file --trop-tropnnc | FileCheck %s
// The separate ops, fused by upstream elementwise fusion first:
// RUN: trop-opt %s --split-input-file --linalg-fuse-elementwise-ops | FileCheck %s --check-prefix=FUSED
// RUN: trop-opt %s --split-input-file --linalg-fuse-elementwise-ops --trop-tropnnc | FileCheck %s

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// Upstream elementwise fusion's bias + ReLU: one generic, bias read through (d0, d1) -> (d1).
// CHECK-LABEL: func.func @fused_bias_relu_maximumf
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {{.*}}exact = true, kept = 2 : i64, original = 4 : i64
// CHECK-NOT: tensor<3x4xf32>
func.func @fused_bias_relu_maximumf(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maximumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The bias as the first input and first addend, the zero first in the max.
// CHECK-LABEL: func.func @fused_bias_first
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {{.*}}exact = true, kept = 2 : i64, original = 4 : i64
// CHECK-NOT: tensor<3x4xf32>
func.func @fused_bias_first(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#bias, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%b1, %z : tensor<4xf32>, tensor<3x4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%b: f32, %a: f32, %o: f32):
    %s = arith.addf %b, %a : f32
    %r = arith.maximumf %zero, %s : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// arith.maxnumf (NaN becomes 0: TropNNC is approximate, the form is accepted).
// CHECK-LABEL: func.func @fused_maxnumf
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {{.*}}exact = true, kept = 2 : i64, original = 4 : i64
// CHECK-NOT: tensor<3x4xf32>
func.func @fused_maxnumf(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %r = arith.maxnumf %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// torch-mlir's ReLU: cmpf ugt + select.
// CHECK-LABEL: func.func @fused_cmpf_select
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {{.*}}exact = true, kept = 2 : i64, original = 4 : i64
// CHECK-NOT: tensor<3x4xf32>
func.func @fused_cmpf_select(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %c = arith.cmpf ugt, %s, %zero : f32
    %r = arith.select %c, %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The compare with the zero on the left (0 < s), picking s.
// CHECK-LABEL: func.func @fused_cmpf_select_swapped
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {{.*}}exact = true, kept = 2 : i64, original = 4 : i64
// CHECK-NOT: tensor<3x4xf32>
func.func @fused_cmpf_select_swapped(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %c = arith.cmpf olt, %zero, %s : f32
    %r = arith.select %c, %s, %zero : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The compare s < 0 picking the zero.
// CHECK-LABEL: func.func @fused_cmpf_select_less
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {{.*}}exact = true, kept = 2 : i64, original = 4 : i64
// CHECK-NOT: tensor<3x4xf32>
func.func @fused_cmpf_select_less(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[-1.0, -2.0, 0.0, 1.0], [-2.0, -4.0, 0.0, 2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %b1n = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1n : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    %n = arith.negf %s : f32
    %c = arith.cmpf olt, %n, %zero : f32
    %r = arith.select %c, %zero, %n : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// The separate ops as front ends emit them: a bias-add generic, then a ReLU generic (fused first by the FUSED run).
// FUSED-LABEL: func.func @separate_ops
// FUSED: linalg.generic
// FUSED-SAME: ins(%{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<4xf32>)
// FUSED: arith.addf
// FUSED: arith.cmpf ugt
// FUSED: arith.select
// FUSED-NOT: linalg.generic
// FUSED: linalg.matmul
// CHECK-LABEL: func.func @separate_ops
// CHECK-DAG: arith.constant dense<{{\[\[}}1.000000e+00, -1.000000e+00], [2.000000e+00, -2.000000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK-DAG: arith.constant dense<{{\[\[}}2.000000e+00, 2.000000e+00], [1.000000e+00, -1.000000e+00]]> : tensor<2x2xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<3x2xf32>
// CHECK: arith.maximumf
// CHECK: linalg.matmul {trop.tropnnc = {{.*}}exact = true, kept = 2 : i64, original = 4 : i64
// CHECK-NOT: tensor<3x4xf32>
func.func @separate_ops(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %bb = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<3x4xf32>
  %e3 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%bb : tensor<3x4xf32>) outs(%e3 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %c = arith.cmpf ugt, %a, %zero : f32
    %r = arith.select %c, %a, %zero : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// Negative: max(z, 0) + b is not a ReLU of an affine function of z.
// CHECK-LABEL: func.func @relu_before_bias
// CHECK-NOT: trop.tropnnc
// CHECK: return
func.func @relu_before_bias(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.maximumf %a, %zero : f32
    %s = arith.addf %r, %b : f32
    linalg.yield %s : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// Negative: select(s > 0, 0, s) is min(s, 0), not a ReLU.
// CHECK-LABEL: func.func @select_is_min
// CHECK-NOT: trop.tropnnc
// CHECK: return
func.func @select_is_min(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %c = arith.cmpf ogt, %s, %zero : f32
    %r = arith.select %c, %zero, %s : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// -----

#bias = affine_map<(d0, d1) -> (d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// Negative: max(s, 1) is not a ReLU.
// CHECK-LABEL: func.func @max_with_nonzero
// CHECK-NOT: trop.tropnnc
// CHECK: return
func.func @max_with_nonzero(%x: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, 0.0, -1.0], [2.0, 4.0, 0.0, -2.0]]> : tensor<2x4xf32>
  %b1 = arith.constant dense<[1.0, 2.0, 0.0, -1.0]> : tensor<4xf32>
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<3x4xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%e0 : tensor<3x4xf32>) -> tensor<3x4xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<3x2xf32>, tensor<2x4xf32>) outs(%fill : tensor<3x4xf32>) -> tensor<3x4xf32>
  %e1 = tensor.empty() : tensor<3x4xf32>
  %h = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %b1 : tensor<3x4xf32>, tensor<4xf32>) outs(%e1 : tensor<3x4xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    %one = arith.constant 1.0 : f32
    %r = arith.maximumf %s, %one : f32
    linalg.yield %r : f32
  } -> tensor<3x4xf32>
  %w2 = arith.constant dense<[[1.0, 0.0], [0.5, 1.0], [3.0, 3.0], [1.0, -1.0]]> : tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<3x2xf32>
  %f2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %y = linalg.matmul ins(%h, %w2 : tensor<3x4xf32>, tensor<4x2xf32>) outs(%f2 : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}
