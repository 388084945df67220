// Render: diagnostics as clang-style text, JSON Lines, or one SARIF 2.1.0 log.
#include "diagnostics/Render.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>

#include "support/Digest.h"
#include "support/EnumNames.h"
#include "support/Text.h"

namespace mesh {
namespace {

struct Span {
  LineColumn begin, end;  // end is exclusive
};

Span spanOf(const SourceManager& sm, SourceRange r) {
  Span s{sm.lineColumn(r.file, r.begin), sm.lineColumn(r.file, std::max(r.end, r.begin))};
  if (r.end <= r.begin) s.end = {s.begin.line, s.begin.column + 1};
  return s;
}

const char* colorOf(Severity s) {
  static constexpr const char* kColors[] = {"\033[1;31m", "\033[1;35m", "\033[1;36m"};
  return enumName<Severity::Note>(s, kColors);
}

// The source line with a caret under the range, in the gutter style of rustc.
void excerpt(std::string& out, const SourceManager& sm, SourceRange r, bool color) {
  Span s = spanOf(sm, r);
  llvm::StringRef line = sm.lineText(r.file, s.begin.line);
  // Very long lines (minified or binary input) are cut so output stays readable.
  constexpr size_t kMaxLine = 240;
  std::string lineNo = std::to_string(s.begin.line);
  std::string gutter(std::max<size_t>(lineNo.size() + 1, 5), ' ');
  std::string shown;
  std::string marks;
  unsigned column = 1;
  size_t i = 0;
  unsigned endColumn = s.end.line == s.begin.line ? s.end.column : 1u << 30;
  while (i < line.size() && shown.size() < kMaxLine) {
    unsigned char c = line[i];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    len = std::min(len, line.size() - i);
    char markChar = column < s.begin.column ? ' ' : column == s.begin.column ? '^' : column < endColumn ? '~' : 0;
    if (c == '\t') {
      shown += "    ";
      if (markChar) marks += markChar == ' ' ? "    " : std::string(1, markChar) + "~~~";
    } else if (c < 0x20 || c == 0x7F || (c == 0xC2 && len == 2 && static_cast<unsigned char>(line[i + 1]) < 0xA0)) {
      shown += ' ';  // control characters (C0, DEL, C1) would corrupt the terminal
      if (markChar) marks += markChar;
    } else {
      shown.append(line.data() + i, len);
      if (markChar) marks += markChar;
    }
    i += len;
    ++column;
  }
  if (i < line.size()) shown += " ...";
  if (marks.find('^') == std::string::npos) marks += '^';  // range at end of line or past the cut
  while (!marks.empty() && marks.back() == ' ') marks.pop_back();
  std::string pad(gutter.size() - lineNo.size() - 1, ' ');
  out += fmt::format("{}{} | {}\n", pad, lineNo, shown);
  out += fmt::format("{}| {}{}{}\n", gutter, color ? "\033[1;32m" : "", marks, color ? "\033[0m" : "");
}

std::string location(const SourceManager& sm, SourceRange r) {
  LineColumn lc = sm.lineColumn(r.file, r.begin);
  return fmt::format("{}:{}:{}", escapeControlCharacters(sm.name(r.file)), lc.line, lc.column);
}

// Messages quote user text (policy messages, deprecation reasons, file
// names): its control characters are escaped so that none reach the terminal.
void renderText(const DiagnosticEngine& diags, const SourceManager& sm, const RenderOptions& opt, std::ostream& err) {
  const char* bold = opt.color ? "\033[1m" : "";
  const char* reset = opt.color ? "\033[0m" : "";
  unsigned errors = 0, warnings = 0;
  std::string out;
  for (const auto& d : diags.all()) {
    if (d.severity == Severity::Error) ++errors;
    if (d.severity == Severity::Warning) ++warnings;
    std::string head = d.range.valid() ? location(sm, d.range) + ": " : std::string("meshc: ");
    out += fmt::format("{}{}{}{}[{}]:{} {}{}{}\n", bold, head, opt.color ? colorOf(d.severity) : "",
                       severityName(d.severity), info(d.kind).code, reset, bold, escapeControlCharacters(d.message),
                       reset);
    if (d.range.valid()) excerpt(out, sm, d.range, opt.color);
    for (const auto& n : d.notes) {
      if (n.range.valid()) {
        out += fmt::format("{}{}: {}note:{} {}\n", bold, location(sm, n.range),
                           opt.color ? colorOf(Severity::Note) : "", reset, escapeControlCharacters(n.message));
        excerpt(out, sm, n.range, opt.color);
      } else {
        out += fmt::format("{}note:{} {}\n", opt.color ? colorOf(Severity::Note) : "", reset,
                           escapeControlCharacters(n.message));
      }
    }
  }
  if (errors || warnings) {
    auto plural = [](unsigned n, const char* word) { return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s"); };
    if (errors && warnings)
      out += fmt::format("{} and {} generated.\n", plural(errors, "error"), plural(warnings, "warning"));
    else
      out += fmt::format("{} generated.\n", errors ? plural(errors, "error") : plural(warnings, "warning"));
  }
  err << out;
}

nlohmann::ordered_json positionJson(const SourceManager& sm, SourceRange r) {
  nlohmann::ordered_json j;
  Span s = spanOf(sm, r);
  j["file"] = sm.name(r.file);
  j["line"] = s.begin.line;
  j["column"] = s.begin.column;
  j["end_line"] = s.end.line;
  j["end_column"] = s.end.column;
  return j;
}

void renderJson(const DiagnosticEngine& diags, const SourceManager& sm, std::ostream& out) {
  for (const auto& d : diags.all()) {
    nlohmann::ordered_json j;
    if (d.range.valid()) {
      j = positionJson(sm, d.range);
    } else {
      j["file"] = nullptr;
      j["line"] = nullptr;
      j["column"] = nullptr;
      j["end_line"] = nullptr;
      j["end_column"] = nullptr;
    }
    j["severity"] = severityName(d.severity);
    j["code"] = info(d.kind).code;
    j["message"] = d.message;
    auto notes = nlohmann::ordered_json::array();
    for (const auto& n : d.notes) {
      nlohmann::ordered_json nj;
      if (n.range.valid()) nj = positionJson(sm, n.range);
      nj["message"] = n.message;
      notes.push_back(std::move(nj));
    }
    j["notes"] = std::move(notes);
    out << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
}

// A file path as a URI reference (RFC 3986): unreserved characters and '/'
// as they are, everything else percent-encoded.
std::string uriOf(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
                c == '_' || c == '~' || c == '/';
    if (keep) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// Where GitHub code scanning looks for a file: a relative path against the
// repository root (%SRCROOT%: CI runs meshc there), an absolute one as a
// file: URI (upload-sarif maps those inside the checkout to relative ones).
// The standard library and the baseline of `meshc breaking --against
// git:REF` are not files of the work tree: they get base ids of their own,
// described in the run's originalUriBaseIds, so no consumer mistakes them for
// a file of the repository.
nlohmann::ordered_json artifactLocation(const std::string& name) {
  llvm::StringRef n(name);
  if (n.consume_front("<stdlib>/")) return {{"uri", uriOf(n.str())}, {"uriBaseId", "MESHC_STDLIB"}};
  if (n.startswith("<git:") && n.contains(">/")) {
    return {{"uri", uriOf(n.split(">/").second.str())}, {"uriBaseId", "MESHC_BASELINE"}};
  }
  if (n.startswith("/")) return {{"uri", "file://" + uriOf(name)}};
  return {{"uri", uriOf(name)}, {"uriBaseId", "%SRCROOT%"}};
}

nlohmann::ordered_json sarifLocation(const SourceManager& sm, SourceRange r) {
  Span s = spanOf(sm, r);
  return {{"physicalLocation",
           {{"artifactLocation", artifactLocation(sm.name(r.file))},
            {"region",
             {{"startLine", s.begin.line},
              {"startColumn", s.begin.column},
              {"endLine", s.end.line},
              {"endColumn", s.end.column}}}}}};
}

// partialFingerprints: GitHub matches a result across runs by them (results
// uploaded through the API get none computed for them). Independent of line
// numbers, so an edit above a finding keeps its alert: the rule, the file,
// the trimmed source line, the message, and the how-many-th such result it
// is.
std::string fingerprintOf(const std::string& text) { return sha256Hex(text).substr(0, 32); }

// SARIF's levels are spelled as meshc's severities are.
std::string sarifLevel(Severity s) { return std::string(severityName(s)); }

// The rules table (every diagnostic with its explanation) does not depend on
// the diagnostics: it is built and serialized once per process, as the log
// would print it at its place (runs[0].tool.driver.rules, ten spaces in), and
// spliced into each log. Most of a log's bytes are this table, so a process
// that renders many logs (the front-end fuzz target) does not pay for it
// each time.
constexpr std::string_view kRulesPlaceholder = "meshc-sarif-rules-placeholder";

const std::string& sarifRulesText() {
  static const std::string text = [] {
    auto rules = nlohmann::ordered_json::array();
    for (DiagKind k : allDiagKinds()) {
      const auto& i = info(k);
      std::string help(explanation(k));
      // The explanations are written in Markdown conventions (indented code).
      if (help.empty()) help = i.title;
      rules.push_back({{"id", i.code},
                       {"shortDescription", {{"text", i.title}}},
                       {"fullDescription", {{"text", i.title}}},
                       {"help", {{"text", help}, {"markdown", help}}},
                       {"defaultConfiguration", {{"level", sarifLevel(i.severity)}}}});
    }
    std::string dumped = rules.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string indented;
    indented.reserve(dumped.size() + dumped.size() / 8);
    for (char c : dumped) {
      indented += c;
      if (c == '\n') indented.append(10, ' ');
    }
    return indented;
  }();
  return text;
}

void renderSarif(const DiagnosticEngine& diags, const SourceManager& sm, const RenderOptions& opt, std::ostream& out) {
  auto results = nlohmann::ordered_json::array();
  std::set<std::string> artifacts;  // artifactLocation objects, as JSON text
  std::map<std::string, int> seen;  // fingerprint text -> results so far
  std::set<std::string> baseIds;    // of every location, related ones included
  for (const auto& d : diags.all()) {
    nlohmann::ordered_json r;
    r["ruleId"] = info(d.kind).code;
    r["ruleIndex"] = static_cast<size_t>(d.kind);
    r["level"] = sarifLevel(d.severity);
    std::string text = d.message;
    for (const auto& n : d.notes) text += "\nnote: " + n.message;
    r["message"] = {{"text", text}};
    auto locations = nlohmann::ordered_json::array();
    std::string fingerprint = std::string(info(d.kind).code) + '\0' + d.message;
    if (d.range.valid()) {
      locations.push_back(sarifLocation(sm, d.range));
      artifacts.insert(artifactLocation(sm.name(d.range.file)).dump());
      Span s = spanOf(sm, d.range);
      fingerprint +=
          '\0' + sm.name(d.range.file) + '\0' + llvm::StringRef(sm.lineText(d.range.file, s.begin.line)).trim().str();
    }
    r["locations"] = std::move(locations);
    int occurrence = seen[fingerprint]++;
    r["partialFingerprints"] = {{"meshcFingerprint/v1", fingerprintOf(fingerprint) + ":" + std::to_string(occurrence)}};
    auto related = nlohmann::ordered_json::array();
    int id = 0;
    for (const auto& n : d.notes) {
      if (!n.range.valid()) continue;
      auto loc = sarifLocation(sm, n.range);
      const auto& artifact = loc["physicalLocation"]["artifactLocation"];
      if (artifact.contains("uriBaseId")) baseIds.insert(artifact["uriBaseId"].get<std::string>());
      loc["id"] = id++;
      loc["message"] = {{"text", n.message}};
      related.push_back(std::move(loc));
    }
    if (!related.empty()) r["relatedLocations"] = std::move(related);
    results.push_back(std::move(r));
  }
  auto artifactList = nlohmann::ordered_json::array();
  for (const auto& a : artifacts) {
    auto location = nlohmann::ordered_json::parse(a);
    if (location.contains("uriBaseId")) baseIds.insert(location["uriBaseId"].get<std::string>());
    artifactList.push_back({{"location", std::move(location)}});
  }
  static const std::map<std::string, const char*> kBaseIds = {
      {"%SRCROOT%", "The directory meshc ran in: the repository root, where CI runs it."},
      {"MESHC_BASELINE", "The baseline of meshc breaking --against git:REF: the repository at REF."},
      {"MESHC_STDLIB", "meshc's standard library (share/meshc/stdlib of the meshc installation)."}};
  nlohmann::ordered_json originalUriBaseIds = nlohmann::ordered_json::object();
  for (const auto& id : baseIds) originalUriBaseIds[id] = {{"description", {{"text", kBaseIds.at(id)}}}};
  nlohmann::ordered_json log = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                                {"version", "2.1.0"},
                                {"runs",
                                 {{{"tool",
                                    {{"driver",
                                      {{"name", "meshc"},
                                       {"version", opt.toolVersion},
                                       {"semanticVersion", opt.toolVersion},
                                       {"rules", kRulesPlaceholder}}}}},
                                   {"originalUriBaseIds", std::move(originalUriBaseIds)},
                                   {"artifacts", std::move(artifactList)},
                                   {"columnKind", "unicodeCodePoints"},
                                   {"results", std::move(results)}}}}};
  std::string text = log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  // The first occurrence is the rules' place: tool.driver comes before any
  // text of the diagnostics.
  std::string placeholder = fmt::format("\"{}\"", kRulesPlaceholder);
  size_t at = text.find(placeholder);
  if (at != std::string::npos) text.replace(at, placeholder.size(), sarifRulesText());
  out << text << '\n';
}

}  // namespace

void renderDiagnostics(const DiagnosticEngine& diags, const SourceManager& sm, const RenderOptions& options,
                       std::ostream& out, std::ostream& err) {
  switch (options.format) {
    case DiagFormat::Text:
      renderText(diags, sm, options, err);
      break;
    case DiagFormat::Json:
      renderJson(diags, sm, out);
      break;
    case DiagFormat::Sarif:
      renderSarif(diags, sm, options, out);
      break;
  }
}

}  // namespace mesh
