// WorkspaceFile: mesh.yaml, a workspace's settings (docs/workspace.md):
// where its contracts are, the --include roots, the output directory, the
// targets, the policy packages every build imports, and how diagnostics are
// shown. Found in the directory a command is given or its nearest ancestor,
// as buf finds buf.yaml; flags on the command line override it. Read with
// yaml-cpp; every key it does not know and every value of the wrong kind is
// a diagnostic at its line and column, never ignored.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "source/SourceManager.h"

namespace mesh::workspace {

inline constexpr const char* kFileName = "mesh.yaml";

/// A list entry or a setting with where it stands in the file.
struct Entry {
  std::string value;
  SourceRange range;
};

struct Settings {
  std::string file;                        // the mesh.yaml read, as found ("" when there is none)
  std::string root;                        // the workspace root: its directory (relative paths in it are from here)
  std::vector<Entry> contracts;            // `contracts:` the package roots read when no PATH is given
  std::vector<Entry> includes;             // `include:` more roots searched for imports (--include)
  std::optional<Entry> output;             // `output:` the output directory of `meshc build`
  std::vector<Entry> targets;              // `targets:` what `meshc build` generates (--target)
  std::vector<Entry> policies;             // `policies:` packages every build imports
  std::optional<Entry> registry;           // `registry:` the schema registry's URL (meshc registry)
  std::optional<Entry> diagnosticsFormat;  // `diagnostics: format:` text, json or sarif (--format)
  std::optional<Entry> color;              // `diagnostics: color:` auto, always or never (--color)
};

/// The nearest mesh.yaml in `start` (a directory, or a file's directory) or
/// one of its ancestors; "" when there is none.
std::string find(const std::string& start);

/// Reads `file` into `out` (its paths as written: relative to its
/// directory, the workspace root, or absolute). False when it cannot be read (the message in `error`: exit 2);
/// problems in it are diagnostics (E09xx) in `diags`, its text in `sources`.
bool read(const std::string& file, Settings& out, SourceManager& sources, DiagnosticEngine& diags, std::string& error);

/// The commented mesh.yaml `meshc init` writes, with `contracts` as its
/// package root.
std::string initialFile(const std::string& contracts);

}  // namespace mesh::workspace
