// Catalog: which pages the docs target writes, the links between them, the
// frame every page shares, and the lineage figures. The pages themselves
// are in IndexPage.cpp, DomainPage.cpp, ProductPage.cpp, RecordPage.cpp and
// UnionPage.cpp.
#include "codegen/docs/Catalog.h"

#include <algorithm>

#include "codegen/docs/Diagram.h"
#include "codegen/docs/Html.h"

namespace mesh::codegen::docs {

using model::TypeKind;

namespace {

// The records a record holds, through its fields, transitively.
void addRecords(const model::Record* r, std::set<const model::Record*>& into) {
  if (!r || !into.insert(r).second) return;
  for (const auto& f : r->fields) {
    const model::Type* t = innermostElement(f->type);
    if (t->kind == TypeKind::Record) addRecords(t->record, into);
  }
}

// The schema's record, or its union's cases' records, and what they hold.
void addSchema(const model::Product& p, std::set<const model::Record*>& records,
               std::set<const model::Union*>& unions) {
  for (const model::Record* r : model::schemaRecords(p)) addRecords(r, records);
  if (p.schemaUnion) unions.insert(p.schemaUnion);
}

}  // namespace

Catalog::Catalog(const GeneratorContext& ctx) : ctx_(ctx), graph_(lineage::lineageGraph(ctx.build)) {
  std::set<std::string> inputs;
  for (const auto& p : ctx.build.packages)
    if (p.input) inputs.insert(p.name);
  for (const auto& p : ctx.build.products)
    if (inputs.count(p->package) && (p->schema || p->schemaUnion)) products_.push_back(p.get());
  // Pages exist for the domains and records of the input packages and for
  // those an input product uses (declared in an imported package), so
  // every link of a product page has a target.
  std::set<const model::Domain*> domains;
  for (const auto& d : ctx.build.domains)
    if (inputs.count(d->package)) domains.insert(d.get());
  std::set<const model::Record*> records;
  for (const auto& r : ctx.build.records)
    if (inputs.count(r->package)) records.insert(r.get());
  std::set<const model::Union*> unions;
  for (const auto& u : ctx.build.unions)
    if (inputs.count(u->package)) unions.insert(u.get());
  for (const model::Product* p : products_) {
    if (p->domain) domains.insert(p->domain);
    addSchema(*p, records, unions);
  }
  for (const model::Union* u : unions)
    for (const auto& c : u->cases) {
      addRecords(c.record, records);
      casesOf_[c.record].emplace_back(u, c.value);
    }
  domains_.assign(domains.begin(), domains.end());
  records_.assign(records.begin(), records.end());
  unions_.assign(unions.begin(), unions.end());
  std::sort(unions_.begin(), unions_.end(), byName<model::Union>);
  std::sort(products_.begin(), products_.end(), byName<model::Product>);
  std::sort(domains_.begin(), domains_.end(), byName<model::Domain>);
  std::sort(records_.begin(), records_.end(), byName<model::Record>);
  for (const model::Product* p : products_) hasPage_.insert(p);
  for (const model::Domain* d : domains_) hasPage_.insert(d);
  for (const model::Record* r : records_) hasPage_.insert(r);
  for (const model::Union* u : unions_) hasPage_.insert(u);
  for (const auto& o : ctx.build.policyOutcomes)
    if (o.product && o.policy) outcomes_[o.product].push_back(&o);
  for (const auto& [from, to] : graph_.edges) {
    upstreamsOf_[to].push_back(from);
    downstreamsOf_[from].push_back(to);
  }
  for (const model::Product* p : products_) {
    schemaOf_[p->schema ? static_cast<const void*>(p->schema) : p->schemaUnion].push_back(p);
    if (p->domain) productsOf_[p->domain].push_back(p);
  }
  for (const model::Record* r : records_)
    for (const auto& f : r->fields) {
      const model::Type* t = innermostElement(f->type);
      if (t->kind == TypeKind::Record) fieldsOfType_[t->record].emplace_back(r, f.get());
    }
}

void Catalog::write(OutputTree& out) const {
  out.add("docs/style.css", stylesheet());
  out.add("docs/index.html", indexPage());
  for (const model::Domain* d : domains_) out.add("docs/domains/" + d->qualifiedName + ".html", domainPage(*d));
  for (const model::Product* p : products_) out.add("docs/products/" + p->qualifiedName + ".html", productPage(*p));
  for (const model::Record* r : records_) out.add("docs/records/" + r->qualifiedName + ".html", recordPage(*r));
  for (const model::Union* u : unions_) out.add("docs/unions/" + u->qualifiedName + ".html", unionPage(*u));
}

// ---------------------------------------------------------------- links

std::string Catalog::productLink(const model::Product* p, const std::string& root) const {
  if (!hasPage_.count(p))
    return fragment("$name$ <span class=\"none\">(outside this catalog)</span>", {{"name", code(p->qualifiedName)}});
  return fragment("<a href=\"$root$products/$name$.html\">$name$</a>",
                  {{"root", root}, {"name", htmlEscape(p->qualifiedName)}});
}

std::string Catalog::domainLink(const model::Domain* d, const std::string& root) const {
  if (!d) return none("no domain");
  if (!hasPage_.count(d)) return htmlEscape(d->qualifiedName);
  return fragment("<a href=\"$root$domains/$qualified$.html\">$name$</a>",
                  {{"root", root}, {"qualified", htmlEscape(d->qualifiedName)}, {"name", htmlEscape(d->name)}});
}

std::string Catalog::recordLink(const model::Record* r, const std::string& root, const std::string& text) const {
  if (!r || !hasPage_.count(r)) return code(text);
  return fragment("<a href=\"$root$records/$qualified$.html\"><code>$text$</code></a>",
                  {{"root", root}, {"qualified", htmlEscape(r->qualifiedName)}, {"text", htmlEscape(text)}});
}

std::string Catalog::unionLink(const model::Union* u, const std::string& root) const {
  if (!u || !hasPage_.count(u)) return code(u ? u->qualifiedName : "");
  return fragment("<a href=\"$root$unions/$qualified$.html\"><code>$qualified$</code></a>",
                  {{"root", root}, {"qualified", htmlEscape(u->qualifiedName)}});
}

std::string Catalog::schemaLink(const model::Product& p, const std::string& root) const {
  return p.schemaUnion ? unionLink(p.schemaUnion, root) : recordLink(p.schema, root, p.schema->qualifiedName);
}

// A field's type, linked to its record's page when it holds a record; an
// enum's members below it.
std::string Catalog::typeHtml(const model::Type* t, const std::string& root) const {
  const model::Type* element = innermostElement(t);
  std::string out = element->kind == TypeKind::Record ? recordLink(element->record, root, t->str()) : code(t->str());
  if (element->kind == TypeKind::Enum) {
    std::string members;
    for (const auto& m : element->enumType->members) members += (members.empty() ? "" : ", ") + m.name;
    out += fragment("<div class=\"values\">one of $members$</div>", {{"members", code(members)}});
  }
  return out;
}

// ---------------------------------------------------------------- page frame

std::string Catalog::page(const std::string& title, const std::string& root, const std::vector<std::string>& sources,
                          const std::string& crumbs, const std::string& body) const {
  std::string stamp = ctx_.stamp("  ", sources);
  // A comment ends at `--` followed by `>`: no `--` of a path may stay.
  for (size_t at; (at = stamp.find("--")) != std::string::npos;) stamp.replace(at, 2, "- -");
  std::string nav = crumbs.empty() ? "" : fragment("<nav class=\"crumbs\">$crumbs$</nav>", {{"crumbs", crumbs}});
  // No favicon request: the page fetches nothing but its style sheet.
  return fragment(
      "<!DOCTYPE html>\n"
      "<!--\n$stamp$-->\n"
      "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"meshc $version$\">\n"
      "<title>$title$ \u00b7 Data catalog</title>\n"
      "<link rel=\"icon\" href=\"data:,\">\n"
      "<link rel=\"stylesheet\" href=\"$root$style.css\">\n"
      "</head>\n<body>\n"
      "<header class=\"top\"><a class=\"brand\" href=\"$root$index.html\">Data catalog</a>$nav$</header>\n"
      "<main>\n$body$</main>\n"
      "<footer>Generated by meshc $version$ from the contracts. Do not edit: run <code>meshc build "
      "--target docs</code>.</footer>\n"
      "</body>\n</html>\n",
      {{"stamp", stamp},
       {"version", htmlEscape(ctx_.toolVersion)},
       {"title", htmlEscape(title)},
       {"root", root},
       {"nav", nav},
       {"body", body}});
}

// ---------------------------------------------------------------- lineage

// The diagram of a set of products and every lineage edge between them.
std::string Catalog::lineageFigure(const std::vector<const model::Product*>& members, const model::Product* current,
                                   const std::string& root, const std::string& label) const {
  std::vector<const model::Product*> sorted = members;
  std::sort(sorted.begin(), sorted.end(), byName<model::Product>);
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  Diagram diagram;
  std::map<const model::Product*, size_t> index;
  for (const model::Product* p : sorted) {
    DiagramNode node;
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
  size_t nodes = diagram.nodes.size(), edges = diagram.edges.size();
  std::string caption = std::to_string(nodes) + (nodes == 1 ? " product, " : " products, ") + std::to_string(edges) +
                        (edges == 1 ? " lineage link" : " lineage links") + "; arrows point downstream.";
  return fragment(
      "<figure class=\"lineage\">\n<div class=\"diagram\">$svg$</div>\n<figcaption>$caption$</figcaption>\n"
      "</figure>\n",
      {{"svg", renderSvg(diagram, layoutDiagram(diagram), label)}, {"caption", htmlEscape(caption)}});
}

void Catalog::closure(const model::Product* p, bool up, std::set<const model::Product*>& into) const {
  const auto& next = up ? upstreamsOf_ : downstreamsOf_;
  auto it = next.find(p);
  if (it == next.end()) return;
  for (const model::Product* q : it->second)
    if (into.insert(q).second) closure(q, up, into);
}

std::vector<const model::Product*> Catalog::neighbours(const model::Product* p, bool up) const {
  const auto& next = up ? upstreamsOf_ : downstreamsOf_;
  auto it = next.find(p);
  return it == next.end() ? std::vector<const model::Product*>{} : it->second;
}

std::string Catalog::productList(const std::vector<const model::Product*>& list, const std::string& root,
                                 const char* cls, const char* empty) const {
  if (list.empty()) return fragment("<p class=\"none\">$empty$</p>\n", {{"empty", empty}});
  Printer out;
  out.print("<ul class=\"$cls$\">\n", {{"cls", cls}});
  for (const model::Product* p : list) {
    out.print("<li>$link$", {{"link", productLink(p, root)}});
    if (!p->doc.empty()) out.print(" \u2014 $summary$", {{"summary", summaryHtml(p->doc)}});
    out.print("</li>\n");
  }
  out.print("</ul>\n");
  return out.take();
}

// ---------------------------------------------------------------- products in tables

std::string Catalog::productsTable(const std::vector<const model::Product*>& list, const std::string& root,
                                   bool withDomain) const {
  Printer rows;
  for (const model::Product* p : list) {
    rows.print("<tr><td>$link$</td>", {{"link", productLink(p, root)}});
    if (withDomain) rows.print("<td>$domain$</td>", {{"domain", domainLink(p->domain, root)}});
    rows.print("<td>$version$</td><td>$topic$</td><td>$policies$</td><td>$summary$</td></tr>\n",
               {{"version", htmlEscape(p->version)},
                {"topic", code(p->topic.name)},
                {"policies", outcomeSummary(p)},
                {"summary", summaryHtml(p->doc)}});
  }
  if (withDomain)
    return table("products",
                 "<th>Product</th><th>Domain</th><th>Version</th><th>Topic</th><th>Policies</th><th>Description</th>",
                 rows.str());
  return table("products", "<th>Product</th><th>Version</th><th>Topic</th><th>Policies</th><th>Description</th>",
               rows.str());
}

std::string Catalog::outcomeSummary(const model::Product* p) const {
  auto it = outcomes_.find(p);
  if (it == outcomes_.end()) return none("none evaluated");
  std::map<model::PolicyStatus, int> counts;
  for (const model::PolicyOutcome* o : it->second) ++counts[o->status];
  return statusCounts(counts);
}

}  // namespace mesh::codegen::docs
