func.func @f(%a: tensor<?x4xf32>, %w: tensor<4x3xf32>) -> (tensor<?x3xf32>, tensor<?x4xf32>) {
  %c0 = arith.constant 0 : index
  %n = tensor.dim %a, %c0 : tensor<?x4xf32>
  %ninf = arith.constant 0xFF800000 : f32
  %e = tensor.empty(%n) : tensor<?x3xf32>
  %i = linalg.fill ins(%ninf : f32) outs(%e : tensor<?x3xf32>) -> tensor<?x3xf32>
  %r = trop.matmul <max_plus> ins(%a, %w : tensor<?x4xf32>, tensor<4x3xf32>) outs(%i : tensor<?x3xf32>) -> tensor<?x3xf32>
  return %r, %a : tensor<?x3xf32>, tensor<?x4xf32>
}

// The rows of %x and of the init %y are one dynamic size: the wrapper
// checks that the caller's agree.
func.func @dynamic_group(%x: tensor<?x4xf32>, %y: tensor<?x2xf32>) -> tensor<?x2xf32> {
  %w = arith.constant dense<1.0> : tensor<4x2xf32>
  %r = trop.matmul <max_plus> ins(%x, %w : tensor<?x4xf32>, tensor<4x2xf32>) outs(%y : tensor<?x2xf32>) -> tensor<?x2xf32>
  return %r : tensor<?x2xf32>
}
