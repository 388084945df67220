// Recognizers: the generated lexer, a token stream and the generated parser,
// with the ANTLR 4.9 C++ runtime's fixed costs per character, per token and
// per rule taken out (bench/check: they were most of a cold `meshc check`).
// They recognize exactly what MeshLexer, CommonTokenStream and MeshParser
// do: each override keeps the runtime's logic and drops a lock or a
// dynamic_cast (a string comparison of type names, across the runtime's
// shared library) around it. Internal to compiler/syntax.
#pragma once

#include <memory>

#include "MeshLexer.h"
#include "MeshParser.h"
#include "antlr4-runtime.h"
#include "llvm/ADT/StringRef.h"
#include "syntax/Tokens.h"

namespace mesh::syntax {

/// ANTLRInputStream of `text`: its code points, read without the runtime's
/// UTF-8 decoder (and its copy of the text) when the text is all ASCII.
/// `text` outlives the stream.
class InputStream final : public antlr4::ANTLRInputStream {
 public:
  explicit InputStream(llvm::StringRef text);

  /// ANTLRInputStream::getText: for an ASCII text, its bytes, without the
  /// runtime's conversion of the code points back to UTF-8.
  std::string getText(const antlr4::misc::Interval& interval) override;

  /// For the lexer's inner loop: the code points, and index(), LA(1) and
  /// seek() without the virtual calls (moveTo is a seek without its checks,
  /// for an index between the token's start and the end; seekTo is
  /// ANTLRInputStream::seek, which sets the index when it goes back).
  const std::u32string& codePoints() const { return _data; }
  size_t position() const { return p; }
  size_t next() const { return p < _data.size() ? static_cast<size_t>(_data[p]) : antlr4::Token::EOF; }
  void moveTo(size_t index) { p = index; }
  void seekTo(size_t index) { index <= p ? void(p = index) : seek(index); }

 private:
  llvm::StringRef ascii_;  // the text when it is all ASCII (one code point a byte)
  bool isAscii_ = false;
};

/// MeshLexer whose simulator reads the DFA's edges from a per-thread copy
/// instead of taking the runtime's shared lock for every character and
/// reads its input directly, which reaches its simulator without a
/// dynamic_cast (three per token), and which makes its tokens itself rather
/// than through the default token factory: LexedTokens, in an arena of its own.
class Lexer final : public grammar::MeshLexer {
 public:
  explicit Lexer(InputStream* input);
  ~Lexer() override;

  std::unique_ptr<antlr4::Token> nextToken() override;
  antlr4::Token* emit() override;
  size_t getLine() const override;
  size_t getCharPositionInLine() override;

 private:
  LexedToken* lexed();

  antlr4::atn::LexerATNSimulator* simulator_;
  InputStream* input_;
  TokenArena arena_;  // outlives the token stream over the lexer
};

/// CommonTokenStream over a Lexer: its tokens are CommonTokens, numbered
/// as they come without asking each whether it is writable. Once filled
/// (meshc always fills it before parsing) the parser's steps, LA(1), LT(1),
/// LT(-1) and consume(), walk the token vector directly, without the runtime's
/// calls to fetch more and to check the bounds.
class TokenStream final : public antlr4::CommonTokenStream {
 public:
  explicit TokenStream(Lexer* lexer) : CommonTokenStream(lexer) {}

  void fill() override;
  antlr4::Token* LT(ssize_t k) override;
  size_t LA(ssize_t i) override;
  void consume() override;

  /// Every token, without the copy getTokens() makes.
  const std::vector<std::unique_ptr<antlr4::Token>>& all() const { return _tokens; }

  /// Once filled, for the parser's predictions: the current token's index,
  /// a token's type, and the index of the first token on the channel at or
  /// after `i` (CommonTokenStream::nextTokenOnChannel; i below the size).
  bool isFilled() const { return filled_; }
  size_t current() const { return _p; }
  size_t typeAt(size_t i) const { return _tokens[i]->getType(); }
  /// LT(1), inline.
  antlr4::Token* next() { return filled_ ? _tokens[_p].get() : LT(1); }
  size_t nextOnChannel(size_t i) const;

 protected:
  size_t fetch(size_t n) override;

 private:
  struct Step {
    size_t from, to;
  };

  bool filled_ = false;
  Step consumed_{0, 0};  // the last consume()'s; `to` 0: none (consume moves forward)
};

/// MeshParser whose simulator reads the DFA's edges from a per-thread copy
/// (as the lexer's does) and predicts from them itself, whose rule entries
/// reach the parent context without a dynamic_cast (every context of a
/// parse is a ParserRuleContext), and whose terminal nodes, like its
/// contexts, are made in MeshParser's arena (grammar/Mesh.g4).
/// Rule exits, which are not virtual, are MeshParser's own (grammar/Mesh.g4).
class Parser final : public grammar::MeshParser {
 public:
  explicit Parser(TokenStream* input);

  void enterRule(antlr4::ParserRuleContext* localctx, size_t state, size_t ruleIndex) override;
  void enterOuterAlt(antlr4::ParserRuleContext* localctx, size_t altNum) override;
  antlr4::Token* match(size_t ttype) override;
  antlr4::Token* consume() override;
  void reset() override;

 protected:
  void addContextToParseTree() override;

 private:
  /// The token stream, when it is still the one the parser was made with
  /// (reached without virtual calls); null otherwise.
  TokenStream* stream() const { return _input == stream_ ? stream_ : nullptr; }

  TokenStream* stream_;
};

}  // namespace mesh::syntax
