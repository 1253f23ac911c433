// bf16 arithmetic is computed in f32 and rounded back in integer arithmetic,
// so no host bf16 conversion instruction (which may flush subnormals) is used.
// RUN: trop-opt %s --trop-soft-bf16 | FileCheck %s

// CHECK-LABEL: func.func @add_max
// CHECK-SAME: (%[[A:.*]]: bf16, %[[B:.*]]: bf16)
// CHECK-NOT: arith.truncf
// CHECK-NOT: arith.extf
// CHECK: arith.addf %{{.*}}, %{{.*}} : f32
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK: arith.bitcast %{{.*}} : i16 to bf16
func.func @add_max(%a: bf16, %b: bf16) -> bf16 {
  %s = arith.addf %a, %b : bf16
  %m = arith.maximumf %s, %a : bf16
  return %m : bf16
}

// CHECK-LABEL: func.func @vectors
// CHECK: arith.minnumf %{{.*}}, %{{.*}} fastmath<nnan> : vector<16xf32>
// CHECK-NOT: arith.truncf
func.func @vectors(%a: vector<16xbf16>, %b: vector<16xbf16>) -> vector<16xbf16> {
  %m = arith.minnumf %a, %b fastmath<nnan> : vector<16xbf16>
  return %m : vector<16xbf16>
}

// Other types are untouched.
// CHECK-LABEL: func.func @f16_untouched
// CHECK-NEXT: arith.addf %{{.*}}, %{{.*}} : f16
func.func @f16_untouched(%a: f16, %b: f16) -> f16 {
  %s = arith.addf %a, %b : f16
  return %s : f16
}
