// TreeNodes: what the AST builder asks of ANTLR's parse tree (a node's kind,
// a child of some kind), answered without dynamic_cast. The generated
// accessors (`ctx->expr()`, `ctx->LPAREN()`) and accept() make one per child
// they pass, each a walk of the class hierarchy comparing mangled type names
// across the runtime's shared library: most of the builder's cost before
// (bench/check). Each helper here answers what the accessor it replaces
// answers, error nodes included. Internal to compiler/syntax.
#pragma once

#include <cstddef>
#include <type_traits>
#include <typeinfo>
#include <vector>

#include "MeshParser.h"
#include "antlr4-runtime.h"

namespace mesh::syntax {

/// `node` as T when its dynamic type is exactly T, else null: for the
/// contexts of labeled alternatives and of rules without labels, which no
/// class derives from, the answer of dynamic_cast. A match costs a pointer
/// compare (one type_info per type), a miss a compare of the two names.
template <typename T>
T* exactly(antlr4::tree::ParseTree* node) {
  return node && typeid(*node) == typeid(T) ? static_cast<T*>(node) : nullptr;
}

/// Calls `f` with `node` as the one of Alternatives that is its exact type;
/// false, calling nothing, when none is (an alternative the parser could
/// not tell, after a syntax error).
template <typename... Alternatives, typename F>
bool withAlternative(antlr4::tree::ParseTree* node, F&& f) {
  return ((exactly<Alternatives>(node) ? (f(static_cast<Alternatives*>(node)), true) : false) || ...);
}

/// Whether `node` is a token, matched or an error node of the parser's
/// recovery: the two kinds of leaf antlr4::Parser makes, every other node is
/// a rule's context.
bool isToken(antlr4::tree::ParseTree* node);

// The generated class of a rule with labeled alternatives is only the base
// of theirs (and the context of an alternative the parser could not tell),
// and the only one with a default constructor: children of such a rule are
// found by rule index instead.
template <typename T>
inline constexpr bool kHasAlternatives = std::is_default_constructible_v<T>;

/// The `i`th child of `ctx` whose type is exactly T (`ctx->T(i)`).
template <typename T>
T* child(antlr4::ParserRuleContext* ctx, size_t i = 0) {
  static_assert(!kHasAlternatives<T>, "use ruleChild");
  for (auto* c : ctx->children)
    if (auto* found = exactly<T>(c); found && i-- == 0) return found;
  return nullptr;
}

/// Every child of `ctx` whose type is exactly T (`ctx->T()`).
template <typename T>
std::vector<T*> children(antlr4::ParserRuleContext* ctx) {
  static_assert(!kHasAlternatives<T>, "use ruleChildren");
  std::vector<T*> out;
  for (auto* c : ctx->children)
    if (auto* found = exactly<T>(c)) out.push_back(found);
  return out;
}

/// The `i`th child of `ctx` that is a context of the rule `rule` (whose
/// class is T), of any of its alternatives (`ctx->expr(i)`).
template <typename T>
T* ruleChild(antlr4::ParserRuleContext* ctx, size_t rule, size_t i = 0) {
  for (auto* c : ctx->children)
    if (!isToken(c) && static_cast<antlr4::ParserRuleContext*>(c)->getRuleIndex() == rule && i-- == 0)
      return static_cast<T*>(c);
  return nullptr;
}

/// Every child of `ctx` that is a context of the rule `rule` (whose class is
/// T), of any of its alternatives (`ctx->productItem()`).
template <typename T>
std::vector<T*> ruleChildren(antlr4::ParserRuleContext* ctx, size_t rule) {
  std::vector<T*> out;
  for (auto* c : ctx->children)
    if (!isToken(c) && static_cast<antlr4::ParserRuleContext*>(c)->getRuleIndex() == rule)
      out.push_back(static_cast<T*>(c));
  return out;
}

/// The `i`th expression among the children of `ctx`.
inline grammar::MeshParser::ExprContext* exprChild(antlr4::ParserRuleContext* ctx, size_t i = 0) {
  return ruleChild<grammar::MeshParser::ExprContext>(ctx, grammar::MeshParser::RuleExpr, i);
}

/// The `i`th token of type `type` among the children of `ctx`, error nodes
/// included (`ctx->INT(i)`, `ctx->LPAREN()`).
antlr4::Token* tokenChild(antlr4::ParserRuleContext* ctx, size_t type, size_t i = 0);

}  // namespace mesh::syntax
