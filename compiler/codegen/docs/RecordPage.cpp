// RecordPage: docs/records/NAME.html, a record's fields and checks and who
// uses it (products whose schema it is, records with a field of its type).
#include "codegen/docs/Catalog.h"
#include "codegen/docs/Html.h"

namespace mesh::codegen::docs {
std::string Catalog::recordPage(const model::Record& r) const {
  const std::string root = "../";
  Printer body;
  std::string badges =
      r.closed ? " <span class=\"badge closed\" title=\"unknown keys are violations\">closed</span>" : "";
  if (!r.tags.empty()) badges += " " + tagBadges(r.tags);
  std::string qualified =
      fragment("<code>$name$</code> in package <code>$package$</code>$badges$",
               {{"name", htmlEscape(r.qualifiedName)}, {"package", htmlEscape(r.package)}, {"badges", badges}});
  std::string title = fragment("$name$ <span class=\"kind\">record</span>", {{"name", htmlEscape(r.name)}});
  body.printBlock(articleHead("record", title, qualified, r.deprecated, docHtml(r.doc)));
  if (!r.meta.empty()) body.printBlock(section("metadata", "Metadata", metaHtml(r.meta)));
  body.printBlock(section("fields", "Fields", recordFields(r, root)));
  body.printBlock(section("used-by", "Used by", recordUsers(r, root)));
  return declarationPage(r.qualifiedName, r.package, r.name, body);
}

std::string Catalog::declarationPage(const std::string& qualifiedName, const std::string& package,
                                     const std::string& name, Printer& body) const {
  body.print("</article>\n");
  return page(qualifiedName, "../", ctx_.sourcesOf(package), htmlEscape(package) + " / " + htmlEscape(name),
              body.str());
}

void Catalog::printSchemaUsers(const void* decl, const std::string& root, Printer& used) const {
  if (auto it = schemaOf_.find(decl); it != schemaOf_.end())
    for (const model::Product* p : it->second)
      used.print("<li>schema of $product$</li>\n", {{"product", productLink(p, root)}});
}

// The record's own fields (nested records have their own pages), then its
// checks.
std::string Catalog::recordFields(const model::Record& r, const std::string& root) const {
  Printer rows;
  for (const auto& f : r.fields)
    rows.print("<tr$class$><td>$field$</td><td>$type$</td><td>$constraints$</td><td>$doc$</td></tr>\n",
               {{"class", sensitive(f->tags) ? " class=\"sensitive\"" : ""},
                {"field", fieldCell(*f, f->wireName(), 0)},
                {"type", typeCell(*f, root)},
                {"constraints", constraintsHtml(*f)},
                {"doc", docHtml(f->doc) + metaHtml(f->meta)}});
  std::string fields =
      table("schema", "<th>Field</th><th>Type</th><th>Constraints</th><th>Description</th>", rows.str());
  if (r.checks.empty()) return fields;
  Printer checks;
  for (const auto& c : r.checks)
    checks.print("<tr><td>$check$</td><td>$condition$</td><td>$doc$</td></tr>\n",
                 {{"check", code(c.name)}, {"condition", code(c.text)}, {"doc", docHtml(c.doc)}});
  return fields + "<h3>Checks</h3>\n" +
         table("checks", "<th>Check</th><th>Condition</th><th>Description</th>", checks.str());
}

std::string Catalog::recordUsers(const model::Record& r, const std::string& root) const {
  Printer used;
  printSchemaUsers(&r, root, used);
  if (auto it = casesOf_.find(&r); it != casesOf_.end())
    for (const auto& [u, value] : it->second)
      used.print("<li>case $value$ of $union$</li>\n",
                 {{"value", code("\"" + value + "\"")}, {"union", unionLink(u, root)}});
  if (auto it = fieldsOfType_.find(&r); it != fieldsOfType_.end())
    for (const auto& [other, f] : it->second)
      used.print("<li>field $field$ of $record$</li>\n",
                 {{"field", code(f->name)}, {"record", recordLink(other, root, other->qualifiedName)}});
  if (used.empty()) return "<p class=\"none\">Not used by a product or record of this catalog.</p>\n";
  return fragment("<ul>\n$items$</ul>\n", {{"items", used.str()}});
}

// A field's type (linked when it holds a record) and its default.
std::string Catalog::typeCell(const model::Field& f, const std::string& root) const {
  std::string out = typeHtml(f.type, root);
  if (f.defaultValue)
    out += fragment("<div class=\"default\">default $value$</div>", {{"value", code(valueText(*f.defaultValue))}});
  return out;
}

}  // namespace mesh::codegen::docs
