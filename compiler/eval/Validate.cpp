// Validate: walks a message against its record type, converting wire values
// to typed values, then evaluates `where` constraints and record `check`s.
//
// Semantics (docs/validation.md):
// - violations in document order; missing required fields after the members
//   of their object, in declaration order; checks after that;
// - a syntax error anywhere: one `parse` violation at `$` and nothing else;
// - a check runs only when every field of its record read cleanly (no
//   required/type/format/enum/unknown/parse violation in the record's own
//   fields), so it never sees half-typed data;
// - expressions are total, with SQL's three-valued logic for absent values:
//   an ordering, arithmetic or function on null is unknown, `&&`, `||`, `!`
//   and the quantifiers are Kleene, `==`/`!=` treat null as a value; a
//   constraint fails when it is false or when evaluation fails (division by
//   zero, overflow), and passes when it is true or unknown.
#include "eval/Validate.h"

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <set>
#include <string_view>

#include "eval/Expr.h"
#include "eval/Json.h"
#include "eval/TextTypes.h"
#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "meshrt/messages.h"
#include "meshrt/regex.h"
#include "meshrt/runtime.h"

namespace mesh::eval {

using meshrt::Rule;
using model::TypeKind;
namespace msg = meshrt::msg;
namespace word = meshrt::msg::word;

namespace {

/// Walks the JSON value against the model's types.
class Walker {
 public:
  Walker(Validator& v, const ValidateOptions& o, std::vector<meshrt::Violation>& out, const JValue& doc,
         std::string_view text)
      : validator_(v), options_(o), out_(out), doc_(doc), text_(text) {}

  /// Reads a value of `type` at `path`; returns false when a structural
  /// violation (anything but `where`/`check`) was reported inside it.
  bool read(const model::Type* type, const JValue& json, std::string& path, RValue& out);
  /// Reads the value of field `f` (its type, then its own `where`) at `path`.
  bool readField(const model::Field& f, const JValue& json, std::string& path, RValue& out);

 private:
  bool readRecord(const model::Record& record, const JValue& json, std::string& path, RValue& out);
  bool readUnion(const model::Type* type, const JValue& json, std::string& path, RValue& out);
  bool readTagged(const model::Union& u, const JValue& json, std::string& path, RValue& out);
  bool readScalar(const model::Type* type, const JValue& json, const std::string& path, RValue& out);
  // One reader per family of scalars: each reports its own violations.
  bool expect(const JValue& json, JValue::Kind kind, const char* what, const std::string& path);
  bool readInteger(const model::Type* type, const JValue& json, const std::string& path, RValue& out);
  bool readFloat(const model::Type* type, const JValue& json, const std::string& path, RValue& out);
  bool readDecimal(const model::Type* type, const JValue& json, const std::string& path, RValue& out);
  bool readText(const TextType& text, const JValue& json, const std::string& path, RValue& out);
  bool readEnum(const model::Type* type, const JValue& json, const std::string& path, RValue& out);
  void readJson(const JValue& json, RValue& out);
  void constraint(const model::Expr& expr, const std::string& text, const std::string& redacted, bool sensitive,
                  const RValue& value, const std::string& path);
  /// The constraints of `type`'s refinement types, innermost first (none
  /// for a type that is no refinement).
  void refinementConstraints(const model::Type* type, const RValue& value, const std::string& path);
  /// A path step for the key of a map, or an unknown or duplicate member of
  /// a record: its position when the value is sensitive (the key may be).
  void appendKeyStep(std::string& path, const std::string& key, size_t position, bool member) const {
    if (sensitive_)
      meshrt::appendPathPosition(path, position);
    else if (member)
      meshrt::appendPathMember(path, key);
    else
      meshrt::appendPathKey(path, key);
  }
  void violation(const std::string& path, Rule rule, std::string message) {
    out_.push_back({path, rule, std::move(message)});
  }

  Validator& validator_;
  const ValidateOptions& options_;
  std::vector<meshrt::Violation>& out_;
  bool sensitive_ = false;  // inside a sensitive field or record (model::isSensitive)
  const JValue& doc_;
  std::string_view text_;        // the message doc_ was read from
  std::optional<RawTexts> raw_;  // the text of each value, computed at the first json field
};

const char* jsonKindName(JValue::Kind k) {
  static_assert(std::size(word::kKindWords) == static_cast<size_t>(JValue::Kind::Object) + 1,
                "a word per JValue::Kind, in its order");
  return word::kKindWords[static_cast<size_t>(k)];
}

std::string typeName(const model::Type* t) { return model::Type(*t).str(); }

/// The value a default of type `type` fills in (the checker made it fit).
RValue defaultValue(const model::Type* type, const model::Value& v) {
  using VK = model::Value::Kind;
  if (v.kind == VK::Null) return RValue{};
  if (v.kind == VK::List) {
    RList items;
    for (const model::Value& item : v.items) items.push_back(defaultValue(type->element, item));
    return RValue::listOf(std::move(items));
  }
  if (v.kind == VK::Map) {
    RValue out;
    out.kind = RValue::Kind::Map;
    out.map = std::make_shared<RMap>();
    for (size_t n = 0; n < v.items.size(); ++n)
      out.map->emplace_back(v.keys[n], defaultValue(type->element, v.items[n]));
    return out;
  }
  if (type->kind == TypeKind::Decimal) {
    RValue out{.kind = RValue::Kind::Decimal};
    meshrt::parseDecimal(v.str(), true, type->precision, type->scale, out.d);
    return out;
  }
  if (type->kind == TypeKind::Float32 || type->kind == TypeKind::Float64) {
    RValue out{.kind = RValue::Kind::Float};
    out.f = v.kind == VK::Int ? static_cast<double>(v.i) : v.f;
    return out;
  }
  if (const TextType* text = textType(type->kind); text && v.kind == VK::String) return textValue(*text, v.s);
  return literalValue(v);
}

void Walker::constraint(const model::Expr& expr, const std::string& text, const std::string& redacted, bool sensitive,
                        const RValue& value, const std::string& path) {
  if (options_.skipNow && model::callsNow(expr)) return;
  ExprEvaluator ev(validator_.regexes(), options_.nowMicros);
  ev.value = &value;
  Res r = ev.eval(expr);
  bool failed = r.state == Res::State::Error || (r.state == Res::State::Ok && r.v.kind == RValue::Kind::Bool && !r.v.b);
  if (!failed) return;
  violation(
      path, Rule::Where,
      sensitive || sensitive_ ? model::sensitiveConstraintMessage(redacted) : model::constraintMessage(expr, text));
}

bool Walker::read(const model::Type* type, const JValue& json, std::string& path, RValue& out) {
  if (json.kind == JValue::Kind::Null && !(type->holdsNull() && !type->optional)) {
    out = RValue{};
    if (type->optional || (type->kind == TypeKind::Union && type->unionType->nullable())) return true;
    violation(path, Rule::Required, msg::kNull);
    return false;
  }
  bool clean = true;
  switch (type->kind) {
    case TypeKind::Record:
      clean = readRecord(*type->record, json, path, out);
      break;
    case TypeKind::Union:
      clean = readUnion(type, json, path, out);
      break;
    case TypeKind::List: {
      if (!expect(json, JValue::Kind::Array, word::kArray, path)) return false;
      out = RValue::listOf(RList(json.items.size()));
      size_t mark = path.size();
      for (size_t i = 0; i < json.items.size(); ++i) {
        meshrt::appendPathIndex(path, i);
        clean &= read(type->element, json.items[i], path, (*out.list)[i]);
        path.resize(mark);
      }
      break;
    }
    case TypeKind::Map: {
      if (!expect(json, JValue::Kind::Object, word::kObject, path)) return false;
      out.kind = RValue::Kind::Map;
      out.map = std::make_shared<RMap>();
      std::set<std::string_view> keys;
      size_t mark = path.size();
      size_t position = 0;
      // A key of a sensitive key type is personal: its path step is its
      // position, and what is below it is withheld as in a sensitive field.
      bool outerSensitive = sensitive_;
      sensitive_ = sensitive_ || model::refinementIsSensitive(type->key);
      for (const auto& [key, value] : json.members) {
        appendKeyStep(path, key, position++, false);
        if (!keys.insert(key).second) {
          violation(path, Rule::Parse, msg::kDuplicateKey);
          clean = false;
        } else {
          // The key's constraints (a `where`, never structural), then its value.
          if (type->key->refinement) refinementConstraints(type->key, RValue::string(key), path);
          RValue item;
          clean &= read(type->element, value, path, item);
          out.map->emplace_back(key, std::move(item));
        }
        path.resize(mark);
      }
      sensitive_ = outerSensitive;
      break;
    }
    default:
      clean = readScalar(type, json, path, out);
      break;
  }
  if (!clean) return false;
  refinementConstraints(type, out, path);
  return true;
}

void Walker::refinementConstraints(const model::Type* type, const RValue& value, const std::string& path) {
  const model::Refinement* ref = type ? type->refinement : nullptr;
  if (!ref) return;
  // Innermost first.
  std::vector<const model::Refinement*> chain;
  for (const model::Refinement* r = ref; r; r = r->base ? r->base->refinement : nullptr) chain.push_back(r);
  bool sensitive = model::refinementIsSensitive(type);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    if ((*it)->constraint && !(*it)->constraint->type->isError())
      constraint(*(*it)->constraint, (*it)->constraintText, (*it)->constraintTextRedacted, sensitive, value, path);
}

bool Walker::readField(const model::Field& f, const JValue& json, std::string& path, RValue& out) {
  bool recordSensitive = sensitive_;
  sensitive_ = sensitive_ || model::isSensitive(f.tags);
  bool clean = read(f.type, json, path, out);
  // A where applies to a present value; a required json field's null is one.
  if (clean && f.constraint && (out.kind != RValue::Kind::Null || !f.optional()) && !f.constraint->type->isError())
    constraint(*f.constraint, f.constraintText, f.constraintTextRedacted, false, out, path);
  sensitive_ = recordSensitive;
  return clean;
}

bool Walker::readScalar(const model::Type* type, const JValue& json, const std::string& path, RValue& out) {
  switch (type->kind) {
    case TypeKind::Bool:
      if (!expect(json, JValue::Kind::Bool, word::kBoolean, path)) return false;
      out = RValue::boolean(json.boolean);
      return true;
    case TypeKind::Int32:
    case TypeKind::Int64:
      return readInteger(type, json, path, out);
    case TypeKind::Float32:
    case TypeKind::Float64:
      return readFloat(type, json, path, out);
    case TypeKind::Decimal:
      return readDecimal(type, json, path, out);
    case TypeKind::String:
      if (!expect(json, JValue::Kind::String, word::kString, path)) return false;
      out = RValue::string(json.text);
      return true;
    case TypeKind::Enum:
      return readEnum(type, json, path, out);
    case TypeKind::Json:
      readJson(json, out);
      return true;
    default:
      if (const TextType* text = textType(type->kind)) return readText(*text, json, path, out);
      violation(path, Rule::Type, msg::cannotRead(typeName(type)));
      return false;
  }
}

bool Walker::expect(const JValue& json, JValue::Kind kind, const char* what, const std::string& path) {
  if (json.kind == kind) return true;
  violation(path, Rule::Type, msg::expected(what, jsonKindName(json.kind)));
  return false;
}

bool Walker::readInteger(const model::Type* type, const JValue& json, const std::string& path, RValue& out) {
  if (!expect(json, JValue::Kind::Number, word::kInteger, path)) return false;
  auto v = meshrt::parseJsonInteger(json.text);
  bool int32 = type->kind == TypeKind::Int32;
  if (!v || (int32 && (*v < INT32_MIN || *v > INT32_MAX))) {
    bool integral = json.text.find_first_of(".eE") == std::string::npos;
    violation(path, Rule::Type, integral ? msg::outOfRange(int32 ? "int32" : "int64") : std::string(msg::kFraction));
    return false;
  }
  out = RValue::integer(*v);
  return true;
}

bool Walker::readFloat(const model::Type* type, const JValue& json, const std::string& path, RValue& out) {
  if (!expect(json, JValue::Kind::Number, word::kNumber, path)) return false;
  auto v = meshrt::parseJsonDouble(json.text);
  bool f32 = type->kind == TypeKind::Float32;
  if (!v || (f32 && !meshrt::fitsFloat32(*v))) {
    violation(path, Rule::Type, msg::outOfRange(f32 ? "float32" : "float64"));
    return false;
  }
  out.kind = RValue::Kind::Float;
  out.f = f32 ? static_cast<double>(static_cast<float>(*v)) : *v;
  return true;
}

bool Walker::readDecimal(const model::Type* type, const JValue& json, const std::string& path, RValue& out) {
  if (json.kind != JValue::Kind::Number && json.kind != JValue::Kind::String) {
    violation(path, Rule::Type, msg::expected(word::kDecimal, jsonKindName(json.kind)));
    return false;
  }
  meshrt::Decimal d;
  auto result = meshrt::parseDecimal(json.text, json.kind == JValue::Kind::Number, type->precision, type->scale, d);
  if (result == meshrt::DecimalParse::Malformed) {
    violation(path, Rule::Format, msg::kNotDecimal);
    return false;
  }
  if (result == meshrt::DecimalParse::OutOfRange) {
    violation(path, Rule::Type, msg::outOfRangeDecimal(type->precision, type->scale));
    return false;
  }
  out.kind = RValue::Kind::Decimal;
  out.d = d;
  return true;
}

// The types written as a string of a format (TextTypes.h).
bool Walker::readText(const TextType& text, const JValue& json, const std::string& path, RValue& out) {
  if (!expect(json, JValue::Kind::String, text.expected, path)) return false;
  RValue v{.kind = text.kind};
  if (!text.parse(json.text, v)) {
    violation(path, Rule::Format, text.invalid);
    return false;
  }
  out = std::move(v);
  return true;
}

bool Walker::readEnum(const model::Type* type, const JValue& json, const std::string& path, RValue& out) {
  if (!expect(json, JValue::Kind::String, word::kString, path)) return false;
  int index = type->enumType->memberIndex(json.text);
  if (index < 0) {
    violation(path, Rule::Enum, msg::notMember(type->enumType->name));
    return false;
  }
  out.kind = RValue::Kind::Enum;
  out.i = index;
  return true;
}

// Any JSON value; `null` is the null value (`value == null`).
void Walker::readJson(const JValue& json, RValue& out) {
  if (json.kind == JValue::Kind::Null) {
    out = RValue{};
    return;
  }
  if (!raw_) raw_ = rawTexts(doc_, text_);
  out = RValue{.kind = RValue::Kind::Json, .i = static_cast<int64_t>(json.kind), .s = std::string(raw_->at(&json))};
}

// The alternative the JSON kind of the value picks (the checker made them
// distinct, E0214), or for a tagged union the record its discriminator names.
bool Walker::readUnion(const model::Type* type, const JValue& json, std::string& path, RValue& out) {
  const model::Union& u = *type->unionType;
  if (u.tagged()) return readTagged(u, json, path, out);
  const model::Type* alt = u.alternativeFor(1u << static_cast<unsigned>(json.kind));
  if (!alt) {
    violation(path, Rule::Type, msg::expectedOneOf(u.text(), jsonKindName(json.kind)));
    return false;
  }
  return read(alt, json, path, out);
}

bool Walker::readTagged(const model::Union& u, const JValue& json, std::string& path, RValue& out) {
  if (!expect(json, JValue::Kind::Object, word::kObject, path)) return false;
  const JValue* tag = nullptr;
  for (const auto& [key, value] : json.members)
    if (key == u.discriminator) {
      tag = &value;
      break;
    }
  std::string tagPath = path;
  meshrt::appendPathMember(tagPath, u.discriminator);
  if (!tag || tag->kind == JValue::Kind::Null) {
    violation(tagPath, Rule::Required, tag ? msg::kNull : msg::kRequired);
    return false;
  }
  if (!expect(*tag, JValue::Kind::String, word::kString, tagPath)) return false;
  const model::UnionCase* c = u.caseFor(tag->text);
  if (!c) {
    violation(tagPath, Rule::Type, msg::notCase(u.name));
    return false;
  }
  return readRecord(*c->record, json, path, out);
}

bool Walker::readRecord(const model::Record& record, const JValue& json, std::string& path, RValue& out) {
  if (!expect(json, JValue::Kind::Object, word::kObject, path)) return false;
  out.kind = RValue::Kind::Record;
  out.list = std::make_shared<RList>(record.fields.size());
  std::vector<bool> seen(record.fields.size(), false);
  std::set<std::string_view> unknownKeys;
  bool clean = true;
  size_t mark = path.size();
  bool outerSensitive = sensitive_;
  sensitive_ = sensitive_ || model::isSensitive(record.tags);
  size_t position = 0;
  for (const auto& [key, value] : json.members) {
    const model::Field* f = record.fieldOnWire(key);
    if (f)
      meshrt::appendPathMember(path, key);
    else
      appendKeyStep(path, key, position, true);
    ++position;
    if (f ? seen[f->index] : !unknownKeys.insert(key).second) {
      violation(path, Rule::Parse, msg::kDuplicateKey);
      clean = false;
    } else if (!f) {
      if (record.closed) {
        violation(path, Rule::Unknown, msg::unknownKey(record.name));
        clean = false;
      }
    } else {
      seen[f->index] = true;
      clean &= readField(*f, value, path, (*out.list)[f->index]);
    }
    path.resize(mark);
  }
  for (const auto& f : record.fields) {
    if (seen[f->index]) continue;
    if (f->defaultValue) {
      (*out.list)[f->index] = defaultValue(f->type, *f->defaultValue);
      continue;
    }
    if (f->optional()) continue;
    std::string fieldPath = path;
    meshrt::appendPathMember(fieldPath, f->wireName());
    violation(fieldPath, Rule::Required, msg::kRequired);
    clean = false;
  }
  if (clean) {
    for (const auto& c : record.checks) {
      if (!c.expr || c.expr->type->isError()) continue;
      ExprEvaluator ev(validator_.regexes(), options_.nowMicros);
      ev.fields = out.list.get();
      Res r = ev.eval(*c.expr);
      bool failed =
          r.state == Res::State::Error || (r.state == Res::State::Ok && r.v.kind == RValue::Kind::Bool && !r.v.b);
      bool withhold = sensitive_ || model::readsSensitiveField(*c.expr);
      if (failed) violation(path, Rule::Check, model::checkMessage(c.name, withhold ? c.redactedText : c.text));
    }
  }
  sensitive_ = outerSensitive;
  return clean;
}

/// Parses `json` and hands the document to `read` (a Walker, the path `$`):
/// the violations of a message (`message`: the document must be an object)
/// or of a field's value, one `parse` violation when it is not JSON.
template <typename Read>
std::vector<meshrt::Violation> walk(Validator& validator, std::string_view json, const ValidateOptions& options,
                                    bool message, Read read) {
  std::vector<meshrt::Violation> out;
  auto doc = parseJson(json);
  if (!doc) {
    out.push_back({"$", Rule::Parse, msg::kNotJson});
    return out;
  }
  // A message is an object: a top-level `null` is the wrong kind of value,
  // not a missing field (the generated readers say the same). A field's
  // default (validateField) may be null.
  if (message && doc->kind == JValue::Kind::Null) {
    out.push_back({"$", Rule::Type, msg::expected(msg::word::kObject, jsonKindName(doc->kind))});
    return out;
  }
  Walker walker(validator, options, out, *doc, json);
  std::string path = "$";
  RValue value;
  read(walker, *doc, path, value);
  return out;
}

}  // namespace

Validator::Validator(const model::Type& root) : root_(root) {}
Validator::~Validator() = default;

std::vector<meshrt::Violation> Validator::validate(std::string_view json, const ValidateOptions& options) {
  return walk(*this, json, options, true, [&](Walker& walker, const JValue& doc, std::string& path, RValue& value) {
    walker.read(&root_, doc, path, value);
  });
}

std::vector<meshrt::Violation> Validator::validateField(const model::Field& field, std::string_view json,
                                                        const ValidateOptions& options) {
  return walk(*this, json, options, false, [&](Walker& walker, const JValue& doc, std::string& path, RValue& value) {
    meshrt::appendPathMember(path, field.wireName());
    walker.readField(field, doc, path, value);
  });
}

const model::Type* findValidationTarget(model::Build& build, const std::string& name) {
  model::Type t;
  const model::Product* p = build.product(name);
  if (const model::Record* r = p ? p->schema : build.record(name)) {
    t.kind = TypeKind::Record;
    t.record = r;
  } else if (const model::Union* u = p ? p->schemaUnion : build.unionNamed(name)) {
    t.kind = TypeKind::Union;
    t.unionType = u;
  } else {
    return nullptr;
  }
  return build.types.get(t);
}

}  // namespace mesh::eval
