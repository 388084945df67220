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
  for (const auto& f : r->fields) {
    const model::Type* t = f->type;
    while (t->kind == TypeKind::List || t->kind == TypeKind::Map) t = t->element;
    if (t->kind == TypeKind::Record) out.push_back(t->record);
  }
  return out;
}

}  // namespace

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

std::string storageType(const model::Type* t, bool withOptional) {
  std::string base;
  switch (t->kind) {
    case TypeKind::Bool:
      base = "bool";
      break;
    case TypeKind::Int32:
      base = "int32_t";
      break;
    case TypeKind::Int64:
      base = "int64_t";
      break;
    case TypeKind::Float32:
      base = "float";
      break;
    case TypeKind::Float64:
      base = "double";
      break;
    case TypeKind::Decimal:
      base = "::meshrt::Decimal";
      break;
    case TypeKind::String:
      base = "std::string";
      break;
    case TypeKind::Bytes:
      base = "std::string";
      break;
    case TypeKind::Timestamp:
      base = "::meshrt::Timestamp";
      break;
    case TypeKind::Date:
      base = "::meshrt::Date";
      break;
    case TypeKind::Duration:
      base = "::meshrt::Duration";
      break;
    case TypeKind::Uuid:
      base = "::meshrt::Uuid";
      break;
    case TypeKind::Enum:
      base = qualifiedType(*t->enumType);
      break;
    case TypeKind::Record:
      base = qualifiedType(*t->record);
      break;
    case TypeKind::List:
      base = "std::vector<" + storageType(t->element) + ">";
      break;
    case TypeKind::Map:
      base = "std::map<std::string, " + storageType(t->element) + ">";
      break;
    default:
      base = "void";
      break;
  }
  return withOptional && t->optional ? "std::optional<" + base + ">" : base;
}

/// The representation of a value of type t in meshrt::ex (V<...>).
std::string valueRepr(const model::Type* t) {
  switch (t->kind) {
    case TypeKind::Bool:
      return "bool";
    case TypeKind::Int32:
    case TypeKind::Int64:
      return "int64_t";
    case TypeKind::Float32:
    case TypeKind::Float64:
      return "double";
    case TypeKind::Decimal:
      return "::meshrt::Decimal";
    case TypeKind::String:
    case TypeKind::Bytes:
      return "std::string_view";
    case TypeKind::Timestamp:
      return "::meshrt::Timestamp";
    case TypeKind::Date:
      return "::meshrt::Date";
    case TypeKind::Duration:
      return "::meshrt::Duration";
    case TypeKind::Uuid:
      return "::meshrt::Uuid";
    case TypeKind::Enum:
      return "int";
    case TypeKind::Record:
      return "const " + qualifiedType(*t->record) + "*";
    case TypeKind::List:
    case TypeKind::Map:
      return "const " + storageType(t, false) + "*";
    default:
      return "bool";
  }
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
    if (!p.records.empty() || !p.enums.empty()) add(name);
  }
  // Close over the types used by generated records: each package's records
  // are walked once.
  std::function<void(const model::Type*)> use = [&](const model::Type* t) {
    if (t->kind == TypeKind::Record) add(t->record->package);
    if (t->kind == TypeKind::Enum) add(t->enumType->package);
    if (t->element) use(t->element);
  };
  while (!work.empty()) {
    std::string package = std::move(work.back());
    work.pop_back();
    for (const model::Record* r : ctx.package(package).records)
      for (const auto& f : r->fields) use(f->type);
  }
  return {out.begin(), out.end()};
}

}  // namespace mesh::codegen::cpp
