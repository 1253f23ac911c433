// A max-plus matmul for the GPU runner tests (trop-run-gpu.test,
// test_gpu.py), and @c_only, which returns its third argument: with the same
// random inputs it prints what @mm's C was before the call.
func.func @mm(%a: tensor<33x7xf32>, %b: tensor<7x5xf32>, %c: tensor<33x5xf32>) -> tensor<33x5xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<33x7xf32>, tensor<7x5xf32>) outs(%c : tensor<33x5xf32>) -> tensor<33x5xf32>
  return %r : tensor<33x5xf32>
}

func.func @c_only(%a: tensor<33x7xf32>, %b: tensor<7x5xf32>, %c: tensor<33x5xf32>) -> tensor<33x5xf32> {
  return %c : tensor<33x5xf32>
}
