// The fast paths of meshrt's JSON reading (json_read.h, decimal.cpp): each
// against the plain definition it replaces, at every length and position.
#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <string>

#include "meshrt/decimal.h"
#include "meshrt/json_read.h"

namespace {

// What plainKey must answer: the text up to the closing quote, when no
// backslash or control character comes first.
bool plainByDefinition(const std::string& s, std::string_view& out) {
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '"') {
      out = std::string_view(s.data(), i);
      return true;
    }
    if (c == '\\' || c < 0x20) return false;
  }
  return false;
}

}  // namespace

TEST_CASE("plainKey finds the first quote, backslash or control character eight bytes at a time") {
  const unsigned char stops[] = {'"', '\\', 0x00, 0x01, 0x1F};
  const unsigned char fillers[] = {'a', ' ', '!', '#', '[', ']', 0x7F, 0x80, 0xA0, 0xC3, 0xFF, '"' + 1, '\\' + 1, 0x20};
  for (size_t length = 0; length < 40; ++length) {
    for (unsigned char stop : stops) {
      for (unsigned char filler : fillers) {
        // `length` fillers, the stop, then a quote and padding (as in simdjson's buffer).
        std::string text(length, static_cast<char>(filler));
        text += static_cast<char>(stop);
        text += '"';
        text.append(64, '\0');
        std::string_view fast, slow;
        bool fastPlain = meshrt::plainKey(text.data(), fast);
        bool slowPlain = plainByDefinition(text, slow);
        CAPTURE(length);
        CAPTURE(static_cast<int>(stop));
        CAPTURE(static_cast<int>(filler));
        REQUIRE(fastPlain == slowPlain);
        if (fastPlain) CHECK(fast == slow);
      }
    }
  }
  // A stop byte right after a byte that borrows in the subtraction (0x00
  // then '"') still ends the text at the first of them.
  std::string text("ab\x00\"cd\"", 7);
  text.append(64, '\0');
  std::string_view out;
  CHECK_FALSE(meshrt::plainKey(text.data(), out));
}

TEST_CASE("plainInteger takes only the plain integers, the general path all others") {
  int64_t v = 0;
  CHECK(meshrt::plainInteger("0", v));
  CHECK(v == 0);
  CHECK(meshrt::plainInteger("-0", v));
  CHECK(v == 0);
  CHECK(meshrt::plainInteger("42", v));
  CHECK(v == 42);
  CHECK(meshrt::plainInteger("-123456789012345678", v));
  CHECK(v == -123456789012345678LL);
  CHECK(meshrt::plainInteger("999999999999999999", v));
  CHECK(v == 999999999999999999LL);
  for (const char* other : {"", "-", "01", "-01", "1.0", "1e2", "1E2", "+1", "1 ", "12a", "1234567890123456789", "--1"})
    CHECK_MESSAGE(!meshrt::plainInteger(other, v), other);
}

TEST_CASE("MapFiller reuses the map's nodes and finds duplicate keys") {
  std::map<std::string, std::string> map{{"a", "1"}, {"b", "2"}};
  const auto* reused = &map.begin()->second;
  {
    meshrt::MapFiller<std::map<std::string, std::string>> filler(map);
    std::string* slot = filler.add("channel");
    REQUIRE(slot != nullptr);
    CHECK(slot == reused);  // the first old node, renamed
    *slot = "web";
    CHECK(filler.add("channel") == nullptr);  // a duplicate
    std::string* second = filler.add("campaign");
    REQUIRE(second != nullptr);
    *second = "x";
    std::string* third = filler.add("zz");  // no spare node left: a new one
    REQUIRE(third != nullptr);
    *third = "y";
    CHECK(filler.add("zz") == nullptr);
    CHECK(filler.add("campaign") == nullptr);
  }
  CHECK(map == std::map<std::string, std::string>{{"campaign", "x"}, {"channel", "web"}, {"zz", "y"}});
  {
    meshrt::MapFiller<std::map<std::string, std::string>> filler(map);  // an empty object
  }
  CHECK(map.empty());
}

TEST_CASE("decimal comparison: same scale, signs, and aligned scales agree") {
  using meshrt::Decimal;
  auto cmp = [](Decimal a, Decimal b) { return meshrt::compare(a, b); };
  CHECK(cmp(Decimal{150, 2}, Decimal{0, 0}) == 1);
  CHECK(cmp(Decimal{-150, 2}, Decimal{0, 0}) == -1);
  CHECK(cmp(Decimal{0, 2}, Decimal{0, 0}) == 0);
  CHECK(cmp(Decimal{150, 2}, Decimal{15, 1}) == 0);
  CHECK(cmp(Decimal{151, 2}, Decimal{15, 1}) == 1);
  CHECK(cmp(Decimal{-151, 2}, Decimal{-15, 1}) == -1);
  CHECK(cmp(Decimal{-1, 2}, Decimal{1, 5}) == -1);
  CHECK(cmp(Decimal{7, 3}, Decimal{7, 3}) == 0);
  CHECK(cmp(Decimal{7, 3}, Decimal{8, 3}) == -1);
  // Parsing keeps 18 and more significant digits exact.
  Decimal d;
  REQUIRE(meshrt::parseDecimal("123456789012345678.12", false, 38, 2, d) == meshrt::DecimalParse::Ok);
  CHECK(d.str() == "123456789012345678.12");
  REQUIRE(meshrt::parseDecimal("1234567890123456.78", false, 20, 2, d) == meshrt::DecimalParse::Ok);
  CHECK(d.str() == "1234567890123456.78");
  REQUIRE(meshrt::parseDecimal("-0.5e1", true, 4, 2, d) == meshrt::DecimalParse::Ok);
  CHECK(d.str() == "-5.00");
}

TEST_CASE("JSON doubles: from_chars and the strtod fallback agree with the range rules") {
  CHECK(*meshrt::parseJsonDouble("1.5") == 1.5);
  CHECK(*meshrt::parseJsonDouble("-0.1e-2") == -0.001);
  CHECK(*meshrt::parseJsonDouble("1e-400") == 0.0);  // underflow is fine
  CHECK(meshrt::parseJsonDouble("4.9e-324").has_value());
  CHECK_FALSE(meshrt::parseJsonDouble("1e400").has_value());  // overflow is not
  CHECK_FALSE(meshrt::parseJsonDouble("1.").has_value());
  CHECK_FALSE(meshrt::parseJsonDouble("0x10").has_value());
}
