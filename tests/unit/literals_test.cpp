// Units of syntax/Literals: the values of literal tokens, valid and invalid
// text, and the edges (64-bit overflow, unit overflow, leap days, bad and
// surrogate escapes).
#include "syntax/Literals.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <utility>

using namespace mesh::syntax;
using Kind = EscapeError::Kind;

namespace {

/// Each text decodes to its value.
template <class T, class Decode>
void checkValues(Decode decode, std::initializer_list<std::pair<const char*, T>> cases) {
  for (const auto& [text, value] : cases) {
    CAPTURE(text);
    CHECK(decode(text) == value);
  }
}

/// None of the texts decodes.
template <class Decode>
void checkRefused(Decode decode, std::initializer_list<const char*> texts) {
  for (const char* text : texts) {
    CAPTURE(text);
    CHECK_FALSE(decode(text));
  }
}

constexpr uint64_t kMax64 = std::numeric_limits<uint64_t>::max();

}  // namespace

TEST_CASE("literals: unsigned integers, decimal and hex, with separators") {
  checkValues<uint64_t>(decodeUnsigned, {{"0", 0},
                                         {"1_000", 1000},
                                         {"1__", 1},
                                         {"0xFF", 255},
                                         {"0X1_0", 16},
                                         {"0xffff_ffff_ffff_ffff", kMax64},
                                         {"18446744073709551615", kMax64},
                                         {"007", 7}});
}

TEST_CASE("literals: unsigned integers that are not") {
  // 2^64 and more, empty or bare separators, a bare 0x, letters, signs.
  checkRefused(decodeUnsigned,
               {"18446744073709551616", "0x1_0000_0000_0000_0000", "", "_", "0x", "0x_", "12a", "-1", "+1"});
}

TEST_CASE("literals: floats") {
  // Underflow is still a number (0); overflow is not.
  checkValues<double>(decodeFloat,
                      {{"1.5", 1.5}, {"1_000.25", 1000.25}, {"1e3", 1000.0}, {"2.5E-1", 0.25}, {"1e-400", 0.0}});
  checkRefused(decodeFloat, {"1e400", "1_0e99_9"});
}

TEST_CASE("literals: durations in microseconds") {
  // The longest duration int64 microseconds hold, in days and in ms, and one more.
  checkValues<int64_t>(decodeDurationMicros, {{"250ms", 250'000},
                                              {"5s", 5'000'000},
                                              {"5m", 300'000'000},
                                              {"2h", 7'200'000'000},
                                              {"7d", 604'800'000'000},
                                              {"1w", 604'800'000'000},
                                              {"1y", 365 * 86'400'000'000LL},
                                              {"292471y", 292471 * 365 * 86'400'000'000LL},
                                              {"1_0s", 10'000'000},
                                              {"0ms", 0},
                                              {"106751991d", 106751991LL * 86'400'000'000},
                                              {"9223372036854775ms", 9223372036854775000}});
  // Over 64 bits after scaling or before it, an unknown unit, no unit, no number.
  checkRefused(decodeDurationMicros,
               {"106751992d", "9223372036854776ms", "99999999999999999999s", "292472y", "5q", "5", "ms"});
  CHECK(durationUnitList() == "ms, s, m, h, d, w, y");
}

TEST_CASE("literals: percentages") {
  checkValues<double>(decodePercent, {{"99.9%", 99.9}, {"1_000%", 1000.0}, {"0%", 0.0}, {"100.000_1%", 100.0001}});
}

TEST_CASE("literals: rates in events per second") {
  checkValues<double>(decodeRatePerSecond, {{"1000/s", 1000.0}, {"1_000/s", 1000.0}, {"6/min", 0.1}, {"7200/h", 2.0}});
  checkRefused(decodeRatePerSecond, {"18446744073709551616/s", "5/d", "5", "/s"});
}

TEST_CASE("literals: dates that exist") {
  auto d = decodeDate("2027-03-31");
  REQUIRE(d);
  CHECK(d->year == 2027);
  CHECK(d->month == 3);
  CHECK(d->day == 31);
  CHECK(decodeDate("2024-02-29"));  // leap year
  CHECK(decodeDate("2000-02-29"));  // divisible by 400
  CHECK(decodeDate("0000-01-01"));
  CHECK(decodeDate("9999-12-31"));
}

TEST_CASE("literals: dates that do not") {
  // Not a leap year (1900: divisible by 100, not 400), no month 13 or 0, no
  // April 31, no day 0, other separators, a short year, letters, a long day.
  checkRefused(decodeDate, {"2023-02-29", "1900-02-29", "2027-13-01", "2027-00-10", "2027-04-31", "2027-01-00",
                            "2027/01/01", "27-01-01", "2027-1a-01", "2027-01-011"});
}

TEST_CASE("literals: strings and their escapes") {
  CHECK(decodeString(R"("abc")").value == "abc");
  CHECK(decodeString(R"("")").value.empty());
  auto s = decodeString(R"("a\"b\\c\n\t\r")");
  CHECK(s.value == "a\"b\\c\n\t\r");
  CHECK(s.errors.empty());
  CHECK(decodeString(R"("\u{41}")").value == "A");
  CHECK(decodeString(R"("\u{e9}")").value == "\xC3\xA9");
  CHECK(decodeString(R"("\u{20AC}")").value == "\xE2\x82\xAC");
  CHECK(decodeString(R"("\u{1F600}")").value == "\xF0\x9F\x98\x80");
  CHECK(decodeString(R"("\u{10FFFF}")").value == "\xF4\x8F\xBF\xBF");
  CHECK(decodeString(R"("\u{00000A}")").value == "\n");
  CHECK(decodeString("\"caf\xC3\xA9\"").value == "caf\xC3\xA9");  // UTF-8 passes through
}

TEST_CASE("literals: bad unicode escapes") {
  for (const char* text :
       {R"("\u{110000}")", R"("\u{D800}")", R"("\u{DFFF}")", R"("\u{}")", R"("\u{1234567}")", R"("\u{zz}")"}) {
    CAPTURE(text);
    auto s = decodeString(text);
    REQUIRE(s.errors.size() == 1);
    CHECK(s.errors[0].kind == Kind::Unicode);
    CHECK(s.errors[0].begin == 1);                                // the backslash
    CHECK(s.errors[0].end == std::string_view(text).size() - 1);  // through the '}'
    CHECK(s.value.empty());
  }
  CHECK(decodeString(R"("\u{D7FF}\u{E000}")").errors.empty());  // either side of the surrogates
  // Without braces: the error covers `\u`, the rest is text.
  auto s = decodeString(R"("\u41")");
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0].begin == 1);
  CHECK(s.errors[0].end == 3);
  CHECK(s.value == "41");
  // A '}' further on ends the bad escape there.
  s = decodeString(R"("\uab}c")");
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0].end == 6);
  CHECK(s.value == "c");
}

TEST_CASE("literals: unknown escapes") {
  auto s = decodeString(R"("a\qb")");
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0].kind == Kind::Unknown);
  CHECK(s.errors[0].begin == 2);
  CHECK(s.errors[0].end == 4);
  CHECK(s.value == "ab");
  // A multi-byte character after the backslash stays whole in the range.
  s = decodeString("\"\\\xC3\xA9\"");
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0].end == 4);
  // A backslash before the closing quote escapes nothing.
  s = decodeString(R"("a\")");
  REQUIRE(s.errors.size() == 1);
  CHECK(s.errors[0].begin == 2);
  CHECK(s.errors[0].end == 3);
  CHECK(s.value == "a");
  // Several errors, in order; the good parts are kept.
  s = decodeString(R"("\d+\u{D800}x\s")");
  REQUIRE(s.errors.size() == 3);
  CHECK(s.errors[0].kind == Kind::Unknown);
  CHECK(s.errors[1].kind == Kind::Unicode);
  CHECK(s.errors[2].kind == Kind::Unknown);
  CHECK(s.errors[1].begin == 4);
  CHECK(s.value == "+x");
}

TEST_CASE("literals: raw strings keep their text") {
  CHECK(decodeRawString(R"(r"a\d+")") == R"(a\d+)");
  CHECK(decodeRawString(R"(r"")").empty());
}
