//===- TropToCPU.h - trop ops to packed, vectorized CPU kernels -*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_TROPTOCPU_TROPTOCPU_H
#define TROP_CONVERSION_TROPTOCPU_TROPTOCPU_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Pass/Pass.h"

#include <string>

namespace mlir {
class RewritePatternSet;

namespace arith {
class ArithDialect;
} // namespace arith
namespace memref {
class MemRefDialect;
} // namespace memref
namespace scf {
class SCFDialect;
} // namespace scf
namespace vector {
class VectorDialect;
} // namespace vector

namespace trop {

/// Density of non-𝟘 entries at or below which a constant right operand takes
/// the sparse gather kernel (measured on AVX-512, see docs/cpu-pipeline.md).
constexpr double kDefaultSparseMaxDensity = 0.25;

#define GEN_PASS_DECL_CONVERTTROPTOCPU
#include "trop/Conversion/Passes.h.inc"

/// What the CPU kernels are shaped for.
struct CPUTarget {
  int64_t vectorBits = 128;        ///< width of a vector register
  int64_t numVectorRegisters = 16; ///< architectural vector registers
  bool nativeF16 = false;          ///< f16 vector add/max (AVX512-FP16)

  /// The CPU this process runs on (what the JIT compiles for).
  static CPUTarget host();
};

/// Adds patterns rewriting trop ops on memrefs into packed, register-tiled
/// kernels for `target`, split into `numTasks` parallel tasks (scf.parallel)
/// where the op is large enough. Ops without a fast kernel are left alone.
/// `sparseMaxDensity` <= 0 turns the sparse kernels off.
void populateTropToCPUPatterns(
    RewritePatternSet &patterns, const CPUTarget &target, NaNMode nanMode,
    int64_t numTasks, double sparseMaxDensity = kDefaultSparseMaxDensity);

} // namespace trop
} // namespace mlir

#endif // TROP_CONVERSION_TROPTOCPU_TROPTOCPU_H
