// Meaning: the tokens, the doc comments and the checked result of a text,
// without source positions (see Meaning.h).
#include "format/Meaning.h"

#include <fmt/format.h>

#include <algorithm>

#include "codegen/Generator.h"
#include "compilation/Compilation.h"
#include "syntax/Cst.h"
#include "syntax/Parse.h"

namespace mesh::format {
namespace {

std::string rtrim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\f')) s.pop_back();
  return s;
}

// Every token but white space, one a line, kind first; a comma directly
// before `}`, `]` or `)` (ignoring comments) is left out: the grammar makes it
// optional, and the formatter writes it in multi-line enums only.
std::string tokenFingerprint(const std::string& original) {
  std::string text = original;
  sanitizeUtf8(text);
  std::vector<syntax::CstToken> tokens = syntax::lexConcrete(text);
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const auto& t = tokens[i];
    using K = syntax::CstTokenKind;
    if (t.kind == K::Whitespace || t.kind == K::Eof) continue;
    if (t.kind == K::Code && t.text == ",") {
      size_t j = i + 1;
      while (j < tokens.size() && tokens[j].kind != K::Code && tokens[j].kind != K::Eof) ++j;
      if (j < tokens.size() && tokens[j].kind == K::Code &&
          (tokens[j].text == "}" || tokens[j].text == "]" || tokens[j].text == ")"))
        continue;
    }
    char kind = t.kind == K::Code ? 'c' : t.kind == K::DocComment ? 'd' : t.kind == K::LineComment ? 'l' : 'b';
    out += kind;
    out += ' ';
    out += t.kind == K::Code ? t.text : rtrim(t.text);
    out += '\n';
  }
  return out;
}

// Which doc comment each declaration, member, field and check carries.
std::string docFingerprint(const std::string& displayName, const std::string& text) {
  SourceManager sm;
  std::string copy = text;
  std::vector<uint32_t> invalid = sanitizeUtf8(copy);
  uint32_t id = sm.addFile(displayName, std::move(copy));
  DiagnosticEngine diags;
  ast::File file = syntax::parseFile(sm, id, invalid, diags);
  std::string out;
  auto doc = [&](const std::string& what, const ast::Doc& d) { out += what + ": " + d.text + "\n"; };
  for (const auto& decl : file.decls) {
    doc(decl.name.name, decl.doc);
    if (const auto* e = std::get_if<ast::EnumDecl>(&decl.body))
      for (const auto& m : e->members) doc(decl.name.name + "." + m.name.name, m.doc);
    if (const auto* r = std::get_if<ast::RecordDecl>(&decl.body)) {
      for (const auto& f : r->fields) doc(decl.name.name + "." + f.name.name, f.doc);
      for (const auto& c : r->checks) doc(decl.name.name + " check " + c.name.name, c.doc);
    }
    if (const auto* u = std::get_if<ast::UnionDecl>(&decl.body))
      for (const auto& c : u->cases) doc(decl.name.name + " case " + c.value.value, c.doc);
  }
  return out;
}

}  // namespace

// The day both texts are checked on. A meaning compares a text with its
// formatted self, not a build with the calendar: any day would do as long as
// both sides use the same one. A fixed day keeps fmt's verdict independent
// of the clock and of MESH_TODAY, and no waiver can expire between the two.
const meshrt::Date kMeaningDay = *meshrt::parseDate("2026-11-25");

// What checking the files as a build of their own reports (no positions)
// and, when they check cleanly, what every target generates from them.
std::string checkedMeaning(const std::vector<std::pair<std::string, std::string>>& files,
                           const std::string& stdlibDir) {
  compilation::Options options;
  options.memoryFiles = files;
  options.stdlibDir = stdlibDir;
  options.today = kMeaningDay;
  compilation::Compilation c;
  std::string error;
  if (!c.loadAndCheck(options, error)) return "load failed: " + error + "\n";
  DiagnosticEngine& diags = c.diags;
  std::string out;
  if (!diags.hasErrors()) {
    // Generated even when a policy fails: the outputs are part of the meaning.
    c.evaluatePolicies();
    codegen::OutputTree tree;
    codegen::GeneratorContext context{*c.build, c.ws.sources, "fmt", 1, c.sourceRoots};
    for (const auto& target : codegen::targets()) target.generate(context, tree, diags);
    for (const auto& [path, content] : tree.files()) out += "== " + path + "\n" + content + "\n";
  }
  std::vector<std::string> reports;
  for (const auto& d : diags.all()) {
    std::string line = fmt::format("{}[{}]: {}", severityName(d.severity), info(d.kind).code, d.message);
    for (const auto& n : d.notes) line += "\n  note: " + n.message;
    reports.push_back(std::move(line));
  }
  std::sort(reports.begin(), reports.end());
  for (const auto& r : reports) out += r + "\n";
  return out;
}

namespace {

std::string firstDifference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  size_t lineStart = a.rfind('\n', i == 0 ? 0 : i - 1);
  lineStart = lineStart == std::string::npos ? 0 : lineStart + 1;
  auto lineAt = [&](const std::string& s) {
    size_t end = s.find('\n', lineStart);
    return lineStart >= s.size() ? std::string("(end)") : s.substr(lineStart, end - lineStart);
  };
  return fmt::format("'{}' became '{}'", lineAt(a), lineAt(b));
}

}  // namespace

Meaning meaningOf(const std::string& displayName, const std::string& text, const std::string& stdlibDir) {
  return {tokenFingerprint(text), docFingerprint(displayName, text), checkedMeaning({{displayName, text}}, stdlibDir)};
}

std::string describeDifference(const Meaning& before, const Meaning& after) {
  if (before.tokens != after.tokens) return "the tokens differ: " + firstDifference(before.tokens, after.tokens);
  if (before.docs != after.docs) return "the doc comments differ: " + firstDifference(before.docs, after.docs);
  if (before.checked != after.checked)
    return "what checking reports or generates differs: " + firstDifference(before.checked, after.checked);
  return "";
}

}  // namespace mesh::format
