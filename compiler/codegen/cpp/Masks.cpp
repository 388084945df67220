// Masks: per product and role, a function that returns the copy of a message
// a reader in that role may see (the product's `mask` rules applied).
#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

// The masking of the last field of a path, `v` its present value.
void printMaskStep(Printer& p, const model::Mask& mask, const model::Field& f, const std::string& v,
                   const std::string& target) {
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
      // A union's null alternative, or an absent optional (json's reset() makes it JSON null).
      if (f.type->kind == TypeKind::Union && !f.optional())
        p.print("$target$ = std::monostate{};\n", {{"target", target}});
      else
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
    printMaskStep(p, mask, *f, v, target);
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
        fn.of = p;
        fn.masks.push_back(&m);
      }
    for (auto& [role, fn] : byRole) out.push_back(std::move(fn));
  }
  return out;
}

std::string maskDefinition(const MaskFunction& fn) {
  std::string type = schemaType(*fn.of);
  Printer p;
  p.print("$type$ $name$(const $type$& value) {\n  $type$ copy = value;\n", {{"type", type}, {"name", fn.name}});
  {
    Printer::Indent in(p);
    // A union schema's masks apply to each case that has their field.
    p.printBlock(forEachSchemaRecord(*fn.of, "copy", true, [&](const std::string& v, const model::Record& r) {
      Printer masks;
      for (const model::Mask* m : fn.masks)
        if (auto fields = fieldsIn(r, m->field); !fields.empty()) printMaskPath(masks, fields, 0, v, *m, 0);
      return masks.take();
    }));
  }
  p.print("  return copy;\n}\n\n");
  return p.take();
}

}  // namespace mesh::codegen::cpp
