// report.cpp: JSON output of validation results.
#include "meshrt/report.h"

#include <iterator>

namespace meshrt {

const char* ruleName(Rule rule) {
  // Indexed by Rule, in its order.
  static constexpr const char* kNames[] = {"parse", "type", "required", "unknown", "enum", "format", "where", "check"};
  static_assert(std::size(kNames) == kRuleCount, "a name per Rule");
  return kNames[static_cast<size_t>(rule)];
}

void appendJsonString(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  // Runs of bytes that need no escape are appended whole.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F) continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

namespace {

std::string escapeControls(std::string_view text, bool keepLineFeeds) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  auto escape = [&](unsigned char code) {
    out += "\\u{";
    if (code >= 16) out += hex[code >> 4];
    out += hex[code & 15];
    out += '}';
  };
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    // C1 controls (U+0080 to U+009F) are 0xC2 0x80 to 0xC2 0x9F in UTF-8.
    auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if (c == 0xC2 && next >= 0x80 && next <= 0x9F) {
      escape(next);
      ++i;
    } else if (c == '\n') {
      out += keepLineFeeds ? "\n" : "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if ((c < 0x20 && c != '\t') || c == 0x7F) {
      escape(c);
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

std::string escapeControlCharacters(std::string_view text) { return escapeControls(text, false); }

std::string escapeControlCharactersInLines(std::string_view text) { return escapeControls(text, true); }

void appendPathMember(std::string& path, std::string_view name) {
  bool identifier = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name)
    identifier = identifier && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
  if (identifier) {
    path += '.';
    path += name;
  } else {
    appendPathKey(path, name);
  }
}

void appendPathKey(std::string& path, std::string_view key) {
  path += '[';
  appendJsonString(path, key);
  path += ']';
}

void appendPathIndex(std::string& path, uint64_t index) {
  path += '[';
  path += std::to_string(index);
  path += ']';
}

void appendPathPosition(std::string& path, uint64_t position) {
  path += "[#";
  path += std::to_string(position);
  path += ']';
}

void appendResultLine(std::string& out, uint64_t line, const std::vector<Violation>& violations) {
  out += "{\"line\":";
  out += std::to_string(line);
  if (violations.empty()) {
    out += ",\"valid\":true}\n";
    return;
  }
  out += ",\"valid\":false,\"violations\":[";
  for (size_t i = 0; i < violations.size(); ++i) {
    const Violation& v = violations[i];
    if (i) out += ',';
    out += "{\"path\":";
    appendJsonString(out, v.path);
    out += ",\"rule\":\"";
    out += ruleName(v.rule);
    out += "\",\"message\":";
    appendJsonString(out, v.message);
    out += '}';
  }
  out += "]}\n";
}

}  // namespace meshrt
