// Evaluate: policy evaluation (language.md section 6). The checked model in,
// diagnostics and one PolicyOutcome per (policy, product) out. `meshc check`
// and `meshc build` run it after a check with no errors.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "model/Model.h"

namespace mesh::policy {

struct EvaluateOptions {
  int64_t nowMicros = 0;  // what now() returns in a policy
  /// When set, only the products of these packages are evaluated (and only
  /// their waivers can waive nothing).
  const std::set<std::string>* productsOf = nullptr;
  /// When set, receives the package of the product each diagnostic reported
  /// is about, one per diagnostic, in order.
  std::vector<std::string>* owners = nullptr;
};

/// Runs every policy of the build against every product of the input
/// packages (those given on the command line), applies the waivers, reports
/// violations (E0506, W0507), requirements that cannot be decided (E0508),
/// waived violations (N0510) and waivers that waive nothing (W0509), and
/// fills build.policyOutcomes, sorted by policy then product.
void evaluate(model::Build& build, const SourceManager& sources, DiagnosticEngine& diags,
              const EvaluateOptions& options);

}  // namespace mesh::policy
