//===- MaxoutEmitter.h - Vectorized maxout over channel groups --*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Emits trop.maxout on a row-major R × C input (C = G·k channels, groups of
// k consecutive channels) and an R × G output as vector code. Groups are
// contiguous in memory, so the kernel loads whole runs of groups: for small
// groups, VL·k consecutive channels are one wide load whose k strided lane
// sets (lanes j, j+k, j+2k, ...) are picked out by shuffles and combined
// with max, giving VL outputs in one vector; large groups are reduced one
// at a time from whole vectors and a horizontal reduction.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_MAXOUTEMITTER_H
#define TROP_LIB_CONVERSION_TROPTOCPU_MAXOUTEMITTER_H

#include "ComputeDomain.h"

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace trop {

/// Groups of at most this many channels are deinterleaved with shuffles
/// (VL outputs per step); larger ones are reduced group by group.
constexpr int64_t kMaxShuffledGroupSize = 8;

/// Inputs of fewer than this many channels per task (rows × channels) run
/// sequentially.
constexpr int64_t kMinChannelsPerTask = 32768;

/// Emits `y[r, g] = max(y[r, g], max_j x[r, g·k + j])` at the builder's
/// insertion point, for 2-D memrefs `x` (R × G·k) and `y` (R × G) whose rows
/// are contiguous. `domain` is a max semiring's (its ⊕ is the max, with its
/// NaN mode); `vectorLength` is the number of lanes of its compute type per
/// register. With `numTasks` > 1 the rows of large inputs are split over an
/// scf.parallel.
void emitMaxout(ImplicitLocOpBuilder &b, const ComputeDomain &domain, Value x,
                Value y, int64_t groupSize, int64_t vectorLength,
                int64_t numTasks);

/// A 2-D view (rows × channels) of a maxout operand: rank 1 is one row,
/// higher ranks collapse their leading dimensions, which needs them to be
/// contiguous with one another (null otherwise).
Value rowView(ImplicitLocOpBuilder &b, Value memref);

/// Whether rowView can view `value` as rows × channels.
bool hasRowView(Value value);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_MAXOUTEMITTER_H
