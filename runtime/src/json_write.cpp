// json_write.cpp: JsonWriter and the writers generated serializers call.
#include "meshrt/json_write.h"

#include <algorithm>
#include <charconv>
#include <new>

namespace meshrt {

void JsonWriter::grow(size_t n) {
  size_t want = std::max({capacity_ * 2, size_ + n, size_t(256)});
  char* bigger = static_cast<char*>(std::realloc(data_, want));
  if (!bigger) throw std::bad_alloc();
  data_ = bigger;
  capacity_ = want;
}

namespace {

// The bytes a JSON string escapes: control characters, '"', '\' and DEL.
struct EscapeTable {
  bool escape[256] = {};
  constexpr EscapeTable() {
    for (int c = 0; c < 0x20; ++c) escape[c] = true;
    escape[static_cast<unsigned char>('"')] = escape[static_cast<unsigned char>('\\')] = escape[0x7F] = true;
  }
};
constexpr EscapeTable kEscape;

// Writes the escape of c at p; returns its end.
char* escapeTo(char* p, unsigned char c) {
  static const char* hex = "0123456789abcdef";
  *p++ = '\\';
  switch (c) {
    case '"':
      *p++ = '"';
      break;
    case '\\':
      *p++ = '\\';
      break;
    case '\n':
      *p++ = 'n';
      break;
    case '\r':
      *p++ = 'r';
      break;
    case '\t':
      *p++ = 't';
      break;
    case '\b':
      *p++ = 'b';
      break;
    case '\f':
      *p++ = 'f';
      break;
    default:
      *p++ = 'u';
      *p++ = '0';
      *p++ = '0';
      *p++ = hex[c >> 4];
      *p++ = hex[c & 15];
  }
  return p;
}

}  // namespace

namespace {
uint64_t load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}
void store8(char* p, uint64_t w) { std::memcpy(p, &w, 8); }

// Whether any byte of w needs an escape (exact as an "any" test: a borrow
// only flags bytes above one that is flagged).
bool wordEscapes(uint64_t w) {
  constexpr uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto zeroByte = [&](uint64_t v) { return (v - ones) & ~v & highs; };
  return (((w - ones * 0x20) & ~w & highs) | zeroByte(w ^ (ones * '"')) | zeroByte(w ^ (ones * '\\')) |
          zeroByte(w ^ (ones * 0x7F))) != 0;
}
}  // namespace

void writeString(JsonWriter& out, std::string_view s) {
  size_t n = s.size();
  if (n >= 8 && n <= 16) {
    // Names, ids, codes: two overlapping words checked and copied whole.
    uint64_t a = load8(s.data()), b = load8(s.data() + n - 8);
    if (!wordEscapes(a) && !wordEscapes(b)) {
      char* p = out.room(n + 2);
      p[0] = '"';
      store8(p + 1, a);
      store8(p + 1 + n - 8, b);
      p[n + 1] = '"';
      out.commit(n + 2);
      return;
    }
  }
  // Most strings need no escape: one branch-free pass to find out (compilers
  // vectorize it), then one copy.
  unsigned escapes = 0;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    escapes |= static_cast<unsigned>(c < 0x20) | static_cast<unsigned>(c == '"') | static_cast<unsigned>(c == '\\') |
               static_cast<unsigned>(c == 0x7F);
  }
  if (!escapes) {
    char* p = out.room(s.size() + 2);
    p[0] = '"';
    if (!s.empty()) std::memcpy(p + 1, s.data(), s.size());
    p[s.size() + 1] = '"';
    out.commit(s.size() + 2);
    return;
  }
  constexpr size_t kShort = 64;
  if (s.size() <= kShort) {
    // Room for the worst case (every byte a \u00XX), then one pass.
    char* start = out.room(s.size() * 6 + 2);
    char* p = start;
    *p++ = '"';
    for (char ch : s) {
      auto c = static_cast<unsigned char>(ch);
      if (kEscape.escape[c])
        p = escapeTo(p, c);
      else
        *p++ = ch;
    }
    *p++ = '"';
    out.commit(static_cast<size_t>(p - start));
    return;
  }
  // Long strings: runs without escapes copied whole.
  out.put('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!kEscape.escape[c]) continue;
    out.append(s.data() + run, i - run);
    char* p = out.room(6);
    out.commit(static_cast<size_t>(escapeTo(p, c) - p));
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out.put('"');
}

void writeNumber(JsonWriter& out, int64_t v) {
  char* p = out.room(24);
  out.commit(static_cast<size_t>(std::to_chars(p, p + 24, v).ptr - p));
}

void writeNumber(JsonWriter& out, double v) {
  char* p = out.room(64);
  out.commit(static_cast<size_t>(std::to_chars(p, p + 64, v).ptr - p));
}

void writeDecimal(JsonWriter& out, const Decimal& d) {
  char buf[Decimal::kFormattedSize];
  char* end = buf + sizeof buf;
  char* start = d.formatTo(end);
  auto n = static_cast<size_t>(end - start);
  char* p = out.room(n + 2);
  p[0] = '"';
  std::memcpy(p + 1, start, n);
  p[n + 1] = '"';
  out.commit(n + 2);
}

namespace {
// A quoted text `format(at)` writes at `at` (at most kFormattedTimeSize
// bytes), returning its length.
template <typename Format>
void writeQuotedTime(JsonWriter& out, Format format) {
  char* p = out.room(kFormattedTimeSize + 2);
  p[0] = '"';
  size_t n = format(p + 1);
  p[n + 1] = '"';
  out.commit(n + 2);
}
}  // namespace

void writeTimestamp(JsonWriter& out, Timestamp t) {
  writeQuotedTime(out, [&](char* at) { return formatTimestampTo(t, at); });
}

void writeDate(JsonWriter& out, Date d) {
  writeQuotedTime(out, [&](char* at) { return formatDateTo(d, at); });
}

}  // namespace meshrt
