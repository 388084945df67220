// JsonSchema: the `jsonschema` target (toolchain.md section 2): one JSON
// Schema (draft 2020-12) per record, accepting what the record's validator
// accepts wherever JSON Schema can say it; the rest is listed under
// "x-mesh-unexpressed". Deliberate differences: docs/validation.md.
// A record refers to another record's schema by that schema's `$id`
// (`urn:mesh:<qualified name>`), so the output is linear in the contracts
// (inlining every reachable record into every schema wrote 2.56 GB for a
// chain of 4,000 records); the manifest embeds the bundled form, with the
// reachable records under `$defs`, since DataHub reads one document.
#include <fmt/format.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>

#include "codegen/Generator.h"
#include "model/ValueJson.h"
#include "support/RegexHazard.h"

namespace mesh::codegen {
namespace {

using json = nlohmann::ordered_json;
using model::TypeKind;

const char* kDraft = "https://json-schema.org/draft/2020-12/schema";

// Patterns: the JSON wire formats that ajv-formats reads differently from
// meshrt are pinned with a pattern next to (or instead of) the format.
const char* kTimestampPattern =
    "^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?"
    "([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$";
const char* kDatePattern = "^(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}$";
const char* kDurationPattern =
    "^P(?!$)([0-9]+Y)?([0-9]+M)?([0-9]+D)?(T(?=[0-9])([0-9]+H)?([0-9]+M)?([0-9]+([.,][0-9]+)?S)?)?$|^P[0-9]+W$";
const char* kUuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
const char* kBase64Pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$";

std::string escapeRegex(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string("\\^$.|?*+()[]{}/").find(c) != std::string::npos) out += '\\';
    out += c;
  }
  return out;
}

// A pattern in RE2 syntax as an ECMAScript pattern with the same meaning
// (ajv compiles patterns with the `u` flag), or nothing when the two differ.
// RE2's `.` excludes only \n and its `\s` is [\t\n\f\r ]; JavaScript's are
// wider, so they are spelled out. Escapes, classes and quantifiers outside a
// conservative common subset are refused.
std::optional<std::string> portablePattern(const std::string& re) {
  std::string out;
  bool inClass = false;
  for (size_t i = 0; i < re.size(); ++i) {
    char c = re[i];
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) return std::nullopt;
    if (c == '\\') {
      if (i + 1 >= re.size()) return std::nullopt;
      char e = re[++i];
      if (e == 's' || e == 'S') {
        bool negate = e == 'S';
        if (inClass) {
          if (negate) return std::nullopt;
          out += "\\t\\n\\f\\r ";
        } else {
          out += negate ? "[^\\t\\n\\f\\r ]" : "[\\t\\n\\f\\r ]";
        }
        continue;
      }
      if (std::string("dDwW.\\^$|?*+()[]{}/").find(e) == std::string::npos && !(inClass && e == '-'))
        return std::nullopt;
      out += '\\';
      out += e;
      continue;
    }
    if (inClass) {
      if (c == '[') return std::nullopt;  // POSIX classes, nested classes
      if (c == ']') inClass = false;
      out += c;
      continue;
    }
    switch (c) {
      case '[':
        inClass = true;
        out += c;
        if (i + 1 < re.size() && re[i + 1] == '^') out += re[++i];
        if (i + 1 < re.size() && re[i + 1] == ']') return std::nullopt;  // `[]a]`
        break;
      case ']':
      case '}':
        return std::nullopt;  // literal brackets: errors in unicode mode
      case '{': {
        // Only a full quantifier {n}, {n,}, {n,m}.
        size_t close = re.find('}', i);
        if (close == std::string::npos) return std::nullopt;
        std::string inner = re.substr(i + 1, close - i - 1);
        size_t comma = inner.find(',');
        std::string lo = inner.substr(0, comma);
        if (lo.empty() || lo.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        if (comma != std::string::npos && inner.substr(comma + 1).find_first_not_of("0123456789") != std::string::npos)
          return std::nullopt;
        out += re.substr(i, close - i + 1);
        i = close;
        break;
      }
      case '.':
        out += "[^\\n]";
        break;
      case '(':
        if (i + 1 < re.size() && re[i + 1] == '?') {
          if (i + 2 < re.size() && re[i + 2] == ':') {
            out += "(?:";
            i += 2;
            break;
          }
          return std::nullopt;  // flags, named groups
        }
        out += c;
        break;
      default:
        out += c;
        break;
    }
  }
  if (inClass) return std::nullopt;
  return out;
}

std::string decimalPattern(int precision, int scale) {
  int integerDigits = precision - scale;
  std::string integer = integerDigits > 0 ? fmt::format("(0|[1-9][0-9]{{0,{}}})", integerDigits - 1) : "0";
  std::string fraction = scale > 0 ? fmt::format("(\\.[0-9]{{1,{}}}0*)?", scale) : "(\\.0+)?";
  return "^-?" + integer + fraction + "$";
}

// A decimal(p, s): a number, or its text (meshrt reads both), within p - s
// integer digits and s fraction digits.
json decimalSchema(const model::Type& type) {
  json number;
  number["type"] = "number";
  number["multipleOf"] = std::pow(10.0, -type.scale);
  double bound = std::pow(10.0, type.precision - type.scale);
  number["exclusiveMinimum"] = -bound;
  number["exclusiveMaximum"] = bound;
  json text;
  text["type"] = "string";
  text["pattern"] = decimalPattern(type.precision, type.scale);
  json s;
  s["anyOf"] = json::array({number, text});
  return s;
}

const double kFloat32Max = 3.4028234663852886e38;

/// The schema of a primitive type without parameters (decimal's is
/// decimalSchema): one row per type of model/Types.def.
const json* primitiveSchema(TypeKind kind) {
  static const std::pair<TypeKind, json> kSchemas[] = {
      {TypeKind::Bool, {{"type", "boolean"}}},
      {TypeKind::Int32, {{"type", "integer"}, {"minimum", INT32_MIN}, {"maximum", INT32_MAX}}},
      {TypeKind::Int64, {{"type", "integer"}, {"minimum", INT64_MIN}, {"maximum", INT64_MAX}}},
      {TypeKind::Float32, {{"type", "number"}, {"minimum", -kFloat32Max}, {"maximum", kFloat32Max}}},
      {TypeKind::Float64, {{"type", "number"}}},
      {TypeKind::String, {{"type", "string"}}},
      {TypeKind::Bytes, {{"type", "string"}, {"contentEncoding", "base64"}, {"pattern", kBase64Pattern}}},
      {TypeKind::Timestamp, {{"type", "string"}, {"format", "date-time"}, {"pattern", kTimestampPattern}}},
      {TypeKind::Date, {{"type", "string"}, {"format", "date"}, {"pattern", kDatePattern}}},
      {TypeKind::Duration, {{"type", "string"}, {"pattern", kDurationPattern}}},
      {TypeKind::Uuid, {{"type", "string"}, {"pattern", kUuidPattern}}},
      // Any JSON value: no constraint at all, only a word for the reader.
      {TypeKind::Json, {{"description", "any JSON value"}}},
  };
  // Every primitive but decimal has its row.
  static_assert(std::size(kSchemas) == std::size(model::kPrimitiveTypes) - 1);
  for (const auto& [k, schema] : kSchemas)
    if (k == kind) return &schema;
  return nullptr;
}

bool isValue(const model::Expr& e) { return e.op == model::ExprOp::Value; }
bool isLiteral(const model::Expr& e) { return e.op == model::ExprOp::Literal; }

// float32 values are compared after rounding to float32, which JSON Schema
// cannot say: their comparisons stay unexpressed.
bool comparableNumber(TypeKind k) { return k == TypeKind::Int32 || k == TypeKind::Int64 || k == TypeKind::Float64; }

// value OP literal: a bound of a number, the value of a string, enum or bool.
std::optional<json> valueBound(model::BinaryOp op, const model::Value& lit, TypeKind k) {
  using B = model::BinaryOp;
  bool literalNumeric = lit.kind == model::Value::Kind::Int || lit.kind == model::Value::Kind::Float;
  if (comparableNumber(k) && literalNumeric) {
    json bound = model::valueJson(lit);
    switch (op) {
      case B::Gt:
        return json{{"exclusiveMinimum", bound}};
      case B::Ge:
        return json{{"minimum", bound}};
      case B::Lt:
        return json{{"exclusiveMaximum", bound}};
      case B::Le:
        return json{{"maximum", bound}};
      case B::Eq:
        return json{{"const", bound}};
      case B::Ne:
        return json{{"not", json{{"const", bound}}}};
      default:
        return std::nullopt;
    }
  }
  // A json value is null or not (the only comparison it has).
  if (k == TypeKind::Json && lit.kind == model::Value::Kind::Null && (op == B::Eq || op == B::Ne)) {
    json isNull{{"type", "null"}};
    return op == B::Eq ? isNull : json{{"not", isNull}};
  }
  bool stringy = (k == TypeKind::String && lit.kind == model::Value::Kind::String) ||
                 (k == TypeKind::Enum && lit.kind == model::Value::Kind::EnumMember) ||
                 (k == TypeKind::Bool && lit.kind == model::Value::Kind::Bool);
  if (stringy && op == B::Eq) return json{{"const", model::valueJson(lit)}};
  if (stringy && op == B::Ne) return json{{"not", json{{"const", model::valueJson(lit)}}}};
  return std::nullopt;
}

// len(value) OP n: a bound of a string's, list's or map's size.
std::optional<json> lengthBound(model::BinaryOp op, int64_t n, TypeKind k) {
  using B = model::BinaryOp;
  const char* minKey = k == TypeKind::String ? "minLength"
                       : k == TypeKind::List ? "minItems"
                       : k == TypeKind::Map  ? "minProperties"
                                             : nullptr;
  const char* maxKey = k == TypeKind::String ? "maxLength"
                       : k == TypeKind::List ? "maxItems"
                       : k == TypeKind::Map  ? "maxProperties"
                                             : nullptr;
  if (!minKey) return std::nullopt;
  auto clampMin = [](int64_t v) { return std::max<int64_t>(v, 0); };
  switch (op) {
    case B::Gt:
      return json{{minKey, clampMin(n + 1)}};
    case B::Ge:
      return json{{minKey, clampMin(n)}};
    case B::Lt:
      return n <= 0 ? json{{"not", json::object()}} : json{{maxKey, n - 1}};
    case B::Le:
      return n < 0 ? json{{"not", json::object()}} : json{{maxKey, n}};
    case B::Eq:
      return n < 0 ? json{{"not", json::object()}} : json{{minKey, n}, {maxKey, n}};
    case B::Ne:
      return n < 0 ? json::object() : json{{"not", json{{minKey, n}, {maxKey, n}}}};
    default:
      return std::nullopt;
  }
}

// A comparison of the value (or its length) with a literal, either side.
std::optional<json> comparisonSchema(const model::Expr& e, TypeKind k) {
  using B = model::BinaryOp;
  const model::Expr* lhs = e.args[0].get();
  const model::Expr* rhs = e.args[1].get();
  B op = e.binaryOp;
  if (isLiteral(*lhs) && !isLiteral(*rhs)) {
    std::swap(lhs, rhs);
    if (op == B::Lt)
      op = B::Gt;
    else if (op == B::Gt)
      op = B::Lt;
    else if (op == B::Le)
      op = B::Ge;
    else if (op == B::Ge)
      op = B::Le;
  }
  if (!isLiteral(*rhs)) return std::nullopt;
  const model::Value& lit = rhs->literal;
  if (isValue(*lhs)) return valueBound(op, lit, k);
  if (lhs->op == model::ExprOp::Call && lhs->builtin == model::Builtin::Len && isValue(*lhs->args[0]) &&
      lit.kind == model::Value::Kind::Int)
    return lengthBound(op, lit.i, k);
  return std::nullopt;
}

// value in [literal, ...] (or not in) of a scalar.
std::optional<json> membershipSchema(const model::Expr& e, TypeKind k) {
  bool scalar = comparableNumber(k) || k == TypeKind::String || k == TypeKind::Enum || k == TypeKind::Bool;
  if (!scalar) return std::nullopt;
  json values = json::array();
  for (const auto& item : e.args[1]->args) {
    if (!isLiteral(*item)) return std::nullopt;
    values.push_back(model::valueJson(item->literal));
  }
  json in{{"enum", values}};
  if (e.negated) return json{{"not", in}};
  return in;
}

// A builtin called on the value: patterns, formats, uniqueness.
std::optional<json> callSchema(const model::Expr& e, const model::Type* type) {
  using F = model::Builtin;
  TypeKind k = type->kind;
  auto stringArg = [&]() -> const std::string* {
    if (e.args.size() < 2 || !isLiteral(*e.args[1]) || e.args[1]->literal.kind != model::Value::Kind::String)
      return nullptr;
    return &e.args[1]->literal.s;
  };
  switch (e.builtin) {
    case F::Matches:
      if (auto p = stringArg()) {
        // A pattern a backtracking engine can hang on (W0316) is left out.
        if (support::backtrackingHazard(*p)) return std::nullopt;
        if (auto portable = portablePattern(*p)) return json{{"pattern", *portable}};
      }
      return std::nullopt;
    case F::StartsWith:
      if (auto p = stringArg()) return json{{"pattern", "^" + escapeRegex(*p)}};
      return std::nullopt;
    case F::EndsWith:
      if (auto p = stringArg()) return json{{"pattern", escapeRegex(*p) + "$"}};
      return std::nullopt;
    case F::Contains:
      if (k != TypeKind::String) return std::nullopt;
      if (auto p = stringArg()) return json{{"pattern", escapeRegex(*p)}};
      return std::nullopt;
    case F::IsEmail:
      return json{{"format", "email"}};
    case F::IsHostname:
      return json{{"format", "hostname"}};
    case F::IsIpv4:
      return json{{"format", "ipv4"}};
    case F::IsIpv6:
      return json{{"format", "ipv6"}};
    case F::IsUri:
      return std::nullopt;  // ajv-formats' `uri` refuses empty paths RFC 3986 allows
    case F::IsUriReference:
      // ajv-formats' format lets '"' into paths, queries and fragments,
      // which RFC 3986 (and meshrt::isUriReference) does not.
      return json{{"format", "uri-reference"}, {"pattern", "^[^\"]*$"}};
    case F::IsUriTemplate:
      return json{{"format", "uri-template"}};
    case F::Unique: {
      // Only where JSON equality is the typed equality.
      TypeKind ek = type->element ? type->element->kind : TypeKind::Error;
      bool plain = ek == TypeKind::String || ek == TypeKind::Enum || ek == TypeKind::Bool || ek == TypeKind::Int32 ||
                   ek == TypeKind::Int64;
      if (k == TypeKind::List && plain && !type->element->optional) return json{{"uniqueItems", true}};
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

class SchemaBuilder {
 public:
  SchemaBuilder(const GeneratorContext& ctx, RecordRefs refs) : ctx_(ctx), refs_(refs) {}

  json recordSchema(const model::Record& root) {
    reset();
    return document(root, recordBody(root));
  }

  /// A tagged union's own schema, as a record has (a product's schema may be one).
  json unionDocument(const model::Union& u) {
    reset();
    return document(u, unionSchema(u, u.qualifiedName));
  }

 private:
  void reset() {
    unexpressed_.clear();
    defs_ = json::object();
  }

  json document(const model::DeclBase& root, json body) {
    json schema;
    schema["$schema"] = kDraft;
    schema["$id"] = "urn:mesh:" + root.qualifiedName;
    schema["$comment"] = ctx_.stamp("", ctx_.sourcesOf(root.package));
    schema["title"] = root.qualifiedName;
    if (!root.doc.empty()) schema["description"] = root.doc;
    for (auto& [k, v] : body.items()) schema[k] = v;
    if (!defs_.empty()) {
      // Sorted by qualified name for deterministic output.
      json sorted = json::object();
      std::vector<std::string> names;
      for (auto& [k, v] : defs_.items()) names.push_back(k);
      std::sort(names.begin(), names.end());
      for (const auto& n : names) sorted[n] = defs_[n];
      schema["$defs"] = sorted;
    }
    if (!unexpressed_.empty()) schema["x-mesh-unexpressed"] = unexpressed_;
    return schema;
  }

  json recordBody(const model::Record& r) {
    json body;
    body["type"] = "object";
    json properties = json::object();
    json required = json::array();
    for (const auto& f : r.fields) {
      json fs = typeSchema(f->type, r.qualifiedName + "." + f->name);
      if (f->constraint && !f->constraint->type->isError())
        constrain(fs, *f->constraint, f->type, f->constraintText, r.qualifiedName + "." + f->name);
      if (!f->doc.empty()) fs["description"] = f->doc;
      if (f->defaultValue) fs["default"] = model::valueJson(*f->defaultValue);
      if (f->deprecated) fs["deprecated"] = true;
      properties[f->wireName()] = nullable(std::move(fs), f->type->optional);
      if (!f->type->optional && !f->defaultValue) required.push_back(f->wireName());
    }
    body["properties"] = properties;
    if (!required.empty()) body["required"] = required;
    if (r.closed) body["additionalProperties"] = false;
    for (const auto& c : r.checks)
      unexpressed_.push_back(fmt::format("{} check {}: {}", r.qualifiedName, c.name, c.text));
    return body;
  }

  json nullable(json s, bool optional) {
    if (!optional) return s;
    json out;
    out["anyOf"] = json::array({std::move(s), json{{"type", "null"}}});
    return out;
  }

  json typeSchema(const model::Type* type, const std::string& where) {
    json s;
    switch (type->kind) {
      case TypeKind::Decimal:
        s = decimalSchema(*type);
        break;
      case TypeKind::Enum: {
        s["type"] = "string";
        json members = json::array();
        for (const auto& m : type->enumType->members) members.push_back(m.name);
        s["enum"] = members;
        break;
      }
      case TypeKind::Record: {
        const model::Record* r = type->record;
        if (refs_ == RecordRefs::Linked) {
          s["$ref"] = schemaId(*r);
          break;
        }
        if (!defs_.contains(r->qualifiedName)) {
          defs_[r->qualifiedName] = json::object();  // placeholder: recursion through optional fields
          json body = recordBody(*r);
          if (!r->doc.empty()) body["description"] = r->doc;
          defs_[r->qualifiedName] = body;
        }
        s["$ref"] = "#/$defs/" + r->qualifiedName;
        break;
      }
      case TypeKind::Union:
        s = unionSchema(*type->unionType, where);
        break;
      case TypeKind::List:
        s["type"] = "array";
        s["items"] = nullable(typeSchema(type->element, where + "[]"), type->element->optional);
        break;
      case TypeKind::Map:
        s["type"] = "object";
        // A refined key type: every key matches its schema (a plain string
        // key says nothing JSON does not).
        if (type->key && type->key->refinement) s["propertyNames"] = typeSchema(type->key, where + "{key}");
        s["additionalProperties"] = nullable(typeSchema(type->element, where + "[]"), type->element->optional);
        break;
      default:
        if (const json* primitive = primitiveSchema(type->kind)) s = *primitive;
        break;
    }
    if (const model::Refinement* ref = type->refinement) {
      std::vector<const model::Refinement*> chain;
      for (const model::Refinement* r = ref; r; r = r->base ? r->base->refinement : nullptr) chain.push_back(r);
      for (auto it = chain.rbegin(); it != chain.rend(); ++it)
        if ((*it)->constraint && !(*it)->constraint->type->isError())
          constrain(s, *(*it)->constraint, (*it)->base, (*it)->constraintText,
                    where + " (" + (*it)->qualifiedName + ")");
      if (!ref->doc.empty() && !s.contains("description")) s["description"] = ref->doc;
    }
    return s;
  }

  // A union: `oneOf` its alternatives, which the checker made exclusive by
  // their JSON kind (E0214); a tagged union's branches each require their
  // `const` discriminator, which makes them exclusive too.
  json unionSchema(const model::Union& u, const std::string& where) {
    json branches = json::array();
    if (u.tagged()) {
      model::Type rt;
      rt.kind = TypeKind::Record;
      for (const auto& c : u.cases) {
        rt.record = c.record;
        json branch = typeSchema(&rt, where);
        branch["type"] = "object";  // beside `required`, as strict ajv (strictTypes) wants it
        branch["properties"] = json{{u.discriminator, json{{"const", c.value}}}};
        branch["required"] = json::array({u.discriminator});
        if (!c.doc.empty()) branch["description"] = c.doc;
        branches.push_back(std::move(branch));
      }
    } else {
      for (const model::Type* a : u.alternatives)
        branches.push_back(a->kind == TypeKind::Null ? json{{"type", "null"}} : typeSchema(a, where));
    }
    json s;
    s["oneOf"] = std::move(branches);
    return s;
  }

  // Adds the constraint to `s` as `allOf` parts; what cannot be expressed
  // is listed under x-mesh-unexpressed.
  void constrain(json& s, const model::Expr& e, const model::Type* type, const std::string& text,
                 const std::string& where) {
    std::optional<json> part = translate(e, type);
    if (!part) {
      unexpressed_.push_back(fmt::format("{}: {}", where, text));
      return;
    }
    if (!s.contains("allOf")) s["allOf"] = json::array();
    s["allOf"].push_back(*part);
  }

  // A constraint as a JSON Schema, or nothing when JSON Schema cannot say it.
  std::optional<json> translate(const model::Expr& e, const model::Type* type) {
    using B = model::BinaryOp;
    using Op = model::ExprOp;
    if (e.op == Op::Binary && (e.binaryOp == B::And || e.binaryOp == B::Or)) {
      auto l = translate(*e.args[0], type);
      auto r = translate(*e.args[1], type);
      if (!l || !r) return std::nullopt;
      return json{{e.binaryOp == B::And ? "allOf" : "anyOf", json::array({*l, *r})}};
    }
    if (e.op == Op::Not) {
      auto inner = translate(*e.args[0], type);
      if (!inner) return std::nullopt;
      return json{{"not", *inner}};
    }
    if (e.op == Op::Binary && e.binaryOp >= B::Eq && e.binaryOp <= B::Ge) return comparisonSchema(e, type->kind);
    if (e.op == Op::In && isValue(*e.args[0]) && e.args[1]->op == Op::List) return membershipSchema(e, type->kind);
    if (e.op == Op::Call && !e.args.empty() && isValue(*e.args[0])) return callSchema(e, type);
    if (isLiteral(e) && e.literal.kind == model::Value::Kind::Bool)
      return e.literal.b ? json::object() : json{{"not", json::object()}};
    return std::nullopt;
  }

  static std::string schemaId(const model::Record& r) { return "urn:mesh:" + r.qualifiedName; }

  const GeneratorContext& ctx_;
  RecordRefs refs_;
  json defs_;
  json unexpressed_ = json::array();
};

}  // namespace

std::string recordJsonSchema(const GeneratorContext& ctx, const model::Record& record, RecordRefs refs) {
  SchemaBuilder builder(ctx, refs);
  return builder.recordSchema(record).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string unionJsonSchema(const GeneratorContext& ctx, const model::Union& u, RecordRefs refs) {
  SchemaBuilder builder(ctx, refs);
  return builder.unionDocument(u).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string productJsonSchema(const GeneratorContext& ctx, const model::Product& product, RecordRefs refs) {
  return product.schemaUnion ? unionJsonSchema(ctx, *product.schemaUnion, refs)
                             : recordJsonSchema(ctx, *product.schema, refs);
}

void generateJsonSchema(const GeneratorContext& ctx, OutputTree& out, DiagnosticEngine&) {
  std::vector<const model::Record*> records = recordsWithSchemas(ctx);
  // One schema per task: each builder reads the model and writes its own text.
  parallelFor(records.size(), ctx.jobs, [&](size_t i) {
    out.add("jsonschema/" + records[i]->qualifiedName + ".schema.json",
            recordJsonSchema(ctx, *records[i], RecordRefs::Linked) + "\n");
  });
  for (const model::Union* u : inputUnions(ctx))
    out.add("jsonschema/" + u->qualifiedName + ".schema.json", unionJsonSchema(ctx, *u, RecordRefs::Linked) + "\n");
}

}  // namespace mesh::codegen
