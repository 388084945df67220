// Session: what one file's parse shares between the ANTLR wiring, the error
// reporting and the AST builder: where tokens are in the file, the syntax
// errors reported so far, and the caps on them. Internal to compiler/syntax.
#pragma once

#include <cstdint>
#include <string>
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

 private:
  std::vector<uint32_t> table_;
  size_t size_ = 0;
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

  /// The text of a token the lexer made: the bytes of the file it covers,
  /// which is what Token::getText() rebuilds from ANTLR's code points, without
  /// the conversion. Tokens whose text was replaced keep theirs.
  std::string textOf(const antlr4::Token* t) const;

  /// `token` is the index of the offending token: an error within two tokens
  /// of the previous one is the parser's recovery talking, not a new mistake.
  void syntaxError(SourceRange at, std::string message, size_t token = kNoIndex);
};

}  // namespace mesh::syntax
