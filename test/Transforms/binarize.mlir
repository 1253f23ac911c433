// --trop-binarize: activated BiSE layers become bit-packed binary ops, with
// level sets and pack/unpack at the boundaries; the others are left (or
// projected when asked) and the report lists every layer.
// RUN: trop-opt %s --trop-binarize="report=-" 2>%t.report | FileCheck %s
// RUN: FileCheck %s --check-prefix=REPORT < %t.report
// RUN: trop-opt %s --trop-binarize="projection=constant verbose=1 report=-" 2>&1 >/dev/null | FileCheck %s --check-prefix=PROJ
// RUN: trop-opt %s --trop-binarize="v1=0.4 v2=0.6 report=-" 2>&1 >/dev/null | FileCheck %s --check-prefix=ALMOST

// A LUI over 3 channels: an OR (β = 0.5 < min w = 1), an AND
// (Σw − min w = 2 < β = 2.5 < Σw = 3) with P < 0 (complemented), and an OR
// with P = 0 (always 0).
// CHECK-LABEL: func.func @lui
// CHECK: %[[BITS:.*]] = trop.level_sets thresholds = [5.000000e-01] ins(%arg0 : tensor<2x3x3x3xf32>)
// CHECK: %[[ROWS:.*]] = tensor.collapse_shape %[[BITS]] {{\[\[}}0, 1, 2], [3]] : tensor<2x3x3x3xi1> into tensor<18x3xi1>
// CHECK: %[[KINDS:.*]] = arith.constant dense<2> : tensor<1xi64>
// CHECK: %[[INIT:.*]] = linalg.broadcast ins(%[[KINDS]] : tensor<1xi64>)
// CHECK: %[[PACKED:.*]] = trop.pack_bits ins(%[[ROWS]] : tensor<18x3xi1>)
// CHECK: %[[SUBSETS:.*]] = arith.constant dense<7> : tensor<3x1xi64>
// CHECK: %[[DENSE:.*]] = trop.binary_dense in_features = 3 ins(%[[PACKED]], %[[SUBSETS]], %[[KINDS]] : {{.*}}) outs(%[[INIT]] : tensor<18x1xi64>)
// CHECK: trop.unpack_bits ins(%[[DENSE]] : tensor<18x1xi64>) {{.*}} -> tensor<18x3xi1>
// CHECK: tensor.expand_shape
// CHECK: arith.constant dense<[false, true, false]> : tensor<3xi1>
// CHECK: arith.constant dense<[false, false, true]> : tensor<3xi1>
// CHECK: arith.xori
// CHECK: arith.uitofp {{.*}} : i1 to f32
// CHECK-NOT: trop.bise
// CHECK: return
func.func @lui(%x: tensor<2x3x3x3xf32>) -> tensor<2x3x3x3xf32> {
  %w = arith.constant dense<1.0> : tensor<3x1x1x3xf32>
  %b = arith.constant dense<[-0.5, -2.5, -0.5]> : tensor<3xf32>
  %p = arith.constant dense<[1.0, -1.0, 0.0]> : tensor<3xf32>
  %e = tensor.empty() : tensor<2x3x3x3xf32>
  %y = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %p : tensor<2x3x3x3xf32>, tensor<3x1x1x3xf32>, tensor<3xf32>, tensor<3xf32>) outs(%e : tensor<2x3x3x3xf32>) -> tensor<2x3x3x3xf32>
  return %y : tensor<2x3x3x3xf32>
}

// A depthwise 3×3 BiSE on 2 channels: channel 0 a dilation by the cross
// (corner weights 0.01), channel 1 an erosion by the full square; the next
// layer (a LUI) reads the bits directly, without a level set.
// CHECK-LABEL: func.func @depthwise_then_lui
// CHECK: trop.level_sets
// CHECK: %[[P:.*]] = trop.pack_bits
// CHECK: %[[D:.*]] = trop.binary_morphology <dilation> channels = 2 padding_mode = <replicate> {padding = array<i64: 1, 1, 1, 1>} ins(%[[P]], %{{.*}} : tensor<1x4x5x1xi64>, tensor<3x3x1xi64>)
// CHECK: %[[E:.*]] = trop.binary_morphology <erosion> channels = 2 padding_mode = <replicate> {padding = array<i64: 1, 1, 1, 1>} ins(%[[P]], %{{.*}} : tensor<1x4x5x1xi64>, tensor<3x3x1xi64>)
// CHECK: arith.select
// CHECK-NOT: trop.level_sets
// CHECK: trop.binary_dense in_features = 2
// CHECK-NOT: trop.bise
// CHECK: return
func.func @depthwise_then_lui(%x: tensor<1x4x5x2xf32>) -> tensor<1x4x5x1xf32> {
  %w = arith.constant dense<[[[[0.01], [1.0], [0.01]], [[1.0], [1.0], [1.0]], [[0.01], [1.0], [0.01]]],
                              [[[1.0], [1.0], [1.0]], [[1.0], [1.0], [1.0]], [[1.0], [1.0], [1.0]]]]> : tensor<2x3x3x1xf32>
  %b = arith.constant dense<[-0.5, -8.5]> : tensor<2xf32>
  %p = arith.constant dense<1.0> : tensor<2xf32>
  %e = tensor.empty() : tensor<1x4x5x2xf32>
  %y = trop.bise <sigmoid> groups = 2 ins(%x, %w, %b, %p : tensor<1x4x5x2xf32>, tensor<2x3x3x1xf32>, tensor<2xf32>, tensor<2xf32>) outs(%e : tensor<1x4x5x2xf32>) -> tensor<1x4x5x2xf32>
  %w2 = arith.constant dense<1.0> : tensor<1x1x1x2xf32>
  %b2 = arith.constant dense<-0.5> : tensor<1xf32>
  %p2 = arith.constant dense<1.0> : tensor<1xf32>
  %e2 = tensor.empty() : tensor<1x4x5x1xf32>
  %z = trop.bise <tanh> groups = 1 ins(%y, %w2, %b2, %p2 : tensor<1x4x5x2xf32>, tensor<1x1x1x2xf32>, tensor<1xf32>, tensor<1xf32>) outs(%e2 : tensor<1x4x5x1xf32>) -> tensor<1x4x5x1xf32>
  return %z : tensor<1x4x5x1xf32>
}

// Not activated (β = 2 = Σ_{k∉S} w for S = {w ≥ 2}), non-constant weights,
// and a window over two channels per neuron: all three are left.
// CHECK-LABEL: func.func @left
// CHECK-COUNT-3: trop.bise
func.func @left(%x: tensor<1x2x2x3xf32>, %wa: tensor<1x1x1x3xf32>, %x2: tensor<1x3x3x2xf32>) -> (tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1x3x3x1xf32>) {
  %w = arith.constant dense<[[[[2.0, 1.0, 1.0]]]]> : tensor<1x1x1x3xf32>
  %b = arith.constant dense<-2.0> : tensor<1xf32>
  %p = arith.constant dense<1.0> : tensor<1xf32>
  %e = tensor.empty() : tensor<1x2x2x1xf32>
  %y = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %p : tensor<1x2x2x3xf32>, tensor<1x1x1x3xf32>, tensor<1xf32>, tensor<1xf32>) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %y2 = trop.bise <tanh> groups = 1 ins(%x, %wa, %b, %p : tensor<1x2x2x3xf32>, tensor<1x1x1x3xf32>, tensor<1xf32>, tensor<1xf32>) outs(%e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %w3 = arith.constant dense<1.0> : tensor<1x3x3x2xf32>
  %e3 = tensor.empty() : tensor<1x3x3x1xf32>
  %y3 = trop.bise <tanh> groups = 1 ins(%x2, %w3, %b, %p : tensor<1x3x3x2xf32>, tensor<1x3x3x2xf32>, tensor<1xf32>, tensor<1xf32>) outs(%e3 : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  return %y, %y2, %y3 : tensor<1x2x2x1xf32>, tensor<1x2x2x1xf32>, tensor<1x3x3x1xf32>
}

// REPORT: trop-binarize: inputs in [0, 0] u [1, 1], projection none
// REPORT-NEXT: layer 0 ({{.*}}): trop.bise tensor<3x1x1x3xf32> groups 1: exact -> trop.binary_dense, 2 dilations, 1 erosions
// REPORT-NEXT: layer 1 ({{.*}}): trop.bise tensor<2x3x3x1xf32> groups 2: exact -> trop.binary_morphology, 1 dilations, 1 erosions
// REPORT-NEXT: layer 2 ({{.*}}): trop.bise tensor<1x1x1x2xf32> groups 1: exact -> trop.binary_dense, 1 dilations, 0 erosions
// REPORT-NEXT: layer 3 ({{.*}}): trop.bise tensor<1x1x1x3xf32> groups 1: left (1 of 1 neurons not activated)
// REPORT-NEXT: layer 4 ({{.*}}): trop.bise tensor<1x1x1x3xf32> groups 1: left (weights, bias or scale are not constants)
// REPORT-NEXT: layer 5 ({{.*}}): trop.bise tensor<1x3x3x2xf32> groups 1: left (a window over several channels per neuron has no binary op)
// REPORT-NEXT: binarized 3 exactly, 0 projected, left 3 of 6 BiSE layers

// The constant projection of [2, 1, 1]: S = all three, distance
// 6 − 16/3 = 0.667; S in PyTorch's order (C/G × KH × KW).
// PROJ: layer 1 ({{.*}} groups 2: exact -> trop.binary_morphology
// PROJ-NEXT: neuron 0: dilation exact S=010111010
// PROJ-NEXT: neuron 1: erosion exact S=111111111
// PROJ: layer 3 ({{.*}}): trop.bise tensor<1x1x1x3xf32> groups 1: projected (max distance 0.666667) -> trop.binary_dense, 1 dilations, 0 erosions
// PROJ-NEXT: neuron 0: dilation projected distance 0.66666666666666{{[0-9]*}} S=111
// PROJ: binarized 3 exactly, 1 projected, left 2 of 6 BiSE layers

// Almost binary inputs in [0, 0.4] ∪ [0.6, 1]: the LUI's OR needs
// 0.4·Σw = 1.2 < β = 0.5: not activated.
// ALMOST: trop-binarize: inputs in [0, 0.4] u [0.6, 1], projection none
// ALMOST-NEXT: layer 0 ({{.*}} groups 1: left (3 of 3 neurons not activated)
