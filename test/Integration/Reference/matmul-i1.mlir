// trop.matmul on i1: max_min is the boolean matrix product (⊕ = OR,
// ⊗ = AND, 𝟘 = false) and min_max its dual (⊕ = AND, ⊗ = OR, 𝟘 = true).
// Each init has one entry that differs from 𝟘 and must survive ⊕.

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>

func.func @main() {
  %b = arith.constant dense<[[0, 1], [1, 0], [0, 1]]> : tensor<3x2xi1>

  // max_min: C[i,j] = C[i,j] OR (OR_k A[i,k] AND B[k,j]), init 0 except C20 = 1.
  //   row [1,0,0]: C00 = 1&0 = 0;             C01 = 1&1 = 1
  //   row [0,1,1]: C10 = (1&1)|(1&0) = 1;     C11 = (1&0)|(1&1) = 1
  //   row [0,0,0]: C20 = init 1;              C21 = 0
  %a0 = arith.constant dense<[[1, 0, 0], [0, 1, 1], [0, 0, 0]]> : tensor<3x3xi1>
  %c0 = arith.constant dense<[[0, 0], [0, 0], [1, 0]]> : tensor<3x2xi1>
  %r0 = trop.matmul <max_min> ins(%a0, %b : tensor<3x3xi1>, tensor<3x2xi1>)
                              outs(%c0 : tensor<3x2xi1>) -> tensor<3x2xi1>
  call @print(%r0) : (tensor<3x2xi1>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}0, 1],
  // CHECK-NEXT: {{^}} [1, 1],
  // CHECK-NEXT: {{^}} [1, 0]]

  // min_max: C[i,j] = C[i,j] AND (AND_k A[i,k] OR B[k,j]), init 1 except C21 = 0.
  //   row [1,1,0]: C00 = (1|0)&(1|1)&(0|0) = 0; C01 = (1|1)&(1|0)&(0|1) = 1
  //   row [0,1,1]: C10 = (0|0)&...        = 0; C11 = (0|1)&(1|0)&(1|1) = 1
  //   row [1,1,1]: C20 = 1;                     C21 = init 0
  %a1 = arith.constant dense<[[1, 1, 0], [0, 1, 1], [1, 1, 1]]> : tensor<3x3xi1>
  %c1 = arith.constant dense<[[1, 1], [1, 1], [1, 0]]> : tensor<3x2xi1>
  %r1 = trop.matmul <min_max> ins(%a1, %b : tensor<3x3xi1>, tensor<3x2xi1>)
                              outs(%c1 : tensor<3x2xi1>) -> tensor<3x2xi1>
  call @print(%r1) : (tensor<3x2xi1>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}0, 1],
  // CHECK-NEXT: {{^}} [0, 1],
  // CHECK-NEXT: {{^}} [1, 0]]
  return
}

// Prints an i1 matrix as 0/1 i32 values.
func.func @print(%t: tensor<3x2xi1>) {
  %e = tensor.empty() : tensor<3x2xi32>
  %w = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%t : tensor<3x2xi1>) outs(%e : tensor<3x2xi32>) {
  ^bb0(%x: i1, %o: i32):
    %y = arith.extui %x : i1 to i32
    linalg.yield %y : i32
  } -> tensor<3x2xi32>
  %u = tensor.cast %w : tensor<3x2xi32> to tensor<*xi32>
  call @printMemrefI32(%u) : (tensor<*xi32>) -> ()
  return
}

func.func private @printMemrefI32(tensor<*xi32>)
