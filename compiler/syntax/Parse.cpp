// Parse: ANTLR wiring, syntax error reporting in the project's words, and the
// parse-tree-to-AST builder. The ANTLR parse tree never leaves this file.
#include "syntax/Parse.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

#include "MeshLexer.h"
#include "MeshParser.h"
#include "antlr4-runtime.h"

namespace mesh::syntax {
namespace {

using mesh::grammar::MeshLexer;
using mesh::grammar::MeshParser;
using antlr4::ParserRuleContext;
using antlr4::Token;

struct TooManyErrors {};
constexpr size_t kNoIndex = static_cast<size_t>(-1);

// Maps ANTLR's code point indexes to byte offsets of the file. ANTLR's input
// stream drops a byte order mark at the start: its code point 0 is the byte
// after it.
class OffsetMap {
 public:
  explicit OffsetMap(llvm::StringRef text) {
    bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; });
    if (ascii) {
      size_ = text.size();
      return;
    }
    for (size_t i = byteOrderMarkLength(text); i < text.size(); ++i)
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) table_.push_back(i);
    size_ = text.size();
  }
  uint32_t byteOf(size_t codePoint) const {
    if (table_.empty()) return std::min(codePoint, size_);
    return codePoint < table_.size() ? table_[codePoint] : size_;
  }

 private:
  std::vector<uint32_t> table_;
  size_t size_ = 0;
};

// Everything one file's parse needs to report problems.
struct Session {
  const SourceManager& sm;
  uint32_t file;
  DiagnosticEngine& diags;
  OffsetMap offsets;
  antlr4::CommonTokenStream* tokens = nullptr;
  int syntaxErrors = 0;

  SourceRange rangeOf(const Token* t) const {
    if (!t) return {};
    if (t->getType() == Token::EOF) {
      uint32_t end = sm.text(file).size();
      return {file, end, end};
    }
    size_t start = t->getStartIndex(), stop = t->getStopIndex();
    if (start == kNoIndex || stop == kNoIndex) return {};
    return {file, offsets.byteOf(start), offsets.byteOf(stop + 1)};
  }

  SourceRange rangeOf(ParserRuleContext* ctx) const {
    if (!ctx || !ctx->getStart()) return {};
    SourceRange begin = rangeOf(ctx->getStart());
    const Token* stop = ctx->getStop();
    if (!stop || stop->getTokenIndex() == kNoIndex ||
        stop->getTokenIndex() < ctx->getStart()->getTokenIndex())
      return begin;
    return SourceRange::cover(begin, rangeOf(stop));
  }

  std::vector<uint32_t> errorOffsets;  // where syntax errors were reported, in order

  // Byte ranges where a lexical error already explains what follows (an
  // unterminated string swallows the rest of its line, `;` included).
  std::vector<std::pair<uint32_t, uint32_t>> quiet;

  size_t lastErrorToken = 0;
  bool anyError = false;

  // Indexes (ascending) of the malformed numbers reportLexicalErrors turned
  // into "<missing ...>" INT tokens: the builder treats them as missing.
  std::vector<size_t> missingNumbers{};
  bool isMissingNumber(const Token* t) const {
    return !missingNumbers.empty() &&
           std::binary_search(missingNumbers.begin(), missingNumbers.end(), t->getTokenIndex());
  }

  /// The text of a token the lexer made: the bytes of the file it covers,
  /// which is what Token::getText() rebuilds from ANTLR's code points, without
  /// the conversion. Tokens whose text was replaced keep theirs.
  std::string textOf(const Token* t) const {
    size_t start = t->getStartIndex(), stop = t->getStopIndex();
    if (t->getType() == Token::EOF || t->getTokenIndex() == kNoIndex || start == kNoIndex || stop == kNoIndex ||
        stop < start || isMissingNumber(t))
      return t->getText();
    uint32_t begin = offsets.byteOf(start), end = offsets.byteOf(stop + 1);
    return sm.text(file).slice(begin, end).str();
  }

  /// `token` is the index of the offending token: an error within two tokens
  /// of the previous one is the parser's recovery talking, not a new mistake.
  void syntaxError(SourceRange at, std::string message, size_t token = kNoIndex) {
    errorOffsets.push_back(at.begin);
    for (auto [begin, end] : quiet)
      if (at.begin >= begin && at.begin <= end) return;
    if (token != kNoIndex) {
      bool nearPrevious = anyError && token >= lastErrorToken && token <= lastErrorToken + 2;
      lastErrorToken = token;
      anyError = true;
      if (nearPrevious) return;
    }
    if (++syntaxErrors > kMaxSyntaxErrorsPerFile) {
      diags.report(DiagKind::E0007, at, "too many syntax errors in this file; giving up on it");
      throw TooManyErrors{};
    }
    diags.report(DiagKind::E0007, at, std::move(message));
  }
};

bool isKeywordToken(const antlr4::dfa::Vocabulary& vocab, size_t type) {
  std::string lit = vocab.getLiteralName(type);
  return lit.size() > 2 && std::isalpha(static_cast<unsigned char>(lit[1]));
}

std::string tokenDisplay(const Token* t) {
  if (!t || t->getType() == Token::EOF) return "end of file";
  std::string text = t->getText();
  if (text.size() > 24) text = text.substr(0, 21) + "...";
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return "'" + text + "'";
}

const char* ruleNoun(size_t rule) {
  switch (rule) {
    case MeshParser::RuleFile: return "file";
    case MeshParser::RulePackageDecl: return "package declaration";
    case MeshParser::RuleImportDecl: return "import";
    case MeshParser::RuleDecl:
    case MeshParser::RuleDeclBody: return "declaration";
    case MeshParser::RuleEnumDecl: return "enum";
    case MeshParser::RuleEnumMember: return "enum member";
    case MeshParser::RuleTypeDecl: return "type declaration";
    case MeshParser::RuleRecordDecl:
    case MeshParser::RuleRecordItem: return "record";
    case MeshParser::RuleFieldDecl: return "field declaration";
    case MeshParser::RuleCheckDecl: return "check";
    case MeshParser::RuleTypeExpr:
    case MeshParser::RuleBaseType: return "type";
    case MeshParser::RuleAnnotation:
    case MeshParser::RuleAnnotationArg: return "annotation";
    case MeshParser::RuleTagDecl:
    case MeshParser::RuleTagParam: return "tag declaration";
    case MeshParser::RuleRoleDecl: return "role declaration";
    case MeshParser::RuleDomainDecl: return "domain";
    case MeshParser::RuleDomainItem: return "domain setting";
    case MeshParser::RuleProductDecl:
    case MeshParser::RuleProductItem: return "product setting";
    case MeshParser::RuleTopicItem: return "topic setting";
    case MeshParser::RuleSlaItem: return "SLA setting";
    case MeshParser::RuleQualityItem: return "quality rule";
    case MeshParser::RuleCompareOp: return "comparison";
    case MeshParser::RuleAccessItem: return "access rule";
    case MeshParser::RuleRoleList: return "role list";
    case MeshParser::RuleMaskMethod: return "masking method";
    case MeshParser::RuleFieldPath: return "field path";
    case MeshParser::RulePolicyDecl:
    case MeshParser::RulePolicyItem: return "policy rule";
    case MeshParser::RuleBinder: return "policy binder";
    case MeshParser::RuleRequireStmt: return "require";
    case MeshParser::RuleWaiverDecl: return "waiver";
    case MeshParser::RuleExpr:
    case MeshParser::RulePrimary:
    case MeshParser::RuleExprList:
    case MeshParser::RuleLiteral: return "expression";
    case MeshParser::RuleQualifiedName:
    case MeshParser::RuleIdent: return "name";
  }
  return "declaration";
}

// What a block of keyword-led items may contain, named for the user.
const char* blockChoices(size_t rule) {
  switch (rule) {
    case MeshParser::RuleProductDecl:
    case MeshParser::RuleProductItem:
      return "a product setting (domain, version, schema, topic, sla, quality, access, retention, "
             "compatibility, upstream)";
  }
  switch (rule) {
    case MeshParser::RuleTopicItem: return "a topic setting (key, partitions, replication, format)";
    case MeshParser::RuleSlaItem: return "an SLA setting (freshness, availability, throughput, latency)";
    case MeshParser::RuleQualityItem: return "a quality rule (unique, null_rate, volume, valid_rate)";
    case MeshParser::RuleAccessItem: return "an access rule (readers, writers, mask)";
    case MeshParser::RulePolicyDecl:
    case MeshParser::RulePolicyItem: return "a policy rule (severity, for)";
    case MeshParser::RuleDecl:
    case MeshParser::RuleDeclBody:
    case MeshParser::RuleFile:
      return "a declaration (enum, type, record, tag, role, domain, product, policy, waive)";
  }
  return nullptr;
}

class MeshErrorStrategy : public antlr4::DefaultErrorStrategy {
  using IntervalSet = antlr4::misc::IntervalSet;

 public:
  explicit MeshErrorStrategy(Session& s) : s_(s) {}

 protected:
  // Deleting a terminator to make the next tokens fit ("value > ; c: string")
  // turns one missing operand into several errors: keep terminators, and let
  // the rule fail and resynchronise at them instead.
  antlr4::Token* singleTokenDeletion(antlr4::Parser* p) override {
    size_t la = p->getTokenStream()->LA(1);
    const auto& vocab = p->getVocabulary();
    if (la == MeshParser::RBRACE || la == MeshParser::RPAREN || la == MeshParser::RBRACK ||
        vocab.getLiteralName(la) == "';'")
      return nullptr;
    return DefaultErrorStrategy::singleTokenDeletion(p);
  }

  // In keyword-led blocks (product settings, topic, sla, quality, access,
  // policies, top-level declarations), skip an unknown item up to the next
  // item the block accepts, instead of abandoning the whole block: one typo
  // then makes one message and the rest of the block is still checked.
  void sync(antlr4::Parser* p) override {
    if (inErrorRecoveryMode(p)) return;
    size_t rule = p->getContext()->getRuleIndex();
    bool keywordBlock = rule == MeshParser::RuleFile || rule == MeshParser::RuleProductDecl ||
                        rule == MeshParser::RuleProductItem || rule == MeshParser::RulePolicyDecl;
    if (!keywordBlock) return DefaultErrorStrategy::sync(p);
    const antlr4::atn::ATN& atn = p->getATN();
    antlr4::atn::ATNState* state = atn.states[p->getState()];
    auto type = state->getStateType();
    bool loop = type == antlr4::atn::ATNState::STAR_LOOP_ENTRY || type == antlr4::atn::ATNState::STAR_LOOP_BACK ||
                type == antlr4::atn::ATNState::PLUS_LOOP_BACK || type == antlr4::atn::ATNState::BLOCK_START ||
                type == antlr4::atn::ATNState::STAR_BLOCK_START || type == antlr4::atn::ATNState::PLUS_BLOCK_START;
    if (!loop) return DefaultErrorStrategy::sync(p);
    IntervalSet next = atn.nextTokens(state);
    size_t la = p->getTokenStream()->LA(1);
    if (next.contains(la) || next.contains(antlr4::Token::EPSILON) || la == antlr4::Token::EOF) return;
    reportExpected(p, p->getCurrentToken(), next, rule);
    beginErrorCondition(p);
    while (true) {
      size_t t = p->getTokenStream()->LA(1);
      if (t == antlr4::Token::EOF || next.contains(t)) break;
      p->consume();
    }
  }

  void reportNoViableAlternative(antlr4::Parser* p, const antlr4::NoViableAltException& e) override {
    report(p, e.getOffendingToken(), e.getExpectedTokens());
  }
  void reportInputMismatch(antlr4::Parser* p, const antlr4::InputMismatchException& e) override {
    report(p, e.getOffendingToken(), e.getExpectedTokens());
  }
  void reportFailedPredicate(antlr4::Parser* p, const antlr4::FailedPredicateException& e) override {
    report(p, e.getOffendingToken(), getExpectedTokens(p));
  }
  void reportUnwantedToken(antlr4::Parser* p) override {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    Token* t = p->getCurrentToken();
    IntervalSet expecting = getExpectedTokens(p);
    std::string what = describe(p, expecting, p->getContext()->getRuleIndex());
    s_.syntaxError(s_.rangeOf(t), fmt::format("unexpected {}; expected {}", tokenDisplay(t), what), t->getTokenIndex());
  }
  void reportMissingToken(antlr4::Parser* p) override {
    if (inErrorRecoveryMode(p)) return;
    beginErrorCondition(p);
    Token* t = p->getCurrentToken();
    IntervalSet expecting = getExpectedTokens(p);
    reportExpected(p, t, expecting, p->getContext()->getRuleIndex());
  }

 private:

  void report(antlr4::Parser* p, Token* t, const IntervalSet& expecting) {
    size_t rule = p->getContext() ? p->getContext()->getRuleIndex() : size_t(MeshParser::RuleFile);
    reportExpected(p, t, expecting, rule);
  }

  // "expected ';' after field declaration" at the end of the previous token
  // when a terminator is missing; "expected X, found Y" at Y otherwise.
  void reportExpected(antlr4::Parser* p, Token* t, const IntervalSet& expecting, size_t rule) {
    const auto& vocab = p->getVocabulary();
    std::string what = describe(p, expecting, rule);
    Token* prevToken = p->getTokenStream()->LT(-1);
    bool newLine = t && prevToken && t->getLine() > prevToken->getLine();
    bool semicolonExpected = expecting.contains(static_cast<size_t>(tokenType("';'", vocab)));
    if (semicolonExpected && newLine) {
      SourceRange pr = s_.rangeOf(prevToken);
      s_.syntaxError({pr.file, pr.end, pr.end}, fmt::format("expected ';' after {}", ruleNoun(rule)),
                     t->getTokenIndex());
      return;
    }
    bool terminator = expecting.size() == 1 &&
                      (expecting.contains(static_cast<size_t>(tokenType("';'", vocab))) || expecting.contains(static_cast<size_t>(MeshParser::RBRACE)) ||
                       expecting.contains(static_cast<size_t>(MeshParser::RPAREN)) || expecting.contains(static_cast<size_t>(MeshParser::RBRACK)) ||
                       expecting.contains(static_cast<size_t>(tokenType("'>'", vocab))));
    if (terminator) {
      Token* prev = p->getTokenStream()->LT(-1);
      SourceRange at = s_.rangeOf(t);
      if (prev && prev->getType() != Token::EOF) {
        SourceRange pr = s_.rangeOf(prev);
        at = {pr.file, pr.end, pr.end};
      }
      const char* noun = ruleNoun(rule);
      std::string msg = expecting.contains(static_cast<size_t>(tokenType("';'", vocab)))
                            ? fmt::format("expected {} after {}", what, noun)
                            : fmt::format("expected {} to close the {}", what, noun);
      s_.syntaxError(at, msg, t ? t->getTokenIndex() : kNoIndex);
      return;
    }
    std::string msg = fmt::format("expected {}, found {}", what, tokenDisplay(t));
    if (t && t->getType() == MeshParser::IDENT) {
      std::vector<std::string> keywords;
      for (ssize_t type : expecting.toList())
        if (isKeywordToken(vocab, type)) {
          std::string lit = vocab.getLiteralName(type);
          keywords.push_back(lit.substr(1, lit.size() - 2));
        }
      if (auto guess = closestMatch(t->getText(), keywords)) msg += fmt::format("; did you mean '{}'?", *guess);
    }
    s_.syntaxError(s_.rangeOf(t), msg, t ? t->getTokenIndex() : kNoIndex);
  }

  static size_t tokenType(const std::string& literal, const antlr4::dfa::Vocabulary& vocab) {
    for (size_t i = 1; i <= vocab.getMaxTokenType(); ++i)
      if (vocab.getLiteralName(i) == literal) return i;
    return Token::INVALID_TYPE;
  }

  std::string describe(antlr4::Parser* p, const IntervalSet& expecting, size_t rule) {
    const auto& vocab = p->getVocabulary();
    std::vector<ssize_t> types = expecting.toList();
    bool ident = expecting.contains(static_cast<size_t>(MeshParser::IDENT));
    bool expression = ident && expecting.contains(static_cast<size_t>(MeshParser::INT)) && expecting.contains(static_cast<size_t>(MeshParser::LPAREN));
    size_t keywordCount = 0;
    for (ssize_t t : types)
      if (isKeywordToken(vocab, t)) ++keywordCount;
    std::vector<std::string> parts;
    if (expression) {
      parts.push_back("an expression");
    } else if (ident) {
      parts.push_back(rule == MeshParser::RuleTypeExpr || rule == MeshParser::RuleBaseType ? "a type" : "a name");
    } else if (keywordCount > 3 && blockChoices(rule)) {
      parts.push_back(blockChoices(rule));
    }
    bool summarized = !parts.empty();
    for (ssize_t t : types) {
      if (t == static_cast<ssize_t>(Token::EOF)) {
        if (!summarized) parts.push_back("end of file");
        continue;
      }
      if (summarized && (isKeywordToken(vocab, t) || t == MeshParser::IDENT)) continue;
      if (expression && (t == MeshParser::INT || t == MeshParser::FLOAT || t == MeshParser::STRING ||
                         t == MeshParser::RAW_STRING || t == MeshParser::DURATION || t == MeshParser::PERCENT ||
                         t == MeshParser::RATE || t == MeshParser::DATE || t == MeshParser::LPAREN ||
                         t == MeshParser::LBRACK || vocab.getLiteralName(t) == "'!'" ||
                         vocab.getLiteralName(t) == "'-'"))
        continue;
      std::string lit = vocab.getLiteralName(t);
      if (!lit.empty()) {
        parts.push_back(lit);
      } else {
        switch (t) {
          case MeshParser::STRING: parts.push_back("a string"); break;
          case MeshParser::INT: parts.push_back("an integer"); break;
          case MeshParser::DURATION: parts.push_back("a duration (like 5m)"); break;
          case MeshParser::PERCENT: parts.push_back("a percentage (like 99.9%)"); break;
          case MeshParser::RATE: parts.push_back("a rate (like 1000/s)"); break;
          case MeshParser::DATE: parts.push_back("a date (like 2027-03-31)"); break;
          case MeshParser::FLOAT: parts.push_back("a number"); break;
          default: parts.push_back(vocab.getDisplayName(t)); break;
        }
      }
    }
    if (parts.empty()) return "something else";
    if (parts.size() > 6) {
      parts.resize(6);
      parts.push_back("...");
    }
    std::string out;
    for (size_t i = 0; i < parts.size(); ++i) {
      if (i) out += i + 1 == parts.size() ? " or " : ", ";
      out += parts[i];
    }
    return out;
  }

  Session& s_;
};

class SilentLexerListener : public antlr4::BaseErrorListener {
 public:
  explicit SilentLexerListener(Session& s) : s_(s) {}
  void syntaxError(antlr4::Recognizer*, Token*, size_t line, size_t col, const std::string&,
                   std::exception_ptr) override {
    // The lexer has a catch-all token, so this only fires on internal surprises.
    s_.diags.report(DiagKind::E0001, SourceRange{s_.file, 0, 0},
                    fmt::format("cannot read a token at line {} column {}", line, col + 1));
  }

 private:
  Session& s_;
};

// ------------------------------------------------------------ literal decoding

bool parseUnsigned(llvm::StringRef text, uint64_t& out) {
  std::string digits;
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text = text.drop_front(2);
  }
  for (char c : text)
    if (c != '_') digits += c;
  if (digits.empty()) return false;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out, base);
  return ec == std::errc() && ptr == digits.data() + digits.size();
}

bool realDate(int y, int m, int d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int max = days[m - 1];
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m == 2 && leap) max = 29;
  return d <= max;
}

// ------------------------------------------------------------ the AST builder

class Builder {
 public:
  explicit Builder(Session& s) : s_(s) {}

  ast::File build(MeshParser::FileContext* ctx) {
    ast::File file;
    file.fileId = s_.file;
    if (!ctx) return file;
    if (auto* p = ctx->packageDecl()) {
      auto name = qname(p->qualifiedName());
      if (name) file.package = std::move(*name);
    } else if (!hadSyntaxError()) {
      SourceRange at = ctx->getStart() ? s_.rangeOf(ctx->getStart()) : SourceRange{s_.file, 0, 0};
      s_.diags.report(DiagKind::E0009, at, "file does not start with a package declaration")
          .note("every .mesh file begins with `package NAME;`, for example `package sales.orders;`");
    }
    for (auto* i : ctx->importDecl()) {
      auto name = qname(i->qualifiedName());
      if (!name) continue;
      ast::Import imp{std::move(*name), std::nullopt, s_.rangeOf(i)};
      if (i->alias) {
        auto a = ident(i->alias);
        if (!a) continue;
        imp.alias = std::move(*a);
      }
      file.imports.push_back(std::move(imp));
    }
    for (auto* d : ctx->decl()) {
      if (auto decl = buildDecl(d)) file.decls.push_back(std::move(*decl));
    }
    return file;
  }

 private:
  bool hadSyntaxError() const { return s_.syntaxErrors > 0; }

  // Error recovery's made-up tokens are never in the token stream (no
  // index); malformed numbers are lexed tokens marked as missing.
  bool conjured(const Token* t) const { return !t || t->getTokenIndex() == kNoIndex || s_.isMissingNumber(t); }

  std::optional<ast::Ident> ident(MeshParser::IdentContext* ctx) {
    if (!ctx || !ctx->getStart() || ctx->children.empty()) return std::nullopt;
    Token* t = ctx->getStart();
    if (conjured(t) || ctx->exception) return std::nullopt;
    return ast::Ident{s_.textOf(t), s_.rangeOf(t)};
  }

  std::optional<ast::QualifiedName> qname(MeshParser::QualifiedNameContext* ctx) {
    if (!ctx) return std::nullopt;
    ast::QualifiedName q;
    for (auto* i : ctx->ident()) {
      auto id = ident(i);
      if (!id) return std::nullopt;
      q.parts.push_back(std::move(*id));
    }
    if (q.parts.empty()) return std::nullopt;
    q.range = SourceRange::cover(q.parts.front().range, q.parts.back().range);
    return q;
  }

  ast::Doc docFor(ParserRuleContext* ctx) {
    ast::Doc doc;
    if (!ctx || !ctx->getStart() || conjured(ctx->getStart())) return doc;
    size_t index = ctx->getStart()->getTokenIndex();
    std::vector<Token*> hidden = s_.tokens->getHiddenTokensToLeft(index, 2);
    if (hidden.empty()) return doc;
    // Only the run of `///` lines directly above the declaration counts.
    size_t line = ctx->getStart()->getLine();
    std::vector<Token*> run;
    for (auto it = hidden.rbegin(); it != hidden.rend(); ++it) {
      if ((*it)->getLine() + 1 + run.size() != line) break;
      run.push_back(*it);
    }
    if (run.empty()) return doc;
    std::reverse(run.begin(), run.end());
    for (Token* t : run) {
      std::string raw = t->getText();
      llvm::StringRef text(raw);
      text = text.drop_front(3);
      if (text.startswith(" ")) text = text.drop_front(1);
      if (!doc.text.empty()) doc.text += '\n';
      doc.text += text.rtrim().str();
    }
    doc.range = SourceRange::cover(s_.rangeOf(run.front()), s_.rangeOf(run.back()));
    return doc;
  }

  // ---- strings and numbers

  std::optional<std::string> stringValue(Token* t, bool* hadError = nullptr) {
    if (!t || conjured(t)) return std::nullopt;
    std::string text = t->getText();
    SourceRange range = s_.rangeOf(t);
    if (t->getType() == MeshParser::RAW_STRING) return text.substr(2, text.size() - 3);
    if (t->getType() != MeshParser::STRING) return std::nullopt;
    std::string out;
    size_t end = text.size() - 1;
    for (size_t i = 1; i < end; ++i) {
      char c = text[i];
      if (c != '\\') {
        out += c;
        continue;
      }
      size_t escStart = i;
      char e = i + 1 < end ? text[++i] : '\0';
      auto escRange = [&](size_t last) {
        return SourceRange{s_.file, range.begin + static_cast<uint32_t>(escStart),
                           range.begin + static_cast<uint32_t>(last + 1)};
      };
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'u': {
          size_t close = text.find('}', i);
          bool ok = i + 1 < end && text[i + 1] == '{' && close != std::string::npos && close < end;
          uint32_t cp = 0;
          if (ok) {
            std::string hex = text.substr(i + 2, close - i - 2);
            ok = !hex.empty() && hex.size() <= 6 &&
                 std::all_of(hex.begin(), hex.end(), [](char h) { return std::isxdigit(static_cast<unsigned char>(h)); });
            if (ok) cp = std::stoul(hex, nullptr, 16);
            ok = ok && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
          }
          if (!ok) {
            s_.diags.report(DiagKind::E0004, escRange(close != std::string::npos && close < end ? close : i),
                            "invalid unicode escape; write \\u{HEX} with 1 to 6 hex digits naming a code point");
            if (hadError) *hadError = true;
            if (close != std::string::npos && close < end) i = close;
            break;
          }
          i = close;
          if (cp < 0x80) {
            out += static_cast<char>(cp);
          } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
          }
          break;
        }
        default: {
          // Keep the whole (possibly multi-byte) character in the range.
          size_t last = i;
          while (last + 1 < end && (static_cast<unsigned char>(text[last + 1]) & 0xC0) == 0x80) ++last;
          if (hadError) *hadError = true;
          s_.diags.report(DiagKind::E0004, escRange(last),
                          fmt::format("unknown escape sequence '{}'", text.substr(escStart, last - escStart + 1)))
              .note("the escapes are \\\" \\\\ \\n \\t \\r and \\u{HEX}; for regular expressions use a raw "
                    "string r\"...\"");
          i = last;
          break;
        }
      }
    }
    return out;
  }

  std::optional<ast::Located<std::string>> located(Token* t) {
    auto v = stringValue(t);
    if (!v) return std::nullopt;
    return ast::Located<std::string>{std::move(*v), s_.rangeOf(t)};
  }

  std::optional<ast::Located<int64_t>> intValue(antlr4::tree::TerminalNode* node) {
    if (!node || conjured(node->getSymbol())) return std::nullopt;
    uint64_t v = 0;
    if (!parseUnsigned(node->getText(), v) || v > static_cast<uint64_t>(INT64_MAX)) {
      s_.diags.report(DiagKind::E0006, s_.rangeOf(node->getSymbol()), "integer literal is too large");
      return std::nullopt;
    }
    return ast::Located<int64_t>{static_cast<int64_t>(v), s_.rangeOf(node->getSymbol())};
  }

  std::optional<ast::Located<int64_t>> durationValue(antlr4::tree::TerminalNode* node) {
    if (!node || conjured(node->getSymbol())) return std::nullopt;
    std::string raw = node->getText();
    llvm::StringRef text(raw);
    size_t unitAt = text.find_first_not_of("0123456789_");
    llvm::StringRef unit = text.substr(unitAt);
    uint64_t n = 0;
    int64_t scale = unit == "ms" ? 1000 : unit == "s" ? 1000000 : unit == "m" ? 60000000LL
                  : unit == "h" ? 3600000000LL : 86400000000LL;
    if (!parseUnsigned(text.substr(0, unitAt), n) || n > static_cast<uint64_t>(INT64_MAX / scale)) {
      s_.diags.report(DiagKind::E0006, s_.rangeOf(node->getSymbol()), "duration is too long");
      return std::nullopt;
    }
    return ast::Located<int64_t>{static_cast<int64_t>(n) * scale, s_.rangeOf(node->getSymbol())};
  }

  std::optional<ast::Located<double>> percentValue(antlr4::tree::TerminalNode* node) {
    if (!node || conjured(node->getSymbol())) return std::nullopt;
    std::string text;
    for (char c : node->getText())
      if (c != '_' && c != '%') text += c;
    return ast::Located<double>{std::strtod(text.c_str(), nullptr), s_.rangeOf(node->getSymbol())};
  }

  std::optional<ast::Located<double>> rateValue(antlr4::tree::TerminalNode* node) {
    if (!node || conjured(node->getSymbol())) return std::nullopt;
    std::string raw = node->getText();
    llvm::StringRef text(raw);
    auto [count, unit] = text.split('/');
    uint64_t n = 0;
    if (!parseUnsigned(count, n)) {
      s_.diags.report(DiagKind::E0006, s_.rangeOf(node->getSymbol()), "rate is too large");
      return std::nullopt;
    }
    double per = unit == "s" ? 1 : unit == "min" ? 60 : 3600;
    return ast::Located<double>{static_cast<double>(n) / per, s_.rangeOf(node->getSymbol())};
  }

  std::optional<ast::Located<ast::Date>> dateValue(antlr4::tree::TerminalNode* node) {
    if (!node || conjured(node->getSymbol())) return std::nullopt;
    std::string text = node->getText();
    ast::Date d{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2))};
    if (!realDate(d.year, d.month, d.day)) {
      s_.diags.report(DiagKind::E0006, s_.rangeOf(node->getSymbol()), fmt::format("'{}' is not a real date", text));
      return std::nullopt;
    }
    return ast::Located<ast::Date>{d, s_.rangeOf(node->getSymbol())};
  }

  // ---- declarations

  std::vector<ast::Annotation> annotations(const std::vector<MeshParser::AnnotationContext*>& list) {
    std::vector<ast::Annotation> out;
    for (auto* a : list) {
      auto name = qname(a->qualifiedName());
      if (!name) continue;
      ast::Annotation ann{std::move(*name), {}, a->LPAREN() != nullptr, s_.rangeOf(a)};
      for (auto* arg : a->annotationArg()) {
        ast::AnnotationArg aa;
        if (arg->name) {
          aa.name = ident(arg->name);
          if (!aa.name) continue;
        }
        aa.value = expr(arg->expr());
        ann.args.push_back(std::move(aa));
      }
      out.push_back(std::move(ann));
    }
    return out;
  }

  std::optional<ast::Decl> buildDecl(MeshParser::DeclContext* ctx) {
    auto* body = ctx->declBody();
    if (!body) return std::nullopt;
    ast::Decl decl{};
    decl.doc = docFor(ctx);
    decl.annotations = annotations(ctx->annotation());
    decl.range = s_.rangeOf(ctx);
    std::optional<ast::Ident> name;
    if (auto* e = body->enumDecl()) {
      name = ident(e->name);
      ast::EnumDecl en;
      for (auto* m : e->enumMember()) {
        auto mn = ident(m->name);
        if (!mn) continue;
        en.members.push_back({std::move(*mn), docFor(m), annotations(m->annotation())});
      }
      decl.body = std::move(en);
    } else if (auto* t = body->typeDecl()) {
      name = ident(t->name);
      ast::TypeDecl td;
      td.type = typeExpr(t->typeExpr());
      td.fieldAnnotations = annotations(t->annotation());
      if (t->expr()) td.constraint = expr(t->expr());
      decl.body = std::move(td);
    } else if (auto* r = body->recordDecl()) {
      name = ident(r->name);
      ast::RecordDecl rd;
      for (auto* item : r->recordItem()) {
        if (auto* f = item->fieldDecl()) {
          auto fn = ident(f->name);
          if (!fn) continue;
          ast::FieldDecl fd;
          fd.name = std::move(*fn);
          fd.doc = docFor(f);
          fd.type = typeExpr(f->typeExpr());
          fd.annotations = annotations(f->annotation());
          if (f->defaultValue) fd.defaultValue = expr(f->defaultValue);
          if (f->constraint) fd.constraint = expr(f->constraint);
          fd.range = s_.rangeOf(f);
          rd.fields.push_back(std::move(fd));
        } else if (auto* c = item->checkDecl()) {
          auto cn = ident(c->name);
          if (!cn) continue;
          rd.checks.push_back({std::move(*cn), docFor(c), expr(c->expr()), s_.rangeOf(c)});
        }
      }
      decl.body = std::move(rd);
    } else if (auto* t = body->tagDecl()) {
      name = ident(t->name);
      ast::TagDecl td;
      td.hasParens = t->LPAREN() != nullptr;
      for (auto* p : t->tagParam()) {
        auto pn = ident(p->name);
        if (!pn) continue;
        td.params.push_back({std::move(*pn), typeExpr(p->typeExpr())});
      }
      decl.body = std::move(td);
    } else if (auto* r = body->roleDecl()) {
      name = ident(r->name);
      ast::RoleDecl rd;
      if (r->description) rd.description = stringValue(r->description);
      decl.body = std::move(rd);
    } else if (auto* d = body->domainDecl()) {
      name = ident(d->name);
      ast::DomainDecl dd;
      for (auto* item : d->domainItem()) {
        auto key = ident(item->key);
        auto value = located(item->value);
        if (!key || !value) continue;
        dd.items.push_back({std::move(*key), std::move(value->value), value->range});
      }
      decl.body = std::move(dd);
    } else if (auto* p = body->productDecl()) {
      name = ident(p->name);
      decl.body = product(p);
    } else if (auto* p = body->policyDecl()) {
      name = ident(p->name);
      decl.body = policy(p);
    } else if (auto* w = body->waiverDecl()) {
      auto policyName = qname(w->policy);
      auto productName = qname(w->product);
      auto until = dateValue(w->DATE());
      auto reason = located(w->reason);
      if (!policyName || !productName || !until || !reason) return std::nullopt;
      name = ast::Ident{"waive " + policyName->str() + " for " + productName->str(), s_.rangeOf(w)};
      decl.body = ast::WaiverDecl{std::move(*policyName), std::move(*productName), *until, std::move(*reason)};
    }
    if (!name) return std::nullopt;
    decl.name = std::move(*name);
    auto first = std::lower_bound(s_.errorOffsets.begin(), s_.errorOffsets.end(), decl.range.begin);
    decl.hasSyntaxErrors = first != s_.errorOffsets.end() && *first <= decl.range.end;
    if (decl.hasSyntaxErrors) decl.firstSyntaxError = *first;
    return decl;
  }

  ast::TypeExpr typeExpr(MeshParser::TypeExprContext* ctx) {
    ast::TypeExpr t;
    t.kind = ast::TypeExpr::Kind::Named;  // an empty name marks a type that failed to parse
    if (!ctx) return t;
    t.range = s_.rangeOf(ctx);
    t.optional = ctx->optional != nullptr;
    auto* base = ctx->baseType();
    if (auto* l = dynamic_cast<MeshParser::ListTypeContext*>(base)) {
      t.kind = ast::TypeExpr::Kind::List;
      t.element = std::make_unique<ast::TypeExpr>(typeExpr(l->typeExpr()));
    } else if (auto* m = dynamic_cast<MeshParser::MapTypeContext*>(base)) {
      t.kind = ast::TypeExpr::Kind::Map;
      t.key = std::make_unique<ast::TypeExpr>(typeExpr(m->typeExpr(0)));
      t.element = std::make_unique<ast::TypeExpr>(typeExpr(m->typeExpr(1)));
    } else if (auto* d = dynamic_cast<MeshParser::DecimalTypeContext*>(base)) {
      t.kind = ast::TypeExpr::Kind::Decimal;
      auto p = intValue(d->INT(0));
      auto s = intValue(d->INT(1));
      t.precision = p ? static_cast<int>(std::min<int64_t>(p->value, 1000000)) : -1;
      t.scale = s ? static_cast<int>(std::min<int64_t>(s->value, 1000000)) : -1;
      if (!p || !s) t.kind = ast::TypeExpr::Kind::Named;  // error type
    } else if (auto* n = dynamic_cast<MeshParser::NamedTypeContext*>(base)) {
      if (auto q = qname(n->qualifiedName())) t.name = std::move(*q);
    }
    return t;
  }

  std::optional<ast::FieldPath> fieldPath(MeshParser::FieldPathContext* ctx) {
    if (!ctx) return std::nullopt;
    ast::FieldPath path;
    path.range = s_.rangeOf(ctx);
    // Children alternate ident, '.', '[', ']': walk them in order.
    for (auto* child : ctx->children) {
      if (auto* id = dynamic_cast<MeshParser::IdentContext*>(child)) {
        auto i = ident(id);
        if (!i) return std::nullopt;
        path.segments.push_back({std::move(*i), false});
      } else if (auto* term = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
        if (term->getSymbol()->getType() == MeshParser::RBRACK && !path.segments.empty())
          path.segments.back().element = true;
      }
    }
    if (path.segments.empty()) return std::nullopt;
    return path;
  }

  std::vector<ast::QualifiedName> roleList(MeshParser::RoleListContext* ctx) {
    std::vector<ast::QualifiedName> out;
    if (!ctx) return out;
    for (auto* q : ctx->qualifiedName())
      if (auto n = qname(q)) out.push_back(std::move(*n));
    return out;
  }

  template <typename T>
  bool once(std::optional<T>& slot, const char* what, ParserRuleContext* ctx, SourceRange first) {
    if (!slot) return true;
    s_.diags.report(DiagKind::E0010, s_.rangeOf(ctx), fmt::format("'{}' is given twice", what))
        .note("first given here", first);
    return false;
  }

  static ast::CompareOp compareOp(MeshParser::CompareOpContext* ctx) {
    std::string op = ctx ? ctx->getText() : ">=";
    if (op == "<") return ast::CompareOp::Lt;
    if (op == "<=") return ast::CompareOp::Le;
    if (op == ">") return ast::CompareOp::Gt;
    if (op == "==") return ast::CompareOp::Eq;
    if (op == "!=") return ast::CompareOp::Ne;
    return ast::CompareOp::Ge;
  }

  ast::ProductDecl product(MeshParser::ProductDeclContext* ctx) {
    ast::ProductDecl p;
    for (auto* item : ctx->productItem()) {
      SourceRange range = s_.rangeOf(item);
      if (auto* d = dynamic_cast<MeshParser::ProductDomainContext*>(item)) {
        if (!once(p.domain, "domain", item, p.domain ? p.domain->range : range)) continue;
        p.domain = qname(d->qualifiedName());
      } else if (auto* v = dynamic_cast<MeshParser::ProductVersionContext*>(item)) {
        if (!once(p.version, "version", item, p.version ? p.version->range : range)) continue;
        if (v->STRING()) p.version = located(v->STRING()->getSymbol());
      } else if (auto* s = dynamic_cast<MeshParser::ProductSchemaContext*>(item)) {
        if (!once(p.schema, "schema", item, p.schema ? p.schema->range : range)) continue;
        p.schema = qname(s->qualifiedName());
      } else if (auto* t = dynamic_cast<MeshParser::ProductTopicContext*>(item)) {
        if (!once(p.topic, "topic", item, p.topic ? p.topic->range : range)) continue;
        auto name = t->STRING() ? located(t->STRING()->getSymbol()) : std::nullopt;
        if (!name) continue;
        ast::Topic topic;
        topic.name = std::move(*name);
        topic.range = range;
        for (auto* ti : t->topicItem()) {
          if (auto* k = dynamic_cast<MeshParser::TopicKeyContext*>(ti)) {
            if (once(topic.key, "key", ti, topic.key ? topic.key->range : range)) topic.key = fieldPath(k->fieldPath());
          } else if (auto* pa = dynamic_cast<MeshParser::TopicPartitionsContext*>(ti)) {
            if (once(topic.partitions, "partitions", ti, topic.partitions ? topic.partitions->range : range))
              topic.partitions = intValue(pa->INT());
          } else if (auto* re = dynamic_cast<MeshParser::TopicReplicationContext*>(ti)) {
            if (once(topic.replication, "replication", ti, topic.replication ? topic.replication->range : range))
              topic.replication = intValue(re->INT());
          } else if (auto* f = dynamic_cast<MeshParser::TopicFormatContext*>(ti)) {
            if (once(topic.format, "format", ti, topic.format ? topic.format->range : range))
              topic.format = ident(f->ident());
          }
        }
        p.topic = std::move(topic);
      } else if (auto* s = dynamic_cast<MeshParser::ProductSlaContext*>(item)) {
        if (!once(p.sla, "sla", item, p.sla ? p.sla->range : range)) continue;
        ast::Sla sla;
        sla.range = range;
        for (auto* si : s->slaItem()) {
          if (auto* f = dynamic_cast<MeshParser::SlaFreshnessContext*>(si)) {
            if (once(sla.freshnessMicros, "freshness", si, sla.freshnessMicros ? sla.freshnessMicros->range : range))
              sla.freshnessMicros = durationValue(f->DURATION());
          } else if (auto* a = dynamic_cast<MeshParser::SlaAvailabilityContext*>(si)) {
            if (once(sla.availabilityPercent, "availability", si,
                     sla.availabilityPercent ? sla.availabilityPercent->range : range))
              sla.availabilityPercent = percentValue(a->PERCENT());
          } else if (auto* t = dynamic_cast<MeshParser::SlaThroughputContext*>(si)) {
            if (once(sla.throughputPerSecond, "throughput", si,
                     sla.throughputPerSecond ? sla.throughputPerSecond->range : range)) {
              sla.throughputPerSecond = rateValue(t->RATE());
              if (t->RATE()) sla.throughputText = t->RATE()->getText();
            }
          } else if (auto* l = dynamic_cast<MeshParser::SlaLatencyContext*>(si)) {
            if (once(sla.latencyMicros, "latency", si, sla.latencyMicros ? sla.latencyMicros->range : range)) {
              sla.latencyPercentile = ident(l->percentile);
              sla.latencyMicros = durationValue(l->DURATION());
            }
          }
        }
        p.sla = std::move(sla);
      } else if (auto* q = dynamic_cast<MeshParser::ProductQualityContext*>(item)) {
        if (!once(p.quality, "quality", item, p.qualityRange)) continue;
        p.qualityRange = range;
        std::vector<ast::QualityRule> rules;
        for (auto* qi : q->qualityItem()) {
          ast::QualityRule rule{};
          rule.range = s_.rangeOf(qi);
          if (auto* u = dynamic_cast<MeshParser::QualityUniqueContext*>(qi)) {
            rule.kind = ast::QualityRule::Kind::Unique;
            rule.field = fieldPath(u->fieldPath());
            auto w = durationValue(u->DURATION());
            if (!rule.field || !w) continue;
            rule.windowMicros = w->value;
            rule.windowRange = w->range;
          } else if (auto* n = dynamic_cast<MeshParser::QualityNullRateContext*>(qi)) {
            rule.kind = ast::QualityRule::Kind::NullRate;
            rule.field = fieldPath(n->fieldPath());
            rule.op = compareOp(n->compareOp());
            auto pct = percentValue(n->PERCENT());
            if (!rule.field || !pct) continue;
            rule.threshold = pct->value;
            rule.thresholdRange = pct->range;
          } else if (auto* v = dynamic_cast<MeshParser::QualityVolumeContext*>(qi)) {
            rule.kind = ast::QualityRule::Kind::Volume;
            rule.op = compareOp(v->compareOp());
            auto count = intValue(v->INT());
            auto w = durationValue(v->DURATION());
            if (!count || !w) continue;
            rule.threshold = static_cast<double>(count->value);
            rule.thresholdRange = count->range;
            rule.windowMicros = w->value;
            rule.windowRange = w->range;
          } else if (auto* vr = dynamic_cast<MeshParser::QualityValidRateContext*>(qi)) {
            rule.kind = ast::QualityRule::Kind::ValidRate;
            rule.op = compareOp(vr->compareOp());
            auto pct = percentValue(vr->PERCENT());
            if (!pct) continue;
            rule.threshold = pct->value;
            rule.thresholdRange = pct->range;
          } else {
            continue;
          }
          rules.push_back(std::move(rule));
        }
        p.quality = std::move(rules);
      } else if (auto* a = dynamic_cast<MeshParser::ProductAccessContext*>(item)) {
        if (!once(p.access, "access", item, p.access ? p.access->range : range)) continue;
        ast::Access access;
        access.range = range;
        for (auto* ai : a->accessItem()) {
          SourceRange ar = s_.rangeOf(ai);
          if (auto* r = dynamic_cast<MeshParser::AccessReadersContext*>(ai)) {
            if (!once(access.readers, "readers", ai, access.readersRange)) continue;
            access.readers = roleList(r->roleList());
            access.readersRange = ar;
          } else if (auto* w = dynamic_cast<MeshParser::AccessWritersContext*>(ai)) {
            if (!once(access.writers, "writers", ai, access.writersRange)) continue;
            access.writers = roleList(w->roleList());
            access.writersRange = ar;
          } else if (auto* m = dynamic_cast<MeshParser::AccessMaskContext*>(ai)) {
            auto path = fieldPath(m->fieldPath());
            auto* method = m->maskMethod();
            auto methodName = method ? ident(method->name) : std::nullopt;
            if (!path || !methodName) continue;
            ast::Mask mask{std::move(*path), roleList(m->roleList()), std::move(*methodName), std::nullopt, ar};
            if (method->INT()) mask.argument = intValue(method->INT());
            access.masks.push_back(std::move(mask));
          }
        }
        p.access = std::move(access);
      } else if (auto* r = dynamic_cast<MeshParser::ProductRetentionContext*>(item)) {
        if (!once(p.retentionMicros, "retention", item, p.retentionMicros ? p.retentionMicros->range : range))
          continue;
        p.retentionMicros = durationValue(r->DURATION());
      } else if (auto* c = dynamic_cast<MeshParser::ProductCompatibilityContext*>(item)) {
        if (!once(p.compatibility, "compatibility", item, p.compatibility ? p.compatibility->range : range))
          continue;
        p.compatibility = ident(c->ident());
      } else if (auto* u = dynamic_cast<MeshParser::ProductUpstreamContext*>(item)) {
        if (!once(p.upstream, "upstream", item, p.upstreamRange)) continue;
        std::vector<ast::QualifiedName> ups;
        for (auto* q : u->qualifiedName())
          if (auto n = qname(q)) ups.push_back(std::move(*n));
        p.upstream = std::move(ups);
        p.upstreamRange = range;
      }
    }
    return p;
  }

  ast::PolicyDecl policy(MeshParser::PolicyDeclContext* ctx) {
    ast::PolicyDecl p;
    for (auto* item : ctx->policyItem()) {
      if (auto* s = dynamic_cast<MeshParser::PolicySeverityContext*>(item)) {
        if (once(p.severity, "severity", item, p.severity ? p.severity->range : s_.rangeOf(item)))
          p.severity = ident(s->level);
      } else if (auto* f = dynamic_cast<MeshParser::PolicyForContext*>(item)) {
        ast::ForRule rule;
        rule.range = s_.rangeOf(f);
        bool ok = true;
        for (auto* b : f->binder()) {
          auto kind = ident(b->kind);
          auto name = ident(b->name);
          if (!kind || !name) {
            ok = false;
            continue;
          }
          rule.binders.push_back({std::move(*kind), std::move(*name), b->source ? expr(b->source) : nullptr,
                                  s_.rangeOf(b)});
        }
        if (!ok || rule.binders.empty()) continue;
        if (f->filter) rule.filter = expr(f->filter);
        for (auto* r : f->requireStmt()) {
          ast::Require req{expr(r->expr()), std::nullopt, s_.rangeOf(r)};
          if (r->STRING()) req.message = located(r->STRING()->getSymbol());
          rule.requires_.push_back(std::move(req));
        }
        p.rules.push_back(std::move(rule));
      }
    }
    return p;
  }

  // ---- expressions

  ast::ExprPtr errorExpr(SourceRange range) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = ast::ExprKind::Null;  // placeholder; `name` marks it as an error
    e->name = "<error>";
    e->range = range;
    return e;
  }

  ast::ExprPtr make(ast::ExprKind kind, SourceRange range) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = kind;
    e->range = range;
    return e;
  }

  ast::ExprPtr expr(MeshParser::ExprContext* ctx, int depth = 0) {
    if (!ctx) return nullptr;
    SourceRange range = s_.rangeOf(ctx);
    if (depth > kMaxExprDepth) {
      if (!depthReported_) {
        depthReported_ = true;
        s_.diags.report(DiagKind::E0008, range,
                        fmt::format("expression nested more than {} levels deep", kMaxExprDepth));
      }
      return errorExpr(range);
    }
    if (ctx->exception) return errorExpr(range);
    if (auto* p = dynamic_cast<MeshParser::PrimaryExprContext*>(ctx)) return primary(p->primary(), depth);
    if (auto* m = dynamic_cast<MeshParser::MemberExprContext*>(ctx)) {
      auto member = ident(m->member);
      if (!member) return errorExpr(range);
      auto e = make(ast::ExprKind::Member, range);
      e->name = member->name;
      e->nameRange = member->range;
      e->args.push_back(expr(m->expr(), depth + 1));
      if (m->LPAREN()) {
        e->isCall = true;
        if (auto* list = m->exprList())
          for (auto* a : list->expr()) e->args.push_back(expr(a, depth + 1));
      }
      return checkChildren(std::move(e));
    }
    if (auto* u = dynamic_cast<MeshParser::UnaryExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::Unary, range);
      e->unaryOp = u->op && u->op->getText() == "-" ? ast::UnaryOp::Neg : ast::UnaryOp::Not;
      e->nameRange = s_.rangeOf(u->op);
      e->args.push_back(expr(u->expr(), depth + 1));
      return checkChildren(std::move(e));
    }
    if (auto* b = dynamic_cast<MeshParser::BinaryExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::Binary, range);
      std::string op = b->op ? b->op->getText() : "";
      static const std::pair<const char*, ast::BinaryOp> ops[] = {
          {"||", ast::BinaryOp::Or}, {"&&", ast::BinaryOp::And}, {"==", ast::BinaryOp::Eq},
          {"!=", ast::BinaryOp::Ne}, {"<", ast::BinaryOp::Lt},   {"<=", ast::BinaryOp::Le},
          {">", ast::BinaryOp::Gt},  {">=", ast::BinaryOp::Ge},  {"+", ast::BinaryOp::Add},
          {"-", ast::BinaryOp::Sub}, {"*", ast::BinaryOp::Mul},  {"/", ast::BinaryOp::Div},
          {"%", ast::BinaryOp::Mod}};
      bool found = false;
      for (auto& [text, value] : ops)
        if (op == text) {
          e->binaryOp = value;
          found = true;
        }
      if (!found) return errorExpr(range);
      e->nameRange = s_.rangeOf(b->op);
      e->args.push_back(expr(b->expr(0), depth + 1));
      e->args.push_back(expr(b->expr(1), depth + 1));
      return checkChildren(std::move(e));
    }
    if (auto* i = dynamic_cast<MeshParser::InExprContext*>(ctx)) {
      auto e = make(ast::ExprKind::In, range);
      e->negated = i->negated != nullptr;
      e->args.push_back(expr(i->expr(0), depth + 1));
      e->args.push_back(expr(i->expr(1), depth + 1));
      return checkChildren(std::move(e));
    }
    return errorExpr(range);
  }

  // A node with a missing operand (after a syntax error) becomes an error node.
  ast::ExprPtr checkChildren(ast::ExprPtr e) {
    for (auto& a : e->args)
      if (!a) return errorExpr(e->range);
    return e;
  }

  ast::ExprPtr primary(MeshParser::PrimaryContext* ctx, int depth) {
    if (!ctx) return nullptr;
    SourceRange range = s_.rangeOf(ctx);
    if (ctx->exception) return errorExpr(range);
    if (auto* l = dynamic_cast<MeshParser::LiteralPrimaryContext*>(ctx)) return literal(l->literal());
    if (auto* q = dynamic_cast<MeshParser::QuantifierPrimaryContext*>(ctx)) {
      auto kind = ident(q->quantifier);
      auto var = ident(q->var);
      if (!kind || !var) return errorExpr(range);
      auto e = make(ast::ExprKind::Quantifier, range);
      e->name = kind->name;
      e->nameRange = kind->range;
      e->var = var->name;
      e->varRange = var->range;
      e->args.push_back(expr(q->expr(0), depth + 1));
      e->args.push_back(expr(q->expr(1), depth + 1));
      return checkChildren(std::move(e));
    }
    if (auto* c = dynamic_cast<MeshParser::CallPrimaryContext*>(ctx)) {
      auto callee = ident(c->callee);
      if (!callee) return errorExpr(range);
      auto e = make(ast::ExprKind::Call, range);
      e->name = callee->name;
      e->nameRange = callee->range;
      if (auto* list = c->exprList())
        for (auto* a : list->expr()) e->args.push_back(expr(a, depth + 1));
      return checkChildren(std::move(e));
    }
    if (auto* n = dynamic_cast<MeshParser::NamePrimaryContext*>(ctx)) {
      auto id = ident(n->ident());
      if (!id) return errorExpr(range);
      auto e = make(ast::ExprKind::Name, range);
      e->name = id->name;
      e->nameRange = id->range;
      return e;
    }
    if (auto* p = dynamic_cast<MeshParser::ParenPrimaryContext*>(ctx)) {
      auto inner = expr(p->expr(), depth + 1);
      if (!inner) return errorExpr(range);
      inner->range = range;  // carets cover the parentheses
      return inner;
    }
    if (auto* l = dynamic_cast<MeshParser::ListPrimaryContext*>(ctx)) {
      auto e = make(ast::ExprKind::List, range);
      if (auto* list = l->exprList())
        for (auto* a : list->expr()) e->args.push_back(expr(a, depth + 1));
      return checkChildren(std::move(e));
    }
    return errorExpr(range);
  }

  ast::ExprPtr literal(MeshParser::LiteralContext* ctx) {
    if (!ctx || !ctx->getStart() || conjured(ctx->getStart())) return errorExpr(s_.rangeOf(ctx));
    Token* t = ctx->getStart();
    SourceRange range = s_.rangeOf(t);
    auto* node = dynamic_cast<antlr4::tree::TerminalNode*>(ctx->children.empty() ? nullptr : ctx->children[0]);
    switch (t->getType()) {
      case MeshParser::INT: {
        auto e = make(ast::ExprKind::Int, range);
        e->name = t->getText();
        if (!parseUnsigned(t->getText(), e->intValue)) {
          s_.diags.report(DiagKind::E0006, range, "integer literal does not fit in 64 bits");
          return errorExpr(range);
        }
        return e;
      }
      case MeshParser::FLOAT: {
        auto e = make(ast::ExprKind::Float, range);
        std::string text;
        for (char c : t->getText())
          if (c != '_') text += c;
        e->name = t->getText();
        e->floatValue = std::strtod(text.c_str(), nullptr);
        if (!std::isfinite(e->floatValue)) {
          s_.diags.report(DiagKind::E0006, range, "number is too large for a 64-bit float");
          return errorExpr(range);
        }
        return e;
      }
      case MeshParser::STRING:
      case MeshParser::RAW_STRING: {
        bool badEscape = false;
        auto v = stringValue(t, &badEscape);
        if (!v || badEscape) return errorExpr(range);  // already reported: do not check the value
        auto e = make(ast::ExprKind::String, range);
        e->stringValue = std::move(*v);
        return e;
      }
      case MeshParser::DURATION: {
        auto v = durationValue(node);
        if (!v) return errorExpr(range);
        auto e = make(ast::ExprKind::Duration, range);
        e->micros = v->value;
        e->name = t->getText();
        return e;
      }
      case MeshParser::PERCENT: {
        auto v = percentValue(node);
        if (!v) return errorExpr(range);
        auto e = make(ast::ExprKind::Percent, range);
        e->floatValue = v->value;
        e->name = t->getText();
        return e;
      }
      case MeshParser::RATE: {
        auto v = rateValue(node);
        if (!v) return errorExpr(range);
        auto e = make(ast::ExprKind::Rate, range);
        e->floatValue = v->value;
        e->name = t->getText();
        return e;
      }
      case MeshParser::DATE: {
        auto v = dateValue(node);
        if (!v) return errorExpr(range);
        auto e = make(ast::ExprKind::Date, range);
        e->date = v->value;
        e->name = t->getText();
        return e;
      }
      default: break;
    }
    std::string text = t->getText();
    if (text == "true" || text == "false") {
      auto e = make(ast::ExprKind::Bool, range);
      e->boolValue = text == "true";
      return e;
    }
    if (text == "null") return make(ast::ExprKind::Null, range);
    return errorExpr(range);
  }

  Session& s_;
  bool depthReported_ = false;
};

// Lexical problems are lexed into dedicated tokens; report them and turn the
// tokens into what the parser should see, so one mistake makes one message.
void reportLexicalErrors(Session& s, antlr4::CommonTokenStream& tokens, const std::vector<uint32_t>& invalidUtf8) {
  std::set<uint32_t> badBytes(invalidUtf8.begin(), invalidUtf8.end());
  for (uint32_t offset : invalidUtf8)
    s.diags.report(DiagKind::E0005, {s.file, offset, offset + 3}, "invalid UTF-8 byte sequence")
        .note("source files must be UTF-8; the bytes are shown as U+FFFD");
  int reported = 0;
  for (Token* t : tokens.getTokens()) {
    switch (t->getType()) {
      case MeshParser::ERROR_CHAR:
      case MeshParser::UNTERMINATED_STRING:
      case MeshParser::UNTERMINATED_RAW:
      case MeshParser::BLOCK_COMMENT:
      case MeshParser::BAD_NUMBER: break;
      default: continue;  // most tokens: no cast (it costs a string compare per token)
    }
    auto* w = dynamic_cast<antlr4::WritableToken*>(t);
    if (!w) continue;
    SourceRange range = s.rangeOf(t);
    auto report = [&](DiagKind kind, std::string msg) {
      if (++reported <= kMaxSyntaxErrorsPerFile) s.diags.report(kind, range, std::move(msg));
    };
    switch (t->getType()) {
      case MeshParser::ERROR_CHAR:
        if (!badBytes.count(range.begin)) {
          std::string text = t->getText();
          unsigned char c = text.empty() ? 0 : text[0];
          report(DiagKind::E0001, c < 0x20 || c == 0x7F ? fmt::format("stray control character U+{:04X}", c)
                                                        : fmt::format("stray character '{}'", text));
        }
        w->setChannel(antlr4::Token::HIDDEN_CHANNEL);
        break;
      case MeshParser::UNTERMINATED_STRING:
      case MeshParser::UNTERMINATED_RAW:
      {
        report(DiagKind::E0002, "string literal is not closed before the end of the line");
        s.quiet.push_back({range.begin, range.end});
        // A backslash left at the end would escape the closing quote we add.
        std::string text = t->getText();
        size_t backslashes = 0;
        while (backslashes < text.size() && text[text.size() - 1 - backslashes] == '\\') ++backslashes;
        if (t->getType() == MeshParser::UNTERMINATED_STRING && backslashes % 2 == 1) text.pop_back();
        w->setType(t->getType() == MeshParser::UNTERMINATED_RAW ? MeshParser::RAW_STRING : MeshParser::STRING);
        w->setText(text + "\"");
        break;
      }
      case MeshParser::BLOCK_COMMENT: {
        std::string text = t->getText();
        if (text.size() < 4 || text.compare(text.size() - 2, 2, "*/") != 0) {
          s.quiet.push_back({range.begin, static_cast<uint32_t>(s.sm.text(s.file).size())});
          range.end = range.begin + 2;
          report(DiagKind::E0003, "block comment is not closed; '/*' needs a matching '*/'");
        }
        break;
      }
      case MeshParser::BAD_NUMBER: {
        report(DiagKind::E0006, fmt::format("malformed number '{}'", t->getText()));
        // The parser sees a number, the builder a missing one: no value is
        // checked, and an error where another literal was expected is quiet.
        s.quiet.push_back({range.begin, range.end});
        w->setType(MeshParser::INT);
        w->setText("<missing malformed number>");
        s.missingNumbers.push_back(t->getTokenIndex());
        break;
      }
      default: break;
    }
  }
}

// Rejects input nested deeper than the parser's recursion can take. Works
// on token types (no text conversion: this runs over every token).
bool checkNesting(Session& s, antlr4::CommonTokenStream& tokens, const antlr4::dfa::Vocabulary& vocab) {
  auto literal = [&](const char* text) {
    for (size_t i = 1; i <= vocab.getMaxTokenType(); ++i)
      if (vocab.getLiteralName(i) == text) return i;
    return size_t(0);
  };
  static const size_t lt = literal("'<'"), gt = literal("'>'"), bang = literal("'!'"), minus = literal("'-'"),
                      list = literal("'list'"), map = literal("'map'");
  int depth = 0, prefixRun = 0;
  size_t previous = 0;
  for (Token* t : tokens.getTokens()) {
    if (t->getChannel() != Token::DEFAULT_CHANNEL) continue;
    size_t type = t->getType();
    bool opener = type == MeshParser::LPAREN || type == MeshParser::LBRACK || type == MeshParser::LBRACE ||
                  (type == lt && (previous == list || previous == map));
    bool closer = type == MeshParser::RPAREN || type == MeshParser::RBRACK || type == MeshParser::RBRACE || type == gt;
    if (opener) ++depth;
    if (closer && depth > 0) --depth;
    prefixRun = (type == bang || type == minus) ? prefixRun + 1 : 0;
    if (depth > kMaxNesting || prefixRun > kMaxNesting) {
      s.diags.report(DiagKind::E0008, s.rangeOf(t), fmt::format("nesting deeper than {} levels", kMaxNesting))
          .note("the rest of this file is not checked");
      return false;
    }
    previous = type;
  }
  return true;
}

}  // namespace

ast::File parseFile(const SourceManager& sm, uint32_t fileId, const std::vector<uint32_t>& invalidUtf8,
                    DiagnosticEngine& diags) {
  llvm::StringRef text = sm.text(fileId);
  Session session{sm, fileId, diags, OffsetMap(text), nullptr, 0, {}, {}};
  antlr4::ANTLRInputStream input(text.data(), text.size());
  MeshLexer lexer(&input);
  SilentLexerListener lexerListener(session);
  lexer.removeErrorListeners();
  lexer.addErrorListener(&lexerListener);
  antlr4::CommonTokenStream tokens(&lexer);
  tokens.fill();
  session.tokens = &tokens;

  reportLexicalErrors(session, tokens, invalidUtf8);
  ast::File empty;
  empty.fileId = fileId;
  if (!checkNesting(session, tokens, lexer.getVocabulary())) return empty;

  MeshParser parser(&tokens);
  parser.removeErrorListeners();
  MeshParser::FileContext* tree = nullptr;
  // Stage 1: fast SLL prediction, bailing out at the first error. Stage 2
  // (only for files with errors or rare ambiguities): full LL with recovery.
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::SLL);
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  } catch (const antlr4::RecognitionException&) {
    tree = nullptr;
  }
  if (!tree) {
    tokens.seek(0);
    parser.reset();
    parser.setErrorHandler(std::make_shared<MeshErrorStrategy>(session));
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(antlr4::atn::PredictionMode::LL);
    try {
      tree = parser.file();
    } catch (const TooManyErrors&) {
      return empty;
    }
  }
  std::sort(session.errorOffsets.begin(), session.errorOffsets.end());
  Builder builder(session);
  return builder.build(tree);
}

}  // namespace mesh::syntax
