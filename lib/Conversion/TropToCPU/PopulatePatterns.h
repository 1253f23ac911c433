//===- PopulatePatterns.h - The CPU patterns, by family ---------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Each family of ops has its own file of patterns (Contraction.cpp,
// Convolution.cpp, Maxout.cpp, LinalgMatmul.cpp, Training.cpp) and adds them
// with its populate function; populateTropToCPUPatterns calls them all.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_POPULATEPATTERNS_H
#define TROP_LIB_CONVERSION_TROPTOCPU_POPULATEPATTERNS_H

#include "PatternUtils.h"

namespace mlir {
class RewritePatternSet;

namespace trop {

/// matmul, batch_matmul and dual_matmul on the packed (or sparse) GEMM.
void populateContractionPatterns(RewritePatternSet &patterns,
                                 const CPUPattern &cfg);

/// conv_2d and depthwise_conv_2d on the kernels of ConvEmitter.
void populateConvolutionPatterns(RewritePatternSet &patterns,
                                 const CPUPattern &cfg);

/// maxout on the group kernel of MaxoutEmitter.
void populateMaxoutPatterns(RewritePatternSet &patterns, const CPUPattern &cfg);

/// linalg.matmul, not a trop op: the linear layers between tropical ones,
/// on the same GEMM with (+, ×).
void populateLinalgMatmulPatterns(RewritePatternSet &patterns,
                                  const CPUPattern &cfg);

/// The training ops: route_to_winners by destination.
void populateTrainingPatterns(RewritePatternSet &patterns,
                              const CPUPattern &cfg);

/// linalg.conv_2d_nhwc_hwcf, linalg.depthwise_conv_2d_nhwc_hwc and
/// linalg.batch_matmul, the other linear layers, on the kernels of the trop
/// convolutions and contractions with fused multiply-adds.
void populateLinalgConvPatterns(RewritePatternSet &patterns,
                                const CPUPattern &cfg);

/// binary_morphology on the word-parallel kernel of BinaryMorphologyEmitter.
void populateBinaryMorphologyPatterns(RewritePatternSet &patterns,
                                      const CPUPattern &cfg);

/// bipolar_matmul (paper E) as one packed max-plus GEMM of its four
/// contractions (BipolarEmitter).
void populateBipolarPatterns(RewritePatternSet &patterns,
                             const CPUPattern &cfg);

/// lse_matmul (log-sum-exp semiring) as an FMA GEMM of exponentials
/// (LogSumExp.cpp).
void populateLogSumExpPatterns(RewritePatternSet &patterns,
                               const CPUPattern &cfg);

/// Elementwise linalg ops on memrefs (bias, BatchNorm, ReLU, scales,
/// residual adds) as vector loops, bit-identical to linalg's loops.
void populateLinalgElementwisePatterns(RewritePatternSet &patterns,
                                       const CPUPattern &cfg);

/// dual_conv_2d (paper C's max-plus-min convolution, DEP) on the direct
/// kernel of DualConvEmitter, which reads each input window once for both.
void populateDualConvPatterns(RewritePatternSet &patterns,
                              const CPUPattern &cfg);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_POPULATEPATTERNS_H
