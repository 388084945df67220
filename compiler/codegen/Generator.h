// Generator: what every generator sees (the checked model, never the
// parser's types, through a GeneratorContext), the helpers the targets share,
// and the registry of targets `meshc build` runs (Generator.cpp).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "codegen/OutputTree.h"
#include "diagnostics/Diagnostic.h"
#include "model/Model.h"
#include "support/Parallel.h"

namespace mesh::codegen {

using mesh::parallelFor;  // support/Parallel.h

/// What the generators look up per package, computed once per build
/// (each lookup used to scan the whole build: quadratic at 100,000 records).
struct PackageIndex {
  std::vector<const model::Record*> records;  // in the build's order (by qualified name)
  std::vector<const model::EnumType*> enums;
  std::vector<const model::Union*> unions;  // the tagged ones declared in the package
  // Those with a schema, a record or a tagged union (the cpp target's
  // products; the other targets read build.products).
  std::vector<const model::Product*> products;
  std::vector<std::string> sources;  // sorted, unique: the stamp's "Source:"
  bool input = false;
};

/// What a generator sees: the checked model, never the parser's types.
struct GeneratorContext {
  /// `sourceRoots`: the directories the build's files were found through
  /// (compilation::Compilation::sourceRoots), which stamps name files
  /// relative to (stampPath).
  GeneratorContext(const model::Build& build, const SourceManager& sources, std::string toolVersion, unsigned jobs = 1,
                   std::vector<std::string> sourceRoots = {});

  const model::Build& build;
  const SourceManager& sources;
  std::string toolVersion;
  /// Threads a generator may use (`meshc build -j N`); output never depends on it.
  unsigned jobs = 1;
  std::vector<std::string> sourceRoots;
  /// The package's index entry (an empty one for a package the build does not have).
  const PackageIndex& package(const std::string& name) const;
  /// The input packages (some file named on the command line), sorted.
  const std::vector<std::string>& inputPackages() const;
  /// The product's policy outcomes, in build.policyOutcomes' order.
  const std::vector<const model::PolicyOutcome*>& policyOutcomesOf(const model::Product& product) const;
  /// The source files of a package, as shown in the "generated from" stamp
  /// (stampPath: no absolute path reaches generated files), sorted.
  std::vector<std::string> sourcesOf(const std::string& package) const;
  /// The source files of every input package (the stamp of files that
  /// describe the whole build: the manifest's catalog.json, the HTML index).
  std::vector<std::string> inputSources() const;
  /// The stamp every generated file starts with, in the target's comment syntax.
  std::string stamp(const std::string& linePrefix, const std::vector<std::string>& sourceFiles) const;

 private:
  struct Index;
  const Index& index() const;
  /// Built on first use, under a once flag (generators run on several threads).
  std::shared_ptr<Index> index_;
};

/// How a source file is named in the `Source:` stamp of generated files
/// (README, `meshc build`): a relative name (a
/// path given relative, `<stdlib>/...`, a name given in memory) as it is; an
/// absolute path relative to the deepest of `roots` (absolute directories:
/// a command-line directory, the directory of a command-line file, an
/// --include root) that holds it, as protoc names files relative to their
/// -I; outside every root, its file name alone. Never an absolute path.
std::string stampPath(const std::string& name, const std::vector<std::string>& roots);

/// SHA-256 (hex) of a canonical text of the record's shape: names, types,
/// optionality, constraints, closedness and nested records. The producer's
/// `mesh-schema` header and the manifest's schema hash.
std::string schemaFingerprint(const model::Record& record);
/// The fingerprint of a product's schema: its record's, or for a tagged
/// union the hash of its discriminator and each case's value and record shape.
std::string schemaFingerprint(const model::Product& product);

/// The tagged unions of the input packages, sorted by qualified name: the
/// schema targets (jsonschema, avro) write one schema for each.
std::vector<const model::Union*> inputUnions(const GeneratorContext& context);
/// The records the schema targets write a schema for: those of the input
/// packages, every record their schemas and inputUnions refer to, sorted by
/// qualified name.
std::vector<const model::Record*> recordsWithSchemas(const GeneratorContext& context);

/// How a record's JSON Schema refers to the records its fields use.
enum class RecordRefs {
  Linked,   // `{"$ref": "urn:mesh:<record>"}`: the `$id` of that record's own schema file
  Bundled,  // `{"$ref": "#/$defs/<record>"}`: every reachable record under `$defs`
};

/// The JSON Schema of the record (a file's text without the final newline):
/// Linked is what the jsonschema target writes, one file per record, so its
/// output grows linearly with the contracts; Bundled is one self-contained
/// document, which the manifest embeds for DataHub.
std::string recordJsonSchema(const GeneratorContext& context, const model::Record& record, RecordRefs refs);
/// The JSON Schema of a tagged union: `oneOf` its cases' records, each with
/// its `const` discriminator (the jsonschema target's `<union>.schema.json`).
std::string unionJsonSchema(const GeneratorContext& context, const model::Union& u, RecordRefs refs);
/// The JSON Schema of a product's schema, a record or a tagged union.
std::string productJsonSchema(const GeneratorContext& context, const model::Product& product, RecordRefs refs);

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

}  // namespace mesh::codegen
