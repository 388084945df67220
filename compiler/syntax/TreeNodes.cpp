// TreeNodes: parse tree queries without dynamic_cast (see TreeNodes.h).
#include "syntax/TreeNodes.h"

namespace mesh::syntax {

using antlr4::tree::ParseTree;

bool isToken(ParseTree* node) {
  const std::type_info& type = typeid(*node);
  return type == typeid(antlr4::tree::TerminalNodeImpl) || type == typeid(antlr4::tree::ErrorNodeImpl);
}

antlr4::Token* tokenChild(antlr4::ParserRuleContext* ctx, size_t type, size_t i) {
  for (ParseTree* c : ctx->children) {
    if (!isToken(c)) continue;
    antlr4::Token* t = static_cast<antlr4::tree::TerminalNode*>(c)->getSymbol();
    if (t->getType() == type && i-- == 0) return t;
  }
  return nullptr;
}

}  // namespace mesh::syntax
