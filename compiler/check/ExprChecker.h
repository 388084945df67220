// ExprChecker: the typing of one expression tree, shared by Exprs.cpp
// (literals, names, operators), Calls.cpp (builtin functions) and
// PolicyModel.cpp (attributes and methods of the policy model).
#pragma once

#include <fmt/format.h>

#include <string>
#include <vector>

#include "check/CheckerImpl.h"

namespace mesh::check {

/// Types one expression tree; lives for one top-level expression.
class ExprChecker {
 public:
  ExprChecker(Checker& c, Scope& scope) : c_(c), scope_(scope), tc_(c.types()) {}

  model::ExprPtr check(const ast::Expr& e, const model::Type* expected);

 private:
  model::ExprPtr make(model::ExprOp op, const model::Type* type, SourceRange range) {
    auto e = std::make_unique<model::Expr>();
    e->op = op;
    e->type = type;
    e->range = range;
    return e;
  }
  model::ExprPtr error(SourceRange range) { return make(model::ExprOp::Literal, tc_.error(), range); }

  const model::Type* bare(const model::Type* t) { return tc_.underlying(tc_.required(t)); }
  std::string show(const model::Type* t) { return t->str(); }

  model::ExprPtr literal(const ast::Expr& e, const model::Type* expected);
  model::ExprPtr name(const ast::Expr& e, const model::Type* expected);
  model::ExprPtr member(const ast::Expr& e, const model::Type* expected);
  model::ExprPtr call(const ast::Expr& e);  // Calls.cpp
  model::ExprPtr unknownFunction(const ast::Expr& e);
  model::ExprPtr uniqueBy(const ast::Expr& e, model::ExprPtr out);
  bool typeArguments(const ast::Expr& e, const std::vector<model::ExprPtr>& args, model::Expr& out);
  bool checkPattern(const ast::Expr& pattern);
  model::ExprPtr unary(const ast::Expr& e);
  model::ExprPtr binary(const ast::Expr& e);
  model::ExprPtr in(const ast::Expr& e);
  model::ExprPtr quantifier(const ast::Expr& e);
  model::ExprPtr list(const ast::Expr& e, const model::Type* expected);
  model::ExprPtr policyAttribute(const ast::Expr& e, model::ExprPtr base);  // PolicyModel.cpp
  model::ExprPtr method(const ast::Expr& e, model::ExprPtr base);
  model::ExprPtr modelMethod(const ast::Expr& e, model::ExprPtr base, model::Builtin builtin, model::TypeKind argKind,
                             const char* signature, const char* argName);

  /// A Name/Member chain that names a declaration or enum member rather
  /// than a value, e.g. `Status.REFUNDED`, `types.Currency.USD`, `privacy`.
  model::ExprPtr qualifiedReference(const ast::Expr& e, const model::Type* expected, bool report);
  bool chainParts(const ast::Expr& e, std::vector<std::string>& parts);
  bool resolvesInScope(const ast::Expr& e);

  bool qualifiedReferenceProbe(const ast::Expr& e) {
    std::vector<std::string> parts;
    if (!chainParts(e, parts)) return false;
    KindMask want = kindBit(ast::DeclKind::Role) | kindBit(ast::DeclKind::Tag) | kindBit(ast::DeclKind::Domain);
    return c_.tryLookup(parts, scope_.file, want) != nullptr;
  }
  std::string describeOperand(const model::Expr& e) {
    if ((e.op == model::ExprOp::FieldRef || e.op == model::ExprOp::Member) && e.field)
      return fmt::format("field '{}'", e.field->name);
    if (e.op == model::ExprOp::Value) return "value";
    return "this value";
  }
  bool comparable(const model::Type* a, const model::Type* b);
  /// Reports E0317 when `operand` is a `json` value, to which `use` (an
  /// operator, a function, member access) does not apply (Calls.cpp).
  bool rejectsJson(const model::Expr& operand, const std::string& use, SourceRange range);
  const model::Type* arithmetic(const model::Type* a, const model::Type* b, ast::BinaryOp op);
  void checkLiteralFits(const model::Expr& literal, const model::Type* context);

  Checker& c_;
  Scope& scope_;
  model::TypeContext& tc_;
};

}  // namespace mesh::check
