// A bf16 subnormal result survives every JIT opt-level in the reference
// pipeline. At -O2 and -O3, LLVM 22 kept the soft-bf16 result as a `bfloat`
// value live across basic blocks, and the x86 back end rounded it through
// vcvtneps2bf16 (AVX512-BF16 hosts), which flushes subnormals: 0 instead of
// 9.2e-41 (found by tools/fuzzers/differential.py --values specials). The
// pipeline now moves bf16 memory as i16 (lib/Pipelines/BF16MemoryAsI16.cpp).
// min over k of max(a[k], w[k]): w[4] is the bf16 subnormal 0x0001, a[4] is
// negative, every other max is larger.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %S/Inputs/npy.py %t/a.npy uint16 '[[47465, 14519, 14967, 14919, 47627, 14740, 14706, 14785, 14947, 14927, 14977, 14701, 14545, 14961, 47528, 14730, 14597]]'
// RUN: %python %S/Inputs/npy.py %t/w.npy uint16 '[[v] for v in [14955, 47709, 47556, 47658, 1, 47515, 47394, 47665, 14852, 47556, 47369, 32640, 47709, 14794, 32, 47685, 14972]]'
// RUN: %python %S/Inputs/npy.py %t/c.npy uint16 '[[16986]]'
// RUN: for o in 0 1 2 3; do trop-run %s --entry f --input %t/a.npy --input %t/w.npy --input %t/c.npy --pipeline reference --print --opt-level $o; done | FileCheck %s
// RUN: trop-run %s --entry f --input %t/a.npy --input %t/w.npy --input %t/c.npy --pipeline cpu --check | FileCheck %s --check-prefix=CHECKED
// CHECK-COUNT-4: {{\[\[}}9e-41]]
// CHECK-NOT: {{\[\[}}0]]
// CHECKED: check: OK

func.func @f(%a0: tensor<1x17xbf16>, %a1: tensor<17x1xbf16>, %a2: tensor<1x1xbf16>) -> (tensor<1x1xbf16>) {
  %v1 = trop.matmul <min_max> ins(%a0, %a1 : tensor<1x17xbf16>, tensor<17x1xbf16>) outs(%a2 : tensor<1x1xbf16>) -> tensor<1x1xbf16>
  return %v1 : tensor<1x1xbf16>
}
