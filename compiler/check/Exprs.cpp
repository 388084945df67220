// Exprs: static typing of constraint and policy expressions (language.md
// sections 3 and 6): literals, names, operators, quantifiers and lists.
// Builtin calls are typed in Calls.cpp, the policy model's attributes and
// methods in PolicyModel.cpp, constants (defaults, tag arguments) in
// Constants.cpp.
#include <fmt/format.h>

#include <cmath>

#include "check/ExprChecker.h"
#include "meshrt/formats.h"

namespace mesh::check {

using model::Type;
using model::TypeKind;

namespace {

model::BinaryOp toModel(ast::BinaryOp op) { return static_cast<model::BinaryOp>(op); }

bool isComparisonOp(ast::BinaryOp op) {
  return op == ast::BinaryOp::Eq || op == ast::BinaryOp::Ne || op == ast::BinaryOp::Lt || op == ast::BinaryOp::Le ||
         op == ast::BinaryOp::Gt || op == ast::BinaryOp::Ge;
}

bool isErrorNode(const ast::Expr& e) { return e.kind == ast::ExprKind::Error; }

}  // namespace

model::ExprPtr ExprChecker::check(const ast::Expr& e, const Type* expected) {
  if (isErrorNode(e)) return error(e.range);
  switch (e.kind) {
    case ast::ExprKind::Int:
    case ast::ExprKind::Float:
    case ast::ExprKind::String:
    case ast::ExprKind::Duration:
    case ast::ExprKind::Percent:
    case ast::ExprKind::Rate:
    case ast::ExprKind::Date:
    case ast::ExprKind::Bool:
    case ast::ExprKind::Null:
      return literal(e, expected);
    case ast::ExprKind::Name:
      return name(e, expected);
    case ast::ExprKind::Member:
      return member(e, expected);
    case ast::ExprKind::Call:
      return call(e);
    case ast::ExprKind::Unary:
      return unary(e);
    case ast::ExprKind::Binary:
      return binary(e);
    case ast::ExprKind::In:
      return in(e);
    case ast::ExprKind::Quantifier:
      return quantifier(e);
    case ast::ExprKind::List:
      return list(e, expected);
    case ast::ExprKind::Map:
      c_.diags_.report(DiagKind::E0210, e.range, "a map literal is only allowed as the default of a map field")
          .note("expressions have no map values to compare it with");
      break;
    case ast::ExprKind::Error:
      break;
  }
  return error(e.range);
}

model::ExprPtr ExprChecker::literal(const ast::Expr& e, const Type* expected) {
  if (e.kind == ast::ExprKind::Int && e.intValue > static_cast<uint64_t>(INT64_MAX)) {
    c_.diags_.report(DiagKind::E0312, e.range, fmt::format("integer {} does not fit in int64", e.name));
    return error(e.range);
  }
  // The value and the type of each kind of literal.
  using VK = model::Value::Kind;
  using EK = ast::ExprKind;
  struct LiteralKind {
    EK expr;
    VK value;
    TypeKind type;
  };
  static constexpr LiteralKind kLiteralKinds[] = {
      {EK::Int, VK::Int, TypeKind::Int64},         {EK::Float, VK::Float, TypeKind::Float64},
      {EK::Percent, VK::Float, TypeKind::Float64}, {EK::Rate, VK::Float, TypeKind::Float64},
      {EK::String, VK::String, TypeKind::String},  {EK::Duration, VK::Duration, TypeKind::Duration},
      {EK::Date, VK::Date, TypeKind::Date},        {EK::Bool, VK::Bool, TypeKind::Bool},
      {EK::Null, VK::Null, TypeKind::Null},
  };
  model::Value v;
  const Type* type = tc_.error();
  for (const LiteralKind& k : kLiteralKinds) {
    if (k.expr != e.kind) continue;
    v.kind = k.value;
    type = tc_.primitive(k.type);
  }
  // What the value keeps of the literal: numbers and durations their spelling too.
  if (v.kind == VK::Int) v.i = static_cast<int64_t>(e.intValue);
  if (v.kind == VK::Float) v.f = e.floatValue;
  if (v.kind == VK::Duration) v.i = e.micros;
  if (v.kind == VK::Bool) v.b = e.boolValue;
  if (v.kind == VK::String) v.s = e.stringValue;
  if (v.kind == VK::Float || v.kind == VK::Duration || v.kind == VK::Date) v.s = e.name;
  (void)expected;
  auto out = make(model::ExprOp::Literal, type, e.range);
  out->literal = std::move(v);
  return out;
}

bool ExprChecker::chainParts(const ast::Expr& e, std::vector<std::string>& parts) {
  if (e.kind == ast::ExprKind::Name) {
    parts.push_back(e.name);
    return true;
  }
  if (e.kind == ast::ExprKind::Member && !e.isCall && e.args.size() == 1) {
    if (!chainParts(*e.args[0], parts)) return false;
    parts.push_back(e.name);
    return true;
  }
  return false;
}

// Whether the root of a name chain is a value in scope (so the chain is an
// attribute access, not a qualified declaration name).
bool ExprChecker::resolvesInScope(const ast::Expr& e) {
  const ast::Expr* root = &e;
  while (root->kind == ast::ExprKind::Member && !root->args.empty()) root = root->args[0].get();
  if (root->kind != ast::ExprKind::Name) return true;
  const std::string& n = root->name;
  for (const auto& l : scope_.locals)
    if (l.name == n) return true;
  if (scope_.kind == Scope::Kind::Check && scope_.record && scope_.record->field(n)) return true;
  if (scope_.kind == Scope::Kind::Where && n == "value") return true;
  return false;
}

model::ExprPtr ExprChecker::qualifiedReference(const ast::Expr& e, const Type* expected, bool report) {
  std::vector<std::string> parts;
  if (!chainParts(e, parts)) return nullptr;
  // A bare enum member, resolved against the type the context expects.
  if (parts.size() == 1 && expected && bare(expected)->kind == TypeKind::Enum) {
    const model::EnumType* en = bare(expected)->enumType;
    int index = en->memberIndex(parts[0]);
    if (index >= 0) {
      c_.warnDeprecated(en->members[index].deprecated, fmt::format("enum member '{}.{}'", en->name, parts[0]), e.range);
      auto out = make(model::ExprOp::Literal, bare(expected), e.range);
      out->literal.kind = model::Value::Kind::EnumMember;
      out->literal.enumType = en;
      out->literal.member = index;
      return out;
    }
  }
  // Enum.MEMBER, with the enum named any way a type can be.
  if (parts.size() >= 2) {
    std::vector<std::string> enumName(parts.begin(), parts.end() - 1);
    if (Symbol* s = c_.tryLookup(enumName, scope_.file, kindBit(ast::DeclKind::Enum))) {
      auto* en = static_cast<model::EnumType*>(s->model);
      int index = en->memberIndex(parts.back());
      if (index < 0) {
        if (!report) return nullptr;
        std::vector<std::string> names;
        for (const auto& m : en->members) names.push_back(m.name);
        auto d = c_.diags_.report(DiagKind::E0314, e.nameRange,
                                  fmt::format("enum '{}' has no member '{}'", en->name, parts.back()));
        if (auto guess = closestMatch(parts.back(), names)) d.note(fmt::format("did you mean '{}'?", *guess));
        return error(e.range);
      }
      c_.warnDeprecated(en->members[index].deprecated, fmt::format("enum member '{}.{}'", en->name, parts.back()),
                        e.range);
      model::Type t;
      t.kind = TypeKind::Enum;
      t.enumType = en;
      auto out = make(model::ExprOp::Literal, tc_.get(t), e.range);
      out->literal.kind = model::Value::Kind::EnumMember;
      out->literal.enumType = en;
      out->literal.member = index;
      return out;
    }
  }
  // Roles, tags and domains are values in policies.
  KindMask want = kindBit(ast::DeclKind::Role) | kindBit(ast::DeclKind::Tag) | kindBit(ast::DeclKind::Domain);
  if (Symbol* s = c_.tryLookup(parts, scope_.file, want)) {
    auto out = make(model::ExprOp::Literal, tc_.error(), e.range);
    if (s->kind == ast::DeclKind::Role) {
      out->type = tc_.primitive(TypeKind::RoleRef);
      out->literal.kind = model::Value::Kind::Role;
      out->literal.role = static_cast<model::Role*>(s->model);
    } else if (s->kind == ast::DeclKind::Tag) {
      out->type = tc_.primitive(TypeKind::TagRef);
      out->literal.kind = model::Value::Kind::Tag;
      out->literal.tag = static_cast<model::Tag*>(s->model);
    } else {
      out->type = tc_.primitive(TypeKind::DomainRef);
      out->literal.kind = model::Value::Kind::String;
      out->literal.s = s->qualifiedName;
    }
    return out;
  }
  return nullptr;
}

model::ExprPtr ExprChecker::name(const ast::Expr& e, const Type* expected) {
  const std::string& n = e.name;
  for (auto it = scope_.locals.rbegin(); it != scope_.locals.rend(); ++it) {
    if (it->name == n) {
      auto out = make(model::ExprOp::Local, it->type, e.range);
      out->local = it->index;
      return out;
    }
  }
  if (scope_.kind == Scope::Kind::Check && scope_.record) {
    if (const model::Field* f = scope_.record->field(n)) {
      c_.warnDeprecated(f->deprecated, fmt::format("field '{}'", f->name), e.range);
      auto out = make(model::ExprOp::FieldRef, f->type, e.range);
      out->field = f;
      return out;
    }
  }
  if (n == "value" && scope_.kind == Scope::Kind::Where) return make(model::ExprOp::Value, scope_.valueType, e.range);
  if (auto ref = qualifiedReference(e, expected, true)) return ref;
  if (n == "value") {
    c_.diags_.report(DiagKind::E0311, e.range, "'value' is only defined in a where constraint")
        .note(scope_.kind == Scope::Kind::Check ? "in a check, refer to the record's fields by name"
                                                : "in a policy, refer to the names bound by `for`");
    return error(e.range);
  }
  if (expected && bare(expected)->kind == TypeKind::Enum) {
    const model::EnumType* en = bare(expected)->enumType;
    std::vector<std::string> members;
    for (const auto& m : en->members) members.push_back(m.name);
    auto d = c_.diags_.report(DiagKind::E0314, e.range, fmt::format("enum '{}' has no member '{}'", en->name, n));
    if (auto guess = closestMatch(n, members)) {
      d.note(fmt::format("did you mean '{}'?", *guess));
    } else {
      std::string list;
      for (const auto& m : members) list += (list.empty() ? "" : ", ") + m;
      d.note(fmt::format("its members are {}", list));
    }
    return error(e.range);
  }
  std::vector<std::string> candidates;
  for (const auto& l : scope_.locals) candidates.push_back(l.name);
  if (scope_.kind == Scope::Kind::Check && scope_.record)
    for (const auto& f : scope_.record->fields) candidates.push_back(f->name);
  if (scope_.kind == Scope::Kind::Where) candidates.push_back("value");
  if (expected && bare(expected)->kind == TypeKind::Enum)
    for (const auto& m : bare(expected)->enumType->members) candidates.push_back(m.name);
  auto d = c_.diags_.report(DiagKind::E0315, e.range, fmt::format("unknown name '{}'", n));
  if (auto guess = closestMatch(n, candidates)) {
    d.note(fmt::format("did you mean '{}'?", *guess));
  } else if (scope_.kind == Scope::Kind::Where) {
    d.note(
        fmt::format("in a where, only 'value' ({}) is in scope; compare fields with each other in a "
                    "record `check`",
                    scope_.valueDescription));
  }
  return error(e.range);
}

model::ExprPtr ExprChecker::member(const ast::Expr& e, const Type* expected) {
  if (e.isCall) {
    model::ExprPtr base = check(*e.args[0], nullptr);
    if (base->type->isError()) return error(e.range);
    return method(e, std::move(base));
  }
  if (!resolvesInScope(e)) {
    if (auto ref = qualifiedReference(e, expected, true)) return ref;
  }
  // `f.tag(classification).level`
  const ast::Expr& baseAst = *e.args[0];
  if (baseAst.kind == ast::ExprKind::Member && baseAst.isCall && baseAst.name == "tag") {
    model::ExprPtr owner = check(*baseAst.args[0], nullptr);
    if (owner->type->isError()) return error(e.range);
    if (bare(owner->type)->kind != TypeKind::FieldInfo && bare(owner->type)->kind != TypeKind::ProductInfo &&
        bare(owner->type)->kind != TypeKind::RecordInfo) {
      c_.diags_.report(DiagKind::E0310, baseAst.nameRange, fmt::format("'{}' has no method 'tag'", show(owner->type)));
      return error(e.range);
    }
    if (baseAst.args.size() != 2) {
      c_.diags_.report(DiagKind::E0304, baseAst.range, "tag(T) takes one tag");
      return error(e.range);
    }
    model::ExprPtr tag = check(*baseAst.args[1], nullptr);
    if (tag->type->isError()) return error(e.range);
    if (tag->type->kind != TypeKind::TagRef) {
      c_.diags_.report(DiagKind::E0305, baseAst.args[1]->range,
                       fmt::format("tag(T) takes a tag, not a '{}'", show(tag->type)));
      return error(e.range);
    }
    const model::Tag* t = tag->literal.tag;
    for (const auto& p : t->params) {
      if (p.name == e.name) {
        auto out = make(model::ExprOp::Call, tc_.optional(p.type), e.range);
        out->builtin = model::Builtin::TagArgument;
        out->attribute = p.name;
        out->args.push_back(std::move(owner));
        out->args.push_back(std::move(tag));
        return out;
      }
    }
    std::vector<std::string> names;
    for (const auto& p : t->params) names.push_back(p.name);
    auto d =
        c_.diags_.report(DiagKind::E0310, e.nameRange, fmt::format("tag '{}' has no parameter '{}'", t->name, e.name));
    if (auto guess = closestMatch(e.name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
    return error(e.range);
  }
  model::ExprPtr base = check(baseAst, nullptr);
  if (base->type->isError() || rejectsJson(*base, "read by member access", e.range)) return error(e.range);
  const Type* bt = bare(base->type);
  if (bt->kind == TypeKind::Record) {
    const model::Field* f = bt->record->field(e.name);
    if (!f) {
      std::vector<std::string> names;
      for (const auto& rf : bt->record->fields) names.push_back(rf->name);
      auto d = c_.diags_.report(DiagKind::E0310, e.nameRange,
                                fmt::format("record '{}' has no field '{}'", bt->record->name, e.name));
      if (auto guess = closestMatch(e.name, names)) d.note(fmt::format("did you mean '{}'?", *guess));
      return error(e.range);
    }
    c_.warnDeprecated(f->deprecated, fmt::format("field '{}'", f->name), e.nameRange);
    const Type* t = base->type->optional ? tc_.optional(f->type) : f->type;
    auto out = make(model::ExprOp::Member, t, e.range);
    out->field = f;
    out->args.push_back(std::move(base));
    return out;
  }
  switch (bt->kind) {
    case TypeKind::ProductInfo:
    case TypeKind::FieldInfo:
    case TypeKind::RecordInfo:
    case TypeKind::TopicInfo:
    case TypeKind::SlaInfo:
    case TypeKind::AccessInfo:
      return policyAttribute(e, std::move(base));
    default:
      break;
  }
  c_.diags_.report(DiagKind::E0310, e.nameRange,
                   fmt::format("a value of type '{}' has no member '{}'", show(base->type), e.name));
  return error(e.range);
}

model::ExprPtr ExprChecker::unary(const ast::Expr& e) {
  model::ExprPtr operand = check(*e.args[0], nullptr);
  if (operand->type->isError()) return error(e.range);
  const Type* t = bare(operand->type);
  if (e.unaryOp == ast::UnaryOp::Not) {
    if (t->kind != TypeKind::Bool) {
      c_.diags_.report(DiagKind::E0302, e.range,
                       fmt::format("'!' needs a bool operand, found '{}'", show(operand->type)));
      return error(e.range);
    }
    auto out = make(model::ExprOp::Not, tc_.primitive(TypeKind::Bool), e.range);
    out->args.push_back(std::move(operand));
    return out;
  }
  if (!t->isNumeric() && t->kind != TypeKind::Duration) {
    c_.diags_.report(DiagKind::E0302, e.range,
                     fmt::format("'-' needs a number or a duration, found '{}'", show(operand->type)));
    return error(e.range);
  }
  // Fold negative literals, so `-5` is one literal that can be range-checked.
  if (operand->op == model::ExprOp::Literal &&
      (operand->literal.kind == model::Value::Kind::Int || operand->literal.kind == model::Value::Kind::Float ||
       operand->literal.kind == model::Value::Kind::Duration)) {
    operand->literal.i = -operand->literal.i;
    operand->literal.f = -operand->literal.f;
    if (!operand->literal.s.empty()) operand->literal.s = "-" + operand->literal.s;
    operand->range = e.range;
    return operand;
  }
  auto out = make(model::ExprOp::Neg, t->kind == TypeKind::Int32 ? tc_.primitive(TypeKind::Int64) : t, e.range);
  out->args.push_back(std::move(operand));
  return out;
}

bool ExprChecker::comparable(const Type* a, const Type* b) {
  if (a->isError() || b->isError()) return true;
  const Type* x = bare(a);
  const Type* y = bare(b);
  if (x->isNumeric() && y->isNumeric()) return true;
  if (x->kind != y->kind) return false;
  switch (x->kind) {
    case TypeKind::Enum:
      return x->enumType == y->enumType;
    case TypeKind::Record:
      return x->record == y->record;
    case TypeKind::List:
    case TypeKind::Map:
      return comparable(x->element, y->element);
    default:
      return true;
  }
}

const Type* ExprChecker::arithmetic(const Type* a, const Type* b, ast::BinaryOp op) {
  const Type* x = bare(a);
  const Type* y = bare(b);
  if (x->isNumeric() && y->isNumeric()) {
    auto isFloat = [](const Type* t) { return t->kind == TypeKind::Float32 || t->kind == TypeKind::Float64; };
    if (isFloat(x) || isFloat(y))
      return tc_.primitive(x->kind == TypeKind::Float32 && y->kind == TypeKind::Float32 ? TypeKind::Float32
                                                                                        : TypeKind::Float64);
    if (x->kind == TypeKind::Decimal || y->kind == TypeKind::Decimal) {
      model::Type d;
      d.kind = TypeKind::Decimal;
      d.precision = 38;
      d.scale = std::max(x->kind == TypeKind::Decimal ? x->scale : 0, y->kind == TypeKind::Decimal ? y->scale : 0);
      return tc_.get(d);
    }
    return tc_.primitive(TypeKind::Int64);
  }
  bool additive = op == ast::BinaryOp::Add || op == ast::BinaryOp::Sub;
  if (additive && x->kind == TypeKind::Timestamp && y->kind == TypeKind::Duration)
    return tc_.primitive(TypeKind::Timestamp);
  if (op == ast::BinaryOp::Add && x->kind == TypeKind::Duration && y->kind == TypeKind::Timestamp)
    return tc_.primitive(TypeKind::Timestamp);
  if (additive && x->kind == TypeKind::Duration && y->kind == TypeKind::Duration)
    return tc_.primitive(TypeKind::Duration);
  if (op == ast::BinaryOp::Sub && x->kind == TypeKind::Timestamp && y->kind == TypeKind::Timestamp)
    return tc_.primitive(TypeKind::Duration);
  if (op == ast::BinaryOp::Mul &&
      ((x->kind == TypeKind::Duration && y->isInteger()) || (x->isInteger() && y->kind == TypeKind::Duration)))
    return tc_.primitive(TypeKind::Duration);
  return nullptr;
}

void ExprChecker::checkLiteralFits(const model::Expr& lit, const Type* context) {
  if (lit.op != model::ExprOp::Literal || context->isError()) return;
  const Type* t = bare(context);
  if (lit.literal.kind == model::Value::Kind::Int && t->kind == TypeKind::Int32) {
    if (lit.literal.i < INT32_MIN || lit.literal.i > INT32_MAX)
      c_.diags_.report(DiagKind::E0312, lit.range,
                       fmt::format("{} does not fit in 'int32', the type it is compared with", lit.literal.i));
  }
  if ((lit.literal.kind == model::Value::Kind::Float || lit.literal.kind == model::Value::Kind::Int) &&
      t->kind == TypeKind::Float32) {
    double v = lit.literal.kind == model::Value::Kind::Float ? lit.literal.f : static_cast<double>(lit.literal.i);
    if (std::fabs(v) > 3.4028234663852886e38)
      c_.diags_.report(DiagKind::E0312, lit.range, "the number does not fit in 'float32'");
  }
}

model::ExprPtr ExprChecker::binary(const ast::Expr& e) {
  ast::BinaryOp op = e.binaryOp;
  // Enum members are written bare: type the side that can stand alone
  // first, then the other with it as the expected type.
  const ast::Expr& lhsAst = *e.args[0];
  const ast::Expr& rhsAst = *e.args[1];
  model::ExprPtr lhs, rhs;
  bool lhsBare = lhsAst.kind == ast::ExprKind::Name && !resolvesInScope(lhsAst) && !qualifiedReferenceProbe(lhsAst);
  if (lhsBare) {
    rhs = check(rhsAst, nullptr);
    lhs = check(lhsAst, rhs->type);
  } else {
    lhs = check(lhsAst, nullptr);
    // A bare name on the right can only be read with the left side's type
    // (an enum member); when the left side failed, it cannot be checked.
    bool rhsBare = rhsAst.kind == ast::ExprKind::Name && !resolvesInScope(rhsAst) && !qualifiedReferenceProbe(rhsAst);
    if (lhs->type->isError() && rhsBare) return error(e.range);
    rhs = check(rhsAst, lhs->type);
  }
  if (lhs->type->isError() || rhs->type->isError()) return error(e.range);
  const Type* lt = lhs->type;
  const Type* rt = rhs->type;
  auto result = [&](const Type* type) {
    auto out = make(model::ExprOp::Binary, type, e.range);
    out->binaryOp = toModel(op);
    out->args.push_back(std::move(lhs));
    out->args.push_back(std::move(rhs));
    return out;
  };
  if (op == ast::BinaryOp::And || op == ast::BinaryOp::Or) {
    for (const model::ExprPtr* side : {&lhs, &rhs}) {
      if (bare((*side)->type)->kind != TypeKind::Bool) {
        c_.diags_.report(DiagKind::E0302, (*side)->range,
                         fmt::format("'{}' needs bool operands, found '{}'", ast::spelling(op), show((*side)->type)));
        return error(e.range);
      }
    }
    return result(tc_.primitive(TypeKind::Bool));
  }
  if (isComparisonOp(op)) {
    bool equality = op == ast::BinaryOp::Eq || op == ast::BinaryOp::Ne;
    bool lnull = lt->kind == TypeKind::Null, rnull = rt->kind == TypeKind::Null;
    if (lnull || rnull) {
      if (!equality) {
        c_.diags_.report(DiagKind::E0301, e.range, fmt::format("'{}' cannot compare with null", ast::spelling(op)))
            .note("test for a missing value with == null or != null");
        return error(e.range);
      }
      const model::ExprPtr& other = lnull ? rhs : lhs;
      if (!other->type->optional && other->type->kind != TypeKind::Null && !other->type->holdsNull()) {
        c_.diags_
            .report(DiagKind::E0309, e.range,
                    fmt::format("{} is never null: its type '{}' is not optional", describeOperand(*other),
                                show(other->type)))
            .note("only fields declared with '?' can be null");
        return error(e.range);
      }
      return result(tc_.primitive(TypeKind::Bool));
    }
    for (const model::ExprPtr* side : {&lhs, &rhs})
      if (rejectsJson(**side, fmt::format("compared with '{}'", ast::spelling(op)), e.range)) return error(e.range);
    bool ok = comparable(lt, rt);
    if (ok && !equality) ok = bare(lt)->isOrdered();
    if (ok && equality) ok = !bare(lt)->isPolicyObject();
    if (!ok && comparable(lt, rt) && bare(lt)->kind == TypeKind::Enum) {
      c_.diags_
          .report(DiagKind::E0301, e.range,
                  fmt::format("'{}' is not defined for enum '{}'", ast::spelling(op), show(tc_.required(lt))))
          .note("enum members compare only with == and !=, or with `in`");
      return error(e.range);
    }
    if (!ok) {
      auto d =
          c_.diags_.report(DiagKind::E0301, e.range, fmt::format("cannot compare '{}' with '{}'", show(lt), show(rt)));
      if (lhs->op == model::ExprOp::Value && !scope_.valueDescription.empty())
        d.note(fmt::format("'value' is {} of type '{}'", scope_.valueDescription, show(scope_.valueType)));
      if (bare(lt)->kind == TypeKind::Enum && !equality)
        d.note("enum members compare only with == and !=, or with `in`");
      return error(e.range);
    }
    checkLiteralFits(*rhs, lt);
    checkLiteralFits(*lhs, rt);
    return result(tc_.primitive(TypeKind::Bool));
  }
  // Arithmetic.
  for (const model::ExprPtr* side : {&lhs, &rhs})
    if (rejectsJson(**side, fmt::format("an operand of '{}'", ast::spelling(op)), e.range)) return error(e.range);
  const Type* t = arithmetic(lt, rt, op);
  if (!t) {
    c_.diags_.report(DiagKind::E0302, e.range,
                     fmt::format("'{}' is not defined for '{}' and '{}'", ast::spelling(op), show(lt), show(rt)));
    return error(e.range);
  }
  if ((op == ast::BinaryOp::Div || op == ast::BinaryOp::Mod) && rhs->op == model::ExprOp::Literal &&
      ((rhs->literal.kind == model::Value::Kind::Int && rhs->literal.i == 0) ||
       (rhs->literal.kind == model::Value::Kind::Float && rhs->literal.f == 0))) {
    c_.diags_.report(DiagKind::E0306, rhs->range, fmt::format("'{}' by zero", ast::spelling(op)));
    return error(e.range);
  }
  checkLiteralFits(*rhs, lt);
  checkLiteralFits(*lhs, rt);
  return result(t);
}

model::ExprPtr ExprChecker::in(const ast::Expr& e) {
  const ast::Expr& lhsAst = *e.args[0];
  const ast::Expr& rhsAst = *e.args[1];
  model::ExprPtr lhs = check(lhsAst, nullptr);
  if (lhs->type->isError() || rejectsJson(*lhs, e.negated ? "tested with 'not in'" : "tested with 'in'", e.range))
    return error(e.range);
  model::ExprPtr rhs = check(rhsAst, tc_.list(lhs->type));
  if (rhs->type->isError()) return error(e.range);
  const Type* rt = bare(rhs->type);
  if (rt->kind != TypeKind::List || !comparable(lhs->type, rt->element) || bare(lhs->type)->isPolicyObject()) {
    c_.diags_.report(DiagKind::E0313, rhsAst.range,
                     fmt::format("'{}in' needs a list of '{}', found '{}'", e.negated ? "not " : "",
                                 show(tc_.required(lhs->type)), show(rhs->type)));
    return error(e.range);
  }
  if (rhs->op == model::ExprOp::List)
    for (const auto& el : rhs->args) checkLiteralFits(*el, lhs->type);
  auto out = make(model::ExprOp::In, tc_.primitive(TypeKind::Bool), e.range);
  out->negated = e.negated;
  out->args.push_back(std::move(lhs));
  out->args.push_back(std::move(rhs));
  return out;
}

model::ExprPtr ExprChecker::quantifier(const ast::Expr& e) {
  if (e.name != "any" && e.name != "all") {
    auto d = c_.diags_.report(DiagKind::E0303, e.nameRange, fmt::format("unknown quantifier '{}'", e.name));
    if (auto guess = closestMatch(e.name, {"any", "all"}))
      d.note(fmt::format("did you mean '{}'?", *guess));
    else
      d.note("the quantifiers are any(x in list: condition) and all(x in list: condition)");
    return error(e.range);
  }
  model::ExprPtr source = check(*e.args[0], nullptr);
  if (source->type->isError()) return error(e.range);
  const Type* st = bare(source->type);
  if (st->kind != TypeKind::List && st->kind != TypeKind::Map) {
    c_.diags_.report(DiagKind::E0305, e.args[0]->range,
                     fmt::format("{}() ranges over a list or a map, not a '{}'", e.name, show(source->type)));
    return error(e.range);
  }
  int index = scope_.nextLocal++;
  scope_.locals.push_back({e.var, st->element, index});
  model::ExprPtr body = check(*e.args[1], nullptr);
  scope_.locals.pop_back();
  if (body->type->isError()) return error(e.range);
  if (bare(body->type)->kind != TypeKind::Bool) {
    c_.diags_.report(DiagKind::E0308, e.args[1]->range,
                     fmt::format("the condition of {}() must be bool, not '{}'", e.name, show(body->type)));
    return error(e.range);
  }
  auto out = make(e.name == "any" ? model::ExprOp::Any : model::ExprOp::All, tc_.primitive(TypeKind::Bool), e.range);
  out->local = index;
  out->args.push_back(std::move(source));
  out->args.push_back(std::move(body));
  return out;
}

model::ExprPtr ExprChecker::list(const ast::Expr& e, const Type* expected) {
  // The expected element type only resolves bare enum members; the list's
  // type is its elements' (so `in` can say what it found).
  const Type* elementHint = expected && bare(expected)->kind == TypeKind::List ? bare(expected)->element : nullptr;
  std::vector<model::ExprPtr> items;
  const Type* element = nullptr;
  bool failed = false;
  for (const auto& a : e.args) {
    model::ExprPtr item = check(*a, elementHint);
    if (item->type->isError()) {
      failed = true;
      continue;
    }
    if (!element) {
      element = item->type;
    } else if (!comparable(element, item->type)) {
      c_.diags_.report(
          DiagKind::E0313, a->range,
          fmt::format("list elements must have one type: '{}' does not match '{}'", show(item->type), show(element)));
      failed = true;
    }
    items.push_back(std::move(item));
  }
  if (failed) return error(e.range);
  auto out = make(model::ExprOp::List, tc_.list(element ? element : tc_.primitive(TypeKind::Null)), e.range);
  out->args = std::move(items);
  return out;
}

// ---------------------------------------------------------------- entry points

model::ExprPtr Checker::checkExpr(const ast::Expr& e, Scope& scope, const model::Type* expected) {
  ExprChecker checker(*this, scope);
  return checker.check(e, expected);
}

model::ExprPtr Checker::checkCondition(const ast::Expr& e, Scope& scope, const char* what) {
  model::ExprPtr out = checkExpr(e, scope);
  if (out->type->isError()) return out;
  if (types().underlying(types().required(out->type))->kind != TypeKind::Bool) {
    diags_.report(DiagKind::E0308, e.range,
                  fmt::format("{} must be a bool condition, not '{}'", what, out->type->str()));
    out->type = types().error();
  }
  return out;
}

}  // namespace mesh::check
