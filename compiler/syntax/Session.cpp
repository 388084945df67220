// Session: token positions and the syntax error count of one file's parse
// (see Session.h).
#include "syntax/Session.h"

#include <algorithm>

#include "syntax/Parse.h"

namespace mesh::syntax {

using antlr4::Token;

namespace {

// The text CommonToken::setText() gave a token, which getText() returns
// before the input's: a protected member, reached through a class derived
// from CommonToken. Every token of a parse is one (Recognizers' lexer and
// the runtime's token factory make no other).
struct SetText : antlr4::CommonToken {
  static const std::string& of(const Token* t) {
    return static_cast<const antlr4::CommonToken*>(t)->*(&SetText::_text);
  }
};

}  // namespace

OffsetMap::OffsetMap(llvm::StringRef text) {
  size_ = text.size();
  if (isAscii(text)) {
    codePoints_ = size_;
    return;
  }
  for (size_t i = byteOrderMarkLength(text); i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) table_.push_back(i);
  codePoints_ = table_.size();
}

SourceRange Session::rangeOf(const Token* t) const {
  if (!t) return {};
  if (t->getType() == Token::EOF) {
    uint32_t end = sm.text(file).size();
    return {file, end, end};
  }
  size_t start = t->getStartIndex(), stop = t->getStopIndex();
  if (start == kNoIndex || stop == kNoIndex) return {};
  return {file, offsets.byteOf(start), offsets.byteOf(stop + 1)};
}

SourceRange Session::rangeOf(antlr4::ParserRuleContext* ctx) const {
  if (!ctx || !ctx->getStart()) return {};
  SourceRange begin = rangeOf(ctx->getStart());
  const Token* stop = ctx->getStop();
  if (!stop || stop->getTokenIndex() == kNoIndex || stop->getTokenIndex() < ctx->getStart()->getTokenIndex())
    return begin;
  return SourceRange::cover(begin, rangeOf(stop));
}

bool Session::isMissingNumber(const Token* t) const {
  return !missingNumbers.empty() &&
         std::binary_search(missingNumbers.begin(), missingNumbers.end(), t->getTokenIndex());
}

// CommonToken::getText() and ANTLRInputStream::getText(), on the file's bytes.
std::string_view Session::spelling(const Token* t) const {
  if (const std::string& set = SetText::of(t); !set.empty()) return set;
  size_t start = t->getStartIndex(), stop = t->getStopIndex(), size = offsets.codePoints();
  if (start >= size || stop >= size) return "<EOF>";
  if (stop < start) return {};
  uint32_t begin = offsets.byteOf(start), end = offsets.byteOf(stop + 1);
  return std::string_view(sm.text(file)).substr(begin, end - begin);
}

void Session::syntaxError(SourceRange at, std::string message, size_t token) {
  errorOffsets.push_back(at.begin);
  for (auto [begin, end] : quiet)
    if (at.begin >= begin && at.begin <= end) return;
  if (token != kNoIndex) {
    bool nearPrevious = anyError && token >= lastErrorToken && token <= lastErrorToken + 2;
    lastErrorToken = token;
    anyError = true;
    if (nearPrevious) return;
  }
  if (++syntaxErrors > kMaxSyntaxErrorsPerFile) {
    diags.report(DiagKind::E0007, at, "too many syntax errors in this file; giving up on it");
    throw TooManyErrors{};
  }
  diags.report(DiagKind::E0007, at, std::move(message));
}

}  // namespace mesh::syntax
