// Robustness: hostile and truncated input must end in diagnostics, never in
// a crash, a hang or a stack overflow. Runs the whole front end in process.
#include <doctest/doctest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "compilation/Compilation.h"
#include "driver/LargeStack.h"

namespace {

struct Result {
  unsigned errors = 0;
  std::vector<std::string> codes;
};

// Compiles on the stack meshc compiles on (driver/LargeStack.h): the
// nesting caps bound the recursion, and the 8 MiB of the test's own thread
// hold it in a release build but not with ASan's larger frames. The
// assertions stay on the test's thread.
Result compile(const std::string& text, bool withStdlib = false) {
  mesh::compilation::Options options;
  options.memoryFiles.push_back({"input.mesh", text});
  if (withStdlib) options.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  options.today = *meshrt::parseDate("2026-11-25");
  mesh::compilation::Compilation c;
  std::string error;
  bool loaded = false;
  Result r;
  mesh::driver::runWithLargeStack([&] {
    loaded = c.loadAndCheck(options, error);
    if (!loaded) return 2;
    c.diags.sortAndDedupe(c.ws.sources);
    r.errors = c.diags.errorCount();
    for (const auto& d : c.diags.all()) r.codes.emplace_back(mesh::info(d.kind).code);
    return 0;
  });
  REQUIRE_MESSAGE(loaded, error);
  return r;
}

bool has(const Result& r, const std::string& code) {
  return std::find(r.codes.begin(), r.codes.end(), code) != r.codes.end();
}

std::vector<std::filesystem::path> meshFiles(const std::string& root) {
  std::vector<std::filesystem::path> out;
  for (auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.path().extension() == ".mesh") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("every prefix of every example and stdlib file ends in diagnostics, never a crash") {
  auto files = meshFiles(MESH_SOURCE_DIR "/examples/contracts");
  auto std = meshFiles(MESH_SOURCE_DIR "/stdlib");
  files.insert(files.end(), std.begin(), std.end());
  REQUIRE(files.size() >= 5);
  size_t prefixes = 0;
  for (const auto& f : files) {
    std::string text = slurp(f);
    for (size_t n = 0; n <= text.size(); ++n) {
      Result r = compile(text.substr(0, n));
      // A prefix may happen to be a complete file; most are not. Either way
      // the compiler returned, and an empty prefix is always an error.
      if (n == 0) CHECK(has(r, "E0009"));
      ++prefixes;
    }
  }
  MESSAGE("prefixes compiled: " << prefixes);
}

TEST_CASE("random byte strings and token soup end in diagnostics") {
  std::mt19937_64 rng(20261125);
  const std::vector<std::string> vocabulary = {
      "package", "import",   "record",     "enum",    "type", "product", "policy",  "waive", "for",     "in",
      "where",   "check",    "{",          "}",       "(",    ")",       "[",       "]",     "<",       ">",
      ";",       ":",        ",",          ".",       "=",    "==",      "&&",      "||",    "!",       "-",
      "+",       "@",        "x",          "value",   "list", "map",     "decimal", "\"s\"", "r\"re\"", "5m",
      "99.9%",   "1000/s",   "2027-01-01", "42",      "1.5",  "null",    "true",    "topic", "sla",     "quality",
      "access",  "mask",     "require",    "message", "/*",   "*/",      "//",      "\"",    "\n",      "\xff",
      "\xc3",    "\xe2\x82", "\\u{",       "0x",      "_",    "?"};
  for (int i = 0; i < 2000; ++i) {
    std::string text;
    size_t len = rng() % 1500;
    if (i % 2 == 0) {
      for (size_t k = 0; k < len; ++k) text += static_cast<char>(rng() % 256);
    } else {
      text = "package fuzz;\n";
      for (size_t k = 0; k < len / 4; ++k) {
        text += vocabulary[rng() % vocabulary.size()];
        text += (rng() % 3 == 0) ? "\n" : " ";
      }
    }
    Result r = compile(text);
    // Random bytes never form a package declaration; a token soup may, by
    // chance, be a valid (if odd) file: for it, returning is the test.
    if (i % 2 == 0) CHECK(r.errors > 0);
  }
}

TEST_CASE("100,000-deep nesting is refused with a diagnostic, not a stack overflow") {
  const size_t depth = 100000;
  auto start = std::chrono::steady_clock::now();
  SUBCASE("parentheses") {
    std::string text = "package deep;\nrecord R { x: int32 where " + std::string(depth, '(') + "value" +
                       std::string(depth, ')') + " > 0; }\n";
    CHECK(has(compile(text), "E0008"));
  }
  SUBCASE("list<...>") {
    std::string text = "package deep;\nrecord R { x: ";
    for (size_t i = 0; i < depth; ++i) text += "list<";
    text += "int32";
    text += std::string(depth, '>');
    text += "; }\n";
    CHECK(has(compile(text), "E0008"));
  }
  SUBCASE("prefix operators") {
    std::string text = "package deep;\nrecord R { x: bool where " + std::string(depth, '!') + "value; }\n";
    CHECK(has(compile(text), "E0008"));
  }
  SUBCASE("a long flat chain is fine or refused, never a crash") {
    std::string text = "package deep;\nrecord R { x: int64 where value";
    for (size_t i = 0; i < depth; ++i) text += " + 1";
    text += " > 0; }\n";
    Result r = compile(text);
    CHECK(r.codes.size() <= 2);
  }
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 60);
}

TEST_CASE("unterminated strings and comments, invalid UTF-8") {
  CHECK(has(compile("package p;\nrole r \"never closed;\n"), "E0002"));
  CHECK(has(compile("package p;\n/* never closed\nrecord R {}\n"), "E0003"));
  CHECK(has(compile("package p;\nrecord R\xff\xfe { x: int32; }\n"), "E0005"));
  CHECK(has(compile("package p;\nrole r \"caf\xc3\x28\";\n"), "E0005"));
  CHECK(has(compile("package p;\nrecord R { x: string where matches(value, r\"abc); }\n"), "E0002"));
  Result ok = compile("package p;\nrole r \"caf\xc3\xa9 \xf0\x9f\x98\x80\";\n");
  CHECK(ok.errors == 0);
}
