// Types: type expressions resolved to interned model types, refinement types,
// record fields and their cycles, constraints and defaults.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "check/CheckerImpl.h"

namespace mesh::check {

using model::TypeKind;

// ---------------------------------------------------------------- types

const model::Type* Checker::resolveType(const ast::TypeExpr& t, const ast::File* file) {
  const model::Type* result = resolveRequiredType(t, file);
  return t.optional ? types().optional(result) : result;
}

const model::Type* Checker::resolveRequiredType(const ast::TypeExpr& t, const ast::File* file) {
  auto& tc = types();
  switch (t.kind) {
    case ast::TypeExpr::Kind::List: {
      const model::Type* element = resolveType(*t.element, file);
      if (element->isError()) return tc.error();
      return tc.list(element);
    }
    case ast::TypeExpr::Kind::Map: {
      const model::Type* key = resolveType(*t.key, file);
      const model::Type* value = resolveType(*t.element, file);
      if (!key->isError() && (tc.underlying(key) != tc.primitive(TypeKind::String))) {
        diags_.report(DiagKind::E0201, t.key->range, fmt::format("map keys must be 'string', not '{}'", key->str()))
            .note("JSON object keys are strings; use list<Entry> with a record for other keys");
        return tc.error();
      }
      if (key->isError() || value->isError()) return tc.error();
      model::Type m;
      m.kind = TypeKind::Map;
      m.key = key;  // its refinement's constraint applies to every key (language.md section 8)
      m.element = value;
      return tc.get(m);
    }
    case ast::TypeExpr::Kind::Decimal: {
      if (t.precision < 1 || t.precision > 38 || t.scale < 0 || t.scale > t.precision) {
        diags_.report(DiagKind::E0202, t.range,
                      fmt::format("decimal({}, {}) is not valid; precision is 1 to 38 and scale 0 to the precision",
                                  t.precision, t.scale));
        return tc.error();
      }
      model::Type d;
      d.kind = TypeKind::Decimal;
      d.precision = t.precision;
      d.scale = t.scale;
      return tc.get(d);
    }
    case ast::TypeExpr::Kind::Named:
      return resolveNamedType(t, file);
    case ast::TypeExpr::Kind::Union:
      return resolveUnionType(t, file);
  }
  return tc.error();
}

const model::Type* Checker::resolveNamedType(const ast::TypeExpr& t, const ast::File* file) {
  auto& tc = types();
  if (t.name.parts.empty()) return tc.error();  // a syntax error already reported
  if (t.name.parts.size() == 1) {
    if (const model::PrimitiveType* p = model::primitiveNamed(t.name.parts[0].name)) {
      if (!p->parameterized) return tc.primitive(p->kind);
      diags_.report(DiagKind::E0202, t.range, "decimal needs a precision and a scale, as in decimal(12, 2)");
      return tc.error();
    }
  }
  Symbol* s = tryLookup(partsOf(t.name), file, kTypeKinds);
  if (!s) {
    reportUnknownType(t, file);
    return tc.error();
  }
  if (s->kind == ast::DeclKind::Enum) {
    model::Type e;
    e.kind = TypeKind::Enum;
    e.enumType = as<model::EnumType>(s);
    return tc.get(e);
  }
  if (s->kind == ast::DeclKind::Record) {
    model::Type r;
    r.kind = TypeKind::Record;
    r.record = as<model::Record>(s);
    return tc.get(r);
  }
  if (s->kind == ast::DeclKind::Union) {
    model::Type u;
    u.kind = TypeKind::Union;
    u.unionType = as<model::Union>(s);
    return tc.get(u);
  }
  const model::Type* base = resolveRefinement(*s);
  if (base->isError()) return tc.error();
  model::Type r = *base;
  r.optional = false;
  r.refinement = as<model::Refinement>(s);
  return tc.get(r);
}

void Checker::reportUnknownType(const ast::TypeExpr& t, const ast::File* file) {
  // Suggest builtin type names too.
  Symbol* other = tryLookup({t.name.str()}, file, kAnyKind);
  if (!other && t.name.parts.size() == 1) {
    std::vector<std::string> builtinNames;
    for (const auto& p : model::kPrimitiveTypes)
      if (!p.parameterized) builtinNames.emplace_back(p.name);
    for (const auto& p : model::kPrimitiveTypes)
      if (p.parameterized) builtinNames.emplace_back(p.name);
    builtinNames.insert(builtinNames.end(), {"list", "map"});
    if (t.name.str() == "null") {
      diags_.report(DiagKind::E0101, t.name.range, "'null' is a type only as an alternative of a union")
          .note("write `T | null` for a required value that may be null, or `T?` for one that may be absent too");
      return;
    }
    if (auto guess = closestMatch(t.name.str(), builtinNames)) {
      diags_.report(DiagKind::E0101, t.name.range, fmt::format("unknown type '{}'", t.name.str()))
          .note(fmt::format("did you mean '{}'?", *guess));
      return;
    }
    if (t.name.str() == "int" || t.name.str() == "float" || t.name.str() == "double" || t.name.str() == "long") {
      diags_.report(DiagKind::E0101, t.name.range, fmt::format("unknown type '{}'", t.name.str()))
          .note(t.name.str() == "int" || t.name.str() == "long" ? "did you mean 'int32' or 'int64'?"
                                                                : "did you mean 'float64'?");
      return;
    }
  }
  lookup(t.name, file, kTypeKinds, "type");
}

const model::Type* Checker::resolveRefinement(Symbol& s) {
  auto* r = as<model::Refinement>(&s);
  int& state = refinementState_[&s];  // in a parallel phase, an existing entry: a read
  if (state == 2) return r->base ? r->base : types().error();
  if (state == 1) {
    diags_.report(DiagKind::E0109, s.decl->name.range,
                  fmt::format("refinement type '{}' is defined in terms of itself", r->name));
    r->base = types().error();
    state = 2;
    return r->base;
  }
  state = 1;
  const auto& decl = std::get<ast::TypeDecl>(s.decl->body);
  const model::Type* base = resolveType(decl.type, s.file);
  if (state == 2) return r->base;  // a cycle was reported while resolving
  if (base->optional && !base->isError()) {
    diags_.report(
        DiagKind::E0207, decl.type.range,
        fmt::format("refinement type '{}' cannot be optional; write '{}?' where it is used", r->name, r->name));
    base = types().required(base);
  }
  r->base = base;
  state = 2;
  return base;
}

void Checker::checkRecordFields(Symbol& s) {
  auto* r = as<model::Record>(&s);
  const auto& decl = std::get<ast::RecordDecl>(s.decl->body);
  forEachNamedOnce(decl.fields, fmt::format("record '{}'", r->name), "field", [&](const ast::FieldDecl& f) {
    auto field = std::make_unique<model::Field>();
    field->name = f.name.name;
    field->doc = f.doc.text;
    field->index = static_cast<int>(r->fields.size());
    field->type = resolveType(f.type, s.file);
    field->owner = r;
    field->range = f.range;
    field->nameRange = f.name.range;
    r->fields.push_back(std::move(field));
  });
  std::set<std::string> checks;
  for (const auto& c : decl.checks) {
    if (!checks.insert(c.name.name).second)
      diags_.report(DiagKind::E0107, c.name.range,
                    fmt::format("record '{}' already has a check '{}'", r->name, c.name.name));
  }
}

void Checker::checkRecordCycles() {
  // A record that contains itself by value (not through list, map or ?) would
  // be infinitely large. Depth-first search with colours over value edges.
  std::map<const model::Record*, int> colour;
  std::vector<const model::Field*> stack;
  std::function<void(const model::Record*)> visit = [&](const model::Record* r) {
    colour[r] = 1;
    for (const auto& f : r->fields) {
      const model::Type* t = f->type;
      if (t->optional || t->kind != TypeKind::Record) continue;
      stack.push_back(f.get());
      int c = colour[t->record];
      if (c == 1) {
        std::string path;
        bool inCycle = false;
        for (const model::Field* sf : stack) {
          if (sf->owner == t->record) inCycle = true;
          if (inCycle) path += fmt::format("{}'{}.{}'", path.empty() ? "" : " -> ", sf->owner->name, sf->name);
        }
        diags_.report(DiagKind::E0106, f->range, fmt::format("record '{}' contains itself by value", t->record->name))
            .note(fmt::format("through {}", path))
            .note("make one of these fields optional ('?') or a list to break the cycle");
      } else if (c == 0) {
        visit(t->record);
      }
      stack.pop_back();
    }
    colour[r] = 2;
  };
  for (const auto& r : build_->records)
    if (colour[r.get()] == 0) visit(r.get());
}
// ---------------------------------------------------------------- constraints and defaults

void Checker::checkConstraints(Symbol& s) {
  {
    if (s.kind == ast::DeclKind::Type) {
      auto* r = as<model::Refinement>(&s);
      const auto& decl = std::get<ast::TypeDecl>(s.decl->body);
      if (decl.constraint && r->base && !r->base->isError()) {
        Scope scope;
        scope.kind = Scope::Kind::Where;
        scope.file = s.file;
        scope.valueType = r->base;
        scope.valueDescription = fmt::format("the value of refinement type '{}'", r->name);
        r->constraint = checkCondition(*decl.constraint, scope, "a where constraint");
        r->constraintText = sourceText(decl.constraint->range);
        r->constraintTextRedacted = redactedSourceText(decl.constraint->range, r->constraint.get());
      }
    } else if (s.kind == ast::DeclKind::Record) {
      auto* r = as<model::Record>(&s);
      const auto& decl = std::get<ast::RecordDecl>(s.decl->body);
      for (const auto& f : decl.fields) {
        model::Field* field = const_cast<model::Field*>(r->field(f.name.name));
        if (!field || field->range.begin != f.range.begin || field->type->isError()) continue;
        if (f.constraint) {
          Scope scope;
          scope.kind = Scope::Kind::Where;
          scope.file = s.file;
          scope.valueType = types().required(field->type);
          scope.valueDescription = fmt::format("the field '{}'", field->name);
          field->constraint = checkCondition(*f.constraint, scope, "a where constraint");
          field->constraintText = sourceText(f.constraint->range);
          field->constraintTextRedacted = redactedSourceText(f.constraint->range, field->constraint.get());
        }
        if (f.defaultValue) {
          if (field->type->kind == TypeKind::Record) {
            diags_.report(DiagKind::E0203, f.defaultValue->range,
                          fmt::format("field '{}' of type '{}' cannot have a default; defaults are for scalars, "
                                      "lists and maps",
                                      field->name, field->type->str()));
          } else {
            field->defaultValue = constant(*f.defaultValue, field->type, s.file, "a default value");
            field->defaultRange = f.defaultValue->range;
          }
        }
      }
      for (const auto& c : decl.checks) {
        if (!c.expr) continue;
        Scope scope;
        scope.kind = Scope::Kind::Check;
        scope.file = s.file;
        scope.record = r;
        model::ExprPtr e = checkCondition(*c.expr, scope, "a check");
        std::string redacted = redactedSourceText(c.expr->range, e.get());
        r->checks.push_back({c.name.name, c.doc.text, std::move(e), sourceText(c.expr->range), c.range, redacted});
      }
    }
  }
}

}  // namespace mesh::check
