// Literals: decoding the text of literal tokens (see Literals.h).
#include "syntax/Literals.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace mesh::syntax {
namespace {

std::string withoutSeparators(std::string_view text, std::string_view drop) {
  std::string out;
  for (char c : text)
    if (drop.find(c) == std::string_view::npos) out += c;
  return out;
}

bool isDigit(char c) { return c >= '0' && c <= '9'; }

void appendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// `\u{HEX}` with its backslash at `start` (the `u` at start + 1) in a string
// whose closing quote is at `end`. Appends the code point, or records the
// error; returns the index of the escape's last byte.
size_t decodeUnicodeEscape(std::string_view text, size_t start, size_t end, DecodedString& out) {
  size_t u = start + 1;
  size_t close = text.find('}', u);
  bool closed = close != std::string_view::npos && close < end;
  bool ok = u + 1 < end && text[u + 1] == '{' && closed;
  uint32_t cp = 0;
  if (ok) {
    std::string_view hex = text.substr(u + 2, close - u - 2);
    ok = !hex.empty() && hex.size() <= 6 &&
         std::all_of(hex.begin(), hex.end(), [](char h) { return std::isxdigit(static_cast<unsigned char>(h)); });
    if (ok) std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
    ok = ok && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
  }
  if (!ok) {
    size_t last = closed ? close : u;
    out.errors.push_back({EscapeError::Kind::Unicode, start, last + 1});
    return last;
  }
  appendUtf8(out.value, cp);
  return close;
}

// What the one-character escape \e stands for; '\0' when it is not one.
char simpleEscape(char e) {
  constexpr std::pair<char, char> kEscapes[] = {{'"', '"'}, {'\\', '\\'}, {'n', '\n'}, {'t', '\t'}, {'r', '\r'}};
  for (auto [escape, meaning] : kEscapes)
    if (escape == e) return meaning;
  return '\0';
}

}  // namespace

std::optional<uint64_t> decodeUnsigned(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  }
  std::string digits = withoutSeparators(text, "_");
  if (digits.empty()) return std::nullopt;
  uint64_t out = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
  if (ec != std::errc() || ptr != digits.data() + digits.size()) return std::nullopt;
  return out;
}

std::optional<double> decodeFloat(std::string_view text) {
  double value = std::strtod(withoutSeparators(text, "_").c_str(), nullptr);
  if (!std::isfinite(value)) return std::nullopt;
  return value;
}

namespace {
// The units of a duration (the lexer's DURATION token spells the same).
struct DurationUnit {
  std::string_view suffix;
  int64_t micros;
};
constexpr DurationUnit kDurationUnits[] = {
    {"ms", 1000},         {"s", 1000000},           {"m", 60000000LL},          {"h", 3600000000LL},
    {"d", 86400000000LL}, {"w", 7 * 86400000000LL}, {"y", 365 * 86400000000LL},
};
}  // namespace

std::string durationUnitList() {
  std::string out;
  for (const DurationUnit& u : kDurationUnits) out.append(out.empty() ? "" : ", ").append(u.suffix);
  return out;
}

std::optional<int64_t> decodeDurationMicros(std::string_view text) {
  size_t unitAt = std::min(text.find_first_not_of("0123456789_"), text.size());
  std::string_view unit = text.substr(unitAt);
  int64_t scale = 0;
  for (const DurationUnit& u : kDurationUnits)
    if (u.suffix == unit) scale = u.micros;
  std::optional<uint64_t> count = decodeUnsigned(text.substr(0, unitAt));
  if (!scale || !count || *count > static_cast<uint64_t>(INT64_MAX / scale)) return std::nullopt;
  return static_cast<int64_t>(*count) * scale;
}

double decodePercent(std::string_view text) { return std::strtod(withoutSeparators(text, "_%").c_str(), nullptr); }

std::optional<double> decodeRatePerSecond(std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view unit = text.substr(slash + 1);
  double per = unit == "s" ? 1 : unit == "min" ? 60 : unit == "h" ? 3600 : 0;
  std::optional<uint64_t> count = decodeUnsigned(text.substr(0, slash));
  if (!per || !count) return std::nullopt;
  return static_cast<double>(*count) / per;
}

bool isRealDate(int year, int month, int day) {
  if (month < 1 || month > 12 || day < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = days[month - 1];
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && leap) max = 29;
  return day <= max;
}

std::optional<ast::Date> decodeDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!isDigit(text[i])) return std::nullopt;
  auto number = [&](size_t at, size_t length) {
    int n = 0;
    std::from_chars(text.data() + at, text.data() + at + length, n);
    return n;
  };
  ast::Date date{number(0, 4), number(5, 2), number(8, 2)};
  if (!isRealDate(date.year, date.month, date.day)) return std::nullopt;
  return date;
}

DecodedString decodeString(std::string_view text) {
  DecodedString out;
  if (text.size() < 2) return out;
  size_t end = text.size() - 1;  // the closing quote
  for (size_t i = 1; i < end; ++i) {
    char c = text[i];
    if (c != '\\') {
      out.value += c;
      continue;
    }
    size_t start = i;
    char e = i + 1 < end ? text[++i] : '\0';
    if (char simple = simpleEscape(e)) {
      out.value += simple;
    } else if (e == 'u') {
      i = decodeUnicodeEscape(text, start, end, out);
    } else {
      // Keep the whole (possibly multi-byte) character in the range.
      while (i + 1 < end && (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80) ++i;
      out.errors.push_back({EscapeError::Kind::Unknown, start, i + 1});
    }
  }
  return out;
}

std::string decodeRawString(std::string_view token) {
  if (token.size() < 3) return {};
  return std::string(token.substr(2, token.size() - 3));
}

}  // namespace mesh::syntax
