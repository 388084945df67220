// JsonWriter and its writers (json_write.h), each against the plain
// definition it replaces: appendJsonString, Decimal::str, formatTimestamp,
// formatDate, std::to_chars.
#include "meshrt/json_write.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>

#include "meshrt/report.h"

namespace {
std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// The text of a decimal by the definition: the digits of |unscaled|, padded
// with zeros to more than `scale` digits, a point before the last `scale`.
std::string decimalText(__int128 unscaled, int scale) {
  bool negative = unscaled < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(unscaled) : static_cast<unsigned __int128>(unscaled);
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u);
  while (digits.size() <= static_cast<size_t>(scale)) digits.insert(digits.begin(), '0');
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  return (negative ? "-" : "") + digits;
}
}  // namespace

TEST_CASE("Decimal text: every scale, around every power of ten, both signs") {
  for (int scale = 0; scale <= 38; ++scale) {
    __int128 p = 1;
    for (int k = 0; k < 38; ++k, p *= 10) {  // |unscaled| < 10^38: p * 10 - 1 is the largest
      for (__int128 base : {p - 1, p, p + 1, p * 7 / 3, p * 10 - 1}) {
        for (__int128 v : {base, -base}) {
          CAPTURE(scale);
          CAPTURE(k);
          meshrt::Decimal d{v, scale};
          CHECK(d.str() == decimalText(v, scale));
        }
      }
    }
  }
}

TEST_CASE("JsonWriter grows from empty and keeps what was written") {
  meshrt::JsonWriter out;
  CHECK(out.size() == 0);
  CHECK(out.view().empty());
  std::string expected;
  for (int i = 0; i < 5000; ++i) {
    out.literal("ab");
    out.put(static_cast<char>('0' + i % 10));
    expected += "ab";
    expected += static_cast<char>('0' + i % 10);
  }
  CHECK(out.str() == expected);
  out.clear();
  CHECK(out.size() == 0);
  out.literal("{}");
  CHECK(out.str() == "{}");
}

TEST_CASE("writeString escapes as appendJsonString at every byte and length") {
  // Every byte alone, and strings of lengths around the short-string limit
  // (64) with an escaped byte at the start, the middle and the end.
  for (int c = 0; c < 256; ++c) {
    std::string s(1, static_cast<char>(c));
    meshrt::JsonWriter out;
    meshrt::writeString(out, s);
    std::string expected;
    meshrt::appendJsonString(expected, s);
    CHECK(out.str() == expected);
  }
  for (size_t n : {0, 1, 7, 8, 9, 12, 15, 16, 17, 63, 64, 65, 200, 5000}) {
    for (size_t at = 0; at<std::max<size_t>(n, 1); at += n> 20 ? n / 3 : 1) {
      std::string s(n, 'x');
      if (n) s[at] = (at % 2) ? '"' : '\x01';
      meshrt::JsonWriter out;
      out.literal("[");
      meshrt::writeString(out, s);
      std::string expected = "[";
      meshrt::appendJsonString(expected, s);
      CAPTURE(n);
      CAPTURE(at);
      CHECK(out.str() == expected);
    }
  }
  // Every byte an escape: the worst case of the short path's reservation.
  std::string controls(64, '\x1f');
  meshrt::JsonWriter out;
  meshrt::writeString(out, controls);
  std::string expected;
  meshrt::appendJsonString(expected, controls);
  CHECK(out.str() == expected);
}

TEST_CASE("writeDecimal, writeTimestamp, writeDate and writeNumber write the known texts, quoted where JSON strings") {
  for (auto d : {meshrt::Decimal{0, 2}, meshrt::Decimal{5, 2}, meshrt::Decimal{-5, 2}, meshrt::Decimal{78228, 2},
                 meshrt::Decimal{static_cast<__int128>(-1) * 123456789012345678LL * 1000000000000LL, 10},
                 meshrt::Decimal{12, 0}}) {
    meshrt::JsonWriter out;
    meshrt::writeDecimal(out, d);
    CHECK(out.str() == quoted(d.str()));
  }
  for (int64_t micros :
       {int64_t(0), int64_t(1500000), int64_t(123), int64_t(-1), int64_t(1795000000000000), INT64_MAX, INT64_MIN + 1}) {
    meshrt::JsonWriter out;
    meshrt::writeTimestamp(out, meshrt::Timestamp{micros});
    CAPTURE(micros);
    CHECK(out.str() == quoted(meshrt::formatTimestamp(meshrt::Timestamp{micros})));
  }
  for (int32_t days : {0, -1, 20000, 2932896, -719468, INT32_MAX, INT32_MIN}) {
    meshrt::JsonWriter out;
    meshrt::writeDate(out, meshrt::Date{days});
    CAPTURE(days);
    CHECK(out.str() == quoted(meshrt::formatDate(meshrt::Date{days})));
  }
  for (int64_t v : {int64_t(0), int64_t(-7), INT64_MAX, INT64_MIN}) {
    meshrt::JsonWriter out;
    meshrt::writeNumber(out, v);
    CHECK(out.str() == std::to_string(v));
  }
  for (double v : {0.0, -0.5, 1e300, 5e-324, 0.1}) {
    meshrt::JsonWriter out;
    meshrt::writeNumber(out, v);
    char buf[64];
    CHECK(out.str() == std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr));
  }
}
