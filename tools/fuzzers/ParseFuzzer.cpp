//===- ParseFuzzer.cpp - libFuzzer harness: parse and verify --------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// Parses the input as an MLIR module (every dialect, trop's included), then
// verifies it, as every trop tool and host does first. Invalid input must end
// in a diagnostic: the trop verifiers, folders and attribute parsers are what
// this harness exercises.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  llvm::StringRef text(reinterpret_cast<const char *>(data), size);
  (void)mlir::trop::fuzz::parseAndVerify(text);
  return 0;
}
