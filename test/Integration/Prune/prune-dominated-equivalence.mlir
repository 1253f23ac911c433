// --trop-prune-dominated is exact within the bounds: each function, pruned
// for inputs in [-1, 1] and lowered (reference and CPU pipelines), gives
// bit-identical results to the original through the reference lowering, on
// seeded random inputs drawn from [-1, 1). The weights are seeded N(0, 1)
// draws (a paper-A-like dense max-plus layer and its neighbours).
// RUN: trop-opt %s --trop-prune-dominated="input-bounds=-1,1 report=-" -o /dev/null 2>&1 | FileCheck %s --check-prefix=REPORT
// REPORT: layer 0 max_plus at {{.*}}: 256 weights, 0 𝟘 before, {{[1-9][0-9]*}} removed
// REPORT: layer 1 max_plus at {{.*}}: 64 weights, 0 𝟘 before, {{[1-9][0-9]*}} removed
// REPORT: layer 2 max_plus at {{.*}}: 64 weights, 0 𝟘 before, {{[1-9][0-9]*}} removed
// REPORT: layer 3 min_plus at {{.*}}: 128 weights, 0 𝟘 before, {{[1-9][0-9]*}} removed
// REPORT: layer 4 max_min at {{.*}}: 128 weights, 0 𝟘 before, {{[1-9][0-9]*}} removed
// REPORT: layer 5 max_plus at {{.*}}: 128 weights, 0 𝟘 before, {{[1-9][0-9]*}} removed
//
// RUN: trop-run %s --entry hybrid --random-inputs --seed 1 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry hybrid --random-inputs --seed 2 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry linear_bn_relu --random-inputs --seed 1 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry linear_bn_relu --random-inputs --seed 2 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_plus --random-inputs --seed 1 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_plus --random-inputs --seed 2 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_min --random-inputs --seed 1 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_min --random-inputs --seed 2 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry half --random-inputs --seed 1 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry half --random-inputs --seed 2 --random-min -1 --random-max 1 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// Inputs on the bounds themselves (each element -1, 1 or in between), where
// a pruned term comes closest to its column's witness:
// RUN: %python -c "import numpy as np; r = np.random.default_rng(5); np.save('%t.x.npy', r.choice(np.array([-1.0, 1.0, 0.5, -0.25], np.float32), (8, 16)))"
// RUN: trop-run %s --entry hybrid --input %t.x.npy --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry linear_bn_relu --input %t.x.npy --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry min_plus --input %t.x.npy --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// RUN: trop-run %s --entry max_min --input %t.x.npy --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-cpu-pipeline{results-to-out-params=1 threads=2 nan-mode=propagate})' | FileCheck %s --check-prefix=OK
// OK: check: OK
//
// The comparison has teeth: on inputs outside the bounds, the pruned weights
// do win, and the check fails.
// RUN: not trop-run %s --entry hybrid --random-inputs --seed 1 --random-min -10 --random-max 10 --check --pipeline 'builtin.module(trop-prune-dominated{input-bounds=-1,1},trop-reference-pipeline{results-to-out-params=1})' 2>&1 | FileCheck %s --check-prefix=OUTSIDE
// OUTSIDE: check failed

#row = affine_map<(b, i) -> (i)>
#id = affine_map<(b, i) -> (b, i)>

// Paper A's head after its first linear layer: dense max-plus 16 -> 16 with
// a tropical bias, linear 16 -> 8 with a bias, then max-plus 8 -> 8. The
// second max-plus layer's bounds come through the linear layer.
func.func @hybrid(%x: tensor<8x16xf32>) -> tensor<8x8xf32> {
  %wm = arith.constant dense<[[0.00123015, 0.298746, -0.274138, -0.890592, -0.454671, -0.991647, 0.0601436, 1.34022, -0.492207, -0.620475, 0.489842, 0.356887, 0.105414, -0.930468, -0.0292518, 0.695303], [-1.34421, -0.457616, -1.90122, -1.28954, -1.84174, -0.235091, -1.26745, 0.271264, 0.156751, -0.186931, -2.51676, -0.538693, -0.0485009, 0.113309, -1.53014, -0.477753], [-0.978519, -0.808837, 1.0609, -0.807535, -0.0325217, 0.88439, -0.5836, -0.111702, 0.110464, 0.0637818, -1.22506, 0.0761402, 1.35882, -1.54714, 0.859383, 0.119354], [-0.64147, 2.00042, 0.76226, -1.19929, 0.0745162, 0.57669, -0.188782, 0.68291, -0.0665173, 0.667248, 1.43852, -0.675662, 0.203139, -0.463308, 0.127268, -1.18719], [-0.579302, -0.196196, 0.898764, 1.14522, -1.32353, -0.794642, 0.646903, -1.99242, -0.46317, -0.0972869, 1.25701, 0.689404, -0.327213, -0.368576, -0.250195, 1.52353], [-0.428025, -0.30368, 0.352589, -0.12077, -0.197284, -1.11407, -0.0115215, -0.443581, 1.16613, 0.653089, -0.0241436, 0.668381, -0.33987, 1.05213, -0.00539956, 0.583382], [-1.29089, 0.34668, -1.6882, -2.03533, -0.304477, -0.899928, 0.164053, 2.24476, -0.831723, -0.623944, 0.205404, 0.493013, -0.176406, -0.20593, 0.702463, 0.519908], [-1.03368, -0.0791813, 0.0352868, -1.05448, 0.259839, -0.857956, 0.972067, 0.192746, 0.0893065, -0.591028, -0.11861, -1.99775, -1.13141, 0.36284, -2.12857, 0.846609], [-1.7461, 0.756738, -0.845497, 0.778991, 0.130951, -1.53683, 1.24915, 1.44171, -0.0658049, -0.273916, -0.159867, -0.975152, 1.09859, -0.542892, -0.0511904, -0.793296], [-0.626073, -1.27773, 1.25707, -0.154088, 0.965922, 0.0133246, -0.694404, -0.326685, -0.560231, 0.0079591, -0.375267, -0.299922, -1.37857, -0.806846, 1.65406, -0.671233], [-1.05409, 0.337326, 1.40727, -1.45402, -0.208522, -0.632053, -1.76102, 0.734927, -0.0234439, 0.0714418, -0.752311, 0.454784, -0.539297, -0.142903, -1.10826, -1.2161], [1.33553, -0.507105, 0.29168, -0.0337904, -0.441145, -0.507961, 0.630083, -0.301868, -0.151444, 0.0222216, 1.17651, 0.680511, 0.3826, -0.563571, -1.38197, 0.94953], [0.966447, -0.140708, 0.541884, 0.781443, 0.831184, 0.921384, -0.455618, 1.51497, -1.24659, 0.861723, 0.493932, 0.873619, 1.87901, 1.48445, -1.14518, -1.68867], [0.816889, -1.01501, -0.0124054, 0.839727, -1.6438, -2.10998, 0.259299, 0.0443859, -0.245803, 0.0385348, -0.860516, -1.51349, -0.166655, -0.971709, -1.64348, 0.505681], [-0.0613986, 0.406529, -0.989295, -0.658059, -0.999043, -0.886642, 0.195408, -0.782975, 0.356066, 0.339756, 2.02516, -1.39279, 0.887902, -0.089488, -0.0140297, -1.44986], [-0.460194, 0.743197, -0.0824784, 0.0810544, -0.290717, 1.15457, -0.0214726, -2.20042, -0.692073, -1.9688, -3.25144, -0.530115, 1.33356, 0.0471199, -1.17255, -0.9407]]> : tensor<16x16xf32>
  %bm = arith.constant dense<[1.13061, 0.157627, 0.0479992, -0.0534618, 0.0384003, 0.805406, 0.552567, 0.215705, -1.04287, 0.511109, -0.684247, 1.09385, -1.27105, -0.137621, -0.00735829, -1.32465]> : tensor<16xf32>
  %e1 = tensor.empty() : tensor<8x16xf32>
  %biasm = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%bm : tensor<16xf32>) outs(%e1 : tensor<8x16xf32>) {
  ^bb0(%b: f32, %unused: f32):
    linalg.yield %b : f32
  } -> tensor<8x16xf32>
  %y = trop.matmul <max_plus> ins(%x, %wm : tensor<8x16xf32>, tensor<16x16xf32>)
                              outs(%biasm : tensor<8x16xf32>) -> tensor<8x16xf32>
  %w2 = arith.constant dense<[[0.430493, 0.365102, -0.115896, 0.19293, 0.094669, -0.65339, 0.0625995, -0.015336], [0.0208043, -0.269219, -0.0673368, -0.0445647, 0.297024, 0.0836068, -0.00138876, 0.382243], [-0.138812, -0.0973576, -0.454189, 0.392276, 0.241083, 0.229212, 0.167225, 0.0275371], [0.0538722, -0.0630016, -0.0509001, 0.0135759, 0.377957, 0.138922, -0.014615, -0.144848], [-0.15875, 0.400676, 0.126672, 0.0168876, -0.0865455, -0.277263, -0.0167154, 0.218415], [-0.0981343, -0.0568106, -0.0552586, 0.0273986, -0.398253, -0.0588496, -0.213599, 0.221146], [-0.19265, 0.144262, 0.381109, -0.0783991, -0.150394, 0.0478581, -0.000507257, -0.248404], [0.11523, 0.503879, -0.064528, -0.050719, -0.261233, 0.0797721, -0.311744, -0.276733], [0.319917, -0.226363, 0.270339, 0.38109, 0.0648316, 0.138348, 0.488063, -0.0491821], [-0.148251, -0.338308, 0.0104268, 0.369786, 0.239899, -0.235523, -0.213844, -0.126043], [0.073067, -0.0513279, 0.0536135, 0.0741848, -0.0746934, -0.0100435, 0.0516481, -0.0209924], [0.12588, 0.467719, 0.147993, 0.0139526, -0.42153, 0.0969893, -0.48667, -0.352259], [0.21366, 0.176559, -0.0374848, -0.427503, -0.0928371, -0.169685, 0.15921, 0.564433], [0.0542326, -0.194828, -0.292638, -0.0140236, -0.0441983, -0.28788, 0.0290888, -0.287728], [0.278027, 0.265663, 0.271188, -0.118513, 0.12863, -0.0330174, -0.097203, -0.0847864], [-0.324929, -0.360966, 0.198579, -0.0478089, 0.0541062, 0.250428, -0.433283, -0.196033]]> : tensor<16x8xf32>
  %b2 = arith.constant dense<[0.175335, 0.392095, -0.377074, 1.02918, 0.210395, -1.21338, -0.930764, 0.805471]> : tensor<8xf32>
  %e2 = tensor.empty() : tensor<8x8xf32>
  %bias2 = linalg.generic {indexing_maps = [#row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%b2 : tensor<8xf32>) outs(%e2 : tensor<8x8xf32>) {
  ^bb0(%b: f32, %unused: f32):
    linalg.yield %b : f32
  } -> tensor<8x8xf32>
  %h = linalg.matmul ins(%y, %w2 : tensor<8x16xf32>, tensor<16x8xf32>)
                     outs(%bias2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %wm2 = arith.constant dense<[[0.463831, -1.89906, 1.34771, 0.598027, 1.34334, -0.383701, -0.295706, -1.12646], [2.53693, -0.175454, 1.58753, -0.647292, 0.163841, -1.67135, -0.382867, 0.983755], [-1.25174, 1.07223, 0.337238, -1.04395, -0.501597, -0.459066, -0.0495193, -0.536144], [-0.827288, -0.304588, -1.02689, -1.28953, -0.0481765, 0.882874, -1.52937, 0.00350815], [-0.649956, -0.977145, 0.853438, -0.51817, 1.4983, -0.779839, 0.386502, -0.227283], [-0.754022, 0.587675, -0.154983, 0.603211, -0.0472915, -1.08582, -0.102069, 0.0519552], [0.958463, -0.906269, -0.0393299, -1.72188, 0.651493, -1.08148, -1.80636, -0.0592168], [1.10568, -1.52445, -1.08804, -0.743275, -1.1295, 0.379428, -0.807367, -0.721515]]> : tensor<8x8xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %c = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %z = trop.matmul <max_plus> ins(%h, %wm2 : tensor<8x8xf32>, tensor<8x8xf32>)
                              outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %z : tensor<8x8xf32>
}

// Linear 16 -> 8, then BatchNorm (eval: per-channel scale and shift) and ReLU
// as elementwise generics, as trop.export emits them, then max-plus 8 -> 8:
// bounds flow through all of them.
func.func @linear_bn_relu(%x: tensor<8x16xf32>) -> tensor<8x8xf32> {
  %w = arith.constant dense<[[0.430493, 0.365102, -0.115896, 0.19293, 0.094669, -0.65339, 0.0625995, -0.015336], [0.0208043, -0.269219, -0.0673368, -0.0445647, 0.297024, 0.0836068, -0.00138876, 0.382243], [-0.138812, -0.0973576, -0.454189, 0.392276, 0.241083, 0.229212, 0.167225, 0.0275371], [0.0538722, -0.0630016, -0.0509001, 0.0135759, 0.377957, 0.138922, -0.014615, -0.144848], [-0.15875, 0.400676, 0.126672, 0.0168876, -0.0865455, -0.277263, -0.0167154, 0.218415], [-0.0981343, -0.0568106, -0.0552586, 0.0273986, -0.398253, -0.0588496, -0.213599, 0.221146], [-0.19265, 0.144262, 0.381109, -0.0783991, -0.150394, 0.0478581, -0.000507257, -0.248404], [0.11523, 0.503879, -0.064528, -0.050719, -0.261233, 0.0797721, -0.311744, -0.276733], [0.319917, -0.226363, 0.270339, 0.38109, 0.0648316, 0.138348, 0.488063, -0.0491821], [-0.148251, -0.338308, 0.0104268, 0.369786, 0.239899, -0.235523, -0.213844, -0.126043], [0.073067, -0.0513279, 0.0536135, 0.0741848, -0.0746934, -0.0100435, 0.0516481, -0.0209924], [0.12588, 0.467719, 0.147993, 0.0139526, -0.42153, 0.0969893, -0.48667, -0.352259], [0.21366, 0.176559, -0.0374848, -0.427503, -0.0928371, -0.169685, 0.15921, 0.564433], [0.0542326, -0.194828, -0.292638, -0.0140236, -0.0441983, -0.28788, 0.0290888, -0.287728], [0.278027, 0.265663, 0.271188, -0.118513, 0.12863, -0.0330174, -0.097203, -0.0847864], [-0.324929, -0.360966, 0.198579, -0.0478089, 0.0541062, 0.250428, -0.433283, -0.196033]]> : tensor<16x8xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %c0 = linalg.fill ins(%zero : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %h = linalg.matmul ins(%x, %w : tensor<8x16xf32>, tensor<16x8xf32>)
                     outs(%c0 : tensor<8x8xf32>) -> tensor<8x8xf32>
  %s = arith.constant dense<[0.125714, 0.199856, 0.2203, 0.105738, 0.129585, 0.285642, 0.114084, 0.125955]> : tensor<8xf32>
  %t = arith.constant dense<[0.746886, -1.84732, 1.56655, -0.0964322, 0.680378, -0.136566, -0.379099, 0.46311]> : tensor<8xf32>
  %bn = linalg.generic {indexing_maps = [#id, #row, #row, #id], iterator_types = ["parallel", "parallel"]}
      ins(%h, %s, %t : tensor<8x8xf32>, tensor<8xf32>, tensor<8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %sc: f32, %sh: f32, %out: f32):
    %m = arith.mulf %a, %sc : f32
    %r = arith.addf %m, %sh : f32
    linalg.yield %r : f32
  } -> tensor<8x8xf32>
  %relu = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%bn : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %a, %z : f32
    linalg.yield %r : f32
  } -> tensor<8x8xf32>
  %wm = arith.constant dense<[[0.463831, -1.89906, 1.34771, 0.598027, 1.34334, -0.383701, -0.295706, -1.12646], [2.53693, -0.175454, 1.58753, -0.647292, 0.163841, -1.67135, -0.382867, 0.983755], [-1.25174, 1.07223, 0.337238, -1.04395, -0.501597, -0.459066, -0.0495193, -0.536144], [-0.827288, -0.304588, -1.02689, -1.28953, -0.0481765, 0.882874, -1.52937, 0.00350815], [-0.649956, -0.977145, 0.853438, -0.51817, 1.4983, -0.779839, 0.386502, -0.227283], [-0.754022, 0.587675, -0.154983, 0.603211, -0.0472915, -1.08582, -0.102069, 0.0519552], [0.958463, -0.906269, -0.0393299, -1.72188, 0.651493, -1.08148, -1.80636, -0.0592168], [1.10568, -1.52445, -1.08804, -0.743275, -1.1295, 0.379428, -0.807367, -0.721515]]> : tensor<8x8xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %c = linalg.fill ins(%ninf : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %z = trop.matmul <max_plus> ins(%relu, %wm : tensor<8x8xf32>, tensor<8x8xf32>)
                              outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %z : tensor<8x8xf32>
}

func.func @min_plus(%x: tensor<8x16xf32>) -> tensor<8x8xf32> {
  %w = arith.constant dense<[[0.583305, -0.755515, 0.43278, -0.971385, -1.21214, -1.83545, 1.8612, -0.320259], [0.243933, -0.0310495, 0.159962, 0.0496865, 1.90822, -1.03893, -1.55746, -1.01196], [-1.33471, 0.746962, 0.820378, -0.961316, -1.39044, -0.354797, 1.39112, -2.81957], [0.526627, -1.07576, 1.04037, -1.07792, -0.285416, -1.50628, -0.977258, 1.38584], [0.820579, -0.401668, -0.870172, -1.89381, -0.393657, -0.0309033, -0.0840544, -0.0937919], [-1.12181, -0.0662739, -0.0386734, 1.29056, 1.86673, -0.136989, -0.766306, -0.0649821], [-0.607621, -0.742434, -0.0586502, -1.0433, 0.606107, -0.103916, 0.250008, -0.18294], [-0.727254, -0.94796, -0.237276, -0.54876, 0.233901, -0.0044317, -1.36231, 0.0671213], [-1.34286, -0.616478, -0.294354, -2.07527, 0.0915074, 0.150983, -0.158024, -0.424317], [-0.373604, -0.976539, -0.2697, -0.552612, 0.0916854, -1.20414, 0.23559, 0.143219], [-0.141563, -0.439205, 0.55234, -1.6646, 0.460453, 0.243037, 0.283376, 0.383313], [-0.653644, -0.25946, 0.637058, 0.430639, 0.206713, -1.51432, 0.537887, 1.16947], [1.00967, 0.233878, -1.55768, 0.942545, -0.147255, -2.53252, 0.377207, -1.49217], [-1.29644, -0.634959, 1.27259, -0.370845, 0.270992, 1.74797, 1.59403, -0.103353], [-0.241521, -1.26087, -0.694458, 0.425358, 0.395731, 0.110238, 0.994802, -0.772368], [-0.0560765, 0.731243, 0.584146, 1.07095, 0.39702, -0.309403, 0.362192, -1.0026]]> : tensor<16x8xf32>
  %inf = arith.constant 0x7F800000 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %c = linalg.fill ins(%inf : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r = trop.matmul <min_plus> ins(%x, %w : tensor<8x16xf32>, tensor<16x8xf32>)
                              outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

func.func @max_min(%x: tensor<8x16xf32>) -> tensor<8x8xf32> {
  %w = arith.constant dense<[[0.583305, -0.755515, 0.43278, -0.971385, -1.21214, -1.83545, 1.8612, -0.320259], [0.243933, -0.0310495, 0.159962, 0.0496865, 1.90822, -1.03893, -1.55746, -1.01196], [-1.33471, 0.746962, 0.820378, -0.961316, -1.39044, -0.354797, 1.39112, -2.81957], [0.526627, -1.07576, 1.04037, -1.07792, -0.285416, -1.50628, -0.977258, 1.38584], [0.820579, -0.401668, -0.870172, -1.89381, -0.393657, -0.0309033, -0.0840544, -0.0937919], [-1.12181, -0.0662739, -0.0386734, 1.29056, 1.86673, -0.136989, -0.766306, -0.0649821], [-0.607621, -0.742434, -0.0586502, -1.0433, 0.606107, -0.103916, 0.250008, -0.18294], [-0.727254, -0.94796, -0.237276, -0.54876, 0.233901, -0.0044317, -1.36231, 0.0671213], [-1.34286, -0.616478, -0.294354, -2.07527, 0.0915074, 0.150983, -0.158024, -0.424317], [-0.373604, -0.976539, -0.2697, -0.552612, 0.0916854, -1.20414, 0.23559, 0.143219], [-0.141563, -0.439205, 0.55234, -1.6646, 0.460453, 0.243037, 0.283376, 0.383313], [-0.653644, -0.25946, 0.637058, 0.430639, 0.206713, -1.51432, 0.537887, 1.16947], [1.00967, 0.233878, -1.55768, 0.942545, -0.147255, -2.53252, 0.377207, -1.49217], [-1.29644, -0.634959, 1.27259, -0.370845, 0.270992, 1.74797, 1.59403, -0.103353], [-0.241521, -1.26087, -0.694458, 0.425358, 0.395731, 0.110238, 0.994802, -0.772368], [-0.0560765, 0.731243, 0.584146, 1.07095, 0.39702, -0.309403, 0.362192, -1.0026]]> : tensor<16x8xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %c = linalg.fill ins(%ninf : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %r = trop.matmul <max_min> ins(%x, %w : tensor<8x16xf32>, tensor<16x8xf32>)
                             outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// f16: the sums the pass compares are rounded to f16, as the kernels round.
func.func @half(%x: tensor<8x16xf16>) -> tensor<8x8xf16> {
  %w = arith.constant dense<[[-1.63965, 0.580566, -0.0551453, 0.30835, -1.69727, -0.365234, -0.600098, -0.864258], [-2.25586, -0.334961, 0.897461, 0.381104, -0.601074, -0.0148773, 0.756836, -2.75977], [-0.124512, 0.542969, 0.682129, 1.70117, 1.13477, 0.3125, 0.302002, 0.787109], [-0.539551, -0.0401917, 0.90625, 1.95703, -0.159302, -0.0484009, 0.198486, 1.34277], [-0.0303192, 1.46973, -0.966797, -0.186035, -0.19812, 0.786621, 1.04492, -1.50977], [-0.915039, 0.336914, -0.658691, -1.52246, 1.03809, 0.493896, 0.493164, -0.475342], [1.0293, -0.23999, 1.09668, -0.911621, -0.854004, 0.204712, -0.702148, 0.675293], [0.26001, -0.922852, 0.072876, -0.351318, 0.916016, -0.632324, -0.439209, 1.21094], [2.23828, 1.99902, 0.0632324, 0.218872, 1.5332, -0.124451, -0.976562, 0.116882], [0.451416, -0.829102, -1.64648, -1.43652, 0.665527, -0.758301, -0.141357, 0.212524], [0.619141, -0.334961, 0.498779, -0.890137, -0.361816, -1.02441, 1.13184, -0.0270844], [-0.739258, -0.352295, -0.22168, 0.700684, -1.5957, -1.03711, -0.378174, 2.5332], [0.955566, -0.11145, 0.711914, 2.05664, -0.233765, -0.366455, 1.21191, 0.494141], [0.671387, -0.508301, 1.92383, 1.70996, 0.565918, 0.684082, -2.02734, 0.637695], [-0.194092, 0.433838, 0.682617, -0.341309, -1.69043, 0.36792, -0.741211, -0.330078], [-0.604492, -0.341553, -2.30859, 1.2168, 0.253418, 1.11133, 1.97949, 0.0225983]]> : tensor<16x8xf16>
  %ninf = arith.constant 0xFC00 : f16
  %e = tensor.empty() : tensor<8x8xf16>
  %c = linalg.fill ins(%ninf : f16) outs(%e : tensor<8x8xf16>) -> tensor<8x8xf16>
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<8x16xf16>, tensor<16x8xf16>)
                              outs(%c : tensor<8x8xf16>) -> tensor<8x8xf16>
  return %r : tensor<8x8xf16>
}
