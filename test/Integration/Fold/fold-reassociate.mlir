// --trop-fold reassociate=true is exact in real arithmetic only: each
// function, folded, gives results within a tolerance (rtol 1e-5, atol 1e-4)
// of the original on seeded random inputs; the script also says whether they
// happen to be bit-identical.
// RUN: trop-opt %s --trop-fold=reassociate=true | FileCheck %s --check-prefix=FOLDED
// RUN: trop-run %s --entry head --random-inputs --seed 3 --output %t.head.ref.npy
// RUN: trop-run %s --entry head --random-inputs --seed 3 --output %t.head.npy --pipeline 'builtin.module(trop-fold{reassociate=1},trop-reference-pipeline{results-to-out-params=1})'
// RUN: %python %S/Inputs/compare.py %t.head.ref.npy %t.head.npy --rtol 1e-5 --atol 1e-4 | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry head --random-inputs --seed 3 --output %t.head.cpu.npy --pipeline 'builtin.module(trop-fold{reassociate=1},trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})'
// RUN: %python %S/Inputs/compare.py %t.head.ref.npy %t.head.cpu.npy --rtol 1e-5 --atol 1e-4 | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry compose_max_plus --random-inputs --seed 5 --output %t.compose.ref.npy
// RUN: trop-run %s --entry compose_max_plus --random-inputs --seed 5 --output %t.compose.npy --pipeline 'builtin.module(trop-fold{reassociate=1},trop-reference-pipeline{results-to-out-params=1})'
// RUN: %python %S/Inputs/compare.py %t.compose.ref.npy %t.compose.npy --rtol 1e-5 --atol 1e-4 | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry scale_through_layers --random-inputs --seed 6 --output %t.scale.ref.npy
// RUN: trop-run %s --entry scale_through_layers --random-inputs --seed 6 --output %t.scale.npy --pipeline 'builtin.module(trop-fold{reassociate=1},trop-reference-pipeline{results-to-out-params=1})'
// RUN: %python %S/Inputs/compare.py %t.scale.ref.npy %t.scale.npy --rtol 1e-5 --atol 1e-4 | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry linear_bias --random-inputs --seed 7 --output %t.bias.ref.npy
// RUN: trop-run %s --entry linear_bias --random-inputs --seed 7 --output %t.bias.npy --pipeline 'builtin.module(trop-fold{reassociate=1},trop-reference-pipeline{results-to-out-params=1})'
// RUN: %python %S/Inputs/compare.py %t.bias.ref.npy %t.bias.npy --rtol 1e-5 --atol 1e-4 | FileCheck %s --check-prefix=OK
// OK: compare: OK

// What was folded: the head's constant neurons 3 and 7 join the last
// linear layer's bias (10 -> 8 rows), BatchNorm's shift joins the max-plus
// weights; the max-plus pair composes; the scale disappears into the
// constants; the linear bias joins the tropical weights.
// FOLDED-LABEL: func.func @head
// FOLDED: linalg.matmul ins(%arg0, %{{.*}} : tensor<8x16xf32>, tensor<16x8xf32>)
// FOLDED: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<8x8xf32>, tensor<8x8xf32>)
// FOLDED: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x8xf32>, tensor<8x4xf32>)
// FOLDED-LABEL: func.func @compose_max_plus
// FOLDED-COUNT-1: trop.matmul
// FOLDED-NOT: trop.matmul
// FOLDED-LABEL: func.func @scale_through_layers
// FOLDED-NOT: linalg.generic
// FOLDED-LABEL: func.func @linear_bias
// FOLDED: linalg.fill

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

func.func @compose_max_plus(%x: tensor<6x3xf32>) -> tensor<6x2xf32> {
  %w1 = arith.constant dense<[[1.1, 2.7, -3.3, 4.9, 0.5], [5.3, -6.1, 7.7, 8.9, 9.5], [-1.3, -2.9, 3.1, -4.7, 0.3]]> : tensor<3x5xf32>
  %b1 = arith.constant dense<[-7.1, 0.3, 0xFF800000, 2.9, -1.7]> : tensor<5xf32>
  %e1 = tensor.empty() : tensor<6x5xf32>
  %bb1 = linalg.broadcast ins(%b1 : tensor<5xf32>) outs(%e1 : tensor<6x5xf32>) dimensions = [0]
  %y1 = trop.matmul <max_plus> ins(%x, %w1 : tensor<6x3xf32>, tensor<3x5xf32>) outs(%bb1 : tensor<6x5xf32>) -> tensor<6x5xf32>
  %w2 = arith.constant dense<[[4.3, -1.9], [3.7, 6.1], [2.3, 0xFF800000], [1.9, 2.7], [-3.1, 5.3]]> : tensor<5x2xf32>
  %b2 = arith.constant dense<[-0.7, -9.1]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<6x2xf32>
  %bb2 = linalg.broadcast ins(%b2 : tensor<2xf32>) outs(%e2 : tensor<6x2xf32>) dimensions = [0]
  %y2 = trop.matmul <max_plus> ins(%y1, %w2 : tensor<6x5xf32>, tensor<5x2xf32>) outs(%bb2 : tensor<6x2xf32>) -> tensor<6x2xf32>
  return %y2 : tensor<6x2xf32>
}

func.func @scale_through_layers(%x: tensor<5x3xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[0.3, -1.7, 2.2], [1.1, 0.9, -0.4], [-2.3, 0.6, 1.4]]> : tensor<3x3xf32>
  %b1 = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %bb1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e : tensor<5x3xf32>) dimensions = [0]
  %z = linalg.matmul ins(%x, %w1 : tensor<5x3xf32>, tensor<3x3xf32>) outs(%bb1 : tensor<5x3xf32>) -> tensor<5x3xf32>
  %w = arith.constant dense<[[1.3, 0xFF800000], [0.7, 3.1], [0xFF800000, -0.9]]> : tensor<3x2xf32>
  %b = arith.constant dense<[0.55, -0.45]> : tensor<2xf32>
  %e2 = tensor.empty() : tensor<5x2xf32>
  %bb = linalg.broadcast ins(%b : tensor<2xf32>) outs(%e2 : tensor<5x2xf32>) dimensions = [0]
  %y = trop.matmul <max_plus> ins(%z, %w : tensor<5x3xf32>, tensor<3x2xf32>) outs(%bb : tensor<5x2xf32>) -> tensor<5x2xf32>
  %a = arith.constant 0.3 : f32
  %e3 = tensor.empty() : tensor<5x2xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<5x2xf32>) outs(%e3 : tensor<5x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.mulf %v, %a : f32
    linalg.yield %m : f32
  } -> tensor<5x2xf32>
  return %s : tensor<5x2xf32>
}

func.func @linear_bias(%x: tensor<5x3xf32>, %init: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w1 = arith.constant dense<[[0.3, -1.7, 2.2], [1.1, 0.9, -0.4], [-2.3, 0.6, 1.4]]> : tensor<3x3xf32>
  %b1 = arith.constant dense<[0.1, -0.2, 0.3]> : tensor<3xf32>
  %e = tensor.empty() : tensor<5x3xf32>
  %bb1 = linalg.broadcast ins(%b1 : tensor<3xf32>) outs(%e : tensor<5x3xf32>) dimensions = [0]
  %z = linalg.matmul ins(%x, %w1 : tensor<5x3xf32>, tensor<3x3xf32>) outs(%bb1 : tensor<5x3xf32>) -> tensor<5x3xf32>
  %w = arith.constant dense<[[1.3, 0x7F800000], [0.7, 3.1], [0x7F800000, -0.9]]> : tensor<3x2xf32>
  %y = trop.matmul <min_plus> ins(%z, %w : tensor<5x3xf32>, tensor<3x2xf32>) outs(%init : tensor<5x2xf32>) -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}
