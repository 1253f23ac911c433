// trop.matmul <max_plus> on f32 tensors, static and dynamic shapes, through
// the reference pipeline: C[i,j] = max(C[i,j], max_k (A[i,k] + B[k,j])).

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  %a = arith.constant dense<[[1.0, 5.0, 0.0],
                             [-2.0, 0.0, 3.0],
                             [0.5, -0.25, 1.5]]> : tensor<3x3xf32>
  %b = arith.constant dense<[[4.0, 0.0],
                             [-1.0, 2.0],
                             [2.0, 7.0]]> : tensor<3x2xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty() : tensor<3x2xf32>
  %c = linalg.fill ins(%ninf : f32) outs(%e : tensor<3x2xf32>) -> tensor<3x2xf32>

  // Row 0: max(1+4, 5-1, 0+2) = 5 (k = 0);  max(1+0, 5+2, 0+7) = 7 (k = 1, 2)
  // Row 1: max(-2+4, 0-1, 3+2) = 5 (k = 2); max(-2+0, 0+2, 3+7) = 10 (k = 2)
  // Row 2: max(0.5+4, -0.25-1, 1.5+2) = 4.5; max(0.5+0, -0.25+2, 1.5+7) = 8.5
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<3x3xf32>, tensor<3x2xf32>)
                              outs(%c : tensor<3x2xf32>) -> tensor<3x2xf32>
  %u = tensor.cast %r : tensor<3x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} rank = 2 offset = 0 sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}5, 7],
  // CHECK-NEXT: {{^}} [5, 10],
  // CHECK-NEXT: {{^}} [4.5, 8.5]]

  // The same product with every dimension dynamic (the shapes are only known
  // inside @dyn; the pipeline does not inline): same values.
  %ad = tensor.cast %a : tensor<3x3xf32> to tensor<?x?xf32>
  %bd = tensor.cast %b : tensor<3x2xf32> to tensor<?x?xf32>
  %cd = tensor.cast %c : tensor<3x2xf32> to tensor<?x?xf32>
  %rd = call @dyn(%ad, %bd, %cd)
      : (tensor<?x?xf32>, tensor<?x?xf32>, tensor<?x?xf32>) -> tensor<?x?xf32>
  %ud = tensor.cast %rd : tensor<?x?xf32> to tensor<*xf32>
  call @printMemrefF32(%ud) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} rank = 2 offset = 0 sizes = [3, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}5, 7],
  // CHECK-NEXT: {{^}} [5, 10],
  // CHECK-NEXT: {{^}} [4.5, 8.5]]
  return
}

func.func @dyn(%a: tensor<?x?xf32>, %b: tensor<?x?xf32>, %c: tensor<?x?xf32>)
    -> tensor<?x?xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x?xf32>, tensor<?x?xf32>)
                              outs(%c : tensor<?x?xf32>) -> tensor<?x?xf32>
  return %r : tensor<?x?xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
