// ProductSchema: a product's `schema:`, a record or a tagged union
// (language.md section 8), and the field paths the product names over it.
// Over a union (docs/language-decisions.md, "A tagged union as a product's
// schema"): the topic key is in every case with one type (E0412); a quality
// rule or a mask names a path of at least one case and applies where it is;
// `p.fields` lists each path once.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "check/CheckerImpl.h"
#include "model/FieldPaths.h"

namespace mesh::check {

namespace {

std::string recordNames(const std::vector<const model::Record*>& records) {
  std::vector<std::string> names;
  for (const model::Record* r : records) names.push_back(fmt::format("'{}'", r->name));
  return fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

void Checker::resolveSchema(model::Product* p, const ast::QualifiedName& name, const ast::File* file) {
  Symbol* s =
      lookup(name, file, kindBit(ast::DeclKind::Record) | kindBit(ast::DeclKind::Union), "record or tagged union");
  if (!s) return;
  if (s->kind == ast::DeclKind::Record)
    p->schema = as<model::Record>(s);
  else
    p->schemaUnion = as<model::Union>(s);
}

// Every field, nested ones too, for the policy model (model/FieldPaths.h);
// a union's cases in order, each path once. The list stops at
// kMaxFieldPaths: records reached by several fields multiply the paths (E0411).
void Checker::listFieldPaths(model::Product* p, const ast::ProductDecl& decl) {
  std::set<std::string> listed;
  for (const model::Record* r : model::schemaRecords(*p)) {
    bool whole = model::forEachFieldPath(*r, [&](const model::FieldVisit& v) {
      if (listed.insert(v.path.text).second) p->allFields.push_back(v.path);
      return p->allFields.size() < model::kMaxFieldPaths;
    });
    if (!whole) break;
  }
  std::string tooMany =
      fmt::format("the schema of product '{}' has more than {} field paths", p->name, model::kMaxFieldPaths);
  if (p->allFields.size() >= model::kMaxFieldPaths)
    diags_.report(DiagKind::E0411, decl.schema->range, tooMany)
        .note("a record reached through several fields counts once per path: the paths multiply with every level");
}

// The paths `path` names in the schema's records, one per record that has
// it, in case order. A record schema: its one path, or none after E0402. A
// union schema: none only when no case's record has it (E0402).
std::vector<model::FieldPath> Checker::schemaPaths(const model::Product* p, const ast::FieldPath& path,
                                                   const char* purpose) {
  std::vector<model::FieldPath> out;
  if (p->schema) {
    if (auto fp = fieldPath(path, p->schema, purpose)) out.push_back(std::move(*fp));
    return out;
  }
  // The schema did not resolve, or none of its cases did: reported.
  if (!p->schemaUnion || p->schemaUnion->cases.empty()) return out;
  std::vector<const model::Record*> records = model::schemaRecords(*p);
  for (const model::Record* r : records)
    if (auto fp = fieldPath(path, r, purpose, false)) out.push_back(std::move(*fp));
  if (out.empty()) {
    std::vector<std::string> known;
    for (const model::FieldPath& fp : p->allFields) known.push_back(fp.text);
    std::string text = path.str();
    auto d = diags_.report(
        DiagKind::E0402, path.range,
        fmt::format("no record of union '{}' has the field path '{}' ({})", p->schemaUnion->name, text, purpose));
    if (auto guess = closestMatch(text, known)) d.note(fmt::format("did you mean '{}'?", *guess));
    d.note(fmt::format("the records of the union are {}", recordNames(records)));
    return out;
  }
  // A deprecated field is reported once per step, whichever case has it.
  for (size_t i = 0; i < path.segments.size(); ++i)
    for (const model::FieldPath& fp : out)
      if (fp.fields[i]->deprecated) {
        warnDeprecated(fp.fields[i]->deprecated, fmt::format("field '{}'", fp.fields[i]->name),
                       path.segments[i].name.range);
        break;
      }
  return out;
}

// E0412: a union schema's topic key is a path of every case's record (Kafka
// partitions every message by it, whatever its case).
bool Checker::keyInEveryCase(const model::Product* p, const ast::FieldPath& key,
                             const std::vector<model::FieldPath>& paths) {
  const model::Union& u = *p->schemaUnion;
  for (const model::Record* r : model::schemaRecords(*p)) {
    bool has = std::any_of(paths.begin(), paths.end(),
                           [&](const model::FieldPath& fp) { return fp.fields.front()->owner == r; });
    if (has) continue;
    diags_
        .report(DiagKind::E0412, key.range,
                fmt::format("topic key '{}' is not a field of every record of union '{}': record '{}' has no '{}'",
                            paths.front().text, u.name, r->name, paths.front().text))
        .note("the record is here", r->nameRange)
        .note("Kafka partitions every message by the key, whatever its case: each case's record needs the field");
    return false;
  }
  return true;
}

// E0412: a union schema's topic key has one type in every case (checked
// after E0403, so an optional key is reported as such).
bool Checker::keyOfOneType(const model::Product* p, const ast::FieldPath& key,
                           const std::vector<model::FieldPath>& paths) {
  const model::Union& u = *p->schemaUnion;
  const model::FieldPath& first = paths.front();
  for (const model::FieldPath& fp : paths) {
    const model::Type* a = first.fields.back()->type;
    const model::Type* b = fp.fields.back()->type;
    if (a->isError() || b->isError() || a->str() == b->str()) continue;
    diags_
        .report(
            DiagKind::E0412, key.range,
            fmt::format("topic key '{}' is '{}' in record '{}' but '{}' in record '{}' of union '{}'", first.text,
                        a->str(), first.fields.front()->owner->name, b->str(), fp.fields.front()->owner->name, u.name))
        .note("the key of every case must have one type: consumers partition and join by its value");
    return false;
  }
  return true;
}

}  // namespace mesh::check
