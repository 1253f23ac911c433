// Every verifier diagnostic of the trop ops.
// RUN: trop-opt %s -split-input-file -verify-diagnostics

func.func @mixed_tensor_memref(%a: tensor<4x8xf32>, %b: memref<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs, but 'rhs' is a memref and 'init' is a tensor}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, memref<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @tensor_without_result(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{on tensors must return the updated 'init' as its result}}
  trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>)
  return
}

// -----

func.func @result_type_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{result type 'tensor<4x3xf32>' does not match 'init' type 'tensor<4x2xf32>'}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @memref_with_result(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  // expected-error @+1 {{on memrefs updates 'init' in place and must not return a result}}
  %r = trop.matmul <max_plus> ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @element_type_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x2xf16>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{element type of 'rhs' ('f16') does not match element type of 'lhs' ('f32')}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf16>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @unsupported_element_type(%a: tensor<4x8xi128>, %b: tensor<8x2xi128>, %c: tensor<4x2xi128>) {
  // expected-error @+1 {{unsupported element type 'i128'; expected f16, bf16, f32, f64, i8, i16, i32, i64 or i1}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xi128>, tensor<8x2xi128>) outs(%c : tensor<4x2xi128>) -> tensor<4x2xi128>
  return
}

// -----

func.func @unsigned_integer(%a: tensor<4x8xui8>, %b: tensor<8x2xui8>, %c: tensor<4x2xui8>) {
  // expected-error @+1 {{unsupported element type 'ui8'; trop's integer types are signless and ordered as signed (i8, i16, i32, i64): unsigned and explicitly signed types are not supported}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xui8>, tensor<8x2xui8>) outs(%c : tensor<4x2xui8>) -> tensor<4x2xui8>
  return
}

// -----

func.func @signed_integer(%a: tensor<4x8xsi8>, %b: tensor<8x2xsi8>, %c: tensor<4x2xsi8>) {
  // expected-error @+1 {{unsupported element type 'si8'}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xsi8>, tensor<8x2xsi8>) outs(%c : tensor<4x2xsi8>) -> tensor<4x2xsi8>
  return
}

// -----

func.func @plus_on_i1(%a: tensor<4x8xi1>, %b: tensor<8x2xi1>, %c: tensor<4x2xi1>) {
  // expected-error @+1 {{semiring 'max_plus' is not defined on 'i1'; binary morphology on i1 uses max_min or min_max}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xi1>, tensor<8x2xi1>) outs(%c : tensor<4x2xi1>) -> tensor<4x2xi1>
  return
}

// -----

func.func @min_plus_on_i1(%a: memref<4x8xi1>, %b: memref<8x2xi1>, %c: memref<4x2xi1>) {
  // expected-error @+1 {{semiring 'min_plus' is not defined on 'i1'}}
  trop.matmul <min_plus> ins(%a, %b : memref<4x8xi1>, memref<8x2xi1>) outs(%c : memref<4x2xi1>)
  return
}

// -----

func.func @matmul_rank(%a: tensor<4x8x1xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{expected 'lhs' to have rank 2, but it has rank 3}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8x1xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @matmul_init_rank(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<8xf32>) {
  // expected-error @+1 {{expected 'init' to have rank 2, but it has rank 1}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<8xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @matmul_k_mismatch(%a: tensor<4x8xf32>, %b: tensor<7x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{reduction size K: 'lhs' dimension 1 is 8 but 'rhs' dimension 0 is 7}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<7x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @matmul_m_mismatch(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<5x2xf32>) {
  // expected-error @+1 {{row count M: 'lhs' dimension 0 is 4 but 'init' dimension 0 is 5}}
  trop.matmul <max_plus> ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c : memref<5x2xf32>)
  return
}

// -----

func.func @matmul_n_mismatch(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x3xf32>) {
  // expected-error @+1 {{column count N: 'rhs' dimension 1 is 2 but 'init' dimension 1 is 3}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @unranked(%a: tensor<*xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{'trop.matmul' op operand #0 must be ranked tensor or strided memref, but got 'tensor<*xf32>'}}
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<*xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @vector_operand(%a: vector<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor or strided memref}}
  %r = trop.matmul <max_plus> ins(%a, %b : vector<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @unknown_semiring(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+2 {{custom op 'trop.matmul' expected ::mlir::trop::SemiringKind to be one of: max_plus, min_plus, max_min, min_max}}
  // expected-error @+1 {{custom op 'trop.matmul' failed to parse Trop_SemiringAttr parameter 'value'}}
  %r = trop.matmul <plus_times> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @batch_rank(%a: tensor<4x8xf32>, %b: tensor<2x8x2xf32>, %c: tensor<2x4x2xf32>) {
  // expected-error @+1 {{expected 'lhs' to have rank 3, but it has rank 2}}
  %r = trop.batch_matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<2x8x2xf32>) outs(%c : tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  return
}

// -----

func.func @batch_mismatch(%a: tensor<3x4x8xf32>, %b: tensor<2x8x2xf32>, %c: tensor<3x4x2xf32>) {
  // expected-error @+1 {{batch size: 'lhs' dimension 0 is 3 but 'rhs' dimension 0 is 2}}
  %r = trop.batch_matmul <max_plus> ins(%a, %b : tensor<3x4x8xf32>, tensor<2x8x2xf32>) outs(%c : tensor<3x4x2xf32>) -> tensor<3x4x2xf32>
  return
}

// -----

func.func @batch_init_mismatch(%a: memref<2x4x8xi8>, %b: memref<2x8x2xi8>, %c: memref<3x4x2xi8>) {
  // expected-error @+1 {{batch size: 'lhs' dimension 0 is 2 but 'init' dimension 0 is 3}}
  trop.batch_matmul <min_plus> ins(%a, %b : memref<2x4x8xi8>, memref<2x8x2xi8>) outs(%c : memref<3x4x2xi8>)
  return
}

// -----

func.func @batch_k_mismatch(%a: tensor<2x4x8xf32>, %b: tensor<2x9x2xf32>, %c: tensor<2x4x2xf32>) {
  // expected-error @+1 {{reduction size K: 'lhs' dimension 2 is 8 but 'rhs' dimension 1 is 9}}
  %r = trop.batch_matmul <max_plus> ins(%a, %b : tensor<2x4x8xf32>, tensor<2x9x2xf32>) outs(%c : tensor<2x4x2xf32>) -> tensor<2x4x2xf32>
  return
}

// -----

func.func @conv_rank(%x: tensor<8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{expected 'input' to have rank 4, but it has rank 3}}
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x2x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{input channel count: 'input' dimension 3 is 3 but 'filter' dimension 2 is 2}}
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x2x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_out_channels(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x5xf32>) {
  // expected-error @+1 {{output channel count: 'filter' dimension 3 is 4 but 'init' dimension 3 is 5}}
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x5xf32>) -> tensor<1x6x6x5xf32>
  return
}

// -----

func.func @conv_batch(%x: tensor<2x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{batch size: 'input' dimension 0 is 2 but 'init' dimension 0 is 1}}
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<2x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_output_size(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x8x6x4xf32>) {
  // expected-error @+1 {{expected output height 6 (from input 8, window 3, stride 1, dilation 1, padding 0+0), but 'init' has 8}}
  %r = trop.conv_2d <max_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x8x6x4xf32>) -> tensor<1x8x6x4xf32>
  return
}

// -----

func.func @conv_output_width(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x4x3x4xf32>) {
  // expected-error @+1 {{expected output width 4 (from input 8, window 3, stride 2, dilation 1, padding 1+1), but 'init' has 3}}
  %r = trop.conv_2d <max_plus> {strides = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x4x3x4xf32>) -> tensor<1x4x3x4xf32>
  return
}

// -----

func.func @conv_window_too_large(%x: tensor<1x4x4x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x1x1x4xf32>) {
  // expected-error @+1 {{the dilated window (3 with dilation 2) does not fit in the padded input height (4 + 0 + 0)}}
  %r = trop.conv_2d <max_plus> {dilations = array<i64: 2, 2>} ins(%x, %w : tensor<1x4x4x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32>
  return
}

// -----

func.func @conv_zero_stride(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{'strides' values must be in [1, 16777216], but got 0}}
  %r = trop.conv_2d <max_plus> {strides = array<i64: 0, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_stride_count(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{expected 'strides' to have 2 values, but it has 3}}
  %r = trop.conv_2d <max_plus> {strides = array<i64: 1, 1, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_negative_dilation(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{'dilations' values must be in [1, 16777216], but got -1}}
  %r = trop.conv_2d <max_plus> {dilations = array<i64: 1, -1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_negative_padding(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{'padding' values must be in [0, 16777216], but got -1}}
  %r = trop.conv_2d <max_plus> {padding = array<i64: 0, 0, -1, 0>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_padding_count(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{expected 'padding' to have 4 values, but it has 2}}
  %r = trop.conv_2d <max_plus> {padding = array<i64: 1, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @conv_huge_stride(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x1x1x4xf32>) {
  // expected-error @+1 {{'strides' values must be in [1, 16777216], but got 9223372036854775807}}
  %r = trop.conv_2d <max_plus> {strides = array<i64: 9223372036854775807, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x1x1x4xf32>) -> tensor<1x1x1x4xf32>
  return
}

// -----

func.func @conv_bad_attr_type(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x4xf32>, %y: tensor<1x6x6x4xf32>) {
  // expected-error @+1 {{'trop.conv_2d' op attribute 'strides' failed to satisfy constraint: i64 dense array attribute}}
  %r = trop.conv_2d <max_plus> {strides = [1, 1]} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x4xf32>) outs(%y : tensor<1x6x6x4xf32>) -> tensor<1x6x6x4xf32>
  return
}

// -----

func.func @depthwise_filter_rank(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3x1xf32>, %y: tensor<1x6x6x3xf32>) {
  // expected-error @+1 {{expected 'filter' to have rank 3, but it has rank 4}}
  %r = trop.depthwise_conv_2d <max_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3x1xf32>) outs(%y : tensor<1x6x6x3xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

func.func @depthwise_channels(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x4xf32>, %y: tensor<1x6x6x3xf32>) {
  // expected-error @+1 {{channel count: 'input' dimension 3 is 3 but 'filter' dimension 2 is 4}}
  %r = trop.depthwise_conv_2d <max_plus> ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x4xf32>) outs(%y : tensor<1x6x6x3xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

func.func @depthwise_out_channels(%x: memref<1x8x8x3xi1>, %w: memref<3x3x3xi1>, %y: memref<1x6x6x2xi1>) {
  // expected-error @+1 {{channel count: 'input' dimension 3 is 3 but 'init' dimension 3 is 2}}
  trop.depthwise_conv_2d <max_min> ins(%x, %w : memref<1x8x8x3xi1>, memref<3x3x3xi1>) outs(%y : memref<1x6x6x2xi1>)
  return
}

// -----

func.func @depthwise_output_size(%x: tensor<1x8x8x3xf32>, %w: tensor<3x3x3xf32>, %y: tensor<1x6x6x3xf32>) {
  // expected-error @+1 {{expected output height 8 (from input 8, window 3, stride 1, dilation 1, padding 1+1), but 'init' has 6}}
  %r = trop.depthwise_conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>} ins(%x, %w : tensor<1x8x8x3xf32>, tensor<3x3x3xf32>) outs(%y : tensor<1x6x6x3xf32>) -> tensor<1x6x6x3xf32>
  return
}

// -----

func.func @depthwise_plus_i1(%x: tensor<1x8x8x3xi1>, %w: tensor<3x3x3xi1>, %y: tensor<1x6x6x3xi1>) {
  // expected-error @+1 {{semiring 'min_plus' is not defined on 'i1'}}
  %r = trop.depthwise_conv_2d <min_plus> ins(%x, %w : tensor<1x8x8x3xi1>, tensor<3x3x3xi1>) outs(%y : tensor<1x6x6x3xi1>) -> tensor<1x6x6x3xi1>
  return
}

// -----

func.func @maxout_group_not_dividing(%x: tensor<4x10xf32>, %y: tensor<4x3xf32>) {
  // expected-error @+1 {{input channel count 10 is not a multiple of group_size 3}}
  %r = trop.maxout group_size = 3 ins(%x : tensor<4x10xf32>) outs(%y : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @maxout_wrong_groups(%x: tensor<4x12xf32>, %y: tensor<4x3xf32>) {
  // expected-error @+1 {{expected 'init' to have 4 channels (12 / group_size 3), but it has 3}}
  %r = trop.maxout group_size = 3 ins(%x : tensor<4x12xf32>) outs(%y : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @maxout_zero_group(%x: tensor<4x12xf32>, %y: tensor<4x3xf32>) {
  // expected-error @+1 {{attribute 'group_size' failed to satisfy constraint: 64-bit signless integer attribute whose value is positive}}
  %r = trop.maxout group_size = 0 ins(%x : tensor<4x12xf32>) outs(%y : tensor<4x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @maxout_rank0(%x: tensor<f32>, %y: tensor<f32>) {
  // expected-error @+1 {{expected 'input' to have rank at least 1}}
  %r = trop.maxout group_size = 1 ins(%x : tensor<f32>) outs(%y : tensor<f32>) -> tensor<f32>
  return
}

// -----

func.func @maxout_rank_mismatch(%x: tensor<4x12xf32>, %y: tensor<12xf32>) {
  // expected-error @+1 {{expected 'init' to have rank 2, but it has rank 1}}
  %r = trop.maxout group_size = 1 ins(%x : tensor<4x12xf32>) outs(%y : tensor<12xf32>) -> tensor<12xf32>
  return
}

// -----

func.func @maxout_leading_mismatch(%x: memref<4x12xf32>, %y: memref<5x4xf32>) {
  // expected-error @+1 {{leading dimension: 'input' dimension 0 is 4 but 'init' dimension 0 is 5}}
  trop.maxout group_size = 3 ins(%x : memref<4x12xf32>) outs(%y : memref<5x4xf32>)
  return
}

// -----

func.func @maxout_type_mismatch(%x: tensor<4x12xf32>, %y: tensor<4x4xf64>) {
  // expected-error @+1 {{element type of 'init' ('f64') does not match element type of 'input' ('f32')}}
  %r = trop.maxout group_size = 3 ins(%x : tensor<4x12xf32>) outs(%y : tensor<4x4xf64>) -> tensor<4x4xf64>
  return
}

// -----

func.func @bad_semiring_attr() attributes {k = #trop.semiring<max>} {
  // expected-error @-1 {{expected ::mlir::trop::SemiringKind to be one of: max_plus, min_plus, max_min, min_max}}
  // expected-error @-2 {{failed to parse Trop_SemiringAttr parameter 'value'}}
  return
}

// -----

func.func @dual_integer(%a: tensor<4x8xi16>, %b: tensor<8x2xi16>, %c: tensor<4x2xi16>) {
  // expected-error @+1 {{unsupported element type 'i16'; expected f16, bf16, f32 or f64 (on integers max_plus and min_plus have different ⊗)}}
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xi16>, tensor<8x2xi16>) outs(%c, %c : tensor<4x2xi16>, tensor<4x2xi16>) -> tensor<4x2xi16>, tensor<4x2xi16>
  return
}

// -----

func.func @dual_one_result(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{on tensors must return the updated 'init_max' and 'init_min' as its two results}}
  %r = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %c : tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @dual_result_type(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %d: tensor<?x2xf32>) {
  // expected-error @+1 {{result types ('tensor<4x2xf32>', 'tensor<4x2xf32>') do not match the types of 'init_max' and 'init_min'}}
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<?x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @dual_memref_results(%a: memref<4x8xf32>, %b: memref<8x2xf32>, %c: memref<4x2xf32>) {
  // expected-error @+1 {{on memrefs updates 'init_max' and 'init_min' in place and must not return results}}
  %r:2 = trop.dual_matmul ins(%a, %b : memref<4x8xf32>, memref<8x2xf32>) outs(%c, %c : memref<4x2xf32>, memref<4x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @dual_mixed(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %d: memref<4x2xf32>) {
  // expected-error @+1 {{operands must be all ranked tensors or all memrefs, but 'init_min' is a memref and 'init_max' is a tensor}}
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %d : tensor<4x2xf32>, memref<4x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @dual_element_type(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %d: tensor<4x2xf64>) {
  // expected-error @+1 {{element type of 'init_min' ('f64') does not match element type of 'lhs' ('f32')}}
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<4x2xf64>) -> tensor<4x2xf32>, tensor<4x2xf64>
  return
}

// -----

func.func @dual_rank(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %d: tensor<4x2x1xf32>) {
  // expected-error @+1 {{expected 'init_min' to have rank 2, but it has rank 3}}
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<4x2x1xf32>) -> tensor<4x2xf32>, tensor<4x2x1xf32>
  return
}

// -----

func.func @dual_reduction(%a: tensor<4x8xf32>, %b: tensor<7x2xf32>, %c: tensor<4x2xf32>) {
  // expected-error @+1 {{reduction size K: 'lhs' dimension 1 is 8 but 'rhs' dimension 0 is 7}}
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<7x2xf32>) outs(%c, %c : tensor<4x2xf32>, tensor<4x2xf32>) -> tensor<4x2xf32>, tensor<4x2xf32>
  return
}

// -----

func.func @dual_init_shapes(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>, %d: tensor<5x2xf32>) {
  // expected-error @+1 {{row count M: 'init_max' dimension 0 is 4 but 'init_min' dimension 0 is 5}}
  %r:2 = trop.dual_matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>) outs(%c, %d : tensor<4x2xf32>, tensor<5x2xf32>) -> tensor<4x2xf32>, tensor<5x2xf32>
  return
}
