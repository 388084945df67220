// Session: token positions and the syntax error count of one file's parse
// (see Session.h).
#include "syntax/Session.h"

#include <algorithm>

#include "syntax/Parse.h"

namespace mesh::syntax {

using antlr4::Token;

OffsetMap::OffsetMap(llvm::StringRef text) {
  if (isAscii(text)) {
    size_ = text.size();
    return;
  }
  for (size_t i = byteOrderMarkLength(text); i < text.size(); ++i)
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) table_.push_back(i);
  size_ = text.size();
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

std::string Session::textOf(const Token* t) const {
  size_t start = t->getStartIndex(), stop = t->getStopIndex();
  if (t->getType() == Token::EOF || t->getTokenIndex() == kNoIndex || start == kNoIndex || stop == kNoIndex ||
      stop < start || isMissingNumber(t))
    return t->getText();
  uint32_t begin = offsets.byteOf(start), end = offsets.byteOf(stop + 1);
  return sm.text(file).slice(begin, end).str();
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
