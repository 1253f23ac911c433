//===- ByteStaging.h - i1 operands as bytes for the vector kernels -*- C++ -*-//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// A memref of i1 holds one byte per element, but a vector of i1 is
// bit-packed, so a vector load or store of i1 from such a memref would read
// or write the wrong bytes. The kernels therefore run i1 contractions on i8
// copies of their operands (values 0 and 1): signed max/min of 0 and 1 are
// OR and AND, so `max_min`/`min_max` on those bytes are exactly the i1
// lattice, and the i8 𝟘 (−128 or 127) that pads panels is the identity of ⊕
// and absorbs ⊗ just as false/true do. The copies are scalar loops, linear
// in the operands' size, while the kernels they feed do the (much larger)
// rest in vectors.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_LIB_CONVERSION_TROPTOCPU_BYTESTAGING_H
#define TROP_LIB_CONVERSION_TROPTOCPU_BYTESTAGING_H

#include "mlir/IR/ImplicitLocOpBuilder.h"

namespace mlir {
namespace trop {

/// Allocates an identity-layout i8 memref of `memref`'s shape and fills it
/// with the zero-extended i1 elements of `memref`.
Value stageBytes(ImplicitLocOpBuilder &b, Value memref);

/// Writes the bytes of `bytes` (0 or 1) back into the i1 memref `memref` and
/// frees `bytes`.
void unstageBytes(ImplicitLocOpBuilder &b, Value bytes, Value memref);

/// Frees a staged copy that is not written back.
void releaseBytes(ImplicitLocOpBuilder &b, Value bytes);

} // namespace trop
} // namespace mlir

#endif // TROP_LIB_CONVERSION_TROPTOCPU_BYTESTAGING_H
