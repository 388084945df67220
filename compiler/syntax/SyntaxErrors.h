// SyntaxErrors: lexical and syntax errors in meshc's words. The lexer's
// error tokens are reported and repaired, nesting is capped before parsing,
// and the parser's error strategy names what was expected ("expected ';'
// after field declaration") instead of ANTLR's token sets, with recovery
// that makes one message per mistake. Internal to compiler/syntax.
#pragma once

#include <memory>
#include <vector>

#include "antlr4-runtime.h"
#include "syntax/Session.h"

namespace mesh::syntax {

class TokenStream;  // syntax/Recognizers.h

/// Reports the lexer's error tokens (stray characters, unterminated strings
/// and block comments, malformed numbers) and the invalid UTF-8 at the byte
/// offsets `invalidUtf8`, and turns the tokens into what the parser should
/// see, so that one mistake makes one message.
void reportLexicalErrors(Session& s, TokenStream& tokens, const std::vector<uint32_t>& invalidUtf8);

/// Rejects (with one error) input nested deeper than kMaxNesting, which the
/// parser's recursion could not take.
bool checkNesting(Session& s, TokenStream& tokens, const antlr4::dfa::Vocabulary& vocab);

/// The parser's error strategy: reports through `s` and recovers at the next
/// item of keyword-led blocks; throws TooManyErrors past the cap.
std::shared_ptr<antlr4::ANTLRErrorStrategy> makeErrorStrategy(Session& s);

/// The lexer's listener: its catch-all token leaves it only internal
/// surprises to report.
class SilentLexerListener : public antlr4::BaseErrorListener {
 public:
  explicit SilentLexerListener(Session& s) : s_(s) {}
  void syntaxError(antlr4::Recognizer*, antlr4::Token*, size_t line, size_t col, const std::string&,
                   std::exception_ptr) override;

 private:
  Session& s_;
};

}  // namespace mesh::syntax
