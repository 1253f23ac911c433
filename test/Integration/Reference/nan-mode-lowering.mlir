// What trop-to-linalg emits for float ⊕ and lattice ⊗ in each nan-mode:
// assume-none gives select(cmpf ogt/olt(term, acc), term, acc) (one vmaxps
// that ignores a NaN term) and never arith.maximumf/minimumf; propagate (the
// default) gives the IEEE arith.maximumf/minimumf. Neither gives
// maxnumf/minnumf. Float ⊗ of the _plus semirings selects 𝟘 where +∞ met −∞
// (docs/semantics.md) in both modes. Integer ops are not affected by the
// mode.

// The implicit-check-not patterns are checked over the whole output.
// RUN: trop-opt %s --trop-to-linalg="nan-mode=assume-none" \
// RUN: | FileCheck %s --check-prefix=NONE \
// RUN:     --implicit-check-not=arith.maximumf --implicit-check-not=arith.minimumf \
// RUN:     --implicit-check-not=arith.maxnumf --implicit-check-not=arith.minnumf
// RUN: trop-opt %s --trop-to-linalg \
// RUN: | FileCheck %s --check-prefix=PROP \
// RUN:     --implicit-check-not=arith.maxnumf --implicit-check-not=arith.minnumf
// RUN: trop-opt %s --trop-to-linalg="nan-mode=propagate" \
// RUN: | FileCheck %s --check-prefix=PROP \
// RUN:     --implicit-check-not=arith.maxnumf --implicit-check-not=arith.minnumf

// NONE-LABEL: func.func @max_plus
// NONE:         linalg.generic
// NONE:           arith.addf
// NONE:           %[[P:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
// NONE-NEXT:      %[[GT:.*]] = arith.cmpf ogt, %[[P]], %[[ACC:.*]] : f32
// NONE-NEXT:      arith.select %[[GT]], %[[P]], %[[ACC]] : f32
// PROP-LABEL: func.func @max_plus
// PROP:         linalg.generic
// PROP:           arith.addf
// PROP:           %[[P:.*]] = arith.select %{{.*}}, %{{.*}}, %{{.*}} : f32
// PROP-NEXT:      arith.maximumf %{{.*}}, %[[P]] : f32
func.func @max_plus(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>)
                              outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}

// NONE-LABEL: func.func @min_plus
// NONE:           arith.addf
// NONE:           arith.select
// NONE-NEXT:      arith.cmpf olt, %{{.*}}, %{{.*}} : f16
// NONE-NEXT:      arith.select
// PROP-LABEL: func.func @min_plus
// PROP:           arith.addf
// PROP:           arith.select
// PROP-NEXT:      arith.minimumf %{{.*}}, %{{.*}} : f16
func.func @min_plus(%a: memref<4x8xf16>, %b: memref<8x2xf16>, %c: memref<4x2xf16>) {
  trop.matmul <min_plus> ins(%a, %b : memref<4x8xf16>, memref<8x2xf16>)
                         outs(%c : memref<4x2xf16>)
  return
}

// max_min: ⊗ = min then ⊕ = max, both in the selected mode.
// NONE-LABEL: func.func @max_min
// NONE:           arith.cmpf olt, %{{.*}}, %{{.*}} : f64
// NONE-NEXT:      arith.select
// NONE-NEXT:      arith.cmpf ogt, %{{.*}}, %{{.*}} : f64
// NONE-NEXT:      arith.select
// PROP-LABEL: func.func @max_min
// PROP:           arith.minimumf %{{.*}}, %{{.*}} : f64
// PROP-NEXT:      arith.maximumf %{{.*}}, %{{.*}} : f64
func.func @max_min(%a: tensor<2x3x4xf64>, %b: tensor<2x4x5xf64>, %c: tensor<2x3x5xf64>) -> tensor<2x3x5xf64> {
  %r = trop.batch_matmul <max_min> ins(%a, %b : tensor<2x3x4xf64>, tensor<2x4x5xf64>)
                                   outs(%c : tensor<2x3x5xf64>) -> tensor<2x3x5xf64>
  return %r : tensor<2x3x5xf64>
}

// min_max on a depthwise convolution: ⊗ = max then ⊕ = min.
// NONE-LABEL: func.func @min_max_conv
// NONE:           arith.cmpf ogt, %{{.*}}, %{{.*}} : bf16
// NONE-NEXT:      arith.select
// NONE-NEXT:      arith.cmpf olt, %{{.*}}, %{{.*}} : bf16
// NONE-NEXT:      arith.select
// PROP-LABEL: func.func @min_max_conv
// PROP:           arith.maximumf %{{.*}}, %{{.*}} : bf16
// PROP-NEXT:      arith.minimumf %{{.*}}, %{{.*}} : bf16
func.func @min_max_conv(%x: tensor<1x4x4x2xbf16>, %s: tensor<3x3x2xbf16>, %y: tensor<1x2x2x2xbf16>) -> tensor<1x2x2x2xbf16> {
  %r = trop.depthwise_conv_2d <min_max> ins(%x, %s : tensor<1x4x4x2xbf16>, tensor<3x3x2xbf16>)
                                        outs(%y : tensor<1x2x2x2xbf16>) -> tensor<1x2x2x2xbf16>
  return %r : tensor<1x2x2x2xbf16>
}

// conv_2d max_plus and maxout: max in the selected mode.
// NONE-LABEL: func.func @conv_and_maxout
// NONE:           arith.addf
// NONE:           arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// NONE:         linalg.generic
// NONE-NEXT:    ^bb0
// NONE-NEXT:      arith.cmpf ogt, %{{.*}}, %{{.*}} : f32
// PROP-LABEL: func.func @conv_and_maxout
// PROP:           arith.addf
// PROP:           arith.maximumf %{{.*}}, %{{.*}} : f32
// PROP:         linalg.generic
// PROP-NEXT:    ^bb0
// PROP-NEXT:      arith.maximumf %{{.*}}, %{{.*}} : f32
func.func @conv_and_maxout(%x: tensor<1x4x4x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x2x2x4xf32>,
                           %z: tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x4x4x3xf32>, tensor<3x3x3x4xf32>)
                               outs(%y : tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  %m = trop.maxout group_size = 2 ins(%r : tensor<1x2x2x4xf32>)
                                  outs(%z : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return %m : tensor<1x2x2x2xf32>
}

// Integers and i1 do not depend on the mode.
// NONE-LABEL: func.func @ints
// NONE:           arith.select
// NONE-NEXT:      arith.maxsi %{{.*}}, %{{.*}} : i8
// NONE:           arith.andi %{{.*}}, %{{.*}} : i1
// NONE-NEXT:      arith.ori %{{.*}}, %{{.*}} : i1
// PROP-LABEL: func.func @ints
// PROP:           arith.select
// PROP-NEXT:      arith.maxsi %{{.*}}, %{{.*}} : i8
// PROP:           arith.andi %{{.*}}, %{{.*}} : i1
// PROP-NEXT:      arith.ori %{{.*}}, %{{.*}} : i1
func.func @ints(%a: tensor<2x2xi8>, %c: tensor<2x2xi8>, %p: tensor<2x2xi1>, %q: tensor<2x2xi1>) -> (tensor<2x2xi8>, tensor<2x2xi1>) {
  %r = trop.matmul <max_plus> ins(%a, %a : tensor<2x2xi8>, tensor<2x2xi8>)
                              outs(%c : tensor<2x2xi8>) -> tensor<2x2xi8>
  %s = trop.matmul <max_min> ins(%p, %p : tensor<2x2xi1>, tensor<2x2xi1>)
                             outs(%q : tensor<2x2xi1>) -> tensor<2x2xi1>
  return %r, %s : tensor<2x2xi8>, tensor<2x2xi1>
}
