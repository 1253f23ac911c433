//===- ParserGuard.cpp - Input MLIR 22's parser cannot take ---------------===//
//
// Part of the trop project.
//
//===----------------------------------------------------------------------===//

#include "trop/Support/ParserGuard.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir::trop;
using llvm::StringRef;

namespace {

bool isIdentifierChar(char c) {
  return llvm::isAlnum(c) || c == '_' || c == '.' || c == '$';
}

/// A linear scan over MLIR text that sees brackets, identifiers and `=`,
/// skipping string literals and `//` comments.
class Scanner {
public:
  Scanner(StringRef text, unsigned maxNesting)
      : text(text), maxNesting(maxNesting) {}

  std::optional<ParserHazard> run() {
    while (pos < text.size()) {
      char c = text[pos];
      if (c == '"') {
        skipString();
        continue;
      }
      if (text.substr(pos).starts_with("//")) {
        size_t end = text.find('\n', pos);
        pos = end == StringRef::npos ? text.size() : end;
        continue;
      }
      // `->`, `>=` and `<=` (arrows of maps and functions, comparisons of
      // integer sets) are not brackets.
      if (text.substr(pos).starts_with("->") ||
          text.substr(pos).starts_with(">=") ||
          text.substr(pos).starts_with("<=")) {
        pos += 2;
        continue;
      }
      if (c == '{' || c == '(' || c == '[' || c == '<') {
        if (++depth > maxNesting)
          return ParserHazard{pos, "brackets nested deeper than " +
                                       std::to_string(maxNesting) +
                                       " levels: trop refuses input that "
                                       "would overflow MLIR's parser stack"};
        if (c == '<' && previousWord == "array" && nextWordIs("index"))
          return ParserHazard{pos - previousWord.size(),
                              "array<index: ...> is not supported: MLIR 22's "
                              "parser crashes on dense arrays of index type "
                              "(use array<i64: ...>)"};
        ++pos;
        continue;
      }
      if (c == '}' || c == ')' || c == ']' || c == '>') {
        if (depth > 0)
          --depth;
        if (listOpDepth && depth < *listOpDepth)
          listOpDepth.reset();
        ++pos;
        continue;
      }
      if (isIdentifierChar(c)) {
        size_t start = pos;
        while (pos < text.size() && isIdentifierChar(text[pos]))
          ++pos;
        StringRef word = text.slice(start, pos);
        if (word == "linalg.reduce" || word == "linalg.broadcast" ||
            word == "linalg.transpose")
          listOpDepth = depth;
        else if ((word == "dimensions" || word == "permutation") &&
                 listOpDepth && *listOpDepth == depth) {
          if (auto hazard = checkDimensions(start))
            return hazard;
        } else if (word.contains('.') && listOpDepth && *listOpDepth == depth) {
          listOpDepth.reset(); // the next op of the block
        }
        previousWord = word;
        continue;
      }
      ++pos;
    }
    return std::nullopt;
  }

private:
  void skipString() {
    ++pos;
    while (pos < text.size() && text[pos] != '"')
      pos += text[pos] == '\\' ? 2 : 1;
    ++pos;
  }

  /// Skips what MLIR's lexer skips between tokens: ' ', '\t', '\n', '\r'
  /// and `//` comments (llvm::isSpace would also take '\f' and '\v', on
  /// which the lexer stops with an error, the path that crashes).
  void skipSpace() {
    while (pos < text.size()) {
      char c = text[pos];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++pos;
      } else if (text.substr(pos).starts_with("//")) {
        size_t end = text.find('\n', pos);
        pos = end == StringRef::npos ? text.size() : end;
      } else {
        return;
      }
    }
  }

  bool nextWordIs(StringRef word) {
    size_t p = pos + 1;
    while (p < text.size() && llvm::isSpace(text[p]))
      ++p;
    return text.substr(p).starts_with(word) &&
           (p + word.size() >= text.size() ||
            !isIdentifierChar(text[p + word.size()]));
  }

  /// In custom form, `dimensions = ` / `permutation = ` must be followed by
  /// `[` integers `]`: the ops' custom parsers crash on any error inside it.
  std::optional<ParserHazard> checkDimensions(size_t start) {
    size_t save = pos;
    skipSpace();
    bool ok = pos < text.size() && text[pos] == '=';
    if (ok) {
      ++pos;
      skipSpace();
      ok = pos < text.size() && text[pos] == '[';
    }
    if (ok) {
      ++pos;
      skipSpace();
      bool first = true;
      while (ok && pos < text.size() && text[pos] != ']') {
        if (!first) {
          ok = text[pos] == ',';
          ++pos;
          skipSpace();
        }
        first = false;
        if (pos < text.size() && text[pos] == '-')
          ++pos;
        size_t digits = pos;
        while (pos < text.size() && llvm::isDigit(text[pos]))
          ++pos;
        ok = ok && pos > digits;
        skipSpace();
      }
      ok = ok && pos < text.size() && text[pos] == ']';
    }
    pos = save;
    if (ok)
      return std::nullopt;
    return ParserHazard{start, "expected '" + text.slice(start, save).str() +
                                   " = [' integers ']': MLIR 22's "
                                   "linalg.reduce, linalg.broadcast and "
                                   "linalg.transpose parsers crash on "
                                   "anything else"};
  }

  StringRef text;
  unsigned maxNesting;
  size_t pos = 0;
  unsigned depth = 0;
  StringRef previousWord;
  /// Bracket depth of the last linalg.reduce / broadcast / transpose op name,
  /// while its custom form can still be going on.
  std::optional<unsigned> listOpDepth;
};

} // namespace

std::optional<ParserHazard> mlir::trop::findParserHazard(StringRef text,
                                                         unsigned maxNesting) {
  return Scanner(text, maxNesting).run();
}

bool mlir::trop::checkParserHazards(llvm::SourceMgr &sourceMgr) {
  for (unsigned id = 1, e = sourceMgr.getNumBuffers(); id <= e; ++id) {
    const llvm::MemoryBuffer *buffer = sourceMgr.getMemoryBuffer(id);
    if (auto hazard = findParserHazard(buffer->getBuffer())) {
      auto loc = llvm::SMLoc::getFromPointer(buffer->getBufferStart() +
                                             hazard->offset);
      sourceMgr.PrintMessage(loc, llvm::SourceMgr::DK_Error, hazard->message);
      return false;
    }
  }
  return true;
}
