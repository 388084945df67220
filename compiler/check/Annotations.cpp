// Annotations: tag uses and the built-in @closed, @deprecated, @wire and
// @meta, on every kind of declaration.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "check/CheckerImpl.h"
#include "meshrt/formats.h"

namespace mesh::check {

using model::TypeKind;

// ---------------------------------------------------------------- annotations

std::vector<model::TagUse> Checker::tagUses(const std::vector<ast::Annotation>& anns, const ast::File* file,
                                            const AnnotationPlace& at) {
  const char* place = at.description;
  std::vector<model::TagUse> uses;
  std::set<const model::Tag*> seen;
  for (const auto& a : anns) {
    std::string name = a.name.str();
    if (name == "closed") {
      if (!at.closed) {
        diags_.report(DiagKind::E0205, a.range, fmt::format("'@closed' applies to records, not to {}", place));
        continue;
      }
      if (!a.args.empty() || a.hasParens) diags_.report(DiagKind::E0204, a.range, "'@closed' takes no arguments");
      *at.closed = true;
      continue;
    }
    if (name == "deprecated") {
      if (!at.deprecated) {
        diags_.report(DiagKind::E0205, a.range,
                      fmt::format("'@deprecated' applies to fields, enum members and products, not to {}", place));
        continue;
      }
      std::string why;
      if (a.args.size() > 1 || (a.args.size() == 1 && (a.args[0].name || !a.args[0].value ||
                                                       a.args[0].value->kind != ast::ExprKind::String))) {
        diags_.report(DiagKind::E0204, a.range, "'@deprecated' takes one string: @deprecated(\"why\")");
      } else if (a.args.size() == 1) {
        why = a.args[0].value->stringValue;
      }
      *at.deprecated = why;
      continue;
    }
    if (name == "wire") {
      if (!at.wire)
        diags_.report(DiagKind::E0205, a.range, fmt::format("'@wire' applies to fields, not to {}", place));
      else
        wireAnnotation(a, *at.wire);
      continue;
    }
    if (name == "meta") {
      if (!at.meta)
        diags_.report(DiagKind::E0205, a.range,
                      fmt::format("'@meta' applies to fields, records and products, not to {}", place));
      else
        metaAnnotation(a, *at.meta);
      continue;
    }
    Symbol* s = lookup(a.name, file, kindBit(ast::DeclKind::Tag), "tag");
    if (!s) continue;
    auto* tag = as<model::Tag>(s);
    if (!at.tags) {
      diags_.report(
          DiagKind::E0205, a.range,
          fmt::format("tags apply to fields, records, enums, refinement types and products, not to {}", place));
      continue;
    }
    if (!seen.insert(tag).second) {
      diags_.report(DiagKind::E0204, a.range, fmt::format("tag '{}' is given twice", tag->name));
      continue;
    }
    if (auto use = tagUse(a, tag, file)) uses.push_back(std::move(*use));
  }
  return uses;
}

/// One use of a user tag: its arguments, by name or position, converted to
/// the parameters' types; none when an argument is wrong or missing.
std::optional<model::TagUse> Checker::tagUse(const ast::Annotation& a, const model::Tag* tag, const ast::File* file) {
  model::TagUse use{tag, {}, a.range};
  std::vector<std::optional<model::Value>> values(tag->params.size());
  bool ok = true;
  size_t positional = 0;
  for (const auto& arg : a.args) {
    size_t index = positional;
    if (arg.name) {
      index = tag->params.size();
      for (size_t i = 0; i < tag->params.size(); ++i)
        if (tag->params[i].name == arg.name->name) index = i;
      if (index == tag->params.size()) {
        std::vector<std::string> names;
        for (auto& p : tag->params) names.push_back(p.name);
        auto d = diags_.report(DiagKind::E0204, arg.name->range,
                               fmt::format("tag '{}' has no parameter '{}'", tag->name, arg.name->name));
        if (auto guess = closestMatch(arg.name->name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
        ok = false;
        continue;
      }
    } else {
      ++positional;
      if (index >= tag->params.size()) {
        diags_.report(DiagKind::E0204, arg.value ? arg.value->range : a.range,
                      fmt::format("tag '{}' takes {} argument{}", tag->name, tag->params.size(),
                                  tag->params.size() == 1 ? "" : "s"));
        ok = false;
        continue;
      }
    }
    if (values[index]) {
      diags_.report(DiagKind::E0204, arg.value ? arg.value->range : a.range,
                    fmt::format("parameter '{}' is given twice", tag->params[index].name));
      ok = false;
      continue;
    }
    if (!arg.value || tag->params[index].type->isError()) {
      ok = false;
      continue;
    }
    values[index] = constant(*arg.value, tag->params[index].type, file, "a tag argument", DiagKind::E0204);
    if (!values[index]) ok = false;
  }
  for (size_t i = 0; i < tag->params.size() && ok; ++i) {
    if (!values[i]) {
      diags_
          .report(DiagKind::E0204, a.range,
                  fmt::format("tag '{}' needs a value for '{}'", tag->name, tag->params[i].name))
          .note(fmt::format("write @{}({}: ...)", tag->name, tag->params[i].name));
      ok = false;
    }
  }
  if (!ok) return std::nullopt;
  for (size_t i = 0; i < tag->params.size(); ++i) use.args.push_back({tag->params[i].name, *values[i]});
  return use;
}

namespace {

// A string literal argument, positional or named `name`; null otherwise.
const ast::Expr* stringArg(const ast::AnnotationArg& arg) {
  return arg.value && arg.value->kind == ast::ExprKind::String ? arg.value.get() : nullptr;
}

// A wire name holds a control character (C0, DEL or C1): it would be
// invisible in the catalog, DataHub and a terminal (docs/language-decisions.md).
bool hasControlCharacter(std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c < 0x20 || c == 0x7F || (c == 0xC2 && next >= 0x80 && next <= 0x9F)) return true;
  }
  return false;
}

}  // namespace

void Checker::wireAnnotation(const ast::Annotation& a, model::Field& field) {
  const ast::Expr* key = a.args.size() == 1 && !a.args[0].name ? stringArg(a.args[0]) : nullptr;
  if (!key) {
    diags_.report(DiagKind::E0212, a.range, "'@wire' takes one string, the field's key on the wire: @wire(\"key\")");
    return;
  }
  const std::string& text = key->stringValue;
  if (text.empty()) {
    diags_.report(DiagKind::E0212, key->range, "a wire name is not empty");
    return;
  }
  if (!meshrt::isValidUtf8(text) || hasControlCharacter(text)) {
    diags_.report(DiagKind::E0212, key->range, "a wire name holds no control character and is valid UTF-8");
    return;
  }
  if (field.wireRange.valid()) {
    diags_.report(DiagKind::E0212, a.range, fmt::format("field '{}' is given '@wire' twice", field.name));
    return;
  }
  if (text != field.name) field.wire = text;  // `@wire("name")` says what is true anyway
  field.wireRange = a.range;
}

void Checker::metaAnnotation(const ast::Annotation& a, std::vector<model::MetaEntry>& meta) {
  const ast::Expr* key = nullptr;
  const ast::Expr* value = nullptr;
  bool ok = a.args.size() == 2;
  for (size_t i = 0; ok && i < a.args.size(); ++i) {
    const auto& arg = a.args[i];
    std::string_view name = arg.name ? std::string_view(arg.name->name) : (i == 0 ? "key" : "value");
    const ast::Expr*& slot = name == "key" ? key : value;
    ok = (name == "key" || name == "value") && !slot && stringArg(arg);
    if (ok) slot = stringArg(arg);
  }
  if (!ok || !key || !value) {
    diags_.report(DiagKind::E0213, a.range, "'@meta' takes two strings: @meta(key: \"...\", value: \"...\")");
    return;
  }
  if (key->stringValue.empty()) {
    diags_.report(DiagKind::E0213, key->range, "a '@meta' key is not empty");
    return;
  }
  for (const auto& m : meta) {
    if (m.key != key->stringValue) continue;
    diags_.report(DiagKind::E0213, key->range, "this '@meta' key is given twice").note("given here first", m.range);
    return;
  }
  meta.push_back({key->stringValue, value->stringValue, a.range});
}

void Checker::checkWireNames(const model::Record& r) {
  for (const auto& f : r.fields) {
    if (!f->wire) continue;
    for (const auto& other : r.fields) {
      if (other == f) continue;
      bool sameKey = other->wireName() == *f->wire;
      bool takesName = other->name == *f->wire;
      bool earlier = other->index < f->index;
      // One report per pair: at the later of two `@wire`s, else at the one.
      if ((sameKey && other->wire && !earlier) || !(sameKey || takesName)) continue;
      auto d =
          diags_.report(DiagKind::E0211, f->wireRange,
                        sameKey ? fmt::format("fields '{}' and '{}' of record '{}' have one key on the wire",
                                              other->name, f->name, r.name)
                                : fmt::format("the wire name of field '{}' is the name of field '{}' of record '{}'",
                                              f->name, other->name, r.name));
      d.note(fmt::format("field '{}' is declared here", other->name), other->nameRange);
    }
  }
}

void Checker::checkAnnotations(Symbol& s) {
  {
    const auto& anns = s.decl->annotations;
    switch (s.kind) {
      case ast::DeclKind::Enum: {
        auto* e = as<model::EnumType>(&s);
        e->tags = tagUses(anns, s.file, {.description = "enums", .tags = true});
        const auto& decl = std::get<ast::EnumDecl>(s.decl->body);
        for (const auto& m : decl.members) {
          int index = e->memberIndex(m.name.name);
          std::optional<std::string> deprecated;
          tagUses(m.annotations, s.file, {.description = "enum members", .deprecated = &deprecated});
          if (index >= 0 && e->members[index].range.begin == m.name.range.begin)
            e->members[index].deprecated = deprecated;
        }
        break;
      }
      case ast::DeclKind::Type: {
        auto* r = as<model::Refinement>(&s);
        const auto& decl = std::get<ast::TypeDecl>(s.decl->body);
        for (const auto& a : anns)
          diags_.report(DiagKind::E0205, a.range,
                        fmt::format("annotations of a refinement type go after the type: `type {} = ... @{} ...;`",
                                    r->name, a.name.str()));
        r->tags = tagUses(decl.fieldAnnotations, s.file, {.description = "refinement types", .tags = true});
        break;
      }
      case ast::DeclKind::Record: {
        auto* r = as<model::Record>(&s);
        r->tags =
            tagUses(anns, s.file, {.description = "records", .tags = true, .closed = &r->closed, .meta = &r->meta});
        const auto& decl = std::get<ast::RecordDecl>(s.decl->body);
        for (const auto& f : decl.fields) {
          model::Field* field = const_cast<model::Field*>(r->field(f.name.name));
          if (!field || field->range.begin != f.range.begin) continue;
          field->tags = tagUses(f.annotations, s.file,
                                {.description = "fields",
                                 .tags = true,
                                 .deprecated = &field->deprecated,
                                 .wire = field,
                                 .meta = &field->meta});
          // Tags of a refinement type apply to its fields too, and so do
          // those of the refinements it refines (`type Ssn9 = Ssn where ...`
          // is as personal as Ssn; the validator already redacts it).
          for (const model::Refinement* ref = field->type->refinement; ref;
               ref = ref->base ? ref->base->refinement : nullptr) {
            for (const auto& use : ref->tags) {
              bool present = std::any_of(field->tags.begin(), field->tags.end(),
                                         [&](const model::TagUse& u) { return u.tag == use.tag; });
              if (!present) field->tags.push_back(use);
            }
          }
        }
        checkWireNames(*r);
        break;
      }
      case ast::DeclKind::Product: {
        auto* p = as<model::Product>(&s);
        p->tags = tagUses(anns, s.file,
                          {.description = "products", .tags = true, .deprecated = &p->deprecated, .meta = &p->meta});
        break;
      }
      default: {
        std::string place = std::string(ast::describe(s.kind)) + "s";
        tagUses(anns, s.file, {.description = place.c_str()});
        break;
      }
    }
  }
}

}  // namespace mesh::check
