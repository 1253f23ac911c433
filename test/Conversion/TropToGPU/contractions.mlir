// RUN: trop-opt %s --trop-to-gpu --cse --split-input-file | FileCheck %s
// RUN: trop-opt %s --trop-to-gpu="emulate=1" --split-input-file | FileCheck %s --check-prefix=EMU
// RUN: trop-opt %s --trop-to-gpu="nan-mode=propagate" --split-input-file | FileCheck %s --check-prefix=NAN

// A matmul becomes one launch of 256-thread blocks over ceil(N/128) x
// ceil(M/128) tiles, guarded against empty dimensions, with two
// double-buffered shared slices (A transposed and padded to 132), a
// barrier after the first slice and after each slice of the loop, whose
// iteration carries the 64 register accumulators, 16-byte shared loads and
// one ⊗ (addf) and one ⊕ (maxnumf in assume-none mode) per update.

// CHECK-LABEL: func.func @matmul
// CHECK:         scf.if
// CHECK:           gpu.launch blocks({{.*}}) threads({{.*}}) in (%{{.*}} = %c256{{.*}}) workgroup(%[[A:.*]] : memref<2x8x132xf32, #gpu.address_space<workgroup>>, %[[B:.*]] : memref<2x8x128xf32, #gpu.address_space<workgroup>>) {
// CHECK:             memref.store {{.*}}, %[[A]]
// CHECK:             gpu.barrier
// CHECK:             scf.for {{.*}} iter_args({{.*}}) -> (f32, f32, f32, f32
// CHECK:               vector.load %[[A]]{{.*}} {alignment = 16 : i64} : memref<2x8x132xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK:               vector.load %[[B]]{{.*}} {alignment = 16 : i64} : memref<2x8x128xf32, #gpu.address_space<workgroup>>, vector<4xf32>
// CHECK:               arith.addf
// CHECK-NEXT:          arith.maxnumf
// CHECK:               gpu.barrier
// CHECK-NEXT:          scf.yield
// CHECK:             gpu.terminator

// Emulated: no launch, loops over blocks and (per phase) over 256 threads,
// the accumulators saved per thread between phases.
// EMU-LABEL: func.func @matmul
// EMU-NOT:     gpu.launch
// EMU:         memref.alloca() {alignment = 16 : i64} : memref<2x8x132xf32>
// EMU:         memref.alloca() : memref<256x64xf32>
// EMU-NOT:     gpu.barrier
// EMU:         scf.for %{{.*}} = %c0{{.*}} to %c256

// NAN-LABEL: func.func @matmul
// NAN:         arith.maximumf
func.func @matmul(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %c: memref<?x?xf32>) {
  trop.matmul <max_plus> ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%c : memref<?x?xf32>)
  return
}

// -----

// batch_matmul: the batch is the grid's third dimension.
// CHECK-LABEL: func.func @batch
// CHECK:         %[[BATCH:.*]] = memref.dim %{{.*}}, %c0{{.*}} : memref<3x?x?xi32>
// CHECK:         gpu.launch blocks({{.*}}) in ({{.*}}, %{{.*}} = %[[BATCH]])
// Integers: the saturating sum with 𝟘 absorbing, as on the CPU.
// CHECK:           arith.extsi
// CHECK:           arith.maxsi
// CHECK:           arith.minsi
func.func @batch(%a: memref<3x?x?xi32>, %b: memref<3x?x?xi32>, %c: memref<3x?x?xi32>) {
  trop.batch_matmul <min_plus> ins(%a, %b : memref<3x?x?xi32>, memref<3x?x?xi32>) outs(%c : memref<3x?x?xi32>)
  return
}

// -----

// dual_matmul: one kernel, two accumulator tiles (128 carried values), each
// sum once for both.
// CHECK-LABEL: func.func @dual
// CHECK:         gpu.launch
// CHECK:           scf.for {{.*}} -> ([[F32S:(f32, ){127}f32]])
// CHECK:             %[[S:.*]] = arith.addf
// CHECK-NEXT:        arith.maxnumf %{{.*}}, %[[S]]
// CHECK-NEXT:        arith.minnumf %{{.*}}, %[[S]]
func.func @dual(%a: memref<?x?xf32>, %b: memref<?x?xf32>, %x: memref<?x?xf32>, %n: memref<?x?xf32>) {
  trop.dual_matmul ins(%a, %b : memref<?x?xf32>, memref<?x?xf32>) outs(%x, %n : memref<?x?xf32>, memref<?x?xf32>)
  return
}

// -----

// Ops on tensors (bufferize first) and other ops are left alone.
// CHECK-LABEL: func.func @tensor
// CHECK-NOT:     gpu.launch
// CHECK:         trop.matmul
// CHECK:         trop.maxout
func.func @tensor(%a: tensor<4x5xf32>, %b: tensor<5x6xf32>, %c: tensor<4x6xf32>, %x: memref<4x8xf32>, %y: memref<4x2xf32>) -> tensor<4x6xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x5xf32>, tensor<5x6xf32>) outs(%c : tensor<4x6xf32>) -> tensor<4x6xf32>
  trop.maxout group_size = 4 ins(%x : memref<4x8xf32>) outs(%y : memref<4x2xf32>)
  return %r : tensor<4x6xf32>
}

// -----

// f16: pairs of columns in one half2 instruction (add.rn.f16x2, max.f16x2).
// CHECK-LABEL: func.func @half
// CHECK:         gpu.launch
// CHECK:           vector.load {{.*}} vector<4xf16>
// CHECK:           %[[A:.*]] = vector.broadcast %{{.*}} : f16 to vector<2xf16>
// CHECK:           %[[B:.*]] = vector.from_elements %{{.*}}, %{{.*}} : vector<2xf16>
// CHECK:           %[[S:.*]] = arith.addf %[[A]], %[[B]] : vector<2xf16>
// CHECK-NEXT:      arith.minnumf %{{.*}}, %[[S]] : vector<2xf16>
func.func @half(%a: memref<?x?xf16>, %b: memref<?x?xf16>, %c: memref<?x?xf16>) {
  trop.matmul <min_plus> ins(%a, %b : memref<?x?xf16>, memref<?x?xf16>) outs(%c : memref<?x?xf16>)
  return
}
