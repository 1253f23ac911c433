// The bit-packed kernels of trop-to-cpu against the reference lowering on
// random words (so random trailing bits too), 1 and 2 threads: replicate
// and zero padding, strides and dilations, 65 and 130 channels, and a
// DenseLUI with mixed kinds.
// RUN: trop-run %s --entry dilation_replicate --random-inputs --seed 1 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry erosion_strided --random-inputs --seed 2 --pipeline cpu --num-threads 1 --check | FileCheck %s
// RUN: trop-run %s --entry erosion_strided --random-inputs --seed 3 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry dense --random-inputs --seed 4 --pipeline cpu --num-threads 2 --check | FileCheck %s
// RUN: trop-run %s --entry dense --random-inputs --seed 5 --pipeline cpu --num-threads 1 --check | FileCheck %s
// CHECK: check: OK (1 outputs

func.func @dilation_replicate(%x: tensor<3x17x33x2xi64>, %s: tensor<3x5x2xi64>, %y: tensor<3x17x33x2xi64>) -> tensor<3x17x33x2xi64> {
  %r = trop.binary_morphology <dilation> channels = 65 padding_mode = <replicate> {padding = array<i64: 1, 2, 1, 2>}
         ins(%x, %s : tensor<3x17x33x2xi64>, tensor<3x5x2xi64>) outs(%y : tensor<3x17x33x2xi64>) -> tensor<3x17x33x2xi64>
  return %r : tensor<3x17x33x2xi64>
}

func.func @erosion_strided(%x: tensor<2x33x31x3xi64>, %s: tensor<3x3x3xi64>, %y: tensor<2x16x15x3xi64>) -> tensor<2x16x15x3xi64> {
  %r = trop.binary_morphology <erosion> channels = 130 padding_mode = <zero> {strides = array<i64: 2, 2>, dilations = array<i64: 1, 2>, padding = array<i64: 1, 2, 0, 1>}
         ins(%x, %s : tensor<2x33x31x3xi64>, tensor<3x3x3xi64>) outs(%y : tensor<2x16x15x3xi64>) -> tensor<2x16x15x3xi64>
  return %r : tensor<2x16x15x3xi64>
}

func.func @dense(%x: tensor<13x11xi64>, %s: tensor<150x11xi64>, %e: tensor<3xi64>, %y: tensor<13x3xi64>) -> tensor<13x3xi64> {
  %r = trop.binary_dense in_features = 700 ins(%x, %s, %e : tensor<13x11xi64>, tensor<150x11xi64>, tensor<3xi64>) outs(%y : tensor<13x3xi64>) -> tensor<13x3xi64>
  return %r : tensor<13x3xi64>
}
