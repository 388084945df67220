// Html: the pieces the pages of the docs target are made of (code spans,
// doc comments as paragraphs, badges, sections, fact lists) and the text of
// the model as the catalog shows it. Every function here returns HTML: a
// template is a literal, and text from a contract enters only as a value
// escaped by htmlEscape() first (or built by another function here).
#pragma once

#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codegen/Printer.h"
#include "model/Model.h"

namespace mesh::codegen::docs {

/// Text made safe for HTML text and attribute values: & < > " ' escaped.
std::string htmlEscape(const std::string& text);

/// `tmpl` printed with its values, as a string: a fragment another template
/// takes as a value.
std::string fragment(Template tmpl, std::initializer_list<Printer::Var> vars = {});

/// `text` escaped, in <code>.
std::string code(const std::string& text);
/// A muted note where a value is missing: `what` is a literal.
std::string none(const char* what = "not declared");
/// A doc comment as paragraphs (split at blank lines), `code` in backquotes.
std::string docHtml(const std::string& doc, const char* cls = "doc");
/// The first paragraph of a doc comment, for tables.
std::string summaryHtml(const std::string& doc);
/// A constant as a contract writes it; strings quoted, `"` and `\` escaped.
std::string valueText(const model::Value& v);
/// A tag use as written: `pii`, `classification(level: confidential)`.
std::string tagText(const model::TagUse& t);
/// A badge per tag, personal data and classification levels marked.
std::string tagBadges(const std::vector<model::TagUse>& tags);
/// Personal data, or classified confidential or restricted.
bool sensitive(const std::vector<model::TagUse>& tags);
/// `Deprecated: reason` as a warning paragraph; "" when not deprecated.
std::string deprecatedNote(const std::optional<std::string>& reason);
/// The top of a page's article: its title (HTML), the line under it (HTML),
/// a deprecation note, the doc comment.
std::string articleHead(const char* cls, const std::string& title, const std::string& qualified,
                        const std::optional<std::string>& deprecated, const std::string& doc);
/// The type a list or map holds, through every level; `t` itself otherwise.
const model::Type* innermostElement(const model::Type* t);
/// A field's path (indented by depth), required or optional, tags and
/// deprecation as badges.
std::string fieldCell(const model::Field& f, const std::string& pathText, int depth);
/// A field's constraints and its refinements' ones, each refinement named.
std::string constraintsHtml(const model::Field& f);
/// A policy's description, or a note that it has none.
std::string policyDoc(const model::Policy& policy);
/// `<section id=...><h2>title</h2>body</section>`; id and title are literals.
std::string section(const char* id, const char* title, const std::string& body);
/// A table: `head` the header cells (<th>...), `rows` the body's rows.
std::string table(const char* cls, Template head, const std::string& rows);
/// `@meta` pairs as a definition list (key, value, as written); "" for none.
std::string metaHtml(const std::vector<model::MetaEntry>& meta);
/// A list of facts: each row a term (HTML) and its value (HTML).
std::string facts(const std::vector<std::pair<std::string, std::string>>& rows);
/// `3 passed 1 violated` as status badges (passed, waived, violated; none
/// for a count of 0), from counts by status.
std::string statusCounts(const std::map<model::PolicyStatus, int>& counts);
/// `unique`, `null rate`, `volume`, `valid rate`.
std::string qualityKind(model::QualityRule::Kind k);
/// A number as a contract writes it (shortest form).
std::string number(double v);

}  // namespace mesh::codegen::docs
