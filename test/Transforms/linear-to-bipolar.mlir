// --trop-linear-to-bipolar: linear layers with constant weights become
// trop.bipolar_matmul with the log-weight poles of paper E's reference code
// (V± = ln(max(±W, floor)), rounded to the element type), the same input and
// the same destination (the bias, unchanged); the report gives each layer's
// measured error against the linear layer.
// RUN: trop-opt %s --split-input-file --trop-linear-to-bipolar | FileCheck %s
// RUN: trop-opt %s --split-input-file --trop-linear-to-bipolar="floor=0.01 input-shift=0.25" | FileCheck %s --check-prefix=OPTS
// RUN: trop-opt %s --split-input-file --trop-linear-to-bipolar="input-bounds=0.5,0.5 samples=3 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// RUN: trop-opt %s --split-input-file --trop-linear-to-bipolar="input-bounds=0.5,0.5 input-shift=0 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=EXACTSPLIT

// W = [[2, −1], [0, 0.5], [−0.25, 3]]: ln 2 = 0.693147182, ln 1e-6 =
// −13.8155107 (weights 0 and of the other sign), ln 0.5 = −0.693147182,
// ln 3 = 1.09861231, ln 1 = 0, ln 0.25 = −1.38629436.
// CHECK-LABEL: func.func @dense
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<4x2xf32>)
// CHECK-DAG: %[[VP:.*]] = arith.constant dense<{{\[}}[0.693147182, -13.8155107], [-13.8155107, -0.693147182], [-13.8155107, 1.09861231]]> : tensor<3x2xf32>
// CHECK-DAG: %[[VN:.*]] = arith.constant dense<{{\[}}[-13.8155107, 0.000000e+00], [-13.8155107, -13.8155107], [-1.38629436, -13.8155107]]> : tensor<3x2xf32>
// CHECK: %[[R:.*]] = trop.bipolar_matmul ins(%[[X]], %[[VP]], %[[VN]] : tensor<4x3xf32>, tensor<3x2xf32>, tensor<3x2xf32>) outs(%[[B]] : tensor<4x2xf32>) -> tensor<4x2xf32>
// CHECK-NOT: linalg.matmul
// CHECK: return %[[R]]
// OPTS-LABEL: func.func @dense
// OPTS-DAG: arith.constant dense<{{\[}}[0.693147182, -4.60517025], [-4.60517025, -0.693147182], [-4.60517025, 1.09861231]]> : tensor<3x2xf32>
// OPTS: trop.bipolar_matmul {input_shift = 2.500000e-01 : f64}
// x = 0.5 everywhere: x·W = [1 − 0.125, −0.5 + 0.25 + 1.5] = [0.875, 1.25].
// BM, second output: e(L⁺V⁺) = 0.5·3, e(L⁺V⁻) = 0.5·1, and the floored
// inactive pole L⁻ = ln 0.1 adds −0.1·3 + 0.1·1: 1.5 − 0.5 − 0.3 + 0.1 = 0.8,
// an error of 0.45 (the largest; the first output is 0.7), 0.36 of 1.25.
// REPORT: trop-linear-to-bipolar: floor 1e-06, input-shift 0.1, input bounds [0.5, 0.5], 3 samples, seed 0
// REPORT: layer 0 ({{.*}}): linalg.matmul 3x2 f32 -> trop.bipolar_matmul; max abs error 0.45, max rel error 0.36 (of max |x.W| 1.25)
// With input-shift 0 the inactive pole is −∞; what is left is the error of
// keeping only the largest product per pole pair: the second output is
// 1.5 − 0.5 = 1 (0.25 of the positive sum 1.75 is dropped), 0.2 of 1.25.
// EXACTSPLIT: layer 0 ({{.*}}): linalg.matmul 3x2 f32 -> trop.bipolar_matmul; max abs error 0.25, max rel error 0.2 (of max |x.W| 1.25)
func.func @dense(%x: tensor<4x3xf32>, %b: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %w = arith.constant dense<[[2.0, -1.0], [0.0, 0.5], [-0.25, 3.0]]> : tensor<3x2xf32>
  %r = linalg.matmul ins(%x, %w : tensor<4x3xf32>, tensor<3x2xf32>) outs(%b : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// -----

// Layers that are left alone, and why: weights that are not a constant, a
// transposed indexing_maps, f16. The f64 layer is converted.
// CHECK-LABEL: func.func @left
// CHECK: linalg.matmul ins(%{{.*}}, %arg1 :
// CHECK: linalg.matmul indexing_maps
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x2xf16>
// CHECK: trop.bipolar_matmul ins({{.*}} : tensor<2x2xf64>, tensor<2x2xf64>, tensor<2x2xf64>)
// REPORT: layer 0 ({{.*}}): left (weights are not a constant)
// REPORT: layer 1 ({{.*}}): left (transposed or broadcast indexing_maps)
// REPORT: layer 2 ({{.*}}): left (not all f32 or all f64)
// REPORT: layer 3 ({{.*}}): linalg.matmul 2x2 f64 -> trop.bipolar_matmul; max abs error
// REPORT: converted 1 of 4 linear layers
func.func @left(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>, %b: tensor<2x2xf32>, %h: tensor<2x2xf16>, %bh: tensor<2x2xf16>, %d: tensor<2x2xf64>, %bd: tensor<2x2xf64>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf16>, tensor<2x2xf64>) {
  %r0 = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%b : tensor<2x2xf32>) -> tensor<2x2xf32>
  %c = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %r1 = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>] ins(%x, %c : tensor<2x2xf32>, tensor<2x2xf32>) outs(%b : tensor<2x2xf32>) -> tensor<2x2xf32>
  %ch = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf16>
  %r2 = linalg.matmul ins(%h, %ch : tensor<2x2xf16>, tensor<2x2xf16>) outs(%bh : tensor<2x2xf16>) -> tensor<2x2xf16>
  %cd = arith.constant dense<[[1.0, -2.0], [3.0, 4.0]]> : tensor<2x2xf64>
  %r3 = linalg.matmul ins(%d, %cd : tensor<2x2xf64>, tensor<2x2xf64>) outs(%bd : tensor<2x2xf64>) -> tensor<2x2xf64>
  return %r0, %r1, %r2, %r3 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf16>, tensor<2x2xf64>
}
