// Workspace: a command's settings, from its flags over the workspace file's
// (mesh.yaml, compiler/workspace): which paths it reads, the include roots,
// the packages every build imports, and for `build` the output directory and
// the targets. docs/workspace.md states the rules.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "diagnostics/Render.h"
#include "source/SourceManager.h"
#include "workspace/WorkspaceFile.h"

namespace mesh::check {
struct Workspace;
}

namespace mesh::driver {

/// RenderOptions for --format and --color values (as flags or from the
/// workspace file); false after printing what is wrong with them.
bool renderOptionsFor(const std::string& format, const std::string& color, RenderOptions& out);

/// `meshc init [DIR]`: writes DIR/mesh.yaml (never over an existing file or
/// through a link). Returns the exit code.
int initWorkspace(const std::string& dir);

/// What was given on the command line (an unset optional: the flag was not).
struct Flags {
  std::string command;  // check or build
  std::vector<std::string> paths, includes, targets;
  std::optional<std::string> output, format, color;
  /// Other paths on the command line (validate's input FILE, breaking's
  /// baseline directory): taken from where meshc started, like the PATHs.
  std::vector<std::string> others;
};

struct Settings {
  std::vector<std::string> paths;     // the PATHs, or the file's `contracts`
  std::vector<std::string> includes;  // --include, or the file's `include`
  std::vector<std::string> packages;  // the file's `policies`
  std::vector<std::string> targets;   // --target, or the file's `targets` (empty: the default ones)
  std::string output;                 // -o, or the file's `output`, or gen/ in the workspace root
  std::string registry;               // the file's `registry` ("": none; --registry and the environment win)
  // With a workspace file, the paths here are relative to its directory,
  // where meshc then runs (WorkspaceRun::settle changes to it).
  std::string format = "text", color = "auto";
  workspace::Settings file;         // what mesh.yaml said (file "" when there is none)
  std::vector<std::string> others;  // Flags::others, as seen from where meshc runs
};

class WorkspaceRun {
 public:
  /// Finds and reads the workspace file of `flags.paths` (or of the current
  /// directory) and settles the settings. Returns 0, 1 after printing the
  /// file's diagnostics, or 2 after printing why the command cannot run.
  int settle(Flags flags, const std::vector<std::string>& targetNames, Settings& out);
  /// After loading: E0905 for each of the file's `policies` packages the
  /// build does not have. Returns 1 after printing them, else 0.
  int checkPackages(const Settings& settings, const check::Workspace& ws);

 private:
  bool enterRoot(const std::string& root, Flags& flags);
  int finish();

  SourceManager sources_;
  DiagnosticEngine diags_;
  RenderOptions render_;
};

}  // namespace mesh::driver
