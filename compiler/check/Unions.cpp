// Unions (language.md section 8): `A | B | null` in a type, and tagged
// unions of records declared with `union NAME by FIELD { "v" => R; }`.
#include <fmt/format.h>

#include "check/CheckerImpl.h"

namespace mesh::check {

using model::TypeKind;

namespace {

bool isNullName(const ast::TypeExpr& t) {
  return t.kind == ast::TypeExpr::Kind::Named && t.name.parts.size() == 1 && t.name.parts[0].name == "null";
}

}  // namespace

// Each alternative takes JSON kinds of its own (E0214): the reader picks the
// alternative by the kind of the value it meets.
const model::Type* Checker::resolveUnionType(const ast::TypeExpr& t, const ast::File* file) {
  auto& tc = types();
  std::vector<const model::Type*> alternatives;
  std::vector<SourceRange> ranges;
  unsigned taken = 0;
  bool failed = false;
  for (const auto& a : t.alternatives) {
    const model::Type* alt = isNullName(a) ? tc.primitive(TypeKind::Null) : resolveType(a, file);
    if (alt->isError()) {
      failed = true;
      continue;
    }
    unsigned kinds = model::jsonKinds(alt);
    if (unsigned shared = kinds & taken) {
      size_t other = 0;
      while (other < alternatives.size() && !(model::jsonKinds(alternatives[other]) & shared)) ++other;
      auto d = diags_.report(DiagKind::E0214, a.range,
                             fmt::format("alternatives '{}' and '{}' of the union are both {} on the wire",
                                         alternatives[other]->str(), alt->str(), model::jsonKindsText(shared)));
      d.note("the first is here", ranges[other]);
      if (alt->kind == TypeKind::Record && alternatives[other]->kind == TypeKind::Record)
        d.note("records are told apart only in a tagged union: `union NAME by FIELD { \"v\" => R; ... }`");
      else
        d.note("a reader picks the alternative by the JSON kind of the value: keep one alternative per kind");
      failed = true;
      continue;
    }
    taken |= kinds;
    alternatives.push_back(alt);
    ranges.push_back(a.range);
  }
  if (failed) return tc.error();
  return tc.unionOf(alternatives);
}

void Checker::checkUnion(Symbol& s) {
  auto* u = as<model::Union>(&s);
  const auto& decl = std::get<ast::UnionDecl>(s.decl->body);
  if (decl.discriminator.name.empty()) return;  // a syntax error, reported
  u->discriminator = decl.discriminator.name;
  std::map<std::string, SourceRange> values;
  for (const auto& c : decl.cases) {
    auto [seen, fresh] = values.emplace(c.value.value, c.value.range);
    if (!fresh) {
      diags_
          .report(DiagKind::E0216, c.value.range,
                  fmt::format("union '{}' already has a case \"{}\"", u->name, c.value.value))
          .note("first given here", seen->second);
      continue;
    }
    Symbol* r = lookup(c.record, s.file, kindBit(ast::DeclKind::Record), "record");
    if (!r) continue;
    model::UnionCase mc{c.value.value, as<model::Record>(r), c.doc.text, c.range};
    checkDiscriminator(*u, *mc.record, c, decl.discriminator);
    u->cases.push_back(std::move(mc));
    model::Type t;
    t.kind = TypeKind::Record;
    t.record = u->cases.back().record;
    const model::Type* rt = types().get(t);
    if (std::find(u->alternatives.begin(), u->alternatives.end(), rt) == u->alternatives.end())
      u->alternatives.push_back(rt);
  }
}

// The discriminator is a required string or enum field of the case's record
// (E0215), and the case's value one of the enum's members (E0217).
void Checker::checkDiscriminator(const model::Union& u, const model::Record& record, const ast::UnionCase& c,
                                 const ast::Ident& field) {
  const model::Field* f = record.field(field.name);
  std::string problem;
  if (!f)
    problem = fmt::format("record '{}' has no field '{}'", record.name, field.name);
  else if (f->optional() || f->defaultValue)
    problem = fmt::format("field '{}' of record '{}' is not required", field.name, record.name);
  else if (f->type->kind != TypeKind::String && f->type->kind != TypeKind::Enum && !f->type->isError())
    problem = fmt::format("field '{}' of record '{}' has type '{}'", field.name, record.name, f->type->str());
  if (!problem.empty()) {
    auto d = diags_.report(DiagKind::E0215, c.record.range,
                           fmt::format("union '{}' is told apart by '{}', but {}", u.name, field.name, problem));
    if (f) d.note("the field is here", f->nameRange);
    d.note(fmt::format("every record of the union needs a required string or enum field '{}'", field.name));
    return;
  }
  if (f->type->kind == TypeKind::Enum && f->type->enumType->memberIndex(c.value.value) < 0)
    diags_
        .report(DiagKind::E0217, c.value.range,
                fmt::format("\"{}\" is not a member of enum '{}', the type of '{}.{}'", c.value.value,
                            f->type->enumType->name, record.name, field.name))
        .note("no message of this record could carry it, so the case could never be picked");
}

}  // namespace mesh::check
