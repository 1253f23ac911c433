//===- Epilogue.h - Elementwise consumers fused into the GEMM ---*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A bias, a BatchNorm's affine map, a ReLU, a per-channel scale or a residual
// add that follows a GEMM-shaped op (a matmul or an implicit-im2col conv,
// linear or tropical) is applied by the GEMM to its output tile while it is
// still in registers (GemmProblem::epilogue), and the elementwise op goes.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_EPILOGUE_H
#define TROP_LIB_CONVERSION_TROPTOCPU_EPILOGUE_H

#include "GemmEmitter.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir {
namespace trop {

/// An elementwise linalg op that reads the output C of `producer` and that
/// the producer's GEMM can apply instead (see Epilogue.cpp for when).
struct FusableEpilogue {
  linalg::LinalgOp consumer;

  /// The GemmProblem::epilogue for a GEMM whose C is the output collapsed to
  /// rows × channels; emits the views it needs at `b`'s insertion point.
  /// Marks the consumer for erasure (kFusedAttr) and moves `b`'s insertion
  /// point to it, where the kernel must go.
  std::function<void(ImplicitLocOpBuilder &, Value, Value, Value)>
  build(ImplicitLocOpBuilder &b, Value c) const;
};

/// The elementwise consumer of `producer`'s output `c` that can be fused into
/// its GEMM, if any. `c` is a memref of rank ≥ 2 whose last dimension is the
/// GEMM's columns and whose others collapse into its rows; `k` is the
/// GEMM's reduction size (fusion needs a static K > 0).
std::optional<FusableEpilogue> findEpilogue(Operation *producer, Value c,
                                            int64_t k);

/// What an epilogue is: GemmProblem::epilogue.
using EpilogueFn = decltype(GemmProblem::epilogue);

/// Marks an elementwise op whose work a producer's GEMM took over; the
/// elementwise pattern erases it when the walk reaches it (patterns may only
/// erase the op they match).
constexpr StringLiteral kFusedAttr = "trop.fused_into_producer";

/// Applies `epilogue` to the stored values of the 2-D memref `c`, whole
/// vectors of `vl` then one element at a time: for a producer that could not
/// apply it in registers (a conv that runs one GEMM per window position).
void emitEpilogueLoop(ImplicitLocOpBuilder &b, const EpilogueFn &epilogue,
                      Value c, int64_t vl);

/// The fused epilogue of a trop contraction or conv `op` (whose filter or
/// right operand is `filter` and output `c`) in domain `dom`, or null: only
/// where the kernel holds C in its element type (f32 and f64; not the
/// saturating or widened domains).
EpilogueFn buildEpilogue(ImplicitLocOpBuilder &b, Operation *op,
                         const ComputeDomain &dom, Value filter, Value c);

/// The static reduction size of a (batch) matmul or conv operand: the product
/// of `filter`'s dimensions but the last (0 when dynamic).
int64_t staticReduction(Value filter);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_EPILOGUE_H
