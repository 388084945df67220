// Model: type interning and small queries on the checked model.
#include "model/Model.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <mutex>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace mesh::model {

bool Type::isScalar() const {
  if (primitiveType(kind)) return kind != TypeKind::Json;  // any JSON value, an array or object too
  if (const PolicyType* p = policyType(kind)) return p->scalar;
  return kind == TypeKind::Enum;  // not Error, Null, List, Map or Record
}

std::string Type::str() const {
  std::string base;
  if (refinement) {
    base = refinement->qualifiedName;
  } else if (kind == TypeKind::Decimal) {
    base = fmt::format("decimal({}, {})", precision, scale);
  } else if (const PrimitiveType* p = primitiveType(kind)) {
    base = p->name;
  } else if (const PolicyType* p = policyType(kind)) {
    base = p->name;
  } else {
    switch (kind) {
      case TypeKind::Enum:
        base = enumType->qualifiedName;
        break;
      case TypeKind::Record:
        base = record->qualifiedName;
        break;
      case TypeKind::List:
        base = "list<" + element->str() + ">";
        break;
      case TypeKind::Map:
        base = "map<" + (key ? key->str() : std::string("string")) + ", " + element->str() + ">";
        break;
      case TypeKind::Null:
        base = "null";
        break;
      case TypeKind::Union:
        base = unionType->text();
        break;
      default:
        base = "<error>";
        break;
    }
  }
  return optional ? base + "?" : base;
}

namespace {

std::atomic<uint64_t> nextTypeContextId{1};

struct KeyHash {
  size_t operator()(const TypeContext::Key& k) const {
    size_t h = 0;
    auto mix = [&](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    std::apply([&](const auto&... part) { (mix(std::hash<std::decay_t<decltype(part)>>()(part)), ...); }, k);
    return h;
  }
};

// What one thread has interned or found, for the context it last used: the
// same few types are asked for again and again (string, int64, a record
// type per field), and a shared lock taken for each of them made the
// checker's threads wait on each other more than they worked.
struct LookupCache {
  uint64_t context = 0;
  std::unordered_map<TypeContext::Key, const Type*, KeyHash> types;
};
thread_local LookupCache lookupCache;

}  // namespace

TypeContext::TypeContext() : id_(nextTypeContextId++) {}
TypeContext::~TypeContext() = default;

const Type* TypeContext::unionOf(const std::vector<const Type*>& alternatives) {
  const Union* u;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto [it, fresh] = unions_.try_emplace(alternatives, nullptr);
    if (fresh) {
      it->second = std::make_unique<Union>();
      it->second->alternatives = alternatives;
    }
    u = it->second.get();
  }
  Type t;
  t.kind = TypeKind::Union;
  t.unionType = u;
  return get(t);
}

unsigned jsonKinds(const Type* t) {
  if (t->kind == TypeKind::Json) return kJsonNull | kJsonBool | kJsonNumber | kJsonString | kJsonArray | kJsonObject;
  if (const PrimitiveType* p = primitiveType(t->kind)) {
    if (t->kind == TypeKind::Bool) return kJsonBool;
    if (t->kind == TypeKind::Decimal) return kJsonNumber | kJsonString;  // a number or a decimal string
    return p->numeric ? kJsonNumber : kJsonString;                       // the rest is written as text
  }
  switch (t->kind) {
    case TypeKind::Enum:
      return kJsonString;
    case TypeKind::Record:
    case TypeKind::Map:
      return kJsonObject;
    case TypeKind::List:
      return kJsonArray;
    case TypeKind::Null:
      return kJsonNull;
    case TypeKind::Union: {
      if (t->unionType->tagged()) return kJsonObject;
      unsigned k = 0;
      for (const Type* a : t->unionType->alternatives) k |= jsonKinds(a);
      return k;
    }
    default:
      return 0;
  }
}

std::string jsonKindsText(unsigned kinds) {
  static constexpr std::pair<unsigned, const char*> kWords[] = {
      {kJsonNull, "null"},       {kJsonBool, "a boolean"}, {kJsonNumber, "a number"},
      {kJsonString, "a string"}, {kJsonArray, "an array"}, {kJsonObject, "an object"},
  };
  std::string out;
  for (auto [bit, word] : kWords)
    if (kinds & bit) out += (out.empty() ? "" : " or ") + std::string(word);
  return out;
}

bool Type::takesNull() const { return holdsNull() || (kind == TypeKind::Union && unionType->nullable()); }

bool Union::nullable() const {
  return std::any_of(alternatives.begin(), alternatives.end(), [](const Type* t) { return t->kind == TypeKind::Null; });
}

const UnionCase* Union::caseFor(std::string_view value) const {
  for (const auto& c : cases)
    if (c.value == value) return &c;
  return nullptr;
}

std::string Union::text() const {
  if (tagged()) return qualifiedName;
  std::string out;
  for (const Type* a : alternatives) out += (out.empty() ? "" : " | ") + a->str();
  return out;
}

const Type* Union::alternativeFor(unsigned kind) const {
  for (const Type* a : alternatives)
    if (jsonKinds(a) & kind) return a;
  return nullptr;
}

const Type* TypeContext::get(const Type& s) {
  Key key = std::make_tuple(static_cast<int>(s.kind), s.optional, static_cast<const void*>(s.element),
                            static_cast<const void*>(s.key), s.precision, s.scale, static_cast<const void*>(s.enumType),
                            static_cast<const void*>(s.record), static_cast<const void*>(s.refinement),
                            static_cast<const void*>(s.unionType));
  LookupCache& cache = lookupCache;
  if (cache.context != id_) {
    cache.types.clear();
    cache.context = id_;
  }
  if (auto hit = cache.types.find(key); hit != cache.types.end()) return hit->second;
  const Type* type;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto [it, fresh] = index_.try_emplace(key, nullptr);
    if (fresh) {
      types_.push_back(std::make_unique<Type>(s));
      it->second = types_.back().get();
    }
    type = it->second;
  }
  cache.types.emplace(key, type);
  return type;
}

const Type* TypeContext::primitive(TypeKind kind, bool optional) {
  Type t;
  t.kind = kind;
  t.optional = optional;
  return get(t);
}

const Type* TypeContext::optional(const Type* t) {
  if (t->optional || t->kind == TypeKind::Error) return t;
  Type c = *t;
  c.optional = true;
  return get(c);
}

const Type* TypeContext::required(const Type* t) {
  if (!t->optional) return t;
  Type c = *t;
  c.optional = false;
  return get(c);
}

const Type* TypeContext::underlying(const Type* t) {
  if (!t->refinement) return t;
  Type c = *t;
  c.refinement = nullptr;
  return get(c);
}

const Type* TypeContext::list(const Type* element, bool optional) {
  Type t;
  t.kind = TypeKind::List;
  t.element = element;
  t.optional = optional;
  return get(t);
}

std::string Value::str() const {
  switch (kind) {
    case Kind::Null:
      return "null";
    case Kind::Bool:
      return b ? "true" : "false";
    case Kind::Int:
      return std::to_string(i);
    case Kind::Float:
      return s.empty() ? fmt::format("{}", f) : s;
    case Kind::String:
      return "\"" + s + "\"";
    case Kind::Duration:
      return s.empty() ? fmt::format("{}us", i) : s;
    case Kind::Date:
      return s;
    case Kind::EnumMember:
      return enumType && member >= 0 ? enumType->members[member].name : "?";
    case Kind::Role:
      return role ? role->qualifiedName : "?";
    case Kind::Tag:
      return tag ? tag->qualifiedName : "?";
    case Kind::List:
    case Kind::Map: {
      std::string out = kind == Kind::List ? "[" : "{";
      for (size_t n = 0; n < items.size(); ++n) {
        if (n) out += ", ";
        if (kind == Kind::Map) out += "\"" + keys[n] + "\": ";
        out += items[n].str();
      }
      return out + (kind == Kind::List ? "]" : "}");
    }
  }
  return "?";
}

int EnumType::memberIndex(const std::string& n) const {
  for (size_t i = 0; i < members.size(); ++i)
    if (members[i].name == n) return static_cast<int>(i);
  return -1;
}

const Field* Record::field(const std::string& n) const {
  for (const auto& f : fields)
    if (f->name == n) return f.get();
  return nullptr;
}

const Field* Record::fieldOnWire(std::string_view key) const {
  for (const auto& f : fields)
    if (f->wireName() == key) return f.get();
  return nullptr;
}

const Product* Build::product(const std::string& qualifiedName) const {
  for (const auto& p : products)
    if (p->qualifiedName == qualifiedName) return p.get();
  return nullptr;
}

const Record* Build::record(const std::string& qualifiedName) const {
  for (const auto& r : records)
    if (r->qualifiedName == qualifiedName) return r.get();
  return nullptr;
}

const Union* Build::unionNamed(const std::string& qualifiedName) const {
  for (const auto& u : unions)
    if (u->qualifiedName == qualifiedName) return u.get();
  return nullptr;
}

std::vector<const Record*> schemaRecords(const Product& p) {
  if (p.schema) return {p.schema};
  std::vector<const Record*> out;
  if (p.schemaUnion)
    for (const UnionCase& c : p.schemaUnion->cases)
      if (std::find(out.begin(), out.end(), c.record) == out.end()) out.push_back(c.record);
  return out;
}

const std::string& schemaName(const Product& p) {
  static const std::string none;
  return p.schema ? p.schema->qualifiedName : p.schemaUnion ? p.schemaUnion->qualifiedName : none;
}

const std::vector<std::string>& latencyPercentiles() {
  static const std::vector<std::string> percentiles = {"p50", "p75", "p90", "p95", "p99", "p999"};
  return percentiles;
}

std::string durationText(int64_t micros) {
  struct Unit {
    int64_t micros;
    const char* suffix;
  };
  static const Unit units[] = {{86400000000, "d"}, {3600000000, "h"}, {60000000, "m"},
                               {1000000, "s"},     {1000, "ms"},      {1, "us"}};
  if (micros == 0) return "0s";
  for (const auto& u : units)
    if (micros % u.micros == 0) return fmt::format("{}{}", micros / u.micros, u.suffix);
  return fmt::format("{}us", micros);
}

std::string foldWhitespace(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string constraintMessage(const Expr& e, const std::string& text) {
  static const char* ops[] = {"||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"};
  static const char* flipped[] = {"||", "&&", "==", "!=", ">", ">=", "<", "<=", "+", "-", "*", "/", "%"};
  if (e.op == ExprOp::Binary && e.args.size() == 2) {
    int op = static_cast<int>(e.binaryOp);
    bool comparison = e.binaryOp >= BinaryOp::Eq && e.binaryOp <= BinaryOp::Ge;
    const Expr& l = *e.args[0];
    const Expr& r = *e.args[1];
    if (comparison && l.op == ExprOp::Value && r.op == ExprOp::Literal)
      return std::string("must be ") + ops[op] + " " + r.literal.str();
    if (comparison && r.op == ExprOp::Value && l.op == ExprOp::Literal)
      return std::string("must be ") + flipped[op] + " " + l.literal.str();
  }
  return "must satisfy " + text;
}

std::string sensitiveConstraintMessage(const std::string& redactedText) { return "must satisfy " + redactedText; }

std::string checkMessage(const std::string& name, const std::string& text) {
  return "check " + name + " failed: " + text;
}

bool isSensitive(const std::vector<TagUse>& tags) {
  for (const auto& t : tags) {
    if (!t.tag) continue;
    if (t.tag->qualifiedName == "std.governance.pii") return true;
    if (t.tag->qualifiedName != "std.governance.classification") continue;
    for (const auto& [name, value] : t.args)
      if (name == "level" && (value.str() == "confidential" || value.str() == "restricted")) return true;
  }
  return false;
}

bool refinementIsSensitive(const Type* t) {
  for (const Refinement* r = t ? t->refinement : nullptr; r; r = r->base ? r->base->refinement : nullptr)
    if (isSensitive(r->tags)) return true;
  return false;
}

bool readsSensitiveField(const Expr& e) {
  if ((e.op == ExprOp::FieldRef || e.op == ExprOp::Member) && e.field && isSensitive(e.field->tags)) return true;
  for (const auto& a : e.args)
    if (a && readsSensitiveField(*a)) return true;
  return false;
}

bool callsNow(const Expr& e) {
  if (e.op == ExprOp::Call && e.builtin == Builtin::Now) return true;
  for (const auto& a : e.args)
    if (a && callsNow(*a)) return true;
  return false;
}

}  // namespace mesh::model
