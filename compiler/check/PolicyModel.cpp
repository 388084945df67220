// PolicyModel: the attributes and methods of the policy model's values
// (`p.topic.name`, `f.has(pii)`, `f.masked_for(analyst)`, language.md
// section 6).
#include <fmt/format.h>

#include "check/ExprChecker.h"

namespace mesh::check {

using model::Type;
using model::TypeKind;

model::ExprPtr ExprChecker::policyAttribute(const ast::Expr& e, model::ExprPtr base) {
  const Type* bt = bare(base->type);
  auto P = [&](TypeKind k, bool optional = false) { return tc_.primitive(k, optional); };
  struct Attr {
    const char* name;
    const Type* type;
  };
  std::vector<Attr> attrs;
  model::Type compat;
  compat.kind = TypeKind::Enum;
  compat.enumType = c_.build_->compatibilityEnum.get();
  switch (bt->kind) {
    case TypeKind::ProductInfo:
      attrs = {{"name", P(TypeKind::String)},
               {"qualified_name", P(TypeKind::String)},
               {"package", P(TypeKind::String)},
               {"domain", P(TypeKind::DomainRef)},
               {"version", P(TypeKind::String)},
               {"schema", P(TypeKind::RecordInfo)},
               {"fields", tc_.list(P(TypeKind::FieldInfo))},
               {"topic", P(TypeKind::TopicInfo)},
               {"sla", P(TypeKind::SlaInfo)},
               {"access", P(TypeKind::AccessInfo)},
               {"retention", P(TypeKind::Duration, true)},
               {"compatibility", tc_.get(compat)},
               {"upstream", tc_.list(P(TypeKind::ProductInfo))},
               {"owner", P(TypeKind::String)},
               {"doc", P(TypeKind::String)}};
      break;
    case TypeKind::FieldInfo:
      attrs = {{"name", P(TypeKind::String)},
               {"path", P(TypeKind::String)},
               {"type", P(TypeKind::String)},
               {"optional", P(TypeKind::Bool)},
               {"doc", P(TypeKind::String)}};
      break;
    case TypeKind::RecordInfo:
      attrs = {{"name", P(TypeKind::String)},
               {"qualified_name", P(TypeKind::String)},
               {"fields", tc_.list(P(TypeKind::FieldInfo))},
               {"closed", P(TypeKind::Bool)},
               {"doc", P(TypeKind::String)}};
      break;
    case TypeKind::TopicInfo:
      attrs = {{"name", P(TypeKind::String)},
               {"partitions", P(TypeKind::Int64)},
               {"replication", P(TypeKind::Int64)},
               {"key", P(TypeKind::String, true)},
               {"format", P(TypeKind::String)}};
      break;
    case TypeKind::SlaInfo:
      attrs = {{"freshness", P(TypeKind::Duration, true)},
               {"availability", P(TypeKind::Float64, true)},
               {"throughput", P(TypeKind::Float64, true)},
               {"latency", P(TypeKind::Duration, true)}};
      break;
    case TypeKind::AccessInfo:
      attrs = {{"readers", tc_.list(P(TypeKind::RoleRef))}, {"writers", tc_.list(P(TypeKind::RoleRef))}};
      break;
    default:
      break;
  }
  for (const auto& a : attrs) {
    if (e.name == a.name) {
      auto out = make(model::ExprOp::Attribute, a.type, e.range);
      out->attribute = a.name;
      out->args.push_back(std::move(base));
      return out;
    }
  }
  std::vector<std::string> names;
  for (const auto& a : attrs) names.push_back(a.name);
  auto d = c_.diags_.report(DiagKind::E0310, e.nameRange, fmt::format("a {} has no attribute '{}'", show(bt), e.name));
  if (auto guess = closestMatch(e.name, names))
    d.note(fmt::format("did you mean '{}'?", *guess));
  else {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    d.note(fmt::format("its attributes are {}", list));
  }
  return error(e.range);
}

model::ExprPtr ExprChecker::method(const ast::Expr& e, model::ExprPtr base) {
  const Type* bt = bare(base->type);
  bool modelObject =
      bt->kind == TypeKind::ProductInfo || bt->kind == TypeKind::FieldInfo || bt->kind == TypeKind::RecordInfo;
  if (modelObject && e.name == "has")
    return modelMethod(e, std::move(base), model::Builtin::Has, TypeKind::TagRef, "has(T)", "tag");
  if (bt->kind == TypeKind::FieldInfo && e.name == "masked_for")
    return modelMethod(e, std::move(base), model::Builtin::MaskedFor, TypeKind::RoleRef, "masked_for(R)", "role");
  if (modelObject && e.name == "tag") {
    c_.diags_.report(DiagKind::E0310, e.range, "tag(T) is read through a parameter, as in f.tag(classification).level");
    return error(e.range);
  }
  std::vector<std::string> names;
  if (modelObject) names = {"has"};
  if (bt->kind == TypeKind::FieldInfo) names = {"has", "masked_for", "tag"};
  auto d = c_.diags_.report(DiagKind::E0310, e.nameRange,
                            fmt::format("a value of type '{}' has no method '{}'", show(base->type), e.name));
  if (auto guess = closestMatch(e.name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
  return error(e.range);
}

/// A method of the policy model with one argument of kind `argKind`
/// (`p.has(T)`, a tag; `f.masked_for(R)`, a role): a bool call of `builtin`.
model::ExprPtr ExprChecker::modelMethod(const ast::Expr& e, model::ExprPtr base, model::Builtin builtin,
                                        TypeKind argKind, const char* signature, const char* argName) {
  size_t argc = e.args.size() - 1;
  if (argc != 1) {
    c_.diags_.report(DiagKind::E0304, e.range,
                     fmt::format("{} takes one {}, not {} arguments", signature, argName, argc));
    return error(e.range);
  }
  model::ExprPtr arg = check(*e.args[1], nullptr);
  if (arg->type->isError()) return error(e.range);
  if (arg->type->kind != argKind) {
    c_.diags_.report(DiagKind::E0305, e.args[1]->range,
                     fmt::format("{} takes a {}, not a '{}'", signature, argName, show(arg->type)));
    return error(e.range);
  }
  auto out = make(model::ExprOp::Call, tc_.primitive(TypeKind::Bool), e.range);
  out->builtin = builtin;
  out->args.push_back(std::move(base));
  out->args.push_back(std::move(arg));
  return out;
}

}  // namespace mesh::check
