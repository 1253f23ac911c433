// trop.maxout: Y[..., g] = max(Y[..., g], max_j X[..., g*k + j]) over groups
// of k = group_size consecutive channels of the last dimension. f32 on a
// rank-3 tensor (with init biases and infinities), i1 on a rank-3 tensor
// (max = OR), i16 in memref form, dynamic shapes, and group_size = 1.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>

memref.global "private" constant @Xi : memref<2x4xi16> =
    dense<[[1, -5, 3, 2], [-32768, -7, -9, -32768]]>

func.func @main() {
  // f32, 2x2x6 -> 2x2x2, group_size 3. Init -inf except Y[0][0][1] = -0.5
  // and Y[1][1][0] = 10.
  //   X[0][0] = [1, 5, 2 | -1, -2, -3]            -> [5, max(-0.5, -1) = -0.5]
  //   X[0][1] = [0, 0, 0 | 7, 8, 9]               -> [0, 9]
  //   X[1][0] = [-inf, -inf, -inf | 3, +inf, 2]   -> [-inf, inf]
  //   X[1][1] = [-4, -5, -6 | 0.5, 0.25, 0.125]   -> [max(10, -4) = 10, 0.5]
  %x = arith.constant dense<[[[1.0, 5.0, 2.0, -1.0, -2.0, -3.0],
                              [0.0, 0.0, 0.0, 7.0, 8.0, 9.0]],
                             [[0xFF800000, 0xFF800000, 0xFF800000, 3.0, 0x7F800000, 2.0],
                              [-4.0, -5.0, -6.0, 0.5, 0.25, 0.125]]]> : tensor<2x2x6xf32>
  %y = arith.constant dense<[[[0xFF800000, -0.5], [0xFF800000, 0xFF800000]],
                             [[0xFF800000, 0xFF800000], [10.0, 0xFF800000]]]> : tensor<2x2x2xf32>
  %r = trop.maxout group_size = 3 ins(%x : tensor<2x2x6xf32>)
                                  outs(%y : tensor<2x2x2xf32>) -> tensor<2x2x2xf32>
  %u = tensor.cast %r : tensor<2x2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2, 2] strides = [4, 2, 1] data =
  // CHECK-NEXT: {{\[\[\[}}5, -0.5],
  // CHECK-NEXT: {{^}} [0, 9]],
  // CHECK-NEXT: {{^}} {{\[\[}}-inf, inf],
  // CHECK-NEXT: {{^}} [10, 0.5]]]

  // i1, rank 3: 2x2x4 -> 2x2x2, group_size 2 (max = OR). Init false except
  // Y[1][1][1].
  //   X[0][0] = [1, 0 | 0, 0] -> [1, 0]      X[0][1] = [0, 0 | 1, 1] -> [0, 1]
  //   X[1][0] = [0, 1 | 1, 0] -> [1, 1]      X[1][1] = [0, 0 | 0, 0] -> [0, 1] (init)
  %xb = arith.constant dense<[[[1, 0, 0, 0], [0, 0, 1, 1]],
                              [[0, 1, 1, 0], [0, 0, 0, 0]]]> : tensor<2x2x4xi1>
  %yb = arith.constant dense<[[[0, 0], [0, 0]], [[0, 0], [0, 1]]]> : tensor<2x2x2xi1>
  %rb = trop.maxout group_size = 2 ins(%xb : tensor<2x2x4xi1>)
                                   outs(%yb : tensor<2x2x2xi1>) -> tensor<2x2x2xi1>
  %rbc = tensor.collapse_shape %rb [[0, 1], [2]] : tensor<2x2x2xi1> into tensor<4x2xi1>
  call @printI1(%rbc) : (tensor<4x2xi1>) -> ()
  // Printed with the two leading dimensions collapsed (rows X[0][0], X[0][1],
  // X[1][0], X[1][1]):
  // CHECK:      Unranked Memref {{.*}} sizes = [4, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 0],
  // CHECK-NEXT: {{^}} [0, 1],
  // CHECK-NEXT: {{^}} [1, 1],
  // CHECK-NEXT: {{^}} [0, 1]]

  // i16 memref form, 2x4 -> 2x1, group_size 4, init -32768:
  //   max(1, -5, 3, 2) = 3;  max(-32768, -7, -9, -32768) = -7
  %xi = memref.get_global @Xi : memref<2x4xi16>
  %yi = memref.alloc() : memref<2x1xi16>
  %min = arith.constant -32768 : i16
  linalg.fill ins(%min : i16) outs(%yi : memref<2x1xi16>)
  trop.maxout group_size = 4 ins(%xi : memref<2x4xi16>) outs(%yi : memref<2x1xi16>)
  %ui = memref.cast %yi : memref<2x1xi16> to memref<*xi16>
  call @printMemrefI16(%ui) : (memref<*xi16>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 1] strides = [1, 1] data =
  // CHECK-NEXT: {{\[\[}}3],
  // CHECK-NEXT: {{^}} [-7]]

  // Dynamic shapes (2x4 -> 2x2, group_size 2, init -inf):
  //   [1, 2 | 4, 3] -> [2, 4];  [-1, -2 | 0, -inf] -> [-1, 0]
  %xd = arith.constant dense<[[1.0, 2.0, 4.0, 3.0], [-1.0, -2.0, 0.0, 0xFF800000]]> : tensor<2x4xf32>
  %yd = arith.constant dense<0xFF800000> : tensor<2x2xf32>
  %xdd = tensor.cast %xd : tensor<2x4xf32> to tensor<?x?xf32>
  %ydd = tensor.cast %yd : tensor<2x2xf32> to tensor<?x?xf32>
  %rd = call @dyn(%xdd, %ydd) : (tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %ud = tensor.cast %rd : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%ud) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}2, 4],
  // CHECK-NEXT: {{^}} [-1, 0]]

  // group_size = 1: elementwise max with the init [0, 0, 0]:
  //   [3, -1, 2] -> [3, 0, 2]
  %x1 = arith.constant dense<[[3.0, -1.0, 2.0]]> : tensor<1x3xf32>
  %y1 = arith.constant dense<0.0> : tensor<1x3xf32>
  %r1 = trop.maxout group_size = 1 ins(%x1 : tensor<1x3xf32>)
                                   outs(%y1 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %u1 = tensor.cast %r1 : tensor<1x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [1, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}3, 0, 2]]
  return
}

func.func @dyn(%x: tensor<?x?xf32>, %y: tensor<?x?xf32>) -> tensor<?x?xf32> {
  %r = trop.maxout group_size = 2 ins(%x : tensor<?x?xf32>)
                                  outs(%y : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

// Prints an i1 matrix as 0/1 i32 values.
func.func @printI1(%t: tensor<4x2xi1>) {
  %e = tensor.empty() : tensor<4x2xi32>
  %w = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<4x2xi1>) outs(%e : tensor<4x2xi32>) {
  ^bb0(%b: i1, %o: i32):
    %v = arith.extui %b : i1 to i32
    linalg.yield %v : i32
  } -> tensor<4x2xi32>
  %u = tensor.cast %w : tensor<4x2xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func private @printMemrefF32(tensor<*xf32>)
func.func private @printMemrefI32(tensor<*xi32>)
// The i16 printer only exists with the C interface (_mlir_ciface_...).
func.func private @printMemrefI16(memref<*xi16>) attributes {llvm.emit_c_interface}
