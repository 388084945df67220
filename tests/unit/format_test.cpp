// Units of compiler/format (meshc fmt): over every .mesh file of the
// repository, formatting is idempotent and keeps the meaning (tokens, doc
// comments, and what checking reports and generates, without positions);
// whole example builds generate the same files from formatted sources; and
// the meaning comparison does catch a deliberately altered text, including
// changes no token comparison sees.
#include "format/Format.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "format/Diff.h"
#include "format/Meaning.h"
#include "format/Run.h"
#include "syntax/Cst.h"
#include "syntax/Parse.h"

using namespace mesh;
namespace fs = std::filesystem;

namespace {

const std::string kStdlib = MESH_SOURCE_DIR "/stdlib";

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The repository's .mesh files: hidden directories are left out, since they
// hold what tools generate (bench/compile/.cache keeps catalogs of 10,000
// and 100,000 records there, which this test would take an hour over).
std::vector<fs::path> meshFilesUnder(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_directory() && it->path().filename().string().rfind('.', 0) == 0) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".mesh") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool hasSyntaxErrors(const std::string& name, const std::string& text) {
  SourceManager sm;
  std::string copy = text;
  std::vector<uint32_t> invalid = sanitizeUtf8(copy);
  uint32_t id = sm.addFile(name, std::move(copy));
  DiagnosticEngine diags;
  syntax::parseFile(sm, id, invalid, diags);
  return diags.hasErrors() || !invalid.empty();
}

using Files = std::vector<std::pair<std::string, std::string>>;

Files filesOf(const fs::path& dir, bool formatted) {
  Files files;
  for (const auto& path : meshFilesUnder(dir)) {
    std::string text = readText(path);
    if (formatted) {
      auto f = format::formatText(text);
      REQUIRE(f);
      text = *f;
    }
    files.push_back({fs::relative(path, MESH_SOURCE_DIR).string(), text});
  }
  return files;
}

std::string replaceOnce(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("every .mesh file of the repository formats idempotently and keeps its meaning") {
  std::vector<fs::path> files;
  for (const char* dir : {"examples", "stdlib", "tests", "bench"}) {
    auto found = meshFilesUnder(fs::path(MESH_SOURCE_DIR) / dir);
    files.insert(files.end(), found.begin(), found.end());
  }
  REQUIRE(files.size() > 150);
  size_t formatted = 0, changed = 0, refused = 0;
  for (const auto& path : files) {
    std::string name = fs::relative(path, MESH_SOURCE_DIR).string();
    INFO(name);
    std::string text = readText(path);
    std::optional<std::string> once = format::formatText(text);
    if (!once) {
      // Only a file with lexical or syntax errors is refused.
      CHECK(hasSyntaxErrors(name, text));
      ++refused;
      continue;
    }
    ++formatted;
    if (*once != text) ++changed;
    std::optional<std::string> twice = format::formatText(*once);
    REQUIRE(twice);
    CHECK(*twice == *once);
    format::Meaning before = format::meaningOf(name, text, kStdlib);
    format::Meaning after = format::meaningOf(name, *once, kStdlib);
    CHECK(format::describeDifference(before, after) == "");
  }
  // Most files format; the lit inputs with syntax errors do not; the lit
  // inputs are not formatted in the repository (their positions are
  // asserted), so many of them change.
  CHECK(formatted > 120);
  CHECK(refused > 10);
  CHECK(changed > 50);
}

TEST_CASE("whole builds of formatted sources report and generate the same") {
  for (const char* dir : {"examples/contracts", "tests/differential/contracts", "tests/lit/validate/Inputs"}) {
    INFO(dir);
    Files original = filesOf(fs::path(MESH_SOURCE_DIR) / dir, false);
    Files formatted = filesOf(fs::path(MESH_SOURCE_DIR) / dir, true);
    REQUIRE(!original.empty());
    std::string before = format::checkedMeaning(original, kStdlib);
    std::string after = format::checkedMeaning(formatted, kStdlib);
    CHECK(before.find("== cpp/") != std::string::npos);  // it checked cleanly and generated code
    CHECK(before == after);
  }
}

TEST_CASE("the meaning comparison catches a deliberately altered formatted text") {
  const fs::path dir = fs::path(MESH_SOURCE_DIR) / "examples/contracts";
  Files files = filesOf(dir, true);
  size_t events = 0;
  while (events < files.size() && files[events].first.find("orders/events.mesh") == std::string::npos) ++events;
  REQUIRE(events < files.size());
  const std::string name = files[events].first, text = files[events].second;
  const std::string build = format::checkedMeaning(files, kStdlib);
  format::Meaning meaning = format::meaningOf(name, text, kStdlib);

  auto alteredBuild = [&](const std::string& altered) {
    Files copy = files;
    copy[events].second = altered;
    return format::checkedMeaning(copy, kStdlib);
  };

  SUBCASE("a changed constraint") {
    std::string altered =
        replaceOnce(text, "qty:        int32 where value > 0;", "qty:        int32 where value >= 0;");
    format::Meaning m = format::meaningOf(name, altered, kStdlib);
    CHECK(m.tokens != meaning.tokens);
    CHECK(format::describeDifference(meaning, m).find("the tokens differ") == 0);
    CHECK(alteredBuild(altered) != build);
  }
  SUBCASE("spacing inside a constraint: same tokens, other validation messages") {
    std::string altered = replaceOnce(text, "where value > 0;", "where value>0;");
    format::Meaning m = format::meaningOf(name, altered, kStdlib);
    CHECK(m.tokens == meaning.tokens);
    CHECK(alteredBuild(altered) != build);
  }
  SUBCASE("a doc comment detached from its field: same tokens, another description") {
    std::string altered = replaceOnce(text, "  /// What was ordered.\n", "  /// What was ordered.\n\n");
    format::Meaning m = format::meaningOf(name, altered, kStdlib);
    CHECK(m.tokens == meaning.tokens);
    CHECK(m.docs != meaning.docs);
    CHECK(format::describeDifference(meaning, m).find("the doc comments differ") == 0);
    CHECK(alteredBuild(altered) != build);
  }
  SUBCASE("two fields swapped") {
    std::string altered = replaceOnce(
        text,
        "  /// What was ordered.\n  sku:        Sku;\n  /// How many units.\n  qty:        int32 where value > 0;\n",
        "  /// How many units.\n  qty:        int32 where value > 0;\n  /// What was ordered.\n  sku:        Sku;\n");
    format::Meaning m = format::meaningOf(name, altered, kStdlib);
    CHECK(format::describeDifference(meaning, m) != "");
    CHECK(alteredBuild(altered) != build);
  }
  SUBCASE("a file that checks on its own: the checked part alone sees a changed constraint text") {
    std::string alone = "package t;\nrecord R {\n  a: int32 where value in [1, 2];\n}\n";
    std::string altered = "package t;\nrecord R {\n  a: int32 where value in [1,2];\n}\n";
    format::Meaning a = format::meaningOf("t.mesh", alone, kStdlib), b = format::meaningOf("t.mesh", altered, kStdlib);
    CHECK(a.tokens == b.tokens);
    CHECK(a.docs == b.docs);
    CHECK(a.checked != b.checked);
    CHECK(format::describeDifference(a, b).find("what checking reports or generates differs") == 0);
  }
}

TEST_CASE(
    "every line prefix of the examples and the standard library: refused, or formatted idempotently with the same "
    "tokens and docs") {
  // Prefixes cut declarations, blocks, comments and strings anywhere a line
  // ends: most have syntax errors and must be refused without a crash; the
  // others must format like whole files.
  std::vector<fs::path> files = meshFilesUnder(fs::path(MESH_SOURCE_DIR) / "examples");
  auto stdlib = meshFilesUnder(fs::path(MESH_SOURCE_DIR) / "stdlib");
  files.insert(files.end(), stdlib.begin(), stdlib.end());
  size_t formatted = 0, refused = 0;
  for (const auto& path : files) {
    std::string text = readText(path);
    for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', end + 1)) {
      std::string prefix = text.substr(0, end + 1);
      INFO(path.string() << " up to byte " << end);
      auto once = format::formatText(prefix);
      if (!once) {
        ++refused;
        continue;
      }
      ++formatted;
      CHECK(format::formatText(*once) == once);
      format::Meaning a = format::meaningOf("p.mesh", prefix, kStdlib), b = format::meaningOf("p.mesh", *once, kStdlib);
      CHECK(a.tokens == b.tokens);
      CHECK(a.docs == b.docs);
    }
  }
  CHECK(formatted > 100);
  CHECK(refused > 100);
}

TEST_CASE("files with their white space scrambled and comments inserted format idempotently, meaning kept") {
  // Every run of white space of each example, stdlib and lit file (those
  // without syntax errors) is replaced by
  // a random one (spaces, tabs, newlines, blank lines, an inserted block or
  // line comment, a doc comment), which parses the same; its formatting
  // must be stable and have its meaning.
  std::vector<fs::path> files = meshFilesUnder(fs::path(MESH_SOURCE_DIR) / "examples");
  auto stdlib = meshFilesUnder(fs::path(MESH_SOURCE_DIR) / "stdlib");
  files.insert(files.end(), stdlib.begin(), stdlib.end());
  auto lit = meshFilesUnder(fs::path(MESH_SOURCE_DIR) / "tests" / "lit");
  for (const auto& path : lit)
    if (format::formatText(readText(path))) files.push_back(path);  // the lit inputs without syntax errors
  std::mt19937 random(20261126);
  const std::vector<std::string> spaces = {" ", "  ", "\t", "\n", "\n\n", "\n\n\n  ", " \n    ", "\n\t\t"};
  size_t checked = 0;
  for (const auto& path : files) {
    std::string text = readText(path);
    std::vector<syntax::CstToken> tokens = syntax::lexConcrete(text);
    // MESH_FMT_ROUNDS=N runs more rounds (a longer search, by hand).
    const int rounds = std::getenv("MESH_FMT_ROUNDS") ? std::atoi(std::getenv("MESH_FMT_ROUNDS")) : 3;
    for (int round = 0; round < rounds; ++round) {
      std::string mutated;
      bool lineComment = false;  // the last token needs a newline after it
      for (size_t i = 0; i < tokens.size(); ++i) {
        const auto& t = tokens[i];
        if (t.kind != syntax::CstTokenKind::Whitespace) {
          mutated += t.text;
          lineComment = t.kind == syntax::CstTokenKind::LineComment || t.kind == syntax::CstTokenKind::DocComment;
          continue;
        }
        std::string ws = spaces[random() % spaces.size()];
        if (random() % 10 == 0) ws += "/* c */ ";
        if (random() % 15 == 0) ws += " // c\n";
        if (random() % 20 == 0) ws += "\n/// d\n";
        if (lineComment && ws.find('\n') == std::string::npos) ws += "\n";
        mutated += ws;
      }
      INFO(path.string() << " round " << round);
      auto once = format::formatText(mutated);
      REQUIRE(once);
      auto twice = format::formatText(*once);
      REQUIRE(twice);
      INFO("formatted again:\n" << format::unifiedDiff("once", *once, *twice));
      CHECK(*twice == *once);
      std::string name = fs::relative(path, MESH_SOURCE_DIR).string();
      CHECK(format::describeDifference(format::meaningOf(name, mutated, kStdlib),
                                       format::meaningOf(name, *once, kStdlib)) == "");
      ++checked;
    }
  }
  CHECK(checked >= 300);
}

TEST_CASE("formatting: a syntax error is refused, white-space-only changes are layout") {
  CHECK_FALSE(format::formatText("package t;\nrecord R { a: int32 }\n"));
  CHECK_FALSE(format::formatText("package t;\nrecord R { a: int32; } /* open\n"));
  auto f = format::formatText("package   t ;\n\n\n\nrecord R{a:int32;bb:string;}\n\n\n");
  REQUIRE(f);
  CHECK(*f == "package t;\n\nrecord R {\n  a:  int32;\n  bb: string;\n}\n");
  CHECK_FALSE(format::formatText(""));                           // no package declaration (E0009), as in meshc check
  CHECK_FALSE(format::formatText("package t;\n// \xff\xfe\n"));  // invalid UTF-8
  // Nesting deeper than the parser takes is refused, not a stack overflow.
  CHECK_FALSE(format::formatText("package t;\ntype T = int32 where " + std::string(100000, '(') + "1" +
                                 std::string(100000, ')') + ";\n"));
  // CRLF line ends become LF; the rest is layout.
  CHECK(format::formatText("package t;\r\nrecord R {\r\n  a: int32; // c\r\n}\r\n") ==
        std::string("package t;\nrecord R {\n  a: int32;                            // c\n}\n"));
}

TEST_CASE("unified diff") {
  CHECK(format::unifiedDiff("f", "a\nb\n", "a\nb\n") == "");
  std::string d = format::unifiedDiff("f.mesh", "1\n2\n3\n4\n5\n6\n7\n8\n9\n", "1\n2\n3\n4\nfive\n6\n7\n8\n9\n");
  CHECK(d == "--- f.mesh\n+++ f.mesh (formatted)\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  std::string two =
      format::unifiedDiff("f", "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nm\n", "A\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\nM\n");
  CHECK(two ==
        "--- f\n+++ f (formatted)\n@@ -1,4 +1,4 @@\n-a\n+A\n b\n c\n d\n@@ -10,4 +10,4 @@\n j\n k\n l\n-m\n+M\n");
}

TEST_CASE("meshc fmt leaves a file untouched and reports an internal error when the safety net catches a change") {
  fs::path dir = fs::temp_directory_path() / ("mesh-fmt-net-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string original = "package t;\nrecord R { a: int32 where value > 0; b: int32 where value in [1, 2]; }\n";
  const fs::path file = dir / "r.mesh";
  std::ofstream(file) << original;
  auto run = [&](std::function<void(std::string&)> alter, bool check, std::string& out, std::string& err) {
    format::FmtOptions options;
    options.paths = {dir.string()};
    options.check = check;
    options.stdlibDir = kStdlib;
    options.alterFormatted = std::move(alter);
    std::ostringstream o, e;
    int status = format::runFmt(options, RenderOptions{}, o, e);
    out = o.str();
    err = e.str();
    return status;
  };
  std::string out, err;
  struct Case {
    const char* what;
    std::function<void(std::string&)> alter;
    const char* problem;
  };
  std::vector<Case> cases = {
      {"a changed constraint", [](std::string& t) { t.replace(t.find("> 0"), 3, ">= 0"); }, "the tokens differ"},
      // Same tokens; "must satisfy value in [1,2]" in the generated validators.
      {"changed spacing inside a constraint", [](std::string& t) { t.replace(t.find("[1, 2]"), 6, "[1,2]"); },
       "what checking reports or generates differs"},
      {"a result that formats differently", [](std::string& t) { t += "\n\n"; }, "formatting the result again"},
      {"a result that does not parse", [](std::string& t) { t += "record"; }, "the formatted text does not parse"},
  };
  for (const auto& c : cases) {
    INFO(std::string(c.what));
    for (bool check : {false, true}) {
      CHECK(run(c.alter, check, out, err) == 1);
      INFO(err);
      CHECK(err.find("meshc: internal error: formatting " + file.string() + " would change it (" + c.problem) !=
            std::string::npos);
      CHECK(out == "");
      CHECK(readText(file) == original);
    }
  }
  // Without a change the same file is formatted.
  CHECK(run(nullptr, false, out, err) == 0);
  CHECK(readText(file) ==
        "package t;\nrecord R {\n  a: int32 where value > 0;\n  b: int32 where value in [1, 2];\n}\n");
  fs::remove_all(dir);
}
