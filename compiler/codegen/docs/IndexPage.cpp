// IndexPage: docs/index.html, the catalog's front page: counts, the
// domains, products and records in tables, the whole lineage and the
// governance policies evaluated.
#include <algorithm>

#include "codegen/ModelText.h"
#include "codegen/docs/Catalog.h"
#include "codegen/docs/Html.h"

namespace mesh::codegen::docs {
namespace {

// `1 domain` or `2 domains`.
std::string counted(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string Catalog::indexPage() const {
  const std::string root;
  std::set<const model::Policy*> evaluated;
  for (const auto& o : ctx_.build.policyOutcomes)
    if (o.policy) evaluated.insert(o.policy);
  Printer body;
  body.print(
      "<article class=\"index\">\n<h1>Data catalog</h1>\n"
      "<p class=\"summary\">$domains$, $products$, $records$; $policies$ evaluated.</p>\n",
      {{"domains", counted(domains_.size(), "domain", "domains")},
       {"products", counted(products_.size(), "data product", "data products")},
       {"records", counted(records_.size(), "record", "records")},
       {"policies", counted(evaluated.size(), "governance policy", "governance policies")}});
  body.printBlock(
      section("domains", "Domains", domains_.empty() ? "<p class=\"none\">No domain.</p>\n" : domainsTable(root)));
  body.printBlock(
      section("products", "Data products",
              products_.empty() ? "<p class=\"none\">No data product.</p>\n" : productsTable(products_, root, true)));
  std::vector<const model::Product*> all;
  for (const auto& n : graph_.nodes) all.push_back(n.product);
  if (!all.empty())
    body.printBlock(section("lineage", "Lineage", lineageFigure(all, nullptr, root, "Lineage of every product")));
  body.printBlock(
      section("records", "Records", records_.empty() ? "<p class=\"none\">No record.</p>\n" : recordsTable(root)));
  if (!unions_.empty()) body.printBlock(section("unions", "Tagged unions", unionsTable(root)));
  if (!evaluated.empty()) body.printBlock(section("policies", "Governance policies", policyList(evaluated)));
  body.print("</article>\n");
  return page("Index", root, ctx_.inputSources(), "", body.str());
}

std::string Catalog::domainsTable(const std::string& root) const {
  Printer rows;
  for (const model::Domain* d : domains_) {
    auto found = productsOf_.find(d);
    size_t count = found == productsOf_.end() ? 0 : found->second.size();
    rows.print("<tr><td>$domain$</td><td>$owner$</td><td>$contact$</td><td>$count$</td><td>$summary$</td></tr>\n",
               {{"domain", domainLink(d, root)},
                {"owner", htmlEscape(d->owner)},
                {"contact", htmlEscape(d->contact)},
                {"count", std::to_string(count)},
                {"summary", summaryHtml(d->doc)}});
  }
  return table("domains", "<th>Domain</th><th>Owner</th><th>Contact</th><th>Products</th><th>Description</th>",
               rows.str());
}

std::string Catalog::recordsTable(const std::string& root) const {
  Printer rows;
  for (const model::Record* r : records_)
    rows.print("<tr><td>$record$</td><td>$package$</td><td>$fields$</td><td>$summary$</td></tr>\n",
               {{"record", recordLink(r, root, r->qualifiedName)},
                {"package", code(r->package)},
                {"fields", std::to_string(r->fields.size())},
                {"summary", summaryHtml(r->doc)}});
  return table("records", "<th>Record</th><th>Package</th><th>Fields</th><th>Description</th>", rows.str());
}

std::string Catalog::unionsTable(const std::string& root) const {
  Printer rows;
  for (const model::Union* u : unions_)
    rows.print(
        "<tr><td>$union$</td><td>$package$</td><td>$discriminator$</td><td>$cases$</td><td>$summary$</td></tr>\n",
        {{"union", unionLink(u, root)},
         {"package", code(u->package)},
         {"discriminator", code(u->discriminator)},
         {"cases", std::to_string(u->cases.size())},
         {"summary", summaryHtml(u->doc)}});
  return table("unions", "<th>Union</th><th>Package</th><th>Told apart by</th><th>Cases</th><th>Description</th>",
               rows.str());
}

// Every policy evaluated, with how many products passed, were waived or
// violated it.
std::string Catalog::policyList(const std::set<const model::Policy*>& evaluated) const {
  std::vector<const model::Policy*> sorted(evaluated.begin(), evaluated.end());
  std::sort(sorted.begin(), sorted.end(), byName<model::Policy>);
  Printer rows;
  for (const model::Policy* policy : sorted) {
    std::map<model::PolicyStatus, int> counts;
    for (const auto& o : ctx_.build.policyOutcomes)
      if (o.policy == policy) ++counts[o.status];
    rows.print("<tr><td>$policy$</td><td>$severity$</td><td>$outcomes$</td><td>$doc$</td></tr>\n",
               {{"policy", code(policy->qualifiedName)},
                {"severity", policySeverityText(policy->severity)},
                {"outcomes", statusCounts(counts)},
                {"doc", policyDoc(*policy)}});
  }
  return table("policy-list", "<th>Policy</th><th>Severity</th><th>Outcomes</th><th>What it requires</th>", rows.str());
}

}  // namespace mesh::codegen::docs
