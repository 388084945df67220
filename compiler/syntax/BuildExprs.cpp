// Builder: expressions (see Builder.h). Each alternative of `expr` and
// `primary` is one visit returning an ast::ExprPtr. A part missing after a
// syntax error, or a literal whose value was rejected (and reported), makes
// an error node, which the checker passes over without a message.
#include <fmt/format.h>

#include <algorithm>

#include "ast/Serialize.h"
#include "syntax/Builder.h"
#include "syntax/Literals.h"
#include "syntax/Parse.h"

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
  SourceRange range = s_.rangeOf(ctx);
  if (depth_ > kMaxExprDepth) {
    if (!depthReported_) {
      depthReported_ = true;
      s_.diags.report(DiagKind::E0008, range, fmt::format("expression nested more than {} levels deep", kMaxExprDepth));
    }
    return errorExpr(range);
  }
  if (ctx->exception) return errorExpr(range);
  return exprResult(ctx->accept(this), range);
}

ast::ExprPtr Builder::subExpr(MeshParser::ExprContext* ctx) {
  ++depth_;
  ast::ExprPtr e = expr(ctx);
  --depth_;
  return e;
}

ast::ExprPtr Builder::primary(MeshParser::PrimaryContext* ctx) {
  if (!ctx) return nullptr;
  SourceRange range = s_.rangeOf(ctx);
  if (ctx->exception) return errorExpr(range);
  return exprResult(ctx->accept(this), range);
}

// What an expression visit returned: an error node when it was no
// expression's (an alternative the parser could not label).
ast::ExprPtr Builder::exprResult(antlrcpp::Any result, SourceRange range) {
  if (!result.is<ast::ExprPtr>()) return errorExpr(range);
  return std::move(result.as<ast::ExprPtr>());
}

// A node with a missing operand (after a syntax error) becomes an error node.
ast::ExprPtr Builder::checkChildren(ast::ExprPtr e) {
  for (auto& a : e->args)
    if (!a) return errorExpr(e->range);
  return e;
}

void Builder::appendArgs(ast::Expr& e, MeshParser::ExprListContext* list) {
  if (!list) return;
  for (auto* a : list->items) e.args.push_back(subExpr(a));
}

// ------------------------------------------------------------ expr

antlrcpp::Any Builder::visitPrimaryExpr(MeshParser::PrimaryExprContext* ctx) { return primary(ctx->value); }

antlrcpp::Any Builder::visitMemberExpr(MeshParser::MemberExprContext* ctx) {
  auto e = namedExpr(ast::ExprKind::Member, s_.rangeOf(ctx), ctx->member);
  if (e->kind == ast::ExprKind::Error) return e;
  e->args.push_back(subExpr(ctx->expr()));
  if (ctx->LPAREN()) {
    e->isCall = true;
    appendArgs(*e, ctx->exprList());
  }
  return checkChildren(std::move(e));
}

antlrcpp::Any Builder::visitUnaryExpr(MeshParser::UnaryExprContext* ctx) {
  auto e = make(ast::ExprKind::Unary, s_.rangeOf(ctx));
  e->unaryOp = ctx->op && ctx->op->getText() == "-" ? ast::UnaryOp::Neg : ast::UnaryOp::Not;
  e->nameRange = s_.rangeOf(ctx->op);
  e->args.push_back(subExpr(ctx->expr()));
  return checkChildren(std::move(e));
}

antlrcpp::Any Builder::visitBinaryExpr(MeshParser::BinaryExprContext* ctx) {
  static const std::pair<const char*, ast::BinaryOp> ops[] = {
      {"||", ast::BinaryOp::Or}, {"&&", ast::BinaryOp::And}, {"==", ast::BinaryOp::Eq}, {"!=", ast::BinaryOp::Ne},
      {"<", ast::BinaryOp::Lt},  {"<=", ast::BinaryOp::Le},  {">", ast::BinaryOp::Gt},  {">=", ast::BinaryOp::Ge},
      {"+", ast::BinaryOp::Add}, {"-", ast::BinaryOp::Sub},  {"*", ast::BinaryOp::Mul}, {"/", ast::BinaryOp::Div},
      {"%", ast::BinaryOp::Mod}};
  SourceRange range = s_.rangeOf(ctx);
  std::string op = ctx->op ? ctx->op->getText() : "";
  auto found = std::find_if(std::begin(ops), std::end(ops), [&](const auto& entry) { return op == entry.first; });
  if (found == std::end(ops)) return errorExpr(range);
  auto e = make(ast::ExprKind::Binary, range);
  e->binaryOp = found->second;
  e->nameRange = s_.rangeOf(ctx->op);
  e->args.push_back(subExpr(ctx->left));
  e->args.push_back(subExpr(ctx->right));
  return checkChildren(std::move(e));
}

antlrcpp::Any Builder::visitInExpr(MeshParser::InExprContext* ctx) {
  auto e = make(ast::ExprKind::In, s_.rangeOf(ctx));
  e->negated = ctx->negated != nullptr;
  e->args.push_back(subExpr(ctx->expr(0)));
  e->args.push_back(subExpr(ctx->expr(1)));
  return checkChildren(std::move(e));
}

// ------------------------------------------------------------ primary

antlrcpp::Any Builder::visitLiteralPrimary(MeshParser::LiteralPrimaryContext* ctx) { return literal(ctx->literal()); }

antlrcpp::Any Builder::visitQuantifierPrimary(MeshParser::QuantifierPrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto kind = ident(ctx->quantifier);
  auto var = ident(ctx->var);
  if (!kind || !var) return errorExpr(range);
  auto e = make(ast::ExprKind::Quantifier, range);
  e->name = kind->name;
  e->nameRange = kind->range;
  e->var = var->name;
  e->varRange = var->range;
  e->args.push_back(subExpr(ctx->expr(0)));
  e->args.push_back(subExpr(ctx->expr(1)));
  return checkChildren(std::move(e));
}

antlrcpp::Any Builder::visitCallPrimary(MeshParser::CallPrimaryContext* ctx) {
  auto e = namedExpr(ast::ExprKind::Call, s_.rangeOf(ctx), ctx->callee);
  if (e->kind == ast::ExprKind::Error) return e;
  appendArgs(*e, ctx->args);
  return checkChildren(std::move(e));
}

antlrcpp::Any Builder::visitNamePrimary(MeshParser::NamePrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto id = ident(ctx->ident());
  if (!id) return errorExpr(range);
  auto e = make(ast::ExprKind::Name, range);
  e->name = id->name;
  e->nameRange = id->range;
  return e;
}

antlrcpp::Any Builder::visitParenPrimary(MeshParser::ParenPrimaryContext* ctx) {
  SourceRange range = s_.rangeOf(ctx);
  auto inner = subExpr(ctx->expr());
  if (!inner) return errorExpr(range);
  inner->range = range;  // carets cover the parentheses
  return inner;
}

antlrcpp::Any Builder::visitListPrimary(MeshParser::ListPrimaryContext* ctx) {
  auto e = make(ast::ExprKind::List, s_.rangeOf(ctx));
  appendArgs(*e, ctx->exprList());
  return checkChildren(std::move(e));
}

antlrcpp::Any Builder::visitMapPrimary(MeshParser::MapPrimaryContext* ctx) {
  auto e = make(ast::ExprKind::Map, s_.rangeOf(ctx));
  for (auto* entry : ctx->mapEntry()) {
    auto key = entry->key ? located(entry->key) : std::nullopt;
    auto value = subExpr(entry->expr());
    if (!key || !value) return errorExpr(e->range);  // already reported
    e->keys.push_back(std::move(*key));
    e->args.push_back(std::move(value));
  }
  return checkChildren(std::move(e));
}

// ------------------------------------------------------------ literals

template <typename T, typename Field>
ast::ExprPtr Builder::valueLiteral(std::optional<ast::Located<T>> value, ast::ExprKind kind, SourceRange range,
                                   Field ast::Expr::*field, std::string spelling) {
  if (!value) return errorExpr(range);  // already reported
  auto e = make(kind, range);
  e.get()->*field = std::move(value->value);
  e->name = std::move(spelling);  // literals keep their spelling
  return e;
}

ast::ExprPtr Builder::literal(MeshParser::LiteralContext* ctx) {
  if (!ctx || !ctx->getStart() || conjured(ctx->getStart())) return errorExpr(s_.rangeOf(ctx));
  Token* t = ctx->getStart();
  SourceRange range = s_.rangeOf(t);
  auto* node = dynamic_cast<antlr4::tree::TerminalNode*>(ctx->children.empty() ? nullptr : ctx->children[0]);
  switch (t->getType()) {
    case MeshParser::INT:
      return valueLiteral(decoded<uint64_t>(node, decodeUnsigned, "integer literal does not fit in 64 bits"),
                          ast::ExprKind::Int, range, &ast::Expr::intValue, t->getText());
    case MeshParser::FLOAT:
      return valueLiteral(decoded<double>(node, decodeFloat, "number is too large for a 64-bit float"),
                          ast::ExprKind::Float, range, &ast::Expr::floatValue, t->getText());
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
      return valueLiteral(durationValue(node), ast::ExprKind::Duration, range, &ast::Expr::micros, t->getText());
    case MeshParser::PERCENT:
      return valueLiteral(percentValue(node), ast::ExprKind::Percent, range, &ast::Expr::floatValue, t->getText());
    case MeshParser::RATE:
      return valueLiteral(rateValue(node), ast::ExprKind::Rate, range, &ast::Expr::floatValue, t->getText());
    case MeshParser::DATE:
      return valueLiteral(dateValue(node), ast::ExprKind::Date, range, &ast::Expr::date, t->getText());
    default:
      return keywordLiteral(t->getText(), range);
  }
}

ast::ExprPtr Builder::keywordLiteral(const std::string& text, SourceRange range) {
  if (text == "true" || text == "false") {
    auto e = make(ast::ExprKind::Bool, range);
    e->boolValue = text == "true";
    return e;
  }
  if (text == "null") return make(ast::ExprKind::Null, range);
  return errorExpr(range);
}

}  // namespace mesh::syntax
