// AST: small helpers on the syntax structs.
#include "ast/AST.h"

#include "ast/Members.h"
#include "support/EnumNames.h"

namespace mesh::ast {

std::string QualifiedName::str() const {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += '.';
    out += p.name;
  }
  return out;
}

std::string FieldPath::str() const {
  std::string out;
  for (const auto& s : segments) {
    if (!out.empty()) out += '.';
    out += s.name.name;
    if (s.element) out += "[]";
  }
  return out;
}

Ident Import::effectiveAlias() const {
  if (alias) return *alias;
  return package.parts.back();
}

const char* spelling(BinaryOp op) {
  static constexpr const char* kNames[] = {"||", "&&", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%"};
  return enumName<LastEnumerator<BinaryOp>::value>(op, kNames);
}

const char* spelling(CompareOp op) {
  static constexpr const char* kNames[] = {"<", "<=", ">", ">=", "==", "!="};
  return enumName<LastEnumerator<CompareOp>::value>(op, kNames);
}

const char* describe(DeclKind kind) {
  static constexpr const char* kNames[] = {"enum",   "refinement type", "record", "tag",   "role",
                                           "domain", "product",         "policy", "union", "waiver"};
  return enumName<LastEnumerator<DeclKind>::value>(kind, kNames);
}

std::string withArticle(DeclKind kind) {
  std::string noun = describe(kind);
  bool vowel = std::string("aeiou").find(noun[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + noun;
}

}  // namespace mesh::ast
