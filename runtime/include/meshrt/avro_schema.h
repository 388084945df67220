// meshrt/avro_schema.h: Avro schemas read from their JSON, their Parsing
// Canonical Form and 64-bit fingerprint, and the compatibility of a reader's
// schema with a writer's by the Avro specification's schema resolution
// (https://avro.apache.org/docs/1.11.1/specification/, docs/avro.md).
//
// The registry (mesh-devkafka) decides BACKWARD / FORWARD / FULL with
// `compatibility`, and readers of data written with another registered
// version resolve with it, so it follows the specification where the Java
// and Python checkers disagree with it (docs/avro.md lists where).
//
// C++17: the runtime is C++17.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace meshrt::avro {

/// The bounds a schema is read within: deeper or larger is an error, never a
/// crash (the registry reads schemas from the network).
inline constexpr size_t kMaxSchemaDepth = 1000;             ///< nested schemas
inline constexpr size_t kMaxSchemaText = size_t{16} << 20;  ///< bytes of JSON
/// The pairs of (reader, writer) types a compatibility check visits before it
/// gives up (CompatibilityResult::error): unions of many records on both
/// sides make the pairs the product of the two schemas' sizes.
inline constexpr size_t kMaxCheckSteps = size_t{1} << 20;
/// Incompatibilities kept per check; the verdict does not depend on it.
inline constexpr size_t kMaxIncompatibilities = 100;

enum class Type : uint8_t {
  Null,
  Boolean,
  Int,
  Long,
  Float,
  Double,
  Bytes,
  String,
  Record,
  Enum,
  Array,
  Map,
  Union,
  Fixed
};

/// "null", "int", "record", ...: the type's name in a schema.
std::string_view typeName(Type type);

struct Node;

struct Field {
  std::string name;
  std::vector<std::string> aliases;
  const Node* type = nullptr;
  /// The default's JSON text (minified) when the field has one; it was
  /// checked against the field's type (its first branch for a union).
  std::optional<std::string> defaultJson;
};

/// One schema: a definition of its type. A reference to a named type is a
/// pointer to its definition, so a recursive record points to itself.
struct Node {
  Type type = Type::Null;
  /// Named types (record, enum, fixed): the full name (`a.b.Name`, or `Name`
  /// in the null namespace) and the aliases, made full as the spec says.
  std::string fullName;
  std::vector<std::string> aliases;
  std::vector<Field> fields;               ///< record
  std::vector<std::string> symbols;        ///< enum
  std::optional<std::string> enumDefault;  ///< enum
  const Node* items = nullptr;             ///< array items, map values
  std::vector<const Node*> branches;       ///< union
  uint64_t size = 0;                       ///< fixed
  /// Logical type attributes, kept for readers that map values; resolution
  /// and the canonical form work on the underlying type.
  std::string logicalType;
  std::optional<int64_t> precision, scale;

  bool named() const { return type == Type::Record || type == Type::Enum || type == Type::Fixed; }
  /// The name without its namespace.
  std::string_view shortName() const;
  /// The record's field called `name`, or null.
  const Field* field(std::string_view name) const;

  /// Filled once the fields are final (their names do not move after).
  std::unordered_map<std::string_view, size_t> fieldIndex;
};

/// A parsed schema: owns every node; moving it keeps the nodes in place.
class Schema {
 public:
  const Node& root() const { return *root_; }
  size_t nodeCount() const { return nodes_.size(); }

 private:
  friend class Parser;
  std::vector<std::unique_ptr<Node>> nodes_;
  const Node* root_ = nullptr;
};

/// A value or the message saying why there is none.
template <class T>
struct Result {
  std::optional<T> value;
  std::string error;
  bool ok() const { return value.has_value(); }
  explicit operator bool() const { return ok(); }
  const T& operator*() const { return *value; }
  const T* operator->() const { return &*value; }
};

/// Reads a schema. Every rule of the specification a schema can break is an
/// error naming the place (`/fields/2/type: undefined name "Foo"`).
Result<Schema> parse(std::string_view json);

/// The specification's Parsing Canonical Form.
std::string canonicalForm(const Schema& schema);
/// The specification's CRC-64-AVRO (Rabin) fingerprint of `bytes`.
uint64_t fingerprint64(std::string_view bytes);
/// The fingerprint of the schema's canonical form.
inline uint64_t fingerprint64(const Schema& schema) { return fingerprint64(canonicalForm(schema)); }

/// As Java's and Python's SchemaIncompatibilityType.
enum class IncompatibilityType : uint8_t {
  NameMismatch,
  FixedSizeMismatch,
  MissingEnumSymbols,
  ReaderFieldMissingDefaultValue,
  TypeMismatch,
  MissingUnionBranch,
};
/// "NAME_MISMATCH", ...
std::string_view incompatibilityName(IncompatibilityType type);

struct Incompatibility {
  IncompatibilityType type;
  std::string message;
  /// Where in the reader's schema, as Python's checker writes it:
  /// "/fields/0/type", "/items", "/symbols", "/" for the root.
  std::string location;
};

struct CompatibilityResult {
  bool compatible = true;
  std::vector<Incompatibility> incompatibilities;  ///< at most kMaxIncompatibilities
  /// Set (and compatible false) when the check gave up at kMaxCheckSteps.
  std::string error;
};

/// Whether data written with `writer` can be read with `reader` by the
/// specification's schema resolution, and if not, why.
CompatibilityResult compatibility(const Schema& reader, const Schema& writer);

}  // namespace meshrt::avro
