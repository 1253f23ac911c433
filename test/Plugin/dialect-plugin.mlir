// trop as a dialect plugin of the mlir-opt that comes with LLVM (not
// trop-opt): the dialect round-trips, and its passes run, since the dialect
// plugin registers them too.
// RUN: %mlir_opt %s --load-dialect-plugin=%trop_libs/TropPlugin%shlibext \
// RUN:   | FileCheck %s --check-prefix=ROUNDTRIP
// RUN: %mlir_opt %s --load-dialect-plugin=%trop_libs/TropPlugin%shlibext \
// RUN:   --pass-pipeline="builtin.module(trop-to-linalg)" | FileCheck %s

// ROUNDTRIP-LABEL: func.func @max_plus
// ROUNDTRIP: trop.matmul <max_plus> ins(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x2xf32>) outs(%{{.*}} : tensor<4x2xf32>) -> tensor<4x2xf32>

// CHECK-LABEL: func.func @max_plus
// CHECK-NOT: trop.matmul
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: arith.maximumf
// CHECK: linalg.yield
func.func @max_plus(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>, %c: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %r = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x2xf32>)
                              outs(%c : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %r : tensor<4x2xf32>
}
