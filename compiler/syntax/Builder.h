// Builder: one file's ANTLR parse tree to its AST, on the visitor ANTLR
// generates from the grammar: each labeled alternative (a kind of
// declaration, type, expression, product or policy item) is one visit
// function. Declarations, types and names are built in Builder.cpp, product
// and policy blocks in BuildGovernance.cpp, expressions in BuildExprs.cpp.
// Internal to compiler/syntax.
//
// After a syntax error the tree has holes: a missing part makes its item
// (or declaration) be left out, an expression an error node; the error was
// reported by the parser, so the builder reports nothing more about it.
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "MeshBaseVisitor.h"
#include "MeshParser.h"
#include "ast/AST.h"
#include "syntax/Session.h"

namespace mesh::syntax {

using grammar::MeshParser;

class Builder : public grammar::MeshBaseVisitor {
 public:
  explicit Builder(Session& s) : s_(s) {}

  ast::File build(MeshParser::FileContext* ctx);

  // ---- parts every kind of declaration uses (nothing when missing)
  SourceRange rangeOf(antlr4::ParserRuleContext* ctx) const { return s_.rangeOf(ctx); }
  std::optional<ast::Ident> ident(MeshParser::IdentContext* ctx);
  std::optional<ast::QualifiedName> qname(MeshParser::QualifiedNameContext* ctx);
  std::vector<ast::QualifiedName> qnames(const std::vector<MeshParser::QualifiedNameContext*>& list);
  std::optional<ast::FieldPath> fieldPath(MeshParser::FieldPathContext* ctx);
  ast::Doc docFor(antlr4::ParserRuleContext* ctx);
  std::vector<ast::Annotation> annotations(const std::vector<MeshParser::AnnotationContext*>& list);
  ast::TypeExpr typeExpr(MeshParser::TypeExprContext* ctx);
  ast::ExprPtr expr(MeshParser::ExprContext* ctx);  // null when ctx is

  // ---- literal tokens, decoded by syntax/Literals; what they reject is reported here
  std::optional<std::string> stringValue(antlr4::Token* t, bool* hadError = nullptr);
  std::optional<ast::Located<std::string>> located(antlr4::Token* t);
  std::optional<ast::Located<std::string>> located(antlr4::tree::TerminalNode* node);
  std::optional<ast::Located<int64_t>> intValue(antlr4::tree::TerminalNode* node);
  std::optional<ast::Located<int64_t>> durationValue(antlr4::tree::TerminalNode* node);
  std::optional<ast::Located<double>> percentValue(antlr4::tree::TerminalNode* node);
  std::optional<ast::Located<double>> rateValue(antlr4::tree::TerminalNode* node);
  std::optional<ast::Located<ast::Date>> dateValue(antlr4::tree::TerminalNode* node);

  /// A setting given once per block: false, after reporting E0010 at `ctx`,
  /// when `slot` is already filled (first given at `first`).
  template <typename T>
  bool once(const std::optional<T>& slot, const char* what, antlr4::ParserRuleContext* ctx, SourceRange first) {
    if (!slot) return true;
    reportGivenTwice(what, ctx, first);
    return false;
  }
  template <typename T>
  bool once(const std::optional<T>& slot, const char* what, antlr4::ParserRuleContext* ctx) {
    return once(slot, what, ctx, slot ? slot->range : SourceRange{});
  }

  // ---- the visitor: an alternative the parser could not label visits nothing
  antlrcpp::Any visitChildren(antlr4::tree::ParseTree* node) override;

  // Declaration bodies, each to a NamedBody (Builder.cpp, BuildGovernance.cpp).
  antlrcpp::Any visitDeclBody(MeshParser::DeclBodyContext* ctx) override;
  antlrcpp::Any visitEnumDecl(MeshParser::EnumDeclContext* ctx) override;
  antlrcpp::Any visitTypeDecl(MeshParser::TypeDeclContext* ctx) override;
  antlrcpp::Any visitRecordDecl(MeshParser::RecordDeclContext* ctx) override;
  antlrcpp::Any visitTagDecl(MeshParser::TagDeclContext* ctx) override;
  antlrcpp::Any visitRoleDecl(MeshParser::RoleDeclContext* ctx) override;
  antlrcpp::Any visitDomainDecl(MeshParser::DomainDeclContext* ctx) override;
  antlrcpp::Any visitProductDecl(MeshParser::ProductDeclContext* ctx) override;
  antlrcpp::Any visitPolicyDecl(MeshParser::PolicyDeclContext* ctx) override;
  antlrcpp::Any visitWaiverDecl(MeshParser::WaiverDeclContext* ctx) override;
  antlrcpp::Any visitUnionDecl(MeshParser::UnionDeclContext* ctx) override;

  // Base types, each to an ast::TypeExpr.
  antlrcpp::Any visitListType(MeshParser::ListTypeContext* ctx) override;
  antlrcpp::Any visitMapType(MeshParser::MapTypeContext* ctx) override;
  antlrcpp::Any visitDecimalType(MeshParser::DecimalTypeContext* ctx) override;
  antlrcpp::Any visitNamedType(MeshParser::NamedTypeContext* ctx) override;

  // Expressions and primaries, each to an ast::ExprPtr (BuildExprs.cpp).
  antlrcpp::Any visitPrimaryExpr(MeshParser::PrimaryExprContext* ctx) override;
  antlrcpp::Any visitMemberExpr(MeshParser::MemberExprContext* ctx) override;
  antlrcpp::Any visitUnaryExpr(MeshParser::UnaryExprContext* ctx) override;
  antlrcpp::Any visitBinaryExpr(MeshParser::BinaryExprContext* ctx) override;
  antlrcpp::Any visitInExpr(MeshParser::InExprContext* ctx) override;
  antlrcpp::Any visitLiteralPrimary(MeshParser::LiteralPrimaryContext* ctx) override;
  antlrcpp::Any visitQuantifierPrimary(MeshParser::QuantifierPrimaryContext* ctx) override;
  antlrcpp::Any visitCallPrimary(MeshParser::CallPrimaryContext* ctx) override;
  antlrcpp::Any visitNamePrimary(MeshParser::NamePrimaryContext* ctx) override;
  antlrcpp::Any visitParenPrimary(MeshParser::ParenPrimaryContext* ctx) override;
  antlrcpp::Any visitListPrimary(MeshParser::ListPrimaryContext* ctx) override;
  antlrcpp::Any visitMapPrimary(MeshParser::MapPrimaryContext* ctx) override;

 private:
  /// What a declaration body's visit returns.
  struct NamedBody {
    std::optional<ast::Ident> name;
    ast::DeclBody body;
  };

  bool hadSyntaxError() const { return s_.syntaxErrors > 0; }
  bool conjured(const antlr4::Token* t) const;
  void reportGivenTwice(const char* what, antlr4::ParserRuleContext* ctx, SourceRange first);
  /// The literal `node` decoded by `decode`, at its range; none for a token
  /// conjured by error recovery, or, reporting E0006 `problem` (a format
  /// of the token's text), for one `decode` rejects.
  template <typename T, typename Decode>
  std::optional<ast::Located<T>> decoded(antlr4::tree::TerminalNode* node, Decode decode, std::string_view problem);
  std::optional<ast::Import> import(MeshParser::ImportDeclContext* ctx);
  std::optional<ast::Decl> buildDecl(MeshParser::DeclContext* ctx);
  std::optional<ast::FieldDecl> field(MeshParser::FieldDeclContext* ctx);

  // Expressions (BuildExprs.cpp).
  ast::ExprPtr subExpr(MeshParser::ExprContext* ctx);  // one level deeper
  ast::ExprPtr primary(MeshParser::PrimaryContext* ctx);
  ast::ExprPtr literal(MeshParser::LiteralContext* ctx);
  ast::ExprPtr keywordLiteral(const std::string& text, SourceRange range);  // true, false, null
  void appendArgs(ast::Expr& e, MeshParser::ExprListContext* list);
  ast::ExprPtr exprResult(antlrcpp::Any result, SourceRange range);
  ast::ExprPtr checkChildren(ast::ExprPtr e);
  ast::ExprPtr errorExpr(SourceRange range);
  ast::ExprPtr make(ast::ExprKind kind, SourceRange range);
  /// An expression of `kind` named by `name` (a member, a callee); an
  /// error expression when the name is missing.
  ast::ExprPtr namedExpr(ast::ExprKind kind, SourceRange range, MeshParser::IdentContext* name);
  /// A literal of `kind` holding `value` in `field` (an error expression
  /// when the token had no value).
  template <typename T, typename Field>
  ast::ExprPtr valueLiteral(std::optional<ast::Located<T>> value, ast::ExprKind kind, SourceRange range,
                            Field ast::Expr::*field, std::string spelling);

  Session& s_;
  int depth_ = 0;  // of the expression being built
  bool depthReported_ = false;
};

template <typename T, typename Decode>
std::optional<ast::Located<T>> Builder::decoded(antlr4::tree::TerminalNode* node, Decode decode,
                                                std::string_view problem) {
  if (!node || conjured(node->getSymbol())) return std::nullopt;
  std::string text = node->getText();
  std::optional<T> value = decode(text);
  if (!value) {
    s_.diags.report(DiagKind::E0006, s_.rangeOf(node->getSymbol()), fmt::format(fmt::runtime(problem), text));
    return std::nullopt;
  }
  return ast::Located<T>{std::move(*value), s_.rangeOf(node->getSymbol())};
}

}  // namespace mesh::syntax
