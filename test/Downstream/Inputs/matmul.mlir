func.func @max_plus(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>)
                              outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
