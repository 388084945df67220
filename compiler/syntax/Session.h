// Session: what one file's parse shares between the ANTLR wiring, the error
// reporting and the AST builder: where tokens are in the file, the syntax
// errors reported so far, and the caps on them. Internal to compiler/syntax.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "antlr4-runtime.h"
#include "diagnostics/Diagnostic.h"
#include "source/SourceManager.h"

namespace mesh::syntax {

/// ANTLR's "no index" (tokens conjured by error recovery have it).
inline constexpr size_t kNoIndex = static_cast<size_t>(-1);

/// Thrown when a file exceeds kMaxSyntaxErrorsPerFile: the parse stops.
struct TooManyErrors {};

/// Maps ANTLR's code point indexes to byte offsets of the file. ANTLR's input
/// stream drops a byte order mark at the start: its code point 0 is the byte
/// after it.
class OffsetMap {
 public:
  explicit OffsetMap(llvm::StringRef text);
  uint32_t byteOf(size_t codePoint) const {
    if (table_.empty()) return std::min(codePoint, size_);
    return codePoint < table_.size() ? table_[codePoint] : size_;
  }
  /// How many code points ANTLR's input stream holds.
  size_t codePoints() const { return codePoints_; }

 private:
  std::vector<uint32_t> table_;
  size_t size_ = 0;
  size_t codePoints_ = 0;
};

/// Everything one file's parse needs to report problems.
struct Session {
  const SourceManager& sm;
  uint32_t file;
  DiagnosticEngine& diags;
  OffsetMap offsets;
  antlr4::CommonTokenStream* tokens = nullptr;
  int syntaxErrors = 0;

  std::vector<uint32_t> errorOffsets;  // where syntax errors were reported, in order

  // Byte ranges where a lexical error already explains what follows (an
  // unterminated string swallows the rest of its line, `;` included).
  std::vector<std::pair<uint32_t, uint32_t>> quiet;

  size_t lastErrorToken = 0;
  bool anyError = false;

  // Indexes (ascending) of the malformed numbers reportLexicalErrors turned
  // into "<missing ...>" INT tokens: the builder treats them as missing.
  std::vector<size_t> missingNumbers{};

  SourceRange rangeOf(const antlr4::Token* t) const;
  SourceRange rangeOf(antlr4::ParserRuleContext* ctx) const;
  bool isMissingNumber(const antlr4::Token* t) const;

  /// What t->getText() returns, without a string and without its
  /// conversion of ANTLR's code points back to UTF-8: a text set on the
  /// token (error recovery's "<missing ...>", an unterminated string closed
  /// by reportLexicalErrors), else the bytes of the file it covers. Valid as
  /// long as the token and the file.
  std::string_view spelling(const antlr4::Token* t) const;
  std::string textOf(const antlr4::Token* t) const { return std::string(spelling(t)); }

  /// `token` is the index of the offending token: an error within two tokens
  /// of the previous one is the parser's recovery talking, not a new mistake.
  void syntaxError(SourceRange at, std::string message, size_t token = kNoIndex);
};

}  // namespace mesh::syntax
