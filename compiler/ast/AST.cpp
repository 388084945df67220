// AST: small helpers on the syntax structs.
#include "ast/AST.h"

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
  switch (op) {
    case BinaryOp::Or:
      return "||";
    case BinaryOp::And:
      return "&&";
    case BinaryOp::Eq:
      return "==";
    case BinaryOp::Ne:
      return "!=";
    case BinaryOp::Lt:
      return "<";
    case BinaryOp::Le:
      return "<=";
    case BinaryOp::Gt:
      return ">";
    case BinaryOp::Ge:
      return ">=";
    case BinaryOp::Add:
      return "+";
    case BinaryOp::Sub:
      return "-";
    case BinaryOp::Mul:
      return "*";
    case BinaryOp::Div:
      return "/";
    case BinaryOp::Mod:
      return "%";
  }
  return "?";
}

const char* spelling(CompareOp op) {
  switch (op) {
    case CompareOp::Lt:
      return "<";
    case CompareOp::Le:
      return "<=";
    case CompareOp::Gt:
      return ">";
    case CompareOp::Ge:
      return ">=";
    case CompareOp::Eq:
      return "==";
    case CompareOp::Ne:
      return "!=";
  }
  return "?";
}

const char* describe(DeclKind kind) {
  switch (kind) {
    case DeclKind::Enum:
      return "enum";
    case DeclKind::Type:
      return "refinement type";
    case DeclKind::Record:
      return "record";
    case DeclKind::Tag:
      return "tag";
    case DeclKind::Role:
      return "role";
    case DeclKind::Domain:
      return "domain";
    case DeclKind::Product:
      return "product";
    case DeclKind::Policy:
      return "policy";
    case DeclKind::Waiver:
      return "waiver";
  }
  return "declaration";
}

std::string withArticle(DeclKind kind) {
  std::string noun = describe(kind);
  bool vowel = std::string("aeiou").find(noun[0]) != std::string::npos;
  return (vowel ? "an " : "a ") + noun;
}

}  // namespace mesh::ast
