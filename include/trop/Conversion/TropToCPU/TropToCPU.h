//===- TropToCPU.h - trop ops to packed, vectorized CPU kernels -*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_CONVERSION_TROPTOCPU_TROPTOCPU_H
#define TROP_CONVERSION_TROPTOCPU_TROPTOCPU_H

#include "trop/Dialect/Trop/IR/Semiring.h"

#include "mlir/Pass/Pass.h"
#include "llvm/Support/CommandLine.h"

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

/// Whether f16 arithmetic runs in f16 vector registers (AVX512-FP16) or in
/// f32 ones, rounding to f16 after each operation.
enum class NativeF16 {
  Auto, ///< f16 registers if the host has AVX512-FP16
  On,   ///< f16 registers
  Off,  ///< f32 registers
};

/// The values of a `native-f16` option, spelled once for every option that
/// takes one.
inline auto nativeF16OptionValues() {
  return llvm::cl::values(
      clEnumValN(NativeF16::Auto, "auto", "if the host has it (AVX512-FP16)"),
      clEnumValN(NativeF16::On, "on", "f16 arithmetic in f16 registers"),
      clEnumValN(NativeF16::Off, "off", "f16 arithmetic in f32 registers"));
}

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
