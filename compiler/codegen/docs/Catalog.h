// Catalog: the docs target's view of a build (which domains, products and
// records get a page, who uses whom) and the pages written from it. The
// class is split by page: Catalog.cpp (the index of the model, links, the
// page frame, lineage), IndexPage.cpp, DomainPage.cpp, ProductPage.cpp,
// RecordPage.cpp, UnionPage.cpp, Style.cpp (the style sheet).
#pragma once

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "codegen/Generator.h"
#include "codegen/Printer.h"
#include "lineage/Lineage.h"
#include "model/Model.h"

namespace mesh::codegen::docs {

template <class T>
bool byName(const T* a, const T* b) {
  return a->qualifiedName < b->qualifiedName;
}

class Catalog {
 public:
  explicit Catalog(const GeneratorContext& ctx);
  /// Every page and the style sheet, under docs/.
  void write(OutputTree& out) const;

 private:
  // Links. Pages live in docs/ (the index) and one level down (the rest);
  // `root` is the way from the page to docs/: "" or "../".
  std::string productLink(const model::Product* p, const std::string& root) const;
  std::string domainLink(const model::Domain* d, const std::string& root) const;
  std::string recordLink(const model::Record* r, const std::string& root, const std::string& text) const;
  std::string unionLink(const model::Union* u, const std::string& root) const;
  /// The product's schema: a link to its record's or its union's page.
  std::string schemaLink(const model::Product& p, const std::string& root) const;
  std::string typeHtml(const model::Type* t, const std::string& root) const;

  // The frame of every page: stamp, head, header, footer.
  std::string page(const std::string& title, const std::string& root, const std::vector<std::string>& sources,
                   const std::string& crumbs, const std::string& body) const;
  std::string stylesheet() const;

  // Lineage.
  std::string lineageFigure(const std::vector<const model::Product*>& members, const model::Product* current,
                            const std::string& root, const std::string& label) const;
  void closure(const model::Product* p, bool up, std::set<const model::Product*>& into) const;
  std::vector<const model::Product*> neighbours(const model::Product* p, bool up) const;
  std::string productList(const std::vector<const model::Product*>& list, const std::string& root, const char* cls,
                          const char* empty) const;

  // Products in tables and their policy outcomes.
  std::string productsTable(const std::vector<const model::Product*>& list, const std::string& root,
                            bool withDomain) const;
  std::string outcomeSummary(const model::Product* p) const;

  // The pages.
  std::string indexPage() const;
  std::string domainsTable(const std::string& root) const;
  std::string recordsTable(const std::string& root) const;
  std::string unionsTable(const std::string& root) const;
  std::string policyList(const std::set<const model::Policy*>& evaluated) const;
  std::string domainPage(const model::Domain& d) const;
  std::string recordPage(const model::Record& r) const;
  std::string recordFields(const model::Record& r, const std::string& root) const;
  std::string recordUsers(const model::Record& r, const std::string& root) const;
  std::string unionPage(const model::Union& u) const;  // UnionPage.cpp
  /// "Used by": the products whose schema `decl` (a record or union) is.
  void printSchemaUsers(const void* decl, const std::string& root, Printer& used) const;
  /// The end of a record's or union's page: its article closed, in its frame.
  std::string declarationPage(const std::string& qualifiedName, const std::string& package, const std::string& name,
                              Printer& body) const;
  std::string unionCases(const model::Union& u, const std::string& root) const;
  std::string productPage(const model::Product& p) const;
  std::string productLineage(const model::Product& p, const std::string& root) const;
  std::string schemaTable(const model::Product& p, const std::string& root) const;
  std::string recordTable(const model::Product& p, const model::Record& r, const std::string& root) const;
  std::string recordChecks(const std::vector<const model::Record*>& order, const std::string& root) const;
  std::string policiesSection(const model::Product& p) const;
  std::string outcomeCell(const model::PolicyOutcome& o, const model::Product& p) const;
  std::string typeCell(const model::Field& f, const std::string& root) const;

  const GeneratorContext& ctx_;
  lineage::LineageGraph graph_;
  std::vector<const model::Product*> products_;
  std::vector<const model::Domain*> domains_;
  std::vector<const model::Record*> records_;
  std::vector<const model::Union*> unions_;  // tagged unions, as records: those of the inputs and those used
  std::set<const void*> hasPage_;
  std::map<const model::Product*, std::vector<const model::PolicyOutcome*>> outcomes_;
  std::map<const model::Product*, std::vector<const model::Product*>> upstreamsOf_, downstreamsOf_;
  // "Used by" of record pages and the products of domain pages, by name order.
  std::map<const void*, std::vector<const model::Product*>> schemaOf_;  // by record or union
  std::map<const model::Record*, std::vector<std::pair<const model::Union*, std::string>>> casesOf_;
  std::map<const model::Record*, std::vector<std::pair<const model::Record*, const model::Field*>>> fieldsOfType_;
  std::map<const model::Domain*, std::vector<const model::Product*>> productsOf_;
};

}  // namespace mesh::codegen::docs
