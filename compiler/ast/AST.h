// AST: the syntax of one .mesh file as plain structs with source ranges.
// Built by compiler/syntax from the ANTLR parse tree; nothing here knows ANTLR.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "source/SourceManager.h"

namespace mesh::ast {

struct Ident {
  std::string name;
  SourceRange range;
};

struct QualifiedName {
  std::vector<Ident> parts;
  SourceRange range;
  std::string str() const;
};

struct Doc {
  std::string text;  // lines joined with '\n', the `///` and one space removed
  SourceRange range;
};

/// A value and where it is written.
template <typename T>
struct Located {
  T value{};
  SourceRange range;
};

// ------------------------------------------------------------ expressions

enum class ExprKind {
  Int,
  Float,
  String,
  Duration,
  Percent,
  Rate,
  Date,
  Bool,
  Null,        // literals
  Name,        // name
  Member,      // args[0] . name, with call arguments args[1..] when isCall
  Call,        // name(args...)
  Unary,       // op args[0]
  Binary,      // args[0] op args[1]
  In,          // args[0] [not] in args[1]
  Quantifier,  // name(var in args[0]: args[1]), name is any|all
  List,        // [args...]
  Map,         // {"key": value, ...}: args are the values, keys their keys
  Error,       // a part that failed to parse or a literal rejected by the parser (both reported there)
};

enum class UnaryOp { Not, Neg };
enum class BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod };
const char* spelling(BinaryOp op);

struct Date {
  int year = 0, month = 0, day = 0;
};

struct Expr {
  ExprKind kind;
  SourceRange range;
  std::string name;  // Name, Member, Call callee, Quantifier kind; raw text of numeric literals
  SourceRange nameRange;
  std::string var;  // Quantifier variable
  SourceRange varRange;
  bool isCall = false;   // Member: called as a method
  bool negated = false;  // In: `not in`
  UnaryOp unaryOp = UnaryOp::Not;
  BinaryOp binaryOp = BinaryOp::Or;
  // Literal payloads.
  uint64_t intValue = 0;  // Int (magnitude; a leading '-' is a Unary)
  double floatValue = 0;  // Float, Percent (99.9 for 99.9%), Rate (events per second)
  int64_t micros = 0;     // Duration
  bool boolValue = false;
  Date date;
  std::string stringValue;  // String (escapes resolved)
  std::vector<std::unique_ptr<Expr>> args;
  std::vector<Located<std::string>> keys;  // Map: the key of each of args (escapes resolved)
};
using ExprPtr = std::unique_ptr<Expr>;

// ------------------------------------------------------------ types and annotations

struct TypeExpr {
  enum class Kind { Named, List, Map, Decimal, Union } kind = Kind::Named;
  QualifiedName name;                      // Named
  std::unique_ptr<TypeExpr> key, element;  // Map key; List/Map element
  int precision = 0, scale = 0;            // Decimal
  bool optional = false;                   // of the whole union for a Union
  SourceRange range;
  std::vector<TypeExpr> alternatives;  // Union: `A | B | null`, in order
};

struct AnnotationArg {
  std::optional<Ident> name;
  ExprPtr value;
};

struct Annotation {
  QualifiedName name;
  std::vector<AnnotationArg> args;
  bool hasParens = false;
  SourceRange range;
};

// ------------------------------------------------------------ schemas

struct EnumMember {
  Ident name;
  Doc doc;
  std::vector<Annotation> annotations;
};

struct EnumDecl {
  std::vector<EnumMember> members;
};

struct TypeDecl {
  TypeExpr type;
  std::vector<Annotation> fieldAnnotations;  // after the type, as on fields
  ExprPtr constraint;
};

struct FieldDecl {
  Ident name;
  Doc doc;
  TypeExpr type;
  std::vector<Annotation> annotations;
  ExprPtr defaultValue;
  ExprPtr constraint;
  SourceRange range;
};

struct CheckDecl {
  Ident name;
  Doc doc;
  ExprPtr expr;
  SourceRange range;
};

struct RecordDecl {
  std::vector<FieldDecl> fields;
  std::vector<CheckDecl> checks;
};

/// `"created" => StarCreated;` in a tagged union.
struct UnionCase {
  Located<std::string> value;
  QualifiedName record;
  Doc doc;
  SourceRange range;
};

/// `union NAME by FIELD { cases }`.
struct UnionDecl {
  Ident discriminator;
  std::vector<UnionCase> cases;
};

// ------------------------------------------------------------ governance

struct TagParam {
  Ident name;
  TypeExpr type;
};

struct TagDecl {
  std::vector<TagParam> params;
  bool hasParens = false;
};

struct RoleDecl {
  std::optional<std::string> description;
};

struct DomainItem {
  Ident key;
  std::string value;
  SourceRange valueRange;
};

struct DomainDecl {
  std::vector<DomainItem> items;
};

// ------------------------------------------------------------ products

struct FieldPath {
  struct Segment {
    Ident name;
    bool element = false;  // followed by `[]`
  };
  std::vector<Segment> segments;
  SourceRange range;
  std::string str() const;
};

enum class CompareOp { Lt, Le, Gt, Ge, Eq, Ne };
const char* spelling(CompareOp op);

struct QualityRule {
  enum class Kind { Unique, NullRate, Volume, ValidRate } kind;
  std::optional<FieldPath> field;  // Unique, NullRate
  CompareOp op = CompareOp::Ge;
  double threshold = 0;      // percent (NullRate, ValidRate) or count (Volume)
  int64_t windowMicros = 0;  // Unique `within`, Volume `per`
  SourceRange thresholdRange, windowRange;
  SourceRange range;
};

struct Mask {
  FieldPath field;
  std::vector<QualifiedName> roles;
  Ident method;
  std::optional<Located<int64_t>> argument;  // last(N)
  SourceRange range;
};

struct Topic {
  Located<std::string> name;
  std::optional<FieldPath> key;
  std::optional<Located<int64_t>> partitions, replication;
  std::optional<Ident> format;
  std::optional<Ident> subject;  // the subject naming strategy (format avro)
  SourceRange range;
};

struct Sla {
  std::optional<Located<int64_t>> freshnessMicros;
  std::optional<Located<double>> availabilityPercent;
  std::optional<Located<double>> throughputPerSecond;
  std::string throughputText;
  std::optional<Ident> latencyPercentile;
  std::optional<Located<int64_t>> latencyMicros;
  SourceRange range;
};

struct Access {
  std::optional<std::vector<QualifiedName>> readers, writers;
  SourceRange readersRange, writersRange;
  std::vector<Mask> masks;
  SourceRange range;
};

struct ProductDecl {
  std::optional<QualifiedName> domain;
  std::optional<Located<std::string>> version;
  std::optional<QualifiedName> schema;
  std::optional<Topic> topic;
  std::optional<Sla> sla;
  std::optional<std::vector<QualityRule>> quality;
  SourceRange qualityRange;
  std::optional<Access> access;
  std::optional<Located<int64_t>> retentionMicros;
  std::optional<Ident> compatibility;
  std::optional<std::vector<QualifiedName>> upstream;
  SourceRange upstreamRange;
};

// ------------------------------------------------------------ policies

struct Binder {
  Ident kind;  // product | field | record
  Ident name;
  ExprPtr source;  // `in EXPR`, may be null
  SourceRange range;
};

struct Require {
  ExprPtr expr;
  std::optional<Located<std::string>> message;
  SourceRange range;
};

struct ForRule {
  std::vector<Binder> binders;
  ExprPtr filter;
  std::vector<Require> requires_;
  SourceRange range;
};

struct PolicyDecl {
  std::optional<Ident> severity;
  std::vector<ForRule> rules;
};

struct WaiverDecl {
  QualifiedName policy;
  QualifiedName product;
  Located<Date> until;
  Located<std::string> reason;
};

// ------------------------------------------------------------ declarations and files

using DeclBody = std::variant<EnumDecl, TypeDecl, RecordDecl, TagDecl, RoleDecl, DomainDecl, ProductDecl, PolicyDecl,
                              UnionDecl, WaiverDecl>;

enum class DeclKind { Enum, Type, Record, Tag, Role, Domain, Product, Policy, Union, Waiver };
const char* describe(DeclKind kind);     // "enum", "refinement type", ...
std::string withArticle(DeclKind kind);  // "an enum", "a record", ...

struct Decl {
  Ident name;  // waivers get a synthesized name
  Doc doc;
  std::vector<Annotation> annotations;
  SourceRange range;
  DeclBody body;
  bool hasSyntaxErrors = false;   // parts may be missing: skip "missing X" checks
  uint32_t firstSyntaxError = 0;  // byte offset of the first one, when hasSyntaxErrors
  DeclKind kind() const { return static_cast<DeclKind>(body.index()); }
};

struct Import {
  QualifiedName package;
  std::optional<Ident> alias;
  SourceRange range;
  Ident effectiveAlias() const;
};

struct File {
  uint32_t fileId = 0;
  std::optional<QualifiedName> package;
  std::vector<Import> imports;
  std::vector<Decl> decls;
};

}  // namespace mesh::ast
