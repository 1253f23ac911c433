//===- LayerMatch.h - Dense and ReLU layers in every front-end form -*- C++
//-*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// One matcher for "matmul (or conv) + bias + ReLU" in all the forms front
// ends and upstream elementwise fusion leave it in: the bias in the
// contraction's init, in a separate add or in the ReLU's own generic; the
// ReLU as `arith.maximumf`, `arith.maxnumf`, `arith.maxsi`, or `arith.cmpf` +
// `arith.select`, with the zero on either side; `linalg.max` with zeros.
// The passes that match layers (--trop-raise's ReLU folding, --trop-tropnnc)
// read layers through it, so that a form accepted by one is accepted by all.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_DIALECT_TROP_UTILS_LAYERMATCH_H
#define TROP_DIALECT_TROP_UTILS_LAYERMATCH_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir {
namespace trop {

//===----------------------------------------------------------------------===//
// ReLU in a linalg body
//===----------------------------------------------------------------------===//

/// `value` = max(input, 0), as computed by one op of a linalg body.
struct ReluMatch {
  Value input;
  /// Whether the form computes `arith.maximumf(input, +0.0)` (or
  /// `arith.maxsi(input, 0)`) bit for bit: NaN propagated and −0 mapped to
  /// +0. Exact rewrites (--trop-raise) need it; approximate ones do not.
  bool exact;
};

/// Recognises max(x, 0) in any operand order: `arith.maximumf`,
/// `arith.maxnumf` (exact with `fastmath<nnan>` only, as --trop-raise
/// treats it), `arith.maxsi`, and `arith.select` on an `arith.cmpf` of x
/// and 0 that picks x when x > 0 (`ugt`/`oge`/... with either side, exact
/// only where NaN and −0 come out as from maximumf).
std::optional<ReluMatch> matchRelu(Value value);

//===----------------------------------------------------------------------===//
// Per-channel elementwise steps
//===----------------------------------------------------------------------===//

/// a·z + b: what an elementwise op does to one channel of a layer's output.
struct ChannelAffine {
  double scale = 1, shift = 0;
};

/// The values of a float constant tensor as doubles, row-major.
std::optional<SmallVector<double>> matchFloatConstant(Value value);

/// The per-channel constant (one value per index of the last dimension,
/// `channels` of them) a tensor holds by construction: a constant, a fill, a
/// `linalg.broadcast` or a broadcasting `linalg.generic` of a rank-0 or
/// rank-1 constant. Nothing for anything else.
std::optional<SmallVector<double>> matchChannelConstant(Value value,
                                                        int64_t channels);

/// An elementwise op on a layer's output `stream`, read per channel c as
/// relu?(scale_c · z + shift_c): named `linalg.add`/`sub`/`mul`/`div` with a
/// channel constant; `linalg.max` with zeros; a `linalg.generic` whose body
/// is affine in z (addf, subf, mulf, divf, negf with channel constants,
/// scalars or constants read through `(.., dC) -> (dC)`), optionally ending
/// in a ReLU (matchRelu) — the bias + ReLU that elementwise fusion leaves.
struct ChannelStep {
  Value stream;
  SmallVector<ChannelAffine> affine;
  /// The op ends in a ReLU; `exactRelu` as ReluMatch::exact.
  bool relu = false;
  bool exactRelu = false;
};

/// The step `op` takes on `stream`, one of its operands of the layer
/// output's type; nothing if it is not of that form.
std::optional<ChannelStep> matchChannelStep(Operation *op, Value stream,
                                            int64_t channels);

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

/// A layer relu(affine(x ⊛ W + b)), matched backwards from its output: a
/// `linalg.matmul` (default maps) or `linalg.conv_2d_nhwc_hwcf` (the
/// producer) with a constant right operand and a per-channel constant init,
/// then per-channel affine steps, the last of which ends in a ReLU (a
/// separate op or fused with the steps before it). Every value between the
/// producer and the output has exactly one user.
struct ReluLayer {
  Operation *producer = nullptr;
  /// The elementwise ops from the producer to the output, the last being
  /// the one that applies the ReLU.
  SmallVector<Operation *> chain;
  /// The affine map of the whole chain, per channel (1·z + 0 when the chain
  /// is a bare ReLU).
  SmallVector<ChannelAffine> affine;
  /// Whether every ReLU-free step is the identity (the chain is one ReLU
  /// on the producer's output).
  bool bareRelu = true;
  bool conv = false;
  /// The producer's constant weights (row-major, D×N or KH×KW×C×F) and
  /// per-channel init.
  SmallVector<double> weights, bias;
  SmallVector<int64_t> weightShape;
};

/// Whether `op` can produce a ReluLayer: a plain `linalg.matmul` or a
/// `linalg.conv_2d_nhwc_hwcf` on tensors.
bool isLayerProducer(Operation *op);

/// Matches the layer whose output is `hidden` (a float tensor, static but
/// for a leading batch dimension); `conv` selects the producer kind.
std::optional<ReluLayer> matchReluLayer(Value hidden, bool conv);

} // namespace trop
} // namespace mlir

#endif // TROP_DIALECT_TROP_UTILS_LAYERMATCH_H
