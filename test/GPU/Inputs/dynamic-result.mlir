// A result of dynamic size: the callee allocates it (trop-run's dynamic
// shapes), which the GPU pipeline's host-buffer convention does not support.
func.func @dyn(%a: tensor<?x4xf32>, %b: tensor<4x3xf32>, %c: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<?x4xf32>, tensor<4x3xf32>) outs(%c : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r : tensor<?x3xf32>
}
