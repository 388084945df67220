// Builder: files, declarations, types, names and literal tokens (see Builder.h).
#include "syntax/Builder.h"

#include <fmt/format.h>

#include <algorithm>

#include "syntax/Literals.h"

namespace mesh::syntax {

using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::tree::TerminalNode;

namespace {

// The value an Any from one of the builder's visits holds; a default value
// when the visit found nothing it could build (an unlabeled alternative).
template <typename T>
T take(antlrcpp::Any result) {
  return result.is<T>() ? std::move(result.as<T>()) : T{};
}

}  // namespace

ast::File Builder::build(MeshParser::FileContext* ctx) {
  ast::File file;
  file.fileId = s_.file;
  if (!ctx) return file;
  if (auto* p = ctx->packageDecl()) {
    auto name = qname(p->qualifiedName());
    if (name) file.package = std::move(*name);
  } else if (!hadSyntaxError()) {
    SourceRange at = ctx->getStart() ? s_.rangeOf(ctx->getStart()) : SourceRange{s_.file, 0, 0};
    s_.diags.report(DiagKind::E0009, at, "file does not start with a package declaration")
        .note("every .mesh file begins with `package NAME;`, for example `package sales.orders;`");
  }
  for (auto* i : ctx->importDecl())
    if (auto imp = import(i)) file.imports.push_back(std::move(*imp));
  for (auto* d : ctx->decl())
    if (auto decl = buildDecl(d)) file.decls.push_back(std::move(*decl));
  return file;
}

std::optional<ast::Import> Builder::import(MeshParser::ImportDeclContext* ctx) {
  auto name = qname(ctx->qualifiedName());
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
bool Builder::conjured(const Token* t) const { return !t || t->getTokenIndex() == kNoIndex || s_.isMissingNumber(t); }

std::optional<ast::Ident> Builder::ident(MeshParser::IdentContext* ctx) {
  if (!ctx || !ctx->getStart() || ctx->children.empty()) return std::nullopt;
  Token* t = ctx->getStart();
  if (conjured(t) || ctx->exception) return std::nullopt;
  return ast::Ident{s_.textOf(t), s_.rangeOf(t)};
}

std::optional<ast::QualifiedName> Builder::qname(MeshParser::QualifiedNameContext* ctx) {
  if (!ctx) return std::nullopt;
  ast::QualifiedName q;
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
  for (auto* child : ctx->children) {
    if (auto* id = dynamic_cast<MeshParser::IdentContext*>(child)) {
      auto i = ident(id);
      if (!i) return std::nullopt;
      path.segments.push_back({std::move(*i), false});
    } else if (auto* term = dynamic_cast<TerminalNode*>(child)) {
      if (term->getSymbol()->getType() == MeshParser::RBRACK && !path.segments.empty())
        path.segments.back().element = true;
    }
  }
  if (path.segments.empty()) return std::nullopt;
  return path;
}

ast::Doc Builder::docFor(ParserRuleContext* ctx) {
  ast::Doc doc;
  if (!ctx || !ctx->getStart() || conjured(ctx->getStart())) return doc;
  size_t index = ctx->getStart()->getTokenIndex();
  std::vector<Token*> hidden = s_.tokens->getHiddenTokensToLeft(index, 2);
  if (hidden.empty()) return doc;
  // Only the run of `///` lines directly above the declaration counts.
  size_t line = ctx->getStart()->getLine();
  std::vector<Token*> run;
  for (auto it = hidden.rbegin(); it != hidden.rend(); ++it) {
    if ((*it)->getLine() + 1 + run.size() != line) break;
    run.push_back(*it);
  }
  if (run.empty()) return doc;
  std::reverse(run.begin(), run.end());
  for (Token* t : run) {
    std::string raw = t->getText();
    llvm::StringRef text(raw);
    text = text.drop_front(3);
    if (text.startswith(" ")) text = text.drop_front(1);
    if (!doc.text.empty()) doc.text += '\n';
    doc.text += text.rtrim().str();
  }
  doc.range = SourceRange::cover(s_.rangeOf(run.front()), s_.rangeOf(run.back()));
  return doc;
}

void Builder::reportGivenTwice(const char* what, ParserRuleContext* ctx, SourceRange first) {
  s_.diags.report(DiagKind::E0010, s_.rangeOf(ctx), fmt::format("'{}' is given twice", what))
      .note("first given here", first);
}

// ------------------------------------------------------------ literal tokens

std::optional<std::string> Builder::stringValue(Token* t, bool* hadError) {
  if (!t || conjured(t)) return std::nullopt;
  std::string text = t->getText();
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

std::optional<ast::Located<std::string>> Builder::located(TerminalNode* node) {
  if (!node) return std::nullopt;
  return located(node->getSymbol());
}

std::optional<ast::Located<int64_t>> Builder::intValue(TerminalNode* node) {
  auto decodeInt64 = [](std::string_view text) -> std::optional<int64_t> {
    auto v = decodeUnsigned(text);
    if (!v || *v > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(*v);
  };
  return decoded<int64_t>(node, decodeInt64, "integer literal is too large");
}

std::optional<ast::Located<int64_t>> Builder::durationValue(TerminalNode* node) {
  return decoded<int64_t>(node, decodeDurationMicros, "duration is too long");
}

std::optional<ast::Located<double>> Builder::percentValue(TerminalNode* node) {
  if (!node || conjured(node->getSymbol())) return std::nullopt;
  return ast::Located<double>{decodePercent(node->getText()), s_.rangeOf(node->getSymbol())};
}

std::optional<ast::Located<double>> Builder::rateValue(TerminalNode* node) {
  return decoded<double>(node, decodeRatePerSecond, "rate is too large");
}

std::optional<ast::Located<ast::Date>> Builder::dateValue(TerminalNode* node) {
  return decoded<ast::Date>(node, decodeDate, "'{}' is not a real date");
}

// ------------------------------------------------------------ declarations

std::vector<ast::Annotation> Builder::annotations(const std::vector<MeshParser::AnnotationContext*>& list) {
  std::vector<ast::Annotation> out;
  for (auto* a : list) {
    auto name = qname(a->qualifiedName());
    if (!name) continue;
    ast::Annotation ann{std::move(*name), {}, a->LPAREN() != nullptr, s_.rangeOf(a)};
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

std::optional<ast::Decl> Builder::buildDecl(MeshParser::DeclContext* ctx) {
  auto* body = ctx->declBody();
  if (!body) return std::nullopt;
  ast::Decl decl{};
  decl.doc = docFor(ctx);
  decl.annotations = annotations(ctx->annotations);
  decl.range = s_.rangeOf(ctx);
  auto named = take<NamedBody>(body->accept(this));
  if (!named.name) return std::nullopt;
  decl.name = std::move(*named.name);
  decl.body = std::move(named.body);
  auto first = std::lower_bound(s_.errorOffsets.begin(), s_.errorOffsets.end(), decl.range.begin);
  decl.hasSyntaxErrors = first != s_.errorOffsets.end() && *first <= decl.range.end;
  if (decl.hasSyntaxErrors) decl.firstSyntaxError = *first;
  return decl;
}

antlrcpp::Any Builder::visitChildren(antlr4::tree::ParseTree*) { return {}; }

// The body's one rule child is the declaration (error recovery may have put
// error tokens before it).
antlrcpp::Any Builder::visitDeclBody(MeshParser::DeclBodyContext* ctx) {
  for (auto* child : ctx->children)
    if (auto* rule = dynamic_cast<ParserRuleContext*>(child)) return rule->accept(this);
  return {};
}

antlrcpp::Any Builder::visitEnumDecl(MeshParser::EnumDeclContext* ctx) {
  auto name = ident(ctx->name);
  ast::EnumDecl en;
  for (auto* m : ctx->enumMember()) {
    auto mn = ident(m->name);
    if (!mn) continue;
    en.members.push_back({std::move(*mn), docFor(m), annotations(m->annotation())});
  }
  return NamedBody{std::move(name), std::move(en)};
}

antlrcpp::Any Builder::visitTypeDecl(MeshParser::TypeDeclContext* ctx) {
  auto name = ident(ctx->name);
  ast::TypeDecl td;
  td.type = typeExpr(ctx->typeExpr());
  td.fieldAnnotations = annotations(ctx->annotation());
  if (ctx->expr()) td.constraint = expr(ctx->expr());
  return NamedBody{std::move(name), std::move(td)};
}

std::optional<ast::FieldDecl> Builder::field(MeshParser::FieldDeclContext* ctx) {
  auto name = ident(ctx->name);
  if (!name) return std::nullopt;
  ast::FieldDecl fd;
  fd.name = std::move(*name);
  fd.doc = docFor(ctx);
  fd.type = typeExpr(ctx->type);
  fd.annotations = annotations(ctx->annotations);
  if (ctx->defaultValue) fd.defaultValue = expr(ctx->defaultValue);
  if (ctx->constraint) fd.constraint = expr(ctx->constraint);
  fd.range = s_.rangeOf(ctx);
  return fd;
}

antlrcpp::Any Builder::visitRecordDecl(MeshParser::RecordDeclContext* ctx) {
  auto name = ident(ctx->name);
  ast::RecordDecl rd;
  for (auto* item : ctx->items) {
    if (auto* f = item->field) {
      if (auto fd = field(f)) rd.fields.push_back(std::move(*fd));
    } else if (auto* c = item->check) {
      auto cn = ident(c->name);
      if (!cn) continue;
      rd.checks.push_back({std::move(*cn), docFor(c), expr(c->condition), s_.rangeOf(c)});
    }
  }
  return NamedBody{std::move(name), std::move(rd)};
}

antlrcpp::Any Builder::visitTagDecl(MeshParser::TagDeclContext* ctx) {
  auto name = ident(ctx->name);
  ast::TagDecl td;
  td.hasParens = ctx->LPAREN() != nullptr;
  for (auto* p : ctx->tagParam()) {
    auto pn = ident(p->name);
    if (!pn) continue;
    td.params.push_back({std::move(*pn), typeExpr(p->typeExpr())});
  }
  return NamedBody{std::move(name), std::move(td)};
}

antlrcpp::Any Builder::visitRoleDecl(MeshParser::RoleDeclContext* ctx) {
  auto name = ident(ctx->name);
  ast::RoleDecl rd;
  if (ctx->description) rd.description = stringValue(ctx->description);
  return NamedBody{std::move(name), std::move(rd)};
}

antlrcpp::Any Builder::visitDomainDecl(MeshParser::DomainDeclContext* ctx) {
  auto name = ident(ctx->name);
  ast::DomainDecl dd;
  for (auto* item : ctx->domainItem()) {
    auto key = ident(item->key);
    auto value = located(item->value);
    if (!key || !value) continue;
    dd.items.push_back({std::move(*key), std::move(value->value), value->range});
  }
  return NamedBody{std::move(name), std::move(dd)};
}

antlrcpp::Any Builder::visitWaiverDecl(MeshParser::WaiverDeclContext* ctx) {
  auto policyName = qname(ctx->policy);
  auto productName = qname(ctx->product);
  auto until = dateValue(ctx->DATE());
  auto reason = located(ctx->reason);
  if (!policyName || !productName || !until || !reason) return {};
  ast::Ident name{"waive " + policyName->str() + " for " + productName->str(), s_.rangeOf(ctx)};
  return NamedBody{std::move(name),
                   ast::WaiverDecl{std::move(*policyName), std::move(*productName), *until, std::move(*reason)}};
}

antlrcpp::Any Builder::visitUnionDecl(MeshParser::UnionDeclContext* ctx) {
  auto name = ident(ctx->name);
  ast::UnionDecl ud;
  if (auto d = ident(ctx->discriminator)) ud.discriminator = std::move(*d);
  for (auto* c : ctx->unionCase()) {
    auto value = located(c->value);
    auto record = qname(c->qualifiedName());
    if (!value || !record) continue;
    ud.cases.push_back({std::move(*value), std::move(*record), docFor(c), s_.rangeOf(c)});
  }
  return NamedBody{std::move(name), std::move(ud)};
}

// ------------------------------------------------------------ types

ast::TypeExpr Builder::typeExpr(MeshParser::TypeExprContext* ctx) {
  ast::TypeExpr t;  // Named with an empty name: a type that failed to parse
  if (!ctx) return t;
  const auto& bases = ctx->bases;
  if (bases.size() == 1) {
    t = take<ast::TypeExpr>(bases[0]->accept(this));
  } else if (bases.size() > 1) {
    t.kind = ast::TypeExpr::Kind::Union;
    for (auto* base : bases) {
      ast::TypeExpr alt = take<ast::TypeExpr>(base->accept(this));
      alt.range = s_.rangeOf(base);
      t.alternatives.push_back(std::move(alt));
    }
  }
  t.range = s_.rangeOf(ctx);
  t.optional = ctx->optional != nullptr;
  return t;
}

antlrcpp::Any Builder::visitListType(MeshParser::ListTypeContext* ctx) {
  ast::TypeExpr t;
  t.kind = ast::TypeExpr::Kind::List;
  t.element = std::make_unique<ast::TypeExpr>(typeExpr(ctx->typeExpr()));
  return t;
}

antlrcpp::Any Builder::visitMapType(MeshParser::MapTypeContext* ctx) {
  ast::TypeExpr t;
  t.kind = ast::TypeExpr::Kind::Map;
  t.key = std::make_unique<ast::TypeExpr>(typeExpr(ctx->typeExpr(0)));
  t.element = std::make_unique<ast::TypeExpr>(typeExpr(ctx->typeExpr(1)));
  return t;
}

antlrcpp::Any Builder::visitDecimalType(MeshParser::DecimalTypeContext* ctx) {
  ast::TypeExpr t;
  t.kind = ast::TypeExpr::Kind::Decimal;
  auto p = intValue(ctx->INT(0));
  auto s = intValue(ctx->INT(1));
  t.precision = p ? static_cast<int>(std::min<int64_t>(p->value, 1000000)) : -1;
  t.scale = s ? static_cast<int>(std::min<int64_t>(s->value, 1000000)) : -1;
  if (!p || !s) t.kind = ast::TypeExpr::Kind::Named;  // error type
  return t;
}

antlrcpp::Any Builder::visitNamedType(MeshParser::NamedTypeContext* ctx) {
  ast::TypeExpr t;
  if (auto q = qname(ctx->qualifiedName())) t.name = std::move(*q);
  return t;
}

}  // namespace mesh::syntax
