// Every verifier diagnostic of paper D's bit-packed ops.
// RUN: trop-opt %s -split-input-file -verify-diagnostics

func.func @pack_wrong_word_count(%x: tensor<2x65xi1>, %w: tensor<2x1xi64>) {
  // expected-error @+1 {{expected 'init' dimension 1 to be 2 words of 64 bits for 65 channels, but it is 1}}
  %p = trop.pack_bits ins(%x : tensor<2x65xi1>) outs(%w : tensor<2x1xi64>) -> tensor<2x1xi64>
  return
}

// -----

func.func @pack_wrong_element(%x: tensor<2x64xi8>, %w: tensor<2x1xi64>) {
  // expected-error @+1 {{expected 'input' to have element type 'i1', but it has 'i8'}}
  %p = trop.pack_bits ins(%x : tensor<2x64xi8>) outs(%w : tensor<2x1xi64>) -> tensor<2x1xi64>
  return
}

// -----

func.func @pack_words_i32(%x: tensor<2x64xi1>, %w: tensor<2x2xi32>) {
  // expected-error @+1 {{expected 'init' to have element type 'i64', but it has 'i32'}}
  %p = trop.pack_bits ins(%x : tensor<2x64xi1>) outs(%w : tensor<2x2xi32>) -> tensor<2x2xi32>
  return
}

// -----

func.func @pack_leading(%x: tensor<3x64xi1>, %w: tensor<2x1xi64>) {
  // expected-error @+1 {{leading dimension: 'input' dimension 0 is 3 but 'init' dimension 0 is 2}}
  %p = trop.pack_bits ins(%x : tensor<3x64xi1>) outs(%w : tensor<2x1xi64>) -> tensor<2x1xi64>
  return
}

// -----

func.func @pack_rank(%x: tensor<2x64xi1>, %w: tensor<1xi64>) {
  // expected-error @+1 {{expected 'init' to have rank 2, but it has rank 1}}
  %p = trop.pack_bits ins(%x : tensor<2x64xi1>) outs(%w : tensor<1xi64>) -> tensor<1xi64>
  return
}

// -----

func.func @pack_scalar(%x: tensor<i1>, %w: tensor<i64>) {
  // expected-error @+1 {{expected 'input' to have rank at least 1}}
  %p = trop.pack_bits ins(%x : tensor<i1>) outs(%w : tensor<i64>) -> tensor<i64>
  return
}

// -----

func.func @pack_mixed(%x: memref<2x64xi1>, %w: tensor<2x1xi64>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs, but 'input' is a memref and 'init' is not}}
  %p = trop.pack_bits ins(%x : memref<2x64xi1>) outs(%w : tensor<2x1xi64>) -> tensor<2x1xi64>
  return
}

// -----

func.func @pack_memref_result(%x: memref<2x64xi1>, %w: memref<2x1xi64>) {
  // expected-error @+1 {{on memrefs writes 'init' in place and must not return a result}}
  %p = trop.pack_bits ins(%x : memref<2x64xi1>) outs(%w : memref<2x1xi64>) -> tensor<2x1xi64>
  return
}

// -----

func.func @unpack_wrong_word_count(%w: tensor<2x3xi64>, %x: tensor<2x128xi1>) {
  // expected-error @+1 {{expected 'input' dimension 1 to be 2 words of 64 bits for 128 channels, but it is 3}}
  %u = trop.unpack_bits ins(%w : tensor<2x3xi64>) outs(%x : tensor<2x128xi1>) -> tensor<2x128xi1>
  return
}

// -----

func.func @unpack_no_result(%w: tensor<2x2xi64>, %x: tensor<2x128xi1>) {
  // expected-error @+1 {{on tensors must return the updated 'init' as its result}}
  trop.unpack_bits ins(%w : tensor<2x2xi64>) outs(%x : tensor<2x128xi1>)
  return
}

// -----

func.func @morphology_channels(%x: tensor<1x4x4x2xi64>, %s: tensor<3x3x2xi64>, %y: tensor<1x4x4x2xi64>) {
  // expected-error @+1 {{expected 'input' dimension 3 to be 1 words of 64 bits for 64 channels, but it is 2}}
  %r = trop.binary_morphology <dilation> channels = 64 padding_mode = <zero> {padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %s : tensor<1x4x4x2xi64>, tensor<3x3x2xi64>) outs(%y : tensor<1x4x4x2xi64>) -> tensor<1x4x4x2xi64>
  return
}

// -----

func.func @morphology_word_mismatch(%x: tensor<1x4x4x2xi64>, %s: tensor<3x3x1xi64>, %y: tensor<1x4x4x2xi64>) {
  // expected-error @+1 {{word count: 'input' dimension 3 is 2 but 'filter' dimension 2 is 1}}
  %r = trop.binary_morphology <dilation> channels = 100 padding_mode = <zero> {padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %s : tensor<1x4x4x2xi64>, tensor<3x3x1xi64>) outs(%y : tensor<1x4x4x2xi64>) -> tensor<1x4x4x2xi64>
  return
}

// -----

func.func @morphology_bits(%x: tensor<1x4x4x1xi1>, %s: tensor<3x3x1xi64>, %y: tensor<1x4x4x1xi64>) {
  // expected-error @+1 {{expected 'input' to have element type 'i64', but it has 'i1'}}
  %r = trop.binary_morphology <dilation> channels = 1 padding_mode = <zero> {padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %s : tensor<1x4x4x1xi1>, tensor<3x3x1xi64>) outs(%y : tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64>
  return
}

// -----

func.func @morphology_output_size(%x: tensor<1x4x4x1xi64>, %s: tensor<3x3x1xi64>, %y: tensor<1x4x4x1xi64>) {
  // expected-error @+1 {{expected output height 2 (from input 4, window 3, stride 1, dilation 1, padding 0+0), but 'init' has 4}}
  %r = trop.binary_morphology <erosion> channels = 1 padding_mode = <zero>
         ins(%x, %s : tensor<1x4x4x1xi64>, tensor<3x3x1xi64>) outs(%y : tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64>
  return
}

// -----

func.func @morphology_filter_rank(%x: tensor<1x4x4x1xi64>, %s: tensor<3x3x1x1xi64>, %y: tensor<1x4x4x1xi64>) {
  // expected-error @+1 {{expected 'filter' to have rank 3, but it has rank 4}}
  %r = trop.binary_morphology <erosion> channels = 1 padding_mode = <zero> {padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %s : tensor<1x4x4x1xi64>, tensor<3x3x1x1xi64>) outs(%y : tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64>
  return
}

// -----

func.func @morphology_stride(%x: tensor<1x4x4x1xi64>, %s: tensor<1x1x1xi64>, %y: tensor<1x4x4x1xi64>) {
  // expected-error @+1 {{'strides' values must be in [1, 16777216], but got 0}}
  %r = trop.binary_morphology <erosion> channels = 1 padding_mode = <zero> {strides = array<i64: 0, 1>}
         ins(%x, %s : tensor<1x4x4x1xi64>, tensor<1x1x1xi64>) outs(%y : tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64>
  return
}

// -----

func.func @morphology_replicate_empty(%x: tensor<1x0x4x1xi64>, %s: tensor<1x1x1xi64>, %y: tensor<1x2x4x1xi64>) {
  // expected-error @+1 {{replicate padding needs a non-empty input height and width}}
  %r = trop.binary_morphology <dilation> channels = 1 padding_mode = <replicate> {padding = array<i64: 1, 0, 1, 0>}
         ins(%x, %s : tensor<1x0x4x1xi64>, tensor<1x1x1xi64>) outs(%y : tensor<1x2x4x1xi64>) -> tensor<1x2x4x1xi64>
  return
}

// -----

func.func @morphology_negative_channels(%x: tensor<1x4x4x1xi64>, %s: tensor<1x1x1xi64>, %y: tensor<1x4x4x1xi64>) {
  // expected-error @+1 {{attribute 'channels' failed to satisfy constraint}}
  %r = trop.binary_morphology <dilation> channels = -1 padding_mode = <zero>
         ins(%x, %s : tensor<1x4x4x1xi64>, tensor<1x1x1xi64>) outs(%y : tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64>
  return
}

// -----

func.func @morphology_unknown_kind(%x: tensor<1x4x4x1xi64>, %s: tensor<1x1x1xi64>, %y: tensor<1x4x4x1xi64>) {
  // expected-error @+2 {{expected ::mlir::trop::MorphologyKind to be one of: dilation, erosion}}
  // expected-error @+1 {{failed to parse Trop_MorphologyKindAttr parameter 'value'}}
  %r = trop.binary_morphology <opening> channels = 1 padding_mode = <zero>
         ins(%x, %s : tensor<1x4x4x1xi64>, tensor<1x1x1xi64>) outs(%y : tensor<1x4x4x1xi64>) -> tensor<1x4x4x1xi64>
  return
}

// -----

func.func @level_sets_channels(%x: tensor<2x3xf32>, %y: tensor<2x3xi1>) {
  // expected-error @+1 {{expected 'init' to have 6 channels (3 × 2 thresholds), but it has 3}}
  %r = trop.level_sets thresholds = [0.5, 1.0] ins(%x : tensor<2x3xf32>) outs(%y : tensor<2x3xi1>) -> tensor<2x3xi1>
  return
}

// -----

func.func @level_sets_empty(%x: tensor<2x3xf32>, %y: tensor<2x0xi1>) {
  // expected-error @+1 {{expected at least one threshold}}
  %r = trop.level_sets thresholds = [] ins(%x : tensor<2x3xf32>) outs(%y : tensor<2x0xi1>) -> tensor<2x0xi1>
  return
}

// -----

func.func @level_sets_int(%x: tensor<2x3xi32>, %y: tensor<2x3xi1>) {
  // expected-error @+1 {{unsupported input element type 'i32'; expected f16, bf16, f32 or f64}}
  %r = trop.level_sets thresholds = [0.5] ins(%x : tensor<2x3xi32>) outs(%y : tensor<2x3xi1>) -> tensor<2x3xi1>
  return
}

// -----

func.func @level_sets_output(%x: tensor<2x3xf32>, %y: tensor<2x3xf32>) {
  // expected-error @+1 {{expected 'init' to have element type 'i1', but it has 'f32'}}
  %r = trop.level_sets thresholds = [0.5] ins(%x : tensor<2x3xf32>) outs(%y : tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @dense_out_words(%x: tensor<5x3xi64>, %s: tensor<70x3xi64>, %e: tensor<1xi64>, %y: tensor<5x1xi64>) {
  // expected-error @+1 {{expected 'init' dimension 1 to be 2 words of 64 bits for 70 channels, but it is 1}}
  %r = trop.binary_dense in_features = 130 ins(%x, %s, %e : tensor<5x3xi64>, tensor<70x3xi64>, tensor<1xi64>) outs(%y : tensor<5x1xi64>) -> tensor<5x1xi64>
  return
}

// -----

func.func @dense_in_words(%x: tensor<5x2xi64>, %s: tensor<70x2xi64>, %e: tensor<2xi64>, %y: tensor<5x2xi64>) {
  // expected-error @+1 {{expected 'input' dimension 1 to be 3 words of 64 bits for 130 channels, but it is 2}}
  %r = trop.binary_dense in_features = 130 ins(%x, %s, %e : tensor<5x2xi64>, tensor<70x2xi64>, tensor<2xi64>) outs(%y : tensor<5x2xi64>) -> tensor<5x2xi64>
  return
}

// -----

func.func @dense_kinds(%x: tensor<5x3xi64>, %s: tensor<70x3xi64>, %e: tensor<1xi64>, %y: tensor<5x2xi64>) {
  // expected-error @+1 {{output word count: 'init' dimension 1 is 2 but 'kinds' dimension 0 is 1}}
  %r = trop.binary_dense in_features = 130 ins(%x, %s, %e : tensor<5x3xi64>, tensor<70x3xi64>, tensor<1xi64>) outs(%y : tensor<5x2xi64>) -> tensor<5x2xi64>
  return
}

// -----

func.func @dense_rows(%x: tensor<4x3xi64>, %s: tensor<70x3xi64>, %e: tensor<2xi64>, %y: tensor<5x2xi64>) {
  // expected-error @+1 {{row count: 'input' dimension 0 is 4 but 'init' dimension 0 is 5}}
  %r = trop.binary_dense in_features = 130 ins(%x, %s, %e : tensor<4x3xi64>, tensor<70x3xi64>, tensor<2xi64>) outs(%y : tensor<5x2xi64>) -> tensor<5x2xi64>
  return
}

// -----

func.func @dense_dynamic_outputs(%x: tensor<4x3xi64>, %s: tensor<?x3xi64>, %e: tensor<2xi64>, %y: tensor<4x2xi64>) {
  // expected-error @+1 {{expected a static number of subsets (outputs)}}
  %r = trop.binary_dense in_features = 130 ins(%x, %s, %e : tensor<4x3xi64>, tensor<?x3xi64>, tensor<2xi64>) outs(%y : tensor<4x2xi64>) -> tensor<4x2xi64>
  return
}
