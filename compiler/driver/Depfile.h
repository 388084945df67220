// Depfile: `meshc build --depfile FILE`, what a build read as a Make/Ninja
// depfile, the way `gcc -MD` and `protoc --dependency_out` write theirs: one
// rule whose target is the output directory (or --depfile-target) and whose
// prerequisites are every file the build read (contracts, imports from the
// include roots, the standard library) and the workspace file. A build
// system re-runs meshc when one of them changes (docs/cmake.md).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "check/Loader.h"
#include "driver/Workspace.h"

namespace mesh::driver {

/// `name` escaped for a depfile's rule as GNU Make, Ninja and CMake read it:
/// a space as `\ ` (the backslashes just before it doubled), `#` as `\#`,
/// `:` as `\:`, `$` as `$$`; any other byte as it is. nullopt when no escape
/// carries it to all three: a control character (a newline ends the rule),
/// a backslash before `$` or at the end, a `:` at the end.
std::optional<std::string> escapeDepfileName(std::string_view name);

/// The depfile: `TARGET: \`, then one prerequisite a line. False, with the
/// name that cannot be written in `bad`, when one cannot be escaped.
bool depfileText(const std::string& target, const std::vector<std::string>& prerequisites, std::string& out,
                 std::string& bad);

class Depfile {
 public:
  /// Made where meshc was started, before a workspace file moves it to its
  /// root: `path` ("" for none) and the paths the depfile names are taken
  /// from here. `target` "" is the output directory: `outputFlag` (-o as
  /// given) when there is one, else the workspace's relative to here.
  Depfile(const std::string& path, const std::string& target, std::optional<std::string> outputFlag);
  bool wanted() const { return !path_.empty(); }
  /// Writes the depfile of a build that read `inputs` with `settings`: to a
  /// temporary beside it, renamed over it, never through a link. Returns 0,
  /// or the exit status after printing why not: 1 when a link, a directory
  /// or another non-regular file is in its place (remove it), 2 when it
  /// cannot be written or a path has a character a depfile cannot hold.
  int write(const check::LoadRecord& inputs, const Settings& settings) const;

 private:
  std::string path_;   // absolute
  std::string given_;  // as given, for messages
  std::string target_;
  std::string start_;  // where meshc was started
  std::optional<std::string> outputFlag_;
};

}  // namespace mesh::driver
