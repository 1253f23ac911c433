//===- TropNNCMatch.h - The blocks --trop-tropnnc compresses ----*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Recognises `Linear → (affine) → ReLU → Linear` and the Conv2d analogue with
// constant weights in linalg IR (the hidden layer through the shared
// matchReluLayer of trop/Dialect/Trop/Utils/LayerMatch.h, so in every form
// it accepts, the bias + ReLU fused into one generic included), and reads them
// into the MLIR-free form TropNNCMerge.h compresses: one input row and one
// output column per hidden neuron, with the affine chain between the producer
// and the ReLU folded in.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_TROP_TRANSFORMS_TROPNNCMATCH_H
#define LIB_DIALECT_TROP_TRANSFORMS_TROPNNCMATCH_H

#include "TropNNCMerge.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mlir {
namespace trop {
namespace tropnnc {

/// A matched block: producer → affine chain → ReLU → consumer.
struct BlockMatch {
  bool conv = false;
  Operation *producer = nullptr;
  SmallVector<Operation *> chain; // From the producer towards the ReLU.
  /// The op that applies the ReLU (possibly with the affine steps before it
  /// fused into it).
  Operation *relu = nullptr;
  /// Whether the ReLU op is a bare ReLU of the producer's result (nothing
  /// to fold into the weights).
  bool bare = true;
  Operation *consumer = nullptr;
  FloatType elementType;
  Block block;
  /// Weight shapes: producer (D×N or KH×KW×C×F) and consumer.
  SmallVector<int64_t> w1Shape, w2Shape;
};

/// Whether `op` can end a block: a plain `linalg.matmul` or a
/// `linalg.conv_2d_nhwc_hwcf`, the ops matchBlock starts from.
bool isBlockConsumer(Operation *op);

/// Matches the block ending in `consumer`; nothing leaves it alone.
std::optional<BlockMatch> matchBlock(Operation *consumer);

} // namespace tropnnc
} // namespace trop
} // namespace mlir

#endif // LIB_DIALECT_TROP_TRANSFORMS_TROPNNCMATCH_H
