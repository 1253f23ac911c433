// Verifier errors of trop.lse_matmul.
// RUN: trop-opt %s --split-input-file --verify-diagnostics

func.func @lse_i16(%a: tensor<4x8xi16>, %b: tensor<8x3xi16>, %c: tensor<4x3xi16>) {
  // expected-error @+1 {{unsupported element type 'i16'; expected f32 or f64 (the semiring takes exponentials and logarithms)}}
  %r = trop.lse_matmul ins(%a, %b : tensor<4x8xi16>, tensor<8x3xi16>) outs(%c : tensor<4x3xi16>) -> tensor<4x3xi16>
  return
}

// -----

func.func @lse_beta_zero(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+1 {{'beta' must be finite and positive, but got 0}}
  %r = trop.lse_matmul {beta = 0.0 : f64} ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @lse_beta_inf(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+1 {{'beta' must be finite and positive, but got INF}}
  %r = trop.lse_matmul {beta = 0x7FF0000000000000 : f64} ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @lse_k(%a: tensor<4x8xf32>, %b: tensor<7x3xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+1 {{reduction size K: 'lhs' dimension 1 is 8 but 'rhs' dimension 0 is 7}}
  %r = trop.lse_matmul ins(%a, %b : tensor<4x8xf32>, tensor<7x3xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @lse_rank(%a: tensor<4x8xf32>, %b: tensor<8xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+1 {{expected 'rhs' to have rank 2, but it has rank 1}}
  %r = trop.lse_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}
