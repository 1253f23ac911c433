//===- CPUTarget.cpp - What the CPU kernels are shaped for ----------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The kernels' register tiles follow the host's vector width and register
// count. The features come from getHostCPU() (trop/Support/HostCPU.h), the
// one place that detects the host, which the JIT also compiles for: the
// kernels are shaped for the CPU they run on.
//
//===----------------------------------------------------------------------===//

#include "trop/Conversion/TropToCPU/TropToCPU.h"
#include "trop/Support/HostCPU.h"

using namespace mlir;
using namespace mlir::trop;

CPUTarget CPUTarget::host() {
  CPUTarget target;
  const HostCPU &host = getHostCPU();
  auto has = [&](StringRef name) { return host.has(name); };
  if (has("avx512f")) {
    target.vectorBits = 512;
    target.numVectorRegisters = 32;
  } else if (has("avx2") || has("avx")) {
    target.vectorBits = 256;
    target.numVectorRegisters = 16;
  } else {
    target.vectorBits = 128;
    target.numVectorRegisters = has("sse2") ? 16 : 32;
  }
  target.nativeF16 = has("avx512fp16");
  return target;
}
