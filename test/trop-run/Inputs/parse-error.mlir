func.func @f(%a: tensor<2x3xf32>) {
  return %a :
}
