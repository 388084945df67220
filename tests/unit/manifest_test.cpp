// The manifest target's "policies": what the policy pass records in
// build.policyOutcomes (passed, violated, waived until a date) reaches each
// product's manifest, with the waiver's reason, and each product page of the
// docs target. The outcomes are set here by hand, as the policy pass would,
// so this holds whatever fills them.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "CompileText.h"
#include "codegen/Generator.h"
#include "compilation/Compilation.h"
#include "lineage/Lineage.h"

namespace {

const char* kContract = R"mesh(package shop;
domain sales { owner "sales-team"; }
record Order { id: string; }
product orders {
  domain sales;
  version "1.0.0";
  schema Order;
  topic "shop.orders" {}
}
product returns {
  domain sales;
  version "1.0.0";
  schema Order;
  topic "shop.returns" {}
  upstream [orders];
}
policy has_sla {
  for product p {
    require p.sla.freshness != null message "{p.name} declares no freshness";
  }
}
policy named_topics {
  severity warning;
  for product p {
    require p.topic.name != "" message "{p.name} has no topic";
  }
}
waive has_sla for shop.returns until 2099-01-31 because "returns are batch (GOV-1)";
)mesh";

using Built = mesh::compilation::Compilation;

void compile(Built& b) {
  mesh::testing::compileText(b, "shop.mesh", kContract, /*clean=*/false);
  REQUIRE(b.build);
}

const mesh::model::Policy* policyOf(Built& b, const std::string& name) {
  for (const auto& p : b.build->policies)
    if (p->qualifiedName == name) return p.get();
  FAIL("no policy " << name);
  return nullptr;
}

/// The file `path` that the target named `target` writes for b.
std::string generated(Built& b, const std::string& target, const std::string& path) {
  mesh::codegen::GeneratorContext context{*b.build, b.ws.sources, "test"};
  mesh::codegen::OutputTree tree;
  for (const auto& t : mesh::codegen::targets())
    if (t.name == target) t.generate(context, tree, b.diags);
  auto it = tree.files().find(path);
  REQUIRE(it != tree.files().end());
  return it->second;
}

nlohmann::json manifestOf(Built& b, const std::string& product) {
  return nlohmann::json::parse(generated(b, "manifest", "manifest/" + product + ".json"));
}

/// The contract compiled, with its two policies and two products at hand.
struct Shop {
  Built b;
  const mesh::model::Policy* hasSla = nullptr;
  const mesh::model::Policy* namedTopics = nullptr;
  const mesh::model::Product* orders = nullptr;
  const mesh::model::Product* returns = nullptr;

  Shop() {
    compile(b);
    hasSla = policyOf(b, "shop.has_sla");
    namedTopics = policyOf(b, "shop.named_topics");
    orders = b.build->product("shop.orders");
    returns = b.build->product("shop.returns");
    REQUIRE(orders);
    REQUIRE(returns);
  }
};

}  // namespace

TEST_CASE_FIXTURE(Shop, "policy outcomes reach the manifests: passed, violated, waived with its date and reason") {
  // What the policy pass decides for these products (replacing whatever it
  // already recorded, so this test does not depend on it).
  using mesh::model::PolicyStatus;
  b.build->policyOutcomes = {
      {hasSla, orders, PolicyStatus::Violated, "", {"orders declares no freshness"}},
      {hasSla, returns, PolicyStatus::Waived, "2099-01-31", {"returns declares no freshness"}},
      {namedTopics, orders, PolicyStatus::Passed, "", {}},
      {namedTopics, returns, PolicyStatus::Passed, "", {}},
  };

  auto o = manifestOf(b, "shop.orders");
  REQUIRE(o["policies"].size() == 2);
  CHECK(o["policies"][0] == nlohmann::json::parse(R"({"policy": "shop.has_sla", "severity": "error",
      "outcome": "violated", "messages": ["orders declares no freshness"]})"));
  CHECK(o["policies"][1] == nlohmann::json::parse(R"({"policy": "shop.named_topics", "severity": "warning",
      "outcome": "passed"})"));

  auto r = manifestOf(b, "shop.returns");
  REQUIRE(r["policies"].size() == 2);
  CHECK(r["policies"][0]["outcome"] == "waived");
  CHECK(r["policies"][0]["waived_until"] == "2099-01-31");
  CHECK(r["policies"][0]["waiver_reason"] == "returns are batch (GOV-1)");
  CHECK(r["policies"][0]["messages"] == nlohmann::json::array({"returns declares no freshness"}));
  CHECK(r["policies"][1]["outcome"] == "passed");

  // Without outcomes the key is still there, an empty list: the shape is fixed.
  b.build->policyOutcomes.clear();
  CHECK(manifestOf(b, "shop.orders")["policies"] == nlohmann::json::array());
}

// The docs target reads the same outcomes: each product page's policies
// table shows every outcome with its status, the messages of a violation,
// and the waiver's date and reason.
std::string pageOf(Built& b, const std::string& file) { return generated(b, "docs", "docs/" + file); }

TEST_CASE_FIXTURE(Shop,
                  "policy outcomes reach the catalog pages: passed, violated with messages, waived with date and "
                  "reason") {
  using mesh::model::PolicyStatus;
  b.build->policyOutcomes = {
      {hasSla, orders, PolicyStatus::Violated, "", {"orders declares <no> freshness"}},
      {hasSla, returns, PolicyStatus::Waived, "2099-01-31", {"returns declares no freshness"}},
      {namedTopics, orders, PolicyStatus::Passed, "", {}},
  };

  std::string o = pageOf(b, "products/shop.orders.html");
  CHECK(o.find("<tr class=\"outcome-violated\"><td><code>shop.has_sla</code></td><td>error</td>") != std::string::npos);
  CHECK(o.find("<div class=\"message\">orders declares &lt;no&gt; freshness</div>") != std::string::npos);
  CHECK(o.find("<tr class=\"outcome-passed\"><td><code>shop.named_topics</code></td><td>warning</td>") !=
        std::string::npos);
  CHECK(o.find("1 passed") != std::string::npos);
  CHECK(o.find("1 violated") != std::string::npos);

  std::string r = pageOf(b, "products/shop.returns.html");
  CHECK(r.find("<tr class=\"outcome-waived\"><td><code>shop.has_sla</code>") != std::string::npos);
  CHECK(r.find("until 2099-01-31") != std::string::npos);
  CHECK(r.find("returns are batch (GOV-1)") != std::string::npos);
  CHECK(r.find("shop.named_topics") == std::string::npos);  // no outcome recorded for it

  std::string index = pageOf(b, "index.html");
  CHECK(index.find("2 governance policies evaluated") != std::string::npos);

  b.build->policyOutcomes.clear();
  CHECK(pageOf(b, "products/shop.orders.html").find("No governance policy was evaluated on this product.") !=
        std::string::npos);
}

TEST_CASE("the lineage graph has a node per product and an edge per upstream entry") {
  Built b;
  compile(b);
  auto graph = mesh::lineage::lineageGraph(*b.build);
  REQUIRE(graph.nodes.size() == 2);
  CHECK(graph.nodes[0].product->qualifiedName == "shop.orders");
  CHECK_FALSE(graph.nodes[0].external);
  REQUIRE(graph.edges.size() == 1);
  CHECK(graph.edges[0].first->qualifiedName == "shop.orders");
  CHECK(graph.edges[0].second->qualifiedName == "shop.returns");
  CHECK(mesh::lineage::renderDot(graph).find("\"shop.orders\" -> \"shop.returns\";") != std::string::npos);
  CHECK(mesh::lineage::renderMermaid(graph).find("  p0 --> p1\n") != std::string::npos);
}

// A tagged union as a product's schema (language.md section 8): its records
// are the cases' records, each once; the fingerprint changes with a case; an
// upstream with the same union is a copy, one with another schema not.
TEST_CASE("a union schema: its records, its fingerprint and the lineage type") {
  const char* contract = R"mesh(package stars;
domain repos { owner "repos-team"; }
record Created { action: string; user: string; }
record Deleted { action: string; user: string; }
union Star by action { "created" => Created; "deleted" => Deleted; "undone" => Deleted; }
union Star2 by action { "created" => Created; }
product stars { domain repos; version "1.0.0"; schema Star; topic "stars" { key user; } }
product copied { domain repos; version "1.0.0"; schema Star; topic "copied" {} upstream [stars]; }
product derived { domain repos; version "1.0.0"; schema Created; topic "derived" {} upstream [stars]; }
product fewer { domain repos; version "1.0.0"; schema Star2; topic "fewer" {} upstream [stars]; }
)mesh";
  Built b;
  mesh::testing::compileText(b, "stars.mesh", contract);
  const mesh::model::Product* stars = b.build->product("stars.stars");
  const mesh::model::Product* fewer = b.build->product("stars.fewer");
  REQUIRE(stars);
  REQUIRE(fewer);
  CHECK(stars->schema == nullptr);
  std::vector<const mesh::model::Record*> records = mesh::model::schemaRecords(*stars);
  REQUIRE(records.size() == 2);
  CHECK(records[0]->name == "Created");
  CHECK(records[1]->name == "Deleted");
  CHECK(mesh::model::schemaName(*stars) == "stars.Star");
  CHECK(mesh::codegen::schemaFingerprint(*stars) != mesh::codegen::schemaFingerprint(*fewer));
  CHECK(mesh::codegen::schemaFingerprint(*stars).size() == 64);

  auto lineageType = [&](const std::string& product) {
    nlohmann::json manifest = manifestOf(b, product);
    for (const auto& aspect : manifest["datahub"])
      if (aspect["aspectName"] == "upstreamLineage")
        return nlohmann::json(aspect["aspect"]["json"]["upstreams"][0]["type"]);
    return nlohmann::json();
  };
  CHECK(lineageType("stars.copied") == "COPY");
  CHECK(lineageType("stars.derived") == "TRANSFORMED");
  CHECK(lineageType("stars.fewer") == "TRANSFORMED");
}
