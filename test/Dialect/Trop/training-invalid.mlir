// Every verifier diagnostic of the training ops.
// RUN: trop-opt %s -split-input-file -verify-diagnostics

func.func @winners_not_i64(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %w: tensor<4x2xi32>) {
  // expected-error @+1 {{'winners' must hold i64 indices, not 'i32'}}
  %y, %i = trop.matmul_winners <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %w : tensor<4x2xf32>, tensor<4x2xi32>) -> tensor<4x2xf32>, tensor<4x2xi32>
  return
}

// -----

func.func @winners_shape(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %w: tensor<4x3xi64>) {
  // expected-error @+1 {{column count N: 'init' dimension 1 is 2 but 'winners' dimension 1 is 3}}
  %y, %i = trop.matmul_winners <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %w : tensor<4x2xf32>, tensor<4x3xi64>) -> tensor<4x2xf32>, tensor<4x3xi64>
  return
}

// -----

func.func @winners_reduction(%a: tensor<4x8xf32>, %b: tensor<7x2xf32>, %c: tensor<4x2xf32>, %w: tensor<4x2xi64>) {
  // expected-error @+1 {{reduction size K: 'lhs' dimension 1 is 8 but 'rhs' dimension 0 is 7}}
  %y, %i = trop.matmul_winners <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<7x2xf32>) outs(%c, %w : tensor<4x2xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>, tensor<4x2xi64>
  return
}

// -----

func.func @winners_one_result(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %w: tensor<4x2xi64>) {
  // expected-error @+1 {{on tensors must return the updated 'init' and 'winners' as its two results, of their types}}
  %y = "trop.matmul_winners"(%a, %b, %c, %w) {semiring = #trop.semiring<max_plus>} : (tensor<4x8xf32>, tensor<8x2xf32>, tensor<4x2xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>
  return
}

// -----

func.func @winners_mixed(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: memref<4x2xf32>, %w: memref<4x2xi64>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs, but 'lhs' is a tensor and 'init' is a memref}}
  trop.matmul_winners <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %w : memref<4x2xf32>, memref<4x2xi64>)
  return
}

// -----

func.func @winners_i1(%a: tensor<4x8xi1>, %b: tensor<8x2xi1>, %c: tensor<4x2xi1>, %w: tensor<4x2xi64>) {
  // expected-error @+1 {{does not support i1}}
  %y, %i = trop.matmul_winners <max_min> ins(%a, %b : tensor<4x8xi1>, tensor<8x2xi1>) outs(%c, %w : tensor<4x2xi1>, tensor<4x2xi64>) -> tensor<4x2xi1>, tensor<4x2xi64>
  return
}

// -----

func.func @winners_semiring(%a: tensor<4x8xi1>, %b: tensor<8x2xi1>, %c: tensor<4x2xi1>, %w: tensor<4x2xi64>) {
  // expected-error @+1 {{semiring 'max_plus' is not defined on 'i1'}}
  %y, %i = trop.matmul_winners <max_plus> ins(%a, %b : tensor<4x8xi1>, tensor<8x2xi1>) outs(%c, %w : tensor<4x2xi1>, tensor<4x2xi64>) -> tensor<4x2xi1>, tensor<4x2xi64>
  return
}

// -----

func.func @route_integer(%dy: tensor<4x2xi32>, %w: tensor<4x2xi64>, %da: tensor<4x8xi32>, %db: tensor<8x2xi32>) {
  // expected-error @+1 {{unsupported element type 'i32' of 'grad'; expected f16, bf16, f32 or f64}}
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<4x2xi32>, tensor<4x2xi64>) outs(%da, %db : tensor<4x8xi32>, tensor<8x2xi32>) -> tensor<4x8xi32>, tensor<8x2xi32>
  return
}

// -----

func.func @route_k(%dy: tensor<4x2xf32>, %w: tensor<4x2xi64>, %da: tensor<4x8xf32>, %db: tensor<7x2xf32>) {
  // expected-error @+1 {{reduction size K: 'grad_lhs' dimension 1 is 8 but 'grad_rhs' dimension 0 is 7}}
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<4x2xf32>, tensor<4x2xi64>) outs(%da, %db : tensor<4x8xf32>, tensor<7x2xf32>) -> tensor<4x8xf32>, tensor<7x2xf32>
  return
}

// -----

func.func @route_types(%dy: tensor<4x2xf32>, %w: tensor<4x2xi64>, %da: tensor<4x8xf64>, %db: tensor<8x2xf32>) {
  // expected-error @+1 {{element type of 'grad_lhs' ('f64') does not match element type of 'grad' ('f32')}}
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<4x2xf32>, tensor<4x2xi64>) outs(%da, %db : tensor<4x8xf64>, tensor<8x2xf32>) -> tensor<4x8xf64>, tensor<8x2xf32>
  return
}

// -----

func.func @route_rank(%dy: tensor<4x2x1xf32>, %w: tensor<4x2xi64>, %da: tensor<4x8xf32>, %db: tensor<8x2xf32>) {
  // expected-error @+1 {{expected 'grad' to have rank 2, but it has rank 3}}
  %x, %y = trop.route_to_winners ins(%dy, %w : tensor<4x2x1xf32>, tensor<4x2xi64>) outs(%da, %db : tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x8xf32>, tensor<8x2xf32>
  return
}

// -----

func.func @batch_winners_batch(%a: tensor<3x4x8xf32>, %b: tensor<2x8x2xf32>, %c: tensor<3x4x2xf32>, %w: tensor<3x4x2xi64>) {
  // expected-error @+1 {{batch size: 'lhs' dimension 0 is 3 but 'rhs' dimension 0 is 2}}
  %y, %i = trop.batch_matmul_winners <max_plus> ins(%a, %b : tensor<3x4x8xf32>, tensor<2x8x2xf32>) outs(%c, %w : tensor<3x4x2xf32>, tensor<3x4x2xi64>) -> tensor<3x4x2xf32>, tensor<3x4x2xi64>
  return
}

// -----

func.func @dual_winners_int(%a: tensor<4x8xi32>, %b: tensor<8x2xi32>, %c: tensor<4x2xi32>, %w: tensor<4x2xi64>) {
  // expected-error @+1 {{unsupported element type 'i32'; expected a float type}}
  %x, %y, %u, %v = trop.dual_matmul_winners ins(%a, %b : tensor<4x8xi32>, tensor<8x2xi32>) outs(%c, %c, %w, %w : tensor<4x2xi32>, tensor<4x2xi32>, tensor<4x2xi64>, tensor<4x2xi64>) -> tensor<4x2xi32>, tensor<4x2xi32>, tensor<4x2xi64>, tensor<4x2xi64>
  return
}

// -----

func.func @dual_winners_results(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %w: tensor<4x2xi64>) {
  // expected-error @+1 {{on tensors must return the updated 'init_max', 'init_min', 'winners_max' and 'winners_min' as its four results, of their types}}
  %x, %y = trop.dual_matmul_winners ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %c, %w, %w : tensor<4x2xf32>, tensor<4x2xf32>, tensor<4x2xi64>, tensor<4x2xi64>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @conv_winners_shape(%x: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>, %b: tensor<1x6x6x4xf32>, %m: tensor<1x6x5x4xi64>) {
  // expected-error @+1 {{shape: 'init' dimension 2 is 6 but 'winners' dimension 2 is 5}}
  %y, %w = trop.conv_2d_winners <max_plus> ins(%x, %f : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%b, %m : tensor<1x6x6x4xf32>, tensor<1x6x5x4xi64>) -> tensor<1x6x6x4xf32>, tensor<1x6x5x4xi64>
  return
}

// -----

func.func @conv_winners_window(%x: tensor<1x8x8x3xf32>, %f: tensor<3x3x3x4xf32>, %b: tensor<1x8x8x4xf32>, %m: tensor<1x8x8x4xi64>) {
  // expected-error @+1 {{expected output height 6}}
  %y, %w = trop.conv_2d_winners <max_plus> ins(%x, %f : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%b, %m : tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>) -> tensor<1x8x8x4xf32>, tensor<1x8x8x4xi64>
  return
}

// -----

func.func @route_depthwise_channels(%dy: memref<1x6x6x3xf32>, %w: memref<1x6x6x3xi64>, %dx: memref<1x8x8x3xf32>, %ds: memref<3x3x2xf32>) {
  // expected-error @+1 {{channel count: 'grad_input' dimension 3 is 3 but 'grad_filter' dimension 2 is 2}}
  trop.route_depthwise_conv_2d_to_winners ins(%dy, %w : memref<1x6x6x3xf32>, memref<1x6x6x3xi64>) outs(%dx, %ds : memref<1x8x8x3xf32>, memref<3x3x2xf32>)
  return
}

// -----

func.func @maxout_winners_group(%x: tensor<4x10xf32>, %b: tensor<4x2xf32>, %m: tensor<4x2xi64>) {
  // expected-error @+1 {{input channel count 10 is not a multiple of group_size 4}}
  %y, %w = trop.maxout_winners group_size = 4 ins(%x : tensor<4x10xf32>) outs(%b, %m : tensor<4x2xf32>, tensor<4x2xi64>) -> tensor<4x2xf32>, tensor<4x2xi64>
  return
}

// -----

func.func @route_maxout_memref_result(%dy: memref<4x2xf32>, %w: memref<4x2xi64>, %dx: memref<4x8xf32>) {
  // expected-error @+1 {{on memrefs updates its destinations in place and must not return results}}
  %r = trop.route_maxout_to_winners group_size = 4 ins(%dy, %w : memref<4x2xf32>, memref<4x2xi64>) outs(%dx : memref<4x8xf32>) -> tensor<4x8xf32>
  return
}

// -----

func.func @route_maxout_int(%dy: tensor<4x2xi32>, %w: tensor<4x2xi64>, %dx: tensor<4x8xi32>) {
  // expected-error @+1 {{unsupported element type 'i32' of 'grad'}}
  %r = trop.route_maxout_to_winners group_size = 4 ins(%dy, %w : tensor<4x2xi32>, tensor<4x2xi64>) outs(%dx : tensor<4x8xi32>) -> tensor<4x8xi32>
  return
}
