// Compilation: one run of the front end as a library type. Load the files of
// a build, check them on a given day, evaluate the policies. The driver's
// commands, fmt's safety net and the unit tests all compile through it, with
// one options struct and one clock.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "check/Loader.h"
#include "compilation/Incremental.h"
#include "diagnostics/Diagnostic.h"
#include "meshrt/formats.h"
#include "model/Model.h"

namespace mesh::compilation {

/// What to load (files, include roots, the standard library, threads:
/// check::LoadOptions), and the compilation's only clock.
struct Options : check::LoadOptions {
  /// The day the compilation runs on. A waiver expires when its `until` is
  /// before it, and now() in a policy is its start (00:00 UTC), so a build's
  /// result does not change within a day.
  meshrt::Date today;
  /// For check: the state the last check of the same invocation left ("" for
  /// none). When set, only what changed since is checked (Incremental.h),
  /// and checkState() is this check's.
  const std::string* lastCheck = nullptr;
};

/// The day of MESH_TODAY (YYYY-MM-DD) when it is set, else of the system
/// clock (UTC). A MESH_TODAY that does not parse is refused, never ignored
/// for the real clock: nullopt, with the message in `error`.
std::optional<meshrt::Date> todayFromEnvironment(std::string& error);

/// What now() returns in a policy evaluated on `day`: its start, in
/// microseconds since the epoch.
int64_t startOfDayMicros(meshrt::Date day);

class Compilation {
 public:
  /// Loads and checks the build. Returns false when the environment failed
  /// (a path that does not exist or cannot be read): the message is in
  /// `error`, nothing was checked. Problems in the sources are diagnostics.
  bool loadAndCheck(const Options& options, std::string& error);
  /// Evaluates the policies, on a build that checked cleanly (they read a
  /// complete model); does nothing when checking reported errors.
  void evaluatePolicies();
  /// With Options::lastCheck, after evaluatePolicies() and before the
  /// diagnostics are sorted: the state the next check starts from.
  const std::string& checkState() const { return state_; }
  /// With Options::lastCheck: how much was checked, for --stats.
  const std::string& checkedSummary() const { return summary_; }

  check::Workspace ws;
  DiagnosticEngine diags;
  std::unique_ptr<model::Build> build;
  /// The directories the files were found through: each command-line
  /// directory, the directory of each command-line file, each --include
  /// root. Generated files' stamps name sources relative to them
  /// (codegen::stampPath).
  std::vector<std::string> sourceRoots;
  /// For --stats: when loading and parsing ended and checking began, and
  /// when checking ended.
  std::chrono::steady_clock::time_point loaded;
  std::chrono::steady_clock::time_point checked;

 private:
  void runChecker(const Incremental* plan);
  void checkWhole(const std::string& why);

  meshrt::Date today_;
  unsigned jobs_ = 1;
  bool keepState_ = false;
  std::unique_ptr<Incremental> incremental_;
  std::string state_, summary_;
};

}  // namespace mesh::compilation
