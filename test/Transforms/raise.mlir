// --trop-raise: front-end forms of tropical contractions, pooling and maxout
// become trop ops; everything else is left untouched.
// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

#bx = affine_map<(b, m, n) -> (b, n)>
#bw = affine_map<(b, m, n) -> (m, n)>
#bo = affine_map<(b, m, n) -> (b, m, n)>

// The unfused form of (x.unsqueeze(1) + W).max(2): broadcast add, then a max
// reduction. W (M x N) is used transposed.
// CHECK-LABEL: func.func @broadcast_add_reduce_max
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[INIT:.*]]: tensor<4x3xf32>)
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]] : tensor<3x8xf32>) outs(%{{.*}} : tensor<8x3xf32>) permutation = [1, 0]
// CHECK: %[[R:.*]] = trop.matmul <max_plus> ins(%[[X]], %[[WT]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK-NOT: linalg.reduce
// CHECK: return %[[R]]
func.func @broadcast_add_reduce_max(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [#bx, #bw, #bo], iterator_types = ["parallel", "parallel", "parallel"]}
      ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %m = linalg.reduce ins(%s : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<4x3xf32>
}

// -----

// Paper A's code appends the bias as one more column before the max: the
// extra column is reduced into the initial value, the rest is the contraction.
// CHECK-LABEL: func.func @bias_column
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<3x8xf32>, %[[BIAS:.*]]: tensor<3xf32>)
// CHECK: %[[BB:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<3xf32>)
// CHECK: %[[INIT:.*]] = linalg.reduce ins(%[[BB]] : tensor<4x3x1xf32>)
// CHECK: %[[WT:.*]] = linalg.transpose ins(%[[W]]
// CHECK: trop.matmul <max_plus> ins(%[[X]], %[[WT]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
// CHECK-NOT: tensor.concat
func.func @bias_column(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %bias: tensor<3xf32>) -> tensor<4x3xf32> {
  %e = tensor.empty() : tensor<4x3x8xf32>
  %s = linalg.generic {indexing_maps = [affine_map<(b, m, n) -> (b, n)>, affine_map<(b, m, n) -> (m, n)>, affine_map<(b, m, n) -> (b, m, n)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x, %w : tensor<4x8xf32>, tensor<3x8xf32>) outs(%e : tensor<4x3x8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %r = arith.addf %a, %b : f32
    linalg.yield %r : f32
  } -> tensor<4x3x8xf32>
  %eb = tensor.empty() : tensor<4x3x1xf32>
  %bb = linalg.generic {indexing_maps = [affine_map<(b, m, z) -> (m)>, affine_map<(b, m, z) -> (b, m, z)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%bias : tensor<3xf32>) outs(%eb : tensor<4x3x1xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x3x1xf32>
  %c = tensor.concat dim(2) %s, %bb : (tensor<4x3x8xf32>, tensor<4x3x1xf32>) -> tensor<4x3x9xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e2 = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%ninf : f32) outs(%e2 : tensor<4x3xf32>) -> tensor<4x3xf32>
  %m = linalg.reduce ins(%c : tensor<4x3x9xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<4x3xf32>
}

// -----

// The fused form (what linalg elementwise fusion makes of the above), in
// min-plus, with the left operand stored transposed.
// CHECK-LABEL: func.func @fused_min_plus_transposed_lhs
// CHECK-SAME: (%[[XT:.*]]: tensor<8x4xf32>, %[[B:.*]]: tensor<8x3xf32>, %[[INIT:.*]]: tensor<4x3xf32>)
// CHECK: %[[X:.*]] = linalg.transpose ins(%[[XT]] : tensor<8x4xf32>) outs(%{{.*}} : tensor<4x8xf32>) permutation = [1, 0]
// CHECK: trop.matmul <min_plus> ins(%[[X]], %[[B]] : tensor<4x8xf32>, tensor<8x3xf32>) outs(%[[INIT]] : tensor<4x3xf32>)
func.func @fused_min_plus_transposed_lhs(%xt: tensor<8x4xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (k, i)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%xt, %b : tensor<8x4xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%a: f32, %w: f32, %acc: f32):
    %s = arith.addf %w, %a : f32
    %m = arith.minimumf %acc, %s : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r : tensor<4x3xf32>
}

// -----

// A leading loop present everywhere is a batch.
// CHECK-LABEL: func.func @batched
// CHECK: trop.batch_matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<2x4x8xf32>, tensor<2x8x3xf32>) outs(%{{.*}} : tensor<2x4x3xf32>)
func.func @batched(%a: tensor<2x4x8xf32>, %b: tensor<2x8x3xf32>, %init: tensor<2x4x3xf32>) -> tensor<2x4x3xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(b, i, j, k) -> (b, i, k)>, affine_map<(b, i, j, k) -> (b, k, j)>, affine_map<(b, i, j, k) -> (b, i, j)>],
                       iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<2x4x8xf32>, tensor<2x8x3xf32>) outs(%init : tensor<2x4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maximumf %s, %acc : f32
    linalg.yield %m : f32
  } -> tensor<2x4x3xf32>
  return %r : tensor<2x4x3xf32>
}

// -----

// maxnumf is raised only when fastmath<nnan> excludes NaN (trop's max
// propagates NaN, maxnumf drops it).
// CHECK-LABEL: func.func @maxnumf
// CHECK: trop.matmul <max_plus>
// CHECK: linalg.generic
// CHECK: arith.maxnumf %{{.*}}, %{{.*}} : f32
func.func @maxnumf(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maxnumf %s, %acc fastmath<nnan> : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  %q = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %s = arith.addf %x, %y : f32
    %m = arith.maxnumf %s, %acc : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r, %q : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Integer lattice semirings are raised; integer addition is not (it wraps,
// trop's integer ⊗ saturates and absorbs 𝟘).
// CHECK-LABEL: func.func @integers
// CHECK: trop.matmul <max_min> {{.*}}tensor<4x3xi16>
// CHECK: linalg.generic
// CHECK: arith.addi
// CHECK: arith.maxsi
func.func @integers(%a: tensor<4x8xi16>, %b: tensor<8x3xi16>, %init: tensor<4x3xi16>) -> (tensor<4x3xi16>, tensor<4x3xi16>) {
  %r = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xi16>, tensor<8x3xi16>) outs(%init : tensor<4x3xi16>) {
  ^bb0(%x: i16, %y: i16, %acc: i16):
    %s = arith.minsi %x, %y : i16
    %m = arith.maxsi %acc, %s : i16
    linalg.yield %m : i16
  } -> tensor<4x3xi16>
  %q = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xi16>, tensor<8x3xi16>) outs(%init : tensor<4x3xi16>) {
  ^bb0(%x: i16, %y: i16, %acc: i16):
    %s = arith.addi %x, %y : i16
    %m = arith.maxsi %acc, %s : i16
    linalg.yield %m : i16
  } -> tensor<4x3xi16>
  return %r, %q : tensor<4x3xi16>, tensor<4x3xi16>
}

// -----

// A plain (plus-times) matmul and a sum reduction are not tropical.
// CHECK-LABEL: func.func @not_tropical
// CHECK-NOT: trop.
// CHECK: linalg.matmul
// CHECK: linalg.generic
// CHECK: arith.mulf
// CHECK: linalg.reduce
// CHECK: arith.addf
func.func @not_tropical(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>, %c: tensor<4x3x8xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %r = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %q = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (k, j)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %s = arith.mulf %x, %y : f32
    %m = arith.maximumf %acc, %s : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  %t = linalg.reduce ins(%c : tensor<4x3x8xf32>) outs(%init : tensor<4x3xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  return %r, %q, %t : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// Max pooling is depthwise max-min morphology with a structuring element of
// 𝟙 = +inf (min(x, +inf) = x exactly); sum pooling is left alone.
// CHECK-LABEL: func.func @pooling
// CHECK: %[[ONE:.*]] = arith.constant 0x7F800000 : f32
// CHECK: %[[SE:.*]] = linalg.fill ins(%[[ONE]] : f32) outs(%{{.*}} : tensor<3x3x16xf32>)
// CHECK: trop.depthwise_conv_2d <max_min> {strides = array<i64: 2, 2>} ins(%{{.*}}, %[[SE]] : tensor<1x9x9x16xf32>, tensor<3x3x16xf32>) outs(%{{.*}} : tensor<1x4x4x16xf32>)
// CHECK: linalg.pooling_nhwc_sum
func.func @pooling(%x: tensor<1x9x9x16xf32>, %init: tensor<1x4x4x16xf32>) -> (tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>) {
  %w = tensor.empty() : tensor<3x3xf32>
  %r = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x9x9x16xf32>, tensor<3x3xf32>) outs(%init : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  %s = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
         ins(%x, %w : tensor<1x9x9x16xf32>, tensor<3x3xf32>) outs(%init : tensor<1x4x4x16xf32>) -> tensor<1x4x4x16xf32>
  return %r, %s : tensor<1x4x4x16xf32>, tensor<1x4x4x16xf32>
}

// -----

// CHECK-LABEL: func.func @min_pooling_i8
// CHECK: arith.constant -128 : i8
// CHECK: trop.depthwise_conv_2d <min_max>
func.func @min_pooling_i8(%x: tensor<1x6x6x4xi8>, %init: tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8> {
  %w = tensor.empty() : tensor<3x3xi8>
  %r = linalg.pooling_nhwc_min {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x6x6x4xi8>, tensor<3x3xi8>) outs(%init : tensor<1x4x4x4xi8>) -> tensor<1x4x4x4xi8>
  return %r : tensor<1x4x4x4xi8>
}

// -----

// Maxout as front ends emit it: split the channels into (groups, k), reduce
// k with max.
// CHECK-LABEL: func.func @maxout
// CHECK-SAME: (%[[X:.*]]: tensor<8x64xf32>, %[[INIT:.*]]: tensor<8x16xf32>)
// CHECK: trop.maxout group_size = 4 ins(%[[X]] : tensor<8x64xf32>) outs(%[[INIT]] : tensor<8x16xf32>)
// CHECK-NOT: linalg.reduce
func.func @maxout(%x: tensor<8x64xf32>, %init: tensor<8x16xf32>) -> tensor<8x16xf32> {
  %e = tensor.expand_shape %x [[0], [1, 2]] output_shape [8, 16, 4] : tensor<8x64xf32> into tensor<8x16x4xf32>
  %m = linalg.reduce ins(%e : tensor<8x16x4xf32>) outs(%init : tensor<8x16xf32>) dimensions = [2]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<8x16xf32>
}

// -----

// Reducing a group split that is not the channel dimension is not maxout.
// CHECK-LABEL: func.func @not_maxout
// CHECK-NOT: trop.maxout
// CHECK: linalg.reduce
func.func @not_maxout(%x: tensor<8x64xf32>, %init: tensor<2x64xf32>) -> tensor<2x64xf32> {
  %e = tensor.expand_shape %x [[0, 1], [2]] output_shape [2, 4, 64] : tensor<8x64xf32> into tensor<2x4x64xf32>
  %m = linalg.reduce ins(%e : tensor<2x4x64xf32>) outs(%init : tensor<2x64xf32>) dimensions = [1]
    (%in: f32, %acc: f32) {
      %mx = arith.maximumf %in, %acc : f32
      linalg.yield %mx : f32
    }
  return %m : tensor<2x64xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// A ReLU after a max-semiring op folds into the op's initial value; after a
// min-semiring op it does not (max does not distribute over min that way).
// CHECK-LABEL: func.func @relu
// CHECK-SAME: (%{{.*}}: tensor<4x8xf32>, %{{.*}}: tensor<8x3xf32>, %[[INIT:.*]]: tensor<4x3xf32>)
// CHECK: %[[RELU_INIT:.*]] = linalg.generic {{.*}} ins(%[[INIT]] : tensor<4x3xf32>)
// CHECK: arith.maximumf
// CHECK: %[[R:.*]] = trop.matmul <max_plus> {{.*}} outs(%[[RELU_INIT]] : tensor<4x3xf32>)
// CHECK: %[[S:.*]] = trop.matmul <min_plus>
// CHECK: %[[SR:.*]] = linalg.generic {{.*}} ins(%[[S]] : tensor<4x3xf32>)
// CHECK: return %[[R]], %[[SR]]
func.func @relu(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %y = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  %z = trop.matmul <min_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%z : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r, %s : tensor<4x3xf32>, tensor<4x3xf32>
}
