//===- HostCPU.cpp - The CPU this process runs on -------------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Support/HostCPU.h"

#include "llvm/TargetParser/Host.h"

using namespace mlir;
using namespace mlir::trop;

const HostCPU &trop::getHostCPU() {
  // Function-local static: detected once, thread-safe in C++11.
  static const HostCPU host = [] {
    HostCPU cpu;
    cpu.triple = llvm::sys::getProcessTriple();
    cpu.name = llvm::sys::getHostCPUName().str();
    cpu.features = llvm::sys::getHostCPUFeatures();
    return cpu;
  }();
  return host;
}
