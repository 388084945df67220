// Builder: files, declarations, types, names and literal tokens (see Builder.h).
#include "syntax/Builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "syntax/Literals.h"
#include "syntax/TreeNodes.h"

namespace mesh::syntax {

using antlr4::ParserRuleContext;
using antlr4::Token;

namespace {

constexpr size_t kDocChannel = 2;  // of DOC_COMMENT (grammar/Mesh.g4)

}  // namespace

ast::File Builder::build(MeshParser::FileContext* ctx) {
  ast::File file;
  file.fileId = s_.file;
  if (!ctx) return file;
  if (auto* p = child<MeshParser::PackageDeclContext>(ctx)) {
    auto name = qname(child<MeshParser::QualifiedNameContext>(p));
    if (name) file.package = std::move(*name);
  } else if (!hadSyntaxError()) {
    SourceRange at = ctx->getStart() ? s_.rangeOf(ctx->getStart()) : SourceRange{s_.file, 0, 0};
    s_.diags.report(DiagKind::E0009, at, "file does not start with a package declaration")
        .note("every .mesh file begins with `package NAME;`, for example `package sales.orders;`");
  }
  file.decls.reserve(ctx->children.size());
  for (auto* c : ctx->children) {
    if (auto* i = exactly<MeshParser::ImportDeclContext>(c)) {
      if (auto imp = import(i)) file.imports.push_back(std::move(*imp));
    } else if (auto* d = exactly<MeshParser::DeclContext>(c)) {
      // Built in place; one without a name is taken out again.
      if (!buildDecl(d, file.decls.emplace_back())) file.decls.pop_back();
    }
  }
  return file;
}

std::optional<ast::Import> Builder::import(MeshParser::ImportDeclContext* ctx) {
  auto name = qname(child<MeshParser::QualifiedNameContext>(ctx));
  if (!name) return std::nullopt;
  ast::Import imp{std::move(*name), std::nullopt, s_.rangeOf(ctx)};
  if (ctx->alias) {
    imp.alias = ident(ctx->alias);
    if (!imp.alias) return std::nullopt;
  }
  return imp;
}

// ------------------------------------------------------------ names and docs

// Error recovery's made-up tokens are never in the token stream (no
// index); malformed numbers are lexed tokens marked as missing.
bool Builder::conjured(const Token* t) const {
  return !t || TokenFields::index(t) == kNoIndex || s_.isMissingNumber(t);
}

std::optional<ast::Ident> Builder::ident(MeshParser::IdentContext* ctx) {
  if (!ctx || !ctx->start || ctx->children.empty()) return std::nullopt;
  Token* t = ctx->start;
  if (conjured(t) || ctx->exception) return std::nullopt;
  return ast::Ident{s_.textOf(t), s_.rangeOf(t)};
}

std::optional<ast::QualifiedName> Builder::qname(MeshParser::QualifiedNameContext* ctx) {
  if (!ctx) return std::nullopt;
  ast::QualifiedName q;
  q.parts.reserve(ctx->parts.size());
  for (auto* i : ctx->parts) {
    auto id = ident(i);
    if (!id) return std::nullopt;
    q.parts.push_back(std::move(*id));
  }
  if (q.parts.empty()) return std::nullopt;
  q.range = SourceRange::cover(q.parts.front().range, q.parts.back().range);
  return q;
}

std::vector<ast::QualifiedName> Builder::qnames(const std::vector<MeshParser::QualifiedNameContext*>& list) {
  std::vector<ast::QualifiedName> out;
  for (auto* q : list)
    if (auto n = qname(q)) out.push_back(std::move(*n));
  return out;
}

std::optional<ast::FieldPath> Builder::fieldPath(MeshParser::FieldPathContext* ctx) {
  if (!ctx) return std::nullopt;
  ast::FieldPath path;
  path.range = s_.rangeOf(ctx);
  // Children alternate ident, '.', '[', ']': walk them in order.
  for (auto* c : ctx->children) {
    if (auto* id = exactly<MeshParser::IdentContext>(c)) {
      auto i = ident(id);
      if (!i) return std::nullopt;
      path.segments.push_back({std::move(*i), false});
    } else if (isToken(c)) {
      if (static_cast<antlr4::tree::TerminalNode*>(c)->getSymbol()->getType() == MeshParser::RBRACK &&
          !path.segments.empty())
        path.segments.back().element = true;
    }
  }
  if (path.segments.empty()) return std::nullopt;
  return path;
}

// A declaration's documentation: the run of `///` lines directly above it,
// among the comments between it and the token before it on the default
// channel (ANTLR's getHiddenTokensToLeft, without its vectors and checks).
ast::Doc Builder::docFor(ParserRuleContext* ctx) {
  ast::Doc doc;
  if (!ctx || !ctx->start || conjured(ctx->start)) return doc;
  size_t line = TokenFields::line(ctx->start), index = TokenFields::index(ctx->start);
  size_t first = index, lines = 0;
  for (size_t i = index; i-- > 0;) {
    Token* t = s_.tokens->get(i);
    size_t channel = TokenFields::channel(t);
    if (channel == Token::DEFAULT_CHANNEL) break;
    if (channel != kDocChannel) continue;
    if (TokenFields::line(t) + 1 + lines != line) break;
    first = i;
    ++lines;
  }
  for (size_t i = first; i < index; ++i) {
    Token* t = s_.tokens->get(i);
    if (TokenFields::channel(t) != kDocChannel) continue;
    llvm::StringRef text(s_.spelling(t));
    text = text.drop_front(3);
    if (text.startswith(" ")) text = text.drop_front(1);
    if (!doc.text.empty()) doc.text += '\n';
    doc.text += text.rtrim();
    doc.range = SourceRange::cover(doc.range, s_.rangeOf(t));
  }
  return doc;
}

void Builder::reportGivenTwice(const char* what, ParserRuleContext* ctx, SourceRange first) {
  s_.diags.report(DiagKind::E0010, s_.rangeOf(ctx), fmt::format("'{}' is given twice", what))
      .note("first given here", first);
}

// ------------------------------------------------------------ literal tokens

std::optional<std::string> Builder::stringValue(Token* t, bool* hadError) {
  if (!t || conjured(t)) return std::nullopt;
  std::string_view text = s_.spelling(t);
  if (t->getType() == MeshParser::RAW_STRING) return decodeRawString(text);
  if (t->getType() != MeshParser::STRING) return std::nullopt;
  DecodedString decoded = decodeString(text);
  SourceRange range = s_.rangeOf(t);
  for (const EscapeError& e : decoded.errors) {
    SourceRange at{s_.file, range.begin + static_cast<uint32_t>(e.begin), range.begin + static_cast<uint32_t>(e.end)};
    if (hadError) *hadError = true;
    if (e.kind == EscapeError::Kind::Unicode) {
      s_.diags.report(DiagKind::E0004, at,
                      "invalid unicode escape; write \\u{HEX} with 1 to 6 hex digits naming a code point");
      continue;
    }
    s_.diags
        .report(DiagKind::E0004, at, fmt::format("unknown escape sequence '{}'", text.substr(e.begin, e.end - e.begin)))
        .note(
            "the escapes are \\\" \\\\ \\n \\t \\r and \\u{HEX}; for regular expressions use a raw "
            "string r\"...\"");
  }
  return std::move(decoded.value);
}

std::optional<ast::Located<std::string>> Builder::located(Token* t) {
  auto v = stringValue(t);
  if (!v) return std::nullopt;
  return ast::Located<std::string>{std::move(*v), s_.rangeOf(t)};
}

std::optional<ast::Located<int64_t>> Builder::intValue(Token* t) {
  auto decodeInt64 = [](std::string_view text) -> std::optional<int64_t> {
    auto v = decodeUnsigned(text);
    if (!v || *v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(*v);
  };
  return decoded<int64_t>(t, decodeInt64, "integer literal is too large");
}

std::optional<ast::Located<int64_t>> Builder::durationValue(Token* t) {
  return decoded<int64_t>(t, decodeDurationMicros, "duration is too long");
}

std::optional<ast::Located<double>> Builder::percentValue(Token* t) {
  if (!t || conjured(t)) return std::nullopt;
  return ast::Located<double>{decodePercent(s_.spelling(t)), s_.rangeOf(t)};
}

std::optional<ast::Located<double>> Builder::rateValue(Token* t) {
  return decoded<double>(t, decodeRatePerSecond, "rate is too large");
}

std::optional<ast::Located<ast::Date>> Builder::dateValue(Token* t) {
  return decoded<ast::Date>(t, decodeDate, "'{}' is not a real date");
}

// ------------------------------------------------------------ declarations

std::vector<ast::Annotation> Builder::annotations(const std::vector<MeshParser::AnnotationContext*>& list) {
  std::vector<ast::Annotation> out;
  out.reserve(list.size());
  for (auto* a : list) {
    auto name = qname(child<MeshParser::QualifiedNameContext>(a));
    if (!name) continue;
    ast::Annotation ann{std::move(*name), {}, tokenChild(a, MeshParser::LPAREN) != nullptr, s_.rangeOf(a)};
    ann.args.reserve(a->args.size());
    for (auto* arg : a->args) {
      ast::AnnotationArg aa;
      if (arg->name) {
        aa.name = ident(arg->name);
        if (!aa.name) continue;
      }
      aa.value = expr(arg->value);
      ann.args.push_back(std::move(aa));
    }
    out.push_back(std::move(ann));
  }
  return out;
}

bool Builder::buildDecl(MeshParser::DeclContext* ctx, ast::Decl& decl) {
  auto* body = child<MeshParser::DeclBodyContext>(ctx);
  if (!body) return false;
  decl.doc = docFor(ctx);
  decl.annotations = annotations(ctx->annotations);
  decl.range = s_.rangeOf(ctx);
  auto name = declBody(body, decl.body);
  if (!name) return false;
  decl.name = std::move(*name);
  auto first = std::lower_bound(s_.errorOffsets.begin(), s_.errorOffsets.end(), decl.range.begin);
  decl.hasSyntaxErrors = first != s_.errorOffsets.end() && *first <= decl.range.end;
  if (decl.hasSyntaxErrors) decl.firstSyntaxError = *first;
  return true;
}

// The body's one rule child is the declaration (error recovery may have put
// error tokens before it).
std::optional<ast::Ident> Builder::declBody(MeshParser::DeclBodyContext* ctx, ast::DeclBody& body) {
  std::optional<ast::Ident> name;
  for (auto* c : ctx->children) {
    if (isToken(c)) continue;
    withAlternative<MeshParser::EnumDeclContext, MeshParser::TypeDeclContext, MeshParser::RecordDeclContext,
                    MeshParser::TagDeclContext, MeshParser::RoleDeclContext, MeshParser::DomainDeclContext,
                    MeshParser::ProductDeclContext, MeshParser::PolicyDeclContext, MeshParser::WaiverDeclContext,
                    MeshParser::UnionDeclContext>(c, [&](auto* decl) { name = declBody(decl, body); });
    break;
  }
  return name;
}

std::optional<ast::Ident> Builder::declBody(MeshParser::EnumDeclContext* ctx, ast::DeclBody& body) {
  auto name = ident(ctx->name);
  auto& en = body.emplace<ast::EnumDecl>();
  for (auto* m : children<MeshParser::EnumMemberContext>(ctx)) {
    auto mn = ident(m->name);
    if (!mn) continue;
    en.members.push_back({std::move(*mn), docFor(m), annotations(children<MeshParser::AnnotationContext>(m))});
  }
  return name;
}

std::optional<ast::Ident> Builder::declBody(MeshParser::TypeDeclContext* ctx, ast::DeclBody& body) {
  auto name = ident(ctx->name);
  auto& td = body.emplace<ast::TypeDecl>();
  td.type = typeExpr(child<MeshParser::TypeExprContext>(ctx));
  td.fieldAnnotations = annotations(children<MeshParser::AnnotationContext>(ctx));
  if (auto* constraint = exprChild(ctx)) td.constraint = expr(constraint);
  return name;
}

// Built in place (the parts in the order they are written, which is the
// order of their diagnostics), not member by member from temporaries.
ast::FieldDecl Builder::field(MeshParser::FieldDeclContext* ctx, ast::Ident name) {
  return {.name = std::move(name),
          .doc = docFor(ctx),
          .type = typeExpr(ctx->type),
          .annotations = annotations(ctx->annotations),
          .defaultValue = ctx->defaultValue ? expr(ctx->defaultValue) : nullptr,
          .constraint = ctx->constraint ? expr(ctx->constraint) : nullptr,
          .range = s_.rangeOf(ctx)};
}

std::optional<ast::Ident> Builder::declBody(MeshParser::RecordDeclContext* ctx, ast::DeclBody& body) {
  auto name = ident(ctx->name);
  auto& rd = body.emplace<ast::RecordDecl>();
  rd.fields.reserve(std::count_if(ctx->items.begin(), ctx->items.end(), [](auto* item) { return item->field; }));
  for (auto* item : ctx->items) {
    if (auto* f = item->field) {
      if (auto fieldName = ident(f->name)) rd.fields.push_back(field(f, std::move(*fieldName)));
    } else if (auto* c = item->check) {
      auto cn = ident(c->name);
      if (!cn) continue;
      rd.checks.push_back({std::move(*cn), docFor(c), expr(c->condition), s_.rangeOf(c)});
    }
  }
  return name;
}

std::optional<ast::Ident> Builder::declBody(MeshParser::TagDeclContext* ctx, ast::DeclBody& body) {
  auto name = ident(ctx->name);
  auto& td = body.emplace<ast::TagDecl>();
  td.hasParens = tokenChild(ctx, MeshParser::LPAREN) != nullptr;
  for (auto* p : children<MeshParser::TagParamContext>(ctx)) {
    auto pn = ident(p->name);
    if (!pn) continue;
    td.params.push_back({std::move(*pn), typeExpr(child<MeshParser::TypeExprContext>(p))});
  }
  return name;
}

std::optional<ast::Ident> Builder::declBody(MeshParser::RoleDeclContext* ctx, ast::DeclBody& body) {
  auto name = ident(ctx->name);
  auto& rd = body.emplace<ast::RoleDecl>();
  if (ctx->description) rd.description = stringValue(ctx->description);
  return name;
}

std::optional<ast::Ident> Builder::declBody(MeshParser::DomainDeclContext* ctx, ast::DeclBody& body) {
  auto name = ident(ctx->name);
  auto& dd = body.emplace<ast::DomainDecl>();
  for (auto* item : children<MeshParser::DomainItemContext>(ctx)) {
    auto key = ident(item->key);
    auto value = located(item->value);
    if (!key || !value) continue;
    dd.items.push_back({std::move(*key), std::move(value->value), value->range});
  }
  return name;
}

std::optional<ast::Ident> Builder::declBody(MeshParser::WaiverDeclContext* ctx, ast::DeclBody& body) {
  auto policyName = qname(ctx->policy);
  auto productName = qname(ctx->product);
  auto until = dateValue(tokenChild(ctx, MeshParser::DATE));
  auto reason = located(ctx->reason);
  if (!policyName || !productName || !until || !reason) return {};
  ast::Ident name{"waive " + policyName->str() + " for " + productName->str(), s_.rangeOf(ctx)};
  body = ast::WaiverDecl{std::move(*policyName), std::move(*productName), *until, std::move(*reason)};
  return name;
}

std::optional<ast::Ident> Builder::declBody(MeshParser::UnionDeclContext* ctx, ast::DeclBody& body) {
  auto name = ident(ctx->name);
  auto& ud = body.emplace<ast::UnionDecl>();
  if (auto d = ident(ctx->discriminator)) ud.discriminator = std::move(*d);
  for (auto* c : children<MeshParser::UnionCaseContext>(ctx)) {
    auto value = located(c->value);
    auto record = qname(child<MeshParser::QualifiedNameContext>(c));
    if (!value || !record) continue;
    ud.cases.push_back({std::move(*value), std::move(*record), docFor(c), s_.rangeOf(c)});
  }
  return name;
}

// ------------------------------------------------------------ types

ast::TypeExpr Builder::typeExpr(MeshParser::TypeExprContext* ctx) {
  if (!ctx) return {};  // Named with an empty name: a type that failed to parse
  const auto& bases = ctx->bases;
  ast::TypeExpr t = bases.size() == 1 ? baseType(bases[0]) : bases.empty() ? ast::TypeExpr{} : unionType(bases);
  t.range = s_.rangeOf(ctx);
  t.optional = ctx->optional != nullptr;
  return t;
}

ast::TypeExpr Builder::unionType(const std::vector<MeshParser::BaseTypeContext*>& bases) {
  ast::TypeExpr t;
  t.kind = ast::TypeExpr::Kind::Union;
  t.alternatives.reserve(bases.size());
  for (auto* base : bases) {
    ast::TypeExpr& alt = t.alternatives.emplace_back(baseType(base));
    alt.range = s_.rangeOf(base);
  }
  return t;
}

ast::TypeExpr Builder::baseType(MeshParser::BaseTypeContext* ctx) {
  if (auto* named = exactly<MeshParser::NamedTypeContext>(ctx)) return namedType(named);
  if (auto* list = exactly<MeshParser::ListTypeContext>(ctx)) return listType(list);
  if (auto* map = exactly<MeshParser::MapTypeContext>(ctx)) return mapType(map);
  if (auto* decimal = exactly<MeshParser::DecimalTypeContext>(ctx)) return decimalType(decimal);
  return {};
}

ast::TypeExpr Builder::listType(MeshParser::ListTypeContext* ctx) {
  ast::TypeExpr t;
  t.kind = ast::TypeExpr::Kind::List;
  t.element = std::make_unique<ast::TypeExpr>(typeExpr(child<MeshParser::TypeExprContext>(ctx)));
  return t;
}

ast::TypeExpr Builder::mapType(MeshParser::MapTypeContext* ctx) {
  ast::TypeExpr t;
  t.kind = ast::TypeExpr::Kind::Map;
  t.key = std::make_unique<ast::TypeExpr>(typeExpr(child<MeshParser::TypeExprContext>(ctx, 0)));
  t.element = std::make_unique<ast::TypeExpr>(typeExpr(child<MeshParser::TypeExprContext>(ctx, 1)));
  return t;
}

ast::TypeExpr Builder::decimalType(MeshParser::DecimalTypeContext* ctx) {
  ast::TypeExpr t;
  t.kind = ast::TypeExpr::Kind::Decimal;
  auto p = intValue(tokenChild(ctx, MeshParser::INT, 0));
  auto s = intValue(tokenChild(ctx, MeshParser::INT, 1));
  t.precision = p ? static_cast<int>(std::min<int64_t>(p->value, 1000000)) : -1;
  t.scale = s ? static_cast<int>(std::min<int64_t>(s->value, 1000000)) : -1;
  if (!p || !s) t.kind = ast::TypeExpr::Kind::Named;  // error type
  return t;
}

ast::TypeExpr Builder::namedType(MeshParser::NamedTypeContext* ctx) {
  ast::TypeExpr t;
  if (auto q = qname(child<MeshParser::QualifiedNameContext>(ctx))) t.name = std::move(*q);
  return t;
}

}  // namespace mesh::syntax
