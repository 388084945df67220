// Output: what `meshc build` produces, buffered in an ordered map and written
// only when every generator succeeded; `--check` compares instead of writing.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "diagnostics/Diagnostic.h"
#include "model/Model.h"

namespace mesh::codegen {

/// Every file of one build, by path relative to OUT (`cpp/sales/orders.mesh.h`).
class OutputTree {
 public:
  void add(std::string path, std::string content) { files_[std::move(path)] = std::move(content); }
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  std::map<std::string, std::string> files_;
};

/// What a generator sees: the checked model, never the parser's types.
struct GeneratorContext {
  const model::Build& build;
  const SourceManager& sources;
  std::string toolVersion;
  /// The source files of a package, as shown in the "generated from" stamp
  /// (relative paths, sorted: no absolute path reaches generated files).
  std::vector<std::string> sourcesOf(const std::string& package) const;
  /// The source files of every input package (the stamp of files that
  /// describe the whole build: the manifest's catalog.json, the HTML index).
  std::vector<std::string> inputSources() const;
  /// The stamp every generated file starts with, in the target's comment syntax.
  std::string stamp(const std::string& linePrefix, const std::vector<std::string>& sourceFiles) const;
};

/// SHA-256 (hex) of a canonical text of the record's shape: names, types,
/// optionality, constraints, closedness and nested records. The producer's
/// `mesh-schema` header and the manifest's schema hash.
std::string schemaFingerprint(const model::Record& record);

/// The JSON Schema the jsonschema target writes for the record (its file's
/// text without the final newline); the manifest embeds it for DataHub.
std::string recordJsonSchema(const GeneratorContext& context, const model::Record& record);

/// A generator writes its files under `<target>/` into the tree, reporting
/// problems it cannot express as diagnostics.
using Generator = void (*)(const GeneratorContext& context, OutputTree& out, DiagnosticEngine& diags);

struct Target {
  const char* name;
  Generator generate;
  /// Built when no --target is given (toolchain.md: cpp, manifest and
  /// jsonschema); the others only on request.
  bool byDefault = true;
};
/// Every target, in the order `meshc build` runs them.
const std::vector<Target>& targets();

/// Writes every file (creating directories, replacing changed files only, so
/// build systems see unchanged files as unchanged). Returns false with
/// `error` set when the file system fails.
bool writeTree(const OutputTree& tree, const std::string& outDir, std::string& error);

/// Removes the files meshc generated earlier under OUT/<target>/ that this
/// build no longer writes (a record or package that was deleted).
void removeExtraFiles(const OutputTree& tree, const std::string& outDir, const std::vector<std::string>& targetNames);

/// The differences between the tree and OUT for the given targets:
/// "missing PATH", "stale PATH", "extra PATH" (files meshc generated under
/// OUT/<target>/ that the build would not write), sorted.
std::vector<std::string> compareTree(const OutputTree& tree, const std::string& outDir,
                                     const std::vector<std::string>& targetNames);

}  // namespace mesh::codegen
