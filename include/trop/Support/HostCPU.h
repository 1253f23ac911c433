//===- HostCPU.h - The CPU this process runs on ------------------*- C++
//-*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The one place that asks LLVM what the host CPU is. The CPU kernels are
// shaped for it (CPUTarget::host) and the JIT compiles for it (the execution
// engine's target machine): both must see the same CPU name and features, or
// a kernel shaped for AVX-512 could be compiled for AVX2.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_SUPPORT_HOSTCPU_H
#define TROP_SUPPORT_HOSTCPU_H

#include "llvm/ADT/StringMap.h"

#include <string>

namespace mlir {
namespace trop {

struct HostCPU {
  /// The host's target triple (llvm::sys::getProcessTriple).
  std::string triple;
  /// The CPU name LLVM detects (e.g. "sapphirerapids", "znver3").
  std::string name;
  /// Every feature LLVM knows for the target, true where the host has it.
  llvm::StringMap<bool> features;

  /// Whether the host has `feature` (an LLVM feature name, e.g. "avx512f").
  bool has(llvm::StringRef feature) const { return features.lookup(feature); }
};

/// The host CPU, detected on first use and cached for the process.
const HostCPU &getHostCPU();

} // namespace trop
} // namespace mlir

#endif // TROP_SUPPORT_HOSTCPU_H
