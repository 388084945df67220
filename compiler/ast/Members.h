// Members: the members of every struct of AST.h, listed once, in declaration
// order. The walks over the whole AST (ast/Clone.cpp's copy,
// ast/Serialize.cpp's encoding and decoding) are written once, generically,
// against these lists and the few kinds of member they hold (strings,
// numbers, enums, ranges, optional, vector, unique_ptr, variant): a member
// added to a struct is added to its list here, and every walk follows.
//
// MESH_AST_MEMBERS(T, a, b, ...) lets members(x), for an x of type T (const
// or not), return a tuple of references to x's members. The names are a
// structured binding of x, so the list must have exactly as many names as T
// has members: a member missing from it does not compile, on any platform.
// The binding is by position; the names are there for the reader (keep them
// the members' names, in order).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>
#include <variant>
#include <vector>

#include "ast/AST.h"

namespace mesh::ast {

/// Specialized by MESH_AST_MEMBERS for each struct of AST.h.
template <typename T>
struct Members {};

/// The structs of the AST, whose members the walks visit one by one.
template <typename T>
concept HasMembers = requires(T& x) {
  Members<T>::of(x);
};

/// A tuple of references to the members of `x`, in declaration order.
template <typename T>
auto members(T& x) {
  return Members<std::remove_const_t<T>>::of(x);
}

#define MESH_AST_MEMBERS(T, ...)    \
  template <>                       \
  struct Members<T> {               \
    template <typename Self>        \
    static auto of(Self& x) {       \
      auto& [__VA_ARGS__] = x;      \
      return std::tie(__VA_ARGS__); \
    }                               \
  }

MESH_AST_MEMBERS(Ident, name, range);
MESH_AST_MEMBERS(QualifiedName, parts, range);
MESH_AST_MEMBERS(Doc, text, range);
template <typename V>
struct Members<Located<V>> {
  template <typename Self>
  static auto of(Self& x) {
    auto& [value, range] = x;
    return std::tie(value, range);
  }
};

MESH_AST_MEMBERS(Date, year, month, day);
MESH_AST_MEMBERS(Expr, kind, range, name, nameRange, var, varRange, isCall, negated, unaryOp, binaryOp, intValue,
                 floatValue, micros, boolValue, date, stringValue, args, keys);

MESH_AST_MEMBERS(TypeExpr, kind, name, key, element, precision, scale, optional, range, alternatives);
MESH_AST_MEMBERS(AnnotationArg, name, value);
MESH_AST_MEMBERS(Annotation, name, args, hasParens, range);

MESH_AST_MEMBERS(EnumMember, name, doc, annotations);
MESH_AST_MEMBERS(EnumDecl, members);
MESH_AST_MEMBERS(TypeDecl, type, fieldAnnotations, constraint);
MESH_AST_MEMBERS(FieldDecl, name, doc, type, annotations, defaultValue, constraint, range);
MESH_AST_MEMBERS(CheckDecl, name, doc, expr, range);
MESH_AST_MEMBERS(RecordDecl, fields, checks);
MESH_AST_MEMBERS(UnionCase, value, record, doc, range);
MESH_AST_MEMBERS(UnionDecl, discriminator, cases);

MESH_AST_MEMBERS(TagParam, name, type);
MESH_AST_MEMBERS(TagDecl, params, hasParens);
MESH_AST_MEMBERS(RoleDecl, description);
MESH_AST_MEMBERS(DomainItem, key, value, valueRange);
MESH_AST_MEMBERS(DomainDecl, items);

MESH_AST_MEMBERS(FieldPath::Segment, name, element);
MESH_AST_MEMBERS(FieldPath, segments, range);
MESH_AST_MEMBERS(QualityRule, kind, field, op, threshold, windowMicros, thresholdRange, windowRange, range);
MESH_AST_MEMBERS(Mask, field, roles, method, argument, range);
MESH_AST_MEMBERS(Topic, name, key, partitions, replication, format, subject, range);
MESH_AST_MEMBERS(Sla, freshnessMicros, availabilityPercent, throughputPerSecond, throughputText, latencyPercentile,
                 latencyMicros, range);
MESH_AST_MEMBERS(Access, readers, writers, readersRange, writersRange, masks, range);
MESH_AST_MEMBERS(ProductDecl, domain, version, schema, topic, sla, quality, qualityRange, access, retentionMicros,
                 compatibility, upstream, upstreamRange);

MESH_AST_MEMBERS(Binder, kind, name, source, range);
MESH_AST_MEMBERS(Require, expr, message, range);
MESH_AST_MEMBERS(ForRule, binders, filter, requires_, range);
MESH_AST_MEMBERS(PolicyDecl, severity, rules);
MESH_AST_MEMBERS(WaiverDecl, policy, product, until, reason);

MESH_AST_MEMBERS(Decl, name, doc, annotations, range, body, hasSyntaxErrors, firstSyntaxError);
MESH_AST_MEMBERS(Import, package, alias, range);
MESH_AST_MEMBERS(File, fileId, package, imports, decls);

#undef MESH_AST_MEMBERS

/// A read-only walk of an AST node and everything it holds, written once:
/// optional, unique_ptr, vector and variant are followed, a struct of the
/// lists above is walked member by member, and leaves (strings, numbers,
/// enums, ranges) are passed over. A walk derives from Walker<itself>,
/// brings its calls in (`using Walker::operator();`) and adds its own for
/// the types it looks at, which win over these; one that looks at a struct
/// and walks on into it calls walkMembers().
template <typename Derived>
class Walker {
 public:
  template <typename T>
  void operator()(const std::optional<T>& o) {
    if (o) self()(*o);
  }
  template <typename T>
  void operator()(const std::unique_ptr<T>& p) {
    if (p) self()(*p);
  }
  template <typename T>
  void operator()(const std::vector<T>& v) {
    for (const auto& e : v) self()(e);
  }
  template <typename... Ts>
  void operator()(const std::variant<Ts...>& v) {
    std::visit([&](const auto& alternative) { self()(alternative); }, v);
  }
  template <HasMembers T>
  void operator()(const T& x) {
    walkMembers(x);
  }
  template <typename T>
  requires std::is_arithmetic_v<T> || std::is_enum_v<T>
  void operator()(const T&) {}
  void operator()(const std::string&) {}
  void operator()(const SourceRange&) {}

 protected:
  template <typename T>
  void walkMembers(const T& x) {
    std::apply([&](const auto&... member) { (self()(member), ...); }, members(x));
  }

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
};

/// The last enumerator of each enum of the AST (their values run from 0 to
/// it), for the tables indexed by an enum and for the decoder, which refuses
/// any other value. A new enumerator goes after the last one, which it
/// becomes here; one inserted before it renumbers those after it, which an
/// encoding written before would misread (bump kAstFormatVersion).
template <typename E>
struct LastEnumerator;

#define MESH_AST_LAST_ENUMERATOR(E, last) \
  template <>                             \
  struct LastEnumerator<E> {              \
    static constexpr E value = E::last;   \
  }

MESH_AST_LAST_ENUMERATOR(ExprKind, Error);
MESH_AST_LAST_ENUMERATOR(UnaryOp, Neg);
MESH_AST_LAST_ENUMERATOR(BinaryOp, Mod);
MESH_AST_LAST_ENUMERATOR(TypeExpr::Kind, Union);
MESH_AST_LAST_ENUMERATOR(CompareOp, Ne);
MESH_AST_LAST_ENUMERATOR(QualityRule::Kind, ValidRate);
MESH_AST_LAST_ENUMERATOR(DeclKind, Waiver);

#undef MESH_AST_LAST_ENUMERATOR

static_assert(static_cast<size_t>(LastEnumerator<DeclKind>::value) + 1 == std::variant_size_v<DeclBody>,
              "one DeclKind per alternative of DeclBody");

// The size of each struct (on the platform meshc is built on: libstdc++, 64
// bits): they fail to compile when a struct changes, as a reminder that its
// list above must follow (a member added is a compile error there already;
// a member whose type changed may need a new kind of member in the walks)
// and that encodings written before no longer read (bump kAstFormatVersion
// in ast/Serialize.h).
#if defined(__GLIBCXX__) && defined(__x86_64__)
#define MESH_AST_SIZE(T, n) \
  static_assert(sizeof(T) == (n), "ast::" #T " changed: update its list, kAstFormatVersion, then this size")
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
MESH_AST_SIZE(Topic, 288);
MESH_AST_SIZE(Sla, 232);
MESH_AST_SIZE(Access, 128);
MESH_AST_SIZE(ProductDecl, 1008);
MESH_AST_SIZE(Binder, 120);
MESH_AST_SIZE(Require, 80);
MESH_AST_SIZE(ForRule, 72);
MESH_AST_SIZE(PolicyDecl, 80);
MESH_AST_SIZE(WaiverDecl, 152);
MESH_AST_SIZE(UnionCase, 152);
MESH_AST_SIZE(UnionDecl, 72);
MESH_AST_SIZE(Decl, 1160);
MESH_AST_SIZE(Import, 112);
MESH_AST_SIZE(File, 104);
#undef MESH_AST_SIZE
#endif

}  // namespace mesh::ast
