// CppGen: the `cpp` target. Per package a header and a source with the
// structs, enums, one-pass parse-and-validate from JSON text
// (meshrt::JsonDocument over simdjson On-Demand), in-memory validation,
// serialization and masked copies; one CMakeLists.txt building the library
// and `mesh-validate` (and `mesh-gate` when there are products). What each
// file writes is in CppGen.h.
#include "codegen/cpp/CppGen.h"

#include <fmt/format.h>

#include <functional>
#include <mutex>
#include <set>

#include "codegen/Generator.h"
#include "meshrt/formats.h"
#include "meshrt/regex.h"
#include "meshrt/report.h"

namespace mesh::codegen {
namespace cpp {

std::string code(Template tmpl, std::initializer_list<Printer::Var> vars) {
  Printer p;
  p.print(tmpl, vars);
  return p.take();
}

PackagePlan::PackagePlan(const GeneratorContext& ctx, const std::string& package, const RecordCycles& cycles)
    : ctx(ctx),
      package(package),
      ns(cppNamespace(package)),
      records(definitionOrder(ctx.package(package).records)),
      enums(ctx.package(package).enums),
      unions(ctx.package(package).unions),
      products(productsOf(ctx, package)),
      masks(maskFunctions(ctx, package)),
      cycles(cycles) {
  auto usePackage = [&](const std::string& of) {
    if (of != package) usedPackages.insert(of);
  };
  std::function<void(const model::Type*)> use = [&](const model::Type* t) {
    if (t->kind == TypeKind::Record) usePackage(t->record->package);
    if (t->kind == TypeKind::Enum) usePackage(t->enumType->package);
    if (t->kind == TypeKind::Union && t->unionType->tagged()) usePackage(t->unionType->package);
    forEachPart(t, use);
  };
  for (const model::Record* r : ctx.package(package).records)
    for (const auto& f : r->fields) use(f->type);
  for (const model::Union* u : unions)
    for (const auto& c : u->cases) usePackage(c.record->package);
  for (const auto& u : ctx.build.unions)
    for (const auto& c : u->cases)
      if (c.record->package == package) caseRecords.insert(c.record);
  // A product's schema may be another package's record.
  for (const model::Product* p : products) usePackage(schemaDecl(*p)->package);
}

}  // namespace cpp

namespace {

// A record that a union of one of its fields holds again (`next: Node |
// null` in Node): std::variant needs the complete type, and a union has no
// boxed form yet. Reported with E0218; returns whether there was one.
bool refuseRecursiveUnions(const std::vector<const model::Record*>& records, const cpp::RecordCycles& cycles,
                           DiagnosticEngine& diags) {
  bool refused = false;
  for (const model::Record* r : records)
    for (const auto& f : r->fields) {
      std::function<bool(const model::Type*)> loops = [&](const model::Type* t) {
        bool found = false;
        if (t->kind == model::TypeKind::Union)
          cpp::forEachHeldRecord(t, [&](const model::Record* h) { found = found || cycles.together(h, r); });
        cpp::forEachPart(t, [&](const model::Type* part) { found = found || loops(part); });
        return found;
      };
      if (!loops(f->type)) continue;
      diags
          .report(DiagKind::E0218, f->nameRange,
                  fmt::format("the cpp target cannot generate the union field '{}' of '{}': an alternative holds "
                              "'{}' again",
                              f->name, r->qualifiedName, r->name))
          .note("a std::variant needs its alternatives complete; make the field an optional record instead");
      refused = true;
    }
  return refused;
}

// A `format avro` product: its producer, consumer and gate would carry
// JSON onto an Avro topic, so nothing is generated for the build until the
// cpp target writes Avro (docs/avro.md, "Still to come"). Reported with
// E0220; returns whether there was one.
bool refuseAvroProducts(const GeneratorContext& ctx, const std::vector<std::string>& packages,
                        DiagnosticEngine& diags) {
  bool refused = false;
  for (const auto& package : packages)
    for (const model::Product* p : cpp::productsOf(ctx, package))
      if (p->topic.format == "avro") {
        diags
            .report(DiagKind::E0220, p->settingRanges.format,
                    fmt::format("the cpp target cannot generate product '{}' yet: it writes JSON clients, and the "
                                "product is carried as Avro",
                                p->name))
            .note("build the other targets (--target avro writes its schema); docs/avro.md says what is to come");
        refused = true;
      }
  return refused;
}

}  // namespace

void generateCpp(const GeneratorContext& ctx, OutputTree& out, DiagnosticEngine& diags) {
  using namespace cpp;
  static std::mutex generating;
  std::lock_guard<std::mutex> lock(generating);
  const ScopedNames names = computeScopedNames(ctx.build);
  scopedNames() = &names;
  struct Reset {
    ~Reset() { scopedNames() = nullptr; }
  } reset;
  std::vector<std::string> packages = packagesToGenerate(ctx);
  bool products = false;
  std::vector<const model::Record*> allRecords;
  for (const auto& p : packages) {
    products |= !productsOf(ctx, p).empty();
    const auto& of = ctx.package(p).records;
    allRecords.insert(allRecords.end(), of.begin(), of.end());
  }
  const RecordCycles cycles(allRecords);
  if (refuseRecursiveUnions(allRecords, cycles, diags) | refuseAvroProducts(ctx, packages, diags)) return;
  // One task per package (its header and source) and one per build-wide
  // file (mesh_validate.cpp with CMakeLists.txt, mesh_gate.cpp), first the
  // build-wide ones, the largest: each reads the model and writes only its
  // own strings.
  parallelFor(packages.size() + 2, ctx.jobs, [&](size_t task) {
    if (task == 0) {
      out.add("cpp/CMakeLists.txt", cmakeLists(ctx, packages));
      out.add("cpp/mesh_validate.cpp", wrapLongLines(validateMain(ctx, packages)));
      return;
    }
    if (task == 1) {
      if (products) out.add("cpp/mesh_gate.cpp", wrapLongLines(gateMain(ctx, packages)));
      return;
    }
    const std::string& package = packages[task - 2];
    const PackagePlan plan(ctx, package, cycles);
    std::string h = headerPath(package);
    out.add("cpp/" + h, wrapLongLines(packageHeader(plan)));
    out.add("cpp/" + h.substr(0, h.size() - 2) + ".cpp", wrapLongLines(packageSource(plan)));
  });
}

}  // namespace mesh::codegen
