// Docs: the `docs` target, a static HTML catalog of the build under
// OUT/docs/: index.html, a page per domain, product and record, and
// style.css. Pages work from the file system (relative links only, no
// script, nothing fetched from a network); lineage diagrams are inline SVG
// laid out here (Diagram.h). Every piece of user text goes through
// htmlEscape(). Decisions: docs/catalog.md.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "codegen/ModelText.h"
#include "codegen/Generator.h"
#include "codegen/docs/Diagram.h"
#include "lineage/Lineage.h"

namespace mesh::codegen {
namespace {

using docs::htmlEscape;
using model::TypeKind;

std::string esc(const std::string& s) { return htmlEscape(s); }

// ---------------------------------------------------------------- text of the model

const char* compareText(model::CompareOp op) {
  switch (op) {
    case model::CompareOp::Lt:
      return "<";
    case model::CompareOp::Le:
      return "\u2264";
    case model::CompareOp::Gt:
      return ">";
    case model::CompareOp::Ge:
      return "\u2265";
    case model::CompareOp::Eq:
      return "=";
    case model::CompareOp::Ne:
      return "\u2260";
  }
  return "?";
}

const char* qualityKind(model::QualityRule::Kind k) {
  switch (k) {
    case model::QualityRule::Kind::Unique:
      return "unique";
    case model::QualityRule::Kind::NullRate:
      return "null rate";
    case model::QualityRule::Kind::Volume:
      return "volume";
    case model::QualityRule::Kind::ValidRate:
      return "valid rate";
  }
  return "?";
}

std::string number(double v) { return fmt::format("{}", v); }

// A constant as a contract writes it; strings quoted with `"` and `\`
// escaped (Value::str() quotes without escaping).
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

// A tag use as written: `pii`, `classification(level: confidential)`.
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

std::string tagBadges(const std::vector<model::TagUse>& tags) {
  std::string out;
  for (const auto& t : tags) {
    if (!t.tag) continue;
    std::string level = classificationLevel(t);
    if (isPii(t))
      out += "<span class=\"badge pii\" title=\"personal data (std.governance.pii)\">PII</span>";
    else if (!level.empty())
      out += fmt::format("<span class=\"badge level-{0}\" title=\"{1}\">{0}</span>", esc(level), esc("@" + tagText(t)));
    else
      out +=
          fmt::format("<span class=\"badge tag\" title=\"{}\">@{}</span>", esc(t.tag->qualifiedName), esc(tagText(t)));
  }
  return out;
}

// A doc comment as paragraphs (split at blank lines), `code` in backquotes.
std::string docHtml(const std::string& doc, const char* cls = "doc") {
  if (doc.empty()) return "";
  std::vector<std::string> paragraphs(1);
  size_t i = 0;
  while (i < doc.size()) {
    size_t end = doc.find('\n', i);
    if (end == std::string::npos) end = doc.size();
    std::string line = doc.substr(i, end - i);
    bool blank = line.find_first_not_of(" \t\r") == std::string::npos;
    if (blank) {
      if (!paragraphs.back().empty()) paragraphs.emplace_back();
    } else {
      paragraphs.back() += (paragraphs.back().empty() ? "" : "\n") + line;
    }
    i = end + 1;
  }
  std::string out;
  for (const auto& p : paragraphs) {
    if (p.empty()) continue;
    std::string text = esc(p), html;
    bool open = false;
    for (char c : text) {
      if (c == '`') {
        html += open ? "</code>" : "<code>";
        open = !open;
      } else {
        html += c;
      }
    }
    if (open) html += "</code>";
    out += fmt::format("<p class=\"{}\">{}</p>\n", cls, html);
  }
  return out;
}

// The first paragraph of a doc comment, for tables.
std::string summaryHtml(const std::string& doc) {
  size_t blank = doc.find("\n\n");
  std::string first = docHtml(doc.substr(0, blank), "summary");
  return first;
}

std::string code(const std::string& s) { return "<code>" + esc(s) + "</code>"; }

std::string none(const char* what = "not declared") { return fmt::format("<span class=\"none\">{}</span>", what); }

// ---------------------------------------------------------------- the catalog

class Catalog {
 public:
  explicit Catalog(const GeneratorContext& ctx) : ctx_(ctx), graph_(lineage::lineageGraph(ctx.build)) {
    std::set<std::string> inputs;
    for (const auto& p : ctx.build.packages)
      if (p.input) inputs.insert(p.name);
    for (const auto& p : ctx.build.products)
      if (inputs.count(p->package) && p->schema) products_.push_back(p.get());
    // Pages exist for the domains and records of the input packages and for
    // those an input product uses (declared in an imported package), so
    // every link of a product page has a target.
    std::set<const model::Domain*> domains;
    for (const auto& d : ctx.build.domains)
      if (inputs.count(d->package)) domains.insert(d.get());
    std::set<const model::Record*> records;
    for (const auto& r : ctx.build.records)
      if (inputs.count(r->package)) records.insert(r.get());
    for (const model::Product* p : products_) {
      if (p->domain) domains.insert(p->domain);
      addRecords(p->schema, records);
    }
    domains_.assign(domains.begin(), domains.end());
    records_.assign(records.begin(), records.end());
    std::sort(products_.begin(), products_.end(), byName<model::Product>);
    std::sort(domains_.begin(), domains_.end(), byName<model::Domain>);
    std::sort(records_.begin(), records_.end(), byName<model::Record>);
    for (const model::Product* p : products_) hasPage_.insert(p);
    for (const model::Domain* d : domains_) hasPage_.insert(d);
    for (const model::Record* r : records_) hasPage_.insert(r);
    for (const auto& o : ctx.build.policyOutcomes)
      if (o.product && o.policy) outcomes_[o.product].push_back(&o);
    for (const auto& [from, to] : graph_.edges) {
      upstreamsOf_[to].push_back(from);
      downstreamsOf_[from].push_back(to);
    }
    for (const model::Product* p : products_) {
      schemaOf_[p->schema].push_back(p);
      if (p->domain) productsOf_[p->domain].push_back(p);
    }
    for (const model::Record* r : records_)
      for (const auto& f : r->fields) {
        const model::Type* t = f->type;
        while (t->kind == TypeKind::List || t->kind == TypeKind::Map) t = t->element;
        if (t->kind == TypeKind::Record) fieldsOfType_[t->record].emplace_back(r, f.get());
      }
  }

  void write(OutputTree& out) {
    out.add("docs/style.css", stylesheet());
    out.add("docs/index.html", indexPage());
    for (const model::Domain* d : domains_) out.add("docs/domains/" + d->qualifiedName + ".html", domainPage(*d));
    for (const model::Product* p : products_) out.add("docs/products/" + p->qualifiedName + ".html", productPage(*p));
    for (const model::Record* r : records_) out.add("docs/records/" + r->qualifiedName + ".html", recordPage(*r));
  }

 private:
  template <class T>
  static bool byName(const T* a, const T* b) {
    return a->qualifiedName < b->qualifiedName;
  }

  static void addRecords(const model::Record* r, std::set<const model::Record*>& into) {
    if (!r || !into.insert(r).second) return;
    for (const auto& f : r->fields) {
      const model::Type* t = f->type;
      while (t->kind == TypeKind::List || t->kind == TypeKind::Map) t = t->element;
      if (t->kind == TypeKind::Record) addRecords(t->record, into);
    }
  }

  // ------------------------------------------------------------ links

  // Pages live in docs/ (the index) and one level down (the rest); `root`
  // is the way from the page to docs/: "" or "../".
  std::string productLink(const model::Product* p, const std::string& root) const {
    if (!hasPage_.count(p))
      return fmt::format("{} <span class=\"none\">(outside this catalog)</span>", code(p->qualifiedName));
    return fmt::format("<a href=\"{}products/{}.html\">{}</a>", root, esc(p->qualifiedName), esc(p->qualifiedName));
  }
  std::string domainLink(const model::Domain* d, const std::string& root) const {
    if (!d) return none("no domain");
    if (!hasPage_.count(d)) return esc(d->qualifiedName);
    return fmt::format("<a href=\"{}domains/{}.html\">{}</a>", root, esc(d->qualifiedName), esc(d->name));
  }
  std::string recordLink(const model::Record* r, const std::string& root, const std::string& text) const {
    if (!r || !hasPage_.count(r)) return code(text);
    return fmt::format("<a href=\"{}records/{}.html\"><code>{}</code></a>", root, esc(r->qualifiedName), esc(text));
  }

  // A field's type, linked to its record's page when it holds a record.
  std::string typeHtml(const model::Type* t, const std::string& root) const {
    const model::Type* element = t;
    while (element->kind == TypeKind::List || element->kind == TypeKind::Map) element = element->element;
    std::string out = element->kind == TypeKind::Record ? recordLink(element->record, root, t->str()) : code(t->str());
    if (element->kind == TypeKind::Enum) {
      std::string members;
      for (const auto& m : element->enumType->members) members += (members.empty() ? "" : ", ") + m.name;
      out += fmt::format("<div class=\"values\">one of {}</div>", code(members));
    }
    return out;
  }

  // ------------------------------------------------------------ page frame

  std::string stampComment(const std::vector<std::string>& files) const {
    std::string text = ctx_.stamp("  ", files);
    // A comment ends at `--` followed by `>`: no `--` of a path may stay.
    for (size_t at; (at = text.find("--")) != std::string::npos;) text.replace(at, 2, "- -");
    return "<!--\n" + text + "-->\n";
  }

  std::string page(const std::string& title, const std::string& root, const std::vector<std::string>& sources,
                   const std::string& crumbs, const std::string& body) const {
    std::string out = "<!DOCTYPE html>\n" + stampComment(sources);
    out += "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out += fmt::format("<meta name=\"generator\" content=\"meshc {}\">\n", esc(ctx_.toolVersion));
    out += fmt::format("<title>{} \u00b7 Data catalog</title>\n", esc(title));
    // No favicon request: the page fetches nothing but its style sheet.
    out += "<link rel=\"icon\" href=\"data:,\">\n";
    out += fmt::format("<link rel=\"stylesheet\" href=\"{}style.css\">\n", root);
    out += "</head>\n<body>\n";
    out += fmt::format("<header class=\"top\"><a class=\"brand\" href=\"{}index.html\">Data catalog</a>{}</header>\n",
                       root, crumbs.empty() ? "" : "<nav class=\"crumbs\">" + crumbs + "</nav>");
    out += "<main>\n" + body + "</main>\n";
    out += fmt::format(
        "<footer>Generated by meshc {} from the contracts. Do not edit: run <code>meshc build "
        "--target docs</code>.</footer>\n",
        esc(ctx_.toolVersion));
    out += "</body>\n</html>\n";
    return out;
  }

  static std::string section(const std::string& id, const std::string& title, const std::string& body) {
    return fmt::format("<section id=\"{}\">\n<h2>{}</h2>\n{}</section>\n", id, title, body);
  }

  static std::string facts(const std::vector<std::pair<std::string, std::string>>& rows) {
    std::string out = "<dl class=\"facts\">\n";
    for (const auto& [term, value] : rows) out += fmt::format("<div><dt>{}</dt><dd>{}</dd></div>\n", term, value);
    return out + "</dl>\n";
  }

  // ------------------------------------------------------------ lineage

  // The diagram of a set of products and every lineage edge between them.
  std::string lineageFigure(const std::vector<const model::Product*>& members, const model::Product* current,
                            const std::string& root, const std::string& label) const {
    std::vector<const model::Product*> sorted = members;
    std::sort(sorted.begin(), sorted.end(), byName<model::Product>);
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    docs::Diagram diagram;
    std::map<const model::Product*, size_t> index;
    for (const model::Product* p : sorted) {
      docs::DiagramNode node;
      node.id = p->qualifiedName;
      node.title = p->name;
      node.subtitle = (p->domain ? p->domain->name : std::string("no domain")) + " \u00b7 v" + p->version;
      node.current = p == current;
      node.external = !hasPage_.count(p);
      if (!node.external) node.href = root + "products/" + p->qualifiedName + ".html";
      index[p] = diagram.nodes.size();
      diagram.nodes.push_back(std::move(node));
    }
    for (const auto& [from, to] : graph_.edges)
      if (index.count(from) && index.count(to)) diagram.edges.emplace_back(index[from], index[to]);
    docs::DiagramLayout layout = docs::layoutDiagram(diagram);
    return fmt::format(
        "<figure class=\"lineage\">\n<div class=\"diagram\">{}</div>\n<figcaption>{}</figcaption>\n"
        "</figure>\n",
        docs::renderSvg(diagram, layout, label),
        esc(fmt::format("{} product{}, {} lineage link{}; arrows point downstream.", diagram.nodes.size(),
                        diagram.nodes.size() == 1 ? "" : "s", diagram.edges.size(),
                        diagram.edges.size() == 1 ? "" : "s")));
  }

  void closure(const model::Product* p, bool up, std::set<const model::Product*>& into) const {
    const auto& next = up ? upstreamsOf_ : downstreamsOf_;
    auto it = next.find(p);
    if (it == next.end()) return;
    for (const model::Product* q : it->second)
      if (into.insert(q).second) closure(q, up, into);
  }

  std::vector<const model::Product*> neighbours(const model::Product* p, bool up) const {
    const auto& next = up ? upstreamsOf_ : downstreamsOf_;
    auto it = next.find(p);
    return it == next.end() ? std::vector<const model::Product*>{} : it->second;
  }

  std::string productList(const std::vector<const model::Product*>& list, const std::string& root, const char* cls,
                          const char* empty) const {
    if (list.empty()) return fmt::format("<p class=\"none\">{}</p>\n", empty);
    std::string out = fmt::format("<ul class=\"{}\">\n", cls);
    for (const model::Product* p : list) {
      out += "<li>" + productLink(p, root);
      if (!p->doc.empty()) out += " \u2014 " + summaryHtml(p->doc);
      out += "</li>\n";
    }
    return out + "</ul>\n";
  }

  // ------------------------------------------------------------ policy outcomes

  std::string outcomeSummary(const model::Product* p) const {
    auto it = outcomes_.find(p);
    if (it == outcomes_.end()) return none("none evaluated");
    std::map<std::string, int> counts;
    for (const model::PolicyOutcome* o : it->second) ++counts[policyStatus(o->status)];
    std::string out;
    for (const char* status : {"passed", "waived", "violated"})
      if (counts[status]) out += fmt::format("<span class=\"status {0}\">{1} {0}</span> ", status, counts[status]);
    return out;
  }

  std::string policiesSection(const model::Product& p) const {
    auto it = outcomes_.find(&p);
    if (it == outcomes_.end()) return "<p class=\"none\">No governance policy was evaluated on this product.</p>\n";
    std::vector<const model::PolicyOutcome*> list = it->second;
    std::sort(list.begin(), list.end(),
              [](const auto* a, const auto* b) { return a->policy->qualifiedName < b->policy->qualifiedName; });
    std::string out = "<p class=\"summary\">" + outcomeSummary(&p) + "</p>\n";
    out +=
        "<table class=\"policies\">\n<thead><tr><th>Policy</th><th>Severity</th><th>Outcome</th>"
        "<th>What it requires</th></tr></thead>\n<tbody>\n";
    for (const model::PolicyOutcome* o : list) {
      std::string outcome = fmt::format("<span class=\"status {0}\">{0}</span>", policyStatus(o->status));
      if (o->status == model::PolicyStatus::Waived) {
        outcome += fmt::format("<div class=\"detail\">until {}</div>", esc(o->waivedUntil));
        for (const auto& w : ctx_.build.waivers)
          if (w.policy == o->policy && w.product == &p)
            outcome += fmt::format("<div class=\"detail\">because \u201c{}\u201d</div>", esc(w.reason));
      }
      for (const auto& m : o->messages) outcome += fmt::format("<div class=\"message\">{}</div>", esc(m));
      out += fmt::format("<tr class=\"outcome-{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         policyStatus(o->status), code(o->policy->qualifiedName),
                         o->policy->severity == model::PolicySeverity::Error ? "error" : "warning", outcome,
                         o->policy->doc.empty() ? none("no description") : docHtml(o->policy->doc));
    }
    return out + "</tbody>\n</table>\n";
  }

  // ------------------------------------------------------------ schema

  struct FieldRow {
    std::vector<const model::Field*> path;  // from the root record
    std::string pathText;
    int depth = 0;
  };

  // Every field of a record, nested ones after their parent (as far as the
  // policy model's `p.fields` follows them), with paths such as `items[].sku`.
  static void flatten(const model::Record& r, std::vector<const model::Field*>& stack, const std::string& prefix,
                      std::vector<const model::Record*>& records, std::vector<FieldRow>& rows) {
    for (const auto& f : r.fields) {
      std::string path = prefix.empty() ? f->name : prefix + "." + f->name;
      const model::Type* element = f->type;
      while (element->kind == TypeKind::List || element->kind == TypeKind::Map) {
        path += "[]";
        element = element->element;
      }
      stack.push_back(f.get());
      rows.push_back({stack, path, static_cast<int>(stack.size()) - 1});
      bool recursive = element->kind == TypeKind::Record &&
                       std::find(records.begin(), records.end(), element->record) != records.end();
      if (element->kind == TypeKind::Record && !recursive && records.size() <= 32) {
        records.push_back(element->record);
        flatten(*element->record, stack, path, records, rows);
        records.pop_back();
      }
      stack.pop_back();
    }
  }

  static std::string constraintsHtml(const model::Field& f) {
    std::vector<std::string> items;
    if (!f.constraintText.empty()) items.push_back(code(f.constraintText));
    auto refinements = [&](const model::Type* t, const char* scope) {
      for (const model::Refinement* r = t->refinement; r; r = r->base ? r->base->refinement : nullptr)
        if (!r->constraintText.empty())
          items.push_back(code(r->constraintText) +
                          fmt::format(" <span class=\"from\">{}from {}</span>", scope, esc(r->qualifiedName)));
    };
    refinements(f.type, "");
    const model::Type* element = f.type;
    while (element->kind == TypeKind::List || element->kind == TypeKind::Map) element = element->element;
    if (element != f.type) refinements(element, "each element, ");
    if (items.empty()) return "";
    std::string out;
    for (const auto& i : items) out += "<div>" + i + "</div>";
    return out;
  }

  std::string fieldCell(const model::Field& f, const std::string& pathText, int depth) const {
    std::string out =
        fmt::format("<div class=\"field depth-{}\"><code class=\"path\">{}</code>", std::min(depth, 6), esc(pathText));
    out += f.optional() ? "<span class=\"badge optional\">optional</span>"
                        : "<span class=\"badge required\">required</span>";
    out += tagBadges(f.tags);
    if (f.deprecated)
      out += fmt::format("<span class=\"badge deprecated\" title=\"{}\">deprecated</span>", esc(*f.deprecated));
    return out + "</div>";
  }

  std::string typeCell(const model::Field& f, const std::string& root) const {
    std::string out = typeHtml(f.type, root);
    if (f.defaultValue) out += fmt::format("<div class=\"default\">default {}</div>", code(valueText(*f.defaultValue)));
    return out;
  }

  std::string schemaTable(const model::Product& p, const std::string& root) const {
    std::vector<FieldRow> rows;
    std::vector<const model::Field*> stack;
    std::vector<const model::Record*> records{p.schema};
    flatten(*p.schema, stack, "", records, rows);
    std::string out = fmt::format("<p>Record {}{}. {} field{}, nested fields under their parent.</p>\n",
                                  recordLink(p.schema, root, p.schema->qualifiedName),
                                  p.schema->closed ? " (closed: unknown keys are violations)" : "", rows.size(),
                                  rows.size() == 1 ? "" : "s");
    out +=
        "<table class=\"schema\">\n<thead><tr><th>Field</th><th>Type</th><th>Constraints</th><th>Masking</th>"
        "<th>Description</th></tr></thead>\n<tbody>\n";
    for (const FieldRow& row : rows) {
      const model::Field& f = *row.path.back();
      std::string masking;
      for (const auto& m : p.masks) {
        if (m.field.fields != row.path) continue;
        std::string roles;
        for (const model::Role* r : m.roles)
          if (r) roles += (roles.empty() ? "" : ", ") + r->name;
        masking += fmt::format("<div><span class=\"badge mask\">{}</span> for {}</div>", esc(maskText(m)), esc(roles));
      }
      bool sensitive = false;
      for (const auto& t : f.tags) {
        std::string level = classificationLevel(t);
        sensitive = sensitive || isPii(t) || level == "confidential" || level == "restricted";
      }
      out += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                         sensitive ? " class=\"sensitive\"" : "", fieldCell(f, row.pathText, row.depth),
                         typeCell(f, root), constraintsHtml(f), masking, docHtml(f.doc));
    }
    out += "</tbody>\n</table>\n";
    // The record invariants of the schema and of every nested record.
    std::string checks;
    std::set<const model::Record*> seen;
    std::vector<const model::Record*> order{p.schema};
    for (const FieldRow& row : rows) {
      const model::Type* t = row.path.back()->type;
      while (t->kind == TypeKind::List || t->kind == TypeKind::Map) t = t->element;
      if (t->kind == TypeKind::Record) order.push_back(t->record);
    }
    for (const model::Record* r : order) {
      if (!seen.insert(r).second) continue;
      for (const auto& c : r->checks)
        checks += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", code(c.name),
                              recordLink(r, root, r->name), code(c.text), docHtml(c.doc));
    }
    if (!checks.empty())
      out +=
          "<h3>Record checks</h3>\n<table class=\"checks\">\n<thead><tr><th>Check</th><th>Record</th>"
          "<th>Condition</th><th>Description</th></tr></thead>\n<tbody>\n" +
          checks + "</tbody>\n</table>\n";
    return out;
  }

  // ------------------------------------------------------------ SLA, quality, access

  static std::string slaSection(const model::Product& p) {
    const model::Sla& s = p.sla;
    auto or_none = [](bool has, const std::string& html) { return has ? html : none(); };
    std::string latency;
    if (s.latencyMicros) latency = esc(s.latencyPercentile.value_or("") + " " + model::durationText(*s.latencyMicros));
    return facts({
        {"Freshness",
         or_none(
             s.freshnessMicros.has_value(),
             s.freshnessMicros ? "newest event at most " + esc(model::durationText(*s.freshnessMicros)) + " old" : "")},
        {"Availability", or_none(s.availabilityPercent.has_value(),
                                 s.availabilityPercent ? esc(number(*s.availabilityPercent)) + "%" : "")},
        {"Throughput", or_none(s.throughputPerSecond.has_value(), esc(s.throughputText) + " sustained")},
        {"Latency", or_none(s.latencyMicros.has_value(), latency + " produce to readable")},
    });
  }

  static std::string qualitySection(const model::Product& p) {
    if (p.quality.empty()) return "<p class=\"none\">No quality rules declared.</p>\n";
    std::string out =
        "<table class=\"quality\">\n<thead><tr><th>Rule</th><th>Kind</th><th>Field</th>"
        "<th>Threshold</th><th>Window</th></tr></thead>\n<tbody>\n";
    for (const auto& q : p.quality) {
      std::string threshold;
      if (q.kind == model::QualityRule::Kind::Unique)
        threshold = "no repeated value";
      else if (q.kind == model::QualityRule::Kind::Volume)
        threshold = esc(std::string(compareText(q.op)) + " " + number(q.threshold)) + " messages";
      else
        threshold = esc(std::string(compareText(q.op)) + " " + number(q.threshold) + "%");
      out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", code(q.text),
                         qualityKind(q.kind), q.field ? code(q.field->text) : none("\u2014"), threshold,
                         q.windowMicros > 0 ? esc(model::durationText(q.windowMicros)) : none("\u2014"));
    }
    return out + "</tbody>\n</table>\n";
  }

  static std::string roleCell(const model::Role* r) {
    std::string out = code(r->qualifiedName);
    if (!r->description.empty()) out += fmt::format("<div class=\"detail\">{}</div>", esc(r->description));
    return out;
  }

  static std::string accessSection(const model::Product& p) {
    std::string out;
    if (p.readers.empty()) {
      out += "<p class=\"none\">No readers declared.</p>\n";
    } else {
      out += "<table class=\"access\">\n<thead><tr><th>Reader</th><th>What it reads</th></tr></thead>\n<tbody>\n";
      for (const model::Role* r : p.readers) {
        if (!r) continue;
        std::string sees;
        for (const auto& m : p.masks)
          if (std::find(m.roles.begin(), m.roles.end(), r) != m.roles.end())
            sees +=
                fmt::format("<li>{} <span class=\"badge mask\">{}</span></li>", code(m.field.text), esc(maskText(m)));
        std::string what = sees.empty() ? "<span class=\"status passed\">every field unmasked</span>"
                                        : "every field, with these masked:<ul class=\"masked\">" + sees + "</ul>";
        out += fmt::format("<tr><td>{}</td><td>{}</td></tr>\n", roleCell(r), what);
      }
      out += "</tbody>\n</table>\n";
    }
    std::string writers;
    for (const model::Role* r : p.writers)
      if (r) writers += (writers.empty() ? "" : ", ") + code(r->qualifiedName);
    out += "<p class=\"writers\">Writers: " + (writers.empty() ? none() : writers) + "</p>\n";
    if (!p.masks.empty()) {
      out +=
          "<h3>Masking rules</h3>\n<table class=\"masks\">\n<thead><tr><th>Field</th><th>Method</th><th>For</th>"
          "</tr></thead>\n<tbody>\n";
      for (const auto& m : p.masks) {
        std::string roles;
        for (const model::Role* r : m.roles)
          if (r) roles += (roles.empty() ? "" : ", ") + code(r->qualifiedName);
        out += fmt::format("<tr><td>{}</td><td><span class=\"badge mask\">{}</span></td><td>{}</td></tr>\n",
                           code(m.field.text), esc(maskText(m)), roles);
      }
      out += "</tbody>\n</table>\n";
    }
    return out;
  }

  // ------------------------------------------------------------ pages

  std::string productPage(const model::Product& p) const {
    const std::string root = "../";
    std::string body = "<article class=\"product\">\n";
    body += fmt::format("<h1>{} <span class=\"version\">v{}</span></h1>\n", esc(p.name), esc(p.version));
    body +=
        fmt::format("<p class=\"qualified\"><code>{}</code> \u00b7 data product of the {} domain{}</p>\n",
                    esc(p.qualifiedName), domainLink(p.domain, root), p.tags.empty() ? "" : " " + tagBadges(p.tags));
    if (p.deprecated) body += fmt::format("<p class=\"deprecated\">Deprecated: {}</p>\n", esc(*p.deprecated));
    body += docHtml(p.doc);
    body +=
        "<nav class=\"toc\">On this page: <a href=\"#lineage\">Lineage</a> <a href=\"#schema\">Schema</a> "
        "<a href=\"#sla\">SLA</a> <a href=\"#quality\">Quality</a> <a href=\"#access\">Access</a> "
        "<a href=\"#policies\">Policies</a></nav>\n";
    const model::Topic& t = p.topic;
    body += facts({
        {"Domain", domainLink(p.domain, root)},
        {"Owner", p.domain && !p.domain->owner.empty() ? esc(p.domain->owner) : none()},
        {"Contact", p.domain && !p.domain->contact.empty() ? esc(p.domain->contact) : none()},
        {"Schema", recordLink(p.schema, root, p.schema->qualifiedName)},
        {"Topic", code(t.name)},
        {"Key", t.key ? code(t.key->text) : none("no key")},
        {"Partitions", fmt::format("{}", t.partitions)},
        {"Replication", fmt::format("{}", t.replication)},
        {"Format", esc(t.format)},
        {"Retention", p.retentionMicros ? esc(model::durationText(*p.retentionMicros)) : none()},
        {"Compatibility", compatibilityText(p.compatibility)},
    });

    std::set<const model::Product*> members{&p};
    closure(&p, true, members);
    closure(&p, false, members);
    std::string lineage = lineageFigure({members.begin(), members.end()}, &p, root,
                                        "Lineage of " + p.qualifiedName + ": its upstreams and downstreams");
    lineage += "<div class=\"neighbours\"><div><h3>Upstream</h3>\n" +
               productList(neighbours(&p, true), root, "upstream", "No upstream: a source product.") +
               "</div><div><h3>Downstream</h3>\n" +
               productList(neighbours(&p, false), root, "downstream", "No product of this catalog reads it.") +
               "</div></div>\n";
    body += section("lineage", "Lineage", lineage);
    body += section("schema", "Schema", schemaTable(p, root));
    body += section("sla", "Service levels", slaSection(p));
    body += section("quality", "Quality rules", qualitySection(p));
    body += section("access", "Access and masking", accessSection(p));
    body += section("policies", "Governance policies", policiesSection(p));
    body += "</article>\n";
    std::string crumbs = domainLink(p.domain, root) + " / " + esc(p.name);
    return page(p.qualifiedName, root, ctx_.sourcesOf(p.package), crumbs, body);
  }

  std::string productsTable(const std::vector<const model::Product*>& list, const std::string& root,
                            bool withDomain) const {
    std::string out = "<table class=\"products\">\n<thead><tr><th>Product</th>";
    if (withDomain) out += "<th>Domain</th>";
    out += "<th>Version</th><th>Topic</th><th>Policies</th><th>Description</th></tr></thead>\n<tbody>\n";
    for (const model::Product* p : list) {
      out += "<tr><td>" + productLink(p, root) + "</td>";
      if (withDomain) out += "<td>" + domainLink(p->domain, root) + "</td>";
      out += fmt::format("<td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", esc(p->version), code(p->topic.name),
                         outcomeSummary(p), summaryHtml(p->doc));
    }
    return out + "</tbody>\n</table>\n";
  }

  std::string domainPage(const model::Domain& d) const {
    const std::string root = "../";
    auto found = productsOf_.find(&d);
    const std::vector<const model::Product*> own =
        found == productsOf_.end() ? std::vector<const model::Product*>{} : found->second;
    std::string body = "<article class=\"domain\">\n";
    body += fmt::format("<h1>{} <span class=\"kind\">domain</span></h1>\n", esc(d.name));
    body += fmt::format("<p class=\"qualified\"><code>{}</code></p>\n", esc(d.qualifiedName));
    body += docHtml(d.doc);
    std::vector<std::pair<std::string, std::string>> rows = {
        {"Owner", d.owner.empty() ? none() : esc(d.owner)},
        {"Contact", d.contact.empty() ? none() : esc(d.contact)},
    };
    for (const auto& [key, value] : d.properties)
      if (key != "owner" && key != "contact") rows.emplace_back(esc(key), esc(value));
    body += facts(rows);
    body += section("products", "Data products",
                    own.empty() ? "<p class=\"none\">No data product.</p>\n" : productsTable(own, root, false));
    if (!own.empty()) {
      // The domain's products with their direct upstreams and downstreams.
      std::vector<const model::Product*> members = own;
      for (const model::Product* p : own)
        for (bool up : {true, false})
          for (const model::Product* q : neighbours(p, up)) members.push_back(q);
      body += section("lineage", "Lineage",
                      lineageFigure(members, nullptr, root,
                                    "Lineage of the " + d.qualifiedName + " domain's products and their neighbours"));
    }
    body += "</article>\n";
    return page(d.qualifiedName, root, ctx_.sourcesOf(d.package), esc(d.name), body);
  }

  std::string recordPage(const model::Record& r) const {
    const std::string root = "../";
    std::string body = "<article class=\"record\">\n";
    body += fmt::format("<h1>{} <span class=\"kind\">record</span></h1>\n", esc(r.name));
    body +=
        fmt::format("<p class=\"qualified\"><code>{}</code> in package <code>{}</code>{}{}</p>\n", esc(r.qualifiedName),
                    esc(r.package),
                    r.closed ? " <span class=\"badge closed\" title=\"unknown keys are violations\">closed</span>" : "",
                    r.tags.empty() ? "" : " " + tagBadges(r.tags));
    if (r.deprecated) body += fmt::format("<p class=\"deprecated\">Deprecated: {}</p>\n", esc(*r.deprecated));
    body += docHtml(r.doc);
    std::string fields =
        "<table class=\"schema\">\n<thead><tr><th>Field</th><th>Type</th><th>Constraints</th>"
        "<th>Description</th></tr></thead>\n<tbody>\n";
    for (const auto& f : r.fields) {
      bool sensitive = false;
      for (const auto& t : f->tags) {
        std::string level = classificationLevel(t);
        sensitive = sensitive || isPii(t) || level == "confidential" || level == "restricted";
      }
      fields += fmt::format("<tr{}><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                            sensitive ? " class=\"sensitive\"" : "", fieldCell(*f, f->name, 0), typeCell(*f, root),
                            constraintsHtml(*f), docHtml(f->doc));
    }
    fields += "</tbody>\n</table>\n";
    if (!r.checks.empty()) {
      fields +=
          "<h3>Checks</h3>\n<table class=\"checks\">\n<thead><tr><th>Check</th><th>Condition</th>"
          "<th>Description</th></tr></thead>\n<tbody>\n";
      for (const auto& c : r.checks)
        fields +=
            fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n", code(c.name), code(c.text), docHtml(c.doc));
      fields += "</tbody>\n</table>\n";
    }
    body += section("fields", "Fields", fields);
    std::string used;
    if (auto it = schemaOf_.find(&r); it != schemaOf_.end())
      for (const model::Product* p : it->second) used += "<li>schema of " + productLink(p, root) + "</li>\n";
    if (auto it = fieldsOfType_.find(&r); it != fieldsOfType_.end())
      for (const auto& [other, f] : it->second)
        used += "<li>field " + code(f->name) + " of " + recordLink(other, root, other->qualifiedName) + "</li>\n";
    body += section("used-by", "Used by",
                    used.empty() ? "<p class=\"none\">Not used by a product or record of this catalog.</p>\n"
                                 : "<ul>\n" + used + "</ul>\n");
    body += "</article>\n";
    return page(r.qualifiedName, root, ctx_.sourcesOf(r.package), esc(r.package) + " / " + esc(r.name), body);
  }

  std::string indexPage() const {
    const std::string root;
    std::string body = "<article class=\"index\">\n<h1>Data catalog</h1>\n";
    size_t policies = 0;
    std::set<const model::Policy*> evaluated;
    for (const auto& o : ctx_.build.policyOutcomes)
      if (o.policy) evaluated.insert(o.policy);
    policies = evaluated.size();
    body += fmt::format(
        "<p class=\"summary\">{} domain{}, {} data product{}, {} record{}; {} governance polic{} "
        "evaluated.</p>\n",
        domains_.size(), domains_.size() == 1 ? "" : "s", products_.size(), products_.size() == 1 ? "" : "s",
        records_.size(), records_.size() == 1 ? "" : "s", policies, policies == 1 ? "y" : "ies");
    std::string domains =
        "<table class=\"domains\">\n<thead><tr><th>Domain</th><th>Owner</th><th>Contact</th>"
        "<th>Products</th><th>Description</th></tr></thead>\n<tbody>\n";
    for (const model::Domain* d : domains_) {
      auto found = productsOf_.find(d);
      size_t count = found == productsOf_.end() ? 0 : found->second.size();
      domains += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", domainLink(d, root),
                             esc(d->owner), esc(d->contact), count, summaryHtml(d->doc));
    }
    domains += "</tbody>\n</table>\n";
    body += section("domains", "Domains", domains_.empty() ? "<p class=\"none\">No domain.</p>\n" : domains);
    body +=
        section("products", "Data products",
                products_.empty() ? "<p class=\"none\">No data product.</p>\n" : productsTable(products_, root, true));
    std::vector<const model::Product*> all;
    for (const auto& n : graph_.nodes) all.push_back(n.product);
    if (!all.empty())
      body += section("lineage", "Lineage", lineageFigure(all, nullptr, root, "Lineage of every product"));
    std::string records =
        "<table class=\"records\">\n<thead><tr><th>Record</th><th>Package</th><th>Fields</th>"
        "<th>Description</th></tr></thead>\n<tbody>\n";
    for (const model::Record* r : records_)
      records +=
          fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", recordLink(r, root, r->qualifiedName),
                      code(r->package), r->fields.size(), summaryHtml(r->doc));
    records += "</tbody>\n</table>\n";
    body += section("records", "Records", records_.empty() ? "<p class=\"none\">No record.</p>\n" : records);
    if (!evaluated.empty()) {
      std::string table =
          "<table class=\"policy-list\">\n<thead><tr><th>Policy</th><th>Severity</th>"
          "<th>Outcomes</th><th>What it requires</th></tr></thead>\n<tbody>\n";
      std::vector<const model::Policy*> sorted(evaluated.begin(), evaluated.end());
      std::sort(sorted.begin(), sorted.end(), byName<model::Policy>);
      for (const model::Policy* policy : sorted) {
        std::map<std::string, int> counts;
        for (const auto& o : ctx_.build.policyOutcomes)
          if (o.policy == policy) ++counts[policyStatus(o.status)];
        std::string outcomes;
        for (const char* status : {"passed", "waived", "violated"})
          if (counts[status])
            outcomes += fmt::format("<span class=\"status {0}\">{1} {0}</span> ", status, counts[status]);
        table += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n", code(policy->qualifiedName),
                             policy->severity == model::PolicySeverity::Error ? "error" : "warning", outcomes,
                             policy->doc.empty() ? none("no description") : docHtml(policy->doc));
      }
      body += section("policies", "Governance policies", table + "</tbody>\n</table>\n");
    }
    body += "</article>\n";
    return page("Index", root, ctx_.inputSources(), "", body);
  }

  std::string stylesheet() const;

  const GeneratorContext& ctx_;
  lineage::LineageGraph graph_;
  std::vector<const model::Product*> products_;
  std::vector<const model::Domain*> domains_;
  std::vector<const model::Record*> records_;
  std::set<const void*> hasPage_;
  std::map<const model::Product*, std::vector<const model::PolicyOutcome*>> outcomes_;
  std::map<const model::Product*, std::vector<const model::Product*>> upstreamsOf_, downstreamsOf_;
  // "Used by" of record pages and the products of domain pages, by name order.
  std::map<const model::Record*, std::vector<const model::Product*>> schemaOf_;
  std::map<const model::Record*, std::vector<std::pair<const model::Record*, const model::Field*>>> fieldsOfType_;
  std::map<const model::Domain*, std::vector<const model::Product*>> productsOf_;
};

// The one style sheet, a local file: no web font, no outside URL.
const char* kStyle = R"css(
:root {
  --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --paper: #ffffff; --wash: #f5f7fa;
  --accent: #2f5fa7; --accent-wash: #e8effa; --ok: #1e7b4f; --ok-wash: #e3f4ea;
  --warn: #9a5b00; --warn-wash: #fdf1dc; --bad: #b42318; --bad-wash: #fde8e6;
}
* { box-sizing: border-box; }
html { background: var(--wash); }
body {
  margin: 0; color: var(--ink); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif;
}
code { font: 0.92em/1.3 ui-monospace, "DejaVu Sans Mono", monospace; background: var(--wash);
  border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; overflow-wrap: break-word; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
a code { color: var(--accent); }
header.top { display: flex; gap: 16px; align-items: baseline; padding: 12px 32px; background: #17324d; color: #fff; }
header.top a { color: #fff; }
header.top .brand { font-weight: 700; letter-spacing: 0.02em; }
header.top .crumbs { color: #bcccdc; }
header.top .crumbs a { color: #dbe7f5; }
main { max-width: 1240px; margin: 24px auto; padding: 0 24px; }
article { background: var(--paper); border: 1px solid var(--line); border-radius: 8px; padding: 24px 32px 32px; }
h1 { margin: 0 0 4px; font-size: 28px; }
h1 .version, h1 .kind { font-size: 15px; font-weight: 600; color: var(--accent); background: var(--accent-wash);
  border-radius: 12px; padding: 2px 10px; vertical-align: middle; }
h2 { margin: 32px 0 12px; font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { margin: 20px 0 8px; font-size: 16px; }
p.qualified { margin: 0 0 12px; color: var(--muted); }
p.doc { margin: 8px 0; max-width: 80ch; }
p.summary { margin: 0; }
p.deprecated { background: var(--warn-wash); color: var(--warn); border-radius: 6px; padding: 8px 12px; }
nav.toc { margin: 16px 0; color: var(--muted); font-size: 14px; }
nav.toc a { margin-right: 12px; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px 24px;
  margin: 16px 0; padding: 16px; background: var(--wash); border-radius: 8px; }
dl.facts div { min-width: 0; }
dl.facts dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: 0.05em; color: var(--muted);
  border-bottom: 2px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 6px 8px; vertical-align: top; }
td p { margin: 0 0 4px; }
tr.sensitive td:first-child { box-shadow: inset 3px 0 0 var(--bad); }
.field { display: flex; flex-wrap: wrap; gap: 4px; align-items: center; }
.depth-1 { padding-left: 16px; } .depth-2 { padding-left: 32px; } .depth-3 { padding-left: 48px; }
.depth-4 { padding-left: 64px; } .depth-5, .depth-6 { padding-left: 80px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; line-height: 1.6; border-radius: 10px;
  padding: 0 8px; background: var(--wash); color: var(--muted); border: 1px solid var(--line); white-space: nowrap; }
.badge.required { color: var(--ink); }
.badge.pii, .badge.level-restricted { background: var(--bad-wash); color: var(--bad); border-color: #f5c2bd; }
.badge.level-confidential { background: var(--warn-wash); color: var(--warn); border-color: #f3d9a8; }
.badge.level-internal, .badge.tag, .badge.closed { background: var(--accent-wash); color: var(--accent);
  border-color: #c5d6ef; }
.badge.mask { background: #efe7fb; color: #5b3a9a; border-color: #d9c9f3; }
.badge.deprecated { background: var(--warn-wash); color: var(--warn); }
.values, .default, .detail, .from { font-size: 12px; color: var(--muted); }
.message { font-size: 13px; color: var(--bad); }
.none { color: var(--muted); font-style: italic; }
.status { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 0 8px;
  white-space: nowrap; margin: 1px 0; }
.status.passed { background: var(--ok-wash); color: var(--ok); }
.status.waived { background: var(--warn-wash); color: var(--warn); }
.status.violated { background: var(--bad-wash); color: var(--bad); }
ul.masked { margin: 4px 0 0; padding-left: 18px; }
.neighbours { display: grid; grid-template-columns: 1fr 1fr; gap: 24px; }
.neighbours ul { margin: 0; padding-left: 18px; }
.neighbours li p { display: inline; }
figure.lineage { margin: 8px 0; }
figure.lineage .diagram { overflow-x: auto; background: var(--wash); border: 1px solid var(--line); border-radius: 8px;
  padding: 8px; }
figure.lineage figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
svg.lineage { display: block; margin: 0 auto; font-family: system-ui, "DejaVu Sans", sans-serif; }
svg.lineage .edge { fill: none; stroke: #7b8794; stroke-width: 1.6; }
svg.lineage .arrowhead { fill: #7b8794; }
svg.lineage .node rect { fill: #ffffff; stroke: var(--accent); stroke-width: 1.5; }
svg.lineage .node.current rect { fill: var(--accent); stroke: #17324d; }
svg.lineage .node.current text { fill: #ffffff; }
svg.lineage .node.external rect { stroke-dasharray: 5 4; stroke: #9aa5b1; }
svg.lineage a:hover rect { fill: var(--accent-wash); }
svg.lineage .node-title { font-size: 13px; font-weight: 700; fill: var(--ink); }
svg.lineage .node-subtitle { font-size: 11px; fill: var(--muted); }
footer { max-width: 1240px; margin: 0 auto 32px; padding: 0 24px; font-size: 13px; color: var(--muted); }
)css";

std::string Catalog::stylesheet() const {
  std::string text = ctx_.stamp(" ", ctx_.inputSources());
  for (size_t at; (at = text.find("*/")) != std::string::npos;) text.replace(at, 2, "* /");
  return "/*\n" + text + "*/" + kStyle;
}

}  // namespace

void generateDocs(const GeneratorContext& ctx, OutputTree& out, DiagnosticEngine&) { Catalog(ctx).write(out); }

}  // namespace mesh::codegen
