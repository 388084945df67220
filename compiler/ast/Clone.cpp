// Clone: field-by-field deep copy of the AST with file ids rewritten.
//
// Every struct of AST.h is copied here member by member, each with one
// aggregate initializer naming all its members in order, so that a member
// added at the end is a -Wmissing-field-initializers warning here. The size
// checks below catch the rest: they fail to compile when a struct changes
// (on the platform meshc is built on: libstdc++, 64 bits), as a reminder to
// copy the new member too; one not copied would silently read as its default
// in the baseline of `meshc breaking`.
#include "ast/Clone.h"

namespace mesh::ast {
namespace {

#if defined(__GLIBCXX__) && defined(__x86_64__)
#define MESH_AST_SIZE(T, n) \
  static_assert(sizeof(T) == (n), "ast::" #T " changed: copy its new members in ast/Clone.cpp, then update this size")
MESH_AST_SIZE(Ident, 48);
MESH_AST_SIZE(QualifiedName, 40);
MESH_AST_SIZE(Doc, 48);
MESH_AST_SIZE(Date, 12);
MESH_AST_SIZE(Expr, 240);
MESH_AST_SIZE(TypeExpr, 112);
MESH_AST_SIZE(AnnotationArg, 64);
MESH_AST_SIZE(Annotation, 80);
MESH_AST_SIZE(EnumMember, 120);
MESH_AST_SIZE(EnumDecl, 24);
MESH_AST_SIZE(TypeDecl, 144);
MESH_AST_SIZE(FieldDecl, 264);
MESH_AST_SIZE(CheckDecl, 120);
MESH_AST_SIZE(RecordDecl, 48);
MESH_AST_SIZE(TagParam, 160);
MESH_AST_SIZE(TagDecl, 32);
MESH_AST_SIZE(RoleDecl, 40);
MESH_AST_SIZE(DomainItem, 96);
MESH_AST_SIZE(DomainDecl, 24);
MESH_AST_SIZE(FieldPath::Segment, 56);
MESH_AST_SIZE(FieldPath, 40);
MESH_AST_SIZE(QualityRule, 120);
MESH_AST_SIZE(Mask, 160);
MESH_AST_SIZE(Topic, 232);
MESH_AST_SIZE(Sla, 232);
MESH_AST_SIZE(Access, 128);
MESH_AST_SIZE(ProductDecl, 952);
MESH_AST_SIZE(Binder, 120);
MESH_AST_SIZE(Require, 80);
MESH_AST_SIZE(ForRule, 72);
MESH_AST_SIZE(PolicyDecl, 80);
MESH_AST_SIZE(WaiverDecl, 152);
MESH_AST_SIZE(UnionCase, 152);
MESH_AST_SIZE(UnionDecl, 72);
MESH_AST_SIZE(Decl, 1104);
MESH_AST_SIZE(Import, 112);
MESH_AST_SIZE(File, 104);
#undef MESH_AST_SIZE
#endif

class Cloner {
 public:
  Cloner(uint32_t from, uint32_t to) : from_(from), to_(to) {}

  SourceRange operator()(const SourceRange& r) const { return r.file == from_ ? SourceRange{to_, r.begin, r.end} : r; }

  // Leaves: copied as they are.
  template <typename T>
  requires std::is_arithmetic_v<T> || std::is_enum_v<T> T operator()(const T& v) const { return v; }
  std::string operator()(const std::string& s) const { return s; }
  Date operator()(const Date& d) const { return d; }

  template <typename T>
  std::optional<T> operator()(const std::optional<T>& o) const {
    if (!o) return std::nullopt;
    return (*this)(*o);
  }
  template <typename T>
  std::vector<T> operator()(const std::vector<T>& v) const {
    std::vector<T> out;
    out.reserve(v.size());
    for (const auto& e : v) out.push_back((*this)(e));
    return out;
  }
  template <typename T>
  std::unique_ptr<T> operator()(const std::unique_ptr<T>& p) const {
    return p ? std::make_unique<T>((*this)(*p)) : nullptr;
  }
  template <typename T>
  Located<T> operator()(const Located<T>& l) const {
    return {(*this)(l.value), (*this)(l.range)};
  }

  Ident operator()(const Ident& i) const { return {i.name, (*this)(i.range)}; }
  QualifiedName operator()(const QualifiedName& q) const { return {(*this)(q.parts), (*this)(q.range)}; }
  Doc operator()(const Doc& d) const { return {d.text, (*this)(d.range)}; }

  Expr operator()(const Expr& e) const {
    return {e.kind,   (*this)(e.range), e.name,    (*this)(e.nameRange), e.var,           (*this)(e.varRange),
            e.isCall, e.negated,        e.unaryOp, e.binaryOp,           e.intValue,      e.floatValue,
            e.micros, e.boolValue,      e.date,    e.stringValue,        (*this)(e.args), (*this)(e.keys)};
  }
  TypeExpr operator()(const TypeExpr& t) const {
    return {t.kind,  (*this)(t.name), (*this)(t.key),   (*this)(t.element),     t.precision,
            t.scale, t.optional,      (*this)(t.range), (*this)(t.alternatives)};
  }
  UnionCase operator()(const UnionCase& c) const {
    return {(*this)(c.value), (*this)(c.record), (*this)(c.doc), (*this)(c.range)};
  }
  UnionDecl operator()(const UnionDecl& u) const { return {(*this)(u.discriminator), (*this)(u.cases)}; }

  AnnotationArg operator()(const AnnotationArg& a) const { return {(*this)(a.name), (*this)(a.value)}; }
  Annotation operator()(const Annotation& a) const {
    return {(*this)(a.name), (*this)(a.args), a.hasParens, (*this)(a.range)};
  }

  EnumMember operator()(const EnumMember& m) const { return {(*this)(m.name), (*this)(m.doc), (*this)(m.annotations)}; }
  EnumDecl operator()(const EnumDecl& e) const { return {(*this)(e.members)}; }
  TypeDecl operator()(const TypeDecl& t) const {
    return {(*this)(t.type), (*this)(t.fieldAnnotations), (*this)(t.constraint)};
  }
  FieldDecl operator()(const FieldDecl& f) const {
    return {(*this)(f.name),         (*this)(f.doc),        (*this)(f.type), (*this)(f.annotations),
            (*this)(f.defaultValue), (*this)(f.constraint), (*this)(f.range)};
  }
  CheckDecl operator()(const CheckDecl& c) const {
    return {(*this)(c.name), (*this)(c.doc), (*this)(c.expr), (*this)(c.range)};
  }
  RecordDecl operator()(const RecordDecl& r) const { return {(*this)(r.fields), (*this)(r.checks)}; }

  TagParam operator()(const TagParam& p) const { return {(*this)(p.name), (*this)(p.type)}; }
  TagDecl operator()(const TagDecl& t) const { return {(*this)(t.params), t.hasParens}; }
  RoleDecl operator()(const RoleDecl& r) const { return {r.description}; }
  DomainItem operator()(const DomainItem& i) const { return {(*this)(i.key), i.value, (*this)(i.valueRange)}; }
  DomainDecl operator()(const DomainDecl& d) const { return {(*this)(d.items)}; }

  FieldPath::Segment operator()(const FieldPath::Segment& s) const { return {(*this)(s.name), s.element}; }
  FieldPath operator()(const FieldPath& p) const { return {(*this)(p.segments), (*this)(p.range)}; }

  QualityRule operator()(const QualityRule& q) const {
    return {q.kind,
            (*this)(q.field),
            q.op,
            q.threshold,
            q.windowMicros,
            (*this)(q.thresholdRange),
            (*this)(q.windowRange),
            (*this)(q.range)};
  }
  Mask operator()(const Mask& m) const {
    return {(*this)(m.field), (*this)(m.roles), (*this)(m.method), (*this)(m.argument), (*this)(m.range)};
  }
  Topic operator()(const Topic& t) const {
    return {(*this)(t.name),        (*this)(t.key),    (*this)(t.partitions),
            (*this)(t.replication), (*this)(t.format), (*this)(t.range)};
  }
  Sla operator()(const Sla& s) const {
    return {(*this)(s.freshnessMicros),
            (*this)(s.availabilityPercent),
            (*this)(s.throughputPerSecond),
            s.throughputText,
            (*this)(s.latencyPercentile),
            (*this)(s.latencyMicros),
            (*this)(s.range)};
  }
  Access operator()(const Access& a) const {
    return {(*this)(a.readers),      (*this)(a.writers), (*this)(a.readersRange),
            (*this)(a.writersRange), (*this)(a.masks),   (*this)(a.range)};
  }
  ProductDecl operator()(const ProductDecl& p) const {
    return {(*this)(p.domain),        (*this)(p.version),  (*this)(p.schema),
            (*this)(p.topic),         (*this)(p.sla),      (*this)(p.quality),
            (*this)(p.qualityRange),  (*this)(p.access),   (*this)(p.retentionMicros),
            (*this)(p.compatibility), (*this)(p.upstream), (*this)(p.upstreamRange)};
  }

  Binder operator()(const Binder& b) const {
    return {(*this)(b.kind), (*this)(b.name), (*this)(b.source), (*this)(b.range)};
  }
  Require operator()(const Require& r) const { return {(*this)(r.expr), (*this)(r.message), (*this)(r.range)}; }
  ForRule operator()(const ForRule& f) const {
    return {(*this)(f.binders), (*this)(f.filter), (*this)(f.requires_), (*this)(f.range)};
  }
  PolicyDecl operator()(const PolicyDecl& p) const { return {(*this)(p.severity), (*this)(p.rules)}; }
  WaiverDecl operator()(const WaiverDecl& w) const {
    return {(*this)(w.policy), (*this)(w.product), (*this)(w.until), (*this)(w.reason)};
  }

  Decl operator()(const Decl& d) const {
    return {(*this)(d.name),
            (*this)(d.doc),
            (*this)(d.annotations),
            (*this)(d.range),
            std::visit([&](const auto& body) { return DeclBody((*this)(body)); }, d.body),
            d.hasSyntaxErrors,
            d.firstSyntaxError};
  }
  Import operator()(const Import& i) const { return {(*this)(i.package), (*this)(i.alias), (*this)(i.range)}; }

 private:
  uint32_t from_, to_;
};

}  // namespace

File cloneFile(const File& file, uint32_t newFileId) {
  return cloneFile(file, file.decls.data(), file.decls.size(), newFileId);
}

File cloneFile(const File& head, const Decl* decls, size_t declCount, uint32_t newFileId) {
  Cloner clone(head.fileId, newFileId);
  File out{newFileId, clone(head.package), clone(head.imports), {}};
  out.decls.reserve(declCount);
  for (size_t i = 0; i < declCount; ++i) out.decls.push_back(clone(decls[i]));
  return out;
}

}  // namespace mesh::ast
