// Units of meshrt's wire formats: the shared meaning of "valid" for
// timestamps, dates, durations, uuids, base64, numbers, decimals and strings.
#include "meshrt/formats.h"

#include <doctest/doctest.h>
#include <re2/re2.h>

#include "meshrt/decimal.h"
#include "meshrt/regex.h"
#include "meshrt/report.h"

using namespace meshrt;

TEST_CASE("JSON numbers and integers") {
  for (const char* ok : {"0", "-0", "12", "-3.5", "1e9", "1E+2", "2.5e-3"}) CHECK(isJsonNumber(ok));
  for (const char* bad : {"", "-", "01", "1.", ".5", "+1", "1e", "0x1F", "NaN", "1_000"})
    CHECK_FALSE(isJsonNumber(bad));
  CHECK(parseJsonInteger("-9223372036854775808") == INT64_MIN);
  CHECK_FALSE(parseJsonInteger("9223372036854775808"));
  CHECK_FALSE(parseJsonInteger("1.0"));
  CHECK_FALSE(parseJsonInteger("1e2"));
  CHECK_FALSE(parseJsonDouble("1e400"));
  CHECK(parseJsonDouble("1e-400") == 0.0);
  CHECK(fitsFloat32(3.4e38));
  CHECK_FALSE(fitsFloat32(3.5e38));
}

TEST_CASE("timestamps: RFC 3339 with an offset") {
  CHECK(parseTimestamp("1970-01-01T00:00:00Z")->micros == 0);
  CHECK(parseTimestamp("2026-11-24T10:00:00+01:00")->micros == parseTimestamp("2026-11-24T09:00:00Z")->micros);
  CHECK(parseTimestamp("2026-11-24t10:00:00.123456789z")->micros % 1000000 == 123456);
  CHECK(parseTimestamp("1969-12-31T23:59:59.5Z")->micros == -500000);
  CHECK(parseTimestamp("2016-12-31T23:59:60Z"));
  CHECK_FALSE(parseTimestamp("2016-12-31T22:59:60Z"));
  for (const char* bad : {"2026-11-24T10:00:00", "2026-11-24 10:00:00Z", "2026-02-30T00:00:00Z", "2026-11-24T24:00:00Z",
                          "2026-11-24T10:00:00+0100", "2026-11-24T10:00Z", "2026-11-24T10:00:00.Z",
                          "0000-01-01T00:00:00Z", "2026-11-24T10:00:00+24:00"})
    CHECK_MESSAGE(!parseTimestamp(bad), bad);
  CHECK(formatTimestamp(*parseTimestamp("2026-11-24T10:00:00.250+02:00")) == "2026-11-24T08:00:00.25Z");
}

TEST_CASE("timestamps: the `...Z` fast path answers as the general path") {
  // "+00:00" takes the general path for the same instant; every field pushed
  // through its edges (and past them, and to non-digits).
  const char* years[] = {"0000", "0001", "1969", "1970", "2000", "2023", "2024", "2100", "9999", "2O24", "20-4"};
  const char* months[] = {"00", "01", "02", "09", "12", "13", "1a"};
  const char* days[] = {"00", "01", "28", "29", "30", "31", "32", "3/"};
  const char* times[] = {"00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "12:34:5:", "1:23:456"};
  for (const char* y : years)
    for (const char* m : months)
      for (const char* d : days)
        for (const char* t : times) {
          std::string base = std::string(y) + "-" + m + "-" + d + "T" + t;
          auto fast = parseTimestamp(base + "Z");
          auto general = parseTimestamp(base + "+00:00");
          CAPTURE(base);
          REQUIRE(fast.has_value() == general.has_value());
          if (fast) CHECK(fast->micros == general->micros);
          auto lower = parseTimestamp(base.substr(0, 10) + "t" + base.substr(11) + "z");
          CHECK(lower.has_value() == general.has_value());
        }
}

TEST_CASE("dates and durations") {
  CHECK(parseDate("2024-02-29"));
  CHECK_FALSE(parseDate("2023-02-29"));
  CHECK_FALSE(parseDate("2023-2-28"));
  CHECK(formatDate(*parseDate("1999-12-31")) == "1999-12-31");
  CHECK(parseIsoDuration("PT5M")->micros == 300000000);
  CHECK(parseIsoDuration("P1DT2H")->micros == (86400LL + 7200) * 1000000);
  CHECK(parseIsoDuration("PT0.25S")->micros == 250000);
  CHECK(parseIsoDuration("P2W")->micros == 14 * 86400LL * 1000000);
  for (const char* bad : {"P", "PT", "5M", "PT5", "P1H", "PT1D", "P1W2D", "PT1.5M", "P1M1Y"})
    CHECK_MESSAGE(!parseIsoDuration(bad), bad);
  CHECK(formatIsoDuration(Duration{300000000}) == "PT5M");
  CHECK(formatIsoDuration(Duration{0}) == "PT0S");
}

TEST_CASE("uuid and base64") {
  auto u = parseUuid("123E4567-e89b-12d3-a456-426614174000");
  REQUIRE(u);
  CHECK(formatUuid(*u) == "123e4567-e89b-12d3-a456-426614174000");
  CHECK_FALSE(parseUuid("123e4567e89b12d3a456426614174000"));
  CHECK_FALSE(parseUuid("123e4567-e89b-12d3-a456-42661417400g"));
  CHECK(decodeBase64("aGVsbG8=") == std::optional<std::string>("hello"));
  CHECK(decodeBase64("") == std::optional<std::string>(""));
  CHECK_FALSE(decodeBase64("aGVsbG8"));
  CHECK_FALSE(decodeBase64("aGVsbG9=="));
  CHECK_FALSE(decodeBase64("aGVs bG8="));
  CHECK(encodeBase64("hello") == "aGVsbG8=");
}

TEST_CASE("decimals: digits, scale, checked arithmetic") {
  Decimal d;
  CHECK(parseDecimal("12.50", false, 4, 1, d) == DecimalParse::Ok);
  CHECK(d.str() == "12.5");
  CHECK(parseDecimal("123.4", false, 4, 1, d) == DecimalParse::Ok);
  CHECK(parseDecimal("1234.5", false, 4, 1, d) == DecimalParse::OutOfRange);
  CHECK(parseDecimal("1.25", false, 4, 1, d) == DecimalParse::OutOfRange);
  CHECK(parseDecimal("1.5e2", true, 4, 1, d) == DecimalParse::Ok);
  CHECK(d.str() == "150.0");
  CHECK(parseDecimal("1.5e2", false, 4, 1, d) == DecimalParse::Malformed);
  CHECK(parseDecimal("01.5", false, 4, 1, d) == DecimalParse::Malformed);
  CHECK(parseDecimal("abc", false, 4, 1, d) == DecimalParse::Malformed);
  Decimal a{1250, 2}, b{3, 0};
  CHECK(compare(a, b) > 0);
  CHECK(add(a, b)->str() == "15.50");
  CHECK(mul(a, b)->str() == "37.50");
  CHECK(div(a, b)->str() == "4.16666666");
  CHECK_FALSE(div(a, Decimal{0, 0}));
  Decimal big;
  REQUIRE(parseDecimal("99999999999999999999999999999999999999", false, 38, 0, big) == DecimalParse::Ok);
  CHECK_FALSE(add(big, Decimal{1, 0}));
  CHECK_FALSE(mul(big, Decimal{2, 0}));
}

TEST_CASE("strings: UTF-8, length, predicates") {
  CHECK(isValidUtf8("caf\xc3\xa9"));
  CHECK_FALSE(isValidUtf8("caf\xc3"));
  CHECK_FALSE(isValidUtf8("\xed\xa0\x80"));
  CHECK(codePointLength("caf\xc3\xa9 \xf0\x9f\x98\x80") == 6);
  CHECK(isEmail("a.b+c@example.com"));
  CHECK_FALSE(isEmail("a..b@example.com"));
  CHECK_FALSE(isEmail("no-at-sign"));
  CHECK(isUri("https://example.com/a?b=c#d"));
  CHECK_FALSE(isUri("/relative/path"));
  // RFC 3986 URI-reference: absolute or relative, as ajv-formats' uri-reference
  // reads it, but for '"' (docs/validation.md).
  for (const char* ok : {"https://example.com/a?b=c#d", "/relative/path", "../a/b?q=1", "#top", "//host:8080/p", "",
                         "urn:isbn:0451450523", "a%20b", "HTTP://EXAMPLE.COM/", "http://[::1]/x", "?q"})
    CHECK_MESSAGE(isUriReference(ok), ok);
  for (const char* bad : {"a b", "http://exa mple.com", "%zz", "a\\b", "\"quoted\"", "/a\"b", "x#a#b", "<a>",
                          "\xC5\xBF"})  // U+017F, which a (?i) RE2 would fold into 's'
    CHECK_MESSAGE(!isUriReference(bad), bad);
  // RFC 6570 URI Template, as ajv-formats' uri-template reads it.
  for (const char* ok : {"https://api.example.com/users/{id}", "/search{?q,lang}", "{+path}/here", "{#frag}",
                         "/x{/seg*}", "{var:30}", "no-expressions", "", "{A_b%20}"})
    CHECK_MESSAGE(isUriTemplate(ok), ok);
  for (const char* bad :
       {"{}", "{unclosed", "closed}", "{a b}", "{var:0}", "{var:10000}", "a b", "%zz", "{a.b}", "<x>"})
    CHECK_MESSAGE(!isUriTemplate(bad), bad);
  CHECK(isHostname("api.example.com"));
  CHECK_FALSE(isHostname("-bad.example.com"));
  CHECK(isIpv4("192.168.0.1"));
  CHECK_FALSE(isIpv4("192.168.0.01"));
  CHECK(isIpv6("::1"));
  CHECK(isIpv6("2001:db8::8a2e:370:7334"));
  CHECK(isIpv6("::ffff:192.168.0.1"));
  CHECK_FALSE(isIpv6("2001:db8:::1"));
  CHECK_FALSE(isIpv6("1:2:3:4:5:6:7:8:9"));
  CHECK(asciiUpper("abc\xc3\xa9") == "ABC\xc3\xa9");
  Regex re("^ORD-[0-9]+$");
  CHECK(re.ok());
  CHECK(re.search("ORD-42"));
  CHECK_FALSE(re.search("ord-42"));
}

TEST_CASE("result lines") {
  std::string out;
  appendResultLine(out, 1, {});
  std::string path = "$";
  appendPathMember(path, "items");
  appendPathIndex(path, 0);
  appendPathMember(path, "qty");
  std::string map = "$";
  appendPathMember(map, "attributes");
  appendPathKey(map, "a\"b");
  appendResultLine(out, 2, {{path, Rule::Where, "must be > 0"}, {map, Rule::Type, "expected a string"}});
  CHECK(out ==
        "{\"line\":1,\"valid\":true}\n"
        "{\"line\":2,\"valid\":false,\"violations\":[{\"path\":\"$.items[0].qty\",\"rule\":\"where\",\"message\":"
        "\"must be > 0\"},{\"path\":\"$.attributes[\\\"a\\\\\\\"b\\\"]\",\"rule\":\"type\",\"message\":\"expected a "
        "string\"}]}\n");
}

TEST_CASE("the regex fast path gives RE2's answer") {
  const char* patterns[] = {"^ORD-[0-9]+$",
                            "^[A-Z]{3}-[0-9]{4}$",
                            "^CUST-[0-9]{1,12}$",
                            "^WH-[A-Z]{2}-[0-9]{3}$",
                            "^a?b$",
                            "^[a-c]*d",
                            "^x{2,}y$",
                            "^\\d+\\.\\d{2}$",
                            "^[0-9]+[0-9]$",
                            "^a+a$",
                            "^.+$",
                            "^(ab)+$",
                            "[0-9]+",
                            "^[^a]+$",
                            "^é+$"};
  const char* inputs[] = {
      "ORD-1",     "ORD-",  "ORD-12x", "ABC-1234", "AB-1234", "ABC-12345", "CUST-1", "CUST-1234567890123",
      "WH-AB-123", "b",     "ab",      "aab",      "abcd",    "d",         "dd",     "xxy",
      "xy",        "xxxxy", "12.34",   "1.2",      "",        "aaa",       "é",      "éé",
      "ababab",    "x1",    "1a",      "\xc3\xa9", "ORD-1\n"};
  int fast = 0;
  for (const char* p : patterns) {
    meshrt::Regex ours(p);
    REQUIRE(ours.ok());
    fast += ours.usesFastPath() ? 1 : 0;
    for (const char* s : inputs) {
      bool expected = RE2::PartialMatch(s, RE2(p));
      CHECK_MESSAGE(ours.search(s) == expected, p << " on '" << s << "'");
    }
  }
  // The first eight are the deterministic kind; the rest go to RE2.
  CHECK(fast == 8);
}
