// --trop-raise folds a ReLU after a max-semiring op into the op's initial
// value in every form that computes arith.maximumf(x, +0) bit for bit (the
// exact ReLUs of trop/Dialect/Trop/Utils/LayerMatch.h), the zero on either
// side; forms that differ on NaN or −0 stay as they are.
// RUN: trop-opt %s --trop-raise --split-input-file | FileCheck %s

#id = affine_map<(i, j) -> (i, j)>

// CHECK-LABEL: func.func @exact_forms
// CHECK-SAME: %[[INIT:[a-z0-9]+]]: tensor<4x3xf32>)
// CHECK: %[[I0:.*]] = linalg.generic {{.*}} ins(%[[INIT]] :
// CHECK: %[[R0:.*]] = trop.matmul <max_plus> {{.*}} outs(%[[I0]] :
// CHECK: %[[I1:.*]] = linalg.generic {{.*}} ins(%[[INIT]] :
// CHECK: %[[R1:.*]] = trop.matmul <max_plus> {{.*}} outs(%[[I1]] :
// CHECK: %[[I2:.*]] = linalg.generic {{.*}} ins(%[[INIT]] :
// CHECK: %[[R2:.*]] = trop.matmul <max_plus> {{.*}} outs(%[[I2]] :
// CHECK: %[[I3:.*]] = linalg.generic {{.*}} ins(%[[INIT]] :
// CHECK: %[[R3:.*]] = trop.matmul <max_plus> {{.*}} outs(%[[I3]] :
// CHECK: return %[[R0]], %[[R1]], %[[R2]], %[[R3]] :
func.func @exact_forms(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %y0 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  // The zero first.
  %r0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y0 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %zero, %v : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  // select(v > 0 or NaN, v, +0): NaN stays NaN, −0 becomes +0.
  %y1 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y1 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %c = arith.cmpf ugt, %v, %zero : f32
    %m = arith.select %c, %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  // select(v <= 0, +0, v), ordered: the same.
  %y2 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y2 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %c = arith.cmpf oge, %zero, %v : f32
    %m = arith.select %c, %zero, %v : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  // maxnumf under fastmath<nnan>, as --trop-raise treats it elsewhere.
  %y3 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y3 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maxnumf %v, %zero fastmath<nnan> : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r0, %r1, %r2, %r3 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

#id = affine_map<(i, j) -> (i, j)>

// Not folded: ogt drops NaN (select gives 0), oge keeps −0, maxnumf without
// nnan drops NaN. Each ReLU stays after its trop.matmul.
// CHECK-LABEL: func.func @inexact_forms
// CHECK: trop.matmul <max_plus> {{.*}} outs(%[[I:[a-z0-9]+]] :
// CHECK: arith.cmpf ogt
// CHECK: trop.matmul <max_plus> {{.*}} outs(%[[I]] :
// CHECK: arith.cmpf oge
// CHECK: trop.matmul <max_plus> {{.*}} outs(%[[I]] :
// CHECK: arith.maxnumf
func.func @inexact_forms(%a: tensor<4x8xf32>, %b: tensor<8x3xf32>, %init: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %y0 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y0 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %c = arith.cmpf ogt, %v, %zero : f32
    %m = arith.select %c, %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  %y1 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y1 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %c = arith.cmpf oge, %v, %zero : f32
    %m = arith.select %c, %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  %y2 = trop.matmul <max_plus> ins(%a, %b : tensor<4x8xf32>, tensor<8x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  %r2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%y2 : tensor<4x3xf32>) outs(%e : tensor<4x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maxnumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x3xf32>
  return %r0, %r1, %r2 : tensor<4x3xf32>, tensor<4x3xf32>, tensor<4x3xf32>
}
