// Check: the loaded ASTs in, the checked model out. Resolves names across
// packages, types every declaration and expression, enforces the product
// rules, and types policies (their evaluation is compiler/eval's).
#pragma once

#include <memory>
#include <string>

#include "check/Loader.h"
#include "model/Model.h"

namespace mesh::check {

struct CheckOptions {
  std::string today;  // YYYY-MM-DD, for waiver expiry
  /// Threads for the per-declaration phases (record fields, annotations,
  /// constraints, products); the result is the same for any value.
  unsigned jobs = 1;
};

std::unique_ptr<model::Build> checkBuild(const Workspace& ws, DiagnosticEngine& diags, const CheckOptions& options);

}  // namespace mesh::check
