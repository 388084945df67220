// The fast paths of meshrt's JSON reading (json_read.h, decimal.cpp): each
// against the plain definition it replaces, at every length and position.
#include "meshrt/json_read.h"

#include <doctest/doctest.h>

#include <cstring>
#include <map>
#include <optional>
#include <string>

#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/json_write.h"
#include "meshrt/report.h"

TEST_CASE("hasBackslash answers as memchr at every length and position") {
  const unsigned char fillers[] = {'a', ' ', '"', 0x00, 0x01, 0x5B, 0x5D, 0x7F, 0x80, 0xDC, 0xFF, '\\' + 1, '\\' - 1};
  for (size_t length = 0; length < 80; ++length) {
    for (unsigned char filler : fillers) {
      for (size_t at = 0; at <= length + 2; ++at) {
        // `length` fillers with a backslash at `at` (inside, just past the
        // end, or two past), then padding as in simdjson's buffer.
        std::string text(length + 3, static_cast<char>(filler));
        text[at] = '\\';
        text.append(64, '\0');
        bool expected = std::memchr(text.data(), '\\', length) != nullptr;
        CAPTURE(length);
        CAPTURE(at);
        CAPTURE(static_cast<int>(filler));
        REQUIRE(meshrt::hasBackslash(text.data(), length) == expected);
      }
    }
  }
  // A zero byte (which borrows in the subtraction) right before the end does
  // not make a backslash past the end count.
  std::string text("ab\0\\", 4);
  text.append(64, '\0');
  CHECK_FALSE(meshrt::hasBackslash(text.data(), 3));
  CHECK(meshrt::hasBackslash(text.data(), 4));
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
  // The plain path (up to 18 digits, fraction within the scale) and the
  // general one agree on range: integer digits count without a lone zero.
  auto parse = [](const char* text, int precision, int scale, Decimal& out) {
    return meshrt::parseDecimal(text, false, precision, scale, out);
  };
  struct Exact {
    const char* text;
    int precision, scale;
    const char* str;
  };
  const Exact exact[] = {
      {"0", 2, 2, "0.00"},
      {"-0.00", 3, 2, "0.00"},
      {"0.05", 2, 2, "0.05"},
      {"12.5", 4, 2, "12.50"},
      {"1.550", 4, 2, "1.55"},  // the general path: trailing zeros
      {"999999999999999999", 38, 20, "999999999999999999.00000000000000000000"},
      {"99999999999999999.9", 19, 1, "99999999999999999.9"},
      {"9999999999999999999.99", 21, 2, "9999999999999999999.99"},
  };
  for (const Exact& c : exact) {
    CAPTURE(c.text);
    Decimal got;
    REQUIRE(parse(c.text, c.precision, c.scale, got) == meshrt::DecimalParse::Ok);
    CHECK(got.str() == c.str);
  }
  Decimal got;
  // More integer digits than precision - scale allows, or more fraction digits than the scale.
  CHECK(parse("1.5", 2, 2, got) == meshrt::DecimalParse::OutOfRange);
  for (const char* text : {"123.5", "1.555"}) {
    CAPTURE(text);
    CHECK(parse(text, 4, 2, got) == meshrt::DecimalParse::OutOfRange);
  }
  for (const char* text : {"00.5", "1.", ".5", "-", "1.5x"}) {
    CAPTURE(text);
    CHECK(parse(text, 4, 2, got) == meshrt::DecimalParse::Malformed);
  }
}

TEST_CASE("serialization helpers: decimals, timestamps, dates and JSON strings") {
  using meshrt::Decimal;
  CHECK(Decimal{0, 0}.str() == "0");
  CHECK(Decimal{0, 2}.str() == "0.00");
  CHECK(Decimal{5, 2}.str() == "0.05");
  CHECK(Decimal{-5, 2}.str() == "-0.05");
  CHECK(Decimal{100, 2}.str() == "1.00");
  CHECK(Decimal{12345, 2}.str() == "123.45");
  CHECK(Decimal{-7, 0}.str() == "-7");
  Decimal big;
  REQUIRE(meshrt::parseDecimal("-99999999999999999999999999999999999999", false, 38, 0, big) ==
          meshrt::DecimalParse::Ok);
  CHECK(big.str() == "-99999999999999999999999999999999999999");
  CHECK(meshrt::formatTimestamp(meshrt::Timestamp{0}) == "1970-01-01T00:00:00Z");
  CHECK(meshrt::formatTimestamp(meshrt::Timestamp{1500000}) == "1970-01-01T00:00:01.5Z");
  CHECK(meshrt::formatTimestamp(meshrt::Timestamp{123}) == "1970-01-01T00:00:00.000123Z");
  CHECK(meshrt::formatTimestamp(meshrt::Timestamp{-1}) == "1969-12-31T23:59:59.999999Z");
  CHECK(meshrt::formatTimestamp(*meshrt::parseTimestamp("2026-11-25T17:34:03.25+01:00")) == "2026-11-25T16:34:03.25Z");
  CHECK(meshrt::formatDate(meshrt::Date{0}) == "1970-01-01");
  CHECK(meshrt::formatDate(*meshrt::parseDate("9999-12-31")) == "9999-12-31");
  std::string json;
  meshrt::appendJsonString(json, std::string_view("a\"b\\c\n\x01\x7f\xc3\xa9z", 11));
  CHECK(json == "\"a\\\"b\\\\c\\n\\u0001\\u007f\xc3\xa9z\"");
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

TEST_CASE("timestamps read in place answer as the unquoted text does") {
  // `"YYYY-MM-DDTHH:MM:SSZ"` is read from the token without unquoting; every
  // other spelling (escapes, offsets, fractions, errors) is unquoted first.
  const char* texts[] = {
      "\"2026-11-13T06:06:31Z\"",       "\"2026-11-13T06:06:31Z\"   ",    "\"2026-11-13t06:06:31z\"",
      "\"2026-11-13T06:06:31\\u005a\"", "\"2026-11-13T06:06:31\\u005A\"", "\"2026-11-13T06:06:31Zx\"",
      "\"2026-11-13T06:06:31\"",        "\"2026-11-13T06:06:31+01:00\"",  "\"2026-02-29T06:06:31Z\"",
      "\"2024-02-29T23:59:59Z\"",       "\"2026-11-13T24:06:31Z\"",       "\"2026-11-13T06:06:31.5Z\"",
      "\"\\u0032026-11-13T06:06:31Z\"", "\"2026-11-13 06:06:31Z\"",       "\"0000-01-01T00:00:00Z\""};
  for (const char* text : texts) {
    CAPTURE(text);
    std::string array = std::string("[") + text + "]";
    meshrt::JsonDocument doc(array);
    std::vector<meshrt::Violation> violations;
    meshrt::Sink sink(&violations, 0);
    std::optional<meshrt::Timestamp> read;
    meshrt::forEachElement(doc.root(), [&](meshrt::JsonValue& v) {
      meshrt::Timestamp t{};
      if (meshrt::readTimestamp(v, t, sink)) read = t;
    });
    // The expected answer: the JSON string decoded, then the general parser.
    std::string decoded;
    meshrt::JsonDocument again(array);
    meshrt::forEachElement(again.root(), [&](meshrt::JsonValue& v) { decoded = std::string(meshrt::stringValue(v)); });
    auto expected = meshrt::parseTimestamp(decoded);
    CHECK(read.has_value() == expected.has_value());
    if (read && expected) CHECK(read->micros == expected->micros);
    CHECK(violations.size() == (expected ? 0u : 1u));
  }
}

TEST_CASE("JSONPath steps keep names, keys and large indexes") {
  std::vector<meshrt::Violation> violations;
  meshrt::Sink sink(&violations, 0);
  sink.member("items");
  sink.index(uint64_t(1) << 40);
  sink.key("a\"b", 7);
  sink.member("sku");
  sink.add(meshrt::Rule::Where, "x");
  REQUIRE(violations.size() == 1);
  CHECK(violations[0].path == "$.items[1099511627776][\"a\\\"b\"].sku");
}

TEST_CASE("Inside a sensitive value, map keys and undeclared members are paths by position") {
  std::vector<meshrt::Violation> violations;
  meshrt::Sink sink(&violations, 0);
  size_t top = sink.mark();
  sink.member("tags");
  CHECK(!sink.sensitive());
  sink.markSensitive();
  size_t field = sink.mark();
  sink.key("alice@example.com", 3);
  sink.add(meshrt::Rule::Parse, "duplicate key");
  sink.resize(field);
  sink.member("bob@example.com");
  sink.withholdKey(4);
  sink.add(meshrt::Rule::Unknown, "unknown");
  sink.resize(field);
  CHECK(sink.sensitive());
  // Leaving the sensitive field ends it: the next map shows its keys.
  sink.resize(top);
  CHECK(!sink.sensitive());
  sink.member("open");
  sink.key("k", 0);
  sink.member("extra");
  sink.withholdKey(1);
  sink.add(meshrt::Rule::Unknown, "unknown");
  REQUIRE(violations.size() == 3);
  CHECK(violations[0].path == "$.tags[#3]");
  CHECK(violations[1].path == "$.tags[#4]");
  CHECK(violations[2].path == "$.open[\"k\"].extra");
}

TEST_CASE("a json value keeps its exact text: read and written back byte for byte") {
  const char* texts[] = {
      "null",
      "true",
      "-0",
      "1.7976931348623157e308",                          // the largest double, as written
      "123456789012345678901234567890.000000000000001",  // beyond any int64
      R"("\u00e9\ud83d\ude00 \" \\ \/ \n")",             // escapes kept as written
      "\"caf\xC3\xA9\"",                                 // UTF-8 as is
      "[]",
      "{}",
      R"({ "b" : [1, {"c":null} ,"]}"], "a":{} })",  // spacing, key order, brackets in strings
      R"({"a":1,"a":2})",                            // duplicate keys inside are not looked into
      R"([[[[["deep"]]]]])",
  };
  for (const char* text : texts) {
    CAPTURE(text);
    std::optional<meshrt::Json> j = meshrt::Json::parse(text);
    REQUIRE(j);
    CHECK(j->text == text);
    // Inside a message, between other members, with space around it.
    std::string message = std::string("{\"x\":1,\"data\": \t") + text + " \n,\"y\":[2]}";
    meshrt::JsonDocument doc(message);
    meshrt::Json read;
    std::vector<meshrt::Violation> violations;
    meshrt::Sink sink(&violations, 0);
    meshrt::forEachMember(doc.root(), [&](std::string_view key, meshrt::JsonValue& value) {
      if (key == "data")
        CHECK(meshrt::readJson(value, meshrt::kindOf(value), read, sink));
      else
        meshrt::skipValue(value);
    });
    doc.finish();
    CHECK(violations.empty());
    CHECK(read.text == text);
    CHECK(read.kind == j->kind);
    meshrt::JsonWriter out;
    meshrt::writeJson(out, read);
    CHECK(out.str() == text);
  }
  CHECK(meshrt::Json::parse(" [1] ")->text == "[1]");
  CHECK(meshrt::Json::parse("{\"a\":1}")->kind == meshrt::JsonKind::Object);
  CHECK(meshrt::Json::parse("\"s\"")->kind == meshrt::JsonKind::String);
  CHECK(meshrt::Json::parse("null")->isNull());
}

TEST_CASE("a json value must be JSON: the reader refuses what is not") {
  for (const char* text : {"", "1,2", "[1,]", "{\"a\"}", "tru", "01", "\"\\x\"", "[1] x", "{'a':1}", "NaN"}) {
    CAPTURE(text);
    CHECK_FALSE(meshrt::Json::parse(text));
  }
  meshrt::Json fresh;  // a new struct's json field writes as JSON
  CHECK(fresh.isNull());
  CHECK(fresh.text == "null");
}
