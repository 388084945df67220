// Html: see Html.h.
#include "codegen/docs/Html.h"

#include <fmt/format.h>

#include <algorithm>

#include "codegen/ModelText.h"

namespace mesh::codegen::docs {

std::string htmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string fragment(Template tmpl, std::initializer_list<Printer::Var> vars) {
  Printer p;
  p.print(tmpl, vars);
  return p.take();
}

std::string code(const std::string& text) { return fragment("<code>$text$</code>", {{"text", htmlEscape(text)}}); }

std::string none(const char* what) { return fragment("<span class=\"none\">$what$</span>", {{"what", what}}); }

namespace {

// The paragraphs of a doc comment: runs of lines between blank lines.
std::vector<std::string> paragraphs(const std::string& doc) {
  std::vector<std::string> out(1);
  size_t i = 0;
  while (i < doc.size()) {
    size_t end = doc.find('\n', i);
    if (end == std::string::npos) end = doc.size();
    std::string line = doc.substr(i, end - i);
    bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (blank) {
      if (!out.back().empty()) out.emplace_back();
    } else {
      out.back() += (out.back().empty() ? "" : "\n") + line;
    }
    i = end + 1;
  }
  return out;
}

// Escaped text with its backquoted spans in <code>.
std::string inlineCode(const std::string& text) {
  std::string html;
  bool open = false;
  for (char c : htmlEscape(text)) {
    if (c == '`') {
      html += open ? "</code>" : "<code>";
      open = !open;
    } else {
      html += c;
    }
  }
  if (open) html += "</code>";
  return html;
}

}  // namespace

std::string docHtml(const std::string& doc, const char* cls) {
  if (doc.empty()) return "";
  Printer p;
  for (const auto& paragraph : paragraphs(doc))
    if (!paragraph.empty()) p.print("<p class=\"$cls$\">$text$</p>\n", {{"cls", cls}, {"text", inlineCode(paragraph)}});
  return p.take();
}

std::string summaryHtml(const std::string& doc) { return docHtml(doc.substr(0, doc.find("\n\n")), "summary"); }

std::string valueText(const model::Value& v) {
  if (v.kind != model::Value::Kind::String) return v.str();
  std::string out = "\"";
  for (char c : v.s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string tagText(const model::TagUse& t) {
  std::string out = t.tag->name;
  if (t.args.empty()) return out;
  out += "(";
  for (size_t i = 0; i < t.args.size(); ++i) {
    const model::Value& v = t.args[i].second;
    out += (i ? ", " : "") + t.args[i].first + ": " + valueText(v);
  }
  return out + ")";
}

namespace {

// The standard vocabulary's markings (std.governance): `pii`, and a
// classification whose level is confidential or restricted, are shown as
// sensitive.
bool isPii(const model::TagUse& t) { return t.tag && t.tag->qualifiedName == "std.governance.pii"; }

std::string classificationLevel(const model::TagUse& t) {
  if (!t.tag || t.tag->qualifiedName != "std.governance.classification") return "";
  for (const auto& [name, value] : t.args)
    if (name == "level") return value.str();
  return "";
}

}  // namespace

std::string tagBadges(const std::vector<model::TagUse>& tags) {
  Printer p;
  for (const auto& t : tags) {
    if (!t.tag) continue;
    std::string level = classificationLevel(t);
    if (isPii(t))
      p.print("<span class=\"badge pii\" title=\"personal data (std.governance.pii)\">PII</span>");
    else if (!level.empty())
      p.print("<span class=\"badge level-$level$\" title=\"$tag$\">$level$</span>",
              {{"level", htmlEscape(level)}, {"tag", htmlEscape("@" + tagText(t))}});
    else
      p.print("<span class=\"badge tag\" title=\"$name$\">@$tag$</span>",
              {{"name", htmlEscape(t.tag->qualifiedName)}, {"tag", htmlEscape(tagText(t))}});
  }
  return p.take();
}

bool sensitive(const std::vector<model::TagUse>& tags) {
  for (const auto& t : tags) {
    std::string level = classificationLevel(t);
    if (isPii(t) || level == "confidential" || level == "restricted") return true;
  }
  return false;
}

std::string deprecatedNote(const std::optional<std::string>& reason) {
  if (!reason) return "";
  return fragment("<p class=\"deprecated\">Deprecated: $reason$</p>\n", {{"reason", htmlEscape(*reason)}});
}

std::string articleHead(const char* cls, const std::string& title, const std::string& qualified,
                        const std::optional<std::string>& deprecated, const std::string& doc) {
  return fragment(
      "<article class=\"$cls$\">\n<h1>$title$</h1>\n<p class=\"qualified\">$qualified$</p>\n$deprecated$$doc$",
      {{"cls", cls},
       {"title", title},
       {"qualified", qualified},
       {"deprecated", deprecatedNote(deprecated)},
       {"doc", doc}});
}

const model::Type* innermostElement(const model::Type* t) {
  while (t->kind == model::TypeKind::List || t->kind == model::TypeKind::Map) t = t->element;
  return t;
}

std::string fieldCell(const model::Field& f, const std::string& pathText, int depth) {
  Printer out;
  out.print("<div class=\"field depth-$depth$\"><code class=\"path\">$path$</code>",
            {{"depth", std::to_string(std::min(depth, 6))}, {"path", htmlEscape(pathText)}});
  if (f.optional())
    out.print("<span class=\"badge optional\">optional</span>");
  else
    out.print("<span class=\"badge required\">required</span>");
  out.printBlock(tagBadges(f.tags));
  if (f.wire)
    out.print(
        "<span class=\"badge wire\" title=\"the field's name in the contract (its key on the wire: @wire)\">"
        "$name$</span>",
        {{"name", htmlEscape(f.name)}});
  if (f.deprecated)
    out.print("<span class=\"badge deprecated\" title=\"$reason$\">deprecated</span>",
              {{"reason", htmlEscape(*f.deprecated)}});
  out.print("</div>");
  return out.take();
}

std::string constraintsHtml(const model::Field& f) {
  Printer out;
  if (!f.constraintText.empty()) out.print("<div>$constraint$</div>", {{"constraint", code(f.constraintText)}});
  auto refinements = [&](const model::Type* t, const char* scope) {
    for (const model::Refinement* r = t->refinement; r; r = r->base ? r->base->refinement : nullptr)
      if (!r->constraintText.empty())
        out.print(
            "<div>$constraint$ <span class=\"from\">$scope$from $refinement$</span></div>",
            {{"constraint", code(r->constraintText)}, {"scope", scope}, {"refinement", htmlEscape(r->qualifiedName)}});
  };
  refinements(f.type, "");
  // Each level of lists and maps, outermost first (`list<Pair>` with a
  // refined Pair has the constraints of Pair and of its elements).
  for (const model::Type* level = f.type; level->kind == model::TypeKind::List || level->kind == model::TypeKind::Map;
       level = level->element) {
    refinements(level->element, "each element, ");
    if (level->key) refinements(level->key, "each key, ");
  }
  return out.take();
}

std::string policyDoc(const model::Policy& policy) {
  return policy.doc.empty() ? none("no description") : docHtml(policy.doc);
}

std::string section(const char* id, const char* title, const std::string& body) {
  return fragment("<section id=\"$id$\">\n<h2>$title$</h2>\n$body$</section>\n",
                  {{"id", id}, {"title", title}, {"body", body}});
}

std::string table(const char* cls, Template head, const std::string& rows) {
  Printer out;
  out.print("<table class=\"$cls$\">\n<thead><tr>", {{"cls", cls}});
  out.print(head);
  out.print("</tr></thead>\n<tbody>\n$rows$</tbody>\n</table>\n", {{"rows", rows}});
  return out.take();
}

std::string metaHtml(const std::vector<model::MetaEntry>& meta) {
  if (meta.empty()) return "";
  Printer p;
  p.print("<dl class=\"meta\">\n");
  for (const auto& m : meta)
    p.print("<div><dt>$key$</dt><dd>$value$</dd></div>\n",
            {{"key", htmlEscape(m.key)}, {"value", htmlEscape(m.value)}});
  p.print("</dl>\n");
  return p.take();
}

std::string facts(const std::vector<std::pair<std::string, std::string>>& rows) {
  Printer p;
  p.print("<dl class=\"facts\">\n");
  for (const auto& [term, value] : rows)
    p.print("<div><dt>$term$</dt><dd>$value$</dd></div>\n", {{"term", term}, {"value", value}});
  p.print("</dl>\n");
  return p.take();
}

std::string statusCounts(const std::map<model::PolicyStatus, int>& counts) {
  using model::PolicyStatus;
  Printer p;
  for (PolicyStatus status : {PolicyStatus::Passed, PolicyStatus::Waived, PolicyStatus::Violated}) {
    auto it = counts.find(status);
    if (it != counts.end() && it->second)
      p.print("<span class=\"status $status$\">$count$ $status$</span> ",
              {{"status", policyStatus(status)}, {"count", std::to_string(it->second)}});
  }
  return p.take();
}

std::string qualityKind(model::QualityRule::Kind k) {
  std::string name = qualityKindName(k);
  std::replace(name.begin(), name.end(), '_', ' ');
  return name;
}

std::string number(double v) { return fmt::format("{}", v); }

}  // namespace mesh::codegen::docs
