// Types: how the model's types are stored in generated structs and
// represented in meshrt::ex, the records that hold one another, the order
// records are defined in, and which packages get code.
#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

std::vector<const model::Record*> held(const model::Record* r) {
  std::vector<const model::Record*> out;
  for (const auto& f : r->fields) forEachHeldRecord(f->type, [&](const model::Record* h) { out.push_back(h); });
  return out;
}

}  // namespace

void forEachPart(const model::Type* t, const std::function<void(const model::Type*)>& f) {
  if (t->element) f(t->element);
  if (t->kind == TypeKind::Union)
    for (const model::Type* a : t->unionType->alternatives) f(a);
}

void forEachHeldRecord(const model::Type* t, const std::function<void(const model::Record*)>& f) {
  if (t->kind == TypeKind::Record) f(t->record);
  forEachPart(t, [&](const model::Type* part) { forEachHeldRecord(part, f); });
}

RecordCycles::RecordCycles(const std::vector<const model::Record*>& records) {
  for (const model::Record* r : records)
    if (!index_.count(r)) connect(r);
}

bool RecordCycles::together(const model::Record* a, const model::Record* b) const {
  if (a == b) return true;
  auto ia = component_.find(a), ib = component_.find(b);
  return ia != component_.end() && ib != component_.end() && ia->second == ib->second;
}

void RecordCycles::connect(const model::Record* root) {
  struct Frame {
    const model::Record* record;
    std::vector<const model::Record*> next;
    size_t i = 0;
  };
  std::vector<Frame> frames;
  auto enter = [&](const model::Record* r) {
    size_t n = index_.size();
    index_[r] = low_[r] = n;
    stack_.push_back(r);
    onStack_.insert(r);
    frames.push_back({r, held(r)});
  };
  enter(root);
  while (!frames.empty()) {
    Frame& top = frames.back();
    if (top.i < top.next.size()) {
      const model::Record* n = top.next[top.i++];
      if (!index_.count(n))
        enter(n);
      else if (onStack_.count(n))
        low_[top.record] = std::min(low_[top.record], index_[n]);
      continue;
    }
    const model::Record* r = top.record;
    frames.pop_back();
    if (!frames.empty()) low_[frames.back().record] = std::min(low_[frames.back().record], low_[r]);
    if (low_[r] == index_[r]) popComponent(r);
  }
}

void RecordCycles::popComponent(const model::Record* head) {
  const model::Record* member;
  do {
    member = stack_.back();
    stack_.pop_back();
    onStack_.erase(member);
    component_[member] = index_[head];
  } while (member != head);
}

/// An optional record field of `owner` that leads back to `owner` is a
/// meshrt::Box (std::optional would need the complete type).
bool boxed(const model::Type* t, const model::Record* owner, const RecordCycles& cycles) {
  if (!owner || !t->optional || t->kind != TypeKind::Record) return false;
  return cycles.together(t->record, owner);
}

namespace {

std::string text(const model::Value& v) { return v.kind == model::Value::Kind::Int ? std::to_string(v.i) : v.s; }
double number(const model::Value& v) { return v.kind == model::Value::Kind::Int ? static_cast<double>(v.i) : v.f; }
// One row per primitive type, in model/Types.def's order.
constexpr CppScalar kScalars[] = {
    {TypeKind::Bool, "bool", "bool", "readBool", "if ($v$) out.literal(\"true\");\nelse out.literal(\"false\");\n",
     "std::string($v$ ? \"true\" : \"false\")",
     [](const model::Value& v, const model::Type&) -> std::string { return v.b ? "true" : "false"; }},
    {TypeKind::Int32, "int32_t", "int64_t", "readInt32", "::meshrt::writeNumber(out, static_cast<int64_t>($v$));\n",
     "std::to_string($v$)",
     [](const model::Value& v, const model::Type&) {
       return code("int32_t{$i$}", {{"i", std::to_string(v.i)}});
     }},
    {TypeKind::Int64, "int64_t", "int64_t", "readInt64", "::meshrt::writeNumber(out, static_cast<int64_t>($v$));\n",
     "std::to_string($v$)", [](const model::Value& v, const model::Type&) { return int64Literal(v.i); }},
    {TypeKind::Float32, "float", "double", "readFloat32", "::meshrt::writeNumber(out, static_cast<double>($v$));\n",
     "[&] { std::string k; ::meshrt::writeNumber(k, static_cast<double>($v$)); return k; }()",
     [](const model::Value& v, const model::Type&) {
       return code("float{$f$f}", {{"f", doubleLiteral(number(v))}});
     }},
    {TypeKind::Float64, "double", "double", "readFloat64", "::meshrt::writeNumber(out, static_cast<double>($v$));\n",
     "[&] { std::string k; ::meshrt::writeNumber(k, static_cast<double>($v$)); return k; }()",
     [](const model::Value& v, const model::Type&) { return doubleLiteral(number(v)); }},
    {TypeKind::Decimal, "::meshrt::Decimal", "::meshrt::Decimal", "readDecimal", "::meshrt::writeDecimal(out, $v$);\n",
     "$v$.str()",
     [](const model::Value& v, const model::Type& t) {
       return code(
           "::meshrt::decimalLiteral($s$, $precision$, $scale$)",
           {{"s", cppString(text(v))}, {"precision", std::to_string(t.precision)}, {"scale", std::to_string(t.scale)}});
     }},
    {TypeKind::String, "std::string", "std::string_view", "readString", "::meshrt::writeString(out, $v$);\n", "$v$",
     [](const model::Value& v, const model::Type&) {
       return code("std::string($s$, $n$)", {{"s", cppString(v.s)}, {"n", std::to_string(v.s.size())}});
     }},
    {TypeKind::Bytes, "std::string", "std::string_view", "readBytes",
     "::meshrt::writeString(out, ::meshrt::encodeBase64($v$));\n", "$v$", nullptr, "*::meshrt::decodeBase64($s$)"},
    {TypeKind::Timestamp, "::meshrt::Timestamp", "::meshrt::Timestamp", "readTimestamp",
     "::meshrt::writeTimestamp(out, $v$);\n", "::meshrt::formatTimestamp($v$)", nullptr,
     "*::meshrt::parseTimestamp($s$)"},
    {TypeKind::Date, "::meshrt::Date", "::meshrt::Date", "readText", "::meshrt::writeDate(out, $v$);\n",
     "::meshrt::formatDate($v$)", nullptr, "*::meshrt::parseDate($s$)"},
    {TypeKind::Duration, "::meshrt::Duration", "::meshrt::Duration", "readText",
     "::meshrt::writeString(out, ::meshrt::formatIsoDuration($v$));\n", "::meshrt::formatIsoDuration($v$)",
     [](const model::Value& v, const model::Type&) {
       return code("::meshrt::Duration{$i$}", {{"i", int64Literal(v.i)}});
     }},
    {TypeKind::Uuid, "::meshrt::Uuid", "::meshrt::Uuid", "readText",
     "::meshrt::writeString(out, ::meshrt::formatUuid($v$));\n", "::meshrt::formatUuid($v$)", nullptr,
     "*::meshrt::parseUuid($s$)"},
    // Never a key (not a scalar) and never a default (E0203).
    {TypeKind::Json, "::meshrt::Json", "const ::meshrt::Json*", "readJson", "::meshrt::writeJson(out, $v$);\n",
     "$v$.text", nullptr},
};
static_assert(std::size(kScalars) == std::size(model::kPrimitiveTypes), "a row per primitive type");
constexpr bool inTypesDefOrder() {
  for (size_t i = 0; i < std::size(kScalars); ++i)
    if (kScalars[i].kind != model::kPrimitiveTypes[i].kind) return false;
  return true;
}
static_assert(inTypesDefOrder(), "the rows follow model/Types.def");

}  // namespace

const CppScalar* cppScalar(TypeKind kind) {
  const model::PrimitiveType* p = model::primitiveType(kind);
  return p ? &kScalars[p - model::kPrimitiveTypes] : nullptr;
}

std::string alternativeTypes(const model::Union& u) {
  std::string out;
  for (const model::Type* a : u.alternatives) out += (out.empty() ? "" : ", ") + storageType(a);
  return out;
}

std::string storageType(const model::Type* t, bool withOptional) {
  std::string base;
  if (const CppScalar* s = cppScalar(t->kind))
    base = s->storage;
  else if (t->kind == TypeKind::Enum)
    base = qualifiedType(*t->enumType);
  else if (t->kind == TypeKind::Record)
    base = qualifiedType(*t->record);
  else if (t->kind == TypeKind::List)
    base = "std::vector<" + storageType(t->element) + ">";
  else if (t->kind == TypeKind::Map)
    base = "std::map<std::string, " + storageType(t->element) + ">";
  else if (t->kind == TypeKind::Union && t->unionType->tagged())
    base = qualifiedType(*t->unionType);
  else if (t->kind == TypeKind::Union)
    base = "std::variant<" + alternativeTypes(*t->unionType) + ">";
  else if (t->kind == TypeKind::Null)
    base = "std::monostate";
  else
    base = "void";
  return withOptional && t->optional ? "std::optional<" + base + ">" : base;
}

/// The representation of a value of type t in meshrt::ex (V<...>).
std::string valueRepr(const model::Type* t) {
  if (const CppScalar* s = cppScalar(t->kind)) return s->repr;
  if (t->kind == TypeKind::Enum) return "int";
  if (t->kind == TypeKind::Record) return "const " + qualifiedType(*t->record) + "*";
  if (t->kind == TypeKind::List || t->kind == TypeKind::Map) return "const " + storageType(t, false) + "*";
  return "bool";
}

std::string doubleLiteral(double v) {
  std::string s = fmt::format("{:.17g}", v);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string int64Literal(int64_t v) {
  if (v == INT64_MIN) return "(-9223372036854775807LL - 1)";
  return fmt::format("{}LL", v);
}

std::string schemaType(const model::Product& p) {
  return p.schemaUnion ? qualifiedType(*p.schemaUnion) : qualifiedType(*p.schema);
}

const model::DeclBase* schemaDecl(const model::Product& p) {
  if (p.schemaUnion) return p.schemaUnion;
  return p.schema;
}

std::string schemaDetail(const model::Product& p) { return p.schemaUnion ? detail(*p.schemaUnion) : detail(*p.schema); }

std::vector<const model::Field*> fieldsIn(const model::Record& record, const model::FieldPath& path) {
  std::vector<const model::Field*> out;
  const model::Record* in = &record;
  for (const model::Field* step : path.fields) {
    const model::Field* f = in ? in->field(step->name) : nullptr;
    if (!f) return {};
    out.push_back(f);
    const model::Type* t = f->type;
    while (t->kind == TypeKind::List || t->kind == TypeKind::Map) t = t->element;
    in = t->kind == TypeKind::Record ? t->record : nullptr;
  }
  return out;
}

std::string forEachSchemaRecord(const model::Product& p, const std::string& var, bool mutate,
                                const std::function<std::string(const std::string&, const model::Record&)>& body) {
  if (!p.schemaUnion) return body(var, *p.schema);
  const auto& alternatives = p.schemaUnion->alternatives;
  return switchOnIndex(var, alternatives.size(), [&](size_t i) {
    std::string block = body("rec", *alternatives[i]->record);
    if (block.empty()) return block;
    return code("[[maybe_unused]] $const$auto& rec = std::get<$i$>($var$);\n",
                {{"i", std::to_string(i)}, {"const", mutate ? "" : "const "}, {"var", var}}) +
           block;
  });
}

/// The package's products that have a schema, in the build's order.
const std::vector<const model::Product*>& productsOf(const GeneratorContext& ctx, const std::string& package) {
  return ctx.package(package).products;
}

// Records in an order where every record comes after those it holds by value
// (std::optional and std::map need complete types).
std::vector<const model::Record*> definitionOrder(const std::vector<const model::Record*>& records) {
  std::vector<const model::Record*> out;
  std::set<const model::Record*> done, visiting;
  std::set<const model::Record*> mine(records.begin(), records.end());
  std::function<void(const model::Record*)> visit = [&](const model::Record* r) {
    if (done.count(r) || visiting.count(r)) return;
    visiting.insert(r);
    std::function<void(const model::Type*)> deps = [&](const model::Type* t) {
      if (t->kind == TypeKind::Record && mine.count(t->record)) visit(t->record);
      if (t->kind == TypeKind::Map) deps(t->element);
      if (t->kind == TypeKind::List && t->element->kind == TypeKind::Record && mine.count(t->element->record))
        visit(t->element->record);
      // std::variant holds its alternatives by value.
      if (t->kind == TypeKind::Union || (t->kind == TypeKind::List && t->element->kind == TypeKind::Union))
        forEachHeldRecord(t, [&](const model::Record* h) {
          if (mine.count(h)) visit(h);
        });
    };
    for (const auto& f : r->fields) deps(f->type);
    visiting.erase(r);
    done.insert(r);
    out.push_back(r);
  };
  for (const model::Record* r : records) visit(r);
  return out;
}

/// Which packages get code: every input package with records or enums, and
/// every package whose records or enums they use.
std::vector<std::string> packagesToGenerate(const GeneratorContext& ctx) {
  std::set<std::string> out;
  std::vector<std::string> work;  // packages added whose records are not yet walked
  auto add = [&](const std::string& package) {
    if (out.insert(package).second) work.push_back(package);
  };
  for (const auto& name : ctx.inputPackages()) {
    const PackageIndex& p = ctx.package(name);
    if (!p.records.empty() || !p.enums.empty() || !p.unions.empty()) add(name);
  }
  // Close over the types used by generated records: each package's records
  // are walked once.
  std::function<void(const model::Type*)> use = [&](const model::Type* t) {
    if (t->kind == TypeKind::Record) add(t->record->package);
    if (t->kind == TypeKind::Enum) add(t->enumType->package);
    if (t->kind == TypeKind::Union && t->unionType->tagged()) add(t->unionType->package);
    forEachPart(t, use);
  };
  while (!work.empty()) {
    std::string package = std::move(work.back());
    work.pop_back();
    for (const model::Record* r : ctx.package(package).records)
      for (const auto& f : r->fields) use(f->type);
    for (const model::Union* u : ctx.package(package).unions)
      for (const auto& c : u->cases) add(c.record->package);
  }
  return {out.begin(), out.end()};
}

}  // namespace mesh::codegen::cpp
