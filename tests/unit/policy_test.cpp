// Policy outcomes: what the policy pass hands the manifest target
// (model::Build::policyOutcomes), one per (policy, product) of the input
// packages, sorted by policy then product.
#include <doctest/doctest.h>

#include "CompileText.h"
#include "compilation/Compilation.h"
#include "policy/Evaluate.h"

namespace {

using Evaluated = mesh::compilation::Compilation;

void evaluate(const std::string& text, Evaluated& out) {
  mesh::testing::compileText(out, "input.mesh", text);
  out.evaluatePolicies();
}

const char* kContracts = R"(
package t;
domain d { owner "team"; }
record R { id: string; name: string @pii; }
/// b
product b { domain d; version "1.0.0"; schema R; topic "t.b" { key id; } retention 7d; }
/// a
product a { domain d; version "1.0.0"; schema R; topic "t.a" { key id; } }
policy z_retention {
  for product p { require p.retention != null message "{p.name} keeps data forever"; }
}
policy a_pii {
  severity warning;
  for product p, field f in p.fields where f.has(pii) {
    require f.masked_for(analytics) message "{f.path} of {p.name} is not masked";
  }
}
waive a_pii for b until 2027-01-31 because "GOV-1";
)";

}  // namespace

TEST_CASE("policy outcomes: one per policy and product, sorted, with status and messages") {
  Evaluated e;
  evaluate(kContracts, e);
  const auto& outcomes = e.build->policyOutcomes;
  REQUIRE(outcomes.size() == 4);
  std::vector<std::pair<std::string, std::string>> order;
  for (const auto& o : outcomes) order.emplace_back(o.policy->qualifiedName, o.product->qualifiedName);
  CHECK(order == std::vector<std::pair<std::string, std::string>>{
                     {"t.a_pii", "t.a"}, {"t.a_pii", "t.b"}, {"t.z_retention", "t.a"}, {"t.z_retention", "t.b"}});

  CHECK(outcomes[0].status == mesh::model::PolicyStatus::Violated);
  CHECK(outcomes[0].messages == std::vector<std::string>{"name of a is not masked"});
  CHECK(outcomes[1].status == mesh::model::PolicyStatus::Waived);
  CHECK(outcomes[1].waivedUntil == "2027-01-31");
  CHECK(outcomes[1].messages == std::vector<std::string>{"name of b is not masked"});
  CHECK(outcomes[2].status == mesh::model::PolicyStatus::Violated);
  CHECK(outcomes[2].messages == std::vector<std::string>{"a keeps data forever"});
  CHECK(outcomes[3].status == mesh::model::PolicyStatus::Passed);
  CHECK(outcomes[3].messages.empty());
  CHECK(outcomes[3].waivedUntil.empty());

  // The error policy fails the build; the warning one and the waiver do not.
  CHECK(e.diags.errorCount() == 1);
}

TEST_CASE("policy outcomes: evaluating twice gives the same outcomes") {
  Evaluated e;
  evaluate(kContracts, e);
  auto first = e.build->policyOutcomes.size();
  e.evaluatePolicies();
  CHECK(e.build->policyOutcomes.size() == first);
}
