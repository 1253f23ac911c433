// Functions compiled ahead of time by aot-c-program.test and called from
// aot_main.c.

func.func @maxplus(%a: tensor<16x33xf32>, %b: tensor<33x20xf32>, %c: tensor<16x20xf32>) -> tensor<16x20xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<16x33xf32>, tensor<33x20xf32>) outs(%c : tensor<16x20xf32>) -> tensor<16x20xf32>
  return %r : tensor<16x20xf32>
}

// The memref form: the function updates %c in place and returns nothing.
func.func @inplace_i8(%a: memref<7x40xi8>, %b: memref<40x9xi8>, %c: memref<7x9xi8>) {
  trop.matmul <min_plus> ins(%a, %b : memref<7x40xi8>, memref<40x9xi8>) outs(%c : memref<7x9xi8>)
  return
}

// A copy out of a strided view: memref.copy lowers to memrefCopy, which
// trop's runtime library provides.
func.func @every_other_column(%a: memref<4x6xf32>, %b: memref<4x3xf32>) {
  %s = memref.subview %a[0, 0] [4, 3] [1, 2] : memref<4x6xf32> to memref<4x3xf32, strided<[6, 2]>>
  memref.copy %s, %b : memref<4x3xf32, strided<[6, 2]>> to memref<4x3xf32>
  return
}
