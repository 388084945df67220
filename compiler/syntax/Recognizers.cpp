// Recognizers: the lexer, token stream and parser overrides (see
// Recognizers.h). Each override follows the ANTLR 4.9 runtime function it
// replaces line for line, but for the lock or the cast it leaves out.
#include "syntax/Recognizers.h"

#include <array>
#include <cstdint>
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

/// The lexer's simulator, with every DFA edge it has followed remembered in
/// a table of this thread (Node), by state number and character. The
/// runtime's table is shared by every lexer and guarded by a lock taken
/// twice per character; its edges, once added, never change, and its states
/// live as long as the program, so a copy stays right. An edge the copy
/// lacks is read (or computed) by the runtime as before.
class EdgeCachingSimulator final : public LexerATNSimulator {
 public:
  using LexerATNSimulator::LexerATNSimulator;

  /// getLine() and getCharPositionInLine(), inline.
  size_t line() const { return _line; }
  size_t column() const { return _charPositionInLine; }

  DFAState* getExistingTargetState(DFAState* s, size_t t) override {
    Node* from = nodeOf(s);
    if (from && t <= MAX_DFA_EDGE && from->next[t]) return from->next[t]->state;
    DFAState* target = LexerATNSimulator::getExistingTargetState(s, t);
    if (target && from && t <= MAX_DFA_EDGE) {
      Node* to = target == ERROR.get() ? &errorNode() : nodeOf(target);
      if (to) from->next[t] = to;
    }
    return target;
  }

  // LexerATNSimulator::match, without the input's mark (ANTLRInputStream's
  // mark and release do nothing) and with the last accept state kept in
  // accept_ (see execATN). The runtime's debugging count of calls is not
  // kept.
  size_t match(antlr4::CharStream* input, size_t mode) override {
    _mode = mode;
    _startIndex = static_cast<InputStream*>(input)->position();
    accept_.state = nullptr;
    const antlr4::dfa::DFA& dfa = _decisionToDFA[mode];
    return dfa.s0 ? execATN(input, dfa.s0) : matchATN(input);
  }

 protected:
  // LexerATNSimulator::execATN, with the copied edges followed in a loop of
  // its own (known), the input (always an InputStream: Lexer's constructor
  // takes one) read directly, and the index, the line, the column and the
  // last accept state in locals: the runtime captures the accept state
  // through captureSimState at every accepting character (most characters
  // of a name); here it is stored once, for failOrAccept. The members are
  // up to date whenever the runtime looks up or computes an edge (a
  // predicate's evaluation reads the input, and saves and restores them).
  size_t execATN(antlr4::CharStream* input, DFAState* ds0) override {
    auto& in = static_cast<InputStream&>(*input);
    Scan scan{ds0, in.position(), _line, _charPositionInLine, {}};  // match() forgot the last accept state
    if (ds0->isAcceptState) scan.last = {ds0, scan.index, scan.line, scan.column};
    size_t t;
    for (;;) {
      DFAState* target = follow(scan, in.codePoints(), t);
      if (!target) {
        store(in, scan);
        target = getExistingTargetState(scan.state, t);
        if (!target) target = computeTargetState(input, scan.state, t);
      }
      if (target == ERROR.get()) break;
      if (t != Token::EOF) scan.consume(t);
      if (target->isAcceptState) {
        scan.last = {target, scan.index, scan.line, scan.column};
        if (t == Token::EOF) break;
      }
      scan.state = target;
    }
    if (const Accept& last = scan.last; last.state) {  // failOrAccept's accept, the index moved back directly
      in.moveTo(last.index);
      accept(input, last.state->lexerActionExecutor, _startIndex, last.index, last.line, last.charPos);
      return last.state->prediction;
    }
    store(in, scan);
    accept_ = scan.last;
    return failOrAccept(input, scan.state->configs.get(), t);
  }

  // LexerATNSimulator::failOrAccept, reading accept_ (the runtime reads
  // _prevAccept, which execATN no longer fills) and passing the accept
  // state's executor on without a copy of its shared pointer.
  size_t failOrAccept(antlr4::CharStream* input, antlr4::atn::ATNConfigSet* reach, size_t t) override {
    if (accept_.state) {
      accept(input, accept_.state->lexerActionExecutor, _startIndex, accept_.index, accept_.line, accept_.charPos);
      return accept_.state->prediction;
    }
    if (t == Token::EOF && static_cast<InputStream*>(input)->position() == _startIndex) return Token::EOF;
    throw antlr4::LexerNoViableAltException(_recog, input, _startIndex, reach);
  }

  // The runtime's captureSimState, into accept_ (matchATN calls it).
  void captureSimState(antlr4::CharStream* input, DFAState* state) override {
    accept_ = {state, input->index(), _line, _charPositionInLine};
  }

  // LexerATNSimulator::accept, but an executor whose actions only set the
  // channel (`-> channel(HIDDEN)`: whitespace and comments) sets it here,
  // instead of through LexerActionExecutor::execute and its casts and copies;
  // the seek is always backwards (or nowhere), which ANTLRInputStream::seek
  // does by setting the index.
  void accept(antlr4::CharStream* input, const std::shared_ptr<LexerActionExecutor>& executor, size_t startIndex,
              size_t index, size_t line, size_t charPos) override {
    int channel = executor && _recog ? channelSetBy(*executor) : executor ? -1 : 0;
    if (channel < 0) return LexerATNSimulator::accept(input, executor, startIndex, index, line, charPos);
    static_cast<InputStream*>(input)->seekTo(index);
    _line = line;
    _charPositionInLine = charPos;
    if (executor) _recog->setChannel(static_cast<size_t>(channel));
  }

 private:
  /// The runtime's SimState (whose members a subclass cannot reach).
  struct Accept {
    DFAState* state = nullptr;
    size_t index = 0, line = 0, charPos = 0;
  };

  /// Where execATN is: its DFA state, the input's index, line and column
  /// (LexerATNSimulator::consume's), and the last accept state passed.
  struct Scan {
    DFAState* state;
    size_t index, line, column;
    Accept last;

    void consume(size_t t) {
      if (t == '\n') {
        ++line;
        column = 0;
      } else {
        ++column;
      }
      ++index;
    }
  };

  /// A DFA state as the loop in follow() reads it: whether it accepts, and
  /// its copied edges by character, to the targets' nodes (errorNode() for
  /// the runtime's ERROR).
  struct Node {
    DFAState* state;
    bool accepts;
    std::array<Node*, MAX_DFA_EDGE + 1> next{};
  };

  static constexpr size_t kMaxState = 1 << 14;
  using Nodes = std::vector<std::unique_ptr<Node>>;  // by state number

  /// Follows the copied edges from scan's state as long as there are some:
  /// returns the first target it does not move to, with its character in
  /// `t` (ERROR, or null for an edge the copy lacks, which may be EOF's).
  DFAState* follow(Scan& scan, const std::u32string& text, size_t& t) {
    Node* node = nodeOf(scan.state);
    if (!node) {
      t = scan.index < text.size() ? static_cast<size_t>(text[scan.index]) : Token::EOF;
      return nullptr;
    }
    Scan at = scan;  // in registers
    const Node* const error = error_;
    const char32_t* const chars = text.data();
    const size_t size = text.size();
    Node* to;
    for (;;) {
      t = at.index < size ? static_cast<size_t>(chars[at.index]) : Token::EOF;
      to = t <= MAX_DFA_EDGE ? node->next[t] : nullptr;
      if (!to || to == error) break;
      at.consume(t);
      if (to->accepts) at.last = {to->state, at.index, at.line, at.column};
      node = to;
    }
    at.state = node->state;
    scan = at;
    return to ? to->state : nullptr;
  }

  /// The node of `s` in this thread's copy (made on first use); null for a
  /// state without a number in the table's range.
  Node* nodeOf(DFAState* s) {
    auto state = static_cast<size_t>(s->stateNumber);  // a negative number wraps past the range
    return state < nodes_.size() && nodes_[state] ? nodes_[state].get() : newNode(s);
  }

  [[gnu::noinline]] Node* newNode(DFAState* s) {
    auto state = static_cast<size_t>(s->stateNumber);
    if (state >= kMaxState) return nullptr;
    if (state >= nodes_.size()) nodes_.resize(state + 1);
    nodes_[state] = std::make_unique<Node>(Node{s, s->isAcceptState});
    return nodes_[state].get();
  }

  static Node& errorNode() {
    static Node error{ERROR.get(), false};
    return error;
  }

  /// The input's index and the line and column where scan is.
  void store(InputStream& in, const Scan& scan) {
    in.moveTo(scan.index);
    _line = scan.line;
    _charPositionInLine = scan.column;
  }

  static Nodes& threadNodes() {
    thread_local Nodes nodes;
    return nodes;
  }

  Nodes& nodes_ = threadNodes();  // a lexer runs on the thread that made it
  Node* const error_ = &errorNode();
  Accept accept_;

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
/// a table of this thread, by decision, state and token type: the runtime's
/// are guarded by the lock the lexer's were. adaptivePredict follows the
/// known edges itself and falls back on the runtime for anything else.
class EdgeCachingParserSimulator final : public antlr4::atn::ParserATNSimulator {
 public:
  EdgeCachingParserSimulator(antlr4::Parser* parser, TokenStream* stream, const antlr4::atn::ATN& atn,
                             std::vector<antlr4::dfa::DFA>& decisionToDFA,
                             antlr4::atn::PredictionContextCache& sharedContextCache)
      : ParserATNSimulator(parser, atn, decisionToDFA, sharedContextCache),
        stream_(stream),
        width_(atn.maxTokenType + 2) {}

  // ParserATNSimulator::adaptivePredict when the prediction only follows
  // edges the DFA already has to an accept state (where the runtime's
  // execATN returns): the same walk, on the token
  // stream's vector rather than through its seek, consume and LA, without
  // the runtime's std::function and merge-cache clearing per prediction.
  // Predicates at the accept state are evaluated as the runtime does.
  // Anything else (an edge not computed yet, an error, a full-context
  // state, an accept state whose predicates leave no alternative or
  // several) is the runtime's, from the start.
  size_t adaptivePredict(antlr4::TokenStream* input, size_t decision, ParserRuleContext* outerContext) override {
    if (input == stream_ && stream_->isFilled()) {
      _input = input;
      _startIndex = stream_->current();
      _outerContext = outerContext;
      if (size_t alt = predictFromKnownEdges(decision, outerContext ? outerContext : &ParserRuleContext::EMPTY))
        return alt;
    }
    return ParserATNSimulator::adaptivePredict(input, decision, outerContext);
  }

 protected:
  DFAState* getExistingTargetState(DFAState* previousD, size_t t) override {
    if (!_dfa) return ParserATNSimulator::getExistingTargetState(previousD, t);
    return edge(_dfa->decision, previousD, t);
  }

 private:
  /// The alternative the DFA's known edges predict from the current token;
  /// 0 (no alternative) when the runtime has to decide.
  size_t predictFromKnownEdges(size_t decision, ParserRuleContext* outerContext) {
    antlr4::dfa::DFA& dfa = decisionToDFA[decision];
    DFAState* d = dfa.isPrecedenceDfa() ? precedenceStart(dfa) : dfa.s0;
    if (!d) return 0;
    size_t i = stream_->current();
    for (;;) {
      size_t t = stream_->typeAt(i);
      d = edge(decision, d, t);
      if (!d || d == ERROR.get()) return 0;
      if (d->requiresFullContext && getPredictionMode() != antlr4::atn::PredictionMode::SLL) return 0;
      if (d->isAcceptState) return d->predicates.empty() ? d->prediction : predictedBy(*d, outerContext);
      if (t != Token::EOF) i = stream_->nextOnChannel(i + 1);
    }
  }

  /// The runtime's choice at an accept state with predicates (the
  /// operators of `expr`, by precedence), when it is the one alternative
  /// whose predicate holds (evalSemanticContext, complete); 0 when none
  /// holds or several do (an error, or an ambiguity to report).
  size_t predictedBy(const DFAState& d, ParserRuleContext* outerContext) {
    size_t alt = 0;
    for (const DFAState::PredPrediction* p : d.predicates) {
      if (p->pred != antlr4::atn::SemanticContext::NONE &&
          !evalSemanticContext(p->pred, outerContext, static_cast<size_t>(p->alt), false))
        continue;
      if (alt && alt != static_cast<size_t>(p->alt)) return 0;
      alt = static_cast<size_t>(p->alt);
    }
    return alt;
  }

  /// DFA::getPrecedenceStartState for the parser's precedence, remembered
  /// once found (a start state, once set, stays).
  DFAState* precedenceStart(antlr4::dfa::DFA& dfa) {
    int precedence = parser->getPrecedence();
    auto& known = starts_[{&dfa, precedence}];
    if (!known) known = dfa.getPrecedenceStartState(precedence);
    return known;
  }

  /// The target of `from` on `t` in the copy, or read from the runtime's
  /// DFA (under its lock) and copied when it is there.
  DFAState* edge(size_t decision, DFAState* from, size_t t) {
    bool kept = from->stateNumber >= 0 && t + 1 < width_;  // EOF (-1) at 0
    size_t at = kept ? static_cast<size_t>(from->stateNumber) * width_ + (t + 1) : SIZE_MAX;
    std::vector<DFAState*>& row = decisionEdges(decision);
    if (at < row.size() && row[at]) return row[at];
    DFAState* target = ParserATNSimulator::getExistingTargetState(from, t);
    if (target && kept) {
      if (at >= row.size()) row.resize((at / width_ + 1) * width_, nullptr);
      row[at] = target;
    }
    return target;
  }

  std::vector<DFAState*>& decisionEdges(size_t decision) {
    if (decision >= edges_.size()) edges_.resize(decision + 1);
    return edges_[decision];
  }

  struct StartHash {
    size_t operator()(const std::pair<const antlr4::dfa::DFA*, int>& k) const {
      return std::hash<const void*>()(k.first) * 31 + static_cast<size_t>(k.second);
    }
  };
  using EdgeTable = std::vector<std::vector<DFAState*>>;  // by decision: by state, then token type + 1
  using StartTable = std::unordered_map<std::pair<const antlr4::dfa::DFA*, int>, DFAState*, StartHash>;

  static EdgeTable& threadEdges() {
    thread_local EdgeTable edges;
    return edges;
  }
  static StartTable& threadStarts() {
    thread_local StartTable starts;
    return starts;
  }

  TokenStream* stream_;
  size_t width_;
  EdgeTable& edges_ = threadEdges();  // a parser runs on the thread that made it
  StartTable& starts_ = threadStarts();
};

}  // namespace

InputStream::InputStream(llvm::StringRef text) {
  if (!isAscii(text)) {
    load(text.str());
    return;
  }
  // Made from the bytes (ASCII: each is its code point), then moved in:
  // assign() goes through a temporary, and resize() fills with zeros first.
  _data = std::u32string(text.bytes_begin(), text.bytes_end());
  p = 0;
  ascii_ = text;
  isAscii_ = true;
}

// The runtime's bounds, then the bytes (utf32_to_utf8 of ASCII code points).
std::string InputStream::getText(const antlr4::misc::Interval& interval) {
  if (!isAscii_) return ANTLRInputStream::getText(interval);
  if (interval.a < 0 || interval.b < 0) return "";
  auto start = static_cast<size_t>(interval.a), stop = static_cast<size_t>(interval.b);
  if (stop >= _data.size()) stop = _data.size() - 1;
  if (start >= _data.size()) return "";
  return ascii_.substr(start, stop - start + 1).str();  // substr clamps the count, as u32string's does
}

Lexer::Lexer(InputStream* input) : MeshLexer(input), input_(input) {
  auto* generated = getInterpreter<LexerATNSimulator>();
  simulator_ = new EdgeCachingSimulator(this, getATN(), generated->_decisionToDFA, generated->getSharedContextCache());
  delete generated;
  _interpreter = simulator_;  // deleted by ~MeshLexer
}

size_t Lexer::getLine() const { return simulator_->getLine(); }

size_t Lexer::getCharPositionInLine() { return simulator_->getCharPositionInLine(); }

// antlr4::Lexer::emit through CommonTokenFactory::DEFAULT (which does not
// copy the text), but a LexedToken in the lexer's arena rather than a
// CommonToken on the heap, without the factory's calls and its comparison
// of the text with "". nextToken makes its tokens through lexed(), inlined
// (GCC keeps it a call otherwise: 17 instructions a token).
[[gnu::always_inline]] inline LexedToken* Lexer::lexed() {
  LexedToken* t = arena_.make(this, _input, type, channel, tokenStartCharIndex, input_->position() - 1, tokenStartLine,
                              tokenStartCharPositionInLine);
  if (!_text.empty()) t->setText(_text);
  token.reset(t);
  return t;
}

antlr4::Token* Lexer::emit() { return lexed(); }

Lexer::~Lexer() { token.reset(); }  // before the arena it may live in

// antlr4::Lexer::nextToken, without the input's mark (ANTLRInputStream's
// mark and release do nothing) and with the simulator's match, line and
// column and the input's index and LA(1) called directly.
std::unique_ptr<Token> Lexer::nextToken() {
  auto& simulator = static_cast<EdgeCachingSimulator&>(*simulator_);
  for (;;) {
    if (hitEOF) {
      emitEOF();
      return std::move(token);
    }
    token.reset();
    channel = Token::DEFAULT_CHANNEL;
    tokenStartCharIndex = input_->position();
    tokenStartCharPositionInLine = simulator.column();
    tokenStartLine = simulator.line();
    _text.clear();
    do {
      type = Token::INVALID_TYPE;
      size_t ttype;
      try {
        ttype = simulator.match(_input, mode);
      } catch (antlr4::LexerNoViableAltException& e) {
        notifyListeners(e);
        recover(e);
        ttype = SKIP;
      }
      if (input_->next() == Token::EOF) hitEOF = true;
      if (type == Token::INVALID_TYPE) type = ttype;
    } while (type == MORE);
    if (type == SKIP) continue;
    if (!token) lexed();
    return std::move(token);
  }
}

// antlr4::BufferedTokenStream::fetch; a Lexer makes only LexedTokens and
// (at the end, through its default factory) CommonTokens, which are writable.
size_t TokenStream::fetch(size_t n) {
  if (_fetchedEOF) return 0;
  size_t i = 0;
  while (i < n) {
    std::unique_ptr<Token> t = _tokenSource->nextToken();
    static_cast<antlr4::WritableToken*>(t.get())->setTokenIndex(_tokens.size());
    _tokens.push_back(std::move(t));
    ++i;
    if (_tokens.back()->getType() == Token::EOF) {
      _fetchedEOF = true;
      break;
    }
  }
  return i;
}

Parser::Parser(TokenStream* input) : MeshParser(input), stream_(input) {
  auto* generated = getInterpreter<antlr4::atn::ParserATNSimulator>();
  auto* fast = new EdgeCachingParserSimulator(this, input, getATN(), generated->decisionToDFA,
                                              generated->getSharedContextCache());
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
// one on the channel before it: the token the last consume() stepped from
// when the stream is still where that step left it (the tokens it stepped
// over are off the channel, and the one it stepped from is on it, or the
// first), else found by going back.
Token* TokenStream::LT(ssize_t k) {
  if (k == 1 && filled_) return _tokens[_p].get();
  if (!filled_ || k < -1 || k > 1) return CommonTokenStream::LT(k);
  if (k == 0 || _p == 0) return nullptr;
  if (consumed_.to == _p) return _tokens[consumed_.from].get();
  size_t i = _p - 1;
  for (Token* t = _tokens[i].get(); t->getType() != Token::EOF && t->getChannel() != channel && i > 0;)
    t = _tokens[--i].get();
  return _tokens[i].get();
}

// BufferedTokenStream::LA: LT(i)'s type.
size_t TokenStream::LA(ssize_t i) {
  if (i == 1 && filled_) return _tokens[_p]->getType();
  return CommonTokenStream::LA(i);
}

// BufferedTokenStream::consume, its index moved by adjustSeekIndex.
void TokenStream::consume() {
  if (!filled_) return CommonTokenStream::consume();
  if (_p + 1 >= _tokens.size()) {
    if (LA(1) == Token::EOF) throw antlr4::IllegalStateException("cannot consume EOF");
    return;
  }
  size_t from = _p;
  _p = nextOnChannel(_p + 1);
  consumed_ = {from, _p};
}

void Parser::addContextToParseTree() {
  // Most contexts get a few children: room for them at once spares the
  // vector's growth from one to two to four.
  _ctx->children.reserve(4);
  if (_ctx->parent == nullptr) return;
  static_cast<ParserRuleContext*>(_ctx->parent)->addChild(_ctx);
}

// antlr4::Parser::enterRule, with the current token and the context's
// addition to its parent reached without virtual calls.
void Parser::enterRule(ParserRuleContext* localctx, size_t state, size_t) {
  setState(state);
  _ctx = localctx;
  TokenStream* tokens = stream();
  _ctx->start = tokens ? tokens->next() : _input->LT(1);
  if (_buildParseTrees) addContextToParseTree();
  if (!_parseListeners.empty()) triggerEnterRuleEvent();
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

// antlr4::Parser::match, with the current token read and consume() called
// without virtual calls.
Token* Parser::match(size_t ttype) {
  TokenStream* tokens = stream();
  Token* t = tokens ? tokens->next() : _input->LT(1);
  if (t->getType() == ttype) {
    if (ttype == Token::EOF) _matchedEOF = true;
    _errHandler->reportMatch(this);
    consume();
    return t;
  }
  t = _errHandler->recoverInline(this);
  if (_buildParseTrees && t->getTokenIndex() == INVALID_INDEX) _ctx->addChild(createErrorNode(t));
  return t;
}

// antlr4::Parser::consume, with the terminal node from MeshParser's arena
// (the runtime's createTerminalNode allocates it on the heap).
Token* Parser::consume() {
  TokenStream* tokens = stream();
  Token* o = tokens ? tokens->next() : _input->LT(1);
  if (o->getType() != Token::EOF) tokens ? tokens->consume() : _input->consume();
  if (!_buildParseTrees && _parseListeners.empty()) return o;
  if (_errHandler->inErrorRecoveryMode(this)) {
    antlr4::tree::ErrorNode* node = createErrorNode(o);
    _ctx->addChild(node);
    for (auto* listener : _parseListeners) listener->visitErrorNode(node);
  } else {
    antlr4::tree::TerminalNode* node = _ctx->addChild(_tracker.createInstance<antlr4::tree::TerminalNodeImpl>(o));
    for (auto* listener : _parseListeners) listener->visitTerminal(node);
  }
  return o;
}

// antlr4::Parser::reset, and the arena's nodes with the runtime's.
void Parser::reset() {
  MeshParser::reset();
  _tracker.reset();
}

}  // namespace mesh::syntax
