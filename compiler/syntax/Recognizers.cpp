// Recognizers: the lexer, token stream and parser overrides (see
// Recognizers.h).
#include "syntax/Recognizers.h"

#include <array>
#include <vector>

namespace mesh::syntax {

using antlr4::atn::LexerATNSimulator;
using antlr4::dfa::DFAState;

namespace {

/// The lexer's simulator, with every DFA edge it has followed remembered in
/// a table of this thread, indexed by state number and character. The
/// runtime's table is shared by every lexer and guarded by a lock taken
/// twice per character; its edges, once added, never change, and its states
/// live as long as the program, so a copy stays right. An edge the copy
/// lacks is read (or computed) by the runtime as before.
class EdgeCachingSimulator final : public LexerATNSimulator {
 public:
  using LexerATNSimulator::LexerATNSimulator;

 protected:
  DFAState* getExistingTargetState(DFAState* s, size_t t) override {
    static constexpr size_t kMaxState = 1 << 14;
    size_t state = static_cast<size_t>(s->stateNumber);
    if (t > MAX_DFA_EDGE || s->stateNumber < 0 || state >= kMaxState)
      return LexerATNSimulator::getExistingTargetState(s, t);
    thread_local std::vector<std::array<DFAState*, MAX_DFA_EDGE + 1>> edges;
    if (state < edges.size() && edges[state][t]) return edges[state][t];
    DFAState* target = LexerATNSimulator::getExistingTargetState(s, t);
    if (target) {
      if (state >= edges.size()) edges.resize(state + 1, {});
      edges[state][t] = target;
    }
    return target;
  }
};

}  // namespace

Lexer::Lexer(antlr4::CharStream* input) : MeshLexer(input) {
  auto* generated = getInterpreter<LexerATNSimulator>();
  auto* fast = new EdgeCachingSimulator(this, getATN(), generated->_decisionToDFA, generated->getSharedContextCache());
  delete generated;
  _interpreter = fast;  // deleted by ~MeshLexer
}

}  // namespace mesh::syntax
