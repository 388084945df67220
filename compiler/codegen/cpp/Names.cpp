// Names and escaping: contract names as C++ identifiers, bytes as C++ string
// literals, docs as comments, and the names that depend on the whole build
// (namespaces, client classes, mask functions).
#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "codegen/cpp/CppGen.h"

namespace mesh::codegen::cpp {
namespace {

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
}  // namespace

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
std::string comment(const std::string& text) {
  if (text.empty()) return {};
  Printer out;
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
    out.print("///$line$\n", {{"line", line.empty() ? "" : " " + line}});
    if (end == text.size()) break;
    start = end + 1;
  }
  return out.take();
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
  for (const auto& u : build.unions) taken[u->package].insert(ident(u->name)), packages.insert(u->package);
  auto claim = [&](const std::string& scope, std::string name) {
    // The global namespace holds the C and C++ library's names as well.
    while ((scope.empty() && isGlobalName(name)) || !taken[scope].insert(name).second) name += "_";
    return name;
  };
  for (const auto& p : build.products) {
    if (!p->schema && !p->schemaUnion) continue;
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

std::string qualifiedType(const model::Union& u) { return "::" + cppNamespace(u.package) + "::" + ident(u.name); }

std::string detail(const model::Record& r) { return "::" + cppNamespace(r.package) + "::mesh_detail"; }
std::string detail(const model::Union& u) { return "::" + cppNamespace(u.package) + "::mesh_detail"; }

}  // namespace mesh::codegen::cpp
