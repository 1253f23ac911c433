// trop-to-cpu on maxout: groups of k consecutive channels, reduced with max
// in vector registers. Small groups (k <= 8) give a register of outputs per
// step (a shuffle tree for powers of two, a deinterleave otherwise); large
// groups are reduced one at a time from whole vectors, a masked last vector
// and a horizontal reduction. Stores are never masked.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32 native-f16=off" --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32 nan-mode=propagate num-tasks=2" --split-input-file | FileCheck %s --check-prefix=STRICT

// CHECK-LABEL: func.func @groups_of_4
// CHECK: scf.for
// CHECK: vector.load %{{.*}} : memref<5x34xf32>, vector<16xf32>
// CHECK-COUNT-4: vector.load %{{.*}} : memref<5x136xf32>, vector<16xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<16xf32>, vector<16xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31] : vector<16xf32>, vector<16xf32>
// CHECK: arith.cmpf ogt, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NEXT: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK: vector.store %{{.*}} : memref<5x34xf32>, vector<16xf32>
// Then 8, 4 and 2 groups at a time, and at most one group alone.
// CHECK: vector.store %{{.*}} : memref<5x34xf32>, vector<8xf32>
// CHECK: vector.store %{{.*}} : memref<5x34xf32>, vector<4xf32>
// CHECK: vector.store %{{.*}} : memref<5x34xf32>, vector<2xf32>
// CHECK: vector.load %{{.*}} : memref<5x136xf32>, vector<4xf32>
// CHECK: vector.reduction <maxnumf>, %{{.*}} fastmath<nnan> : vector<4xf32> into f32
// CHECK: memref.store %{{.*}} : memref<5x34xf32>
// CHECK-NOT: vector.maskedstore
// CHECK-NOT: trop.maxout
// STRICT-LABEL: func.func @groups_of_4
// STRICT: scf.parallel
// STRICT: arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// STRICT: vector.reduction <maximumf>, %{{.*}} : vector<4xf32> into f32
func.func @groups_of_4(%x: memref<5x136xf32>, %y: memref<5x34xf32>) {
  trop.maxout group_size = 4 ins(%x : memref<5x136xf32>) outs(%y : memref<5x34xf32>)
  return
}

// -----

// k = 3: one wide load, k strided lane sets.
// CHECK-LABEL: func.func @groups_of_3
// CHECK: %[[W:.*]] = vector.load %{{.*}} : memref<2x192xi8>, vector<192xi8>
// CHECK: vector.shuffle %[[W]], %[[W]] [0, 3, 6,
// CHECK: arith.maxsi %{{.*}}, %{{.*}} : vector<64xi8>
// CHECK: vector.shuffle %[[W]], %[[W]] [1, 4, 7,
// CHECK: vector.shuffle %[[W]], %[[W]] [2, 5, 8,
// CHECK: vector.store %{{.*}} : memref<2x64xi8>, vector<64xi8>
func.func @groups_of_3(%x: memref<2x192xi8>, %y: memref<2x64xi8>) {
  trop.maxout group_size = 3 ins(%x : memref<2x192xi8>) outs(%y : memref<2x64xi8>)
  return
}

// -----

// Large groups of f16 (in f32 registers without native f16): two whole
// vectors, a masked load of the last 8 channels (𝟘 = -inf elsewhere), a
// horizontal max, one scalar store per group.
// CHECK-LABEL: func.func @groups_of_40
// CHECK: vector.load %{{.*}} : memref<7x120xf16>, vector<16xf16>
// CHECK: arith.extf %{{.*}} : vector<16xf16> to vector<16xf32>
// CHECK: vector.load %{{.*}} : memref<7x120xf16>, vector<16xf16>
// CHECK: %[[M:.*]] = vector.constant_mask [8] : vector<16xi1>
// CHECK: vector.maskedload %{{.*}}, %[[M]], %{{.*}} : memref<7x120xf16>, vector<16xi1>, vector<16xf16> into vector<16xf16>
// CHECK: vector.reduction <maxnumf>, %{{.*}} fastmath<nnan> : vector<16xf32> into f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
// CHECK: memref.store %{{.*}} : memref<7x3xf16>
// CHECK-NOT: vector.shuffle
func.func @groups_of_40(%x: memref<7x120xf16>, %y: memref<7x3xf16>) {
  trop.maxout group_size = 40 ins(%x : memref<7x120xf16>) outs(%y : memref<7x3xf16>)
  return
}

// -----

// NHWC activations: the leading dimensions collapse into rows; rank 1 is
// one row.
// CHECK-LABEL: func.func @nhwc
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<2x4x4x64xbf16> into memref<32x64xbf16>
// CHECK: memref.collapse_shape %{{.*}} {{\[}}[0, 1, 2], [3]] : memref<2x4x4x32xbf16> into memref<32x32xbf16>
// CHECK: arith.extf %{{.*}} : vector<16xbf16> to vector<16xf32>
// CHECK-NOT: trop.maxout
// CHECK-LABEL: func.func @vector
// CHECK: memref.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [1, %{{.*}}] : memref<?xf64> into memref<1x?xf64>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<8xf64>, vector<8xf64>
// CHECK-NOT: trop.maxout
func.func @nhwc(%x: memref<2x4x4x64xbf16>, %y: memref<2x4x4x32xbf16>) {
  trop.maxout group_size = 2 ins(%x : memref<2x4x4x64xbf16>) outs(%y : memref<2x4x4x32xbf16>)
  return
}
func.func @vector(%x: memref<?xf64>, %y: memref<?xf64>) {
  trop.maxout group_size = 2 ins(%x : memref<?xf64>) outs(%y : memref<?xf64>)
  return
}

// -----

// Left for --trop-to-linalg: leading dimensions that are not contiguous with
// one another cannot be viewed as rows, a strided channel dimension cannot
// be loaded as vectors, and tensors must be bufferized first.
// CHECK-LABEL: func.func @not_collapsible
// CHECK: trop.maxout group_size = 2
// CHECK-LABEL: func.func @strided_channels
// CHECK: trop.maxout group_size = 2
// CHECK-LABEL: func.func @tensor
// CHECK: trop.maxout group_size = 2
func.func @not_collapsible(%x: memref<4x8x16xf32, strided<[256, 16, 1]>>, %y: memref<4x8x8xf32>) {
  trop.maxout group_size = 2 ins(%x : memref<4x8x16xf32, strided<[256, 16, 1]>>) outs(%y : memref<4x8x8xf32>)
  return
}
func.func @strided_channels(%x: memref<4x16xf32, strided<[32, 2]>>, %y: memref<4x8xf32>) {
  trop.maxout group_size = 2 ins(%x : memref<4x16xf32, strided<[32, 2]>>) outs(%y : memref<4x8xf32>)
  return
}
func.func @tensor(%x: tensor<4x16xf32>, %y: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = trop.maxout group_size = 2 ins(%x : tensor<4x16xf32>) outs(%y : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}
