// Cst: the concrete syntax of one file, for tools that must reproduce its
// text (meshc fmt): every token, comments and white space included, and the
// parse tree as plain nodes named by grammar rule. Built only for text that
// parses without error; ANTLR's types stay in compiler/syntax/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "llvm/ADT/StringRef.h"

namespace mesh::syntax {

enum class CstTokenKind { Code, Whitespace, LineComment, BlockComment, DocComment, Eof };

struct CstToken {
  CstTokenKind kind;
  std::string text;  // exactly as in the source (UTF-8)
};

struct CstNode;

/// One child of a node: a token (index into ConcreteTree::tokens) or a node.
struct CstChild {
  int64_t token = -1;
  std::unique_ptr<CstNode> node;
};

struct CstNode {
  std::string rule;  // the grammar rule: "fieldDecl", "expr", "baseType", ...
  std::vector<CstChild> children;
};

struct ConcreteTree {
  std::vector<CstToken> tokens;   // every token of the file in order, ending with Eof
  std::unique_ptr<CstNode> root;  // rule "file"
};

/// Lexes and parses `text`; nullopt when it has a lexical or syntax error
/// (the caller reports those through parseFile first).
std::optional<ConcreteTree> parseConcrete(llvm::StringRef text);

/// Only the tokens: for comparisons that need no tree. Lexical errors come
/// out as Code tokens.
std::vector<CstToken> lexConcrete(llvm::StringRef text);

}  // namespace mesh::syntax
