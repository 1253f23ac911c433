// --trop-linear-to-bipolar on convolutions: a linalg.conv_2d_nhwc_hwcf with a
// constant filter becomes im2col (a linalg.generic copying the windows, with
// the strides and dilations in its input map, collapsed to a matrix), a
// trop.bipolar_matmul on the filter's poles read as a (KH·KW·C)×F matrix into
// the collapsed destination (the bias), and the result expanded back.
// RUN: trop-opt %s --split-input-file --trop-linear-to-bipolar | FileCheck %s
// RUN: trop-opt %s --split-input-file --trop-linear-to-bipolar="input-bounds=0.5,0.5 samples=2 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT

// A 2x2 filter with C = 1 and F = 2, stride 2 in H and dilation 2 in W.
// Filter (KH, KW, C, F) row-major = [[2, -1], [0, 0.5], [-0.25, 3], [1, 1]].
// CHECK-DAG: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 * 2 + d3, d2 + d4 * 2, d5)>
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>
// CHECK-LABEL: func.func @conv
// CHECK-SAME: (%[[X:.*]]: tensor<1x5x5x1xf32>, %[[B:.*]]: tensor<1x2x3x2xf32>)
// CHECK-DAG: %[[B2:.*]] = tensor.collapse_shape %[[B]] {{\[}}[0, 1, 2], [3]] : tensor<1x2x3x2xf32> into tensor<6x2xf32>
// CHECK-DAG: %[[E:.*]] = tensor.empty() : tensor<1x2x3x2x2x1xf32>
// CHECK: %[[W:.*]] = linalg.generic {indexing_maps = [#[[READ]], #[[ID]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[X]] : tensor<1x5x5x1xf32>) outs(%[[E]] : tensor<1x2x3x2x2x1xf32>)
// CHECK: %[[COL:.*]] = tensor.collapse_shape %[[W]] {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<1x2x3x2x2x1xf32> into tensor<6x4xf32>
// CHECK-DAG: %[[VP:.*]] = arith.constant dense<{{\[}}[0.693147182, -13.8155107], [-13.8155107, -0.693147182], [-13.8155107, 1.09861231], [0.000000e+00, 0.000000e+00]]> : tensor<4x2xf32>
// CHECK-DAG: %[[VN:.*]] = arith.constant dense<{{\[}}[-13.8155107, 0.000000e+00], [-13.8155107, -13.8155107], [-1.38629436, -13.8155107], [-13.8155107, -13.8155107]]> : tensor<4x2xf32>
// CHECK: %[[R:.*]] = trop.bipolar_matmul ins(%[[COL]], %[[VP]], %[[VN]] : tensor<6x4xf32>, tensor<4x2xf32>, tensor<4x2xf32>) outs(%[[B2]] : tensor<6x2xf32>) -> tensor<6x2xf32>
// CHECK: %[[Y:.*]] = tensor.expand_shape %[[R]] {{\[}}[0, 1, 2], [3]] output_shape [1, 2, 3, 2] : tensor<6x2xf32> into tensor<1x2x3x2xf32>
// CHECK-NOT: linalg.conv_2d
// CHECK: return %[[Y]]
// x = 0.5 everywhere: every window is the matmul test's input with a fourth
// input, x·W = [0.875 + 0.5, 1.25 + 0.5] = [1.375, 1.75]; BM, second output:
// e(L⁺V⁺) = 0.5·3 and e(L⁻V⁺) = 0.1·3 as before, e(L⁺V⁻) = 0.5·1,
// e(L⁻V⁻) = 0.1·1: 0.8, an error of 0.95 (first: 0.7 against 1.375, 0.675).
// REPORT: layer 0 ({{.*}}): linalg.conv_2d_nhwc_hwcf 2x2x1x2 f32 -> im2col + trop.bipolar_matmul; max abs error 0.95, max rel error 0.542857 (of max |x.W| 1.75)
// REPORT: converted 1 of 1 linear layers
func.func @conv(%x: tensor<1x5x5x1xf32>, %b: tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32> {
  %w = arith.constant dense<[[[[2.0, -1.0]], [[0.0, 0.5]]], [[[-0.25, 3.0]], [[1.0, 1.0]]]]> : tensor<2x2x1x2xf32>
  %r = linalg.conv_2d_nhwc_hwcf {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>} ins(%x, %w : tensor<1x5x5x1xf32>, tensor<2x2x1x2xf32>) outs(%b : tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
  return %r : tensor<1x2x3x2xf32>
}

// -----

// Convolutions left alone, and why; the f64 one is converted.
// CHECK-LABEL: func.func @left
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} ins(%{{.*}}, %arg1 :
// CHECK: linalg.conv_2d_nhwc_hwcf {{.*}} tensor<1x3x3x1xf16>
// CHECK: trop.bipolar_matmul ins({{.*}} : tensor<4x4xf64>, tensor<4x1xf64>, tensor<4x1xf64>)
// REPORT: layer 0 ({{.*}}): left (weights are not a constant)
// REPORT: layer 1 ({{.*}}): left (not all f32 or all f64)
// REPORT: layer 2 ({{.*}}): linalg.conv_2d_nhwc_hwcf 2x2x1x1 f64 -> im2col + trop.bipolar_matmul; max abs error
// REPORT: converted 1 of 3 linear layers
func.func @left(%x: tensor<1x3x3x1xf32>, %w: tensor<2x2x1x1xf32>, %b: tensor<1x2x2x1xf32>, %h: tensor<1x3x3x1xf16>, %bh: tensor<1x2x2x1xf16>, %d: tensor<1x3x3x1xf64>, %bd: tensor<1x2x2x1xf64>) -> (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf16>, tensor<1x2x2x1xf64>) {
  %r0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x3x3x1xf32>, tensor<2x2x1x1xf32>) outs(%b : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %ch = arith.constant dense<1.0> : tensor<2x2x1x1xf16>
  %r1 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%h, %ch : tensor<1x3x3x1xf16>, tensor<2x2x1x1xf16>) outs(%bh : tensor<1x2x2x1xf16>) -> tensor<1x2x2x1xf16>
  %cd = arith.constant dense<[[[[1.0]], [[-2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf64>
  %r2 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%d, %cd : tensor<1x3x3x1xf64>, tensor<2x2x1x1xf64>) outs(%bd : tensor<1x2x2x1xf64>) -> tensor<1x2x2x1xf64>
  return %r0, %r1, %r2 : tensor<1x2x2x1xf32>, tensor<1x2x2x1xf16>, tensor<1x2x2x1xf64>
}
