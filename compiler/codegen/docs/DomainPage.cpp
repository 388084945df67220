// DomainPage: docs/domains/NAME.html, a domain's owner and properties, its
// products and their lineage.
#include "codegen/docs/Catalog.h"
#include "codegen/docs/Html.h"

namespace mesh::codegen::docs {

std::string Catalog::domainPage(const model::Domain& d) const {
  const std::string root = "../";
  auto found = productsOf_.find(&d);
  const std::vector<const model::Product*> own =
      found == productsOf_.end() ? std::vector<const model::Product*>{} : found->second;
  Printer body;
  body.printBlock(articleHead("domain",
                              fragment("$name$ <span class=\"kind\">domain</span>", {{"name", htmlEscape(d.name)}}),
                              code(d.qualifiedName), std::nullopt, docHtml(d.doc)));
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Owner", d.owner.empty() ? none() : htmlEscape(d.owner)},
      {"Contact", d.contact.empty() ? none() : htmlEscape(d.contact)},
  };
  for (const auto& [key, value] : d.properties)
    if (key != "owner" && key != "contact") rows.emplace_back(htmlEscape(key), htmlEscape(value));
  body.printBlock(facts(rows));
  body.printBlock(section("products", "Data products",
                          own.empty() ? "<p class=\"none\">No data product.</p>\n" : productsTable(own, root, false)));
  if (!own.empty()) {
    // The domain's products with their direct upstreams and downstreams.
    std::vector<const model::Product*> members = own;
    for (const model::Product* p : own)
      for (bool up : {true, false})
        for (const model::Product* q : neighbours(p, up)) members.push_back(q);
    body.printBlock(
        section("lineage", "Lineage",
                lineageFigure(members, nullptr, root,
                              "Lineage of the " + d.qualifiedName + " domain's products and their neighbours")));
  }
  body.print("</article>\n");
  return page(d.qualifiedName, root, ctx_.sourcesOf(d.package), htmlEscape(d.name), body.str());
}

}  // namespace mesh::codegen::docs
