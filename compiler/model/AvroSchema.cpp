// AvroSchema: the contracts' types as Avro schemas (see AvroSchema.h; the
// mapping and why each choice was made: docs/avro.md).
#include "model/AvroSchema.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "meshrt/avro_schema.h"
#include "meshrt/decimal.h"
#include "meshrt/formats.h"
#include "model/ValueJson.h"

namespace mesh::model::avro {
namespace {

using model::TypeKind;

/// The Avro type a schema stands for, as a union tells its branches apart:
/// a primitive's name (a logical type's underlying one), a named type's full
/// name, "array" or "map". Avro allows one branch per such name.
std::string branchKey(const json& s) {
  if (s.is_string()) return s.get<std::string>();
  const std::string& type = s["type"].get_ref<const std::string&>();
  if (type == typeName(meshrt::avro::Type::Record) || type == typeName(meshrt::avro::Type::Enum))
    return s["namespace"].get<std::string>() + "." + s["name"].get<std::string>();
  return type;
}

/// Two's complement, big-endian, in as few bytes as hold the sign: Avro's
/// `decimal` on `bytes`, whose JSON default is a string of code points
/// U+0000..U+00FF, one per byte.
std::string decimalBytes(__int128 unscaled) {
  std::string bytes;
  for (int i = 15; i >= 0; --i) bytes += static_cast<char>(static_cast<unsigned char>(unscaled >> (8 * i)));
  size_t start = 0;
  while (start + 1 < bytes.size()) {
    auto b = static_cast<unsigned char>(bytes[start]);
    auto next = static_cast<unsigned char>(bytes[start + 1]);
    bool redundant = (b == 0x00 && !(next & 0x80)) || (b == 0xFF && (next & 0x80));
    if (!redundant) break;
    ++start;
  }
  return bytes.substr(start);
}

/// Bytes as the code points of an Avro JSON default (nlohmann writes each
/// as UTF-8, which readers decode back to the code point).
json latin1(const std::string& bytes) {
  std::string utf8;
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      utf8 += c;
    } else {
      utf8 += static_cast<char>(0xC0 | (b >> 6));
      utf8 += static_cast<char>(0x80 | (b & 0x3F));
    }
  }
  return utf8;
}

class Writer {
 public:
  Schema take(json value) { return Schema{std::move(value), std::move(refusals_)}; }

  json recordRef(const model::Record& r) {
    if (!defined_.insert(r.qualifiedName).second) return r.qualifiedName;
    json def = named(meshrt::avro::Type::Record, r);
    unexpressed_.emplace_back();
    json fields = json::array();
    for (const auto& f : r.fields) fields.push_back(field(r, *f));
    for (const auto& c : r.checks) note(fmt::format("{} check {}: {}", r.qualifiedName, c.name, c.text));
    if (r.closed)
      note(fmt::format("{}: @closed (Avro's schema resolution skips the fields a reader does not know)",
                       r.qualifiedName));
    def["fields"] = std::move(fields);
    if (!unexpressed_.back().empty()) def["x-mesh-unexpressed"] = std::move(unexpressed_.back());
    unexpressed_.pop_back();
    return def;
  }

 private:
  /// The start of a named type's definition: its kind, name, namespace and doc.
  static json named(meshrt::avro::Type type, const model::DeclBase& decl) {
    json def;
    def["type"] = name(type);
    def["name"] = decl.name;
    def["namespace"] = decl.package;
    if (!decl.doc.empty()) def["doc"] = decl.doc;
    return def;
  }

  json field(const model::Record& r, const model::Field& f) {
    current_ = &f;
    std::string where = r.qualifiedName + "." + f.name;
    json out;
    out["name"] = avroFieldName(f, where);
    std::optional<json> wireDefault;
    if (f.defaultValue) wireDefault = model::valueJson(*f.defaultValue, *f.type);
    out["type"] = typeOf(f.type, where, wireDefault ? &*wireDefault : nullptr);
    if (!f.doc.empty()) out["doc"] = f.doc;
    if (wireDefault) {
      out["default"] = defaultOf(f.type, *wireDefault);
    } else if (f.type->optional) {
      out["default"] = nullptr;  // the key may be absent: a reader fills in null
    }
    if (f.constraint) note(fmt::format("{}: {}", where, f.constraintText));
    return out;
  }

  // Field names stay unique: a wire name is never another field's name (E0211).
  std::string avroFieldName(const model::Field& f, const std::string& where) {
    if (!f.wire || isAvroName(*f.wire)) return f.wireName();
    note(fmt::format("{}: the wire name \"{}\" is not an Avro name; the Avro field is '{}'", where, *f.wire, f.name));
    return f.name;
  }

  // ---- types

  /// The branches a type is in Avro when it is a union there (an optional
  /// type, any union): null for the `null` branch, which goes first, after
  /// the branch of a non-null `wireDefault` (Avro reads a field's default
  /// as its first branch's). Empty for a type that is no union in Avro.
  static std::vector<const model::Type*> branches(const model::Type* t, const json* wireDefault) {
    if (t->kind != TypeKind::Union && !t->optional) return {};
    std::vector<const model::Type*> out;
    if (t->kind == TypeKind::Union) {
      for (const model::Type* a : t->unionType->alternatives) out.push_back(a->kind == TypeKind::Null ? nullptr : a);
    } else {
      out.push_back(t);
    }
    if (t->optional && std::find(out.begin(), out.end(), nullptr) == out.end()) out.push_back(nullptr);
    moveToFront(out, nullptr);
    if (wireDefault && !wireDefault->is_null()) moveToFront(out, branchFor(t, *wireDefault));
    return out;
  }

  static void moveToFront(std::vector<const model::Type*>& v, const model::Type* t) {
    auto it = std::find(v.begin(), v.end(), t);
    if (it != v.end()) std::rotate(v.begin(), it, it + 1);
  }

  /// The branch of `t` that takes the JSON value `v`.
  static const model::Type* branchFor(const model::Type* t, const json& v) {
    if (t->kind != TypeKind::Union) return t;
    unsigned kind = v.is_boolean()  ? model::kJsonBool
                    : v.is_number() ? model::kJsonNumber
                    : v.is_string() ? model::kJsonString
                    : v.is_array()  ? model::kJsonArray
                                    : model::kJsonObject;
    return t->unionType->alternativeFor(kind);
  }

  json typeOf(const model::Type* t, const std::string& where, const json* wireDefault = nullptr) {
    std::vector<const model::Type*> bs = branches(t, wireDefault);
    if (bs.empty()) return plain(t, where);
    json out = json::array();
    std::set<std::string> keys;
    for (const model::Type* b : bs) {
      json s = b ? plain(b, where) : name(meshrt::avro::Type::Null);
      if (!keys.insert(branchKey(s)).second)
        refusals_.push_back({current_, fmt::format("{}: the union {} has two branches of the Avro type '{}'", where,
                                                   t->str(), branchKey(s))});
      out.push_back(std::move(s));
    }
    return out;
  }

  /// A required type that is not a union in Avro.
  json plain(const model::Type* t, const std::string& where) {
    if (t->refinement) noteRefinements(t, where);
    switch (t->kind) {
      case TypeKind::Enum:
        return enumRef(*t->enumType);
      case TypeKind::Record:
        return recordRef(*t->record);
      case TypeKind::Union:  // an alternative that is a union itself
        refusals_.push_back({current_, fmt::format("{}: Avro has no union inside a union ({})", where, t->str())});
        return name(meshrt::avro::Type::Null);
      case TypeKind::List:
        return json{{"type", name(meshrt::avro::Type::Array)}, {"items", typeOf(t->element, where + "[]")}};
      case TypeKind::Map:
        if (t->key && t->key->refinement) noteRefinements(t->key, where + "{key}");
        return json{{"type", name(meshrt::avro::Type::Map)}, {"values", typeOf(t->element, where + "[]")}};
      default:
        return primitive(*t);
    }
  }

  /// A primitive's Avro type: the runtime's name of its underlying type,
  /// with its logical type (or meshc's own mark) where it has one.
  static json primitive(const model::Type& t) {
    using A = meshrt::avro::Type;
    struct Form {
      TypeKind kind;
      A type;
      const char* logicalType;  // Avro's logicalType attribute
      const char* meshType;     // x-mesh-type: what Avro has no logical type for
    };
    static constexpr Form kForms[] = {
        {TypeKind::Bool, A::Boolean, nullptr, nullptr},
        {TypeKind::Int32, A::Int, nullptr, nullptr},
        {TypeKind::Int64, A::Long, nullptr, nullptr},
        {TypeKind::Float32, A::Float, nullptr, nullptr},
        {TypeKind::Float64, A::Double, nullptr, nullptr},
        {TypeKind::Decimal, A::Bytes, "decimal", nullptr},
        {TypeKind::String, A::String, nullptr, nullptr},
        {TypeKind::Bytes, A::Bytes, nullptr, nullptr},
        {TypeKind::Timestamp, A::Long, "timestamp-micros", nullptr},
        {TypeKind::Date, A::Int, "date", nullptr},
        {TypeKind::Duration, A::Long, nullptr, "duration"},  // microseconds; Avro's is months, days, milliseconds
        {TypeKind::Uuid, A::String, "uuid", nullptr},
        {TypeKind::Json, A::String, nullptr, "json"},  // its exact text
    };
    for (const Form& f : kForms) {
      if (f.kind != t.kind) continue;
      if (!f.logicalType && !f.meshType) return name(f.type);
      json out{{"type", name(f.type)}};
      if (f.logicalType) out["logicalType"] = f.logicalType;
      if (f.meshType) out["x-mesh-type"] = f.meshType;
      if (t.kind == TypeKind::Decimal) {
        out["precision"] = t.precision;
        out["scale"] = t.scale;
      }
      return out;
    }
    return name(A::Null);
  }

  static json name(meshrt::avro::Type type) { return std::string(meshrt::avro::typeName(type)); }

  json enumRef(const model::EnumType& e) {
    if (!defined_.insert(e.qualifiedName).second) return e.qualifiedName;
    json def = named(meshrt::avro::Type::Enum, e);
    json symbols = json::array();
    for (const auto& m : e.members) symbols.push_back(m.name);
    def["symbols"] = std::move(symbols);
    return def;
  }

  void noteRefinements(const model::Type* t, const std::string& where) {
    std::vector<const model::Refinement*> chain;
    for (const model::Refinement* r = t->refinement; r; r = r->base ? r->base->refinement : nullptr) chain.push_back(r);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it)
      if ((*it)->constraint) note(fmt::format("{} ({}): {}", where, (*it)->qualifiedName, (*it)->constraintText));
  }

  void note(std::string text) {
    if (!unexpressed_.empty()) unexpressed_.back().push_back(std::move(text));
  }

  // ---- defaults

  /// A default in its JSON wire form (model::valueJson) as Avro's JSON
  /// encoding of it for `t`'s first branch (the one branches() put first).
  static json defaultOf(const model::Type* t, const json& v) {
    if (v.is_null()) return nullptr;
    const model::Type* b = branchFor(t, v);
    if (!b) return nullptr;
    switch (b->kind) {
      case TypeKind::List: {
        json out = json::array();
        for (const auto& item : v) out.push_back(defaultOf(b->element, item));
        return out;
      }
      case TypeKind::Map: {
        json out = json::object();
        for (const auto& [k, item] : v.items()) out[k] = defaultOf(b->element, item);
        return out;
      }
      default:
        return scalarDefault(*b, v);
    }
  }

  static json scalarDefault(const model::Type& t, const json& v) {
    std::string text = v.is_string() ? v.get<std::string>() : v.dump();
    switch (t.kind) {
      case TypeKind::Decimal: {
        meshrt::Decimal d;
        if (meshrt::parseDecimal(text, !v.is_string(), t.precision, t.scale, d) != meshrt::DecimalParse::Ok)
          return nullptr;  // the checker accepted it (E0203): not reached
        return latin1(decimalBytes(d.unscaled));
      }
      case TypeKind::Bytes:
        return latin1(meshrt::decodeBase64(text).value_or(""));
      case TypeKind::Timestamp:
        return meshrt::parseTimestamp(text).value_or(meshrt::Timestamp{}).micros;
      case TypeKind::Date:
        return meshrt::parseDate(text).value_or(meshrt::Date{}).days;
      case TypeKind::Duration:
        return meshrt::parseIsoDuration(text).value_or(meshrt::Duration{}).micros;
      case TypeKind::Json:
        return v.dump();
      default:
        return v;
    }
  }

  std::set<std::string> defined_;          // named types already written in this schema
  std::vector<json> unexpressed_;          // per record being written, innermost last
  const model::Field* current_ = nullptr;  // the field being written
  std::vector<Refusal> refusals_;
};

}  // namespace

bool isAvroName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Schema recordSchema(const model::Record& record) {
  Writer w;
  json value = w.recordRef(record);
  return w.take(std::move(value));
}

Schema unionSchema(const model::Union& u) {
  Writer w;
  json value = json::array();
  for (const auto& c : u.cases) value.push_back(w.recordRef(*c.record));
  return w.take(std::move(value));
}

Schema productSchema(const model::Product& product) {
  return product.schemaUnion ? unionSchema(*product.schemaUnion) : recordSchema(*product.schema);
}

std::string text(const json& schema) { return schema.dump(2, ' ', false, json::error_handler_t::replace); }

}  // namespace mesh::model::avro
