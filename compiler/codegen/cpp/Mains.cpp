// The generated mains: mesh_validate.cpp and mesh_gate.cpp, each a table of
// the generated validators handed to the runtime's main (meshrt::validateMain,
// meshrt::gateMain); the gate's also has the masks and stream checks.
#include <fmt/format.h>

#include <algorithm>

#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

/// The namespace part of a qualified type (`::a::b::T` -> `::a::b`).
std::string namespaceOf(const std::string& type) { return type.substr(0, type.rfind("::")); }

bool generates(const std::set<std::string>& generated, const model::Product& p) {
  const model::DeclBase* schema = schemaDecl(p);
  return schema && generated.count(schema->package) && generated.count(p.package);
}

/// What can be validated, by name, with its C++ type: the products, records
/// and tagged unions of the generated packages, sorted.
using Targets = std::vector<std::pair<std::string, std::string>>;
Targets targetsOf(const GeneratorContext& ctx, const std::set<std::string>& generated) {
  Targets targets;
  for (const auto& p : ctx.build.products)
    if (generates(generated, *p)) targets.push_back({p->qualifiedName, schemaType(*p)});
  for (const auto& r : ctx.build.records)
    if (generated.count(r->package)) targets.push_back({r->qualifiedName, qualifiedType(*r)});
  for (const auto& u : ctx.build.unions)
    if (generated.count(u->package)) targets.push_back({u->qualifiedName, qualifiedType(*u)});
  std::sort(targets.begin(), targets.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return targets;
}

void printTargets(Printer& p, const Targets& targets) {
  for (size_t i = 0; i < targets.size(); ++i) {
    const std::string& type = targets[i].second;
    p.print(
        "bool target$i$(std::string_view json, std::vector<::meshrt::Violation>& v, int64_t now) {\n"
        "  static thread_local $type$ value;  // reused: its strings and lists keep their capacity\n"
        "  return $ns$::parse(json, value, v, now);\n"
        "}\n",
        {{"i", std::to_string(i)}, {"type", type}, {"ns", namespaceOf(type)}});
  }
}

void printTargetTable(Printer& p, const Targets& targets) {
  p.print("const ::meshrt::ValidateTarget kTargets[] = {\n");
  for (size_t i = 0; i < targets.size(); ++i)
    p.print("    {$name$, &target$i$},\n", {{"name", cppString(targets[i].first)}, {"i", std::to_string(i)}});
  p.print("};\n");
}

// The gate's --mask-for: parse and validate, then serialize the role's copy.
// Returns how many masks there are.
size_t printMasks(Printer& p, const GeneratorContext& ctx, const std::vector<std::string>& packages) {
  std::vector<std::pair<std::string, std::string>> masks;  // product, role
  for (const auto& package : packages)
    for (const MaskFunction& fn : maskFunctions(ctx, package)) {
      std::string type = schemaType(*fn.of), ns = namespaceOf(type);
      p.print(
          "bool mask$m$(std::string_view json, std::string& out, std::vector<::meshrt::Violation>& v, int64_t now) {\n"
          "  static thread_local $type$ value;\n"
          "  if (!$ns$::parse(json, value, v, now)) return false;\n"
          "  out = $ns$::to_json(::$package$::$fn$(value));\n"
          "  return true;\n"
          "}\n",
          {{"m", std::to_string(masks.size())},
           {"type", type},
           {"ns", ns},
           {"package", cppNamespace(package)},
           {"fn", fn.name}});
      masks.push_back({fn.product, fn.role});
    }
  if (masks.empty()) return 0;
  p.print("const ::meshrt::MaskTarget kMasks[] = {\n");
  for (size_t m = 0; m < masks.size(); ++m)
    p.print("    {$product$, $role$, &mask$m$},\n",
            {{"product", cppString(masks[m].first)}, {"role", cppString(masks[m].second)}, {"m", std::to_string(m)}});
  p.print("};\n");
  return masks.size();
}

// The fields of a product's unique and null_rate rules, handed over from the
// parsed value (ProductRules::validateFields): no second parse. Returns the
// function's name, or nothing when the product has no such rule.
// The hand-over of the rules' fields from `v`, a value of `record`.
std::string handOverFields(const model::Product& product, const std::string& v, const model::Record& record) {
  Printer handOver;
  for (size_t i = 0; i < product.quality.size(); ++i) {
    const model::QualityRule& q = product.quality[i];
    if (!q.field || (q.kind != model::QualityRule::Kind::Unique && q.kind != model::QualityRule::Kind::NullRate))
      continue;
    std::vector<const model::Field*> fields = fieldsIn(record, *q.field);
    if (fields.empty()) {  // a union schema's case without the field: not counted
      handOver.print("f.skip($i$);\n", {{"i", std::to_string(i)}});
      continue;
    }
    std::string expr = v, present;
    for (const model::Field* f : fields) {
      expr += "." + ident(f->name);
      if (f->optional()) {
        present += (present.empty() ? "" : " && ") + expr + ".has_value()";
        expr = "(*" + expr + ")";
      }
    }
    // JSON null in a required json field, or a union's null alternative, is null.
    const model::Type* last = fields.back()->type;
    if (last->takesNull())
      present += (present.empty() ? "!" : " && !") +
                 (last->holdsNull() ? expr + ".isNull()" : "std::holds_alternative<std::monostate>(" + expr + ")");
    std::string hash =
        q.kind == model::QualityRule::Kind::Unique ? code("::meshrt::streamHash($e$)", {{"e", expr}}) : "0";
    if (present.empty())
      handOver.print("f.set($i$, $hash$);\n", {{"i", std::to_string(i)}, {"hash", hash}});
    else
      handOver.print("if ($present$) f.set($i$, $hash$);\n",
                     {{"present", present}, {"i", std::to_string(i)}, {"hash", hash}});
  }
  return handOver.take();
}

std::string printStreamFields(Printer& p, const model::Product& product, size_t k) {
  Printer handOver;
  {
    Printer::Indent in(handOver);
    handOver.printBlock(forEachSchemaRecord(product, "value", false, [&](const std::string& v, const model::Record& r) {
      return handOverFields(product, v, r);
    }));
  }
  if (handOver.empty()) return {};
  std::string type = schemaType(product);
  std::string name = "fields" + std::to_string(k);
  p.print(
      "bool $name$(std::string_view json, std::vector<::meshrt::Violation>& v, int64_t now, ::meshrt::StreamFields& f) "
      "{\n"
      "  static thread_local $type$ value;\n"
      "  f.reset($n$);\n"
      "  if (!$ns$::parse(json, value, v, now)) return false;\n"
      "$handOver$"
      "  return true;\n"
      "}\n",
      {{"name", name},
       {"type", type},
       {"n", std::to_string(product.quality.size())},
       {"ns", namespaceOf(type)},
       {"handOver", handOver.str()}});
  return name;
}

// A product's quality rules as a table; returns its name.
std::string printRuleTable(Printer& p, const model::Product& product, size_t k) {
  static const char* kinds[] = {"Unique", "NullRate", "Volume", "ValidRate"};
  static const char* ops[] = {"Lt", "Le", "Gt", "Ge", "Eq", "Ne"};
  std::string table = "kRules" + std::to_string(k);
  p.print("const QualityRule $table$[] = {\n", {{"table", table}});
  for (const auto& q : product.quality) {
    std::string pointer;
    if (q.field)
      for (const model::Field* f : q.field->fields) pointer += "/" + f->name;
    p.print("    {QualityRule::Kind::$kind$, QualityRule::Op::$op$, $pointer$, $threshold$, $window$, $text$},\n",
            {{"kind", kinds[static_cast<int>(q.kind)]},
             {"op", ops[static_cast<int>(q.op)]},
             {"pointer", cppString(pointer)},
             {"threshold", doubleLiteral(q.threshold)},
             {"window", int64Literal(q.windowMicros)},
             {"text", cppString(q.text)}});
  }
  p.print("};\n");
  return table;
}

// The gate's stream checks: each product's quality rules and freshness.
// Returns how many products have them.
size_t printStreamChecks(Printer& p, const GeneratorContext& ctx, const std::set<std::string>& generated) {
  std::vector<const model::Product*> ordered;
  for (const auto& product : ctx.build.products)
    if (generates(generated, *product) && (!product->quality.empty() || product->sla.freshnessMicros))
      ordered.push_back(product.get());
  std::sort(ordered.begin(), ordered.end(),
            [](const model::Product* a, const model::Product* b) { return a->qualifiedName < b->qualifiedName; });
  Printer entries;
  p.print("using QualityRule = ::meshrt::QualityRuleSpec;\n");
  for (size_t k = 0; k < ordered.size(); ++k) {
    const model::Product& product = *ordered[k];
    std::string fieldsFn = printStreamFields(p, product, k);
    std::string table = product.quality.empty() ? "nullptr" : printRuleTable(p, product, k);
    entries.print("    {$name$, $freshness$, $table$, $count$$fields$},\n",
                  {{"name", cppString(product.qualifiedName)},
                   {"freshness", int64Literal(product.sla.freshnessMicros.value_or(0))},
                   {"table", table},
                   {"count", product.quality.empty() ? "0" : "std::size(" + table + ")"},
                   {"fields", fieldsFn.empty() ? "" : ", &" + fieldsFn}});
  }
  if (!ordered.empty())
    p.print("const ::meshrt::ProductRules kProducts[] = {\n$entries$};\n", {{"entries", entries.str()}});
  return ordered.size();
}

/// A main over the table of generated validators: mesh-validate and
/// mesh-gate differ only in what they do with it.
std::string targetsMain(const GeneratorContext& ctx, const std::vector<std::string>& packages, bool gate) {
  Printer p;
  p.printBlock(ctx.stamp("// ", {}));
  if (gate)
    p.print("// mesh-gate: holds a topic to a product's contract (meshrt::gateMain).\n");
  else
    p.print(
        "// mesh-validate --product NAME [FILE|-]: validates JSON Lines with the generated\n"
        "// code and prints what `meshc validate` prints, byte for byte.\n");
  for (const auto& package : packages) p.print("#include \"$path$\"\n", {{"path", headerPath(package)}});
  if (gate) p.print("#include \"meshrt/stream_fields.h\"\n");
  p.print("\n#include <iterator>\n\nnamespace {\n");
  std::string entry = gate ? "gateMain" : "validateMain";
  std::set<std::string> generated(packages.begin(), packages.end());
  auto targets = targetsOf(ctx, generated);
  printTargets(p, targets);
  if (targets.empty()) {
    p.print(
        "}  // namespace\n\nint main(int argc, char** argv) { return ::meshrt::$entry$(argc, argv, nullptr, 0); }\n",
        {{"entry", entry}});
    return p.take();
  }
  printTargetTable(p, targets);
  size_t masks = gate ? printMasks(p, ctx, packages) : 0;
  size_t products = gate ? printStreamChecks(p, ctx, generated) : 0;
  std::string args = "argc, argv, kTargets, std::size(kTargets)";
  if (masks || products) args += masks ? ", kMasks, std::size(kMasks)" : ", nullptr, 0";
  if (products) args += ", kProducts, std::size(kProducts)";
  p.print("}  // namespace\n\nint main(int argc, char** argv) {\n  return ::meshrt::$entry$($args$);\n}\n",
          {{"entry", entry}, {"args", args}});
  return p.take();
}

}  // namespace

std::string validateMain(const GeneratorContext& ctx, const std::vector<std::string>& packages) {
  return targetsMain(ctx, packages, false);
}

std::string gateMain(const GeneratorContext& ctx, const std::vector<std::string>& packages) {
  return targetsMain(ctx, packages, true);
}

}  // namespace mesh::codegen::cpp
