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
      products(productsOf(ctx, package)),
      masks(maskFunctions(ctx, package)),
      cycles(cycles) {
  std::function<void(const model::Type*)> use = [&](const model::Type* t) {
    if (t->kind == TypeKind::Record && t->record->package != package) usedPackages.insert(t->record->package);
    if (t->kind == TypeKind::Enum && t->enumType->package != package) usedPackages.insert(t->enumType->package);
    if (t->element) use(t->element);
  };
  for (const model::Record* r : ctx.package(package).records)
    for (const auto& f : r->fields) use(f->type);
  // A product's schema may be another package's record.
  for (const model::Product* p : products)
    if (p->schema->package != package) usedPackages.insert(p->schema->package);
}

}  // namespace cpp

namespace {

bool holdsUnion(const model::Type* t) {
  return t->kind == model::TypeKind::Union || (t->element && holdsUnion(t->element));
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
  // Unions (language.md section 8) have no C++ form yet: refuse them rather
  // than write code that drops them.
  bool unions = false;
  for (const model::Record* r : allRecords)
    for (const auto& f : r->fields)
      if (holdsUnion(f->type)) {
        diags
            .report(DiagKind::E0218, f->nameRange,
                    fmt::format("the cpp target cannot generate the union field '{}' of '{}' yet", f->name,
                                r->qualifiedName))
            .note("`meshc validate`, the jsonschema and manifest targets take unions; build them with --target");
        unions = true;
      }
  if (unions) return;
  const RecordCycles cycles(allRecords);
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
