// Invalid options of --trop-linear-to-bipolar are errors and change nothing.
// RUN: not trop-opt %s --trop-linear-to-bipolar="floor=0" 2>&1 | FileCheck %s --check-prefix=FLOOR
// RUN: not trop-opt %s --trop-linear-to-bipolar="input-shift=-1" 2>&1 | FileCheck %s --check-prefix=SHIFT
// RUN: not trop-opt %s --trop-linear-to-bipolar="input-bounds=1" 2>&1 | FileCheck %s --check-prefix=BOUNDS
// RUN: not trop-opt %s --trop-linear-to-bipolar="input-bounds=1,0" 2>&1 | FileCheck %s --check-prefix=ORDER
// RUN: not trop-opt %s --trop-linear-to-bipolar="samples=0" 2>&1 | FileCheck %s --check-prefix=SAMPLES
// FLOOR: error: trop-linear-to-bipolar: 'floor' must be finite and positive, but got 0
// SHIFT: error: trop-linear-to-bipolar: 'input-shift' must be finite and non-negative, but got -1
// BOUNDS: error: trop-linear-to-bipolar: 'input-bounds' takes two values lo,hi, but got 1
// ORDER: error: trop-linear-to-bipolar: 'input-bounds' must be finite lo,hi with lo <= hi
// SAMPLES: error: trop-linear-to-bipolar: 'samples' must be at least 1, but got 0
func.func @f(%x: tensor<2x2xf32>, %b: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<1.0> : tensor<2x2xf32>
  %r = linalg.matmul ins(%x, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%b : tensor<2x2xf32>) -> tensor<2x2xf32>
  return %r : tensor<2x2xf32>
}
