//===- GenericSpecs.h - Indexing of the trop ops as linalg -------*- C++
//-*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The indexing maps and iterators of the contractions' linalg.generics, and
// the reshaping of their operands (padding, channel groups), shared by the
// reference lowering of the forward ops (TropToLinalg.cpp) and of their
// winners-recording variants (Winners.cpp), so both iterate the same loops
// in the same order. Private to the TropToLinalg library.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOLINALG_GENERICSPECS_H
#define TROP_LIB_CONVERSION_TROPTOLINALG_GENERICSPECS_H

#include "trop/Dialect/Trop/IR/TropAttrs.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace trop {

/// Everything a contraction's linalg.generic needs besides its operands.
struct GenericSpec {
  SmallVector<AffineMap> maps;
  SmallVector<utils::IteratorType> iterators;
};

/// Loops (i, j, k) of a matrix product, or (b, i, j, k) batched; maps of
/// lhs, rhs and the output.
GenericSpec matrixProductSpec(MLIRContext *ctx, bool batch);

/// Loops (n, oh, ow, f, kh, kw, c) of conv_2d (`withChannelReduction`) or
/// (n, oh, ow, c, kh, kw) of depthwise_conv_2d over the padded input; maps
/// of the input, the filter and the output.
GenericSpec windowSpec(MLIRContext *ctx, ArrayRef<int64_t> strides,
                       ArrayRef<int64_t> dilations, bool withChannelReduction);

/// Loops (leading dims..., g, j) of a maxout of an output of rank `rank`
/// over the input expanded by expandChannels; maps of the input and output.
GenericSpec maxoutSpec(MLIRContext *ctx, int64_t rank);

/// Returns `input` padded with 𝟘 of `kind` by `padding = [top, left,
/// bottom, right]` on dimensions 1 and 2 (a new buffer on memrefs).
Value padInput(PatternRewriter &rewriter, Location loc, Value input,
               ArrayRef<int64_t> padding, SemiringKind kind);

/// `input` with its last dimension (C channels) expanded into (C / k, k).
Value expandChannels(PatternRewriter &rewriter, Location loc, Value input,
                     int64_t groupSize);

/// Dimension `dim` of a tensor or memref: a constant where it is static.
Value dimOf(OpBuilder &b, Location loc, Value shaped, int64_t dim);

/// The reference lowering of the routing ops (Routing.cpp); part of
/// populateTrainingToLinalgConversionPatterns.
void populateRoutingToLinalgConversionPatterns(RewritePatternSet &patterns);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOLINALG_GENERICSPECS_H
