// Model: the checked contract model every later phase reads (evaluator,
// generators, compatibility, catalog). Names are resolved, types interned,
// expressions typed; nothing here refers to syntax or ANTLR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "source/SourceManager.h"

namespace mesh::model {

struct EnumType;
struct Expr;
struct Record;
struct Refinement;
struct Union;
struct Field;
struct Tag;
struct Role;
struct Domain;
/// The most field paths a product's schema may have (Product::allFields;
/// E0411): far above any real message schema, and a bound on what the
/// policy model holds for a schema whose records are reached by many fields.
inline constexpr size_t kMaxFieldPaths = 100000;

struct Product;
struct Policy;

// ------------------------------------------------------------ types

enum class TypeKind {
  Error,  // a type that failed to resolve; absorbs every operation silently
#define MESH_PRIMITIVE(Kind, ...) Kind,
#include "model/Types.def"
  Enum,
  Record,
  List,
  Map,
  Union,  // `A | B | null` or a tagged union (unionType)
  Null,   // the type of the `null` literal; the `null` alternative of a union
// The policy model (language.md section 6).
#define MESH_POLICY_TYPE(Kind, ...) Kind,
#include "model/Types.def"
};

/// A primitive type of contracts (model/Types.def).
struct PrimitiveType {
  TypeKind kind;
  std::string_view name;
  bool numeric, integer, ordered;
  bool parameterized;  // decimal(p, s): the bare name is not a type
};
inline constexpr PrimitiveType kPrimitiveTypes[] = {
#define MESH_PRIMITIVE(Name, spelling, numeric, integer, ordered, parameterized) \
  {TypeKind::Name, spelling, numeric, integer, ordered, parameterized},
#include "model/Types.def"
};
/// A type of the policy model (model/Types.def).
struct PolicyType {
  TypeKind kind;
  std::string_view name;
  bool scalar;
};
inline constexpr PolicyType kPolicyTypes[] = {
#define MESH_POLICY_TYPE(Name, spelling, scalar) {TypeKind::Name, spelling, scalar},
#include "model/Types.def"
};

/// The primitive type of `kind`; null for any other kind.
constexpr const PrimitiveType* primitiveType(TypeKind kind) {
  size_t i = static_cast<size_t>(kind) - 1;  // the primitives follow Error
  return i < std::size(kPrimitiveTypes) ? &kPrimitiveTypes[i] : nullptr;
}
/// The primitive type spelled `name` (decimal included); null for any other name.
constexpr const PrimitiveType* primitiveNamed(std::string_view name) {
  for (const auto& p : kPrimitiveTypes)
    if (p.name == name) return &p;
  return nullptr;
}
/// The policy-model type of `kind`; null for any other kind.
constexpr const PolicyType* policyType(TypeKind kind) {
  size_t i = static_cast<size_t>(kind) - static_cast<size_t>(kPolicyTypes[0].kind);
  return i < std::size(kPolicyTypes) ? &kPolicyTypes[i] : nullptr;
}

struct Type {
  TypeKind kind = TypeKind::Error;
  bool optional = false;
  const Type* element = nullptr;           // List, Map (values)
  const Type* key = nullptr;               // Map: `string` or a refinement of it (never optional)
  int precision = 0, scale = 0;            // Decimal
  const EnumType* enumType = nullptr;      // Enum
  const Record* record = nullptr;          // Record
  const Refinement* refinement = nullptr;  // set when the type is a named refinement
  const Union* unionType = nullptr;        // Union

  bool isNumeric() const {
    const PrimitiveType* p = primitiveType(kind);
    return p && p->numeric;
  }
  bool isInteger() const {
    const PrimitiveType* p = primitiveType(kind);
    return p && p->integer;
  }
  /// <, <=, >, >= apply (numbers, strings, timestamps, dates, durations).
  bool isOrdered() const {
    const PrimitiveType* p = primitiveType(kind);
    return p && p->ordered;
  }
  bool isScalar() const;  // not a list, map, record or json
  /// JSON `null` is a value of the type, not an absence (`json`): a required
  /// field of it may be `null`, and `value == null` asks which value it is.
  bool holdsNull() const { return kind == TypeKind::Json; }
  /// JSON `null` is one of its values: json, or a union with a `null` alternative.
  bool takesNull() const;
  /// A value of the policy model whose attributes policies read (`product`,
  /// `field`, `p.topic`, ...), not one they compare (`role`, `tag`, `domain`).
  bool isPolicyObject() const {
    const PolicyType* p = policyType(kind);
    return p && !p->scalar;
  }
  bool isError() const { return kind == TypeKind::Error; }
  /// The name users see: `list<sales.orders.LineItem>?`, `decimal(12, 2)`, `Sku`.
  std::string str() const;
};

/// Interns types: one object per shape, so types compare by pointer. The
/// checker's parallel phases intern from several threads: get() looks in the
/// calling thread's cache first and takes the lock only for a type that
/// thread has not seen (docs/scale.md).
class TypeContext {
 public:
  TypeContext();
  ~TypeContext();
  TypeContext(const TypeContext&) = delete;
  TypeContext& operator=(const TypeContext&) = delete;

  const Type* get(const Type& shape);
  const Type* primitive(TypeKind kind, bool optional = false);
  const Type* optional(const Type* t);
  const Type* required(const Type* t);
  /// The type with any refinement name dropped (same kind, element, ...).
  const Type* underlying(const Type* t);
  const Type* list(const Type* element, bool optional = false);
  const Type* error() { return primitive(TypeKind::Error); }
  /// The union of `alternatives` written in a type (`int64 | timestamp`):
  /// one anonymous Union per list of alternatives, in their order.
  const Type* unionOf(const std::vector<const Type*>& alternatives);

  using Key =
      std::tuple<int, bool, const void*, const void*, int, int, const void*, const void*, const void*, const void*>;

 private:
  const uint64_t id_;  // which context a thread's cache holds (never reused)
  std::mutex mutex_;
  std::vector<std::unique_ptr<Type>> types_;
  std::map<Key, const Type*> index_;
  std::map<std::vector<const Type*>, std::unique_ptr<Union>> unions_;
};

/// The kinds of JSON value a type's wire form takes (language.md section 8:
/// a union's alternatives must not share one), as a set of bits.
enum JsonKind : unsigned {
  kJsonNull = 1,
  kJsonBool = 2,
  kJsonNumber = 4,
  kJsonString = 8,
  kJsonArray = 16,
  kJsonObject = 32,
};
unsigned jsonKinds(const Type* t);
/// "a number", "a string or a number": the kinds of `kinds`, for messages.
std::string jsonKindsText(unsigned kinds);

// ------------------------------------------------------------ values and expressions

/// A compile-time constant: defaults, tag arguments, literals.
struct Value {
  enum class Kind { Null, Bool, Int, Float, String, Duration, Date, EnumMember, Role, Tag, List, Map };
  Kind kind = Kind::Null;
  bool b = false;
  int64_t i = 0;  // Int, Duration (microseconds)
  double f = 0;   // Float (also percent and rate literals)
  std::string s;  // String; Date as YYYY-MM-DD; numeric literal text for decimals
  const EnumType* enumType = nullptr;
  int member = -1;  // EnumMember index
  const Role* role = nullptr;
  const Tag* tag = nullptr;
  std::vector<Value> items;       // List: the elements; Map: the values, in the order written
  std::vector<std::string> keys;  // Map: the key of each of `items`
  std::string str() const;        // as written in a contract
};

enum class Builtin {
#define MESH_BUILTIN(Name, ...) Name,
#include "model/Builtins.def"
};

/// A builtin function or method (model/Builtins.def).
struct BuiltinInfo {
  enum class Form { Function, Variant, Method };
  Builtin builtin;
  std::string_view name;
  Form form;
  int minArgs, maxArgs;
  std::string_view predicate;  // a string format's test: meshrt's function that decides it; empty otherwise
};
inline constexpr BuiltinInfo kBuiltins[] = {
#define MESH_BUILTIN(Name, spelling, form, minArgs, maxArgs) \
  {Builtin::Name, spelling, BuiltinInfo::Form::form, minArgs, maxArgs, {}},
#define MESH_PREDICATE(Name, spelling, runtime) {Builtin::Name, spelling, BuiltinInfo::Form::Function, 1, 1, #runtime},
#include "model/Builtins.def"
};
/// The facts of `b`.
constexpr const BuiltinInfo& builtinInfo(Builtin b) { return kBuiltins[static_cast<size_t>(b)]; }
/// The function called `name` (not a variant or a method); null for any other name.
constexpr const BuiltinInfo* builtinFunction(std::string_view name) {
  for (const auto& b : kBuiltins)
    if (b.form == BuiltinInfo::Form::Function && b.name == name) return &b;
  return nullptr;
}

enum class ExprOp {
  Literal,    // literal
  Value,      // `value` in a where
  FieldRef,   // a field of the record under check (field)
  Local,      // a quantifier variable or policy binder (local)
  Member,     // args[0].field, a record field reached through a value
  Attribute,  // args[0].attribute of the policy model (attribute)
  Call,       // builtin(args...)
  Not,
  Neg,     // args[0]
  Binary,  // args[0] binaryOp args[1]
  In,      // args[0] [not] in args[1]
  Any,
  All,   // quantifier over args[0] with `local` bound, body args[1]
  List,  // [args...]
};

enum class BinaryOp { Or, And, Eq, Ne, Lt, Le, Gt, Ge, Add, Sub, Mul, Div, Mod };

struct Expr {
  ExprOp op = ExprOp::Literal;
  const Type* type = nullptr;
  SourceRange range;
  Value literal;
  const Field* field = nullptr;  // FieldRef, Member
  int local = -1;                // Local, Any, All
  std::string attribute;         // Attribute; the tag parameter of TagArgument
  Builtin builtin = Builtin::Len;
  BinaryOp binaryOp = BinaryOp::Or;
  bool negated = false;  // In
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

/// The message of a failed `where`: "must be > 0" for `value > 0` (and
/// `0 < value`), otherwise "must satisfy TEXT". Never mentions a value of the
/// message, so it is PII-free.
std::string constraintMessage(const Expr& constraint, const std::string& text);
/// The same for a sensitive value: "must satisfy REDACTED" with the
/// constraint's literals withheld, since a literal can be the value itself
/// (`value != "000-00-0000"` fails only on that value).
std::string sensitiveConstraintMessage(const std::string& redactedText);
/// The message of a failed record `check`: "check NAME failed: TEXT".
std::string checkMessage(const std::string& name, const std::string& text);
/// What stands for a withheld literal in a sensitive value's message.
inline constexpr const char* kRedactedLiteral = "<redacted>";

/// Source text with runs of whitespace folded to one space.
std::string foldWhitespace(std::string_view text);

/// A duration as a contract writes it, in the largest unit that divides it:
/// `5m`, `365d`, `250ms` (policy messages, manifests).
std::string durationText(int64_t micros);

// ------------------------------------------------------------ declarations

struct TagUse {
  const Tag* tag = nullptr;
  std::vector<std::pair<std::string, Value>> args;  // by parameter name, in parameter order
  SourceRange range;
};

/// One `@meta(key: "...", value: "...")`: a free key/value pair that travels
/// unchanged into the manifests and the catalog (language.md section 8).
struct MetaEntry {
  std::string key, value;
  SourceRange range;
};

struct DeclBase {
  std::string name;
  std::string qualifiedName;
  std::string package;
  std::string doc;
  SourceRange range;      // the whole declaration
  SourceRange nameRange;  // its name
};

struct EnumMember {
  std::string name;
  std::string doc;
  std::optional<std::string> deprecated;
  SourceRange range;
};

struct EnumType : DeclBase {
  std::vector<EnumMember> members;
  std::vector<TagUse> tags;
  std::optional<std::string> deprecated;
  int memberIndex(const std::string& name) const;
};

struct Refinement : DeclBase {
  const Type* base = nullptr;          // the type it refines (never itself a refinement's error)
  ExprPtr constraint;                  // may be null
  std::string constraintText;          // the constraint as written, whitespace folded
  std::string constraintTextRedacted;  // the same with its literals withheld
  std::vector<TagUse> tags;            // apply to every field of this type
};

struct Field {
  std::string name;
  std::string doc;
  int index = 0;
  const Type* type = nullptr;
  ExprPtr constraint;  // the field's own `where`; a refinement's lives on the Refinement
  std::string constraintText;
  std::string constraintTextRedacted;  // with its literals withheld
  std::optional<Value> defaultValue;
  std::vector<TagUse> tags;  // the field's own and those of its refinement type
  std::optional<std::string> deprecated;
  std::optional<std::string> wire;  // `@wire("...")`: its key on the JSON wire
  SourceRange wireRange;            // where that `@wire` is written
  std::vector<MetaEntry> meta;
  const Record* owner = nullptr;
  SourceRange range, nameRange;
  SourceRange defaultRange;  // where the default is written (when there is one)
  bool optional() const { return type->optional; }
  /// The field's key on the JSON wire: what violations' paths, JSON Schema,
  /// manifests and the catalog name; expressions and policies use `name`.
  const std::string& wireName() const { return wire ? *wire : name; }
};

/// Sensitive data (std.governance): tagged `@pii` or classified
/// `confidential` or `restricted`. Validation messages about it withhold the
/// literals of its constraints and the keys of its maps (docs/validation.md).
bool isSensitive(const std::vector<TagUse>& tags);
/// A refinement in the chain of `t` carries a sensitive tag.
bool refinementIsSensitive(const Type* t);
/// `e` reads a sensitive field (directly or through a member).
bool readsSensitiveField(const Expr& e);
/// `e` calls now(): its verdict depends on when it is evaluated.
bool callsNow(const Expr& e);

struct Check {
  std::string name;
  std::string doc;
  ExprPtr expr;
  std::string text;  // the condition as written, whitespace folded
  SourceRange range;
  std::string redactedText;  // text with its literals withheld
};

struct Record : DeclBase {
  std::vector<std::unique_ptr<Field>> fields;
  std::vector<Check> checks;
  bool closed = false;
  std::vector<TagUse> tags;
  std::optional<std::string> deprecated;
  std::vector<MetaEntry> meta;
  const Field* field(const std::string& name) const;
  /// The field whose key on the wire is `key` (Field::wireName).
  const Field* fieldOnWire(std::string_view key) const;
};

/// `"created" => StarCreated;`: a record of a tagged union and the value
/// of the discriminator that picks it.
struct UnionCase {
  std::string value;
  const Record* record = nullptr;
  std::string doc;
  SourceRange range;
};

/// A union (language.md section 8). An anonymous one (`int64 | timestamp`,
/// `string | null`) has no name and lives in the TypeContext; a tagged one
/// (`union StarEvent by action { ... }`) is declared, and its alternatives
/// are the records of its cases, told apart by the discriminator's value.
struct Union : DeclBase {
  std::vector<const Type*> alternatives;                  // required types, in order; a Null one for `null`
  std::string discriminator;                              // tagged: the field that picks the case
  std::vector<UnionCase> cases;                           // tagged
  bool tagged() const { return !qualifiedName.empty(); }  // declared: every declared union is tagged
  bool nullable() const;                                  // `null` is an alternative
  const UnionCase* caseFor(std::string_view value) const;
  /// `int64 | timestamp`, or the tagged union's qualified name.
  std::string text() const;
  /// The alternative whose wire form takes `kind` (a JsonKind); null when none does.
  const Type* alternativeFor(unsigned kind) const;
};

struct TagParam {
  std::string name;
  const Type* type = nullptr;
};

struct Tag : DeclBase {
  std::vector<TagParam> params;
};

struct Role : DeclBase {
  std::string description;
};

struct Domain : DeclBase {
  std::string owner;
  std::string contact;
  std::map<std::string, std::string> properties;  // every `key "value";` given
};

/// A path through a record: `items[].sku` is {items, sku} with items a list.
struct FieldPath {
  std::vector<const Field*> fields;
  std::string text;
  SourceRange range;
};

enum class CompareOp { Lt, Le, Gt, Ge, Eq, Ne };
enum class MaskMethod { Hash, Redact, Null, Last };
enum class Compatibility { None, Backward, Forward, Full };

struct Topic {
  std::string name;
  std::optional<FieldPath> key;
  int64_t partitions = 1;
  int64_t replication = 1;
  std::string format = "json";
  /// The subject naming strategy of a `format avro` topic's schema:
  /// topic (`<topic>-value`), record (`<namespace>.<Record>`) or topic_record.
  std::string subject = "topic";
  SourceRange range;
};

struct Sla {
  std::optional<int64_t> freshnessMicros;
  std::optional<double> availabilityPercent;
  std::optional<double> throughputPerSecond;
  std::string throughputText;
  std::optional<std::string> latencyPercentile;
  std::optional<int64_t> latencyMicros;
};

/// The percentiles a latency SLA may name, lowest first ("p50" ... "p999").
const std::vector<std::string>& latencyPercentiles();

struct QualityRule {
  enum class Kind { Unique, NullRate, Volume, ValidRate } kind;
  std::optional<FieldPath> field;
  CompareOp op = CompareOp::Ge;
  double threshold = 0;
  int64_t windowMicros = 0;
  SourceRange range;
  std::string text;  // as written in the contract
};

struct Mask {
  FieldPath field;
  std::vector<const Role*> roles;
  MaskMethod method = MaskMethod::Redact;
  int64_t keep = 0;  // last(N)
  SourceRange range;
};

struct Product : DeclBase {
  const Domain* domain = nullptr;
  std::string version;
  /// `schema:` names a record or a tagged union (language.md section 8):
  /// `schema` is the record (null when the schema is a union), `schemaUnion`
  /// the union (null when it is a record). Code that needs the schema's
  /// records asks schemaRecords(); both are null only in a product whose
  /// schema did not resolve (never one a generator sees).
  const Record* schema = nullptr;
  const Union* schemaUnion = nullptr;
  Topic topic;
  Sla sla;
  std::vector<QualityRule> quality;
  std::vector<const Role*> readers, writers;
  std::vector<Mask> masks;
  std::optional<int64_t> retentionMicros;
  Compatibility compatibility = Compatibility::Backward;
  std::vector<const Product*> upstream;
  std::vector<TagUse> tags;
  std::optional<std::string> deprecated;
  std::vector<MetaEntry> meta;
  /// Every field of the schema, nested ones too, in declaration order (a
  /// recursive record is not entered again; at most kMaxFieldPaths). For a
  /// union schema, each case's paths in case order, a path (by its text)
  /// listed once, at its first case.
  std::vector<FieldPath> allFields;
  /// Where each setting's value is written (invalid when it is not), so a
  /// diagnostic about one setting (compat/) can point at it.
  struct SettingRanges {
    SourceRange version, topicName, partitions, replication, format, subject, freshness, availability, throughput,
        latency, compatibility;
  } settingRanges;
};

/// The records of a product's schema: the record, or each case's record of
/// a union schema in case order (a record of several cases once); empty
/// when the schema did not resolve.
std::vector<const Record*> schemaRecords(const Product& p);
/// The schema's qualified name (the record's or the union's); "" when it
/// did not resolve.
const std::string& schemaName(const Product& p);

enum class BinderKind { Product, Field, Record, Role };

struct Binder {
  BinderKind kind;
  std::string name;
  int local = 0;
  ExprPtr source;  // null for the first binder (every product of the build)
  SourceRange range;
};

/// A message template: literal text and `{expr}` holes, alternating.
struct MessagePart {
  std::string text;
  ExprPtr hole;  // null for a text part
};

struct Requirement {
  ExprPtr expr;
  std::vector<MessagePart> message;
  SourceRange range;
};

struct PolicyRule {
  std::vector<Binder> binders;
  ExprPtr filter;
  std::vector<Requirement> requirements;
  int localCount = 0;  // binders and quantifier variables
  SourceRange range;
};

enum class PolicySeverity { Error, Warning };

struct Policy : DeclBase {
  PolicySeverity severity = PolicySeverity::Error;
  std::vector<PolicyRule> rules;
};

struct Waiver {
  const Policy* policy = nullptr;
  const Product* product = nullptr;
  std::string until;  // YYYY-MM-DD
  std::string reason;
  std::string package;
  SourceRange range;
};

/// What policy evaluation decided for one policy on one product (filled by
/// the policy pass of `check` and `build`; read by the manifest target).
enum class PolicyStatus { Passed, Violated, Waived };

struct PolicyOutcome {
  const Policy* policy = nullptr;
  const Product* product = nullptr;
  PolicyStatus status = PolicyStatus::Passed;
  std::string waivedUntil;            // YYYY-MM-DD, for Waived
  std::vector<std::string> messages;  // the filled-in messages, for Violated and Waived
};

struct Package {
  std::string name;
  std::vector<uint32_t> files;  // source file ids
  bool input = false;           // some file came from the command line: generators write it
};

/// Everything one build declares, each list sorted by qualified name.
struct Build {
  TypeContext types;
  std::vector<Package> packages;
  std::vector<std::unique_ptr<EnumType>> enums;
  std::vector<std::unique_ptr<Refinement>> refinements;
  std::vector<std::unique_ptr<Record>> records;
  std::vector<std::unique_ptr<Union>> unions;  // the tagged ones; anonymous ones are in `types`
  std::vector<std::unique_ptr<Tag>> tags;
  std::vector<std::unique_ptr<Role>> roles;
  std::vector<std::unique_ptr<Domain>> domains;
  std::vector<std::unique_ptr<Product>> products;
  std::vector<std::unique_ptr<Policy>> policies;
  std::vector<Waiver> waivers;
  /// One outcome per (policy, product), sorted by policy then product; empty
  /// until policies are evaluated.
  std::vector<PolicyOutcome> policyOutcomes;
  /// The enum the policy model gives `p.compatibility` (none, backward, forward, full).
  std::unique_ptr<EnumType> compatibilityEnum;

  const Product* product(const std::string& qualifiedName) const;
  const Record* record(const std::string& qualifiedName) const;
  const Union* unionNamed(const std::string& qualifiedName) const;
};

}  // namespace mesh::model
