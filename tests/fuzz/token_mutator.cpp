// A grammar-aware mutator for the front end (fuzz-frontend-tokens): the
// input is split into tokens by the Mesh lexer itself (grammar/Mesh.g4, white
// space and comments kept as tokens), and one to four token edits are made:
// delete, duplicate, swap, replace, insert, or copy a run of tokens elsewhere.
// New tokens come from the lexer's vocabulary (every keyword and operator),
// a few samples of each literal kind, and a pool of tokens seen in earlier
// inputs (the corpus: the examples' identifiers, strings and numbers). Inputs
// stay close to the grammar, so the checker and the policies are reached
// more often than by byte mutations. One mutation in eight is libFuzzer's
// own (bytes), so the lexer's edge cases are still explored.
#include <antlr4-runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "MeshLexer.h"

extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t maxSize);

namespace {

struct Token {
  std::string text;
  bool hidden;  // white space and comments
};

std::vector<std::string>& vocabulary() {
  static std::vector<std::string> words = [] {
    std::vector<std::string> out;
    antlr4::ANTLRInputStream empty("");
    mesh::grammar::MeshLexer lexer(&empty);
    const antlr4::dfa::Vocabulary& v = lexer.getVocabulary();
    for (size_t t = 0; t <= v.getMaxTokenType(); ++t) {
      std::string literal = v.getLiteralName(t);
      if (literal.size() >= 2 && literal.front() == '\'' && literal.back() == '\'')
        out.push_back(literal.substr(1, literal.size() - 2));
    }
    // Samples of the token kinds that have no literal spelling.
    for (const char* s :
         {"x",           "amount",      "value", "std",       "Order",   "1",     "0",          "-1",    "1.5",
          "1e400",       "0x1F",        "30d",   "5ms",       "99.9%",   "100/s", "2026-02-30", "\"s\"", "\"\"",
          "\"\\u0000\"", "r\"[a-z]+\"", "\"\\",  "/// doc\n", "/* c */", "01x",   "\xc3\xa9",   "\xff"})
      out.push_back(s);
    return out;
  }();
  return words;
}

std::vector<std::string> pool;  // tokens seen in inputs: the corpus's vocabulary
constexpr size_t kPoolSize = 4096;

bool lex(const uint8_t* data, size_t size, std::vector<Token>& out) {
  try {
    antlr4::ANTLRInputStream input(reinterpret_cast<const char*>(data), size);
    mesh::grammar::MeshLexer lexer(&input);
    lexer.removeErrorListeners();
    for (auto t = lexer.nextToken(); t->getType() != antlr4::Token::EOF; t = lexer.nextToken())
      out.push_back({t->getText(), t->getChannel() != antlr4::Token::DEFAULT_CHANNEL});
    return true;
  } catch (...) {  // not UTF-8: the ANTLR input stream refuses it
    return false;
  }
}

}  // namespace

extern "C" size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size, size_t maxSize, unsigned int seed) {
  std::mt19937 rng(seed);
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  std::vector<Token> tokens;
  if (pick(8) == 0 || !lex(data, size, tokens)) return LLVMFuzzerMutate(data, size, maxSize);

  std::vector<size_t> visible;
  for (size_t i = 0; i < tokens.size(); ++i)
    if (!tokens[i].hidden) visible.push_back(i);
  for (size_t i : visible) {
    if (pool.size() < kPoolSize)
      pool.push_back(tokens[i].text);
    else if (pick(16) == 0)
      pool[pick(kPoolSize)] = tokens[i].text;
  }
  auto fresh = [&]() -> Token {
    const auto& words = vocabulary();
    if (!pool.empty() && pick(2) == 0) return {" " + pool[pick(pool.size())] + " ", false};
    return {" " + words[pick(words.size())] + " ", false};
  };

  size_t edits = 1 + pick(4);
  for (size_t e = 0; e < edits; ++e) {
    visible.clear();
    for (size_t i = 0; i < tokens.size(); ++i)
      if (!tokens[i].hidden) visible.push_back(i);
    if (visible.empty()) {
      tokens.push_back(fresh());
      continue;
    }
    size_t a = visible[pick(visible.size())];
    size_t b = visible[pick(visible.size())];
    switch (pick(6)) {
      case 0:  // delete
        tokens.erase(tokens.begin() + a);
        break;
      case 1:  // duplicate
        tokens.insert(tokens.begin() + a, tokens[a]);
        break;
      case 2:  // swap
        std::swap(tokens[a].text, tokens[b].text);
        break;
      case 3:  // replace
        tokens[a] = fresh();
        break;
      case 4:  // insert
        tokens.insert(tokens.begin() + a, fresh());
        break;
      case 5: {  // copy a run of up to 16 tokens (a field, a clause) to another place
        size_t end = std::min(tokens.size(), a + 1 + pick(16));
        std::vector<Token> run(tokens.begin() + a, tokens.begin() + end);
        tokens.insert(tokens.begin() + b, run.begin(), run.end());
        break;
      }
    }
  }
  std::string out;
  for (const auto& t : tokens) out += t.text;
  if (out.size() > maxSize) return LLVMFuzzerMutate(data, size, maxSize);
  std::memcpy(data, out.data(), out.size());
  return out.size();
}
