// Every verifier diagnostic of trop.bise.
// RUN: trop-opt %s -split-input-file -verify-diagnostics

func.func @element_type(%x: tensor<1x2x2x1xf16>, %w: tensor<1x1x1x1xf16>, %b: tensor<1xf16>, %y: tensor<1x2x2x1xf16>) {
  // expected-error @+1 {{unsupported element type 'f16'; expected f32 or f64}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x2x2x1xf16>, tensor<1x1x1x1xf16>, tensor<1xf16>, tensor<1xf16>) outs(%y : tensor<1x2x2x1xf16>) -> tensor<1x2x2x1xf16>
  return
}

// -----

func.func @mixed_types(%x: tensor<1x2x2x1xf32>, %w: tensor<1x1x1x1xf64>, %b: tensor<1xf32>, %y: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{expected 'weight' to have element type 'f32', but it has 'f64'}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x2x2x1xf32>, tensor<1x1x1x1xf64>, tensor<1xf32>, tensor<1xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @rank(%x: tensor<2x2x1xf32>, %w: tensor<1x1x1x1xf32>, %b: tensor<1xf32>, %y: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{expected 'input' to have rank 4, but it has rank 3}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @dynamic_weight(%x: tensor<1x2x2x1xf32>, %w: tensor<?x1x1x1xf32>, %b: tensor<1xf32>, %y: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{expected 'weight' to have a static shape, but it is 'tensor<?x1x1x1xf32>'}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x2x2x1xf32>, tensor<?x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @spatial(%x: tensor<1x3x2x1xf32>, %w: tensor<1x1x1x1xf32>, %b: tensor<1xf32>, %y: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{batch or spatial: 'input' dimension 1 is 3 but 'init' dimension 1 is 2}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x3x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @bias_count(%x: tensor<1x2x2x1xf32>, %w: tensor<1x1x1x1xf32>, %b: tensor<2xf32>, %y: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{output channel: 'weight' dimension 0 is 1 but 'bias' dimension 0 is 2}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<2xf32>, tensor<2xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @init_channels(%x: tensor<1x2x2x1xf32>, %w: tensor<1x1x1x1xf32>, %b: tensor<1xf32>, %y: tensor<1x2x2x3xf32>) {
  // expected-error @+1 {{output channel: 'weight' dimension 0 is 1 but 'init' dimension 3 is 3}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%y : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  return
}

// -----

func.func @empty_kernel(%x: tensor<1x2x2x1xf32>, %w: tensor<1x0x1x1xf32>, %b: tensor<1xf32>, %y: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{expected a kernel of at least 1×1, but 'weight' dimension 1 is 0}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x2x2x1xf32>, tensor<1x0x1x1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @groups_channels(%x: tensor<1x2x2x3xf32>, %w: tensor<2x1x1x2xf32>, %b: tensor<2xf32>, %y: tensor<1x2x2x2xf32>) {
  // expected-error @+1 {{expected 'input' to have groups × 2 = 2 channels, but it has 3}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : tensor<1x2x2x3xf32>, tensor<2x1x1x2xf32>, tensor<2xf32>, tensor<2xf32>) outs(%y : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  return
}

// -----

func.func @groups_outputs(%x: tensor<1x2x2x2xf32>, %w: tensor<3x1x1x1xf32>, %b: tensor<3xf32>, %y: tensor<1x2x2x3xf32>) {
  // expected-error @+1 {{expected the 3 output channels to be a multiple of groups = 2}}
  %r = trop.bise <tanh> groups = 2 ins(%x, %w, %b, %b : tensor<1x2x2x2xf32>, tensor<3x1x1x1xf32>, tensor<3xf32>, tensor<3xf32>) outs(%y : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  return
}

// -----

func.func @groups_zero(%x: tensor<1x2x2x1xf32>, %w: tensor<1x1x1x1xf32>, %b: tensor<1xf32>, %y: tensor<1x2x2x1xf32>) {
  // expected-error @+1 {{attribute 'groups' failed to satisfy constraint}}
  %r = trop.bise <tanh> groups = 0 ins(%x, %w, %b, %b : tensor<1x2x2x1xf32>, tensor<1x1x1x1xf32>, tensor<1xf32>, tensor<1xf32>) outs(%y : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}

// -----

func.func @result_on_memrefs(%x: memref<1x2x2x1xf32>, %w: memref<1x1x1x1xf32>, %b: memref<1xf32>, %y: memref<1x2x2x1xf32>) {
  // expected-error @+1 {{on memrefs writes 'init' in place and must not return a result}}
  %r = trop.bise <tanh> groups = 1 ins(%x, %w, %b, %b : memref<1x2x2x1xf32>, memref<1x1x1x1xf32>, memref<1xf32>, memref<1xf32>) outs(%y : memref<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  return
}
