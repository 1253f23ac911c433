//===- Progress.cpp - Progress of long compilations -----------------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// tropSetProgressCallback over the lowering observer of EntryLowering.h,
// which tropJitCompile's lowering reports to.
//
//===----------------------------------------------------------------------===//

#include "trop-c/Progress.h"
#include "trop/ExecutionEngine/EntryLowering.h"

#include <string>

void tropSetProgressCallback(TropProgressCallback callback, void *userData) {
  if (!callback) {
    mlir::trop::setLoweringObserver({});
    return;
  }
  mlir::trop::setLoweringObserver(
      [callback, userData](llvm::StringRef stage, double seconds) {
        std::string name = stage.str(); // NUL-terminated for C.
        callback(name.c_str(), seconds, userData);
      });
}
