// Compilation: one run of the front end as a library type. Load the files of
// a build, check them on a given day, evaluate the policies. The driver's
// commands, fmt's safety net and the unit tests all compile through it, with
// one options struct and one clock.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "check/Loader.h"
#include "diagnostics/Diagnostic.h"
#include "meshrt/formats.h"
#include "model/Model.h"

namespace mesh::syntax {
class SharedParses;
}

namespace mesh::compilation {

struct Options {
  std::vector<std::string> paths;     // files or directories (searched recursively)
  std::vector<std::string> includes;  // --include roots, in order
  std::string stdlibDir;              // empty: no standard library
  /// Sources given in memory (display name, text), loaded before `paths`.
  std::vector<std::pair<std::string, std::string>> memoryFiles;
  /// Threads for loading and checking; the result is the same for any value.
  unsigned jobs = 1;
  /// Parses shared with other compilations given the same object (`meshc
  /// breaking`'s two builds); see check::LoadOptions::sharedParses.
  syntax::SharedParses* sharedParses = nullptr;
  /// The compilation's only clock: the day it runs on. A waiver expires when
  /// its `until` is before it, and now() in a policy is its start (00:00
  /// UTC), so a build's result does not change within a day.
  meshrt::Date today;
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

  check::Workspace ws;
  DiagnosticEngine diags;
  std::unique_ptr<model::Build> build;
  /// For --stats: when loading and parsing ended and checking began, and
  /// when checking ended.
  std::chrono::steady_clock::time_point loaded;
  std::chrono::steady_clock::time_point checked;

 private:
  meshrt::Date today_;
};

}  // namespace mesh::compilation
