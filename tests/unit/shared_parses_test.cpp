// Units of syntax/SharedParses and ast/Clone: a build whose files are copies
// of parses made for another build (at other file ids) must check, evaluate
// its policies, generate and report exactly like a build that parsed them
// itself. The lit test breaking/shared-parse.test shows the same through
// `meshc breaking`; this one sweeps every AST shape the examples and the lit
// inputs have, errors included.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ast/Clone.h"
#include "codegen/Generator.h"
#include "compilation/Compilation.h"
#include "diagnostics/Render.h"
#include "syntax/SharedParses.h"

using namespace mesh;
namespace fs = std::filesystem;

namespace {

struct Built : compilation::Compilation {
  std::string report;                          // rendered diagnostics, text and JSON
  std::map<std::string, std::string> outputs;  // every target's files
};

void build(compilation::Options load, syntax::SharedParses* shared, Built& out) {
  load.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  load.jobs = 2;
  load.sharedParses = shared;
  load.today = *meshrt::parseDate("2026-11-25");
  std::string error;
  REQUIRE(out.loadAndCheck(load, error));
  if (!out.diags.hasErrors()) {
    out.evaluatePolicies();
    codegen::OutputTree tree;
    codegen::GeneratorContext context{*out.build, out.ws.sources, "test"};
    for (const auto& target : codegen::targets()) target.generate(context, tree, out.diags);
    out.outputs = tree.files();
  }
  out.diags.sortAndDedupe(out.ws.sources);
  std::ostringstream text, json, none;
  RenderOptions options;
  renderDiagnostics(out.diags, out.ws.sources, options, none, text);
  options.format = DiagFormat::Json;
  renderDiagnostics(out.diags, out.ws.sources, options, json, none);
  out.report = text.str() + json.str();
}

// A file loaded first, so that every other file gets another id than in
// the load that filled the shared parses.
const std::pair<std::string, std::string> kShift = {"shift.mesh", "package zz_shift;\n"};

void compareWithFreshParse(const compilation::Options& load) {
  syntax::SharedParses shared;
  Built filler, copied, fresh;
  build(load, &shared, filler);
  size_t parsed = shared.parsedCount(), copies = shared.copiedCount();
  compilation::Options shifted = load;
  shifted.memoryFiles.insert(shifted.memoryFiles.begin(), kShift);
  build(shifted, &shared, copied);
  build(shifted, nullptr, fresh);

  // Every file but the shift one is a copy, at an id other than the filler's.
  REQUIRE(copied.ws.files.size() == filler.ws.files.size() + 1);
  CHECK(shared.parsedCount() == parsed + 1);
  CHECK(shared.copiedCount() == copies + filler.ws.files.size());
  for (size_t i = 1; i < copied.ws.files.size(); ++i) CHECK(copied.ws.files[i].fileId == i + 1);

  CHECK(copied.report == fresh.report);
  CHECK(copied.outputs == fresh.outputs);
  CHECK(copied.diags.errorCount() == fresh.diags.errorCount());
}

}  // namespace

TEST_CASE("a build of copied parses checks, evaluates and generates like one that parsed") {
  compilation::Options load;
  load.paths = {MESH_SOURCE_DIR "/examples/contracts"};
  Built probe;
  build(load, nullptr, probe);
  REQUIRE_FALSE(probe.diags.hasErrors());  // else nothing would be generated
  REQUIRE_FALSE(probe.outputs.empty());
  compareWithFreshParse(load);
}

TEST_CASE("copied parses report the syntax and check errors of every lit input at their own file") {
  // Each lit input as an in-memory file of one build: many packages, most of
  // them with errors, lexical and syntax errors among them.
  compilation::Options load;
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::recursive_directory_iterator(MESH_SOURCE_DIR "/tests/lit"))
    if (entry.is_regular_file() && entry.path().extension() == ".mesh") inputs.push_back(entry.path());
  std::sort(inputs.begin(), inputs.end());
  REQUIRE(inputs.size() > 50);
  for (const auto& path : inputs) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    load.memoryFiles.push_back({fs::relative(path, MESH_SOURCE_DIR).string(), text.str()});
  }
  Built probe;
  build(load, nullptr, probe);
  REQUIRE(probe.diags.errorCount() > 100);
  compareWithFreshParse(load);
}

TEST_CASE("a clone moves every range of its file and nothing else") {
  ast::File file;
  file.fileId = 3;
  ast::Decl decl;
  decl.name = {"R", {3, 7, 8}};
  decl.range = {3, 0, 20};
  ast::RecordDecl record;
  ast::FieldDecl field;
  field.name = {"id", {3, 11, 13}};
  field.type.name.parts = {{"string", {3, 15, 21}}};
  field.constraint = std::make_unique<ast::Expr>();
  field.constraint->kind = ast::ExprKind::Name;
  field.constraint->range = {0, 0, 0};  // no location
  record.fields.push_back(std::move(field));
  decl.body = std::move(record);
  file.decls.push_back(std::move(decl));

  ast::File copy = ast::cloneFile(file, 9);
  CHECK(copy.fileId == 9);
  REQUIRE(copy.decls.size() == 1);
  CHECK(copy.decls[0].range.file == 9);
  CHECK(copy.decls[0].name.range.file == 9);
  const auto& f = std::get<ast::RecordDecl>(copy.decls[0].body).fields.at(0);
  CHECK(f.name.name == "id");
  CHECK(f.name.range.file == 9);
  CHECK(f.name.range.begin == 11);
  CHECK(f.type.name.parts.at(0).range.file == 9);
  REQUIRE(f.constraint);
  CHECK_FALSE(f.constraint->range.valid());
  // The original is untouched.
  CHECK(file.decls[0].range.file == 3);
  CHECK(std::get<ast::RecordDecl>(file.decls[0].body).fields[0].constraint.get() != f.constraint.get());
}
