// --trop-prune-dominated: malformed trop.bounds attributes are diagnosed, not
// guessed at.
// RUN: trop-opt %s --split-input-file --verify-diagnostics --trop-prune-dominated

// expected-error @+1 {{trop-prune-dominated: argument 0: trop.bounds must be array<f64: lo, hi> or one lo, hi pair per index of the last dimension, on a float tensor}}
func.func @not_an_f64_array(%x: tensor<4x2xf32> {trop.bounds = [-1.0, 1.0]}) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}

// -----

// expected-error @+1 {{trop-prune-dominated: argument 0: trop.bounds must be array<f64: lo, hi> or one lo, hi pair per index of the last dimension, on a float tensor}}
func.func @wrong_length(%x: tensor<4x2xf32> {trop.bounds = array<f64: -1.0, 1.0, 2.0>}) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}

// -----

// expected-error @+1 {{trop-prune-dominated: argument 0: trop.bounds must be array<f64: lo, hi> or one lo, hi pair per index of the last dimension, on a float tensor}}
func.func @integer_tensor(%x: tensor<4x2xi32> {trop.bounds = array<f64: -1.0, 1.0>}) -> tensor<4x2xi32> {
  return %x : tensor<4x2xi32>
}

// -----

// expected-error @+1 {{trop-prune-dominated: argument 0: bounds [1, -1] must be finite, with lo <= hi, and contain a value of 'f32'}}
func.func @empty_interval(%x: tensor<4x2xf32> {trop.bounds = array<f64: 1.0, -1.0>}) -> tensor<4x2xf32> {
  return %x : tensor<4x2xf32>
}

// -----

// A finite interval with no f16 value in it.
// expected-error @+1 {{trop-prune-dominated: argument 0: bounds [1.0001, 1.0002] must be finite, with lo <= hi, and contain a value of 'f16'}}
func.func @no_value_of_type(%x: tensor<4x2xf16> {trop.bounds = array<f64: 1.0001, 1.0002>}) -> tensor<4x2xf16> {
  return %x : tensor<4x2xf16>
}
