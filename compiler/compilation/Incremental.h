// Incremental: a check after an edit that checks only the packages the edit
// can change, and takes the other packages' diagnostics from the check
// before it (docs/cache.md, "Checking after an edit").
//
// A check leaves a state (checkState): each file with its package and the
// SHA-256 of its bytes, and each diagnostic with the package it belongs to:
// a checker's diagnostic to the package of the file it points at, a policy's
// to the package of the product it is about. The next check of the same
// invocation finds the packages whose files changed, the packages that
// refer to them (check::References: a superset), and checks those with
// every package they refer to; the diagnostics of the packages it did not
// need to check again are the ones kept. Whatever this cannot reproduce
// exactly as a whole check would (the packages themselves changed, a kept
// diagnostic pointing into an edited file, two packages' diagnostics at one
// place, whose order a whole check decides) falls back to a whole check.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "check/Loader.h"
#include "diagnostics/Diagnostic.h"

namespace mesh::compilation {

struct CheckState;

class Incremental {
 public:
  ~Incremental();
  /// The plan after the load of `ws` (which reported `loadDiags`), from the
  /// state the last check left; null, with the reason in `why`, when the
  /// whole build must be checked.
  static std::unique_ptr<Incremental> plan(std::string_view previous, const check::Workspace& ws,
                                           const DiagnosticEngine& loadDiags, std::string& why);
  /// What to check: the packages the edit can change and those they refer to.
  const std::set<std::string>& checked() const { return checked_; }
  /// What this run reports anew: the nodes (check::References) the edit can
  /// change, and their packages.
  const std::set<std::string>& affected() const { return affected_; }
  const std::set<std::string>& affectedPackages() const { return affectedPackages_; }
  /// After checking checked(): `diags` keeps its diagnostics of affected()
  /// and gains the kept ones of the other packages. False, with `diags`
  /// untouched and the reason in `why`, when that cannot be done exactly.
  bool mergeChecks(DiagnosticEngine& diags, const check::Workspace& ws, std::string& why) const;
  /// After evaluating the policies for affected()'s products (diagnostics
  /// [from, end) of `diags`): adds the other products' kept findings. False
  /// as mergeChecks.
  /// `owners` (the evaluation's, Evaluate.h) gains the kept findings' too.
  bool mergePolicies(DiagnosticEngine& diags, size_t from, const check::Workspace& ws, std::vector<std::string>& owners,
                     std::string& why) const;
  /// For --stats: "rechecked 3 of 40 packages (...)".
  std::string describe(size_t packageCount) const;

 private:
  Incremental();
  std::unique_ptr<CheckState> previous_;
  std::set<std::string> edited_, editedNodes_, affected_, affectedPackages_, checked_;
  std::set<std::string> changedFiles_;  // by their names in the SourceManager
};

/// The state of a finished check of `ws` for the next run's plan: `diags`
/// in the order reported, of which [policyFrom, end) are the policies'
/// (with their products' packages in `policyOwners`), or none evaluated.
/// "" when it cannot be kept (a diagnostic outside any package's files).
std::string checkState(const check::Workspace& ws, const DiagnosticEngine& diags, size_t policyFrom,
                       const std::vector<std::string>& policyOwners, bool policiesEvaluated);

}  // namespace mesh::compilation
