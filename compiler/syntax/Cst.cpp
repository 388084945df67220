// Cst: ANTLR's token stream and parse tree copied into plain structs for the
// formatter (see Cst.h).
#include "syntax/Cst.h"

#include "MeshLexer.h"
#include "MeshParser.h"
#include "antlr4-runtime.h"
#include "syntax/Recognizers.h"

namespace mesh::syntax {
namespace {

using mesh::grammar::MeshLexer;
using mesh::grammar::MeshParser;

CstTokenKind kindOf(const antlr4::Token* t) {
  switch (t->getType()) {
    case antlr4::Token::EOF:
      return CstTokenKind::Eof;
    case MeshLexer::WS:
      return CstTokenKind::Whitespace;
    case MeshLexer::LINE_COMMENT:
      return CstTokenKind::LineComment;
    case MeshLexer::BLOCK_COMMENT:
      return CstTokenKind::BlockComment;
    case MeshLexer::DOC_COMMENT:
      return CstTokenKind::DocComment;
    default:
      return CstTokenKind::Code;
  }
}

// Lexical errors the parser would accept silently (they are hidden or
// recovered by parseFile's own pass): a text with one does not parse here.
bool isLexicalError(const antlr4::Token* t) {
  switch (t->getType()) {
    case MeshLexer::ERROR_CHAR:
    case MeshLexer::UNTERMINATED_STRING:
    case MeshLexer::UNTERMINATED_RAW:
    case MeshLexer::BAD_NUMBER:
      return true;
    case MeshLexer::BLOCK_COMMENT: {
      std::string text = t->getText();
      return text.size() < 4 || text.compare(text.size() - 2, 2, "*/") != 0;
    }
    default:
      return false;
  }
}

std::unique_ptr<CstNode> copyTree(antlr4::ParserRuleContext* ctx, const std::vector<std::string>& ruleNames) {
  auto node = std::make_unique<CstNode>();
  node->rule = ruleNames.at(ctx->getRuleIndex());
  for (antlr4::tree::ParseTree* child : ctx->children) {
    CstChild c;
    if (auto* rule = dynamic_cast<antlr4::ParserRuleContext*>(child)) {
      c.node = copyTree(rule, ruleNames);
    } else if (auto* terminal = dynamic_cast<antlr4::tree::TerminalNode*>(child)) {
      c.token = static_cast<int64_t>(terminal->getSymbol()->getTokenIndex());
    }
    node->children.push_back(std::move(c));
  }
  return node;
}

std::vector<CstToken> copyTokens(antlr4::CommonTokenStream& tokens) {
  std::vector<CstToken> out;
  for (antlr4::Token* t : tokens.getTokens()) {
    CstTokenKind kind = kindOf(t);
    out.push_back({kind, kind == CstTokenKind::Eof ? std::string() : t->getText()});
  }
  return out;
}

// All the tokens of `text`, lexed silently (the caller looks for errors).
struct Lexed {
  InputStream input;
  Lexer lexer{&input};
  TokenStream tokens{&lexer};

  explicit Lexed(llvm::StringRef text) : input(text) {
    lexer.removeErrorListeners();
    tokens.fill();
  }
};

}  // namespace

std::vector<CstToken> lexConcrete(llvm::StringRef text) {
  Lexed lexed(text);
  return copyTokens(lexed.tokens);
}

std::optional<ConcreteTree> parseConcrete(llvm::StringRef text) {
  Lexed lexed(text);
  TokenStream& tokens = lexed.tokens;
  for (antlr4::Token* t : tokens.getTokens())
    if (isLexicalError(t)) return std::nullopt;
  Parser parser(&tokens);
  parser.removeErrorListeners();
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  MeshParser::FileContext* tree = nullptr;
  try {
    tree = parser.file();
  } catch (const antlr4::ParseCancellationException&) {
    return std::nullopt;
  } catch (const antlr4::RecognitionException&) {
    return std::nullopt;
  }
  if (!tree) return std::nullopt;
  ConcreteTree out;
  out.tokens = copyTokens(tokens);
  out.root = copyTree(tree, parser.getRuleNames());
  return out;
}

}  // namespace mesh::syntax
