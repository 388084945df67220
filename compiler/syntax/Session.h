// Session: what one file's parse shares between the ANTLR wiring, the error
// reporting and the AST builder: where tokens are in the file, the syntax
// errors reported so far, and the caps on them. Internal to compiler/syntax.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "antlr4-runtime.h"
#include "diagnostics/Diagnostic.h"
#include "source/SourceManager.h"
#include "syntax/Tokens.h"

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

/// A token's fields, read directly: the getters are virtual calls (into
/// the runtime's shared library for a CommonToken), and the builder reads
/// the range of most tokens of a file and the text of many. A token of a
/// parse is a LexedToken (syntax/Tokens.h: every token the lexer makes) or
/// a CommonToken (the runtime's token factory, which error recovery makes
/// its tokens with); CommonToken's fields are protected, reached through
/// this class, derived from it.
class TokenFields : antlr4::CommonToken {
 public:
  static size_t type(const antlr4::Token* t) { return lexed(t) ? lexed(t)->type_ : common(t)->*(&TokenFields::_type); }
  static size_t index(const antlr4::Token* t) {
    return lexed(t) ? lexed(t)->index_ : common(t)->*(&TokenFields::_index);
  }
  static size_t start(const antlr4::Token* t) {
    return lexed(t) ? lexed(t)->start_ : common(t)->*(&TokenFields::_start);
  }
  static size_t stop(const antlr4::Token* t) { return lexed(t) ? lexed(t)->stop_ : common(t)->*(&TokenFields::_stop); }
  static size_t line(const antlr4::Token* t) { return lexed(t) ? lexed(t)->line_ : common(t)->*(&TokenFields::_line); }
  static size_t channel(const antlr4::Token* t) {
    return lexed(t) ? lexed(t)->channel_ : common(t)->*(&TokenFields::_channel);
  }
  /// The text setText() gave the token, which getText() returns before the
  /// input's; empty when none was set.
  static const std::string& text(const antlr4::Token* t) {
    return lexed(t) ? lexed(t)->text_ : common(t)->*(&TokenFields::_text);
  }

 private:
  /// The token as a LexedToken, or null: a type_info compare, a pointer
  /// compare for the lexer's own tokens.
  static const LexedToken* lexed(const antlr4::Token* t) {
    return typeid(*t) == typeid(LexedToken) ? static_cast<const LexedToken*>(t) : nullptr;
  }
  static const antlr4::CommonToken* common(const antlr4::Token* t) {
    return static_cast<const antlr4::CommonToken*>(t);
  }
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

  SourceRange rangeOf(const antlr4::Token* t) const {
    if (!t) return {};
    if (TokenFields::type(t) == antlr4::Token::EOF) return endOfFile();
    size_t start = TokenFields::start(t), stop = TokenFields::stop(t);
    if (start == kNoIndex || stop == kNoIndex) return {};
    return {file, offsets.byteOf(start), offsets.byteOf(stop + 1)};
  }
  /// From the rule's first token to its last (its first when the rule
  /// matched none).
  SourceRange rangeOf(const antlr4::ParserRuleContext* ctx) const {
    if (!ctx || !ctx->start) return {};
    SourceRange begin = rangeOf(ctx->start);
    const antlr4::Token* stop = ctx->stop;
    if (!stop || TokenFields::index(stop) == kNoIndex || TokenFields::index(stop) < TokenFields::index(ctx->start))
      return begin;
    return SourceRange::cover(begin, rangeOf(stop));
  }
  SourceRange endOfFile() const;
  bool isMissingNumber(const antlr4::Token* t) const {
    return !missingNumbers.empty() &&
           std::binary_search(missingNumbers.begin(), missingNumbers.end(), TokenFields::index(t));
  }

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
