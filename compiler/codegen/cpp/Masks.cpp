// Masks: per product and role, a function that returns the copy of a message
// a reader in that role may see (the product's `mask` rules applied).
#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

// The masking of the last field of a path, `v` its present value.
void printMaskStep(Printer& p, const model::Mask& mask, const std::string& v, const std::string& target) {
  switch (mask.method) {
    case model::MaskMethod::Hash:
      p.print("$v$ = ::meshrt::maskHash($v$);\n", {{"v", v}});
      break;
    case model::MaskMethod::Redact:
      p.print("$v$ = ::meshrt::maskRedact($v$);\n", {{"v", v}});
      break;
    case model::MaskMethod::Last:
      p.print("$v$ = ::meshrt::maskLast($v$, $keep$);\n", {{"v", v}, {"keep", std::to_string(mask.keep)}});
      break;
    case model::MaskMethod::Null:
      p.print("$target$.reset();\n", {{"target", target}});
      break;
  }
}

// Applies a mask along a field path (`items[].sku`) to a copy; `loops` is
// the number of loops around (their variables are numbered from the second).
void printMaskPath(Printer& p, const std::vector<const model::Field*>& path, size_t i, const std::string& var,
                   const model::Mask& mask, int loops) {
  const model::Field* f = path[i];
  std::string target = var + "." + ident(f->name);
  std::string v = target;
  bool last = i + 1 == path.size();
  bool present = f->optional() && !(last && mask.method == model::MaskMethod::Null);
  if (present) {
    p.print("if ($target$.has_value()) {\n", {{"target", target}});
    p.indent();
    v = "(*" + target + ")";
  }
  const model::Type* t = f->type;
  if (last) {
    printMaskStep(p, mask, v, target);
  } else if (t->kind == TypeKind::List || t->kind == TypeKind::Map) {
    std::string item = (t->kind == TypeKind::Map ? "entry" : "item") + (loops ? std::to_string(loops + 1) : "");
    std::string element = t->kind == TypeKind::Map ? item + ".second" : item;
    p.print("for (auto& $item$ : $v$) {\n", {{"item", item}, {"v", v}});
    p.indent();
    if (t->element->optional) {
      p.print("if ($element$.has_value()) {\n", {{"element", element}});
      {
        Printer::Indent inner(p);
        printMaskPath(p, path, i + 1, "(*" + element + ")", mask, loops + 1);
      }
      p.print("}\n");
    } else {
      printMaskPath(p, path, i + 1, element, mask, loops + 1);
    }
    p.outdent();
    p.print("}\n");
  } else {
    printMaskPath(p, path, i + 1, v, mask, loops);
  }
  if (present) {
    p.outdent();
    p.print("}\n");
  }
}

}  // namespace

std::vector<MaskFunction> maskFunctions(const GeneratorContext& ctx, const std::string& package) {
  std::vector<MaskFunction> out;
  for (const model::Product* p : productsOf(ctx, package)) {
    std::map<std::string, MaskFunction> byRole;
    for (const auto& m : p->masks)
      for (const model::Role* r : m.roles) {
        auto& fn = byRole[r->name];
        const ScopedNames* names = scopedNames();
        fn.name = names ? names->masks.at({p, r->name}) : ident("mask_" + p->name + "_for_" + r->name);
        fn.product = p->qualifiedName;
        fn.role = r->name;
        fn.record = p->schema;
        fn.masks.push_back(&m);
      }
    for (auto& [role, fn] : byRole) out.push_back(std::move(fn));
  }
  return out;
}

std::string maskDefinition(const MaskFunction& fn) {
  std::string type = qualifiedType(*fn.record);
  Printer p;
  p.print("$type$ $name$(const $type$& value) {\n  $type$ copy = value;\n", {{"type", type}, {"name", fn.name}});
  {
    Printer::Indent in(p);
    for (const model::Mask* m : fn.masks) printMaskPath(p, m->field.fields, 0, "copy", *m, 0);
  }
  p.print("  return copy;\n}\n\n");
  return p.take();
}

}  // namespace mesh::codegen::cpp
