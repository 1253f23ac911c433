// bf16 subnormals survive max and addition: the pipelines round bf16 in
// software (--trop-soft-bf16) instead of with a host instruction that may
// flush them to zero (vcvtneps2bf16 on AVX512-BF16).
// RUN: trop-run %s --entry maxout --print | FileCheck %s --check-prefix=MAX
// RUN: trop-run %s --entry sum --print | FileCheck %s --check-prefix=SUM

// max(2^-133, -inf) = 2^-133, the smallest bf16 subnormal (9.18e-41).
// MAX: output 0: tensor<1xbf16>
// MAX-NEXT: [9e-41]
func.func @maxout() -> tensor<1xbf16> {
  %x = arith.constant dense<[9.18354962e-41, 0xFF80]> : tensor<2xbf16>
  %y = arith.constant dense<0xFF80> : tensor<1xbf16>
  %r = trop.maxout group_size = 2 ins(%x : tensor<2xbf16>) outs(%y : tensor<1xbf16>) -> tensor<1xbf16>
  return %r : tensor<1xbf16>
}

// 2^-126 + (-2^-127) = 2^-127 (5.88e-39), a subnormal sum.
// SUM: output 0: tensor<1x1xbf16>
// SUM-NEXT: {{\[\[}}5.9e-39]]
func.func @sum() -> tensor<1x1xbf16> {
  %a = arith.constant dense<1.17549435e-38> : tensor<1x1xbf16>
  %b = arith.constant dense<-5.87747175e-39> : tensor<1x1xbf16>
  %c = arith.constant dense<0xFF80> : tensor<1x1xbf16>
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<1x1xbf16>, tensor<1x1xbf16>) outs(%c : tensor<1x1xbf16>) -> tensor<1x1xbf16>
  return %r : tensor<1x1xbf16>
}
