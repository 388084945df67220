// Session: token positions and the syntax error count of one file's parse
// (see Session.h).
#include "syntax/Session.h"

#include <algorithm>

#include "syntax/Parse.h"

namespace mesh::syntax {

using antlr4::Token;

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

SourceRange Session::endOfFile() const {
  uint32_t end = sm.text(file).size();
  return {file, end, end};
}

// CommonToken::getText() and ANTLRInputStream::getText(), on the file's bytes.
std::string_view Session::spelling(const Token* t) const {
  if (const std::string& set = TokenFields::text(t); !set.empty()) return set;
  size_t start = TokenFields::start(t), stop = TokenFields::stop(t), size = offsets.codePoints();
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
