//===- FuzzContext.h - What every trop fuzz harness shares ------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// The harnesses parse fuzzer input as trop-opt does: every upstream dialect
// and trop's, the parser guard first (trop/Support/ParserGuard.h: the inputs
// MLIR 22's own parser crashes on are not trop's to find again), and
// diagnostics swallowed (an error is a correct answer to bad input; only a
// crash, a hang or a sanitizer report is a finding).
//
//===----------------------------------------------------------------------===//

#ifndef TROP_TOOLS_FUZZERS_FUZZCONTEXT_H
#define TROP_TOOLS_FUZZERS_FUZZCONTEXT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>

namespace mlir::trop::fuzz {

/// A context with every dialect registered (loaded on demand) and a
/// diagnostic handler that drops everything. Replaced every few thousand
/// inputs, so that uniqued attributes and types do not pile up.
mlir::MLIRContext &getContext();

/// Parses a NUL-terminated copy of `text` as a module when the parser guard
/// lets it through, and returns it when it also verifies; null otherwise.
mlir::OwningOpRef<mlir::ModuleOp> parseAndVerify(llvm::StringRef text);

} // namespace mlir::trop::fuzz

#endif // TROP_TOOLS_FUZZERS_FUZZCONTEXT_H
