// report.cpp: JSON output of validation results.
#include "meshrt/report.h"

namespace meshrt {

const char* ruleName(Rule rule) {
  switch (rule) {
    case Rule::Parse: return "parse";
    case Rule::Type: return "type";
    case Rule::Required: return "required";
    case Rule::Unknown: return "unknown";
    case Rule::Enum: return "enum";
    case Rule::Format: return "format";
    case Rule::Where: return "where";
    case Rule::Check: return "check";
  }
  return "parse";
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
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

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
