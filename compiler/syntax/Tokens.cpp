// Tokens: LexedToken's text (see Tokens.h).
#include "syntax/Tokens.h"

#include <sstream>

namespace mesh::syntax {

// What CommonToken::getText answers: the text set, else the input's
// characters from start to stop, "<EOF>" past the input's end.
std::string LexedToken::getText() const {
  if (!text_.empty()) return text_;
  if (!input_) return "";
  size_t size = input_->size();
  if (start_ >= size || stop_ >= size) return "<EOF>";
  return input_->getText(antlr4::misc::Interval(start_, stop_));
}

// For debugging: index, range, text, type, channel (when not the default),
// line and column, as CommonToken prints them.
std::string LexedToken::toString() const {
  std::ostringstream out;
  std::string text = getText();
  out << "[@" << static_cast<long long>(index_) << "," << static_cast<long long>(start_) << ":"
      << static_cast<long long>(stop_) << "='" << (text.empty() ? "<no text>" : antlrcpp::escapeWhitespace(text, false))
      << "',<" << static_cast<long long>(type_) << ">";
  if (channel_ > 0) out << ",channel=" << channel_;
  out << "," << line_ << ":" << column_ << "]";
  return out.str();
}

}  // namespace mesh::syntax
