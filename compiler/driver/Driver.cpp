// Driver: command-line parsing (llvm::cl subcommands) and the commands.
#include "driver/Driver.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <sstream>
#include <thread>

#include "codegen/Generator.h"
#include "codegen/OutputTree.h"
#include "compat/Baseline.h"
#include "compat/Compare.h"
#include "compilation/Compilation.h"
#include "diagnostics/Render.h"
#include "driver/Cached.h"
#include "driver/Depfile.h"
#include "driver/Environment.h"
#include "driver/LargeStack.h"
#include "driver/Registry.h"
#include "driver/Workspace.h"
#include "eval/Validate.h"
#include "format/Run.h"
#include "lineage/Lineage.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/raw_ostream.h"
#include "meshrt/report.h"
#include "meshrt/runtime.h"
#include "support/Text.h"
#include "syntax/SharedParses.h"

namespace mesh::driver {
namespace cl = llvm::cl;
namespace {

cl::SubCommand CheckCmd("check", "Parse, resolve and type-check contracts and governance policies");
cl::SubCommand ExplainCmd("explain", "Explain a diagnostic code, with an example and the fix");
cl::SubCommand BuildCmd("build", "Generate code, schemas and catalog manifests from contracts");
cl::SubCommand ValidateCmd(
    "validate", "Validate JSON Lines messages against a product's or a record's schema, one result per line");
cl::SubCommand BreakingCmd("breaking",
                           "Compare contracts with a baseline (a directory or git:REF) and report breaking changes");
cl::SubCommand GraphCmd("graph", "Print the lineage of data products across domains, as Graphviz DOT or Mermaid");
cl::SubCommand FmtCmd("fmt", "Rewrite .mesh files in the canonical layout (docs/fmt.md)");
cl::SubCommand InitCmd("init", "Write a commented workspace file, mesh.yaml (docs/workspace.md)");
cl::SubCommand RegistryCmd("registry",
                           "Register (push) or test (check) the Avro schemas of `format avro` products in a schema "
                           "registry (docs/registry.md)");

cl::OptionCategory MeshCategory("meshc options");

// Without a path, every command that reads contracts reads the workspace file's.
cl::list<std::string> CheckPaths(cl::Positional, cl::desc("<path>..."), cl::ZeroOrMore, cl::sub(CheckCmd),
                                 cl::cat(MeshCategory));
cl::list<std::string> Includes("include", cl::desc("Another package root searched for imports (repeatable)"),
                               cl::value_desc("dir"), cl::sub(CheckCmd), cl::sub(ValidateCmd), cl::sub(BuildCmd),
                               cl::sub(BreakingCmd), cl::sub(GraphCmd), cl::sub(RegistryCmd), cl::cat(MeshCategory));
cl::opt<std::string> Format("format", cl::desc("Diagnostics as text, json (one object per line) or sarif"),
                            cl::value_desc("text|json|sarif"), cl::init("text"), cl::sub(CheckCmd), cl::sub(FmtCmd),
                            cl::sub(ValidateCmd), cl::sub(BuildCmd), cl::sub(BreakingCmd), cl::sub(RegistryCmd),
                            cl::cat(MeshCategory));
cl::opt<std::string> Color("color", cl::desc("Color the text diagnostics"), cl::value_desc("auto|always|never"),
                           cl::init("auto"), cl::sub(CheckCmd), cl::sub(FmtCmd), cl::sub(ValidateCmd),
                           cl::sub(BuildCmd), cl::sub(BreakingCmd), cl::sub(GraphCmd), cl::sub(RegistryCmd),
                           cl::cat(MeshCategory));
cl::opt<unsigned> Jobs(
    "j", cl::desc("Parse and check (and in build, generate and write) with N threads (default: the number of cores)"),
    cl::value_desc("N"), cl::init(0), cl::Prefix, cl::sub(CheckCmd), cl::sub(ValidateCmd), cl::sub(BuildCmd),
    cl::sub(BreakingCmd), cl::sub(GraphCmd), cl::sub(RegistryCmd), cl::cat(MeshCategory));

cl::opt<bool> NoCache("no-cache",
                      cl::desc("Neither use nor keep results of earlier runs (docs/cache.md: where they are kept)"),
                      cl::sub(CheckCmd), cl::sub(BuildCmd), cl::cat(MeshCategory));
cl::opt<bool> Stats("stats", cl::desc("Print the time each phase took to stderr"), cl::sub(CheckCmd),
                    cl::sub(BreakingCmd), cl::sub(BuildCmd), cl::cat(MeshCategory));

cl::list<std::string> ValidateArgs(cl::Positional, cl::desc("[<path>...] [FILE|-]"), cl::ZeroOrMore,
                                   cl::sub(ValidateCmd), cl::cat(MeshCategory));
cl::opt<std::string> ValidateProduct("product",
                                     cl::desc("The product (or record) to validate against, by qualified name"),
                                     cl::value_desc("name"), cl::Required, cl::sub(ValidateCmd), cl::cat(MeshCategory));

cl::list<std::string> BuildPaths(cl::Positional, cl::desc("<path>..."), cl::ZeroOrMore, cl::sub(BuildCmd),
                                 cl::cat(MeshCategory));
cl::opt<std::string> BuildOut("o",
                              cl::desc("Output directory (default: the workspace file's output, else gen/ in the "
                                       "workspace root)"),
                              cl::value_desc("dir"), cl::sub(BuildCmd), cl::cat(MeshCategory));
cl::list<std::string> BuildTargets("target",
                                   cl::desc("What to generate: cpp, manifest, jsonschema, docs or avro (repeatable; "
                                            "default: cpp, manifest and jsonschema)"),
                                   cl::value_desc("target"), cl::sub(BuildCmd), cl::cat(MeshCategory));
cl::opt<bool> BuildCheck("check", cl::desc("Write nothing: list missing, stale and extra files and exit 1 if any"),
                         cl::sub(BuildCmd), cl::cat(MeshCategory));
cl::opt<std::string> BuildDepfile("depfile",
                                  cl::desc("When the contracts compile (with --check too), write a Make/Ninja depfile "
                                           "naming every file read and the workspace file (docs/cmake.md)"),
                                  cl::value_desc("file"), cl::sub(BuildCmd), cl::cat(MeshCategory));
cl::opt<std::string> BuildDepfileTarget("depfile-target",
                                        cl::desc("The depfile's target (default: the output directory)"),
                                        cl::value_desc("name"), cl::sub(BuildCmd), cl::cat(MeshCategory));

cl::list<std::string> BreakingPaths(cl::Positional, cl::desc("<path>..."), cl::ZeroOrMore, cl::sub(BreakingCmd),
                                    cl::cat(MeshCategory));
cl::opt<std::string> BreakingAgainst("against",
                                     cl::desc("The baseline: a directory of contracts, or git:REF (the same paths in "
                                              "the git repository that holds them, at REF)"),
                                     cl::value_desc("dir|git:ref"), cl::Required, cl::sub(BreakingCmd),
                                     cl::cat(MeshCategory));
cl::list<std::string> GraphPaths(cl::Positional, cl::desc("<path>..."), cl::ZeroOrMore, cl::sub(GraphCmd),
                                 cl::cat(MeshCategory));
// In `graph`, --format names the graph's format; its diagnostics are text.
cl::opt<std::string> GraphFormat("format", cl::desc("The graph as Graphviz DOT or a Mermaid flowchart"),
                                 cl::value_desc("dot|mermaid"), cl::init("dot"), cl::sub(GraphCmd),
                                 cl::cat(MeshCategory));

cl::list<std::string> FmtPaths(cl::Positional, cl::desc("<path>..."), cl::ZeroOrMore, cl::sub(FmtCmd),
                               cl::cat(MeshCategory));
cl::opt<bool> FmtCheck("check",
                       cl::desc("Write nothing: print each file that is not formatted, with a diff, and exit 1 if any"),
                       cl::sub(FmtCmd), cl::cat(MeshCategory));

cl::opt<std::string> ExplainCode(cl::Positional, cl::desc("<code>"), cl::Required, cl::sub(ExplainCmd),
                                 cl::cat(MeshCategory));
cl::opt<std::string> RegistryAction(cl::Positional, cl::desc("push|check"), cl::Required, cl::sub(RegistryCmd),
                                    cl::cat(MeshCategory));
cl::list<std::string> RegistryPaths(cl::Positional, cl::desc("<path>..."), cl::ZeroOrMore, cl::sub(RegistryCmd),
                                    cl::cat(MeshCategory));
cl::opt<std::string> RegistryUrl("registry",
                                 cl::desc("The schema registry (default: MESH_SCHEMA_REGISTRY_URL, else the workspace "
                                          "file's registry)"),
                                 cl::value_desc("url"), cl::sub(RegistryCmd), cl::cat(MeshCategory));
cl::opt<std::string> InitDir(cl::Positional, cl::desc("[dir]"), cl::init("."), cl::sub(InitCmd), cl::cat(MeshCategory));

bool parseRenderOptions(RenderOptions& out) { return renderOptionsFor(Format, Color, out); }

// The start of check, build, graph and fmt: their flags over the workspace
// file's settings, and the diagnostics' form those ask for.
struct Session {
  WorkspaceRun run;
  Settings settings;
  RenderOptions render;
};
// `others`: more paths from the command line (Flags::others).
int settle(const char* command, std::vector<std::string> paths, Session& session,
           std::vector<std::string> others = {}) {
  Settings& out = session.settings;
  Flags flags;
  flags.command = command;
  flags.paths = std::move(paths);
  flags.others = std::move(others);
  flags.includes.assign(Includes.begin(), Includes.end());
  flags.targets.assign(BuildTargets.begin(), BuildTargets.end());
  if (BuildOut.getNumOccurrences()) flags.output = BuildOut;
  if (Format.getNumOccurrences()) flags.format = Format;
  if (Color.getNumOccurrences()) flags.color = Color;
  std::vector<std::string> targetNames;
  for (const auto& t : codegen::targets()) targetNames.emplace_back(t.name);
  if (int status = session.run.settle(flags, targetNames, out)) return status;
  return renderOptionsFor(out.format, out.color, session.render) ? 0 : 2;
}
int settle(const char* command, const cl::list<std::string>& paths, Session& session) {
  return settle(command, std::vector<std::string>(paths.begin(), paths.end()), session);
}

// -j N, or the number of cores.
unsigned jobs() { return Jobs ? Jobs : std::max(1u, std::thread::hardware_concurrency()); }

using compilation::Compilation;

// The diagnostics as they are printed, kept for the cache.
cache::Result rendered(const DiagnosticEngine& diags, const SourceManager& sources, const RenderOptions& render) {
  std::ostringstream out, err;
  renderDiagnostics(diags, sources, render, out, err);
  cache::Result result;
  result.out = std::move(out).str();
  result.err = std::move(err).str();
  return result;
}

// What every command that reads contracts does first: load and check the
// build. Returns 2 (and prints why) when the environment failed, else 0.
// With `failure`, the message of an environment failure is left there
// instead of printed (for a caller that decides which failure to show).
compilation::Options optionsFor(const std::vector<std::string>& paths, const std::vector<std::string>& includes) {
  compilation::Options options;
  options.paths = paths;
  options.includes = includes;
  options.stdlibDir = stdlibDir();
  options.jobs = jobs();
  options.today = today();
  return options;
}

int loadAndCheck(const compilation::Options& options, Compilation& out, std::string* failure = nullptr) {
  std::string error;
  if (!out.loadAndCheck(options, error)) {
    if (failure)
      *failure = error;
    else
      llvm::errs() << "meshc: " << escapeControlCharacters(error) << "\n";
    return 2;
  }
  return 0;
}

int compile(const std::vector<std::string>& paths, const std::vector<std::string>& includes, Compilation& out,
            syntax::SharedParses* sharedParses = nullptr, std::string* failure = nullptr) {
  compilation::Options options = optionsFor(paths, includes);
  options.sharedParses = sharedParses;
  return loadAndCheck(options, out, failure);
}

// check and build: the workspace's settings, its policy packages imported;
// what the load reads is recorded for the cache.
int compile(const Settings& settings, WorkspaceRun& run, Compilation& out, check::LoadRecord* record = nullptr,
            check::SyntaxTrees* syntaxTrees = nullptr, const std::string* lastCheck = nullptr) {
  compilation::Options options = optionsFor(settings.paths, settings.includes);
  options.packages = settings.packages;
  options.record = record;
  options.syntaxTrees = syntaxTrees;
  options.lastCheck = lastCheck;
  if (int status = loadAndCheck(options, out)) return status;
  return run.checkPackages(settings, out.ws);
}

// The cache's key for check and build (Cached.h).
std::string invocationOf(const char* command, const Session& session, const std::vector<std::string>& targets = {}) {
  return driver::invocationOf(command, session.settings, session.render, stdlibDir(), meshrt::formatDate(today()),
                              targets);
}

double ms(std::chrono::steady_clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

int runCheck() {
  Session session;
  if (int status = settle("check", CheckPaths, session)) return status;
  Settings& settings = session.settings;
  const RenderOptions& render = session.render;
  return runWithLargeStack([&] {
    using Clock = std::chrono::steady_clock;
    auto t0 = Clock::now();
    CachedRun cached(!NoCache, invocationOf("check", session));
    if (auto hit = cached.lookup()) {
      emit(*hit);
      if (Stats) llvm::errs() << "meshc stats: cache " << cached.describe() << "\n";
      return hit->status;
    }
    // Left to the OS at exit, as build's: freeing a large catalog's syntax
    // trees and model took 0.7 s of a 13 s check at 100,000 records.
    static Compilation* kept = new Compilation;
    Compilation& c = *kept;
    if (int status = compile(settings, session.run, c, cached.record(), cached.syntaxTrees(), cached.lastCheck()))
      return status;
    auto tc = Clock::now();
    c.evaluatePolicies();
    auto t1 = Clock::now();
    std::string state = c.checkState();
    c.diags.sortAndDedupe(c.ws.sources);
    cache::Result result = rendered(c.diags, c.ws.sources, render);
    result.status = c.diags.hasErrors() ? 1 : 0;
    result.checkState = std::move(state);
    emit(result);
    cached.keep(result);
    if (Stats) {
      size_t bytes = 0;
      for (unsigned f = 1; f <= c.ws.sources.fileCount(); ++f) bytes += c.ws.sources.text(f).size();
      llvm::errs() << fmt::format(
          "meshc stats: cache {}{}\nmeshc stats: {} files, {} bytes; load, parse and check {:.1f} ms (load and parse "
          "{:.1f} ms, check {:.1f} ms), policies {:.1f} ms, report {:.1f} ms; -j {}\n",
          cached.describe(&c.ws), c.checkedSummary().empty() ? "" : "; " + c.checkedSummary(), c.ws.sources.fileCount(),
          bytes, ms(tc - t0), ms(c.loaded - t0), ms(c.checked - c.loaded), ms(t1 - tc), ms(Clock::now() - t1), jobs());
    }
    return result.status;
  });
}

// The paths of `validate` end with the input: `-`; an argument that is
// neither a .mesh source nor a directory; or the last of two or more when it
// follows --product (`PATH... --product NAME FILE`) and is not a .mesh source
// (a directory there is the input, and refused). Otherwise the messages come
// from standard input. With no PATH left, the workspace file's contracts are
// read, as check reads them.
void splitValidateArgs(std::vector<std::string>& paths, std::string& input) {
  paths.assign(ValidateArgs.begin(), ValidateArgs.end());
  input.assign(1, '-');
  if (paths.empty()) return;
  const std::string& last = paths.back();
  bool afterProduct = paths.size() >= 2 && ValidateArgs.getPosition(paths.size() - 1) > ValidateProduct.getPosition();
  std::error_code ec;
  bool meshFile = std::filesystem::path(last).extension() == ".mesh";
  bool source = meshFile || std::filesystem::is_directory(last, ec);
  if (last == "-" || (afterProduct && !meshFile) || !source) {
    input = last;
    paths.pop_back();
  }
}

int runValidate() {
  std::vector<std::string> paths;
  std::string input;
  splitValidateArgs(paths, input);
  std::error_code ec;
  if (input != "-" && std::filesystem::is_directory(input, ec)) {
    llvm::errs() << "meshc: '" << escapeControlCharacters(input)
                 << "' is a directory: validate reads JSON Lines from a FILE or '-' (meshc validate PATH... "
                    "--product NAME [FILE|-])\n";
    return 2;
  }
  // The input is named as given; with a workspace file meshc reads it from
  // the workspace root, where the settled path leads.
  Session session;
  std::vector<std::string> others;
  if (input != "-") others.push_back(input);
  if (int status = settle("validate", paths, session, others)) return status;
  std::string inputPath = input != "-" ? session.settings.others.front() : input;
  const RenderOptions& render = session.render;
  return runWithLargeStack([&] {
    Compilation c;
    if (int status = compile(session.settings, session.run, c)) return status;
    c.diags.sortAndDedupe(c.ws.sources);
    if (c.diags.hasErrors()) {
      renderDiagnostics(c.diags, c.ws.sources, render, std::cout, std::cerr);
      return 1;
    }
    const auto& build = c.build;
    const model::Type* target = eval::findValidationTarget(*build, ValidateProduct);
    if (!target) {
      std::vector<std::string> names;
      for (const auto& p : build->products) names.push_back(p->qualifiedName);
      for (const auto& r : build->records) names.push_back(r->qualifiedName);
      for (const auto& u : build->unions) names.push_back(u->qualifiedName);
      std::string msg =
          fmt::format("meshc: no product or record '{}' in the build", escapeControlCharacters(ValidateProduct));
      // A short name (`orders_latest`) is not looked up: say which qualified
      // names end with it, all of them, before any spelling guess.
      std::vector<std::string> qualified;
      for (const std::string& n : names)
        if (n.size() > ValidateProduct.size() &&
            n.compare(n.size() - ValidateProduct.size(), std::string::npos, ValidateProduct) == 0 &&
            n[n.size() - ValidateProduct.size() - 1] == '.' && !ValidateProduct.empty())
          qualified.push_back("'" + n + "'");
      if (!qualified.empty())
        msg += fmt::format("; the name must be qualified: did you mean {}?", fmt::join(qualified, " or "));
      else if (auto guess = closestMatch(ValidateProduct, names))
        msg += fmt::format("; did you mean '{}'?", *guess);
      llvm::errs() << msg << "\n";
      return 2;
    }
    std::ifstream file;
    std::istream* in = &std::cin;
    if (input != "-") {
      file.open(inputPath, std::ios::binary);
      if (!file) {
        llvm::errs() << "meshc: cannot read '" << escapeControlCharacters(input) << "'\n";
        return 2;
      }
      in = &file;
    }
    eval::Validator validator(*target);
    auto validate = [&](std::string_view line, auto& violations, int64_t now) {
      violations = validator.validate(line, eval::ValidateOptions{now});
    };
    int status = meshrt::validateJsonLines(*in, std::cout, validate, "meshc");
    if (status == 2) llvm::errs() << "meshc: error reading '" << escapeControlCharacters(input) << "'\n";
    return status;
  });
}

// The targets named (by --target or the workspace file), or the default ones.
bool selectTargets(const std::vector<std::string>& wanted, std::vector<const codegen::Target*>& selected) {
  std::vector<std::string> names;
  for (const auto& t : codegen::targets()) names.emplace_back(t.name);
  if (wanted.empty()) {
    for (const auto& t : codegen::targets())
      if (t.byDefault) selected.push_back(&t);
    return true;
  }
  for (const auto& want : wanted) {
    const codegen::Target* found = nullptr;
    for (const auto& t : codegen::targets())
      if (want == t.name) found = &t;
    if (!found) {
      std::string msg = fmt::format("meshc: unknown target '{}'", escapeControlCharacters(want));
      if (auto guess = closestMatch(want, names)) msg += fmt::format("; did you mean '{}'?", *guess);
      llvm::errs() << msg << "\n";
      return false;
    }
    if (std::find(selected.begin(), selected.end(), found) == selected.end()) selected.push_back(found);
  }
  return true;
}

// The end of build, from the generated tree (of this run or the cache's):
// write it to OUT or, with --check, compare. `stats` is the --stats line's
// start; the end says what was written or found out of date.
int writeOrCompare(const codegen::OutputTree& tree, const std::string& outDir,
                   const std::vector<std::string>& targetNames, const std::string& stats) {
  auto t0 = std::chrono::steady_clock::now();
  auto report = [&](const char* what, size_t changed) {
    if (Stats)
      llvm::errs() << fmt::format("{}; {} {} {:.1f} ms; -j {}\n", stats, changed, what,
                                  ms(std::chrono::steady_clock::now() - t0), jobs());
  };
  codegen::OutputFailure failure;
  auto failed = [&] {
    llvm::errs() << "meshc: " << escapeControlCharacters(failure.message) << "\n";
    return failure.inTheWay ? 1 : 2;
  };
  if (BuildCheck) {
    std::vector<std::string> differences;
    if (!codegen::compareTree(tree, outDir, targetNames, differences, failure, jobs())) return failed();
    report("out of date, compare", differences.size());
    for (const auto& d : differences) std::cout << escapeControlCharacters(d) << "\n";
    if (!differences.empty()) {
      llvm::errs() << fmt::format("meshc: {} generated file{} out of date in '{}'; run meshc build to update\n",
                                  differences.size(), differences.size() == 1 ? " is" : "s are",
                                  escapeControlCharacters(outDir));
      return 1;
    }
    llvm::errs() << fmt::format("{} generated file{} up to date in {}\n", tree.files().size(),
                                tree.files().size() == 1 ? "" : "s", escapeControlCharacters(outDir));
    return 0;
  }
  size_t written = 0;  // a tree of digests comes here only when OUT is up to date
  if (!tree.holdsDigests() && !codegen::writeTree(tree, outDir, targetNames, failure, jobs(), &written))
    return failed();
  report("written, write", written);
  llvm::errs() << fmt::format("wrote {} file{} to {} ({} unchanged)\n", written, written == 1 ? "" : "s",
                              escapeControlCharacters(outDir), tree.files().size() - written);
  return 0;
}

// Whether OUT holds exactly the files of `tree` (of digests, from the cache).
bool outputUpToDate(const codegen::OutputTree& tree, const std::string& outDir,
                    const std::vector<std::string>& targetNames) {
  std::vector<std::string> differences;
  codegen::OutputFailure failure;
  return codegen::compareTree(tree, outDir, targetNames, differences, failure, jobs()) && differences.empty();
}

// Load, check, evaluate the policies and generate into `tree`; the
// diagnostics and status in `result`, the --stats line's start in `stats`.
// Returns 0, or the status of a run that stopped before generating.
int generate(Session& session, const std::vector<const codegen::Target*>& selected, CachedRun& cached,
             codegen::OutputTree& tree, cache::Result& result, std::string& stats) {
  using Clock = std::chrono::steady_clock;
  auto t0 = Clock::now();
  // The build and the generated tree (together twice the output's size)
  // are left to the OS at exit, as `breaking` leaves its builds: freeing
  // them would take a share of the run for nothing.
  static Compilation* kept = new Compilation;
  Compilation& c = *kept;
  if (int status = compile(session.settings, session.run, c, cached.record(), cached.syntaxTrees())) return status;
  c.evaluatePolicies();
  // Nothing reads the syntax trees after checking (the model and the
  // diagnostics hold their own text): their memory is reused for the
  // generated tree, which lowers the peak (docs/scale.md).
  std::vector<ast::File>().swap(c.ws.files);
  auto t1 = Clock::now();
  std::string generateStats;
  if (!c.diags.hasErrors()) {
    codegen::GeneratorContext context{*c.build, c.ws.sources, MESH_VERSION, jobs(), c.sourceRoots};
    for (const codegen::Target* t : selected) {
      auto start = Clock::now();
      t->generate(context, tree, c.diags);
      generateStats +=
          fmt::format("{}{} {:.1f} ms", generateStats.empty() ? "" : ", ", t->name, ms(Clock::now() - start));
    }
  }
  auto t2 = Clock::now();
  c.diags.sortAndDedupe(c.ws.sources);
  result = rendered(c.diags, c.ws.sources, session.render);
  result.status = c.diags.hasErrors() ? 1 : 0;
  size_t bytes = 0;
  for (const auto& [path, content] : tree.files()) bytes += content.size();
  stats = fmt::format(
      "meshc stats: cache {}\nmeshc stats: {} files in, {} files ({} bytes) generated; load, parse, check and "
      "policies {:.1f} ms (load and parse {:.1f} ms, check {:.1f} ms), generate {:.1f} ms ({})",
      cached.describe(&c.ws), c.ws.sources.fileCount(), tree.files().size(), bytes, ms(t1 - t0), ms(c.loaded - t0),
      ms(c.checked - c.loaded), ms(t2 - t1), generateStats);
  return 0;
}

int runBuild() {
  // Before the workspace file moves meshc to its root: paths are from here.
  Depfile depfile(BuildDepfile, BuildDepfileTarget,
                  BuildOut.getNumOccurrences() ? std::optional<std::string>(BuildOut) : std::nullopt);
  Session session;
  if (int status = settle("build", BuildPaths, session)) return status;
  std::vector<const codegen::Target*> selected;
  if (!selectTargets(session.settings.targets, selected)) return 2;
  std::vector<std::string> targetNames;
  for (const codegen::Target* t : selected) targetNames.emplace_back(t->name);
  return runWithLargeStack([&] {
    static codegen::OutputTree* keptTree = new codegen::OutputTree;
    codegen::OutputTree& tree = *keptTree;
    CachedRun cached(!NoCache, invocationOf("build", session, targetNames), depfile.wanted());
    // The contracts compiled: the depfile, then OUT written or compared.
    auto finish = [&](const codegen::OutputTree& t, const std::string& stats) {
      if (int status = depfile.write(cached.inputs(), session.settings)) return status;
      return writeOrCompare(t, session.settings.output, targetNames, stats);
    };
    // A hit holds the digests of the generated files: enough to compare OUT
    // with them, not to write it. When OUT differs, build generates again.
    if (auto hit = cached.lookup()) {
      codegen::OutputTree digests;
      digests.adoptDigests(std::move(hit->tree));
      std::string stats = "meshc stats: cache " + cached.describe();
      if (hit->status || BuildCheck || outputUpToDate(digests, session.settings.output, targetNames)) {
        emit(*hit);
        return hit->status ? hit->status : finish(digests, stats);
      }
      cached.outputDiffers();
    }
    cache::Result result;
    std::string stats;
    if (int status = generate(session, selected, cached, tree, result, stats)) return status;
    result.tree = tree.digests(jobs());
    cached.keep(result);
    emit(result);
    if (result.status) return result.status;
    return finish(tree, stats);
  });
}

// `breaking`: the current build and the baseline's are loaded and checked at
// the same time (each on its own big stack), sharing the parse of every text
// both have, then compared; findings from both are rendered through one
// SourceManager, the current build's files first.
// registry push|check: the build checked as `check` does (policies too),
// then the schema of each `format avro` product of its input packages sent.
int runRegistryCommand() {
  if (RegistryAction != "push" && RegistryAction != "check") {
    llvm::errs() << "meshc registry: the action is push or check, not '" << escapeControlCharacters(RegistryAction)
                 << "'\n";
    return 2;
  }
  Session session;
  if (int status = settle("registry", RegistryPaths, session)) return status;
  std::string error;
  auto endpoint = registryEndpoint(RegistryUrl, session.settings.registry, error);
  if (!endpoint) {
    llvm::errs() << "meshc: " << error << "\n";
    return 2;
  }
  return runWithLargeStack([&] {
    static Compilation* kept = new Compilation;  // left to the OS, as check's
    Compilation& c = *kept;
    if (int status = compile(session.settings, session.run, c)) return status;
    c.evaluatePolicies();
    c.diags.sortAndDedupe(c.ws.sources);
    emit(rendered(c.diags, c.ws.sources, session.render));
    if (c.diags.hasErrors()) return 1;
    std::vector<const model::Product*> products;
    for (const auto& p : c.build->products)
      for (const auto& pkg : c.build->packages)
        if (pkg.input && pkg.name == p->package) products.push_back(p.get());
    return runRegistry(RegistryAction == "push", *endpoint, products, llvm::outs(), llvm::errs());
  });
}

int runBreaking() {
  // A baseline directory is named from where meshc started, as the PATHs are.
  Session session;
  bool againstDirectory = !llvm::StringRef(BreakingAgainst).startswith("git:") && !BreakingAgainst.empty();
  std::vector<std::string> others;
  if (againstDirectory) others.push_back(BreakingAgainst);
  if (int status = settle("breaking", BreakingPaths, session, others)) return status;
  const Settings& settings = session.settings;
  const RenderOptions& render = session.render;
  std::string against = againstDirectory ? settings.others.front() : std::string(BreakingAgainst);
  using Clock = std::chrono::steady_clock;
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  auto t0 = Clock::now();
  // Freeing two whole builds takes a noticeable share of the run, and the
  // process ends right after: they are left to the OS (as clang's
  // -disable-free does), reachable from a static for leak checkers.
  static Compilation* keptUntilExit[2] = {new Compilation, new Compilation};
  Compilation& current = *keptUntilExit[0];
  Compilation& before = *keptUntilExit[1];
  // Most files are the same in both builds (the standard library always
  // is): each distinct text is parsed once, by whichever build meets it
  // first, and copied into the other.
  static syntax::SharedParses* sharedParses = new syntax::SharedParses;
  // The current build does not depend on the baseline, so it is loaded
  // while the baseline is prepared (git:REF runs git). Its failures are
  // shown only after the baseline's, as if they ran one after the other.
  // The current build imports the workspace file's policies, as check's
  // does; the baseline is compared, not governed, and does not.
  int currentStatus = 0;
  std::string currentFailure;
  std::thread currentThread([&] {
    compilation::Options options = optionsFor(settings.paths, settings.includes);
    options.packages = settings.packages;
    options.sharedParses = sharedParses;
    currentStatus = runWithLargeStack([&] { return loadAndCheck(options, current, &currentFailure); });
  });
  compat::Baseline baseline;
  std::string error;
  if (!compat::prepareBaseline(against, settings.paths, settings.includes, baseline, error)) {
    currentThread.join();
    llvm::errs() << "meshc: " << escapeControlCharacters(error) << "\n";
    return 2;
  }
  int beforeStatus = 0;
  std::string beforeFailure;
  if (!baseline.empty)
    beforeStatus = runWithLargeStack(
        [&] { return compile(baseline.paths, baseline.includes, before, sharedParses, &beforeFailure); });
  currentThread.join();
  auto t1 = Clock::now();
  if (currentStatus) llvm::errs() << "meshc: " << escapeControlCharacters(currentFailure) << "\n";
  if (beforeStatus) llvm::errs() << "meshc: " << escapeControlCharacters(beforeFailure) << "\n";
  if (currentStatus) return currentStatus;
  if (beforeStatus) return beforeStatus;
  if (int status = session.run.checkPackages(settings, current.ws)) return status;
  if (current.diags.hasErrors()) {
    current.diags.sortAndDedupe(current.ws.sources);
    renderDiagnostics(current.diags, current.ws.sources, render, std::cout, std::cerr);
    return 1;
  }
  model::Build emptyBuild;
  const model::Build* old = &emptyBuild;
  if (!baseline.empty) {
    if (before.diags.hasErrors()) {
      before.diags.sortAndDedupe(before.ws.sources);
      renderDiagnostics(before.diags, before.ws.sources, render, std::cout, std::cerr);
      llvm::errs() << fmt::format(
          "meshc: the baseline {} does not check ({} error{}): fix it or compare against "
          "another baseline\n",
          escapeControlCharacters(baseline.description), before.diags.errorCount(),
          before.diags.errorCount() == 1 ? "" : "s");
      return 1;
    }
    old = before.build.get();
  }
  return runWithLargeStack([&] {
    SourceManager sources;
    for (unsigned f = 1; f <= current.ws.sources.fileCount(); ++f)
      sources.addFile(current.ws.sources.name(f), current.ws.sources.text(f).str());
    uint32_t offset = sources.fileCount();
    if (!baseline.empty)
      for (unsigned f = 1; f <= before.ws.sources.fileCount(); ++f)
        sources.addFile(baseline.displayName(before.ws.sources.name(f)), before.ws.sources.text(f).str());
    auto t2 = Clock::now();
    DiagnosticEngine diags;
    compat::compareBuilds(*old, *current.build, diags, {offset});
    auto t3 = Clock::now();
    diags.sortAndDedupe(sources);
    renderDiagnostics(diags, sources, render, std::cout, std::cerr);
    std::cout.flush();
    if (Stats)
      llvm::errs() << fmt::format(
          "meshc stats: baseline {}, prepare it and load, parse and check both {:.1f} ms ({} texts parsed for {} "
          "files), merge sources {:.1f} ms, compare {:.1f} ms, report {:.1f} ms ({} findings)\n",
          escapeControlCharacters(baseline.description), ms(t1 - t0), sharedParses->parsedCount(),
          sharedParses->parsedCount() + sharedParses->copiedCount(), ms(t2 - t1), ms(t3 - t2), ms(Clock::now() - t3),
          diags.all().size());
    return diags.hasErrors() ? 1 : 0;
  });
}

int runGraph() {
  RenderOptions render;
  if (!parseRenderOptions(render)) return 2;
  const std::vector<std::string> formats = {"dot", "mermaid"};
  if (std::find(formats.begin(), formats.end(), GraphFormat) == formats.end()) {
    std::string msg =
        fmt::format("meshc: --format must be dot or mermaid, not '{}'", escapeControlCharacters(GraphFormat));
    if (auto guess = closestMatch(GraphFormat, formats)) msg += fmt::format("; did you mean '{}'?", *guess);
    llvm::errs() << msg << "\n";
    return 2;
  }
  Session session;
  if (int status = settle("graph", GraphPaths, session)) return status;
  Settings& settings = session.settings;
  return runWithLargeStack([&] {
    Compilation c;
    if (int status = compile(settings, session.run, c)) return status;
    c.diags.sortAndDedupe(c.ws.sources);
    renderDiagnostics(c.diags, c.ws.sources, render, std::cout, std::cerr);
    if (c.diags.hasErrors()) return 1;
    lineage::LineageGraph graph = lineage::lineageGraph(*c.build);
    std::cout << (GraphFormat == "dot" ? lineage::renderDot(graph) : lineage::renderMermaid(graph));
    return 0;
  });
}

int runFmt() {
  Session session;
  if (int status = settle("fmt", FmtPaths, session)) return status;
  format::FmtOptions options;
  options.paths = session.settings.paths;
  options.check = FmtCheck;
  options.stdlibDir = stdlibDir();
  return runWithLargeStack([&] { return format::runFmt(options, session.render, std::cout, std::cerr); });
}

int runExplain() {
  auto kind = diagKindFromCode(ExplainCode);
  if (!kind) {
    std::vector<std::string> codes;
    for (DiagKind k : allDiagKinds()) codes.emplace_back(info(k).code);
    std::string msg = fmt::format("meshc: unknown diagnostic code '{}'", escapeControlCharacters(ExplainCode));
    if (auto guess = closestMatch(ExplainCode, codes)) msg += fmt::format("; did you mean '{}'?", *guess);
    llvm::errs() << msg << "\n";
    return 2;
  }
  const auto& i = info(*kind);
  std::cout << fmt::format("{} ({}): {}\n\n", i.code, severityName(i.severity), i.title);
  if (std::string_view remark = severityRemark(*kind); !remark.empty()) std::cout << remark << "\n\n";
  std::cout << explanation(*kind);
  std::string_view text = explanation(*kind);
  if (text.empty() || text.back() != '\n') std::cout << '\n';
  return 0;
}

// An empty path is never what the user meant: `-o ""` wrote into (and
// `--check` compared with) the current directory. It and every other empty
// path option or argument are refused (usage, exit 2) before anything runs,
// with one message (the loader's "include root is not a directory: ''" and
// "no such file or directory: ''" did not say what was wrong).
bool pathOptionsGiven() {
  auto refuse = [](const char* what) {
    llvm::errs() << fmt::format("meshc: {} is empty; give a path\n", what);
    return false;
  };
  for (const auto& dir : Includes)
    if (dir.empty()) return refuse("--include");
  if (BuildCmd && BuildOut.getNumOccurrences() && BuildOut.empty()) return refuse("-o (the output directory)");
  if (BuildCmd && BuildDepfile.getNumOccurrences() && BuildDepfile.empty()) return refuse("--depfile");
  if (BuildCmd && BuildDepfileTarget.getNumOccurrences() && (BuildDepfileTarget.empty() || BuildDepfile.empty())) {
    llvm::errs() << "meshc: --depfile-target names the target of a depfile: give it a name, and --depfile FILE\n";
    return false;
  }
  if (BreakingCmd && BreakingAgainst.empty()) return refuse("--against (the baseline)");
  for (const auto* paths : {&CheckPaths, &BuildPaths, &BreakingPaths, &GraphPaths, &FmtPaths, &ValidateArgs})
    for (const auto& path : *paths)
      if (path.empty()) return refuse("a path argument");
  return true;
}

}  // namespace

int run(int argc, char** argv) {
  cl::SetVersionPrinter([](llvm::raw_ostream& os) { os << "meshc " << MESH_VERSION << "\n"; });
  cl::HideUnrelatedOptions(MeshCategory);
  std::string errors;
  llvm::raw_string_ostream errStream(errors);
  bool ok =
      cl::ParseCommandLineOptions(argc, argv,
                                  "meshc: the compiler for data contracts in a data mesh\n\n"
                                  "  meshc check [PATH...]   parse, resolve and type-check contracts and policies\n"
                                  "  meshc build [PATH...] [-o OUT] [--target T]... [--check] [--depfile FILE]\n"
                                  "                          generate schemas and code\n"
                                  "  meshc validate [PATH...] --product NAME [FILE|-]\n"
                                  "                          validate JSON Lines messages\n"
                                  "  meshc breaking [PATH...] --against DIR|git:REF\n"
                                  "                          report breaking changes against a baseline\n"
                                  "  meshc graph [PATH...] [--format dot|mermaid]\n"
                                  "                          the lineage of products across domains\n"
                                  "  meshc fmt [PATH...] [--check]\n"
                                  "                          rewrite .mesh files in the canonical layout\n"
                                  "  meshc explain CODE      explain a diagnostic code\n"
                                  "  meshc init [DIR]        write a workspace file, mesh.yaml\n"
                                  "  meshc registry push|check [PATH...] [--registry URL]\n"
                                  "                          register or test format avro schemas\n",
                                  &errStream);
  errStream.flush();
  if (!ok) {
    llvm::errs() << escapeControlCharactersInLines(errors);
    return 2;
  }
  if (!pathOptionsGiven() || !checkEnvironment()) return 2;
  if (CheckCmd) return runCheck();
  if (ExplainCmd) return runExplain();
  if (ValidateCmd) return runValidate();
  if (BuildCmd) return runBuild();
  if (BreakingCmd) return runBreaking();
  if (GraphCmd) return runGraph();
  if (FmtCmd) return runFmt();
  if (InitCmd) return initWorkspace(InitDir);
  if (RegistryCmd) return runRegistryCommand();
  llvm::errs() << "meshc: no command given; run 'meshc --help' for the list of commands\n";
  return 2;
}

}  // namespace mesh::driver
