// Units of the source and diagnostics layers: UTF-8 hygiene, character
// columns, suggestions, the registry and the three renderers.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "diagnostics/Render.h"

using namespace mesh;

TEST_CASE("sanitizeUtf8 replaces each invalid sequence and keeps valid text") {
  std::string ok = "caf\xc3\xa9 \xf0\x9f\x98\x80";
  CHECK(sanitizeUtf8(ok).empty());
  CHECK(ok == "caf\xc3\xa9 \xf0\x9f\x98\x80");

  std::string bad =
      "a\xff"
      "b\xc3("
      "\xed\xa0\x80"
      "\xf4\x90\x80\x80";
  auto offsets = sanitizeUtf8(bad);
  // \xff, a truncated 2-byte sequence, a surrogate (3 bytes) and a code
  // point above U+10FFFF (4 bytes): every byte of an invalid sequence that
  // cannot start a valid one is replaced.
  CHECK(offsets.size() == 9);
  CHECK(offsets[0] == 1);
  std::string again = bad;
  CHECK(sanitizeUtf8(again).empty());
}

TEST_CASE("isAscii finds a high byte at any position, in the words and the tail") {
  CHECK(isAscii(""));
  for (size_t size = 1; size <= 19; ++size) {
    std::string text(size, 'a');
    CHECK(isAscii(text));
    for (size_t at = 0; at < size; ++at) {
      std::string high = text;
      high[at] = '\x80';
      CHECK_MESSAGE(!isAscii(high), "size ", size, ", high byte at ", at);
      std::string bad = high;
      CHECK(sanitizeUtf8(bad).size() == 1);  // a lone continuation byte, replaced
    }
  }
}

TEST_CASE("columns count code points, not bytes") {
  SourceManager sm;
  uint32_t f = sm.addFile("x.mesh", "package p;\n/// caf\xc3\xa9 \xf0\x9f\x98\x80 x\n");
  std::string text = sm.text(f).str();
  size_t x = text.rfind('x');
  LineColumn lc = sm.lineColumn(f, x);
  CHECK(lc.line == 2);
  CHECK(lc.column == 12);
  CHECK(sm.lineText(f, 1) == "package p;");
}

TEST_CASE("closestMatch suggests likely typos only") {
  std::vector<std::string> names = {"Currency", "OrderStatus", "retention"};
  CHECK(closestMatch("Curency", names) == std::optional<std::string>("Currency"));
  CHECK(closestMatch("currency", names) == std::optional<std::string>("Currency"));
  CHECK(closestMatch("retension", names) == std::optional<std::string>("retention"));
  CHECK_FALSE(closestMatch("xyz", names).has_value());
}

TEST_CASE("every registered code round-trips and has a title") {
  for (DiagKind k : allDiagKinds()) {
    const auto& i = info(k);
    CHECK(!i.title.empty());
    CHECK(diagKindFromCode(i.code) == k);
    CHECK((i.code[0] == 'E') == (i.severity == Severity::Error));
  }
  CHECK_FALSE(diagKindFromCode("E9999").has_value());
}

TEST_CASE("renderers: text with carets, JSON Lines, SARIF") {
  SourceManager sm;
  uint32_t f = sm.addFile("o.mesh", "package p;\nrecord R { id: string where value > 5; }\n");
  DiagnosticEngine diags;
  std::string text = sm.text(f).str();
  uint32_t at = text.find("value > 5");
  diags.report(DiagKind::E0301, {f, at, at + 9}, "cannot compare 'string' with 'int64'")
      .note("'value' is the field 'id' of type 'string'");
  diags.report(DiagKind::W0112, {f, 0, 7}, "package is imported but never used");

  std::ostringstream out, err;
  RenderOptions opt;
  renderDiagnostics(diags, sm, opt, out, err);
  CHECK(out.str().empty());
  CHECK(err.str().find("o.mesh:2:29: error[E0301]: cannot compare 'string' with 'int64'\n") != std::string::npos);
  CHECK(err.str().find("^~~~~~~~~") != std::string::npos);
  CHECK(err.str().find("1 error and 1 warning generated.") != std::string::npos);

  std::ostringstream jout, jerr;
  opt.format = DiagFormat::Json;
  renderDiagnostics(diags, sm, opt, jout, jerr);
  std::istringstream lines(jout.str());
  std::string line;
  std::getline(lines, line);
  auto j = nlohmann::json::parse(line);
  CHECK(j["file"] == "o.mesh");
  CHECK(j["line"] == 2);
  CHECK(j["column"] == 29);
  CHECK(j["end_line"] == 2);
  CHECK(j["end_column"] == 38);
  CHECK(j["severity"] == "error");
  CHECK(j["code"] == "E0301");
  CHECK(j["notes"][0]["message"] == "'value' is the field 'id' of type 'string'");

  std::ostringstream sout, serr;
  opt.format = DiagFormat::Sarif;
  renderDiagnostics(diags, sm, opt, sout, serr);
  auto s = nlohmann::json::parse(sout.str());
  CHECK(s["version"] == "2.1.0");
  CHECK(s["runs"][0]["results"].size() == 2);
  CHECK(s["runs"][0]["results"][1]["level"] == "warning");
}
