// Baseline: where `meshc breaking --against` finds the previous version of
// the contracts: a directory as it is, or `git:REF`, the same paths read
// from the repository at REF into a temporary directory (the work tree and
// the index are never touched).
#pragma once

#include <string>
#include <vector>

namespace mesh::compat {

struct Baseline {
  std::vector<std::string> paths;     // what to load as the baseline's command-line paths
  std::vector<std::string> includes;  // its --include roots
  bool empty = false;                 // no path existed at REF: every product is new
  std::string description;            // for messages: "'old/'" or "git:HEAD"
  /// File names of the baseline that start with `displayFrom` are shown with
  /// `displayTo` instead (`/tmp/meshc-baseline-1a2b/tree/` -> `<git:HEAD>/`).
  std::string displayFrom, displayTo;
  std::string tempDir;  // removed with the Baseline

  Baseline() = default;
  Baseline(const Baseline&) = delete;
  Baseline& operator=(const Baseline&) = delete;
  ~Baseline();

  /// The name a baseline file is shown under.
  std::string displayName(const std::string& loadedName) const;
};

/// Prepares the baseline `against` (DIR or git:REF) for the build of
/// `paths` with `includes`. Returns false with a message in `error` when it
/// cannot (no such directory, not a git repository, unknown ref, git
/// failed): the command exits 2.
bool prepareBaseline(const std::string& against, const std::vector<std::string>& paths,
                     const std::vector<std::string>& includes, Baseline& out, std::string& error);

}  // namespace mesh::compat
