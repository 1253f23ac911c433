//===- ParserGuard.h - Input MLIR 22's parser cannot take -------*- C++ -*-===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//
//
// MLIR 22's parser crashes (a null dereference or a stack overflow) on a few
// inputs instead of reporting an error. trop-opt would die with a stack dump,
// and an in-process host (the C API, Python) would die with it. Until the
// parser is fixed upstream, every trop entry point that parses user text
// first scans it here and reports these inputs as ordinary errors:
//
//   - brackets ({, (, [, <) nested deeper than a limit: the recursive-descent
//     parser overflows the stack around 5,000 levels (fewer under ASan);
//   - `array<index: ...>`: a dense array of index type;
//   - a `dimensions = ...` of `linalg.reduce` / `linalg.broadcast`, or a
//     `permutation = ...` of `linalg.transpose`, in custom form, that is not a
//     list of integers: any parse error there crashes.
//
// The scan is one linear pass over the text that skips string literals and
// comments; it knows MLIR's lexical structure, not its grammar, so it never
// rejects text the parser accepts except past the nesting limit.
//
//===----------------------------------------------------------------------===//

#ifndef TROP_SUPPORT_PARSERGUARD_H
#define TROP_SUPPORT_PARSERGUARD_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::trop {

/// Deeper bracket nesting is refused. Real IR stays far below it (a region
/// inside a loop inside a function is depth 4); MLIR 22's parser overflowed
/// its stack at 5,000 levels of nested regions in trop-opt's release build.
constexpr unsigned kMaxParserNesting = 256;

/// One input the parser cannot take: where it starts and why.
struct ParserHazard {
  size_t offset;
  std::string message;
};

/// Returns the first construct of `text` that MLIR 22's parser would crash
/// on, or std::nullopt when it is safe to parse.
std::optional<ParserHazard>
findParserHazard(llvm::StringRef text, unsigned maxNesting = kMaxParserNesting);

/// Scans every buffer of `sourceMgr`; prints the first hazard as an MLIR-style
/// "file:line:col: error: ..." to stderr through the source manager and
/// returns false, or returns true when all buffers are safe to parse.
bool checkParserHazards(llvm::SourceMgr &sourceMgr);

} // namespace mlir::trop

#endif // TROP_SUPPORT_PARSERGUARD_H
