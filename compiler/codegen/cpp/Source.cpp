// A package's source: the enums' names, the records' readers, validators
// and writers (in mesh_detail), the parse/validate/to_json API, the
// products' publish() and poll(), the mask functions and the regexes.
#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

void printEnumNames(Printer& p, const model::EnumType& e) {
  std::string type = qualifiedType(e);
  p.print("const char* to_string($E$ value) {\n  switch (value) {\n", {{"E", type}});
  for (const auto& m : e.members)
    p.print("    case $E$::$member$: return $name$;\n",
            {{"E", type}, {"member", ident(m.name)}, {"name", cppString(m.name)}});
  p.print("  }\n  return \"\";\n}\n\nbool from_string(std::string_view name, $E$& out) {\n", {{"E", type}});
  std::vector<std::pair<std::string, std::string>> cases;
  for (const auto& m : e.members)
    cases.push_back({m.name, code("out = $E$::$member$; return true;", {{"E", type}, {"member", ident(m.name)}})});
  {
    Printer::Indent in(p);
    p.printBlock(matchByLength("name", cases));
  }
  p.print("  return false;\n}\n\n");
}

// The record's API: the runtime's templates (meshrt/record.h) with its
// reader, validator and writer.
void printApi(Printer& p, const std::string& type) {
  p.print(
      "bool parse(std::string_view json, $T$& out, std::vector<::meshrt::Violation>& violations,\n"
      "           int64_t now_micros) {\n"
      "  return ::meshrt::parseRecord<$T$, mesh_detail::read>(json, out, violations, now_micros);\n"
      "}\n"
      "\n"
      "bool validate(const $T$& value, std::vector<::meshrt::Violation>& violations,\n"
      "              int64_t now_micros) {\n"
      "  return ::meshrt::validateStruct<$T$, mesh_detail::validateRecord>(value, violations, now_micros);\n"
      "}\n"
      "\n"
      "std::string to_json(const $T$& value) {\n"
      "  return ::meshrt::recordJson<$T$, mesh_detail::write>(value);\n"
      "}\n"
      "\n"
      "bool sameRecord(const $T$& a, const $T$& b) {\n"
      "  return ",
      {{"T", type}});
}

void printRecordApi(Printer& p, const model::Record& r) {
  printApi(p, qualifiedType(r));
  p.print("true");
  for (const auto& f : r.fields) p.print("\n      && ::meshrt::ex::same(a.$f$, b.$f$)", {{"f", ident(f->name)}});
  p.print(";\n}\n\n");
}

void printUnionApi(Printer& p, const model::Union& u) {
  printApi(p, qualifiedType(u));
  p.print(
      "::meshrt::ex::same(static_cast<const $T$::Alternatives&>(a), static_cast<const $T$::Alternatives&>(b));\n}\n\n",
      {{"T", qualifiedType(u)}});
}

}  // namespace

std::string packageSource(const PackagePlan& plan) {
  FunctionGen functions;
  Printer detail;  // the bodies of mesh_detail
  for (const model::EnumType* e : plan.enums) detail.printBlock(functions.enumWriter(*e));
  for (const model::Record* r : plan.records) {
    detail.printBlock(functions.recordValidator(*r));
    detail.printBlock(functions.recordReader(*r, plan.caseRecords.count(r) > 0));
    detail.printBlock(functions.recordWriter(*r));
  }
  for (const model::Union* u : plan.unions) detail.printBlock(functions.unionFunctions(*u));
  Printer p;
  p.printBlock(plan.ctx.stamp("// ", plan.ctx.sourcesOf(plan.package)));
  p.print(
      "#include \"$header$\"\n"
      "\n"
      "#include <algorithm>\n"
      "#include <cstring>\n"
      "\n"
      "#include \"meshrt/record.h\"\n"
      "\n"
      "namespace $ns$ {\n"
      "\n"
      "namespace {\n"
      "// Shared by every message; compiled on first use.\n",
      {{"header", headerPath(plan.package)}, {"ns", plan.ns}});
  p.printBlock(functions.regexDefinitions());
  p.print("}  // namespace\n\nnamespace mesh_detail {\n\n");
  p.printBlock(detail.str());
  p.print("}  // namespace mesh_detail\n\n");
  for (const model::EnumType* e : plan.enums) printEnumNames(p, *e);
  for (const model::Record* r : plan.records) printRecordApi(p, *r);
  for (const model::Union* u : plan.unions) printUnionApi(p, *u);
  for (const model::Product* product : plan.products) p.printBlock(clientDefinitions(*product));
  for (const auto& fn : plan.masks) p.printBlock(maskDefinition(fn));
  p.print("}  // namespace $ns$\n", {{"ns", plan.ns}});
  return p.take();
}

}  // namespace mesh::codegen::cpp
