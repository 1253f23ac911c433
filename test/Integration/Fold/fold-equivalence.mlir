// --trop-fold is exact: each function, folded and lowered (reference and CPU
// pipelines), gives bit-identical results to the original IR run through
// the reference lowering, on seeded random inputs (finite floats in
// [-10, 10), integers in [-100, 100]: inside the semiring's carrier, the
// documented precondition).
// RUN: trop-opt %s --trop-fold | FileCheck %s --check-prefix=FOLDED
// RUN: trop-run %s --entry head --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry head --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry tropical_chain --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry tropical_chain --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_diagonal --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_diagonal --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_gather --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_gather --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_i16 --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry single_i16 --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry lattice_compose --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry lattice_compose --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry unread_min_plus_transposed --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry unread_min_plus_transposed --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry no_input_read --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry no_input_read --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry binary_gather --random-inputs --seed 3 --check --pipeline 'builtin.module(trop-fold,trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry binary_gather --random-inputs --seed 4 --check --pipeline 'builtin.module(trop-fold,trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// OK: check: OK

// What was folded (so that the checks above compare different IR):
// FOLDED-LABEL: func.func @head
// FOLDED: linalg.matmul ins(%arg0, %{{.*}} : tensor<8x16xf32>, tensor<16x8xf32>)
// FOLDED: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<8x8xf32>, tensor<8x10xf32>)
// FOLDED-LABEL: func.func @tropical_chain
// FOLDED: trop.matmul <max_plus> ins(%arg0, %{{.*}} : tensor<6x5xf32>, tensor<5x4xf32>)
// FOLDED: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<6x4xf32>, tensor<4x3xf32>)
// FOLDED-LABEL: func.func @single_diagonal
// FOLDED-NOT: trop.matmul
// FOLDED-LABEL: func.func @single_gather
// FOLDED-NOT: trop.matmul
// FOLDED-LABEL: func.func @single_i16
// FOLDED-NOT: trop.matmul
// FOLDED-LABEL: func.func @lattice_compose
// FOLDED-COUNT-1: trop.matmul <max_min>
// FOLDED-NOT: trop.matmul
// FOLDED-LABEL: func.func @unread_min_plus_transposed
// FOLDED: linalg.matmul ins(%arg0, %{{.*}} : tensor<7x6xf32>, tensor<6x3xf32>)
// FOLDED: trop.matmul <min_plus> ins(%{{.*}}, %{{.*}} : tensor<7x3xf32>, tensor<3x2xf32>)
// FOLDED-LABEL: func.func @no_input_read
// FOLDED-NOT: trop.matmul
// FOLDED-LABEL: func.func @binary_gather
// FOLDED-NOT: trop.matmul

#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>

// Paper A's head (linear 16->12 without bias, BatchNorm, sparse max-plus
// 12->10 with bias, linear 10->4 with bias), as trop.export writes it.
// Inputs 1, 3, 5, 8 of the max-plus layer are unread; neurons 3 and 7 have
// no connection.
func.func @head(%x: tensor<8x16xf32>) -> tensor<8x4xf32> {
  %w1 = arith.constant dense<[[0.0012, 0.2987, -0.2741, -0.8906, -0.4547, -0.9916, 0.0601, 1.3402, -0.4922, -0.6205, 0.4898, 0.3569], [0.1054, -0.9305, -0.0293, 0.6953, -1.3442, -0.4576, -1.9012, -1.2895, -1.8417, -0.2351, -1.2674, 0.2713], [0.1568, -0.1869, -2.5168, -0.5387, -0.0485, 0.1133, -1.5301, -0.4778, -0.9785, -0.8088, 1.0609, -0.8075], [-0.0325, 0.8844, -0.5836, -0.1117, 0.1105, 0.0638, -1.2251, 0.0761, 1.3588, -1.5471, 0.8594, 0.1194], [-0.6415, 2.0004, 0.7623, -1.1993, 0.0745, 0.5767, -0.1888, 0.6829, -0.0665, 0.6672, 1.4385, -0.6757], [0.2031, -0.4633, 0.1273, -1.1872, -0.5793, -0.1962, 0.8988, 1.1452, -1.3235, -0.7946, 0.6469, -1.9924], [-0.4632, -0.0973, 1.2570, 0.6894, -0.3272, -0.3686, -0.2502, 1.5235, -0.4280, -0.3037, 0.3526, -0.1208], [-0.1973, -1.1141, -0.0115, -0.4436, 1.1661, 0.6531, -0.0241, 0.6684, -0.3399, 1.0521, -0.0054, 0.5834], [-1.2909, 0.3467, -1.6882, -2.0353, -0.3045, -0.8999, 0.1641, 2.2448, -0.8317, -0.6239, 0.2054, 0.4930], [-0.1764, -0.2059, 0.7025, 0.5199, -1.0337, -0.0792, 0.0353, -1.0545, 0.2598, -0.8580, 0.9721, 0.1927], [0.0893, -0.5910, -0.1186, -1.9977, -1.1314, 0.3628, -2.1286, 0.8466, -1.7461, 0.7567, -0.8455, 0.7790], [0.1310, -1.5368, 1.2491, 1.4417, -0.0658, -0.2739, -0.1599, -0.9752, 1.0986, -0.5429, -0.0512, -0.7933], [-0.6261, -1.2777, 1.2571, -0.1541, 0.9659, 0.0133, -0.6944, -0.3267, -0.5602, 0.0080, -0.3753, -0.2999], [-1.3786, -0.8068, 1.6541, -0.6712, -1.0541, 0.3373, 1.4073, -1.4540, -0.2085, -0.6321, -1.7610, 0.7349], [-0.0234, 0.0714, -0.7523, 0.4548, -0.5393, -0.1429, -1.1083, -1.2161, 1.3355, -0.5071, 0.2917, -0.0338], [-0.4411, -0.5080, 0.6301, -0.3019, -0.1514, 0.0222, 1.1765, 0.6805, 0.3826, -0.5636, -1.3820, 0.9495]]> : tensor<16x12xf32>
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<8x12xf32>
  %f1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<8x12xf32>) -> tensor<8x12xf32>
  %z = linalg.matmul ins(%x, %w1 : tensor<8x16xf32>, tensor<16x12xf32>) outs(%f1 : tensor<8x12xf32>) -> tensor<8x12xf32>
  %scale = arith.constant dense<[1.1779, 0.5211, 0.8106, 1.4383, 1.0384, 1.3116, 1.1580, 1.1108, 0.6913, 1.0744, 0.5397, 1.3017]> : tensor<12xf32>
  %shift = arith.constant dense<[1.8790, 1.4844, -1.1452, -1.6887, 0.8169, -1.0150, -0.0124, 0.8397, -1.6438, -2.1100, 0.2593, 0.0444]> : tensor<12xf32>
  %e2 = tensor.empty() : tensor<8x12xf32>
  %bn = linalg.generic {indexing_maps = [#id, #row, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%z, %scale, %shift : tensor<8x12xf32>, tensor<12xf32>, tensor<12xf32>) outs(%e2 : tensor<8x12xf32>) {
  ^bb0(%a: f32, %s: f32, %t: f32, %o: f32):
    %m = arith.mulf %a, %s : f32
    %r = arith.addf %m, %t : f32
    linalg.yield %r : f32
  } -> tensor<8x12xf32>
  %w2 = arith.constant dense<[[0xFF800000, 0xFF800000, -1.1069, 0xFF800000, 0xFF800000, 0xFF800000, 1.5244, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0.2066, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0.6368, 0xFF800000, 0xFF800000, -0.7793, -1.1706, -0.0561, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, -0.7841, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0.2104, -1.2134, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000], [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000, -0.8273], [0xFF800000, 0xFF800000, -1.2895, 0xFF800000, 0xFF800000, 0xFF800000, 0.0035, 0xFF800000, 0xFF800000, 0.8534], [-0.5182, 0xFF800000, 0xFF800000, 0xFF800000, -0.2273, 0xFF800000, 0xFF800000, 0xFF800000, 0.6032, 0xFF800000]]> : tensor<12x10xf32>
  %b2 = arith.constant dense<[-1.0858, -0.1021, 0.0520, 0.9585, -0.9063, -0.0393, -1.7219, 0.6515, -1.0815, -1.8064]> : tensor<10xf32>
  %e3 = tensor.empty() : tensor<8x10xf32>
  %bb2 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b2 : tensor<10xf32>) outs(%e3 : tensor<8x10xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<8x10xf32>
  %y = trop.matmul <max_plus> ins(%bn, %w2 : tensor<8x12xf32>, tensor<12x10xf32>) outs(%bb2 : tensor<8x10xf32>) -> tensor<8x10xf32>
  %w3 = arith.constant dense<[[-0.0592, 1.1057, -1.5244, -1.0880], [-0.7433, -1.1295, 0.3794, -0.8074], [-0.7215, 0.5833, -0.7555, 0.4328], [-0.9714, -1.2121, -1.8354, 1.8612], [-0.3203, 0.2439, -0.0310, 0.1600], [0.0497, 1.9082, -1.0389, -1.5575], [-1.0120, -1.3347, 0.7470, 0.8204], [-0.9613, -1.3904, -0.3548, 1.3911], [-2.8196, 0.5266, -1.0758, 1.0404], [-1.0779, -0.2854, -1.5063, -0.9773]]> : tensor<10x4xf32>
  %b3 = arith.constant dense<[1.3858, 0.8206, -0.4017, -0.8702]> : tensor<4xf32>
  %e4 = tensor.empty() : tensor<8x4xf32>
  %bb3 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b3 : tensor<4xf32>) outs(%e4 : tensor<8x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<8x4xf32>
  %out = linalg.matmul ins(%y, %w3 : tensor<8x10xf32>, tensor<10x4xf32>) outs(%bb3 : tensor<8x4xf32>) -> tensor<8x4xf32>
  return %out : tensor<8x4xf32>
}

// Max-plus after max-plus: neuron 2 of the first layer has no connection
// (folds into the second layer's bias), neuron 4 is read by no neuron of the
// second (deleted).
func.func @tropical_chain(%x: tensor<6x5xf32>) -> tensor<6x3xf32> {
  %w1 = arith.constant dense<[[1.5, -2.0, 0xFF800000, 0.25, 3.0, -1.0],
                              [0xFF800000, 4.0, 0xFF800000, -3.5, 0xFF800000, 2.0],
                              [2.5, 0xFF800000, 0xFF800000, 1.0, -4.0, 0xFF800000],
                              [-0.5, 1.25, 0xFF800000, 0xFF800000, 0.5, 5.0],
                              [0.75, 0xFF800000, 0xFF800000, 2.0, 1.0, -2.5]]> : tensor<5x6xf32>
  %b1 = arith.constant dense<[0.5, -1.5, 7.25, 2.0, -0.75, 1.0]> : tensor<6xf32>
  %e1 = tensor.empty() : tensor<6x6xf32>
  %bb1 = linalg.broadcast ins(%b1 : tensor<6xf32>) outs(%e1 : tensor<6x6xf32>) dimensions = [0]
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<6x5xf32>, tensor<5x6xf32>) outs(%bb1 : tensor<6x6xf32>) -> tensor<6x6xf32>
  %w2 = arith.constant dense<[[1.0, 0xFF800000, -2.0],
                              [0xFF800000, 0.5, 3.0],
                              [3.5, 2.25, 0xFF800000],
                              [-1.0, 0xFF800000, 0.125],
                              [0xFF800000, 0xFF800000, 0xFF800000],
                              [2.0, -3.0, 0xFF800000]]> : tensor<6x3xf32>
  %b2 = arith.constant dense<[1.0, 9.0, -2.0]> : tensor<3xf32>
  %e2 = tensor.empty() : tensor<6x3xf32>
  %bb2 = linalg.broadcast ins(%b2 : tensor<3xf32>) outs(%e2 : tensor<6x3xf32>) dimensions = [0]
  %y2 = trop.matmul <max_plus> ins(%y1, %w2 : tensor<6x6xf32>, tensor<6x3xf32>) outs(%bb2 : tensor<6x3xf32>) -> tensor<6x3xf32>
  return %y2 : tensor<6x3xf32>
}

// A shifted ReLU per channel: neuron n reads input n (neuron 3: none).
func.func @single_diagonal(%x: tensor<6x4xf32>, %init: tensor<6x4xf32>) -> tensor<6x4xf32> {
  %w = arith.constant dense<[[1.5, 0xFF800000, 0xFF800000, 0xFF800000],
                             [0xFF800000, -2.25, 0xFF800000, 0xFF800000],
                             [0xFF800000, 0xFF800000, 0.1, 0xFF800000],
                             [0xFF800000, 0xFF800000, 0xFF800000, 0xFF800000]]> : tensor<4x4xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<6x4xf32>, tensor<4x4xf32>) outs(%init : tensor<6x4xf32>) -> tensor<6x4xf32>
  return %y : tensor<6x4xf32>
}

// Min-plus, neurons read inputs 4, 0, 4 (a gather).
func.func @single_gather(%x: tensor<6x5xf32>, %init: tensor<6x3xf32>) -> tensor<6x3xf32> {
  %w = arith.constant dense<[[0x7F800000, 0.3, 0x7F800000],
                             [0x7F800000, 0x7F800000, 0x7F800000],
                             [0x7F800000, 0x7F800000, 0x7F800000],
                             [0x7F800000, 0x7F800000, 0x7F800000],
                             [-1.7, 0x7F800000, 2.9]]> : tensor<5x3xf32>
  %y = trop.matmul <min_plus> ins(%x, %w : tensor<6x5xf32>, tensor<5x3xf32>) outs(%init : tensor<6x3xf32>) -> tensor<6x3xf32>
  return %y : tensor<6x3xf32>
}

// Integers: saturating ⊗ (32760 + x saturates at 32767 for x >= 7).
func.func @single_i16(%x: tensor<6x2xi16>, %init: tensor<6x2xi16>) -> tensor<6x2xi16> {
  %w = arith.constant dense<[[32760, -32768], [-32768, -32700]]> : tensor<2x2xi16>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<6x2xi16>, tensor<2x2xi16>) outs(%init : tensor<6x2xi16>) -> tensor<6x2xi16>
  return %y : tensor<6x2xi16>
}

// Two max_min layers with constant biases compose into one, exactly.
func.func @lattice_compose(%x: tensor<6x3xf32>) -> tensor<6x2xf32> {
  %w1 = arith.constant dense<[[1.0, 2.0, -3.0, 4.0, 0.5], [5.0, -6.0, 7.0, 8.0, 9.5], [-1.0, -2.0, 3.0, -4.0, 0.0]]> : tensor<3x5xf32>
  %b1 = arith.constant dense<[-7.0, 0.0, 0xFF800000, 2.0, -1.0]> : tensor<5xf32>
  %e1 = tensor.empty() : tensor<6x5xf32>
  %bb1 = linalg.broadcast ins(%b1 : tensor<5xf32>) outs(%e1 : tensor<6x5xf32>) dimensions = [0]
  %y1 = trop.matmul <max_min> ins(%x, %w1 : tensor<6x3xf32>, tensor<3x5xf32>) outs(%bb1 : tensor<6x5xf32>) -> tensor<6x5xf32>
  %w2 = arith.constant dense<[[4.0, -1.0], [3.0, 6.0], [2.0, 0xFF800000], [1.0, 2.5], [-3.0, 5.0]]> : tensor<5x2xf32>
  %b2 = arith.constant dense<[-0.5, -9.0]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<6x2xf32>
  %bb2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<6x2xf32>) dimensions = [0]
  %y2 = trop.matmul <max_min> ins(%y1, %w2 : tensor<6x5xf32>, tensor<5x2xf32>) outs(%bb2 : tensor<6x2xf32>) -> tensor<6x2xf32>
  return %y2 : tensor<6x2xf32>
}

// A linear layer with a bias and a transposed (out x in) weight, then a
// min-plus layer (𝟘 = +inf) that reads only inputs 1, 2 and 4 of its 5.
func.func @unread_min_plus_transposed(%x: tensor<7x6xf32>) -> tensor<7x2xf32> {
  %w = arith.constant dense<[[0.5, -1.5, 2.5, 0.25, -0.75, 1.0],
                             [1.5, 0.5, -2.0, 3.0, 0.125, -1.0],
                             [-0.5, 2.0, 1.0, -3.5, 0.5, 0.75],
                             [2.25, -0.25, 0.5, 1.5, -2.5, 0.0],
                             [1.0, 1.0, -1.0, -1.0, 0.5, 0.5]]> : tensor<5x6xf32>
  %e = tensor.empty() : tensor<6x5xf32>
  %wt = linalg.transpose ins(%w : tensor<5x6xf32>) outs(%e : tensor<6x5xf32>) permutation = [1, 0]
  %b = arith.constant dense<[0.1, -0.2, 0.3, -0.4, 0.5]> : tensor<5xf32>
  %e2 = tensor.empty() : tensor<7x5xf32>
  %bb = linalg.broadcast ins(%b : tensor<5xf32>) outs(%e2 : tensor<7x5xf32>) dimensions = [0]
  %z = linalg.matmul ins(%x, %wt : tensor<7x6xf32>, tensor<6x5xf32>) outs(%bb : tensor<7x5xf32>) -> tensor<7x5xf32>
  %v = arith.constant dense<[[0x7F800000, 0x7F800000],
                             [1.5, 0x7F800000],
                             [-0.5, 2.5],
                             [0x7F800000, 0x7F800000],
                             [0x7F800000, -3.0]]> : tensor<5x2xf32>
  %c = arith.constant 4.0 : f32
  %e3 = tensor.empty() : tensor<7x2xf32>
  %f = linalg.fill ins(%c : f32) outs(%e3 : tensor<7x2xf32>) -> tensor<7x2xf32>
  %y = trop.matmul <min_plus> ins(%z, %v : tensor<7x5xf32>, tensor<5x2xf32>) outs(%f : tensor<7x2xf32>) -> tensor<7x2xf32>
  return %y : tensor<7x2xf32>
}

// No input is read: the layer is its init.
func.func @no_input_read(%x: tensor<3x4xf32>, %init: tensor<3x2xf32>) -> tensor<3x2xf32> {
  %w = arith.constant dense<0xFF800000> : tensor<4x2xf32>
  %y = trop.matmul <max_plus> ins(%x, %w : tensor<3x4xf32>, tensor<4x2xf32>) outs(%init : tensor<3x2xf32>) -> tensor<3x2xf32>
  return %y : tensor<3x2xf32>
}

// Binary morphology (max_min on i1): neurons read inputs 0 and 2.
func.func @binary_gather(%x: tensor<8x3xi1>, %init: tensor<8x2xi1>) -> tensor<8x2xi1> {
  %w = arith.constant dense<[[true, false], [false, false], [false, true]]> : tensor<3x2xi1>
  %y = trop.matmul <max_min> ins(%x, %w : tensor<8x3xi1>, tensor<3x2xi1>) outs(%init : tensor<8x2xi1>) -> tensor<8x2xi1>
  return %y : tensor<8x2xi1>
}
