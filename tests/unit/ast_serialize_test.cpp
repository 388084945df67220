// Units of ast/Serialize: every AST the parser builds from the examples, the
// standard library and the lit inputs reads back to the same AST (the same
// bytes again, the same ranges, and the same check, report and generated
// files as the parse itself), and no input, truncated, corrupted or forged,
// makes the decoder crash, recurse or allocate beyond its size.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "ast/Clone.h"
#include "ast/Members.h"
#include "ast/Serialize.h"
#include "check/Check.h"
#include "codegen/Generator.h"
#include "diagnostics/Render.h"
#include "syntax/Parse.h"

using namespace mesh;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<fs::path> meshFiles(const std::vector<std::string>& roots) {
  std::vector<fs::path> out;
  for (const auto& root : roots)
    for (const auto& entry : fs::recursive_directory_iterator(root))
      if (entry.is_regular_file() && entry.path().extension() == ".mesh") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<fs::path> allInputs() {
  return meshFiles({MESH_SOURCE_DIR "/examples", MESH_SOURCE_DIR "/stdlib", MESH_SOURCE_DIR "/tests/lit"});
}

/// Parses texts as the loader does, each at its own file id of one SourceManager.
struct Parses {
  SourceManager sm;
  DiagnosticEngine diags;

  ast::File parse(const std::string& name, std::string text) {
    std::vector<uint32_t> invalid = sanitizeUtf8(text);
    uint32_t id = sm.addFile(name, std::move(text));
    return syntax::parseFile(sm, id, invalid, diags);
  }
};

std::string encode(const ast::File& file) {
  std::string out;
  ast::writeFile(file, out);
  return out;
}

/// Every SourceRange of an AST, in walk order: a walk of its own over the
/// member lists, to look at the ranges apart from the encoding.
struct RangeCollector : ast::Walker<RangeCollector> {
  using Walker::operator();
  std::vector<SourceRange> ranges;

  void operator()(const SourceRange& r) { ranges.push_back(r); }
};

std::vector<SourceRange> rangesOf(const ast::File& file) {
  RangeCollector c;
  c(file);
  return c.ranges;
}

}  // namespace

TEST_CASE("every parse of the examples, the standard library and the lit inputs reads back as it was") {
  std::vector<fs::path> inputs = allInputs();
  REQUIRE(inputs.size() > 150);
  Parses parses;
  size_t withErrors = 0;
  for (const auto& path : inputs) {
    CAPTURE(path.string());
    size_t errorsBefore = parses.diags.errorCount();
    ast::File file = parses.parse(path.string(), readText(path));
    withErrors += parses.diags.errorCount() > errorsBefore;
    std::vector<SourceRange> ranges = rangesOf(file);
    // The encoding keeps no file id: every range of a parse is in its file.
    CHECK(
        std::all_of(ranges.begin(), ranges.end(), [&](SourceRange r) { return r.file == 0 || r.file == file.fileId; }));

    std::string bytes = encode(file);
    const uint32_t otherId = 77;
    ast::File back;
    REQUIRE(ast::readFile(bytes, otherId, back));
    CHECK(back.fileId == otherId);
    CHECK(encode(back) == bytes);
    CHECK(encode(ast::cloneFile(file, otherId)) == bytes);
    std::vector<SourceRange> backRanges = rangesOf(back);
    REQUIRE(backRanges.size() == ranges.size());
    size_t moved = 0;
    for (size_t i = 0; i < ranges.size(); ++i)
      moved += backRanges[i].file == (ranges[i].valid() ? otherId : 0) && backRanges[i].begin == ranges[i].begin &&
               backRanges[i].end == ranges[i].end;
    CHECK(moved == ranges.size());
  }
  CHECK(withErrors > 20);  // syntax errors, and the ASTs they leave, are among them
}

namespace {

/// What a build generates and reports (text and JSON, positions included),
/// checked from the loaded ASTs or from their encodings read back.
struct Checked {
  bool errors = false;
  std::string generated, report;
};

Checked checkLoaded(std::vector<std::pair<std::string, std::string>> memoryFiles, bool roundTrip) {
  check::LoadOptions load;
  load.paths = {MESH_SOURCE_DIR "/examples/contracts"};
  load.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  load.memoryFiles = std::move(memoryFiles);
  check::Workspace ws;
  DiagnosticEngine diags;
  std::string error;
  REQUIRE(check::load(load, ws, diags, error));
  for (ast::File& file : ws.files) {
    ast::File back;
    REQUIRE(ast::readFile(encode(file), file.fileId, back));
    if (roundTrip) file = std::move(back);
  }
  auto build = check::checkBuild(ws, diags, {"2026-11-25", 2});
  Checked out;
  out.errors = diags.hasErrors();
  if (!out.errors) {
    codegen::OutputTree tree;
    codegen::GeneratorContext context{*build, ws.sources, "test"};
    for (const auto& target : codegen::targets()) target.generate(context, tree, diags);
    for (const auto& [path, text] : tree.files()) out.generated += path + "\n" + text;
  }
  diags.sortAndDedupe(ws.sources);
  std::ostringstream text, json, none;
  RenderOptions options;
  renderDiagnostics(diags, ws.sources, options, none, text);
  options.format = DiagFormat::Json;
  renderDiagnostics(diags, ws.sources, options, json, none);
  out.report = text.str() + json.str();
  return out;
}

}  // namespace

TEST_CASE("ASTs read back check, report and generate like the parses") {
  // The checker and the generators read every part of the AST, and the
  // report shows positions: an independent look at what the decoder built.
  Checked parsed = checkLoaded({}, false);
  REQUIRE_FALSE(parsed.errors);
  REQUIRE(parsed.generated.size() > 10000);
  Checked read = checkLoaded({}, true);
  CHECK(read.generated == parsed.generated);
  CHECK(read.report == parsed.report);

  // The lit inputs, as files of one build: many packages, most with errors
  // (lexical and syntax errors among them).
  std::vector<std::pair<std::string, std::string>> lit;
  for (const auto& path : meshFiles({MESH_SOURCE_DIR "/tests/lit"}))
    lit.push_back({fs::relative(path, MESH_SOURCE_DIR).string(), readText(path)});
  parsed = checkLoaded(lit, false);
  REQUIRE(parsed.errors);
  REQUIRE(parsed.report.size() > 10000);
  read = checkLoaded(lit, true);
  CHECK(read.report == parsed.report);
}

namespace {

std::string customersEncoding() {
  Parses parses;
  ast::File file = parses.parse("customers.mesh", readText(MESH_SOURCE_DIR "/examples/contracts/sales/customers.mesh"));
  REQUIRE_FALSE(parses.diags.hasErrors());
  return encode(file);
}

}  // namespace

TEST_CASE("a truncated, extended or other version's encoding is refused") {
  std::string bytes = customersEncoding();
  REQUIRE(bytes.size() < 20000);
  ast::File out;
  REQUIRE(ast::readFile(bytes, 1, out));
  size_t accepted = 0;
  for (size_t n = 0; n < bytes.size(); ++n) accepted += ast::readFile(std::string_view(bytes).substr(0, n), 1, out);
  CHECK(accepted == 0);
  CHECK_FALSE(ast::readFile(bytes + '\0', 1, out));
  std::string other = bytes;
  other[0] = static_cast<char>(ast::kAstFormatVersion + 1);
  CHECK_FALSE(ast::readFile(other, 1, out));

  // A refused input leaves the output as it was.
  ast::File kept;
  kept.fileId = 5;
  kept.decls.emplace_back();
  CHECK_FALSE(ast::readFile(std::string_view(bytes).substr(0, bytes.size() / 2), 9, kept));
  CHECK(kept.fileId == 5);
  CHECK(kept.decls.size() == 1);

  // writeFile appends.
  std::string appended = "prefix";
  ast::writeFile(out, appended);
  CHECK(appended == "prefix" + bytes);
}

TEST_CASE("corrupted encodings are read or refused, never a crash") {
  std::string bytes = customersEncoding();
  std::mt19937 rng(20261125);
  size_t accepted = 0;
  const int rounds = 4000;
  for (int i = 0; i < rounds; ++i) {
    std::string bad = bytes;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) {
      size_t at = rng() % bad.size();
      if (rng() % 2)
        bad[at] = static_cast<char>(rng());
      else
        bad[at] = static_cast<char>(bad[at] ^ (1 << (rng() % 8)));
    }
    ast::File out;
    if (!ast::readFile(bad, 3, out)) continue;
    ++accepted;
    // What reads is a whole AST: it encodes, copies and reads again.
    std::string again = encode(out);
    ast::File twice;
    CHECK(ast::readFile(again, 3, twice));
    CHECK(encode(twice) == again);
    CHECK(encode(ast::cloneFile(out, 4)) == again);
  }
  // Most flips land in a string's text or a range's offsets, which decode.
  MESSAGE(accepted << " of " << rounds << " corrupted encodings decoded");
  for (int i = 0; i < rounds; ++i) {
    std::string noise(1 + rng() % 64, '\0');
    for (auto& c : noise) c = static_cast<char>(rng());
    noise[0] = static_cast<char>(ast::kAstFormatVersion);
    ast::File out;
    (void)ast::readFile(noise, 3, out);
  }
}

namespace {

std::string varint(uint64_t v) {
  std::string out;
  do {
    out += static_cast<char>((v & 0x7F) | (v >= 0x80 ? 0x80 : 0));
    v >>= 7;
  } while (v);
  return out;
}

}  // namespace

TEST_CASE("forged lengths and out-of-range numbers are refused at once") {
  const std::string version(1, static_cast<char>(ast::kAstFormatVersion));
  // A File: package (an optional QualifiedName: parts, range), imports, decls.
  ast::File out;
  auto start = std::chrono::steady_clock::now();
  for (uint64_t huge : {uint64_t{1} << 20, uint64_t{1} << 40, ~uint64_t{0}}) {
    CHECK_FALSE(ast::readFile(version + '\0' + '\0' + varint(huge), 1, out));  // decls
    CHECK_FALSE(ast::readFile(version + '\1' + varint(huge), 1, out));         // package parts
    CHECK_FALSE(ast::readFile(version + '\1' + '\1' + varint(huge), 1, out));  // a part's name
  }
  // A varint longer than 64 bits.
  CHECK_FALSE(ast::readFile(version + '\0' + std::string(9, '\xff') + '\x02' + '\0', 1, out));
  // The package `a` at [begin, begin + 1), and its name's range: the first
  // valid range's begin is relative to 0 (zigzag: twice it, then the low
  // bit for valid), the second's to the first.
  auto package = [&](uint64_t begin) {
    return version + '\1' + '\1' + varint(1) + 'a' + varint(begin << 2 | 1) + varint(2) + varint(1) + varint(2) + '\0' +
           '\0';
  };
  CHECK_FALSE(ast::readFile(package(uint64_t{1} << 32), 1, out));
  REQUIRE(ast::readFile(package(7), 9, out));
  CHECK(out.fileId == 9);
  REQUIRE(out.package);
  CHECK(out.package->str() == "a");
  CHECK(out.package->range.file == 9);
  CHECK(out.package->range.begin == 7);
  CHECK(out.package->range.end == 8);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
}

namespace {

/// A file whose one check is `levels` unary expressions nested in each
/// other: Decl, RecordDecl, CheckDecl, then the expressions, the innermost
/// one's Date (a struct) at depth levels + 4.
ast::File deepFile(int levels) {
  ast::CheckDecl check;
  for (int i = 0; i < levels; ++i) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = ast::ExprKind::Unary;
    if (check.expr) e->args.push_back(std::move(check.expr));
    check.expr = std::move(e);
  }
  ast::RecordDecl record;
  record.checks.push_back(std::move(check));
  ast::File file;
  file.decls.emplace_back().body = std::move(record);
  return file;
}

int exprDepth(const ast::Expr* e) {
  int depth = 0;
  for (; e; e = e->args.empty() ? nullptr : e->args[0].get()) ++depth;
  return depth;
}

}  // namespace

TEST_CASE("the deepest ASTs the parser builds read back, deeper ones are refused") {
  const size_t depth = syntax::kMaxNesting - 1;  // the record's braces are one level
  std::vector<std::string> texts;
  std::string chain = "package deep;\nrecord R { x: int64 where value";
  for (int i = 0; i < 3 * syntax::kMaxExprDepth; ++i) chain += " + 1";
  texts.push_back(chain + " > 0; }\n");  // cut at kMaxExprDepth by the builder (E0008)
  texts.push_back("package deep;\nrecord R { x: int32 where " + std::string(depth, '(') + "value" +
                  std::string(depth, ')') + " > 0; }\n");
  texts.push_back("package deep;\nrecord R { x: bool where " + std::string(depth + 1, '!') + "value; }\n");
  std::string lists = "package deep;\nrecord R { x: ", unions = lists;
  for (size_t i = 0; i < depth; ++i) lists += "list<", unions += "string | list<";
  texts.push_back(lists + "int32" + std::string(depth, '>') + "; }\n");
  texts.push_back(unions + "int32" + std::string(depth, '>') + "; }\n");
  for (const auto& text : texts) {
    Parses parses;
    ast::File file = parses.parse("deep.mesh", text);
    CAPTURE(text.substr(0, 60));
    CHECK(parses.diags.errorCount() == (&text == &texts[0] ? 1 : 0));
    const auto& record = std::get<ast::RecordDecl>(file.decls.at(0).body);
    if (&text == &texts[0]) CHECK(exprDepth(record.fields.at(0).constraint.get()) > syntax::kMaxExprDepth);
    std::string bytes = encode(file);
    ast::File back;
    CHECK(ast::readFile(bytes, 1, back));
    CHECK(encode(back) == bytes);
  }

  // Built by hand: nesting up to the limit reads, one level more does not.
  ast::File back;
  CHECK(ast::readFile(encode(deepFile(ast::kMaxReadDepth - 4)), 1, back));
  CHECK_FALSE(ast::readFile(encode(deepFile(ast::kMaxReadDepth - 3)), 1, back));
}

// Not run by default (--no-skip): MESH_AST_BENCH=DIR times parsing every
// .mesh file under DIR against reading their encodings back.
TEST_CASE("bench: parse vs read back" * doctest::skip()) {
  const char* dir = std::getenv("MESH_AST_BENCH");
  REQUIRE(dir);
  std::vector<std::string> texts;
  size_t sourceBytes = 0;
  for (const auto& path : meshFiles({dir})) {
    texts.push_back(readText(path));
    sourceBytes += texts.back().size();
  }
  // Processor time: the machine may be busy with other work.
  struct Clock {
    static double now() {
      timespec t;
      clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
      return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
    }
  };
  auto ms = [](double d) { return d; };
  Parses parses;
  std::vector<ast::File> files;
  auto t0 = Clock::now();
  for (size_t i = 0; i < texts.size(); ++i) files.push_back(parses.parse("f" + std::to_string(i), texts[i]));
  auto t1 = Clock::now();
  std::vector<std::string> encodings;
  size_t encodedBytes = 0;
  for (const auto& f : files) {
    encodings.push_back(encode(f));
    encodedBytes += encodings.back().size();
  }
  auto t2 = Clock::now();
  std::vector<ast::File> back(files.size());
  for (size_t i = 0; i < encodings.size(); ++i) REQUIRE(ast::readFile(encodings[i], files[i].fileId, back[i]));
  auto t3 = Clock::now();
  for (const auto& f : files) (void)ast::cloneFile(f, f.fileId + 1);
  auto t4 = Clock::now();
  MESSAGE(texts.size() << " files, " << sourceBytes << " source bytes, " << encodedBytes << " encoded bytes; parse "
                       << ms(t1 - t0) << " ms, write " << ms(t2 - t1) << " ms, read " << ms(t3 - t2) << " ms, clone "
                       << ms(t4 - t3) << " ms");
}
