// SyntaxErrors: lexical errors, the nesting cap and the parser's error
// strategy, all reporting in meshc's words (see SyntaxErrors.h).
#include "syntax/SyntaxErrors.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "MeshParser.h"
#include "syntax/Literals.h"
#include "syntax/Parse.h"
#include "syntax/Recognizers.h"

namespace mesh::syntax {
namespace {

using antlr4::Token;
using mesh::grammar::MeshParser;

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

// A text per parser rule (or token type), for those that have one.
struct RuleText {
  size_t rule;
  const char* text;
};

template <size_t N>
const char* lookup(const RuleText (&table)[N], size_t rule) {
  for (const RuleText& r : table)
    if (r.rule == rule) return r.text;
  return nullptr;
}

// What the user calls what the parser was reading.
constexpr RuleText kRuleNouns[] = {
    {MeshParser::RuleFile, "file"},
    {MeshParser::RulePackageDecl, "package declaration"},
    {MeshParser::RuleImportDecl, "import"},
    {MeshParser::RuleDecl, "declaration"},
    {MeshParser::RuleDeclBody, "declaration"},
    {MeshParser::RuleEnumDecl, "enum"},
    {MeshParser::RuleEnumMember, "enum member"},
    {MeshParser::RuleTypeDecl, "type declaration"},
    {MeshParser::RuleRecordDecl, "record"},
    {MeshParser::RuleRecordItem, "record"},
    {MeshParser::RuleFieldDecl, "field declaration"},
    {MeshParser::RuleCheckDecl, "check"},
    {MeshParser::RuleTypeExpr, "type"},
    {MeshParser::RuleBaseType, "type"},
    {MeshParser::RuleAnnotation, "annotation"},
    {MeshParser::RuleAnnotationArg, "annotation"},
    {MeshParser::RuleTagDecl, "tag declaration"},
    {MeshParser::RuleTagParam, "tag declaration"},
    {MeshParser::RuleRoleDecl, "role declaration"},
    {MeshParser::RuleDomainDecl, "domain"},
    {MeshParser::RuleDomainItem, "domain setting"},
    {MeshParser::RuleProductDecl, "product setting"},
    {MeshParser::RuleProductItem, "product setting"},
    {MeshParser::RuleTopicItem, "topic setting"},
    {MeshParser::RuleSlaItem, "SLA setting"},
    {MeshParser::RuleQualityItem, "quality rule"},
    {MeshParser::RuleCompareOp, "comparison"},
    {MeshParser::RuleAccessItem, "access rule"},
    {MeshParser::RuleRoleList, "role list"},
    {MeshParser::RuleMaskMethod, "masking method"},
    {MeshParser::RuleFieldPath, "field path"},
    {MeshParser::RulePolicyDecl, "policy rule"},
    {MeshParser::RulePolicyItem, "policy rule"},
    {MeshParser::RuleBinder, "policy binder"},
    {MeshParser::RuleRequireStmt, "require"},
    {MeshParser::RuleWaiverDecl, "waiver"},
    {MeshParser::RuleUnionDecl, "union"},
    {MeshParser::RuleUnionCase, "union case"},
    {MeshParser::RuleExpr, "expression"},
    {MeshParser::RulePrimary, "expression"},
    {MeshParser::RuleExprList, "expression"},
    {MeshParser::RuleMapEntry, "map entry"},
    {MeshParser::RuleLiteral, "expression"},
    {MeshParser::RuleQualifiedName, "name"},
    {MeshParser::RuleIdent, "name"},
};

const char* ruleNoun(size_t rule) {
  const char* noun = lookup(kRuleNouns, rule);
  return noun ? noun : "declaration";
}

// What a block of keyword-led items may contain, named for the user.
constexpr const char* kProductChoices =
    "a product setting (domain, version, schema, topic, sla, quality, access, retention, compatibility, upstream)";
constexpr const char* kPolicyChoices = "a policy rule (severity, for)";
constexpr const char* kDeclChoices =
    "a declaration (enum, type, record, union, tag, role, domain, product, policy, waive)";
constexpr RuleText kBlockChoices[] = {
    {MeshParser::RuleProductDecl, kProductChoices},
    {MeshParser::RuleProductItem, kProductChoices},
    {MeshParser::RuleTopicItem, "a topic setting (key, partitions, replication, format)"},
    {MeshParser::RuleSlaItem, "an SLA setting (freshness, availability, throughput, latency)"},
    {MeshParser::RuleQualityItem, "a quality rule (unique, null_rate, volume, valid_rate)"},
    {MeshParser::RuleAccessItem, "an access rule (readers, writers, mask)"},
    {MeshParser::RulePolicyDecl, kPolicyChoices},
    {MeshParser::RulePolicyItem, kPolicyChoices},
    {MeshParser::RuleDecl, kDeclChoices},
    {MeshParser::RuleDeclBody, kDeclChoices},
    {MeshParser::RuleFile, kDeclChoices},
};

// What the user calls the tokens that are not spelt out.
constexpr RuleText kTokenNouns[] = {
    {MeshParser::STRING, "a string"},
    {MeshParser::INT, "an integer"},
    {MeshParser::DURATION, "a duration (like 5m)"},
    {MeshParser::PERCENT, "a percentage (like 99.9%)"},
    {MeshParser::RATE, "a rate (like 1000/s)"},
    {MeshParser::DATE, "a date (like 2027-03-31)"},
    {MeshParser::FLOAT, "a number"},
};

const char* blockChoices(size_t rule) { return lookup(kBlockChoices, rule); }

// "malformed number '5q': 'q' is not a duration unit (...)" when digits are
// followed by letters only (a duration with an unknown unit, most likely;
// not an exponent or hex digits gone wrong).
std::string malformedNumber(const std::string& text) {
  std::string msg = fmt::format("malformed number '{}'", text);
  size_t unitAt = text.find_first_not_of("0123456789_");
  if (unitAt == std::string::npos) return msg;
  std::string unit = text.substr(unitAt);
  bool letters =
      std::all_of(unit.begin(), unit.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  if (!letters || std::string_view("eExX").find(unit[0]) != std::string_view::npos) return msg;
  return msg + fmt::format(": '{}' is not a duration unit (the units are {})", unit, durationUnitList());
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
    // `key a, b;`: a list where one field path goes (language.md section 5).
    if (t && t->getText() == "," && dynamic_cast<MeshParser::TopicKeyContext*>(p->getContext())) {
      s_.syntaxError(s_.rangeOf(t), "a topic key is one field path, found ','", t->getTokenIndex());
      return;
    }
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
    bool terminator = expecting.size() == 1 && (expecting.contains(static_cast<size_t>(tokenType("';'", vocab))) ||
                                                expecting.contains(static_cast<size_t>(MeshParser::RBRACE)) ||
                                                expecting.contains(static_cast<size_t>(MeshParser::RPAREN)) ||
                                                expecting.contains(static_cast<size_t>(MeshParser::RBRACK)) ||
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
    bool expression = ident && expecting.contains(static_cast<size_t>(MeshParser::INT)) &&
                      expecting.contains(static_cast<size_t>(MeshParser::LPAREN));
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
      if (expression &&
          (t == MeshParser::INT || t == MeshParser::FLOAT || t == MeshParser::STRING || t == MeshParser::RAW_STRING ||
           t == MeshParser::DURATION || t == MeshParser::PERCENT || t == MeshParser::RATE || t == MeshParser::DATE ||
           t == MeshParser::LPAREN || t == MeshParser::LBRACK || t == MeshParser::LBRACE ||
           vocab.getLiteralName(t) == "'!'" || vocab.getLiteralName(t) == "'-'"))
        continue;
      std::string lit = vocab.getLiteralName(t);
      if (!lit.empty()) {
        parts.push_back(lit);
      } else {
        const char* noun = lookup(kTokenNouns, t);
        parts.push_back(noun ? noun : vocab.getDisplayName(t));
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

}  // namespace

void SilentLexerListener::syntaxError(antlr4::Recognizer*, Token*, size_t line, size_t col, const std::string&,
                                      std::exception_ptr) {
  s_.diags.report(DiagKind::E0001, SourceRange{s_.file, 0, 0},
                  fmt::format("cannot read a token at line {} column {}", line, col + 1));
}

std::shared_ptr<antlr4::ANTLRErrorStrategy> makeErrorStrategy(Session& s) {
  return std::make_shared<MeshErrorStrategy>(s);
}

// Lexical problems are lexed into dedicated tokens; report them and turn the
// tokens into what the parser should see, so one mistake makes one message.
void reportLexicalErrors(Session& s, TokenStream& tokens, const std::vector<uint32_t>& invalidUtf8) {
  std::set<uint32_t> badBytes(invalidUtf8.begin(), invalidUtf8.end());
  for (uint32_t offset : invalidUtf8)
    s.diags.report(DiagKind::E0005, {s.file, offset, offset + 3}, "invalid UTF-8 byte sequence")
        .note("source files must be UTF-8; the bytes are shown as U+FFFD");
  int reported = 0;
  for (const auto& token : tokens.all()) {
    Token* t = token.get();
    switch (t->getType()) {
      case MeshParser::ERROR_CHAR:
      case MeshParser::UNTERMINATED_STRING:
      case MeshParser::UNTERMINATED_RAW:
      case MeshParser::BLOCK_COMMENT:
      case MeshParser::BAD_NUMBER:
        break;
      default:
        continue;  // most tokens: no cast (it costs a string compare per token)
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
      case MeshParser::UNTERMINATED_RAW: {
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
        report(DiagKind::E0006, malformedNumber(t->getText()));
        // The parser sees a number, the builder a missing one: no value is
        // checked, and an error where another literal was expected is quiet.
        s.quiet.push_back({range.begin, range.end});
        w->setType(MeshParser::INT);
        w->setText("<missing malformed number>");
        s.missingNumbers.push_back(t->getTokenIndex());
        break;
      }
      default:
        break;
    }
  }
}

// Rejects input nested deeper than the parser's recursion can take. Works
// on token types (no text conversion: this runs over every token).
bool checkNesting(Session& s, TokenStream& tokens, const antlr4::dfa::Vocabulary& vocab) {
  auto literal = [&](const char* text) {
    for (size_t i = 1; i <= vocab.getMaxTokenType(); ++i)
      if (vocab.getLiteralName(i) == text) return i;
    return size_t(0);
  };
  static const size_t lt = literal("'<'"), gt = literal("'>'"), bang = literal("'!'"), minus = literal("'-'"),
                      list = literal("'list'"), map = literal("'map'");
  int depth = 0, prefixRun = 0;
  size_t previous = 0;
  for (const auto& token : tokens.all()) {
    Token* t = token.get();
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

}  // namespace mesh::syntax
