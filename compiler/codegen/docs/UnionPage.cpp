// UnionPage: docs/unions/NAME.html, a tagged union (language.md section 8):
// its discriminator, its cases with their records, and the products whose
// schema it is.
#include "codegen/docs/Catalog.h"
#include "codegen/docs/Html.h"

namespace mesh::codegen::docs {

std::string Catalog::unionPage(const model::Union& u) const {
  const std::string root = "../";
  Printer body;
  std::string qualified = fragment(
      "<code>$name$</code> in package <code>$package$</code>, told apart by $field$",
      {{"name", htmlEscape(u.qualifiedName)}, {"package", htmlEscape(u.package)}, {"field", code(u.discriminator)}});
  std::string title = fragment("$name$ <span class=\"kind\">tagged union</span>", {{"name", htmlEscape(u.name)}});
  body.printBlock(articleHead("record", title, qualified, std::nullopt, docHtml(u.doc)));
  body.printBlock(section("cases", "Cases", unionCases(u, root)));
  Printer used;
  printSchemaUsers(&u, root, used);
  body.printBlock(section("used-by", "Used by",
                          used.empty() ? "<p class=\"none\">Not the schema of a product of this catalog.</p>\n"
                                       : fragment("<ul>\n$items$</ul>\n", {{"items", used.str()}})));
  return declarationPage(u.qualifiedName, u.package, u.name, body);
}

// One row per case: the discriminator's value and the record it picks.
std::string Catalog::unionCases(const model::Union& u, const std::string& root) const {
  Printer rows;
  for (const auto& c : u.cases)
    rows.print("<tr><td>$value$</td><td>$record$</td><td>$doc$</td></tr>\n",
               {{"value", code("\"" + c.value + "\"")},
                {"record", recordLink(c.record, root, c.record->qualifiedName)},
                {"doc", docHtml(c.doc)}});
  return table("cases", "<th>Value of the discriminator</th><th>Record</th><th>Description</th>", rows.str());
}

}  // namespace mesh::codegen::docs
