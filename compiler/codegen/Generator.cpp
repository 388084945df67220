// Generator: the registry of targets, the generators' context and the
// schema fingerprint the targets share (writing trees: OutputTree.cpp).
#include "codegen/Generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <unordered_map>

#include "support/Digest.h"

namespace mesh::codegen {

void generateCpp(const GeneratorContext&, OutputTree&, DiagnosticEngine&);
void generateJsonSchema(const GeneratorContext&, OutputTree&, DiagnosticEngine&);
void generateManifest(const GeneratorContext&, OutputTree&, DiagnosticEngine&);
void generateDocs(const GeneratorContext&, OutputTree&, DiagnosticEngine&);
void generateAvro(const GeneratorContext&, OutputTree&, DiagnosticEngine&);

const std::vector<Target>& targets() {
  static const std::vector<Target> all = {
      {"cpp", &generateCpp},          {"manifest", &generateManifest}, {"jsonschema", &generateJsonSchema},
      {"docs", &generateDocs, false}, {"avro", &generateAvro, false},
  };
  return all;
}

struct GeneratorContext::Index {
  std::once_flag once;
  std::unordered_map<std::string, PackageIndex> packages;
  std::vector<std::string> inputs;
  std::unordered_map<const model::Product*, std::vector<const model::PolicyOutcome*>> outcomes;
};

GeneratorContext::GeneratorContext(const model::Build& build, const SourceManager& sources, std::string toolVersion,
                                   unsigned jobs, std::vector<std::string> sourceRoots)
    : build(build),
      sources(sources),
      toolVersion(std::move(toolVersion)),
      jobs(jobs),
      sourceRoots(std::move(sourceRoots)),
      index_(std::make_shared<Index>()) {}

std::string stampPath(const std::string& name, const std::vector<std::string>& roots) {
  namespace fs = std::filesystem;
  if (name.empty() || name[0] != '/') return name;
  fs::path path = fs::path(name).lexically_normal();
  std::string best;
  size_t bestDepth = 0;
  for (const auto& root : roots) {
    fs::path base = fs::path(root).lexically_normal();
    if (!base.is_absolute()) continue;
    if (!base.has_filename()) base = base.parent_path();  // `dir/` is `dir`
    fs::path relative = path.lexically_relative(base);
    if (relative.empty() || *relative.begin() == "..") continue;
    size_t depth = std::distance(base.begin(), base.end());
    if (best.empty() || depth > bestDepth) {
      best = relative.string();
      bestDepth = depth;
    }
  }
  return best.empty() ? path.filename().string() : best;
}

const GeneratorContext::Index& GeneratorContext::index() const {
  std::call_once(index_->once, [&] {
    auto& packages = index_->packages;
    for (const auto& p : build.packages) {
      PackageIndex& entry = packages[p.name];
      entry.input = entry.input || p.input;
      for (uint32_t f : p.files) entry.sources.push_back(stampPath(sources.name(f), sourceRoots));
    }
    for (auto& [name, entry] : packages) {
      std::sort(entry.sources.begin(), entry.sources.end());
      entry.sources.erase(std::unique(entry.sources.begin(), entry.sources.end()), entry.sources.end());
      if (entry.input) index_->inputs.push_back(name);
    }
    std::sort(index_->inputs.begin(), index_->inputs.end());
    for (const auto& r : build.records) packages[r->package].records.push_back(r.get());
    for (const auto& e : build.enums) packages[e->package].enums.push_back(e.get());
    for (const auto& u : build.unions) packages[u->package].unions.push_back(u.get());
    for (const auto& p : build.products)
      if (p->schema || p->schemaUnion) packages[p->package].products.push_back(p.get());
    for (const auto& o : build.policyOutcomes)
      if (o.product) index_->outcomes[o.product].push_back(&o);
  });
  return *index_;
}

const PackageIndex& GeneratorContext::package(const std::string& name) const {
  static const PackageIndex none;
  const auto& packages = index().packages;
  auto found = packages.find(name);
  return found == packages.end() ? none : found->second;
}

const std::vector<std::string>& GeneratorContext::inputPackages() const { return index().inputs; }

const std::vector<const model::PolicyOutcome*>& GeneratorContext::policyOutcomesOf(
    const model::Product& product) const {
  static const std::vector<const model::PolicyOutcome*> none;
  const auto& outcomes = index().outcomes;
  auto found = outcomes.find(&product);
  return found == outcomes.end() ? none : found->second;
}

std::vector<std::string> GeneratorContext::sourcesOf(const std::string& package) const {
  return this->package(package).sources;
}

std::vector<std::string> GeneratorContext::inputSources() const {
  std::vector<std::string> out;
  for (const auto& name : inputPackages()) {
    const auto& files = package(name).sources;
    out.insert(out.end(), files.begin(), files.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string GeneratorContext::stamp(const std::string& prefix, const std::vector<std::string>& files) const {
  std::string out = fmt::format("{}Generated by meshc {}. DO NOT EDIT.\n", prefix, toolVersion);
  if (files.empty()) return out;
  out += fmt::format("{}Source:", prefix);
  // Paths are user text: no line break may end the comment early.
  for (const auto& f : files) {
    std::string clean = f;
    for (char& c : clean)
      if (c == '\n' || c == '\r') c = ' ';
    out += " " + clean;
  }
  out += "\n";
  return out;
}

namespace {
// A canonical text of a record's shape (names, types, optionality,
// constraints, closedness, nested records). Its hash is shared by the cpp
// target (the `mesh-schema` header) and the manifest target (DataHub's schema
// hash), so the two always agree.
void describeRecord(const model::Record& r, std::string& out, std::set<const model::Record*>& seen) {
  if (!seen.insert(&r).second) {
    out += "ref " + r.qualifiedName + ";";
    return;
  }
  out += "record " + r.qualifiedName + (r.closed ? " closed" : "") + " {";
  for (const auto& f : r.fields) {
    out += f->name + (f->wire ? " wire " + nlohmann::json(*f->wire).dump() : "") + ":" + f->type->str() +
           (f->constraintText.empty() ? "" : " where " + f->constraintText) + ";";
    const model::Type* t = f->type;
    while (t->kind == model::TypeKind::List || t->kind == model::TypeKind::Map) t = t->element;
    if (t->kind == model::TypeKind::Record) describeRecord(*t->record, out, seen);
    if (t->refinement && t->refinement->constraint)
      out += "refinement " + t->refinement->qualifiedName + " " + t->refinement->constraintText + ";";
  }
  for (const auto& c : r.checks) out += "check " + c.name + ":" + c.text + ";";
  out += "}";
}

}  // namespace

std::vector<const model::Union*> inputUnions(const GeneratorContext& ctx) {
  std::vector<const model::Union*> out;
  for (const auto& u : ctx.build.unions)
    if (std::binary_search(ctx.inputPackages().begin(), ctx.inputPackages().end(), u->package)) out.push_back(u.get());
  return out;
}

std::vector<const model::Record*> recordsWithSchemas(const GeneratorContext& ctx) {
  std::set<const model::Record*> seen;
  std::vector<const model::Record*> work;
  auto add = [&](const model::Record* r) {
    if (seen.insert(r).second) work.push_back(r);
  };
  for (const auto& name : ctx.inputPackages())
    for (const model::Record* r : ctx.package(name).records) add(r);
  std::function<void(const model::Type*)> use = [&](const model::Type* t) {
    if (t->kind == model::TypeKind::Record) add(t->record);
    if (t->element) use(t->element);
    if (t->unionType)
      for (const model::Type* a : t->unionType->alternatives) use(a);
  };
  for (const model::Union* u : inputUnions(ctx))
    for (const model::Type* a : u->alternatives) use(a);
  while (!work.empty()) {
    const model::Record* r = work.back();
    work.pop_back();
    for (const auto& f : r->fields) use(f->type);
  }
  std::vector<const model::Record*> out(seen.begin(), seen.end());
  std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->qualifiedName < b->qualifiedName; });
  return out;
}

std::string schemaFingerprint(const model::Record& r) {
  std::string text;
  std::set<const model::Record*> seen;
  describeRecord(r, text, seen);
  return sha256Hex(text);
}

std::string schemaFingerprint(const model::Product& product) {
  if (!product.schemaUnion) return schemaFingerprint(*product.schema);
  const model::Union& u = *product.schemaUnion;
  std::string text = "union " + u.qualifiedName + " by " + u.discriminator + " {";
  std::set<const model::Record*> seen;
  for (const model::UnionCase& c : u.cases) {
    text += nlohmann::json(c.value).dump() + "=>";
    describeRecord(*c.record, text, seen);
  }
  return sha256Hex(text + "}");
}

}  // namespace mesh::codegen
