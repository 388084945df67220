// Check: the loaded ASTs in, the checked model out. Resolves names across
// packages, types every declaration and expression, enforces the product
// rules, and types policies (their evaluation is compiler/eval's).
#pragma once

#include <memory>
#include <set>
#include <string>

#include "check/Loader.h"
#include "model/Model.h"

namespace mesh::check {

struct CheckOptions {
  std::string today;  // YYYY-MM-DD, for waiver expiry
  /// Threads for the per-declaration phases (record fields, annotations,
  /// constraints, products); the result is the same for any value.
  unsigned jobs = 1;
  /// When set, only these packages are checked, as if the build had no
  /// other: a set closed under references (check/References.h), so each
  /// name they use resolves as in the whole build.
  const std::set<std::string>* packages = nullptr;
  /// When set, the packages (of `packages`) whose diagnostics are wanted;
  /// the others are checked only as far as these can see (their records'
  /// constraints, which nothing outside their record reads, are not).
  const std::set<std::string>* reported = nullptr;
};

std::unique_ptr<model::Build> checkBuild(const Workspace& ws, DiagnosticEngine& diags, const CheckOptions& options);

}  // namespace mesh::check
