// Verifier errors of trop.dual_conv_2d.
// RUN: trop-opt %s --split-input-file --verify-diagnostics

func.func @integers(%x: tensor<1x4x4x2xi32>, %w: tensor<3x3x2x2xi32>, %b: tensor<1x2x2x2xi32>) {
  // expected-error @+1 {{unsupported element type 'i32'; expected f16, bf16, f32 or f64 (on integers max_plus and min_plus have different ⊗)}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : tensor<1x4x4x2xi32>, tensor<3x3x2x2xi32>, tensor<3x3x2x2xi32>) outs(%b, %b : tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>) -> tensor<1x2x2x2xi32>, tensor<1x2x2x2xi32>
  return
}

// -----

func.func @mixed_element_types(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %w2: tensor<3x3x2x2xf64>, %b: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{element type of 'filter_min' ('f64') differs from that of 'input' ('f32')}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w2 : tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x2xf64>) outs(%b, %b : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return
}

// -----

func.func @mixed_forms(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %b: memref<1x2x2x2xf32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs, but 'input' is a tensor and 'init_max' is not}}
  trop.dual_conv_2d ins(%x, %w, %w : tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x2xf32>) outs(%b, %b : memref<1x2x2x2xf32>, memref<1x2x2x2xf32>)
  return
}

// -----

func.func @one_result(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %b: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{on tensors must return the updated 'init_max' and 'init_min', of their types}}
  %r = trop.dual_conv_2d ins(%x, %w, %w : tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x2xf32>) outs(%b, %b : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @memref_results(%x: memref<1x4x4x2xf32>, %w: memref<3x3x2x2xf32>, %b: memref<1x2x2x2xf32>) {
  // expected-error @+1 {{on memrefs updates 'init_max' and 'init_min' in place and must not return results}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : memref<1x4x4x2xf32>, memref<3x3x2x2xf32>, memref<3x3x2x2xf32>) outs(%b, %b : memref<1x2x2x2xf32>, memref<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return
}

// -----

func.func @rank(%x: tensor<4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %b: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{expected 'input' to have rank 4, but it has rank 3}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : tensor<4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x2xf32>) outs(%b, %b : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return
}

// -----

func.func @channels(%x: tensor<1x4x4x3xf32>, %w: tensor<3x3x2x2xf32>, %b: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{input channel count: 'input' dimension 3 is 3 but 'filter_max' dimension 2 is 2}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : tensor<1x4x4x3xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x2xf32>) outs(%b, %b : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return
}

// -----

func.func @min_filter_outputs(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %w2: tensor<3x3x2x3xf32>, %b: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{output channel count: 'filter_min' dimension 3 is 3 but 'init_min' dimension 3 is 2}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w2 : tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x3xf32>) outs(%b, %b : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return
}

// -----

func.func @window_sizes(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %w2: tensor<3x1x2x2xf32>, %b: tensor<1x2x2x2xf32>, %b2: tensor<1x2x4x2xf32>) {
  // expected-error @+1 {{window size: 'filter_max' dimension 1 is 3 but 'filter_min' dimension 1 is 1}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w2 : tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x1x2x2xf32>) outs(%b, %b2 : tensor<1x2x2x2xf32>, tensor<1x2x4x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x4x2xf32>
  return
}

// -----

func.func @output_size(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %b: tensor<1x3x2x2xf32>) {
  // expected-error @+1 {{expected output height 2 (from input 4, window 3, stride 1, dilation 1, padding 0+0), but 'init' has 3}}
  %r:2 = trop.dual_conv_2d ins(%x, %w, %w : tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x2xf32>) outs(%b, %b : tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) -> tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>
  return
}

// -----

func.func @strides(%x: tensor<1x4x4x2xf32>, %w: tensor<3x3x2x2xf32>, %b: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{'strides' values must be in [1, 16777216], but got 0}}
  %r:2 = trop.dual_conv_2d {strides = array<i64: 0, 1>} ins(%x, %w, %w : tensor<1x4x4x2xf32>, tensor<3x3x2x2xf32>, tensor<3x3x2x2xf32>) outs(%b, %b : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
  return
}
