// Loader: finds the files of a build (command-line paths, then every package
// they import, transitively, from the include roots and the standard
// library) and parses each one once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ast/AST.h"
#include "diagnostics/Diagnostic.h"

namespace mesh::syntax {
class SharedParses;
}

namespace mesh::check {

struct LoadOptions {
  std::vector<std::string> paths;     // files or directories (searched recursively)
  std::vector<std::string> includes;  // --include roots, in order
  std::string stdlibDir;              // always searched last
  /// Packages every build imports, as if a file imported them (a
  /// workspace's `policies:`); one not found is left to the caller to report.
  std::vector<std::string> packages;
  unsigned jobs = 1;
  /// Sources given in memory (display name, text), loaded before `paths`;
  /// used by tests and tools that do not go through the file system.
  std::vector<std::pair<std::string, std::string>> memoryFiles;
  /// When set, parses are shared with the other loads given the same object
  /// (`meshc breaking`'s two builds): a text already parsed there is copied.
  /// The result is the same as without it. Copies are made from the ASTs of
  /// the load that parsed first: its Workspace must outlive the other loads.
  syntax::SharedParses* sharedParses = nullptr;
};

struct Workspace {
  SourceManager sources;
  std::vector<ast::File> files;                         // every parsed file, in load order
  std::vector<std::string> roots;                       // where imports are searched, in order
  std::map<std::string, std::vector<size_t>> packages;  // package name -> indexes into files
  size_t inputFileCount = 0;                            // files[0, inputFileCount) came from the command line
};

/// Loads and parses the build. Returns false when the environment failed
/// (a path that does not exist or cannot be read): the message is in `error`
/// and the command exits 2. Problems in the sources become diagnostics.
bool load(const LoadOptions& options, Workspace& ws, DiagnosticEngine& diags, std::string& error);

/// The package every file sees without importing it.
inline constexpr const char* kPreludePackage = "std.governance";

}  // namespace mesh::check
