// The reduction sizes of the operands do not match.
func.func @f(%a: tensor<2x3xf32>, %b: tensor<4x2xf32>,
             %c: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<2x3xf32>, tensor<4x2xf32>)
                              outs(%c : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
