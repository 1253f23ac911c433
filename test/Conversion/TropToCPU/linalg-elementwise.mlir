// trop-to-cpu on elementwise linalg ops on memrefs: loops over the outer
// dimensions (scf.parallel with tasks) around whole vectors of the innermost
// dimension and a one-lane remainder; operands indexed by the innermost
// dimension are vector loads, the others scalar loads broadcast; the body is
// the same ops on vectors. No scalar elementwise loop is left.
// RUN: trop-opt %s --trop-to-cpu="vector-bits=512 vector-registers=32" --split-input-file | FileCheck %s --check-prefix=AVX512
// RUN: trop-opt %s --trop-to-cpu="vector-bits=256 vector-registers=16 num-tasks=2" --split-input-file | FileCheck %s --check-prefix=AVX2

#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d3)>
// AVX512-LABEL: func.func @batchnorm_relu
// AVX512-NOT: scf.parallel
// AVX512: scf.for
// AVX512: scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %c16
// AVX512-NEXT: %[[X:.*]] = vector.load %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}, %[[C]]] : memref<2x5x7x37xf32>, vector<16xf32>
// AVX512-NEXT: %[[S:.*]] = vector.load %{{.*}}[%[[C]]] : memref<37xf32>, vector<16xf32>
// AVX512-NEXT: %[[T:.*]] = vector.load %{{.*}}[%[[C]]] : memref<37xf32>, vector<16xf32>
// AVX512-NEXT: %[[M:.*]] = arith.mulf %[[X]], %[[S]] : vector<16xf32>
// AVX512-NEXT: %[[A:.*]] = arith.addf %[[M]], %[[T]] : vector<16xf32>
// AVX512-NEXT: %[[Z:.*]] = arith.constant dense<0.000000e+00> : vector<16xf32>
// AVX512-NEXT: %[[R:.*]] = arith.maximumf %[[A]], %[[Z]] : vector<16xf32>
// AVX512-NEXT: vector.store %[[R]], %{{.*}} : memref<2x5x7x37xf32>, vector<16xf32>
// AVX512: scf.for {{.*}} step %c1
// AVX512: arith.maximumf %{{.*}}, %{{.*}} : vector<1xf32>
// AVX512-NOT: linalg.generic
// AVX2-LABEL: func.func @batchnorm_relu
// AVX2: scf.parallel (%{{.*}}, %{{.*}}, %{{.*}}) =
// AVX2: arith.maximumf %{{.*}}, %{{.*}} : vector<8xf32>
func.func @batchnorm_relu(%x: memref<2x5x7x37xf32>, %scale: memref<37xf32>, %shift: memref<37xf32>, %y: memref<2x5x7x37xf32>) {
  linalg.generic {indexing_maps = [#id, #ch, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
    ins(%x, %scale, %shift : memref<2x5x7x37xf32>, memref<37xf32>, memref<37xf32>) outs(%y : memref<2x5x7x37xf32>) {
  ^bb0(%a: f32, %s: f32, %t: f32, %o: f32):
    %0 = arith.mulf %a, %s : f32
    %1 = arith.addf %0, %t : f32
    %z = arith.constant 0.0 : f32
    %2 = arith.maximumf %1, %z : f32
    linalg.yield %2 : f32
  }
  return
}

// -----

// A per-row scale: the row's value is loaded once per vector and broadcast.
// AVX512-LABEL: func.func @row_scale
// AVX512: %[[X:.*]] = vector.load %{{.*}} : memref<33x100xf64>, vector<8xf64>
// AVX512-NEXT: %[[S:.*]] = memref.load %{{.*}} : memref<33xf64>
// AVX512-NEXT: %[[B:.*]] = vector.broadcast %[[S]] : f64 to vector<8xf64>
// AVX512-NEXT: arith.mulf %[[X]], %[[B]] : vector<8xf64>
#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @row_scale(%x: memref<33x100xf64>, %s: memref<33xf64>, %y: memref<33x100xf64>) {
  linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]}
    ins(%x, %s : memref<33x100xf64>, memref<33xf64>) outs(%y : memref<33x100xf64>) {
  ^bb0(%a: f64, %b: f64, %o: f64):
    %0 = arith.mulf %a, %b : f64
    linalg.yield %0 : f64
  }
  return
}

// -----

// Named elementwise ops too.
// AVX512-LABEL: func.func @named_add
// AVX512: arith.addf %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512-NOT: linalg.add
func.func @named_add(%a: memref<7x33xf32>, %b: memref<7x33xf32>, %c: memref<7x33xf32>) {
  linalg.add ins(%a, %b : memref<7x33xf32>, memref<7x33xf32>) outs(%c : memref<7x33xf32>)
  return
}

// -----

// Left alone: a reduction, a transposed output, a strided innermost
// dimension, i1 memory.
// AVX512-LABEL: func.func @not_elementwise
// AVX512: linalg.generic
// AVX512: linalg.generic
// AVX512: linalg.generic
// AVX512: linalg.generic
#t = affine_map<(d0, d1) -> (d1, d0)>
#r = affine_map<(d0, d1) -> (d0)>
#i = affine_map<(d0, d1) -> (d0, d1)>
func.func @not_elementwise(%a: memref<4x8xf32>, %s: memref<4xf32>, %t: memref<8x4xf32>,
                           %st: memref<4x8xf32, strided<[16, 2]>>, %bits: memref<4x8xi1>) {
  linalg.generic {indexing_maps = [#i, #r], iterator_types = ["parallel", "reduction"]}
    ins(%a : memref<4x8xf32>) outs(%s : memref<4xf32>) {
  ^bb0(%x: f32, %o: f32):
    %0 = arith.addf %x, %o : f32
    linalg.yield %0 : f32
  }
  linalg.generic {indexing_maps = [#i, #t], iterator_types = ["parallel", "parallel"]}
    ins(%a : memref<4x8xf32>) outs(%t : memref<8x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#i, #i], iterator_types = ["parallel", "parallel"]}
    ins(%a : memref<4x8xf32>) outs(%st : memref<4x8xf32, strided<[16, 2]>>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  linalg.generic {indexing_maps = [#i, #i], iterator_types = ["parallel", "parallel"]}
    ins(%a : memref<4x8xf32>) outs(%bits : memref<4x8xi1>) {
  ^bb0(%x: f32, %o: i1):
    %z = arith.constant 0.0 : f32
    %0 = arith.cmpf ogt, %x, %z : f32
    linalg.yield %0 : i1
  }
  return
}

// -----

// A copy into a strided subview (a tensor.pad's interior): rows of vectors,
// not the runtime's element-by-element copy; identity layouts keep memcpy.
// AVX512-LABEL: func.func @strided_copy
// AVX512: %[[V:.*]] = vector.load %{{.*}} : memref<4x33xf32>, vector<16xf32>
// AVX512-NEXT: vector.store %[[V]], %{{.*}} : memref<4x33xf32, strided<[40, 1], offset: 3>>, vector<16xf32>
// AVX512: memref.copy %{{.*}}, %{{.*}} : memref<4x33xf32> to memref<4x33xf32>
// AVX512-NOT: memref.copy
func.func @strided_copy(%x: memref<4x33xf32>, %y: memref<4x40xf32>, %z: memref<4x33xf32>) {
  %s = memref.subview %y[0, 3] [4, 33] [1, 1] : memref<4x40xf32> to memref<4x33xf32, strided<[40, 1], offset: 3>>
  memref.copy %x, %s : memref<4x33xf32> to memref<4x33xf32, strided<[40, 1], offset: 3>>
  memref.copy %x, %z : memref<4x33xf32> to memref<4x33xf32>
  return
}
