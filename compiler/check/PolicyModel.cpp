// PolicyModel: the attributes and methods of the policy model's values
// (`p.topic.name`, `f.has(pii)`, `f.masked_for(analyst)`, language.md
// section 6).
#include <fmt/format.h>

#include "check/ExprChecker.h"

namespace mesh::check {

using model::Type;
using model::TypeKind;

namespace {

// The attributes of the policy model's objects, in the order messages list
// them. The one enum among them, `compatibility`, is the compatibility enum.
enum class Shape { One, Optional, List };
struct AttributeSpec {
  TypeKind owner;
  const char* name;
  TypeKind type;
  Shape shape;
};
constexpr AttributeSpec kAttributes[] = {
    {TypeKind::ProductInfo, "name", TypeKind::String, Shape::One},
    {TypeKind::ProductInfo, "qualified_name", TypeKind::String, Shape::One},
    {TypeKind::ProductInfo, "package", TypeKind::String, Shape::One},
    {TypeKind::ProductInfo, "domain", TypeKind::DomainRef, Shape::One},
    {TypeKind::ProductInfo, "version", TypeKind::String, Shape::One},
    // Null for a union schema; `records` has the record, or each case's.
    {TypeKind::ProductInfo, "schema", TypeKind::RecordInfo, Shape::Optional},
    {TypeKind::ProductInfo, "records", TypeKind::RecordInfo, Shape::List},
    {TypeKind::ProductInfo, "fields", TypeKind::FieldInfo, Shape::List},
    {TypeKind::ProductInfo, "topic", TypeKind::TopicInfo, Shape::One},
    {TypeKind::ProductInfo, "sla", TypeKind::SlaInfo, Shape::One},
    {TypeKind::ProductInfo, "access", TypeKind::AccessInfo, Shape::One},
    {TypeKind::ProductInfo, "retention", TypeKind::Duration, Shape::Optional},
    {TypeKind::ProductInfo, "compatibility", TypeKind::Enum, Shape::One},
    {TypeKind::ProductInfo, "upstream", TypeKind::ProductInfo, Shape::List},
    {TypeKind::ProductInfo, "owner", TypeKind::String, Shape::One},
    {TypeKind::ProductInfo, "doc", TypeKind::String, Shape::One},
    {TypeKind::FieldInfo, "name", TypeKind::String, Shape::One},
    {TypeKind::FieldInfo, "path", TypeKind::String, Shape::One},
    {TypeKind::FieldInfo, "type", TypeKind::String, Shape::One},
    {TypeKind::FieldInfo, "optional", TypeKind::Bool, Shape::One},
    {TypeKind::FieldInfo, "doc", TypeKind::String, Shape::One},
    {TypeKind::RecordInfo, "name", TypeKind::String, Shape::One},
    {TypeKind::RecordInfo, "qualified_name", TypeKind::String, Shape::One},
    {TypeKind::RecordInfo, "fields", TypeKind::FieldInfo, Shape::List},
    {TypeKind::RecordInfo, "closed", TypeKind::Bool, Shape::One},
    {TypeKind::RecordInfo, "doc", TypeKind::String, Shape::One},
    {TypeKind::TopicInfo, "name", TypeKind::String, Shape::One},
    {TypeKind::TopicInfo, "partitions", TypeKind::Int64, Shape::One},
    {TypeKind::TopicInfo, "replication", TypeKind::Int64, Shape::One},
    {TypeKind::TopicInfo, "key", TypeKind::String, Shape::Optional},
    {TypeKind::TopicInfo, "format", TypeKind::String, Shape::One},
    {TypeKind::SlaInfo, "freshness", TypeKind::Duration, Shape::Optional},
    {TypeKind::SlaInfo, "availability", TypeKind::Float64, Shape::Optional},
    {TypeKind::SlaInfo, "throughput", TypeKind::Float64, Shape::Optional},
    {TypeKind::SlaInfo, "latency", TypeKind::Duration, Shape::Optional},
    {TypeKind::AccessInfo, "readers", TypeKind::RoleRef, Shape::List},
    {TypeKind::AccessInfo, "writers", TypeKind::RoleRef, Shape::List},
};

}  // namespace

model::ExprPtr ExprChecker::policyAttribute(const ast::Expr& e, model::ExprPtr base) {
  const Type* bt = bare(base->type);
  struct Attr {
    const char* name;
    const Type* type;
  };
  std::vector<Attr> attrs;
  model::Type compat;
  compat.kind = TypeKind::Enum;
  compat.enumType = c_.build_->compatibilityEnum.get();
  for (const AttributeSpec& a : kAttributes) {
    if (a.owner != bt->kind) continue;
    const Type* type = a.type == TypeKind::Enum ? tc_.get(compat) : tc_.primitive(a.type, a.shape == Shape::Optional);
    attrs.push_back({a.name, a.shape == Shape::List ? tc_.list(type) : type});
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
