// Builder: expressions (see Builder.h). Each alternative of `expr` and
// `primary` is one function returning an ast::ExprPtr. A part missing after a
// syntax error, or a literal whose value was rejected (and reported), makes
// an error node, which the checker passes over without a message.
#include <fmt/format.h>

#include <algorithm>

#include "ast/Serialize.h"
#include "syntax/Builder.h"
#include "syntax/Literals.h"
#include "syntax/Parse.h"
#include "syntax/TreeNodes.h"

namespace mesh::syntax {

using antlr4::Token;

// Every AST the parser builds reads back from its encoding: the decoder's
// depth limit is above the deepest expression (kMaxExprDepth + 2 levels, an
// error node last) and type expression (two levels per bracket: a union and
// its alternative), with room for the declarations around them.
static_assert(kMaxExprDepth + 2 + 16 <= ast::kMaxReadDepth && 2 * (kMaxNesting + 1) + 16 <= ast::kMaxReadDepth,
              "raise ast::kMaxReadDepth (ast/Serialize.h)");

ast::ExprPtr Builder::errorExpr(SourceRange range) { return make(ast::ExprKind::Error, range); }

ast::ExprPtr Builder::namedExpr(ast::ExprKind kind, SourceRange range, MeshParser::IdentContext* name) {
  auto id = ident(name);
  if (!id) return errorExpr(range);
  auto e = make(kind, range);
  e->name = id->name;
  e->nameRange = id->range;
  return e;
}

ast::ExprPtr Builder::make(ast::ExprKind kind, SourceRange range) {
  auto e = std::make_unique<ast::Expr>();
  e->kind = kind;
  e->range = range;
  return e;
}

ast::ExprPtr Builder::expr(MeshParser::ExprContext* ctx) {
  if (!ctx) return nullptr;
  if (depth_ > kMaxExprDepth) {
    SourceRange range = s_.rangeOf(ctx);
    if (!depthReported_) {
      depthReported_ = true;
      s_.diags.report(DiagKind::E0008, range, fmt::format("expression nested more than {} levels deep", kMaxExprDepth));
    }
    return errorExpr(range);
  }
  if (ctx->exception) return errorExpr(s_.rangeOf(ctx));
  return exprAlternative(ctx);
}

ast::ExprPtr Builder::subExpr(MeshParser::ExprContext* ctx) {
  ++depth_;
  ast::ExprPtr e = expr(ctx);
  --depth_;
  return e;
}

// The alternatives most written come first: each miss is a comparison.
// Each alternative takes its range when it needs it (a primary's is the
// primary's, a literal's its token's).
ast::ExprPtr Builder::exprAlternative(MeshParser::ExprContext* ctx) {
  if (auto* c = exactly<MeshParser::PrimaryExprContext>(ctx)) return primary(c->value);
  if (auto* c = exactly<MeshParser::BinaryExprContext>(ctx)) return binaryExpr(c);
  if (auto* c = exactly<MeshParser::MemberExprContext>(ctx)) return memberExpr(c);
  if (auto* c = exactly<MeshParser::UnaryExprContext>(ctx)) return unaryExpr(c);
  if (auto* c = exactly<MeshParser::InExprContext>(ctx)) return inExpr(c);
  return errorExpr(s_.rangeOf(ctx));
}

ast::ExprPtr Builder::primary(MeshParser::PrimaryContext* ctx) {
  if (!ctx) return nullptr;
  if (ctx->exception) return errorExpr(s_.rangeOf(ctx));
  return primaryAlternative(ctx);
}

ast::ExprPtr Builder::primaryAlternative(MeshParser::PrimaryContext* ctx) {
  if (auto* c = exactly<MeshParser::NamePrimaryContext>(ctx)) return namePrimary(c);
  if (auto* c = exactly<MeshParser::LiteralPrimaryContext>(ctx)) return literal(child<MeshParser::LiteralContext>(c));
  if (auto* c = exactly<MeshParser::CallPrimaryContext>(ctx)) return callPrimary(c);
  if (auto* c = exactly<MeshParser::ParenPrimaryContext>(ctx)) return parenPrimary(c);
  if (auto* c = exactly<MeshParser::ListPrimaryContext>(ctx)) return listPrimary(c);
  if (auto* c = exactly<MeshParser::QuantifierPrimaryContext>(ctx)) return quantifierPrimary(c);
  if (auto* c = exactly<MeshParser::MapPrimaryContext>(ctx)) return mapPrimary(c);
  return errorExpr(s_.rangeOf(ctx));
}

// A node with a missing operand (after a syntax error) becomes an error node.
ast::ExprPtr Builder::checkChildren(ast::ExprPtr e) {
  for (auto& a : e->args)
    if (!a) return errorExpr(e->range);
  return e;
}

void Builder::appendArgs(ast::Expr& e, MeshParser::ExprListContext* list) {
  if (!list) return;
  e.args.reserve(e.args.size() + list->items.size());
  for (auto* a : list->items) e.args.push_back(subExpr(a));
}

// ------------------------------------------------------------ expr

ast::ExprPtr Builder::memberExpr(MeshParser::MemberExprContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto e = namedExpr(ast::ExprKind::Member, range, ctx->member);
  if (e->kind == ast::ExprKind::Error) return e;
  e->args.push_back(subExpr(exprChild(ctx)));
  if (tokenChild(ctx, MeshParser::LPAREN)) {
    e->isCall = true;
    appendArgs(*e, child<MeshParser::ExprListContext>(ctx));
  }
  return checkChildren(std::move(e));
}

ast::ExprPtr Builder::unaryExpr(MeshParser::UnaryExprContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto e = make(ast::ExprKind::Unary, range);
  e->unaryOp = ctx->op && s_.spelling(ctx->op) == "-" ? ast::UnaryOp::Neg : ast::UnaryOp::Not;
  e->nameRange = s_.rangeOf(ctx->op);
  e->args.push_back(subExpr(exprChild(ctx)));
  return checkChildren(std::move(e));
}

ast::ExprPtr Builder::binaryExpr(MeshParser::BinaryExprContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  static constexpr std::pair<std::string_view, ast::BinaryOp> ops[] = {
      {"||", ast::BinaryOp::Or}, {"&&", ast::BinaryOp::And}, {"==", ast::BinaryOp::Eq}, {"!=", ast::BinaryOp::Ne},
      {"<", ast::BinaryOp::Lt},  {"<=", ast::BinaryOp::Le},  {">", ast::BinaryOp::Gt},  {">=", ast::BinaryOp::Ge},
      {"+", ast::BinaryOp::Add}, {"-", ast::BinaryOp::Sub},  {"*", ast::BinaryOp::Mul}, {"/", ast::BinaryOp::Div},
      {"%", ast::BinaryOp::Mod}};
  std::string_view op = ctx->op ? s_.spelling(ctx->op) : "";
  auto found = std::find_if(std::begin(ops), std::end(ops), [&](const auto& entry) { return op == entry.first; });
  if (found == std::end(ops)) return errorExpr(range);
  auto e = make(ast::ExprKind::Binary, range);
  e->binaryOp = found->second;
  e->nameRange = s_.rangeOf(ctx->op);
  e->args.reserve(2);
  e->args.push_back(subExpr(ctx->left));
  e->args.push_back(subExpr(ctx->right));
  return checkChildren(std::move(e));
}

ast::ExprPtr Builder::inExpr(MeshParser::InExprContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto e = make(ast::ExprKind::In, range);
  e->negated = ctx->negated != nullptr;
  e->args.reserve(2);
  e->args.push_back(subExpr(exprChild(ctx, 0)));
  e->args.push_back(subExpr(exprChild(ctx, 1)));
  return checkChildren(std::move(e));
}

// ------------------------------------------------------------ primary

ast::ExprPtr Builder::quantifierPrimary(MeshParser::QuantifierPrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto kind = ident(ctx->quantifier);
  auto var = ident(ctx->var);
  if (!kind || !var) return errorExpr(range);
  auto e = make(ast::ExprKind::Quantifier, range);
  e->name = std::move(kind->name);
  e->nameRange = kind->range;
  e->var = std::move(var->name);
  e->varRange = var->range;
  e->args.reserve(2);
  e->args.push_back(subExpr(exprChild(ctx, 0)));
  e->args.push_back(subExpr(exprChild(ctx, 1)));
  return checkChildren(std::move(e));
}

ast::ExprPtr Builder::callPrimary(MeshParser::CallPrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto e = namedExpr(ast::ExprKind::Call, range, ctx->callee);
  if (e->kind == ast::ExprKind::Error) return e;
  appendArgs(*e, ctx->args);
  return checkChildren(std::move(e));
}

ast::ExprPtr Builder::namePrimary(MeshParser::NamePrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto id = ident(child<MeshParser::IdentContext>(ctx));
  if (!id) return errorExpr(range);
  auto e = make(ast::ExprKind::Name, range);
  e->name = std::move(id->name);
  e->nameRange = id->range;
  return e;
}

ast::ExprPtr Builder::parenPrimary(MeshParser::ParenPrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto inner = subExpr(exprChild(ctx));
  if (!inner) return errorExpr(range);
  inner->range = range;  // carets cover the parentheses
  return inner;
}

ast::ExprPtr Builder::listPrimary(MeshParser::ListPrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto e = make(ast::ExprKind::List, range);
  appendArgs(*e, child<MeshParser::ExprListContext>(ctx));
  return checkChildren(std::move(e));
}

ast::ExprPtr Builder::mapPrimary(MeshParser::MapPrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto e = make(ast::ExprKind::Map, range);
  for (auto* entry : children<MeshParser::MapEntryContext>(ctx)) {
    auto key = entry->key ? located(entry->key) : std::nullopt;
    auto value = subExpr(exprChild(entry));
    if (!key || !value) return errorExpr(e->range);  // already reported
    e->keys.push_back(std::move(*key));
    e->args.push_back(std::move(value));
  }
  return checkChildren(std::move(e));
}

// ------------------------------------------------------------ literals

template <typename T, typename Field>
ast::ExprPtr Builder::valueLiteral(std::optional<ast::Located<T>> value, ast::ExprKind kind, SourceRange range,
                                   Field ast::Expr::*field, std::string_view spelling) {
  if (!value) return errorExpr(range);  // already reported
  auto e = make(kind, range);
  e.get()->*field = std::move(value->value);
  e->name = spelling;  // literals keep their spelling
  return e;
}

ast::ExprPtr Builder::literal(MeshParser::LiteralContext* ctx) {
  if (!ctx || !ctx->getStart() || conjured(ctx->getStart())) return errorExpr(s_.rangeOf(ctx));
  Token* t = ctx->getStart();
  SourceRange range = s_.rangeOf(t);
  std::string_view text = s_.spelling(t);
  // The token the literal's value is read from: its first child (none when
  // recovery left it empty), as the start token need not be a child.
  Token* value = ctx->children.empty() || !isToken(ctx->children[0])
                     ? nullptr
                     : static_cast<antlr4::tree::TerminalNode*>(ctx->children[0])->getSymbol();
  switch (t->getType()) {
    case MeshParser::INT:
      return valueLiteral(decoded<uint64_t>(value, decodeUnsigned, "integer literal does not fit in 64 bits"),
                          ast::ExprKind::Int, range, &ast::Expr::intValue, text);
    case MeshParser::FLOAT:
      return valueLiteral(decoded<double>(value, decodeFloat, "number is too large for a 64-bit float"),
                          ast::ExprKind::Float, range, &ast::Expr::floatValue, text);
    case MeshParser::STRING:
    case MeshParser::RAW_STRING: {
      bool badEscape = false;
      auto v = stringValue(t, &badEscape);
      if (!v || badEscape) return errorExpr(range);  // already reported: do not check the value
      auto e = make(ast::ExprKind::String, range);
      e->stringValue = std::move(*v);
      return e;
    }
    case MeshParser::DURATION:
      return valueLiteral(durationValue(value), ast::ExprKind::Duration, range, &ast::Expr::micros, text);
    case MeshParser::PERCENT:
      return valueLiteral(percentValue(value), ast::ExprKind::Percent, range, &ast::Expr::floatValue, text);
    case MeshParser::RATE:
      return valueLiteral(rateValue(value), ast::ExprKind::Rate, range, &ast::Expr::floatValue, text);
    case MeshParser::DATE:
      return valueLiteral(dateValue(value), ast::ExprKind::Date, range, &ast::Expr::date, text);
    default:
      return keywordLiteral(text, range);
  }
}

ast::ExprPtr Builder::keywordLiteral(std::string_view text, SourceRange range) {
  if (text == "true" || text == "false") {
    auto e = make(ast::ExprKind::Bool, range);
    e->boolValue = text == "true";
    return e;
  }
  if (text == "null") return make(ast::ExprKind::Null, range);
  return errorExpr(range);
}

}  // namespace mesh::syntax
