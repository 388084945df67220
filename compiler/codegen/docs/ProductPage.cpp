// ProductPage: docs/products/NAME.html, everything a reader of a data
// product needs: lineage, schema with masking, service levels, quality
// rules, access and the governance policies' outcomes.
#include <algorithm>

#include "codegen/ModelText.h"
#include "codegen/docs/Catalog.h"
#include "codegen/docs/Html.h"
#include "model/FieldPaths.h"

namespace mesh::codegen::docs {
namespace {

using model::TypeKind;

struct FieldRow {
  std::vector<const model::Field*> path;  // from the root record
  std::string pathText;
  int depth = 0;
};

// Every field of a record, nested ones after their parent (as far as the
// policy model's `p.fields` follows them), with paths such as `items[].sku`.
std::vector<FieldRow> flatten(const model::Record& root) {
  std::vector<FieldRow> rows;
  model::forEachFieldPath(root, [&](const model::FieldVisit& v) {
    rows.push_back({v.path.fields, wirePathText(v.path), v.depth});
    return true;
  });
  return rows;
}

// The masks of the field at `path`, each with the roles it applies to. Paths
// compare by field names: in a union schema a mask's path is that of the
// first case that has it, and applies to every case that has it.
std::string maskingCell(const model::Product& p, const std::vector<const model::Field*>& path) {
  auto sameName = [](const model::Field* a, const model::Field* b) { return a->name == b->name; };
  Printer out;
  for (const auto& m : p.masks) {
    if (!std::equal(m.field.fields.begin(), m.field.fields.end(), path.begin(), path.end(), sameName)) continue;
    std::string roles;
    for (const model::Role* r : m.roles)
      if (r) roles += (roles.empty() ? "" : ", ") + r->name;
    out.print("<div><span class=\"badge mask\">$mask$</span> for $roles$</div>",
              {{"mask", htmlEscape(maskText(m))}, {"roles", htmlEscape(roles)}});
  }
  return out.take();
}

// The service levels, each `not declared` when the contract has none.
std::string slaFacts(const model::Product& p) {
  const model::Sla& s = p.sla;
  std::string freshness = none(), availability = none(), throughput = none(), latency = none();
  if (s.freshnessMicros)
    freshness =
        fragment("newest event at most $age$ old", {{"age", htmlEscape(model::durationText(*s.freshnessMicros))}});
  if (s.availabilityPercent)
    availability = fragment("$percent$%", {{"percent", htmlEscape(number(*s.availabilityPercent))}});
  if (s.throughputPerSecond)
    throughput = fragment("$throughput$ sustained", {{"throughput", htmlEscape(s.throughputText)}});
  if (s.latencyMicros)
    latency = fragment("$percentile$ $latency$ produce to readable",
                       {{"percentile", htmlEscape(s.latencyPercentile.value_or(""))},
                        {"latency", htmlEscape(model::durationText(*s.latencyMicros))}});
  return facts(
      {{"Freshness", freshness}, {"Availability", availability}, {"Throughput", throughput}, {"Latency", latency}});
}

// `≥ 99.5%`, `> 1000 messages`, or what `unique` asks.
std::string thresholdText(const model::QualityRule& q) {
  if (q.kind == model::QualityRule::Kind::Unique) return "no repeated value";
  std::string bound = std::string(compareText(q.op, true)) + " " + number(q.threshold);
  if (q.kind == model::QualityRule::Kind::Volume) return fragment("$bound$ messages", {{"bound", htmlEscape(bound)}});
  return htmlEscape(bound + "%");
}

std::string qualityTable(const model::Product& p) {
  if (p.quality.empty()) return "<p class=\"none\">No quality rules declared.</p>\n";
  Printer rows;
  for (const auto& q : p.quality)
    rows.print("<tr><td>$rule$</td><td>$kind$</td><td>$field$</td><td>$threshold$</td><td>$window$</td></tr>\n",
               {{"rule", code(q.text)},
                {"kind", qualityKind(q.kind)},
                {"field", q.field ? code(q.field->text) : none("\u2014")},
                {"threshold", thresholdText(q)},
                {"window", q.windowMicros > 0 ? htmlEscape(model::durationText(q.windowMicros)) : none("\u2014")}});
  return table("quality", "<th>Rule</th><th>Kind</th><th>Field</th><th>Threshold</th><th>Window</th>", rows.str());
}

// The qualified names of roles, in <code>, separated by commas.
std::string roleNames(const std::vector<const model::Role*>& roles) {
  std::string out;
  for (const model::Role* r : roles)
    if (r) out += (out.empty() ? "" : ", ") + code(r->qualifiedName);
  return out;
}

// What a reader sees of the product: every field, some masked.
std::string readerRow(const model::Product& p, const model::Role* r) {
  Printer sees;
  for (const auto& m : p.masks)
    if (std::find(m.roles.begin(), m.roles.end(), r) != m.roles.end())
      sees.print("<li>$field$ <span class=\"badge mask\">$mask$</span></li>",
                 {{"field", code(m.field.text)}, {"mask", htmlEscape(maskText(m))}});
  std::string role = code(r->qualifiedName);
  if (!r->description.empty())
    role += fragment("<div class=\"detail\">$description$</div>", {{"description", htmlEscape(r->description)}});
  std::string what = sees.empty() ? "<span class=\"status passed\">every field unmasked</span>"
                                  : fragment("every field, with these masked:<ul class=\"masked\">$sees$</ul>",
                                             {{"sees", sees.str()}});
  return fragment("<tr><td>$role$</td><td>$what$</td></tr>\n", {{"role", role}, {"what", what}});
}

std::string accessTables(const model::Product& p) {
  Printer out;
  if (p.readers.empty()) {
    out.print("<p class=\"none\">No readers declared.</p>\n");
  } else {
    Printer rows;
    for (const model::Role* r : p.readers)
      if (r) rows.printBlock(readerRow(p, r));
    out.printBlock(table("access", "<th>Reader</th><th>What it reads</th>", rows.str()));
  }
  std::string writers = roleNames(p.writers);
  out.print("<p class=\"writers\">Writers: $writers$</p>\n", {{"writers", writers.empty() ? none() : writers}});
  if (p.masks.empty()) return out.take();
  Printer masks;
  for (const auto& m : p.masks)
    masks.print("<tr><td>$field$</td><td><span class=\"badge mask\">$mask$</span></td><td>$roles$</td></tr>\n",
                {{"field", code(m.field.text)}, {"mask", htmlEscape(maskText(m))}, {"roles", roleNames(m.roles)}});
  out.print("<h3>Masking rules</h3>\n");
  out.printBlock(table("masks", "<th>Field</th><th>Method</th><th>For</th>", masks.str()));
  return out.take();
}

}  // namespace

std::string Catalog::productPage(const model::Product& p) const {
  const std::string root = "../";
  Printer body;
  std::string title = fragment("$name$ <span class=\"version\">v$version$</span>",
                               {{"name", htmlEscape(p.name)}, {"version", htmlEscape(p.version)}});
  std::string qualified = fragment("<code>$name$</code> \u00b7 data product of the $domain$ domain$tags$",
                                   {{"name", htmlEscape(p.qualifiedName)},
                                    {"domain", domainLink(p.domain, root)},
                                    {"tags", p.tags.empty() ? "" : " " + tagBadges(p.tags)}});
  body.printBlock(articleHead("product", title, qualified, p.deprecated, docHtml(p.doc)));
  body.print(
      "<nav class=\"toc\">On this page: <a href=\"#lineage\">Lineage</a> <a href=\"#schema\">Schema</a> "
      "<a href=\"#sla\">SLA</a> <a href=\"#quality\">Quality</a> <a href=\"#access\">Access</a> "
      "<a href=\"#policies\">Policies</a></nav>\n");
  const model::Topic& t = p.topic;
  body.printBlock(facts({
      {"Domain", domainLink(p.domain, root)},
      {"Owner", p.domain && !p.domain->owner.empty() ? htmlEscape(p.domain->owner) : none()},
      {"Contact", p.domain && !p.domain->contact.empty() ? htmlEscape(p.domain->contact) : none()},
      {"Schema", schemaLink(p, root)},
      {"Topic", code(t.name)},
      {"Key", t.key ? code(t.key->text) : none("no key")},
      {"Partitions", std::to_string(t.partitions)},
      {"Replication", std::to_string(t.replication)},
      {"Format", htmlEscape(t.format)},
      {"Retention", p.retentionMicros ? htmlEscape(model::durationText(*p.retentionMicros)) : none()},
      {"Compatibility", compatibilityText(p.compatibility)},
  }));
  if (!p.meta.empty()) body.printBlock(section("metadata", "Metadata", metaHtml(p.meta)));
  body.printBlock(section("lineage", "Lineage", productLineage(p, root)));
  body.printBlock(section("schema", "Schema", schemaTable(p, root)));
  body.printBlock(section("sla", "Service levels", slaFacts(p)));
  body.printBlock(section("quality", "Quality rules", qualityTable(p)));
  body.printBlock(section("access", "Access and masking", accessTables(p)));
  body.printBlock(section("policies", "Governance policies", policiesSection(p)));
  body.print("</article>\n");
  std::string crumbs = domainLink(p.domain, root) + " / " + htmlEscape(p.name);
  return page(p.qualifiedName, root, ctx_.sourcesOf(p.package), crumbs, body.str());
}

// The product with every upstream and downstream, and its direct neighbours
// as lists.
std::string Catalog::productLineage(const model::Product& p, const std::string& root) const {
  std::set<const model::Product*> members{&p};
  closure(&p, true, members);
  closure(&p, false, members);
  Printer out;
  out.printBlock(lineageFigure({members.begin(), members.end()}, &p, root,
                               "Lineage of " + p.qualifiedName + ": its upstreams and downstreams"));
  out.print(
      "<div class=\"neighbours\"><div><h3>Upstream</h3>\n$upstream$</div><div><h3>Downstream</h3>\n"
      "$downstream$</div></div>\n",
      {{"upstream", productList(neighbours(&p, true), root, "upstream", "No upstream: a source product.")},
       {"downstream", productList(neighbours(&p, false), root, "downstream", "No product of this catalog reads it.")}});
  return out.take();
}

// A record schema's table; a union schema's discriminator, then each case's
// record with its table.
std::string Catalog::schemaTable(const model::Product& p, const std::string& root) const {
  if (!p.schemaUnion) return recordTable(p, *p.schema, root);
  const model::Union& u = *p.schemaUnion;
  Printer out;
  out.print("<p>Tagged union $union$: each message is one of its $count$ cases, picked by its $discriminator$.</p>\n",
            {{"union", unionLink(&u, root)},
             {"count", std::to_string(u.cases.size())},
             {"discriminator", code(u.discriminator)}});
  for (const auto& c : u.cases) {
    out.print("<h3>Case $value$</h3>\n", {{"value", code("\"" + c.value + "\"")}});
    if (!c.doc.empty()) out.printBlock(docHtml(c.doc));
    out.printBlock(recordTable(p, *c.record, root));
  }
  return out.take();
}

std::string Catalog::recordTable(const model::Product& p, const model::Record& record, const std::string& root) const {
  std::vector<FieldRow> rows = flatten(record);
  Printer out;
  out.print("<p>Record $record$$closed$. $count$ field$s$, nested fields under their parent.</p>\n",
            {{"record", recordLink(&record, root, record.qualifiedName)},
             {"closed", record.closed ? " (closed: unknown keys are violations)" : ""},
             {"count", std::to_string(rows.size())},
             {"s", rows.size() == 1 ? "" : "s"}});
  Printer cells;
  for (const FieldRow& row : rows) {
    const model::Field& f = *row.path.back();
    cells.print(
        "<tr$class$><td>$field$</td><td>$type$</td><td>$constraints$</td><td>$masking$</td><td>$doc$</td></tr>\n",
        {{"class", sensitive(f.tags) ? " class=\"sensitive\"" : ""},
         {"field", fieldCell(f, row.pathText, row.depth)},
         {"type", typeCell(f, root)},
         {"constraints", constraintsHtml(f)},
         {"masking", maskingCell(p, row.path)},
         {"doc", docHtml(f.doc) + metaHtml(f.meta)}});
  }
  out.printBlock(table("schema", "<th>Field</th><th>Type</th><th>Constraints</th><th>Masking</th><th>Description</th>",
                       cells.str()));
  // The record invariants of the schema and of every nested record.
  std::vector<const model::Record*> order{&record};
  for (const FieldRow& row : rows) {
    const model::Type* t = innermostElement(row.path.back()->type);
    if (t->kind == TypeKind::Record) order.push_back(t->record);
  }
  out.printBlock(recordChecks(order, root));
  return out.take();
}

std::string Catalog::recordChecks(const std::vector<const model::Record*>& order, const std::string& root) const {
  Printer checks;
  std::set<const model::Record*> seen;
  for (const model::Record* r : order) {
    if (!seen.insert(r).second) continue;
    for (const auto& c : r->checks)
      checks.print("<tr><td>$check$</td><td>$record$</td><td>$condition$</td><td>$doc$</td></tr>\n",
                   {{"check", code(c.name)},
                    {"record", recordLink(r, root, r->name)},
                    {"condition", code(c.text)},
                    {"doc", docHtml(c.doc)}});
  }
  if (checks.empty()) return "";
  return "<h3>Record checks</h3>\n" +
         table("checks", "<th>Check</th><th>Record</th><th>Condition</th><th>Description</th>", checks.str());
}

std::string Catalog::policiesSection(const model::Product& p) const {
  auto it = outcomes_.find(&p);
  if (it == outcomes_.end()) return "<p class=\"none\">No governance policy was evaluated on this product.</p>\n";
  std::vector<const model::PolicyOutcome*> list = it->second;
  std::sort(list.begin(), list.end(),
            [](const auto* a, const auto* b) { return a->policy->qualifiedName < b->policy->qualifiedName; });
  Printer rows;
  for (const model::PolicyOutcome* o : list)
    rows.print(
        "<tr class=\"outcome-$status$\"><td>$policy$</td><td>$severity$</td><td>$outcome$</td><td>$doc$</td></tr>\n",
        {{"status", policyStatus(o->status)},
         {"policy", code(o->policy->qualifiedName)},
         {"severity", policySeverityText(o->policy->severity)},
         {"outcome", outcomeCell(*o, p)},
         {"doc", policyDoc(*o->policy)}});
  Printer out;
  out.print("<p class=\"summary\">$summary$</p>\n", {{"summary", outcomeSummary(&p)}});
  out.printBlock(
      table("policies", "<th>Policy</th><th>Severity</th><th>Outcome</th><th>What it requires</th>", rows.str()));
  return out.take();
}

// A policy's outcome on a product: its status, a waiver's date and reasons,
// the violations' messages.
std::string Catalog::outcomeCell(const model::PolicyOutcome& o, const model::Product& p) const {
  Printer out;
  out.print("<span class=\"status $status$\">$status$</span>", {{"status", policyStatus(o.status)}});
  if (o.status == model::PolicyStatus::Waived) {
    out.print("<div class=\"detail\">until $date$</div>", {{"date", htmlEscape(o.waivedUntil)}});
    for (const auto& w : ctx_.build.waivers)
      if (w.policy == o.policy && w.product == &p)
        out.print("<div class=\"detail\">because \u201c$reason$\u201d</div>", {{"reason", htmlEscape(w.reason)}});
  }
  for (const auto& m : o.messages) out.print("<div class=\"message\">$message$</div>", {{"message", htmlEscape(m)}});
  return out.take();
}

}  // namespace mesh::codegen::docs
