// Builder: one file's ANTLR parse tree to its AST. Each labeled
// alternative of the grammar (a kind of declaration, type, expression,
// product or policy item) is one function; a context is told apart by its
// exact type (syntax/TreeNodes), not visited through accept(), whose
// antlrcpp::Any result costs an allocation and two casts per node.
// Declarations, types and names are built in Builder.cpp, product and
// policy blocks in BuildGovernance.cpp, expressions in BuildExprs.cpp.
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

#include "MeshParser.h"
#include "ast/AST.h"
#include "syntax/Session.h"

namespace mesh::syntax {

using grammar::MeshParser;

class Builder {
 public:
  explicit Builder(Session& s) : s_(s) {}

  ast::File build(MeshParser::FileContext* ctx);

  // ---- parts every kind of declaration uses (nothing when missing)
  SourceRange rangeOf(antlr4::ParserRuleContext* ctx) const { return s_.rangeOf(ctx); }
  std::string_view spelling(const antlr4::Token* t) const { return s_.spelling(t); }
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
  std::optional<ast::Located<int64_t>> intValue(antlr4::Token* t);
  std::optional<ast::Located<int64_t>> durationValue(antlr4::Token* t);
  std::optional<ast::Located<double>> percentValue(antlr4::Token* t);
  std::optional<ast::Located<double>> rateValue(antlr4::Token* t);
  std::optional<ast::Located<ast::Date>> dateValue(antlr4::Token* t);

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

 private:
  bool hadSyntaxError() const { return s_.syntaxErrors > 0; }
  bool conjured(const antlr4::Token* t) const;
  void reportGivenTwice(const char* what, antlr4::ParserRuleContext* ctx, SourceRange first);
  /// The literal `t` decoded by `decode`, at its range; none for a token
  /// conjured by error recovery, or, reporting E0006 `problem` (a format
  /// of the token's text), for one `decode` rejects.
  template <typename T, typename Decode>
  std::optional<ast::Located<T>> decoded(antlr4::Token* t, Decode decode, std::string_view problem);
  std::optional<ast::Import> import(MeshParser::ImportDeclContext* ctx);
  bool buildDecl(MeshParser::DeclContext* ctx, ast::Decl& decl);  // false: left out
  ast::FieldDecl field(MeshParser::FieldDeclContext* ctx, ast::Ident name);

  // Declaration bodies, one per kind of declaration (Builder.cpp,
  // BuildGovernance.cpp): each fills `body` and returns the declaration's
  // name, none when it has none (the declaration is left out).
  std::optional<ast::Ident> declBody(MeshParser::DeclBodyContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::EnumDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::TypeDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::RecordDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::TagDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::RoleDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::DomainDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::ProductDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::PolicyDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::WaiverDeclContext* ctx, ast::DeclBody& body);
  std::optional<ast::Ident> declBody(MeshParser::UnionDeclContext* ctx, ast::DeclBody& body);

  // Base types; an alternative the parser could not label is a Named type
  // with no name.
  ast::TypeExpr unionType(const std::vector<MeshParser::BaseTypeContext*>& bases);
  ast::TypeExpr baseType(MeshParser::BaseTypeContext* ctx);
  ast::TypeExpr listType(MeshParser::ListTypeContext* ctx);
  ast::TypeExpr mapType(MeshParser::MapTypeContext* ctx);
  ast::TypeExpr decimalType(MeshParser::DecimalTypeContext* ctx);
  ast::TypeExpr namedType(MeshParser::NamedTypeContext* ctx);

  // Expressions and primaries (BuildExprs.cpp); an alternative the parser
  // could not label is an error node.
  ast::ExprPtr subExpr(MeshParser::ExprContext* ctx);  // one level deeper
  ast::ExprPtr exprAlternative(MeshParser::ExprContext* ctx);
  ast::ExprPtr memberExpr(MeshParser::MemberExprContext* ctx);
  ast::ExprPtr unaryExpr(MeshParser::UnaryExprContext* ctx);
  ast::ExprPtr binaryExpr(MeshParser::BinaryExprContext* ctx);
  ast::ExprPtr inExpr(MeshParser::InExprContext* ctx);
  ast::ExprPtr primary(MeshParser::PrimaryContext* ctx);
  ast::ExprPtr primaryAlternative(MeshParser::PrimaryContext* ctx);
  ast::ExprPtr quantifierPrimary(MeshParser::QuantifierPrimaryContext* ctx);
  ast::ExprPtr callPrimary(MeshParser::CallPrimaryContext* ctx);
  ast::ExprPtr namePrimary(MeshParser::NamePrimaryContext* ctx);
  ast::ExprPtr parenPrimary(MeshParser::ParenPrimaryContext* ctx);
  ast::ExprPtr listPrimary(MeshParser::ListPrimaryContext* ctx);
  ast::ExprPtr mapPrimary(MeshParser::MapPrimaryContext* ctx);
  ast::ExprPtr literal(MeshParser::LiteralContext* ctx);
  ast::ExprPtr keywordLiteral(std::string_view text, SourceRange range);  // true, false, null
  void appendArgs(ast::Expr& e, MeshParser::ExprListContext* list);
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
                            Field ast::Expr::*field, std::string_view spelling);

  Session& s_;
  int depth_ = 0;  // of the expression being built
  bool depthReported_ = false;
};

template <typename T, typename Decode>
std::optional<ast::Located<T>> Builder::decoded(antlr4::Token* t, Decode decode, std::string_view problem) {
  if (!t || conjured(t)) return std::nullopt;
  std::string_view text = s_.spelling(t);
  std::optional<T> value = decode(text);
  if (!value) {
    s_.diags.report(DiagKind::E0006, s_.rangeOf(t), fmt::format(fmt::runtime(problem), text));
    return std::nullopt;
  }
  return ast::Located<T>{std::move(*value), s_.rangeOf(t)};
}

}  // namespace mesh::syntax
