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

/// What a load read from the file system, for a cache that must tell later
/// whether a new load would read the same (compiler/cache): every directory
/// listing that decided which files were read, and every file read.
struct LoadRecord {
  struct Listing {
    enum class Kind { Tree, Package, Root } kind;
    std::string arg;                 // the directory (Tree, Root) or the package name (Package)
    std::vector<std::string> found;  // what it listed: meshFilesUnder, packageCandidates, or "dir" for a Root
  };
  struct File {
    std::string path;    // as opened
    std::string key;     // canonical, which decides whether two paths are one file
    std::string digest;  // sha256Hex of the bytes read (before any repair of invalid UTF-8)
  };
  std::vector<std::string> roots;  // where packages were searched, in order (Workspace::roots)
  std::vector<Listing> listings;
  std::vector<File> files;
};

/// The .mesh files below `dir` (recursively, sorted), or false with the
/// message in `error`.
bool meshFilesUnder(const std::string& dir, std::vector<std::string>& found, std::string& error);
/// The files of `package` in the first of `roots` that has any (ROOT/a/b.mesh
/// and ROOT/a/b/*.mesh for a.b, sorted), or none.
std::vector<std::string> packageCandidates(const std::vector<std::string>& roots, const std::string& package);
/// What a Root listing records for `dir`: {"dir"} when it is a directory.
std::vector<std::string> rootListing(const std::string& dir);

/// Syntax trees kept between runs, by the SHA-256 of their file's text (the
/// cache of results keeps them: compiler/cache). Called from the parsing
/// threads.
class SyntaxTrees {
 public:
  virtual ~SyntaxTrees() = default;
  /// The tree of a text with this digest, as file `fileId`; false when none
  /// is kept (or what is kept is damaged).
  virtual bool find(const std::string& digest, uint32_t fileId, ast::File& out) = 0;
  /// Keeps the tree of a text that parsed without any diagnostic.
  virtual void keep(const std::string& digest, const ast::File& file) = 0;
};

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
  /// When set, receives what the load read (not for memoryFiles).
  LoadRecord* record = nullptr;
  /// When set, a file whose text has a kept tree is not parsed, and the
  /// trees of the files parsed are kept.
  SyntaxTrees* syntaxTrees = nullptr;
};

struct Workspace {
  SourceManager sources;
  std::vector<ast::File> files;                         // every parsed file, in load order
  std::vector<std::string> roots;                       // where imports are searched, in order
  std::map<std::string, std::vector<size_t>> packages;  // package name -> indexes into files
  size_t inputFileCount = 0;                            // files[0, inputFileCount) came from the command line
  size_t parsed = 0;     // files parsed (the others: too large, or their tree came from LoadOptions::syntaxTrees)
  size_t treesKept = 0;  // files whose tree came from LoadOptions::syntaxTrees
  /// By file id - 1: the sha256Hex of each file's bytes, when a record or
  /// kept trees were asked for ("" otherwise, and for memoryFiles).
  std::vector<std::string> digests;
};

/// Loads and parses the build. Returns false when the environment failed
/// (a path that does not exist or cannot be read): the message is in `error`
/// and the command exits 2. Problems in the sources become diagnostics.
bool load(const LoadOptions& options, Workspace& ws, DiagnosticEngine& diags, std::string& error);

/// The package every file sees without importing it.
inline constexpr const char* kPreludePackage = "std.governance";

}  // namespace mesh::check
