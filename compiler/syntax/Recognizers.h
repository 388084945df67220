// Recognizers: the generated lexer, a token stream and the generated parser,
// with the ANTLR 4.9 C++ runtime's fixed costs per character, per token and
// per rule taken out (bench/check: they were most of a cold `meshc check`).
// They recognize exactly what MeshLexer, CommonTokenStream and MeshParser
// do: each override keeps the runtime's logic and drops a lock or a
// dynamic_cast around it. Internal to compiler/syntax.
#pragma once

#include <memory>

#include "MeshLexer.h"
#include "MeshParser.h"
#include "antlr4-runtime.h"

namespace mesh::syntax {

/// MeshLexer whose simulator reads the DFA's edges from a per-thread copy
/// instead of taking the runtime's shared lock for every character.
class Lexer final : public grammar::MeshLexer {
 public:
  explicit Lexer(antlr4::CharStream* input);
};

}  // namespace mesh::syntax
