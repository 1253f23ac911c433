// trop.conv_2d (NHWC input, HWCF filter, NHWF output) on f32 tensors:
// asymmetric strides, the layout of asymmetric padding ([top, left, bottom,
// right], padded with 𝟘), dilation with padding where padded positions must
// never win, the reduction over input channels (with two batches), and
// fully dynamic shapes with padding.
//   Y[n,oh,ow,f] = Y ⊕ ⊕_{kh,kw,c} Xp[n, oh*sh + kh*dh, ow*sw + kw*dw, c] ⊗ F[kh,kw,c,f]

// RUN: trop-opt %s --trop-reference-pipeline \
// RUN: | mlir-runner -e main -entry-point-result=void \
// RUN:     -shared-libs=%mlir_runner_utils,%mlir_c_runner_utils \
// RUN: | FileCheck %s

func.func @main() {
  %ninf = arith.constant 0xFF800000 : f32

  // 1. Strides [2, 3], max_plus, no padding. X[h][w] = 10h + w (5x5),
  //    F = [[0, 5], [-20, 1]]; OH = (5-1-1)/2+1 = 2, OW = (5-1-1)/3+1 = 2.
  //    Y[oh][ow] = max over the four taps at rows 2oh + {0,1}, cols 3ow + {0,1}:
  //    (0,0): max(0+0, 1+5, 10-20, 11+1)  = 12
  //    (0,1): max(3+0, 4+5, 13-20, 14+1)  = 15
  //    (1,0): max(20+0, 21+5, 30-20, 31+1) = 32
  //    (1,1): max(23+0, 24+5, 33-20, 34+1) = 35
  %x1 = arith.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0],
                              [10.0, 11.0, 12.0, 13.0, 14.0],
                              [20.0, 21.0, 22.0, 23.0, 24.0],
                              [30.0, 31.0, 32.0, 33.0, 34.0],
                              [40.0, 41.0, 42.0, 43.0, 44.0]]> : tensor<5x5xf32>
  %x1e = tensor.expand_shape %x1 [[0, 1], [2, 3]] output_shape [1, 5, 5, 1]
      : tensor<5x5xf32> into tensor<1x5x5x1xf32>
  %f1 = arith.constant dense<[[[[0.0]], [[5.0]]], [[[-20.0]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %y1e = tensor.empty() : tensor<1x2x2x1xf32>
  %y1 = linalg.fill ins(%ninf : f32) outs(%y1e : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %r1 = trop.conv_2d <max_plus> {strides = array<i64: 2, 3>}
          ins(%x1e, %f1 : tensor<1x5x5x1xf32>, tensor<2x2x1x1xf32>)
          outs(%y1 : tensor<1x2x2x1xf32>) -> tensor<1x2x2x1xf32>
  %r1c = tensor.collapse_shape %r1 [[0, 1], [2, 3]] : tensor<1x2x2x1xf32> into tensor<2x2xf32>
  %u1 = tensor.cast %r1c : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u1) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}12, 15],
  // CHECK-NEXT: {{^}} [32, 35]]

  // 2. Padding layout: 1x1 filter [0], padding = [top 1, left 2, bottom 0,
  //    right 1] on a 2x3 input: the output is the padded input, -inf (𝟘)
  //    where the window only sees padding.
  %x2 = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %x2e = tensor.expand_shape %x2 [[0, 1], [2, 3]] output_shape [1, 2, 3, 1]
      : tensor<2x3xf32> into tensor<1x2x3x1xf32>
  %f2 = arith.constant dense<0.0> : tensor<1x1x1x1xf32>
  %y2e = tensor.empty() : tensor<1x3x6x1xf32>
  %y2 = linalg.fill ins(%ninf : f32) outs(%y2e : tensor<1x3x6x1xf32>) -> tensor<1x3x6x1xf32>
  %r2 = trop.conv_2d <max_plus> {padding = array<i64: 1, 2, 0, 1>}
          ins(%x2e, %f2 : tensor<1x2x3x1xf32>, tensor<1x1x1x1xf32>)
          outs(%y2 : tensor<1x3x6x1xf32>) -> tensor<1x3x6x1xf32>
  %r2c = tensor.collapse_shape %r2 [[0, 1], [2, 3]] : tensor<1x3x6x1xf32> into tensor<3x6xf32>
  %u2 = tensor.cast %r2c : tensor<3x6xf32> to tensor<*xf32>
  call @printMemrefF32(%u2) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 6] strides = [6, 1] data =
  // CHECK-NEXT: {{\[\[}}-inf, -inf, -inf, -inf, -inf, -inf],
  // CHECK-NEXT: {{^}} [-inf, -inf, 1, 2, 3, -inf],
  // CHECK-NEXT: {{^}} [-inf, -inf, 4, 5, 6, -inf]]

  // 3. Dilations [2, 2] with padding 1 on every side, max_plus, all inputs
  //    negative: X[h][w] = -(10h + w) - 1 (4x4), F = [[0, 100], [0, 0]].
  //    OH = OW = (4 + 2 - 2 - 1) + 1 = 4. Output (oh, ow) reads input rows
  //    oh-1, oh+1 and columns ow-1, ow+1; tap (0, 1) (+100) is the input
  //    (oh-1, ow+1), in bounds iff oh >= 1 and ow <= 2, and then wins:
  //    Y = X[oh-1][ow+1] + 100 = 98 - 10(oh-1) - ow. Elsewhere Y is the
  //    largest in-bounds X among the four taps (padding is -inf and never
  //    wins; a 0 padding would give 0 at every border position):
  //    row 0 reads input row 1 only: -(10 + c) - 1 with c = the smallest
  //    in-bounds column among ow-1, ow+1: c = 1, 0, 1, 2 -> -12, -11, -12, -13;
  //    column 3 reads column 2 only: -(10r + 2) - 1 with r = oh-1 -> -3, -13, -23.
  %x3 = arith.constant dense<[[-1.0, -2.0, -3.0, -4.0],
                              [-11.0, -12.0, -13.0, -14.0],
                              [-21.0, -22.0, -23.0, -24.0],
                              [-31.0, -32.0, -33.0, -34.0]]> : tensor<4x4xf32>
  %x3e = tensor.expand_shape %x3 [[0, 1], [2, 3]] output_shape [1, 4, 4, 1]
      : tensor<4x4xf32> into tensor<1x4x4x1xf32>
  %f3 = arith.constant dense<[[[[0.0]], [[100.0]]], [[[0.0]], [[0.0]]]]> : tensor<2x2x1x1xf32>
  %y3e = tensor.empty() : tensor<1x4x4x1xf32>
  %y3 = linalg.fill ins(%ninf : f32) outs(%y3e : tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  %r3 = trop.conv_2d <max_plus> {dilations = array<i64: 2, 2>, padding = array<i64: 1, 1, 1, 1>}
          ins(%x3e, %f3 : tensor<1x4x4x1xf32>, tensor<2x2x1x1xf32>)
          outs(%y3 : tensor<1x4x4x1xf32>) -> tensor<1x4x4x1xf32>
  %r3c = tensor.collapse_shape %r3 [[0, 1], [2, 3]] : tensor<1x4x4x1xf32> into tensor<4x4xf32>
  %u3 = tensor.cast %r3c : tensor<4x4xf32> to tensor<*xf32>
  call @printMemrefF32(%u3) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [4, 4] strides = [4, 1] data =
  // CHECK-NEXT: {{\[\[}}-12, -11, -12, -13],
  // CHECK-NEXT: {{^}} [98, 97, 96, -3],
  // CHECK-NEXT: {{^}} [88, 87, 86, -13],
  // CHECK-NEXT: {{^}} [78, 77, 76, -23]]

  // 4. Channel reduction, min_plus: N = 2, 2x1 images with C = 2 channels,
  //    filter 2x1x2x2 (KH = 2, F = 2 output channels), OH = OW = 1.
  //    X[n=0] = rows [1, 10], [3, 30];  X[n=1] = rows [-1, 5], [0, 0]
  //    F[kh=0] = [[0, 1], [-5, 2]];     F[kh=1] = [[4, 0], [0, -100]]  ([c][f])
  //    n=0 f=0: min(1+0, 10-5, 3+4, 30+0)      = 1
  //    n=0 f=1: min(1+1, 10+2, 3+0, 30-100)    = -70
  //    n=1 f=0: min(-3 (init), -1+0, 5-5, 0+4, 0+0) = -3
  //    n=1 f=1: min(-1+1, 5+2, 0+0, 0-100)     = -100
  %x4 = arith.constant dense<[[[[1.0, 10.0]], [[3.0, 30.0]]],
                              [[[-1.0, 5.0]], [[0.0, 0.0]]]]> : tensor<2x2x1x2xf32>
  %f4 = arith.constant dense<[[[[0.0, 1.0], [-5.0, 2.0]]],
                              [[[4.0, 0.0], [0.0, -100.0]]]]> : tensor<2x1x2x2xf32>
  %y4 = arith.constant dense<[[[[0x7F800000, 0x7F800000]]],
                              [[[-3.0, 0x7F800000]]]]> : tensor<2x1x1x2xf32>
  %r4 = trop.conv_2d <min_plus>
          ins(%x4, %f4 : tensor<2x2x1x2xf32>, tensor<2x1x2x2xf32>)
          outs(%y4 : tensor<2x1x1x2xf32>) -> tensor<2x1x1x2xf32>
  %r4c = tensor.collapse_shape %r4 [[0, 1, 2], [3]] : tensor<2x1x1x2xf32> into tensor<2x2xf32>
  %u4 = tensor.cast %r4c : tensor<2x2xf32> to tensor<*xf32>
  call @printMemrefF32(%u4) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [2, 2] strides = [2, 1] data =
  // CHECK-NEXT: {{\[\[}}1, -70],
  // CHECK-NEXT: {{^}} [-3, -100]]

  // 5. All shapes dynamic (only known inside @dyn), padding 1 on every side,
  //    max_plus, 2x2 filter of zeros, X = [[1, 2], [3, 4]]: output 3x3, each
  //    the max of the in-bounds part of the window at rows oh-1..oh, columns
  //    ow-1..ow: [[1, 2, 2], [3, 4, 4], [3, 4, 4]].
  %x5 = arith.constant dense<[[[[1.0], [2.0]], [[3.0], [4.0]]]]> : tensor<1x2x2x1xf32>
  %f5 = arith.constant dense<0.0> : tensor<2x2x1x1xf32>
  %y5e = tensor.empty() : tensor<1x3x3x1xf32>
  %y5 = linalg.fill ins(%ninf : f32) outs(%y5e : tensor<1x3x3x1xf32>) -> tensor<1x3x3x1xf32>
  %x5d = tensor.cast %x5 : tensor<1x2x2x1xf32> to tensor<?x?x?x?xf32>
  %f5d = tensor.cast %f5 : tensor<2x2x1x1xf32> to tensor<?x?x?x?xf32>
  %y5d = tensor.cast %y5 : tensor<1x3x3x1xf32> to tensor<?x?x?x?xf32>
  %r5 = call @dyn(%x5d, %f5d, %y5d)
      : (tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  %r5s = tensor.cast %r5 : tensor<?x?x?x?xf32> to tensor<1x3x3x1xf32>
  %r5c = tensor.collapse_shape %r5s [[0, 1], [2, 3]] : tensor<1x3x3x1xf32> into tensor<3x3xf32>
  %u5 = tensor.cast %r5c : tensor<3x3xf32> to tensor<*xf32>
  call @printMemrefF32(%u5) : (tensor<*xf32>) -> ()
  // CHECK:      Unranked Memref {{.*}} sizes = [3, 3] strides = [3, 1] data =
  // CHECK-NEXT: {{\[\[}}1, 2, 2],
  // CHECK-NEXT: {{^}} [3, 4, 4],
  // CHECK-NEXT: {{^}} [3, 4, 4]]
  return
}

func.func @dyn(%x: tensor<?x?x?x?xf32>, %f: tensor<?x?x?x?xf32>, %y: tensor<?x?x?x?xf32>)
    -> tensor<?x?x?x?xf32> {
  %r = trop.conv_2d <max_plus> {padding = array<i64: 1, 1, 1, 1>}
         ins(%x, %f : tensor<?x?x?x?xf32>, tensor<?x?x?x?xf32>)
         outs(%y : tensor<?x?x?x?xf32>) -> tensor<?x?x?x?xf32>
  return %r : tensor<?x?x?x?xf32>
}

func.func private @printMemrefF32(tensor<*xf32>)
