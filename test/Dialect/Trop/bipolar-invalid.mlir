// Verifier errors of trop.bipolar_matmul.
// RUN: trop-opt %s --split-input-file --verify-diagnostics

func.func @bipolar_f16(%x: tensor<4x8xf16>, %v: tensor<8x3xf16>, %b: tensor<4x3xf16>) {
  // expected-error @+1 {{unsupported element type 'f16'; expected f32 or f64 (the poles are logarithms)}}
  %r = trop.bipolar_matmul ins(%x, %v, %v : tensor<4x8xf16>, tensor<8x3xf16>, tensor<8x3xf16>) outs(%b : tensor<4x3xf16>) -> tensor<4x3xf16>
  return
}

// -----

func.func @bipolar_negative_shift(%x: tensor<4x8xf32>, %v: tensor<8x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{'input_shift' must be finite and non-negative, but got -1}}
  %r = trop.bipolar_matmul {input_shift = -1.0 : f64} ins(%x, %v, %v : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @bipolar_nan_shift(%x: tensor<4x8xf32>, %v: tensor<8x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{'input_shift' must be finite and non-negative, but got nan}}
  %r = trop.bipolar_matmul {input_shift = 0x7FF8000000000000 : f64} ins(%x, %v, %v : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @bipolar_k_mismatch(%x: tensor<4x8xf32>, %vp: tensor<8x3xf32>, %vn: tensor<7x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{reduction size K: 'lhs' dimension 1 is 8 but 'rhs_neg' dimension 0 is 7}}
  %r = trop.bipolar_matmul ins(%x, %vp, %vn : tensor<4x8xf32>, tensor<8x3xf32>, tensor<7x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @bipolar_n_mismatch(%x: tensor<4x8xf32>, %vp: tensor<8x3xf32>, %vn: tensor<8x2xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{column count N: 'rhs_neg' dimension 1 is 2 but 'init' dimension 1 is 3}}
  %r = trop.bipolar_matmul ins(%x, %vp, %vn : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x2xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @bipolar_m_mismatch(%x: tensor<5x8xf32>, %v: tensor<8x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{row count M: 'lhs' dimension 0 is 5 but 'init' dimension 0 is 4}}
  %r = trop.bipolar_matmul ins(%x, %v, %v : tensor<5x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @bipolar_rank(%x: tensor<4x8xf32>, %v: tensor<2x8x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{expected 'rhs_pos' to have rank 2, but it has rank 3}}
  %r = trop.bipolar_matmul ins(%x, %v, %v : tensor<4x8xf32>, tensor<2x8x3xf32>, tensor<2x8x3xf32>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @bipolar_element_mismatch(%x: tensor<4x8xf32>, %v: tensor<8x3xf64>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{element type of 'rhs_pos' ('f64') does not match element type of 'lhs' ('f32')}}
  %r = trop.bipolar_matmul ins(%x, %v, %v : tensor<4x8xf32>, tensor<8x3xf64>, tensor<8x3xf64>) outs(%b : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @bipolar_mixed(%x: tensor<4x8xf32>, %v: tensor<8x3xf32>, %b: memref<4x3xf32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs, but 'lhs' is a tensor and 'init' is a memref}}
  trop.bipolar_matmul ins(%x, %v, %v : tensor<4x8xf32>, tensor<8x3xf32>, tensor<8x3xf32>) outs(%b : memref<4x3xf32>)
  return
}

// -----

func.func @bipolar_memref_result(%x: memref<4x8xf32>, %v: memref<8x3xf32>, %b: memref<4x3xf32>) {
  // expected-error @+1 {{on memrefs updates 'init' in place and must not return a result}}
  %r = trop.bipolar_matmul ins(%x, %v, %v : memref<4x8xf32>, memref<8x3xf32>, memref<8x3xf32>) outs(%b : memref<4x3xf32>) -> tensor<4x3xf32>
  return
}
