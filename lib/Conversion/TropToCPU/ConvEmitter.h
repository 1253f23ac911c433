//===- ConvEmitter.h - conv_2d and depthwise_conv_2d kernels ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Emits trop.conv_2d as the packed GEMM of GemmEmitter over implicit im2col
// rows, and trop.depthwise_conv_2d as a channel-vectorized loop nest, on NHWC
// memrefs. Both read the input through one description of the window
// (ConvWindow), so the coordinate arithmetic is written once.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_CONVEMITTER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_CONVEMITTER_H

#include "ComputeDomain.h"
#include "GemmEmitter.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace trop {

struct KernelBuilder;

/// The window of a 2-D convolution: output pixel (oh, ow) and window
/// position (kh, kw) read input pixel
/// (oh·stride[0] + kh·dilation[0] − padding[0],
///  ow·stride[1] + kw·dilation[1] − padding[1]),
/// which is in the padding (reads 𝟘) unless inside the input.
struct ConvWindow {
  SmallVector<int64_t, 2> strides, dilations, padding;

  /// tap·dilation − padding along spatial dimension `d` (0: height, 1:
  /// width): the part of the coordinate that depends on the window position
  /// only, computed once per position.
  Value tapOffset(KernelBuilder &k, Value tap, int d) const;
  /// out·stride + `offset` (a tapOffset) along spatial dimension `d`.
  Value coordinate(KernelBuilder &k, Value out, int d, Value offset) const;
  /// Whether the input coordinate `coord` is inside [0, size): an unsigned
  /// comparison, which also rejects negative (wrapped) coordinates.
  static Value inside(KernelBuilder &k, Value coord, Value size);
};

/// Emits conv_2d `y = y ⊕ x ⋆ filter` (NHWC input and output, HWCF filter)
/// at the builder's insertion point, as a GEMM whose rows are output pixels,
/// in `domain` with the register tiling `tiling`, split over `numTasks`,
/// with an optional fused `epilogue` (GemmProblem::epilogue, on y collapsed
/// to pixels × filters). With `zeroInit`, y may be taken to hold 𝟘
/// (GemmProblem::zeroInit) where the conv is one GEMM; returns whether it
/// was (the caller may then drop the fill of y), false otherwise.
bool emitConv2D(ImplicitLocOpBuilder &b, const ComputeDomain &domain,
                const GemmTiling &tiling, int64_t numTasks,
                const ConvWindow &window, Value x, Value filter, Value y,
                std::function<void(ImplicitLocOpBuilder &, Value, Value, Value)>
                    epilogue = nullptr,
                bool zeroInit = false);

/// Output pixels of a row that the depthwise kernel computes at once (8
/// accumulators and a filter vector fit in 16 registers too).
constexpr int64_t kDepthwiseBlock = 8;

/// Emits depthwise_conv_2d (NHWC input and output, HWC filter) at the
/// builder's insertion point: rows of the output in parallel, blocks of
/// kDepthwiseBlock pixels of a row (then single pixels) each a vector of
/// `vectorLength` channels kept in a register over the window; with an
/// optional fused `epilogue` (GemmProblem::epilogue, on y collapsed to
/// pixels × channels) applied to the final vectors instead of storing them.
/// With `zeroInit` the accumulators start from 𝟘 instead of y's values.
void emitDepthwiseConv2D(
    ImplicitLocOpBuilder &b, const ComputeDomain &domain, int64_t vectorLength,
    const ConvWindow &window, Value x, Value filter, Value y,
    const std::function<void(ImplicitLocOpBuilder &, Value, Value, Value)>
        &epilogue = nullptr,
    bool zeroInit = false);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_CONVEMITTER_H
