// Text: user text made safe to print on a terminal (see Text.h).
#include "support/Text.h"

#include <fmt/format.h>

namespace mesh {
namespace {

std::string escape(std::string_view text, bool keepLineFeeds) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    // C1 controls (U+0080 to U+009F) are 0xC2 0x80 to 0xC2 0x9F in UTF-8.
    bool c1 = c == 0xC2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9F &&
              static_cast<unsigned char>(text[i + 1]) >= 0x80;
    if (c1) {
      out += fmt::format("\\u{{{:X}}}", static_cast<unsigned char>(text[++i]));
    } else if (c == '\n' && !keepLineFeeds) {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      out += fmt::format("\\u{{{:X}}}", c);
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string escapeControlCharacters(std::string_view text) { return escape(text, false); }

std::string escapeControlCharactersInLines(std::string_view text) { return escape(text, true); }

}  // namespace mesh
