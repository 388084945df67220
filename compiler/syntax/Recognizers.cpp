// Recognizers: the lexer, token stream and parser overrides (see
// Recognizers.h). Each override follows the ANTLR 4.9 runtime function it
// replaces line for line, but for the lock or the cast it leaves out.
#include "syntax/Recognizers.h"

#include <array>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "source/SourceManager.h"

namespace mesh::syntax {

using antlr4::ParserRuleContext;
using antlr4::Token;
using antlr4::atn::LexerActionExecutor;
using antlr4::atn::LexerATNSimulator;
using antlr4::dfa::DFAState;

namespace {

/// A mark in the input, released when it goes out of scope (the runtime
/// uses a std::function for it).
struct Marker {
  antlr4::CharStream* input;
  ssize_t marker;
  ~Marker() { input->release(marker); }
};

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
    if (DFAState* known = knownEdge(s, t)) return known;
    DFAState* target = LexerATNSimulator::getExistingTargetState(s, t);
    size_t state = static_cast<size_t>(s->stateNumber);
    if (target && t <= MAX_DFA_EDGE && s->stateNumber >= 0 && state < kMaxState) {
      if (state >= edges_.size()) edges_.resize(state + 1, {});
      edges_[state][t] = target;
    }
    return target;
  }

  // LexerATNSimulator::match, with the input's mark released by a Marker
  // and the last accept state forgotten by capturing none (all failOrAccept
  // reads of it is whether there is one). The runtime's debugging count of
  // calls is not kept.
  size_t match(antlr4::CharStream* input, size_t mode) override {
    _mode = mode;
    Marker marker{input, input->mark()};
    _startIndex = input->index();
    captureSimState(input, nullptr);
    const antlr4::dfa::DFA& dfa = _decisionToDFA[mode];
    return dfa.s0 ? execATN(input, dfa.s0) : matchATN(input);
  }

  // LexerATNSimulator::execATN, with the copied edges read inline and the
  // input (always an InputStream: Lexer's constructor takes one) read and
  // consumed without virtual calls.
  size_t execATN(antlr4::CharStream* input, DFAState* ds0) override {
    auto& in = static_cast<InputStream&>(*input);
    if (ds0->isAcceptState) captureSimState(input, ds0);
    size_t t = in.next();
    DFAState* s = ds0;
    for (;;) {
      DFAState* target = knownEdge(s, t);
      if (!target) target = getExistingTargetState(s, t);
      if (!target) target = computeTargetState(input, s, t);
      if (target == ERROR.get()) break;
      if (t != Token::EOF) {  // LexerATNSimulator::consume
        if (t == '\n') {
          ++_line;
          _charPositionInLine = 0;
        } else {
          ++_charPositionInLine;
        }
        in.advance();
      }
      if (target->isAcceptState) {
        captureSimState(input, target);
        if (t == Token::EOF) break;
      }
      t = in.next();
      s = target;
    }
    return failOrAccept(input, s->configs.get(), t);
  }

  // LexerATNSimulator::accept, but an executor whose actions only set the
  // channel (`-> channel(HIDDEN)`: whitespace and comments) sets it here,
  // instead of through LexerActionExecutor::execute and its casts and copies.
  void accept(antlr4::CharStream* input, const std::shared_ptr<LexerActionExecutor>& executor, size_t startIndex,
              size_t index, size_t line, size_t charPos) override {
    int channel = executor && _recog ? channelSetBy(*executor) : -1;
    if (channel < 0) return LexerATNSimulator::accept(input, executor, startIndex, index, line, charPos);
    input->seek(index);
    _line = line;
    _charPositionInLine = charPos;
    _recog->setChannel(static_cast<size_t>(channel));
  }

 private:
  static constexpr size_t kMaxState = 1 << 14;
  using EdgeTable = std::vector<std::array<DFAState*, MAX_DFA_EDGE + 1>>;

  static EdgeTable& threadEdges() {
    thread_local EdgeTable edges;
    return edges;
  }

  DFAState* knownEdge(DFAState* s, size_t t) const {
    size_t state = static_cast<size_t>(s->stateNumber);  // a negative number wraps past the table
    return t <= MAX_DFA_EDGE && state < edges_.size() ? edges_[state][t] : nullptr;
  }

  EdgeTable& edges_ = threadEdges();  // a lexer runs on the thread that made it

  /// The channel `executor`'s last action sets when all its actions are
  /// channel actions; -1 otherwise. Executors live as long as the DFA.
  static int channelSetBy(const LexerActionExecutor& executor) {
    thread_local std::vector<std::pair<const LexerActionExecutor*, int>> known;
    for (auto [e, channel] : known)
      if (e == &executor) return channel;
    int channel = -1;
    for (const auto& action : executor.getLexerActions()) {
      if (action->getActionType() != antlr4::atn::LexerActionType::CHANNEL) {
        channel = -1;
        break;
      }
      channel = static_cast<const antlr4::atn::LexerChannelAction&>(*action).getChannel();
    }
    known.emplace_back(&executor, channel);
    return channel;
  }
};

/// The parser's simulator, with the DFA edges it has followed remembered in
/// a table of this thread, by state and token type: the runtime's are
/// guarded by the lock the lexer's were. Parser DFA states belong to one
/// decision each, so the table is keyed by the state itself.
class EdgeCachingParserSimulator final : public antlr4::atn::ParserATNSimulator {
 public:
  using ParserATNSimulator::ParserATNSimulator;

 protected:
  DFAState* getExistingTargetState(DFAState* previousD, size_t t) override {
    auto [it, added] = edges_.try_emplace({previousD, t}, nullptr);
    if (!it->second) it->second = ParserATNSimulator::getExistingTargetState(previousD, t);
    return it->second;
  }

 private:
  struct EdgeHash {
    size_t operator()(const std::pair<const DFAState*, size_t>& e) const {
      return std::hash<const void*>()(e.first) * 31 + e.second;
    }
  };
  using EdgeTable = std::unordered_map<std::pair<const DFAState*, size_t>, DFAState*, EdgeHash>;

  static EdgeTable& threadEdges() {
    thread_local EdgeTable edges;
    return edges;
  }

  EdgeTable& edges_ = threadEdges();  // a parser runs on the thread that made it
};

}  // namespace

InputStream::InputStream(llvm::StringRef text) {
  if (!isAscii(text)) {
    load(text.str());
    return;
  }
  _data.resize(text.size());  // then widened in place: assign() went through a temporary
  for (size_t i = 0; i < text.size(); ++i) _data[i] = static_cast<unsigned char>(text[i]);
  p = 0;
}

Lexer::Lexer(InputStream* input) : MeshLexer(input) {
  auto* generated = getInterpreter<LexerATNSimulator>();
  simulator_ = new EdgeCachingSimulator(this, getATN(), generated->_decisionToDFA, generated->getSharedContextCache());
  delete generated;
  _interpreter = simulator_;  // deleted by ~MeshLexer
}

size_t Lexer::getLine() const { return simulator_->getLine(); }

size_t Lexer::getCharPositionInLine() { return simulator_->getCharPositionInLine(); }

// antlr4::Lexer::nextToken, with its mark released by a Marker.
std::unique_ptr<Token> Lexer::nextToken() {
  Marker marker{_input, _input->mark()};
  for (;;) {
    if (hitEOF) {
      emitEOF();
      return std::move(token);
    }
    token.reset();
    channel = Token::DEFAULT_CHANNEL;
    tokenStartCharIndex = _input->index();
    tokenStartCharPositionInLine = simulator_->getCharPositionInLine();
    tokenStartLine = simulator_->getLine();
    _text = "";
    do {
      type = Token::INVALID_TYPE;
      size_t ttype;
      try {
        ttype = simulator_->match(_input, mode);
      } catch (antlr4::LexerNoViableAltException& e) {
        notifyListeners(e);
        recover(e);
        ttype = SKIP;
      }
      if (_input->LA(1) == Token::EOF) hitEOF = true;
      if (type == Token::INVALID_TYPE) type = ttype;
    } while (type == MORE);
    if (type == SKIP) continue;
    if (!token) emit();
    return std::move(token);
  }
}

// antlr4::Lexer::emit through CommonTokenFactory::DEFAULT (which does not
// copy the text), without the factory's calls and its comparison of the
// text with "".
antlr4::Token* Lexer::emit() {
  auto t = std::make_unique<antlr4::CommonToken>(std::pair<antlr4::TokenSource*, antlr4::CharStream*>(this, _input),
                                                 type, channel, tokenStartCharIndex, _input->index() - 1);
  t->setLine(tokenStartLine);
  t->setCharPositionInLine(tokenStartCharPositionInLine);
  if (!_text.empty()) t->setText(_text);
  antlr4::Token* out = t.get();
  token = std::move(t);
  return out;
}

// antlr4::BufferedTokenStream::fetch; a Lexer's default factory makes only
// CommonTokens, which are writable.
size_t TokenStream::fetch(size_t n) {
  if (_fetchedEOF) return 0;
  size_t i = 0;
  while (i < n) {
    std::unique_ptr<Token> t = _tokenSource->nextToken();
    static_cast<antlr4::CommonToken*>(t.get())->setTokenIndex(_tokens.size());
    _tokens.push_back(std::move(t));
    ++i;
    if (_tokens.back()->getType() == Token::EOF) {
      _fetchedEOF = true;
      break;
    }
  }
  return i;
}

Parser::Parser(TokenStream* input) : MeshParser(input) {
  auto* generated = getInterpreter<antlr4::atn::ParserATNSimulator>();
  auto* fast =
      new EdgeCachingParserSimulator(this, getATN(), generated->decisionToDFA, generated->getSharedContextCache());
  fast->setPredictionMode(generated->getPredictionMode());
  delete generated;
  _interpreter = fast;  // deleted by ~MeshParser
}

void TokenStream::fill() {
  CommonTokenStream::fill();
  filled_ = true;  // the last token is EOF, and no token is fetched from here on
}

// CommonTokenStream::nextTokenOnChannel(i, channel), for i below the size.
size_t TokenStream::nextOnChannel(size_t i) const {
  for (Token* t = _tokens[i].get(); t->getChannel() != channel; t = _tokens[++i].get())
    if (t->getType() == Token::EOF) break;
  return i;
}

// CommonTokenStream::LT: LT(1) is the current token; LT(-1), LB(1), the
// one on the channel before it.
Token* TokenStream::LT(ssize_t k) {
  if (!filled_ || k < -1 || k > 1) return CommonTokenStream::LT(k);
  if (k == 1) return _tokens[_p].get();
  if (k == 0 || _p == 0) return nullptr;
  size_t i = _p - 1;
  for (Token* t = _tokens[i].get(); t->getType() != Token::EOF && t->getChannel() != channel && i > 0;)
    t = _tokens[--i].get();
  return _tokens[i].get();
}

// BufferedTokenStream::consume, its index moved by adjustSeekIndex.
void TokenStream::consume() {
  if (!filled_) return CommonTokenStream::consume();
  if (_p + 1 >= _tokens.size()) {
    if (LA(1) == Token::EOF) throw antlr4::IllegalStateException("cannot consume EOF");
    return;
  }
  _p = nextOnChannel(_p + 1);
}

void Parser::addContextToParseTree() {
  // Most contexts get a few children: room for them at once spares the
  // vector's growth from one to two to four.
  _ctx->children.reserve(4);
  if (_ctx->parent == nullptr) return;
  static_cast<ParserRuleContext*>(_ctx->parent)->addChild(_ctx);
}

void Parser::enterOuterAlt(ParserRuleContext* localctx, size_t altNum) {
  localctx->setAltNumber(altNum);
  if (_buildParseTrees && _ctx != localctx && _ctx->parent != nullptr) {
    auto* parent = static_cast<ParserRuleContext*>(_ctx->parent);
    parent->removeLastChild();
    parent->addChild(localctx);
  }
  _ctx = localctx;
}

}  // namespace mesh::syntax
