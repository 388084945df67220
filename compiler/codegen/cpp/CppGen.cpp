// CppGen: the `cpp` target (toolchain.md section 2). Per package a header and
// a source with the structs, enums, one-pass parse-and-validate from JSON
// text (meshrt::JsonDocument over simdjson On-Demand), in-memory validation,
// serialization and masked copies; one CMakeLists.txt building the library and
// `mesh-validate`. The generated code follows the reference evaluator
// (compiler/eval/Validate.cpp) step for step, so both print the same bytes.
//
// Templates are literals; user text (names, strings, docs) only ever enters
// through ident(), cppString() and comment(), which make it inert.
#include <fmt/format.h>

#include <algorithm>
#include <bitset>
#include <functional>
#include <iterator>
#include <map>
#include <mutex>
#include <set>

#include "codegen/Generator.h"
#include "meshrt/formats.h"
#include "meshrt/regex.h"
#include "meshrt/report.h"

namespace mesh::codegen {
namespace {

using model::TypeKind;

// ---------------------------------------------------------------- escaping

const std::set<std::string>& reservedWords() {
  static const std::set<std::string> words = {
      // C++20 keywords and alternative tokens
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
      "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit",
      "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
      "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
      "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
      "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short",
      "signed", "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this",
      "thread_local", "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual",
      "void", "volatile", "wchar_t", "while", "xor", "xor_eq", "final", "override", "import", "module",
      // names the generated code uses unqualified inside a contract's namespace
      "std", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t", "uint64_t", "size_t",
      "ptrdiff_t", "intptr_t", "uintptr_t", "intmax_t", "uintmax_t", "nullptr_t", "max_align_t", "errno", "assert",
      "offsetof",
      // meshc's own names in a contract's namespace (the API) and in its structs
      "meshrt", "simdjson", "mesh", "parse", "validate", "to_json", "to_string", "from_string", "sameRecord",
      "kMeshRecord", "main"};
  return words;
}

/// Macro names of the headers generated code includes (tools/cpp-macros.py).
bool isHeaderMacro(std::string_view name) {
  static constexpr std::string_view macros[] = {
#include "codegen/cpp/Macros.inc"
  };
  return std::binary_search(std::begin(macros), std::end(macros), name);
}

/// Names the headers generated code includes declare in the global
/// namespace (tools/cpp-macros.py --globals): a package's first part, a
/// namespace there, must not be one of them (`time`, `printf`, `div`).
bool isGlobalName(std::string_view name) {
  static constexpr std::string_view globals[] = {
#include "codegen/cpp/Globals.inc"
  };
  return std::binary_search(std::begin(globals), std::end(globals), name);
}

/// Whether a name is one meshc or the C++ implementation keeps for itself:
/// a keyword, a macro, a name the generated code uses, or `mesh_...`.
bool reservedName(const std::string& name) {
  return reservedWords().count(name) || isHeaderMacro(name) || name.rfind("mesh_", 0) == 0;
}

/// A contract name as a C++ identifier, one to one (docs/hardening.md,
/// "Hardening II: names in generated C++"):
///  - a name the implementation reserves (`_X...`, any `__`) becomes
///    `mesh_x` followed by the name with each `_` written `_u`;
///  - a reserved name, or one that is a reserved name followed by `_`s,
///    gets one more `_` (`class` -> `class_`, `class_` -> `class__`);
///  - any other name is kept.
/// The three images are disjoint (the first start with `mesh_x` and never end
/// in `_`, the second end in `_` and have a reserved stem, the third neither).
std::string ident(const std::string& name) {
  bool implementation =
      (name.size() >= 2 && name[0] == '_' && ((name[1] >= 'A' && name[1] <= 'Z') || name[1] == '_')) ||
      name.find("__") != std::string::npos;
  if (implementation) {
    std::string out = "mesh_x";
    for (char c : name) out += c == '_' ? std::string("_u") : std::string(1, c);
    return out;
  }
  size_t stem = name.find_last_not_of('_');
  return reservedName(stem == std::string::npos ? name : name.substr(0, stem + 1)) ? name + "_" : name;
}

/// Any bytes as a C++ string literal: printable ASCII as it is (quotes,
/// backslashes and `?` escaped, so no trigraph can form), everything else as
/// octal escapes.
std::string cppString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '?') {
      out += "\\?";
    } else if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\{:03o}", c);
    }
  }
  return out + "\"";
}

/// A doc comment as `///` lines: no line may end in a backslash (it would
/// splice the next line into the comment) or carry a control character.
std::string comment(const std::string& text, const std::string& indent) {
  if (text.empty()) return {};
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    for (char& c : line)
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
    // No trigraph may form (compilers warn about them even in comments).
    for (size_t q = line.find("??"); q != std::string::npos; q = line.find("??", q + 2)) line.insert(q + 1, " ");
    while (!line.empty() && (line.back() == '\\' || line.back() == ' ')) line.pop_back();
    out += indent + "///" + (line.empty() ? "" : " " + line) + "\n";
    if (end == text.size()) break;
    start = end + 1;
  }
  return out;
}

std::vector<std::string> packageParts(const std::string& package) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = package.find('.', start);
    parts.push_back(package.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

// ---------------------------------------------------------------- scopes

/// The C++ names that depend on the rest of the build: the namespace of a
/// package part and the producer, consumer and mask function names of a
/// product. Each is its plain form (ident()) unless another name of the same
/// namespace holds it already (records and enums first, then the products'
/// classes and mask functions, then child namespaces): then it gets `_`
/// appended until it is free. Computed once per generation (generateCpp).
struct ScopedNames {
  std::map<std::string, std::string> namespaces;                                 // package (and every prefix) -> `a::b`
  std::map<const model::Product*, std::pair<std::string, std::string>> clients;  // producer, consumer class
  std::map<std::pair<const model::Product*, std::string>, std::string> masks;    // (product, role) -> function
};

/// The generation's ScopedNames, set by generateCpp for its duration (under
/// a lock: one C++ generation at a time reads it, from any of its threads).
const ScopedNames*& scopedNames() {
  static const ScopedNames* names = nullptr;
  return names;
}

/// Roles of a product's masks, sorted by name (the order of its mask functions).
std::set<std::string> maskRoles(const model::Product& p) {
  std::set<std::string> roles;
  for (const auto& m : p.masks)
    for (const model::Role* r : m.roles) roles.insert(r->name);
  return roles;
}

ScopedNames computeScopedNames(const model::Build& build) {
  ScopedNames out;
  std::map<std::string, std::set<std::string>> taken;  // package -> the names its namespace declares
  std::set<std::string> packages;
  for (const auto& p : build.packages) packages.insert(p.name);
  for (const auto& r : build.records) taken[r->package].insert(ident(r->name)), packages.insert(r->package);
  for (const auto& e : build.enums) taken[e->package].insert(ident(e->name)), packages.insert(e->package);
  auto claim = [&](const std::string& scope, std::string name) {
    // The global namespace holds the C and C++ library's names as well.
    while ((scope.empty() && isGlobalName(name)) || !taken[scope].insert(name).second) name += "_";
    return name;
  };
  for (const auto& p : build.products) {
    if (!p->schema) continue;
    packages.insert(p->package);
    out.clients[p.get()] = {claim(p->package, ident(p->name + "_producer")),
                            claim(p->package, ident(p->name + "_consumer"))};
    for (const auto& role : maskRoles(*p))
      out.masks[{p.get(), role}] = claim(p->package, ident("mask_" + p->name + "_for_" + role));
  }
  for (const auto& package : packages) {
    std::string prefix, ns;
    for (const auto& part : packageParts(package)) {
      std::string parent = prefix;
      prefix += (prefix.empty() ? "" : ".") + part;
      auto found = out.namespaces.find(prefix);
      if (found == out.namespaces.end()) {
        std::string id = claim(parent, ident(part));
        found = out.namespaces.emplace(prefix, ns.empty() ? id : ns + "::" + id).first;
      }
      ns = found->second;
    }
  }
  return out;
}

std::string cppNamespace(const std::string& package) {
  if (const ScopedNames* names = scopedNames()) {
    auto found = names->namespaces.find(package);
    if (found != names->namespaces.end()) return found->second;
  }
  std::string out;
  for (const auto& p : packageParts(package)) out += (out.empty() ? "" : "::") + ident(p);
  return out;
}

/// The names of a product's producer and consumer classes.
std::pair<std::string, std::string> clientClasses(const model::Product& p) {
  if (const ScopedNames* names = scopedNames()) {
    auto found = names->clients.find(&p);
    if (found != names->clients.end()) return found->second;
  }
  return {ident(p.name + "_producer"), ident(p.name + "_consumer")};
}

std::string headerPath(const std::string& package) {
  std::string out;
  for (const auto& p : packageParts(package)) out += (out.empty() ? "" : "/") + p;
  return out + ".mesh.h";
}

std::string qualifiedType(const model::Record& r) { return "::" + cppNamespace(r.package) + "::" + ident(r.name); }
std::string qualifiedType(const model::EnumType& e) { return "::" + cppNamespace(e.package) + "::" + ident(e.name); }

// ---------------------------------------------------------------- types

/// The records that hold one another (transitively, through fields, lists
/// and maps): the strongly connected components of the build's records,
/// found once per build by Tarjan's algorithm without recursion. Asking
/// each field whether its record leads back to the owner walked the rest of
/// the graph per field: quadratic (a 16,000-record chain took 26 s).
class RecordCycles {
 public:
  explicit RecordCycles(const std::vector<const model::Record*>& records) {
    for (const model::Record* r : records)
      if (!index_.count(r)) connect(r);
  }
  /// Whether `a` holds `b` and `b` holds `a` (or they are one record).
  bool together(const model::Record* a, const model::Record* b) const {
    if (a == b) return true;
    auto ia = component_.find(a), ib = component_.find(b);
    return ia != component_.end() && ib != component_.end() && ia->second == ib->second;
  }

 private:
  static std::vector<const model::Record*> held(const model::Record* r) {
    std::vector<const model::Record*> out;
    for (const auto& f : r->fields) {
      const model::Type* t = f->type;
      while (t->kind == TypeKind::List || t->kind == TypeKind::Map) t = t->element;
      if (t->kind == TypeKind::Record) out.push_back(t->record);
    }
    return out;
  }

  void connect(const model::Record* root) {
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

  void popComponent(const model::Record* head) {
    const model::Record* member;
    do {
      member = stack_.back();
      stack_.pop_back();
      onStack_.erase(member);
      component_[member] = index_[head];
    } while (member != head);
  }

  std::map<const model::Record*, size_t> index_, low_, component_;
  std::vector<const model::Record*> stack_;
  std::set<const model::Record*> onStack_;
};

/// An optional record field of `owner` that leads back to `owner` is a
/// meshrt::Box (std::optional would need the complete type).
bool boxed(const model::Type* t, const model::Record* owner, const RecordCycles& cycles) {
  if (!owner || !t->optional || t->kind != TypeKind::Record) return false;
  return cycles.together(t->record, owner);
}

std::string storageType(const model::Type* t, bool withOptional = true) {
  std::string base;
  switch (t->kind) {
    case TypeKind::Bool: base = "bool"; break;
    case TypeKind::Int32: base = "int32_t"; break;
    case TypeKind::Int64: base = "int64_t"; break;
    case TypeKind::Float32: base = "float"; break;
    case TypeKind::Float64: base = "double"; break;
    case TypeKind::Decimal: base = "::meshrt::Decimal"; break;
    case TypeKind::String: base = "std::string"; break;
    case TypeKind::Bytes: base = "std::string"; break;
    case TypeKind::Timestamp: base = "::meshrt::Timestamp"; break;
    case TypeKind::Date: base = "::meshrt::Date"; break;
    case TypeKind::Duration: base = "::meshrt::Duration"; break;
    case TypeKind::Uuid: base = "::meshrt::Uuid"; break;
    case TypeKind::Enum: base = qualifiedType(*t->enumType); break;
    case TypeKind::Record: base = qualifiedType(*t->record); break;
    case TypeKind::List: base = "std::vector<" + storageType(t->element) + ">"; break;
    case TypeKind::Map: base = "std::map<std::string, " + storageType(t->element) + ">"; break;
    default: base = "void"; break;
  }
  return withOptional && t->optional ? "std::optional<" + base + ">" : base;
}

/// The representation of a value of type t in meshrt::ex (V<...>).
std::string valueRepr(const model::Type* t) {
  switch (t->kind) {
    case TypeKind::Bool: return "bool";
    case TypeKind::Int32:
    case TypeKind::Int64: return "int64_t";
    case TypeKind::Float32:
    case TypeKind::Float64: return "double";
    case TypeKind::Decimal: return "::meshrt::Decimal";
    case TypeKind::String:
    case TypeKind::Bytes: return "std::string_view";
    case TypeKind::Timestamp: return "::meshrt::Timestamp";
    case TypeKind::Date: return "::meshrt::Date";
    case TypeKind::Duration: return "::meshrt::Duration";
    case TypeKind::Uuid: return "::meshrt::Uuid";
    case TypeKind::Enum: return "int";
    case TypeKind::Record: return "const " + qualifiedType(*t->record) + "*";
    case TypeKind::List:
    case TypeKind::Map: return "const " + storageType(t, false) + "*";
    default: return "bool";
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

// ---------------------------------------------------------------- the generator

// Days since the epoch of a YYYY-MM-DD literal (checked by the front end).
int64_t meshDate(const std::string& s) {
  auto d = meshrt::parseDate(s);
  return d ? d->days : 0;
}


/// The package's products that have a schema, in the build's order.
const std::vector<const model::Product*>& productsOf(const GeneratorContext& ctx, const std::string& package) {
  return ctx.package(package).products;
}

/// The Kafka key of a message: the topic key field as text.
std::string keyExpression(const model::Product& p, const std::string& var) {
  if (!p.topic.key) return "std::string()";
  std::string path = var;
  const model::Field* last = nullptr;
  for (const model::Field* f : p.topic.key->fields) {
    path += "." + ident(f->name);
    last = f;
  }
  const model::Type* t = last->type;
  switch (t->kind) {
    case TypeKind::String:
    case TypeKind::Bytes: return path;
    case TypeKind::Bool: return "std::string(" + path + " ? \"true\" : \"false\")";
    case TypeKind::Int32:
    case TypeKind::Int64: return "std::to_string(" + path + ")";
    case TypeKind::Float32:
    case TypeKind::Float64: return "[&] { std::string k; ::meshrt::writeNumber(k, static_cast<double>(" + path + ")); return k; }()";
    case TypeKind::Decimal: return path + ".str()";
    case TypeKind::Timestamp: return "::meshrt::formatTimestamp(" + path + ")";
    case TypeKind::Date: return "::meshrt::formatDate(" + path + ")";
    case TypeKind::Duration: return "::meshrt::formatIsoDuration(" + path + ")";
    case TypeKind::Uuid: return "::meshrt::formatUuid(" + path + ")";
    case TypeKind::Enum: return "std::string(::" + cppNamespace(t->enumType->package) + "::to_string(" + path + "))";
    default: return "std::string()";
  }
}

class PackageGen {
 public:
  PackageGen(const GeneratorContext& ctx, const std::string& package) : ctx_(ctx), package_(package) {}

  std::vector<const model::Record*> records;
  std::vector<const model::EnumType*> enums;
  std::set<std::string> usedPackages;  // other packages whose types appear
  const RecordCycles* cycles = nullptr;  // the build's, for boxed()

  std::string header();
  std::string source();

 private:
  // ---- expressions
  struct Env {
    std::string value;       // the C++ expression for `value` (a V<...>)
    std::string record;      // the C++ record reference in a check
    std::map<int, std::string> locals;
    std::string* prelude = nullptr;  // statements run before the expression (hoisted deep parts)
  };
  std::string expr(const model::Expr& e, const Env& env, const model::Type* hint = nullptr);
  std::string exprNode(const model::Expr& e, const Env& env, const model::Type* hint);
  std::string lazy(const model::Expr& e, const Env& env);
  std::string regexFor(const std::string& pattern);
  std::optional<std::string> directFails(const model::Expr& e, const std::string& value);
  std::string whereCheck(const model::Expr& constraint, const std::string& text, const std::string& redacted,
                         bool sensitive, const std::string& value, const std::string& in);
  std::string nullOf(const model::Type* t) { return "::meshrt::ex::state<" + valueRepr(t) + ">(::meshrt::ex::S::Null)"; }

  // ---- reading
  std::string readValue(const model::Type* t, const std::string& jsonVar, const std::string& target,
                        const std::string& indent);
  std::string constraintsOf(const model::Type* t, const std::string& storedVar, const std::string& indent);
  std::string recordReader(const model::Record& r);
  std::string recordWriter(const model::Record& r);
  std::string writeValue(const model::Type* t, const std::string& var, const std::string& indent);
  std::string recordValidator(const model::Record& r);
  std::string validateValue(const model::Type* t, const std::string& var, const std::string& indent);
  std::string masks(const model::Record& r, bool declarationsOnly);

  std::string tmp() { return fmt::format("mesh_t{}", counter_++); }

  // The start of reading a list or map: declares `ok`, checks the JSON kind
  // (a type violation and a skipped value otherwise) and opens the branch
  // that walks the elements; closeContainer ends it.
  std::string openContainer(const std::string& inner, const std::string& ok, const std::string& json,
                            std::string_view kindEnum, std::string_view expected) {
    std::string kind = tmp();
    std::string out;
    out += inner + "bool " + ok + " = true;\n";
    out += inner + "{\n";
    out += inner + "  ::meshrt::JsonKind " + kind + " = ::meshrt::kindOf(" + json + ");\n";
    out += inner + fmt::format("  if ({} != ::meshrt::JsonKind::{}) {{\n", kind, kindEnum);
    out += inner + fmt::format("    sink.add(::meshrt::Rule::Type, std::string(\"expected {}, found \") + "
                               "::meshrt::kindName({}));\n", expected, kind);
    out += inner + "    ::meshrt::skipValue(" + json + ");\n";
    out += inner + "    " + ok + " = false;\n";
    out += inner + "  } else {\n";
    return out;
  }
  static std::string closeContainer(const std::string& inner) {
    return inner + "    });\n" + inner + "  }\n" + inner + "}\n";
  }
  std::string detail(const model::Record& r) { return "::" + cppNamespace(r.package) + "::mesh_detail"; }

  const GeneratorContext& ctx_;
  std::string package_;
  int counter_ = 0;
  std::map<std::string, int> regexes_;
};

namespace {
// A C++ condition on the byte `c` (an unsigned char) that holds exactly for
// the bytes in `set`: its runs as range tests.
std::string byteCondition(const std::bitset<256>& set) {
  std::vector<std::string> parts;
  for (unsigned lo = 0; lo < 256;) {
    if (!set.test(lo)) {
      ++lo;
      continue;
    }
    unsigned hi = lo;
    while (hi + 1 < 256 && set.test(hi + 1)) ++hi;
    if (lo == hi) parts.push_back(fmt::format("c == {}", lo));
    else parts.push_back(fmt::format("static_cast<unsigned>(c - {}) <= {}u", lo, hi - lo));
    lo = hi + 1;
  }
  if (parts.empty()) return "false";
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : " || ") + ("(" + part + ")");
  return out;
}
}  // namespace

// The matcher of one pattern of the package, `mesh_regex_N()`, with a
// `search(std::string_view)`. A pattern the runtime matches without RE2 (an
// anchored sequence of ASCII classes with counts, see meshrt::Regex::simple)
// becomes straight-line code with the same steps; any other is RE2's,
// compiled on first use.
std::string regexDefinition(int index, const std::string& pattern) {
  meshrt::Regex regex(pattern);
  const meshrt::Regex::Simple* simple = regex.ok() ? regex.simple() : nullptr;
  if (!simple)
    return fmt::format("const ::meshrt::Regex& mesh_regex_{}() {{\n  static const ::meshrt::Regex r(std::string_view({}, {}));\n"
                       "  return r;\n}}\n", index, cppString(pattern), pattern.size());
  std::string out = fmt::format("struct mesh_pattern_{} {{\n  // {} without RE2: each step greedy, as meshrt::Regex does.\n",
                                index, cppString(pattern));
  out += "  static bool search(std::string_view s) {\n";
  out += "    const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());\n";
  out += "    const size_t n = s.size();\n    size_t i = 0;\n    (void)p;\n";
  const auto& steps = simple->steps;
  for (size_t k = 0; k < steps.size(); ++k) {
    const auto& step = steps[k];
    if (step.max == 0) continue;  // `x{0}` matches nothing
    // A run of single literal bytes is compared at once.
    std::string literal;
    for (size_t j = k; j < steps.size() && steps[j].min == 1 && steps[j].max == 1 && steps[j].set.count() == 1; ++j)
      for (unsigned b = 0; b < 256; ++b)
        if (steps[j].set.test(b)) literal += static_cast<char>(b);
    if (literal.size() > 1) {
      out += fmt::format("    if (n - i < {0} || std::memcmp(p + i, {1}, {0}) != 0) return false;\n    i += {0};\n",
                         literal.size(), cppString(literal));
      k += literal.size() - 1;
      continue;
    }
    std::string cond = byteCondition(step.set);
    if (step.min == step.max) {
      out += fmt::format("    if (n - i < {}) return false;\n", step.min);
      out += fmt::format("    for (size_t e = i + {}; i < e; ++i) {{\n      unsigned c = p[i];\n      if (!({})) return false;\n    }}\n",
                         step.min, cond);
    } else {
      out += "    {\n      const size_t start = i;\n";
      if (step.max == ~0u) out += "      const size_t e = n;\n";
      else out += fmt::format("      const size_t e = n - i < {0} ? n : i + {0};\n", step.max);
      out += fmt::format("      while (i < e) {{\n        unsigned c = p[i];\n        if (!({})) break;\n        ++i;\n      }}\n", cond);
      if (step.min > 0) out += fmt::format("      if (i - start < {}) return false;\n", step.min);
      else out += "      (void)start;\n";
      out += "    }\n";
    }
  }
  out += simple->anchoredEnd ? "    return i == n;\n" : "    return true;\n";
  out += "  }\n};\n";
  out += fmt::format("inline mesh_pattern_{0} mesh_regex_{0}() {{ return {{}}; }}\n", index);
  return out;
}

std::string PackageGen::regexFor(const std::string& pattern) {
  auto it = regexes_.find(pattern);
  int index = it == regexes_.end() ? static_cast<int>(regexes_.size()) : it->second;
  if (it == regexes_.end()) regexes_.emplace(pattern, index);
  return fmt::format("mesh_regex_{}()", index);
}

/// The deepest nesting of brackets in generated code (string literals skipped).
int bracketDepth(const std::string& code) {
  int depth = 0, deepest = 0;
  bool quoted = false;
  for (size_t i = 0; i < code.size(); ++i) {
    char c = code[i];
    if (quoted) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        quoted = false;
    } else if (c == '"') {
      quoted = true;
    } else if (c == '(' || c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

/// Lines of code, each indented.
std::string indented(const std::string& lines, const std::string& in) {
  std::string out;
  for (size_t start = 0, end; start < lines.size(); start = end + 1) {
    end = lines.find('\n', start);
    if (end == std::string::npos) end = lines.size();
    out += in + lines.substr(start, end - start) + "\n";
  }
  return out;
}

// Generated code nests no deeper than this per expression: a deeper part
// becomes a local computed first (clang stops at 256 nested brackets; a
// `where` of 260 `||` terms nests each in the one before).
constexpr int kMaxNesting = 64;

std::string PackageGen::expr(const model::Expr& e, const Env& env, const model::Type* hint) {
  std::string code = exprNode(e, env, hint);
  if (!env.prelude || bracketDepth(code) <= kMaxNesting) return code;
  std::string var = tmp();
  *env.prelude += "const auto " + var + " = " + code + ";\n";
  return var;
}

/// `[&]() { return e; }`: evaluated only when called (the right side of &&
/// and ||), so what it hoists stays inside it.
std::string PackageGen::lazy(const model::Expr& e, const Env& env) {
  Env inner = env;
  std::string prelude;
  inner.prelude = env.prelude ? &prelude : nullptr;
  std::string code = expr(e, inner);
  return "[&]() { " + prelude + "return " + code + "; }";
}

std::string PackageGen::exprNode(const model::Expr& e, const Env& env, const model::Type* hint) {
  using Op = model::ExprOp;
  using B = model::BinaryOp;
  const model::Type* t = e.type;
  switch (e.op) {
    case Op::Literal: {
      using VK = model::Value::Kind;
      const model::Value& v = e.literal;
      switch (v.kind) {
        case VK::Null: return nullOf(hint ? hint : t);
        case VK::Bool: return std::string("::meshrt::ex::boolean(") + (v.b ? "true" : "false") + ")";
        case VK::Int: return "::meshrt::ex::ok<int64_t>(" + int64Literal(v.i) + ")";
        case VK::Float: return "::meshrt::ex::ok<double>(" + doubleLiteral(v.f) + ")";
        case VK::String:
          return fmt::format("::meshrt::ex::ok<std::string_view>(std::string_view({}, {}))", cppString(v.s), v.s.size());
        case VK::Duration: return "::meshrt::ex::ok(::meshrt::Duration{" + int64Literal(v.i) + "})";
        case VK::Date: {
          auto d = meshDate(v.s);
          return fmt::format("::meshrt::ex::ok(::meshrt::Date{{{}}})", d);
        }
        case VK::EnumMember: return fmt::format("::meshrt::ex::ok<int>({})", v.member);
        default: return "::meshrt::ex::error()";
      }
    }
    case Op::Value: return env.value;
    case Op::FieldRef: return "::meshrt::ex::of(" + env.record + "." + ident(e.field->name) + ")";
    case Op::Local: return env.locals.at(e.local);
    case Op::Member: {
      const model::Type* bt = e.args[0]->type;
      std::string r = qualifiedType(*bt->record);
      return fmt::format("::meshrt::ex::member({}, [&](const {}& mesh_r) {{ return ::meshrt::ex::of(mesh_r.{}); }})",
                         expr(*e.args[0], env), r, ident(e.field->name));
    }
    case Op::Not: return "::meshrt::ex::not_(" + expr(*e.args[0], env) + ")";
    case Op::Neg: return "::meshrt::ex::neg(" + expr(*e.args[0], env) + ")";
    case Op::Binary: {
      B op = e.binaryOp;
      const model::Expr& l = *e.args[0];
      const model::Expr& r = *e.args[1];
      if (op == B::And || op == B::Or)
        return fmt::format("::meshrt::ex::{}({}, {})", op == B::And ? "and_" : "or_", expr(l, env), lazy(r, env));
      if (op >= B::Eq && op <= B::Ge) {
        static const char* names[] = {"", "", "Eq", "Ne", "Lt", "Le", "Gt", "Ge"};
        // A null literal takes the other side's representation.
        std::string ls = expr(l, env, r.type), rs = expr(r, env, l.type);
        return fmt::format("::meshrt::ex::compare(::meshrt::ex::Cmp::{}, {}, {})", names[static_cast<int>(op)], ls, rs);
      }
      static const char* ops[] = {"", "", "", "", "", "", "", "", "Add", "Sub", "Mul", "Div", "Mod"};
      std::string o = std::string("::meshrt::ex::Op::") + ops[static_cast<int>(op)];
      std::string ls = expr(l, env), rs = expr(r, env);
      switch (t->kind) {
        case TypeKind::Int32:
        case TypeKind::Int64: return fmt::format("::meshrt::ex::intArith({}, {}, {})", o, ls, rs);
        case TypeKind::Float32:
        case TypeKind::Float64: return fmt::format("::meshrt::ex::floatArith({}, {}, {})", o, ls, rs);
        case TypeKind::Decimal: return fmt::format("::meshrt::ex::decimalArith({}, {}, {})", o, ls, rs);
        case TypeKind::Timestamp:
          return fmt::format("::meshrt::ex::timeArith<::meshrt::Timestamp>({}, {}, {})", o, ls, rs);
        case TypeKind::Duration:
          return fmt::format("::meshrt::ex::timeArith<::meshrt::Duration>({}, {}, {})", o, ls, rs);
        default: return "::meshrt::ex::error()";
      }
    }
    case Op::In: {
      const model::Expr& x = *e.args[0];
      const model::Expr& list = *e.args[1];
      std::string xs = expr(x, env);
      if (list.op == Op::List) {
        // Elements in the widest representation among the left side and them.
        std::string repr = valueRepr(x.type);
        auto widen = [&](const model::Type* et) {
          std::string r = valueRepr(et);
          if (r == "double" || (r == "::meshrt::Decimal" && repr == "int64_t")) repr = r;
        };
        for (const auto& item : list.args) widen(item->type);
        std::string items;
        for (const auto& item : list.args)
          items += (items.empty() ? "" : ", ") +
                   fmt::format("::meshrt::ex::conv<{}>({})", repr, expr(*item, env, x.type));
        return fmt::format("::meshrt::ex::inList(::meshrt::ex::conv<{}>({}), std::vector<::meshrt::ex::V<{}>>{{{}}}, {})",
                           repr, xs, repr, items, e.negated ? "true" : "false");
      }
      return fmt::format("::meshrt::ex::inSeq({}, {}, {})", xs, expr(list, env), e.negated ? "true" : "false");
    }
    case Op::Any:
    case Op::All: {
      Env inner = env;
      std::string var = fmt::format("mesh_l{}", e.local);
      inner.locals[e.local] = var;
      std::string prelude;
      inner.prelude = env.prelude ? &prelude : nullptr;
      std::string body = expr(*e.args[1], inner);
      return fmt::format("::meshrt::ex::quantify({}, {}, [&](auto {}) {{ {}return {}; }})",
                         e.op == Op::Any ? "true" : "false", expr(*e.args[0], env), var, prelude, body);
    }
    case Op::List: return "::meshrt::ex::error()";  // only inside `in`, handled there
    case Op::Call: {
      using F = model::Builtin;
      auto arg = [&](size_t i) { return expr(*e.args[i], env); };
      auto argType = [&](size_t i) { return e.args[i]->type->kind; };
      switch (e.builtin) {
        case F::Now: return "::meshrt::ex::ok(::meshrt::Timestamp{sink.nowMicros})";
        case F::Len:
          if (argType(0) == TypeKind::String)
            return "::meshrt::ex::apply<int64_t>(" + arg(0) +
                   ", [](std::string_view s) { return ::meshrt::codePointLength(s); })";
          if (argType(0) == TypeKind::Bytes)
            return "::meshrt::ex::apply<int64_t>(" + arg(0) +
                   ", [](std::string_view s) { return static_cast<int64_t>(s.size()); })";
          return "::meshrt::ex::apply<int64_t>(" + arg(0) + ", [](auto p) { return static_cast<int64_t>(p->size()); })";
        case F::Matches:
          return "::meshrt::ex::apply<bool>(" + arg(0) + ", [](std::string_view s) { return " +
                 regexFor(e.args[1]->literal.s) + ".search(s); })";
        case F::StartsWith:
        case F::EndsWith: {
          const char* fn = e.builtin == F::StartsWith ? "startsWith" : "endsWith";
          return fmt::format("::meshrt::ex::apply2<bool>({}, {}, [](std::string_view a, std::string_view b) {{ return "
                             "::meshrt::ex::{}(a, b); }})",
                             arg(0), arg(1), fn);
        }
        case F::Contains:
          if (argType(0) == TypeKind::List) return fmt::format("::meshrt::ex::containsItem({}, {})", arg(0), arg(1));
          return fmt::format("::meshrt::ex::apply2<bool>({}, {}, [](std::string_view a, std::string_view b) {{ return "
                             "a.find(b) != std::string_view::npos; }})",
                             arg(0), arg(1));
        case F::Lower:
        case F::Upper:
          return fmt::format("::meshrt::ex::apply<std::string>({}, [](std::string_view s) {{ return ::meshrt::{}(s); }})",
                             arg(0), e.builtin == F::Lower ? "asciiLower" : "asciiUpper");
        case F::IsEmail:
        case F::IsUri:
        case F::IsHostname:
        case F::IsIpv4:
        case F::IsIpv6: {
          const char* fn = e.builtin == F::IsEmail ? "isEmail" : e.builtin == F::IsUri ? "isUri"
                           : e.builtin == F::IsHostname ? "isHostname" : e.builtin == F::IsIpv4 ? "isIpv4" : "isIpv6";
          return fmt::format("::meshrt::ex::apply<bool>({}, [](std::string_view s) {{ return ::meshrt::{}(s); }})",
                             arg(0), fn);
        }
        case F::Unique: return "::meshrt::ex::uniqueItems(" + arg(0) + ")";
        case F::UniqueBy: {
          const model::Record* r = e.args[0]->type->element->record;
          return fmt::format("::meshrt::ex::uniqueBy({}, [](const {}& mesh_r) {{ return ::meshrt::ex::of(mesh_r.{}); }})",
                             arg(0), qualifiedType(*r), ident(e.field->name));
        }
        default: return "::meshrt::ex::error()";
      }
    }
    case Op::Attribute: return "::meshrt::ex::error()";
  }
  return "::meshrt::ex::error()";
}

// A `where` in the common simple shapes, as a plain C++ condition that is
// true when the constraint fails, or nothing. `value` is the lvalue of the
// present value (never null here, so two-valued logic is exact): comparisons
// of an integer, float or decimal value with a number, `matches(value, r"..")`,
// `len(value)` of a list or map against an integer, and && and || of those.
// Anything else goes through the meshrt::ex evaluator (same verdicts; the
// differential test compares both with meshc's evaluator).
std::optional<std::string> PackageGen::directFails(const model::Expr& e, const std::string& value) {
  using Op = model::ExprOp;
  using B = model::BinaryOp;
  using VK = model::Value::Kind;
  if (e.op == Op::Binary && (e.binaryOp == B::And || e.binaryOp == B::Or)) {
    // A chain of one operator is one flat condition (no nesting per term).
    std::vector<const model::Expr*> terms, work = {&e};
    while (!work.empty()) {
      const model::Expr* t = work.back();
      work.pop_back();
      if (t->op == Op::Binary && t->binaryOp == e.binaryOp) {
        work.push_back(t->args[1].get());
        work.push_back(t->args[0].get());
      } else {
        terms.push_back(t);
      }
    }
    std::string out;
    for (const model::Expr* t : terms) {
      auto fails = directFails(*t, value);
      if (!fails) return std::nullopt;
      out += (out.empty() ? "(" : e.binaryOp == B::And ? " || (" : " && (") + *fails + ")";
    }
    if (bracketDepth(out) > kMaxNesting) return std::nullopt;
    return out;
  }
  if (e.op == Op::Call && e.builtin == model::Builtin::Matches && e.args[0]->op == Op::Value &&
      e.args[0]->type->kind == TypeKind::String && e.args[1]->op == Op::Literal &&
      e.args[1]->literal.kind == VK::String)
    return "!" + regexFor(e.args[1]->literal.s) + ".search(" + value + ")";
  if (e.op != Op::Binary || e.binaryOp < B::Eq || e.binaryOp > B::Ge) return std::nullopt;
  static const char* ops[] = {"", "", "==", "!=", "<", "<=", ">", ">="};
  static const char* flipped[] = {"", "", "==", "!=", ">", ">=", "<", "<="};
  const model::Expr* subject = e.args[0].get();
  const model::Expr* literal = e.args[1].get();
  const char* op = ops[static_cast<int>(e.binaryOp)];
  if (subject->op == Op::Literal) {
    std::swap(subject, literal);
    op = flipped[static_cast<int>(e.binaryOp)];
  }
  if (literal->op != Op::Literal || (literal->literal.kind != VK::Int && literal->literal.kind != VK::Float))
    return std::nullopt;
  bool integer = literal->literal.kind == VK::Int;
  std::string number = integer ? int64Literal(literal->literal.i) : doubleLiteral(literal->literal.f);
  std::string lhs;
  if (subject->op == Op::Value) {
    switch (subject->type->kind) {
      case TypeKind::Int32:
      case TypeKind::Int64:
        if (!integer) return std::nullopt;
        lhs = "static_cast<int64_t>(" + value + ")";
        break;
      case TypeKind::Float32:
      case TypeKind::Float64: lhs = "static_cast<double>(" + value + ")"; break;
      case TypeKind::Decimal:
        if (!integer) return std::nullopt;
        {
          // The literal at the field's scale when it fits 64 bits: equal
          // scales compare inline.
          __int128 scaled = literal->literal.i;
          int scale = subject->type->scale;
          for (int k = 0; k < scale && scaled > -(__int128(1) << 100) && scaled < (__int128(1) << 100); ++k) scaled *= 10;
          if (scaled >= INT64_MIN && scaled <= INT64_MAX && scale <= 38)
            lhs = fmt::format("::meshrt::compare({}, ::meshrt::Decimal{{{}, {}}})", value,
                              int64Literal(static_cast<int64_t>(scaled)), scale);
          else
            lhs = "::meshrt::compare(" + value + ", ::meshrt::Decimal::fromInt(" + number + "))";
        }
        number = "0";
        break;
      default: return std::nullopt;
    }
  } else if (subject->op == Op::Call && subject->builtin == model::Builtin::Len && subject->args[0]->op == Op::Value &&
             (subject->args[0]->type->kind == TypeKind::List || subject->args[0]->type->kind == TypeKind::Map) &&
             integer) {
    lhs = "static_cast<int64_t>(" + value + ".size())";
  } else {
    return std::nullopt;
  }
  if (!integer && lhs.rfind("static_cast<double>", 0) != 0) return std::nullopt;
  return "!(" + lhs + " " + op + " " + number + ")";
}

// The C++ expression of a violation message: `withheld` (literals or names
// that may be the value left out) when the value is sensitive, statically or
// because the sink is inside a sensitive field, else `plain`.
std::string messageFor(const std::string& plain, const std::string& withheld, bool sensitive) {
  if (sensitive || plain == withheld) return cppString(sensitive ? withheld : plain);
  return "sink.sensitive() ? " + cppString(withheld) + " : " + cppString(plain);
}

// The check of one `where` on the present value `value`: a violation with
// the constraint's message when it fails.
std::string PackageGen::whereCheck(const model::Expr& constraint, const std::string& text, const std::string& redacted,
                                   bool sensitive, const std::string& value, const std::string& in) {
  std::string message =
      messageFor(model::constraintMessage(constraint, text), model::sensitiveConstraintMessage(redacted), sensitive);
  std::string add = in + "  sink.add(::meshrt::Rule::Where, " + message + ");\n";
  if (auto direct = directFails(constraint, value)) return in + "if (MESHRT_UNLIKELY(" + *direct + "))\n" + add;
  Env env;
  env.value = "mesh_v";
  std::string prelude;
  env.prelude = &prelude;
  std::string code = expr(constraint, env);
  std::string out = in + "{\n";
  out += in + "  auto mesh_v = ::meshrt::ex::of(" + value + ");\n";
  out += in + "  (void)mesh_v;\n";
  out += indented(prelude, in + "  ");
  out += in + "  if (MESHRT_UNLIKELY(::meshrt::ex::fails(" + code + ")))\n";
  out += "  " + add;
  out += in + "}\n";
  return out;
}

std::string PackageGen::constraintsOf(const model::Type* t, const std::string& stored, const std::string& in) {
  std::string out;
  if (const model::Refinement* ref = t->refinement) {
    std::vector<const model::Refinement*> chain;
    for (const model::Refinement* r = ref; r; r = r->base ? r->base->refinement : nullptr) chain.push_back(r);
    bool sensitive = model::refinementIsSensitive(t);
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
      const model::Refinement* r = *it;
      if (!r->constraint || r->constraint->type->isError()) continue;
      out += whereCheck(*r->constraint, r->constraintText, r->constraintTextRedacted, sensitive, stored, in);
    }
  }
  return out;
}

// Reads the JSON value `json` of type t into `target` (an lvalue of the
// storage type); sets `mesh_clean = false` on structural violations.
std::string PackageGen::readValue(const model::Type* t, const std::string& json, const std::string& target,
                                  const std::string& in) {
  std::string out;
  std::string value = tmp();
  std::string kindVar = tmp();
  out += in + "::meshrt::JsonKind " + kindVar + " = ::meshrt::kindOf(" + json + ");\n";
  std::string isNull = kindVar + " == ::meshrt::JsonKind::Null";
  out += in + "if (" + (t->optional ? isNull : "MESHRT_UNLIKELY(" + isNull + ")") + ") {\n";
  out += in + "  ::meshrt::skipValue(" + json + ");\n";
  if (t->optional) {
    out += in + "  " + target + ".reset();\n";
  } else {
    out += in + "  sink.add(::meshrt::Rule::Required, \"must not be null\");\n";
    out += in + "  mesh_clean = false;\n";
  }
  out += in + "} else {\n";
  std::string inner = in + "  ";
  // Read in place: a struct reused for message after message keeps the
  // capacity of its strings and lists. (An invalid message leaves the
  // struct unspecified; parse() says so by returning false.)
  bool inPlace = t->kind == TypeKind::String || t->kind == TypeKind::Bytes || t->kind == TypeKind::List ||
                 t->kind == TypeKind::Map || t->kind == TypeKind::Record;
  if (!inPlace)
    out += inner + storageType(t, false) + " " + value + "{};\n";  // scalars (and vector<bool>'s proxies)
  else if (t->optional)
    out += inner + "auto& " + value + " = " + target + ".has_value() ? *" + target + " : " + target + ".emplace();\n";
  else
    out += inner + "auto& " + value + " = " + target + ";\n";
  std::string ok = tmp();
  switch (t->kind) {
    case TypeKind::Bool: out += inner + "bool " + ok + " = ::meshrt::readBool(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Int32: out += inner + "bool " + ok + " = ::meshrt::readInt32(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Int64: out += inner + "bool " + ok + " = ::meshrt::readInt64(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Float32: out += inner + "bool " + ok + " = ::meshrt::readFloat32(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Float64: out += inner + "bool " + ok + " = ::meshrt::readFloat64(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Decimal:
      out += inner + fmt::format("bool {} = ::meshrt::readDecimal({}, {}, {}, {}, {}, sink);\n", ok, json, kindVar, value,
                                 t->precision, t->scale);
      break;
    case TypeKind::String: out += inner + "bool " + ok + " = ::meshrt::readString(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Bytes: out += inner + "bool " + ok + " = ::meshrt::readBytes(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Timestamp: out += inner + "bool " + ok + " = ::meshrt::readTimestamp(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Date: out += inner + "bool " + ok + " = ::meshrt::readDate(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Duration: out += inner + "bool " + ok + " = ::meshrt::readDuration(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Uuid: out += inner + "bool " + ok + " = ::meshrt::readUuid(" + json + ", " + kindVar + ", " + value + ", sink);\n"; break;
    case TypeKind::Enum: {
      std::string en = qualifiedType(*t->enumType);
      out += inner + fmt::format("bool {} = ::meshrt::readEnum<{}>({}, {}, {}, +[](std::string_view n, {}& o) {{ return "
                                 "::{}::from_string(n, o); }}, {}, sink);\n",
                                 ok, en, json, kindVar, value, en, cppNamespace(t->enumType->package), cppString(t->enumType->name));
      break;
    }
    case TypeKind::Record:
      out += inner + "bool " + ok + " = " + detail(*t->record) + "::read(" + json + ", " + value + ", sink);\n";
      break;
    case TypeKind::List: {
      out += openContainer(inner, ok, json, "Array", "an array");
      std::string index = tmp(), element = tmp(), mark = tmp();
      // The elements already in the vector are read over (their strings and
      // vectors keep their storage); what is left over is dropped after.
      out += inner + "    size_t " + index + " = 0;\n";
      out += inner + "    ::meshrt::forEachElement(" + json + ", [&](::meshrt::JsonValue& " + element + ") {\n";
      out += inner + "      size_t " + mark + " = sink.mark();\n";
      out += inner + "      sink.index(" + index + ");\n";
      out += inner + "      bool mesh_clean = true;\n";
      out += inner + "      if (" + index + " == " + value + ".size()) " + value + ".emplace_back();\n";
      out += readValue(t->element, element, value + "[" + index + "]", inner + "      ");
      out += inner + "      if (!mesh_clean) " + ok + " = false;\n";
      out += inner + "      sink.resize(" + mark + ");\n";
      out += inner + "      ++" + index + ";\n";
      out += inner + "    });\n";
      out += inner + "    if (" + value + ".size() > " + index + ") " + value + ".erase(" + value + ".begin() + " +
             "static_cast<std::ptrdiff_t>(" + index + "), " + value + ".end());\n";
      out += inner + "  }\n" + inner + "}\n";
      break;
    }
    case TypeKind::Map: {
      out += openContainer(inner, ok, json, "Object", "an object");
      std::string key = tmp(), element = tmp(), mark = tmp(), slot = tmp();
      std::string filler = tmp(), position = key + "_position";
      out += inner + "    ::meshrt::MapFiller<" + storageType(t, false) + "> " + filler + "(" + value + ");\n";
      out += inner + "    uint64_t " + position + " = 0;\n";
      out += inner + "    ::meshrt::forEachMember(" + json + ", [&](std::string_view " + key + ", ::meshrt::JsonValue& " +
             element + ") {\n";
      out += inner + "      size_t " + mark + " = sink.mark();\n";
      out += inner + "      sink.key(" + key + ", " + position + "++);\n";
      out += inner + "      auto* " + slot + " = " + filler + ".add(" + key + ");\n";
      out += inner + "      if (!" + slot + ") {\n";
      out += inner + "        sink.add(::meshrt::Rule::Parse, \"duplicate key\");\n";
      out += inner + "        ::meshrt::skipValue(" + element + ");\n";
      out += inner + "        " + ok + " = false;\n";
      out += inner + "      } else {\n";
      out += inner + "        bool mesh_clean = true;\n";
      out += readValue(t->element, element, "(*" + slot + ")", inner + "        ");
      out += inner + "        if (!mesh_clean) " + ok + " = false;\n";
      out += inner + "      }\n";
      out += inner + "      sink.resize(" + mark + ");\n";
      out += closeContainer(inner);
      break;
    }
    default: out += inner + "bool " + ok + " = false;\n"; break;
  }
  out += inner + "if (MESHRT_LIKELY(" + ok + ")) {\n";
  out += constraintsOf(t, value, inner + "  ");
  if (!inPlace) out += inner + "  " + target + " = " + value + ";\n";

  out += inner + "} else {\n";
  out += inner + "  mesh_clean = false;\n";
  out += inner + "}\n";
  out += in + "}\n";
  return out;
}

/// Code that runs the action of the name `var` (a std::string_view) equals:
/// a switch on its length, then comparisons of known length, which compilers
/// turn into a few loads and compares (no call, no loop over all names).
std::string matchByLength(const std::string& var, const std::vector<std::pair<std::string, std::string>>& cases,
                          const std::string& in) {
  std::map<size_t, std::vector<const std::pair<std::string, std::string>*>> byLength;
  for (const auto& c : cases) byLength[c.first.size()].push_back(&c);
  std::string out = in + "switch (" + var + ".size()) {\n";
  for (const auto& [length, named] : byLength) {
    out += fmt::format("{}  case {}:\n", in, length);
    for (const auto* c : named)
      out += fmt::format("{}    if (std::memcmp({}.data(), {}, {}) == 0) {{ {} }}\n", in, var, cppString(c->first), length, c->second);
    out += in + "    break;\n";
  }
  out += in + "  default: break;\n";
  out += in + "}\n";
  return out;
}

std::string defaultValue(const model::Field& f) {
  const model::Value& v = *f.defaultValue;
  using VK = model::Value::Kind;
  const model::Type* t = f.type;
  if (v.kind == VK::Null) return "std::nullopt";
  switch (t->kind) {
    case TypeKind::Bool: return v.b ? "true" : "false";
    case TypeKind::Int32: return fmt::format("int32_t{{{}}}", v.i);
    case TypeKind::Int64: return int64Literal(v.i);
    case TypeKind::Float32:
      return "float{" + doubleLiteral(v.kind == VK::Int ? static_cast<double>(v.i) : v.f) + "f}";
    case TypeKind::Float64: return doubleLiteral(v.kind == VK::Int ? static_cast<double>(v.i) : v.f);
    case TypeKind::Decimal:
      return fmt::format("::meshrt::decimalLiteral({}, {}, {})", cppString(v.kind == VK::Int ? std::to_string(v.i) : v.s),
                         t->precision, t->scale);
    case TypeKind::String: return "std::string(" + cppString(v.s) + ", " + std::to_string(v.s.size()) + ")";
    case TypeKind::Bytes: return "*::meshrt::decodeBase64(" + cppString(v.s) + ")";
    case TypeKind::Timestamp: return "*::meshrt::parseTimestamp(" + cppString(v.s) + ")";
    case TypeKind::Uuid: return "*::meshrt::parseUuid(" + cppString(v.s) + ")";
    case TypeKind::Date: return "*::meshrt::parseDate(" + cppString(v.s) + ")";
    case TypeKind::Duration: return "::meshrt::Duration{" + int64Literal(v.i) + "}";
    case TypeKind::Enum:
      return qualifiedType(*t->enumType) + "::" + ident(t->enumType->members[v.member].name);
    default: return "{}";
  }
}

std::string PackageGen::recordReader(const model::Record& r) {
  std::string T = qualifiedType(r);
  std::string out;
  out += fmt::format("bool read(::meshrt::JsonValue& json, {}& out, ::meshrt::Sink& sink) {{\n", T);
  out += "  ::meshrt::JsonKind kind = ::meshrt::kindOf(json);\n";
  out += "  if (kind != ::meshrt::JsonKind::Object) {\n";
  out += "    sink.add(::meshrt::Rule::Type, std::string(\"expected an object, found \") + ::meshrt::kindName(kind));\n";
  out += "    ::meshrt::skipValue(json);\n";
  out += "    return false;\n";
  out += "  }\n";
  size_t n = r.fields.size();
  out += fmt::format("  bool seen[{}] = {{}};\n", std::max<size_t>(n, 1));
  out += "  std::vector<std::string> unknown;\n";
  out += "  bool clean = true;\n";
  out += "  size_t mark = sink.mark();\n";
  out += "  uint64_t position = 0;\n";
  if (model::isSensitive(r.tags)) out += "  sink.markSensitive();\n";
  // The field of a key: a switch on its length, then comparisons of known
  // length (which compilers turn into a few loads and compares, no call).
  // The raw key is looked up first (a field name holds no backslash); only
  // a key matching no field is checked for escapes and looked up decoded.
  out += "  auto field_of = [](std::string_view key) {\n";
  out += "    int index = -1;\n";
  if (n > 0) {
    std::vector<std::pair<std::string, std::string>> cases;
    for (const auto& f : r.fields) cases.push_back({f->name, fmt::format("index = {};", f->index)});
    out += matchByLength("key", cases, "    ");
  } else {
    out += "    (void)key;\n";
  }
  out += "    return index;\n";
  out += "  };\n";
  out += "  ::meshrt::forEachRecordMember(json, [&](::meshrt::MemberKey& member, ::meshrt::JsonValue& value) {\n";
  out += "    std::string_view key = member.raw();\n";
  out += "    int index = field_of(key);\n";
  out += "    if (index < 0 && member.escaped()) {\n";
  out += "      key = member.unescaped();\n";
  out += "      index = field_of(key);\n";
  out += "    }\n";
  out += "    sink.member(key);\n";
  out += "    if (index < 0) sink.withholdKey(position);\n";
  out += "    ++position;\n";
  out += "    bool duplicate = index >= 0 ? seen[index] : std::find(unknown.begin(), unknown.end(), key) != unknown.end();\n";
  out += "    if (MESHRT_UNLIKELY(duplicate)) {\n";
  out += "      sink.add(::meshrt::Rule::Parse, \"duplicate key\");\n";
  out += "      ::meshrt::skipValue(value);\n";
  out += "      clean = false;\n";
  out += "    } else if (MESHRT_UNLIKELY(index < 0)) {\n";
  out += "      unknown.emplace_back(key);\n";
  if (r.closed) {
    out += "      sink.add(::meshrt::Rule::Unknown, " + cppString("unknown key in closed record " + r.name) + ");\n";
    out += "      clean = false;\n";
  }
  out += "      ::meshrt::skipValue(value);\n";
  out += "    } else {\n";
  out += "      seen[index] = true;\n";
  out += "      bool mesh_clean = true;\n";
  out += "      switch (index) {\n";
  for (const auto& f : r.fields) {
    out += fmt::format("        case {}: {{\n", f->index);
    std::string target = "out." + ident(f->name);
    if (model::isSensitive(f->tags)) out += "          sink.markSensitive();\n";
    out += readValue(f->type, "value", target, "          ");
    if (f->constraint && !f->constraint->type->isError()) {
      out += "          if (mesh_clean";
      out += f->type->optional ? " && " + target + ".has_value()) {\n" : ") {\n";
      out += whereCheck(*f->constraint, f->constraintText, f->constraintTextRedacted, false,
                        f->type->optional ? "(*" + target + ")" : target, "            ");
      out += "          }\n";
    }
    out += "          break;\n";
    out += "        }\n";
  }
  out += "        default: break;\n";
  out += "      }\n";
  out += "      if (!mesh_clean) clean = false;\n";
  out += "    }\n";
  out += "    sink.resize(mark);\n";
  out += "  });\n";
  for (const auto& f : r.fields) {
    std::string target = "out." + ident(f->name);
    if (f->defaultValue) {
      out += fmt::format("  if (!seen[{}]) {} = {};\n", f->index, target, defaultValue(*f));
    } else if (f->optional()) {
      out += fmt::format("  if (!seen[{}]) {}.reset();\n", f->index, target);
    } else {
      out += fmt::format("  if (!seen[{}]) {{\n", f->index);
      out += "    sink.member(" + cppString(f->name) + ");\n";
      out += "    sink.add(::meshrt::Rule::Required, \"is required\");\n";
      out += "    sink.resize(mark);\n";
      out += "    clean = false;\n";
      out += "  }\n";
    }
  }
  if (!r.checks.empty()) {
    out += "  if (clean) checkRecord(out, sink);\n";
  }
  out += "  return clean;\n";
  out += "}\n\n";
  return out;
}

std::string PackageGen::recordValidator(const model::Record& r) {
  std::string T = qualifiedType(r);
  std::string out;
  // The checks of a record, evaluated on a struct whose fields read cleanly.
  out += fmt::format("void checkRecord(const {}& rec, ::meshrt::Sink& sink) {{\n", T);
  out += "  (void)rec;\n  (void)sink;\n";
  for (const auto& c : r.checks) {
    if (!c.expr || c.expr->type->isError()) continue;
    Env env;
    env.record = "rec";
    std::string prelude;
    env.prelude = &prelude;
    std::string code = expr(*c.expr, env);
    out += indented(prelude, "  ");
    out += "  if (::meshrt::ex::fails(" + code + "))\n";
    std::string message = messageFor(model::checkMessage(c.name, c.text), model::checkMessage(c.name, c.redactedText),
                                     model::readsSensitiveField(*c.expr));
    out += "    sink.add(::meshrt::Rule::Check, " + message + ");\n";
  }
  out += "}\n\n";
  // In-memory validation: the constraints and checks (types hold by construction).
  out += fmt::format("void validateRecord(const {}& rec, ::meshrt::Sink& sink) {{\n", T);
  out += "  (void)rec;\n  size_t mark = sink.mark();\n  (void)mark;\n";
  if (model::isSensitive(r.tags)) out += "  sink.markSensitive();\n";
  for (const auto& f : r.fields) {
    std::string target = "rec." + ident(f->name);
    out += "  sink.member(" + cppString(f->name) + ");\n";
    if (model::isSensitive(f->tags)) out += "  sink.markSensitive();\n";
    out += validateValue(f->type, target, "  ");
    if (f->constraint && !f->constraint->type->isError()) {
      std::string v = f->type->optional ? "(*" + target + ")" : target;
      out += f->type->optional ? "  if (" + target + ".has_value()) {\n" : "  {\n";
      out += whereCheck(*f->constraint, f->constraintText, f->constraintTextRedacted, false, v, "    ");
      out += "  }\n";
    }
    out += "  sink.resize(mark);\n";
  }
  if (!r.checks.empty()) out += "  checkRecord(rec, sink);\n";
  out += "}\n\n";
  return out;
}

std::string PackageGen::validateValue(const model::Type* t, const std::string& var, const std::string& in) {
  std::string out;
  std::string v = var;
  std::string inner = in;
  if (t->optional) {
    out += in + "if (" + var + ".has_value()) {\n";
    v = "(*" + var + ")";
    inner = in + "  ";
  }
  std::string body;
  switch (t->kind) {
    case TypeKind::String:
      // A struct built in memory may hold any bytes; the wire needs UTF-8.
      body += inner + "if (!::meshrt::isValidUtf8(" + v + ")) sink.add(::meshrt::Rule::Format, \"not valid UTF-8\");\n";
      break;
    case TypeKind::Record: body += inner + detail(*t->record) + "::validateRecord(" + v + ", sink);\n"; break;
    case TypeKind::List: {
      std::string i = tmp();
      body += inner + "for (size_t " + i + " = 0; " + i + " < " + v + ".size(); ++" + i + ") {\n";
      body += inner + "  size_t " + i + "_mark = sink.mark();\n";
      body += inner + "  sink.index(" + i + ");\n";
      body += validateValue(t->element, v + "[" + i + "]", inner + "  ");
      body += inner + "  sink.resize(" + i + "_mark);\n";
      body += inner + "}\n";
      break;
    }
    case TypeKind::Map: {
      std::string kv = tmp();
      body += inner + "uint64_t " + kv + "_position = 0;\n";
      body += inner + "for (const auto& " + kv + " : " + v + ") {\n";
      body += inner + "  size_t " + kv + "_mark = sink.mark();\n";
      body += inner + "  sink.key(" + kv + ".first, " + kv + "_position++);\n";
      body += validateValue(t->element, kv + ".second", inner + "  ");
      body += inner + "  sink.resize(" + kv + "_mark);\n";
      body += inner + "}\n";
      break;
    }
    default: break;
  }
  body += constraintsOf(t, v, inner);
  if (t->optional) {
    if (body.empty()) return {};
    return out + body + in + "}\n";
  }
  return body;
}

std::string PackageGen::writeValue(const model::Type* t, const std::string& var, const std::string& in) {
  std::string out;
  std::string v = var;
  std::string inner = in;
  if (t->optional) {
    out += in + "if (!" + var + ".has_value()) {\n" + in + "  out.literal(\"null\");\n" + in + "} else {\n";
    v = "(*" + var + ")";
    inner = in + "  ";
  }
  switch (t->kind) {
    case TypeKind::Bool:
      out += inner + "if (" + v + ") out.literal(\"true\");\n" + inner + "else out.literal(\"false\");\n";
      break;
    case TypeKind::Int32:
    case TypeKind::Int64: out += inner + "::meshrt::writeNumber(out, static_cast<int64_t>(" + v + "));\n"; break;
    case TypeKind::Float32:
    case TypeKind::Float64: out += inner + "::meshrt::writeNumber(out, static_cast<double>(" + v + "));\n"; break;
    case TypeKind::Decimal: out += inner + "::meshrt::writeDecimal(out, " + v + ");\n"; break;
    case TypeKind::String: out += inner + "::meshrt::writeString(out, " + v + ");\n"; break;
    case TypeKind::Bytes: out += inner + "::meshrt::writeString(out, ::meshrt::encodeBase64(" + v + "));\n"; break;
    case TypeKind::Timestamp: out += inner + "::meshrt::writeTimestamp(out, " + v + ");\n"; break;
    case TypeKind::Date: out += inner + "::meshrt::writeDate(out, " + v + ");\n"; break;
    case TypeKind::Duration: out += inner + "::meshrt::writeString(out, ::meshrt::formatIsoDuration(" + v + "));\n"; break;
    case TypeKind::Uuid: out += inner + "::meshrt::writeString(out, ::meshrt::formatUuid(" + v + "));\n"; break;
    case TypeKind::Enum:
      out += inner + "::" + cppNamespace(t->enumType->package) + "::mesh_detail::write(out, " + v + ");\n";
      break;
    case TypeKind::Record: out += inner + detail(*t->record) + "::write(out, " + v + ");\n"; break;
    case TypeKind::List: {
      std::string i = tmp();
      out += inner + "out.put('[');\n";
      out += inner + "for (size_t " + i + " = 0; " + i + " < " + v + ".size(); ++" + i + ") {\n";
      out += inner + "  if (" + i + ") out.put(',');\n";
      out += writeValue(t->element, v + "[" + i + "]", inner + "  ");
      out += inner + "}\n";
      out += inner + "out.put(']');\n";
      break;
    }
    case TypeKind::Map: {
      std::string kv = tmp(), first = tmp();
      out += inner + "out.put('{');\n";
      out += inner + "bool " + first + " = true;\n";
      out += inner + "for (const auto& " + kv + " : " + v + ") {\n";
      out += inner + "  if (!" + first + ") out.put(',');\n";
      out += inner + "  " + first + " = false;\n";
      out += inner + "  ::meshrt::writeString(out, " + kv + ".first);\n";
      out += inner + "  out.put(':');\n";
      out += writeValue(t->element, kv + ".second", inner + "  ");
      out += inner + "}\n";
      out += inner + "out.put('}');\n";
      break;
    }
    default: out += inner + "out.literal(\"null\");\n"; break;
  }
  if (t->optional) out += in + "}\n";
  return out;
}

std::string PackageGen::recordWriter(const model::Record& r) {
  std::string out = fmt::format("void write(::meshrt::JsonWriter& out, const {}& rec) {{\n", qualifiedType(r));
  // Whether a field was written before this one is known here until the
  // first optional field: then the comma is part of the key's literal (and
  // the opening brace of the first), and `mesh_first` decides only after
  // optional fields that may be absent.
  enum class Before { Nothing, Something, Unknown } before = Before::Nothing;
  bool braceWritten = false;
  bool usesFirst = false;
  std::string fields;
  for (const auto& f : r.fields) {
    std::string target = "rec." + ident(f->name);
    std::string key;
    meshrt::appendJsonString(key, f->name);
    key += ":";
    std::string in = "  ";
    // Absent optional fields are left out (they read back as absent).
    if (f->optional()) {
      if (!braceWritten) fields += "  out.put('{');\n";
      braceWritten = true;
      fields += "  if (" + target + ".has_value()) {\n";
      in = "    ";
    }
    switch (before) {
      case Before::Nothing:
        if (!braceWritten) key = "{" + key;
        braceWritten = true;
        break;
      case Before::Something: key = "," + key; break;
      case Before::Unknown: fields += in + "if (!mesh_first) out.put(',');\n"; break;
    }
    if (before != Before::Something && f->optional()) {
      fields += in + "mesh_first = false;\n";
      usesFirst = true;
    }
    fields += in + "out.literal(" + cppString(key) + ");\n";
    fields += writeValue(f->type, target, in);
    if (f->optional()) fields += "  }\n";
    if (!f->optional()) before = Before::Something;
    else if (before == Before::Nothing) before = Before::Unknown;
  }
  if (usesFirst) out += "  bool mesh_first = true;\n";
  out += fields;
  out += braceWritten ? "  out.put('}');\n" : "  out.literal(\"{}\");\n";
  out += "}\n\n";
  return out;
}

// Applies a mask along a field path (`items[].sku`) to a copy.
std::string maskPath(const std::vector<const model::Field*>& path, size_t i, const std::string& var,
                     const model::Mask& mask, const std::string& in, int& counter) {
  const model::Field* f = path[i];
  std::string target = var + "." + ident(f->name);
  std::string out;
  std::string v = target;
  std::string inner = in;
  bool last = i + 1 == path.size();
  if (f->optional() && !(last && mask.method == model::MaskMethod::Null)) {
    out += in + "if (" + target + ".has_value()) {\n";
    v = "(*" + target + ")";
    inner = in + "  ";
  }
  if (last) {
    switch (mask.method) {
      case model::MaskMethod::Hash: out += inner + v + " = ::meshrt::maskHash(" + v + ");\n"; break;
      case model::MaskMethod::Redact: out += inner + v + " = ::meshrt::maskRedact(" + v + ");\n"; break;
      case model::MaskMethod::Last:
        out += inner + v + " = ::meshrt::maskLast(" + v + ", " + std::to_string(mask.keep) + ");\n";
        break;
      case model::MaskMethod::Null: out += inner + target + ".reset();\n"; break;
    }
  } else {
    const model::Type* t = f->type;
    if (t->kind == TypeKind::List || t->kind == TypeKind::Map) {
      std::string item = fmt::format("mesh_m{}", counter++);
      out += inner + "for (auto& " + item + " : " + v + ") {\n";
      std::string element = t->kind == TypeKind::Map ? item + ".second" : item;
      if (t->element->optional) {
        out += inner + "  if (" + element + ".has_value()) {\n";
        out += maskPath(path, i + 1, "(*" + element + ")", mask, inner + "    ", counter);
        out += inner + "  }\n";
      } else {
        out += maskPath(path, i + 1, element, mask, inner + "  ", counter);
      }
      out += inner + "}\n";
    } else {
      out += maskPath(path, i + 1, v, mask, inner, counter);
    }
  }
  if (f->optional() && !(last && mask.method == model::MaskMethod::Null)) out += in + "}\n";
  return out;
}

struct MaskFunction {
  std::string name;  // mask_<product>_for_<role>
  std::string product, role;  // the product's qualified name, the role's name
  const model::Record* record;
  std::vector<const model::Mask*> masks;
};

std::vector<MaskFunction> maskFunctions(const GeneratorContext& ctx, const std::string& package) {
  std::vector<MaskFunction> out;
  for (const model::Product* p : productsOf(ctx, package)) {
    std::map<std::string, MaskFunction> byRole;
    for (const auto& m : p->masks)
      for (const model::Role* r : m.roles) {
        auto& fn = byRole[r->name];
        const ScopedNames* names = scopedNames();
        fn.name = names ? names->masks.at({p, r->name}) : ident("mask_" + p->name + "_for_" + r->name);
        fn.product = p->qualifiedName;
        fn.role = r->name;
        fn.record = p->schema;
        fn.masks.push_back(&m);
      }
    for (auto& [role, fn] : byRole) out.push_back(std::move(fn));
  }
  return out;
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

std::string PackageGen::header() {
  std::string ns = cppNamespace(package_);
  std::string out = ctx_.stamp("// ", ctx_.sourcesOf(package_));
  out += "#pragma once\n\n";
  out += "#include <cstdint>\n#include <map>\n#include <optional>\n#include <string>\n#include <string_view>\n#include <utility>\n#include <vector>\n\n";
  out += "#include \"meshrt/runtime.h\"\n";
  if (!productsOf(ctx_, package_).empty()) out += "#include \"meshrt/kafka.h\"\n";
  for (const auto& p : usedPackages) out += "#include \"" + headerPath(p) + "\"\n";
  out += "\n#if MESHRT_ABI != 1\n#error \"generated by meshc " + ctx_.toolVersion + " for meshrt ABI 1\"\n#endif\n\n";
  out += "namespace " + ns + " {\n\n";
  for (const model::EnumType* e : enums) {
    out += comment(e->doc, "");
    out += "enum class " + ident(e->name) + " : int {\n";
    for (size_t i = 0; i < e->members.size(); ++i) {
      out += comment(e->members[i].doc, "  ");
      out += "  " + ident(e->members[i].name) + " = " + std::to_string(i) + ",\n";
    }
    out += "};\n";
    out += "/// The member's name as it is on the JSON wire.\n";
    out += "const char* to_string(" + qualifiedType(*e) + " value);\n";
    out += "/// The member of that name; false when there is none.\n";
    out += "bool from_string(std::string_view name, " + qualifiedType(*e) + "& out);\n\n";
  }
  auto ordered = definitionOrder(records);
  for (const model::Record* r : ordered) out += "struct " + ident(r->name) + ";\n";
  if (!ordered.empty()) out += "\n";
  for (const model::Record* r : ordered) {
    out += comment(r->doc, "");
    out += "struct " + ident(r->name) + " {\n";
    out += "  static constexpr bool kMeshRecord = true;\n";
    for (const auto& f : r->fields) {
      out += comment(f->doc, "  ");
      std::string type =
          boxed(f->type, r, *cycles) ? "::meshrt::Box<" + storageType(f->type, false) + ">" : storageType(f->type);
      out += "  " + type + " " + ident(f->name) + "{};\n";
    }
    out += "};\n\n";
  }
  for (const model::Record* r : ordered) {
    std::string T = qualifiedType(*r);
    out += "/// Parses one JSON message and validates it (language.md sections 2 and 3); appends\n";
    out += "/// every violation in document order and returns whether there was none.\n";
    out += "bool parse(std::string_view json, " + T +
           "& out, std::vector<::meshrt::Violation>& violations, int64_t now_micros = ::meshrt::nowMicros());\n";
    out += "/// Validates a struct built in memory: every `where` and `check`.\n";
    out += "bool validate(const " + T +
           "& value, std::vector<::meshrt::Violation>& violations, int64_t now_micros = ::meshrt::nowMicros());\n";
    out += "/// The JSON the struct stands for (absent optional fields left out).\n";
    out += "std::string to_json(const " + T + "& value);\n";
    out += "bool sameRecord(const " + T + "& a, const " + T + "& b);\n\n";
  }
  for (const model::Product* p : productsOf(ctx_, package_)) {
    std::string R = qualifiedType(*p->schema);
    out += comment(p->doc.empty() ? p->qualifiedName : p->doc, "");
    out += "/// Publishes to " + p->topic.name + ": validates (an invalid message is never sent), serializes,\n";
    out += "/// keys by the topic key and adds the mesh-contract, mesh-version and mesh-schema headers.\n";
    out += "/// One thread at a time per object (objects on other threads can share the KafkaProducer).\n";
    auto [P, C] = clientClasses(*p);
    out += "class " + P + " {\n public:\n";
    out += "  static constexpr const char* kTopic = " + cppString(p->topic.name) + ";\n";
    out += "  static constexpr const char* kContract = " + cppString(p->qualifiedName) + ";\n";
    out += "  static constexpr const char* kVersion = " + cppString(p->version) + ";\n";
    out += "  static constexpr const char* kSchema = " + cppString(schemaFingerprint(*p->schema)) + ";\n";
    out += "  /// Publishes to `topic` (the contract's by default; another for a test or an environment).\n";
    out += "  explicit " + P +
           "(::meshrt::KafkaProducer& producer, std::string topic = kTopic)\n      : producer_(producer), "
           "topic_(std::move(topic)),\n"
           "        headers_{{::meshrt::kContractHeader, kContract}, {::meshrt::kVersionHeader, kVersion}, "
           "{::meshrt::kSchemaHeader, kSchema}} {}\n";
    out += "  /// True when enqueued; false with the violations appended (nothing sent), or with `error`\n";
    out += "  /// set when the Kafka client refused the message.\n";
    out += "  bool publish(const " + R + "& message, std::vector<::meshrt::Violation>& violations, std::string* error = nullptr);\n";
    out += "  uint64_t published() const { return published_; }\n";
    out += "  uint64_t rejected() const { return rejected_; }\n";
    out += "\n private:\n  ::meshrt::KafkaProducer& producer_;\n  std::string topic_;\n";
    out += "  const ::meshrt::KafkaProducer::Headers headers_;\n";
    out += "  ::meshrt::JsonWriter buffer_;  // the serialized message, reused (the client copies it)\n";
    out += "  uint64_t published_ = 0, rejected_ = 0;\n};\n\n";
    out += "/// Reads " + p->topic.name + " (or another topic carrying the product, such as a gate's masked\n";
    out += "/// output) as a member of a consumer group: each message parsed and validated against the\n";
    out += "/// contract. Offsets are committed by commit(), for what poll() returned (at-least-once).\n";
    out += "class " + C + " {\n public:\n";
    out += "  static constexpr const char* kTopic = " + cppString(p->topic.name) + ";\n";
    out += "  static constexpr const char* kContract = " + cppString(p->qualifiedName) + ";\n";
    out += "  static constexpr const char* kSchema = " + cppString(schemaFingerprint(*p->schema)) + ";\n";
    out += "  struct Message {\n";
    out += "    " + R + " value;  // as parsed: meaningful when valid()\n";
    out += "    std::vector<::meshrt::Violation> violations;\n";
    out += "    ::meshrt::KafkaMessage raw;  // topic, partition, offset, timestamp, key, value, headers\n";
    out += "    bool valid() const { return violations.empty(); }\n";
    out += "  };\n";
    out += "  /// Joins `group` on `topic`; `config` adds librdkafka properties. Throws std::runtime_error\n";
    out += "  /// when the client cannot be made.\n";
    out += "  " + C + "(const std::string& bootstrap, const std::string& group, const std::string& topic = kTopic,\n";
    out += "      const std::map<std::string, std::string>& config = {})\n";
    out += "      : consumer_(bootstrap, group, {topic}, config) {}\n";
    out += "  /// The next message, parsed and validated: false when none arrived within `timeoutMs` (or a\n";
    out += "  /// consumer error, described in `error`). An invalid message comes back with its violations\n";
    out += "  /// (and is counted): skipping or dead-lettering it is the caller's choice.\n";
    out += "  bool poll(Message& out, int timeoutMs = 1000, std::string* error = nullptr);\n";
    out += "  bool commit(std::string* error = nullptr) { return consumer_.commit(error); }\n";
    out += "  void close() { consumer_.close(); }\n";
    out += "  uint64_t received() const { return received_; }\n";
    out += "  uint64_t invalid() const { return invalid_; }\n";
    out += "\n private:\n  ::meshrt::KafkaConsumer consumer_;\n  uint64_t received_ = 0, invalid_ = 0;\n};\n\n";
  }
  for (const auto& fn : maskFunctions(ctx_, package_)) {
    out += "/// The copy a reader in that role may see (the product's `mask` rules).\n";
    out += qualifiedType(*fn.record) + " " + fn.name + "(const " + qualifiedType(*fn.record) + "& value);\n";
  }
  out += "\nnamespace mesh_detail {\n";
  for (const model::EnumType* e : enums)
    out += "void write(::meshrt::JsonWriter& out, " + qualifiedType(*e) + " value);\n";
  for (const model::Record* r : ordered) {
    std::string T = qualifiedType(*r);
    out += "bool read(::meshrt::JsonValue& json, " + T + "& out, ::meshrt::Sink& sink);\n";
    out += "void checkRecord(const " + T + "& rec, ::meshrt::Sink& sink);\n";
    out += "void validateRecord(const " + T + "& rec, ::meshrt::Sink& sink);\n";
    out += "void write(::meshrt::JsonWriter& out, const " + T + "& rec);\n";
  }
  out += "}  // namespace mesh_detail\n\n";
  out += "}  // namespace " + ns + "\n";
  return out;
}

std::string PackageGen::source() {
  std::string ns = cppNamespace(package_);
  std::string body;
  for (const model::EnumType* e : enums) {
    std::string E = qualifiedType(*e);
    body += "const char* to_string(" + E + " value) {\n  switch (value) {\n";
    for (const auto& m : e->members) body += "    case " + E + "::" + ident(m.name) + ": return " + cppString(m.name) + ";\n";
    body += "  }\n  return \"\";\n}\n\n";
    body += "bool from_string(std::string_view name, " + E + "& out) {\n";
    std::vector<std::pair<std::string, std::string>> cases;
    for (const auto& m : e->members) cases.push_back({m.name, "out = " + E + "::" + ident(m.name) + "; return true;"});
    body += matchByLength("name", cases, "  ");
    body += "  return false;\n}\n\n";
  }
  auto ordered = definitionOrder(records);
  std::string detailBody;
  // An enum value as its quoted JSON name, one literal (no escaping scan).
  for (const model::EnumType* e : enums) {
    std::string E = qualifiedType(*e);
    detailBody += "void write(::meshrt::JsonWriter& out, " + E + " value) {\n  switch (value) {\n";
    for (const auto& m : e->members) {
      std::string quoted;
      meshrt::appendJsonString(quoted, m.name);
      detailBody += "    case " + E + "::" + ident(m.name) + ": out.literal(" + cppString(quoted) + "); return;\n";
    }
    detailBody += "  }\n  out.literal(\"\\\"\\\"\");\n}\n\n";
  }
  for (const model::Record* r : ordered) {
    detailBody += recordValidator(*r);
    detailBody += recordReader(*r);
    detailBody += recordWriter(*r);
  }
  for (const model::Record* r : ordered) {
    std::string T = qualifiedType(*r);
    body += "bool parse(std::string_view json, " + T +
            "& out, std::vector<::meshrt::Violation>& violations, int64_t now_micros) {\n";
    body += "  size_t first = violations.size();\n";
    body += "  ::meshrt::Sink sink(&violations, now_micros);\n";
    body += "  try {\n";
    body += "    ::meshrt::JsonDocument doc(json);\n";
    body += "    if (doc.isScalar() && doc.scalarKind() == ::meshrt::JsonKind::Null)\n";
    body += "      sink.add(::meshrt::Rule::Required, \"must not be null\");\n";
    body += "    else if (doc.isScalar())\n";
    body += "      sink.add(::meshrt::Rule::Type, std::string(\"expected an object, found \") + ::meshrt::kindName(doc.scalarKind()));\n";
    body += "    else\n";
    body += "      mesh_detail::read(doc.root(), out, sink);\n";
    body += "    doc.finish();\n";
    body += "  } catch (const ::meshrt::JsonSyntaxError&) {\n";
    body += "    violations.resize(first);\n";
    body += "    violations.push_back({\"$\", ::meshrt::Rule::Parse, \"not valid JSON\"});\n";
    body += "  }\n";
    body += "  return violations.size() == first;\n";
    body += "}\n\n";
    body += "bool validate(const " + T + "& value, std::vector<::meshrt::Violation>& violations, int64_t now_micros) {\n";
    body += "  size_t first = violations.size();\n";
    body += "  ::meshrt::Sink sink(&violations, now_micros);\n";
    body += "  mesh_detail::validateRecord(value, sink);\n";
    body += "  return violations.size() == first;\n";
    body += "}\n\n";
    body += "std::string to_json(const " + T + "& value) {\n  thread_local ::meshrt::JsonWriter out;  // its buffer reused: one allocation per call\n  out.clear();\n  mesh_detail::write(out, value);\n  return out.str();\n}\n\n";
    body += "bool sameRecord(const " + T + "& a, const " + T + "& b) {\n  return true";
    for (const auto& f : r->fields) body += "\n      && ::meshrt::ex::same(a." + ident(f->name) + ", b." + ident(f->name) + ")";
    body += ";\n}\n\n";
  }
  for (const model::Product* p : productsOf(ctx_, package_)) {
    std::string R = qualifiedType(*p->schema);
    auto [P, C] = clientClasses(*p);
    body += "bool " + P + "::publish(const " + R + "& message, std::vector<::meshrt::Violation>& violations, std::string* error) {\n";
    body += "  if (!validate(message, violations)) {\n    ++rejected_;\n    return false;\n  }\n";
    body += "  buffer_.clear();\n";
    body += "  " + detail(*p->schema) + "::write(buffer_, message);\n";
    body += "  const std::string& key = " + keyExpression(*p, "message") + ";\n";
    body += "  std::string failure;\n";
    body += "  if (!producer_.produce(topic_, key, buffer_.view(), headers_, failure)) {\n";
    body += "    if (error) *error = failure;\n    return false;\n  }\n";
    body += "  ++published_;\n  return true;\n}\n\n";
    body += "bool " + C + "::poll(Message& out, int timeoutMs, std::string* error) {\n";
    body += "  if (!consumer_.poll(out.raw, timeoutMs, error)) return false;\n";
    body += "  ++received_;\n";
    body += "  out.violations.clear();\n";
    body += "  if (!parse(out.raw.value, out.value, out.violations)) ++invalid_;\n";
    body += "  return true;\n}\n\n";
  }
  for (const auto& fn : maskFunctions(ctx_, package_)) {
    std::string R = qualifiedType(*fn.record);
    body += R + " " + fn.name + "(const " + R + "& value) {\n  " + R + " copy = value;\n";
    int counter = 0;
    for (const model::Mask* m : fn.masks) body += maskPath(m->field.fields, 0, "copy", *m, "  ", counter);
    body += "  return copy;\n}\n\n";
  }
  std::string out = ctx_.stamp("// ", ctx_.sourcesOf(package_));
  out += "#include \"" + headerPath(package_) + "\"\n\n";
  out += "#include <algorithm>\n#include <cstring>\n\n";
  out += "namespace " + ns + " {\n\n";
  out += "namespace {\n";
  out += "// Shared by every message; compiled on first use.\n";
  std::vector<std::pair<int, std::string>> patterns;
  for (const auto& [p, i] : regexes_) patterns.push_back({i, p});
  std::sort(patterns.begin(), patterns.end());
  for (const auto& [i, p] : patterns) out += regexDefinition(i, p);
  out += "}  // namespace\n\n";
  out += "namespace mesh_detail {\n\n" + detailBody + "}  // namespace mesh_detail\n\n";
  out += body;
  out += "}  // namespace " + ns + "\n";
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

std::string cmakeLists(const GeneratorContext& ctx, const std::vector<std::string>& packages) {
  std::string out = ctx.stamp("# ", {});
  out += "# Builds the generated validators into the library mesh_contracts and the\n";
  out += "# mesh-validate tool. meshrt comes from an installed package\n";
  out += "# (find_package(meshrt)) or from meshc's source tree: -DMESHRT_SOURCE_DIR=.../runtime\n";
  out += "cmake_minimum_required(VERSION 3.16)\n";
  out += "project(mesh_contracts CXX)\n";
  out += "if(NOT CMAKE_CXX_STANDARD)\n  set(CMAKE_CXX_STANDARD 17)\nendif()\n";
  out += "set(CMAKE_CXX_STANDARD_REQUIRED ON)\n";
  out += "set(CMAKE_CXX_EXTENSIONS OFF)\n";
  out += "if(TARGET meshrt)\n";
  out += "  set(MESHRT_LIBRARY meshrt)\n";
  out += "elseif(MESHRT_SOURCE_DIR)\n";
  out += "  add_subdirectory(${MESHRT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/meshrt)\n";
  out += "  set(MESHRT_LIBRARY meshrt)\n";
  out += "else()\n";
  out += "  find_package(meshrt REQUIRED CONFIG)\n";
  out += "  set(MESHRT_LIBRARY meshrt::meshrt)\n";
  out += "endif()\n";
  out += "add_library(mesh_contracts STATIC\n";
  for (const auto& p : packages) {
    std::string h = headerPath(p);
    out += "  " + h.substr(0, h.size() - 2) + ".cpp\n";
  }
  out += "  )\n";
  out += "target_include_directories(mesh_contracts PUBLIC ${CMAKE_CURRENT_SOURCE_DIR})\n";
  out += "target_link_libraries(mesh_contracts PUBLIC ${MESHRT_LIBRARY})\n";
  bool products = false;
  for (const auto& p : packages) products |= !productsOf(ctx, p).empty();
  if (products) {
    out += "target_link_libraries(mesh_contracts PUBLIC ${MESHRT_LIBRARY}_kafka)\n";
    out += "add_executable(mesh-gate mesh_gate.cpp)\n";
    out += "target_link_libraries(mesh-gate PRIVATE mesh_contracts)\n";
  }
  out += "add_executable(mesh-validate mesh_validate.cpp)\n";
  out += "target_link_libraries(mesh-validate PRIVATE mesh_contracts)\n";
  return out;
}

/// A main over the table of generated validators: mesh-validate
/// (meshrt::validateMain) and mesh-gate (meshrt::gateMain) differ only in
/// what they do with it.
std::string targetsMain(const GeneratorContext& ctx, const std::vector<std::string>& packages, const std::string& what,
                        const std::string& entry) {
  std::string out = ctx.stamp("// ", {});
  out += what;
  for (const auto& p : packages) out += "#include \"" + headerPath(p) + "\"\n";
  if (entry == "gateMain") out += "#include \"meshrt/stream_fields.h\"\n";
  out += "\n#include <iterator>\n\n";
  out += "namespace {\n";
  std::set<std::string> generated(packages.begin(), packages.end());
  std::vector<std::pair<std::string, const model::Record*>> targets;
  for (const auto& p : ctx.build.products)
    if (p->schema && generated.count(p->schema->package) && generated.count(p->package)) targets.push_back({p->qualifiedName, p->schema});
  for (const auto& r : ctx.build.records)
    if (generated.count(r->package)) targets.push_back({r->qualifiedName, r.get()});
  std::sort(targets.begin(), targets.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  int i = 0;
  for (const auto& [name, record] : targets) {
    std::string type = qualifiedType(*record);
    out += fmt::format("bool target{}(std::string_view json, std::vector<::meshrt::Violation>& v, int64_t now) {{\n", i++);
    out += "  static thread_local " + type + " value;  // reused: its strings and lists keep their capacity\n";
    out += "  return " + type.substr(0, type.rfind("::")) + "::parse(json, value, v, now);\n";
    out += "}\n";
  }
  if (targets.empty()) {
    out += "}  // namespace\n\n";
    out += "int main(int argc, char** argv) { return ::meshrt::" + entry + "(argc, argv, nullptr, 0); }\n";
    return out;
  }
  out += "const ::meshrt::ValidateTarget kTargets[] = {\n";
  i = 0;
  for (const auto& [name, record] : targets) out += fmt::format("    {{{}, &target{}}},\n", cppString(name), i++);
  out += "};\n";
  // The gate's --mask-for: parse and validate, then serialize the role's copy.
  std::vector<std::pair<std::string, std::string>> masks;  // product, role
  if (entry == "gateMain")
    for (const auto& p : packages)
      for (const MaskFunction& fn : maskFunctions(ctx, p)) {
        std::string type = qualifiedType(*fn.record), ns = type.substr(0, type.rfind("::"));
        out += fmt::format("bool mask{}(std::string_view json, std::string& out, std::vector<::meshrt::Violation>& v, "
                           "int64_t now) {{\n", masks.size());
        out += "  static thread_local " + type + " value;\n";
        out += "  if (!" + ns + "::parse(json, value, v, now)) return false;\n";
        out += "  out = " + ns + "::to_json(::" + cppNamespace(p) + "::" + fn.name + "(value));\n";
        out += "  return true;\n}\n";
        masks.push_back({fn.product, fn.role});
      }
  if (!masks.empty()) {
    out += "const ::meshrt::MaskTarget kMasks[] = {\n";
    for (size_t m = 0; m < masks.size(); ++m)
      out += fmt::format("    {{{}, {}, &mask{}}},\n", cppString(masks[m].first), cppString(masks[m].second), m);
    out += "};\n";
  }
  // The gate's stream checks: each product's quality rules and freshness.
  std::string products;
  size_t productCount = 0;
  if (entry == "gateMain") {
    std::vector<const model::Product*> ordered;
    for (const auto& p : ctx.build.products)
      if (p->schema && generated.count(p->schema->package) && generated.count(p->package) &&
          (!p->quality.empty() || p->sla.freshnessMicros))
        ordered.push_back(p.get());
    std::sort(ordered.begin(), ordered.end(),
              [](const model::Product* a, const model::Product* b) { return a->qualifiedName < b->qualifiedName; });
    static const char* kinds[] = {"Unique", "NullRate", "Volume", "ValidRate"};
    static const char* ops[] = {"Lt", "Le", "Gt", "Ge", "Eq", "Ne"};
    for (const model::Product* p : ordered) {
      std::string table = "nullptr";
      // The fields of its unique and null_rate rules, handed over from the
      // parsed value (ProductRules::validateFields): no second parse.
      std::string fieldsFn;
      std::string handOver;
      for (size_t i = 0; i < p->quality.size(); ++i) {
        const model::QualityRule& q = p->quality[i];
        if (!q.field || (q.kind != model::QualityRule::Kind::Unique && q.kind != model::QualityRule::Kind::NullRate))
          continue;
        std::string expr = "value", present;
        for (const model::Field* f : q.field->fields) {
          expr += "." + ident(f->name);
          if (f->optional()) {
            present += (present.empty() ? "" : " && ") + expr + ".has_value()";
            expr = "(*" + expr + ")";
          }
        }
        std::string hash = q.kind == model::QualityRule::Kind::Unique ? "::meshrt::streamHash(" + expr + ")" : "0";
        std::string set = fmt::format("f.set({}, {});\n", i, hash);
        handOver += present.empty() ? "  " + set : "  if (" + present + ") " + set;
      }
      if (!handOver.empty()) {
        std::string type = qualifiedType(*p->schema), ns = type.substr(0, type.rfind("::"));
        fieldsFn = fmt::format("fields{}", productCount);
        out += "bool " + fieldsFn +
               "(std::string_view json, std::vector<::meshrt::Violation>& v, int64_t now, ::meshrt::StreamFields& f) "
               "{\n";
        out += "  static thread_local " + type + " value;\n";
        out += fmt::format("  f.reset({});\n", p->quality.size());
        out += "  if (!" + ns + "::parse(json, value, v, now)) return false;\n";
        out += handOver;
        out += "  return true;\n}\n";
      }
      if (!p->quality.empty()) {
        table = fmt::format("kRules{}", productCount);
        out += "const ::meshrt::QualityRuleSpec " + table + "[] = {\n";
        for (const auto& q : p->quality) {
          std::string pointer;
          if (q.field)
            for (const model::Field* f : q.field->fields) pointer += "/" + f->name;
          out += fmt::format("    {{::meshrt::QualityRuleSpec::Kind::{}, ::meshrt::QualityRuleSpec::Op::{}, {}, {}, {}, {}}},\n",
                             kinds[static_cast<int>(q.kind)], ops[static_cast<int>(q.op)], cppString(pointer),
                             doubleLiteral(q.threshold), int64Literal(q.windowMicros), cppString(q.text));
        }
        out += "};\n";
      }
      products += fmt::format("    {{{}, {}, {}, {}{}}},\n", cppString(p->qualifiedName),
                              int64Literal(p->sla.freshnessMicros.value_or(0)), table,
                              p->quality.empty() ? "0" : "std::size(" + table + ")",
                              fieldsFn.empty() ? "" : ", &" + fieldsFn);
      ++productCount;
    }
    if (productCount) out += "const ::meshrt::ProductRules kProducts[] = {\n" + products + "};\n";
  }
  out += "}  // namespace\n\n";
  std::string args = "argc, argv, kTargets, std::size(kTargets)";
  if (!masks.empty() || productCount) args += masks.empty() ? ", nullptr, 0" : ", kMasks, std::size(kMasks)";
  if (productCount) args += ", kProducts, std::size(kProducts)";
  out += "int main(int argc, char** argv) { return ::meshrt::" + entry + "(" + args + "); }\n";
  return out;
}

}  // namespace

void generateCpp(const GeneratorContext& ctx, OutputTree& out, DiagnosticEngine&) {
  static std::mutex generating;
  std::lock_guard<std::mutex> lock(generating);
  const ScopedNames names = computeScopedNames(ctx.build);
  scopedNames() = &names;
  struct Reset {
    ~Reset() { scopedNames() = nullptr; }
  } reset;
  std::vector<std::string> packages = packagesToGenerate(ctx);
  bool products = false;
  std::vector<const model::Record*> allRecords;
  for (const auto& p : packages) {
    products |= !productsOf(ctx, p).empty();
    const auto& of = ctx.package(p).records;
    allRecords.insert(allRecords.end(), of.begin(), of.end());
  }
  const RecordCycles cycles(allRecords);
  // One task per package (its header and source) and one per build-wide
  // file (mesh_validate.cpp with CMakeLists.txt, mesh_gate.cpp), first the
  // build-wide ones, the largest: each reads the model and writes only its
  // own strings.
  parallelFor(packages.size() + 2, ctx.jobs, [&](size_t task) {
    if (task == 0) {
      out.add("cpp/CMakeLists.txt", cmakeLists(ctx, packages));
      out.add("cpp/mesh_validate.cpp",
              targetsMain(ctx, packages,
                          "// mesh-validate --product NAME [FILE|-]: validates JSON Lines with the generated\n"
                          "// code and prints what `meshc validate` prints, byte for byte.\n",
                          "validateMain"));
      return;
    }
    if (task == 1) {
      if (products)
        out.add("cpp/mesh_gate.cpp",
                targetsMain(ctx, packages, "// mesh-gate: holds a topic to a product's contract (meshrt::gateMain).\n",
                            "gateMain"));
      return;
    }
    const std::string& package = packages[task - 2];
    PackageGen gen(ctx, package);
    const PackageIndex& index = ctx.package(package);
    gen.records = index.records;
    gen.enums = index.enums;
    gen.cycles = &cycles;
    std::function<void(const model::Type*)> use = [&](const model::Type* t) {
      if (t->kind == TypeKind::Record && t->record->package != package) gen.usedPackages.insert(t->record->package);
      if (t->kind == TypeKind::Enum && t->enumType->package != package) gen.usedPackages.insert(t->enumType->package);
      if (t->element) use(t->element);
    };
    for (const model::Record* r : gen.records)
      for (const auto& f : r->fields) use(f->type);
    // A product's schema may be another package's record.
    for (const model::Product* p : productsOf(ctx, package))
      if (p->schema->package != package) gen.usedPackages.insert(p->schema->package);
    std::string h = headerPath(package);
    // The source first: it registers the regexes the header does not need.
    std::string source = gen.source();
    out.add("cpp/" + h, gen.header());
    out.add("cpp/" + h.substr(0, h.size() - 2) + ".cpp", std::move(source));
  });
}

}  // namespace mesh::codegen
